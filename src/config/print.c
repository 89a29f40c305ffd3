/* config/print.c - the configuration seen from outside its file: where the file is
 * (config_find, searched upward) and what it amounts to (config_print, the effective
 * configuration as YAML for --print-config, defaults filled in). Nothing secret is
 * printed: an ignore `value` is shown only in its sha256: form. */
#include "config/config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

#define CONFIG_NAME ".ssolint.yaml"
#define CONFIG_NAME_YML ".ssolint.yml" /* found the same way; both in one directory: an error */

/* ---- finding the file ------------------------------------------------------------- */

static int is_reg(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* dir/name for display: relative to the current directory when dir is it, below it or
 * above it; else absolute. dir is a real path. */
static char *display_config(const char *dir, const char *name)
{
    char cwd[PATH_MAX];
    int top = !strcmp(dir, "/");
    size_t n = top ? 0 : strlen(dir), c;
    if (!getcwd(cwd, sizeof(cwd)))
        return xasprintf("%s/%s", top ? "" : dir, name);
    c = strlen(cwd);
    if (!strcmp(cwd, dir))
        return xstrdup(name);
    if (c > 1 && !strncmp(dir, cwd, c) && dir[c] == '/')
        return xasprintf("%s/%s", dir + c + 1, name);
    if (!strncmp(cwd, dir, n) && cwd[n] == '/') {
        struct strbuf sb = STRBUF_INIT;
        for (const char *p = cwd + n; *p; p++)
            if (*p == '/')
                sb_adds(&sb, "../");
        sb_adds(&sb, name);
        return sb_detach(&sb);
    }
    return xasprintf("%s/%s", top ? "" : dir, name);
}

/* Which config file does directory dir hold? Sets *name; returns 1 for one, 0 for none,
 * -1 for both spellings (printed as a located usage error). disp: dir as shown. */
static int config_in(const char *dir, const char *disp, const char **name)
{
    const char *names[] = {CONFIG_NAME, CONFIG_NAME_YML};
    int found[2];
    for (int i = 0; i < 2; i++) {
        char *p = xasprintf("%s/%s", strcmp(dir, "/") ? dir : "", names[i]);
        found[i] = is_reg(p);
        free(p);
    }
    *name = found[0] ? names[0] : names[1];
    if (found[0] && found[1]) {
        char *y = display_config(disp, CONFIG_NAME_YML);
        fprintf(stderr,
                "%s:1:1: error: both " CONFIG_NAME " and " CONFIG_NAME_YML
                " are in this directory and ssolint would have to guess which one you "
                "mean: merge them into one and delete the other\n",
                y);
        free(y);
        return -1;
    }
    return found[0] || found[1];
}

char *config_find(const char *start_dir, int *conflict)
{
    char rp[PATH_MAX];
    struct stat st;
    const char *name;
    *conflict = 0;
    char *dir = xstrdup(start_dir && *start_dir ? start_dir : ".");
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        char *slash = strrchr(dir, '/');
        if (!slash)
            strcpy(dir, ".");
        else
            slash[slash == dir ? 1 : 0] = '\0';
    }
    if (!realpath(dir, rp)) {
        free(dir);
        return NULL;
    }
    /* in the start directory: the path reads the way the user wrote it */
    int found = config_in(dir, rp, &name);
    char *p = found <= 0 ? NULL
              : strcmp(dir, ".") ? xasprintf("%s/%s", dir, name)
                                 : xstrdup(name);
    free(dir);
    while (!found && strcmp(rp, "/")) {
        char *slash = strrchr(rp, '/');
        slash[slash == rp ? 1 : 0] = '\0';
        found = config_in(rp, rp, &name);
        if (found > 0)
            p = display_config(rp, name);
    }
    *conflict = found < 0;
    return p;
}

/* ---- printing --------------------------------------------------------------------- */

/* Can s be written as a plain scalar that reads back as the same string? */
static int plain_ok(const char *s)
{
    static const char *const words[] = {"null", "true", "false", "yes", "no", "on",
                                        "off",  "y",    "n",     "~",   NULL};
    size_t n = strlen(s);
    if (!n || s[0] == ' ' || s[n - 1] == ' ' || strchr("0123456789+-.*", s[0]))
        return 0;
    for (size_t i = 0; words[i]; i++)
        if (!ascii_casecmp(s, words[i]))
            return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("_./@+-* ", *p)))
            return 0;
    return 1;
}

static void put_scalar(FILE *out, const char *s)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    if (plain_ok(s)) {
        fputs(s, out);
        return;
    }
    /* a JSON string is a YAML double-quoted scalar */
    json_t *j = json_string(s);
    char *q = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    fputs(q ? q : "\"\"", out);
    free(q);
    json_decref(j);
}

static void put_key(FILE *out, int ind, const char *key, const char *s)
{
    fprintf(out, "%*s%s: ", ind, "", key);
    put_scalar(out, s);
    fputc('\n', out);
}

/* A resolved path as written: relative to the root. */
static const char *as_written(const struct config *cfg, const char *p)
{
    size_t n = cfg->root ? strlen(cfg->root) : 0;
    if (!p || !n || !strcmp(cfg->root, "."))
        return p;
    if (!strncmp(p, cfg->root, n) && p[n] == '/')
        return p + n + 1;
    return p;
}

