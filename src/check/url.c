/* check/url.c - URL templates (check/url.h). A URL spec in rule options:
 *
 *   in: clients                 the records whose URLs are judged
 *   flex_client: true           only the tenant's Flex client(s) (rules.md Terms)
 *   style: [{config: style}, {in: flex-sso, pointer: /style}]
 *                               where the style comes from: the first source that gives
 *                               one wins; with none, each URL is judged against every
 *                               style and takes the closest
 *   near_miss: 3                a URL within this many edits of a template (its SIDs
 *                               aside) is a near miss of it
 *   facts:                      what {name} placeholders stand for
 *     region: {from: [{config: region}], default: us1}
 *     connection_sid: {sid: true, label: SSO connection SID,
 *                      from: [{in: flex-sso, pointer: /connection_sid}]}
 *                               sources: {config: style|region|name}, {in: flex-sso |
 *                               flex-configuration | record, pointer: /x}; the first that
 *                               has the value wins. A `sid` fact is compared: in a URL it
 *                               matches any segment, and a segment that differs from the
 *                               fact is a SID mismatch; other facts are filled in as text
 *   fields:                     the values judged, below each record
 *     callbacks: {pointer: /callbacks, list: true, required: true, label: callback}
 *     destination: {pointer: /addons/samlp/destination, like: recipient}
 *   styles:                     per style, the templates of each field
 *     legacy:
 *       label: legacy SSO
 *       callbacks: ["https://iam.twilio.com/v1/Accounts/{account_sid}/saml2"]
 *       optional: [audience]    required fields this style may leave out
 *
 * Judging a URL against a template: the right form (the literal text exact, each SID
 * placeholder one non-empty segment without / ? # & = or spaces) with the facts' SIDs
 * is URL_OK, with another SID URL_SID; else a near miss (URL_NEAR) when it has the right
 * form after removing surrounding whitespace, a trailing '/', an 'http:' scheme or an
 * upper-case host, or after putting the expected host in, or when it is within
 * near_miss edits of the template filled with its own SIDs ("SIDs" there: runs of 16 or
 * more letters and digits). The spec is read by check/url_spec.c, positions are found by
 * check/url_loc.c. Nothing outlives a record: facts are borrowed from the tenant's
 * documents. */
#include "check/url.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- facts ---- */

int url_is_flex_client(const struct tenant *t, const json_t *obj)
{
    for (size_t k = 0; k < t->nflex_clients; k++)
        if (t->clients[t->flex_clients[k]].obj == obj)
            return 1;
    return 0;
}

int url_spec_applies(const struct url_spec *s, const struct record *rec)
{
    if ((int)rec->kind != s->kind)
        return 0;
    return !s->flex_client || url_is_flex_client(rec->t, rec->obj);
}

static const char *config_value(const struct tenant *t, const char *name)
{
    const struct cfg_tenant *c = t->cfg;
    if (!c)
        return NULL;
    if (!strcmp(name, "style"))
        return c->style;
    if (!strcmp(name, "region"))
        return c->region;
    return c->name;
}

