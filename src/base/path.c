/* base/path.c - the path guard (see path.h): roots, real paths with a directory memory,
 * judging and opening files, and repository paths. Hand-written rather than openat2()'s
 * RESOLVE_BENEATH: that needs Linux 5.6 and a directory descriptor per root, and a run
 * has several roots; the check of the opened descriptor (/proc/self/fd) keeps the
 * decision on the file actually opened. */
#include "base/path.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"

static char **roots;
static size_t nroots, caproots;

/* realpath() with a memory: realpath resolves every component of a path with a readlink
 * call, and a repository's files share a few directories. Each directory is resolved
 * once (its parent from the memory, then one lstat to see it is not a symlink), and a
 * file that is not a symlink costs one lstat. A run does not change its working
 * directory, so what was resolved stays true. */
struct dirmemo {
    char *dir, *real;
};
static struct dirmemo *memo;
static size_t nmemo, capmemo;

static int join_real(const char *real, const char *base, char out[PATH_MAX])
{
    int n = snprintf(out, PATH_MAX, "%s%s%s", real, strcmp(real, "/") ? "/" : "", base);
    return n > 0 && n < PATH_MAX;
}

/* Split path at its last '/': 0 when it has none or ends in "", "." or "..". */
static int split(const char *path, size_t *dl, const char **base)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return 0;
    *base = slash + 1;
    *dl = (size_t)(slash - path);
    return **base && strcmp(*base, ".") && strcmp(*base, "..") && *dl > 0 && *dl < PATH_MAX;
}

/* The real path of a directory, resolved once. NULL when it cannot be resolved. */
static const char *dir_real(const char *dir)
{
    for (size_t i = 0; i < nmemo; i++)
        if (!strcmp(memo[i].dir, dir))
            return memo[i].real;
    char rp[PATH_MAX];
    if (!path_real(dir, rp))
        return NULL;
    GROW(memo, capmemo, nmemo + 1);
    memo[nmemo] = (struct dirmemo){xstrdup(dir), xstrdup(rp)};
    return memo[nmemo++].real;
}

int path_real(const char *path, char out[PATH_MAX])
{
    size_t dl;
    const char *base;
    struct stat st;
    if (!split(path, &dl, &base) || lstat(path, &st) < 0 || S_ISLNK(st.st_mode))
        return realpath(path, out) != NULL;
    char dir[PATH_MAX];
    memcpy(dir, path, dl);
    dir[dl] = '\0';
    const char *real = dir_real(dir);
    return real ? join_real(real, base, out) || realpath(path, out) : 0;
}

/* Is real (a real path) equal to or below root? */
static int below(const char *real, const char *root)
{
    size_t n = strlen(root);
    return !strncmp(real, root, n) && (real[n] == '\0' || real[n] == '/' || n == 1);
}

static int inside(const char *real)
{
    for (size_t i = 0; i < nroots; i++)
        if (below(real, roots[i]))
            return 1;
    return 0;
}

static void add_root(const char *real)
{
    for (size_t i = 0; i < nroots; i++)
        if (!strcmp(roots[i], real))
            return;
    GROW(roots, caproots, nroots + 1);
    roots[nroots++] = xstrdup(real);
}

void path_guard_root(const char *dir)
{
    char rp[PATH_MAX];
    if (realpath(dir, rp))
        add_root(rp);
}

int path_location(const char *path, char out[PATH_MAX])
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
        return realpath(path, out) != NULL;
    char dir[PATH_MAX];
    size_t dl = slash ? (slash == path ? 1 : (size_t)(slash - path)) : 0;
    if (dl >= PATH_MAX)
        return 0;
    memcpy(dir, slash ? path : ".", slash ? dl : 1);
    dir[slash ? dl : 1] = '\0';
    const char *rd = dir_real(dir);
    return rd && join_real(rd, base, out);
}

void path_guard_named(const char *path)
{
    char loc[PATH_MAX];
    if (path_location(path, loc) && !inside(loc))
        add_root(loc);
}

int path_named_inside(const char *path)
{
    char loc[PATH_MAX];
    return path_location(path, loc) && inside(loc);
}

void path_guard_reset(void)
{
    for (size_t i = 0; i < nroots; i++)
        free(roots[i]);
    free(roots);
    roots = NULL;
    nroots = caproots = 0;
    for (size_t i = 0; i < nmemo; i++) {
        free(memo[i].dir);
        free(memo[i].real);
    }
    free(memo);
    memo = NULL;
    nmemo = capmemo = 0;
}

static enum path_verdict judge(const char *path, char rp[PATH_MAX], struct stat *st)
{
    if (!path_real(path, rp))
        return PATH_MISSING;
    if (!inside(rp))
        return PATH_OUTSIDE;
    if (stat(rp, st) < 0)
        return PATH_MISSING;
    if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode))
        return PATH_SPECIAL;
    return PATH_OK;
}

