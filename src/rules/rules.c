/* rules/rules.c - loading and validating rule files (rules/<group>.yaml, version: 1) and the
 * registry of rules with their effective severities. A rule file that does not
 * validate is a usage error located at the offending key or value. */
#include "rules/rules.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check/check.h"
#include "rules/finding.h"
#include "load/yaml.h"
#include "base/path.h"
#include "base/util.h"

static struct rule *rules;
static size_t nrules, caprules;

static const char *const scopes[] = {"users", "clients", "actions", "code", "flex",
                                     "workers", "tenants", "files", "config", NULL};

int rule_count(void)
{
    return (int)nrules;
}

struct rule *rule_get(int i)
{
    return (i >= 0 && (size_t)i < nrules) ? &rules[i] : NULL;
}

int rule_find(const char *id)
{
    for (size_t i = 0; i < nrules; i++)
        if (!strcmp(rules[i].id, id))
            return (int)i;
    return -1;
}

const char *rule_suggest(const char *name)
{
    static char buf[160];
    const char *best = NULL;
    size_t bestd = 3;
    int ties = 0;
    for (size_t i = 0; i < nrules; i++) {
        const char *cand[2] = {rules[i].id, rules[i].group};
        for (int k = 0; k < 2; k++) {
            size_t d = edit_distance(name, cand[k], 2);
            if (d < bestd) {
                bestd = d;
                best = cand[k];
                ties = 0;
            } else if (d == bestd && best && strcmp(best, cand[k])) {
                ties++;
            }
        }
    }
    if (!best || ties || bestd == 0)
        return "";
    snprintf(buf, sizeof(buf), "; did you mean '%s'?", best);
    return buf;
}

int rule_on(int i)
{
    const struct rule *r = rule_get(i);
    return r && r->severity != SEV_OFF;
}

void rules_free(void)
{
    for (size_t i = 0; i < nrules; i++) {
        struct rule *r = &rules[i];
        free(r->id);
        free(r->group);
        free(r->summary);
        free(r->scope);
        free(r->message);
        free(r->fix_description);
        free(r->impact_one);
        free(r->impact_other);
        free(r->check);
        free(r->page);
        json_decref(r->options);
        json_decref(r->when);
        if (r->free_state)
            r->free_state(r->state);
    }
    free(rules);
    rules = NULL;
    nrules = caprules = 0;
    rules_set_url(NULL);
}

static int valid_id(const char *s)
{
    if (!*s)
        return 0;
    for (const char *p = s; *p; p++) {
        int ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                 (*p == '-' && p != s && p[1] && p[-1] != '-');
        if (!ok)
            return 0;
    }
    return 1;
}

static uint64_t at_key(const struct doc *d, json_t *obj, const char *key, uint64_t dflt)
{
    const struct loc *l = doc_key(d, obj, key);
    return l ? l->key : dflt;
}

static uint64_t at_val(const struct doc *d, json_t *obj, const char *key, uint64_t dflt)
{
    const struct loc *l = doc_key(d, obj, key);
    return l ? l->start : dflt;
}

/* A required or optional string member. Returns 0 when fine. */
static int get_str(const struct doc *d, json_t *obj, const char *key, int required,
                   uint64_t entry_off, char **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v) {
        if (required)
            return source_error(d->file, entry_off, "rule entry lacks '%s'", key);
        return 0;
    }
    if (!json_is_string(v) || !json_string_length(v))
        return source_error(d->file, at_val(d, obj, key, entry_off),
                            "'%s' must be a non-empty string", key);
    *out = xstrdup(json_string_value(v));
    return 0;
}

static int in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(s, *list))
            return 1;
    return 0;
}

/* Built-in pages are <datadir>/doc/rules/<id>.md; a user rule's page is <id>.md beside
 * its rule file. Whether it is there is found out when it is read (--explain, SARIF),
 * not at start-up. */
