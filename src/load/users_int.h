/* load/users_int.h - what the two halves of the users stream share: load/users_read.c
 * owns the text (reading, gzip, the buffer, lines and windows, the limits, the structural
 * scan that finds where a value ends) and load/users.c the records built from it (format
 * detection, NDJSON, arrays, the {"users": [...]} wrapper, json_scan, delivery). Private
 * to those two files. */
#ifndef SSOLINT_LOAD_USERS_INT_H
#define SSOLINT_LOAD_USERS_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "load/load.h"
#include "load/users.h"

#define READ_BLOCK (256u * 1024u) /* one read() or one inflate target */

enum why { W_NONE, W_EOF, W_GZIP, W_IO, W_LINE, W_RECORD }; /* why text ran out */
enum fmt { F_NONE, F_NDJSON, F_ARRAY, F_OBJECT };
enum sv { SV_OK, SV_BAD, SV_STOP }; /* structural scan: a value, a broken one, no text */

struct pend { /* a json_scan diagnostic held back while the NDJSON fast path runs */
    struct ld_diag d;
    char *msg, *key;
};

/* One users stream: the input, the text buffer, the scan position, the record in progress. */
struct us {
    uint64_t progress_size; /* > 0: print a progress line (file size) */
    unsigned progress_pct;
    struct source *src;
    int file, fd;
    struct users_stats *st;
    /* input */
    struct gunzip *dec; /* the gzip decoder (load/gunzip.h); NULL for plain text */
    int gz, zend, src_eof;
    unsigned char *zin;
    const char *gzmsg;
    struct inflater *inf; /* gzip inflated on a second thread (load/users_inflate.c) */
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
    struct colidx *cols; /* win's column index (a long record line) */
    struct pend *pend;
    size_t npend, cappend;
    int buffering;
    user_fn fn;
    void *ctx;
    ld_report_fn report;
    void *rctx;
};

/* The buffer by file offset: B the address of offset o, AT its byte, END the offset just
 * past the buffer, OFF the offset of address p. */
#define B(u, o) ((u)->buf + ((o) - (u)->base))
#define AT(u, o) ((unsigned char)*B(u, o))
#define END(u) ((u)->base + (u)->len)
#define OFF(u, p) ((u)->base + (uint64_t)((const char *)(p) - (u)->buf))

/* ---- load/users_read.c ------------------------------------------------------------ */

/* Is c JSON white space? */
int us_is_ws(unsigned c);

/* Read the first bytes, recognise gzip by its magic and set up the gzip decoder. -1 on a read error
 * (reported). */
int us_open_input(struct us *u);
/* Release the text and input buffers (one pair is kept for the next stream). */
void us_close_buffers(struct us *u);
/* Make the byte at o available. 0 at the end of the text or over a limit (u->why).
 * The buffer never reaches past the limits, so a scan meets them here. */
int us_have(struct us *u, uint64_t o);

/* Inflate into dst[0, n) (load/users_read.c): the bytes produced, 0 at the end (gzmsg
 * set when the data was bad), -1 on a read error (reported, why = W_IO). */
ssize_t us_inflate_some(struct us *u, char *dst, size_t n);

/* ---- load/users_inflate.c --------------------------------------------------------- */

/* Inflate the rest of a gzip input on a second thread; have bytes of u->zin are read.
 * -1 when no thread could start (inflate in line then). */
int us_inflater_start(struct us *u, size_t have);
/* Up to n inflated bytes into dst: as us_inflate_some. */
ssize_t us_inflater_take(struct us *u, char *dst, size_t n);
/* Stop and join the thread, free its memory. No-op without one. */
void us_inflater_stop(struct us *u);

/* Move cur to off (in the buffer), keeping line and ls right. */
void us_seek(struct us *u, uint64_t off);
/* Set u->win to the record window: from its first line's start (ls, line) past its end,
 * to the line's end when that is near. */
void us_set_win(struct us *u, uint64_t ls, uint32_t line, uint64_t end);
/* From cur's line: skip to the next line that starts with '{'. */
void us_resync_lines(struct us *u);

/* u->win when it holds off, else the window of off's line, built in *tmp. */
const struct textwin *us_pick_win(const struct us *u, uint64_t off, struct textwin *tmp);
/* Hand a diagnostic to the caller; a parse error's offset becomes u->err_off. */
void us_emit_diag(struct us *u, const struct ld_diag *d);
/* A parse error at off with its window. */
void us_report_at(struct us *u, uint64_t off, const char *msg);
/* A line or record over the limits: report it. When go_on, skip to the next line that
 * starts a record (NDJSON); else the file ends here. Returns 1 when the stream goes on. */
int us_over_limit(struct us *u, int go_on);
/* The text ended where more was needed: a parse error at its end, or the limit's.
 * Returns 1 (the file ends here). */
int us_fail_end(struct us *u, const char *msg);

/* Skip white space from cur, counting lines; with follow, text before the line moves
 * out of the record (keep). */
void us_skip_ws(struct us *u, int follow);
/* Find the end of the value starting at s (in the buffer). SV_BAD: the value is broken
 * and json_scan on [s, *endp) reports why. With `cut` (NDJSON), a value still open at
 * the end of a line stops there when the next line starts with {" (a new record). */
enum sv us_scan_value(struct us *u, uint64_t s, int cut, uint64_t *endp);

#endif
