/* check/fn/enum.c - the `enum` check function: a value (a string, or an array of strings)
 * that must be one of a list of allowed values. One rule finds one kind of problem, so
 * that each has its own id and severity:
 *
 *   pointer: /app_metadata/flex/roles  the value, relative to the record (required)
 *   in: users                  only records of this kind (optional; default: the scope's)
 *   values: [a, b]             the allowed values, or
 *   also: [wfo.full_access]    values allowed whatever the list (not in {allowed})
 *   values_from: roles         a list of the config: roles (top level), teams or
 *                              email_domains (the tenant's; when the tenant declares none
 *                              the rule has nothing to compare with and stays silent)
 *   find: unknown              unknown: a value that is not allowed and not a case variant
 *                                of an allowed one ("did you mean" when exactly one allowed
 *                                value is within `near` edits, compared case-folded);
 *                              case: a case variant of an allowed value (`Supervisor`);
 *                              duplicate: the same value twice in the array (each later
 *                                occurrence, with a note at the first)
 *   near: 2                    edit distance for suggestions (0: none)
 *
 * Message arguments: {value}, {expected} (case: the allowed spelling), {suggestion},
 * {did_you_mean} (" (did you mean 'x'?)" or ""), {allowed} ('a', 'b', 'c').
 *
 * One cause, one finding: a value claimed by an earlier rule (wrong-type, or an `unknown`
 * / `case` rule of this function) is not judged again, so `unknown` and `case` exclude
 * each other by construction and `duplicate` (placed after them in the rule file) is
 * silent on a value that drew either. Unknown values (an unresolved placeholder, or in a
 * file that is not substituted, such as a users export, a value that is a whole
 * `##KEY##` / `@@KEY@@` placeholder) are never judged.
 * Memory: nothing outlives a record. */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/edit.h"
#include "rules/finding.h"
#include "report/report.h"

enum find { FIND_UNKNOWN, FIND_CASE, FIND_DUPLICATE };
enum vsource { FROM_OPTIONS, FROM_ROLES, FROM_TEAMS, FROM_EMAIL_DOMAINS };

struct enum_opts {
    char *pointer;
    int kind;          /* enum rec_kind, -1: any */
    enum find find;
    enum vsource from;
    char **values;     /* FROM_OPTIONS */
    size_t nvalues;
    char **also;       /* allowed whatever the list (Twilio's own wfo.* roles) */
    size_t nalso;
    size_t near;
};

static const struct config *the_cfg; /* set by begin: the top-level roles list */

static void free_opts(void *p)
{
    struct enum_opts *o = p;
    free(o->pointer);
    for (size_t i = 0; i < o->nvalues; i++)
        free(o->values[i]);
    free(o->values);
    for (size_t i = 0; i < o->nalso; i++)
        free(o->also[i]);
    free(o->also);
    free(o);
}

/* options.NAME, a non-empty list of strings, into *v / *n. */
static int string_list(json_t *list, const char *name, char ***v, size_t *n, struct strbuf *err)
{
    size_t i;
    json_t *e;
    if (!json_is_array(list) || !json_array_size(list)) {
        sb_addf(err, "options.%s must be a non-empty list of strings", name);
        return -1;
    }
    *v = xcalloc(json_array_size(list), sizeof(char *));
    json_array_foreach(list, i, e) {
        if (!json_is_string(e)) {
            sb_addf(err, "options.%s[%zu] must be a string", name, i);
            return -1;
        }
        (*v)[(*n)++] = xstrdup(json_string_value(e));
    }
    return 0;
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    json_t *opt = r->options;
    const char *ptr = json_string_value(json_object_get(opt, "pointer"));
    const char *in = json_string_value(json_object_get(opt, "in"));
    const char *find = json_string_value(json_object_get(opt, "find"));
    json_t *values = json_object_get(opt, "values");
    const char *from = json_string_value(json_object_get(opt, "values_from"));
    json_t *near = json_object_get(opt, "near");
    const char *k;
    json_t *v;
    json_object_foreach(opt, k, v) {
        static const char *const known[] = {"pointer", "in",          "find", "values",
                                            "values_from", "also", "near", NULL};
        int ok = 0;
        for (const char *const *q = known; *q; q++)
            ok |= !strcmp(*q, k);
        if (!ok) {
            sb_addf(err, "the enum check has no option '%s' (pointer, in, find, values, "
                         "values_from, also, near)", k);
            return -1;
        }
    }
    if (!ptr || ptr[0] != '/') {
        sb_adds(err, "the enum check needs options.pointer, a JSON pointer such as "
                     "/app_metadata/flex/roles");
        return -1;
    }
    struct enum_opts *o = xcalloc(1, sizeof(*o));
    r->state = o;
    r->free_state = free_opts;
    o->pointer = xstrdup(ptr);
    o->kind = -1;
    o->near = 2;
    if (in && (o->kind = rec_kind_parse(in)) < 0) {
        sb_addf(err, "options.in: unknown record kind '%s'", in);
        return -1;
    }
    if (!find || (strcmp(find, "unknown") && strcmp(find, "case") && strcmp(find, "duplicate"))) {
        sb_adds(err, "the enum check needs options.find: unknown, case or duplicate");
        return -1;
    }
    o->find = !strcmp(find, "unknown") ? FIND_UNKNOWN
            : !strcmp(find, "case")    ? FIND_CASE : FIND_DUPLICATE;
    if (near) {
        if (!json_is_integer(near) || json_integer_value(near) < 0 ||
            json_integer_value(near) > 8) {
            sb_adds(err, "options.near must be an integer from 0 to 8");
            return -1;
        }
        o->near = (size_t)json_integer_value(near);
    }
    if (values && from) {
        sb_adds(err, "the enum check takes options.values or options.values_from, not both");
        return -1;
    }
    json_t *also = json_object_get(opt, "also");
    if (also && string_list(also, "also", &o->also, &o->nalso, err) < 0)
        return -1;
    if (values) {
        if (string_list(values, "values", &o->values, &o->nvalues, err) < 0)
            return -1;
    } else if (from) {
        if (!strcmp(from, "roles"))
            o->from = FROM_ROLES;
        else if (!strcmp(from, "teams"))
            o->from = FROM_TEAMS;
        else if (!strcmp(from, "email_domains"))
            o->from = FROM_EMAIL_DOMAINS;
        else {
            sb_addf(err, "options.values_from: unknown list '%s' (roles, teams, email_domains)",
                    from);
            return -1;
        }
    } else if (o->find != FIND_DUPLICATE) {
        sb_adds(err, "the enum check needs options.values (a list) or options.values_from "
                     "(roles, teams, email_domains)");
        return -1;
    }
    return 0;
}

