/* load_users.c - users exports as a record stream (design.md "Users are a stream").
 *
 * The file is read in blocks (inflated by zlib when it starts with the gzip magic) into
 * one buffer that holds the text from the first line of the record in progress to the
 * end of the last block: memory is the largest record plus a block, never the file.
 * All positions are file offsets of the inflated text; the buffer keeps a leading BOM
 * so that a window starting at offset 0 can say so (textwin.bom).
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
#include "load_users.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
#include <zlib.h>

#include "load_json.h"
#include "util.h"

#define READ_BLOCK (256u * 1024u) /* one read() or one inflate target */
#define READ_MIN (64u * 1024u)    /* grow the buffer when less room than this is left */
#define SNIFF 1024u               /* bytes looked at to recognise the wrong inputs */
#define WIN_TAIL 256u             /* how far a record window looks for its line's end */

#define MSG_JSON "a users file must be JSON (NDJSON, an array, or {\"users\": [...]})"

enum why { W_NONE, W_EOF, W_GZIP, W_IO, W_LINE, W_RECORD }; /* why text ran out */
enum fmt { F_NONE, F_NDJSON, F_ARRAY, F_OBJECT };
enum sv { SV_OK, SV_BAD, SV_STOP }; /* structural scan: a value, a broken one, no text */

struct pend { /* a json_scan diagnostic held back while the NDJSON fast path runs */
    struct ld_diag d;
    char *msg, *key;
};

struct us {
    struct source *src;
    int file, fd;
    struct users_stats *st;
    /* input */
    z_stream z;
    int gz, zinit, zend, src_eof;
    unsigned char *zin;
    const char *gzmsg;
    enum why why;
    /* text buffer: file offsets [base, base + len) */
    char *buf;
    size_t cap, len;
    uint64_t base;
    /* scan position: cur is on line `line`, which starts at ls; text before keep may go */
    uint64_t cur, ls, keep;
    uint32_t line;
    int has_bom, stop;
    enum fmt fmt;
    /* records */
    uint64_t index, err_off;
    uint64_t vend; /* end of the last top-level value: the fast path is for a line's first */
    struct locmap *locs;
    struct textwin win; /* the record's window; win.text NULL when none */
    struct pend *pend;
    size_t npend, cappend;
    int buffering;
    user_fn fn;
    void *ctx;
    ld_report_fn report;
    void *rctx;
};

#define B(u, o) ((u)->buf + ((o) - (u)->base))
#define AT(u, o) ((unsigned char)*B(u, o))
#define END(u) ((u)->base + (u)->len)
#define OFF(u, p) ((u)->base + (uint64_t)((const char *)(p) - (u)->buf))

static int is_ws(unsigned c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ---- reading ---------------------------------------------------------------------- */

static ssize_t read_raw(struct us *u, void *dst, size_t n)
{
    ssize_t r;
    do
        r = read(u->fd, dst, n);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
        error("cannot read '%s': %s", u->src->path, strerror(errno));
        u->why = W_IO;
        return -1;
    }
    u->st->bytes_in += (uint64_t)r;
    return r;
}

/* Inflate into dst[0, n). Concatenated members are one text; the end of the input
 * inside a member is a truncation. Returns the bytes produced, -1 on a read error. */
static ssize_t inflate_some(struct us *u, char *dst, size_t n)
{
    z_stream *z = &u->z;
    if (u->gzmsg)
        return 0;
    z->next_out = (Bytef *)dst;
    z->avail_out = (uInt)n;
    while (z->avail_out > 0) {
        if (z->avail_in == 0 && !u->src_eof) {
            ssize_t r = read_raw(u, u->zin, READ_BLOCK);
            if (r < 0)
                return -1;
            u->src_eof = r == 0;
            z->next_in = u->zin;
            z->avail_in = (uInt)r;
        }
        if (z->avail_in == 0) {
            if (!u->zend)
                u->gzmsg = "truncated gzip data";
            break;
        }
        if (u->zend) {
            inflateReset(z);
            u->zend = 0;
        }
        int ret = inflate(z, Z_NO_FLUSH);
        if (ret == Z_STREAM_END)
            u->zend = 1;
        else if (ret == Z_MEM_ERROR)
            die("out of memory");
        else if (ret != Z_OK) {
            u->gzmsg = "invalid gzip data";
            break;
        }
    }
    return (ssize_t)(n - z->avail_out);
}

