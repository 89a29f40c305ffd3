/* check/edit.c - the edits of a fix, made by check functions from the record's text in
 * memory (see check/edit.h). Each helper checks that the bytes it replaces are the plain
 * spelling of the value the loader saw and refuses otherwise. */
#include "check/edit.h"

#include <string.h>

#include "base/source.h"
#include "base/util.h"
#include "check/util.h"

#define NO_FIX (LOC_UNKNOWN | LOC_PLACEHOLDER | LOC_SECRET)

/* The text in memory around the record: its window, or its file's retained text. */
static int rec_win(const struct record *rec, struct textwin *w)
{
    if (rec->win) {
        *w = *rec->win;
        return 0;
    }
    return source_textwin(rec->doc->file, w);
}

/* The bytes [start, end) of the record's file, or NULL when they are not in memory. */
static const char *raw_at(const struct textwin *w, uint64_t start, uint64_t end)
{
    if (end < start || start < w->off || end > w->off + w->len)
        return NULL;
    return w->text + (start - w->off);
}

static int is_yaml_file(int file)
{
    const struct source *s = source_get(file);
    size_t n = s ? strlen(s->path) : 0;
    return (n > 5 && !strcmp(s->path + n - 5, ".yaml")) ||
           (n > 4 && !strcmp(s->path + n - 4, ".yml"));
}

static int refuse(struct finding *f)
{
    finding_fix_drop(f);
    return -1;
}

static int add(struct finding *f, uint64_t start, uint64_t end, const char *text, size_t n)
{
    finding_edit(f, start, end, text, n);
    return f && f->fix ? 0 : -1;
}

int edit_begin(struct finding *f, const struct record *rec, int safety, const char *title)
{
    struct fix *x = finding_fix(f, safety, title);
    if (!x)
        return -1;
    if (rec->kind != REC_USER || !json_is_object(rec->obj))
        return 0;
    const char *id = json_string_value(json_object_get(rec->obj, "user_id"));
    const char *email = json_string_value(json_object_get(rec->obj, "email"));
    const struct loc *l;
    int unknown;
    json_t *flex = record_get(rec, "/app_metadata/flex", &l, &unknown);
    x->user_id = id ? xstrdup(id) : NULL;
    x->email = email ? xstrdup(email) : NULL;
    if (json_is_object(flex) && l && !unknown) {
        x->flex_start = l->start;
        x->flex_end = l->end;
    }
    return 0;
}

/* ---- scalars ---- */

/* s as a JSON / YAML double-quoted string body. */
static void add_escaped(struct strbuf *sb, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            sb_addf(sb, "\\%c", *p);
        else if (*p < 0x20)
            sb_addf(sb, "\\u%04x", *p);
        else
            sb_addc(sb, (char)*p);
    }
}

/* Can s be written as a YAML plain scalar that reads back as the same string? */
static int plain_ok(const char *s)
{
    static const char *const special[] = {"true", "false", "null", "yes", "no", "on", "off",
                                          "~", NULL};
    if (!*s || strchr("-?:,[]{}#&*!|>'\"%@` ", s[0]) || s[strlen(s) - 1] == ' ')
        return 0;
    for (const char *const *q = special; *q; q++)
        if (strlen(s) == strlen(*q) && chk_ascii_caseeq(s, *q, strlen(s)))
            return 0;
    if (strspn(s, "0123456789.+-eE") == strlen(s))
        return 0; /* a number */
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || (*p == ':' && (p[1] == ' ' || !p[1])) ||
            (*p == '#' && p[-1] == ' '))
            return 0;
    return 1;
}

int edit_string(struct finding *f, const struct record *rec, const struct loc *l,
                json_t *cur, const char *s)
{
    struct textwin w;
    if (!f || !f->fix || !l || (l->flags & NO_FIX) || !json_is_string(cur) ||
        rec_win(rec, &w) < 0)
        return refuse(f);
    size_t n = (size_t)(l->end - l->start), cn = json_string_length(cur);
    const char *raw = raw_at(&w, l->start, l->end), *cs = json_string_value(cur);
    if (!raw || !n)
        return refuse(f);
    struct strbuf sb = STRBUF_INIT;
    char q = raw[0];
    if ((q == '"' || q == '\'') && n == cn + 2 && raw[n - 1] == q && !memcmp(raw + 1, cs, cn) &&
        !memchr(cs, '\\', cn) && !memchr(cs, q, cn)) {
        sb_addc(&sb, q);
        if (q == '"')
            add_escaped(&sb, s);
        else
            for (const char *p = s; *p; p++) {
                if (*p == '\'')
                    sb_addc(&sb, '\''); /* YAML doubles a quote inside '...' */
                sb_addc(&sb, *p);
            }
        sb_addc(&sb, q);
    } else if (q != '"' && q != '\'' && is_yaml_file(rec->doc->file) && n == cn &&
               !memcmp(raw, cs, cn)) {
        if (plain_ok(s)) {
            sb_adds(&sb, s);
        } else {
            sb_addc(&sb, '"');
            add_escaped(&sb, s);
            sb_addc(&sb, '"');
        }
    } else {
        return refuse(f);
    }
    int rc = add(f, l->start, l->end, sb.buf, sb.len);
    sb_free(&sb);
    return rc;
}