/* The value of one source into *f; returns 0 when the source does not give it. */
static int src_get(const struct url_src *src, const struct record *rec, struct url_fact *f)
{
    const struct tenant *t = rec->t;
    memset(f, 0, sizeof(*f));
    f->file = -1;
    if (src->kind == URL_SRC_CONFIG) {
        const char *v = config_value(t, src->config);
        if (!v || !*v)
            return 0;
        f->state = FACT_KNOWN;
        f->v = v;
        f->n = strlen(v);
        f->where = ".ssolint.yaml";
        return 1;
    }
    struct record r = *rec;
    if (src->kind != URL_SRC_RECORD) {
        const struct doc *d = src->kind == REC_FLEX_SSO ? t->sso : t->flexconf;
        if (!d || !d->root)
            return 0;
        r.kind = (enum rec_kind)src->kind;
        r.doc = d;
        r.obj = d->root;
        r.win = NULL;
        r.pointer = "";
        f->where = src->kind == REC_FLEX_SSO ? "the Flex SSO file" : "the Flex configuration";
    } else {
        f->where = "this record";
    }
    const struct loc *l;
    int unknown;
    json_t *v = record_get(&r, src->pointer, &l, &unknown);
    if (!v)
        return 0;
    if (unknown || !l || (l->flags & LOC_UNKNOWN) || !json_is_string(v) ||
        claimed(r.doc->file, l->start)) {
        f->state = FACT_UNKNOWN; /* a placeholder, or a value wrong-type reported */
        return 1;
    }
    if (!json_string_length(v))
        return 0;
    f->state = FACT_KNOWN;
    f->v = json_string_value(v);
    f->n = json_string_length(v);
    f->file = r.doc->file;
    f->start = l->start;
    f->end = l->end;
    return 1;
}

void url_facts_get(const struct url_spec *s, const struct record *rec, struct url_facts *fx)
{
    memset(fx, 0, sizeof(*fx));
    for (size_t i = 0; i < s->nfacts; i++) {
        const struct url_factdef *d = &s->fact[i];
        struct url_fact *f = &fx->f[i];
        f->state = FACT_ABSENT;
        f->file = -1;
        for (size_t k = 0; k < d->nsrc; k++)
            if (src_get(&d->src[k], rec, f))
                break;
        if (f->state == FACT_ABSENT && d->dflt) {
            f->state = FACT_KNOWN;
            f->v = d->dflt;
            f->n = strlen(d->dflt);
            f->file = -1;
            f->where = "the default";
        }
    }
    fx->style = -1;
    for (size_t k = 0; k < s->nstyle_src; k++) {
        struct url_fact f;
        if (!src_get(&s->style_src[k], rec, &f))
            continue;
        for (size_t i = 0; f.state == FACT_KNOWN && i < s->nstyles; i++)
            if (strlen(s->style[i].name) == f.n && !memcmp(s->style[i].name, f.v, f.n))
                fx->style = (int)i;
        break;
    }
}

/* ---- matching ---- */

int url_tmpl_ready(const struct url_facts *fx, const struct url_tmpl *t)
{
    for (size_t i = 0; i < t->n; i++)
        if (!t->p[i].lit && fx->f[t->p[i].fact].state != FACT_KNOWN)
            return 0;
    return 1;
}

/* Can t be matched at all: its text facts (not SIDs) known? */
static int tmpl_usable(const struct url_spec *s, const struct url_facts *fx,
                       const struct url_tmpl *t)
{
    for (size_t i = 0; i < t->n; i++)
        if (!t->p[i].lit && !s->fact[t->p[i].fact].sid &&
            fx->f[t->p[i].fact].state != FACT_KNOWN)
            return 0;
    return 1;
}

/* sids[i] (when not NULL) fills the i-th SID placeholder; else the fact, else {name}. */
static void fill(const struct url_spec *s, const struct url_facts *fx, const struct url_tmpl *t,
                 const char *const *sids, const size_t *sidn, struct strbuf *out)
{
    size_t k = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct url_part *p = &t->p[i];
        if (p->lit) {
            sb_add(out, p->lit, p->len);
            continue;
        }
        const struct url_fact *f = &fx->f[p->fact];
        if (s->fact[p->fact].sid && sids && k < URL_MAX_CAPS && sids[k])
            sb_add(out, sids[k], sidn[k]);
        else if (f->state == FACT_KNOWN)
            sb_add(out, f->v, f->n);
        else
            sb_addf(out, "{%s}", s->fact[p->fact].name);
        if (s->fact[p->fact].sid)
            k++;
    }
}

void url_fill(const struct url_spec *s, const struct url_facts *fx, const struct url_tmpl *t,
              struct strbuf *out)
{
    fill(s, fx, t, NULL, NULL, out);
}

