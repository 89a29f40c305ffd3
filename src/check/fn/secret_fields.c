/* check/fn/secret_fields.c - the `secret-fields` check function (secret-in-export): the
 * values at secret-bearing JSON pointers of a deploy-cli export must not be committed in
 * plain text. Every such value is masked (check/secrets.h) before any check runs; the
 * plain ones are reported in the finish step, once per value. Options:
 *
 *   placeholder: "^(_VALUE_NOT_SHOWN_)?$"  # PCRE2: string values that are not secrets
 *   records:
 *     - what: connection                   # the record's kind, in the message
 *       file: "connections/<star>.json"    # directory layout: files (a glob relative to
 *                                          #   the export root; <star> stands for '*')
 *       record: ""                         # optional: the records inside such a file
 *                                          #   ("": the whole file; "/<star>": each element)
 *       yaml: "/connections/<star>"        # YAML layout: the records in tenant.yaml
 *       secrets: [/options/client_secret]  # pointers below a record (a <star> segment is
 *                                          #   every member or element)
 *
 * A value from a `##KEY##` / `@@KEY@@` placeholder (resolved or not) is not plain text.
 * Strings and numbers are judged; null, booleans, objects and arrays are not (they are
 * masked all the same). The message gets {where} ("connection 'facebook'") and {field}
 * (the dotted path below the record, e.g. options.client_secret). */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/secrets.h"
#include "report/report.h"

struct srec {
    char *what, *file, *record, *yaml;
    char **secrets;
    size_t nsecrets;
};

struct fstate {
    pcre2_code *placeholder;
    struct srec *r;
    size_t n;
};

static void free_state(void *p)
{
    struct fstate *st = p;
    for (size_t i = 0; i < st->n; i++) {
        struct srec *r = &st->r[i];
        free(r->what);
        free(r->file);
        free(r->record);
        free(r->yaml);
        for (size_t k = 0; k < r->nsecrets; k++)
            free(r->secrets[k]);
        free(r->secrets);
    }
    free(st->r);
    sx_free(st->placeholder);
    free(st);
}

static int is_pointer(const char *s)
{
    return s && (s[0] == '\0' || s[0] == '/');
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    struct fstate *st = xcalloc(1, sizeof(*st));
    r->state = st;
    r->free_state = free_state;
    if (sx_compile(r->options, "placeholder", 0, &st->placeholder, err) < 0)
        return -1;
    json_t *list = json_object_get(r->options, "records");
    if (!json_is_array(list) || !json_array_size(list)) {
        sb_adds(err, "the secret_fields check needs options.records, a list of {what, file, "
                     "yaml, secrets}");
        return -1;
    }
    st->r = xcalloc(json_array_size(list), sizeof(*st->r));
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        const char *what = json_string_value(json_object_get(e, "what"));
        const char *file = json_string_value(json_object_get(e, "file"));
        const char *rec = json_string_value(json_object_get(e, "record"));
        const char *yaml = json_string_value(json_object_get(e, "yaml"));
        json_t *sec = json_object_get(e, "secrets");
        int ok = what && (file || yaml) && (!rec || is_pointer(rec)) &&
                 (!yaml || is_pointer(yaml)) && json_is_array(sec) && json_array_size(sec);
        for (size_t k = 0; ok && k < json_array_size(sec); k++) {
            const char *p = json_string_value(json_array_get(sec, k));
            ok = p && p[0] == '/';
        }
        if (!ok) {
            sb_addf(err, "options.records[%zu] needs 'what' (a name), 'file' (a glob) and/or "
                         "'yaml' (a JSON pointer), and 'secrets' (a list of JSON pointers "
                         "such as /options/client_secret)", i);
            return -1;
        }
        struct srec *sr = &st->r[st->n++];
        sr->what = xstrdup(what);
        sr->file = file ? xstrdup(file) : NULL;
        sr->record = xstrdup(rec ? rec : "");
        sr->yaml = yaml ? xstrdup(yaml) : NULL;
        sr->secrets = xcalloc(json_array_size(sec), sizeof(*sr->secrets));
        for (size_t k = 0; k < json_array_size(sec); k++)
            sr->secrets[sr->nsecrets++] = xstrdup(json_string_value(json_array_get(sec, k)));
    }
    return 0;
}