enum path_verdict path_judge(const char *path, struct stat *st)
{
    char rp[PATH_MAX];
    return judge(path, rp, st);
}

/* Is the file open on fd inside a root? Asked of the kernel, not of the name; yes when
 * /proc is not mounted (the name was judged just before). */
static int fd_inside(int fd)
{
    char link[64], real[PATH_MAX];
    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, real, sizeof(real) - 1);
    if (n <= 0 || real[0] != '/')
        return 1;
    real[n] = '\0';
    return inside(real);
}

int path_open(const char *path, enum path_verdict *v)
{
    char rp[PATH_MAX];
    struct stat st;
    if ((*v = judge(path, rp, &st)) != PATH_OK)
        return -1;
    /* O_NONBLOCK: a FIFO put there since the judgement must not block the open;
     * O_NOFOLLOW: the real path's last component is no link, or it changed since */
    int fd = S_ISDIR(st.st_mode) ? -1
                                 : open(rp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        if (S_ISDIR(st.st_mode))
            errno = EISDIR;
        *v = PATH_MISSING;
        return -1;
    }
    *v = fstat(fd, &st) < 0 || S_ISDIR(st.st_mode) ? PATH_MISSING
         : !S_ISREG(st.st_mode)                    ? PATH_SPECIAL
         : !fd_inside(fd)                          ? PATH_OUTSIDE
                                                   : PATH_OK;
    if (*v != PATH_OK) {
        int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
        close(fd);
        errno = e;
        return -1;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

char *path_read(const char *path, size_t max, size_t *len, enum path_verdict *v)
{
    int fd = path_open(path, v);
    return fd < 0 ? NULL : fd_read(fd, max, len);
}

const char *path_refusal(const char *path, enum path_verdict v)
{
    struct stat st;
    if (v == PATH_OUTSIDE)
        return lstat(path, &st) == 0 && S_ISLNK(st.st_mode)
                   ? "a symbolic link that leads outside the project root"
                   : "a path that resolves outside the project root";
    if (v != PATH_SPECIAL || stat(path, &st) < 0)
        return "not a readable file";
    return S_ISFIFO(st.st_mode)   ? "a FIFO (named pipe), not a regular file"
           : S_ISCHR(st.st_mode)  ? "a character device, not a regular file"
           : S_ISBLK(st.st_mode)  ? "a block device, not a regular file"
           : S_ISSOCK(st.st_mode) ? "a socket, not a regular file"
                                  : "not a regular file";
}

/* ---- repository paths ------------------------------------------------------------- */

/* in made absolute (against the current directory) with ".", ".." and repeated '/'
 * removed by its text alone. 1 on success. */
static int lexical_abs(const char *in, char out[PATH_MAX])
{
    char buf[2 * PATH_MAX], cwd[PATH_MAX];
    if (in[0] != '/' && !getcwd(cwd, sizeof(cwd)))
        return 0;
    int w = snprintf(buf, sizeof(buf), "%s/%s", in[0] == '/' ? "" : cwd, in);
    if (w < 0 || (size_t)w >= sizeof(buf))
        return 0;
    size_t n = 0;
    for (const char *s = buf; *s;) {
        while (*s == '/')
            s++;
        const char *e = s + strcspn(s, "/");
        size_t l = (size_t)(e - s);
        if (l == 2 && s[0] == '.' && s[1] == '.') {
            while (n > 0 && out[n - 1] != '/')
                n--;
            n -= n > 0;
        } else if (l && !(l == 1 && s[0] == '.')) {
            if (n + 1 + l >= PATH_MAX)
                return 0;
            out[n++] = '/';
            memcpy(out + n, s, l);
            n += l;
        }
        s = e;
    }
    if (!n)
        out[n++] = '/';
    out[n] = '\0';
    return 1;
}

/* path relative to root when below it; NULL otherwise. */
static char *rel_below(const char *path, const char *root)
{
    if (!below(path, root))
        return NULL;
    size_t n = strlen(root);
    return xstrdup(path[n] == '/' ? path + n + 1 : n == 1 ? path + 1 : path + n);
}

char *path_rel(const char *path, const char *root)
{
    char lp[PATH_MAX], lr[PATH_MAX], rr[PATH_MAX];
    char *rel = NULL;
    if (lexical_abs(path, lp)) {
        if (lexical_abs(root ? root : ".", lr))
            rel = rel_below(lp, lr);
        /* the root written through a link (a symlinked checkout): the name's location */
        if (!rel && realpath(root ? root : ".", rr) && path_location(path, lr))
            rel = rel_below(lr, rr);
        return rel ? rel : xstrdup(lp);
    }
    return xstrdup(path[0] == '.' && path[1] == '/' ? path + 2 : path);
}
