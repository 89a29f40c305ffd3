/* check/fn/template.c - the `template` check function: a string field must equal one of
 * its templates, in which {fact} placeholders stand for facts of the tenant's model
 * (metadata-url-mismatch, issuer-mismatch). The policy is all in the options:
 *
 *   fields:                       # the values checked
 *     - in: flex-sso              # a record kind (check.h)
 *       pointer: /sso_url         # a JSON pointer below the record
 *       name: sso_url             # shown in the message as {field} (default: the pointer's
 *                                 #   last segment)
 *       templates: ["https://{auth0_domain}/samlp/{client_id}"]
 *       query: [connection]       # optional: these query parameters may follow ("?a=x&b=y")
 *   fallback:                     # optional: a PCRE2 pattern that a fact the model lacks
 *     client_id: "[A-Za-z0-9]{32}"#   (or holds as an unresolved placeholder) matches instead
 *
 * Facts: auth0_domain (config auth0.domain, else AUTH0_DOMAIN of the deploy-cli config;
 * several values: any of them), client_id (the Flex clients' client_id), region (config
 * flex.region, default us1), account_sid, flex_instance_sid, connection_sid (the Flex SSO
 * file, else the Flex configuration), saml_issuer (the Flex clients' addons.samlp.issuer;
 * dynamic when a Flex action calls setIssuer or it is an unresolved placeholder). A
 * template that needs a fact with no value and no fallback is left out; a field none of
 * whose templates is left, or one needing a dynamic fact, is not judged (rules.md: a rule
 * that needs an absent fact does not fire; unknown values are never judged).
 * Comparison is exact and case-sensitive. The message gets {field}, {url} (the value,
 * whole), {expected} (the filled template closest to the value), {choices} (up to four
 * filled templates) and {query} (" (a query '?connection=...' may follow)" or ""). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/util.h"
#include "report/report.h"

static const char *const fact_names[] = {"auth0_domain",   "client_id",         "region",
                                         "account_sid",    "flex_instance_sid", "connection_sid",
                                         "saml_issuer",    NULL};
#define NFACTS 7

struct tfield {
    int kind;
    char *pointer, *name;
    char **templates;
    size_t ntemplates;
    char **query;
    size_t nquery;
};

struct tstate {
    struct tfield *f;
    size_t n;
    char *fallback[NFACTS]; /* PCRE2 source or NULL */
};

/* The values of each fact for one tenant (borrowed strings). */
struct facts {
    const char **v[NFACTS];
    size_t n[NFACTS];
    int incomplete[NFACTS]; /* some source lacks it or holds a placeholder */
    int dynamic[NFACTS];    /* set at login time (an Action): anything may be right */
};

static int fact_index(const char *s, size_t n)
{
    for (int i = 0; fact_names[i]; i++)
        if (strlen(fact_names[i]) == n && !strncmp(fact_names[i], s, n))
            return i;
    return -1;
}

static void free_state(void *p)
{
    struct tstate *st = p;
    for (size_t i = 0; i < st->n; i++) {
        struct tfield *f = &st->f[i];
        free(f->pointer);
        free(f->name);
        for (size_t k = 0; k < f->ntemplates; k++)
            free(f->templates[k]);
        free(f->templates);
        for (size_t k = 0; k < f->nquery; k++)
            free(f->query[k]);
        free(f->query);
    }
    free(st->f);
    for (int k = 0; k < NFACTS; k++)
        free(st->fallback[k]);
    free(st);
}

/* Every {name} of a template must be a known fact. */
static int template_ok(const char *t, struct strbuf *err)
{
    for (const char *p = strchr(t, '{'); p; p = strchr(p + 1, '{')) {
        const char *q = strchr(p, '}');
        if (!q || fact_index(p + 1, (size_t)(q - p - 1)) < 0) {
            sb_addf(err, "template '%s': '{' must open a known fact: {auth0_domain}, "
                         "{client_id}, {region}, {account_sid}, {flex_instance_sid}, "
                         "{connection_sid} or {saml_issuer}", t);
            return -1;
        }
    }
    return 0;
}

static int compiles(const char *re)
{
    pcre2_code *c = chk_regex_compile(re, PCRE2_ZERO_TERMINATED, 0, NULL);
    pcre2_code_free(c);
    return c != NULL;
}

