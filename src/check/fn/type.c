/* check/fn/type.c - the `type` check function (wrong-type): each option entry names a
 * record kind, a JSON pointer (a `*` segment visits every member or element) and the
 * JSON type the value must have. A wrong value is reported once and claimed, so no
 * later rule judges it ("one cause, one finding"). Unknown values are never judged. */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/edit.h"
#include "rules/finding.h"
#include "report/report.h"

enum jtype { T_ANY, T_OBJECT, T_ARRAY, T_STRING, T_BOOLEAN, T_INTEGER, T_NUMBER, T_JSON_OBJECT_STRING };

static const char *const type_names[] = {"any", "object", "array", "string", "boolean",
                                         "integer", "number", "json-object-string", NULL};

struct field {
    int kind;          /* enum rec_kind */
    char *pointer;
    enum jtype type, items;
    int nullable;
};

struct fields {
    struct field *f;
    size_t n;
};

static int type_parse(const char *s)
{
    for (int i = 0; type_names[i]; i++)
        if (!strcmp(type_names[i], s))
            return i;
    return -1;
}

static void free_fields(void *p)
{
    struct fields *fs = p;
    for (size_t i = 0; i < fs->n; i++)
        free(fs->f[i].pointer);
    free(fs->f);
    free(fs);
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    json_t *list = json_object_get(r->options, "fields");
    if (!json_is_array(list)) {
        sb_adds(err, "the type check needs options.fields, a list of {in, pointer, type}");
        return -1;
    }
    struct fields *fs = xcalloc(1, sizeof(*fs));
    fs->f = xcalloc(json_array_size(list) + 1, sizeof(*fs->f));
    r->state = fs;
    r->free_state = free_fields;
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        const char *in = json_string_value(json_object_get(e, "in"));
        const char *ptr = json_string_value(json_object_get(e, "pointer"));
        const char *ty = json_string_value(json_object_get(e, "type"));
        const char *it = json_string_value(json_object_get(e, "items"));
        struct field *f = &fs->f[fs->n];
        if (!in || (f->kind = rec_kind_parse(in)) < 0 || !ptr || ptr[0] != '/' || !ty ||
            (int)(f->type = (enum jtype)type_parse(ty)) < 0 ||
            (it && (int)(f->items = (enum jtype)type_parse(it)) < 0)) {
            sb_addf(err, "options.fields[%zu] needs 'in' (a record kind), 'pointer' (/a/b) and "
                         "'type' (object, array, string, boolean, integer, number, "
                         "json-object-string)", i);
            return -1;
        }
        f->pointer = xstrdup(ptr);
        f->nullable = json_is_true(json_object_get(e, "nullable"));
        fs->n++;
    }
    return 0;
}

static const char *expected_name(enum jtype t, enum jtype items)
{
    switch (t) {
    case T_OBJECT: return "an object";
    case T_ARRAY:
        return items == T_STRING ? "an array of strings"
             : items == T_OBJECT ? "an array of objects" : "an array";
    case T_STRING: return "a string";
    case T_BOOLEAN: return "true or false";
    case T_INTEGER: return "an integer";
    case T_NUMBER: return "a number";
    case T_JSON_OBJECT_STRING: return "a string holding a JSON object";
    default: return "any value";
    }
}

static int type_ok(const json_t *v, enum jtype t)
{
    switch (t) {
    case T_OBJECT: return json_is_object(v);
    case T_ARRAY: return json_is_array(v);
    case T_STRING:
    case T_JSON_OBJECT_STRING: return json_is_string(v);
    case T_BOOLEAN: return json_is_boolean(v);
    case T_INTEGER: return json_is_integer(v);
    case T_NUMBER: return json_is_number(v);
    default: return 1;
    }
}

/* "use true or false" for YAML 1.1 booleans that YAML 1.2 reads as strings */
static const char *hint(const json_t *v, enum jtype t)
{
    static const char *const words[] = {"yes", "no", "on", "off", "y", "n", "true", "false", NULL};
    if (t != T_BOOLEAN || !json_is_string(v))
        return "";
    for (const char *const *w = words; *w; w++)
        if (!ascii_casecmp(json_string_value(v), *w))
            return " (use true or false, unquoted)";
    return "";
}

static const struct config *the_cfg; /* begin: the valid roles */

static void begin(int ri, struct model *m)
{
    (void)ri;
    the_cfg = m->cfg;
}

static int is_role(const char *s)
{
    for (size_t i = 0; the_cfg && i < the_cfg->roles.n; i++)
        if (!strcmp(the_cfg->roles.v[i], s))
            return 1;
    return 0;
}

/* The fixes of a wrong type: a string where a list of strings belongs becomes a
 * one-element list (safe when the string is a valid role: `"agent"` -> `["agent"]`); the
 * string "true" or "false" where a boolean belongs becomes the boolean. */
