/* base/util.c - allocation that never returns NULL, the string buffer, UTF-8 helpers and
 * the "ssolint: MESSAGE" error helpers (git's usage.c style). */
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static _Noreturn void oom(void)
{
    fputs("ssolint: out of memory\n", stderr);
    exit(2);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom();
    return q;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    return sb_detach(&sb);
}

void grow_array(void **arr, size_t *cap, size_t need, size_t elem)
{
    size_t n = *cap;
    if (need <= n)
        return;
    n = n ? n : 8;
    while (n < need)
        n *= 2;
    *arr = xrealloc(*arr, n * elem);
    *cap = n;
}

void sb_add(struct strbuf *sb, const char *s, size_t n)
{
    GROW(sb->buf, sb->cap, sb->len + n + 1);
    memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s)
{
    sb_add(sb, s, strlen(s));
}

void sb_addc(struct strbuf *sb, char c)
{
    sb_add(sb, &c, 1);
}

void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return;
    GROW(sb->buf, sb->cap, sb->len + (size_t)n + 1);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(sb, fmt, ap);
    va_end(ap);
}

void sb_reset(struct strbuf *sb)
{
    sb->len = 0;
    if (sb->buf)
        sb->buf[0] = '\0';
}

char *sb_detach(struct strbuf *sb)
{
    char *s = sb->buf ? sb->buf : xstrdup("");
    sb->buf = NULL;
    sb->len = sb->cap = 0;
    return s;
}

void sb_free(struct strbuf *sb)
{
    free(sb->buf);
    sb->buf = NULL;
    sb->len = sb->cap = 0;
}

const char *sb_str(const struct strbuf *sb)
{
    return sb->buf ? sb->buf : "";
}

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
    struct strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "ssolint: ");
    sb_adds(&sb, prefix);
    sb_vaddf(&sb, fmt, ap);
    sb_addc(&sb, '\n');
    fflush(stdout);
    fputs(sb.buf, stderr);
    sb_free(&sb);
}

int error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("", fmt, ap);
    va_end(ap);
    return -1;
}

void warning(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("warning: ", fmt, ap);
    va_end(ap);
}

void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("", fmt, ap);
    va_end(ap);
    exit(2);
}

size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    unsigned cp = c & (0xFF >> (len + 1));
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

int utf8_valid(const char *s, size_t n, size_t *bad)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        size_t l = utf8_seq_len(u + i, n - i);
        if (!l) {
            if (bad)
                *bad = i;
            return 0;
        }
        i += l;
    }
    return 1;
}

/* U+200B..U+200F, U+2028..U+202E, U+2066..U+2069, U+FEFF: characters that change how
 * a line is shown without being seen. */
static int invisible(const unsigned char *u, size_t l)
{
    if (l != 3)
        return 0;
    unsigned cp = ((u[0] & 0x0F) << 12) | ((u[1] & 0x3F) << 6) | (u[2] & 0x3F);
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

void sb_add_display(struct strbuf *sb, const char *s, size_t n, size_t max)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, cps = 0;
    while (i < n) {
        if (cps == max) {
            sb_adds(sb, "...");
            return;
        }
        unsigned c = u[i];
        if (c < 0x80) {
            switch (c) {
            case '\n': sb_adds(sb, "\\n"); break;
            case '\r': sb_adds(sb, "\\r"); break;
            case '\t': sb_adds(sb, "\\t"); break;
            default:
                if (c < 0x20 || c == 0x7F)
                    sb_addf(sb, "\\x%02x", c);
                else
                    sb_addc(sb, (char)c);
            }
            i++;
        } else {
            size_t l = utf8_seq_len(u + i, n - i);
            if (!l) {
                sb_addf(sb, "\\x%02x", c);
                i++;
            } else if (c == 0xC2 && u[i + 1] < 0xA0) {
                sb_addf(sb, "\\u%04x", u[i + 1]); /* C1 controls (incl. CSI) */
                i += 2;
            } else if (invisible(u + i, l)) {
                /* bidi overrides (Trojan Source), zero-width and line separators */
                unsigned cp = ((u[i] & 0x0F) << 12) | ((u[i + 1] & 0x3F) << 6) | (u[i + 2] & 0x3F);
                sb_addf(sb, "\\u%04x", cp);
                i += l;
            } else {
                sb_add(sb, s + i, l);
                i += l;
            }
        }
        cps++;
    }
}

int ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z')
            ca += 32;
        if (cb >= 'A' && cb <= 'Z')
            cb += 32;
        if (ca != cb || !ca)
            return ca - cb;
    }
}

size_t edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    if (lb > 256)
        return cap + 1;
    size_t row[257];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0], best;
        row[0] = i;
        best = row[0];
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t v = prev + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < v)
                v = row[j] + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            prev = cur;
            if (v < best)
                best = v;
        }
        if (best > cap)
            return cap + 1;
    }
    return row[lb] > cap ? cap + 1 : row[lb];
}

/* Straight into a buffer of the file's size (rule files, pages and whole inputs are read
 * at every start): no stdio buffer, no 64 KB bounce buffer, no copies. */
char *file_read(const char *path, size_t max, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    return fd < 0 ? NULL : fd_read(fd, max, len);
}

char *fd_read(int fd, size_t max, size_t *len)
{
    struct stat st;
    int e = fstat(fd, &st) < 0                                ? errno
            : S_ISDIR(st.st_mode)                             ? EISDIR
            : S_ISREG(st.st_mode) && (uint64_t)st.st_size > max ? EFBIG
                                                              : 0;
    if (e) {
        close(fd);
        errno = e;
        return NULL;
    }
    /* room for the text, the NUL, and the read that finds the end */
    size_t cap = (S_ISREG(st.st_mode) ? (size_t)st.st_size : 0) + 2, n = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) { /* the file grew since fstat, or is not a regular file */
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r > 0 && n + (size_t)r > max) {
            r = -1;
            errno = EFBIG;
        }
        if (r < 0) {
            e = errno;
            free(buf);
            close(fd);
            errno = e;
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *len = n;
    return buf;
}
