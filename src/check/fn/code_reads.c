/* check/fn/code_reads.c - the `code-reads` check function: the Flex action's code must not
 * read a member chain (e.g. `user_metadata`, which users can edit themselves). Options:
 *   path: the chain, dotted or a list (user_metadata; event.user.user_metadata); its
 *         first name may follow anything (`event.user.user_metadata`, a destructured
 *         `{ user_metadata }`), the others follow `.`, `?.` or `['...']`
 * Every read is a finding, at the chain's last name (an identifier, or the opening quote
 * of a bracketed string). Tokens only: comments and strings do not count; code with
 * action-syntax is not judged. Message arguments: {action}, {read}. */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/code.h"
#include "report/report.h"

struct state {
    struct actcode_names path;
    char *dotted;
};

static void free_state(void *p)
{
    struct state *st = p;
    actcode_names_free(&st->path);
    free(st->dotted);
    free(st);
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    struct state *st = xcalloc(1, sizeof(*st));
    r->state = st;
    r->free_state = free_state;
    if (actcode_names_parse(r->options, "path", 1, &st->path, err) < 0)
        return -1;
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < st->path.n; i++) {
        if (!strcmp(st->path.v[i], "*")) {
            sb_free(&sb);
            sb_adds(err, "options.path of code-reads names properties, not '*'");
            return -1;
        }
        sb_addf(&sb, "%s%s", i ? "." : "", st->path.v[i]);
    }
    st->dotted = sb_detach(&sb);
    return 0;
}

static void record(int ri, const struct record *rec)
{
    const struct state *st = rule_get(ri)->state;
    const struct action *a = actcode_flex_usable(rec);
    if (!a)
        return;
    for (size_t i = 0; i < a->toks.n; i++) {
        size_t last;
        if (!actcode_chain_at(a, i, (const char *const *)st->path.v, st->path.n, &last))
            continue;
        uint64_t s, e;
        actcode_span(a, &a->toks.t[last], &s, &e);
        struct finding *f = finding_add(ri, a->code_file, s, e, NULL);
        finding_set_identity(f, rec->t->index, a->it.name);
        finding_arg(f, "action", "%s", actcode_label(a));
        finding_arg(f, "read", "%s", st->dotted);
        finding_value(f, st->path.v[st->path.n - 1], strlen(st->path.v[st->path.n - 1]), 0);
    }
}

const struct check_fn check_code_reads_fn = {"code-reads", prepare, NULL, record, NULL, NULL};
