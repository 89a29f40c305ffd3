/* check/url_spec.c - reading a URL spec from rule options (the format is described in
 * check/url.c) into struct url_spec, with a clear message for each mistake: the rule
 * file is then a located usage error. */
#include <stdlib.h>
#include <string.h>

#include "check/url.h"

static const char *const config_names[] = {"style", "region", "name", NULL};

static void src_free(struct url_src *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].pointer);
        free(v[i].config);
    }
    free(v);
}

static void tmpl_free(struct url_tmpl *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->p[i].lit);
    free(t->p);
    free(t->text);
}

void url_spec_free(struct url_spec *s)
{
    src_free(s->style_src, s->nstyle_src);
    for (size_t i = 0; i < s->nfacts; i++) {
        struct url_factdef *f = &s->fact[i];
        free(f->name);
        free(f->label);
        free(f->dflt);
        src_free(f->src, f->nsrc);
    }
    for (size_t i = 0; i < s->nfields; i++) {
        free(s->field[i].name);
        free(s->field[i].pointer);
        free(s->field[i].label);
    }
    for (size_t i = 0; i < s->nstyles; i++) {
        struct url_style *st = &s->style[i];
        free(st->name);
        free(st->label);
        for (size_t k = 0; k < URL_MAX_FIELDS; k++) {
            for (size_t j = 0; j < st->nt[k]; j++)
                tmpl_free(&st->t[k][j]);
            free(st->t[k]);
        }
    }
    memset(s, 0, sizeof(*s));
}

int url_field_find(const struct url_spec *s, const char *name)
{
    for (size_t i = 0; i < s->nfields; i++)
        if (!strcmp(s->field[i].name, name))
            return (int)i;
    return -1;
}

static int fact_find(const struct url_spec *s, const char *name, size_t n)
{
    for (size_t i = 0; i < s->nfacts; i++)
        if (strlen(s->fact[i].name) == n && !strncmp(s->fact[i].name, name, n))
            return (int)i;
    return -1;
}

/* One source, or a list of them. */
static int parse_sources(json_t *v, struct url_src **out, size_t *n, const char *what,
                         struct strbuf *err)
{
    size_t cnt = json_is_array(v) ? json_array_size(v) : 1;
    *out = xcalloc(cnt, sizeof(**out));
    for (size_t i = 0; i < cnt; i++) {
        json_t *e = json_is_array(v) ? json_array_get(v, i) : v;
        struct url_src *s = &(*out)[(*n)++];
        const char *cfg = json_string_value(json_object_get(e, "config"));
        const char *in = json_string_value(json_object_get(e, "in"));
        const char *ptr = json_string_value(json_object_get(e, "pointer"));
        int ok = 0;
        if (cfg && !in) {
            for (const char *const *c = config_names; *c; c++)
                ok |= !strcmp(*c, cfg);
            s->kind = URL_SRC_CONFIG;
            s->config = xstrdup(cfg);
        } else if (in && ptr && ptr[0] == '/') {
            s->kind = !strcmp(in, "record") ? URL_SRC_RECORD : rec_kind_parse(in);
            ok = s->kind == URL_SRC_RECORD || s->kind == REC_FLEX_SSO ||
                 s->kind == REC_FLEX_CONFIG;
            s->pointer = xstrdup(ptr);
        }
        if (!ok) {
            sb_addf(err, "%s: each source is {config: style|region|name} or {in: flex-sso|"
                         "flex-configuration|record, pointer: /a/b}", what);
            return -1;
        }
    }
    return 0;
}

static int parse_tmpl(const struct url_spec *s, const char *text, struct url_tmpl *t,
                      struct strbuf *err)
{
    t->text = xstrdup(text);
    const char *p = text;
    while (*p) {
        t->p = xrealloc(t->p, (t->n + 1) * sizeof(*t->p));
        struct url_part *part = &t->p[t->n++];
        memset(part, 0, sizeof(*part));
        if (*p == '{') {
            const char *q = strchr(p, '}');
            int fi = q ? fact_find(s, p + 1, (size_t)(q - p - 1)) : -1;
            if (fi < 0) {
                sb_addf(err, "template '%s': '{' must open a fact of options.facts", text);
                return -1;
            }
            if (t->n > 1 && !t->p[t->n - 2].lit) {
                sb_addf(err, "template '%s': two placeholders need text between them", text);
                return -1;
            }
            part->fact = fi;
            p = q + 1;
        } else {
            size_t n = strcspn(p, "{}");
            if (p[n] == '}') {
                sb_addf(err, "template '%s': '}' without '{'", text);
                return -1;
            }
            part->lit = xstrndup(p, n);
            part->len = n;
            part->fact = -1;
            p += n;
        }
    }
    return 0;
}

static int parse_facts(json_t *o, struct url_spec *s, struct strbuf *err)
{
    if (!json_is_object(o) || json_object_size(o) > URL_MAX_FACTS) {
        sb_addf(err, "facts must map at most %d fact names to {from, default, sid, label}",
                URL_MAX_FACTS);
        return -1;
    }
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        struct url_factdef *f = &s->fact[s->nfacts++];
        f->name = xstrdup(k);
        json_t *from = json_object_get(v, "from");
        json_t *dflt = json_object_get(v, "default");
        json_t *label = json_object_get(v, "label");
        if (!json_is_object(v) || (!from && !dflt) || (dflt && !json_is_string(dflt)) ||
            (label && !json_is_string(label))) {
            sb_addf(err, "facts.%s needs 'from' (sources) or 'default' (a string)", k);
            return -1;
        }
        if (from) {
            char *what = xasprintf("facts.%s.from", k);
            int rc = parse_sources(from, &f->src, &f->nsrc, what, err);
            free(what);
            if (rc < 0)
                return -1;
        }
        f->dflt = dflt ? xstrdup(json_string_value(dflt)) : NULL;
        f->label = xstrdup(label ? json_string_value(label) : k);
        f->sid = json_is_true(json_object_get(v, "sid"));
    }
    return 0;
}