static int str_list(json_t *a, char ***out, size_t *n)
{
    if (!json_is_array(a) || !json_array_size(a))
        return -1;
    *out = xcalloc(json_array_size(a), sizeof(**out));
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e) {
        if (!json_is_string(e))
            return -1;
        (*out)[(*n)++] = xstrdup(json_string_value(e));
    }
    return 0;
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    json_t *list = json_object_get(r->options, "fields");
    if (!json_is_array(list) || !json_array_size(list)) {
        sb_adds(err, "the template check needs options.fields, a list of "
                     "{in, pointer, templates, name, query}");
        return -1;
    }
    struct tstate *st = xcalloc(1, sizeof(*st));
    st->f = xcalloc(json_array_size(list), sizeof(*st->f));
    r->state = st;
    r->free_state = free_state;
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        struct tfield *f = &st->f[st->n++];
        const char *in = json_string_value(json_object_get(e, "in"));
        const char *ptr = json_string_value(json_object_get(e, "pointer"));
        const char *name = json_string_value(json_object_get(e, "name"));
        json_t *q = json_object_get(e, "query");
        if (!in || (f->kind = rec_kind_parse(in)) < 0 || !ptr || ptr[0] != '/' ||
            str_list(json_object_get(e, "templates"), &f->templates, &f->ntemplates) < 0 ||
            (q && str_list(q, &f->query, &f->nquery) < 0)) {
            sb_addf(err, "options.fields[%zu] needs 'in' (a record kind), 'pointer' (/a/b) "
                         "and 'templates' (a list of strings); 'query' is a list of "
                         "parameter names", i);
            return -1;
        }
        for (size_t k = 0; k < f->ntemplates; k++)
            if (template_ok(f->templates[k], err) < 0)
                return -1;
        f->pointer = xstrdup(ptr);
        f->name = xstrdup(name ? name : strrchr(ptr, '/') + 1);
    }
    json_t *fb = json_object_get(r->options, "fallback");
    if (fb && !json_is_object(fb)) {
        sb_adds(err, "options.fallback must map fact names to patterns");
        return -1;
    }
    const char *k;
    json_t *v;
    json_object_foreach(fb, k, v) {
        int fi = fact_index(k, strlen(k));
        if (fi < 0 || !json_is_string(v) || !compiles(json_string_value(v))) {
            sb_addf(err, "options.fallback.%s must be a fact name with a valid PCRE2 pattern",
                    k);
            return -1;
        }
        st->fallback[fi] = xstrdup(json_string_value(v));
    }
    return 0;
}

static void fact_add(struct facts *fs, int fi, const char *s)
{
    for (size_t k = 0; k < fs->n[fi]; k++)
        if (!strcmp(fs->v[fi][k], s))
            return;
    fs->v[fi] = xrealloc(fs->v[fi], (fs->n[fi] + 1) * sizeof(*fs->v[fi]));
    fs->v[fi][fs->n[fi]++] = s;
}

/* A string member of a document's root, when known. */
static void fact_from_doc(struct facts *fs, int fi, const struct doc *d, const char *key)
{
    if (fs->n[fi] || !d || !json_is_object(d->root))
        return;
    json_t *v = json_object_get(d->root, key);
    const struct loc *l = doc_key(d, d->root, key);
    if (l && (l->flags & LOC_UNKNOWN))
        fs->incomplete[fi] = 1;
    else if (json_is_string(v) && json_string_length(v))
        fact_add(fs, fi, json_string_value(v));
}

/* Does the action's code name the method (a `.name` member access)? */
static int calls_method(const struct action *a, const char *name)
{
    for (size_t i = 1; a->code && i < a->toks.n; i++)
        if (a->toks.t[i].kind == JS_IDENT && js_tok_is(a->code, &a->toks.t[i], name) &&
            (js_tok_is(a->code, &a->toks.t[i - 1], ".") ||
             js_tok_is(a->code, &a->toks.t[i - 1], "?.")))
            return 1;
    return 0;
}

static void facts_collect(struct facts *fs, const struct tenant *t)
{
    memset(fs, 0, sizeof(*fs));
    const struct cfg_tenant *c = t->cfg;
    if (c && c->domains.n)
        for (size_t k = 0; k < c->domains.n; k++)
            fact_add(fs, 0, c->domains.v[k]);
    else if (t->auth0_domain && *t->auth0_domain)
        fact_add(fs, 0, t->auth0_domain);
    for (size_t k = 0; k < t->nflex_clients; k++) {
        const struct item *it = &t->clients[t->flex_clients[k]];
        json_t *id = json_is_object(it->obj) ? json_object_get(it->obj, "client_id") : NULL;
        const struct loc *l = id ? doc_key(it->doc, it->obj, "client_id") : NULL;
        if (json_is_string(id) && json_string_length(id) && !(l && (l->flags & LOC_UNKNOWN)))
            fact_add(fs, 1, json_string_value(id));
        else
            fs->incomplete[1] = 1;
    }
    for (size_t k = 0; k < t->nflex_clients; k++) {
        const struct item *it = &t->clients[t->flex_clients[k]];
        json_t *samlp = json_object_get(json_object_get(it->obj, "addons"), "samlp");
        json_t *iss = json_is_object(samlp) ? json_object_get(samlp, "issuer") : NULL;
        const struct loc *l = iss ? doc_key(it->doc, samlp, "issuer") : NULL;
        if (l && (l->flags & LOC_UNKNOWN))
            fs->dynamic[6] = 1;
        else if (json_is_string(iss) && json_string_length(iss))
            fact_add(fs, 6, json_string_value(iss));
    }
    for (size_t k = 0; k < t->nflex_actions; k++)
        if (calls_method(&t->actions[t->flex_actions[k]], "setIssuer"))
            fs->dynamic[6] = 1;
    fact_add(fs, 2, c && c->region ? c->region : "us1");
    static const char *const sids[] = {"account_sid", "flex_instance_sid", "connection_sid"};
    for (int k = 0; k < 3; k++) {
        fact_from_doc(fs, 3 + k, t->sso, sids[k]);
        fact_from_doc(fs, 3 + k, t->flexconf, sids[k]);
    }
}

