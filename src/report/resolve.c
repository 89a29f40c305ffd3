/* report/resolve.c - positions computed at report time (design.md). A finding made
 * after a streamed record is gone (a cross-record rule's finish step) holds only file
 * offsets; before printing, each such file is read once more, sequentially (inflated
 * when it is gzip), and the line and columns of every pending offset are computed from
 * the line that holds it. Memory: the sorted list of pending offsets and one line.
 * Cost: one pass over the findings, one sort, one read of each file; a long line gets a
 * column index (base/colidx.h), so many offsets on one line cost O(1) each. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "report/report.h"
#include "base/colidx.h"
#include "base/path.h"
#include "base/util.h"

#define LINE_LIMIT (16u * 1024u * 1024u)

struct pending {
    int file;
    uint64_t off;
    struct pos *p;
    struct finding *f; /* set for a finding's own start: gets the snippet */
};

static int cmp_pending(const void *a, const void *b)
{
    const struct pending *x = a, *y = b;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* A span still without a position: its start (with f, which gets the snippet) and end. */
static void add(struct pending **v, size_t *n, size_t *cap, struct span *at, struct finding *f)
{
    if (at->p.line != 0 || !source_get(at->file))
        return;
    GROW(*v, *cap, *n + 2);
    (*v)[(*n)++] = (struct pending){at->file, at->start, &at->p, f};
    (*v)[(*n)++] = (struct pending){at->file, at->end, &at->pe, NULL};
}

/* Resolve the pending offsets v[k..n) that lie on the line [ls, le) held (perhaps cut
 * short) in `line`; at the end of the file (eof) every remaining one. Returns the new k. */
static size_t resolve_line(const struct source *s, struct strbuf *line, uint64_t ls,
                           uint64_t le, uint32_t lineno, int eof, struct pending *v,
                           size_t k, size_t n, int snippets, struct colidx *cols)
{
    struct textwin w = {sb_str(line), line->len, ls, lineno, s->has_bom && ls == 0, cols};
    for (; k < n && (v[k].off <= le || eof); k++) {
        textwin_pos(&w, v[k].off, v[k].p);
        if (snippets && v[k].f && !v[k].f->snippet) {
            size_t l = line->len;
            if (l && line->buf[l - 1] == '\r')
                l--;
            if (l <= 4096) {
                size_t st = (w.bom && l >= 3) ? 3 : 0;
                v[k].f->snippet = xstrndup(line->buf + st, l - st);
                v[k].f->snippet_off = ls + st;
            }
        }
    }
    return k;
}

/* Walk the file's lines in blocks, resolving the sorted pending offsets. Only a line
 * that holds a pending offset or runs across a block is copied; the others are only
 * counted (memchr). */
static void resolve_file(int file, struct pending *v, size_t n, int snippets)
{
    enum { BLOCK = 1 << 17 };
    struct source *s = source_get(file);
    enum path_verdict why;
    int fd = s->blocked ? -1 : path_open(s->path, &why); /* a refused file stays unread */
    fd = source_overlay_fd(s->path, fd);
    gzFile gz = fd < 0 ? NULL : gzdopen(fd, "rb");
    if (fd >= 0 && !gz)
        close(fd);
    struct strbuf line = STRBUF_INIT;
    size_t k = 0;
    uint64_t ls = 0, boff = 0; /* start of the current line; file offset of buf[0] */
    uint32_t lineno = 1;
    char *buf = xmalloc(BLOCK);
    struct colidx *cols = colidx_new();
    if (gz) {
        gzbuffer(gz, BLOCK);
        int stop = 0;
        while (k < n && !stop) {
            int got = gzread(gz, buf, BLOCK);
            if (got <= 0)
                break;
            size_t p = 0, len = (size_t)got;
            while (p < len && k < n) {
                const char *nl = memchr(buf + p, '\n', len - p);
                size_t e = nl ? (size_t)(nl - buf) : len; /* end of this piece */
                /* copy a piece that holds a pending offset, and the tail of a block
                 * (its line may hold one further on), and the rest of a line so begun */
                if (!nl || line.len || v[k].off <= boff + e) {
                    size_t room = line.len < LINE_LIMIT ? LINE_LIMIT - line.len : 0;
                    sb_add(&line, buf + p, e - p < room ? e - p : room);
                    /* every pending offset is on this line and past the snippet limit:
                     * the rest of a huge line (a 2 GB file without a newline) is not
                     * needed */
                    if (!nl && line.len > 4096 && v[n - 1].off < ls + line.len) {
                        stop = 1;
                        break;
                    }
                }
                if (!nl) {
                    p = len;
                    break;
                }
                uint64_t le = boff + e;
                if (v[k].off <= le)
                    k = resolve_line(s, &line, ls, le, lineno, 0, v, k, n, snippets, cols);
                sb_reset(&line);
                ls = le + 1;
                lineno++;
                p = e + 1;
            }
            boff += len;
        }
        gzclose(gz);
        /* the last line (no LF after it), or offsets at or past the end */
        k = resolve_line(s, &line, ls, ls + line.len, lineno, 1, v, k, n, snippets, cols);
    }
    for (; k < n; k++) { /* unreadable now: point at line 1 */
        v[k].p->line = v[k].p->col = v[k].p->col_byte = v[k].p->col_u16 = 1;
    }
    free(buf);
    colidx_free(cols);
    sb_free(&line);
}

void findings_resolve(int snippets)
{
    struct pending *v = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < findings_count(); i++) {
        struct finding *f = findings_get(i);
        add(&v, &n, &cap, &f->at, f);
        for (size_t r = 0; r < f->nrel; r++)
            add(&v, &n, &cap, &f->rel[r].at, NULL);
    }
    if (n)
        qsort(v, n, sizeof(*v), cmp_pending);
    for (size_t i = 0, j; i < n; i = j) { /* one file's offsets at a time */
        for (j = i + 1; j < n && v[j].file == v[i].file; j++)
            ;
        resolve_file(v[i].file, v + i, j - i, snippets);
    }
    free(v);
}
