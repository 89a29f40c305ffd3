/* check/fn/first_item.c - the `first-item` check function: a list whose first element
 * must be one of a few values (nameid-not-email: Auth0 tries nameIdentifierProbes in
 * order, and Flex names each worker after the NameID). Options:
 *
 *   in: clients                 the record kind
 *   flex_client: true           clients: only the Flex client(s)
 *   pointer: /addons/samlp/nameIdentifierProbes    the list
 *   first: [email, ...]         the accepted first elements
 *
 * A missing list is reported at its nearest present parent (the `samlp` object), an
 * empty list or a wrong first element at the list. A list of another type (wrong-type's),
 * an unknown (placeholder) value or a claimed one is not judged. Message arguments:
 * {field} (the pointer's last segment), {problem}, {expected} (the first accepted
 * value). */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/url.h"
#include "report/report.h"

struct first_state {
    int kind, flex_client;
    char *pointer;
    json_t *first; /* new reference */
};

static void free_state(void *p)
{
    struct first_state *st = p;
    free(st->pointer);
    json_decref(st->first);
    free(st);
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    struct first_state *st = xcalloc(1, sizeof(*st));
    r->state = st;
    r->free_state = free_state;
    const char *in = json_string_value(json_object_get(r->options, "in"));
    const char *ptr = json_string_value(json_object_get(r->options, "pointer"));
    json_t *first = json_object_get(r->options, "first");
    st->kind = in ? rec_kind_parse(in) : -1;
    int ok = st->kind >= 0 && ptr && ptr[0] == '/' && json_is_array(first) &&
             json_array_size(first);
    size_t i;
    json_t *e;
    json_array_foreach(first, i, e)
        ok &= json_is_string(e);
    if (!ok) {
        sb_adds(err, "the first-item check needs options.in (a record kind), options.pointer "
                     "(/a/b) and options.first (a list of strings)");
        return -1;
    }
    st->pointer = xstrdup(ptr);
    st->first = json_incref(first);
    st->flex_client = json_is_true(json_object_get(r->options, "flex_client"));
    return 0;
}

static void record(int ri, const struct record *rec)
{
    const struct first_state *st = rule_get(ri)->state;
    if ((int)rec->kind != st->kind ||
        (st->flex_client && !url_is_flex_client(rec->t, rec->obj)))
        return;
    const struct loc *l;
    int unknown;
    json_t *v = record_get(rec, st->pointer, &l, &unknown);
    const char *field = strrchr(st->pointer, '/') + 1;
    const char *want = json_string_value(json_array_get(st->first, 0));
    struct strbuf problem = STRBUF_INIT;
    if (unknown || (v && (!l || (l->flags & LOC_UNKNOWN) || !json_is_array(v) ||
                          claimed(rec->doc->file, l->start))))
        return;
    if (!v) {
        l = url_nearest_loc(rec, st->pointer);
        if (!l)
            return;
        sb_addf(&problem, "%s is missing", field);
    } else if (!json_array_size(v)) {
        sb_addf(&problem, "%s is empty", field);
    } else {
        const struct loc *el = doc_index(rec->doc, v, 0);
        json_t *e = json_array_get(v, 0);
        if (!el || (el->flags & LOC_UNKNOWN))
            return;
        size_t i;
        json_t *ok;
        json_array_foreach(st->first, i, ok)
            if (json_equal(ok, e))
                return;
        if (json_is_string(e))
            sb_addf(&problem, "%s starts with '%s', not '%s'", field, json_string_value(e), want);
        else
            sb_addf(&problem, "%s does not start with '%s'", field, want);
    }
    if (v)
        claim(rec->doc->file, l->start);
    struct finding *f = finding_add(ri, rec->doc->file, l->start, v ? l->end : l->start,
                                    rec->win);
    finding_arg(f, "field", "%s", field);
    finding_arg(f, "problem", "%s", problem.buf);
    finding_arg(f, "expected", "%s", want);
    finding_set_identity(f, rec->t->index, rec->identity);
    sb_free(&problem);
}

const struct check_fn check_first_item_fn = {"first-item", prepare, NULL, record, NULL, NULL};
