/* fix/apply.c - which fixes of one file apply, and the file's text after them. Fixes are
 * taken in report order; a fix none of whose edits meets an edit already taken is taken
 * whole, any other is not applied (the first wins). The taken edits are kept sorted, so
 * that taking one costs a binary search, and are applied in one pass over the old text. */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "fix/fix.h"

/* Do edits a and b touch the same bytes (or does one insert strictly inside the other's
 * range)? Adjacent ranges do not conflict; two insertions at one offset do not either:
 * they go in the order they were taken (two URLs appended to one list). */
static int conflict(const struct edit *a, const struct edit *b)
{
    if (a->start == a->end && b->start == b->end)
        return 0;
    if (a->start == a->end)
        return b->start < a->start && a->start < b->end;
    if (b->start == b->end)
        return a->start < b->start && b->start < a->end;
    return a->start < b->end && b->start < a->end;
}

/* Order of application: by start, an insertion before a replacement at the same start. */
static int before(const struct edit *a, const struct edit *b)
{
    if (a->start != b->start)
        return a->start < b->start;
    return a->end == a->start && b->end > b->start;
}

/* Index of the first taken edit that e comes before (after the equal ones). */
static size_t lower_bound(const struct fix_file *ff, const struct edit *e)
{
    size_t lo = 0, hi = ff->ned;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (!before(e, ff->ed[mid]))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Does e meet a taken edit? The taken edits do not overlap, so only the one before its
 * place and those starting inside it can. */
static int meets_taken(const struct fix_file *ff, const struct edit *e)
{
    size_t i = lower_bound(ff, e);
    if (i > 0 && conflict(ff->ed[i - 1], e))
        return 1;
    for (; i < ff->ned && ff->ed[i]->start <= e->end; i++)
        if (conflict(ff->ed[i], e))
            return 1;
    return 0;
}

int fix_take(struct fix_file *ff, const struct finding *f)
{
    const struct fix *x = f->fix;
    for (size_t a = 0; a < x->nedits; a++)
        if (meets_taken(ff, &x->edits[a]))
            return -1;
    for (size_t a = 0; a < x->nedits; a++) {
        size_t i = lower_bound(ff, &x->edits[a]);
        GROW(ff->ed, ff->caped, ff->ned + 1);
        memmove(ff->ed + i + 1, ff->ed + i, (ff->ned - i) * sizeof(*ff->ed));
        ff->ed[i] = &x->edits[a];
        ff->ned++;
    }
    ff->fs = xrealloc(ff->fs, (ff->n + 1) * sizeof(*ff->fs));
    ff->fs[ff->n++] = f;
    free(ff->cum);
    ff->cum = NULL;
    return 0;
}

void fix_file_free(struct fix_file *ff)
{
    free(ff->fs);
    free(ff->ed);
    free(ff->cum);
    memset(ff, 0, sizeof(*ff));
}

char *fix_apply_text(const struct fix_file *ff, const char *text, size_t len, size_t *outlen)
{
    size_t pos = 0;
    struct strbuf sb = STRBUF_INIT;
    sb_add(&sb, "", 0);
    for (size_t i = 0; i < ff->ned; i++) {
        const struct edit *e = ff->ed[i];
        if (e->end > len || e->start < pos)
            continue; /* cannot happen: edits come from this text and do not overlap */
        if (e->expect && memcmp(text + e->start, e->expect, (size_t)(e->end - e->start)))
            continue; /* the bytes are not the plain spelling the check assumed */
        sb_add(&sb, text + pos, (size_t)e->start - pos);
        sb_add(&sb, e->text, e->len);
        pos = (size_t)e->end;
    }
    sb_add(&sb, text + pos, len - pos);
    *outlen = sb.len;
    return sb_detach(&sb);
}

uint64_t fix_map_offset(struct fix_file *ff, uint64_t off)
{
    if (!ff->cum && ff->ned) {
        int64_t sum = 0;
        ff->cum = xcalloc(ff->ned, sizeof(*ff->cum));
        for (size_t i = 0; i < ff->ned; i++) {
            sum += (int64_t)ff->ed[i]->len - (int64_t)(ff->ed[i]->end - ff->ed[i]->start);
            ff->cum[i] = sum;
        }
    }
    /* the edits wholly before off (ends are in order: the edits do not overlap); an
     * insertion at off itself belongs after it */
    size_t lo = 0, hi = ff->ned;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ff->ed[mid]->end <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    while (lo > 0 && ff->ed[lo - 1]->start >= off)
        lo--;
    return (uint64_t)((int64_t)off + (lo ? ff->cum[lo - 1] : 0));
}
