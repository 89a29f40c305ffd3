/* check/fn/pattern.c - the `pattern` check function: a string value that must (or must not)
 * match a PCRE2 regular expression, compiled once when the rule file is loaded.
 *
 *   pointer: /app_metadata/flex/team   the value, below each record of the scope
 *   regex: '^[A-Z][A-Za-z0-9]*$'       PCRE2 (UTF); anchor it to judge the whole value
 *   must: match                        match (default): a value that does not match is a
 *                                      finding; not-match: a value that matches is
 *   skip_empty: true                   "" is not judged (default false)
 *   defer: true                        report in the finish step, after the tenant's
 *                                      records: rules earlier in a chain that decide only
 *                                      then (team-case-mismatch, team-unknown) claim first
 *
 * Message arguments: {value}, {field} (the pointer's last segment). A value that is not
 * a string, unknown (a placeholder) or claimed by an earlier rule is not judged.
 * Memory with defer: 16 bytes per failing value (file, offsets, interned value) plus each
 * distinct failing value once; nothing otherwise. */
#include <stdlib.h>
#include <string.h>

#include "check/util.h"
#include "check/value_index.h"
#include "rules/finding.h"
#include "report/report.h"

struct pat {
    char *pointer;
    pcre2_code *re;
    pcre2_match_data *md;
    int must_match, skip_empty, defer;
    /* deferred failures of the current tenant */
    int tenant;
    struct strtab values;
    struct vuse *fail;
    size_t nfail, capfail;
};

static void pat_free(void *p)
{
    struct pat *o = p;
    free(o->pointer);
    if (o->md)
        pcre2_match_data_free(o->md);
    if (o->re)
        pcre2_code_free(o->re);
    strtab_clear(&o->values);
    free(o->fail);
    free(o);
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    static const char *const keys[] = {"pointer", "regex", "must", "skip_empty", "defer", NULL};
    (void)ri;
    struct pat *o = xcalloc(1, sizeof(*o));
    o->tenant = -1;
    r->state = o;
    r->free_state = pat_free;
    if (chk_known_options(r->options, keys, "pattern", err))
        return -1;
    const char *p = json_string_value(json_object_get(r->options, "pointer"));
    const char *re = json_string_value(json_object_get(r->options, "regex"));
    if (!p || p[0] != '/' || !re) {
        sb_adds(err, "the pattern check needs options.pointer (/a/b) and options.regex");
        return -1;
    }
    o->pointer = xstrdup(p);
    json_t *must = json_object_get(r->options, "must");
    if (must && (!json_is_string(must) || (strcmp(json_string_value(must), "match") &&
                                           strcmp(json_string_value(must), "not-match")))) {
        sb_adds(err, "options.must must be 'match' or 'not-match'");
        return -1;
    }
    o->must_match = !must || !strcmp(json_string_value(must), "match");
    if (chk_opt_bool(r->options, "skip_empty", &o->skip_empty, err) ||
        chk_opt_bool(r->options, "defer", &o->defer, err))
        return -1;
    struct chk_regex_err e;
    o->re = chk_regex_compile(re, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &e);
    if (!o->re) {
        sb_addf(err, "options.regex does not compile at offset %zu: %s", e.off, e.msg);
        return -1;
    }
    pcre2_jit_compile(o->re, PCRE2_JIT_COMPLETE); /* faster when available; optional */
    o->md = pcre2_match_data_create_from_pattern(o->re, NULL);
    return 0;
}

/* 1: a finding; 0: fine; -1: cannot be told (a matching error). */
static int fails(const struct pat *o, const char *s, size_t n)
{
    int rc = pcre2_match(o->re, (PCRE2_SPTR)s, n, 0, 0, o->md, NULL);
    if (rc == PCRE2_ERROR_NOMATCH)
        return o->must_match;
    if (rc < 0)
        return -1;
    return !o->must_match;
}

static void record(int ri, const struct record *rec)
{
    struct pat *o = rule_get(ri)->state;
    const struct loc *l;
    int unknown;
    json_t *v = record_get(rec, o->pointer, &l, &unknown);
    if (!v || unknown || !l || !json_is_string(v))
        return;
    int file = rec->doc->file;
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if ((o->skip_empty && !n) || claimed(file, l->start) || fails(o, s, n) != 1)
        return;
    if (o->defer) {
        int t = rec->t ? rec->t->index : -1;
        if (o->tenant != t) {
            strtab_clear(&o->values);
            o->nfail = 0;
            o->tenant = t;
        }
        GROW(o->fail, o->capfail, o->nfail + 1);
        o->fail[o->nfail++] = vuse_make(file, l->start, l->end, strtab_intern(&o->values, s, n), 0);
        return;
    }
    struct finding *f = finding_add(ri, file, l->start, l->end, rec->win);
    finding_value(f, s, n, 0);
    finding_arg(f, "field", "%s", chk_last_segment(o->pointer));
    finding_set_identity(f, rec->t ? rec->t->index : -1, rec->identity);
}

static void finish(int ri, struct tenant *t)
{
    struct pat *o = rule_get(ri)->state;
    if (!o->defer || o->tenant != t->index)
        return;
    for (size_t k = 0; k < o->nfail; k++) {
        const struct vuse *u = &o->fail[k];
        if (claimed(VUSE_FILE(u), VUSE_START(u)))
            continue;
        struct finding *f = finding_add(ri, VUSE_FILE(u), VUSE_START(u), VUSE_END(u), NULL);
        finding_value(f, o->values.s[u->value], o->values.n[u->value], 0);
        finding_arg(f, "field", "%s", chk_last_segment(o->pointer));
        finding_set_identity(f, t->index, NULL);
    }
    strtab_clear(&o->values);
    free(o->fail);
    o->fail = NULL;
    o->nfail = o->capfail = 0;
    o->tenant = -1;
}

const struct check_fn check_regex_pattern_fn = {"pattern", prepare, NULL, record, finish, NULL};
