/* check/fn/host_allowlist.c - the `host-allowlist` check function: a list of hosts (or URLs) that
 * must not hold forbidden entries, and a URL whose host must be on that list
 * (trusted-domain-invalid). Options:
 *
 *   in: flex-sso                  # a record kind (check.h)
 *   list: /trusted_domains        # the list: hosts or URLs ("https://x.org/flex")
 *   forbid:                       # optional: entries matching a PCRE2 pattern
 *     pattern: "\\*"
 *     message: "... '{entry}' ..."          # becomes {detail}
 *   url: /default_redirect_url    # optional: its host must be an entry's host ...
 *   implicit_hosts: [flex.twilio.com]       # ... or one of these
 *   url_message: "... '{host}' ... {hosts} ..."   # becomes {detail}
 *
 * The url is judged only when the list is given (an empty list too) and every entry is
 * known. Hosts compare case-insensitively; a url whose host a forbidden entry matches (as
 * a glob: `*` is any text) draws no finding of its own: the entry is the cause. */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/util.h"
#include "report/report.h"

struct hstate {
    int kind;
    char *list, *url, *forbid_msg, *url_msg;
    pcre2_code *forbid;
    char **implicit;
    size_t nimplicit;
};

static void free_state(void *p)
{
    struct hstate *st = p;
    free(st->list);
    free(st->url);
    free(st->forbid_msg);
    free(st->url_msg);
    pcre2_code_free(st->forbid);
    for (size_t i = 0; i < st->nimplicit; i++)
        free(st->implicit[i]);
    free(st->implicit);
    free(st);
}

static char *opt_str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? xstrdup(s) : NULL;
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    json_t *o = r->options;
    const char *in = json_string_value(json_object_get(o, "in"));
    struct hstate *st = xcalloc(1, sizeof(*st));
    r->state = st;
    r->free_state = free_state;
    st->list = opt_str(o, "list");
    st->url = opt_str(o, "url");
    st->url_msg = opt_str(o, "url_message");
    json_t *fb = json_object_get(o, "forbid");
    const char *pat = json_string_value(json_object_get(fb, "pattern"));
    st->forbid_msg = opt_str(fb, "message");
    if (!in || (st->kind = rec_kind_parse(in)) < 0 || !st->list || st->list[0] != '/' ||
        (st->url && (st->url[0] != '/' || !st->url_msg)) ||
        (fb && (!pat || !st->forbid_msg))) {
        sb_adds(err, "the host-allowlist check needs options 'in' (a record kind), 'list' "
                     "(a pointer), optional 'forbid: {pattern, message}' and optional "
                     "'url' (a pointer) with 'url_message'");
        return -1;
    }
    if (pat) {
        struct chk_regex_err e;
        if (!(st->forbid = chk_regex_compile(pat, PCRE2_ZERO_TERMINATED, 0, &e))) {
            sb_addf(err, "options.forbid.pattern: %s at offset %zu", e.msg, e.off);
            return -1;
        }
    }
    json_t *imp = json_object_get(o, "implicit_hosts");
    if (imp && !json_is_array(imp)) {
        sb_adds(err, "options.implicit_hosts must be a list of host names");
        return -1;
    }
    st->implicit = xcalloc(json_array_size(imp) + 1, sizeof(*st->implicit));
    size_t i;
    json_t *e;
    json_array_foreach(imp, i, e) {
        if (!json_is_string(e)) {
            sb_adds(err, "options.implicit_hosts must be a list of host names");
            return -1;
        }
        st->implicit[st->nimplicit++] = xstrdup(json_string_value(e));
    }
    return 0;
}

static int host_eq(const char *a, size_t na, const char *b, size_t nb)
{
    return na == nb && chk_ascii_caseeq(a, b, na);
}

/* Case-insensitive glob: '*' matches any text. */
static int glob_host(const char *g, size_t ng, const char *s, size_t ns)
{
    if (!ng)
        return !ns;
    if (*g == '*') {
        for (size_t k = 0; k <= ns; k++)
            if (glob_host(g + 1, ng - 1, s + k, ns - k))
                return 1;
        return 0;
    }
    return ns && host_eq(g, 1, s, 1) && glob_host(g + 1, ng - 1, s + 1, ns - 1);
}

