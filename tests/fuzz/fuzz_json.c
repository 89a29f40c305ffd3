/* fuzz_json.c - the JSON scanner with its offsets: no crash, and every recorded position
 * (root, members, diagnostics) lies inside the input. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "load/json.h"

struct ctx {
    size_t len;
    uint64_t base;
    int nparse;
};

static void report(void *p, const struct ld_diag *d)
{
    struct ctx *c = p;
    if (d->off < c->base || d->off > c->base + c->len || !d->msg || !*d->msg)
        abort();
    if (d->kind == LD_DUPLICATE_KEY && (d->off2 < c->base || d->off2 >= d->off || !d->key))
        abort();
    c->nparse += d->kind == LD_PARSE_ERROR;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the scanner reads text[0, len); copy so ASan sees reads past the end */
    char *text = malloc(size ? size : 1);
    if (size)
        memcpy(text, data, size);
    struct ctx c = {size, 7, 0};
    struct load_opts o = {0};
    o.base = c.base;
    o.report = report;
    o.ctx = &c;
    o.locs = locmap_new();
    struct loc root;
    json_t *v = json_scan(text, size, &o, &root);
    if (v) {
        if (c.nparse)
            abort(); /* a value and a parse error */
        fz_check_loc(&root, c.base, c.base + size);
        fz_walk(o.locs, v, c.base, c.base + size, 1, 0);
        json_decref(v);
    } else if (c.nparse != 1) {
        abort(); /* NULL after exactly one parse error */
    }
    locmap_free(o.locs);
    free(text);
    return 0;
}