static int seg_char(char c)
{
    return c && !strchr("/?#&=", c) && !isspace((unsigned char)c);
}

/* The right form: literal text exact, each SID placeholder one segment. */
static int form_match(const struct url_spec *s, const struct url_facts *fx,
                      const struct url_tmpl *t, const char *u, size_t n, struct url_cap *cap,
                      size_t *ncap)
{
    size_t pos = 0;
    *ncap = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct url_part *p = &t->p[i];
        const char *lit = p->lit;
        size_t len = p->len;
        if (!lit && !s->fact[p->fact].sid) {
            lit = fx->f[p->fact].v;
            len = fx->f[p->fact].n;
        }
        if (lit) {
            if (n - pos < len || memcmp(u + pos, lit, len))
                return 0;
            pos += len;
            continue;
        }
        size_t start = pos;
        while (pos < n && seg_char(u[pos]))
            pos++;
        if (pos == start || *ncap >= URL_MAX_CAPS)
            return 0;
        cap[*ncap].fact = p->fact;
        cap[*ncap].off = start;
        cap[*ncap].len = pos - start;
        (*ncap)++;
    }
    return pos == n;
}

static int is_delim(char c)
{
    return strchr("/.:?=&#", c) || isspace((unsigned char)c);
}

/* Describe how a differs from b (both whole strings): the differing part widened to
 * the enclosing URL segment. */
static void describe_diff(const char *a, const char *b, struct strbuf *out)
{
    size_t la = strlen(a), lb = strlen(b), p = 0, sfx = 0;
    while (p < la && p < lb && a[p] == b[p])
        p++;
    while (sfx < la - p && sfx < lb - p && a[la - 1 - sfx] == b[lb - 1 - sfx])
        sfx++;
    while (p > 0 && !is_delim(a[p - 1]))
        p--;
    size_t ea = la - sfx, eb = lb - sfx;
    while (ea < la && !is_delim(a[ea])) {
        ea++;
        eb++;
    }
    if (ea == p && eb == p)
        return;
    if (ea == p)
        sb_addf(out, "'%.*s' is missing", (int)(eb - p), b + p);
    else if (eb == p)
        sb_addf(out, "an extra '%.*s'", (int)(ea - p), a + p);
    else
        sb_addf(out, "'%.*s' instead of '%.*s'", (int)(ea - p), a + p, (int)(eb - p), b + p);
}

static void add_reason(struct strbuf *r, const char *what)
{
    if (r->len)
        sb_adds(r, ", ");
    sb_adds(r, what);
}

/* Host span of a URL: after "://" up to / ? # or the end. */
static int host_span(const char *u, size_t n, size_t *hs, size_t *he)
{
    const char *p = memchr(u, ':', n);
    if (!p || (size_t)(p - u) + 3 > n || p[1] != '/' || p[2] != '/')
        return 0;
    *hs = (size_t)(p - u) + 3;
    *he = *hs;
    while (*he < n && !strchr("/?#", u[*he]))
        (*he)++;
    return *he > *hs;
}

/* SID-like tokens of u: maximal runs of at least 16 letters and digits. */
static size_t sid_tokens(const char *u, size_t n, const char **tok, size_t *tokn, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && isalnum((unsigned char)u[j]))
            j++;
        if (j - i >= 16) {
            if (k < max) {
                tok[k] = u + i;
                tokn[k] = j - i;
            }
            k++;
        }
        i = j > i ? j : i + 1;
    }
    return k;
}

