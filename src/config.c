/* config.c - `.ssolint.yaml` (../shared/spec/config.md): found upward from a directory,
 * read with the YAML loader and validated key by key. Every problem of the file is
 * collected with its offset and printed in file order as FILE:LINE:COL: error: MESSAGE,
 * so one run shows them all. The parsed document stays in the config: later stages
 * point findings at its values. Printing lives in config_print.c. */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "load_yaml.h"
#include "util.h"

static const char *const top_keys[] = {"version", "roles", "cert_warn_days", "rules_dir",
                                       "tenants", "rules", "ignore",         NULL};
static const char *const tenant_keys[] = {"name",      "organization",  "pattern",
                                          "rationale", "email_domains", "teams",
                                          "auth0",     "flex",          NULL};
static const char *const auth0_keys[] = {"domain",       "export",      "users",
                                         "keywords",     "flex_client", "flex_action",
                                         "signing_cert", "flex_users",  NULL};
static const char *const flex_keys[] = {"style", "region", "sso", "configuration", "workers", NULL};
static const char *const ignore_keys[] = {"rule",   "reason", "tenant", "path",  "user", "client",
                                          "action", "value",  "until",  "owner", NULL};
static const char *const styles[] = {"iam-v2", "enhanced", "legacy", NULL};

/* One located error, printed after the whole file has been checked. */
struct cerr {
    uint64_t off;
    size_t seq;
    char *msg;
};

/* The validation pass: the config being filled and the errors found so far. */
struct cv {
    struct config *cfg;
    struct cerr *e;
    size_t ne, cape;
};