/* A message template of the options with {name} replaced (names/values pairs). */
static void fill(struct strbuf *out, const char *t, const char *const *kv, size_t nkv)
{
    while (*t) {
        const char *open = strchr(t, '{'), *close = open ? strchr(open, '}') : NULL;
        if (!close) {
            sb_adds(out, t);
            return;
        }
        sb_add(out, t, (size_t)(open - t));
        int done = 0;
        for (size_t i = 0; i + 1 < nkv && !done; i += 2)
            if (strlen(kv[i]) == (size_t)(close - open - 1) &&
                !strncmp(kv[i], open + 1, strlen(kv[i]))) {
                sb_adds(out, kv[i + 1]);
                done = 1;
            }
        if (!done)
            sb_add(out, open, (size_t)(close + 1 - open));
        t = close + 1;
    }
}

static struct finding *report(int ri, const struct record *rec, const struct loc *l,
                              const char *value, const char *tmpl, const char *const *kv,
                              size_t nkv)
{
    claim(rec->doc->file, l->start);
    struct finding *f = finding_add(ri, rec->doc->file, l->start, l->end, rec->win);
    struct strbuf d = STRBUF_INIT;
    fill(&d, tmpl, kv, nkv);
    finding_arg(f, "detail", "%s", sb_str(&d));
    finding_value(f, value, strlen(value), 0);
    finding_set_identity(f, rec->t ? rec->t->index : -1, rec->identity);
    sb_free(&d);
    return f;
}

static void record(int ri, const struct record *rec)
{
    const struct hstate *st = rule_get(ri)->state;
    if ((int)rec->kind != st->kind)
        return;
    const struct loc *ll;
    int unknown;
    json_t *list = record_get(rec, st->list, &ll, &unknown);
    if (!json_is_array(list) || unknown || !ll || (ll->flags & LOC_UNKNOWN) ||
        claimed(rec->doc->file, ll->start))
        return;
    int all_known = 1;
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        const struct loc *el = doc_index(rec->doc, list, i);
        if (!json_is_string(e) || !el || (el->flags & LOC_UNKNOWN)) {
            all_known = 0;
            continue;
        }
        const char *s = json_string_value(e);
        if (!st->forbid || claimed(rec->doc->file, el->start))
            continue;
        if (chk_regex_match(st->forbid, s, json_string_length(e))) {
            const char *kv[] = {"entry", s};
            report(ri, rec, el, s, st->forbid_msg, kv, 2);
        }
    }
    if (!st->url || !all_known)
        return;
    const struct loc *ul;
    json_t *url = record_get(rec, st->url, &ul, &unknown);
    if (!json_is_string(url) || !json_string_length(url) || unknown || !ul ||
        (ul->flags & LOC_UNKNOWN) || claimed(rec->doc->file, ul->start))
        return;
    size_t nh;
    const char *h = url_host(json_string_value(url), &nh);
    for (size_t k = 0; k < st->nimplicit; k++)
        if (host_eq(h, nh, st->implicit[k], strlen(st->implicit[k])))
            return;
    struct strbuf hosts = STRBUF_INIT;
    json_array_foreach(list, i, e) {
        size_t ne;
        const char *eh = url_host(json_string_value(e), &ne);
        if (host_eq(h, nh, eh, ne) || glob_host(eh, ne, h, nh))
            goto out; /* trusted, or covered by a wildcard entry reported above */
        sb_addf(&hosts, "%s'%.*s'", hosts.len ? ", " : "", (int)ne, eh);
    }
    char *host = xstrndup(h, nh);
    const char *kv[] = {"host", host, "hosts", hosts.len ? hosts.buf : "none"};
    report(ri, rec, ul, json_string_value(url), st->url_msg, kv, 4);
    free(host);
out:
    sb_free(&hosts);
}

const struct check_fn check_host_allowlist_fn = {"host-allowlist", prepare, NULL, record,
                                                 NULL, NULL};