/* Is u a near miss of t? Fills j->reason, j->dist and j->expected. */
static int near(const struct url_spec *s, const struct url_facts *fx, const struct url_tmpl *t,
                const char *u0, size_t n0, struct url_judgement *j)
{
    struct strbuf u = STRBUF_INIT, why = STRBUF_INIT, filled = STRBUF_INIT;
    const char *own[URL_MAX_CAPS] = {NULL};
    size_t ownn[URL_MAX_CAPS] = {0}, nsid = 0, ncap = 0, hs, he, ths, the;
    struct url_cap cap[URL_MAX_CAPS];
    int hit = 0;
    size_t a = 0, b = n0;
    while (a < b && isspace((unsigned char)u0[a]))
        a++;
    while (b > a && isspace((unsigned char)u0[b - 1]))
        b--;
    if (a > 0 || b < n0)
        add_reason(&why, "whitespace around it");
    sb_add(&u, u0 + a, b - a);
    const char *want = t->p[0].lit ? t->p[0].lit : "";
    if (!strncmp(want, "https://", 8) && u.len >= 7 && !strncmp(u.buf, "http://", 7)) {
        struct strbuf v = STRBUF_INIT;
        sb_addf(&v, "https://%s", u.buf + 7);
        sb_free(&u);
        u = v;
        add_reason(&why, "'http:' instead of 'https:'");
    }
    if (host_span(u.buf, u.len, &hs, &he)) {
        int upper = 0;
        for (size_t i = 0; i < he; i++)
            if (isupper((unsigned char)u.buf[i])) {
                u.buf[i] = (char)tolower((unsigned char)u.buf[i]);
                upper = 1;
            }
        if (upper)
            add_reason(&why, "upper-case letters in the scheme or host");
    }
    const struct url_part *last = &t->p[t->n - 1];
    if (!(last->lit && last->lit[last->len - 1] == '/') && u.len > 1 &&
        u.buf[u.len - 1] == '/') {
        while (u.len > 1 && u.buf[u.len - 1] == '/')
            u.buf[--u.len] = '\0';
        add_reason(&why, "a trailing '/'");
    }
    for (size_t i = 0; i < t->n; i++)
        nsid += !t->p[i].lit && s->fact[t->p[i].fact].sid;
    if (why.len && form_match(s, fx, t, u.buf, u.len, cap, &ncap)) {
        hit = 1;
        j->dist = 0;
        goto out;
    }
    /* another host, the rest right */
    fill(s, fx, t, NULL, NULL, &filled);
    if (host_span(u.buf, u.len, &hs, &he) && host_span(filled.buf, filled.len, &ths, &the) &&
        !memchr(filled.buf, '{', the) &&
        (he - hs != the - ths || memcmp(u.buf + hs, filled.buf + ths, he - hs))) {
        struct strbuf v = STRBUF_INIT;
        sb_add(&v, filled.buf, the);
        sb_add(&v, u.buf + he, u.len - he);
        if (form_match(s, fx, t, v.buf, v.len, cap, &ncap)) {
            struct strbuf r = STRBUF_INIT;
            sb_addf(&r, "host '%.*s' instead of '%.*s'", (int)(he - hs), u.buf + hs,
                    (int)(the - ths), filled.buf + ths);
            add_reason(&why, r.buf);
            sb_free(&r);
            /* the captures are offsets in v: move them back to u */
            for (size_t i = 0; i < ncap; i++)
                cap[i].off = cap[i].off - the + he;
            hit = 1;
            j->dist = 1;
        }
        sb_free(&v);
    }
    if (hit)
        goto out;
    /* within near_miss edits of the template filled with the URL's own SIDs */
    size_t ntok = sid_tokens(u.buf, u.len, own, ownn, URL_MAX_CAPS);
    struct strbuf cand = STRBUF_INIT;
    if (ntok == nsid)
        fill(s, fx, t, own, ownn, &cand);
    else if (url_tmpl_ready(fx, t))
        fill(s, fx, t, NULL, NULL, &cand);
    if (ntok != nsid)
        memset(own, 0, sizeof(own));
    if (cand.len && u.len <= 256 && cand.len <= 256) {
        size_t d = edit_distance(u.buf, cand.buf, s->near_miss);
        if (d <= s->near_miss) {
            struct strbuf r = STRBUF_INIT;
            describe_diff(u.buf, cand.buf, &r);
            if (r.len)
                add_reason(&why, r.buf);
            sb_free(&r);
            hit = 1;
            j->dist = d ? d : 1;
        }
    }
    sb_free(&cand);
out:
    if (hit) {
        for (size_t i = 0; i < ncap; i++) {
            own[i] = u.buf + cap[i].off;
            ownn[i] = cap[i].len;
        }
        /* the SIDs of the facts where known, else the URL's own */
        size_t k = 0;
        for (size_t i = 0; i < t->n && k < URL_MAX_CAPS; i++)
            if (!t->p[i].lit && s->fact[t->p[i].fact].sid) {
                if (fx->f[t->p[i].fact].state == FACT_KNOWN)
                    own[k] = NULL;
                k++;
            }
        sb_reset(&j->reason);
        sb_add(&j->reason, why.buf ? why.buf : "", why.len);
        sb_reset(&j->expected);
        fill(s, fx, t, own, ownn, &j->expected);
    }
    sb_free(&u);
    sb_free(&why);
    sb_free(&filled);
    return hit;
}