/* ---- walking pointers with `*` ---- */

/* One value found: the document, its record (with the record's pointer), the value with
 * its position, its pointer in the document and its dotted path below the record. */
struct hit {
    const struct doc *d;
    const struct srec *sr;
    json_t *record;
    json_t *v;
    const struct loc *l;
    const char *pointer;
    const char *field;
};
typedef void (*hit_fn)(void *ctx, const struct hit *h);

struct walk {
    const struct doc *d;
    const struct srec *sr;
    json_t *record;
    struct strbuf ptr, field;
    hit_fn fn;
    void *ctx;
    int records; /* 1: walking to records, 0: walking to secrets below a record */
};

static void walk_secrets(struct walk *w, json_t *rec);

static void path_push(struct strbuf *ptr, struct strbuf *field, const char *key, long index)
{
    if (index >= 0) {
        sb_addf(ptr, "/%ld", index);
        if (field)
            sb_addf(field, "[%ld]", index);
        return;
    }
    sb_addc(ptr, '/');
    for (const char *k = key; *k; k++) {
        if (*k == '~')
            sb_adds(ptr, "~0");
        else if (*k == '/')
            sb_adds(ptr, "~1");
        else
            sb_addc(ptr, *k);
    }
    if (field) {
        if (field->len)
            sb_addc(field, '.');
        sb_adds(field, key);
    }
}

static void path_pop(struct strbuf *sb, size_t len)
{
    sb->len = len;
    if (sb->buf)
        sb->buf[len] = '\0';
}

/* Follow pointer p from value cur (at l); at its end, call at_end. */
static void walk(struct walk *w, json_t *cur, const struct loc *l, const char *p, int depth)
{
    if (!*p) {
        if (w->records) {
            w->record = cur;
            walk_secrets(w, cur);
        } else {
            struct hit h = {w->d, w->sr, w->record, cur, l, sb_str(&w->ptr), sb_str(&w->field)};
            w->fn(w->ctx, &h);
        }
        return;
    }
    /* no stop at LOC_UNKNOWN here: a container that merely holds an unresolved
     * placeholder has the flag too; a truly unknown value is a scalar marker */
    if (depth > 32 || *p != '/')
        return;
    p++;
    const char *e = strchr(p, '/');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    struct strbuf *field = w->records ? NULL : &w->field;
    size_t keep = w->ptr.len, keepf = w->field.len;
    if (n == 1 && *p == '*') {
        if (json_is_object(cur)) {
            const char *k;
            json_t *v;
            json_object_foreach(cur, k, v) {
                path_push(&w->ptr, field, k, -1);
                walk(w, v, doc_key(w->d, cur, k), p + n, depth + 1);
                path_pop(&w->ptr, keep);
                path_pop(&w->field, keepf);
            }
        } else if (json_is_array(cur)) {
            for (size_t i = 0; i < json_array_size(cur); i++) {
                path_push(&w->ptr, field, NULL, (long)i);
                walk(w, json_array_get(cur, i), doc_index(w->d, cur, i), p + n, depth + 1);
                path_pop(&w->ptr, keep);
                path_pop(&w->field, keepf);
            }
        }
        return;
    }
    char *key = xstrndup(p, n);
    json_t *v = NULL;
    const struct loc *vl = NULL;
    if (json_is_object(cur)) {
        v = json_object_get(cur, key);
        vl = doc_key(w->d, cur, key);
        if (v)
            path_push(&w->ptr, field, key, -1);
    } else if (json_is_array(cur)) {
        char *end;
        unsigned long i = strtoul(key, &end, 10);
        if (!*end && *key) {
            v = json_array_get(cur, i);
            vl = doc_index(w->d, cur, i);
            if (v)
                path_push(&w->ptr, field, NULL, (long)i);
        }
    }
    free(key);
    if (v) {
        walk(w, v, vl, p + n, depth + 1);
        path_pop(&w->ptr, keep);
        path_pop(&w->field, keepf);
    }
}

