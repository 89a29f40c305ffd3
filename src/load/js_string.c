/* load/js_string.c - the value of a JavaScript string or template token (js_string_value,
 * load/js.h), as Node would read it in sloppy-mode code: simple, \x, \u and \u{...}
 * escapes, legacy octal, line continuations, CR and CRLF read as LF in templates. The
 * tokenizer (load/js.c) only finds the tokens' extent; rules that compare a string with a
 * name need its decoded text. */
#include "load/js.h"

#include <string.h>

#include "load/js_int.h"
#include "base/util.h"

/* The value of hex digit c (js_is_hex(c) holds). */
static int hex_val(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    return (c | 0x20) - 'a' + 10;
}

/* Append code point cp as UTF-8. NUL, lone surrogates and out-of-range values become
 * U+FFFD: a C string cannot hold NUL, and "roles\0" must not compare equal to "roles". */
static void add_cp(struct strbuf *sb, unsigned long cp)
{
    static const unsigned char lead[5] = {0, 0, 0xC0, 0xE0, 0xF0};
    char b[4];
    size_t k = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4, j;
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
        cp = 0xFFFD;
        k = 3;
    }
    for (j = k - 1; j > 0; j--, cp >>= 6)
        b[j] = (char)(0x80 | (cp & 0x3F));
    b[0] = (char)(lead[k] | cp);
    sb_add(sb, b, k);
}

/* Read k hex digits at s[*i]; -1 (and *i unchanged) if they are not there. */
static long read_hex(const char *s, size_t n, size_t *i, size_t k)
{
    long v = 0;
    size_t j;
    if (n - *i < k)
        return -1;
    for (j = 0; j < k; j++) {
        if (!js_is_hex((unsigned char)s[*i + j]))
            return -1;
        v = v * 16 + hex_val((unsigned char)s[*i + j]);
    }
    *i += k;
    return v;
}

/* \u escape after the 'u' at s[*i]: XXXX (a surrogate pair joined) or {X...}. */
static long read_unicode(const char *s, size_t n, size_t *i)
{
    long cp, lo;
    size_t j = *i;
    if (j < n && s[j] == '{') {
        for (cp = 0, j++; j < n && js_is_hex((unsigned char)s[j]); j++)
            if ((cp = cp * 16 + hex_val((unsigned char)s[j])) > 0x10FFFF)
                cp = 0x110000; /* keep it bounded; add_cp maps it to U+FFFD */
        if (j >= n || s[j] != '}' || j == *i + 1)
            return -1;
        *i = j + 1;
        return cp;
    }
    if ((cp = read_hex(s, n, &j, 4)) < 0)
        return -1;
    if (cp >= 0xD800 && cp <= 0xDBFF && n - j >= 6 && s[j] == '\\' && s[j + 1] == 'u') {
        size_t k = j + 2;
        lo = read_hex(s, n, &k, 4);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            j = k;
        }
    }
    *i = j;
    return cp;
}

/* Legacy octal escape (sloppy-mode strings, which Actions are): \0-\377. */
static unsigned long read_octal(const char *s, size_t n, size_t *i)
{
    unsigned long v = 0;
    size_t max = s[*i] <= '3' ? 3 : 2, k;
    for (k = 0; k < max && *i < n && s[*i] >= '0' && s[*i] <= '7'; k++, (*i)++)
        v = v * 8 + (unsigned long)(s[*i] - '0');
    return v;
}

/* Decode one escape; s[*i] is the character after the backslash. */
static void decode_escape(struct strbuf *sb, const char *s, size_t n, size_t *i, int is_string)
{
    static const char simple_in[] = "ntrbfv", simple_out[] = "\n\t\r\b\f\v";
    const char *p;
    size_t j = *i + 1;
    long cp;
    char c = s[*i];
    size_t lt = js_lineterm_len(s, n, *i);

    if (lt) {
        *i += (c == '\r' && j < n && s[j] == '\n') ? 2 : lt;
        return; /* line continuation */
    }
    if ((p = strchr(simple_in, c)) && c) {
        sb_addc(sb, simple_out[p - simple_in]);
        *i = j;
    } else if (c == 'x' && (cp = read_hex(s, n, &j, 2)) >= 0) {
        add_cp(sb, (unsigned long)cp);
        *i = j;
    } else if (c == 'u' && (cp = read_unicode(s, n, &j)) >= 0) {
        add_cp(sb, (unsigned long)cp);
        *i = j;
    } else if (c >= '0' && c <= '7' && (is_string || c == '0')) {
        add_cp(sb, read_octal(s, n, i));
    } else {
        sb_addc(sb, c); /* \' \" \` \\ and unknown escapes: drop the backslash */
        *i = j;
    }
}

char *js_string_value(const char *text, const struct js_tok *t)
{
    const char *s = text + t->start;
    size_t n = t->end - t->start, i = 1, end;
    struct strbuf sb = STRBUF_INIT;

    switch (t->kind) {
    case JS_STRING:
    case JS_TEMPLATE:
    case JS_TEMPLATE_TAIL:
        end = n >= 2 ? n - 1 : n;
        break;
    case JS_TEMPLATE_HEAD:
    case JS_TEMPLATE_MIDDLE:
        end = n >= 3 ? n - 2 : n;
        break;
    default:
        return xstrndup(s, n);
    }
    while (i < end) {
        if (s[i] == '\\' && i + 1 < end) {
            i++;
            decode_escape(&sb, s, end, &i, t->kind == JS_STRING);
        } else if (s[i] == '\r') {
            sb_addc(&sb, '\n'); /* templates read CR and CRLF as LF */
            i += (i + 1 < end && s[i + 1] == '\n') ? 2 : 1;
        } else if (s[i] == '\0') {
            add_cp(&sb, 0);
            i++;
        } else {
            sb_addc(&sb, s[i++]);
        }
    }
    if (!sb.buf)
        return xstrdup("");
    return sb_detach(&sb);
}
