/* check/fn/worker_user_sync.c - the `worker-user-sync` check function (worker-stale): a
 * TaskRouter worker whose attributes differ from its Auth0 user's values. Flex writes a
 * worker's attributes from the SAML attributes at each login, so a difference means the
 * user has not logged in since the change; an attribute the user no longer has stays on
 * the worker for good (a login never removes one). Options:
 *
 *   worker_keys:                  the worker's email: any of these (ASCII case ignored)
 *     - {in: worker, pointer: /friendly_name}
 *     - {in: attributes, pointer: /email}
 *   user_key: /email              the user's email, relative to the user record
 *   attributes:                   what is compared, one finding per differing one:
 *     - name: roles               its name for messages ({attr})
 *       worker: /roles            in the worker's attributes
 *       user: /app_metadata/flex/roles        in the user record
 *       compare: set              set: strings compared as sets (an array; on the
 *                                 worker also a string of comma-separated parts, as
 *                                 Flex accepts); value: one string
 *       user_absent: skip         when the user has none: removed (default: the worker
 *                                 keeps a stale attribute) or skip (another rule's cause,
 *                                 e.g. role-missing)
 *   note: "..."                   the note at the user's value ({user}, {user_has})
 *   variants:                     the wording (check/org.h) of: changed (both have it,
 *                                 different), removed (only the worker has it), added (only
 *                                 the user has it)
 *
 * Workers are loaded whole before users are streamed: begin indexes each tenant's workers
 * by lower-cased email, record matches each user as it streams (the first user of an
 * email wins) and keeps only what the findings need (per worker and attribute: the kind
 * of difference, the user's value as text and its file, start and end), finish reports.
 * The finding points at the worker's value inside its `attributes` string (added: at the
 * `attributes` string); the note at the user's value, else at the nearest enclosing
 * object the user has. Values that are unknown, or claimed by an earlier rule
 * (wrong-type), are not compared. Template arguments: {worker}, {attr}, {worker_value},
 * {user_value}, {user}. Memory: O(workers x attributes), freed per tenant. */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/org.h"
#include "rules/finding.h"
#include "report/report.h"

enum diff { D_NONE, D_CHANGED, D_REMOVED, D_ADDED };
static const char *const variant_names[] = {"changed", "removed", "added", NULL};

struct attr_spec {
    char *name, *wptr, *uptr;
    int set, skip_absent;
};

struct key_spec {
    int in_attrs;
    char *pointer;
};

struct attr_res {
    enum diff d;
    char *user_text; /* the user's value for messages */
    int file;
    uint64_t start, end; /* the user's value (or enclosing object) */
};

struct wk_state {
    int matched;
    char *user;         /* the matched user's email */
    struct attr_res *a; /* one per attribute */
};

struct email_ix {
    char *email; /* lower case */
    size_t wk;
};

struct tenant_state {
    struct email_ix *ix;
    size_t nix;
    struct wk_state *w;
    size_t nw;
};

struct sync_opts {
    struct key_spec *keys;
    size_t nkeys;
    char *user_key;
    struct attr_spec *attrs;
    size_t nattrs;
    char *note;
    json_t *opts; /* borrowed: variants */
    struct tenant_state *ts;
    size_t nts;
};

static void free_tenant(const struct sync_opts *o, struct tenant_state *ts)
{
    for (size_t i = 0; i < ts->nix; i++)
        free(ts->ix[i].email);
    free(ts->ix);
    for (size_t i = 0; i < ts->nw; i++) {
        for (size_t k = 0; ts->w[i].a && k < o->nattrs; k++)
            free(ts->w[i].a[k].user_text);
        free(ts->w[i].a);
        free(ts->w[i].user);
    }
    free(ts->w);
    memset(ts, 0, sizeof(*ts));
}

static void free_run(struct sync_opts *o)
{
    for (size_t i = 0; i < o->nts; i++)
        free_tenant(o, &o->ts[i]);
    free(o->ts);
    o->ts = NULL;
    o->nts = 0;
}

static void free_opts(void *p)
{
    struct sync_opts *o = p;
    free_run(o);
    for (size_t i = 0; i < o->nkeys; i++)
        free(o->keys[i].pointer);
    free(o->keys);
    for (size_t i = 0; i < o->nattrs; i++) {
        free(o->attrs[i].name);
        free(o->attrs[i].wptr);
        free(o->attrs[i].uptr);
    }
    free(o->attrs);
    free(o->user_key);
    free(o->note);
    free(o);
}

