/* load/gunzip.h - a streaming gzip decoder with two back ends: ISA-L's igzip when
 * configure found libisal (about 2.4 times zlib's speed on a users export: 0.19 s against
 * 0.46 s for 42 MB of gzip on the bench machine), zlib always. Both read concatenated
 * members as one text, as gzip(1) does; the caller sees the end of each member and says
 * when to start the next, so a truncated stream is told from a complete one.
 *
 * Use: gunzip_new, then repeatedly gunzip_input (when gunzip_avail_in is 0) and
 * gunzip_run; after GUNZIP_MEMBER_END and more input, gunzip_next_member. */
#ifndef SSOLINT_GUNZIP_H
#define SSOLINT_GUNZIP_H

#include <stddef.h>

enum gunzip_backend {
    GUNZIP_DEFAULT, /* ISA-L when built with it, else zlib */
    GUNZIP_ZLIB,
    GUNZIP_ISAL, /* falls back to zlib when not built with ISA-L */
};

enum gunzip_status {
    GUNZIP_OK,         /* the output is full or the input used up */
    GUNZIP_MEMBER_END, /* a gzip member ended (its trailer checked) */
    GUNZIP_ERROR,      /* the data is not valid gzip */
};

struct gunzip;

struct gunzip *gunzip_new(enum gunzip_backend backend);
void gunzip_free(struct gunzip *g);
/* The back end in use: "isa-l" or "zlib". */
const char *gunzip_name(const struct gunzip *g);
/* Give the next n bytes of compressed input; the decoder reads them in place, so they
 * must stay until gunzip_avail_in says 0. */
void gunzip_input(struct gunzip *g, const unsigned char *in, size_t n);
size_t gunzip_avail_in(const struct gunzip *g);
/* Inflate into dst[0, n); *out is set to the bytes produced. */
enum gunzip_status gunzip_run(struct gunzip *g, char *dst, size_t n, size_t *out);
/* Start reading the next member (after GUNZIP_MEMBER_END); unread input is kept. */
void gunzip_next_member(struct gunzip *g);

#endif
