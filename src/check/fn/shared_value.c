/* check/fn/shared_value.c - the `shared-value` check function (shared-identity,
 * split-organization): two tenants that declare the same value. Options:
 *
 *   values:                         what is compared, each on its own:
 *     - name: Auth0 domain          its name for messages ({name})
 *       fold_case: true             compare ignoring ASCII case
 *       from:                       where a tenant declares it; the first source that
 *         - {config: /auth0/domain}     gives a known value is the tenant's declaration
 *         - {in: keywords, pointer: /AUTH0_DOMAIN}
 *                                   config: a pointer in the tenant's .ssolint.yaml entry;
 *                                   in: flex-sso | flex-configuration | keywords (the
 *                                   deploy-cli config) with a pointer in that file. A value
 *                                   may be a string or a list of strings.
 *   pairs: different-organizations  which pairs count: `any`, or tenants of different
 *                                   organizations (check/org.h)
 *   pattern: B                      optional: one of the two must be declared this pattern
 *   note: "..."                     the text of the note at the first declaration
 *
 * For each value of a later tenant (.ssolint.yaml order) that the first earlier tenant of
 * a counting pair also declares: one finding at the later declaration, with a note at the
 * earlier one. Template arguments (message and note): {name}, {value}, {tenant}, {org},
 * {other_tenant}, {other}. Unknown values are never compared. Runs in finish_all over the
 * whole model; memory: one small list of declared values per tenant and value. */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/org.h"
#include "rules/finding.h"
#include "report/report.h"

enum src_in { IN_CONFIG, IN_SSO, IN_FLEXCONF, IN_KEYWORDS };

struct source_spec {
    enum src_in in;
    char *pointer;
};

struct value_spec {
    char *name;
    int fold_case;
    struct source_spec *from;
    size_t nfrom;
};

struct shared_opts {
    struct value_spec *v;
    size_t nv;
    int different_orgs;
    char pattern; /* 0: any */
    char *note;
};

/* One declared value: where it is. */
struct decl {
    const char *s; /* borrowed from the document */
    int file;
    uint64_t start, end;
};

struct decls {
    struct decl *d;
    size_t n;
};

static void free_opts(void *p)
{
    struct shared_opts *o = p;
    for (size_t i = 0; i < o->nv; i++) {
        for (size_t k = 0; k < o->v[i].nfrom; k++)
            free(o->v[i].from[k].pointer);
        free(o->v[i].from);
        free(o->v[i].name);
    }
    free(o->v);
    free(o->note);
    free(o);
}

static int parse_source(json_t *e, struct source_spec *s)
{
    const char *cfg = json_string_value(json_object_get(e, "config"));
    const char *in = json_string_value(json_object_get(e, "in"));
    const char *ptr = json_string_value(json_object_get(e, "pointer"));
    if (!json_is_object(e))
        return -1;
    if (cfg && !in && !ptr && json_object_size(e) == 1 && cfg[0] == '/') {
        s->in = IN_CONFIG;
        s->pointer = xstrdup(cfg);
        return 0;
    }
    if (!in || !ptr || ptr[0] != '/' || json_object_size(e) != 2)
        return -1;
    if (!strcmp(in, "flex-sso"))
        s->in = IN_SSO;
    else if (!strcmp(in, "flex-configuration"))
        s->in = IN_FLEXCONF;
    else if (!strcmp(in, "keywords"))
        s->in = IN_KEYWORDS;
    else
        return -1;
    s->pointer = xstrdup(ptr);
    return 0;
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    static const char *const known[] = {"values", "pairs", "pattern", "note", NULL};
    json_t *opt = r->options;
    if (options_known(opt, "shared-value", known, err) < 0)
        return -1;
    json_t *values = json_object_get(opt, "values");
    const char *pairs = json_string_value(json_object_get(opt, "pairs"));
    const char *pat = json_string_value(json_object_get(opt, "pattern"));
    const char *note = json_string_value(json_object_get(opt, "note"));
    if (!json_is_array(values) || !json_array_size(values) || !note) {
        sb_adds(err, "the shared_value check needs options.values (a list of {name, from, "
                     "fold_case}) and options.note");
        return -1;
    }
    if (!pairs || (strcmp(pairs, "any") && strcmp(pairs, "different-organizations"))) {
        sb_adds(err, "options.pairs must be any or different-organizations");
        return -1;
    }
    if (json_object_get(opt, "pattern") && (!pat || (strcmp(pat, "A") && strcmp(pat, "B")))) {
        sb_adds(err, "options.pattern must be A or B");
        return -1;
    }
    struct shared_opts *o = xcalloc(1, sizeof(*o));
    r->state = o;
    r->free_state = free_opts;
    o->different_orgs = !strcmp(pairs, "different-organizations");
    o->pattern = pat ? pat[0] : 0;
    o->note = xstrdup(note);
    o->v = xcalloc(json_array_size(values), sizeof(*o->v));
    size_t i;
    json_t *e;
    json_array_foreach(values, i, e)
    {
        const char *name = json_string_value(json_object_get(e, "name"));
        json_t *from = json_object_get(e, "from");
        json_t *fold = json_object_get(e, "fold_case");
        if (!name || !json_is_array(from) || !json_array_size(from) ||
            (fold && !json_is_boolean(fold)) || json_object_size(e) != 2u + (fold != NULL)) {
            sb_addf(err,
                    "options.values[%zu] needs 'name', 'from' (a list of sources) and "
                    "optionally 'fold_case' (true or false)",
                    i);
            return -1;
        }
        struct value_spec *v = &o->v[o->nv++];
        v->name = xstrdup(name);
        v->fold_case = json_is_true(fold);
        v->from = xcalloc(json_array_size(from), sizeof(*v->from));
        size_t k;
        json_t *s;
        json_array_foreach(from, k, s)
        {
            if (parse_source(s, &v->from[v->nfrom]) < 0) {
                sb_addf(err,
                        "options.values[%zu].from[%zu] must be {config: /POINTER} or "
                        "{in: flex-sso|flex-configuration|keywords, pointer: /POINTER}",
                        i, k);
                return -1;
            }
            v->nfrom++;
        }
    }
    return 0;
}