static void walk_secrets(struct walk *w, json_t *rec)
{
    size_t keep = w->ptr.len;
    w->records = 0;
    for (size_t k = 0; k < w->sr->nsecrets; k++) {
        path_pop(&w->field, 0);
        walk(w, rec, NULL, w->sr->secrets[k], 0);
        path_pop(&w->ptr, keep);
    }
    w->records = 1;
}

/* The export-root-relative path of a file of tenant t, or NULL. */
static const char *export_rel(const struct tenant *t, int file)
{
    const struct source *s = source_get(file);
    if (!s || !t->export_root)
        return NULL;
    const char *p = s->path, *root = t->export_root;
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/')
        n--;
    if (!strcmp(root, "."))
        return p[0] == '.' && p[1] == '/' ? p + 2 : p;
    if (!strncmp(p, root, n) && p[n] == '/')
        return p + n + 1;
    return NULL;
}

static int export_kind(enum src_kind k)
{
    return k == SRC_TENANT || k == SRC_CLIENT || k == SRC_ACTION || k == SRC_TRIGGERS ||
           k == SRC_OTHER_EXPORT;
}

/* The rules of sr that apply to doc d of tenant t: the pointer of its records, or NULL. */
static const char *records_in(const struct tenant *t, const struct doc *d, const struct srec *sr)
{
    const struct source *s = source_get(d->file);
    if (!s || !export_kind(s->kind))
        return NULL;
    if (t->layout == EXPORT_YAML)
        return d->file == t->root_file ? sr->yaml : NULL;
    if (t->layout != EXPORT_DIRECTORY || !sr->file || d->file == t->root_file)
        return NULL;
    const char *rel = export_rel(t, d->file);
    return rel && fnmatch(sr->file, rel, FNM_PATHNAME) == 0 ? sr->record : NULL;
}

/* Call fn for every value at a secret pointer of tenant t. */
static void each_secret(const struct fstate *st, const struct tenant *t, hit_fn fn, void *ctx)
{
    for (size_t di = 0; di < t->ndocs; di++) {
        const struct doc *d = t->docs[di];
        if (!d->root)
            continue;
        for (size_t k = 0; k < st->n; k++) {
            const char *rp = records_in(t, d, &st->r[k]);
            if (!rp)
                continue;
            struct walk w = {d, &st->r[k], NULL, STRBUF_INIT, STRBUF_INIT, fn, ctx, 1};
            walk(&w, d->root, &d->root_loc, rp, 0);
            sb_free(&w.ptr);
            sb_free(&w.field);
        }
    }
}

/* ---- masking ---- */

static void mask_hit(void *ctx, const struct hit *h)
{
    (void)ctx;
    if (h->l && !((h->l->flags & LOC_UNKNOWN) &&
                   sx_bare_placeholder(h->d->file, h->l->start, h->l->end)))
        sx_mask(h->d->file, h->l->start, h->l->end);
}

/* In the raw text (files that did not parse, duplicate keys): the last name of each
 * secret pointer of the records that apply to the document is a secret key. */
struct keyctx {
    const struct fstate *st;
    const struct tenant *t;
    const struct doc *d;
};

static int last_segment_is(const char *ptr, const char *key, size_t n)
{
    const char *last = strrchr(ptr, '/');
    last = last ? last + 1 : ptr;
    return strcmp(last, "*") && strlen(last) == n && !strncmp(last, key, n);
}

static int secret_key(void *ctx, const char *key, size_t n)
{
    const struct keyctx *kc = ctx;
    for (size_t k = 0; k < kc->st->n; k++) {
        const struct srec *sr = &kc->st->r[k];
        if (!records_in(kc->t, kc->d, sr))
            continue;
        for (size_t i = 0; i < sr->nsecrets; i++)
            if (last_segment_is(sr->secrets[i], key, n))
                return 1;
    }
    return 0;
}