static void begin(int ri, struct model *m)
{
    (void)ri;
    the_cfg = m->cfg;
}

/* The allowed values for a record; *n = 0 when there is no list. */
static char *const *allowed(const struct enum_opts *o, const struct record *rec, size_t *n)
{
    const struct cfg_list *l = NULL;
    switch (o->from) {
    case FROM_OPTIONS:
        *n = o->nvalues;
        return o->values;
    case FROM_ROLES:
        l = the_cfg ? &the_cfg->roles : NULL;
        break;
    case FROM_TEAMS:
        l = rec->t && rec->t->cfg && rec->t->cfg->teams.node ? &rec->t->cfg->teams : NULL;
        break;
    case FROM_EMAIL_DOMAINS:
        l = rec->t && rec->t->cfg && rec->t->cfg->email_domains.node
                ? &rec->t->cfg->email_domains : NULL;
        break;
    }
    *n = l ? l->n : 0;
    return l ? l->v : NULL;
}

/* Exact and ASCII-case-insensitive equality of a (length n, may hold NUL) and b. */
static int same(const char *a, size_t n, const char *b)
{
    return strlen(b) == n && !memcmp(a, b, n);
}

static int same_case(const char *a, size_t n, const char *b)
{
    if (strlen(b) != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x += 32;
        if (y >= 'A' && y <= 'Z')
            y += 32;
        if (x != y)
            return 0;
    }
    return 1;
}

/* A whole deploy-cli placeholder (`##KEY##`, `@@KEY@@`, KEY of letters, digits and _):
 * users files are not substituted, but such a value is a template's, not a user's, so
 * it is unknown and never judged (rules.md: a rule needing it does not fire). */
static int is_placeholder(const char *s, size_t n)
{
    if (n < 5 || (s[0] != '#' && s[0] != '@') || s[1] != s[0] || s[n - 1] != s[0] ||
        s[n - 2] != s[0])
        return 0;
    for (size_t i = 2; i < n - 2; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return 0;
    }
    return 1;
}

static char *folded(const char *s)
{
    char *f = xstrdup(s);
    for (char *p = f; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    return f;
}

/* The one allowed value within o->near edits of s (case-folded), or NULL. */
static const char *suggest(const struct enum_opts *o, char *const *vals, size_t n,
                           const char *s)
{
    if (!o->near)
        return NULL;
    const char *hit = NULL;
    char *fs = folded(s);
    for (size_t i = 0; i < n; i++) {
        char *fv = folded(vals[i]);
        size_t d = edit_distance(fs, fv, o->near);
        free(fv);
        if (d > o->near || (hit && !strcmp(hit, vals[i])))
            continue;
        if (hit) {
            hit = NULL; /* two candidates: no suggestion */
            break;
        }
        hit = vals[i];
    }
    free(fs);
    return hit;
}

/* The JSON pointer of a finding: the record's pointer, the rule's, and an array index
 * (NO_INDEX: none). Built only when a finding is made: record runs for every user. */
#define NO_INDEX SIZE_MAX

static struct finding *add(int ri, const struct record *rec, const struct loc *l,
                           const char *s, size_t n, const char *path, size_t index)
{
    struct finding *f = finding_add(ri, rec->doc->file, l->start, l->end, rec->win);
    finding_value(f, s, n, 0);
    finding_set_identity(f, rec->t ? rec->t->index : -1, rec->identity);
    char *p = index == NO_INDEX
                  ? xasprintf("%s%s", rec->pointer ? rec->pointer : "", path)
                  : xasprintf("%s%s/%zu", rec->pointer ? rec->pointer : "", path, index);
    finding_set_pointer(f, p);
    free(p);
    return f;
}

static void arg_allowed(struct finding *f, char *const *vals, size_t n)
{
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i++)
        sb_addf(&sb, "%s'%s'", i ? ", " : "", vals[i]);
    finding_arg(f, "allowed", "%s", sb_str(&sb));
    sb_free(&sb);
}

