/* check/fn/action_field.c - the `action-field` check function: fields of the Flex action(s)
 * (rules.md "Terms") that must hold a value. Options:
 *   fields:  a list of {pointer, equals: V} (the value must equal V),
 *            {pointer, one_of: [V...]} (one of these), or
 *            {pointer, contains: {K: V...}} (an array with an object holding these members);
 *            the first field in list order that fails is the finding (one cause, one
 *            finding: `deployed: false` wins over a `status`)
 *   actions: flex (default) or all
 * An absent field, an unknown (placeholder) value and a value of another JSON type
 * (wrong-type's to report) are not judged. The reported value is claimed, so later rules
 * of a chain (e.g. `action-binding`'s `after`) stay silent on it.
 * Message arguments: {action}, {field}, {actual}, {expected}; {value} is the value. */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/code.h"
#include "report/report.h"

enum test { T_EQUALS, T_ONE_OF, T_CONTAINS };

struct field {
    char *pointer;
    enum test test;
    json_t *want; /* new reference */
};

struct state {
    struct field *f;
    size_t n;
    int all; /* judge every Action, not only the Flex action(s) */
};

static void free_state(void *p)
{
    struct state *st = p;
    for (size_t i = 0; i < st->n; i++) {
        free(st->f[i].pointer);
        json_decref(st->f[i].want);
    }
    free(st->f);
    free(st);
}

static int scalar(const json_t *v)
{
    return json_is_string(v) || json_is_boolean(v) || json_is_number(v);
}

static int parse_field(json_t *e, struct field *f, struct strbuf *err, size_t i)
{
    const char *ptr = json_string_value(json_object_get(e, "pointer"));
    json_t *eq = json_object_get(e, "equals"), *one = json_object_get(e, "one_of"),
           *has = json_object_get(e, "contains");
    if (!json_is_object(e) || !ptr || ptr[0] != '/' || (!!eq + !!one + !!has) != 1) {
        sb_addf(err,
                "options.fields[%zu] needs 'pointer' (/a/b) and one of 'equals', "
                "'one_of' or 'contains'",
                i);
        return -1;
    }
    size_t k;
    json_t *v;
    if (eq && !scalar(eq)) {
        sb_addf(err, "options.fields[%zu].equals must be a string, number or boolean", i);
        return -1;
    }
    if (one) {
        int ok = json_is_array(one) && json_array_size(one);
        json_array_foreach(one, k, v) {
            ok &= json_is_string(v);
        }
        if (!ok) {
            sb_addf(err, "options.fields[%zu].one_of must be a non-empty list of strings", i);
            return -1;
        }
    }
    if (has) {
        const char *key;
        int ok = json_is_object(has) && json_object_size(has);
        json_object_foreach(has, key, v) {
            ok &= json_is_string(v);
        }
        if (!ok) {
            sb_addf(err,
                    "options.fields[%zu].contains must be an object of strings, "
                    "e.g. {id: post-login}",
                    i);
            return -1;
        }
    }
    f->pointer = xstrdup(ptr);
    f->test = eq ? T_EQUALS : one ? T_ONE_OF : T_CONTAINS;
    f->want = json_incref(eq ? eq : one ? one : has);
    return 0;
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    json_t *list = json_object_get(r->options, "fields");
    const char *which = json_string_value(json_object_get(r->options, "actions"));
    if (!json_is_array(list) || !json_array_size(list)) {
        sb_adds(err, "the action-field check needs options.fields, a list of "
                     "{pointer, equals | one_of | contains}");
        return -1;
    }
    if (json_object_get(r->options, "actions") &&
        (!which || (strcmp(which, "flex") && strcmp(which, "all")))) {
        sb_adds(err, "options.actions must be 'flex' or 'all'");
        return -1;
    }
    struct state *st = xcalloc(1, sizeof(*st));
    st->f = xcalloc(json_array_size(list), sizeof(*st->f));
    st->all = which && !strcmp(which, "all");
    r->state = st;
    r->free_state = free_state;
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        if (parse_field(e, &st->f[st->n], err, i) < 0)
            return -1;
        st->n++;
    }
    return 0;
}

