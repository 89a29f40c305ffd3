/* check/fn/action_binding.c - the `action-binding` check function: the Flex action(s)
 * (rules.md "Terms") must be bound to a trigger in the export's trigger bindings
 * (directory: triggers/triggers.json; YAML: `triggers:`), which name actions by `key`.
 * Options:
 *   trigger: the trigger id, e.g. post-login (the Login flow)
 *   key:     the binding member that names the action (default action_name)
 *   after:   JSON pointers inside the action (e.g. /supported_triggers): when an earlier
 *            rule of the chain claimed one of these values, stay silent
 * An unknown (placeholder) binding is not judged. The finding is at the action's
 * `name` (else the action), with a note at the trigger's bindings (else the bindings
 * object). Message arguments: {action}, {trigger}. */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/code.h"
#include "report/report.h"

struct state {
    char *trigger, *key;
    struct actcode_names after;
};

static void free_state(void *p)
{
    struct state *st = p;
    free(st->trigger);
    free(st->key);
    actcode_names_free(&st->after);
    free(st);
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    const char *trigger = json_string_value(json_object_get(r->options, "trigger"));
    json_t *key = json_object_get(r->options, "key");
    if (!trigger || !*trigger || (key && (!json_is_string(key) || !json_string_length(key)))) {
        sb_adds(err, "the action-binding check needs options.trigger (e.g. post-login) and "
                     "an optional options.key (default action_name)");
        return -1;
    }
    struct state *st = xcalloc(1, sizeof(*st));
    r->state = st;
    r->free_state = free_state;
    st->trigger = xstrdup(trigger);
    st->key = xstrdup(key ? json_string_value(key) : "action_name");
    if (json_object_get(r->options, "after")) {
        if (actcode_names_parse(r->options, "after", 0, &st->after, err) < 0)
            return -1;
        for (size_t i = 0; i < st->after.n; i++)
            if (st->after.v[i][0] != '/') {
                sb_addf(err, "options.after[%zu] must be a JSON pointer (/a/b)", i);
                return -1;
            }
    }
    return 0;
}

static void record(int ri, const struct record *rec)
{
    const struct state *st = rule_get(ri)->state;
    int flex;
    const struct action *a = actcode_action(rec, &flex);
    if (!a || !flex)
        return;
    for (size_t i = 0; i < st->after.n; i++) {
        const struct loc *l;
        int unknown;
        if (record_get(rec, st->after.v[i], &l, &unknown) && l && claimed(rec->doc->file, l->start))
            return;
    }
    const struct tenant *t = rec->t;
    if (actcode_bound(t, a, st->trigger, st->key) != 0)
        return;
    const struct loc *l = json_is_object(rec->obj) ? doc_key(rec->doc, rec->obj, "name") : NULL;
    if (!l)
        l = actcode_doc_loc(rec->doc, rec->pointer);
    uint64_t s = l ? l->start : 0, e = l ? l->end : 0;
    struct finding *f = finding_add(ri, rec->doc->file, s, e, rec->win);
    finding_set_identity(f, t->index, a->it.name);
    finding_arg(f, "action", "%s", actcode_label(a));
    finding_arg(f, "trigger", "%s", st->trigger);
    if (a->it.name)
        finding_value(f, a->it.name, strlen(a->it.name), 0);
    const struct item *tr = &t->triggers;
    if (!tr->doc || !tr->obj)
        return;
    const struct loc *bl = json_is_object(tr->obj) ? doc_key(tr->doc, tr->obj, st->trigger) : NULL;
    if (bl) {
        finding_note(f, tr->doc->file, bl->start, bl->end, NULL,
                     "the %s bindings, which do not name '%s'", st->trigger,
                     actcode_label(a));
    } else if ((bl = actcode_doc_loc(tr->doc, tr->pointer))) {
        finding_note(f, tr->doc->file, bl->start, bl->end, NULL,
                     "the trigger bindings, with no %s list", st->trigger);
    }
}

const struct check_fn check_action_binding_fn = {"action-binding", prepare, NULL,
                                                 record,           NULL,    NULL};
