/* load/users_read.c - the text of a users export (load/users.c builds the records). The
 * file is read in blocks, inflated (load/gunzip.c) when it starts with the gzip magic, into one
 * buffer that holds the text from the first line of the record in progress to the end of
 * the last block: memory is the largest record plus a block, never the file. Here are
 * that buffer, the line count and the text windows of diagnostics, the limits (a line
 * over 16 MB, a record over 512 MB), and the light structural scan (strings, escapes,
 * bracket depth) that finds where a value ends before json_scan reads it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "load/gunzip.h"
#include "load/users_int.h"
#include "base/util.h"

#define READ_MIN (64u * 1024u)    /* grow the buffer when less room than this is left */
#define WIN_TAIL 256u             /* how far a record window looks for its line's end */
#define INFLATE_THREAD_MIN (256 * 1024) /* gzip files from this size inflate on a thread */

int us_is_ws(unsigned c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ---- reading ---------------------------------------------------------------------- */

/* "\rssolint: reading PATH: 42%" when the percentage of bytes read changes. */
static void progress(struct us *u)
{
    if (!u->progress_size)
        return;
    unsigned pct = (unsigned)(u->st->bytes_in * 100 / u->progress_size);
    if (pct == u->progress_pct)
        return;
    u->progress_pct = pct;
    fprintf(stderr, "\rssolint: reading %s: %u%%", u->src->path, pct > 100 ? 100 : pct);
    fflush(stderr);
}

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
    progress(u);
    return r;
}

/* Inflate into dst[0, n). Concatenated members are one text; the end of the input
 * inside a member is a truncation. Returns the bytes produced, -1 on a read error. */
