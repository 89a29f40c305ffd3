/* check/fn/secret_names.c - the `secret-names` check function (secret-in-config): values of
 * the deploy-cli config (the tenant's keywords file, `auth0.keywords`) whose names say
 * they are secrets must not be committed in plain text. Options:
 *
 *   keys: [AUTH0_CLIENT_SECRET]        # top-level keys that hold a secret
 *   mappings: AUTH0_KEYWORD_REPLACE_MAPPINGS   # an object whose members are judged by name
 *   names: "(?i)secret|password|token|key"     # PCRE2: a member name that marks a secret
 *   placeholder: "^(<[^<>]*>)?$"       # PCRE2: string values that are not secrets
 *
 * A mapping whose name matches, or whose placeholder fills a value at a secret pointer of
 * the export (secret_fields_placeholders), holds a secret in every string inside it; in
 * another mapping, nested members are judged by their own names (SETUP_CONFIG.client_secret). Only strings are judged; every value judged as a secret
 * is masked before any check runs, and so is each `##NAME##` / `@@NAME@@` placeholder of
 * such a mapping in the tenant's other files (the substituted text holds the secret).
 * The message gets {field}, the dotted path of the value. */
#include <stdlib.h>
#include <string.h>

#include "base/secret_text.h"
#include "check/secrets.h"
#include "report/report.h"

struct nstate {
    char **keys;
    size_t nkeys;
    char *mappings;
    pcre2_code *names, *placeholder;
};

static void free_state(void *p)
{
    struct nstate *st = p;
    for (size_t i = 0; i < st->nkeys; i++)
        free(st->keys[i]);
    free(st->keys);
    free(st->mappings);
    sx_free(st->names);
    sx_free(st->placeholder);
    free(st);
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    struct nstate *st = xcalloc(1, sizeof(*st));
    r->state = st;
    r->free_state = free_state;
    json_t *keys = json_object_get(r->options, "keys");
    json_t *map = json_object_get(r->options, "mappings");
    if ((keys && !json_is_array(keys)) || (map && !json_is_string(map)) ||
        (!json_array_size(keys) && !map)) {
        sb_adds(err, "the secret_names check needs options.keys (a list of key names) and/or "
                     "options.mappings (the name of an object whose members are judged by "
                     "name) with options.names");
        return -1;
    }
    st->keys = xcalloc(json_array_size(keys) + 1, sizeof(*st->keys));
    for (size_t i = 0; i < json_array_size(keys); i++) {
        const char *k = json_string_value(json_array_get(keys, i));
        if (!k) {
            sb_addf(err, "options.keys[%zu] must be a string", i);
            return -1;
        }
        st->keys[st->nkeys++] = xstrdup(k);
    }
    if (map)
        st->mappings = xstrdup(json_string_value(map));
    if (sx_compile(r->options, "names", map != NULL, &st->names, err) < 0 ||
        sx_compile(r->options, "placeholder", 0, &st->placeholder, err) < 0)
        return -1;
    return 0;
}

/* The keywords document of tenant t, or NULL. */
static const struct doc *keywords_doc(const struct tenant *t)
{
    if (t->keywords_file < 0)
        return NULL;
    for (size_t i = 0; i < t->ndocs; i++)
        if (t->docs[i]->file == t->keywords_file)
            return t->docs[i];
    return NULL;
}

static int secret_name(const struct nstate *st, const char *s, size_t n)
{
    return sx_match(st->names, s, n);
}

/* A secret value: the string v at l, with its dotted path. */
typedef void (*val_fn)(void *ctx, const struct doc *d, json_t *v, const struct loc *l,
                       const char *field);

struct walk {
    const struct nstate *st;
    const struct doc *d;
    struct strbuf field;
    val_fn fn;
    void *ctx;
};

/* Walk v (at l, named by the last part of w->field). secret: an enclosing name marks
 * everything inside as secret. */
static void walk(struct walk *w, json_t *v, const struct loc *l, int secret, int depth)
{
    if (depth > 32)
        return;
    size_t keep = w->field.len;
    if (json_is_object(v)) {
        const char *k;
        json_t *m;
        json_object_foreach(v, k, m) {
            sb_addf(&w->field, ".%s", k);
            walk(w, m, doc_key(w->d, v, k), secret || secret_name(w->st, k, strlen(k)),
                 depth + 1);
            w->field.len = keep;
            w->field.buf[keep] = '\0';
        }
    } else if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            sb_addf(&w->field, "[%zu]", i);
            walk(w, json_array_get(v, i), doc_index(w->d, v, i), secret, depth + 1);
            w->field.len = keep;
            w->field.buf[keep] = '\0';
        }
    } else if (secret && l) {
        w->fn(w->ctx, w->d, v, l, sb_str(&w->field));
    }
}

/* The names of the mappings whose placeholders fill a secret field of the export. */
struct used {
    char **v;
    size_t n, cap;
};

static void add_used(void *ctx, const char *name, size_t n)
{
    struct used *u = ctx;
    for (size_t i = 0; i < u->n; i++)
        if (strlen(u->v[i]) == n && !strncmp(u->v[i], name, n))
            return;
    GROW(u->v, u->cap, u->n + 1);
    u->v[u->n++] = xstrndup(name, n);
}

static int is_used(const struct used *u, const char *name)
{
    for (size_t i = 0; i < u->n; i++)
        if (!strcmp(u->v[i], name))
            return 1;
    return 0;
}

