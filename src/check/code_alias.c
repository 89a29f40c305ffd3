/* check/code_alias.c - reads of the properties below a path of the user that go through a
 * simple alias or a destructuring, found in the tokens (no scope analysis):
 *
 *   const flex = event.user.app_metadata.flex || {};   ... flex.teams, flex?.['teams']
 *   let { flex } = event.user.app_metadata;            ... flex.teams
 *   const { flex: f = {} } = event.user.app_metadata;  ... f.teams
 *   const { team, teams } = event.user.app_metadata?.flex || {};  (each key a read)
 *   const { teams } = flex;                            (flex an alias found before)
 *
 * An alias is a `const`/`let`/`var` name whose initializer is the path's member chain
 * (after any `event.user.`-style prefix), ending there (`|| {}` / `?? {}` may follow). Its
 * reads are every later `alias.X`, `alias?.X` and `alias['X']`; a name declared twice,
 * an alias of an alias, a function parameter or a reassignment is not followed (the
 * rule pages say so). */
#include <stdlib.h>
#include <string.h>

#include "check/code.h"

#define ALIASES_MAX 32

static int punct(const struct action *a, size_t i, const char *p)
{
    return i < a->toks.n && a->toks.t[i].kind == JS_PUNCT && js_tok_is(a->code, &a->toks.t[i], p);
}

static int ident(const struct action *a, size_t i)
{
    return i < a->toks.n && a->toks.t[i].kind == JS_IDENT;
}

static int same_text(const struct action *a, size_t i, size_t j)
{
    const struct js_tok *x = &a->toks.t[i], *y = &a->toks.t[j];
    return x->end - x->start == y->end - y->start &&
           !memcmp(a->code + x->start, a->code + y->start, x->end - x->start);
}

/* The initializer at token k is the chain names[0..n) (after a prefix such as
 * `event.user.`) and ends there: returns the token after it, 0 when it is not. */
static size_t chain_init(const struct action *a, size_t k, const char *const *names, size_t n)
{
    for (size_t m = k; m < a->toks.n && m < k + 16; m += 2) {
        size_t last;
        if (actcode_chain_at(a, m, names, n, &last)) {
            size_t after = last + (a->toks.t[last].kind == JS_IDENT ? 1 : 2);
            if (punct(a, after, ".") || punct(a, after, "?.") || punct(a, after, "[") ||
                punct(a, after, "("))
                return 0;
            return after;
        }
        if (!ident(a, m) || !(punct(a, m + 1, ".") || punct(a, m + 1, "?.")))
            return 0;
    }
    return 0;
}

/* The closing `}` of the `{` at token i, 0 when there is none. */
static size_t closing_brace(const struct action *a, size_t i)
{
    int depth = 0;
    for (size_t k = i; k < a->toks.n; k++) {
        if (punct(a, k, "{"))
            depth++;
        else if (punct(a, k, "}") && --depth == 0)
            return k;
    }
    return 0;
}

/* Each key of the object pattern {...} at [open, close]: the name token right after `{`
 * or a `,` of the pattern's own level (`...rest` is not a key). */
static void pattern_keys(const struct action *a, size_t open, size_t close,
                         void (*fn)(void *ctx, size_t key), void *ctx)
{
    int depth = 0;
    for (size_t k = open; k < close; k++) {
        int starts = 0;
        if (punct(a, k, "{") || punct(a, k, "[") || punct(a, k, "("))
            starts = ++depth == 1;
        else if (punct(a, k, "}") || punct(a, k, "]") || punct(a, k, ")"))
            depth--;
        else
            starts = depth == 1 && punct(a, k, ",");
        if (starts && k + 1 < close && (ident(a, k + 1) || a->toks.t[k + 1].kind == JS_STRING))
            fn(ctx, k + 1);
    }
}