/* Drop the text before keep and append at most max bytes. 0 when no text came
 * (u->why says). */
static int fill(struct us *u, size_t max)
{
    if (u->why == W_EOF || u->why == W_GZIP || u->why == W_IO)
        return 0;
    size_t drop = (size_t)(u->keep - u->base);
    if (drop) {
        memmove(u->buf, u->buf + drop, u->len - drop);
        u->len -= drop;
        u->base += drop;
    }
    if (u->cap - u->len < READ_MIN) {
        size_t cap = u->cap * 2 > u->len + READ_BLOCK ? u->cap * 2 : u->len + READ_BLOCK;
        u->buf = xrealloc(u->buf, cap);
        u->cap = cap;
    }
    u->win.text = NULL; /* the buffer may have moved */
    size_t room = u->cap - u->len < max ? u->cap - u->len : max;
    ssize_t r = u->gz ? inflate_some(u, u->buf + u->len, room) : read_raw(u, u->buf + u->len, room);
    if (r < 0)
        return 0;
    if (r == 0) {
        u->why = u->gzmsg ? W_GZIP : W_EOF;
        return 0;
    }
    u->len += (size_t)r;
    return 1;
}

/* Make the byte at o available. 0 at the end of the text or over a limit (u->why).
 * The buffer never reaches past the limits, so a scan meets them here. */
static inline int have(struct us *u, uint64_t o)
{
    while (o >= END(u)) {
        uint64_t lim = u->ls + LOAD_MAX_LINE + 1, rlim = u->keep + LOAD_MAX_DOC + 1;
        if (u->why)
            return 0;
        if (o >= lim) {
            u->why = W_LINE;
            return 0;
        }
        if (o >= rlim) {
            u->why = W_RECORD;
            return 0;
        }
        if (!fill(u, (size_t)((lim < rlim ? lim : rlim) - END(u))))
            return 0;
    }
    return 1;
}

/* Read the first bytes, recognise gzip by its magic and set up zlib. */
static int open_input(struct us *u)
{
    size_t n = 0;
    u->zin = xmalloc(READ_BLOCK);
    while (n < 2) {
        ssize_t r = read_raw(u, u->zin + n, READ_BLOCK - n);
        if (r < 0)
            return -1;
        if (r == 0) {
            u->src_eof = 1;
            break;
        }
        n += (size_t)r;
    }
    u->cap = READ_BLOCK;
    u->buf = xmalloc(u->cap);
    u->gz = n >= 2 && u->zin[0] == 0x1f && u->zin[1] == 0x8b;
    if (!u->gz) {
        memcpy(u->buf, u->zin, n);
        u->len = n;
        if (u->src_eof)
            u->why = W_EOF;
        return 0;
    }
    if (inflateInit2(&u->z, 16 + MAX_WBITS) != Z_OK)
        die("out of memory");
    u->zinit = 1;
    u->z.next_in = u->zin;
    u->z.avail_in = (uInt)n;
    return 0;
}

/* ---- lines and windows ------------------------------------------------------------ */

static uint32_t count_nl(const char *p, const char *e, const char **last)
{
    uint32_t n = 0;
    const char *q;
    while (p < e && (q = memchr(p, '\n', (size_t)(e - p))) != NULL) {
        n++;
        *last = q;
        p = q + 1;
    }
    return n;
}

/* Start and number of the line holding off (which is in the buffer), from the tracked
 * line start ls. The buffer always starts at a line start. */
