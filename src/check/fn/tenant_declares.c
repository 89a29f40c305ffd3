/* check/fn/tenant_declares.c - the check functions of the `pattern` rule group (rules/pattern.yaml),
 * and the `tenant-declares` function (pattern-undeclared):
 *
 *   keys: [pattern, rationale]   tenant-entry keys of .ssolint.yaml that must hold a
 *                                non-blank string
 *
 * One finding per tenant that lacks any of them, at the tenant entry (the first character
 * of its first key); for a repository without `tenants`, at line 1 column 1 of
 * .ssolint.yaml; without a config, at the tenant's export root file, else at its first
 * input file in sorted path order. Message arguments: {subject} ("tenant 'nss'", or the
 * repository), {missing} ("'pattern' or 'rationale'"), {tenant}. Runs in finish; keeps
 * nothing. */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/org.h"
#include "rules/finding.h"
#include "report/report.h"

extern const struct check_fn check_email_domain_fn, check_foreign_value_fn, check_shared_value_fn,
    check_cross_tenant_fn;

struct keys_opts {
    char **keys;
    size_t n;
};

static const struct model *the_model;

static void free_keys(void *p)
{
    struct keys_opts *o = p;
    for (size_t i = 0; i < o->n; i++)
        free(o->keys[i]);
    free(o->keys);
    free(o);
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    static const char *const known[] = {"keys", NULL};
    if (options_known(r->options, "tenant-declares", known, err) < 0)
        return -1;
    json_t *keys = json_object_get(r->options, "keys");
    if (!json_is_array(keys) || !json_array_size(keys)) {
        sb_adds(err, "the tenant_declares check needs options.keys, a list of tenant keys");
        return -1;
    }
    struct keys_opts *o = xcalloc(1, sizeof(*o));
    o->keys = xcalloc(json_array_size(keys), sizeof(char *));
    r->state = o;
    r->free_state = free_keys;
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k)
    {
        if (!json_is_string(k) || !json_string_length(k)) {
            sb_addf(err, "options.keys[%zu] must be a tenant key name", i);
            return -1;
        }
        o->keys[o->n++] = xstrdup(json_string_value(k));
    }
    return 0;
}

static void begin(int ri, struct model *m)
{
    (void)ri;
    the_model = m;
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

/* The first input file of tenant t in sorted path order, -1 when it has none. */
static int first_input(const struct tenant *t)
{
    int best = -1;
    for (int id = 0; id < source_count(); id++) {
        const struct source *s = source_get(id);
        if (s->tenant != t->index || s->kind == SRC_CONFIG || s->kind == SRC_RULES || s->blocked)
            continue;
        if (best < 0 || strcmp(s->path, source_get(best)->path) < 0)
            best = id;
    }
    return best;
}

static void finish(int ri, struct tenant *t)
{
    const struct keys_opts *o = rule_get(ri)->state;
    const struct config *cfg = the_model->cfg;
    json_t *node = cfg->tenants_declared && t->cfg ? t->cfg->node : NULL;
    struct strbuf missing = STRBUF_INIT;
    for (size_t i = 0; i < o->n; i++) {
        json_t *v = node ? json_object_get(node, o->keys[i]) : NULL;
        if (json_is_string(v) && !blank(json_string_value(v)))
            continue;
        sb_addf(&missing, "%s'%s'", missing.len ? " or " : "", o->keys[i]);
    }
    if (!missing.len) {
        sb_free(&missing);
        return;
    }
    int file;
    uint64_t off = 0;
    const char *subject;
    char *own = NULL;
    if (node && cfg->file >= 0) {
        /* the first character of the entry's first key */
        const char *k;
        json_t *v;
        int have = 0;
        json_object_foreach(node, k, v)
        {
            const struct loc *l = doc_key(&cfg->doc, node, k);
            if (l && (!have || l->key < off)) {
                off = l->key;
                have = 1;
            }
        }
        file = cfg->file;
        subject = own = xasprintf("tenant '%s'", tenant_label(t));
    } else if (cfg->file >= 0) {
        file = cfg->file;
        subject = "the repository (no tenants in .ssolint.yaml)";
    } else {
        file = t->root_file >= 0 ? t->root_file : first_input(t);
        subject = "the repository (no .ssolint.yaml)";
    }
    if (file >= 0) {
        struct finding *f = finding_add(ri, file, off, off, NULL);
        finding_arg(f, "subject", "%s", subject);
        finding_arg(f, "missing", "%s", missing.buf);
        finding_arg(f, "tenant", "%s", tenant_label(t));
        finding_set_identity(f, t->index, NULL);
    }
    free(own);
    sb_free(&missing);
}

static const struct check_fn check_tenant_declares_fn = {
    "tenant-declares", prepare, begin, NULL, finish, NULL};

/* The functions this group registers (see check.h); the table ends with NULL. */
const struct check_fn *const check_group_pattern[] = {
    &check_tenant_declares_fn, &check_email_domain_fn, &check_foreign_value_fn,
    &check_shared_value_fn,    &check_cross_tenant_fn, NULL,
};
