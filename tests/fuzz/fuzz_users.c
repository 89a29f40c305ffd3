/* fuzz_users.c - the users record stream: the input is written to a temp file and
 * streamed twice, as is and gzip-compressed (the loader picks gzip by magic bytes).
 * Every record's positions must lie inside its text window, the window inside the text. */
#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

#include "fuzz_common.h"
#include "load/users.h"
#include "base/path.h"
#include "base/source.h"

static int on_rec(void *ctx, const struct user_rec *r)
{
    (void)ctx;
    const struct textwin *w = r->win;
    const struct doc *d = r->doc;
    if (!w || !d || !d->root)
        abort();
    uint64_t lo = w->off, hi = w->off + w->len;
    fz_check_loc(&d->root_loc, lo, hi);
    fz_walk(d->locs, d->root, lo, hi, 1, 0);
    struct pos p;
    textwin_pos(w, d->root_loc.start, &p);
    if (p.line < w->line)
        abort();
    return 0;
}

static void on_diag(void *ctx, const struct ld_diag *d)
{
    (void)ctx;
    if (!d->msg || !*d->msg)
        abort();
    if (d->win) {
        if (d->off < d->win->off || d->off > d->win->off + d->win->len)
            abort();
        struct pos p;
        textwin_pos(d->win, d->off, &p);
    }
}

static void stream(const uint8_t *data, size_t size, const char *suffix)
{
    char *path = fz_tempfile(data, size, suffix);
    path_guard_root("/tmp"); /* fz_tempfile's directory: the reader goes through the guard */
    int id = source_add(path, "users.json", SRC_USERS);
    struct users_stats st;
    users_stream(id, on_rec, NULL, on_diag, NULL, &st);
    unlink(path);
    free(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stream(data, size, ".json");
    /* the same bytes gzip-compressed */
    uLongf zlen = compressBound(size) + 32;
    uint8_t *z = malloc(zlen);
    z_stream zs = {0};
    if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        abort();
    zs.next_in = (Bytef *)data;
    zs.avail_in = size;
    zs.next_out = z;
    zs.avail_out = zlen;
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
        abort();
    size_t n = zs.total_out;
    deflateEnd(&zs);
    stream(z, n, ".json.gz");
    /* and truncated in the middle */
    if (n > 12)
        stream(z, n / 2 + 5, ".json.gz");
    free(z);
    source_free_all();
    return 0;
}
