/* load/placeholder.c - deploy-cli keyword replacement, run on a file's raw text before
 * it is parsed (design.md "Placeholders are substituted in the text"). deploy-cli
 * (src/tools/utils.ts) replaces `@@KEY@@` with JSON.stringify(value), swallowing a pair
 * of quotes around it, and `##KEY##` with String(value); it does so textually, so we
 * match textually too. An unmapped placeholder is left for the loader to read as an
 * unknown value: where it would not parse (bare in JSON, a comment or an `@` indicator
 * in YAML) it is rewritten to text of the same length, so positions after it do not
 * move. A small lexer tracks strings, comments and block scalars only to decide that. */
#include "load/placeholder.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/ci_template.h"
#include "load/load.h"
#include "base/util.h"

enum lex { LX_PLAIN, LX_DQ, LX_SQ, LX_COMMENT, LX_BLOCK };

struct ph {
    const char *t;
    size_t len;
    uint64_t base;
    enum ph_syntax syn;
    const json_t *map;
    struct offmap *om;
    ph_fn fn;
    void *ctx;
    size_t count;
    struct strbuf out;  /* the rewritten text so far */
    size_t copied;      /* t[copied, i) is not yet in out */
    struct strbuf name; /* the current placeholder's key */
    enum lex st;
    int esc; /* a backslash escape is pending in a double-quoted string */
    /* YAML: the current line */
    size_t ls;         /* offset of its first byte */
    char lastsig;      /* last non-blank byte outside quotes, 0 at line start */
    long key_col;      /* column after indentation and `- ` indicators */
    long dash_col;     /* column of the last `- ` indicator, -1 when none */
    long ind;          /* indentation */
    int block_pending; /* a `|` or `>` header is on this line */
    long parent;       /* the block scalar's parent column */
    long block_ind;    /* its content indentation, -1 before the first content line */
};

static int is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Length of `DDKEYDD` at t[i] (D the delimiter), 0 when there is none. */
static size_t match_ph(const char *t, size_t len, size_t i, char d)
{
    if (i + 5 > len || t[i] != d || t[i + 1] != d)
        return 0;
    size_t k = i + 2;
    while (k < len && is_key_char(t[k]))
        k++;
    if (k == i + 2 || k + 2 > len || t[k] != d || t[k + 1] != d)
        return 0;
    return k + 2 - i;
}

/* A Number as JavaScript's ToString writes it: the shortest digits that read back
 * to the same double, in positional form for exponents -7 < e < 21. */
