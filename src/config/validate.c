/* config/validate.c - the toolkit of the configuration's validation pass (config.c walks
 * the schema with it): errors collected with their offsets, members read with their
 * expected type (a string, a list of strings, a mapping, a path relative to the config,
 * one of a set of words with a near miss), and the checks of single values: team names
 * that differ only in spelling, bare host names, calendar dates, declared tenant names.
 * Each reports through cv_err and leaves the value out; nothing here stops the pass. */
#include "config/config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"
#include "base/util.h"

void cv_err(struct cv *v, uint64_t off, const char *fmt, ...)
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

/* s made safe to show inside a message (escaped, cut). New string. */
char *cv_disp(const char *s)
{
    struct strbuf sb = STRBUF_INIT;
    sb_add_display(&sb, s, strlen(s), 60);
    return sb_detach(&sb);
}

/* ---- positions -------------------------------------------------------------------- */

uint64_t cv_key_off(const struct cv *v, const json_t *obj, const char *key)
{
    const struct loc *l = doc_key(&v->cfg->doc, obj, key);
    return l ? l->key : v->cfg->doc.root_loc.start;
}

uint64_t cv_val_off(const struct cv *v, const json_t *obj, const char *key)
{
    const struct loc *l = doc_key(&v->cfg->doc, obj, key);
    return l ? l->start : v->cfg->doc.root_loc.start;
}

uint64_t cv_idx_off(const struct cv *v, const json_t *arr, size_t i)
{
    const struct loc *l = doc_index(&v->cfg->doc, arr, i);
    return l ? l->start : v->cfg->doc.root_loc.start;
}

/* ---- typed members ---------------------------------------------------------------- */

static const char *quote_hint(const json_t *x)
{
    return json_is_number(x) || json_is_boolean(x) ? " (quote it)" : "";
}

int cv_in_list(const char *s, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(s, list[i]))
            return 1;
    return 0;
}

/* The entry of list within edit distance 2 of s (the nearest), or NULL. */
const char *cv_near_miss(const char *s, const char *const *list)
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

/* obj[key] when present and not null. */
json_t *cv_member(const json_t *obj, const char *key)
{
    json_t *x = json_object_get(obj, key);
    return json_is_null(x) ? NULL : x;
}

/* A string member: 1 set, 0 absent, -1 wrong type (reported). */
int cv_want_str(struct cv *v, json_t *obj, const char *key, char **out, json_t **node)
{
    json_t *x = cv_member(obj, key);
    if (!x)
        return 0;
    if (!json_is_string(x)) {
        cv_err(v, cv_val_off(v, obj, key), "'%s' must be a string%s", key, quote_hint(x));
        return -1;
    }
    *out = xstrdup(json_string_value(x));
    if (node)
        *node = x;
    return 1;
}

/* A list of strings (or, when single_ok, one string): 1 set, 0 absent, -1 reported. */
int cv_want_list(struct cv *v, json_t *obj, const char *key, int single_ok, struct cfg_list *out)
{
    json_t *x = cv_member(obj, key);
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
        cv_err(v, cv_val_off(v, obj, key), "'%s' must be %s", key, what);
        return -1;
    }
    int ok = 1;
    for (size_t i = 0; i < json_array_size(x); i++) {
        json_t *e = json_array_get(x, i);
        if (!json_is_string(e)) {
            cv_err(v, cv_idx_off(v, x, i), "'%s' must be %s%s", key, what, quote_hint(e));
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
json_t *cv_want_map(struct cv *v, json_t *obj, const char *key)
{
    json_t *x = cv_member(obj, key);
    if (x && !json_is_object(x)) {
        cv_err(v, cv_val_off(v, obj, key), "'%s' must be a mapping", key);
        return NULL;
    }
    return x;
}

/* A path relative to the config's directory, as the rest of ssolint opens it. */
char *cv_resolve(const struct config *cfg, const char *p)
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

int cv_want_path(struct cv *v, json_t *obj, const char *key, char **out, json_t **node)
{
    char *s = NULL;
    int rc = cv_want_str(v, obj, key, &s, node);
    if (rc > 0) {
        if (!*s) {
            cv_err(v, cv_val_off(v, obj, key), "'%s' must not be empty", key);
            rc = -1;
        } else {
            *out = cv_resolve(v->cfg, s);
        }
    }
    free(s);
    return rc;
}

/* A string that must be one of list; reported with a near miss when one is close. */
int cv_want_enum(struct cv *v, json_t *obj, const char *key, const char *const *list,
                 const char *expect, char **out)
{
    int rc = cv_want_str(v, obj, key, out, NULL);
    if (rc > 0 && !cv_in_list(*out, list)) {
        const char *dym = cv_near_miss(*out, list);
        cv_err(v, cv_val_off(v, obj, key), "'%s' must be %s%s%s%s", key, expect,
               dym ? "; did you mean '" : "", dym ? dym : "", dym ? "'?" : "");
        free(*out);
        *out = NULL;
        rc = -1;
    }
    return rc;
}

/* ---- values ----------------------------------------------------------------------- */

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
void cv_check_teams(struct cv *v, const struct cfg_list *teams)
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
        char *a = cv_disp(teams->v[i]), *b = cv_disp(teams->v[other]);
        cv_err(v, cv_idx_off(v, teams->node, i),
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
void cv_check_hosts(struct cv *v, json_t *obj, const char *key, const struct cfg_list *l,
                    const char *example)
{
    for (size_t i = 0; i < l->n; i++)
        if (bad_host(l->v[i]))
            cv_err(v, json_is_array(l->node) ? cv_idx_off(v, l->node, i) : cv_val_off(v, obj, key),
                   "'%s' must name a domain like %s", key, example);
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

/* YYYY-MM-DD, a real calendar day. */
int cv_parse_date(const char *s, int *y, int *m, int *d)
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
void cv_check_tenant_name(struct cv *v, json_t *e, const char *name)
{
    const struct config *cfg = v->cfg;
    const char **names = xcalloc(cfg->ntenants + 1, sizeof(char *));
    size_t n = 0;
    for (size_t k = 0; k < cfg->ntenants; k++)
        if (cfg->tenants[k].name)
            names[n++] = cfg->tenants[k].name;
    if (!cv_in_list(name, names)) {
        const char *dym = cv_near_miss(name, names);
        char *d = cv_disp(name);
        cv_err(v, cv_val_off(v, e, "tenant"), "unknown tenant '%s'%s%s%s", d,
               dym ? "; did you mean '" : "", dym ? dym : "", dym ? "'?" : "");
        free(d);
    }
    free(names);
}
