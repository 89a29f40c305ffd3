/* base/source.c - the file registry and position arithmetic. Columns are counted in
 * Unicode code points (a tab is one), bytes and UTF-16 units at once, so every output
 * format and --column-unit can pick without another pass. A BOM is not a column; CRLF
 * ends a line at its LF, so the CR is never inside a reported column. */
#include "base/source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

static struct source **srcs;
static size_t nsrcs, capsrcs;

static const char *const kind_names[SRC_KIND_COUNT] = {
    [SRC_UNKNOWN] = "unknown",
    [SRC_CONFIG] = "config",
    [SRC_RULES] = "rules",
    [SRC_TENANT] = "auth0-tenant",
    [SRC_CLIENT] = "auth0-client",
    [SRC_ACTION] = "auth0-action",
    [SRC_ACTION_CODE] = "auth0-action-code",
    [SRC_TRIGGERS] = "auth0-triggers",
    [SRC_KEYWORDS] = "deploy-cli-config",
    [SRC_USERS] = "auth0-users",
    [SRC_FLEX_SSO] = "flex-sso",
    [SRC_FLEX_CONFIG] = "flex-configuration",
    [SRC_WORKERS] = "taskrouter-workers",
    [SRC_CERT] = "certificate",
    [SRC_OTHER_EXPORT] = "auth0-other",
};

const char *src_kind_name(enum src_kind k)
{
    return (unsigned)k < SRC_KIND_COUNT ? kind_names[k] : "unknown";
}

int source_add(const char *path, const char *rel, enum src_kind kind)
{
    struct source *s = xcalloc(1, sizeof(*s));
    s->path = xstrdup(path);
    s->rel = xstrdup(rel ? rel : path);
    s->kind = kind;
    s->tenant = -1;
    s->reported = 1;
    GROW(srcs, capsrcs, nsrcs + 1);
    srcs[nsrcs] = s;
    return (int)nsrcs++;
}

struct source *source_get(int id)
{
    if (id < 0 || (size_t)id >= nsrcs)
        return NULL;
    return srcs[id];
}

int source_count(void)
{
    return (int)nsrcs;
}

int source_find(const char *path)
{
    for (size_t i = 0; i < nsrcs; i++)
        if (strcmp(srcs[i]->path, path) == 0)
            return (int)i;
    return -1;
}

void source_free_all(void)
{
    for (size_t i = 0; i < nsrcs; i++) {
        free(srcs[i]->path);
        free(srcs[i]->rel);
        free(srcs[i]->text);
        free(srcs[i]->lines);
        free(srcs[i]->masks);
        free(srcs[i]);
    }
    free(srcs);
    srcs = NULL;
    nsrcs = capsrcs = 0;
}

void source_set_text(int id, char *text, size_t len)
{
    struct source *s = source_get(id);
    if (!s) {
        free(text);
        return;
    }
    free(s->text);
    free(s->lines);
    s->lines = NULL;
    s->nlines = 0;
    s->text = text;
    s->len = len;
    s->has_bom = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0;
}

int source_textwin(int id, struct textwin *w)
{
    struct source *s = source_get(id);
    if (!s || !s->text)
        return -1;
    w->text = s->text;
    w->len = s->len;
    w->off = 0;
    w->line = 1;
    w->bom = s->has_bom;
    return 0;
}

/* Columns from line start ls to off within w's text. */
static void columns(const struct textwin *w, size_t ls, size_t off, struct pos *p)
{
    const unsigned char *u = (const unsigned char *)w->text;
    size_t i = ls;
    if (w->bom && w->off == 0 && ls == 0 && off >= 3)
        i = 3;
    uint32_t cp = 0, u16 = 0;
    while (i < off) {
        size_t l = utf8_seq_len(u + i, w->len - i);
        if (!l || i + l > off)
            l = 1; /* an invalid byte (or a split sequence) counts as one column */
        cp++;
        u16 += (l == 4) ? 2 : 1;
        i += l;
    }
    p->col = cp + 1;
    p->col_u16 = u16 + 1;
    p->col_byte = (uint32_t)(off - ls) + 1;
    if (w->bom && w->off == 0 && ls == 0 && off >= 3)
        p->col_byte -= 3;
}

