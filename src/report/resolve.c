/* report/resolve.c - positions computed at report time (design.md). A finding made
 * after a streamed record is gone (a cross-record rule's finish step) holds only file
 * offsets; before printing, each such file is read once more, sequentially (inflated
 * when it is gzip), and the line and columns of every pending offset are computed from
 * the line that holds it. Memory: the sorted list of pending offsets and one line. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "report/report.h"
#include "base/util.h"

#define LINE_LIMIT (16u * 1024u * 1024u)

struct pending {
    uint64_t off;
    struct pos *p;
    struct finding *f; /* set for a finding's own start: gets the snippet */
};

static int cmp_pending(const void *a, const void *b)
{
    const struct pending *x = a, *y = b;
    return x->off < y->off ? -1 : x->off > y->off;
}

static void add(struct pending **v, size_t *n, size_t *cap, uint64_t off, struct pos *p,
                struct finding *f)
{
    GROW(*v, *cap, *n + 1);
    (*v)[(*n)++] = (struct pending){off, p, f};
}

/* Resolve the pending offsets v[k..n) that lie on the line [ls, le) held (perhaps cut
 * short) in `line`; at the end of the file (eof) every remaining one. Returns the new k. */
static size_t resolve_line(const struct source *s, struct strbuf *line, uint64_t ls,
                           uint64_t le, uint32_t lineno, int eof, struct pending *v,
                           size_t k, size_t n, int snippets)
{
    struct textwin w = {sb_str(line), line->len, ls, lineno, s->has_bom && ls == 0};
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
    gzFile gz = gzopen(s->path, "rb");
    struct strbuf line = STRBUF_INIT;
    size_t k = 0;
    uint64_t ls = 0, boff = 0; /* start of the current line; file offset of buf[0] */
    uint32_t lineno = 1;
    char *buf = xmalloc(BLOCK);
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
                    k = resolve_line(s, &line, ls, le, lineno, 0, v, k, n, snippets);
                sb_reset(&line);
                ls = le + 1;
                lineno++;
                p = e + 1;
            }
            boff += len;
        }
        gzclose(gz);
        /* the last line (no LF after it), or offsets at or past the end */
        k = resolve_line(s, &line, ls, ls + line.len, lineno, 1, v, k, n, snippets);
    }
    for (; k < n; k++) { /* unreadable now: point at line 1 */
        v[k].p->line = v[k].p->col = v[k].p->col_byte = v[k].p->col_u16 = 1;
    }
    free(buf);
    sb_free(&line);
}

void findings_resolve(int snippets)
{
    struct pending *v = NULL;
    size_t n = 0, cap = 0;
    for (int file = 0; file < source_count(); file++) {
        n = 0;
        for (size_t i = 0; i < findings_count(); i++) {
            struct finding *f = findings_get(i);
            if (f->at.file == file && f->at.p.line == 0) {
                add(&v, &n, &cap, f->at.start, &f->at.p, f);
                add(&v, &n, &cap, f->at.end, &f->at.pe, NULL);
            }
            for (size_t r = 0; r < f->nrel; r++)
                if (f->rel[r].at.file == file && f->rel[r].at.p.line == 0) {
                    add(&v, &n, &cap, f->rel[r].at.start, &f->rel[r].at.p, NULL);
                    add(&v, &n, &cap, f->rel[r].at.end, &f->rel[r].at.pe, NULL);
                }
        }
        if (!n)
            continue;
        qsort(v, n, sizeof(*v), cmp_pending);
        resolve_file(file, v, n, snippets);
    }
    free(v);
}
