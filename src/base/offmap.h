/* base/offmap.h - from offsets in a rewritten text back to offsets in the file the user
 * edits. Used for deploy-cli placeholder substitution (design.md) and for the JSON text
 * held inside a JSON string (a worker's `attributes`): every position on or inside a
 * replaced span maps to the first byte of the original span. */
#ifndef SSOLINT_OFFMAP_H
#define SSOLINT_OFFMAP_H

#include <stddef.h>
#include <stdint.h>

enum { SEG_RESOLVED = 1, SEG_UNRESOLVED = 2, SEG_ESCAPE = 4 };

struct offseg {
    size_t dst, dst_len;    /* span in the rewritten text */
    uint64_t src, src_len;  /* span in the original */
    unsigned flags;
};

struct offmap {
    struct offseg *seg; /* sorted by dst, non-overlapping */
    size_t n, cap;
    uint64_t base;      /* original offset of rewritten text offset 0 */
};

void offmap_init(struct offmap *m, uint64_t base);
void offmap_free(struct offmap *m);
/* Append a replaced span (dst ascending). */
void offmap_add(struct offmap *m, size_t dst, size_t dst_len, uint64_t src, uint64_t src_len,
                unsigned flags);
/* Original offset of rewritten offset d. */
uint64_t offmap_map(const struct offmap *m, size_t d);
/* OR of the flags of the segments overlapping [s, e) (an empty span counts at s). */
unsigned offmap_flags(const struct offmap *m, size_t s, size_t e);

#endif