static char *page_path(const char *pagedir, const char *id, int builtin)
{
    return builtin ? xasprintf("%s/doc/rules/%s.md", pagedir, id)
                   : xasprintf("%s/%s.md", pagedir, id);
}

/* The optional `fix: {safety: safe|unsafe, description: TEXT}` of a rule entry. */
static int load_fix(const struct doc *d, json_t *e, uint64_t off, struct rule *r)
{
    json_t *fx = json_object_get(e, "fix");
    if (!fx)
        return 0;
    const char *safety = json_string_value(json_object_get(fx, "safety"));
    const char *k;
    json_t *v;
    if (!json_is_object(fx) || !safety || (strcmp(safety, "safe") && strcmp(safety, "unsafe")))
        return source_error(d->file, at_val(d, e, "fix", off),
                            "'fix' must be a mapping with 'safety: safe' or 'safety: unsafe' "
                            "and a 'description'");
    json_object_foreach(fx, k, v) {
        if (strcmp(k, "safety") && strcmp(k, "description"))
            return source_error(d->file, at_key(d, fx, k, off), "unknown fix key (expected 'safety' and 'description')");
    }
    if (get_str(d, fx, "description", 1, at_val(d, e, "fix", off), &r->fix_description))
        return -1;
    r->fix = strcmp(safety, "safe") ? FIX_UNSAFE : FIX_SAFE;
    return 0;
}

/* The optional `impact: {one: TEXT, other: TEXT with {count}}` of a rule entry: what its
 * findings mean to the people who run the contact centre (the HTML report's summary). */
static int load_impact(const struct doc *d, json_t *e, uint64_t off, struct rule *r)
{
    json_t *im = json_object_get(e, "impact");
    if (!im)
        return 0;
    if (!json_is_object(im) || json_object_size(im) != 2 ||
        !json_is_string(json_object_get(im, "one")) || !json_is_string(json_object_get(im, "other")))
        return source_error(d->file, at_val(d, e, "impact", off),
                            "'impact' must be a mapping of 'one' and 'other' sentences");
    r->impact_one = xstrdup(json_string_value(json_object_get(im, "one")));
    r->impact_other = xstrdup(json_string_value(json_object_get(im, "other")));
    return 0;
}

