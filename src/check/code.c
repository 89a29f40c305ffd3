/* check/code.c - helpers of the `actions` check functions (check/code.h): which Action
 * a record is, whether it is bound to a trigger, and member chains and names among the
 * tokens of Action code. */
#include "check/code.h"

#include <stdlib.h>
#include <string.h>

#include "report/report.h"

struct action *actcode_action(const struct record *rec, int *is_flex)
{
    struct tenant *t = rec->t;
    if (is_flex)
        *is_flex = 0;
    if (!t || rec->kind != REC_ACTION)
        return NULL;
    for (size_t i = 0; i < t->nactions; i++) {
        if (t->actions[i].it.obj != rec->obj)
            continue;
        for (size_t k = 0; is_flex && k < t->nflex_actions; k++)
            if (t->flex_actions[k] == i)
                *is_flex = 1;
        return &t->actions[i];
    }
    return NULL;
}

const struct loc *actcode_doc_loc(const struct doc *d, const char *ptr)
{
    json_t *cur = d->root;
    const struct loc *l = &d->root_loc;
    while (cur && *ptr == '/') {
        ptr++;
        size_t n = strcspn(ptr, "/");
        char *key = xstrndup(ptr, n);
        if (json_is_object(cur)) {
            l = doc_key(d, cur, key);
            cur = json_object_get(cur, key);
        } else if (json_is_array(cur)) {
            char *end;
            size_t i = strtoul(key, &end, 10);
            l = *end ? NULL : doc_index(d, cur, i);
            cur = *end ? NULL : json_array_get(cur, i);
        } else {
            cur = NULL;
        }
        free(key);
        ptr += n;
        if (!l)
            return NULL;
    }
    return cur ? l : NULL;
}

int actcode_bound(const struct tenant *t, const struct action *a, const char *trigger,
                  const char *key)
{
    const struct item *tr = &t->triggers;
    if (!tr->doc || !tr->obj)
        return 0; /* the export has no trigger bindings at all */
    const struct loc *l = actcode_doc_loc(tr->doc, tr->pointer);
    if ((l && (l->flags & LOC_UNKNOWN)) || !json_is_object(tr->obj))
        return -1;
    json_t *list = json_object_get(tr->obj, trigger);
    if (!list)
        return 0;
    l = doc_key(tr->doc, tr->obj, trigger);
    if ((l && (l->flags & LOC_UNKNOWN)) || !json_is_array(list))
        return -1; /* unknown, or wrong-type's to report */
    int unknown = 0;
    size_t i;
    json_t *b;
    json_array_foreach(list, i, b)
    {
        const struct loc *bl = doc_index(tr->doc, list, i);
        if (bl && (bl->flags & LOC_UNKNOWN)) {
            unknown = 1;
            continue;
        }
        json_t *v = json_is_object(b) ? json_object_get(b, key) : NULL;
        const struct loc *vl = v ? doc_key(tr->doc, b, key) : NULL;
        if (vl && (vl->flags & LOC_UNKNOWN)) {
            unknown = 1;
            continue;
        }
        if (json_is_string(v) && a->it.name && !strcmp(json_string_value(v), a->it.name))
            return 1;
    }
    return unknown ? -1 : 0;
}

int actcode_usable(const struct action *a)
{
    return a && a->code && a->code_file >= 0 && a->syntax_ok;
}

const struct action *actcode_flex_usable(const struct record *rec)
{
    int flex;
    const struct action *a = actcode_action(rec, &flex);
    return a && flex && actcode_usable(a) ? a : NULL;
}

const char *actcode_label(const struct action *a)
{
    return a->it.name ? a->it.name : "(unnamed)";
}

void actcode_span(const struct action *a, const struct js_tok *tk, uint64_t *start, uint64_t *end)
{
    *start = offmap_map(&a->code_map, tk->start);
    *end = tk->end > tk->start ? offmap_map(&a->code_map, tk->end - 1) + 1 : *start;
    if (*end < *start)
        *end = *start;
}

int actcode_tok_unknown(const struct action *a, const struct js_tok *tk)
{
    return a->code_mapped && (offmap_flags(&a->code_map, tk->start, tk->end) & SEG_UNRESOLVED);
}

struct finding *actcode_finding_at(int ri, const struct tenant *t, const struct action *a,
                                   const char *entry)
{
    uint64_t s = 0, e = 0;
    for (size_t i = 0; entry && i < a->toks.n; i++) {
        const struct js_tok *tk = &a->toks.t[i];
        if (tk->kind == JS_IDENT && js_tok_is(a->code, tk, entry)) {
            actcode_span(a, tk, &s, &e);
            break;
        }
    }
    struct finding *f = finding_add(ri, a->code_file, s, e, NULL);
    finding_set_identity(f, t->index, a->it.name);
    return f;
}

