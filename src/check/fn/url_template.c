/* check/fn/url_template.c - the `url-template` check function: URLs of a record (the Flex
 * client's callbacks, audience, recipient) against the templates of a URL spec
 * (check/url.c), built from facts of the tenant. Options:
 *
 *   urls: {...}          the URL spec (check/url.c); in rules/saml.yaml one YAML anchor
 *                        shared by the rules of the chain
 *   fields: [audience]   the spec's fields this rule looks at (default: all)
 *   report: one of       what this rule reports ("one cause, one finding": each value
 *                        gets at most one of them, whichever rules are on):
 *     sid-mismatch       a value of the right form whose SID differs from its fact: at
 *                        the SID inside the string, a note at the fact
 *     malformed          a near miss of a template (http:, another host, a trailing /,
 *                        whitespace, a few edits): at the value
 *     missing            list fields: a template of the style that no element matches
 *                        even with another SID or as a near miss (one finding per
 *                        template, at the list); needs the style and the facts
 *     mismatch           a value that is nothing like the style's template, or a
 *                        required field that is absent: at the value, else the nearest
 *                        present parent; needs the style and the facts
 *
 * Message arguments: {what} (the field's label), {url}, {expected} (the filled
 * template), {style} (the style's label), {reason} (malformed), {problem} (mismatch:
 * "is missing" or "'…' is wrong"), {sid}, {flex_sid}, {label}, {source} and {case}
 * (sid-mismatch). Unknown (placeholder) values and values claimed by an earlier rule
 * are not judged; each finding claims its value (and the SID's position). */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/edit.h"
#include "check/url.h"
#include "check/util.h"
#include "report/report.h"

enum report { REP_SID, REP_MALFORMED, REP_MISSING, REP_MISMATCH };
static const char *const report_names[] = {"sid-mismatch", "malformed", "missing", "mismatch",
                                           NULL};

struct ut_state {
    struct url_spec spec;
    enum report report;
    int fields[URL_MAX_FIELDS];
    size_t nfields;
};

static void free_state(void *p)
{
    struct ut_state *st = p;
    url_spec_free(&st->spec);
    free(st);
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    struct ut_state *st = xcalloc(1, sizeof(*st));
    r->state = st;
    r->free_state = free_state;
    const char *rep = json_string_value(json_object_get(r->options, "report"));
    int k = -1;
    for (int i = 0; rep && report_names[i]; i++)
        if (!strcmp(rep, report_names[i]))
            k = i;
    if (k < 0) {
        sb_adds(err, "the url-template check needs options.report: sid-mismatch, malformed, "
                     "missing or mismatch");
        return -1;
    }
    st->report = (enum report)k;
    if (url_spec_parse(json_object_get(r->options, "urls"), &st->spec, err) < 0) {
        sb_adds(err, " (in options.urls)");
        return -1;
    }
    json_t *fl = json_object_get(r->options, "fields");
    if (fl && !json_is_array(fl)) {
        sb_adds(err, "options.fields must list fields of options.urls");
        return -1;
    }
    size_t i;
    json_t *e;
    json_array_foreach(fl, i, e) {
        int fi = json_is_string(e) ? url_field_find(&st->spec, json_string_value(e)) : -1;
        if (fi < 0 || st->nfields >= URL_MAX_FIELDS) {
            sb_addf(err, "options.fields[%zu] names no field of options.urls", i);
            return -1;
        }
        st->fields[st->nfields++] = fi;
    }
    if (!fl)
        for (size_t f = 0; f < st->spec.nfields; f++)
            st->fields[st->nfields++] = (int)f;
    return 0;
}

/* Notes at the facts a template was built from (the first SID fact that differs for
 * sid-mismatch: only_fact). */
static void fact_notes(struct finding *f, const struct url_spec *s, const struct url_facts *fx,
                       const struct url_tmpl *t, int only_fact)
{
    int done[URL_MAX_FACTS] = {0};
    for (size_t i = 0; i < t->n; i++) {
        int fi = t->p[i].fact;
        if (t->p[i].lit || done[fi] || !s->fact[fi].sid || (only_fact >= 0 && fi != only_fact))
            continue;
        done[fi] = 1;
        const struct url_fact *x = &fx->f[fi];
        if (x->state == FACT_KNOWN && x->file >= 0)
            finding_note(f, x->file, x->start, x->end, NULL, "the %s in %s", s->fact[fi].label,
                         x->where);
    }
}

