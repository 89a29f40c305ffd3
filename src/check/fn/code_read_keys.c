/* check/fn/code_read_keys.c - the `code-read-keys` check function: a property that the Flex
 * action reads below a path of the user (`app_metadata.flex.X`, with or without `?.`)
 * must be a key that some user of the tenant has there (a typo such as `flex.teams`
 * reads undefined for everyone). Options:
 *   path: the object path, dotted or a list (app_metadata.flex): the code chain is
 *         path + one property, the users' object is at the JSON pointer /app/meta
 * Scope users: record() collects, per tenant, the keys of that object across the Flex
 * users (streamed); finish() judges the code. The accumulator is the set of distinct key
 * names, at most KEYS_MAX of them (beyond that the rule stays silent for the tenant). It
 * does not fire without users, when no user has the object, or when the code cannot be
 * judged (action-syntax). A property that is called (`flex.hasOwnProperty(...)`) is a
 * method, not a key. Every read is a finding, at the property name (an identifier, or
 * the opening quote of ['...']). Message arguments: {action}, {read} (path.X), {key}
 * (X), {suggestion} ("; did you mean 'team'" when one key is within edit distance 2).
 *
 *   defer: {rule: team-in-pattern-b, pattern: B, key: team, attribute: team}
 *         (optional) one cause, one finding: in a tenant of that pattern, a read of `key`
 *         by an Action that sets the SAML `attribute` is left to `rule` (while it is on),
 *         which reports the same cause (a Pattern A Action copied into a Pattern B tenant). */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/code.h"
#include "report/report.h"

#define KEYS_MAX 4096

struct state {
    struct actcode_names chain; /* path + "*" */
    char *pointer, *dotted;
    char *defer_rule, *defer_key, *defer_attr; /* options.defer, NULL when absent */
    char defer_pattern;
    /* the accumulator of the tenant being streamed */
    int tenant; /* its index, -1 before its first user */
    int any, unknown, overflow;
    json_t *keys; /* object used as a set of key names */
};

static void free_state(void *p)
{
    struct state *st = p;
    actcode_names_free(&st->chain);
    free(st->pointer);
    free(st->dotted);
    free(st->defer_rule);
    free(st->defer_key);
    free(st->defer_attr);
    json_decref(st->keys);
    free(st);
}

static int parse_defer(struct state *st, json_t *d, struct strbuf *err)
{
    if (!d)
        return 0;
    const char *rule = json_string_value(json_object_get(d, "rule"));
    const char *pat = json_string_value(json_object_get(d, "pattern"));
    const char *key = json_string_value(json_object_get(d, "key"));
    const char *attr = json_string_value(json_object_get(d, "attribute"));
    if (!json_is_object(d) || json_object_size(d) != 4 || !rule || !key || !attr || !pat ||
        (strcmp(pat, "A") && strcmp(pat, "B"))) {
        sb_adds(err, "options.defer of code-read-keys must be {rule, pattern: A|B, key, "
                     "attribute}");
        return -1;
    }
    st->defer_rule = xstrdup(rule);
    st->defer_key = xstrdup(key);
    st->defer_attr = xstrdup(attr);
    st->defer_pattern = pat[0];
    return 0;
}

/* Is a read of key by a in t the deferred rule's finding (options.defer)? */
static int deferred(const struct state *st, const struct tenant *t, const struct action *a,
                    const char *key)
{
    return st->defer_rule && !strcmp(key, st->defer_key) && t->cfg &&
           t->cfg->pattern == st->defer_pattern && rule_on(rule_find(st->defer_rule)) &&
           action_sets_attribute(a, st->defer_attr, NULL) == 1;
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    struct state *st = xcalloc(1, sizeof(*st));
    r->state = st;
    r->free_state = free_state;
    st->tenant = -1;
    st->keys = json_object();
    if (actcode_names_parse(r->options, "path", 1, &st->chain, err) < 0 ||
        parse_defer(st, json_object_get(r->options, "defer"), err) < 0)
        return -1;
    struct strbuf ptr = STRBUF_INIT, dot = STRBUF_INIT;
    for (size_t i = 0; i < st->chain.n; i++) {
        const char *s = st->chain.v[i];
        if (!strcmp(s, "*") || strchr(s, '/') || strchr(s, '~')) {
            sb_free(&ptr);
            sb_free(&dot);
            sb_addf(err, "options.path of code-read-keys must name properties ('%s')", s);
            return -1;
        }
        sb_addf(&ptr, "/%s", s);
        sb_addf(&dot, "%s%s", i ? "." : "", s);
    }
    st->pointer = sb_detach(&ptr);
    st->dotted = sb_detach(&dot);
    st->chain.v = xrealloc(st->chain.v, (st->chain.n + 1) * sizeof(*st->chain.v));
    st->chain.v[st->chain.n++] = xstrdup("*");
    return 0;
}

