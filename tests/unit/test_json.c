/* test_json.c - unit tests of the JSON scanner (src/load/json.c): exact positions of
 * keys and values, base offsets and offset maps, duplicate keys, every parse-error class
 * with its exact offset and message, the depth limit, and json_unescape's offset map. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/json.h"

/* What the scanner reported: count and the last diagnostic (message copied). */
struct seen {
    int n, nparse, ndup;
    struct ld_diag d;
    char msg[128], key[64];
};

static void collect(void *ctx, const struct ld_diag *d)
{
    struct seen *s = ctx;
    s->n++;
    s->nparse += d->kind == LD_PARSE_ERROR;
    s->ndup += d->kind == LD_DUPLICATE_KEY;
    s->d = *d;
    snprintf(s->msg, sizeof(s->msg), "%s", d->msg ? d->msg : "");
    snprintf(s->key, sizeof(s->key), "%s", d->key ? d->key : "");
    s->d.msg = s->msg;
    s->d.key = s->key;
}

struct fixture {
    struct load_opts o;
    struct seen seen;
    struct loc root;
};

static void fx_init(struct fixture *f, uint64_t base)
{
    memset(f, 0, sizeof(*f));
    f->o.base = base;
    f->o.report = collect;
    f->o.ctx = &f->seen;
    f->o.locs = locmap_new();
}

static json_t *scan(struct fixture *f, const char *text)
{
    return json_scan(text, strlen(text), &f->o, &f->root);
}

static void assert_loc(const struct loc *l, uint64_t key, uint64_t start, uint64_t end)
{
    assert_non_null(l);
    assert_int_equal(l->key, key);
    assert_int_equal(l->start, start);
    assert_int_equal(l->end, end);
}

static void test_nested_offsets(void **state)
{
    (void)state;
    struct fixture f;
    fx_init(&f, 0);
    const char *t = " {\"a\": {\"b\": [1, \"x\"]}, \"c\": true} ";
    json_t *v = scan(&f, t);
    assert_non_null(v);
    assert_int_equal(f.seen.n, 0);
    assert_loc(&f.root, 1, 1, 34);
    json_t *a = json_object_get(v, "a");
    assert_loc(locmap_key(f.o.locs, v, "a"), 2, 7, 22);
    assert_loc(locmap_key(f.o.locs, a, "b"), 8, 13, 21);
    json_t *b = json_object_get(a, "b");
    assert_loc(locmap_index(f.o.locs, b, 0), 14, 14, 15);
    assert_loc(locmap_index(f.o.locs, b, 1), 17, 17, 20);
    assert_string_equal(json_string_value(json_array_get(b, 1)), "x");
    assert_int_equal(json_integer_value(json_array_get(b, 0)), 1);
    assert_loc(locmap_key(f.o.locs, v, "c"), 24, 29, 33);
    assert_true(json_is_true(json_object_get(v, "c")));
    assert_null(locmap_key(f.o.locs, v, "zz"));
    assert_int_equal(locmap_key(f.o.locs, v, "c")->flags, 0);
    json_decref(v);
    locmap_free(f.o.locs);
}

static void test_escaped_key_and_empty_containers(void **state)
{
    (void)state;
    struct fixture f;
    fx_init(&f, 0);
    const char *t = "{\"a\\u0062\":[],\"\":{},\"s\":\"q\\n\\u00e9\"}";
    json_t *v = scan(&f, t);
    assert_non_null(v);
    assert_loc(locmap_key(f.o.locs, v, "ab"), 1, 11, 13);
    assert_loc(locmap_key(f.o.locs, v, ""), 14, 17, 19);
    assert_loc(locmap_key(f.o.locs, v, "s"), 20, 24, 35);
    assert_string_equal(json_string_value(json_object_get(v, "s")), "q\n\xc3\xa9");
    assert_int_equal(json_object_size(v), 3);
    json_decref(v);
    locmap_free(f.o.locs);
}

