/* init.c - `ssolint --init`: write a first `.ssolint.yaml` from what discovery finds under
 * the directory of the first PATH. Each tenant directory (the directory itself when it
 * has the layout of doc/inputs.md, else each subdirectory that has it) becomes a tenant
 * with its export, users files, deploy-cli config, Auth0 domain and Flex files; the email
 * domains and teams seen in its users go in with their counts. What only a person can
 * decide (organization, pattern, rationale) is written as commented lines marked CHOOSE,
 * so the file lints as it is (pattern-undeclared says what is still open). An existing
 * file is never replaced: the file is written to a temporary file and renamed without
 * replacing (renameat2 RENAME_NOREPLACE, else link), so neither a file nor a symlink of
 * that name created meanwhile is overwritten or followed. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "check/check.h"
#include "config/config.h"
#include "load/users.h"
#include "model/discover.h"
#include "model/model.h"
#include "rules/finding.h"
#include "rules/rules.h"
#include "ssolint.h"

#define INIT_NAME ".ssolint.yaml"
/* the characters of a host name: an email whose domain has others is not counted */
#define HOST_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-"

/* A value seen in the users and how often. */
struct seen {
    char **v;
    size_t *n;
    size_t len, cap;
};

static void seen_add(struct seen *s, const char *v)
{
    for (size_t i = 0; i < s->len; i++)
        if (!strcmp(s->v[i], v)) {
            s->n[i]++;
            return;
        }
    if (s->len == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 8;
        s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
        s->n = xrealloc(s->n, s->cap * sizeof(*s->n));
    }
    s->v[s->len] = xstrdup(v);
    s->n[s->len++] = 1;
}

static void seen_free(struct seen *s)
{
    for (size_t i = 0; i < s->len; i++)
        free(s->v[i]);
    free(s->v);
    free(s->n);
}

/* Most often first, then by name. */
static void seen_sort(struct seen *s)
{
    for (size_t i = 1; i < s->len; i++)
        for (size_t j = i; j > 0 && (s->n[j] > s->n[j - 1] ||
                                     (s->n[j] == s->n[j - 1] && strcmp(s->v[j], s->v[j - 1]) < 0)); j--) {
            char *v = s->v[j];
            size_t n = s->n[j];
            s->v[j] = s->v[j - 1], s->n[j] = s->n[j - 1];
            s->v[j - 1] = v, s->n[j - 1] = n;
        }
}

struct tenant_seen {
    struct seen domains, teams;
    size_t users;
};

