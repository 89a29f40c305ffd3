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

#include "base/colidx.h"
#include "base/path.h"
#include "base/util.h"

static struct source **srcs;
static size_t nsrcs, capsrcs;
/* path -> id + 1 (0 = free), open addressing, at most half full: source_find is called
 * for every file a walk finds, so a scan made 100,000 files under users/ quadratic */
static uint32_t *by_path;
static size_t nby_path;

static size_t path_hash(const char *p)
{
    size_t h = 14695981039346656037ull; /* FNV-1a */
    for (; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return h;
}

static void by_path_put(size_t id)
{
    size_t mask = nby_path - 1, i = path_hash(srcs[id]->path) & mask;
    while (by_path[i])
        i = (i + 1) & mask;
    by_path[i] = (uint32_t)(id + 1);
}

static void by_path_add(size_t id)
{
    if ((id + 1) * 2 > nby_path) {
        free(by_path);
        nby_path = nby_path ? nby_path * 2 : 64;
        by_path = xcalloc(nby_path, sizeof(*by_path));
        for (size_t i = 0; i < id; i++)
            by_path_put(i);
    }
    by_path_put(id);
}

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
    by_path_add(nsrcs);
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
    if (!nby_path)
        return -1;
    size_t mask = nby_path - 1;
    for (size_t i = path_hash(path) & mask; by_path[i]; i = (i + 1) & mask)
        if (strcmp(srcs[by_path[i] - 1]->path, path) == 0)
            return (int)by_path[i] - 1;
    return -1;
}

void source_free_all(void)
{
    for (size_t i = 0; i < nsrcs; i++) {
        free(srcs[i]->path);
        free(srcs[i]->rel);
        free(srcs[i]->text);
        free(srcs[i]->lines);
        colidx_free(srcs[i]->cols);
        free(srcs[i]->masks);
        free(srcs[i]);
    }
    free(srcs);
    srcs = NULL;
    nsrcs = capsrcs = 0;
    free(by_path);
    by_path = NULL;
    nby_path = 0;
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
    colidx_free(s->cols);
    s->cols = NULL;
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

void textwin_pos(const struct textwin *w, uint64_t off, struct pos *p)
{
    size_t rel = off > w->off ? (size_t)(off - w->off) : 0;
    if (rel > w->len)
        rel = w->len;
    if (colidx_pos(w->idx, w, rel, p))
        return;
    uint32_t line = w->line;
    size_t ls = 0;
    const char *t = w->text, *q = t, *end = t + rel;
    while ((q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
        line++;
        q++;
        ls = (size_t)(q - t);
    }
    p->line = line;
    colidx_columns(w, ls, ls, 0, 0, rel, p);
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
    /* a small text is scanned from its start; a long one gets a column index */
    if (s->len > COLIDX_MIN && !s->cols)
        s->cols = colidx_new();
    struct textwin w = {s->text, s->len, 0, 1, s->has_bom, s->cols};
    textwin_pos(&w, off, p);
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

/* The overlay: texts that stand in for files (--diff lints the fixed tree without
 * writing it). Few entries: a list. */
struct overlay {
    char *path;
    char *bytes;
    size_t len;
};
static struct overlay *overlays;
static size_t noverlays, capoverlays;

void source_overlay_set(const char *path, char *bytes, size_t len)
{
    GROW(overlays, capoverlays, noverlays + 1);
    overlays[noverlays++] = (struct overlay){xstrdup(path), bytes, len};
}

static const struct overlay *overlay_find(const char *path)
{
    for (size_t i = noverlays; i-- > 0;)
        if (!strcmp(overlays[i].path, path))
            return &overlays[i];
    return NULL;
}

void source_overlay_free(void)
{
    for (size_t i = 0; i < noverlays; i++) {
        free(overlays[i].path);
        free(overlays[i].bytes);
    }
    free(overlays);
    overlays = NULL;
    noverlays = capoverlays = 0;
}

int source_overlay_fd(const char *path, int fd)
{
    const struct overlay *o = fd >= 0 ? overlay_find(path) : NULL;
    if (!o)
        return fd;
    close(fd);
    fd = -1;
    FILE *f = tmpfile();
    if (f && fwrite(o->bytes, 1, o->len, f) == o->len && fflush(f) == 0)
        fd = dup(fileno(f));
    if (f)
        fclose(f);
    if (fd >= 0)
        lseek(fd, 0, SEEK_SET);
    return fd;
}

int source_read(int id, size_t max)
{
    struct source *s = source_get(id);
    size_t len;
    const struct overlay *o = s->blocked ? NULL : overlay_find(s->path);
    if (o && o->len <= max) {
        source_set_text(id, xstrndup(o->bytes, o->len), o->len);
        return 0;
    }
    enum path_verdict v = PATH_OK;
    char *text = s->blocked ? NULL : path_read(s->path, max, &len, &v);
    if (s->blocked || v == PATH_OUTSIDE || v == PATH_SPECIAL) {
        s->blocked = s->blocked ? s->blocked : (int)v;
        return -3;
    }
    if (!text && errno == EFBIG)
        return -2;
    if (!text)
        return error("cannot read '%s': %s", s->path, strerror(errno));
    source_set_text(id, text, len);
    return 0;
}