/* Same JSON type (true and false are one type)? */
static int same_type(const json_t *a, const json_t *b)
{
    if (json_is_boolean(a) || json_is_boolean(b))
        return json_is_boolean(a) && json_is_boolean(b);
    if (json_is_number(a) || json_is_number(b))
        return json_is_number(a) && json_is_number(b);
    return json_typeof(a) == json_typeof(b);
}

/* 1 holds, 0 fails, -1 cannot be judged. */
static int holds(const struct record *rec, const struct field *f, json_t *v)
{
    size_t i;
    json_t *e;
    switch (f->test) {
    case T_EQUALS:
        if (!same_type(v, f->want))
            return -1;
        return json_equal(v, f->want);
    case T_ONE_OF:
        if (!json_is_string(v))
            return -1;
        json_array_foreach(f->want, i, e) {
            if (json_equal(v, e))
                return 1;
        }
        return 0;
    case T_CONTAINS: {
        if (!json_is_array(v))
            return -1;
        int unknown = 0;
        json_array_foreach(v, i, e)
        {
            const struct loc *el = doc_index(rec->doc, v, i);
            if ((el && (el->flags & LOC_UNKNOWN)) || !json_is_object(e)) {
                unknown |= el && (el->flags & LOC_UNKNOWN);
                continue;
            }
            int all = 1;
            const char *k;
            json_t *w;
            json_object_foreach(f->want, k, w)
            {
                json_t *m = json_object_get(e, k);
                const struct loc *ml = m ? doc_key(rec->doc, e, k) : NULL;
                if (ml && (ml->flags & LOC_UNKNOWN))
                    unknown = 1;
                if (!m || !json_equal(m, w))
                    all = 0;
            }
            if (all)
                return 1;
        }
        return unknown ? -1 : 0;
    }
    }
    return -1;
}

static char *render(const json_t *v, int quote)
{
    if (json_is_string(v))
        return quote ? xasprintf("'%s'", json_string_value(v)) : xstrdup(json_string_value(v));
    return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

static char *expected_text(const struct field *f)
{
    struct strbuf sb = STRBUF_INIT;
    size_t i;
    json_t *e;
    const char *k;
    switch (f->test) {
    case T_EQUALS: {
        char *s = render(f->want, 0);
        sb_adds(&sb, s);
        free(s);
        break;
    }
    case T_ONE_OF:
        json_array_foreach(f->want, i, e)
            sb_addf(&sb, "%s%s", i ? " or " : "", json_string_value(e));
        break;
    case T_CONTAINS:
        i = 0;
        json_object_foreach(f->want, k, e)
            sb_addf(&sb, "%s%s", i++ ? ", " : "", json_string_value(e));
        break;
    }
    return sb_detach(&sb);
}

static void report(int ri, const struct record *rec, const struct action *a, const struct field *f,
                   json_t *v, const struct loc *l)
{
    int file = rec->doc->file;
    claim(file, l->start);
    struct finding *fd = finding_add(ri, file, l->start, l->end, rec->win);
    finding_set_identity(fd, rec->t->index, a->it.name);
    finding_arg(fd, "action", "%s", actcode_label(a));
    finding_arg(fd, "field", "%s", f->pointer + 1);
    char *actual = render(v, 1), *exp = expected_text(f);
    finding_arg(fd, "actual", "%s", actual);
    finding_arg(fd, "expected", "%s", exp);
    if (json_is_string(v))
        finding_value(fd, json_string_value(v), json_string_length(v), 0);
    else if (scalar(v))
        finding_value(fd, actual, strlen(actual), 0);
    free(actual);
    free(exp);
}

static void record(int ri, const struct record *rec)
{
    const struct state *st = rule_get(ri)->state;
    int flex;
    const struct action *a = actcode_action(rec, &flex);
    if (!a || !(flex || st->all) || !json_is_object(rec->obj))
        return;
    for (size_t i = 0; i < st->n; i++) {
        const struct field *f = &st->f[i];
        const struct loc *l;
        int unknown;
        json_t *v = record_get(rec, f->pointer, &l, &unknown);
        if (!v || unknown || !l || (l->flags & LOC_UNKNOWN) || claimed(rec->doc->file, l->start))
            continue;
        if (holds(rec, f, v) == 0) {
            report(ri, rec, a, f, v, l);
            return;
        }
    }
}

const struct check_fn check_action_field_fn = {"action-field", prepare, NULL, record, NULL, NULL};