ssize_t us_inflate_some(struct us *u, char *dst, size_t n)
{
    size_t done = 0;
    if (u->gzmsg)
        return 0;
    while (done < n) {
        if (gunzip_avail_in(u->dec) == 0 && !u->src_eof) {
            ssize_t r = read_raw(u, u->zin, READ_BLOCK);
            if (r < 0)
                return -1;
            u->src_eof = r == 0;
            gunzip_input(u->dec, u->zin, (size_t)r);
        }
        if (gunzip_avail_in(u->dec) == 0) {
            if (!u->zend)
                u->gzmsg = "truncated gzip data";
            break;
        }
        if (u->zend) {
            gunzip_next_member(u->dec);
            u->zend = 0;
        }
        size_t got;
        enum gunzip_status st = gunzip_run(u->dec, dst + done, n - done, &got);
        done += got;
        if (st == GUNZIP_MEMBER_END)
            u->zend = 1;
        else if (st == GUNZIP_ERROR) {
            u->gzmsg = "invalid gzip data";
            break;
        }
    }
    return (ssize_t)done;
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
    char *dst = u->buf + u->len;
    ssize_t r = u->inf  ? us_inflater_take(u, dst, room)
                : u->gz ? us_inflate_some(u, dst, room)
                        : read_raw(u, dst, room);
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
int us_have(struct us *u, uint64_t o)
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

/* The two READ_BLOCK buffers of the last stream, kept for the next one: 100,000 small
 * users files made 200,000 allocations of 256 KB, each one mapped and unmapped again,
 * and the unmapping (a TLB flush on every CPU) grew slower as the process grew. */
static char *spare_buf;
static unsigned char *spare_zin;

static void *take_spare(void *spare)
{
    return spare ? spare : xmalloc(READ_BLOCK);
}

void us_close_buffers(struct us *u)
{
    if (!spare_zin && u->zin)
        spare_zin = u->zin;
    else
        free(u->zin);
    if (!spare_buf && u->buf && u->cap == READ_BLOCK)
        spare_buf = u->buf;
    else
        free(u->buf);
    u->zin = NULL;
    u->buf = NULL;
}

/* Read the first bytes, recognise gzip by its magic and set up the gzip decoder. */
int us_open_input(struct us *u)
{
    size_t n = 0;
    u->zin = take_spare(spare_zin);
    spare_zin = NULL;
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
    u->buf = take_spare(spare_buf);
    spare_buf = NULL;
    u->gz = n >= 2 && u->zin[0] == 0x1f && u->zin[1] == 0x8b;
    if (!u->gz) {
        memcpy(u->buf, u->zin, n);
        u->len = n;
        if (u->src_eof)
            u->why = W_EOF;
        return 0;
    }
    struct stat sb;
    if (fstat(u->fd, &sb) == 0 && sb.st_size >= INFLATE_THREAD_MIN && us_inflater_start(u, n) == 0)
        return 0;
    u->dec = gunzip_new(GUNZIP_DEFAULT);
    gunzip_input(u->dec, u->zin, n);
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

void us_seek(struct us *u, uint64_t off)
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
    *w = (struct textwin){B(u, ls), (size_t)(e - ls), ls, line, u->has_bom && ls == 0, NULL};
}

/* The record window: from its first line's start past its end, to the line's end when
 * that is near. */
void us_set_win(struct us *u, uint64_t ls, uint32_t line, uint64_t end)
{
    size_t rest = (size_t)(END(u) - end);
    const char *nl = memchr(B(u, end), '\n', rest < WIN_TAIL ? rest : WIN_TAIL);
    if (nl)
        end = OFF(u, nl);
    else if (rest <= WIN_TAIL)
        end = END(u);
    u->win = (struct textwin){B(u, ls), (size_t)(end - ls), ls, line, u->has_bom && ls == 0,
                              u->cols};
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
void us_resync_lines(struct us *u)
{
    do
        skip_line(u);
    while (us_have(u, u->cur) && AT(u, u->cur) != '{');
}

/* ---- diagnostics ------------------------------------------------------------------ */

void us_emit_diag(struct us *u, const struct ld_diag *d)
{
    if (d->kind == LD_PARSE_ERROR)
        u->err_off = d->off;
    if (u->report)
        u->report(u->rctx, d);
}

const struct textwin *us_pick_win(const struct us *u, uint64_t off, struct textwin *tmp)
{
    if (u->win.text && off >= u->win.off && off <= u->win.off + u->win.len)
        return &u->win;
    line_win(u, off, tmp);
    return tmp;
}

void us_report_at(struct us *u, uint64_t off, const char *msg)
{
    struct textwin w;
    struct ld_diag d = {
        .kind = LD_PARSE_ERROR, .off = off, .end = off + (off < END(u)), .off2 = off, .msg = msg};
    d.win = us_pick_win(u, off, &w);
    us_emit_diag(u, &d);
}

/* A line or record over the limits: report it. When go_on, skip to the next line that
 * starts a record (NDJSON); else the file ends here. Returns 1 when the stream goes on. */
int us_over_limit(struct us *u, int go_on)
{
    if (u->why != W_LINE && u->why != W_RECORD)
        return 0;
    u->win.text = NULL;
    if (u->why == W_LINE)
        us_report_at(u, u->ls, "line longer than 16 MB");
    else
        us_report_at(u, u->keep, "user record larger than 512 MB");
    u->why = W_NONE;
    if (!go_on)
        return 0;
    u->cur = u->ls;
    us_resync_lines(u);
    return 1;
}

/* The text ended where more was needed: a parse error at its end, or the limit's. */
int us_fail_end(struct us *u, const char *msg)
{
    if (u->why == W_EOF)
        us_report_at(u, END(u), msg);
    else
        us_over_limit(u, 0);
    return 1;
}

/* ---- structural scan -------------------------------------------------------------- */

static const unsigned char out_special[256] = {
    ['"'] = 1, ['{'] = 1, ['}'] = 1, ['['] = 1, [']'] = 1, ['\n'] = 1};
static const unsigned char str_special[256] = {['"'] = 1, ['\\'] = 1, ['\n'] = 1};
static const unsigned char delim[256] = {
    [' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1, [','] = 1, [':'] = 1,
    ['['] = 1, [']'] = 1,  ['{'] = 1,  ['}'] = 1,  ['"'] = 1};

void us_skip_ws(struct us *u, int follow)
{
    for (;;) {
        if (follow)
            u->keep = u->ls;
        if (!us_have(u, u->cur))
            return;
        const char *p = B(u, u->cur), *q = u->buf + u->len;
        for (; p < q && us_is_ws((unsigned char)*p); p++) {
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
    while (us_have(u, o) && !delim[AT(u, o)])
        o++;
    if (o == END(u) && u->why != W_EOF)
        return SV_STOP;
    *endp = o == s ? s + 1 : o;
    return o == s ? SV_BAD : SV_OK;
}

/* Find the end of the value starting at s (in the buffer). SV_BAD: the value is broken
 * and json_scan on [s, *endp) reports why. With `cut` (NDJSON), a value still open at
 * the end of a line stops there when the next line starts with {" (a new record). */
enum sv us_scan_value(struct us *u, uint64_t s, int cut, uint64_t *endp)
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
        if (!us_have(u, o)) {
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
                if (cut) { /* us_have() may move the buffer: go on from o */
                    if (us_have(u, o + 1) && AT(u, o) == '{' && AT(u, o + 1) == '"') {
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
