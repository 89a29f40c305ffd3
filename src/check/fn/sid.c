/* check/fn/sid.c - the `sid` check function: Twilio SIDs in the Flex files, the workers and
 * the Flex client's URLs. Options:
 *
 *   report: format | prefix
 *   format: {prefix: 2, digits: 32}   a SID is `prefix` upper-case letters and `digits`
 *                                     hex digits (either case)
 *   keys: "(^|_)sid$"                 a PCRE2 pattern: a member whose name matches holds a
 *                                     SID, at any depth of the records below
 *   in: [flex-sso, flex-configuration, workers]   the record kinds searched for such keys
 *   urls: {...}                       optional: a URL spec (check/url.c); each SID
 *                                     placeholder of a template a URL has the form of is a
 *                                     SID too, named after its fact
 *   prefixes:                         report: prefix: the prefix each field needs
 *     - {key: account_sid, prefix: AC, name: account}
 *     - {key: sid, in: workers, prefix: WK, name: TaskRouter worker}
 *   kinds: {FO: a Flex Flow SID}      report: prefix: what other prefixes are, for the
 *                                     message (default "a 'XX' SID")
 *
 * format reports a SID that does not have the format ({detail} says each defect);
 * prefix one whose prefix differs from its field's (a prefix in another case is a
 * format defect, not a prefix one). A URL whose SID differs from the Flex side's, or
 * that is a near miss, belongs to the url-template rules that run first and is not
 * judged here; neither is a value an earlier rule claimed. A format finding claims the
 * SID, so prefix and later rules stay silent on it. Message arguments: {field},
 * {value}, {detail}; {found}, {prefix}, {name}, {meaning}. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/url.h"
#include "check/util.h"
#include "report/report.h"

struct prefix_rule {
    char *key;
    int kind; /* -1: any */
    char prefix[8];
    char *name;
};

struct sid_state {
    int prefix_report;
    size_t letters, digits;
    pcre2_code *keys;
    int in[REC_KIND_COUNT];
    int has_urls;
    struct url_spec spec;
    struct prefix_rule *pr;
    size_t npr;
    json_t *kinds; /* new reference */
};

static void free_state(void *p)
{
    struct sid_state *st = p;
    pcre2_code_free(st->keys);
    url_spec_free(&st->spec);
    for (size_t i = 0; i < st->npr; i++) {
        free(st->pr[i].key);
        free(st->pr[i].name);
    }
    free(st->pr);
    json_decref(st->kinds);
    free(st);
}

static int parse_prefixes(json_t *list, struct sid_state *st, struct strbuf *err)
{
    if (!json_is_array(list) || !json_array_size(list)) {
        sb_adds(err, "report: prefix needs options.prefixes, a list of {key, prefix, name, in}");
        return -1;
    }
    st->pr = xcalloc(json_array_size(list), sizeof(*st->pr));
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        struct prefix_rule *p = &st->pr[st->npr];
        const char *key = json_string_value(json_object_get(e, "key"));
        const char *pre = json_string_value(json_object_get(e, "prefix"));
        const char *name = json_string_value(json_object_get(e, "name"));
        const char *in = json_string_value(json_object_get(e, "in"));
        p->kind = in ? rec_kind_parse(in) : -1;
        if (!key || !pre || !name || strlen(pre) != st->letters || (in && p->kind < 0)) {
            sb_addf(err, "options.prefixes[%zu] needs 'key', 'prefix' (%zu letters) and "
                         "'name'; 'in' is a record kind", i, st->letters);
            return -1;
        }
        p->key = xstrdup(key);
        memcpy(p->prefix, pre, st->letters + 1);
        p->name = xstrdup(name);
        st->npr++;
    }
    return 0;
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    struct sid_state *st = xcalloc(1, sizeof(*st));
    r->state = st;
    r->free_state = free_state;
    json_t *o = r->options;
    const char *rep = json_string_value(json_object_get(o, "report"));
    if (!rep || (strcmp(rep, "format") && strcmp(rep, "prefix"))) {
        sb_adds(err, "the sid check needs options.report: format or prefix");
        return -1;
    }
    st->prefix_report = !strcmp(rep, "prefix");
    json_t *fmt = json_object_get(o, "format");
    json_t *pl = json_object_get(fmt, "prefix"), *dg = json_object_get(fmt, "digits");
    if (!json_is_integer(pl) || !json_is_integer(dg) || json_integer_value(pl) < 1 ||
        json_integer_value(pl) > 4 || json_integer_value(dg) < 1 ||
        json_integer_value(dg) > 64) {
        sb_adds(err, "options.format needs 'prefix' (1-4 letters) and 'digits' (1-64 hex "
                     "digits)");
        return -1;
    }
    st->letters = (size_t)json_integer_value(pl);
    st->digits = (size_t)json_integer_value(dg);
    const char *keys = json_string_value(json_object_get(o, "keys"));
    if (!keys || !(st->keys = chk_regex_compile(keys, PCRE2_ZERO_TERMINATED, 0, NULL))) {
        sb_adds(err, "options.keys must be a PCRE2 pattern for the names of SID members");
        return -1;
    }
    json_t *in = json_object_get(o, "in");
    size_t i;
    json_t *e;
    json_array_foreach(in, i, e) {
        int k = json_is_string(e) ? rec_kind_parse(json_string_value(e)) : -1;
        if (k < 0) {
            sb_addf(err, "options.in[%zu] is not a record kind", i);
            return -1;
        }
        st->in[k] = 1;
    }
    json_t *urls = json_object_get(o, "urls");
    if (urls) {
        if (url_spec_parse(urls, &st->spec, err) < 0) {
            sb_adds(err, " (in options.urls)");
            return -1;
        }
        st->has_urls = 1;
    }
    if (st->prefix_report) {
        if (parse_prefixes(json_object_get(o, "prefixes"), st, err) < 0)
            return -1;
        json_t *kinds = json_object_get(o, "kinds");
        if (kinds && !json_is_object(kinds)) {
            sb_adds(err, "options.kinds must map prefixes to what they are");
            return -1;
        }
        st->kinds = json_incref(kinds);
    }
    return 0;
}