static void verr(struct cv *v, uint64_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void verr(struct cv *v, uint64_t off, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    GROW(v->e, v->cape, v->ne + 1);
    v->e[v->ne] = (struct cerr){off, v->ne, sb_detach(&sb)};
    v->ne++;
}

static int cmp_cerr(const void *a, const void *b)
{
    const struct cerr *x = a, *y = b;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* s made safe to show inside a message (escaped, cut). New string. */
static char *disp(const char *s)
{
    struct strbuf sb = STRBUF_INIT;
    sb_add_display(&sb, s, strlen(s), 60);
    return sb_detach(&sb);
}

/* ---- positions -------------------------------------------------------------------- */

static uint64_t key_off(const struct cv *v, const json_t *obj, const char *key)
{
    const struct loc *l = doc_key(&v->cfg->doc, obj, key);
    return l ? l->key : v->cfg->doc.root_loc.start;
}

static uint64_t val_off(const struct cv *v, const json_t *obj, const char *key)
{
    const struct loc *l = doc_key(&v->cfg->doc, obj, key);
    return l ? l->start : v->cfg->doc.root_loc.start;
}

static uint64_t idx_off(const struct cv *v, const json_t *arr, size_t i)
{
    const struct loc *l = doc_index(&v->cfg->doc, arr, i);
    return l ? l->start : v->cfg->doc.root_loc.start;
}

/* ---- typed members ---------------------------------------------------------------- */

static const char *quote_hint(const json_t *x)
{
    return json_is_number(x) || json_is_boolean(x) ? " (quote it)" : "";
}

static int in_list(const char *s, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(s, list[i]))
            return 1;
    return 0;
}

/* The entry of list within edit distance 2 of s (the nearest), or NULL. */
static const char *near_miss(const char *s, const char *const *list)
{
    const char *best = NULL;
    size_t bd = 3;
    for (size_t i = 0; list[i]; i++) {
        size_t d = edit_distance(s, list[i], 2);
        if (d < bd) {
            bd = d;
            best = list[i];
        }
    }
    return best;
}

/* A key that is valid elsewhere: say where it belongs. */
static void add_home(struct strbuf *sb, const char *k)
{
    static const struct {
        const char *const *keys;
        const char *where;
    } homes[] = {{top_keys, "the top level"},
                 {tenant_keys, "a tenant"},
                 {auth0_keys, "'auth0'"},
                 {flex_keys, "'flex'"},
                 {ignore_keys, "an ignore entry"}};
    for (size_t i = 0; i < sizeof(homes) / sizeof(homes[0]); i++)
        if (in_list(k, homes[i].keys)) {
            sb_addf(sb, "; it belongs in %s", homes[i].where);
            return;
        }
}

static void check_keys(struct cv *v, json_t *obj, const char *const *keys, const char *section)
{
    for (void *it = json_object_iter(obj); it; it = json_object_iter_next(obj, it)) {
        const char *k = json_object_iter_key(it);
        if (in_list(k, keys))
            continue;
        struct strbuf sb = STRBUF_INIT;
        const char *dym = near_miss(k, keys);
        char *d = disp(k);
        sb_addf(&sb, "unknown key '%s'", d);
        if (section)
            sb_addf(&sb, " in '%s'", section);
        if (dym)
            sb_addf(&sb, "; did you mean '%s'?", dym);
        else
            add_home(&sb, k);
        verr(v, key_off(v, obj, k), "%s", sb.buf);
        sb_free(&sb);
        free(d);
    }
}

/* obj[key] when present and not null. */
static json_t *member(const json_t *obj, const char *key)
{
    json_t *x = json_object_get(obj, key);
    return json_is_null(x) ? NULL : x;
}

/* A string member: 1 set, 0 absent, -1 wrong type (reported). */
static int want_str(struct cv *v, json_t *obj, const char *key, char **out, json_t **node)
{
    json_t *x = member(obj, key);
    if (!x)
        return 0;
    if (!json_is_string(x)) {
        verr(v, val_off(v, obj, key), "'%s' must be a string%s", key, quote_hint(x));
        return -1;
    }
    *out = xstrdup(json_string_value(x));
    if (node)
        *node = x;
    return 1;
}

/* A list of strings (or, when single_ok, one string): 1 set, 0 absent, -1 reported. */
static int want_list(struct cv *v, json_t *obj, const char *key, int single_ok,
                     struct cfg_list *out)
{
    json_t *x = member(obj, key);
    if (!x)
        return 0;
    if (json_is_string(x) && single_ok) {
        out->v = xcalloc(1, sizeof(char *));
        out->v[0] = xstrdup(json_string_value(x));
        out->n = 1;
        out->node = x;
        return 1;
    }
    const char *what = single_ok ? "a string or a list of strings" : "a list of strings";
    if (!json_is_array(x)) {
        verr(v, val_off(v, obj, key), "'%s' must be %s", key, what);
        return -1;
    }
    int ok = 1;
    for (size_t i = 0; i < json_array_size(x); i++) {
        json_t *e = json_array_get(x, i);
        if (!json_is_string(e)) {
            verr(v, idx_off(v, x, i), "'%s' must be %s%s", key, what, quote_hint(e));
            ok = 0;
        }
    }
    if (!ok)
        return -1;
    out->n = json_array_size(x);
    out->v = xcalloc(out->n ? out->n : 1, sizeof(char *));
    for (size_t i = 0; i < out->n; i++)
        out->v[i] = xstrdup(json_string_value(json_array_get(x, i)));
    out->node = x;
    return 1;
}

/* A mapping member (NULL when absent or reported). */
static json_t *want_map(struct cv *v, json_t *obj, const char *key)
{
    json_t *x = member(obj, key);
    if (x && !json_is_object(x)) {
        verr(v, val_off(v, obj, key), "'%s' must be a mapping", key);
        return NULL;
    }
    return x;
}

/* A path relative to the config's directory, as the rest of ssolint opens it. */
static char *resolve(const struct config *cfg, const char *p)
{
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    char *r = (p[0] == '/' || !strcmp(cfg->root, ".")) ? xstrdup(*p ? p : ".")
                                                       : xasprintf("%s/%s", cfg->root, p);
    size_t n = strlen(r);
    while (n > 1 && r[n - 1] == '/')
        r[--n] = '\0';
    return r;
}

static int want_path(struct cv *v, json_t *obj, const char *key, char **out, json_t **node)
{
    char *s = NULL;
    int rc = want_str(v, obj, key, &s, node);
    if (rc > 0) {
        if (!*s) {
            verr(v, val_off(v, obj, key), "'%s' must not be empty", key);
            rc = -1;
        } else {
            *out = resolve(v->cfg, s);
        }
    }
    free(s);
    return rc;
}

/* A string that must be one of list; reported with a near miss when one is close. */
static int want_enum(struct cv *v, json_t *obj, const char *key, const char *const *list,
                     const char *expect, char **out)
{
    int rc = want_str(v, obj, key, out, NULL);
    if (rc > 0 && !in_list(*out, list)) {
        const char *dym = near_miss(*out, list);
        verr(v, val_off(v, obj, key), "'%s' must be %s%s%s%s", key, expect,
             dym ? "; did you mean '" : "", dym ? dym : "", dym ? "'?" : "");
        free(*out);
        *out = NULL;
        rc = -1;
    }
    return rc;
}

/* ---- tenants ---------------------------------------------------------------------- */

/* Team names are one name when equal after ASCII case folding without ' ', '_', '-'. */
static char *team_fold(const char *s)
{
    char *f = xmalloc(strlen(s) + 1), *o = f;
    for (; *s; s++)
        if (*s != ' ' && *s != '_' && *s != '-')
            *o++ = (*s >= 'A' && *s <= 'Z') ? (char)(*s - 'A' + 'a') : *s;
    *o = '\0';
    return f;
}

/* Two spellings of one folded name: reported at the later one. A repeated spelling is
 * not a second spelling. */
static void check_teams(struct cv *v, const struct cfg_list *teams)
{
    char **fold = xcalloc(teams->n ? teams->n : 1, sizeof(char *));
    for (size_t i = 0; i < teams->n; i++) {
        size_t k, other = i;
        fold[i] = team_fold(teams->v[i]);
        for (k = 0; k < i && strcmp(teams->v[i], teams->v[k]); k++)
            if (other == i && !strcmp(fold[i], fold[k]))
                other = k;
        if (k < i || other == i)
            continue;
        char *a = disp(teams->v[i]), *b = disp(teams->v[other]);
        verr(v, idx_off(v, teams->node, i),
             "team '%s' is another spelling of '%s' (names may not differ only in case, "
             "spaces, '_' or '-')",
             a, b);
        free(a);
        free(b);
    }
    for (size_t i = 0; i < teams->n; i++)
        free(fold[i]);
    free(fold);
}

static int bad_host(const char *s)
{
    return !*s || strpbrk(s, "@/: \t") != NULL;
}

/* Domains are bare host names: no scheme, path, port or '@'. */
static void check_hosts(struct cv *v, json_t *obj, const char *key, const struct cfg_list *l,
                        const char *example)
{
    for (size_t i = 0; i < l->n; i++)
        if (bad_host(l->v[i]))
            verr(v, json_is_array(l->node) ? idx_off(v, l->node, i) : val_off(v, obj, key),
                 "'%s' must name a domain like %s", key, example);
}

static void parse_flex_users(struct cv *v, json_t *auth0, struct cfg_tenant *t)
{
    json_t *x = member(auth0, "flex_users");
    const char *msg = "'flex_users' must be all, with-flex or a list of connection names";
    if (!x)
        return;
    if (json_is_string(x)) {
        if (!strcmp(json_string_value(x), "all"))
            t->flex_users = FLEX_USERS_ALL;
        else if (!strcmp(json_string_value(x), "with-flex"))
            t->flex_users = FLEX_USERS_WITH_FLEX;
        else
            verr(v, val_off(v, auth0, "flex_users"), "%s", msg);
        return;
    }
    if (json_is_array(x) && !json_array_size(x)) {
        verr(v, val_off(v, auth0, "flex_users"), "%s", msg);
        return;
    }
    if (want_list(v, auth0, "flex_users", 0, &t->flex_users_connections) > 0)
        t->flex_users = FLEX_USERS_CONNECTIONS;
}

static void parse_auth0(struct cv *v, json_t *a, struct cfg_tenant *t)
{
    check_keys(v, a, auth0_keys, "auth0");
    if (want_list(v, a, "domain", 1, &t->domains) > 0) {
        t->domain_node = t->domains.node;
        check_hosts(v, a, "domain", &t->domains, "example.us.auth0.com");
    }
    want_path(v, a, "export", &t->export_path, &t->export_node);
    if (want_list(v, a, "users", 1, &t->users) > 0)
        for (size_t i = 0; i < t->users.n; i++) {
            char *r = resolve(v->cfg, t->users.v[i]);
            free(t->users.v[i]);
            t->users.v[i] = r;
        }
    want_path(v, a, "keywords", &t->keywords, &t->keywords_node);
    want_str(v, a, "flex_client", &t->flex_client, &t->flex_client_node);
    want_str(v, a, "flex_action", &t->flex_action, &t->flex_action_node);
    want_path(v, a, "signing_cert", &t->signing_cert, &t->signing_cert_node);
    parse_flex_users(v, a, t);
}

static void parse_flex(struct cv *v, json_t *f, struct cfg_tenant *t)
{
    char *region = NULL;
    check_keys(v, f, flex_keys, "flex");
    want_enum(v, f, "style", styles, "iam-v2, enhanced or legacy", &t->style);
    if (want_str(v, f, "region", &region, NULL) > 0) {
        /* it becomes part of a host name */
        if (!*region || strspn(region, "abcdefghijklmnopqrstuvwxyz0123456789-") < strlen(region)) {
            verr(v, val_off(v, f, "region"), "'region' must be a Twilio region such as us1");
            free(region);
        } else {
            free(t->region);
            t->region = region;
        }
    }
    want_path(v, f, "sso", &t->sso, &t->sso_node);
    want_path(v, f, "configuration", &t->configuration, &t->configuration_node);
    want_path(v, f, "workers", &t->workers, &t->workers_node);
}

static void parse_tenant(struct cv *v, json_t *tl, size_t i, struct cfg_tenant *t)
{
    json_t *e = json_array_get(tl, i), *m;
    char *pattern = NULL;
    t->region = xstrdup("us1");
    if (!json_is_object(e)) {
        verr(v, idx_off(v, tl, i), "a tenant must be a mapping");
        return;
    }
    t->node = e;
    check_keys(v, e, tenant_keys, NULL);
    if (want_str(v, e, "name", &t->name, NULL) > 0 && !*t->name)
        verr(v, val_off(v, e, "name"), "'name' must not be empty");
    else if (!member(e, "name"))
        verr(v, idx_off(v, tl, i), "tenant entry needs 'name'");
    want_str(v, e, "organization", &t->organization, &t->organization_node);
    if (want_str(v, e, "pattern", &pattern, &t->pattern_node) > 0) {
        if (strcmp(pattern, "A") && strcmp(pattern, "B"))
            verr(v, val_off(v, e, "pattern"), "'pattern' must be A or B");
        else
            t->pattern = pattern[0];
    }
    free(pattern);
    want_str(v, e, "rationale", &t->rationale, NULL);
    if (want_list(v, e, "email_domains", 1, &t->email_domains) > 0)
        check_hosts(v, e, "email_domains", &t->email_domains, "example.org");
    if (want_list(v, e, "teams", 1, &t->teams) > 0)
        check_teams(v, &t->teams);
    if ((m = want_map(v, e, "auth0")))
        parse_auth0(v, m, t);
    if ((m = want_map(v, e, "flex")))
        parse_flex(v, m, t);
}

static void implicit_tenant(struct config *cfg)
{
    cfg->tenants = xcalloc(1, sizeof(*cfg->tenants));
    cfg->ntenants = 1;
    cfg->tenants[0].name = xstrdup("default");
    cfg->tenants[0].region = xstrdup("us1");
}

static void parse_tenants(struct cv *v, json_t *root)
{
    struct config *cfg = v->cfg;
    json_t *tl = member(root, "tenants");
    if (tl && !json_is_array(tl))
        verr(v, val_off(v, root, "tenants"), "'tenants' must be a list of tenant mappings");
    if (!json_is_array(tl) || !json_array_size(tl)) {
        implicit_tenant(cfg);
        return;
    }
    cfg->tenants_declared = 1;
    cfg->ntenants = json_array_size(tl);
    cfg->tenants = xcalloc(cfg->ntenants, sizeof(*cfg->tenants));
    for (size_t i = 0; i < cfg->ntenants; i++) {
        parse_tenant(v, tl, i, &cfg->tenants[i]);
        for (size_t k = 0; k < i && cfg->tenants[i].name; k++)
            if (cfg->tenants[k].name && !strcmp(cfg->tenants[k].name, cfg->tenants[i].name)) {
                char *d = disp(cfg->tenants[i].name);
                verr(v, val_off(v, cfg->tenants[i].node, "name"), "duplicate tenant name '%s'", d);
                free(d);
                break;
            }
    }
}

/* ---- rules and ignore ------------------------------------------------------------- */

static void parse_rules(struct cv *v, json_t *root)
{
    static const struct {
        const char *name;
        int sev;
    } sevs[] = {
        {"error", SEV_ERROR}, {"warning", SEV_WARNING}, {"note", SEV_NOTE}, {"off", SEV_OFF}};
    json_t *r = want_map(v, root, "rules");
    if (!r)
        return;
    v->cfg->rules = xcalloc(json_object_size(r) + 1, sizeof(*v->cfg->rules));
    for (void *it = json_object_iter(r); it; it = json_object_iter_next(r, it)) {
        const char *id = json_object_iter_key(it);
        json_t *x = json_object_iter_value(it);
        const char *s = json_string_value(x);
        size_t k = 0;
        while (s && k < 4 && strcmp(s, sevs[k].name))
            k++;
        if (!s || k == 4) {
            char *d = disp(id);
            verr(v, val_off(v, r, id), "severity of '%s' must be error, warning, note or off", d);
            free(d);
            continue;
        }
        struct cfg_rule_sev *rs = &v->cfg->rules[v->cfg->nrules++];
        rs->id = xstrdup(id);
        rs->severity = sevs[k].sev;
        rs->node = x;
    }
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

/* YYYY-MM-DD, a real calendar day. */
static int parse_date(const char *s, int *y, int *m, int *d)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    *y = atoi(s);
    *m = atoi(s + 5);
    *d = atoi(s + 8);
    if (*y < 1 || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
        return -1;
    return 0;
}

/* An ignore entry's tenant must be one of the declared names. */
static void check_tenant_name(struct cv *v, json_t *e, const char *name)
{
    const struct config *cfg = v->cfg;
    const char **names = xcalloc(cfg->ntenants + 1, sizeof(char *));
    size_t n = 0;
    for (size_t k = 0; k < cfg->ntenants; k++)
        if (cfg->tenants[k].name)
            names[n++] = cfg->tenants[k].name;
    if (!in_list(name, names)) {
        const char *dym = near_miss(name, names);
        char *d = disp(name);
        verr(v, val_off(v, e, "tenant"), "unknown tenant '%s'%s%s%s", d,
             dym ? "; did you mean '" : "", dym ? dym : "", dym ? "'?" : "");
        free(d);
    }
    free(names);
}

static void parse_ignore_entry(struct cv *v, json_t *list, size_t i, struct cfg_ignore *g)
{
    json_t *e = json_array_get(list, i);
    char *until = NULL;
    if (!json_is_object(e)) {
        verr(v, idx_off(v, list, i), "an ignore entry must be a mapping");
        return;
    }
    g->node = e;
    check_keys(v, e, ignore_keys, "ignore");
    if (!member(e, "rule"))
        verr(v, idx_off(v, list, i), "ignore entry needs 'rule'");
    want_str(v, e, "rule", &g->rule, NULL);
    want_str(v, e, "reason", &g->reason, NULL); /* missing: a bad-suppression finding later */
    want_str(v, e, "path", &g->path, NULL);
    want_str(v, e, "user", &g->user, NULL);
    want_str(v, e, "client", &g->client, NULL);
    want_str(v, e, "action", &g->action, NULL);
    want_str(v, e, "value", &g->value, NULL);
    want_str(v, e, "owner", &g->owner, NULL);
    if (want_str(v, e, "tenant", &g->tenant, NULL) > 0 && v->cfg->tenants_declared)
        check_tenant_name(v, e, g->tenant);
    if (want_str(v, e, "until", &until, &g->until_node) > 0 &&
        parse_date(until, &g->until_y, &g->until_m, &g->until_d) < 0) {
        verr(v, val_off(v, e, "until"), "'until' must be a date YYYY-MM-DD");
        g->until_y = g->until_m = g->until_d = 0;
    }
    free(until);
}

static void parse_ignore(struct cv *v, json_t *root)
{
    json_t *l = member(root, "ignore");
    if (!l)
        return;
    if (!json_is_array(l)) {
        verr(v, val_off(v, root, "ignore"), "'ignore' must be a list of entries");
        return;
    }
    v->cfg->nignores = json_array_size(l);
    v->cfg->ignores = xcalloc(v->cfg->nignores + 1, sizeof(*v->cfg->ignores));
    for (size_t i = 0; i < v->cfg->nignores; i++)
        parse_ignore_entry(v, l, i, &v->cfg->ignores[i]);
}

/* ---- the file --------------------------------------------------------------------- */

static void default_roles(struct cfg_list *l)
{
    static const char *const r[] = {"admin", "supervisor", "agent"};
    l->n = 3;
    l->v = xcalloc(3, sizeof(char *));
    for (size_t i = 0; i < 3; i++)
        l->v[i] = xstrdup(r[i]);
}

static void parse_top(struct cv *v, json_t *root)
{
    struct config *cfg = v->cfg;
    json_t *x;
    check_keys(v, root, top_keys, NULL);
    if ((x = member(root, "version")) && (!json_is_integer(x) || json_integer_value(x) != 1))
        verr(v, val_off(v, root, "version"), "'version' must be 1");
    if ((x = member(root, "roles"))) {
        struct cfg_list l = {0};
        if (!json_is_array(x) || !json_array_size(x))
            verr(v, val_off(v, root, "roles"), "'roles' must be a non-empty list of strings");
        else if (want_list(v, root, "roles", 0, &l) > 0) {
            for (size_t i = 0; i < cfg->roles.n; i++)
                free(cfg->roles.v[i]);
            free(cfg->roles.v);
            cfg->roles = l;
        }
    }
    if ((x = member(root, "cert_warn_days"))) {
        if (!json_is_integer(x) || json_integer_value(x) < 0 || json_integer_value(x) > INT_MAX)
            verr(v, val_off(v, root, "cert_warn_days"),
                 "'cert_warn_days' must be a non-negative integer");
        else
            cfg->cert_warn_days = (int)json_integer_value(x);
    }
    want_path(v, root, "rules_dir", &cfg->rules_dir, NULL);
    parse_tenants(v, root);
    parse_rules(v, root);
    parse_ignore(v, root);
}

static void on_diag(void *ctx, const struct ld_diag *d)
{
    struct cv *v = ctx;
    if (d->kind == LD_DUPLICATE_KEY) {
        struct pos p;
        char *k = disp(d->key ? d->key : "");
        source_pos(v->cfg->file, d->off2, &p);
        verr(v, d->off, "duplicate key '%s' (first at line %u)", k, p.line);
        free(k);
    } else {
        verr(v, d->off, "%s", d->msg ? d->msg : "invalid YAML");
    }
}

static char *dir_of(const char *path)
{
    const char *s = strrchr(path, '/');
    if (!s)
        return xstrdup(".");
    if (s == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(s - path));
}

/* Read and parse the file into cfg->doc; errors go to v. -1 when nothing can be read. */
static int read_file(struct cv *v, const char *path)
{
    struct config *cfg = v->cfg;
    const char *base = strrchr(path, '/');
    cfg->file = source_add(path, base ? base + 1 : path, SRC_CONFIG);
    int rc = source_read(cfg->file, LOAD_MAX_DOC);
    if (rc == -2)
        return error("'%s' is larger than 512 MB", path);
    if (rc < 0)
        return -1;
    const struct source *s = source_get(cfg->file);
    size_t skip = s->has_bom ? 3 : 0;
    cfg->doc.file = cfg->file;
    cfg->doc.locs = locmap_new();
    struct load_opts o = {skip, NULL, on_diag, v, cfg->doc.locs, 0};
    cfg->doc.root = yaml_scan(s->text + skip, s->len - skip, &o, &cfg->doc.root_loc);
    return 0;
}

int config_load(struct config *cfg, const char *path)
{
    struct cv v = {cfg, NULL, 0, 0};
    int rc = 0;

    memset(cfg, 0, sizeof(*cfg));
    cfg->file = -1;
    cfg->version = 1;
    cfg->cert_warn_days = 30;
    default_roles(&cfg->roles);
    if (!path) {
        cfg->root = xstrdup(".");
        implicit_tenant(cfg);
        return 0;
    }
    cfg->path = xstrdup(path);
    cfg->root = dir_of(path);
    if (read_file(&v, path) < 0) {
        rc = -1;
        goto out;
    }
    json_t *root = cfg->doc.root;
    if (!root && !v.ne)
        verr(&v, 0, "cannot parse the configuration");
    if (json_is_object(root))
        parse_top(&v, root);
    else if (root && !json_is_null(root))
        verr(&v, cfg->doc.root_loc.start, "the configuration must be a mapping");
    if (!cfg->tenants)
        implicit_tenant(cfg);
    if (v.ne) {
        qsort(v.e, v.ne, sizeof(*v.e), cmp_cerr);
        for (size_t i = 0; i < v.ne; i++)
            source_error(cfg->file, v.e[i].off, "%s", v.e[i].msg);
        rc = -1;
    }
out:
    for (size_t i = 0; i < v.ne; i++)
        free(v.e[i].msg);
    free(v.e);
    if (rc < 0) {
        int file = cfg->file;
        config_free(cfg);
        cfg->file = file;
    }
    return rc;
}

static void list_free(struct cfg_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof(*l));
}

static void tenant_free(struct cfg_tenant *t)
{
    char **s[] = {&t->name,     &t->organization, &t->rationale,   &t->export_path,
                  &t->keywords, &t->flex_client,  &t->flex_action, &t->signing_cert,
                  &t->style,    &t->region,       &t->sso,         &t->configuration,
                  &t->workers};
    for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
        free(*s[i]);
    list_free(&t->email_domains);
    list_free(&t->teams);
    list_free(&t->domains);
    list_free(&t->users);
    list_free(&t->flex_users_connections);
}

void config_free(struct config *cfg)
{
    for (size_t i = 0; i < cfg->ntenants; i++)
        tenant_free(&cfg->tenants[i]);
    free(cfg->tenants);
    for (size_t i = 0; i < cfg->nrules; i++)
        free(cfg->rules[i].id);
    free(cfg->rules);
    for (size_t i = 0; i < cfg->nignores; i++) {
        struct cfg_ignore *g = &cfg->ignores[i];
        char **s[] = {&g->rule,   &g->reason, &g->tenant, &g->path, &g->user,
                      &g->client, &g->action, &g->value,  &g->owner};
        for (size_t k = 0; k < sizeof(s) / sizeof(s[0]); k++)
            free(*s[k]);
    }
    free(cfg->ignores);
    list_free(&cfg->roles);
    free(cfg->rules_dir);
    free(cfg->path);
    free(cfg->root);
    doc_free(&cfg->doc);
    memset(cfg, 0, sizeof(*cfg));
    cfg->file = -1;
}
