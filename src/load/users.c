/* load/users.c - users exports as a record stream (design.md "Users are a stream").
 *
 * The text comes from load/users_read.c: read in blocks (inflated when gzip) into one
 * buffer that holds the record in progress, never the file. All positions are file
 * offsets of the inflated text; the buffer keeps a leading BOM so that a window starting
 * at offset 0 can say so (textwin.bom).
 *
 * Each record's extent is found by a light structural scan (strings, escapes, bracket
 * depth) and only that extent goes to json_scan. NDJSON lines take a fast path: the line
 * is handed to json_scan as it is, and only when that fails (several values on a line,
 * a value spanning lines, or a bad line) is the structural scan run. In NDJSON a bad
 * record is reported and skipped up to the next line starting with '{'; inside an array
 * or a {"users": [...]} object the first error ends the file.
 *
 * user_rec.index counts every record of the file, bad ones included, so that in the
 * array forms it is the element's index. */
#include "load/users.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "load/gunzip.h"

#include "load/json.h"
#include "load/users_int.h"
#include "base/colidx.h"
#include "base/path.h"
#include "base/util.h"

#define SNIFF 1024u                        /* bytes looked at to recognise the wrong inputs */
#define PROGRESS_MIN (50ull * 1024 * 1024) /* smaller files get no progress line */
#define MSG_JSON "a users file must be JSON (NDJSON, an array, or {\"users\": [...]})"

static int progress_on;

void users_set_progress(int on)
{
    progress_on = on;
}

/* ---- json_scan's diagnostics ------------------------------------------------------ */

/* json_scan's report: give the diagnostic its window, or hold it back (fast path). */
static void scan_report(void *ctx, const struct ld_diag *d)
{
    struct us *u = ctx;
    struct ld_diag dd = *d;
    struct textwin w;
    if (u->buffering) {
        GROW(u->pend, u->cappend, u->npend + 1);
        struct pend *p = &u->pend[u->npend++];
        p->d = dd;
        p->msg = dd.msg ? xstrdup(dd.msg) : NULL;
        p->key = dd.key ? xstrdup(dd.key) : NULL;
        return;
    }
    if (!dd.win)
        dd.win = us_pick_win(u, dd.off, &w);
    us_emit_diag(u, &dd);
}

static void flush_pending(struct us *u, int forward)
{
    for (size_t i = 0; i < u->npend; i++) {
        struct pend *p = &u->pend[i];
        if (forward) {
            p->d.msg = p->msg;
            p->d.key = p->key;
            scan_report(u, &p->d);
        }
        free(p->msg);
        free(p->key);
    }
    u->npend = 0;
}

/* ---- records ---------------------------------------------------------------------- */

static json_t *parse(struct us *u, uint64_t s, uint64_t e, struct loc *loc)
{
    struct load_opts o = {.base = s, .report = scan_report, .ctx = u, .locs = u->locs};
    json_t *v = json_scan(B(u, s), (size_t)(e - s), &o, loc);
    if (!v)
        locmap_clear(u->locs);
    return v;
}

/* Hand a parsed record to the caller (u->win is its window) and release it. */
static void deliver(struct us *u, json_t *root, const struct loc *loc)
{
    uint64_t index = u->index++;
    if (!json_is_object(root)) {
        us_report_at(u, loc->start, "a user record must be a JSON object");
    } else {
        struct doc d = {.root = root, .root_loc = *loc, .locs = u->locs, .file = u->file};
        struct user_rec r = {&d, &u->win, index};
        u->st->records++;
        if (u->fn && u->fn(u->ctx, &r))
            u->stop = 1;
    }
    json_decref(root);
    locmap_clear(u->locs);
    u->win.text = NULL;
}

/* Parse the scanned value [s, e): deliver it, or report why it is broken.
 * Returns 0 when delivered (or a non-object was skipped), -1 on a parse error. */