struct walk {
    const struct action *a;
    const char *const *names;
    size_t n;
    actcode_read_fn fn;
    void *ctx;
    size_t alias[ALIASES_MAX]; /* token of each alias name */
    size_t nalias;
    const char *want; /* pattern_keys: the key that names the alias (path's last) */
    size_t found;     /* its alias token, 0 when none */
};

static void add_alias(struct walk *w, size_t tok)
{
    if (w->nalias < ALIASES_MAX)
        w->alias[w->nalias++] = tok;
}

static int is_alias(const struct walk *w, size_t tok)
{
    for (size_t i = 0; i < w->nalias; i++)
        if (same_text(w->a, w->alias[i], tok))
            return 1;
    return 0;
}

static void key_read(void *ctx, size_t key)
{
    struct walk *w = ctx;
    w->fn(w->ctx, key);
}

/* `{ flex }` / `{ flex = {} }` / `{ flex: f }`: the alias token of the path's last name. */
static void alias_key(void *ctx, size_t key)
{
    struct walk *w = ctx;
    const struct action *a = w->a;
    if (w->found || !actcode_name_is(a, key, w->want))
        return;
    if (punct(a, key + 1, ":") && ident(a, key + 2))
        w->found = key + 2;
    else if (ident(a, key))
        w->found = key;
}

/* One declaration `const|let|var` at token i. */
static void declaration(struct walk *w, size_t i)
{
    const struct action *a = w->a;
    size_t j = i + 1;
    if (ident(a, j) && punct(a, j + 1, "=")) {
        if (chain_init(a, j + 2, w->names, w->n))
            add_alias(w, j);
        return;
    }
    size_t close = punct(a, j, "{") ? closing_brace(a, j) : 0;
    if (!close || !punct(a, close + 1, "="))
        return;
    size_t init = close + 2;
    if (chain_init(a, init, w->names, w->n) ||
        (ident(a, init) && is_alias(w, init) && !punct(a, init + 1, ".") &&
         !punct(a, init + 1, "?.") && !punct(a, init + 1, "["))) {
        pattern_keys(a, j, close, key_read, w);
    } else if (w->n > 1 && chain_init(a, init, w->names, w->n - 1)) {
        w->want = w->names[w->n - 1];
        w->found = 0;
        pattern_keys(a, j, close, alias_key, w);
        if (w->found)
            add_alias(w, w->found);
    }
}

/* Is token k a use of an alias as an object: `alias.` / `alias?.` / `alias[`, not a
 * property of something else (`x.flex`) nor the declaration itself? */
static void use(struct walk *w, size_t k)
{
    const struct action *a = w->a;
    if (!is_alias(w, k) || (k > 0 && (punct(a, k - 1, ".") || punct(a, k - 1, "?."))))
        return;
    for (size_t i = 0; i < w->nalias; i++)
        if (w->alias[i] == k)
            return;
    size_t name, next;
    if ((punct(a, k + 1, ".") || punct(a, k + 1, "?.")) && ident(a, k + 2))
        w->fn(w->ctx, k + 2);
    else if (punct(a, k + 1, "?.") && actcode_prop(a, k + 2, &name, &next))
        w->fn(w->ctx, name);
    else if (punct(a, k + 1, "[") && actcode_prop(a, k + 1, &name, &next))
        w->fn(w->ctx, name);
}

void actcode_alias_reads(const struct action *a, const char *const *names, size_t n,
                         actcode_read_fn fn, void *ctx)
{
    struct walk w = {a, names, n, fn, ctx, {0}, 0, NULL, 0};
    for (size_t i = 0; i < a->toks.n; i++) {
        if (!ident(a, i))
            continue;
        if (js_tok_is(a->code, &a->toks.t[i], "const") ||
            js_tok_is(a->code, &a->toks.t[i], "let") || js_tok_is(a->code, &a->toks.t[i], "var"))
            declaration(&w, i);
        else if (w.nalias)
            use(&w, i);
    }
}