static void locate(const struct us *u, uint64_t off, uint64_t *lsp, uint32_t *linep)
{
    uint64_t ls = u->ls < u->base ? u->base : u->ls;
    uint32_t line = u->line;
    const char *last = NULL;
    if (off >= ls) {
        line += count_nl(B(u, ls), B(u, off), &last);
        if (last)
            ls = OFF(u, last) + 1;
    } else {
        const char *q = B(u, off);
        while (q > u->buf && q[-1] != '\n')
            q--;
        line -= count_nl(q, B(u, ls), &last);
        ls = OFF(u, q);
    }
    *lsp = ls;
    *linep = line;
}

static void seek(struct us *u, uint64_t off)
{
    locate(u, off, &u->ls, &u->line);
    u->cur = off;
}

/* The window of the line holding off. */
static void line_win(const struct us *u, uint64_t off, struct textwin *w)
{
    uint64_t ls;
    uint32_t line;
    locate(u, off, &ls, &line);
    const char *nl = memchr(B(u, off), '\n', (size_t)(END(u) - off));
    uint64_t e = nl ? OFF(u, nl) : END(u);
    *w = (struct textwin){B(u, ls), (size_t)(e - ls), ls, line, u->has_bom && ls == 0};
}

/* The record window: from its first line's start past its end, to the line's end when
 * that is near. */
static void set_win(struct us *u, uint64_t ls, uint32_t line, uint64_t end)
{
    size_t rest = (size_t)(END(u) - end);
    const char *nl = memchr(B(u, end), '\n', rest < WIN_TAIL ? rest : WIN_TAIL);
    if (nl)
        end = OFF(u, nl);
    else if (rest <= WIN_TAIL)
        end = END(u);
    u->win = (struct textwin){B(u, ls), (size_t)(end - ls), ls, line, u->has_bom && ls == 0};
}

/* ---- diagnostics ------------------------------------------------------------------ */

static void emit_diag(struct us *u, const struct ld_diag *d)
{
    if (d->kind == LD_PARSE_ERROR)
        u->err_off = d->off;
    if (u->report)
        u->report(u->rctx, d);
}

static const struct textwin *pick_win(const struct us *u, uint64_t off, struct textwin *tmp)
{
    if (u->win.text && off >= u->win.off && off <= u->win.off + u->win.len)
        return &u->win;
    line_win(u, off, tmp);
    return tmp;
}

static void report_at(struct us *u, uint64_t off, const char *msg)
{
    struct textwin w;
    struct ld_diag d = {
        .kind = LD_PARSE_ERROR, .off = off, .end = off + (off < END(u)), .off2 = off, .msg = msg};
    d.win = pick_win(u, off, &w);
    emit_diag(u, &d);
}

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
        dd.win = pick_win(u, dd.off, &w);
    emit_diag(u, &dd);
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

static void resync_lines(struct us *u);

/* A line or record over the limits: report it. When go_on, skip to the next line that
 * starts a record (NDJSON); else the file ends here. Returns 1 when the stream goes on. */
static int over_limit(struct us *u, int go_on)
{
    if (u->why != W_LINE && u->why != W_RECORD)
        return 0;
    u->win.text = NULL;
    if (u->why == W_LINE)
        report_at(u, u->ls, "line longer than 16 MB");
    else
        report_at(u, u->keep, "user record larger than 512 MB");
    u->why = W_NONE;
    if (!go_on)
        return 0;
    u->cur = u->ls;
    resync_lines(u);
    return 1;
}

/* The text ended where more was needed: a parse error at its end, or the limit's. */
static int fail_end(struct us *u, const char *msg)
{
    if (u->why == W_EOF)
        report_at(u, END(u), msg);
    else
        over_limit(u, 0);
    return 1;
}

/* ---- structural scan -------------------------------------------------------------- */

static const unsigned char out_special[256] = {
    ['"'] = 1, ['{'] = 1, ['}'] = 1, ['['] = 1, [']'] = 1, ['\n'] = 1};