/* The document and the starting value a source reads from. */
static const struct doc *source_doc(const struct model *m, const struct tenant *t,
                                    const struct source_spec *s, json_t **from)
{
    const struct doc *d = NULL;
    *from = NULL;
    switch (s->in) {
    case IN_CONFIG:
        if (m->cfg->tenants_declared && t->cfg && t->cfg->node) {
            d = &m->cfg->doc;
            *from = t->cfg->node;
        }
        return d;
    case IN_SSO:
        d = t->sso;
        break;
    case IN_FLEXCONF:
        d = t->flexconf;
        break;
    case IN_KEYWORDS:
        for (size_t i = 0; i < t->ndocs && !d; i++)
            if (t->keywords_file >= 0 && t->docs[i]->file == t->keywords_file)
                d = t->docs[i];
        break;
    }
    if (d)
        *from = d->root;
    return d && d->root ? d : NULL;
}

static void add_decl(struct decls *ds, const struct doc *d, json_t *v, const struct loc *l)
{
    if (!json_is_string(v) || !json_string_length(v) || !l || (l->flags & LOC_UNKNOWN))
        return;
    ds->d = xrealloc(ds->d, (ds->n + 1) * sizeof(*ds->d));
    ds->d[ds->n++] = (struct decl){json_string_value(v), d->file, l->start, l->end};
}

/* A tenant's declarations of one value: from the first source that gives any. */
static void gather(const struct model *m, const struct tenant *t, const struct value_spec *vs,
                   struct decls *ds)
{
    for (size_t k = 0; k < vs->nfrom && !ds->n; k++) {
        json_t *from;
        const struct doc *d = source_doc(m, t, &vs->from[k], &from);
        const struct loc *l;
        int unknown;
        json_t *v = d ? doc_get(d, from, vs->from[k].pointer, &l, &unknown) : NULL;
        if (!v || unknown)
            continue;
        if (json_is_array(v)) {
            for (size_t i = 0; i < json_array_size(v); i++)
                add_decl(ds, d, json_array_get(v, i), doc_index(d, v, i));
        } else {
            add_decl(ds, d, v, l);
        }
    }
}

static int pair_counts(const struct shared_opts *o, const struct tenant *a, const struct tenant *b)
{
    if (o->different_orgs && org_same(a, b))
        return 0;
    if (o->pattern && !(a->cfg && a->cfg->pattern == o->pattern) &&
        !(b->cfg && b->cfg->pattern == o->pattern))
        return 0;
    return 1;
}

static int same(const struct value_spec *vs, const char *a, const char *b)
{
    return vs->fold_case ? !ascii_casecmp(a, b) : !strcmp(a, b);
}

static void report(int ri, const struct shared_opts *o, const struct value_spec *vs,
                   const struct tenant *t, const struct decl *at, const struct tenant *u,
                   const struct decl *first)
{
    struct finding *f = finding_add(ri, at->file, at->start, at->end, NULL);
    /* clang-format off */
    const char *kv[] = {"name", vs->name,
                        "value", at->s,
                        "tenant", tenant_label(t),
                        "org", org_label(t),
                        "other_tenant", tenant_label(u),
                        "other", org_label(u),
                        NULL};
    /* clang-format on */
    for (const char *const *p = kv; *p; p += 2)
        finding_arg(f, p[0], "%s", p[1]);
    finding_value(f, at->s, strlen(at->s), 0);
    finding_set_identity(f, t->index, NULL);
    struct strbuf sb = STRBUF_INIT;
    template_render(&sb, o->note, kv);
    finding_note(f, first->file, first->start, first->end, NULL, "%s", sb_str(&sb));
    sb_free(&sb);
}

static void finish_all(int ri, struct model *m)
{
    const struct shared_opts *o = rule_get(ri)->state;
    size_t nt = m->ntenants;
    struct decls *all = xcalloc(nt ? nt : 1, sizeof(*all));
    for (size_t vi = 0; vi < o->nv; vi++) {
        const struct value_spec *vs = &o->v[vi];
        for (size_t j = 0; j < nt; j++)
            gather(m, &m->tenants[j], vs, &all[j]);
        for (size_t j = 1; j < nt; j++)
            for (size_t e = 0; e < all[j].n; e++) {
                const struct decl *at = &all[j].d[e];
                for (size_t i = 0; i < j; i++) {
                    if (!pair_counts(o, &m->tenants[i], &m->tenants[j]))
                        continue;
                    size_t k;
                    for (k = 0; k < all[i].n && !same(vs, all[i].d[k].s, at->s); k++)
                        ;
                    if (k < all[i].n) {
                        report(ri, o, vs, &m->tenants[j], at, &m->tenants[i], &all[i].d[k]);
                        break;
                    }
                }
            }
        for (size_t j = 0; j < nt; j++) {
            free(all[j].d);
            all[j].d = NULL;
            all[j].n = 0;
        }
    }
    free(all);
}

const struct check_fn check_shared_value_fn = {"shared-value", prepare, NULL,
                                               NULL,           NULL,    finish_all};