static void put_list(FILE *out, int ind, const char *key, const struct cfg_list *l,
                     const struct config *paths_of)
{
    fprintf(out, "%*s%s: ", ind, "", key);
    if (!l->n && !l->node) {
        fputs("null\n", out);
        return;
    }
    fputc('[', out);
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            fputs(", ", out);
        put_scalar(out, paths_of ? as_written(paths_of, l->v[i]) : l->v[i]);
    }
    fputs("]\n", out);
}

static void put_tenant(FILE *out, const struct config *cfg, const struct cfg_tenant *t)
{
    static const char *const fu[] = {"all", "with-flex"};
    char pat[2] = {t->pattern, 0};
    fputs("  - ", out);
    put_key(out, 0, "name", t->name);
    put_key(out, 4, "organization", t->organization);
    put_key(out, 4, "pattern", t->pattern ? pat : NULL);
    put_key(out, 4, "rationale", t->rationale);
    put_list(out, 4, "email_domains", &t->email_domains, NULL);
    put_list(out, 4, "teams", &t->teams, NULL);
    fputs("    auth0:\n", out);
    put_list(out, 6, "domain", &t->domains, NULL);
    put_key(out, 6, "export", as_written(cfg, t->export_path));
    put_list(out, 6, "users", &t->users, cfg);
    put_key(out, 6, "keywords", as_written(cfg, t->keywords));
    put_key(out, 6, "flex_client", t->flex_client);
    put_key(out, 6, "flex_action", t->flex_action);
    put_key(out, 6, "signing_cert", as_written(cfg, t->signing_cert));
    if (t->flex_users == FLEX_USERS_CONNECTIONS)
        put_list(out, 6, "flex_users", &t->flex_users_connections, NULL);
    else
        put_key(out, 6, "flex_users", fu[t->flex_users]);
    fputs("    flex:\n", out);
    put_key(out, 6, "style", t->style);
    put_key(out, 6, "region", t->region ? t->region : "us1");
    put_key(out, 6, "sso", as_written(cfg, t->sso));
    put_key(out, 6, "configuration", as_written(cfg, t->configuration));
    put_key(out, 6, "workers", as_written(cfg, t->workers));
}

static void put_ignore(FILE *out, const struct cfg_ignore *g)
{
    const char *const keys[] = {"rule", "reason", "tenant", "path", "user", "client", "action"};
    const char *const vals[] = {g->rule, g->reason, g->tenant, g->path,
                                g->user, g->client, g->action};
    int first = 1;
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (!vals[i])
            continue;
        fputs(first ? "  - " : "    ", out);
        put_key(out, 0, keys[i], vals[i]);
        first = 0;
    }
    if (g->value) {
        /* the value may be a secret: only its digest form is shown */
        fputs(first ? "  - " : "    ", out);
        put_key(out, 0, "value", strncmp(g->value, "sha256:", 7) ? "<redacted>" : g->value);
        first = 0;
    }
    if (g->until_y) {
        fprintf(out, "%suntil: %04d-%02d-%02d\n", first ? "  - " : "    ", g->until_y, g->until_m,
                g->until_d);
        first = 0;
    }
    if (g->owner) {
        fputs(first ? "  - " : "    ", out);
        put_key(out, 0, "owner", g->owner);
        first = 0;
    }
    if (first)
        fputs("  - {}\n", out);
}

void config_print(const struct config *cfg, FILE *out)
{
    static const char *const sev[] = {"off", "note", "warning", "error"};
    if (cfg->path)
        fprintf(out, "# effective configuration of %s\n", cfg->path);
    else
        fputs("# effective configuration: defaults (no " CONFIG_NAME ")\n", out);
    fprintf(out, "# root: %s\n", cfg->root ? cfg->root : ".");
    fprintf(out, "version: %d\n", cfg->version ? cfg->version : 1);
    put_list(out, 0, "roles", &cfg->roles, NULL);
    fprintf(out, "cert_warn_days: %d\n", cfg->cert_warn_days);
    put_key(out, 0, "rules_dir", as_written(cfg, cfg->rules_dir));
    if (cfg->rule_url)
        put_key(out, 0, "rule_url", cfg->rule_url);
    if (!cfg->tenants_declared) {
        fputs("tenants: []  # none declared: the root is one tenant, found by its layout\n", out);
    } else {
        fputs("tenants:\n", out);
        for (size_t i = 0; i < cfg->ntenants; i++)
            put_tenant(out, cfg, &cfg->tenants[i]);
    }
    fputs(cfg->nrules ? "rules:\n" : "rules: {}\n", out);
    for (size_t i = 0; i < cfg->nrules; i++) {
        int s = cfg->rules[i].severity;
        fputs("  ", out);
        put_scalar(out, cfg->rules[i].id);
        fprintf(out, ": %s\n", sev[s >= 0 && s <= 3 ? s : 0]);
    }
    fputs(cfg->nignores ? "ignore:\n" : "ignore: []\n", out);
    for (size_t i = 0; i < cfg->nignores; i++)
        put_ignore(out, &cfg->ignores[i]);
}
