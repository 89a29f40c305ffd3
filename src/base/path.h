/* base/path.h - the path guard: the one place that decides what ssolint may read.
 *
 * A file is read only when its real path (every symbolic link followed) lies inside a
 * root, and only when it is a regular file. The roots are the project root (the
 * directory of .ssolint.yaml, else the current directory) and each PATH, --rules-dir and
 * --baseline the user named outside it (the named location itself, its last component
 * not followed: a named symbolic link is judged like any other). A link that stays
 * inside a root is followed; one that leads out is not read at all (path-outside-root).
 * FIFOs, devices and sockets are never opened for reading (not-a-regular-file).
 * doc/security.md lists the promises and the tests that hold them. */
#ifndef SSOLINT_PATH_H
#define SSOLINT_PATH_H

#include <limits.h>
#include <stddef.h>
#include <sys/stat.h>

enum path_verdict {
    PATH_OK = 0,    /* inside a root: a regular file or a directory */
    PATH_MISSING,   /* cannot be resolved or opened (errno says why) */
    PATH_OUTSIDE,   /* resolves outside every root */
    PATH_SPECIAL,   /* a FIFO, device or socket */
};

/* Add the real path of dir as a root (the project root). */
void path_guard_root(const char *dir);
/* A path the user named (a PATH, --rules-dir, --baseline): when its location lies
 * outside every root, that location becomes a root of its own. */
void path_guard_named(const char *path);
/* Does the location of path (its last component not followed) lie inside a root? */
int path_named_inside(const char *path);
/* Forget every root (a new run, the tests). */
void path_guard_reset(void);

/* Judge path without opening it. PATH_OK with *st (stat, links followed) filled when
 * it may be read or walked. */
enum path_verdict path_judge(const char *path, struct stat *st);

/* Open a regular file inside a root for reading. The opened file is checked (fstat:
 * regular; /proc/self/fd: still inside a root), not only its name. -1 with *v (and
 * errno for PATH_MISSING) when it is refused or cannot be opened. */
int path_open(const char *path, enum path_verdict *v);

/* path_open, then the whole file NUL-terminated (file_read's contract: EFBIG above max,
 * EISDIR for a directory). NULL with *v set when refused or unreadable. */
char *path_read(const char *path, size_t max, size_t *len, enum path_verdict *v);

/* What a refusal means, for messages ("a symbolic link that leads outside the project
 * root", "a FIFO, not a regular file"). path is examined with lstat only. */
const char *path_refusal(const char *path, enum path_verdict v);

/* The real path of path (realpath with a per-directory memory: a file that is not a
 * symbolic link costs one lstat). 1 on success. */
int path_real(const char *path, char out[PATH_MAX]);

/* Where path is, its last component not followed: the real path of its directory and
 * its own name (a name that ends in '/', "." or ".." is followed). 1 on success. */
int path_location(const char *path, char out[PATH_MAX]);

/* The repository path of path: '/'-separated and relative to root, made from the path
 * as written (a symbolic link's own path, never its target). New string. */
char *path_rel(const char *path, const char *root);

#endif