static int load_entry(const struct doc *d, json_t *e, uint64_t off, int builtin,
                      const char *pagedir)
{
    static const char *const keys[] = {"id", "group", "severity", "summary", "scope", "when",
                                       "check", "message", "fix", "impact", NULL};
    int rc = 0;
    if (!json_is_object(e))
        return source_error(d->file, off, "a rule entry must be a mapping");
    const char *k;
    json_t *v;
    struct rule r;
    memset(&r, 0, sizeof(r));
    char *sev = NULL;
    rc |= get_str(d, e, "id", 1, off, &r.id);
    rc |= get_str(d, e, "group", 1, off, &r.group);
    rc |= get_str(d, e, "severity", 1, off, &sev);
    rc |= get_str(d, e, "summary", 1, off, &r.summary);
    rc |= get_str(d, e, "scope", 1, off, &r.scope);
    rc |= get_str(d, e, "message", 1, off, &r.message);
    rc |= load_fix(d, e, off, &r);
    rc |= load_impact(d, e, off, &r);
    if (r.id && !valid_id(r.id))
        rc |= source_error(d->file, at_val(d, e, "id", off),
                           "rule id must be lowercase words joined by '-'");
    if (r.id && rule_find(r.id) >= 0)
        rc |= source_error(d->file, at_val(d, e, "id", off), "this rule id is already defined%s",
                           rules[rule_find(r.id)].builtin ? " by a built-in rule" : "");
    if (sev && (r.default_severity = severity_parse(sev)) <= SEV_OFF)
        rc |= source_error(d->file, at_val(d, e, "severity", off),
                           "severity must be error, warning or note");
    if (r.scope && !in_list(r.scope, scopes))
        rc |= source_error(d->file, at_val(d, e, "scope", off),
                           "unknown scope (expected users, clients, actions, code, flex, workers, "
                           "tenants, files or config)");
    json_t *chk = json_object_get(e, "check");
    json_t *fn = chk ? json_object_get(chk, "function") : NULL;
    if (!chk)
        rc |= source_error(d->file, off, "rule entry lacks 'check'");
    else if (!json_is_object(chk) || !json_is_string(fn))
        rc |= source_error(d->file, at_val(d, e, "check", off),
                           "'check' must be a mapping with a 'function' name");
    else if (!check_find(json_string_value(fn)))
        rc |= source_error(d->file, at_val(d, chk, "function", off),
                           "unknown check function (doc/rule-format.md lists them)");
    else {
        r.check = xstrdup(json_string_value(fn));
        r.options = json_incref(json_object_get(chk, "options"));
        json_object_foreach(chk, k, v) {
            if (strcmp(k, "function") && strcmp(k, "options"))
                rc |= source_error(d->file, at_key(d, chk, k, off), "unknown check key (expected 'function' and 'options')");
        }
    }
    json_object_foreach(e, k, v) {
        if (!in_list(k, keys))
            rc |= source_error(d->file, at_key(d, e, k, off), "unknown rule key (expected id, group, severity, summary, "
                               "scope, when, check, message, fix, impact)");
    }
    json_t *when = json_object_get(e, "when");
    if (when) {
        json_t *pat = json_object_get(when, "pattern");
        if (!json_is_object(when) || json_object_size(when) != (pat ? 1u : 0u) ||
            (pat && (!json_is_string(pat) || (strcmp(json_string_value(pat), "A") &&
                                              strcmp(json_string_value(pat), "B")))))
            rc |= source_error(d->file, at_val(d, e, "when", off),
                               "'when' takes one condition: pattern: A or pattern: B");
    }
    r.when = json_incref(when);
    free(sev);
    if (rc) {
        free(r.id);
        free(r.group);
        free(r.summary);
        free(r.scope);
        free(r.message);
        free(r.fix_description);
        free(r.impact_one);
        free(r.impact_other);
        free(r.check);
        json_decref(r.options);
        json_decref(r.when);
        return -1;
    }
    r.severity = r.default_severity;
    r.builtin = builtin;
    r.file = d->file;
    r.off = off;
    r.page = page_path(pagedir, r.id, builtin);
    GROW(rules, caprules, nrules + 1);
    rules[nrules] = r;
    int ri = (int)nrules++;
    const struct check_fn *cf = check_find(rules[ri].check);
    if (cf->prepare) {
        struct strbuf err = STRBUF_INIT;
        if (cf->prepare(&rules[ri], ri, &err) < 0) {
            source_error(d->file, at_val(d, e, "check", off), "%s", sb_str(&err));
            sb_free(&err);
            return -1;
        }
        sb_free(&err);
    }
    return 0;
}

static void report_yaml(void *ctx, const struct ld_diag *dg)
{
    int *file = ctx;
    if (dg->kind == LD_DUPLICATE_KEY)
        source_error(*file, dg->off, "duplicate key");
    else
        source_error(*file, dg->off, "%s", dg->msg);
    file[1] = -1;
}

static const struct rules_catalogue *catalogue;

void rules_use_catalogue(const struct rules_catalogue *c)
{
    catalogue = c;
}

/* The catalogue's {"root", "offs"} for a built-in file with exactly this text, or NULL. */
static json_t *from_catalogue(const char *path, const char *text, size_t len)
{
    if (!catalogue)
        return NULL;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    for (size_t i = 0; i < catalogue->n; i++) {
        const struct rules_catalogue_file *f = &catalogue->files[i];
        if (f->len == len && !strcmp(f->name, base) && !memcmp(f->text, text, len))
            return catalogue_decode(f->data, f->data_len);
    }
    return NULL;
}