/* The defects of a SID, empty when it has the format. */
static void defects(const struct sid_state *st, const char *v, size_t n, struct strbuf *out)
{
    size_t want = st->letters + st->digits;
    if (n != want)
        sb_addf(out, "%zu characters instead of %zu", n, want);
    size_t k = n < st->letters ? n : st->letters;
    for (size_t i = 0; i < k; i++)
        if (!(v[i] >= 'A' && v[i] <= 'Z')) {
            sb_addf(out, "%sthe prefix '%.*s' is not %zu upper-case letters",
                    out->len ? ", " : "", (int)k, v, st->letters);
            break;
        }
    struct strbuf bad = STRBUF_INIT;
    size_t nbad = 0, nshown = 0;
    char seen[256] = {0};
    for (size_t i = st->letters; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (isxdigit(c) || seen[c])
            continue;
        seen[c] = 1;
        nbad++;
        if (nshown < 8 && c >= 0x20 && c < 0x7f) {
            sb_addf(&bad, "%s'%c'", nshown ? ", " : "", c);
            nshown++;
        }
    }
    if (nbad)
        sb_addf(out, "%s%s %s not %s", out->len ? ", and " : "",
                nshown ? bad.buf : "some characters", nbad > 1 ? "are" : "is",
                nbad > 1 ? "hex digits" : "a hex digit");
    sb_free(&bad);
}

static const struct prefix_rule *prefix_for(const struct sid_state *st, const char *key, int kind)
{
    for (size_t i = 0; i < st->npr; i++)
        if (!strcmp(st->pr[i].key, key) && (st->pr[i].kind < 0 || st->pr[i].kind == kind))
            return &st->pr[i];
    return NULL;
}

/* Judge one SID at [at, end) of the record's file; field names it for the message and
 * key/kind choose its prefix. */
static void judge(int ri, const struct record *rec, const char *field, const char *key,
                  const char *v, size_t n, uint64_t at, uint64_t end)
{
    const struct sid_state *st = rule_get(ri)->state;
    int file = rec->doc->file;
    if (!n || claimed(file, at))
        return;
    struct finding *f = NULL;
    if (!st->prefix_report) {
        struct strbuf d = STRBUF_INIT;
        defects(st, v, n, &d);
        if (d.len) {
            claim(file, at);
            f = finding_add(ri, file, at, end, rec->win);
            finding_arg(f, "detail", "%s", d.buf);
        }
        sb_free(&d);
    } else {
        const struct prefix_rule *p = prefix_for(st, key, (int)rec->kind);
        if (!p || n < st->letters || !strncmp(v, p->prefix, st->letters))
            return;
        int same_letters = 1;
        for (size_t i = 0; i < st->letters; i++)
            same_letters &= toupper((unsigned char)v[i]) == (unsigned char)p->prefix[i];
        if (same_letters)
            return; /* the prefix in another case: a format defect */
        char found[8];
        memcpy(found, v, st->letters);
        found[st->letters] = '\0';
        claim(file, at);
        f = finding_add(ri, file, at, end, rec->win);
        const char *meaning = json_string_value(json_object_get(st->kinds, found));
        finding_arg(f, "found", "%s", found);
        finding_arg(f, "prefix", "%s", p->prefix);
        finding_arg(f, "name", "%s", p->name);
        if (meaning)
            finding_arg(f, "meaning", "%s", meaning);
        else
            finding_arg(f, "meaning", "a '%s' SID", found);
    }
    if (f) {
        finding_arg(f, "field", "%s", field);
        finding_value(f, v, n, 0);
        finding_set_identity(f, rec->t->index, rec->identity);
    }
}

