/* check/fn/secret_code.c - the `secret-code` check function (secret-in-code): a string
 * literal of Action code that looks like a credential. Literals are tokens (load/js.h):
 * a credential in a comment is not code, and a literal that holds a `##KEY##` placeholder
 * is not committed in plain text. Every credential-like literal is masked (before any
 * check runs, even in code with action-syntax); it is reported only when the code
 * tokenized cleanly ("one cause, one finding"). Options:
 *
 *   credentials:                       # a literal whose value holds a match, anywhere
 *     - pattern: "(?<![0-9A-Za-z])SK[0-9a-fA-F]{32}(?![0-9A-Za-z])"   # PCRE2
 *       what: a Twilio API key SID     # in the message
 *   named:                             # a literal whose value matches `value`, assigned
 *     - value: "^[0-9a-fA-F]{32}$"     #   (`name = '...'`, `name: '...'`) or passed as an
 *       names: "(?i)token|secret|key"  #   argument (`name(..., '...')`) to a name that
 *       what: 32 hex digits            #   matches `names`
 *
 * The finding points at the literal's opening quote; the message gets {what} (e.g. "a
 * Twilio API key SID", "32 hex digits assigned to 'authToken'"). */
#include <stdlib.h>
#include <string.h>

#include "check/secrets.h"
#include "report/report.h"

struct cred {
    pcre2_code *pattern;
    char *what;
};

struct named {
    pcre2_code *value, *names;
    char *what;
};

struct cstate {
    struct cred *c;
    size_t nc;
    struct named *n;
    size_t nn;
};

static void free_state(void *p)
{
    struct cstate *st = p;
    for (size_t i = 0; i < st->nc; i++) {
        sx_free(st->c[i].pattern);
        free(st->c[i].what);
    }
    for (size_t i = 0; i < st->nn; i++) {
        sx_free(st->n[i].value);
        sx_free(st->n[i].names);
        free(st->n[i].what);
    }
    free(st->c);
    free(st->n);
    free(st);
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    struct cstate *st = xcalloc(1, sizeof(*st));
    r->state = st;
    r->free_state = free_state;
    json_t *cl = json_object_get(r->options, "credentials");
    json_t *nl = json_object_get(r->options, "named");
    if ((cl && !json_is_array(cl)) || (nl && !json_is_array(nl)) ||
        json_array_size(cl) + json_array_size(nl) == 0) {
        sb_adds(err, "the secret_code check needs options.credentials (a list of {pattern, "
                     "what}) and/or options.named (a list of {value, names, what})");
        return -1;
    }
    st->c = xcalloc(json_array_size(cl) + 1, sizeof(*st->c));
    st->n = xcalloc(json_array_size(nl) + 1, sizeof(*st->n));
    size_t i;
    json_t *e;
    json_array_foreach(cl, i, e) {
        const char *what = json_string_value(json_object_get(e, "what"));
        struct cred *c = &st->c[st->nc++];
        if (!what) {
            sb_addf(err, "options.credentials[%zu] needs 'what' (a description)", i);
            return -1;
        }
        c->what = xstrdup(what);
        if (sx_compile(e, "pattern", 1, &c->pattern, err) < 0)
            return -1;
    }
    json_array_foreach(nl, i, e) {
        const char *what = json_string_value(json_object_get(e, "what"));
        struct named *n = &st->n[st->nn++];
        if (!what) {
            sb_addf(err, "options.named[%zu] needs 'what' (a description)", i);
            return -1;
        }
        n->what = xstrdup(what);
        if (sx_compile(e, "value", 1, &n->value, err) < 0 ||
            sx_compile(e, "names", 1, &n->names, err) < 0)
            return -1;
    }
    return 0;
}

/* ---- where a literal goes ---- */

static int is_punct(const struct action *a, size_t k, const char *s)
{
    const struct js_tok *t = &a->toks.t[k];
    return t->kind == JS_PUNCT && js_tok_is(a->code, t, s);
}

/* A property or variable name at token k: an identifier, a string key, or ['name'].
 * Returns the token index of the name, or (size_t)-1. k is the token before '=' or ':'. */
static size_t name_at(const struct action *a, size_t k)
{
    const struct js_tok *t = a->toks.t;
    if (t[k].kind == JS_IDENT || t[k].kind == JS_STRING)
        return k;
    if (k >= 2 && is_punct(a, k, "]") && t[k - 1].kind == JS_STRING && is_punct(a, k - 2, "["))
        return k - 1;
    return (size_t)-1;
}

static int is_keyword(const struct action *a, size_t k)
{
    static const char *const kw[] = {"if", "while", "for", "switch", "catch", "return",
                                     "typeof", "function", "await", "new", NULL};
    for (const char *const *w = kw; *w; w++)
        if (js_tok_is(a->code, &a->toks.t[k], *w))
            return 1;
    return 0;
}

/* The name that the literal at token i is assigned (*passed = 0) or passed (*passed = 1)
 * to: walking back through its expression to `name =`, `name:` or `name(`. Returns the
 * token index of the name, or (size_t)-1. */