static const unsigned char str_special[256] = {['"'] = 1, ['\\'] = 1, ['\n'] = 1};
static const unsigned char delim[256] = {
    [' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1, [','] = 1, [':'] = 1,
    ['['] = 1, [']'] = 1,  ['{'] = 1,  ['}'] = 1,  ['"'] = 1};

static void skip_ws(struct us *u, int follow)
{
    for (;;) {
        if (follow)
            u->keep = u->ls;
        if (!have(u, u->cur))
            return;
        const char *p = B(u, u->cur), *q = u->buf + u->len;
        for (; p < q && is_ws((unsigned char)*p); p++) {
            if (*p == '\n') {
                u->line++;
                u->ls = OFF(u, p) + 1;
            }
        }
        u->cur = OFF(u, p);
        if (p < q) {
            if (follow)
                u->keep = u->ls;
            return;
        }
    }
}

static enum sv scan_scalar(struct us *u, uint64_t s, uint64_t *endp)
{
    uint64_t o = s;
    while (have(u, o) && !delim[AT(u, o)])
        o++;
    if (o == END(u) && u->why != W_EOF)
        return SV_STOP;
    *endp = o == s ? s + 1 : o;
    return o == s ? SV_BAD : SV_OK;
}

/* Find the end of the value starting at s (in the buffer). SV_BAD: the value is broken
 * and json_scan on [s, *endp) reports why. With `cut` (NDJSON), a value still open at
 * the end of a line stops there when the next line starts with {" (a new record). */
static enum sv scan_value(struct us *u, uint64_t s, int cut, uint64_t *endp)
{
    uint8_t stk[LOAD_MAX_DEPTH / 8 + 1]; /* bit set: that level is an array */
    unsigned depth = 0;
    int instr = 0, esc = 0;
    uint64_t o = s;
    const char *p;
    unsigned char c0 = AT(u, s);

    if (c0 != '{' && c0 != '[' && c0 != '"')
        return scan_scalar(u, s, endp);
    for (;;) {
        if (!have(u, o)) {
            *endp = o;
            return u->why == W_EOF ? SV_BAD : SV_STOP;
        }
        const char *q = u->buf + u->len;
        for (p = B(u, o); p < q; p++) {
            if (esc) {
                if (*p == '\n')
                    goto bad_string;
                esc = 0;
                continue;
            }
            if (instr) {
                while (p < q && !str_special[(unsigned char)*p])
                    p++;
                if (p == q)
                    break;
                if (*p == '\n')
                    goto bad_string;
                if (*p == '\\') {
                    esc = 1;
                    continue;
                }
                instr = 0;
                if (depth == 0)
                    goto done;
                continue;
            }
            while (p < q && !out_special[(unsigned char)*p])
                p++;
            if (p == q)
                break;
            if (*p == '"') {
                instr = 1;
            } else if (*p == '{' || *p == '[') {
                if (depth == LOAD_MAX_DEPTH)
                    goto bad;
                if (*p == '[')
                    stk[depth / 8] |= (uint8_t)(1u << (depth % 8));
                else
                    stk[depth / 8] &= (uint8_t) ~(1u << (depth % 8));
                depth++;
            } else if (*p == '}' || *p == ']') {
                int is_arr = depth && (stk[(depth - 1) / 8] >> ((depth - 1) % 8) & 1);
                if (depth == 0 || is_arr != (*p == ']'))
                    goto bad;
                if (--depth == 0)
                    goto done;
            } else { /* a newline between tokens */
                o = OFF(u, p) + 1;
                if (o - 1 - u->ls > LOAD_MAX_LINE) {
                    u->why = W_LINE;
                    return SV_STOP;
                }
                u->line++;
                u->ls = o;
                if (cut) { /* have() may move the buffer: go on from o */
                    if (have(u, o + 1) && AT(u, o) == '{' && AT(u, o + 1) == '"') {
                        *endp = o - 1;
                        return SV_BAD;
                    }
                    goto moved;
                }
            }
        }
        o = OFF(u, p);
    moved:;
    }
done:
    *endp = OFF(u, p) + 1;
    return SV_OK;
bad:
    *endp = OFF(u, p) + 1;
    return SV_BAD;
bad_string: /* a raw newline: json_scan sees the string end there */
    *endp = OFF(u, p);
    return SV_BAD;
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
        report_at(u, loc->start, "a user record must be a JSON object");
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
    set_win(u, ls, line, e);
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
        report_at(u, e, "invalid JSON");
    }
    u->index++;
    u->win.text = NULL;
    return -1;
}