static int take(struct us *u, uint64_t s, uint64_t e, enum sv r, uint64_t ls, uint32_t line)
{
    struct loc loc;
    us_set_win(u, ls, line, e);
    u->err_off = e;
    json_t *root = parse(u, s, e, &loc);
    if (root && r == SV_OK) {
        u->cur = e;
        deliver(u, root, &loc);
        return 0;
    }
    if (root) { /* the structural scan saw an error json_scan did not: say something */
        json_decref(root);
        locmap_clear(u->locs);
        us_report_at(u, e, "invalid JSON");
    }
    u->index++;
    u->win.text = NULL;
    return -1;
}

/* NDJSON fast path: the line from s is one record. 1 when delivered, 0 to scan it,
 * -1 when the text stopped (limit, gzip, I/O). */
static int ndjson_line(struct us *u, uint64_t s, uint64_t ls, uint32_t line)
{
    uint64_t e = s, t;
    struct loc loc;
    for (;;) {
        const char *nl = memchr(B(u, e), '\n', (size_t)(END(u) - e));
        if (nl) {
            e = OFF(u, nl);
            break;
        }
        e = END(u);
        if (!us_have(u, e)) {
            if (u->why != W_EOF)
                return -1;
            break;
        }
    }
    if (e - ls > LOAD_MAX_LINE) { /* it fit in the buffer: us_have() did not see it */
        u->why = W_LINE;
        return -1;
    }
    for (t = e; t > s && us_is_ws(AT(u, t - 1));)
        t--;
    if (AT(u, t - 1) != '}')
        return 0;
    us_set_win(u, ls, line, e);
    u->buffering = 1;
    json_t *root = parse(u, s, t, &loc);
    u->buffering = 0;
    flush_pending(u, root != NULL);
    if (!root)
        return 0;
    u->cur = t;
    deliver(u, root, &loc);
    return 1;
}

/* One top-level value of NDJSON (or of a stream of values). Returns non-zero when the
 * text stopped (gzip or read error) and the file ends here. */
static int ndjson_value(struct us *u)
{
    uint64_t s = u->cur, ls = u->ls, e;
    uint32_t line = u->line;
    int r = 0;
    u->keep = ls;
    if (AT(u, s) == '{' && u->vend <= ls)
        r = ndjson_line(u, s, ls, line);
    if (r == 0) {
        enum sv v = us_scan_value(u, s, 1, &e);
        if (v == SV_STOP)
            r = -1;
        else if (take(u, s, e, v, ls, line) == 0)
            r = 1;
    }
    if (r > 0) {
        u->vend = u->cur;
        return u->stop;
    }
    if (r < 0)
        return !us_over_limit(u, 1);
    us_seek(u, u->err_off);
    us_resync_lines(u);
    return 0;
}

/* One element of an array at cur. Returns non-zero when the file ends here. */
static int array_element(struct us *u)
{
    uint64_t s = u->cur, ls = u->ls, e;
    uint32_t line = u->line;
    u->keep = ls;
    enum sv r = us_scan_value(u, s, 0, &e);
    if (r == SV_STOP)
        return us_over_limit(u, 0), 1;
    return take(u, s, e, r, ls, line) || u->stop;
}

/* A JSON array of users at cur. Returns non-zero when the file ends here. */
static int users_array(struct us *u)
{
    int want = 2; /* 2: a value or ']', 1: a value, 0: ',' or ']' */
    u->cur++;
    for (;;) {
        us_skip_ws(u, 1);
        if (!us_have(u, u->cur))
            return us_fail_end(u, want ? "unexpected end of input, expected a value or ']'"
                                       : "unexpected end of input, expected ',' or ']'");
        unsigned char c = AT(u, u->cur);
        if (want == 0 && c == ',') {
            u->cur++;
            want = 1;
            continue;
        }
        if (c == ']') {
            if (want == 1)
                return us_report_at(u, u->cur, "trailing comma in an array"), 1;
            u->cur++;
            return 0;
        }
        if (want == 0)
            return us_report_at(u, u->cur, "expected ',' or ']' after an array element"), 1;
        if (array_element(u))
            return 1;
        want = 0;
    }
}

