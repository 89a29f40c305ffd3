/* fuzz_common.h - helpers shared by the libFuzzer targets: walk a loaded value and check
 * that every recorded position lies inside the input, write the input to a temp file. */
#ifndef SSOLINT_FUZZ_COMMON_H
#define SSOLINT_FUZZ_COMMON_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load/load.h"

static inline void fz_check_loc(const struct loc *l, uint64_t lo, uint64_t hi)
{
    if (!l)
        return;
    if (l->start < lo || l->end > hi || l->start > l->end || l->key < lo || l->key > hi) {
        fprintf(stderr, "position out of input: start %llu end %llu key %llu, input [%llu, %llu)\n",
                (unsigned long long)l->start, (unsigned long long)l->end,
                (unsigned long long)l->key, (unsigned long long)lo, (unsigned long long)hi);
        abort();
    }
}

/* Every member of every container has a position inside [lo, hi]. */
static inline void fz_walk(const struct locmap *m, const json_t *v, uint64_t lo, uint64_t hi,
                           int need, unsigned depth)
{
    if (depth > LOAD_MAX_DEPTH + 8)
        abort();
    if (json_is_object(v)) {
        const char *k;
        json_t *c;
        json_object_foreach((json_t *)v, k, c) {
            const struct loc *l = locmap_key(m, v, k);
            if (need && !l) {
                fprintf(stderr, "member '%s' has no position\n", k);
                abort();
            }
            fz_check_loc(l, lo, hi);
            fz_walk(m, c, lo, hi, need, depth + 1);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *c;
        json_array_foreach((json_t *)v, i, c) {
            const struct loc *l = locmap_index(m, v, i);
            if (need && !l) {
                fprintf(stderr, "element %zu has no position\n", i);
                abort();
            }
            fz_check_loc(l, lo, hi);
            fz_walk(m, c, lo, hi, need, depth + 1);
        }
    }
}

/* Write data to a new temp file named with suffix; returns a malloc'd path. */
static inline char *fz_tempfile(const uint8_t *data, size_t size, const char *suffix)
{
    char tmpl[] = "/tmp/ssolint-fuzz-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0)
        abort();
    close(fd);
    size_t n = strlen(tmpl) + strlen(suffix) + 1;
    char *path = malloc(n);
    snprintf(path, n, "%s%s", tmpl, suffix);
    if (rename(tmpl, path) < 0)
        abort();
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    return path;
}

#endif
