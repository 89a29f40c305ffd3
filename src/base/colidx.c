/* base/colidx.c - checkpoints of line and columns over a long window (see colidx.h). */
#include "base/colidx.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

struct checkpoint {
    uint32_t pos;  /* window offset: the first sequence boundary at or after k * STRIDE */
    uint32_t line; /* line number at pos */
    uint32_t ls;   /* window offset of that line's start */
    uint32_t cp, u16; /* code points and UTF-16 units from the line's column 1 to pos */
};

struct colidx {
    const char *text; /* the window the checkpoints are for */
    size_t len;
    uint64_t off;
    uint32_t line;
    int bom;
    struct checkpoint *ck;
    size_t n, cap;
};

struct colidx *colidx_new(void)
{
    return xcalloc(1, sizeof(struct colidx));
}

void colidx_free(struct colidx *x)
{
    if (!x)
        return;
    free(x->ck);
    free(x);
}

/* A window starts its first line after the BOM when it has one: no column for it. */
static size_t first_byte(const struct textwin *w, size_t ls, size_t rel)
{
    return (w->bom && w->off == 0 && ls == 0 && rel >= 3) ? 3 : ls;
}

void colidx_columns(const struct textwin *w, size_t ls, size_t from, uint32_t cp, uint32_t u16,
                    size_t rel, struct pos *p)
{
    const unsigned char *u = (const unsigned char *)w->text;
    size_t i = from, skip = first_byte(w, ls, rel);
    if (i < skip)
        i = skip;
    while (i < rel) {
        size_t l = utf8_seq_len(u + i, w->len - i);
        if (!l || i + l > rel)
            l = 1; /* an invalid byte (or a split sequence) counts as one column */
        cp++;
        u16 += (l == 4) ? 2 : 1;
        i += l;
    }
    p->col = cp + 1;
    p->col_u16 = u16 + 1;
    p->col_byte = (uint32_t)(rel - skip) + 1;
}

/* One pass over the window, a checkpoint at the first boundary of every stride. */
static void build(struct colidx *x, const struct textwin *w)
{
    const unsigned char *u = (const unsigned char *)w->text;
    size_t i = first_byte(w, 0, w->len), ls = 0, next = 0;
    uint32_t line = w->line, cp = 0, u16 = 0;
    x->n = 0;
    for (;;) {
        if (i >= next) {
            GROW(x->ck, x->cap, x->n + 1);
            x->ck[x->n++] = (struct checkpoint){(uint32_t)i, line, (uint32_t)ls, cp, u16};
            next = (i / COLIDX_STRIDE + 1) * COLIDX_STRIDE;
        }
        if (i >= w->len)
            break;
        if (u[i] == '\n') {
            line++;
            ls = ++i;
            cp = u16 = 0;
            continue;
        }
        size_t l = utf8_seq_len(u + i, w->len - i);
        if (!l)
            l = 1;
        cp++;
        u16 += (l == 4) ? 2 : 1;
        i += l;
    }
    x->text = w->text;
    x->len = w->len;
    x->off = w->off;
    x->line = w->line;
    x->bom = w->bom;
}

int colidx_pos(struct colidx *x, const struct textwin *w, size_t rel, struct pos *p)
{
    if (!x || w->len <= COLIDX_MIN || w->len > UINT32_MAX)
        return 0;
    if (x->text != w->text || x->len != w->len || x->off != w->off || x->line != w->line ||
        x->bom != w->bom || !x->n)
        build(x, w);
    size_t k = rel / COLIDX_STRIDE;
    if (k >= x->n)
        k = x->n - 1;
    if (k > 0 && x->ck[k].pos > rel)
        k--;
    const struct checkpoint *c = &x->ck[k];
    /* checkpoint 0 is the window's start (no BOM skipped yet): count from there */
    size_t from = k ? c->pos : 0, ls = c->ls;
    uint32_t line = c->line, cp = k ? c->cp : 0, u16 = k ? c->u16 : 0;
    const char *q = w->text + from, *end = w->text + rel;
    while ((q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
        line++;
        ls = (size_t)(++q - w->text);
        from = ls;
        cp = u16 = 0;
    }
    p->line = line;
    colidx_columns(w, ls, from, cp, u16, rel, p);
    return 1;
}