static void js_number(double d, struct strbuf *sb)
{
    char buf[64], dig[32];
    if (isnan(d)) {
        sb_adds(sb, "NaN");
        return;
    }
    if (isinf(d)) {
        sb_adds(sb, d > 0 ? "Infinity" : "-Infinity");
        return;
    }
    if (d == 0) {
        sb_addc(sb, '0');
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*e", prec - 1, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    const char *p = buf;
    if (*p == '-') {
        sb_addc(sb, '-');
        p++;
    }
    int k = 0;
    for (; *p && *p != 'e'; p++)
        if (*p != '.')
            dig[k++] = *p;
    while (k > 1 && dig[k - 1] == '0')
        k--;
    int n = atoi(p + 1) + 1; /* position of the decimal point */
    if (k <= n && n <= 21) {
        sb_add(sb, dig, (size_t)k);
        for (int z = k; z < n; z++)
            sb_addc(sb, '0');
    } else if (0 < n && n <= 21) {
        sb_add(sb, dig, (size_t)n);
        sb_addc(sb, '.');
        sb_add(sb, dig + n, (size_t)(k - n));
    } else if (-6 < n && n <= 0) {
        sb_adds(sb, "0.");
        for (int z = n; z < 0; z++)
            sb_addc(sb, '0');
        sb_add(sb, dig, (size_t)k);
    } else {
        sb_addc(sb, dig[0]);
        if (k > 1) {
            sb_addc(sb, '.');
            sb_add(sb, dig + 1, (size_t)(k - 1));
        }
        sb_addf(sb, "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
    }
}

static void js_scalar(const json_t *v, struct strbuf *sb)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        sb_add(sb, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        sb_addf(sb, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL:
        js_number(json_real_value(v), sb);
        break;
    case JSON_TRUE:
        sb_adds(sb, "true");
        break;
    case JSON_FALSE:
        sb_adds(sb, "false");
        break;
    case JSON_NULL:
        sb_adds(sb, "null");
        break;
    default:
        sb_adds(sb, "[object Object]");
        break;
    }
}

/* String(value): an array is its elements joined with ',' (null as ""), nested arrays
 * the same way; walked with an explicit stack. */
static void js_string(const json_t *v, struct strbuf *sb)
{
    struct frame {
        const json_t *a;
        size_t i;
    } *stk = NULL;
    size_t n = 0, cap = 0;

    if (!json_is_array(v)) {
        js_scalar(v, sb);
        return;
    }
    GROW(stk, cap, 1);
    stk[n++] = (struct frame){v, 0};
    while (n) {
        struct frame *f = &stk[n - 1];
        if (f->i == json_array_size(f->a)) {
            n--;
            continue;
        }
        if (f->i > 0)
            sb_addc(sb, ',');
        const json_t *e = json_array_get(f->a, f->i++);
        if (json_is_array(e)) {
            GROW(stk, cap, n + 1);
            stk[n++] = (struct frame){e, 0};
        } else if (!json_is_null(e)) {
            js_scalar(e, sb);
        }
    }
    free(stk);
}

/* JSON.stringify(value). jansson writes reals with 17 digits where JavaScript writes
 * the shortest form; both read back to the same double. */
static void js_stringify(const json_t *v, struct strbuf *sb)
{
    if (json_is_real(v)) {
        double d = json_real_value(v);
        if (isnan(d) || isinf(d))
            sb_adds(sb, "null");
        else
            js_number(d, sb);
        return;
    }
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (s) {
        sb_adds(sb, s);
        free(s);
    } else {
        sb_adds(sb, "null");
    }
}

/* Replace t[s, s+n) by r[0, rn) in the output and record the span. */
static void emit(struct ph *p, size_t s, size_t n, const char *r, size_t rn, unsigned flags)
{
    if (s > p->copied)
        sb_add(&p->out, p->t + p->copied, s - p->copied);
    size_t d = p->out.len;
    if (rn)
        sb_add(&p->out, r, rn);
    offmap_add(p->om, d, rn, p->base + s, n, flags);
    p->copied = s + n;
}

/* YAML: could a scalar start at t[i]? After indentation, `- `, `? `, `: `, or in a flow
 * collection after `[`, `{` or `,`. */
static int yaml_token_start(const struct ph *p, size_t i)
{
    if (i > p->ls && !is_blank(p->t[i - 1]) && !strchr("[{,", p->t[i - 1]))
        return 0;
    return p->lastsig == 0 || strchr(":-?[{,", p->lastsig) != NULL;
}

/* YAML: does a plain scalar end right after t[e)? Then `'@K@'` parses as one scalar. */
static int yaml_scalar_ends(const struct ph *p, size_t e)
{
    const char *t = p->t;
    size_t k = e;
    while (k < p->len && is_blank(t[k]))
        k++;
    if (k == p->len || t[k] == '\n' || t[k] == '\r' || strchr(",]}", t[k]))
        return 1;
    if (t[k] == '#' && k > e)
        return 1;
    return t[k] == ':' && (k + 1 == p->len || strchr(" \t\r\n", t[k + 1]));
}

/* The same-length text that keeps an unmapped placeholder t[i, i+n) parseable, written
 * into buf (n bytes): often the placeholder itself. */
static void unresolved_text(const struct ph *p, size_t i, size_t n, int quoted, char *buf)
{
    const char *t = p->t;
    memcpy(buf, t + i, n);
    if (p->syn == PH_JSON) {
        if (p->st != LX_PLAIN || (quoted && t[i] == '"'))
            return;
        memset(buf, ' ', n);
        memcpy(buf, "null", 4);
        return;
    }
    if (p->syn != PH_YAML || p->st != LX_PLAIN || quoted)
        return;
    if (t[i] == '#') {
        for (size_t k = 0; k < n; k++)
            if (buf[k] == '#')
                buf[k] = '_';
        return;
    }
    if (!yaml_token_start(p, i))
        return; /* `@` inside a plain scalar is an ordinary character */
    if (yaml_scalar_ends(p, i + n)) {
        buf[0] = '\'';
        buf[n - 1] = '\'';
    } else {
        buf[0] = '_';
    }
}

/* Length of the placeholder at t[i] (with its quotes for `'@@K@@'` / `"@@K@@"`), 0
 * when there is none; *quoted says whether quotes are part of it. */
static size_t find_ph(const struct ph *p, size_t i, int *quoted)
{
    const char *t = p->t;
    char c = t[i];
    size_t n;
    *quoted = 0;
    if ((c == '\'' || c == '"') && !p->esc && (n = match_ph(t, p->len, i + 1, '@')) &&
        i + 1 + n < p->len && t[i + 1 + n] == c) {
        *quoted = 1;
        return n + 2;
    }
    if ((n = match_ph(t, p->len, i, '@')))
        return n;
    return match_ph(t, p->len, i, '#');
}

/* ---- CI templates: `${NAME}`, `${{ expr }}`, `$NAME`, `<name>` ---- */

/* A template is looked for in JSON and YAML values, not in YAML comments nor after a
 * pending backslash escape. */
static size_t find_template(const struct ph *p, size_t i)
{
    if (p->syn == PH_TEXT || p->st == LX_COMMENT || p->esc || (p->t[i] != '$' && p->t[i] != '<'))
        return 0;
    return ci_template_len(p->t, p->len, i);
}

/* A template is kept as it is, flagged unknown; where it would not parse it becomes
 * text of the same length: `null` (or `0`) bare in JSON, `_` for the braces of a
 * plain YAML scalar (a flow collection would end at them). */
static void handle_template(struct ph *p, size_t i, size_t n)
{
    char *buf = xmalloc(n);
    memcpy(buf, p->t + i, n);
    if (p->st == LX_PLAIN && p->syn == PH_JSON) {
        memset(buf, ' ', n);
        if (n >= 4)
            memcpy(buf, "null", 4);
        else
            buf[0] = '0';
    } else if (p->st == LX_PLAIN) {
        for (size_t k = 0; k < n; k++)
            if (buf[k] == '{' || buf[k] == '}')
                buf[k] = '_';
    }
    emit(p, i, n, buf, n, SEG_UNRESOLVED);
    free(buf);
    p->count++;
    if (p->fn) {
        sb_reset(&p->name);
        sb_add(&p->name, p->t + i, n);
        struct ph_hit h = {p->base + i, p->base + i + n, p->name.buf, 0, 1};
        p->fn(p->ctx, &h);
    }
}

static void handle_ph(struct ph *p, size_t i, size_t n, int quoted)
{
    size_t k0 = i + 2 + (size_t)quoted, kl = n - 4 - 2 * (size_t)quoted;
    char kind = p->t[k0 - 1];
    const json_t *v = p->map ? json_object_getn(p->map, p->t + k0, kl) : NULL;

    sb_reset(&p->name);
    sb_add(&p->name, p->t + k0, kl);
    /* a mapping that CI fills (`"SECRET": "${SECRET}"`) leaves the value unknown */
    int tmpl = json_is_string(v) && ci_template_in(json_string_value(v), json_string_length(v));
    if (tmpl)
        v = NULL;
    if (v) {
        struct strbuf r = STRBUF_INIT;
        if (kind == '@')
            js_stringify(v, &r);
        else
            js_string(v, &r);
        /* a big value used many times must not grow the text without bound: past the
         * document limit the rest stay unresolved (the loader refuses such a text anyway) */
        if (p->out.len + r.len <= LOAD_MAX_DOC)
            emit(p, i, n, r.buf ? r.buf : "", r.len, SEG_RESOLVED);
        else
            v = NULL;
        sb_free(&r);
    }
    if (!v) {
        char *buf = xmalloc(n);
        unresolved_text(p, i, n, quoted, buf);
        emit(p, i, n, buf, n, SEG_UNRESOLVED);
        free(buf);
    }
    p->count++;
    if (p->fn) {
        struct ph_hit h = {p->base + i, p->base + i + n, p->name.buf, v != NULL, tmpl};
        p->fn(p->ctx, &h);
    }
}

/* YAML: at the first byte of a line, end a block scalar that the indentation closes and
 * note where this line's nodes start. */
static void yaml_line(struct ph *p, size_t i)
{
    const char *t = p->t;
    size_t j = i;
    while (j < p->len && t[j] == ' ')
        j++;
    p->ls = i;
    p->lastsig = 0;
    p->ind = (long)(j - i);
    int blank = j == p->len || t[j] == '\n' || t[j] == '\r';
    if (p->st == LX_BLOCK && !blank) {
        if (p->block_ind < 0 && p->ind > p->parent)
            p->block_ind = p->ind;
        else if (p->block_ind < 0 || p->ind < p->block_ind)
            p->st = LX_PLAIN;
    }
    p->dash_col = -1;
    while (j + 1 < p->len && t[j] == '-' && is_blank(t[j + 1])) {
        p->dash_col = (long)(j - i);
        j += 2;
        while (j < p->len && is_blank(t[j]))
            j++;
    }
    p->key_col = (long)(j - i);
}

/* YAML: is t[i] (`|` or `>`) a block scalar header that ends its line? */
static int yaml_block_header(const struct ph *p, size_t i)
{
    const char *t = p->t;
    size_t k = i + 1;
    if (!yaml_token_start(p, i) || (p->lastsig && !strchr(":-?", p->lastsig)))
        return 0;
    while (k < p->len && (strchr("+-", t[k]) || (t[k] >= '0' && t[k] <= '9')))
        k++;
    size_t b = k;
    while (k < p->len && is_blank(t[k]))
        k++;
    return k == p->len || t[k] == '\n' || t[k] == '\r' || (t[k] == '#' && k > b);
}

static void yaml_newline(struct ph *p)
{
    if (p->st == LX_PLAIN || p->st == LX_COMMENT) {
        p->st = p->block_pending ? LX_BLOCK : LX_PLAIN;
        p->block_ind = -1;
    }
    p->block_pending = 0;
}

/* Advance the lexer over t[i]; returns the number of bytes consumed. */
static size_t lex_yaml(struct ph *p, size_t i)
{
    const char *t = p->t;
    char c = t[i];
    if (c == '\n') {
        yaml_newline(p);
        return 1;
    }
    switch (p->st) {
    case LX_PLAIN:
        if (c == '#' && (i == p->ls || is_blank(t[i - 1]))) {
            p->st = LX_COMMENT;
        } else if ((c == '\'' || c == '"') && yaml_token_start(p, i)) {
            p->st = c == '\'' ? LX_SQ : LX_DQ;
        } else if ((c == '|' || c == '>') && yaml_block_header(p, i)) {
            long col = (long)(i - p->ls);
            p->block_pending = 1;
            if (col == p->key_col)
                p->parent = p->dash_col >= 0 ? p->dash_col : p->ind - 1;
            else
                p->parent = p->key_col;
        }
        if (!is_blank(c) && c != '\r')
            p->lastsig = c;
        return 1;
    case LX_SQ:
        if (c == '\'') {
            if (i + 1 < p->len && t[i + 1] == '\'')
                return 2;
            p->st = LX_PLAIN;
            p->lastsig = c;
        }
        return 1;
    case LX_DQ:
        if (p->esc)
            p->esc = 0;
        else if (c == '\\')
            p->esc = 1;
        else if (c == '"') {
            p->st = LX_PLAIN;
            p->lastsig = c;
        }
        return 1;
    default:
        return 1;
    }
}

static size_t lex_json(struct ph *p, size_t i)
{
    char c = p->t[i];
    if (p->st == LX_PLAIN) {
        if (c == '"')
            p->st = LX_DQ;
    } else if (p->esc) {
        p->esc = 0;
    } else if (c == '\\') {
        p->esc = 1;
    } else if (c == '"') {
        p->st = LX_PLAIN;
    }
    return 1;
}

size_t ph_substitute(const char *text, size_t len, uint64_t base, enum ph_syntax syn,
                     unsigned what, const json_t *mappings, char **out, size_t *outlen, struct offmap *map,
                     ph_fn fn, void *ctx)
{
    struct ph p = {
        .t = text,
        .len = len,
        .base = base,
        .syn = syn,
        .om = map,
        .fn = fn,
        .ctx = ctx,
        .out = STRBUF_INIT,
        .name = STRBUF_INIT,
        .st = LX_PLAIN,
        .block_ind = -1,
    };
    p.map = json_is_object(mappings) ? mappings : NULL;
    offmap_init(map, base);

    for (size_t i = 0; i < len;) {
        int quoted;
        size_t n;
        if (syn == PH_YAML && (i == 0 || text[i - 1] == '\n'))
            yaml_line(&p, i);
        if ((what & PH_KEYWORDS) && (n = find_ph(&p, i, &quoted))) {
            handle_ph(&p, i, n, quoted);
            p.esc = 0;
            if (syn == PH_YAML && p.st == LX_PLAIN)
                p.lastsig = text[i + n - 1];
            i += n;
        } else if ((what & PH_TEMPLATES) && (n = find_template(&p, i))) {
            handle_template(&p, i, n);
            if (syn == PH_YAML && p.st == LX_PLAIN)
                p.lastsig = text[i + n - 1];
            i += n;
        } else if (syn == PH_YAML) {
            i += lex_yaml(&p, i);
        } else if (syn == PH_JSON) {
            i += lex_json(&p, i);
        } else {
            i++;
        }
    }
    sb_free(&p.name);
    if (!p.count) {
        sb_free(&p.out);
        *out = NULL;
        *outlen = 0;
        return 0;
    }
    if (len > p.copied)
        sb_add(&p.out, text + p.copied, len - p.copied);
    *outlen = p.out.len;
    *out = sb_detach(&p.out);
    return p.count;
}
