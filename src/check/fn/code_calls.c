/* check/fn/code_calls.c - the `code-calls` check function: the Flex action's code must call
 * a function with each of a set of literal arguments (every SAML attribute Flex needs
 * must be set with api.samlResponse.setAttribute('NAME', ...)). Calls are searched among
 * the code's tokens: a call in a comment or a string does not count. Options:
 *   callee:        the called name, dotted for a member chain suffix (setAttribute,
 *                  samlResponse.setAttribute)
 *   argument:      which argument holds the name (default 0)
 *   required:      the names that must be provided (a list)
 *   client_values: optional JSON pointer in the Flex client(s) of an object whose string
 *                  values also provide names (addons.samlp.mappings: property -> SAML name)
 *   flow:          optional trigger id: Actions bound to it (they run in the same flow)
 *                  provide names too
 *   at:            the identifier the finding points at (default onExecutePostLogin;
 *                  line 1, column 1 when absent)
 * A call whose name argument is not a literal (or is an unresolved placeholder), a use
 * of the callee that is not a call (`const set = api.samlResponse.setAttribute`), or a
 * contributing Action whose code cannot be read makes the provided set unknown: no
 * finding. Code with action-syntax is not judged. One finding per Flex action naming
 * every missing name. Message arguments: {action}, {missing} ('a' and 'b'), {s} ("s"
 * when several), {first}. */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/code.h"
#include "report/report.h"

struct state {
    struct actcode_names callee, required;
    size_t argument;
    char *client_values, *flow, *at;
};

static void free_state(void *p)
{
    struct state *st = p;
    actcode_names_free(&st->callee);
    actcode_names_free(&st->required);
    free(st->client_values);
    free(st->flow);
    free(st->at);
    free(st);
}

static int opt_str(json_t *o, const char *key, char **out, struct strbuf *err)
{
    json_t *v = json_object_get(o, key);
    if (!v)
        return 0;
    if (!json_is_string(v) || !json_string_length(v)) {
        sb_addf(err, "options.%s must be a non-empty string", key);
        return -1;
    }
    *out = xstrdup(json_string_value(v));
    return 0;
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    struct state *st = xcalloc(1, sizeof(*st));
    r->state = st;
    r->free_state = free_state;
    if (actcode_names_parse(r->options, "callee", 1, &st->callee, err) < 0 ||
        actcode_names_parse(r->options, "required", 0, &st->required, err) < 0 ||
        opt_str(r->options, "client_values", &st->client_values, err) < 0 ||
        opt_str(r->options, "flow", &st->flow, err) < 0 ||
        opt_str(r->options, "at", &st->at, err) < 0)
        return -1;
    if (st->client_values && st->client_values[0] != '/') {
        sb_adds(err, "options.client_values must be a JSON pointer (/a/b)");
        return -1;
    }
    json_t *arg = json_object_get(r->options, "argument");
    if (arg &&
        (!json_is_integer(arg) || json_integer_value(arg) < 0 || json_integer_value(arg) > 16)) {
        sb_adds(err, "options.argument must be an argument index from 0 to 16");
        return -1;
    }
    st->argument = arg ? (size_t)json_integer_value(arg) : 0;
    if (!st->at)
        st->at = xstrdup("onExecutePostLogin");
    return 0;
}

static int punct(const struct action *a, size_t i, const char *p)
{
    return i < a->toks.n && a->toks.t[i].kind == JS_PUNCT && js_tok_is(a->code, &a->toks.t[i], p);
}

/* Token index of argument `arg` of the call whose '(' is at token j, or (size_t)-1. */
static size_t argument_at(const struct action *a, size_t j, size_t arg)
{
    size_t k = j + 1, depth = 0, n = 0;
    if (punct(a, k, ")"))
        return (size_t)-1;
    for (; k < a->toks.n; k++) {
        if (n == arg && depth == 0)
            return k;
        const struct js_tok *tk = &a->toks.t[k];
        if (tk->kind == JS_TEMPLATE_HEAD || punct(a, k, "(") || punct(a, k, "[") ||
            punct(a, k, "{")) {
            depth++;
        } else if (tk->kind == JS_TEMPLATE_TAIL || punct(a, k, ")") || punct(a, k, "]") ||
                   punct(a, k, "}")) {
            if (depth == 0)
                return (size_t)-1; /* the call ends before that argument */
            depth--;
        } else if (depth == 0 && punct(a, k, ",")) {
            n++;
        }
    }
    return (size_t)-1;
}