static void reset(struct state *st, int tenant)
{
    st->tenant = tenant;
    st->any = st->unknown = st->overflow = 0;
    json_object_clear(st->keys);
}

static void record(int ri, const struct record *rec)
{
    struct state *st = rule_get(ri)->state;
    if (rec->kind != REC_USER || !rec->t)
        return;
    if (st->tenant != rec->t->index)
        reset(st, rec->t->index);
    const struct loc *l;
    int unknown;
    json_t *o = record_get(rec, st->pointer, &l, &unknown);
    if (unknown) {
        st->unknown = 1;
        return;
    }
    if (!json_is_object(o))
        return;
    st->any = 1;
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        if (json_object_get(st->keys, k))
            continue;
        if (json_object_size(st->keys) >= KEYS_MAX)
            st->overflow = 1;
        else
            json_object_set_new(st->keys, k, json_true());
    }
}

static int punct(const struct action *a, size_t i, const char *p)
{
    return i < a->toks.n && a->toks.t[i].kind == JS_PUNCT && js_tok_is(a->code, &a->toks.t[i], p);
}

/* The one seen key within edit distance 2 of name (the closest; none on a tie). */
static const char *near_key(const struct state *st, const char *name)
{
    const char *best = NULL, *k;
    size_t bd = 3;
    int tie = 0;
    json_t *v;
    json_object_foreach(st->keys, k, v)
    {
        size_t d = edit_distance(name, k, 2);
        if (d < bd) {
            bd = d;
            best = k;
            tie = 0;
        } else if (d == bd) {
            tie = 1;
        }
    }
    return tie ? NULL : best;
}

/* One read of a property (token k of a's code): a finding when no user has that key. */
struct judging {
    int ri;
    const struct state *st;
    const struct tenant *t;
    const struct action *a;
};

static void judge_read(void *ctx, size_t k)
{
    const struct judging *j = ctx;
    const struct state *st = j->st;
    const struct action *a = j->a;
    const struct js_tok *tk = &a->toks.t[k];
    size_t after = tk->kind == JS_IDENT ? k + 1 : k + 2;
    if (punct(a, after, "(") || (punct(a, after, "?.") && punct(a, after + 1, "(")))
        return; /* a method call, not a key */
    if (actcode_tok_unknown(a, tk))
        return;
    char *key = tk->kind == JS_IDENT ? xstrndup(a->code + tk->start, tk->end - tk->start)
                                     : js_string_value(a->code, tk);
    if (!key || json_object_get(st->keys, key) || deferred(st, j->t, a, key)) {
        free(key);
        return;
    }
    uint64_t s, e;
    actcode_span(a, tk, &s, &e);
    struct finding *f = finding_add(j->ri, a->code_file, s, e, NULL);
    finding_set_identity(f, j->t->index, a->it.name);
    finding_arg(f, "action", "%s", actcode_label(a));
    finding_arg(f, "read", "%s.%s", st->dotted, key);
    finding_arg(f, "key", "%s", key);
    const char *near = near_key(st, key);
    if (near)
        finding_arg(f, "suggestion", "; did you mean '%s'", near);
    else
        finding_arg(f, "suggestion", "%s", "");
    finding_value(f, key, strlen(key), 0);
    free(key);
}

/* Every read of path.X in a's code: written out (event.user.app_metadata?.flex?.teams),
 * through an alias (flex.teams) or destructured ({ teams } = ...flex). */
static void judge(int ri, const struct state *st, const struct tenant *t, const struct action *a)
{
    struct judging j = {ri, st, t, a};
    const char *const *chain = (const char *const *)st->chain.v;
    for (size_t i = 0; i < a->toks.n; i++) {
        size_t last;
        if (actcode_chain_at(a, i, chain, st->chain.n, &last))
            judge_read(&j, last);
    }
    actcode_alias_reads(a, chain, st->chain.n - 1, judge_read, &j);
}

static void finish(int ri, struct tenant *t)
{
    struct state *st = rule_get(ri)->state;
    if (st->tenant != t->index)
        return; /* no Flex user of this tenant was streamed */
    if (st->any && !st->unknown && !st->overflow)
        for (size_t k = 0; k < t->nflex_actions; k++) {
            const struct action *a = &t->actions[t->flex_actions[k]];
            if (actcode_usable(a))
                judge(ri, st, t, a);
        }
    reset(st, -1);
}

const struct check_fn check_code_read_keys_fn = {"code-read-keys", prepare, NULL,
                                                 record,           finish,  NULL};
