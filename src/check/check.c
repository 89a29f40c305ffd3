/* check/check.c - the check stage: the table of check functions, the dispatch of records to
 * rules by scope (input rules first, so that a value with wrong-type is claimed before
 * any later rule looks at it), the users stream, and the claims set behind "one cause,
 * one finding". */
#include "check/check.h"

#include <stdlib.h>
#include <string.h>

#include "check/value_index.h"
#include "rules/finding.h"
#include "load/users.h"
#include "report/report.h"
#include "rules/stats.h"

extern const struct check_fn check_loader_fn, check_type_fn;
extern const struct check_fn *const check_group_roles[], *const check_group_teams[],
    *const check_group_actions[], *const check_group_saml[], *const check_group_flex[],
    *const check_group_pattern[], *const check_group_workers[], *const check_group_secrets[];

static const struct check_fn *const core[] = {&check_loader_fn, &check_type_fn, NULL};

/* Each group file registers its functions in a NULL-terminated table. */
static const struct check_fn *const *const tables[] = {
    core, check_group_roles, check_group_teams, check_group_actions, check_group_saml,
    check_group_flex, check_group_pattern, check_group_workers, check_group_secrets, NULL,
};

const struct check_fn *check_find(const char *name)
{
    for (const struct check_fn *const *const *t = tables; *t; t++)
        for (const struct check_fn *const *c = *t; *c; c++)
            if (!strcmp((*c)->name, name))
                return *c;
    return NULL;
}

static const char *const kind_names[REC_KIND_COUNT] = {
    [REC_USER] = "users",          [REC_CLIENT] = "clients",
    [REC_ACTION] = "actions",      [REC_TRIGGERS] = "triggers",
    [REC_TENANT] = "tenant",       [REC_FLEX_SSO] = "flex-sso",
    [REC_FLEX_CONFIG] = "flex-configuration", [REC_WORKER] = "workers",
};

int rec_kind_parse(const char *s)
{
    for (int i = 0; i < REC_KIND_COUNT; i++)
        if (!strcmp(kind_names[i], s))
            return i;
    return -1;
}

/* Does a rule of this scope visit records of this kind? */
static int scope_visits(const char *scope, enum rec_kind k)
{
    if (!strcmp(scope, "files"))
        return 1;
    switch (k) {
    case REC_USER: return !strcmp(scope, "users");
    case REC_CLIENT: return !strcmp(scope, "clients");
    case REC_ACTION: return !strcmp(scope, "actions") || !strcmp(scope, "code");
    case REC_FLEX_SSO:
    case REC_FLEX_CONFIG: return !strcmp(scope, "flex");
    case REC_WORKER: return !strcmp(scope, "workers");
    default: return 0;
    }
}

/* ---- claims: (file, offset) pairs already reported ---- */

static uint64_t *claims;
static size_t nclaims, capclaims, usedclaims;

/* One bit per claim's hash, in front of the table: nearly every lookup is for a value
 * nobody claimed, and at a million users the table (8 bytes a slot, twice the claims)
 * no longer stays in the cache while the 128 KB filter does. */
#define FILTER_BITS (1u << 20)
static uint64_t *filter;

static size_t filter_bit(uint64_t k)
{
    return (size_t)((k * 0xff51afd7ed558ccdull) >> 44); /* the top 20 bits */
}

static uint64_t claim_key(int file, uint64_t off)
{
    return ((uint64_t)(uint32_t)file << 40) ^ off ^ 0x8000000000000000ull;
}

static size_t claim_slot(uint64_t k)
{
    uint64_t h = k * 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h >> 20) & (capclaims - 1);
    while (claims[i] && claims[i] != k)
        i = (i + 1) & (capclaims - 1);
    return i;
}

void claim(int file, uint64_t off)
{
    if ((usedclaims + 1) * 2 > capclaims) {
        uint64_t *old = claims;
        size_t oldcap = capclaims;
        capclaims = capclaims ? capclaims * 2 : 256;
        claims = xcalloc(capclaims, sizeof(*claims));
        for (size_t i = 0; i < oldcap; i++)
            if (old[i])
                claims[claim_slot(old[i])] = old[i];
        free(old);
    }
    uint64_t k = claim_key(file, off);
    if (!filter)
        filter = xcalloc(FILTER_BITS / 64, sizeof(*filter));
    size_t b = filter_bit(k);
    filter[b / 64] |= 1ull << (b % 64);
    size_t i = claim_slot(k);
    if (!claims[i]) {
        claims[i] = k;
        usedclaims++;
    }
    nclaims = usedclaims;
}

int claimed(int file, uint64_t off)
{
    if (!capclaims)
        return 0;
    uint64_t k = claim_key(file, off);
    size_t b = filter_bit(k);
    if (!(filter[b / 64] & (1ull << (b % 64))))
        return 0;
    return claims[claim_slot(k)] == k;
}