void secret_fields_mask(const struct rule *r, struct tenant *t)
{
    const struct fstate *st = r->state;
    each_secret(st, t, mask_hit, NULL);
    for (size_t di = 0; di < t->ndocs; di++) {
        const struct doc *d = t->docs[di];
        struct keyctx kc = {st, t, d};
        size_t k = 0;
        while (k < st->n && !records_in(t, d, &st->r[k]))
            k++;
        if (k == st->n)
            continue; /* no secret fields in this file */
        if (d->root)
            sx_mask_shadowed(d, secret_key, &kc);
        else
            sx_mask_unparsed(d->file, secret_key, &kc);
    }
}

/* ---- placeholders at secret fields ---- */

struct phctx {
    void (*fn)(void *ctx, const char *name, size_t n);
    void *ctx;
};

static int ph_char(char c)
{
    return c == '_' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Each ##NAME## / @@NAME@@ in the text of a value that came from a placeholder. */
static void ph_hit(void *ctx, const struct hit *h)
{
    const struct phctx *pc = ctx;
    const struct source *s = source_get(h->d->file);
    if (!h->l || !(h->l->flags & (LOC_PLACEHOLDER | LOC_UNKNOWN)) || !s || !s->text ||
        h->l->start >= s->len)
        return;
    size_t i = (size_t)h->l->start, end = (size_t)h->l->end;
    if (end <= i || end > s->len)
        end = s->len;
    const char *t = s->text;
    while (i + 5 <= end) {
        char d = t[i];
        if ((d == '#' || d == '@') && t[i + 1] == d) {
            size_t k = i + 2;
            while (k < end && ph_char(t[k]))
                k++;
            if (k > i + 2 && k + 2 <= end && t[k] == d && t[k + 1] == d) {
                pc->fn(pc->ctx, t + i + 2, k - i - 2);
                i = k + 2;
                continue;
            }
        }
        if (t[i] == '\n')
            break; /* a value from a placeholder starts with it; do not wander off */
        i++;
    }
}

void secret_fields_placeholders(struct tenant *t, void (*fn)(void *ctx, const char *name, size_t n),
                                void *ctx)
{
    struct phctx pc = {fn, ctx};
    for (int i = 0; i < rule_count(); i++) {
        const struct rule *r = rule_get(i);
        if (r->state && check_find(r->check) == &check_secret_fields_fn)
            each_secret(r->state, t, ph_hit, &pc);
    }
}

/* ---- reporting ---- */

struct report_ctx {
    int ri;
    const struct fstate *st;
    const struct tenant *t;
};

static int plain(const struct fstate *st, const struct hit *h)
{
    if (!h->l || (h->l->flags & (LOC_UNKNOWN | LOC_PLACEHOLDER)))
        return 0;
    if (json_is_string(h->v))
        return !sx_match(st->placeholder, json_string_value(h->v), json_string_length(h->v));
    return json_is_number(h->v);
}

static void report_hit(void *ctx, const struct hit *h)
{
    const struct report_ctx *rc = ctx;
    if (!plain(rc->st, h) || claimed(h->d->file, h->l->start))
        return;
    claim(h->d->file, h->l->start);
    struct finding *f = finding_add(rc->ri, h->d->file, h->l->start, h->l->end, NULL);
    json_t *nm = json_object_get(h->record, "name");
    const char *name = json_is_string(nm) ? json_string_value(nm) : NULL;
    if (name)
        finding_arg(f, "where", "%s '%s'", h->sr->what, name);
    else
        finding_arg(f, "where", "%s", h->sr->what);
    finding_arg(f, "field", "%s", h->field);
    finding_set_identity(f, rc->t->index, name);
    finding_set_pointer(f, h->pointer);
    if (json_is_string(h->v)) {
        finding_value(f, json_string_value(h->v), json_string_length(h->v), 1);
    } else {
        char num[64];
        if (json_is_integer(h->v))
            snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(h->v));
        else
            snprintf(num, sizeof(num), "%.17g", json_real_value(h->v));
        finding_value(f, num, strlen(num), 1);
    }
}

static void finish(int ri, struct tenant *t)
{
    struct report_ctx rc = {ri, rule_get(ri)->state, t};
    each_secret(rc.st, t, report_hit, &rc);
}

const struct check_fn check_secret_fields_fn = {"secret-fields", prepare, NULL, NULL, finish,
                                                NULL};