static int is_punct(const struct action *a, size_t i, const char *p)
{
    return i < a->toks.n && a->toks.t[i].kind == JS_PUNCT && js_tok_is(a->code, &a->toks.t[i], p);
}

static int is_literal(const struct js_tok *tk)
{
    return tk->kind == JS_STRING || tk->kind == JS_TEMPLATE;
}

int actcode_prop(const struct action *a, size_t i, size_t *name, size_t *next)
{
    const struct js_tokens *tk = &a->toks;
    if (i >= tk->n)
        return 0;
    if (tk->t[i].kind == JS_IDENT) {
        *name = i;
        *next = i + 1;
        return 1;
    }
    if (is_punct(a, i, "[") && i + 2 < tk->n && is_literal(&tk->t[i + 1]) &&
        is_punct(a, i + 2, "]")) {
        *name = i + 1;
        *next = i + 3;
        return 1;
    }
    return 0;
}

int actcode_name_is(const struct action *a, size_t k, const char *s)
{
    const struct js_tok *tk = &a->toks.t[k];
    if (tk->kind == JS_IDENT)
        return js_tok_is(a->code, tk, s);
    if (!is_literal(tk))
        return 0;
    char *v = js_string_value(a->code, tk);
    int eq = v && !strcmp(v, s);
    free(v);
    return eq;
}

/* Can a `[` at token i index the value before it (a member access), rather than start
 * an array literal? */
static int indexes_value(const struct action *a, size_t i)
{
    if (i == 0)
        return 0;
    const struct js_tok *p = &a->toks.t[i - 1];
    if (p->kind == JS_IDENT) {
        static const char *const kw[] = {"return", "typeof", "case", "in",    "of",
                                         "new",    "delete", "void", "throw", "instanceof",
                                         "yield",  "await",  "else", "do",    NULL};
        for (const char *const *k = kw; *k; k++)
            if (js_tok_is(a->code, p, *k))
                return 0;
        return 1;
    }
    return p->kind == JS_STRING || p->kind == JS_TEMPLATE || p->kind == JS_TEMPLATE_TAIL ||
           is_punct(a, i - 1, ")") || is_punct(a, i - 1, "]") || is_punct(a, i - 1, "?.");
}

/* After the name ending before token j: the next property of the chain, if any. */
static int next_prop(const struct action *a, size_t j, size_t *name, size_t *next)
{
    if (is_punct(a, j, ".") || is_punct(a, j, "?.")) {
        size_t k = j + 1;
        if (k < a->toks.n && a->toks.t[k].kind == JS_IDENT) {
            *name = k;
            *next = k + 1;
            return 1;
        }
        return is_punct(a, j, "?.") && is_punct(a, k, "[") && actcode_prop(a, k, name, next);
    }
    return is_punct(a, j, "[") && actcode_prop(a, j, name, next);
}

int actcode_chain_at(const struct action *a, size_t i, const char *const *names, size_t n,
                     size_t *last)
{
    size_t name, next;
    if (!n || !actcode_prop(a, i, &name, &next))
        return 0;
    if (a->toks.t[i].kind != JS_IDENT && !indexes_value(a, i))
        return 0;
    /* the first name may follow anything: `event.user.app_metadata`, a bare
     * `app_metadata` (destructured), `user['app_metadata']` */
    for (size_t s = 0;; s++) {
        if (strcmp(names[s], "*") && !actcode_name_is(a, name, names[s]))
            return 0;
        if (s + 1 == n)
            break;
        if (!next_prop(a, next, &name, &next))
            return 0;
    }
    *last = name;
    return 1;
}

int actcode_names_parse(json_t *options, const char *key, int dots, struct actcode_names *out,
                        struct strbuf *err)
{
    json_t *v = json_object_get(options, key);
    memset(out, 0, sizeof(*out));
    if (json_is_string(v) && dots) {
        const char *s = json_string_value(v);
        out->v = xcalloc(strlen(s) + 2, sizeof(*out->v));
        for (;;) {
            size_t k = strcspn(s, ".");
            if (!k)
                goto bad;
            out->v[out->n++] = xstrndup(s, k);
            if (!s[k])
                break;
            s += k + 1;
        }
        return 0;
    }
    if (json_is_string(v)) {
        out->v = xcalloc(1, sizeof(*out->v));
        out->v[out->n++] = xstrdup(json_string_value(v));
        return 0;
    }
    if (!json_is_array(v) || !json_array_size(v))
        goto bad;
    out->v = xcalloc(json_array_size(v), sizeof(*out->v));
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        if (!json_is_string(e) || !json_string_length(e))
            goto bad;
        out->v[out->n++] = xstrdup(json_string_value(e));
    }
    return 0;
bad:
    actcode_names_free(out);
    sb_addf(err, "options.%s must be a non-empty %s", key,
            dots ? "dotted name (a.b.c) or list of names" : "list of names");
    return -1;
}

void actcode_names_free(struct actcode_names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}
