/* check/fn/agree.c - the `agree` check function: the same fields of two documents of a
 * tenant must hold the same value (flex-sid-conflict: the Flex configuration and the
 * Flex SSO file name one account and one Flex instance). Options:
 *
 *   in: flex-configuration      the record whose value is reported
 *   other: flex-sso             the document it must agree with (flex-sso or
 *                               flex-configuration)
 *   pointers: [/account_sid, /flex_instance_sid]   the fields compared (strings)
 *
 * Comparison is exact. Both values must be known strings that no earlier rule claimed
 * (wrong-type, sid-format, sid-prefix: one cause, one finding). The finding is at the
 * record's value with a note at the other's. Message arguments: {field} (the pointer's
 * last segment), {value}, {other}, {case} (" (only in case)" when they differ so). */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "report/report.h"

struct agree_state {
    int kind, other;
    char **ptr;
    size_t nptr;
};

static void free_state(void *p)
{
    struct agree_state *st = p;
    for (size_t i = 0; i < st->nptr; i++)
        free(st->ptr[i]);
    free(st->ptr);
    free(st);
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    struct agree_state *st = xcalloc(1, sizeof(*st));
    r->state = st;
    r->free_state = free_state;
    const char *in = json_string_value(json_object_get(r->options, "in"));
    const char *other = json_string_value(json_object_get(r->options, "other"));
    json_t *ptrs = json_object_get(r->options, "pointers");
    st->kind = in ? rec_kind_parse(in) : -1;
    st->other = other ? rec_kind_parse(other) : -1;
    if (st->kind < 0 || (st->other != REC_FLEX_SSO && st->other != REC_FLEX_CONFIG) ||
        !json_is_array(ptrs) || !json_array_size(ptrs)) {
        sb_adds(err, "the agree check needs options.in (a record kind), options.other "
                     "(flex-sso or flex-configuration) and options.pointers (a list of /a/b)");
        return -1;
    }
    st->ptr = xcalloc(json_array_size(ptrs), sizeof(*st->ptr));
    size_t i;
    json_t *e;
    json_array_foreach(ptrs, i, e) {
        const char *p = json_string_value(e);
        if (!p || p[0] != '/') {
            sb_addf(err, "options.pointers[%zu] must be a JSON pointer (/a/b)", i);
            return -1;
        }
        st->ptr[st->nptr++] = xstrdup(p);
    }
    return 0;
}

/* A known, unclaimed string at pointer below rec, or NULL. */
static json_t *known(const struct record *rec, const char *pointer, const struct loc **l)
{
    int unknown;
    json_t *v = record_get(rec, pointer, l, &unknown);
    if (!json_is_string(v) || unknown || !*l || ((*l)->flags & LOC_UNKNOWN) ||
        claimed(rec->doc->file, (*l)->start))
        return NULL;
    return v;
}

static void record(int ri, const struct record *rec)
{
    const struct agree_state *st = rule_get(ri)->state;
    const struct doc *od = st->other == REC_FLEX_SSO ? rec->t->sso : rec->t->flexconf;
    if ((int)rec->kind != st->kind || !od || !od->root || od == rec->doc)
        return;
    struct record orec = {(enum rec_kind)st->other, rec->t, od, od->root, NULL, NULL, "", NULL};
    for (size_t i = 0; i < st->nptr; i++) {
        const struct loc *l, *ol;
        json_t *v = known(rec, st->ptr[i], &l);
        json_t *ov = v ? known(&orec, st->ptr[i], &ol) : NULL;
        if (!ov || json_equal(v, ov))
            continue;
        const char *a = json_string_value(v), *b = json_string_value(ov);
        claim(rec->doc->file, l->start);
        struct finding *f = finding_add(ri, rec->doc->file, l->start, l->end, rec->win);
        finding_arg(f, "field", "%s", strrchr(st->ptr[i], '/') + 1);
        finding_arg(f, "other", "%s", b);
        finding_arg(f, "case", "%s",
                    strlen(a) == strlen(b) && !ascii_casecmp(a, b) ? " (only in case)" : "");
        finding_value(f, a, strlen(a), 0);
        finding_set_identity(f, rec->t->index, rec->identity);
        finding_note(f, od->file, ol->start, ol->end, NULL, "the %s in %s",
                     strrchr(st->ptr[i], '/') + 1,
                     st->other == REC_FLEX_SSO ? "the Flex SSO file" : "the Flex configuration");
    }
}

const struct check_fn check_agree_fn = {"agree", prepare, NULL, record, NULL, NULL};
