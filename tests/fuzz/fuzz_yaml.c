/* fuzz_yaml.c - the YAML loader: no crash or hang (aliases are bounded), positions
 * inside the input. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "load/yaml.h"

struct ctx {
    size_t len;
    int nparse;
};

static void report(void *p, const struct ld_diag *d)
{
    struct ctx *c = p;
    if (d->off > c->len || !d->msg || !*d->msg)
        abort();
    c->nparse += d->kind == LD_PARSE_ERROR;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1);
    if (size)
        memcpy(text, data, size);
    struct ctx c = {size, 0};
    struct load_opts o = {0};
    o.report = report;
    o.ctx = &c;
    o.locs = locmap_new();
    struct loc root;
    json_t *v = yaml_scan(text, size, &o, &root);
    if (v) {
        /* alias expansion can repeat positions but never leave the input */
        fz_check_loc(&root, 0, size);
        fz_walk(o.locs, v, 0, size, 0, 0);
        json_decref(v);
    } else if (c.nparse < 1) {
        abort();
    }
    locmap_free(o.locs);
    free(text);
    return 0;
}