/* Check a wrapper member's key or value [s, e) with json_scan and drop it. */
static int check_value(struct us *u, uint64_t s, uint64_t e, enum sv r, uint64_t ls, uint32_t line)
{
    struct loc loc;
    if (r == SV_STOP)
        return us_over_limit(u, 0), 1;
    us_set_win(u, ls, line, e);
    json_t *v = parse(u, s, e, &loc);
    json_decref(v);
    locmap_clear(u->locs);
    if (v && r == SV_BAD)
        us_report_at(u, e, "invalid JSON");
    u->win.text = NULL;
    if (!v || r == SV_BAD)
        return 1;
    u->cur = e;
    return 0;
}

/* The member of a wrapper object at cur ('"'): the key, ':', the value; the "users"
 * array streams. Returns non-zero when the file ends here. */
static int wrapper_member(struct us *u)
{
    uint64_t s = u->cur, ls = u->ls, e;
    uint32_t line = u->line;
    enum sv r = us_scan_value(u, s, 0, &e);
    int users = r == SV_OK && e - s == 7 && memcmp(B(u, s), "\"users\"", 7) == 0;
    if (check_value(u, s, e, r, ls, line))
        return 1;
    us_skip_ws(u, 1);
    if (!us_have(u, u->cur))
        return us_fail_end(u, "unexpected end of input, expected ':'");
    if (AT(u, u->cur) != ':')
        return us_report_at(u, u->cur, "expected ':' after an object key"), 1;
    u->cur++;
    us_skip_ws(u, 1);
    if (!us_have(u, u->cur))
        return us_fail_end(u, "unexpected end of input, expected a value");
    if (users && AT(u, u->cur) == '[')
        return users_array(u);
    s = u->cur;
    ls = u->ls;
    line = u->line;
    r = us_scan_value(u, s, 0, &e);
    return check_value(u, s, e, r, ls, line);
}

/* {"users": [...], ...} at cur. Returns non-zero when the file ends here. */
static int users_object(struct us *u)
{
    int want = 2; /* 2: a key or '}', 1: a key, 0: ',' or '}' */
    u->cur++;
    for (;;) {
        us_skip_ws(u, 1);
        if (!us_have(u, u->cur))
            return us_fail_end(u, want ? "unexpected end of input, expected a string key or '}'"
                                       : "unexpected end of input, expected ',' or '}'");
        unsigned char c = AT(u, u->cur);
        if (want == 0 && c == ',') {
            u->cur++;
            want = 1;
            continue;
        }
        if (c == '}') {
            if (want == 1)
                return us_report_at(u, u->cur, "trailing comma in an object"), 1;
            u->cur++;
            return 0;
        }
        if (want == 0)
            return us_report_at(u, u->cur, "expected ',' or '}' after an object member"), 1;
        if (c != '"')
            return us_report_at(u, u->cur,
                                want == 1 ? "expected a string key after ','"
                                          : "expected a string key or '}'"),
                   1;
        if (wrapper_member(u) || u->stop)
            return 1;
        want = 0;
    }
}

/* Does the object at cur hold a "users" array? Looks ahead without moving. */
static int is_wrapper(struct us *u)
{
    uint64_t s = u->cur, ls = u->ls, keep = u->keep, e;
    uint32_t line = u->line;
    int found = 0, users;

    u->cur = s + 1;
    for (;;) {
        us_skip_ws(u, 0);
        if (!us_have(u, u->cur) || AT(u, u->cur) != '"' || us_scan_value(u, u->cur, 1, &e) != SV_OK)
            break;
        users = e - u->cur == 7 && memcmp(B(u, u->cur), "\"users\"", 7) == 0;
        u->cur = e;
        us_skip_ws(u, 0);
        if (!us_have(u, u->cur) || AT(u, u->cur) != ':')
            break;
        u->cur++;
        us_skip_ws(u, 0);
        if (!us_have(u, u->cur))
            break;
        if (users && AT(u, u->cur) == '[') {
            found = 1;
            break;
        }
        if (us_scan_value(u, u->cur, 1, &e) != SV_OK)
            break;
        u->cur = e;
        us_skip_ws(u, 0);
        if (!us_have(u, u->cur) || AT(u, u->cur) != ',')
            break;
        u->cur++;
    }
    u->cur = s;
    u->ls = ls;
    u->line = line;
    u->keep = keep;
    if (u->why == W_LINE || u->why == W_RECORD)
        u->why = W_NONE; /* met again, and reported, by the real pass */
    return found;
}