void textwin_pos(const struct textwin *w, uint64_t off, struct pos *p)
{
    size_t rel = off > w->off ? (size_t)(off - w->off) : 0;
    if (rel > w->len)
        rel = w->len;
    uint32_t line = w->line;
    size_t ls = 0;
    const char *t = w->text, *q = t, *end = t + rel;
    while ((q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
        line++;
        q++;
        ls = (size_t)(q - t);
    }
    p->line = line;
    columns(w, ls, rel, p);
}

static void build_lines(struct source *s)
{
    size_t cap = 0;
    GROW(s->lines, cap, 1);
    s->lines[0] = 0;
    s->nlines = 1;
    const char *t = s->text, *q = t, *end = t + s->len;
    while ((q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
        q++;
        GROW(s->lines, cap, s->nlines + 1);
        s->lines[s->nlines++] = (uint64_t)(q - t);
    }
}

void source_pos(int id, uint64_t off, struct pos *p)
{
    struct source *s = source_get(id);
    memset(p, 0, sizeof(*p));
    if (!s || !s->text) {
        p->line = p->col = p->col_byte = p->col_u16 = 1;
        return;
    }
    if (!s->lines)
        build_lines(s);
    if (off > s->len)
        off = s->len;
    size_t lo = 0, hi = s->nlines - 1;
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        if (s->lines[mid] <= off)
            lo = mid;
        else
            hi = mid - 1;
    }
    struct textwin w = {s->text, s->len, 0, 1, s->has_bom};
    p->line = (uint32_t)lo + 1;
    columns(&w, (size_t)s->lines[lo], (size_t)off, p);
}

const char *source_line(int id, uint32_t line, size_t *len)
{
    struct source *s = source_get(id);
    if (!s || !s->text || line == 0)
        return NULL;
    if (!s->lines)
        build_lines(s);
    if (line > s->nlines)
        return NULL;
    size_t st = (size_t)s->lines[line - 1];
    size_t en = line < s->nlines ? (size_t)s->lines[line] - 1 : s->len;
    if (en > st && s->text[en - 1] == '\r')
        en--;
    if (line == 1 && s->has_bom && st == 0)
        st = 3 <= en ? 3 : en;
    *len = en - st;
    return s->text + st;
}

void source_add_mask(int id, uint64_t start, uint64_t end)
{
    struct source *s = source_get(id);
    if (!s || end <= start)
        return;
    GROW(s->masks, s->capmasks, s->nmasks + 1);
    s->masks[s->nmasks].start = start;
    s->masks[s->nmasks].end = end;
    s->nmasks++;
}

int source_masked(int id, uint64_t start, uint64_t end)
{
    struct source *s = source_get(id);
    if (!s)
        return 0;
    if (end <= start)
        end = start + 1;
    for (size_t i = 0; i < s->nmasks; i++)
        if (s->masks[i].start < end && start < s->masks[i].end)
            return 1;
    return 0;
}

int source_error(int id, uint64_t off, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    struct source *s = source_get(id);
    struct pos p;
    source_pos(id, off, &p);
    sb_addf(&sb, "%s:%u:%u: error: ", s ? s->path : "?", p.line, p.col);
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    sb_addc(&sb, '\n');
    fflush(stdout);
    fputs(sb_str(&sb), stderr);
    sb_free(&sb);
    return -1;
}

int source_read(int id, size_t max)
{
    struct source *s = source_get(id);
    size_t len;
    char *text = file_read(s->path, max, &len);
    if (!text && errno == EFBIG)
        return -2;
    if (!text)
        return error("cannot read '%s': %s", s->path, strerror(errno));
    source_set_text(id, text, len);
    return 0;
}