/* Read and parse one rule file into d (its source registered). Returns the text's
 * catalogue entry when it came from there (then d's positions are empty), NULL
 * otherwise; *rc is -1 when the file could not be read or parsed. A file that is not
 * trusted (a user's rule file) is read through the path guard. */
static json_t *parse_file(const char *path, int builtin, int trusted, struct doc *d, int *rc)
{
    size_t len;
    enum path_verdict v = PATH_OK;
    char *text = trusted ? file_read(path, LOAD_MAX_DOC, &len)
                         : path_read(path, LOAD_MAX_DOC, &len, &v);
    *rc = 0;
    if (!text) {
        *rc = v == PATH_OK || v == PATH_MISSING
                  ? error("cannot read rule file '%s': %s", path, strerror(errno))
                  : error("rule file '%s' is not read: it is %s", path,
                                        path_refusal(path, v));
        return NULL;
    }
    int id = source_add(path, path, SRC_RULES);
    source_set_text(id, text, len);
    struct source *s = source_get(id);
    *d = (struct doc){NULL, {0, 0, 0, 0}, locmap_new(), id};
    json_t *cat = builtin ? from_catalogue(path, s->text, len) : NULL;
    if (cat) {
        d->root = json_incref(json_object_get(cat, "root"));
        return cat;
    }
    size_t skip = s->has_bom ? 3 : 0;
    int ctx[2] = {id, 0};
    struct load_opts o = {skip, NULL, report_yaml, ctx, d->locs, 0};
    d->root = yaml_scan(s->text + skip, len - skip, &o, &d->root_loc);
    if (!d->root || ctx[1])
        *rc = -1;
    return NULL;
}

/* The offset of entry i of the rules list. */
static uint64_t entry_off(const struct doc *d, json_t *cat, json_t *list, size_t i)
{
    if (cat)
        return (uint64_t)json_integer_value(json_array_get(json_object_get(cat, "offs"), i));
    const struct loc *l = doc_index(d, list, i);
    return l ? l->start : 0;
}

static int load_file(const char *path, int builtin, const char *pagedir)
{
    struct doc d = {NULL, {0, 0, 0, 0}, NULL, -1};
    int rc;
    json_t *cat = parse_file(path, builtin, builtin, &d, &rc);
    if (rc || !d.root) {
        rc = -1;
        goto out;
    }
    int id = d.file;
    json_t *ver = json_object_get(d.root, "version");
    json_t *list = json_object_get(d.root, "rules");
    if (!json_is_object(d.root)) {
        rc = source_error(id, d.root_loc.start, "a rule file must be a mapping with 'version' and 'rules'");
        goto out;
    }
    const char *k;
    json_t *v;
    json_object_foreach(d.root, k, v) {
        if (strcmp(k, "version") && strcmp(k, "rules"))
            rc = source_error(id, at_key(&d, d.root, k, 0), "unknown key (expected 'version' and 'rules')");
    }
    if (!ver || !json_is_integer(ver) || json_integer_value(ver) != 1)
        rc = source_error(id, ver ? at_val(&d, d.root, "version", 0) : 0,
                          "rule files need 'version: 1'");
    if (!json_is_array(list)) {
        rc = source_error(id, list ? at_val(&d, d.root, "rules", 0) : 0,
                          "'rules' must be a list of rule entries");
        goto out;
    }
    for (size_t i = 0; i < json_array_size(list); i++)
        if (load_entry(&d, json_array_get(list, i), entry_off(&d, cat, list, i), builtin,
                       pagedir) < 0)
            rc = -1;
out:
    json_decref(cat);
    doc_free(&d);
    return rc;
}

