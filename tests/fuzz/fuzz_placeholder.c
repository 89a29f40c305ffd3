/* fuzz_placeholder.c - deploy-cli placeholder substitution: the first input byte picks
 * the syntax, the rest is the text; mappings hold a few keys of each JSON type. Every
 * mapped offset stays inside the original text, and the substituted text is then parsed
 * (JSON or YAML) with the offmap to exercise the position mapping. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "load/json.h"
#include "load/placeholder.h"
#include "load/yaml.h"

static json_t *maps;
static size_t tlen;

static void hit(void *ctx, const struct ph_hit *h)
{
    (void)ctx;
    if (h->off > h->end || h->end > 100 + tlen || h->off < 100 || !h->name)
        abort();
}

static void report(void *ctx, const struct ld_diag *d)
{
    (void)ctx;
    if (d->off < 100 || d->off > 100 + tlen)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!maps)
        maps = json_pack("{s:s, s:i, s:b, s:n, s:[s,s], s:{s:s}, s:s, s:s}", "A", "x", "N", 42,
                         "T", 1, "Z", "L", "a", "b", "O", "k", "v", "Q", "he said \"hi\"\n",
                         "E", "");
    if (size < 1)
        return 0;
    enum ph_syntax syn = data[0] % 3;
    json_t *m = (data[0] & 4) ? NULL : maps;
    const char *text = (const char *)data + 1;
    tlen = size - 1;
    char *copy = malloc(tlen ? tlen : 1);
    if (tlen)
        memcpy(copy, text, tlen);
    char *out = NULL;
    size_t outlen = 0;
    struct offmap map;
    offmap_init(&map, 100);
    size_t n = ph_substitute(copy, tlen, 100, syn, PH_KEYWORDS | PH_TEMPLATES, m, &out, &outlen, &map, hit, NULL);
    if (n > 0) {
        if (!out)
            abort();
        for (size_t i = 0; i <= outlen; i++) {
            uint64_t f = offmap_map(&map, i);
            if (f < 100 || f > 100 + tlen)
                abort();
        }
        struct load_opts o = {0};
        o.base = 100;
        o.map = &map;
        o.report = report;
        o.locs = locmap_new();
        json_t *v = syn == PH_YAML ? yaml_scan(out, outlen, &o, NULL)
                                   : json_scan(out, outlen, &o, NULL);
        if (v) {
            fz_walk(o.locs, v, 100, 100 + tlen, 0, 0);
            json_decref(v);
        }
        locmap_free(o.locs);
    } else if (out) {
        abort();
    }
    free(out);
    offmap_free(&map);
    free(copy);
    return 0;
}