static void type_fix(struct finding *f, const struct record *rec, const struct loc *l,
                     const json_t *v, enum jtype t, enum jtype items)
{
    const char *s = json_string_value(v);
    if (!s || strlen(s) != json_string_length(v))
        return;
    if (t == T_ARRAY && items == T_STRING && *s) {
        if (edit_begin(f, rec, is_role(s) ? FIX_SAFE : FIX_UNSAFE, "make it a one-element list") == 0)
            edit_wrap_list(f, rec, l);
    } else if (t == T_BOOLEAN && (!strcmp(s, "true") || !strcmp(s, "false"))) {
        if (edit_begin(f, rec, FIX_SAFE, "write the boolean") == 0)
            edit_replace(f, rec, l, s);
    }
}

static void report(int ri, const struct record *rec, const struct loc *l, const json_t *v,
                   const char *field, enum jtype t, enum jtype items)
{
    int file = rec->doc->file;
    if (claimed(file, l->start))
        return;
    claim(file, l->start);
    struct finding *f = finding_add(ri, file, l->start, l->end, rec->win);
    finding_arg(f, "field", "%s", field);
    finding_arg(f, "expected", "%s", expected_name(t, items));
    finding_arg(f, "actual", "%s", json_type_phrase(v));
    finding_arg(f, "hint", "%s", hint(v, t));
    finding_set_identity(f, rec->t ? rec->t->index : -1, rec->identity);
    if (json_is_string(v))
        finding_value(f, json_string_value(v), json_string_length(v), 0);
    type_fix(f, rec, l, v, t, items);
}

/* Check value v (at l) against field fd; path is its dotted display name. */
static void judge(int ri, const struct record *rec, const struct field *fd, json_t *v,
                  const struct loc *l, const char *path)
{
    if (!l || (l->flags & LOC_UNKNOWN))
        return;
    if (json_is_null(v) && fd->nullable)
        return;
    if (!type_ok(v, fd->type)) {
        report(ri, rec, l, v, path, fd->type, fd->items);
        return;
    }
    if (fd->type == T_JSON_OBJECT_STRING && rec->worker && rec->worker->attrs.root &&
        !rec->worker->attrs_ok) {
        report(ri, rec, l, rec->worker->attrs.root, path, fd->type, T_ANY);
        return;
    }
    if (fd->type == T_ARRAY && fd->items != T_ANY) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) {
            const struct loc *el = doc_index(rec->doc, v, i);
            if (!el || (el->flags & LOC_UNKNOWN) || type_ok(e, fd->items))
                continue;
            char *p = xasprintf("%s[%zu]", path, i);
            report(ri, rec, el, e, p, fd->items, T_ANY);
            free(p);
        }
    }
}

/* Walk fd->pointer from cur, expanding '*' segments. */
static void walk(int ri, const struct record *rec, const struct field *fd, json_t *cur,
                 const char *p, struct strbuf *path, const struct loc *cl, int depth)
{
    if (cl && (cl->flags & LOC_UNKNOWN))
        return;
    if (!*p) {
        judge(ri, rec, fd, cur, cl, path->len ? path->buf : "(root)");
        return;
    }
    if (depth > 16 || *p != '/')
        return;
    p++;
    const char *e = strchr(p, '/');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    size_t keep = path->len;
    if (n == 1 && *p == '*') {
        if (json_is_object(cur)) {
            const char *k;
            json_t *v;
            json_object_foreach(cur, k, v) {
                if (path->len)
                    sb_addc(path, '.');
                sb_adds(path, k);
                walk(ri, rec, fd, v, p + n, path, doc_key(rec->doc, cur, k), depth + 1);
                path->len = keep;
                path->buf[keep] = '\0';
            }
        }
        return;
    }
    char *key = xstrndup(p, n);
    json_t *v = json_is_object(cur) ? json_object_get(cur, key) : NULL;
    if (v) {
        if (path->len)
            sb_addc(path, '.');
        sb_adds(path, key);
        walk(ri, rec, fd, v, p + n, path, doc_key(rec->doc, cur, key), depth + 1);
        path->len = keep;
        if (path->buf)
            path->buf[keep] = '\0';
    }
    free(key);
}

static void record(int ri, const struct record *rec)
{
    const struct fields *fs = rule_get(ri)->state;
    struct strbuf path = STRBUF_INIT;
    for (size_t i = 0; i < fs->n; i++) {
        const struct field *fd = &fs->f[i];
        if (fd->kind != (int)rec->kind)
            continue;
        walk(ri, rec, fd, rec->obj, fd->pointer, &path, NULL, 0);
    }
    sb_free(&path);
}

const struct check_fn check_type_fn = {"type", prepare, begin, record, NULL, NULL};