static void run(struct us *u)
{
    while (!u->stop) {
        us_skip_ws(u, 1);
        if (!us_have(u, u->cur)) {
            if (us_over_limit(u, 1))
                continue;
            break;
        }
        unsigned char c = AT(u, u->cur);
        if (c == '[' && u->fmt != F_NDJSON) {
            if (!u->fmt)
                u->fmt = F_ARRAY;
            if (users_array(u))
                break;
            continue;
        }
        if (c == '{' && u->fmt != F_NDJSON && is_wrapper(u)) {
            if (!u->fmt)
                u->fmt = F_OBJECT;
            if (users_object(u))
                break;
            continue;
        }
        if (!u->fmt)
            u->fmt = F_NDJSON;
        if (ndjson_value(u))
            break;
    }
}

/* ---- wrong inputs ----------------------------------------------------------------- */

static int is_utf16(const unsigned char *b, size_t n)
{
    if (n >= 2 && ((b[0] == 0xff && b[1] == 0xfe) || (b[0] == 0xfe && b[1] == 0xff)))
        return 1;
    size_t pairs = (n < 64 ? n : 64) / 2, le = 0, be = 0;
    for (size_t i = 0; i < pairs; i++) {
        le += b[2 * i] != 0 && b[2 * i + 1] == 0;
        be += b[2 * i] == 0 && b[2 * i + 1] != 0;
    }
    return pairs > 0 && (le == pairs || be == pairs);
}

/* The first line that is not blank or a comment starts like YAML: `key:`, `- `, `---`. */
static int looks_yaml(const char *p, const char *e)
{
    while (p < e) {
        const char *nl = memchr(p, '\n', (size_t)(e - p)), *le = nl ? nl : e;
        while (p < le && (*p == ' ' || *p == '\t'))
            p++;
        if (p < le && *p != '#' && *p != '\r') {
            size_t n = (size_t)(le - p);
            if ((n >= 3 && memcmp(p, "---", 3) == 0) ||
                (*p == '-' && (n == 1 || us_is_ws((unsigned char)p[1]))))
                return 1;
            const char *k = p;
            if (*k == '"' || *k == '\'') {
                const char *q = memchr(k + 1, *k, (size_t)(le - k - 1));
                k = q ? q + 1 : le;
            } else {
                while (k < le && !strchr(":#{}[],\"'", *k))
                    k++;
            }
            return k > p && k < le && *k == ':' && (k + 1 == le || us_is_ws((unsigned char)k[1]));
        }
        p = nl ? nl + 1 : e;
    }
    return 0;
}

static int looks_csv(const char *p, const char *e)
{
    const char *nl = memchr(p, '\n', (size_t)(e - p));
    size_t n = (size_t)((nl ? nl : e) - p);
    return memchr(p, ',', n) && (memchr(p, '"', n) || !memchr(p, ':', n));
}

/* Recognise what is not a users file. 0: parse on; 1: nothing to parse (reported, or
 * an empty export). */