static int parse_fields(json_t *o, struct url_spec *s, struct strbuf *err)
{
    if (!json_is_object(o) || !json_object_size(o) || json_object_size(o) > URL_MAX_FIELDS) {
        sb_addf(err, "fields must map 1 to %d field names to {pointer, list, required, "
                     "label, like}", URL_MAX_FIELDS);
        return -1;
    }
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        struct url_field *f = &s->field[s->nfields++];
        const char *ptr = json_string_value(json_object_get(v, "pointer"));
        const char *label = json_string_value(json_object_get(v, "label"));
        f->name = xstrdup(k);
        if (!ptr || ptr[0] != '/') {
            sb_addf(err, "fields.%s needs 'pointer' (/a/b)", k);
            return -1;
        }
        f->pointer = xstrdup(ptr);
        f->label = xstrdup(label ? label : k);
        f->list = json_is_true(json_object_get(v, "list"));
        f->required = json_is_true(json_object_get(v, "required"));
        f->like = (int)s->nfields - 1;
    }
    json_object_foreach(o, k, v) {
        const char *like = json_string_value(json_object_get(v, "like"));
        if (like && (s->field[url_field_find(s, k)].like = url_field_find(s, like)) < 0) {
            sb_addf(err, "fields.%s.like names no field", k);
            return -1;
        }
    }
    return 0;
}

static int parse_style(json_t *o, const char *name, struct url_spec *s, struct strbuf *err)
{
    struct url_style *st = &s->style[s->nstyles++];
    st->name = xstrdup(name);
    const char *label = json_string_value(json_object_get(o, "label"));
    st->label = xstrdup(label ? label : name);
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        if (!strcmp(k, "label"))
            continue;
        if (!strcmp(k, "optional")) {
            size_t i;
            json_t *e;
            json_array_foreach(v, i, e) {
                int fi = json_is_string(e) ? url_field_find(s, json_string_value(e)) : -1;
                if (fi < 0) {
                    sb_addf(err, "styles.%s.optional must list fields", name);
                    return -1;
                }
                st->optional[fi] = 1;
            }
            continue;
        }
        int fi = url_field_find(s, k);
        size_t n = json_is_array(v) ? json_array_size(v) : 1;
        if (fi < 0 || (!json_is_array(v) && !json_is_string(v)) || !n) {
            sb_addf(err, "styles.%s.%s: a style maps field names to templates (a string or "
                         "a list of strings), plus 'label' and 'optional'", name, k);
            return -1;
        }
        st->t[fi] = xcalloc(n, sizeof(*st->t[fi]));
        for (size_t i = 0; i < n; i++) {
            json_t *e = json_is_array(v) ? json_array_get(v, i) : v;
            if (!json_is_string(e)) {
                sb_addf(err, "styles.%s.%s: templates are strings", name, k);
                return -1;
            }
            st->nt[fi]++;
            if (parse_tmpl(s, json_string_value(e), &st->t[fi][i], err) < 0)
                return -1;
        }
    }
    return 0;
}

int url_spec_parse(json_t *o, struct url_spec *s, struct strbuf *err)
{
    memset(s, 0, sizeof(*s));
    if (!json_is_object(o)) {
        sb_adds(err, "the URL spec must be a mapping with in, facts, fields and styles");
        return -1;
    }
    const char *in = json_string_value(json_object_get(o, "in"));
    if (!in || (s->kind = rec_kind_parse(in)) < 0) {
        sb_adds(err, "the URL spec needs 'in', a record kind (clients, ...)");
        return -1;
    }
    s->flex_client = json_is_true(json_object_get(o, "flex_client"));
    json_t *nm = json_object_get(o, "near_miss");
    if (nm && (!json_is_integer(nm) || json_integer_value(nm) < 0 ||
               json_integer_value(nm) > 16)) {
        sb_adds(err, "near_miss must be an edit distance from 0 to 16");
        return -1;
    }
    s->near_miss = nm ? (size_t)json_integer_value(nm) : 3;
    if (parse_facts(json_object_get(o, "facts"), s, err) < 0 ||
        parse_fields(json_object_get(o, "fields"), s, err) < 0)
        return -1;
    json_t *style = json_object_get(o, "style");
    if (style && parse_sources(style, &s->style_src, &s->nstyle_src, "style", err) < 0)
        return -1;
    json_t *styles = json_object_get(o, "styles");
    if (!json_is_object(styles) || !json_object_size(styles) ||
        json_object_size(styles) > URL_MAX_STYLES) {
        sb_addf(err, "styles must map 1 to %d style names to their templates", URL_MAX_STYLES);
        return -1;
    }
    const char *k;
    json_t *v;
    json_object_foreach(styles, k, v) {
        if (!json_is_object(v)) {
            sb_addf(err, "styles.%s must be a mapping of fields to templates", k);
            return -1;
        }
        if (parse_style(v, k, s, err) < 0)
            return -1;
    }
    return 0;
}