static int parse_attr(json_t *e, struct attr_spec *a)
{
    const char *name = json_string_value(json_object_get(e, "name"));
    const char *wp = json_string_value(json_object_get(e, "worker"));
    const char *up = json_string_value(json_object_get(e, "user"));
    const char *cmp = json_string_value(json_object_get(e, "compare"));
    const char *ua = json_string_value(json_object_get(e, "user_absent"));
    size_t n = 4 + (json_object_get(e, "user_absent") != NULL);
    if (!name || !wp || wp[0] != '/' || !up || up[0] != '/' || !cmp ||
        (strcmp(cmp, "set") && strcmp(cmp, "value")) || json_object_size(e) != n ||
        (n == 5 && (!ua || (strcmp(ua, "skip") && strcmp(ua, "removed")))))
        return -1;
    a->name = xstrdup(name);
    a->wptr = xstrdup(wp);
    a->uptr = xstrdup(up);
    a->set = !strcmp(cmp, "set");
    a->skip_absent = ua && !strcmp(ua, "skip");
    return 0;
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    static const char *const known[] = {"worker_keys", "user_key", "attributes",
                                        "note",        "variants", NULL};
    json_t *opt = r->options;
    if (options_known(opt, "worker-user-sync", known, err) < 0 ||
        variants_prepare(opt, "worker-user-sync", variant_names, err) < 0)
        return -1;
    json_t *keys = json_object_get(opt, "worker_keys");
    json_t *attrs = json_object_get(opt, "attributes");
    const char *uk = json_string_value(json_object_get(opt, "user_key"));
    const char *note = json_string_value(json_object_get(opt, "note"));
    if (!json_is_array(keys) || !json_array_size(keys) || !json_is_array(attrs) ||
        !json_array_size(attrs) || !uk || uk[0] != '/' || !note) {
        sb_adds(err, "the worker_user_sync check needs options.worker_keys, user_key, "
                     "attributes and note");
        return -1;
    }
    struct sync_opts *o = xcalloc(1, sizeof(*o));
    r->state = o;
    r->free_state = free_opts;
    o->user_key = xstrdup(uk);
    o->note = xstrdup(note);
    o->opts = opt;
    o->keys = xcalloc(json_array_size(keys), sizeof(*o->keys));
    o->attrs = xcalloc(json_array_size(attrs), sizeof(*o->attrs));
    size_t i;
    json_t *e;
    json_array_foreach(keys, i, e)
    {
        const char *in = json_string_value(json_object_get(e, "in"));
        const char *ptr = json_string_value(json_object_get(e, "pointer"));
        if (!in || (strcmp(in, "worker") && strcmp(in, "attributes")) || !ptr || ptr[0] != '/' ||
            json_object_size(e) != 2) {
            sb_addf(err,
                    "options.worker_keys[%zu] must be {in: worker|attributes, "
                    "pointer: /a/b}",
                    i);
            return -1;
        }
        o->keys[o->nkeys].in_attrs = !strcmp(in, "attributes");
        o->keys[o->nkeys++].pointer = xstrdup(ptr);
    }
    json_array_foreach(attrs, i, e)
    {
        if (parse_attr(e, &o->attrs[o->nattrs]) < 0) {
            sb_addf(err,
                    "options.attributes[%zu] must be {name, worker: /POINTER, user: "
                    "/POINTER, compare: set|value, user_absent: removed|skip}",
                    i);
            return -1;
        }
        o->nattrs++;
    }
    return 0;
}

static int cmp_email(const void *a, const void *b)
{
    return strcmp(((const struct email_ix *)a)->email, ((const struct email_ix *)b)->email);
}

static int cmp_ix(const void *a, const void *b)
{
    const struct email_ix *x = a, *y = b;
    int c = strcmp(x->email, y->email);
    return c ? c : (x->wk > y->wk) - (x->wk < y->wk);
}

/* A worker value: the worker object's member, or a member inside its attributes. */
static json_t *worker_get(const struct tenant *t, const struct worker *w, int in_attrs,
                          const char *ptr, const struct loc **l)
{
    int unknown;
    json_t *v;
    if (in_attrs)
        v = w->attrs_ok ? doc_get(&w->attrs, w->attrs.root, ptr, l, &unknown) : NULL;
    else
        v = t->workers ? doc_get(t->workers, w->obj, ptr, l, &unknown) : NULL;
    if (!v || unknown || !*l || ((*l)->flags & LOC_UNKNOWN))
        return NULL;
    return v;
}

