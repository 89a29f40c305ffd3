/* check/url_loc.c - where URL findings point (check/url.h "positions"): the location of
 * a record or of the nearest existing parent of a pointer, and the file offset of a
 * byte inside a string value, found by decoding the value's raw text (JSON or YAML
 * escapes, YAML quoting) beside its decoded form. Split from check/url.c. */
#include "check/url.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const struct loc *url_record_loc(const struct record *rec)
{
    if (!rec->pointer || !*rec->pointer)
        return rec->obj == rec->doc->root ? &rec->doc->root_loc : NULL;
    struct record r = *rec;
    r.obj = rec->doc->root;
    const struct loc *l;
    int unknown;
    return record_get(&r, rec->pointer, &l, &unknown) ? l : NULL;
}

const struct loc *url_nearest_loc(const struct record *rec, const char *pointer)
{
    char *p = xstrdup(pointer);
    const struct loc *best = NULL;
    while (*p) {
        const struct loc *l;
        int unknown;
        if (record_get(rec, p, &l, &unknown) && l) {
            best = l;
            break;
        }
        *strrchr(p, '/') = '\0';
    }
    free(p);
    return best ? best : url_record_loc(rec);
}

static void put_utf8(struct strbuf *sb, unsigned long cp)
{
    if (cp < 0x80) {
        sb_addc(sb, (char)cp);
    } else if (cp < 0x800) {
        sb_addc(sb, (char)(0xC0 | (cp >> 6)));
        sb_addc(sb, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        sb_addc(sb, (char)(0xE0 | (cp >> 12)));
        sb_addc(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
        sb_addc(sb, (char)(0x80 | (cp & 0x3F)));
    } else {
        sb_addc(sb, (char)(0xF0 | (cp >> 18)));
        sb_addc(sb, (char)(0x80 | ((cp >> 12) & 0x3F)));
        sb_addc(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
        sb_addc(sb, (char)(0x80 | (cp & 0x3F)));
    }
}

static int hex_at(const char *p, size_t avail, size_t n, unsigned long *v)
{
    *v = 0;
    if (avail < n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (!isxdigit((unsigned char)p[i]))
            return 0;
        *v = *v * 16 + (unsigned long)(isdigit((unsigned char)p[i])
                                           ? p[i] - '0' : (tolower((unsigned char)p[i]) - 'a' + 10));
    }
    return 1;
}

/* One escape of a JSON or YAML double-quoted string at p (after the backslash); returns
 * the bytes consumed (0: not followed). */
static size_t unescape(const char *p, size_t avail, struct strbuf *sb)
{
    static const char simple[] = "\"\"\\\\//bbffnnrrttaavvee  \t\t";
    static const char value[] = "\"\\/\b\f\n\r\t\a\v\033 \t";
    unsigned long cp, lo;
    if (!avail)
        return 0;
    for (size_t i = 0; simple[i]; i += 2)
        if (p[0] == simple[i]) {
            sb_addc(sb, value[i / 2]);
            return 1;
        }
    switch (p[0]) {
    case 'x':
        return hex_at(p + 1, avail - 1, 2, &cp) ? (put_utf8(sb, cp), 3) : 0;
    case 'U':
        return hex_at(p + 1, avail - 1, 8, &cp) && cp <= 0x10FFFF ? (put_utf8(sb, cp), 9) : 0;
    case 'u':
        if (!hex_at(p + 1, avail - 1, 4, &cp) || (cp >= 0xDC00 && cp < 0xE000))
            return 0;
        if (cp >= 0xD800 && cp < 0xDC00) { /* a surrogate pair (JSON) */
            if (avail < 11 || p[5] != '\\' || p[6] != 'u' || !hex_at(p + 7, avail - 7, 4, &lo) ||
                lo < 0xDC00 || lo >= 0xE000)
                return 0;
            put_utf8(sb, 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00));
            return 11;
        }
        put_utf8(sb, cp);
        return 5;
    case 'N': put_utf8(sb, 0x85); return 1;
    case '_': put_utf8(sb, 0xA0); return 1;
    case 'L': put_utf8(sb, 0x2028); return 1;
    case 'P': put_utf8(sb, 0x2029); return 1;
    default: return 0;
    }
}

/* The raw text of a one-line scalar (JSON string, YAML plain or quoted) decoded, with
 * the file offset of each decoded byte (an escape's bytes map to its backslash). */
static int decode_raw(const struct source *src, const struct loc *l, char **out, size_t *outn,
                      uint64_t **offs)
{
    const char *raw = src->text + l->start;
    size_t rn = (size_t)(l->end > l->start ? l->end - l->start : 0);
    if (l->start + rn > src->len || !rn || raw[0] == '|' || raw[0] == '>')
        return 0;
    char q = raw[0] == '"' || raw[0] == '\'' ? raw[0] : 0;
    size_t i = q ? 1 : 0, end = q ? rn - 1 : rn;
    if (q && (rn < 2 || raw[rn - 1] != q))
        return 0;
    struct strbuf sb = STRBUF_INIT;
    *offs = xcalloc(rn + 1, sizeof(**offs));
    while (i < end) {
        size_t at = i, before = sb.len, used = 1;
        if (raw[i] == '\n' || raw[i] == '\r') {
            used = 0; /* a folded scalar: not followed */
        } else if (q == '\'' && raw[i] == '\'') {
            used = i + 1 < end && raw[i + 1] == '\'' ? 2 : 0;
            sb_addc(&sb, '\'');
        } else if (q == '"' && raw[i] == '\\') {
            used = unescape(raw + i + 1, end - i - 1, &sb);
            used = used ? used + 1 : 0;
        } else {
            sb_addc(&sb, raw[i]);
        }
        if (!used || sb.len > rn) {
            sb_free(&sb);
            free(*offs);
            return 0;
        }
        for (size_t k = before; k < sb.len; k++)
            (*offs)[k] = l->start + at;
        i += used;
    }
    (*offs)[sb.len] = l->start + i;
    *outn = sb.len;
    *out = sb.buf ? sb.buf : xstrdup("");
    return 1;
}

uint64_t url_inner_off(const struct doc *d, const struct loc *l, const char *v, size_t n,
                       size_t idx)
{
    const struct source *src = source_get(d->file);
    char *r = NULL;
    size_t rn = 0;
    uint64_t *offs = NULL, off = l->start;
    if (!src || !src->text || !decode_raw(src, l, &r, &rn, &offs))
        return l->start;
    size_t cp = 0, cs = 0;
    while (cp < rn && cp < n && r[cp] == v[cp])
        cp++;
    while (cs < rn - cp && cs < n - cp && r[rn - 1 - cs] == v[n - 1 - cs])
        cs++;
    if (idx < cp)
        off = offs[idx];
    else if (idx >= n - cs && rn >= n - idx)
        off = offs[rn - (n - idx)];
    else if (cp + 1 < rn && r[cp] == '#' && r[cp + 1] == '#')
        off = offs[cp]; /* inside a ##KEY## placeholder: the placeholder */
    free(r);
    free(offs);
    return off;
}
