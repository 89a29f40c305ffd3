/* base/util.h - small helpers every stage uses: checked allocation, a growable string
 * buffer, UTF-8 helpers and git-style error returns. */
#ifndef SSOLINT_UTIL_H
#define SSOLINT_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *arr (of *cap elements of size elem) so that it holds at least need elements. */
void grow_array(void **arr, size_t *cap, size_t need, size_t elem);
#define GROW(arr, cap, need) grow_array((void **)&(arr), &(cap), (need), sizeof(*(arr)))

/* The whole file, NUL-terminated (*len bytes without the NUL). NULL with errno set when it
 * cannot be read; EFBIG when it is larger than max, EISDIR for a directory. New string. */
char *file_read(const char *path, size_t max, size_t *len);
/* The same from an open descriptor, which it closes. */
char *fd_read(int fd, size_t max, size_t *len);

/* A growable NUL-terminated byte string. */
struct strbuf {
    char *buf;
    size_t len, cap;
};
#define STRBUF_INIT {NULL, 0, 0}
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
void sb_reset(struct strbuf *sb);
char *sb_detach(struct strbuf *sb); /* new string; sb is reset */
void sb_free(struct strbuf *sb);
const char *sb_str(const struct strbuf *sb); /* "" when empty */

/* Program-level diagnostics that are not findings (usage and I/O errors) go to stderr
 * as "ssolint: MESSAGE". error() returns -1 so callers can `return error(...)`. */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* UTF-8: length of the valid sequence at s (1..4), or 0 when s[0..n) does not start one. */
size_t utf8_seq_len(const unsigned char *s, size_t n);
/* Is [s, s+n) valid UTF-8? On failure *bad is the offset of the first bad byte. */
int utf8_valid(const char *s, size_t n, size_t *bad);

/* Append s to sb for display inside a message: control characters and escape sequences
 * are escaped (\n, \t, \x1b...), invalid UTF-8 bytes become \xNN, and the text is cut
 * after max code points with "...". */
void sb_add_display(struct strbuf *sb, const char *s, size_t n, size_t max);

/* Case-insensitive ASCII compare. */
int ascii_casecmp(const char *a, const char *b);
/* Levenshtein distance, capped at cap+1. */
size_t edit_distance(const char *a, const char *b, size_t cap);

#endif
