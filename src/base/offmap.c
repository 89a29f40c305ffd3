/* base/offmap.c - rewritten-text offsets back to file offsets (see offmap.h). Segments are
 * appended in ascending order; lookups binary-search them. Between segments the mapping
 * is the identity shifted by the length differences of the segments before. */
#include "base/offmap.h"

#include <stdlib.h>

#include "base/util.h"

void offmap_init(struct offmap *m, uint64_t base)
{
    m->seg = NULL;
    m->n = m->cap = 0;
    m->base = base;
}

void offmap_free(struct offmap *m)
{
    free(m->seg);
    m->seg = NULL;
    m->n = m->cap = 0;
}

void offmap_add(struct offmap *m, size_t dst, size_t dst_len, uint64_t src, uint64_t src_len,
                unsigned flags)
{
    GROW(m->seg, m->cap, m->n + 1);
    m->seg[m->n++] = (struct offseg){dst, dst_len, src, src_len, flags};
}

/* Index of the last segment with dst <= d, or -1. */
static long last_at_or_before(const struct offmap *m, size_t d)
{
    long lo = 0, hi = (long)m->n - 1, ans = -1;
    while (lo <= hi) {
        long mid = lo + (hi - lo) / 2;
        if (m->seg[mid].dst <= d) {
            ans = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return ans;
}

uint64_t offmap_map(const struct offmap *m, size_t d)
{
    if (!m)
        return d;
    long i = last_at_or_before(m, d);
    if (i < 0)
        return m->base + d;
    const struct offseg *s = &m->seg[i];
    if (d < s->dst + s->dst_len || (s->dst_len == 0 && d == s->dst)) {
        if (s->dst_len == s->src_len)
            return s->src + (d - s->dst);
        return s->src;
    }
    /* after segment i: identity relative to the segment's end */
    return s->src + s->src_len + (d - s->dst - s->dst_len);
}

unsigned offmap_flags(const struct offmap *m, size_t s, size_t e)
{
    if (!m || !m->n)
        return 0;
    if (e <= s)
        e = s + 1;
    unsigned f = 0;
    long i = last_at_or_before(m, s);
    if (i < 0)
        i = 0;
    for (size_t k = (size_t)i; k < m->n && m->seg[k].dst < e; k++) {
        const struct offseg *g = &m->seg[k];
        size_t ge = g->dst + (g->dst_len ? g->dst_len : 1);
        if (ge > s)
            f |= g->flags;
    }
    return f;
}