static int key_matches(const struct sid_state *st, const char *k)
{
    return chk_regex_match(st->keys, k, PCRE2_ZERO_TERMINATED);
}

static void walk(int ri, const struct record *rec, json_t *v, int depth)
{
    const struct sid_state *st = rule_get(ri)->state;
    if (depth > 32)
        return;
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
            walk(ri, rec, e, depth + 1);
        return;
    }
    const char *k;
    json_t *e;
    json_object_foreach(v, k, e) {
        const struct loc *l = doc_key(rec->doc, v, k);
        if (!l || (l->flags & LOC_UNKNOWN))
            continue;
        if (json_is_string(e) && key_matches(st, k))
            judge(ri, rec, k, k, json_string_value(e), json_string_length(e), l->start, l->end);
        else if (json_is_object(e) || json_is_array(e))
            walk(ri, rec, e, depth + 1);
    }
}

/* The SIDs inside one URL value. */
static void url_value(int ri, const struct record *rec, const struct url_facts *fx, int fi,
                      json_t *v, const struct loc *l)
{
    const struct sid_state *st = rule_get(ri)->state;
    const struct url_spec *s = &st->spec;
    if (!json_is_string(v) || !l || (l->flags & LOC_UNKNOWN) || claimed(rec->doc->file, l->start))
        return;
    const char *u = json_string_value(v);
    size_t n = json_string_length(v);
    struct url_judgement j;
    url_judge(s, fx, fi, fx->style, NULL, u, n, &j);
    int theirs = j.v == URL_SID || j.v == URL_NEAR; /* the url-template rules' */
    if (!theirs && fx->style >= 0) {
        url_judgement_free(&j);
        url_judge(s, fx, fi, -1, NULL, u, n, &j);
    }
    if (!theirs && (j.v == URL_OK || j.v == URL_SID)) {
        for (size_t c = 0; c < j.ncap; c++) {
            const struct url_cap *cp = &j.cap[c];
            uint64_t at = url_inner_off(rec->doc, l, u, n, cp->off);
            uint64_t end = url_inner_off(rec->doc, l, u, n, cp->off + cp->len);
            char *field = xasprintf("%s in the %s", s->fact[cp->fact].label, s->field[fi].label);
            judge(ri, rec, field, s->fact[cp->fact].name, u + cp->off, cp->len, at,
                  end > at ? end : at);
            free(field);
        }
    }
    url_judgement_free(&j);
}

static void urls(int ri, const struct record *rec)
{
    const struct sid_state *st = rule_get(ri)->state;
    const struct url_spec *s = &st->spec;
    struct url_facts fx;
    url_facts_get(s, rec, &fx);
    for (size_t fi = 0; fi < s->nfields; fi++) {
        const struct loc *l;
        int unknown;
        json_t *v = record_get(rec, s->field[fi].pointer, &l, &unknown);
        if (!v || unknown || !l || (l->flags & LOC_UNKNOWN))
            continue;
        if (!s->field[fi].list) {
            url_value(ri, rec, &fx, (int)fi, v, l);
            continue;
        }
        if (!json_is_array(v) || claimed(rec->doc->file, l->start))
            continue;
        for (size_t i = 0; i < json_array_size(v); i++)
            url_value(ri, rec, &fx, (int)fi, json_array_get(v, i), doc_index(rec->doc, v, i));
    }
}

static void record(int ri, const struct record *rec)
{
    const struct sid_state *st = rule_get(ri)->state;
    if (st->in[rec->kind] && (json_is_object(rec->obj) || json_is_array(rec->obj)))
        walk(ri, rec, rec->obj, 0);
    if (st->has_urls && url_spec_applies(&st->spec, rec))
        urls(ri, rec);
}

const struct check_fn check_sid_fn = {"sid", prepare, NULL, record, NULL, NULL};