int edit_replace(struct finding *f, const struct record *rec, const struct loc *l,
                 const char *text)
{
    struct textwin w;
    if (!f || !f->fix || !l || (l->flags & NO_FIX) || rec_win(rec, &w) < 0 ||
        !raw_at(&w, l->start, l->end))
        return refuse(f);
    return add(f, l->start, l->end, text, strlen(text));
}

int edit_wrap_list(struct finding *f, const struct record *rec, const struct loc *l)
{
    struct textwin w;
    const char *raw;
    if (!f || !f->fix || !l || (l->flags & NO_FIX) || rec_win(rec, &w) < 0 ||
        !(raw = raw_at(&w, l->start, l->end)) || l->end == l->start || raw[0] == '|' ||
        raw[0] == '>' || memchr(raw, '\n', (size_t)(l->end - l->start)))
        return refuse(f);
    if (add(f, l->start, l->start, "[", 1) < 0)
        return -1;
    return add(f, l->end, l->end, "]", 1);
}

/* ---- structure: lines, separators ---- */

/* Offset of the start of the line holding off (not before the window). */
static uint64_t line_start(const struct textwin *w, uint64_t off)
{
    while (off > w->off && w->text[off - 1 - w->off] != '\n')
        off--;
    return off;
}

/* Offset just past the newline that ends the line holding off (the window's end when
 * there is none). Only blanks and a comment may follow off on that line: else 0. */
static uint64_t line_after(const struct textwin *w, uint64_t off)
{
    uint64_t end = w->off + w->len;
    int comment = 0;
    for (; off < end; off++) {
        char c = w->text[off - w->off];
        if (c == '\n')
            return off + 1;
        if (c == '#')
            comment = 1;
        else if (!comment && c != ' ' && c != '\t' && c != '\r')
            return 0;
    }
    return end;
}

/* Is the YAML node at off the first thing on its line after indentation and, for a
 * sequence item, its "- " (a block collection)? */
static int block_at(const struct textwin *w, uint64_t off, int item)
{
    uint64_t p = off;
    while (p > w->off && (w->text[p - 1 - w->off] == ' ' || w->text[p - 1 - w->off] == '\t'))
        p--;
    if (item) {
        if (p == w->off || w->text[p - 1 - w->off] != '-')
            return 0;
        p--;
        while (p > w->off && w->text[p - 1 - w->off] == ' ')
            p--;
    }
    return p == w->off || w->text[p - 1 - w->off] == '\n';
}

/* Do the bytes [a, b) hold only blanks, newlines and exactly one comma? */
static int one_comma(const struct textwin *w, uint64_t a, uint64_t b)
{
    int commas = 0;
    if (b < a || a < w->off || b > w->off + w->len)
        return 0;
    for (uint64_t p = a; p < b; p++) {
        char c = w->text[p - w->off];
        if (c == ',')
            commas++;
        else if (!strchr(" \t\r\n", c))
            return 0;
    }
    return commas == 1;
}

/* Remove the value spanning [s, e) (key or item start s), with its neighbours prev_end
 * (0: none) and next_start (0: none) in a flow collection or JSON; or its whole lines
 * in a YAML block collection. */
static int remove_span(struct finding *f, const struct textwin *w, uint64_t s, uint64_t e,
                       uint64_t prev_end, uint64_t next_start, int block)
{
    if (block) { /* a block collection value already ends at the start of a line */
        uint64_t a = line_start(w, s);
        uint64_t b = e > s && w->text[e - 1 - w->off] == '\n' ? e : line_after(w, e);
        if (!b)
            return refuse(f);
        return add(f, a, b, "", 0);
    }
    if (prev_end && one_comma(w, prev_end, s))
        return add(f, prev_end, e, "", 0);
    if (next_start && one_comma(w, e, next_start))
        return add(f, s, next_start, "", 0);
    if (!prev_end && !next_start)
        return add(f, s, e, "", 0);
    return refuse(f);
}

