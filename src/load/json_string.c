/* load/json_string.c - JSON string literals for the scanner (load/json.c) and for
 * json_unescape: strict RFC 8259 escapes, UTF-8 validated inside strings, surrogate pairs
 * joined, and an optional offmap that sends decoded offsets back to the escapes' bytes.
 * A literal without escapes is handed back in place, uncopied: most strings are. */
#include "load/json.h"

#include <stdint.h>
#include <string.h>

#include "load/json_int.h"
#include "base/util.h"

#define R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
/* Bytes that end a plain run inside a string: controls, '"', '\\' and non-ASCII. */
static const unsigned char str_stop[256] = {
    R16(1), R16(1),
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20: '"' */
    R16(0), R16(0),
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x50: '\\' */
    R16(0), R16(0),
    R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1),
};

#define MSG_EOF_STRING "unexpected end of input, expected '\"' to close a string"

static size_t str_fail(struct str_err *e, size_t off, size_t end, const char *msg)
{
    e->off = off;
    e->end = end;
    e->msg = msg;
    return 0;
}

/* Length of the UTF-8 sequence at p (p[0] >= 0x80), or 0 with *bad = index of the first
 * byte that breaks it (n when the text ends inside it). Overlongs, surrogates and code
 * points above U+10FFFF are refused by narrowing the second byte's range. */
static size_t utf8_check(const unsigned char *p, size_t n, size_t *bad)
{
    unsigned c = p[0], lo = 0x80, hi = 0xBF;
    size_t need;

    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
        *bad = 0;
        return 0;
    }
    for (size_t k = 1; k < need; k++) {
        if (k >= n) {
            *bad = n;
            return 0;
        }
        if (p[k] < lo || p[k] > hi) {
            *bad = k;
            return 0;
        }
        lo = 0x80;
        hi = 0xBF;
    }
    return need;
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
        return (c | 0x20) - 'a' + 10;
    return -1;
}