char *rules_file_data(const char *path, size_t *len)
{
    struct doc d = {NULL, {0, 0, 0, 0}, NULL, -1};
    int rc;
    parse_file(path, 0, 1, &d, &rc); /* the build's own rule files: no catalogue */
    char *out = NULL;
    json_t *list = json_object_get(d.root, "rules");
    if (!rc && json_is_array(list)) {
        json_t *offs = json_array();
        for (size_t i = 0; i < json_array_size(list); i++)
            json_array_append_new(offs, json_integer((json_int_t)entry_off(&d, NULL, list, i)));
        json_t *o = json_pack("{s:O,s:o}", "root", d.root, "offs", offs);
        out = catalogue_encode(o, len);
        json_decref(o);
    }
    doc_free(&d);
    return out;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **rules_dir_files(const char *dir, size_t *n)
{
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    DIR *dh = opendir(dir);
    if (!dh)
        return NULL;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        size_t l = strlen(de->d_name);
        if (de->d_name[0] == '.' || l < 6 ||
            (strcmp(de->d_name + l - 5, ".yaml") && strcmp(de->d_name + l - 4, ".yml")))
            continue;
        GROW(names, cap, *n + 1);
        names[(*n)++] = xasprintf("%s/%s", dir, de->d_name);
    }
    closedir(dh);
    if (*n)
        qsort(names, *n, sizeof(*names), cmp_str);
    return names;
}

int rules_load_dir(const char *dir, int builtin)
{
    char *rdir = builtin ? xasprintf("%s/rules", dir) : xstrdup(dir);
    const char *pagedir = dir;
    struct stat st;
    enum path_verdict v = builtin ? PATH_OK : path_judge(rdir, &st);
    DIR *dh = v == PATH_OK ? opendir(rdir) : NULL;
    int rc = 0;
    if (v != PATH_OK && v != PATH_MISSING) {
        rc = error("rules directory '%s' is not read: it is %s", rdir, path_refusal(rdir, v));
        goto out;
    }
    if (!dh) {
        rc = error("cannot open rules directory '%s': %s", rdir, strerror(errno));
        goto out;
    }
    closedir(dh);
    size_t n = 0;
    char **names = rules_dir_files(rdir, &n);
    for (size_t i = 0; i < n; i++) {
        if (load_file(names[i], builtin, pagedir) < 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    if (builtin && n == 0)
        rc = error("no rule files in '%s'", rdir);
out:
    free(rdir);
    return rc;
}

/* Apply fn to the rules a comma-separated list of ids and groups names. */
static int for_listed(const char *list, int (*fn)(struct rule *, int), int arg)
{
    char *copy = xstrdup(list), *save = NULL;
    int rc = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        int hit = 0;
        for (size_t i = 0; i < nrules; i++)
            if (!strcmp(rules[i].id, tok) || !strcmp(rules[i].group, tok))
                hit += fn(&rules[i], arg);
        if (!hit && *tok)
            rc = error("unknown rule or group '%s'%s (see --list-rules)", tok, rule_suggest(tok));
    }
    free(copy);
    return rc;
}

static int set_sev(struct rule *r, int sev)
{
    r->severity = sev;
    return 1;
}

static int mark(struct rule *r, int v)
{
    r->selected = v;
    return 1;
}

int rules_set_severity(const char *id_or_group, int sev)
{
    int n = 0;
    for (size_t i = 0; i < nrules; i++)
        if (!strcmp(rules[i].id, id_or_group) || !strcmp(rules[i].group, id_or_group))
            n += set_sev(&rules[i], sev);
    return n;
}

int rules_select(const char *list)
{
    for (size_t i = 0; i < nrules; i++)
        mark(&rules[i], 0);
    if (for_listed(list, mark, 1) < 0)
        return -1;
    for (size_t i = 0; i < nrules; i++) {
        if (!rules[i].selected)
            rules[i].severity = SEV_OFF;
    }
    return 0;
}

int rules_ignore(const char *list)
{
    return for_listed(list, set_sev, SEV_OFF);
}

char *rule_page_text(const struct rule *r)
{
    if (!r->page)
        return NULL;
    size_t len;
    enum path_verdict v;
    return r->builtin ? file_read(r->page, LOAD_MAX_DOC, &len)
                      : path_read(r->page, LOAD_MAX_DOC, &len, &v);
}