int edit_remove_index(struct finding *f, const struct record *rec, json_t *arr, size_t i)
{
    struct textwin w;
    const struct loc *l = doc_index(rec->doc, arr, i);
    const struct loc *p = i ? doc_index(rec->doc, arr, i - 1) : NULL;
    const struct loc *n = doc_index(rec->doc, arr, i + 1);
    if (!f || !f->fix || !l || (l->flags & NO_FIX) || rec_win(rec, &w) < 0 ||
        !raw_at(&w, l->start, l->end) || (i && !p))
        return refuse(f);
    int block = is_yaml_file(rec->doc->file) && block_at(&w, l->start, 1);
    return remove_span(f, &w, l->start, l->end, p ? p->end : 0, n ? n->start : 0, block);
}

int edit_remove_key(struct finding *f, const struct record *rec, json_t *obj, const char *key)
{
    struct textwin w;
    const struct loc *l = doc_key(rec->doc, obj, key), *m;
    uint64_t prev_end = 0, next_start = 0;
    const char *k;
    json_t *v;
    if (!f || !f->fix || !l || (l->flags & NO_FIX) || rec_win(rec, &w) < 0 ||
        !raw_at(&w, l->key, l->end))
        return refuse(f);
    json_object_foreach(obj, k, v) {
        if (!(m = doc_key(rec->doc, obj, k)) || m == l)
            continue;
        if (m->key < l->key && m->end > prev_end)
            prev_end = m->end;
        if (m->key > l->key && (!next_start || m->key < next_start))
            next_start = m->key;
    }
    int block = is_yaml_file(rec->doc->file) && block_at(&w, l->key, 0);
    return remove_span(f, &w, l->key, l->end, prev_end, next_start, block);
}

int edit_append_string(struct finding *f, const struct record *rec, json_t *arr,
                       const struct loc *al, const char *s)
{
    struct textwin w;
    size_t n = json_array_size(arr);
    const struct loc *last = n ? doc_index(rec->doc, arr, n - 1) : NULL;
    const struct loc *before = n > 1 ? doc_index(rec->doc, arr, n - 2) : NULL;
    const char *raw;
    if (!f || !f->fix || !al || (al->flags & NO_FIX) || rec_win(rec, &w) < 0 ||
        !(raw = raw_at(&w, al->start, al->end)) || (n && !last))
        return refuse(f);
    struct strbuf sb = STRBUF_INIT;
    uint64_t at;
    int yaml = is_yaml_file(rec->doc->file);
    if (!n) { /* "[]": the value goes inside */
        if (al->end - al->start < 2 || raw[0] != '[')
            return refuse(f);
        at = al->start + 1;
    } else if (yaml && block_at(&w, last->start, 1)) { /* a new "- value" line */
        uint64_t ls = line_start(&w, last->start), le = line_after(&w, last->end);
        if (!le || le > w.off + w.len || w.text[le - 1 - w.off] != '\n')
            return refuse(f);
        sb_add(&sb, w.text + (ls - w.off), (size_t)(last->start - ls));
        at = le;
    } else { /* the separator the array already uses */
        if (before && one_comma(&w, before->end, last->start))
            sb_add(&sb, w.text + (before->end - w.off), (size_t)(last->start - before->end));
        else
            sb_adds(&sb, ", ");
        at = last->end;
    }
    if (yaml && plain_ok(s)) {
        sb_adds(&sb, s);
    } else {
        sb_addc(&sb, '"');
        add_escaped(&sb, s);
        sb_addc(&sb, '"');
    }
    if (n && yaml && block_at(&w, last->start, 1))
        sb_adds(&sb, at >= w.off + 2 && w.text[at - 2 - w.off] == '\r' ? "\r\n" : "\n");
    int rc = add(f, at, at, sb.buf, sb.len);
    sb_free(&sb);
    return rc;
}

int edit_json_token(struct finding *f, uint64_t start, uint64_t end, const char *cur,
                    size_t n, const char *s)
{
    if (!f || !f->fix || end != start + n + 2)
        return refuse(f);
    for (size_t i = 0; i < n; i++)
        if (cur[i] == '"' || cur[i] == '\\' || (unsigned char)cur[i] < 0x20)
            return refuse(f);
    struct strbuf old = STRBUF_INIT, neu = STRBUF_INIT;
    sb_addc(&old, '"');
    sb_add(&old, cur, n);
    sb_addc(&old, '"');
    sb_addc(&neu, '"');
    add_escaped(&neu, s);
    sb_addc(&neu, '"');
    finding_edit_expect(f, start, end, neu.buf, neu.len, old.buf);
    sb_free(&old);
    sb_free(&neu);
    return f->fix ? 0 : -1;
}
