/* check/fn/worker_field_pattern.c - the check functions of the `workers` rule group (rules/workers.yaml),
 * and the `worker-field-pattern` function (worker-phantom): a TaskRouter worker field
 * whose value matches a regular expression. Options:
 *
 *   regex: '^...'               PCRE2, matched against each field's string value
 *   fields:                     in order; the first field that matches is reported (one
 *                               finding per worker, at that value)
 *     - in: worker              worker: the worker object; attributes: inside its
 *       pointer: /friendly_name   `attributes` string (positions inside the string)
 *       problem: "..."          the wording for this field: the rule message's
 *       fix: "..."                {problem} and {fix}
 *
 * Template arguments (message, problem and fix): {value}, {field} (the pointer without
 * its '/'), {worker} (the worker's friendly_name, else its sid, else its JSON pointer).
 * Unknown values are never judged. Memory: nothing outlives a record. */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/org.h"
#include "check/util.h"
#include "rules/finding.h"
#include "report/report.h"

extern const struct check_fn check_worker_user_sync_fn;

struct wfield {
    int in_attrs;
    char *pointer;
    const char *problem, *fix; /* borrowed from the rule options */
};

struct wpat_opts {
    pcre2_code *re;
    pcre2_match_data *md;
    struct wfield *f;
    size_t n;
};

static void free_opts(void *p)
{
    struct wpat_opts *o = p;
    pcre2_match_data_free(o->md);
    pcre2_code_free(o->re);
    for (size_t i = 0; i < o->n; i++)
        free(o->f[i].pointer);
    free(o->f);
    free(o);
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    static const char *const known[] = {"regex", "fields", NULL};
    if (options_known(r->options, "worker-field-pattern", known, err) < 0)
        return -1;
    const char *re = json_string_value(json_object_get(r->options, "regex"));
    json_t *fields = json_object_get(r->options, "fields");
    if (!re || !json_is_array(fields) || !json_array_size(fields)) {
        sb_adds(err, "the worker_field_pattern check needs options.regex and options.fields "
                     "(a list of {in: worker|attributes, pointer})");
        return -1;
    }
    struct chk_regex_err re_err;
    pcre2_code *c = chk_regex_compile(re, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &re_err);
    if (!c) {
        sb_addf(err, "options.regex does not compile at offset %zu: %s", re_err.off,
                re_err.msg);
        return -1;
    }
    struct wpat_opts *o = xcalloc(1, sizeof(*o));
    o->re = c;
    o->md = pcre2_match_data_create_from_pattern(c, NULL);
    o->f = xcalloc(json_array_size(fields), sizeof(*o->f));
    r->state = o;
    r->free_state = free_opts;
    size_t i;
    json_t *e;
    json_array_foreach(fields, i, e)
    {
        const char *in = json_string_value(json_object_get(e, "in"));
        const char *ptr = json_string_value(json_object_get(e, "pointer"));
        const char *problem = json_string_value(json_object_get(e, "problem"));
        const char *fix = json_string_value(json_object_get(e, "fix"));
        if (!in || (strcmp(in, "worker") && strcmp(in, "attributes")) || !ptr || ptr[0] != '/' ||
            !problem || !fix || json_object_size(e) != 4) {
            sb_addf(err,
                    "options.fields[%zu] must be {in: worker|attributes, pointer: /a/b, "
                    "problem: TEXT, fix: TEXT}",
                    i);
            return -1;
        }
        o->f[o->n].in_attrs = !strcmp(in, "attributes");
        o->f[o->n].problem = problem;
        o->f[o->n].fix = fix;
        o->f[o->n].pointer = xstrdup(ptr);
        o->n++;
    }
    return 0;
}

static void record(int ri, const struct record *rec)
{
    const struct wpat_opts *o = rule_get(ri)->state;
    const struct worker *w = rec->worker;
    if (!w)
        return;
    for (size_t i = 0; i < o->n; i++) {
        const struct wfield *fd = &o->f[i];
        const struct doc *d = fd->in_attrs ? &w->attrs : rec->doc;
        json_t *from = fd->in_attrs ? w->attrs.root : w->obj;
        if (fd->in_attrs && !w->attrs_ok)
            continue;
        const struct loc *l;
        int unknown;
        json_t *v = doc_get(d, from, fd->pointer, &l, &unknown);
        if (!json_is_string(v) || unknown || !l || (l->flags & LOC_UNKNOWN) ||
            claimed(rec->doc->file, l->start))
            continue;
        if (pcre2_match(o->re, (PCRE2_SPTR)json_string_value(v), json_string_length(v), 0, 0, o->md,
                        NULL) < 0)
            continue;
        struct finding *f = finding_add(ri, rec->doc->file, l->start, l->end, rec->win);
        json_t *sid = json_object_get(w->obj, "sid");
        json_t *fn = json_object_get(w->obj, "friendly_name");
        const char *name = json_is_string(fn)    ? json_string_value(fn)
                           : json_is_string(sid) ? json_string_value(sid)
                                                 : w->pointer;
        /* clang-format off */
        const char *kv[] = {"value", json_string_value(v),
                            "field", fd->pointer + 1,
                            "worker", name,
                            NULL};
        /* clang-format on */
        struct strbuf sb = STRBUF_INIT;
        for (const char *const *p = kv; *p; p += 2)
            finding_arg(f, p[0], "%s", p[1]);
        template_render(&sb, fd->problem, kv);
        finding_arg(f, "problem", "%s", sb_str(&sb));
        sb_reset(&sb);
        template_render(&sb, fd->fix, kv);
        finding_arg(f, "fix", "%s", sb_str(&sb));
        sb_free(&sb);
        finding_value(f, json_string_value(v), json_string_length(v), 0);
        finding_set_identity(f, rec->t ? rec->t->index : -1,
                             json_is_string(sid) ? json_string_value(sid) : NULL);
        return;
    }
}

static const struct check_fn check_worker_field_pattern_fn = {
    "worker-field-pattern", prepare, NULL, record, NULL, NULL};

/* The functions this group registers (see check.h); the table ends with NULL. */
const struct check_fn *const check_group_workers[] = {
    &check_worker_field_pattern_fn,
    &check_worker_user_sync_fn,
    NULL,
};
