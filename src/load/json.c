/* load/json.c - the JSON scanner (design.md "Positions from one pass"). jansson keeps no
 * positions and stops at the first duplicate key, so this file reads JSON itself: one
 * iterative pass with an explicit stack of open containers validates the text strictly
 * (RFC 8259, UTF-8 inside strings), builds the jansson values, and records the position of
 * every member in the locmap. Deep or hostile input costs a bounded stack, never recursion.
 *
 * Object keys holding \u0000 are refused as a parse error: jansson's C-string keys and the
 * locmap would silently truncate them, and no file ssolint reads has a reason to use one.
 *
 * String literals (escapes, UTF-8, json_unescape) are read by load/json_string.c. */
#include "load/json.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/json_int.h"
#include "base/util.h"

/* ---- the scanner ---- */

struct frame {
    json_t *c;      /* borrowed: its parent (or the root reference) owns it */
    size_t start;   /* text offset of its '{' or '[' */
    size_t key_off; /* objects: text offset of the current member's key */
    size_t key_at;  /* objects: where that key starts in scan.keys */
    int is_obj;
};

struct scan {
    const char *t;
    size_t len, i;
    const struct load_opts *o;
    unsigned max_depth;
    struct frame *st; /* open containers, innermost last */
    size_t n, cap;
    struct strbuf keys; /* keys of the open members, each NUL-terminated, innermost last */
    struct strbuf tmp;  /* decoded strings with escapes, number text for strtod */
    json_t *root;
    struct loc *root_loc;
    char depth_msg[64];
};

static int fail(struct scan *s, size_t off, size_t end, const char *msg)
{
    const struct load_opts *o = s->o;
    if (o->report) {
        struct ld_diag d = {.kind = LD_PARSE_ERROR,
                            .off = load_map(o, off),
                            .end = load_map(o, end > s->len ? s->len : end),
                            .off2 = load_map(o, off),
                            .msg = msg};
        o->report(o->ctx, &d);
    }
    return -1;
}

static void skip_ws(struct scan *s)
{
    const char *t = s->t;
    size_t i = s->i;
    while (i < s->len && (t[i] == ' ' || t[i] == '\n' || t[i] == '\r' || t[i] == '\t'))
        i++;
    s->i = i;
}

/* Record the position of the value just attached to the innermost open container (or
 * the root) and release that member's key. */
static void record(struct scan *s, size_t vs, size_t ve)
{
    const struct load_opts *o = s->o;
    int container = s->t[vs] == '{' || s->t[vs] == '[';
    struct loc l = {.start = load_map(o, vs), .end = load_map(o, ve),
                    .flags = container ? load_container_flags(o, vs) : load_span_flags(o, vs, ve)};
    l.key = l.start;
    if (!s->n) {
        if (s->root_loc)
            *s->root_loc = l;
        return;
    }
    struct frame *f = &s->st[s->n - 1];
    if (f->is_obj) {
        l.key = load_map(o, f->key_off);
        locmap_set_key(o->locs, f->c, s->keys.buf + f->key_at, &l);
        s->keys.len = f->key_at;
    } else {
        locmap_set_index(o->locs, f->c, json_array_size(f->c) - 1, &l);
    }
}

/* Give v (a new reference, NULL when jansson ran out of memory) to the innermost open
 * container, or make it the root. */