void claims_free(void)
{
    free(claims);
    claims = NULL;
    free(filter);
    filter = NULL;
    nclaims = capclaims = usedclaims = 0;
}

/* ---- JSON pointers ---- */

json_t *record_get(const struct record *rec, const char *pointer, const struct loc **l,
                   int *unknown)
{
    json_t *cur = rec->obj;
    const struct loc *cl = NULL;
    if (l)
        *l = NULL;
    if (unknown)
        *unknown = 0;
    const char *p = pointer;
    while (*p == '/') {
        p++;
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char key[256];
        if (n >= sizeof(key))
            return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        if (json_is_object(cur)) {
            cl = doc_key(rec->doc, cur, key);
            cur = json_object_get(cur, key);
        } else if (json_is_array(cur)) {
            char *end;
            unsigned long i = strtoul(key, &end, 10);
            if (*end)
                return NULL;
            cl = doc_index(rec->doc, cur, i);
            cur = json_array_get(cur, i);
        } else {
            return NULL;
        }
        if (!cur)
            return NULL;
        if (cl && (cl->flags & LOC_UNKNOWN)) {
            if (unknown)
                *unknown = 1;
            if (l)
                *l = cl;
            return cur;
        }
        p += n;
    }
    if (l)
        *l = cl;
    return cur;
}

/* ---- dispatch ---- */

static int *order;   /* rule indices, input group first */
static size_t norder;

/* The dispatch plan, built once: for each record kind, the rules whose scope visits it,
 * in order, with their check function already looked up (dispatch runs per user: a
 * lookup by name there cost a quarter of a 1M-user run). `when` is evaluated per tenant
 * and cached while the tenant stays the same. */
struct step {
    int ri;
    const struct check_fn *cf;
    const struct rule *r;
    int users_scope; /* scope "users": only the tenant's Flex users */
    int applies;     /* rule_applies for plan_tenant */
};
static struct step *plan[REC_KIND_COUNT];
static size_t nplan[REC_KIND_COUNT];
static const struct tenant *plan_tenant[REC_KIND_COUNT];

static void build_order(void)
{
    int n = rule_count();
    order = xcalloc((size_t)n + 1, sizeof(*order));
    norder = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n; i++) {
            int input = !strcmp(rule_get(i)->group, "input");
            if ((pass == 0) == input && rule_on(i))
                order[norder++] = i;
        }
    for (int k = 0; k < REC_KIND_COUNT; k++) {
        plan[k] = xcalloc(norder + 1, sizeof(*plan[k]));
        nplan[k] = 0;
        plan_tenant[k] = NULL;
        for (size_t j = 0; j < norder; j++) {
            const struct rule *r = rule_get(order[j]);
            const struct check_fn *cf = check_find(r->check);
            if (!cf->record || !scope_visits(r->scope, (enum rec_kind)k))
                continue;
            struct step *s = &plan[k][nplan[k]++];
            s->ri = order[j];
            s->cf = cf;
            s->r = r;
            s->users_scope = k == REC_USER && !strcmp(r->scope, "users");
        }
    }
}

static void free_order(void)
{
    free(order);
    order = NULL;
    for (int k = 0; k < REC_KIND_COUNT; k++) {
        free(plan[k]);
        plan[k] = NULL;
        nplan[k] = 0;
    }
}

int rule_applies(const struct rule *r, const struct tenant *t)
{
    if (!r->when)
        return 1;
    const char *p = json_string_value(json_object_get(r->when, "pattern"));
    if (p) {
        if (!t || !t->cfg || !t->cfg->pattern)
            return 0; /* a pattern rule needs a declared pattern */
        if (t->cfg->pattern != p[0])
            return 0;
    }
    return 1;
}

/* Is the user one of the tenant's Flex users (config auth0.flex_users)? */
static int flex_user(const struct tenant *t, json_t *u)
{
    const struct cfg_tenant *c = t->cfg;
    if (!c || c->flex_users == FLEX_USERS_ALL)
        return 1;
    json_t *am = json_object_get(u, "app_metadata");
    if (c->flex_users == FLEX_USERS_WITH_FLEX)
        return json_is_object(am) && json_object_get(am, "flex") != NULL;
    json_t *ids = json_object_get(u, "identities");
    size_t i;
    json_t *id;
    json_array_foreach(ids, i, id) {
        const char *conn = json_string_value(json_object_get(id, "connection"));
        for (size_t k = 0; conn && k < c->flex_users_connections.n; k++)
            if (!strcmp(conn, c->flex_users_connections.v[k]))
                return 1;
    }
    return 0;
}

