/* test_gunzip.c - the gzip decoder (src/load/gunzip.c) with each back end: the exact text
 * of one and of concatenated members (with and without a file name in the header), fed
 * and drained in pieces of every size, and the two kinds of bad data: cut short (no
 * member end at the end of the input) and not gzip (an error: a method other than
 * deflate, a wrong CRC). Reserved header flags are not tested: zlib refuses them, igzip
 * ignores them. Both back ends must agree
 * byte for byte; without ISA-L in the build the ISA-L run is zlib's again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <cmocka.h>

#include "load/gunzip.h"

/* gzip of text[0, n) into out (cap bytes), with a file name in the header when name. */
static size_t gz(const char *text, size_t n, const char *name, unsigned char *out, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    gz_header h;
    memset(&h, 0, sizeof(h));
    h.name = (Bytef *)name;
    if (name)
        assert_int_equal(deflateSetHeader(&z, &h), Z_OK);
    z.next_in = (Bytef *)text;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t len = cap - z.avail_out;
    deflateEnd(&z);
    return len;
}

struct result {
    char text[70000];
    size_t len;
    int members, error, truncated;
};

/* Decode in[0, n) feeding `step` bytes and draining `out` bytes at a time, the way
 * load/users_read.c drives the decoder. */
static void decode(enum gunzip_backend b, const unsigned char *in, size_t n, size_t step,
                   size_t out, struct result *r)
{
    struct gunzip *g = gunzip_new(b);
    size_t fed = 0;
    int ended = 0;
    memset(r, 0, sizeof(*r));
    for (;;) {
        if (gunzip_avail_in(g) == 0 && fed < n) {
            size_t k = n - fed < step ? n - fed : step;
            gunzip_input(g, in + fed, k);
            fed += k;
        }
        if (gunzip_avail_in(g) == 0) {
            r->truncated = !ended;
            break;
        }
        if (ended) {
            gunzip_next_member(g);
            ended = 0;
        }
        size_t got, room = sizeof(r->text) - r->len < out ? sizeof(r->text) - r->len : out;
        enum gunzip_status st = gunzip_run(g, r->text + r->len, room, &got);
        r->len += got;
        if (st == GUNZIP_MEMBER_END) {
            ended = 1;
            r->members++;
        } else if (st == GUNZIP_ERROR) {
            r->error = 1;
            break;
        }
    }
    gunzip_free(g);
}

static char text_a[60000], text_b[300];
static unsigned char data[140000];

static void make_texts(void)
{
    for (size_t i = 0; i < sizeof(text_a); i++)
        text_a[i] = (char)("{\"email\":\"a@b.org\"}\n"[i % 20] + (i / 997) % 3);
    for (size_t i = 0; i < sizeof(text_b); i++)
        text_b[i] = (char)('a' + i % 26);
}

static void check_both(const unsigned char *in, size_t n, const char *want, size_t wantlen,
                       int members)
{
    static const size_t steps[] = {1, 7, 4096, 200000};
    static const size_t outs[] = {1, 13, 65536};
    for (int b = GUNZIP_ZLIB; b <= GUNZIP_ISAL; b++)
        for (size_t i = 0; i < sizeof(steps) / sizeof(*steps); i++)
            for (size_t j = 0; j < sizeof(outs) / sizeof(*outs); j++) {
                if (steps[i] == 1 && outs[j] == 1 && n > 2000)
                    continue; /* byte by byte both ways: slow, covered on small data */
                struct result r;
                decode((enum gunzip_backend)b, in, n, steps[i], outs[j], &r);
                assert_false(r.error);
                assert_false(r.truncated);
                assert_int_equal(r.members, members);
                assert_int_equal(r.len, wantlen);
                assert_memory_equal(r.text, want, wantlen);
            }
}

static void one_member(void **state)
{
    (void)state;
    make_texts();
    size_t n = gz(text_a, sizeof(text_a), NULL, data, sizeof(data));
    check_both(data, n, text_a, sizeof(text_a), 1);
    n = gz(text_b, sizeof(text_b), "users.ndjson", data, sizeof(data));
    check_both(data, n, text_b, sizeof(text_b), 1);
}

static void concatenated_members(void **state)
{
    (void)state;
    make_texts();
    size_t n = gz(text_b, sizeof(text_b), "first", data, sizeof(data));
    n += gz(text_a, sizeof(text_a), NULL, data + n, sizeof(data) - n);
    n += gz("", 0, NULL, data + n, sizeof(data) - n); /* an empty member */
    static char want[sizeof(text_a) + sizeof(text_b)];
    memcpy(want, text_b, sizeof(text_b));
    memcpy(want + sizeof(text_b), text_a, sizeof(text_a));
    check_both(data, n, want, sizeof(want), 3);
}

static void cut_short_and_not_gzip(void **state)
{
    (void)state;
    make_texts();
    size_t n = gz(text_a, sizeof(text_a), NULL, data, sizeof(data));
    for (int b = GUNZIP_ZLIB; b <= GUNZIP_ISAL; b++) {
        struct result r;
        decode((enum gunzip_backend)b, data, n - 5, 4096, 65536, &r); /* trailer cut */
        assert_true(r.truncated);
        assert_false(r.error);
        assert_int_equal(r.members, 0);
        decode((enum gunzip_backend)b, data, n / 2, 4096, 65536, &r); /* body cut */
        assert_true(r.truncated);
        assert_true(r.len < sizeof(text_a));
        assert_memory_equal(r.text, text_a, r.len); /* what came is right */
        unsigned char bad[64];
        memcpy(bad, data, sizeof(bad));
        bad[2] = 7; /* a compression method that is not deflate */
        decode((enum gunzip_backend)b, bad, sizeof(bad), 4096, 65536, &r);
        assert_true(r.error);
        decode((enum gunzip_backend)b, data, n, 4096, 65536, &r); /* whole again */
        assert_false(r.error);
        data[n - 6] ^= 0x55; /* the CRC of the trailer */
        decode((enum gunzip_backend)b, data, n, 4096, 65536, &r);
        assert_true(r.error);
        data[n - 6] ^= 0x55;
    }
}

static void names(void **state)
{
    (void)state;
    struct gunzip *z = gunzip_new(GUNZIP_ZLIB), *d = gunzip_new(GUNZIP_DEFAULT);
    assert_string_equal(gunzip_name(z), "zlib");
#ifdef HAVE_ISAL
    assert_string_equal(gunzip_name(d), "isa-l");
#else
    assert_string_equal(gunzip_name(d), "zlib");
#endif
    gunzip_free(z);
    gunzip_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_member),
        cmocka_unit_test(concatenated_members),
        cmocka_unit_test(cut_short_and_not_gzip),
        cmocka_unit_test(names),
    };
    return cmocka_run_group_tests_name("gunzip", tests, NULL, NULL);
}