static size_t target_of(const struct action *a, size_t i, int *passed)
{
    const struct js_tok *t = a->toks.t;
    int depth = 0;
    *passed = 0;
    for (size_t k = i, steps = 0; k-- > 0 && steps < 256; steps++) {
        if (t[k].kind != JS_PUNCT)
            continue;
        if (is_punct(a, k, ")") || is_punct(a, k, "]") || is_punct(a, k, "}")) {
            depth++;
            continue;
        }
        if (is_punct(a, k, "(") || is_punct(a, k, "[") || is_punct(a, k, "{")) {
            if (depth) {
                depth--;
                continue;
            }
            if (is_punct(a, k, "(") && k > 0 && t[k - 1].kind == JS_IDENT &&
                !is_keyword(a, k - 1)) {
                *passed = 1;
                return k - 1;
            }
            return (size_t)-1;
        }
        if (depth)
            continue;
        if (is_punct(a, k, "=") || is_punct(a, k, ":"))
            return k > 0 ? name_at(a, k - 1) : (size_t)-1;
        if (is_punct(a, k, ";") || is_punct(a, k, "=>"))
            return (size_t)-1;
    }
    return (size_t)-1;
}

static int is_literal(const struct js_tok *t)
{
    return t->kind == JS_STRING || t->kind == JS_TEMPLATE;
}

/* Does the literal at token i look like a credential? On yes, *what gets the
 * description (new string). */
static int credential(const struct cstate *st, const struct action *a, size_t i, char **what)
{
    const struct js_tok *tk = &a->toks.t[i];
    if (!is_literal(tk))
        return 0;
    char *v = js_string_value(a->code, tk);
    size_t n = strlen(v);
    int found = 0;
    for (size_t k = 0; k < st->nc && !found; k++)
        if (sx_match(st->c[k].pattern, v, n)) {
            *what = xstrdup(st->c[k].what);
            found = 1;
        }
    for (size_t k = 0; k < st->nn && !found; k++) {
        if (!sx_match(st->n[k].value, v, n))
            continue;
        int passed;
        size_t nt = target_of(a, i, &passed);
        if (nt == (size_t)-1)
            continue;
        char *name = js_string_value(a->code, &a->toks.t[nt]);
        if (sx_match(st->n[k].names, name, strlen(name))) {
            *what = xasprintf("%s %s '%s'", st->n[k].what, passed ? "passed to" : "assigned to",
                              name);
            found = 1;
        }
        free(name);
    }
    free(v);
    return found;
}

/* File span of token tk; 0 when it overlaps a placeholder (the file holds the
 * placeholder, not a plain value). */
static int literal_span(const struct action *a, const struct js_tok *tk, uint64_t *s,
                        uint64_t *e)
{
    if (offmap_flags(&a->code_map, tk->start, tk->end))
        return 0;
    *s = offmap_map(&a->code_map, tk->start);
    *e = offmap_map(&a->code_map, tk->end);
    return 1;
}

/* Call fn for every credential-like literal of tenant t's Action code. */
typedef void (*lit_fn)(void *ctx, const struct action *a, size_t i, uint64_t s, uint64_t e,
                       const char *what);

static void each_literal(const struct cstate *st, const struct tenant *t, lit_fn fn, void *ctx)
{
    for (size_t k = 0; k < t->nactions; k++) {
        const struct action *a = &t->actions[k];
        if (a->code_file < 0 || !a->code)
            continue;
        for (size_t i = 0; i < a->toks.n; i++) {
            uint64_t s, e;
            char *what = NULL;
            if (!is_literal(&a->toks.t[i]) || !literal_span(a, &a->toks.t[i], &s, &e) ||
                !credential(st, a, i, &what))
                continue;
            fn(ctx, a, i, s, e, what);
            free(what);
        }
    }
}

static void mask_lit(void *ctx, const struct action *a, size_t i, uint64_t s, uint64_t e,
                     const char *what)
{
    (void)ctx;
    (void)i;
    (void)what;
    sx_mask(a->code_file, s, e);
}

void secret_code_mask(const struct rule *r, struct tenant *t)
{
    each_literal(r->state, t, mask_lit, NULL);
}

struct rctx {
    int ri;
    const struct tenant *t;
};

static void report_lit(void *ctx, const struct action *a, size_t i, uint64_t s, uint64_t e,
                       const char *what)
{
    const struct rctx *rc = ctx;
    if (!a->syntax_ok || claimed(a->code_file, s))
        return;
    claim(a->code_file, s);
    struct finding *f = finding_add(rc->ri, a->code_file, s, e, NULL);
    finding_arg(f, "what", "%s", what);
    finding_set_identity(f, rc->t->index, a->it.name);
    char *v = js_string_value(a->code, &a->toks.t[i]);
    finding_value(f, v, strlen(v), 1);
    free(v);
}

static void finish(int ri, struct tenant *t)
{
    struct rctx rc = {ri, t};
    each_literal(rule_get(ri)->state, t, report_lit, &rc);
}

const struct check_fn check_secret_code_fn = {"secret-code", prepare, NULL, NULL, finish, NULL};