static void dispatch(const struct record *rec)
{
    struct step *steps = plan[rec->kind];
    size_t n = nplan[rec->kind];
    if (plan_tenant[rec->kind] != rec->t || !plan_tenant[rec->kind]) {
        for (size_t k = 0; k < n; k++)
            steps[k].applies = rule_applies(steps[k].r, rec->t);
        plan_tenant[rec->kind] = rec->t;
    }
    int is_flex_user = -1;
    for (size_t k = 0; k < n; k++) {
        const struct step *s = &steps[k];
        if (!s->applies)
            continue;
        if (s->users_scope) {
            if (is_flex_user < 0)
                is_flex_user = flex_user(rec->t, rec->obj);
            if (!is_flex_user)
                continue;
        }
        if (stats_on) { /* --stats: the rule's share of the check stage */
            uint64_t t0 = stats_clock();
            s->cf->record(s->ri, rec);
            stats_rule_add(s->ri, stats_clock() - t0);
        } else {
            s->cf->record(s->ri, rec);
        }
    }
}

static void visit_item(struct tenant *t, enum rec_kind kind, const struct item *it)
{
    if (!it->doc || !it->obj)
        return;
    struct record rec = {kind, t, it->doc, it->obj, NULL, it->name, it->pointer, NULL};
    dispatch(&rec);
}

static void visit_doc(struct tenant *t, enum rec_kind kind, const struct doc *d)
{
    if (!d || !d->root)
        return;
    struct record rec = {kind, t, d, d->root, NULL, NULL, "", NULL};
    dispatch(&rec);
}

struct user_ctx {
    struct tenant *t;
};

static int on_user(void *ctx, const struct user_rec *u)
{
    struct user_ctx *uc = ctx;
    struct record rec = {REC_USER, uc->t, u->doc, u->doc->root, u->win,
                         user_identity(u->doc->root), "", NULL};
    dispatch(&rec);
    return 0;
}

static void visit_users(struct model *m, struct tenant *t)
{
    for (size_t i = 0; i < t->nusers; i++) {
        int file = t->users[i];
        struct user_ctx uc = {t};
        struct diagctx dc = {file};
        struct users_stats st;
        memset(&st, 0, sizeof(st));
        if (users_stream(file, on_user, &uc, model_diag, &dc, &st) < 0)
            m->io_errors++;
    }
}

int check_run(struct model *m)
{
    build_order();
    secrets_mask(m);
    for (size_t k = 0; k < norder; k++) {
        const struct check_fn *cf = check_find(rule_get(order[k])->check);
        uint64_t t0 = stats_on ? stats_clock() : 0;
        if (cf->begin)
            cf->begin(order[k], m);
        if (stats_on)
            stats_rule_add(order[k], stats_clock() - t0);
    }
    for (size_t ti = 0; ti < m->ntenants; ti++) {
        struct tenant *t = &m->tenants[ti];
        if (t->layout == EXPORT_DIRECTORY && t->root_file >= 0 && t->ndocs)
            for (size_t k = 0; k < t->ndocs; k++)
                if (t->docs[k]->file == t->root_file)
                    visit_doc(t, REC_TENANT, t->docs[k]);
        for (size_t k = 0; k < t->nclients; k++)
            visit_item(t, REC_CLIENT, &t->clients[k]);
        for (size_t k = 0; k < t->nactions; k++)
            visit_item(t, REC_ACTION, &t->actions[k].it);
        visit_item(t, REC_TRIGGERS, &t->triggers);
        visit_doc(t, REC_FLEX_SSO, t->sso);
        visit_doc(t, REC_FLEX_CONFIG, t->flexconf);
        for (size_t k = 0; k < t->nwk; k++) {
            struct worker *w = &t->wk[k];
            struct record rec = {REC_WORKER, t, t->workers, w->obj, NULL, NULL, w->pointer, w};
            dispatch(&rec);
        }
        visit_users(m, t);
        for (size_t k = 0; k < norder; k++) {
            const struct rule *r = rule_get(order[k]);
            const struct check_fn *cf = check_find(r->check);
            uint64_t t0 = stats_on ? stats_clock() : 0;
            if (cf->finish && rule_applies(r, t))
                cf->finish(order[k], t);
            if (stats_on)
                stats_rule_add(order[k], stats_clock() - t0);
        }
        vindex_clear_all(); /* the tenant's field indexes: only finish reads them */
    }
    for (size_t k = 0; k < norder; k++) {
        const struct check_fn *cf = check_find(rule_get(order[k])->check);
        uint64_t t0 = stats_on ? stats_clock() : 0;
        if (cf->finish_all)
            cf->finish_all(order[k], m);
        if (stats_on)
            stats_rule_add(order[k], stats_clock() - t0);
    }
    free_order();
    return 0;
}
