/* config/config.c - `.ssolint.yaml` (../shared/spec/config.md): found upward from a directory,
 * read with the YAML loader and validated key by key. Every problem of the file is
 * collected with its offset and printed in file order as FILE:LINE:COL: error: MESSAGE,
 * so one run shows them all. The parsed document stays in the config: later stages
 * point findings at its values. The value checks and the typed reading of members
 * live in config/validate.c, printing and finding the file in config/print.c. */
#include "config/config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"
#include "rules/finding.h"
#include "load/yaml.h"
#include "base/path.h"
#include "base/util.h"

static const char *const top_keys[] = {"version", "roles",  "cert_warn_days", "rules_dir",
                                       "rule_url", "tenants", "rules", "ignore", NULL};
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

/* Errors in file order; at one offset, in the order they were found. */
static int cmp_cerr(const void *a, const void *b)
{
    const struct cerr *x = a, *y = b;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ---- keys ------------------------------------------------------------------------- */

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
        if (cv_in_list(k, homes[i].keys)) {
            sb_addf(sb, "; it belongs in %s", homes[i].where);
            return;
        }
}

static void check_keys(struct cv *v, json_t *obj, const char *const *keys, const char *section)
{
    for (void *it = json_object_iter(obj); it; it = json_object_iter_next(obj, it)) {
        const char *k = json_object_iter_key(it);
        if (cv_in_list(k, keys))
            continue;
        struct strbuf sb = STRBUF_INIT;
        const char *dym = cv_near_miss(k, keys);
        char *d = cv_disp(k);
        sb_addf(&sb, "unknown key '%s'", d);
        if (section)
            sb_addf(&sb, " in '%s'", section);
        if (dym)
            sb_addf(&sb, "; did you mean '%s'?", dym);
        else
            add_home(&sb, k);
        cv_err(v, cv_key_off(v, obj, k), "%s", sb.buf);
        sb_free(&sb);
        free(d);
    }
}

/* ---- tenants ---------------------------------------------------------------------- */

static void parse_flex_users(struct cv *v, json_t *auth0, struct cfg_tenant *t)
{
    json_t *x = cv_member(auth0, "flex_users");
    const char *msg = "'flex_users' must be all, with-flex or a list of connection names";
    if (!x)
        return;
    if (json_is_string(x)) {
        if (!strcmp(json_string_value(x), "all"))
            t->flex_users = FLEX_USERS_ALL;
        else if (!strcmp(json_string_value(x), "with-flex"))
            t->flex_users = FLEX_USERS_WITH_FLEX;
        else
            cv_err(v, cv_val_off(v, auth0, "flex_users"), "%s", msg);
        return;
    }
    if (json_is_array(x) && !json_array_size(x)) {
        cv_err(v, cv_val_off(v, auth0, "flex_users"), "%s", msg);
        return;
    }
    if (cv_want_list(v, auth0, "flex_users", 0, &t->flex_users_connections) > 0)
        t->flex_users = FLEX_USERS_CONNECTIONS;
}

static void parse_auth0(struct cv *v, json_t *a, struct cfg_tenant *t)
{
    check_keys(v, a, auth0_keys, "auth0");
    if (cv_want_list(v, a, "domain", 1, &t->domains) > 0) {
        t->domain_node = t->domains.node;
        cv_check_hosts(v, a, "domain", &t->domains, "example.us.auth0.com");
    }
    cv_want_path(v, a, "export", &t->export_path, &t->export_node);
    if (cv_want_list(v, a, "users", 1, &t->users) > 0)
        for (size_t i = 0; i < t->users.n; i++) {
            char *r = cv_resolve(v->cfg, t->users.v[i]);
            free(t->users.v[i]);
            t->users.v[i] = r;
        }
    cv_want_path(v, a, "keywords", &t->keywords, &t->keywords_node);
    cv_want_str(v, a, "flex_client", &t->flex_client, &t->flex_client_node);
    cv_want_str(v, a, "flex_action", &t->flex_action, &t->flex_action_node);
    cv_want_path(v, a, "signing_cert", &t->signing_cert, &t->signing_cert_node);
    parse_flex_users(v, a, t);
}

