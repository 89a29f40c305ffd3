/* report_resolve.c - positions computed at report time (design.md). A finding made
 * after a streamed record is gone (a cross-record rule's finish step) holds only file
 * offsets; before printing, each such file is read once more, sequentially (inflated
 * when it is gzip), and the line and columns of every pending offset are computed from
 * the line that holds it. Memory: the sorted list of pending offsets and one line. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "report.h"
#include "util.h"

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

/* Walk the file's lines, resolving the sorted pending offsets. */
static void resolve_file(int file, struct pending *v, size_t n, int snippets)
{
    struct source *s = source_get(file);
    gzFile gz = gzopen(s->path, "rb");
    struct strbuf line = STRBUF_INIT;
    size_t k = 0;
    uint64_t ls = 0;
    uint32_t lineno = 1;
    if (gz) {
        gzbuffer(gz, 1 << 17);
        int eof = 0;
        while (k < n && !eof) {
            /* read one line (without its LF) into `line` */
            sb_reset(&line);
            for (;;) {
                int c = gzgetc(gz);
                if (c < 0) {
                    eof = 1;
                    break;
                }
                if (c == '\n')
                    break;
                if (line.len < LINE_LIMIT)
                    sb_addc(&line, (char)c);
                /* every pending offset is on this line and past the snippet limit: the
                 * rest of a huge line (a 2 GB file without a newline) is not needed */
                if (line.len > 4096 && v[n - 1].off < ls + line.len) {
                    eof = 1;
                    break;
                }
            }
            uint64_t le = ls + line.len;
            struct textwin w = {sb_str(&line), line.len, ls, lineno, s->has_bom && ls == 0};
            while (k < n && (v[k].off <= le || eof)) {
                textwin_pos(&w, v[k].off, v[k].p);
                if (snippets && v[k].f && !v[k].f->snippet) {
                    size_t l = line.len;
                    if (l && line.buf[l - 1] == '\r')
                        l--;
                    if (l <= 4096) {
                        size_t st = (w.bom && l >= 3) ? 3 : 0;
                        v[k].f->snippet = xstrndup(line.buf + st, l - st);
                        v[k].f->snippet_off = ls + st;
                    }
                }
                k++;
            }
            ls = le + 1;
            lineno++;
        }
        gzclose(gz);
    }
    for (; k < n; k++) { /* unreadable now: point at line 1 */
        v[k].p->line = v[k].p->col = v[k].p->col_byte = v[k].p->col_u16 = 1;
    }
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