static int attach(struct scan *s, json_t *v, size_t at)
{
    int rc = 0;
    if (!v)
        return fail(s, at, at + 1, "out of memory");
    if (!s->n) {
        s->root = v;
        return 0;
    }
    struct frame *f = &s->st[s->n - 1];
    if (f->is_obj)
        rc = json_object_set_new_nocheck(f->c, s->keys.buf + f->key_at, v);
    else
        rc = json_array_append_new(f->c, v);
    return rc ? fail(s, at, at + 1, "out of memory") : 0;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* An integer that fits int64 (jansson's json_int_t), or NULL: it becomes a real. */
static json_t *int_value(const char *p, size_t n)
{
    int neg = *p == '-';
    uint64_t acc = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (size_t k = neg; k < n; k++) {
        unsigned d = (unsigned)(p[k] - '0');
        if (acc > (limit - d) / 10)
            return NULL;
        acc = acc * 10 + d;
    }
    if (!neg)
        return json_integer((json_int_t)acc);
    return json_integer(acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(json_int_t)acc);
}

static json_t *real_value(struct scan *s, const char *p, size_t n)
{
    /* strtod follows the locale's decimal point; JSON's is always '.' */
    char dp = localeconv()->decimal_point[0];
    s->tmp.len = 0;
    sb_add(&s->tmp, p, n);
    if (dp != '.') {
        char *dot = strchr(s->tmp.buf, '.');
        if (dot)
            *dot = dp;
    }
    double d = strtod(s->tmp.buf, NULL);
    return isinf(d) ? NULL : json_real(d);
}

/* Skip the digits at s->i; an error (msg_bad, or end of input) when there is none. */
static int digits(struct scan *s, const char *msg_bad)
{
    if (s->i >= s->len)
        return fail(s, s->len, s->len, "unexpected end of input, expected a digit");
    if (!is_digit(s->t[s->i]))
        return fail(s, s->i, s->i + 1, msg_bad);
    while (s->i < s->len && is_digit(s->t[s->i]))
        s->i++;
    return 0;
}

static int parse_number(struct scan *s)
{
    const char *t = s->t;
    size_t st = s->i;
    int is_int = 1;

    if (t[s->i] == '-')
        s->i++;
    if (s->i < s->len && t[s->i] == '0') {
        s->i++;
        if (s->i < s->len && is_digit(t[s->i]))
            return fail(s, s->i, s->i + 1, "leading zero in a number");
    } else if (digits(s, "expected a digit after '-'")) {
        return -1;
    }
    if (s->i < s->len && t[s->i] == '.') {
        is_int = 0;
        s->i++;
        if (digits(s, "expected a digit after the decimal point"))
            return -1;
    }
    if (s->i < s->len && (t[s->i] == 'e' || t[s->i] == 'E')) {
        is_int = 0;
        s->i++;
        if (s->i < s->len && (t[s->i] == '+' || t[s->i] == '-'))
            s->i++;
        if (digits(s, "expected a digit in the exponent"))
            return -1;
    }
    json_t *v = is_int ? int_value(t + st, s->i - st) : NULL;
    if (!v)
        v = real_value(s, t + st, s->i - st);
    if (!v)
        return fail(s, st, s->i, "number out of range");
    if (attach(s, v, st))
        return -1;
    record(s, st, s->i);
    return 0;
}

static int parse_literal(struct scan *s)
{
    const char *t = s->t, *word = t[s->i] == 't' ? "true" : t[s->i] == 'f' ? "false" : "null";
    size_t st = s->i;

    for (const char *w = word; *w; w++, s->i++) {
        if (s->i >= s->len)
            return fail(s, s->len, s->len,
                        "unexpected end of input, expected true, false or null");
        if (t[s->i] != *w)
            return fail(s, s->i, s->i + 1, "invalid literal, expected true, false or null");
    }
    json_t *v = *word == 't' ? json_true() : *word == 'f' ? json_false() : json_null();
    if (attach(s, v, st))
        return -1;
    record(s, st, s->i);
    return 0;
}

static int parse_string(struct scan *s)
{
    struct str_out so;
    struct str_err e;
    size_t st = s->i;

    s->tmp.len = 0;
    size_t end = json_str_scan(s->t, s->len, st, 0, &s->tmp, &so, NULL, 0, &e);
    if (!end)
        return fail(s, e.off, e.end, e.msg);
    json_t *v = so.raw ? json_stringn_nocheck(so.raw, so.rawlen)
                       : json_stringn_nocheck(s->tmp.buf, s->tmp.len);
    if (attach(s, v, st))
        return -1;
    s->i = end;
    record(s, st, end);
    return 0;
}

/* Open an object or array at s->i: attach it now (so that a failure frees it with the
 * root) and push its frame; its position is recorded when it closes. */
static int open_container(struct scan *s, int is_obj)
{
    size_t st = s->i;
    if (s->n >= s->max_depth)
        return fail(s, st, st + 1, s->depth_msg);
    json_t *c = is_obj ? json_object() : json_array();
    if (attach(s, c, st))
        return -1;
    GROW(s->st, s->cap, s->n + 1);
    s->st[s->n++] = (struct frame){.c = c, .start = st, .is_obj = is_obj};
    s->i++;
    return 0;
}

static void close_container(struct scan *s)
{
    size_t st = s->st[--s->n].start;
    s->i++;
    record(s, st, s->i);
}

/* Parse the value at s->i (whitespace skipped). Returns 0 for a scalar, 1 when it opened
 * a container, -1 after an error. */
static int parse_value(struct scan *s)
{
    if (s->i >= s->len)
        return fail(s, s->len, s->len, "unexpected end of input, expected a value");
    switch (s->t[s->i]) {
    case '{':
        return open_container(s, 1) ? -1 : 1;
    case '[':
        return open_container(s, 0) ? -1 : 1;
    case '"':
        return parse_string(s);
    case 't':
    case 'f':
    case 'n':
        return parse_literal(s);
    default:
        if (s->t[s->i] == '-' || is_digit(s->t[s->i]))
            return parse_number(s);
        return fail(s, s->i, s->i + 1, "expected a value");
    }
}

static void report_duplicate(struct scan *s, const struct frame *f, const char *key, size_t end)
{
    const struct load_opts *o = s->o;
    if (!o->report)
        return;
    const struct loc *prev = locmap_key(o->locs, f->c, key);
    struct ld_diag d = {.kind = LD_DUPLICATE_KEY,
                        .off = load_map(o, f->key_off),
                        .end = load_map(o, end),
                        .msg = "duplicate key in an object",
                        .key = key};
    d.off2 = prev ? prev->key : d.off;
    o->report(o->ctx, &d);
}

/* Read the key at s->i of the innermost object (what: the message when there is none),
 * then its ':'; leaves s->i at the member's value. */
static int parse_key(struct scan *s, const char *what)
{
    struct frame *f = &s->st[s->n - 1];
    struct str_out so;
    struct str_err e;

    if (s->t[s->i] != '"')
        return fail(s, s->i, s->i + 1, what);
    f->key_off = s->i;
    f->key_at = s->keys.len;
    size_t end = json_str_scan(s->t, s->len, s->i, 1, &s->keys, &so, NULL, 0, &e);
    if (!end)
        return fail(s, e.off, e.end, e.msg);
    if (so.nul != SIZE_MAX)
        return fail(s, so.nul, so.nul + 6, "\\u0000 in an object key is not supported");
    sb_add(&s->keys, "", 1);
    const char *key = s->keys.buf + f->key_at;
    if (json_object_get(f->c, key))
        report_duplicate(s, f, key, end);
    s->i = end;
    skip_ws(s);
    if (s->i >= s->len)
        return fail(s, s->len, s->len, "unexpected end of input, expected ':'");
    if (s->t[s->i] != ':')
        return fail(s, s->i, s->i + 1, "expected ':' after an object key");
    s->i++;
    skip_ws(s);
    return 0;
}

/* After a value (or an opening bracket when opened): consume separators and closing
 * brackets up to the start of the next value. Returns 1 when a value follows at s->i,
 * 0 when the root is complete, -1 after an error. */
static int next_value(struct scan *s, int opened)
{
    for (; s->n; opened = 0) {
        int obj = s->st[s->n - 1].is_obj;
        char close = obj ? '}' : ']';
        skip_ws(s);
        if (s->i >= s->len)
            return fail(s, s->len, s->len,
                        opened ? (obj ? "unexpected end of input, expected a string key or '}'"
                                      : "unexpected end of input, expected a value or ']'")
                               : (obj ? "unexpected end of input, expected ',' or '}'"
                                      : "unexpected end of input, expected ',' or ']'"));
        char c = s->t[s->i];
        if (c == close) {
            close_container(s);
            continue;
        }
        if (opened)
            return obj ? (parse_key(s, "expected a string key or '}'") ? -1 : 1) : 1;
        if (c != ',')
            return fail(s, s->i, s->i + 1,
                        obj ? "expected ',' or '}' after an object member"
                            : "expected ',' or ']' after an array element");
        s->i++;
        skip_ws(s);
        if (s->i >= s->len)
            return fail(s, s->len, s->len,
                        obj ? "unexpected end of input, expected a string key"
                            : "unexpected end of input, expected a value");
        if (s->t[s->i] == close)
            return fail(s, s->i, s->i + 1,
                        obj ? "trailing comma in an object" : "trailing comma in an array");
        if (obj)
            return parse_key(s, "expected a string key after ','") ? -1 : 1;
        return 1;
    }
    return 0;
}

json_t *json_scan(const char *text, size_t len, const struct load_opts *o, struct loc *root_loc)
{
    struct scan s = {.t = text, .len = len, .o = o, .root_loc = root_loc,
                     .keys = STRBUF_INIT, .tmp = STRBUF_INIT};
    int r;

    s.max_depth = o->max_depth ? o->max_depth : LOAD_MAX_DEPTH;
    snprintf(s.depth_msg, sizeof(s.depth_msg), "nesting deeper than %u levels", s.max_depth);
    skip_ws(&s);
    if (s.i >= len) {
        fail(&s, len, len, "empty input");
        goto fail;
    }
    do {
        r = parse_value(&s);
        if (r >= 0)
            r = next_value(&s, r == 1);
    } while (r > 0);
    if (r < 0)
        goto fail;
    skip_ws(&s);
    if (s.i < len) {
        fail(&s, s.i, s.i + 1, "unexpected text after the JSON value");
        goto fail;
    }
    goto out;
fail:
    json_decref(s.root);
    s.root = NULL;
out:
    free(s.st);
    sb_free(&s.keys);
    sb_free(&s.tmp);
    return s.root;
}
