/* load/gunzip.c - the streaming gzip decoder of load/gunzip.h over ISA-L's igzip or zlib.
 * Written here only as the thin layer that gives the two libraries one interface: each
 * does the decoding, the header and the trailer check; this file maps their states and
 * return codes onto OK / member end / error. */
#include <stdlib.h>
#include <zlib.h>

#include "base/util.h"
#include "load/gunzip.h"

#ifdef HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

struct gunzip {
    enum gunzip_backend backend; /* GUNZIP_ZLIB or GUNZIP_ISAL */
    z_stream z;
#ifdef HAVE_ISAL
    struct inflate_state *isal;
    int need_header; /* the member's header is read by us: isal_inflate's own header
                      * reading uses a header struct it leaves uninitialised */
#endif
};

struct gunzip *gunzip_new(enum gunzip_backend backend)
{
    struct gunzip *g = xcalloc(1, sizeof(*g));
#ifdef HAVE_ISAL
    if (backend != GUNZIP_ZLIB) {
        g->backend = GUNZIP_ISAL;
        g->isal = xcalloc(1, sizeof(*g->isal)); /* igzip reads fields init leaves unset */
        isal_inflate_init(g->isal);
        g->need_header = 1;
        return g;
    }
#else
    (void)backend;
#endif
    g->backend = GUNZIP_ZLIB;
    if (inflateInit2(&g->z, 16 + MAX_WBITS) != Z_OK)
        die("out of memory");
    return g;
}

void gunzip_free(struct gunzip *g)
{
    if (!g)
        return;
#ifdef HAVE_ISAL
    free(g->isal);
#endif
    if (g->backend == GUNZIP_ZLIB)
        inflateEnd(&g->z);
    free(g);
}

const char *gunzip_name(const struct gunzip *g)
{
    return g->backend == GUNZIP_ISAL ? "isa-l" : "zlib";
}

void gunzip_input(struct gunzip *g, const unsigned char *in, size_t n)
{
#ifdef HAVE_ISAL
    if (g->isal) {
        g->isal->next_in = (uint8_t *)in;
        g->isal->avail_in = (uint32_t)n;
        return;
    }
#endif
    g->z.next_in = (Bytef *)in;
    g->z.avail_in = (uInt)n;
}

size_t gunzip_avail_in(const struct gunzip *g)
{
#ifdef HAVE_ISAL
    if (g->isal)
        return g->isal->avail_in;
#endif
    return g->z.avail_in;
}

#ifdef HAVE_ISAL
static enum gunzip_status run_isal(struct gunzip *g, char *dst, size_t n, size_t *out)
{
    struct inflate_state *s = g->isal;
    *out = 0;
    if (g->need_header) {
        struct isal_gzip_header h;
        isal_gzip_header_init(&h); /* no name, comment or extra buffers: skipped */
        int ret = isal_read_gzip_header(s, &h);
        if (ret == ISAL_END_INPUT)
            return GUNZIP_OK; /* more input first */
        if (ret != ISAL_DECOMP_OK)
            return GUNZIP_ERROR;
        g->need_header = 0;
        s->crc_flag = ISAL_GZIP_NO_HDR_VER; /* the body, then the trailer checked */
    }
    s->next_out = (uint8_t *)dst;
    s->avail_out = (uint32_t)n;
    int ret = isal_inflate(s);
    *out = n - s->avail_out;
    if (ret < 0)
        return GUNZIP_ERROR;
    return s->block_state == ISAL_BLOCK_FINISH ? GUNZIP_MEMBER_END : GUNZIP_OK;
}
#endif

enum gunzip_status gunzip_run(struct gunzip *g, char *dst, size_t n, size_t *out)
{
#ifdef HAVE_ISAL
    if (g->isal)
        return run_isal(g, dst, n, out);
#endif
    g->z.next_out = (Bytef *)dst;
    g->z.avail_out = (uInt)n;
    int ret = inflate(&g->z, Z_NO_FLUSH);
    *out = n - g->z.avail_out;
    if (ret == Z_STREAM_END)
        return GUNZIP_MEMBER_END;
    if (ret == Z_MEM_ERROR)
        die("out of memory");
    return ret == Z_OK ? GUNZIP_OK : GUNZIP_ERROR;
}

void gunzip_next_member(struct gunzip *g)
{
#ifdef HAVE_ISAL
    if (g->isal) {
        const uint8_t *in = g->isal->next_in;
        uint32_t avail = g->isal->avail_in;
        isal_inflate_reset(g->isal);
        g->need_header = 1;
        g->isal->next_in = (uint8_t *)in;
        g->isal->avail_in = avail;
        return;
    }
#endif
    inflateReset(&g->z);
}