static void skip_line(struct us *u)
{
    for (;;) {
        const char *nl = memchr(B(u, u->cur), '\n', (size_t)(END(u) - u->cur));
        if (nl) {
            u->cur = u->ls = u->keep = OFF(u, nl) + 1;
            u->line++;
            return;
        }
        u->cur = u->keep = END(u); /* a long line is dropped as it is read */
        if (!fill(u, SIZE_MAX))
            return;
    }
}

/* From cur's line: skip to the next line that starts with '{'. */
static void resync_lines(struct us *u)
{
    do
        skip_line(u);
    while (have(u, u->cur) && AT(u, u->cur) != '{');
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
        if (!have(u, e)) {
            if (u->why != W_EOF)
                return -1;
            break;
        }
    }
    if (e - ls > LOAD_MAX_LINE) { /* it fit in the buffer: have() did not see it */
        u->why = W_LINE;
        return -1;
    }
    for (t = e; t > s && is_ws(AT(u, t - 1));)
        t--;
    if (AT(u, t - 1) != '}')
        return 0;
    set_win(u, ls, line, e);
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
        enum sv v = scan_value(u, s, 1, &e);
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
        return !over_limit(u, 1);
    seek(u, u->err_off);
    resync_lines(u);
    return 0;
}

/* One element of an array at cur. Returns non-zero when the file ends here. */
static int array_element(struct us *u)
{
    uint64_t s = u->cur, ls = u->ls, e;
    uint32_t line = u->line;
    u->keep = ls;
    enum sv r = scan_value(u, s, 0, &e);
    if (r == SV_STOP)
        return over_limit(u, 0), 1;
    return take(u, s, e, r, ls, line) || u->stop;
}