/* Judge one string (unknown / case). */
static void judge(int ri, const struct enum_opts *o, const struct record *rec, json_t *v,
                  const struct loc *l, size_t index)
{
    size_t nv;
    char *const *vals = allowed(o, rec, &nv);
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    const char *variant = NULL;
    if (!nv || is_placeholder(s, n))
        return;
    for (size_t i = 0; i < nv + o->nalso; i++) {
        const char *a = i < nv ? vals[i] : o->also[i - nv];
        if (same(s, n, a))
            return;
        if (!variant && same_case(s, n, a))
            variant = a;
    }
    if ((o->find == FIND_CASE) != (variant != NULL))
        return;
    claim(rec->doc->file, l->start);
    struct finding *f = add(ri, rec, l, s, n, o->pointer, index);
    if (!f)
        return;
    if (variant) {
        finding_arg(f, "expected", "%s", variant);
        if (edit_begin(f, rec, FIX_SAFE, "write the valid role's spelling") == 0)
            edit_string(f, rec, l, v, variant);
    } else {
        const char *hit = strlen(s) == n ? suggest(o, vals, nv, s) : NULL;
        if (!hit && strlen(s) == n && o->nalso)
            hit = suggest(o, o->also, o->nalso, s);
        /* unsafe: a guess, the one allowed value near it */
        if (hit && edit_begin(f, rec, FIX_UNSAFE, "write the one valid role near it") == 0)
            edit_string(f, rec, l, v, hit);
        finding_arg(f, "suggestion", "%s", hit ? hit : "");
        if (hit)
            finding_arg(f, "did_you_mean", " (did you mean '%s'?)", hit);
        else
            finding_arg(f, "did_you_mean", "%s", "");
    }
    arg_allowed(f, vals, nv);
}

struct elem {
    const char *s;
    size_t n, index;
    const struct loc *l;
};

static int cmp_elem(const void *a, const void *b)
{
    const struct elem *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? -1 : 1;
    int c = memcmp(x->s, y->s, x->n);
    if (c)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Every later occurrence of a value in the array, sorted so that a long array costs
 * n log n, with a note at the first occurrence. */
static void duplicates(int ri, const struct record *rec, json_t *arr, const char *path)
{
    size_t n = json_array_size(arr), m = 0, i;
    json_t *e;
    if (n < 2)
        return;
    struct elem *v = xcalloc(n, sizeof(*v));
    json_array_foreach(arr, i, e) {
        const struct loc *l = doc_index(rec->doc, arr, i);
        if (!json_is_string(e) || !l || (l->flags & LOC_UNKNOWN) ||
            is_placeholder(json_string_value(e), json_string_length(e)))
            continue;
        v[m++] = (struct elem){json_string_value(e), json_string_length(e), i, l};
    }
    qsort(v, m, sizeof(*v), cmp_elem);
    for (size_t k = 1; k < m; k++) {
        size_t first = k - 1;
        while (k < m && v[k].n == v[first].n && !memcmp(v[k].s, v[first].s, v[k].n)) {
            if (!claimed(rec->doc->file, v[k].l->start)) {
                struct finding *f = add(ri, rec, v[k].l, v[k].s, v[k].n, path, v[k].index);
                finding_arg(f, "index", "%zu", v[k].index);
                finding_arg(f, "first_index", "%zu", v[first].index);
                finding_note(f, rec->doc->file, v[first].l->start, v[first].l->end, rec->win,
                             "first listed here");
                if (edit_begin(f, rec, FIX_SAFE, "remove the repeated role") == 0)
                    edit_remove_index(f, rec, arr, v[k].index);
            }
            k++;
        }
    }
    free(v);
}

static void record(int ri, const struct record *rec)
{
    const struct enum_opts *o = rule_get(ri)->state;
    if (o->kind >= 0 && o->kind != (int)rec->kind)
        return;
    const struct loc *l;
    int unknown;
    json_t *v = record_get(rec, o->pointer, &l, &unknown);
    if (!v || unknown || !l || claimed(rec->doc->file, l->start))
        return;
    if (json_is_string(v) && o->find != FIND_DUPLICATE) {
        judge(ri, o, rec, v, l, NO_INDEX);
    } else if (json_is_array(v) && o->find == FIND_DUPLICATE) {
        duplicates(ri, rec, v, o->pointer);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) {
            const struct loc *el = doc_index(rec->doc, v, i);
            if (!json_is_string(e) || !el || (el->flags & LOC_UNKNOWN) ||
                claimed(rec->doc->file, el->start))
                continue;
            judge(ri, o, rec, e, el, i);
        }
    }
}

const struct check_fn check_enum_fn = {"enum", prepare, begin, record, NULL, NULL};