static struct finding *add(int ri, const struct record *rec, uint64_t start, uint64_t end,
                           const struct url_spec *s, const struct url_judgement *j,
                           const char *what)
{
    struct finding *f = finding_add(ri, rec->doc->file, start, end, rec->win);
    finding_set_identity(f, rec->t->index, rec->identity);
    finding_arg(f, "what", "%s", what);
    finding_arg(f, "expected", "%s", sb_str(&j->expected));
    finding_arg(f, "style", "%s", j->style >= 0 ? s->style[j->style].label : "");
    return f;
}

/* The expected value of field fi in the style: its first template, when the facts are
 * known. */
static const struct url_tmpl *style_tmpl(const struct url_spec *s, const struct url_facts *fx,
                                         int fi)
{
    const struct url_style *st = &s->style[fx->style];
    int tf = s->field[fi].like;
    return st->nt[tf] && url_tmpl_ready(fx, &st->t[tf][0]) ? &st->t[tf][0] : NULL;
}

static void judge_value(int ri, const struct record *rec, const struct ut_state *st,
                        const struct url_facts *fx, int fi, json_t *v, const struct loc *l)
{
    const struct url_spec *s = &st->spec;
    int file = rec->doc->file;
    if (!json_is_string(v) || !l || (l->flags & LOC_UNKNOWN) || claimed(file, l->start))
        return;
    const char *u = json_string_value(v);
    size_t n = json_string_length(v);
    struct url_judgement j;
    url_judge(s, fx, fi, fx->style, NULL, u, n, &j);
    const char *what = s->field[fi].label;
    struct finding *f = NULL;
    if (st->report == REP_SID && j.v == URL_SID) {
        const struct url_cap *c = &j.cap[j.bad];
        const struct url_fact *x = &fx->f[c->fact];
        uint64_t at = url_inner_off(rec->doc, l, u, n, c->off);
        uint64_t end = url_inner_off(rec->doc, l, u, n, c->off + c->len);
        claim(file, l->start);
        claim(file, at);
        f = add(ri, rec, at, end > at ? end : at, s, &j, what);
        finding_arg(f, "sid", "%.*s", (int)c->len, u + c->off);
        finding_arg(f, "flex_sid", "%.*s", (int)x->n, x->v);
        finding_arg(f, "label", "%s", s->fact[c->fact].label);
        finding_arg(f, "source", "%s", x->where);
        finding_arg(f, "case", "%s",
                    x->n == c->len && chk_ascii_caseeq(x->v, u + c->off, c->len)
                        ? " only in case (SIDs are compared exactly)" : "");
        fact_notes(f, s, fx, j.t, c->fact);
        if (x->state == FACT_KNOWN && edit_begin(f, rec, FIX_SAFE, "write the Flex side's SID") == 0) {
            char *fixed = xasprintf("%.*s%.*s%s", (int)c->off, u, (int)x->n, x->v,
                                    u + c->off + c->len);
            edit_string(f, rec, l, v, fixed);
            free(fixed);
        }
    } else if (st->report == REP_MALFORMED && j.v == URL_NEAR) {
        claim(file, l->start);
        f = add(ri, rec, l->start, l->end, s, &j, what);
        finding_arg(f, "reason", "%s", sb_str(&j.reason));
    } else if (st->report == REP_MISMATCH && j.v == URL_NONE && fx->style >= 0) {
        const struct url_tmpl *t = style_tmpl(s, fx, fi);
        if (t) {
            url_judgement_free(&j);
            memset(&j, 0, sizeof(j));
            j.style = fx->style;
            url_fill(s, fx, t, &j.expected);
            claim(file, l->start);
            f = add(ri, rec, l->start, l->end, s, &j, what);
            finding_arg(f, "problem", "'%s' is wrong", u);
            fact_notes(f, s, fx, t, -1);
            if (edit_begin(f, rec, FIX_SAFE, "write the expected value") == 0)
                edit_string(f, rec, l, v, sb_str(&j.expected));
        }
    }
    if (f) {
        finding_arg(f, "url", "%s", u);
        finding_value(f, u, n, 0);
    }
    url_judgement_free(&j);
}