static int sniff(struct us *u)
{
    size_t bad;
    us_have(u, SNIFF - 1);
    const unsigned char *b = (const unsigned char *)u->buf;
    size_t n = u->len, m = n < SNIFF ? n : SNIFF;
    const char *why = NULL;

    if (n == 0)
        return 1;
    while (m < n && (b[m] & 0xc0) == 0x80) /* end the sample on a character boundary */
        m++;
    if (is_utf16(b, n)) {
        why = "this file is UTF-16; save it as UTF-8";
    } else {
        u->has_bom = n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0;
        u->cur = u->has_bom ? 3 : 0;
        /* NUL bytes, or bytes that are not UTF-8 before any JSON starts, are binary data;
         * a stray Latin-1 byte inside a JSON export is left to the record it is in (a
         * parse-error there), so the other records are still checked */
        size_t lead = u->cur;
        while (lead < m && (b[lead] == ' ' || b[lead] == '\t' || b[lead] == '\r' || b[lead] == '\n'))
            lead++;
        int json_start = lead < m && (b[lead] == '{' || b[lead] == '[');
        if (memchr(b, 0, m) ||
            (!json_start && !utf8_valid((const char *)b + u->cur, m - u->cur, &bad)))
            why = "this is not a text file";
    }
    if (!why) {
        us_skip_ws(u, 1);
        if (!us_have(u, u->cur))
            return 1;
        unsigned char c = AT(u, u->cur);
        const char *p = B(u, u->cur), *e = p + (END(u) - u->cur < SNIFF ? END(u) - u->cur : SNIFF);
        if (c == '{' || c == '[')
            return 0;
        if (p < e && looks_yaml(p, e))
            why = "this looks like YAML; " MSG_JSON;
        else if (p < e && looks_csv(p, e))
            why = "this is a CSV export; export the users with format json (NDJSON)";
        else if (strchr("\"-0123456789tfn", c))
            return 0;
        else
            return us_report_at(u, u->cur, "this is not JSON; " MSG_JSON), 1;
    }
    us_report_at(u, u->base, why); /* offset 0 unless there was a lot of leading space */
    return 1;
}

/* ---- the stream ------------------------------------------------------------------- */

static const char *fmt_name(enum fmt f)
{
    return f == F_ARRAY ? "array" : f == F_OBJECT ? "users-object" : "ndjson";
}

int users_stream(int file, user_fn fn, void *ctx, ld_report_fn report, void *rctx,
                 struct users_stats *st)
{
    struct us u = {.file = file,
                   .fd = -1,
                   .st = st,
                   .line = 1,
                   .fn = fn,
                   .ctx = ctx,
                   .report = report,
                   .rctx = rctx};
    int ret = -1;

    memset(st, 0, sizeof(*st));
    st->format = "ndjson";
    u.src = source_get(file);
    if (!u.src)
        return error("no source with id %d", file);
    enum path_verdict v = PATH_OK;
    u.fd = u.src->blocked ? -1 : source_overlay_fd(u.src->path, path_open(u.src->path, &v));
    if (u.fd < 0 && (u.src->blocked || v != PATH_MISSING)) {
        u.src->blocked = u.src->blocked ? u.src->blocked : (int)v; /* findings_blocked */
        return 0;
    }
    if (u.fd < 0)
        return error("cannot open '%s': %s", u.src->path, strerror(errno));
    struct stat sb;
    if (progress_on && fstat(u.fd, &sb) == 0 && (uint64_t)sb.st_size > PROGRESS_MIN)
        u.progress_size = (uint64_t)sb.st_size;
    u.progress_pct = ~0u;
    if (us_open_input(&u) < 0)
        goto out;
    u.src->gzip = st->gzip = u.gz;
    u.locs = locmap_new();
    u.cols = colidx_new();
    if (!sniff(&u))
        run(&u);
    us_inflater_stop(&u);
    if (u.why == W_IO)
        goto out;
    if (u.gzmsg && !u.stop) {
        u.win.text = NULL;
        us_report_at(&u, END(&u), u.gzmsg);
    }
    u.src->has_bom = u.has_bom;
    ret = 0;
out:
    st->bytes_text = END(&u);
    st->format = fmt_name(u.fmt);
    flush_pending(&u, 0);
    free(u.pend);
    locmap_free(u.locs);
    colidx_free(u.cols);
    us_inflater_stop(&u);
    gunzip_free(u.dec);
    us_close_buffers(&u);
    close(u.fd);
    if (u.progress_size)
        fputs("\r\033[K", stderr); /* erase the progress line */
    return ret;
}
