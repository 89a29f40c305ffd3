/* model/discover.c - the discover stage (see discover.h). Directory walks never follow a
 * directory twice (device + inode), so a symlink loop ends the walk instead of hanging
 * it; depth is bounded as well. */
#include "model/discover.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules/finding.h"
#include "report/report.h"
#include "rules/rules.h"
#include "base/path.h"
#include "base/util.h"

#define WALK_MAX_DEPTH 6

char *path_join(const char *dir, const char *name)
{
    if (!dir || !*dir || !strcmp(dir, "."))
        return xstrdup(name);
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    return xasprintf("%.*s/%s", (int)n, dir, name);
}

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

/* The path guard's judgement of p (base/path.h): 1 when p may be read and is a
 * directory (want_dir) or a file; 0 when it is missing or the other kind; -1 when the
 * guard refuses what would have been one: it is registered once, blocked, and
 * findings_blocked() reports it at p (the link), nothing of its target being read. */
int discover_guard(struct model *m, struct tenant *t, const char *p, int want_dir)
{
    struct stat st;
    enum path_verdict v = path_judge(p, &st);
    if (v == PATH_OK)
        return !S_ISDIR(st.st_mode) == !want_dir;
    if (v == PATH_MISSING || stat(p, &st) < 0 || !S_ISDIR(st.st_mode) != !want_dir)
        return 0;
    struct source *s = source_get(discover_add(m, t, p, SRC_UNKNOWN));
    if (!s->blocked)
        s->blocked = (int)v;
    return -1;
}

static int is_dir(struct model *m, struct tenant *t, const char *p)
{
    return discover_guard(m, t, p, 1) > 0;
}

static int is_file(struct model *m, struct tenant *t, const char *p)
{
    return discover_guard(m, t, p, 0) > 0;
}

static void mark_reported(int id);

