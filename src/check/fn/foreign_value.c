/* check/fn/foreign_value.c - the `foreign-value` check function (foreign-team): a user's
 * value that is one of the names another organization declares (a team attribute copied
 * from another organization's tenant). Options:
 *
 *   pointer: /app_metadata/flex/team   the value, relative to the user record (required)
 *   config: teams                      the tenant key of .ssolint.yaml that lists each
 *                                      tenant's names (a string or a list of strings)
 *   flex_configuration: /ui_attributes/custom_data/common/teams
 *                                      where the names are, for a tenant that declares
 *                                      none, in its Flex configuration
 *   fold: true                         compare after ASCII case folding and removing
 *                                      ' ', '_' and '-' (as team-case-mismatch does)
 *
 * Only the declared names (config, else Flex configuration) of the other tenants count,
 * not the values seen in their users: users are streamed tenant by tenant, and a value
 * in another tenant's users may itself be a copy. A value that the user's own tenant
 * also lists is not foreign. Template arguments: {value}, {other} (the organization),
 * {other_tenant}, {other_value} (its spelling), {org}, {tenant}.
 *
 * One cause, one finding: the reported value is claimed, so a later rule of the chain
 * (team-in-pattern-b) stays silent on it. Memory: the folded names of every tenant's
 * list, built in begin and freed in finish_all. */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/org.h"
#include "rules/finding.h"
#include "report/report.h"

struct names {
    char **folded;
    const char **orig; /* borrowed from the config or the Flex configuration */
    size_t n;
};

struct foreign_opts {
    char *pointer;
    char *config_key;
    char *flex_pointer;
    int fold;
    struct names *per_tenant; /* one per tenant of the run */
    size_t ntenants;
    const struct model *m;
};

static void free_names(struct foreign_opts *o)
{
    for (size_t i = 0; i < o->ntenants; i++) {
        for (size_t k = 0; k < o->per_tenant[i].n; k++)
            free(o->per_tenant[i].folded[k]);
        free(o->per_tenant[i].folded);
        free(o->per_tenant[i].orig);
    }
    free(o->per_tenant);
    o->per_tenant = NULL;
    o->ntenants = 0;
}

static void free_opts(void *p)
{
    struct foreign_opts *o = p;
    free_names(o);
    free(o->pointer);
    free(o->config_key);
    free(o->flex_pointer);
    free(o);
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    static const char *const known[] = {"pointer", "config", "flex_configuration", "fold", NULL};
    json_t *opt = r->options;
    if (options_known(opt, "foreign-value", known, err) < 0)
        return -1;
    const char *ptr = json_string_value(json_object_get(opt, "pointer"));
    const char *key = json_string_value(json_object_get(opt, "config"));
    const char *fp = json_string_value(json_object_get(opt, "flex_configuration"));
    json_t *fold = json_object_get(opt, "fold");
    if (!ptr || ptr[0] != '/' || (!key && !fp)) {
        sb_adds(err, "the foreign_value check needs options.pointer (/a/b) and 'config' "
                     "(a tenant key) or 'flex_configuration' (a JSON pointer)");
        return -1;
    }
    if ((fp && fp[0] != '/') || (fold && !json_is_boolean(fold))) {
        sb_adds(err, "options.flex_configuration must be a JSON pointer and options.fold "
                     "true or false");
        return -1;
    }
    struct foreign_opts *o = xcalloc(1, sizeof(*o));
    o->pointer = xstrdup(ptr);
    o->config_key = key ? xstrdup(key) : NULL;
    o->flex_pointer = fp ? xstrdup(fp) : NULL;
    o->fold = json_is_true(fold);
    r->state = o;
    r->free_state = free_opts;
    return 0;
}

