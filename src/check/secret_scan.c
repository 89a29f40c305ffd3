/* check/secret_scan.c - masks found in the raw text, for the secret values that have no
 * position in a parsed document: a file that did not parse (its snippets still show its
 * lines), and a duplicate key whose first value the later one replaced (the loader keeps
 * the position of the later value only, but duplicate-key's note shows the first).
 * The scanner knows just enough JSON and YAML to find `"key":` / `key:` and the value
 * after it; it never decides a finding, it only hides text. */
#include <stdlib.h>
#include <string.h>

#include "check/secrets.h"

typedef int (*secret_fn)(void *ctx, const char *key, size_t n);

static int is_key_char(unsigned char c)
{
    return c == '_' || c == '-' || c == '.' || c == '$' || (c >= '0' && c <= '9') ||
           (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Offset after the closing quote of the quoted text starting at t[i], or the end of
 * the line when it is not closed there. */
static size_t quoted_end(const char *t, size_t n, size_t i)
{
    char q = t[i++];
    while (i < n) {
        if (q == '"' && t[i] == '\\' && i + 1 < n) {
            i += 2;
            continue;
        }
        if (t[i] == q) {
            if (q == '\'' && i + 1 < n && t[i + 1] == '\'') { /* YAML '' */
                i += 2;
                continue;
            }
            return i + 1;
        }
        i++;
    }
    return n;
}

/* One key found in a line: the key text, the offsets (in the line) of the key and of the
 * byte after its ':', and whether the key is the first thing on its line. */
struct keyhit {
    const char *key;
    size_t n, at, colon_end;
    int first;
};

/* Call fn for each `key:` of line s[0, n); fn returns 1 to stop. */
static void keys_in_line(const char *s, size_t n, int (*fn)(void *, const struct keyhit *),
                         void *ctx)
{
    size_t lead = 0;
    while (lead < n && (is_blank(s[lead]) || s[lead] == '-'))
        lead++;
    for (size_t i = 0; i < n;) {
        size_t ks, ke, j;
        if (s[i] == '"' || s[i] == '\'') {
            ks = i + 1;
            j = quoted_end(s, n, i);
            ke = j > ks ? j - 1 : ks;
        } else if (is_key_char((unsigned char)s[i])) {
            ks = i;
            j = i;
            while (j < n && is_key_char((unsigned char)s[j]))
                j++;
            ke = j;
        } else {
            i++;
            continue;
        }
        size_t c = j;
        while (c < n && is_blank(s[c]))
            c++;
        if (c < n && s[c] == ':') {
            struct keyhit h = {s + ks, ke - ks, i, c + 1, i == lead};
            if (fn(ctx, &h))
                return;
            j = c + 1;
        }
        i = j > i ? j : i + 1;
    }
}

/* The end (in the line) of the value that starts after offset v: a quoted string, or
 * up to ',', '}' or ']' in a flow collection, else the end of the line. *block is set
 * for a YAML block scalar indicator (the value is on the lines below). */
static size_t value_end(const char *s, size_t n, size_t v, int flow, int *block)
{
    while (v < n && is_blank(s[v]))
        v++;
    *block = v < n && (s[v] == '|' || s[v] == '>');
    if (v < n && (s[v] == '"' || s[v] == '\''))
        return quoted_end(s, n, v);
    size_t e = v;
    while (e < n && !(flow && (s[e] == ',' || s[e] == '}' || s[e] == ']')))
        e++;
    while (e > v && is_blank(s[e - 1]))
        e--;
    return e;
}

/* ---- the scan over a file ---- */

struct scan {
    int file;
    const char *line;
    uint64_t line_off;
    size_t line_len;
    secret_fn is_secret;
    void *ctx;
    int whole_line;        /* unparsed: mask to the end of the line */
    int shadowed;          /* only keys that are not at one of these offsets: */
    const uint64_t *known; /* the sorted key offsets the document holds */
    size_t nknown;
    int block;             /* the next more-indented lines are a secret block scalar */
};

static int known_key(const struct scan *sc, uint64_t off)
{
    size_t lo = 0, hi = sc->nknown;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sc->known[mid] == off)
            return 1;
        if (sc->known[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int on_key(void *ctx, const struct keyhit *h)
{
    struct scan *sc = ctx;
    if (!sc->is_secret(sc->ctx, h->key, h->n))
        return 0;
    if (sc->shadowed && known_key(sc, sc->line_off + h->at))
        return 0;
    int block = 0;
    size_t v = h->colon_end;
    while (v < sc->line_len && is_blank(sc->line[v]))
        v++;
    size_t end = value_end(sc->line, sc->line_len, v, !h->first, &block);
    if (sc->whole_line)
        end = sc->line_len;
    sx_mask(sc->file, sc->line_off + v, sc->line_off + end);
    sc->block |= block;
    return sc->whole_line;
}

static size_t indent_of(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_blank(s[i]))
        i++;
    return i;
}

static void scan_file(struct scan *sc)
{
    const struct source *s = source_get(sc->file);
    if (!s || !s->text)
        return;
    const char *t = s->text;
    size_t len = s->len, pos = 0, block_indent = 0;
    int in_block = 0;
    while (pos < len) {
        const char *nl = memchr(t + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - t) : len;
        size_t n = end - pos;
        if (n && t[end - 1] == '\r')
            n--;
        size_t ind = indent_of(t + pos, n);
        if (in_block && (ind == n || ind > block_indent)) {
            sx_mask(sc->file, pos + ind, pos + n);
        } else {
            in_block = 0;
            sc->line = t + pos;
            sc->line_off = pos;
            sc->line_len = n;
            sc->block = 0;
            keys_in_line(t + pos, n, on_key, sc);
            if (sc->block) {
                in_block = 1;
                block_indent = ind;
            }
        }
        pos = end + 1;
    }
}

void sx_mask_unparsed(int file, secret_fn is_secret, void *ctx)
{
    struct scan sc = {file, NULL, 0, 0, is_secret, ctx, 1, 0, NULL, 0, 0};
    scan_file(&sc);
}

/* ---- shadowed duplicates ---- */

struct offs {
    uint64_t *v;
    size_t n, cap;
};

static void collect_keys(const struct doc *d, json_t *v, struct offs *o, int depth)
{
    if (depth > LOAD_MAX_DEPTH)
        return;
    if (json_is_object(v)) {
        const char *k;
        json_t *m;
        json_object_foreach(v, k, m) {
            const struct loc *l = doc_key(d, v, k);
            if (l) {
                GROW(o->v, o->cap, o->n + 1);
                o->v[o->n++] = l->key;
            }
            collect_keys(d, m, o, depth + 1);
        }
    } else if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++)
            collect_keys(d, json_array_get(v, i), o, depth + 1);
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

void sx_mask_shadowed(const struct doc *d, secret_fn is_secret, void *ctx)
{
    if (!d->root)
        return;
    struct offs o = {NULL, 0, 0};
    collect_keys(d, d->root, &o, 0);
    if (o.n)
        qsort(o.v, o.n, sizeof(*o.v), cmp_u64);
    struct scan sc = {d->file, NULL, 0, 0, is_secret, ctx, 0, 1, o.v, o.n, 0};
    scan_file(&sc);
    free(o.v);
}