static void facts_free(struct facts *fs)
{
    for (int k = 0; k < NFACTS; k++)
        free(fs->v[k]);
}

/* PCRE2 source for literal text: every non-alphanumeric byte escaped. */
static void add_literal(struct strbuf *re, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x80 && !((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
                           (ch >= 'A' && ch <= 'Z')))
            sb_addc(re, '\\');
        sb_addc(re, (char)ch);
    }
}

/* May template t be filled: 1 yes; 0 a fact it needs has no value and no fallback (the
 * template is left out); -1 a fact it needs is dynamic (the field is not judged). */
static int template_usable(const char *t, const struct facts *fs, const struct tstate *st)
{
    for (const char *open = strchr(t, '{'); open; open = strchr(open + 1, '{')) {
        const char *close = strchr(open, '}');
        int fi = fact_index(open + 1, (size_t)(close - open - 1));
        if (fs->dynamic[fi])
            return -1;
        if (!fs->n[fi] && !st->fallback[fi])
            return 0;
    }
    return 1;
}

/* The pattern of a whole field; returns -1 when no template can be filled or one needs a
 * dynamic fact (the field is then not judged). */
static int build_pattern(const struct tfield *f, const struct facts *fs,
                         const struct tstate *st, struct strbuf *re)
{
    size_t used = 0;
    sb_adds(re, "^(?:");
    for (size_t k = 0; k < f->ntemplates; k++) {
        int u = template_usable(f->templates[k], fs, st);
        if (u < 0)
            return -1;
        if (!u)
            continue;
        if (used++)
            sb_addc(re, '|');
        const char *p = f->templates[k];
        const char *open;
        while ((open = strchr(p, '{'))) {
            add_literal(re, p, (size_t)(open - p));
            const char *close = strchr(open, '}');
            int fi = fact_index(open + 1, (size_t)(close - open - 1));
            int fallback = (fs->incomplete[fi] || !fs->n[fi]) && st->fallback[fi];
            sb_adds(re, "(?:");
            for (size_t i = 0; i < fs->n[fi]; i++) {
                if (i)
                    sb_addc(re, '|');
                add_literal(re, fs->v[fi][i], strlen(fs->v[fi][i]));
            }
            if (fallback)
                sb_addf(re, "%s(?:%s)", fs->n[fi] ? "|" : "", st->fallback[fi]);
            sb_addc(re, ')');
            p = close + 1;
        }
        add_literal(re, p, strlen(p));
    }
    if (!used)
        return -1;
    sb_addc(re, ')');
    if (f->nquery) {
        struct strbuf names = STRBUF_INIT;
        for (size_t k = 0; k < f->nquery; k++) {
            if (k)
                sb_addc(&names, '|');
            add_literal(&names, f->query[k], strlen(f->query[k]));
        }
        sb_addf(re, "(?:\\?(?:%s)=[^&#\\s]+(?:&(?:%s)=[^&#\\s]+)*)?", names.buf, names.buf);
        sb_free(&names);
    }
    sb_adds(re, "$");
    return 0;
}

static int matches(const char *re, const char *s, size_t n)
{
    pcre2_code *c = chk_regex_compile(re, PCRE2_ZERO_TERMINATED, 0, NULL);
    if (!c)
        return 1; /* cannot happen: literals are escaped, fallbacks checked in prepare */
    int hit = chk_regex_match(c, s, n);
    pcre2_code_free(c);
    return hit;
}

/* Render a template with one combination of fact values (index combo), a fact without
 * a value as <name>. */