static void add_name(struct names *nm, const char *s, int fold)
{
    nm->folded = xrealloc(nm->folded, (nm->n + 1) * sizeof(*nm->folded));
    nm->orig = xrealloc(nm->orig, (nm->n + 1) * sizeof(*nm->orig));
    nm->folded[nm->n] = fold ? fold_copy(s, strlen(s), 1) : xstrdup(s);
    nm->orig[nm->n] = s;
    nm->n++;
}

/* The tenant's declared names: its config list, else its Flex configuration's. */
static void collect(const struct foreign_opts *o, const struct tenant *t, struct names *nm)
{
    json_t *list = NULL;
    const struct doc *d = NULL;
    if (o->config_key && t->cfg && t->cfg->node)
        list = json_object_get(t->cfg->node, o->config_key);
    if (json_is_string(list)) {
        add_name(nm, json_string_value(list), o->fold);
        return;
    }
    if (!json_is_array(list) && o->flex_pointer && t->flexconf && t->flexconf->root) {
        const struct loc *l;
        int unknown;
        list = doc_get(t->flexconf, t->flexconf->root, o->flex_pointer, &l, &unknown);
        if (unknown)
            return;
        d = t->flexconf;
    }
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        const struct loc *el = d ? doc_index(d, list, i) : NULL;
        if (json_is_string(e) && json_string_length(e) && !(el && (el->flags & LOC_UNKNOWN)))
            add_name(nm, json_string_value(e), o->fold);
    }
}

static void begin(int ri, struct model *m)
{
    struct foreign_opts *o = rule_get(ri)->state;
    free_names(o);
    o->m = m;
    o->ntenants = m->ntenants;
    o->per_tenant = xcalloc(m->ntenants ? m->ntenants : 1, sizeof(*o->per_tenant));
    for (size_t i = 0; i < m->ntenants; i++)
        collect(o, &m->tenants[i], &o->per_tenant[i]);
}

/* Index of key in nm, -1 when absent. */
static long find(const struct names *nm, const char *key)
{
    for (size_t k = 0; k < nm->n; k++)
        if (!strcmp(nm->folded[k], key))
            return (long)k;
    return -1;
}

static void record(int ri, const struct record *rec)
{
    const struct foreign_opts *o = rule_get(ri)->state;
    const struct tenant *t = rec->t;
    if (!t || !o->per_tenant || (size_t)t->index >= o->ntenants)
        return;
    const struct loc *l;
    int unknown;
    json_t *v = record_get(rec, o->pointer, &l, &unknown);
    if (!json_is_string(v) || !json_string_length(v) || unknown || !l || (l->flags & LOC_UNKNOWN) ||
        claimed(rec->doc->file, l->start))
        return;
    const char *s = json_string_value(v);
    char *key = o->fold ? fold_copy(s, json_string_length(v), 1) : xstrdup(s);
    const struct tenant *owner = NULL;
    long at = -1;
    if (find(&o->per_tenant[t->index], key) < 0)
        for (size_t i = 0; i < o->ntenants && !owner; i++) {
            const struct tenant *u = &o->m->tenants[i];
            if (!org_same(t, u) && (at = find(&o->per_tenant[i], key)) >= 0)
                owner = u;
        }
    free(key);
    if (!owner)
        return;
    claim(rec->doc->file, l->start);
    struct finding *f = finding_add(ri, rec->doc->file, l->start, l->end, rec->win);
    finding_arg(f, "other", "%s", org_label(owner));
    finding_arg(f, "other_tenant", "%s", tenant_label(owner));
    finding_arg(f, "other_value", "%s", o->per_tenant[owner->index].orig[at]);
    finding_arg(f, "org", "%s", org_label(t));
    finding_arg(f, "tenant", "%s", tenant_label(t));
    finding_value(f, s, json_string_length(v), 0);
    finding_set_identity(f, t->index, rec->identity);
}

static void finish_all(int ri, struct model *m)
{
    (void)m;
    free_names(rule_get(ri)->state);
}

const struct check_fn check_foreign_value_fn = {"foreign-value", prepare, begin,
                                                record,          NULL,    finish_all};