static void parse_flex(struct cv *v, json_t *f, struct cfg_tenant *t)
{
    char *region = NULL;
    check_keys(v, f, flex_keys, "flex");
    cv_want_enum(v, f, "style", styles, "iam-v2, enhanced or legacy", &t->style);
    if (cv_want_str(v, f, "region", &region, NULL) > 0) {
        /* it becomes part of a host name */
        if (!*region || strspn(region, "abcdefghijklmnopqrstuvwxyz0123456789-") < strlen(region)) {
            cv_err(v, cv_val_off(v, f, "region"), "'region' must be a Twilio region such as us1");
            free(region);
        } else {
            free(t->region);
            t->region = region;
        }
    }
    cv_want_path(v, f, "sso", &t->sso, &t->sso_node);
    cv_want_path(v, f, "configuration", &t->configuration, &t->configuration_node);
    cv_want_path(v, f, "workers", &t->workers, &t->workers_node);
}

static void parse_tenant(struct cv *v, json_t *tl, size_t i, struct cfg_tenant *t)
{
    json_t *e = json_array_get(tl, i), *m;
    char *pattern = NULL;
    t->region = xstrdup("us1");
    if (!json_is_object(e)) {
        cv_err(v, cv_idx_off(v, tl, i), "a tenant must be a mapping");
        return;
    }
    t->node = e;
    check_keys(v, e, tenant_keys, NULL);
    if (cv_want_str(v, e, "name", &t->name, NULL) > 0 && !*t->name)
        cv_err(v, cv_val_off(v, e, "name"), "'name' must not be empty");
    else if (!cv_member(e, "name"))
        cv_err(v, cv_idx_off(v, tl, i), "tenant entry needs 'name'");
    cv_want_str(v, e, "organization", &t->organization, &t->organization_node);
    if (cv_want_str(v, e, "pattern", &pattern, &t->pattern_node) > 0) {
        if (strcmp(pattern, "A") && strcmp(pattern, "B"))
            cv_err(v, cv_val_off(v, e, "pattern"), "'pattern' must be A or B");
        else
            t->pattern = pattern[0];
    }
    free(pattern);
    cv_want_str(v, e, "rationale", &t->rationale, NULL);
    if (cv_want_list(v, e, "email_domains", 1, &t->email_domains) > 0)
        cv_check_hosts(v, e, "email_domains", &t->email_domains, "example.org");
    if (cv_want_list(v, e, "teams", 1, &t->teams) > 0)
        cv_check_teams(v, &t->teams);
    if ((m = cv_want_map(v, e, "auth0")))
        parse_auth0(v, m, t);
    if ((m = cv_want_map(v, e, "flex")))
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
    json_t *tl = cv_member(root, "tenants");
    if (tl && !json_is_array(tl))
        cv_err(v, cv_val_off(v, root, "tenants"), "'tenants' must be a list of tenant mappings");
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
                char *d = cv_disp(cfg->tenants[i].name);
                cv_err(v, cv_val_off(v, cfg->tenants[i].node, "name"), "duplicate tenant name '%s'",
                       d);
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
    json_t *r = cv_want_map(v, root, "rules");
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
            char *d = cv_disp(id);
            cv_err(v, cv_val_off(v, r, id), "severity of '%s' must be error, warning, note or off",
                   d);
            free(d);
            continue;
        }
        struct cfg_rule_sev *rs = &v->cfg->rules[v->cfg->nrules++];
        rs->id = xstrdup(id);
        rs->severity = sevs[k].sev;
        rs->node = x;
    }
}