/* A required field that is absent (mismatch). */
static void judge_absent(int ri, const struct record *rec, const struct ut_state *st,
                         const struct url_facts *fx, int fi)
{
    const struct url_spec *s = &st->spec;
    if (!s->field[fi].required || fx->style < 0 || s->style[fx->style].optional[fi])
        return;
    const struct url_tmpl *t = style_tmpl(s, fx, fi);
    const struct loc *l = url_nearest_loc(rec, s->field[fi].pointer);
    if (!t || !l)
        return;
    struct url_judgement j;
    memset(&j, 0, sizeof(j));
    j.style = fx->style;
    url_fill(s, fx, t, &j.expected);
    struct finding *f = add(ri, rec, l->start, l->start, s, &j, s->field[fi].label);
    finding_arg(f, "problem", "%s", "is missing");
    finding_arg(f, "url", "%s", "");
    fact_notes(f, s, fx, t, -1);
    url_judgement_free(&j);
}

/* missing: each template of the style that no element of the list comes close to. */
static void judge_list(int ri, const struct record *rec, const struct ut_state *st,
                       const struct url_facts *fx, int fi, json_t *v, const struct loc *l)
{
    const struct url_spec *s = &st->spec;
    const struct url_field *fd = &s->field[fi];
    if (fx->style < 0 || s->style[fx->style].optional[fi])
        return;
    if (v && (!json_is_array(v) || !l || claimed(rec->doc->file, l->start)))
        return;
    if (!v && !fd->required)
        return;
    for (size_t i = 0; v && i < json_array_size(v); i++) {
        const struct loc *el = doc_index(rec->doc, v, i);
        if (!el || (el->flags & LOC_UNKNOWN))
            return; /* it might be the one */
    }
    const struct loc *at = v ? l : url_nearest_loc(rec, fd->pointer);
    const struct url_style *sty = &s->style[fx->style];
    int tf = fd->like;
    for (size_t k = 0; at && k < sty->nt[tf]; k++) {
        const struct url_tmpl *t = &sty->t[tf][k];
        if (!url_tmpl_ready(fx, t))
            continue;
        int present = 0;
        for (size_t i = 0; v && !present && i < json_array_size(v); i++) {
            json_t *e = json_array_get(v, i);
            if (!json_is_string(e))
                continue;
            struct url_judgement j;
            url_judge(s, fx, fi, fx->style, t, json_string_value(e), json_string_length(e), &j);
            present = j.v != URL_NONE;
            url_judgement_free(&j);
        }
        if (present)
            continue;
        struct url_judgement j;
        memset(&j, 0, sizeof(j));
        j.style = fx->style;
        url_fill(s, fx, t, &j.expected);
        struct finding *f = add(ri, rec, at->start, v ? at->end : at->start, s, &j, fd->label);
        finding_value(f, sb_str(&j.expected), j.expected.len, 0);
        fact_notes(f, s, fx, t, -1);
        if (v && edit_begin(f, rec, FIX_UNSAFE, "add the expected URL") == 0)
            edit_append_string(f, rec, v, l, sb_str(&j.expected));
        url_judgement_free(&j);
    }
}

static void record(int ri, const struct record *rec)
{
    const struct ut_state *st = rule_get(ri)->state;
    const struct url_spec *s = &st->spec;
    if (!url_spec_applies(s, rec))
        return;
    struct url_facts fx;
    url_facts_get(s, rec, &fx);
    for (size_t k = 0; k < st->nfields; k++) {
        int fi = st->fields[k];
        const struct url_field *fd = &s->field[fi];
        const struct loc *l;
        int unknown;
        json_t *v = record_get(rec, fd->pointer, &l, &unknown);
        if (unknown || (l && (l->flags & LOC_UNKNOWN)))
            continue;
        if (st->report == REP_MISSING) {
            if (fd->list)
                judge_list(ri, rec, st, &fx, fi, v, l);
            continue;
        }
        if (!v) {
            if (st->report == REP_MISMATCH && !fd->list)
                judge_absent(ri, rec, st, &fx, fi);
            continue;
        }
        if (!fd->list) {
            judge_value(ri, rec, st, &fx, fi, v, l);
            continue;
        }
        if (!json_is_array(v) || !l || claimed(rec->doc->file, l->start))
            continue;
        for (size_t i = 0; i < json_array_size(v); i++)
            judge_value(ri, rec, st, &fx, fi, json_array_get(v, i), doc_index(rec->doc, v, i));
    }
}

const struct check_fn check_url_template_fn = {"url-template", prepare, NULL, record, NULL,
                                               NULL};