int discover_add(struct model *m, struct tenant *t, const char *path, enum src_kind kind)
{
    int id = source_find(path);
    if (id >= 0)
        return id;
    char *rel = path_rel(path, m->cfg->root);
    id = source_add(path, rel, kind);
    free(rel);
    source_get(id)->tenant = t ? t->index : -1;
    mark_reported(id);
    return id;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of dir's entries ending in one of the suffixes (NULL: all). */
static char **list_dir(struct model *m, struct tenant *t, const char *dir,
                       const char *const *suffixes, size_t *n)
{
    DIR *dh = is_dir(m, t, dir) ? opendir(dir) : NULL;
    char **v = NULL;
    size_t cap = 0;
    *n = 0;
    if (!dh)
        return NULL;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        int ok = !suffixes;
        for (const char *const *s = suffixes; s && *s && !ok; s++)
            ok = has_suffix(de->d_name, *s);
        if (!ok)
            continue;
        GROW(v, cap, *n + 1);
        v[(*n)++] = xstrdup(de->d_name);
    }
    closedir(dh);
    if (*n)
        qsort(v, *n, sizeof(*v), cmp_str);
    return v;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

struct visited {
    dev_t *dev;
    ino_t *ino;
    size_t n, cap, capi;
};

static int visit_once(struct visited *vs, const char *dir)
{
    struct stat st;
    if (stat(dir, &st) < 0)
        return 0;
    for (size_t i = 0; i < vs->n; i++)
        if (vs->dev[i] == st.st_dev && vs->ino[i] == st.st_ino)
            return 0;
    GROW(vs->dev, vs->cap, vs->n + 1);
    GROW(vs->ino, vs->capi, vs->n + 1);
    vs->dev[vs->n] = st.st_dev;
    vs->ino[vs->n] = st.st_ino;
    vs->n++;
    return 1;
}

/* Register the other *.json files of an export directory (connections, emails, ...),
 * which the secrets rules read. */
static void walk_other(struct model *m, struct tenant *t, const char *dir, int depth,
                       struct visited *vs)
{
    if (depth > WALK_MAX_DEPTH || !visit_once(vs, dir))
        return;
    size_t n;
    char **names = list_dir(m, t, dir, NULL, &n);
    for (size_t i = 0; i < n; i++) {
        char *p = path_join(dir, names[i]);
        if (depth == 0 && (!strcmp(names[i], "clients") || !strcmp(names[i], "actions") ||
                           !strcmp(names[i], "triggers") || !strcmp(names[i], "tenant.json"))) {
            free(p);
            continue;
        }
        if (is_dir(m, t, p))
            walk_other(m, t, p, depth + 1, vs);
        else if (has_suffix(names[i], ".json") && depth > 0 && is_file(m, t, p))
            discover_add(m, t, p, SRC_OTHER_EXPORT);
        free(p);
    }
    free_list(names, n);
}

static void add_dir_files(struct model *m, struct tenant *t, const char *dir, const char *sub,
                          enum src_kind kind, int first_only)
{
    static const char *const json[] = {".json", NULL};
    char *d = path_join(dir, sub);
    size_t n;
    char **names = list_dir(m, t, d, json, &n);
    for (size_t i = 0; i < n && (!first_only || i == 0); i++) {
        char *p = path_join(d, names[i]);
        if (is_file(m, t, p))
            discover_add(m, t, p, kind);
        free(p);
    }
    free_list(names, n);
    free(d);
}

/* Do the first 4 KB of p hold an AUTH0_ key? */
static int has_auth0_keys(const char *p)
{
    enum path_verdict v;
    char buf[4096];
    int fd = path_open(p, &v);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
    if (fd >= 0)
        close(fd);
    if (n < 0)
        return 0;
    buf[n] = '\0';
    return strstr(buf, "\"AUTH0_") != NULL;
}

/* A deploy-cli config beside the export: config.json holding AUTH0_* keys (the parent's
 * only while it is inside the project). */
static void find_keywords(struct model *m, struct tenant *t, const char *dir)
{
    static const char *const names[] = {"config.json", "../config.json", NULL};
    for (const char *const *nm = names; *nm; nm++) {
        char *p = path_join(dir, *nm);
        if (path_named_inside(p) && is_file(m, t, p) && has_auth0_keys(p)) {
            t->keywords_file = discover_add(m, t, p, SRC_KEYWORDS);
            free(p);
            return;
        }
        free(p);
    }
}

/* Register the files of an export rooted at path (a directory or a tenant.yaml). */
static int add_export(struct model *m, struct tenant *t, const char *path)
{
    if (!is_dir(m, t, path)) {
        if (!is_file(m, t, path))
            return -1;
        t->layout = has_suffix(path, ".json") ? EXPORT_DIRECTORY : EXPORT_YAML;
        char *slash = strrchr(path, '/');
        t->export_root = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
        t->root_file = discover_add(m, t, path, SRC_TENANT);
    } else {
        static const char *const roots[] = {"tenant.yaml", "tenant.yml", "tenant.json", NULL};
        char *found = NULL;
        for (const char *const *r = roots; *r && !found; r++) {
            char *p = path_join(path, *r);
            if (is_file(m, t, p))
                found = p;
            else
                free(p);
        }
        int has_parts = 0;
        static const char *const parts[] = {"clients", "actions", "triggers", NULL};
        for (const char *const *s = parts; *s; s++) {
            char *p = path_join(path, *s);
            has_parts |= is_dir(m, t, p);
            free(p);
        }
        if (!found && !has_parts)
            return -1;
        t->export_root = xstrdup(path);
        t->layout = (found && has_suffix(found, "l")) ? EXPORT_YAML : EXPORT_DIRECTORY;
        if (found)
            t->root_file = discover_add(m, t, found, SRC_TENANT);
        free(found);
    }
    if (t->layout == EXPORT_DIRECTORY) {
        add_dir_files(m, t, t->export_root, "clients", SRC_CLIENT, 0);
        add_dir_files(m, t, t->export_root, "actions", SRC_ACTION, 0);
        add_dir_files(m, t, t->export_root, "triggers", SRC_TRIGGERS, 1);
        struct visited vs = {0};
        walk_other(m, t, t->export_root, 0, &vs);
        free(vs.dev);
        free(vs.ino);
    }
    return 0;
}

static void add_user_file(struct model *m, struct tenant *t, const char *p)
{
    int known = source_count(); /* a new file cannot be in the list yet: no scan */
    int id = discover_add(m, t, p, SRC_USERS);
    for (size_t i = 0; id < known && i < t->nusers; i++)
        if (t->users[i] == id)
            return;
    t->users = xrealloc(t->users, (t->nusers + 1) * sizeof(*t->users));
    t->users[t->nusers++] = id;
}

static void tenant_init(struct tenant *t, int index, struct cfg_tenant *ct, const char *dir)
{
    memset(t, 0, sizeof(*t));
    t->index = index;
    t->cfg = ct;
    t->dir = xstrdup(dir);
    t->root_file = t->keywords_file = t->sso_file = t->flexconf_file = -1;
    t->workers_file = t->cert_file = -1;
}

static const char *first_existing(struct model *m, struct tenant *t, const char *dir,
                                  const char *const *names, char **buf)
{
    for (; *names; names++) {
        char *p = path_join(dir, *names);
        if (is_file(m, t, p)) {
            *buf = p;
            return p;
        }
        free(p);
    }
    *buf = NULL;
    return NULL;
}

/* inputs.md "Layout discovery". */
static void discover_layout(struct model *m, struct tenant *t)
{
    char *auth0 = path_join(t->dir, "auth0");
    if (add_export(m, t, t->dir) < 0 && is_dir(m, t, auth0))
        add_export(m, t, auth0);
    free(auth0);
    if (t->export_root)
        find_keywords(m, t, t->export_root);
    static const char *const uexts[] = {".json", ".ndjson", ".gz", ".jsonl", NULL};
    char *udir = path_join(t->dir, "users");
    size_t n;
    char **names = list_dir(m, t, udir, uexts, &n);
    for (size_t i = 0; i < n; i++) {
        char *p = path_join(udir, names[i]);
        if (is_file(m, t, p))
            add_user_file(m, t, p);
        free(p);
    }
    free_list(names, n);
    free(udir);
    char *flex = path_join(t->dir, "flex"), *p;
    static const char *const sso[] = {"sso.yaml", "sso.yml", "sso.json", NULL};
    static const char *const conf[] = {"configuration.json", NULL};
    static const char *const wk[] = {"workers.json", NULL};
    if (first_existing(m, t, flex, sso, &p))
        t->sso_file = discover_add(m, t, p, SRC_FLEX_SSO);
    free(p);
    if (first_existing(m, t, flex, conf, &p))
        t->flexconf_file = discover_add(m, t, p, SRC_FLEX_CONFIG);
    free(p);
    if (first_existing(m, t, flex, wk, &p))
        t->workers_file = discover_add(m, t, p, SRC_WORKERS);
    free(p);
    free(flex);
}

/* Where a tenant's config value sits: entry[sect][key] (sect NULL: entry[key]). */
static const struct loc *cfg_at(const struct config *c, json_t *entry, const char *sect,
                                const char *key)
{
    json_t *o = sect ? json_object_get(entry, sect) : entry;
    return json_is_object(o) ? doc_key(&c->doc, o, key) : NULL;
}

/* input-missing at a config value; the value is shown as written in the file. */
static void missing_at(struct model *m, const struct loc *l, json_t *raw, const char *what,
                       const char *value)
{
    uint64_t off = l ? l->start : 0;
    if (json_is_string(raw))
        value = json_string_value(raw);
    int ri = rule_find("input-missing");
    struct finding *f = finding_add(ri, m->cfg->file, off, off, NULL);
    finding_arg(f, "detail", "%s '%s' matches no file", what, value);
    finding_value(f, value, strlen(value), 0);
}

/* A declared single path (export, keywords, sso, ...): register it or report it. */
static int declared_path(struct model *m, struct tenant *t, const char *path, const char *sect,
                         const char *key, enum src_kind kind)
{
    if (!path)
        return -1;
    int r = discover_guard(m, t, path, 0);
    if (r < 0)
        return -1; /* refused, and reported at the path itself */
    if (!r) {
        const struct loc *l = cfg_at(m->cfg, t->cfg->node, sect, key);
        json_t *o = json_object_get(t->cfg->node, sect);
        missing_at(m, l, json_object_get(o, key), key, path);
        return -1;
    }
    return discover_add(m, t, path, kind);
}

static void declared_users(struct model *m, struct tenant *t)
{
    const struct cfg_list *u = &t->cfg->users;
    json_t *auth0 = json_object_get(t->cfg->node, "auth0");
    json_t *list = json_is_object(auth0) ? json_object_get(auth0, "users") : NULL;
    for (size_t i = 0; i < u->n; i++) {
        glob_t g;
        int rc = glob(u->v[i], GLOB_NOSORT | GLOB_BRACE, NULL, &g);
        size_t found = 0;
        if (rc == 0) {
            qsort(g.gl_pathv, g.gl_pathc, sizeof(char *), cmp_str);
            for (size_t k = 0; k < g.gl_pathc; k++)
                switch (discover_guard(m, t, g.gl_pathv[k], 0)) {
                case 1: add_user_file(m, t, g.gl_pathv[k]); found++; break;
                case -1: found++; break; /* refused, and reported at the path */
                default: break;
                }
        }
        if (rc == 0 || rc == GLOB_NOMATCH)
            globfree(&g);
        if (!found) {
            const struct loc *l = json_is_array(list) ? doc_index(&m->cfg->doc, list, i)
                                                       : cfg_at(m->cfg, t->cfg->node, "auth0", "users");
            missing_at(m, l, json_is_array(list) ? json_array_get(list, i) : list, "users",
                       u->v[i]);
        }
    }
}

static int refused(const char *path)
{
    int id = source_find(path);
    return id >= 0 && source_get(id)->blocked;
}

static void discover_declared(struct model *m, struct tenant *t)
{
    struct cfg_tenant *c = t->cfg;
    if (c->export_path) {
        if (add_export(m, t, c->export_path) < 0 && !refused(c->export_path)) {
            const struct loc *l = cfg_at(m->cfg, c->node, "auth0", "export");
            missing_at(m, l, json_object_get(json_object_get(c->node, "auth0"), "export"),
                       "export", c->export_path);
        }
    }
    if (c->keywords)
        t->keywords_file = declared_path(m, t, c->keywords, "auth0", "keywords", SRC_KEYWORDS);
    else if (t->export_root)
        find_keywords(m, t, t->export_root);
    declared_users(m, t);
    t->sso_file = declared_path(m, t, c->sso, "flex", "sso", SRC_FLEX_SSO);
    t->flexconf_file = declared_path(m, t, c->configuration, "flex", "configuration",
                                     SRC_FLEX_CONFIG);
    t->workers_file = declared_path(m, t, c->workers, "flex", "workers", SRC_WORKERS);
    t->cert_file = declared_path(m, t, c->signing_cert, "auth0", "signing_cert", SRC_CERT);
}

/* One finding per tenant that lacks a whole kind of input: which groups cannot run. */
static void missing_inputs(struct model *m, struct tenant *t)
{
    struct strbuf what = STRBUF_INIT, groups = STRBUF_INIT;
    int declared = m->cfg->tenants_declared;
    struct cfg_tenant *c = t->cfg;
    int no_users = declared ? c->users.n == 0 : t->nusers == 0;
    int no_sso = declared ? c->sso == NULL : t->sso_file < 0;
    int no_export = declared ? c->export_path == NULL : t->layout == EXPORT_NONE;
    if (no_users) {
        sb_adds(&what, "no users file");
        sb_adds(&groups, "roles, teams");
    }
    if (no_sso) {
        sb_adds(&what, what.len ? ", no Flex SSO file" : "no Flex SSO file");
        sb_adds(&groups, groups.len ? ", flex" : "flex");
    }
    if (no_export) {
        sb_adds(&what, what.len ? ", no Auth0 export" : "no Auth0 export");
        sb_adds(&groups, groups.len ? ", actions, saml" : "actions, saml");
    }
    if (what.len) {
        int file = -1;
        uint64_t off = 0;
        if (m->cfg->file >= 0 && m->cfg->tenants_declared && t->cfg->node) {
            file = m->cfg->file;
            const struct loc *l = NULL;
            /* the first character of the entry's first key */
            void *it = json_object_iter(t->cfg->node);
            if (it)
                l = doc_key(&m->cfg->doc, t->cfg->node, json_object_iter_key(it));
            off = l ? l->key : 0;
        } else if (m->cfg->file >= 0) {
            file = m->cfg->file;
        } else {
            file = t->root_file >= 0 ? t->root_file : (t->nusers ? t->users[0] : t->sso_file);
        }
        if (file >= 0) {
            struct finding *f = finding_add(rule_find("input-missing"), file, off, off, NULL);
            finding_arg(f, "detail", "tenant '%s' has %s: the %s rules cannot run",
                        t->cfg->name ? t->cfg->name : "default", sb_str(&what), sb_str(&groups));
        }
    }
    sb_free(&what);
    sb_free(&groups);
}

static struct tenant *new_tenant(struct model *m, struct cfg_tenant *ct, const char *dir)
{
    m->tenants = xrealloc(m->tenants, (m->ntenants + 1) * sizeof(*m->tenants));
    struct tenant *t = &m->tenants[m->ntenants];
    tenant_init(t, (int)m->ntenants, ct, dir);
    m->ntenants++;
    return t;
}

static void add_explicit(struct model *m, struct tenant *t, const char *path)
{
    if (source_find(path) >= 0)
        return;
    enum src_kind k = discover_sniff(path);
    switch (k) {
    case SRC_USERS: add_user_file(m, t, path); break;
    case SRC_TENANT:
        if (t->layout == EXPORT_NONE)
            add_export(m, t, path);
        else
            discover_add(m, t, path, k);
        break;
    case SRC_FLEX_SSO: if (t->sso_file < 0) t->sso_file = discover_add(m, t, path, k); break;
    case SRC_FLEX_CONFIG: if (t->flexconf_file < 0) t->flexconf_file = discover_add(m, t, path, k); break;
    case SRC_WORKERS: if (t->workers_file < 0) t->workers_file = discover_add(m, t, path, k); break;
    case SRC_KEYWORDS: if (t->keywords_file < 0) t->keywords_file = discover_add(m, t, path, k); break;
    case SRC_CERT: if (t->cert_file < 0) t->cert_file = discover_add(m, t, path, k); break;
    default: discover_add(m, t, path, k); break;
    }
}

static int tenant_empty(const struct tenant *t)
{
    return t->layout == EXPORT_NONE && !t->nusers && t->sso_file < 0 && t->flexconf_file < 0 &&
           t->workers_file < 0;
}

/* A directory without the layout of inputs.md (`ssolint users/`): its own input files,
 * classified by content as if they were named on the command line. */
static void add_dir_explicit(struct model *m, struct tenant *t, const char *dir)
{
    static const char *const exts[] = {".json", ".ndjson", ".jsonl", ".gz", ".yaml", ".yml",
                                       NULL};
    size_t n;
    char **names = list_dir(m, t, dir, exts, &n);
    for (size_t i = 0; i < n; i++) {
        char *p = path_join(dir, names[i]);
        if (is_file(m, t, p))
            add_explicit(m, t, p);
        free(p);
    }
    free_list(names, n);
}

/* Is path equal to or below sel (both canonical)? */
static int under(const char *path, const char *sel)
{
    size_t n = strlen(sel);
    if (strncmp(path, sel, n))
        return 0;
    return path[n] == '\0' || path[n] == '/' || (n == 1 && sel[0] == '/');
}

/* The PATHs of the command line, canonical (NULL for one that does not exist): a file's
 * findings are reported when it lies in one of them, by real paths (a PATH that is a link
 * inside the project selects what it leads to) or by the locations of the names (a link
 * under a PATH directory is reported where it is, even when its target is not). Every
 * source is marked when it is registered, so findings made while discovering (at
 * .ssolint.yaml) and sources found later (Action code read by the load stage) follow the
 * same choice. selection[i] is PATH i's real path, selection[nselection + i] its location. */
static char **selection;
static int nselection = -1; /* -1: no selection yet (every file is reported) */

static void mark_reported(int id)
{
    struct source *s = source_get(id);
    char rp[PATH_MAX], lp[PATH_MAX];
    if (!s || nselection < 0)
        return;
    s->reported = 0;
    int real = path_real(s->path, rp), at = path_location(s->path, lp);
    for (int i = 0; i < nselection && !s->reported; i++)
        s->reported = (real && selection[i] && under(rp, selection[i])) ||
                      (at && selection[nselection + i] && under(lp, selection[nselection + i]));
}

static void select_reported(char **paths, int npaths)
{
    discover_selection_free();
    selection = xcalloc((size_t)npaths * 2 + 1, sizeof(*selection));
    for (int i = 0; i < npaths; i++) {
        char rp[PATH_MAX];
        selection[i] = path_real(paths[i], rp) ? xstrdup(rp) : NULL;
        selection[npaths + i] = path_location(paths[i], rp) ? xstrdup(rp) : NULL;
    }
    nselection = npaths;
    for (int id = 0; id < source_count(); id++)
        mark_reported(id);
}

void discover_selection_free(void)
{
    for (int i = 0; i < nselection * 2; i++)
        free(selection[i]);
    free(selection);
    selection = NULL;
    nselection = -1;
}

int discover(struct model *m, char **paths, int npaths)
{
    struct config *c = m->cfg;
    select_reported(paths, npaths);
    for (int i = 0; i < npaths; i++) {
        struct stat st;
        if (stat(paths[i], &st) < 0) {
            error("cannot access '%s': %s", paths[i], strerror(errno));
            m->io_errors++;
        }
    }
    if (c->tenants_declared) {
        for (size_t i = 0; i < c->ntenants; i++) {
            struct tenant *t = new_tenant(m, &c->tenants[i], c->root);
            discover_declared(m, t);
        }
    } else if (c->file >= 0) {
        struct tenant *t = new_tenant(m, &c->tenants[0], c->root);
        discover_layout(m, t);
    } else {
        /* no config: each directory PATH is a repository of its own */
        for (int i = 0; i < npaths; i++) {
            if (!is_dir(m, NULL, paths[i]))
                continue;
            struct tenant *t = new_tenant(m, &c->tenants[0], paths[i]);
            discover_layout(m, t);
            if (tenant_empty(t))
                add_dir_explicit(m, t, paths[i]);
        }
    }
    /* files named on the command line that no tenant found */
    for (int i = 0; i < npaths; i++) {
        if (!is_file(m, NULL, paths[i]) || source_find(paths[i]) >= 0)
            continue;
        char rp[PATH_MAX], *dup = NULL;
        int known = 0;
        if (path_real(paths[i], rp))
            for (int id = 0; id < source_count() && !known; id++) {
                char r2[PATH_MAX];
                known = path_real(source_get(id)->path, r2) && !strcmp(r2, rp);
            }
        if (known)
            continue;
        if (!m->ntenants)
            new_tenant(m, &c->tenants[0], c->root);
        dup = xstrdup(paths[i]);
        add_explicit(m, &m->tenants[0], dup);
        free(dup);
    }
    if (c->file >= 0 && source_get(c->file))
        source_get(c->file)->tenant = -1;
    for (size_t i = 0; i < m->ntenants; i++)
        missing_inputs(m, &m->tenants[i]);
    return 0;
}
