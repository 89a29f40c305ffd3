/* check/fn/email_domain.c - the `email-domain` check function (foreign-user): a user
 * whose email domain is not one of the tenant's `email_domains` (config). Options:
 *
 *   pointer: /email       the email, relative to the user record (required)
 *   subdomains: false     true: a subdomain of a listed domain counts as listed
 *   variants:             the wording (check/org.h) of the two situations:
 *     other_organization    the domain is listed by a tenant of another organization
 *     outside               no declared tenant lists it
 *
 * Template arguments: {value} (the email), {domain}, {org} and {tenant} (the user's
 * tenant), {other} and {other_tenant} (the organization that lists the domain). A tenant
 * that declares no email_domains is not judged; unknown values never are. The finding
 * points at the email string. Memory: nothing outlives a record. */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/org.h"
#include "rules/finding.h"
#include "report/report.h"

struct domain_opts {
    char *pointer;
    int subdomains;
    json_t *opts; /* borrowed from the rule: the variants */
};

static const struct model *the_model;
static const char *const variant_names[] = {"other_organization", "outside", NULL};

static void free_opts(void *p)
{
    struct domain_opts *o = p;
    free(o->pointer);
    free(o);
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    static const char *const known[] = {"pointer", "subdomains", "variants", NULL};
    if (options_known(r->options, "email-domain", known, err) < 0)
        return -1;
    const char *ptr = json_string_value(json_object_get(r->options, "pointer"));
    json_t *sub = json_object_get(r->options, "subdomains");
    if (!ptr || ptr[0] != '/') {
        sb_adds(err, "the email_domain check needs options.pointer, the email's JSON pointer");
        return -1;
    }
    if (sub && !json_is_boolean(sub)) {
        sb_adds(err, "options.subdomains must be true or false");
        return -1;
    }
    if (variants_prepare(r->options, "email-domain", variant_names, err) < 0)
        return -1;
    struct domain_opts *o = xcalloc(1, sizeof(*o));
    o->pointer = xstrdup(ptr);
    o->subdomains = json_is_true(sub);
    o->opts = r->options;
    r->state = o;
    r->free_state = free_opts;
    return 0;
}

static void begin(int ri, struct model *m)
{
    (void)ri;
    the_model = m;
}

/* Is domain d one of list l (or, with sub, below one of them)? */
static int listed(const struct cfg_list *l, const char *d, int sub)
{
    size_t dn = strlen(d);
    for (size_t i = 0; i < l->n; i++) {
        const char *e = l->v[i];
        size_t en = strlen(e);
        if (!ascii_casecmp(d, e))
            return 1;
        if (sub && dn > en + 1 && d[dn - en - 1] == '.' && !ascii_casecmp(d + dn - en, e))
            return 1;
    }
    return 0;
}

static void record(int ri, const struct record *rec)
{
    const struct domain_opts *o = rule_get(ri)->state;
    const struct tenant *t = rec->t;
    if (!t || !t->cfg || !t->cfg->email_domains.node || !t->cfg->email_domains.n)
        return;
    const struct loc *l;
    int unknown;
    json_t *v = record_get(rec, o->pointer, &l, &unknown);
    if (!json_is_string(v) || unknown || !l || (l->flags & LOC_UNKNOWN) ||
        claimed(rec->doc->file, l->start))
        return;
    const char *email = json_string_value(v);
    const char *at = strrchr(email, '@');
    if (!at || !at[1] || listed(&t->cfg->email_domains, at + 1, o->subdomains))
        return;
    const struct tenant *owner = NULL;
    for (size_t i = 0; i < the_model->ntenants && !owner; i++) {
        const struct tenant *u = &the_model->tenants[i];
        if (!org_same(t, u) && u->cfg && listed(&u->cfg->email_domains, at + 1, o->subdomains))
            owner = u;
    }
    struct finding *f = finding_add(ri, rec->doc->file, l->start, l->end, rec->win);
    /* clang-format off */
    const char *kv[] = {"value", email,
                        "domain", at + 1,
                        "org", org_label(t),
                        "tenant", tenant_label(t),
                        "other", owner ? org_label(owner) : "",
                        "other_tenant", owner ? tenant_label(owner) : "",
                        NULL};
    /* clang-format on */
    variants_apply(f, o->opts, owner ? "other_organization" : "outside", kv);
    finding_arg(f, "domain", "%s", at + 1);
    finding_arg(f, "org", "%s", org_label(t));
    finding_value(f, email, json_string_length(v), 0);
    finding_set_identity(f, t->index, rec->identity);
}

const struct check_fn check_email_domain_fn = {"email-domain", prepare, begin, record, NULL, NULL};