/* A JSON array of users at cur. Returns non-zero when the file ends here. */
static int users_array(struct us *u)
{
    int want = 2; /* 2: a value or ']', 1: a value, 0: ',' or ']' */
    u->cur++;
    for (;;) {
        skip_ws(u, 1);
        if (!have(u, u->cur))
            return fail_end(u, want ? "unexpected end of input, expected a value or ']'"
                                    : "unexpected end of input, expected ',' or ']'");
        unsigned char c = AT(u, u->cur);
        if (want == 0 && c == ',') {
            u->cur++;
            want = 1;
            continue;
        }
        if (c == ']') {
            if (want == 1)
                return report_at(u, u->cur, "trailing comma in an array"), 1;
            u->cur++;
            return 0;
        }
        if (want == 0)
            return report_at(u, u->cur, "expected ',' or ']' after an array element"), 1;
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
        return over_limit(u, 0), 1;
    set_win(u, ls, line, e);
    json_t *v = parse(u, s, e, &loc);
    json_decref(v);
    locmap_clear(u->locs);
    if (v && r == SV_BAD)
        report_at(u, e, "invalid JSON");
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
    enum sv r = scan_value(u, s, 0, &e);
    int users = r == SV_OK && e - s == 7 && memcmp(B(u, s), "\"users\"", 7) == 0;
    if (check_value(u, s, e, r, ls, line))
        return 1;
    skip_ws(u, 1);
    if (!have(u, u->cur))
        return fail_end(u, "unexpected end of input, expected ':'");
    if (AT(u, u->cur) != ':')
        return report_at(u, u->cur, "expected ':' after an object key"), 1;
    u->cur++;
    skip_ws(u, 1);
    if (!have(u, u->cur))
        return fail_end(u, "unexpected end of input, expected a value");
    if (users && AT(u, u->cur) == '[')
        return users_array(u);
    s = u->cur;
    ls = u->ls;
    line = u->line;
    r = scan_value(u, s, 0, &e);
    return check_value(u, s, e, r, ls, line);
}

/* {"users": [...], ...} at cur. Returns non-zero when the file ends here. */
static int users_object(struct us *u)
{
    int want = 2; /* 2: a key or '}', 1: a key, 0: ',' or '}' */
    u->cur++;
    for (;;) {
        skip_ws(u, 1);
        if (!have(u, u->cur))
            return fail_end(u, want ? "unexpected end of input, expected a string key or '}'"
                                    : "unexpected end of input, expected ',' or '}'");
        unsigned char c = AT(u, u->cur);
        if (want == 0 && c == ',') {
            u->cur++;
            want = 1;
            continue;
        }
        if (c == '}') {
            if (want == 1)
                return report_at(u, u->cur, "trailing comma in an object"), 1;
            u->cur++;
            return 0;
        }
        if (want == 0)
            return report_at(u, u->cur, "expected ',' or '}' after an object member"), 1;
        if (c != '"')
            return report_at(u, u->cur,
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
        skip_ws(u, 0);
        if (!have(u, u->cur) || AT(u, u->cur) != '"' || scan_value(u, u->cur, 1, &e) != SV_OK)
            break;
        users = e - u->cur == 7 && memcmp(B(u, u->cur), "\"users\"", 7) == 0;
        u->cur = e;
        skip_ws(u, 0);
        if (!have(u, u->cur) || AT(u, u->cur) != ':')
            break;
        u->cur++;
        skip_ws(u, 0);
        if (!have(u, u->cur))
            break;
        if (users && AT(u, u->cur) == '[') {
            found = 1;
            break;
        }
        if (scan_value(u, u->cur, 1, &e) != SV_OK)
            break;
        u->cur = e;
        skip_ws(u, 0);
        if (!have(u, u->cur) || AT(u, u->cur) != ',')
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
        skip_ws(u, 1);
        if (!have(u, u->cur)) {
            if (over_limit(u, 1))
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
                (*p == '-' && (n == 1 || is_ws((unsigned char)p[1]))))
                return 1;
            const char *k = p;
            if (*k == '"' || *k == '\'') {
                const char *q = memchr(k + 1, *k, (size_t)(le - k - 1));
                k = q ? q + 1 : le;
            } else {
                while (k < le && !strchr(":#{}[],\"'", *k))
                    k++;
            }
            return k > p && k < le && *k == ':' && (k + 1 == le || is_ws((unsigned char)k[1]));
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
    have(u, SNIFF - 1);
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
        if (memchr(b, 0, m) || !utf8_valid((const char *)b + u->cur, m - u->cur, &bad))
            why = "this is not a text file";
    }
    if (!why) {
        skip_ws(u, 1);
        if (!have(u, u->cur))
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
            return report_at(u, u->cur, "this is not JSON; " MSG_JSON), 1;
    }
    report_at(u, u->base, why); /* offset 0 unless there was a lot of leading space */
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
    u.fd = open(u.src->path, O_RDONLY | O_CLOEXEC);
    if (u.fd < 0)
        return error("cannot open '%s': %s", u.src->path, strerror(errno));
    if (open_input(&u) < 0)
        goto out;
    u.src->gzip = st->gzip = u.gz;
    u.locs = locmap_new();
    if (!sniff(&u))
        run(&u);
    if (u.why == W_IO)
        goto out;
    if (u.gzmsg && !u.stop) {
        u.win.text = NULL;
        report_at(&u, END(&u), u.gzmsg);
    }
    u.src->has_bom = u.has_bom;
    ret = 0;
out:
    st->bytes_text = END(&u);
    st->format = fmt_name(u.fmt);
    flush_pending(&u, 0);
    free(u.pend);
    locmap_free(u.locs);
    if (u.zinit)
        inflateEnd(&u.z);
    free(u.zin);
    free(u.buf);
    close(u.fd);
    return ret;
}