static void test_base_and_offmap(void **state)
{
    (void)state;
    struct fixture f;
    fx_init(&f, 50);
    json_t *v = scan(&f, "[true, null]");
    assert_non_null(v);
    assert_loc(&f.root, 50, 50, 62);
    assert_loc(locmap_index(f.o.locs, v, 1), 57, 57, 61);
    assert_true(json_is_null(json_array_get(v, 1)));
    json_decref(v);
    locmap_free(f.o.locs);

    /* the file holds {"k": @@V@@, "m": 1} at offset 100; @@V@@ became "abcdef" */
    struct offmap m;
    offmap_init(&m, 100);
    offmap_add(&m, 6, 8, 106, 5, SEG_RESOLVED);
    fx_init(&f, 0);
    f.o.map = &m;
    v = scan(&f, "{\"k\": \"abcdef\", \"m\": 1}");
    assert_non_null(v);
    const struct loc *k = locmap_key(f.o.locs, v, "k");
    assert_loc(k, 101, 106, 111);
    assert_int_equal(k->flags, LOC_PLACEHOLDER);
    const struct loc *mm = locmap_key(f.o.locs, v, "m");
    assert_loc(mm, 113, 118, 119);
    assert_int_equal(mm->flags, 0);
    assert_loc(&f.root, 100, 100, 120);
    json_decref(v);
    locmap_free(f.o.locs);
    offmap_free(&m);
}

static void test_utf8_content(void **state)
{
    (void)state;
    struct fixture f;
    fx_init(&f, 0);
    /* "é" is 2 bytes, "日本" 6, "😀" 4 */
    const char *t = "{\"\xc3\xa9\": \"\xe6\x97\xa5\xe6\x9c\xac\", \"x\": \"\xf0\x9f\x98\x80\"}";
    json_t *v = scan(&f, t);
    assert_non_null(v);
    assert_loc(locmap_key(f.o.locs, v, "\xc3\xa9"), 1, 7, 15);
    assert_loc(locmap_key(f.o.locs, v, "x"), 17, 22, 28);
    assert_string_equal(json_string_value(json_object_get(v, "\xc3\xa9")), "\xe6\x97\xa5\xe6\x9c\xac");
    json_decref(v);
    locmap_free(f.o.locs);

    fx_init(&f, 0);
    v = scan(&f, "\"\\ud83d\\ude00\\u65e5\\u0041\"");
    assert_non_null(v);
    assert_string_equal(json_string_value(v), "\xf0\x9f\x98\x80\xe6\x97\xa5" "A");
    json_decref(v);
    locmap_free(f.o.locs);
}

static void test_duplicate_key(void **state)
{
    (void)state;
    struct fixture f;
    fx_init(&f, 10);
    const char *t = "{\"a\": 1, \"b\": 2, \"a\": [3]}";
    json_t *v = scan(&f, t);
    assert_non_null(v);
    assert_int_equal(f.seen.n, 1);
    assert_int_equal(f.seen.ndup, 1);
    assert_int_equal(f.seen.d.kind, LD_DUPLICATE_KEY);
    assert_int_equal(f.seen.d.off, 27);
    assert_int_equal(f.seen.d.off2, 11);
    assert_string_equal(f.seen.key, "a");
    json_t *a = json_object_get(v, "a");
    assert_true(json_is_array(a));
    assert_int_equal(json_integer_value(json_array_get(a, 0)), 3);
    assert_int_equal(json_object_size(v), 2);
    assert_loc(locmap_key(f.o.locs, v, "a"), 27, 32, 35);
    json_decref(v);
    locmap_free(f.o.locs);
}

struct err_case {
    const char *text;
    size_t len; /* 0: strlen */
    uint64_t off;
    const char *msg;
};