void url_judgement_free(struct url_judgement *j)
{
    sb_free(&j->reason);
    sb_free(&j->expected);
}

void url_judge(const struct url_spec *s, const struct url_facts *fx, int fi, int style,
               const struct url_tmpl *only, const char *u, size_t n, struct url_judgement *j)
{
    memset(j, 0, sizeof(*j));
    j->v = URL_NONE;
    j->style = -1;
    j->bad = -1;
    int tf = s->field[fi].like;
    struct url_judgement tmp;
    memset(&tmp, 0, sizeof(tmp));
    for (size_t si = 0; si < s->nstyles; si++) {
        if (style >= 0 && (int)si != style)
            continue;
        const struct url_style *st = &s->style[si];
        for (size_t k = 0; k < st->nt[tf]; k++) {
            const struct url_tmpl *t = &st->t[tf][k];
            if ((only && t != only) || !tmpl_usable(s, fx, t))
                continue;
            struct url_cap cap[URL_MAX_CAPS];
            size_t ncap;
            if (form_match(s, fx, t, u, n, cap, &ncap)) {
                int bad = -1;
                const char *own[URL_MAX_CAPS] = {NULL};
                size_t ownn[URL_MAX_CAPS] = {0};
                for (size_t c = 0; c < ncap; c++) {
                    const struct url_fact *f = &fx->f[cap[c].fact];
                    if (f->state != FACT_KNOWN) {
                        own[c] = u + cap[c].off;
                        ownn[c] = cap[c].len;
                    } else if (bad < 0 &&
                               (f->n != cap[c].len || memcmp(f->v, u + cap[c].off, f->n))) {
                        bad = (int)c;
                    }
                }
                if (bad < 0 || j->v < URL_SID) {
                    j->v = bad < 0 ? URL_OK : URL_SID;
                    j->style = (int)si;
                    j->t = t;
                    memcpy(j->cap, cap, sizeof(cap));
                    j->ncap = ncap;
                    j->bad = bad;
                    sb_reset(&j->expected);
                    fill(s, fx, t, own, ownn, &j->expected);
                    if (bad < 0)
                        goto out;
                }
                continue;
            }
            if (j->v > URL_NEAR)
                continue;
            if (near(s, fx, t, u, n, &tmp) && (j->v < URL_NEAR || tmp.dist < j->dist)) {
                j->v = URL_NEAR;
                j->style = (int)si;
                j->t = t;
                j->dist = tmp.dist;
                j->ncap = 0;
                sb_reset(&j->reason);
                sb_add(&j->reason, tmp.reason.buf ? tmp.reason.buf : "", tmp.reason.len);
                sb_reset(&j->expected);
                sb_add(&j->expected, tmp.expected.buf ? tmp.expected.buf : "", tmp.expected.len);
            }
        }
    }
out:
    url_judgement_free(&tmp);
}