/* The 4 hex digits of "\uXXXX" at u[i]; -1 when invalid, -2 when the text ends first. */
static long hex4(const unsigned char *u, size_t len, size_t i)
{
    long v = 0;
    for (size_t k = i + 2; k < i + 6; k++) {
        if (k >= len)
            return -2;
        int h = hexval(u[k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Does the text from u[i] to its end look like the start of a "\uXXXX"? */
static int escape_prefix(const unsigned char *u, size_t len, size_t i)
{
    for (size_t k = i; k < len; k++)
        if ((k == i && u[k] != '\\') || (k == i + 1 && u[k] != 'u') ||
            (k > i + 1 && hexval(u[k]) < 0))
            return 0;
    return 1;
}

static size_t utf8_put(char *b, unsigned long cp)
{
    static const unsigned char lead[] = {0, 0, 0xC0, 0xE0, 0xF0};
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;

    if (n == 1) {
        b[0] = (char)cp;
        return 1;
    }
    for (size_t k = n - 1; k > 0; k--, cp >>= 6)
        b[k] = (char)(0x80 | (cp & 0x3F));
    b[0] = (char)(lead[n] | cp);
    return n;
}

/* Decode the escape whose backslash is at u[i] into b (*n bytes, *cp the code point).
 * Returns the offset after it, or 0 with *e set. */
static size_t escape_decode(const unsigned char *u, size_t len, size_t i, char *b, size_t *n,
                            unsigned long *cp, struct str_err *e)
{
    static const char simple_in[] = "\"\\/bfnrt", simple_out[] = "\"\\/\b\f\n\r\t";

    if (i + 1 >= len)
        return str_fail(e, len, len, MSG_EOF_STRING);
    const char *p = u[i + 1] ? strchr(simple_in, u[i + 1]) : NULL;
    if (p) {
        *cp = (unsigned char)simple_out[p - simple_in];
        *n = utf8_put(b, *cp);
        return i + 2;
    }
    if (u[i + 1] != 'u')
        return str_fail(e, i, i + 2, "invalid escape in a string");
    long v = hex4(u, len, i);
    if (v == -2)
        return str_fail(e, len, len, "unexpected end of input, expected 4 hex digits");
    if (v < 0)
        return str_fail(e, i, i + 2, "invalid \\u escape in a string (expected 4 hex digits)");
    size_t next = i + 6;
    if (v >= 0xD800 && v <= 0xDBFF) {
        long lo = next + 1 < len && u[next] == '\\' && u[next + 1] == 'u' ? hex4(u, len, next) : -1;
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
            v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
            next += 6;
        } else if (len - next < 6 && escape_prefix(u, len, next)) {
            return str_fail(e, len, len, "unexpected end of input, expected a low surrogate");
        } else {
            return str_fail(e, i, i + 6, "unpaired UTF-16 surrogate in a \\u escape");
        }
    } else if (v >= 0xDC00 && v <= 0xDFFF) {
        return str_fail(e, i, i + 6, "unpaired UTF-16 surrogate in a \\u escape");
    }
    *cp = (unsigned long)v;
    *n = utf8_put(b, *cp);
    return next;
}

/* Scan the string literal at t[i] == '"' (load/json_int.h). */
size_t json_str_scan(const char *t, size_t len, size_t i, int copy, struct strbuf *out,
                     struct str_out *so, struct offmap *map, uint64_t map_off,
                     struct str_err *e)
{
    const unsigned char *u = (const unsigned char *)t;
    size_t run = ++i, first = out->len;
    int escaped = 0;

    so->raw = NULL;
    so->nul = SIZE_MAX;
    for (;;) {
        while (i < len && !str_stop[u[i]])
            i++;
        if (i >= len)
            return str_fail(e, len, len, MSG_EOF_STRING);
        if (u[i] == '"')
            break;
        if (u[i] >= 0x80) {
            size_t bad, n = utf8_check(u + i, len - i, &bad);
            if (!n && i + bad >= len)
                return str_fail(e, len, len, MSG_EOF_STRING);
            if (!n)
                return str_fail(e, i + bad, i + bad + 1, "invalid UTF-8 byte in a string");
            i += n;
            continue;
        }
        if (u[i] < 0x20)
            return str_fail(e, i, i + 1,
                            "control character in a string (escape it as \\uXXXX)");
        /* a backslash: flush the plain run, then decode the escape */
        char b[4];
        size_t n;
        unsigned long cp;
        size_t next = escape_decode(u, len, i, b, &n, &cp, e);
        if (!next)
            return 0;
        if (cp == 0 && so->nul == SIZE_MAX)
            so->nul = i;
        sb_add(out, t + run, i - run);
        if (map)
            offmap_add(map, out->len - first, n, map_off + i, next - i, SEG_ESCAPE);
        sb_add(out, b, n);
        escaped = 1;
        run = i = next;
    }
    if (!escaped && !copy) {
        so->raw = t + run;
        so->rawlen = i - run;
    } else {
        sb_add(out, t + run, i - run);
    }
    return i + 1;
}

/* map is initialised here (the caller offmap_free()s it, also after a failure). */
size_t json_unescape(const char *text, size_t len, uint64_t file_off, char **out, size_t *outlen,
                     struct offmap *map)
{
    struct strbuf sb = STRBUF_INIT;
    struct str_out so;
    struct str_err e;

    *out = NULL;
    *outlen = 0;
    if (map)
        offmap_init(map, file_off + 1);
    if (!len || text[0] != '"')
        return 0;
    size_t end = json_str_scan(text, len, 0, 1, &sb, &so, map, file_off, &e);
    if (!end) {
        sb_free(&sb);
        if (map)
            offmap_free(map);
        return 0;
    }
    if (!sb.buf)
        sb_add(&sb, "", 0);
    *outlen = sb.len;
    *out = sb.buf;
    return end;
}