static int on_user(void *ctx, const struct user_rec *r)
{
    struct tenant_seen *ts = ctx;
    const char *email = json_string_value(json_object_get(r->doc->root, "email"));
    const char *at = email ? strrchr(email, '@') : NULL;
    json_t *flex = json_object_get(json_object_get(r->doc->root, "app_metadata"), "flex");
    const char *team = json_string_value(json_object_get(flex, "team"));
    ts->users++;
    if (at && at[1] && strlen(at + 1) < 254 && strspn(at + 1, HOST_CHARS) == strlen(at + 1)) {
        char *d = xstrdup(at + 1);
        for (char *p = d; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        seen_add(&ts->domains, d);
        free(d);
    }
    if (team && *team && strlen(team) < 200)
        seen_add(&ts->teams, team);
    return 0;
}

/* Does dir have the layout of doc/inputs.md? */
static int has_layout(const char *dir)
{
    static const char *const marks[] = {"tenant.yaml", "tenant.json", "auth0/tenant.yaml",
                                        "auth0/tenant.json", "users", "flex", NULL};
    for (size_t i = 0; marks[i]; i++) {
        char *p = path_join(dir, marks[i]);
        struct stat st;
        int ok = stat(p, &st) == 0;
        free(p);
        if (ok)
            return 1;
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The subdirectories of dir that are not hidden and not symlinks (new strings). */
static char **list_subdirs(const char *dir, size_t *n)
{
    char **v = NULL;
    size_t cap = 0;
    DIR *dh = opendir(dir);
    struct dirent *de;
    *n = 0;
    while (dh && (de = readdir(dh)) != NULL) {
        struct stat st;
        if (de->d_name[0] == '.')
            continue;
        char *p = path_join(dir, de->d_name);
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            GROW(v, cap, *n + 1);
            v[(*n)++] = p;
        } else {
            free(p);
        }
    }
    if (dh)
        closedir(dh);
    return v;
}

/* The tenant directories under root (new array of new strings, *n of them). */
static char **tenant_dirs(const char *root, int *n)
{
    char **v = NULL;
    *n = 0;
    if (has_layout(root)) {
        v = xcalloc(1, sizeof(*v));
        v[(*n)++] = xstrdup(root);
        return v;
    }
    size_t nf = 0;
    char **names = list_subdirs(root, &nf);
    for (size_t i = 0; i < nf; i++) {
        if (has_layout(names[i])) {
            v = xrealloc(v, (size_t)(*n + 1) * sizeof(*v));
            v[(*n)++] = names[i];
        } else {
            free(names[i]);
        }
    }
    free(names);
    if (*n > 1)
        qsort(v, (size_t)*n, sizeof(*v), cmp_str);
    return v;
}

/* A YAML scalar: plain when it is safe, else double-quoted (JSON's escapes are YAML's). */
static void put_scalar(FILE *out, const char *s)
{
    int plain = *s && strchr("-.?:,[]{}#&*!|>'\"%@`~ ", *s) == NULL;
    for (const char *p = s; *p && plain; p++)
        plain = isalnum((unsigned char)*p) || strchr("._/-", *p);
    if (plain) {
        fputs(s, out);
        return;
    }
    json_t *j = json_string(s);
    char *q = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    fputs(q ? q : "\"\"", out);
    free(q);
    json_decref(j);
}

/* path relative to root (the config's directory). */
static const char *rel_to(const char *root, const char *path)
{
    size_t n = strlen(root);
    if (!strcmp(root, "."))
        return strncmp(path, "./", 2) ? path : path + 2;
    if (!strncmp(path, root, n) && path[n] == '/')
        return path + n + 1;
    return path;
}

static void put_path(FILE *out, const char *key, const char *root, int file, int dir)
{
    const struct source *src = source_get(file);
    if (!src)
        return;
    char *p = xstrdup(rel_to(root, src->path));
    char *slash = strrchr(p, '/');
    if (dir) /* the export: the directory of tenant.json / tenant.yaml */
        slash ? (void)(slash[1] = '\0') : (void)(p[0] = '\0');
    fprintf(out, "      %s: ", key);
    put_scalar(out, *p ? p : "./");
    fputc('\n', out);
    free(p);
}

/* "a (3 users), b (1 user)" in a comment: control characters shown escaped, so a value
 * cannot end the comment line. */
static void put_counts(FILE *out, const struct seen *s, const char *unit)
{
    for (size_t i = 0; i < s->len; i++) {
        struct strbuf sb = STRBUF_INIT;
        sb_add_display(&sb, s->v[i], strlen(s->v[i]), 80);
        fprintf(out, "%s%s (%zu %s%s)", i ? ", " : "", sb_str(&sb), s->n[i], unit,
                s->n[i] == 1 ? "" : "s");
        sb_free(&sb);
    }
}

/* The values of s (sorted) seen at least min times, and the first one always. */
static void put_list(FILE *out, const char *key, const struct seen *s, size_t min)
{
    size_t k = 0;
    fprintf(out, "    %s: [", key);
    for (size_t i = 0; i < s->len; i++)
        if (!i || s->n[i] >= min) {
            fputs(k++ ? ", " : "", out);
            put_scalar(out, s->v[i]);
        }
    fputs("]\n", out);
}

/* Lowercase without spaces, '_' and '-': the spellings team-case-mismatch calls one team. */
static int same_team(const char *a, const char *b)
{
    for (;;) {
        while (*a && strchr(" _-", *a))
            a++;
        while (*b && strchr(" _-", *b))
            b++;
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
        if (!*a)
            return 1;
        a++, b++;
    }
}

/* The teams to declare: the most frequent spelling of each team (s sorted). */
static void main_spellings(struct seen *s, struct seen *out)
{
    for (size_t i = 0; i < s->len; i++) {
        size_t j = 0;
        while (j < i && !same_team(s->v[i], s->v[j]))
            j++;
        if (j == i)
            seen_add(out, s->v[i]);
    }
}

static void put_people(FILE *out, const char *name, struct tenant_seen *ts)
{
    fprintf(out, "    # CHOOSE: the organization this tenant serves (its legal name). Tenants of one\n"
                 "    # organization share it; users and teams of another organization are findings.\n"
                 "    # organization: %s\n", name);
    fputs("    # CHOOSE: A = one organization whose programs are kept apart by team attributes;\n"
          "    # B = one organization per tenant, no team attributes (doc/config.md).\n"
          "    # pattern: A\n"
          "    # CHOOSE: why this tenant has this pattern, in one sentence for the next person.\n"
          "    # rationale: ...\n", out);
    if (ts->domains.len) {
        /* another domain counts when 2 or more users and a fifth of the first one's have it */
        size_t top = ts->domains.n[0], min = (top + 4) / 5 > 2 ? (top + 4) / 5 : 2;
        fputs("    # CHECK: the organization's own email domains. Seen in the users: ", out);
        put_counts(out, &ts->domains, "user");
        fputs("\n", out);
        put_list(out, "email_domains", &ts->domains, min);
    }
    if (ts->teams.len) {
        struct seen main = {0};
        main_spellings(&ts->teams, &main);
        fputs("    # CHECK: the team names, spelled as Flex should see them. Seen in the users: ", out);
        put_counts(out, &ts->teams, "user");
        fputs("\n", out);
        put_list(out, "teams", &main, 0);
        seen_free(&main);
    }
}

static void put_files(FILE *out, const char *root, const struct tenant *t)
{
    if (t->root_file >= 0 || t->nusers || t->keywords_file >= 0 || t->auth0_domain) {
        fputs("    auth0:\n", out);
        if (t->auth0_domain) {
            fputs("      domain: ", out);
            put_scalar(out, t->auth0_domain);
            fputs("   # AUTH0_DOMAIN of the deploy-cli config\n", out);
        }
        if (t->root_file >= 0)
            put_path(out, "export", root, t->root_file, 1);
        if (t->nusers) {
            fputs("      users:\n", out);
            for (size_t i = 0; i < t->nusers; i++) {
                fputs("        - ", out);
                put_scalar(out, rel_to(root, source_get(t->users[i])->path));
                fputc('\n', out);
            }
        }
        if (t->keywords_file >= 0)
            put_path(out, "keywords", root, t->keywords_file, 0);
    }
    if (t->sso_file >= 0 || t->flexconf_file >= 0 || t->workers_file >= 0) {
        fputs("    flex:\n", out);
        if (t->sso_file >= 0)
            put_path(out, "sso", root, t->sso_file, 0);
        if (t->flexconf_file >= 0)
            put_path(out, "configuration", root, t->flexconf_file, 0);
        if (t->workers_file >= 0)
            put_path(out, "workers", root, t->workers_file, 0);
    }
}

/* The tenant's name: its directory's name (lowercase words joined by '-'). */
static char *tenant_label(const char *dir)
{
    char real[PATH_MAX];
    const char *base = realpath(dir, real) ? real : dir, *slash = strrchr(base, '/');
    struct strbuf sb = STRBUF_INIT;
    for (const char *p = slash && slash[1] ? slash + 1 : base; *p; p++)
        if (isalnum((unsigned char)*p))
            sb_addc(&sb, (char)tolower((unsigned char)*p));
        else if (sb.len && sb.buf[sb.len - 1] != '-')
            sb_addc(&sb, '-');
    if (!sb.len)
        sb_adds(&sb, "main");
    return sb_detach(&sb);
}

static void put_tenant(FILE *out, const char *root, const struct tenant *t, const char *name)
{
    struct tenant_seen ts = {0};
    for (size_t i = 0; i < t->nusers; i++) {
        struct users_stats st;
        users_stream(t->users[i], on_user, &ts, NULL, NULL, &st);
    }
    seen_sort(&ts.domains);
    seen_sort(&ts.teams);
    fputs("  - name: ", out);
    put_scalar(out, name);
    fputc('\n', out);
    put_people(out, name, &ts);
    put_files(out, root, t);
    seen_free(&ts.domains);
    seen_free(&ts.teams);
}

/* Write text to root/INIT_NAME through a temporary file, never replacing a file. */
static int write_new(const char *root, const char *text, size_t len)
{
    char *target = path_join(root, INIT_NAME), *tmp = path_join(root, INIT_NAME ".XXXXXX");
    int fd = mkstemp(tmp), rc = -1;
    if (fd < 0) {
        error("cannot write '%s': %s", target, strerror(errno));
        goto out;
    }
    if (fchmod(fd, 0644) < 0 || write(fd, text, len) != (ssize_t)len || fsync(fd) < 0) {
        error("cannot write '%s': %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        goto out;
    }
    close(fd);
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, target, RENAME_NOREPLACE) == 0 ||
        ((errno == EINVAL || errno == ENOSYS) && link(tmp, target) == 0 && unlink(tmp) == 0))
        rc = 0;
    else
        error("cannot create '%s': %s", target, strerror(errno));
    if (rc < 0)
        unlink(tmp);
out:
    free(tmp);
    free(target);
    return rc;
}

static int refuse_existing(const char *root)
{
    static const char *const names[] = {INIT_NAME, ".ssolint.yml"};
    for (size_t i = 0; i < 2; i++) {
        char *p = path_join(root, names[i]);
        struct stat st;
        int exists = lstat(p, &st) == 0;
        if (exists)
            error("'%s' exists already: --init does not replace it (edit it, or move it away "
                  "and run --init again)", p);
        free(p);
        if (exists)
            return -1;
    }
    return 0;
}

int ssolint_init(const struct options *o)
{
    const char *root = o->npaths ? o->paths[0] : ".";
    struct stat st;
    if (stat(root, &st) < 0 || !S_ISDIR(st.st_mode))
        return error("--init needs a directory, not '%s'", root), EXIT_USAGE;
    if (refuse_existing(root) < 0)
        return EXIT_USAGE;
    struct config cfg;
    struct model m;
    int n = 0, rc = EXIT_USAGE;
    char *datadir = rules_datadir(), **dirs = tenant_dirs(root, &n);
    memset(&m, 0, sizeof(m));
    memset(&cfg, 0, sizeof(cfg));
    if (rules_load_dir(datadir, 1) < 0 || config_load(&cfg, NULL) < 0)
        goto out;
    m.cfg = &cfg;
    discover(&m, dirs, n);
    model_load(&m);
    model_select(&m);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    fprintf(out, "# %s - written by `ssolint --init` from what it found here. Lines marked CHOOSE\n"
                 "# are decisions only you can make (uncomment them); CHECK lines were guessed from the\n"
                 "# files. Every key: doc/config.md. Then run: ssolint\n"
                 "version: 1\n", INIT_NAME);
    if (!m.ntenants)
        fputs("# No Auth0 export, users or Flex files were found (doc/inputs.md shows the layout).\n"
              "tenants: []\n", out);
    else
        fputs("tenants:\n", out);
    char **names = xcalloc(m.ntenants + 1, sizeof(*names));
    for (size_t i = 0; i < m.ntenants; i++) {
        names[i] = tenant_label(m.tenants[i].dir);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(names[i], names[j])) { /* two directories, one name */
                char *u = xasprintf("%s-%zu", names[i], i + 1);
                free(names[i]);
                names[i] = u;
                break;
            }
        put_tenant(out, root, &m.tenants[i], names[i]);
    }
    for (size_t i = 0; i < m.ntenants; i++)
        free(names[i]);
    free(names);
    fclose(out);
    if (write_new(root, text, len) == 0) {
        fprintf(stderr, "ssolint: wrote %s%s%s with %zu tenant%s: fill in the lines marked CHOOSE, "
                        "check those marked CHECK, then run ssolint\n",
                strcmp(root, ".") ? root : "", strcmp(root, ".") ? "/" : "", INIT_NAME,
                m.ntenants, m.ntenants == 1 ? "" : "s");
        rc = EXIT_CLEAN;
    }
    free(text);
out:
    model_free(&m);
    config_free(&cfg);
    for (int i = 0; i < n; i++)
        free(dirs[i]);
    free(dirs);
    free(datadir);
    findings_free();
    claims_free();
    rules_free();
    source_free_all();
    return rc;
}