static void begin(int ri, struct model *m)
{
    struct sync_opts *o = rule_get(ri)->state;
    free_run(o);
    o->nts = m->ntenants;
    o->ts = xcalloc(o->nts ? o->nts : 1, sizeof(*o->ts));
    for (size_t ti = 0; ti < m->ntenants; ti++) {
        const struct tenant *t = &m->tenants[ti];
        struct tenant_state *ts = &o->ts[ti];
        if (!t->nwk)
            continue;
        ts->nw = t->nwk;
        ts->w = xcalloc(t->nwk, sizeof(*ts->w));
        ts->ix = xcalloc(t->nwk * o->nkeys, sizeof(*ts->ix));
        for (size_t k = 0; k < t->nwk; k++)
            for (size_t j = 0; j < o->nkeys; j++) {
                const struct loc *l;
                json_t *v = worker_get(t, &t->wk[k], o->keys[j].in_attrs, o->keys[j].pointer, &l);
                if (!json_is_string(v) || !json_string_length(v))
                    continue;
                ts->ix[ts->nix].email = fold_copy(json_string_value(v), json_string_length(v), 0);
                ts->ix[ts->nix++].wk = k;
            }
        if (ts->nix)
            qsort(ts->ix, ts->nix, sizeof(*ts->ix), cmp_ix);
    }
}

/* A value as a list of strings: an array of strings, or (sets, when split) a string
 * split at ',' as Flex splits a comma-separated roles attribute. Returns the number of parts (0:
 * absent or empty), -1 when it cannot be compared. Parts are borrowed from v (start, length);
 * duplicates are dropped. */
struct part {
    const char *s;
    size_t n;
};

static int add_part(struct part *p, int n, const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (!len)
        return n;
    for (int i = 0; i < n; i++)
        if (p[i].n == len && !memcmp(p[i].s, s, len))
            return n;
    p[n].s = s;
    p[n].n = len;
    return n + 1;
}

static int parts_of(json_t *v, int set, int split, struct part **out)
{
    *out = NULL;
    if (!v)
        return 0;
    if (json_is_string(v) && (split || !set)) {
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);
        struct part *p = xcalloc(len + 1, sizeof(*p));
        int n = 0;
        if (!set) {
            n = add_part(p, 0, s, len);
        } else {
            const char *e;
            while ((e = memchr(s, ',', len)) != NULL) {
                n = add_part(p, n, s, (size_t)(e - s));
                len -= (size_t)(e - s) + 1;
                s = e + 1;
            }
            n = add_part(p, n, s, len);
        }
        *out = p;
        return n;
    }
    if (!set || !json_is_array(v))
        return -1;
    struct part *p = xcalloc(json_array_size(v) + 1, sizeof(*p));
    int n = 0;
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_string(e)) {
            free(p);
            return -1;
        }
        n = add_part(p, n, json_string_value(e), json_string_length(e));
    }
    *out = p;
    return n;
}

static int parts_equal(const struct part *a, int na, const struct part *b, int nb)
{
    if (na != nb)
        return 0;
    for (int i = 0; i < na; i++) {
        int k;
        for (k = 0; k < nb && !(a[i].n == b[k].n && !memcmp(a[i].s, b[k].s, a[i].n)); k++)
            ;
        if (k == nb)
            return 0;
    }
    return 1;
}

static char *parts_text(const struct part *p, int n)
{
    struct strbuf sb = STRBUF_INIT;
    sb_addc(&sb, '\'');
    for (int i = 0; i < n; i++) {
        if (i)
            sb_adds(&sb, ", ");
        sb_add(&sb, p[i].s, p[i].n);
    }
    sb_addc(&sb, '\'');
    return sb_detach(&sb);
}

/* Where the note goes when the user has no value: the nearest enclosing object. */
static void user_anchor(const struct record *rec, const char *ptr, struct attr_res *res)
{
    char *p = xstrdup(ptr);
    char *slash;
    res->start = rec->doc->root_loc.start;
    res->end = rec->doc->root_loc.end;
    while ((slash = strrchr(p, '/')) != NULL && slash != p) {
        *slash = '\0';
        const struct loc *l;
        int unknown;
        json_t *v = record_get(rec, p, &l, &unknown);
        if (json_is_object(v) && l && !unknown) {
            res->start = l->start;
            res->end = l->end;
            break;
        }
    }
    free(p);
}

static void compare(const struct tenant *t, const struct worker *w, const struct attr_spec *a,
                    const struct record *rec, struct attr_res *res)
{
    const struct loc *wl, *ul;
    int unknown;
    json_t *wv = worker_get(t, w, 1, a->wptr, &wl);
    json_t *uv = record_get(rec, a->uptr, &ul, &unknown);
    if (!w->attrs_ok || unknown ||
        (uv && (!ul || (ul->flags & LOC_UNKNOWN) || claimed(rec->doc->file, ul->start))))
        return;
    if (wv && claimed(t->workers->file, wl->start))
        return;
    struct part *wp, *up;
    int wn = parts_of(wv, a->set, 1, &wp), un = parts_of(uv, a->set, 0, &up);
    if (wn < 0 || un < 0 || (wn > 0 && un == 0 && a->skip_absent) ||
        (wn > 0 && un > 0 && parts_equal(wp, wn, up, un)) || (wn == 0 && un == 0)) {
        free(wp);
        free(up);
        return;
    }
    res->d = wn == 0 ? D_ADDED : un == 0 ? D_REMOVED : D_CHANGED;
    res->file = rec->doc->file;
    if (un > 0) {
        res->user_text = parts_text(up, un);
        res->start = ul->start;
        res->end = ul->end;
    } else {
        user_anchor(rec, a->uptr, res);
    }
    free(wp);
    free(up);
}