static void parse_ignore_entry(struct cv *v, json_t *list, size_t i, struct cfg_ignore *g)
{
    json_t *e = json_array_get(list, i);
    char *until = NULL;
    if (!json_is_object(e)) {
        cv_err(v, cv_idx_off(v, list, i), "an ignore entry must be a mapping");
        return;
    }
    g->node = e;
    check_keys(v, e, ignore_keys, "ignore");
    if (!cv_member(e, "rule"))
        cv_err(v, cv_idx_off(v, list, i), "ignore entry needs 'rule'");
    cv_want_str(v, e, "rule", &g->rule, NULL);
    cv_want_str(v, e, "reason", &g->reason, NULL); /* missing: a bad-suppression finding later */
    cv_want_str(v, e, "path", &g->path, NULL);
    cv_want_str(v, e, "user", &g->user, NULL);
    cv_want_str(v, e, "client", &g->client, NULL);
    cv_want_str(v, e, "action", &g->action, NULL);
    cv_want_str(v, e, "value", &g->value, NULL);
    cv_want_str(v, e, "owner", &g->owner, NULL);
    if (cv_want_str(v, e, "tenant", &g->tenant, NULL) > 0 && v->cfg->tenants_declared)
        cv_check_tenant_name(v, e, g->tenant);
    if (cv_want_str(v, e, "until", &until, &g->until_node) > 0 &&
        cv_parse_date(until, &g->until_y, &g->until_m, &g->until_d) < 0) {
        cv_err(v, cv_val_off(v, e, "until"), "'until' must be a date YYYY-MM-DD");
        g->until_y = g->until_m = g->until_d = 0;
    }
    free(until);
}

static void parse_ignore(struct cv *v, json_t *root)
{
    json_t *l = cv_member(root, "ignore");
    if (!l)
        return;
    if (!json_is_array(l)) {
        cv_err(v, cv_val_off(v, root, "ignore"), "'ignore' must be a list of entries");
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
    if ((x = cv_member(root, "version")) && (!json_is_integer(x) || json_integer_value(x) != 1))
        cv_err(v, cv_val_off(v, root, "version"), "'version' must be 1");
    if ((x = cv_member(root, "roles"))) {
        struct cfg_list l = {0};
        if (!json_is_array(x) || !json_array_size(x))
            cv_err(v, cv_val_off(v, root, "roles"), "'roles' must be a non-empty list of strings");
        else if (cv_want_list(v, root, "roles", 0, &l) > 0) {
            for (size_t i = 0; i < cfg->roles.n; i++)
                free(cfg->roles.v[i]);
            free(cfg->roles.v);
            cfg->roles = l;
        }
    }
    if ((x = cv_member(root, "cert_warn_days"))) {
        if (!json_is_integer(x) || json_integer_value(x) < 0 || json_integer_value(x) > INT_MAX)
            cv_err(v, cv_val_off(v, root, "cert_warn_days"),
                   "'cert_warn_days' must be a non-negative integer");
        else
            cfg->cert_warn_days = (int)json_integer_value(x);
    }
    cv_want_path(v, root, "rules_dir", &cfg->rules_dir, NULL);
    cv_want_str(v, root, "rule_url", &cfg->rule_url, NULL); /* checked by rules_set_url */
    parse_tenants(v, root);
    parse_rules(v, root);
    parse_ignore(v, root);
}

static void on_diag(void *ctx, const struct ld_diag *d)
{
    struct cv *v = ctx;
    if (d->kind == LD_DUPLICATE_KEY) {
        struct pos p;
        char *k = cv_disp(d->key ? d->key : "");
        source_pos(v->cfg->file, d->off2, &p);
        cv_err(v, d->off, "duplicate key '%s' (first at line %u)", k, p.line);
        free(k);
    } else {
        cv_err(v, d->off, "%s", d->msg ? d->msg : "invalid YAML");
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
    if (rc == -3)
        return error("'%s' is not read: it is %s", path,
                     path_refusal(path, (enum path_verdict)source_get(cfg->file)->blocked));
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
        path_guard_root(cfg->root);
        implicit_tenant(cfg);
        return 0;
    }
    cfg->path = xstrdup(path);
    cfg->root = dir_of(path);
    path_guard_root(cfg->root);
    if (read_file(&v, path) < 0) {
        rc = -1;
        goto out;
    }
    json_t *root = cfg->doc.root;
    if (!root && !v.ne)
        cv_err(&v, 0, "cannot parse the configuration");
    if (json_is_object(root))
        parse_top(&v, root);
    else if (root && !json_is_null(root))
        cv_err(&v, cfg->doc.root_loc.start, "the configuration must be a mapping");
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
    free(cfg->rule_url);
    free(cfg->path);
    free(cfg->root);
    doc_free(&cfg->doc);
    memset(cfg, 0, sizeof(*cfg));
    cfg->file = -1;
}