static void free_used(struct used *u)
{
    for (size_t i = 0; i < u->n; i++)
        free(u->v[i]);
    free(u->v);
}

/* Is mapping k (value of the mappings object) a secret: by its name, or because it fills
 * a secret field of the export? */
static int secret_mapping(const struct nstate *st, const struct used *u, const char *k)
{
    return secret_name(st, k, strlen(k)) || is_used(u, k);
}

static void each_secret(const struct nstate *st, struct tenant *t, val_fn fn, void *ctx)
{
    const struct doc *d = keywords_doc(t);
    if (!d || !json_is_object(d->root))
        return;
    struct walk w = {st, d, STRBUF_INIT, fn, ctx};
    for (size_t i = 0; i < st->nkeys; i++) {
        json_t *v = json_object_get(d->root, st->keys[i]);
        if (!v)
            continue;
        sb_reset(&w.field);
        sb_adds(&w.field, st->keys[i]);
        walk(&w, v, doc_key(d, d->root, st->keys[i]), 1, 0);
    }
    json_t *map = st->mappings ? json_object_get(d->root, st->mappings) : NULL;
    if (json_is_object(map)) {
        struct used u = {NULL, 0, 0};
        secret_fields_placeholders(t, add_used, &u);
        const char *k;
        json_t *v;
        json_object_foreach(map, k, v) {
            sb_reset(&w.field);
            sb_addf(&w.field, "%s.%s", st->mappings, k);
            walk(&w, v, doc_key(d, map, k), secret_mapping(st, &u, k), 1);
        }
        free_used(&u);
    }
    sb_free(&w.field);
}

/* ---- masking ---- */

static void mask_val(void *ctx, const struct doc *d, json_t *v, const struct loc *l,
                     const char *field)
{
    (void)ctx;
    (void)field;
    sx_mask(d->file, l->start, l->end);
    /* the value as deploy-cli substitutes it (##KEY## gives String(value)) */
    if (json_is_string(v))
        secret_text_add(json_string_value(v), json_string_length(v));
}

struct keyctx {
    const struct nstate *st;
};

static int secret_key(void *ctx, const char *key, size_t n)
{
    const struct keyctx *kc = ctx;
    for (size_t i = 0; i < kc->st->nkeys; i++)
        if (strlen(kc->st->keys[i]) == n && !strncmp(kc->st->keys[i], key, n))
            return 1;
    return secret_name(kc->st, key, n);
}

/* Mask each ##NAME## / @@NAME@@ of file's text. */
static void mask_placeholders(int file, const char *name)
{
    const struct source *s = source_get(file);
    if (!s || !s->text)
        return;
    size_t n = strlen(name);
    for (const char *mark = "#@"; *mark; mark++) {
        for (size_t i = 0; i + n + 4 <= s->len; i++) {
            const char *p = s->text + i;
            if (p[0] == *mark && p[1] == *mark && !memcmp(p + 2, name, n) && p[n + 2] == *mark &&
                p[n + 3] == *mark)
                sx_mask(file, i, i + n + 4);
        }
    }
}

void secret_names_mask(const struct rule *r, struct tenant *t)
{
    const struct nstate *st = r->state;
    each_secret(st, t, mask_val, NULL);
    const struct doc *d = keywords_doc(t);
    struct keyctx kc = {st};
    if (d && d->root)
        sx_mask_shadowed(d, secret_key, &kc);
    else if (d)
        sx_mask_unparsed(d->file, secret_key, &kc);
    /* the secret mappings' placeholders elsewhere: their substituted text is a secret */
    json_t *map = d && st->mappings ? json_object_get(d->root, st->mappings) : NULL;
    if (!json_is_object(map))
        return;
    struct used u = {NULL, 0, 0};
    secret_fields_placeholders(t, add_used, &u);
    const char *k;
    json_t *v;
    json_object_foreach(map, k, v) {
        if (!secret_mapping(st, &u, k))
            continue;
        for (size_t i = 0; i < t->ndocs; i++)
            if (t->docs[i]->file != d->file)
                mask_placeholders(t->docs[i]->file, k);
        for (size_t i = 0; i < t->nactions; i++)
            if (t->actions[i].code_file >= 0)
                mask_placeholders(t->actions[i].code_file, k);
    }
    free_used(&u);
}

/* ---- reporting ---- */

struct rctx {
    int ri;
    const struct nstate *st;
    const struct tenant *t;
};

static void report_val(void *ctx, const struct doc *d, json_t *v, const struct loc *l,
                       const char *field)
{
    const struct rctx *rc = ctx;
    if (!json_is_string(v) || (l->flags & (LOC_UNKNOWN | LOC_PLACEHOLDER)) ||
        sx_match(rc->st->placeholder, json_string_value(v), json_string_length(v)) ||
        claimed(d->file, l->start))
        return;
    claim(d->file, l->start);
    struct finding *f = finding_add(rc->ri, d->file, l->start, l->end, NULL);
    finding_arg(f, "field", "%s", field);
    finding_set_identity(f, rc->t->index, NULL);
    finding_value(f, json_string_value(v), json_string_length(v), 1);
}

static void finish(int ri, struct tenant *t)
{
    struct rctx rc = {ri, rule_get(ri)->state, t};
    each_secret(rc.st, t, report_val, &rc);
}

const struct check_fn check_secret_names_fn = {"secret-names", prepare, NULL, NULL, finish,
                                               NULL};