static void record(int ri, const struct record *rec)
{
    struct sync_opts *o = rule_get(ri)->state;
    const struct tenant *t = rec->t;
    if (!t || (size_t)t->index >= o->nts || !o->ts[t->index].nix)
        return;
    struct tenant_state *ts = &o->ts[t->index];
    const struct loc *l;
    int unknown;
    json_t *v = record_get(rec, o->user_key, &l, &unknown);
    if (!json_is_string(v) || !json_string_length(v) || unknown)
        return;
    struct email_ix key = {fold_copy(json_string_value(v), json_string_length(v), 0), 0};
    struct email_ix *hit = bsearch(&key, ts->ix, ts->nix, sizeof(*ts->ix), cmp_email);
    if (hit) {
        /* bsearch finds any entry of this email: start at the first one */
        while (hit > ts->ix && !strcmp(hit[-1].email, key.email))
            hit--;
        for (; hit < ts->ix + ts->nix && !strcmp(hit->email, key.email); hit++) {
            struct wk_state *ws = &ts->w[hit->wk];
            if (ws->matched)
                continue;
            ws->matched = 1;
            ws->user = xstrdup(json_string_value(v));
            ws->a = xcalloc(o->nattrs, sizeof(*ws->a));
            for (size_t k = 0; k < o->nattrs; k++)
                compare(t, &t->wk[hit->wk], &o->attrs[k], rec, &ws->a[k]);
        }
    }
    free(key.email);
}

static void report(int ri, const struct sync_opts *o, const struct tenant *t, size_t wi,
                   const struct attr_spec *a, const struct attr_res *res, const char *user)
{
    const struct worker *w = &t->wk[wi];
    const struct loc *wl = NULL;
    json_t *wv = res->d == D_ADDED ? NULL : worker_get(t, w, 1, a->wptr, &wl);
    if (res->d == D_ADDED)
        wl = doc_key(t->workers, w->obj, "attributes");
    if (!wl)
        return;
    struct part *wp = NULL;
    int wn = wv ? parts_of(wv, a->set, 1, &wp) : 0;
    char *wtext = wn > 0 ? parts_text(wp, wn) : xstrdup("");
    free(wp);
    json_t *fn = json_object_get(w->obj, "friendly_name");
    json_t *sid = json_object_get(w->obj, "sid");
    const char *name = json_is_string(fn)    ? json_string_value(fn)
                       : json_is_string(sid) ? json_string_value(sid)
                                             : w->pointer;
    char *has =
        res->user_text ? xasprintf("%s %s", a->name, res->user_text) : xasprintf("no %s", a->name);
    /* clang-format off */
    const char *kv[] = {"worker", name,
                        "attr", a->name,
                        "worker_value", wtext,
                        "user_value", res->user_text ? res->user_text : "",
                        "user", user,
                        "user_has", has,
                        NULL};
    /* clang-format on */
    static const char *const vnames[] = {"", "changed", "removed", "added"};
    struct finding *f = finding_add(ri, t->workers->file, wl->start, wl->end, NULL);
    variants_apply(f, o->opts, vnames[res->d], kv);
    finding_arg(f, "worker", "%s", name);
    finding_arg(f, "attr", "%s", a->name);
    if (json_is_string(wv))
        finding_value(f, json_string_value(wv), json_string_length(wv), 0);
    finding_set_identity(f, t->index, json_is_string(sid) ? json_string_value(sid) : name);
    struct strbuf sb = STRBUF_INIT;
    template_render(&sb, o->note, kv);
    finding_note(f, res->file, res->start, res->end, NULL, "%s", sb_str(&sb));
    sb_free(&sb);
    free(has);
    free(wtext);
}

static void finish(int ri, struct tenant *t)
{
    struct sync_opts *o = rule_get(ri)->state;
    if ((size_t)t->index >= o->nts || !t->workers)
        return;
    struct tenant_state *ts = &o->ts[t->index];
    for (size_t i = 0; i < ts->nw && i < t->nwk; i++)
        for (size_t k = 0; ts->w[i].matched && k < o->nattrs; k++)
            if (ts->w[i].a[k].d != D_NONE)
                report(ri, o, t, i, &o->attrs[k], &ts->w[i].a[k], ts->w[i].user);
    free_tenant(o, ts);
}

static void finish_all(int ri, struct model *m)
{
    (void)m;
    free_run(rule_get(ri)->state);
}

const struct check_fn check_worker_user_sync_fn = {
    "worker-user-sync", prepare, begin, record, finish, finish_all};