/* Mark the required names that a's calls provide; return -1 when a's calls make the
 * set unknown. */
static int scan(const struct state *st, const struct action *a, int *provided)
{
    int unknown = 0;
    for (size_t i = 0; i < a->toks.n; i++) {
        size_t last;
        if (!actcode_chain_at(a, i, (const char *const *)st->callee.v, st->callee.n, &last))
            continue;
        size_t j = last + 1;
        if (punct(a, j, "?."))
            j++;
        if (!punct(a, j, "(")) {
            unknown = 1; /* passed around or aliased: its calls cannot be followed */
            continue;
        }
        size_t k = argument_at(a, j, st->argument);
        if (k == (size_t)-1)
            continue;
        const struct js_tok *tk = &a->toks.t[k];
        int literal = (tk->kind == JS_STRING || tk->kind == JS_TEMPLATE) &&
                      (punct(a, k + 1, ",") || punct(a, k + 1, ")"));
        if (!literal || actcode_tok_unknown(a, tk)) {
            unknown = 1;
            continue;
        }
        for (size_t r = 0; r < st->required.n; r++)
            if (actcode_name_is(a, k, st->required.v[r]))
                provided[r] = 1;
    }
    return unknown ? -1 : 0;
}

/* Names provided by the Flex client(s)' client_values object; -1 when unknown. */
static int client_names(const struct state *st, const struct tenant *t, int *provided)
{
    for (size_t c = 0; st->client_values && c < t->nflex_clients; c++) {
        const struct item *it = &t->clients[t->flex_clients[c]];
        if (!it->doc || !it->obj)
            continue;
        struct record crec = {REC_CLIENT, (struct tenant *)t, it->doc,     it->obj,
                              NULL,       it->name,           it->pointer, NULL};
        const struct loc *l;
        int unknown;
        json_t *o = record_get(&crec, st->client_values, &l, &unknown);
        if (unknown || (l && (l->flags & LOC_UNKNOWN)))
            return -1;
        const char *k;
        json_t *v;
        json_object_foreach(json_is_object(o) ? o : NULL, k, v)
        {
            const struct loc *vl = doc_key(it->doc, o, k);
            if (vl && (vl->flags & LOC_UNKNOWN))
                return -1;
            for (size_t r = 0; json_is_string(v) && r < st->required.n; r++)
                if (!strcmp(json_string_value(v), st->required.v[r]))
                    provided[r] = 1;
        }
    }
    return 0;
}

/* Names provided by the other Actions bound to the flow's trigger; -1 when unknown. */
static int flow_names(const struct state *st, const struct tenant *t, const struct action *self,
                      int *provided)
{
    for (size_t i = 0; st->flow && i < t->nactions; i++) {
        const struct action *o = &t->actions[i];
        if (o == self || actcode_bound(t, o, st->flow, "action_name") == 0)
            continue;
        if (!actcode_usable(o) || scan(st, o, provided) < 0)
            return -1;
    }
    return 0;
}

static void record(int ri, const struct record *rec)
{
    const struct state *st = rule_get(ri)->state;
    const struct action *a = actcode_flex_usable(rec);
    if (!a)
        return;
    int *provided = xcalloc(st->required.n, sizeof(*provided));
    if (scan(st, a, provided) < 0 || client_names(st, rec->t, provided) < 0 ||
        flow_names(st, rec->t, a, provided) < 0)
        goto out;
    size_t nmiss = 0, seen = 0;
    for (size_t r = 0; r < st->required.n; r++)
        nmiss += !provided[r];
    if (!nmiss)
        goto out;
    struct strbuf miss = STRBUF_INIT;
    const char *first = NULL;
    for (size_t r = 0; r < st->required.n; r++) {
        if (provided[r])
            continue;
        seen++;
        sb_addf(&miss, "%s'%s'",
                seen == 1       ? ""
                : seen == nmiss ? " and "
                                : ", ",
                st->required.v[r]);
        if (!first)
            first = st->required.v[r];
    }
    struct finding *f = actcode_finding_at(ri, rec->t, a, st->at);
    finding_arg(f, "action", "%s", actcode_label(a));
    finding_arg(f, "missing", "%s", sb_str(&miss));
    finding_arg(f, "s", "%s", nmiss > 1 ? "s" : "");
    finding_arg(f, "first", "%s", first);
    sb_free(&miss);
out:
    free(provided);
}

const struct check_fn check_code_calls_fn = {"code-calls", prepare, NULL, record, NULL, NULL};