static void render(struct strbuf *out, const char *t, const struct facts *fs, size_t combo)
{
    const char *open;
    while ((open = strchr(t, '{'))) {
        sb_add(out, t, (size_t)(open - t));
        const char *close = strchr(open, '}');
        int fi = fact_index(open + 1, (size_t)(close - open - 1));
        if (fs->n[fi])
            sb_adds(out, fs->v[fi][(combo >> (fi * 4)) % fs->n[fi]]);
        else
            sb_addf(out, "<%s>", fact_names[fi]);
        t = close + 1;
    }
    sb_adds(out, t);
}

#define CHOICES_MAX 4

/* Every rendering of the field's templates with the known facts (at most 16 values per
 * fact): nearest gets the one closest to value (edit distance), choices up to
 * CHOICES_MAX of them as 'a', 'b' or 'c'. */
static void expected_text(struct strbuf *nearest, struct strbuf *choices,
                          const struct tfield *f, const struct facts *fs,
                          const struct tstate *st, const char *value)
{
    size_t best = (size_t)-1, nseen = 0;
    int more = 0;
    char *seen[CHOICES_MAX];
    for (size_t k = 0; k < f->ntemplates; k++) {
        if (template_usable(f->templates[k], fs, st) <= 0)
            continue;
        size_t radix[NFACTS], total = 1;
        for (int fi = 0; fi < NFACTS; fi++) {
            char ph[32];
            snprintf(ph, sizeof(ph), "{%s}", fact_names[fi]);
            radix[fi] = strstr(f->templates[k], ph) && fs->n[fi] > 1
                            ? (fs->n[fi] < 16 ? fs->n[fi] : 16) : 1;
            total *= radix[fi];
        }
        for (size_t c = 0; c < total; c++) {
            size_t combo = 0, rest = c; /* mixed radix, 4 bits per fact */
            for (int fi = 0; fi < NFACTS; fi++) {
                combo |= (rest % radix[fi]) << (fi * 4);
                rest /= radix[fi];
            }
            struct strbuf one = STRBUF_INIT;
            render(&one, f->templates[k], fs, combo);
            size_t d = edit_distance(sb_str(&one), value, 4096);
            if (d < best) {
                best = d;
                sb_reset(nearest);
                sb_addf(nearest, "'%s'", sb_str(&one));
            }
            if (nseen < CHOICES_MAX)
                seen[nseen++] = xstrdup(sb_str(&one));
            else
                more = 1;
            sb_free(&one);
        }
    }
    for (size_t i = 0; i < nseen; i++) {
        if (i)
            sb_adds(choices, i + 1 == nseen && !more ? " or " : ", ");
        sb_addf(choices, "'%s'", seen[i]);
        free(seen[i]);
    }
    if (more)
        sb_adds(choices, ", ...");
}

static void record(int ri, const struct record *rec)
{
    const struct tstate *st = rule_get(ri)->state;
    struct facts fs;
    int have_facts = 0;
    for (size_t i = 0; i < st->n; i++) {
        const struct tfield *f = &st->f[i];
        if (f->kind != (int)rec->kind)
            continue;
        const struct loc *l;
        int unknown;
        json_t *v = record_get(rec, f->pointer, &l, &unknown);
        if (!json_is_string(v) || unknown || !l || (l->flags & LOC_UNKNOWN) ||
            claimed(rec->doc->file, l->start))
            continue;
        if (!have_facts) {
            facts_collect(&fs, rec->t);
            have_facts = 1;
        }
        struct strbuf re = STRBUF_INIT;
        const char *s = json_string_value(v);
        if (build_pattern(f, &fs, st, &re) == 0 && !matches(re.buf, s, json_string_length(v))) {
            claim(rec->doc->file, l->start);
            struct finding *fd = finding_add(ri, rec->doc->file, l->start, l->end, rec->win);
            struct strbuf exp = STRBUF_INIT, choices = STRBUF_INIT, note = STRBUF_INIT;
            expected_text(&exp, &choices, f, &fs, st, s);
            for (size_t k = 0; k < f->nquery; k++)
                sb_addf(&note, "%s%s=...", k ? "&" : " (a query '?", f->query[k]);
            if (f->nquery)
                sb_adds(&note, "' may follow)");
            finding_arg(fd, "field", "%s", f->name);
            finding_arg(fd, "url", "%s", s);
            finding_arg(fd, "expected", "%s", sb_str(&exp));
            finding_arg(fd, "choices", "%s", sb_str(&choices));
            finding_arg(fd, "query", "%s", sb_str(&note));
            finding_value(fd, s, json_string_length(v), 0);
            finding_set_identity(fd, rec->t->index, rec->identity);
            sb_free(&exp);
            sb_free(&choices);
            sb_free(&note);
        }
        sb_free(&re);
    }
    if (have_facts)
        facts_free(&fs);
}

const struct check_fn check_template_fn = {"template", prepare, NULL, record, NULL, NULL};