static void test_errors(void **state)
{
    (void)state;
    static const struct err_case cases[] = {
        {"{\"a\": [1, 2", 0, 11, "unexpected end of input, expected ',' or ']'"},
        {"{\"a\":1,}", 0, 7, "trailing comma in an object"},
        {"[1,]", 0, 3, "trailing comma in an array"},
        {"[\"a\\qb\"]", 0, 3, "invalid escape in a string"},
        {"[\"a\\u12g4\"]", 0, 3, "invalid \\u escape in a string (expected 4 hex digits)"},
        {"[\"a\xff" "b\"]", 0, 3, "invalid UTF-8 byte in a string"},
        {"[\"\xe2\x82x\"]", 0, 4, "invalid UTF-8 byte in a string"},
        {"[\"\xed\xa0\x80\"]", 0, 3, "invalid UTF-8 byte in a string"},
        {"[\"\xc0\xaf\"]", 0, 2, "invalid UTF-8 byte in a string"},
        {"[\"a\nb\"]", 0, 3, "control character in a string (escape it as \\uXXXX)"},
        {"[\"a\\ud800x\"]", 0, 3, "unpaired UTF-16 surrogate in a \\u escape"},
        {"[\"\\udc00\"]", 0, 2, "unpaired UTF-16 surrogate in a \\u escape"},
        {"[\"\\ud800\\u0041\"]", 0, 2, "unpaired UTF-16 surrogate in a \\u escape"},
        {"[\"\\ud800\\u00", 0, 12, "unexpected end of input, expected a low surrogate"},
        {"[01]", 0, 2, "leading zero in a number"},
        {"-012", 0, 2, "leading zero in a number"},
        {"[-]", 0, 2, "expected a digit after '-'"},
        {"[1.]", 0, 3, "expected a digit after the decimal point"},
        {"[1e+]", 0, 4, "expected a digit in the exponent"},
        {"1.", 0, 2, "unexpected end of input, expected a digit"},
        {"[1e999]", 0, 1, "number out of range"},
        {"{} x", 0, 3, "unexpected text after the JSON value"},
        {"1 2", 0, 2, "unexpected text after the JSON value"},
        {"", 0, 0, "empty input"},
        {" \n\t", 0, 3, "empty input"},
        {"{\"a\" 1}", 0, 5, "expected ':' after an object key"},
        {"{\"a\"", 0, 4, "unexpected end of input, expected ':'"},
        {"{1:2}", 0, 1, "expected a string key or '}'"},
        {"{\"a\":1,2}", 0, 7, "expected a string key after ','"},
        {"{\"a\":1 \"b\":2}", 0, 7, "expected ',' or '}' after an object member"},
        {"[1 2]", 0, 3, "expected ',' or ']' after an array element"},
        {"{\"a\":}", 0, 5, "expected a value"},
        {"['a']", 0, 1, "expected a value"},
        {"[", 0, 1, "unexpected end of input, expected a value or ']'"},
        {"{", 0, 1, "unexpected end of input, expected a string key or '}'"},
        {"[1,", 0, 3, "unexpected end of input, expected a value"},
        {"{\"a\":", 0, 5, "unexpected end of input, expected a value"},
        {"[tru]", 0, 4, "invalid literal, expected true, false or null"},
        {"nul", 0, 3, "unexpected end of input, expected true, false or null"},
        {"\"abc", 0, 4, "unexpected end of input, expected '\"' to close a string"},
        {"\"ab\\", 0, 4, "unexpected end of input, expected '\"' to close a string"},
        {"\"\\u00", 0, 5, "unexpected end of input, expected 4 hex digits"},
        {"{\"a\\u0000\":1}", 0, 3, "\\u0000 in an object key is not supported"},
        {"[\"a\0b\"]", 7, 3, "control character in a string (escape it as \\uXXXX)"},
        {"[1]\0", 4, 3, "unexpected text after the JSON value"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct err_case *c = &cases[i];
        struct fixture f;
        fx_init(&f, 1000);
        size_t len = c->len ? c->len : strlen(c->text);
        json_t *v = json_scan(c->text, len, &f.o, &f.root);
        if (v || f.seen.nparse != 1 || f.seen.n != 1 || f.seen.d.off != 1000 + c->off ||
            strcmp(f.seen.msg, c->msg) != 0)
            fail_msg("case %zu: got %s, %d reports, off %llu, \"%s\"", i, v ? "a value" : "NULL",
                     f.seen.n, (unsigned long long)f.seen.d.off, f.seen.msg);
        json_decref(v);
        locmap_free(f.o.locs);
    }
}

static void test_error_frees_partial_tree(void **state)
{
    (void)state;
    struct fixture f;
    fx_init(&f, 0);
    json_t *v = scan(&f, "{\"a\": {\"b\": [\"x\", {\"c\": \"long string value\"}, 2], \"d\": ");
    assert_null(v);
    assert_int_equal(f.seen.nparse, 1);
    assert_string_equal(f.seen.msg, "unexpected end of input, expected a value");
    locmap_free(f.o.locs);

    /* no reporter: still NULL, no crash */
    fx_init(&f, 0);
    f.o.report = NULL;
    assert_null(scan(&f, "[1,,2]"));
    locmap_free(f.o.locs);
}

static char *repeat(char c, size_t n, const char *tail)
{
    size_t tl = strlen(tail);
    char *s = malloc(n + tl + 1);
    memset(s, c, n);
    memcpy(s + n, tail, tl + 1);
    return s;
}

static void test_depth(void **state)
{
    (void)state;
    struct fixture f;
    fx_init(&f, 0);
    char *deep = repeat('[', 100000, "");
    assert_null(json_scan(deep, 100000, &f.o, NULL));
    assert_int_equal(f.seen.nparse, 1);
    assert_int_equal(f.seen.d.off, 2048);
    assert_string_equal(f.seen.msg, "nesting deeper than 2048 levels");
    free(deep);
    locmap_free(f.o.locs);

    /* exactly 2048 levels parse */
    fx_init(&f, 0);
    char *ok = malloc(4097);
    memset(ok, '[', 2048);
    memset(ok + 2048, ']', 2048);
    ok[4096] = 0;
    json_t *v = scan(&f, ok);
    assert_non_null(v);
    assert_int_equal(f.seen.n, 0);
    assert_loc(&f.root, 0, 0, 4096);
    assert_loc(locmap_index(f.o.locs, v, 0), 1, 1, 4095);
    json_decref(v);
    free(ok);
    locmap_free(f.o.locs);

    fx_init(&f, 0);
    f.o.max_depth = 2;
    assert_null(scan(&f, "{\"a\": {\"b\": {}}}"));
    assert_int_equal(f.seen.d.off, 12);
    assert_string_equal(f.seen.msg, "nesting deeper than 2 levels");
    locmap_free(f.o.locs);
}

static void test_numbers(void **state)
{
    (void)state;
    struct fixture f;
    fx_init(&f, 0);
    json_t *v = scan(&f, "[9223372036854775807, -9223372036854775808, 9223372036854775808, "
                         "-9223372036854775809, 123456789012345678901234567890, -0, 0, "
                         "1.5e2, -2E-2, 10e0]");
    assert_non_null(v);
    assert_true(json_is_integer(json_array_get(v, 0)));
    assert_true(json_integer_value(json_array_get(v, 0)) == INT64_MAX);
    assert_true(json_is_integer(json_array_get(v, 1)));
    assert_true(json_integer_value(json_array_get(v, 1)) == INT64_MIN);
    assert_true(json_is_real(json_array_get(v, 2)));
    assert_true(json_real_value(json_array_get(v, 2)) == 9223372036854775808.0);
    assert_true(json_is_real(json_array_get(v, 3)));
    assert_true(json_real_value(json_array_get(v, 3)) == -9223372036854775809.0);
    assert_true(json_is_real(json_array_get(v, 4)));
    assert_true(json_real_value(json_array_get(v, 4)) == 1.2345678901234568e29);
    assert_true(json_is_integer(json_array_get(v, 5)));
    assert_int_equal(json_integer_value(json_array_get(v, 5)), 0);
    assert_true(json_real_value(json_array_get(v, 7)) == 150.0);
    assert_true(json_real_value(json_array_get(v, 8)) == -0.02);
    assert_true(json_is_real(json_array_get(v, 9)));
    assert_loc(locmap_index(f.o.locs, v, 4), 87, 87, 117);
    json_decref(v);
    locmap_free(f.o.locs);
}

static void test_unescape(void **state)
{
    (void)state;
    struct offmap m;
    char *out;
    size_t n;
    /*                  0 1 2 34 5 6       12 */
    const char *lit = "\"a\\\"b\\u00e9c\" tail";
    size_t used = json_unescape(lit, strlen(lit), 10, &out, &n, &m);
    assert_int_equal(used, 13);
    assert_int_equal(n, 6);
    assert_memory_equal(out, "a\"b\xc3\xa9" "c", 6);
    assert_int_equal(offmap_map(&m, 0), 11); /* a */
    assert_int_equal(offmap_map(&m, 1), 12); /* \" -> its backslash */
    assert_int_equal(offmap_map(&m, 2), 14); /* b */
    assert_int_equal(offmap_map(&m, 3), 15); /* both bytes of é -> the \u backslash */
    assert_int_equal(offmap_map(&m, 4), 15);
    assert_int_equal(offmap_map(&m, 5), 21); /* c */
    assert_int_equal(offmap_map(&m, 6), 22); /* the closing quote */
    free(out);
    offmap_free(&m);

    /* no map, no escape, empty */
    assert_int_equal(json_unescape("\"\"", 2, 0, &out, &n, NULL), 2);
    assert_int_equal(n, 0);
    assert_string_equal(out, "");
    free(out);

    /* invalid literals */
    assert_int_equal(json_unescape("\"ab", 3, 0, &out, &n, &m), 0);
    assert_null(out);
    offmap_free(&m);
    assert_int_equal(json_unescape("x", 1, 0, &out, &n, NULL), 0);
    assert_int_equal(json_unescape("\"\\x\"", 4, 0, &out, &n, NULL), 0);
}

/* A worker's attributes: a JSON string holding JSON, parsed again and located in the file. */
static void test_nested_attributes(void **state)
{
    (void)state;
    struct fixture f;
    fx_init(&f, 0);
    const char *t = "{\"attributes\": \"{\\\"team\\\":\\\"RAMP\\\"}\"}";
    json_t *v = scan(&f, t);
    assert_non_null(v);
    const struct loc *al = locmap_key(f.o.locs, v, "attributes");
    assert_loc(al, 1, 15, 36);

    char *inner;
    size_t n;
    struct offmap m;
    size_t used = json_unescape(t + al->start, strlen(t) - al->start, al->start, &inner, &n, &m);
    assert_int_equal(used, al->end - al->start);
    assert_string_equal(inner, "{\"team\":\"RAMP\"}");

    struct fixture g;
    fx_init(&g, 0);
    g.o.map = &m;
    json_t *w = json_scan(inner, n, &g.o, &g.root);
    assert_non_null(w);
    assert_string_equal(json_string_value(json_object_get(w, "team")), "RAMP");
    /* the key's quote is the backslash at 17; RAMP's opening quote the backslash at 26 */
    const struct loc *tl = locmap_key(g.o.locs, w, "team");
    assert_loc(tl, 17, 26, 34);
    assert_int_equal(t[tl->start], '\\');
    assert_int_equal(t[tl->start + 2], 'R');
    assert_loc(&g.root, 16, 16, 35);
    assert_int_equal(tl->flags, 0);

    /* an error inside maps to the raw byte too */
    free(inner);
    offmap_free(&m);
    const char *bad = "\"{\\\"a\\\" 1}\"";
    used = json_unescape(bad, strlen(bad), 0, &inner, &n, &m);
    assert_int_equal(used, strlen(bad));
    struct fixture h;
    fx_init(&h, 0);
    h.o.map = &m;
    assert_null(json_scan(inner, n, &h.o, NULL));
    assert_int_equal(h.seen.d.off, 8);
    assert_int_equal(bad[8], '1');

    free(inner);
    offmap_free(&m);
    json_decref(w);
    json_decref(v);
    locmap_free(f.o.locs);
    locmap_free(g.o.locs);
    locmap_free(h.o.locs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nested_offsets),
        cmocka_unit_test(test_escaped_key_and_empty_containers),
        cmocka_unit_test(test_base_and_offmap),
        cmocka_unit_test(test_utf8_content),
        cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_error_frees_partial_tree),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_unescape),
        cmocka_unit_test(test_nested_attributes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
