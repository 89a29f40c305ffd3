/* fix/write.c - writing a fixed file: atomically (a temporary file in the file's own
 * directory, then rename over it), never through a symlink, never over a file without
 * any write permission bit (even when running as root: a read-only file is a decision
 * someone made); and the gzip round trip of a gzip users export (whole buffers: the
 * decoder is load/gunzip's, the encoder zlib's deflate with a gzip wrapper). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "base/util.h"
#include "fix/fix.h"
#include "load/gunzip.h"

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int fix_write_file(const char *path, const char *bytes, size_t len)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return error("cannot fix '%s': %s", path, strerror(errno));
    if (S_ISLNK(st.st_mode))
        return error("not fixing '%s': it is a symbolic link (fix the file it points to: "
                     "ssolint does not write through links)", path);
    if (!S_ISREG(st.st_mode))
        return error("not fixing '%s': not a regular file", path);
    if (!(st.st_mode & 0222))
        return error("not fixing '%s': the file is read-only (mode %04o)", path,
                     (unsigned)(st.st_mode & 07777));
    const char *slash = strrchr(path, '/');
    char *tmp = slash ? xasprintf("%.*s/.ssolint-fix-XXXXXX", (int)(slash - path), path)
                      : xstrdup(".ssolint-fix-XXXXXX");
    int fd = mkstemp(tmp);
    if (fd < 0) {
        error("cannot fix '%s': cannot create a temporary file beside it: %s", path,
              strerror(errno));
        free(tmp);
        return -1;
    }
    int rc = 0;
    if (write_all(fd, bytes, len) < 0 || fchmod(fd, st.st_mode & 07777) < 0 ||
        fsync(fd) < 0)
        rc = error("cannot fix '%s': writing the new text failed: %s", path, strerror(errno));
    if (close(fd) < 0 && !rc)
        rc = error("cannot fix '%s': writing the new text failed: %s", path, strerror(errno));
    if (!rc && rename(tmp, path) < 0)
        rc = error("cannot fix '%s': %s", path, strerror(errno));
    if (rc)
        unlink(tmp);
    free(tmp);
    return rc;
}

char *fix_gzip(const char *data, size_t len, size_t *outlen)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK)
        return NULL;
    size_t cap = deflateBound(&z, (uLong)len) + 64;
    char *out = xmalloc(cap);
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *outlen = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

char *fix_gunzip(const char *data, size_t len, size_t max, size_t *outlen)
{
    struct gunzip *g = gunzip_new(GUNZIP_DEFAULT);
    struct strbuf sb = STRBUF_INIT;
    char buf[65536];
    int ok = 0;
    gunzip_input(g, (const unsigned char *)data, len);
    for (;;) {
        size_t got = 0;
        enum gunzip_status st = gunzip_run(g, buf, sizeof(buf), &got);
        sb_add(&sb, buf, got);
        if (st == GUNZIP_ERROR || sb.len > max)
            break;
        if (st == GUNZIP_MEMBER_END) {
            if (!gunzip_avail_in(g)) {
                ok = 1;
                break;
            }
            gunzip_next_member(g);
        } else if (!got && !gunzip_avail_in(g)) {
            break; /* truncated */
        }
    }
    gunzip_free(g);
    if (!ok) {
        sb_free(&sb);
        return NULL;
    }
    *outlen = sb.len;
    sb_add(&sb, "", 0);
    return sb_detach(&sb);
}
