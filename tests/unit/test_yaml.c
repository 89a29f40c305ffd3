/* test_yaml.c - unit tests of the YAML loader (src/load/yaml.c): exact byte offsets of
 * keys and values (plain, quoted, block scalars, UTF-8 text, CRLF), core-schema typing,
 * tags, duplicate keys, anchors, aliases and merge keys, the alias-expansion and depth
 * limits, and the offset of every parse-error class, with a base offset and an offmap. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "load/yaml.h"

/* What the loader reported: counts and the last diagnostic (strings copied). */
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

static void fx_free(struct fixture *f)
{
    locmap_free(f->o.locs);
}

static json_t *scan(struct fixture *f, const char *text)
{
    return yaml_scan(text, strlen(text), &f->o, &f->root);
}

/* Byte offset of the first occurrence of needle in text (the test's own arithmetic). */
static uint64_t at(const char *text, const char *needle)
{
    const char *p = strstr(text, needle);
    assert_non_null(p);
    return (uint64_t)(p - text);
}

static const struct loc *key_loc(const struct fixture *f, const json_t *obj,
                                 const char *k)
{
    const struct loc *l = locmap_key(f->o.locs, obj, k);
    assert_non_null(l);
    return l;
}

static void assert_loc(const struct loc *l, uint64_t key, uint64_t start, uint64_t end)
{
    assert_non_null(l);
    assert_int_equal(l->key, key);
    assert_int_equal(l->start, start);
    assert_int_equal(l->end, end);
}

/* Exactly one parse error, at off, with message msg, and no value. */
static void expect_error(const char *text, size_t len, uint64_t base, uint64_t off,
                         const char *msg)
{
    struct fixture f;
    fx_init(&f, base);
    json_t *v = yaml_scan(text, len, &f.o, NULL);
    assert_null(v);
    assert_int_equal(f.seen.n, 1);
    assert_int_equal(f.seen.nparse, 1);
    assert_int_equal(f.seen.d.off, off);
    assert_string_equal(f.seen.msg, msg);
    fx_free(&f);
}

static void test_nested_offsets(void **state)
{
    (void)state;
    const char *t = "root:\n"
                    "  name: plain\n"
                    "  q: \"q v\"\n"
                    "  block: |\n"
                    "    l1\n"
                    "    l2\n"
                    "  list:\n"
                    "    - a\n"
                    "    - 'b'\n"
                    "z: 1\n";
    struct fixture f;
    fx_init(&f, 0);
    json_t *v = scan(&f, t);
    assert_non_null(v);
    assert_int_equal(f.seen.n, 0);
    json_t *root = json_object_get(v, "root");
    assert_string_equal(json_string_value(json_object_get(root, "block")), "l1\nl2\n");

    /* a block mapping starts at its first key and ends where the next token starts */
    assert_loc(key_loc(&f, v, "root"), 0, at(t, "name"), at(t, "z:"));
    assert_loc(key_loc(&f, root, "name"), at(t, "name"), at(t, "plain"),
               at(t, "plain") + 5);
    /* a quoted scalar spans its quotes */
    const struct loc *q = key_loc(&f, root, "q");
    assert_loc(q, at(t, "q:"), at(t, "\"q v\""), at(t, "\"q v\"") + 5);
    assert_int_equal(q->flags, LOC_QUOTED);
    assert_int_equal(key_loc(&f, root, "name")->flags, 0);
    /* a block scalar starts at its indicator and ends after its last line break */
    assert_loc(key_loc(&f, root, "block"), at(t, "block"), at(t, "|"), at(t, "  list"));

    json_t *list = json_object_get(root, "list");
    assert_int_equal(json_array_size(list), 2);
    assert_loc(key_loc(&f, root, "list"), at(t, "list"), at(t, "- a"), at(t, "z:"));
    const struct loc *i0 = locmap_index(f.o.locs, list, 0);
    const struct loc *i1 = locmap_index(f.o.locs, list, 1);
    assert_loc(i0, at(t, "a\n"), at(t, "a\n"), at(t, "a\n") + 1);
    assert_loc(i1, at(t, "'b'"), at(t, "'b'"), at(t, "'b'") + 3);
    assert_int_equal(i1->flags, LOC_QUOTED);
    assert_loc(key_loc(&f, v, "z"), at(t, "z:"), at(t, "z:") + 3, at(t, "z:") + 4);
    assert_int_equal(f.root.start, 0);
    assert_int_equal(f.root.end, strlen(t));
    json_decref(v);
    fx_free(&f);
}

static void test_utf8_byte_offsets(void **state)
{
    (void)state;
    /* é, ö, ü are two bytes each; libyaml counts them as one character */
    const char *t = "n: \"h\xc3\xa9llo w\xc3\xb6rld\"\n"
                    "k: val\xc3\xbc"
                    "e\n"
                    "\xe2\x82\xac: [x, \"\xf0\x9f\x98\x80\", y]\n"
                    "next: 1\n";
    struct fixture f;
    fx_init(&f, 0);
    json_t *v = scan(&f, t);
    assert_non_null(v);
    assert_loc(key_loc(&f, v, "n"), 0, 3, 18);
    assert_loc(key_loc(&f, v, "k"), 19, 22, 28);
    json_t *arr = json_object_get(v, "\xe2\x82\xac");
    assert_loc(key_loc(&f, v, "\xe2\x82\xac"), 29, 34, 48);
    assert_loc(locmap_index(f.o.locs, arr, 1), 38, 38, 44);
    assert_loc(locmap_index(f.o.locs, arr, 2), 46, 46, 47);
    assert_loc(key_loc(&f, v, "next"), 49, 55, 56);
    assert_int_equal(at(t, "next"), 49);
    json_decref(v);
    fx_free(&f);
}

static void test_crlf(void **state)
{
    (void)state;
    const char *t = "a: b\r\nc:\r\n  d: \"x\"\r\n  e: |\r\n    t\r\n";
    struct fixture f;
    fx_init(&f, 0);
    json_t *v = scan(&f, t);
    assert_non_null(v);
    json_t *c = json_object_get(v, "c");
    assert_string_equal(json_string_value(json_object_get(c, "e")), "t\n");
    assert_loc(key_loc(&f, v, "a"), 0, 3, 4);
    assert_loc(key_loc(&f, v, "c"), 6, 12, strlen(t));
    assert_loc(key_loc(&f, c, "d"), 12, 15, 18);
    assert_loc(key_loc(&f, c, "e"), 22, 25, strlen(t));
    json_decref(v);
    fx_free(&f);

    const char *bad = "a: 1\r\nb: [1,\r\n  2\r\n";
    expect_error(bad, strlen(bad), 0, strlen(bad),
                 "did not find expected ',' or ']' while parsing a flow sequence");
}

static void test_core_schema(void **state)
{
    (void)state;
    const char *t = "s_yes: yes\ns_no: no\ns_on: on\ns_off: off\ns_y: y\n"
                    "deployed: true\nT: True\nF: FALSE\n"
                    "hex: 0x1F\noct: 0o17\ndec: -42\nplus: +7\n"
                    "big: 99999999999999999999\nbighex: 0xFFFFFFFFFFFFFFFFFF\n"
                    "exp: 1e3\nflt: -3.25\ndot: .5\ntrail: 2.\n"
                    "inf: -.inf\nnan: .NaN\n"
                    "tilde: ~\nnul: Null\nempty:\n"
                    "qtrue: \"true\"\nsq: '12'\nver: 1.2.3\nhexish: 0x\nblk: |\n  3\n";
    struct fixture f;
    fx_init(&f, 0);
    json_t *v = scan(&f, t);
    assert_non_null(v);
    static const char *const strings[][2] = {
        {"s_yes", "yes"}, {"s_no", "no"},   {"s_on", "on"},   {"s_off", "off"},
        {"s_y", "y"},     {"inf", "-.inf"}, {"nan", ".NaN"},  {"qtrue", "true"},
        {"sq", "12"},     {"ver", "1.2.3"}, {"hexish", "0x"}, {"blk", "3\n"},
    };
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        json_t *s = json_object_get(v, strings[i][0]);
        assert_true(json_is_string(s));
        assert_string_equal(json_string_value(s), strings[i][1]);
    }
    assert_true(json_is_true(json_object_get(v, "deployed")));
    assert_true(json_is_true(json_object_get(v, "T")));
    assert_true(json_is_false(json_object_get(v, "F")));
    assert_int_equal(json_integer_value(json_object_get(v, "hex")), 31);
    assert_int_equal(json_integer_value(json_object_get(v, "oct")), 15);
    assert_int_equal(json_integer_value(json_object_get(v, "dec")), -42);
    assert_int_equal(json_integer_value(json_object_get(v, "plus")), 7);
    assert_true(json_is_real(json_object_get(v, "big")));
    assert_true(json_real_value(json_object_get(v, "big")) == 1e20);
    assert_true(json_real_value(json_object_get(v, "bighex")) ==
                4722366482869645213695.0);
    assert_true(json_is_real(json_object_get(v, "exp")));
    assert_true(json_real_value(json_object_get(v, "exp")) == 1000.0);
    assert_true(json_real_value(json_object_get(v, "flt")) == -3.25);
    assert_true(json_real_value(json_object_get(v, "dot")) == 0.5);
    assert_true(json_real_value(json_object_get(v, "trail")) == 2.0);
    assert_true(json_is_null(json_object_get(v, "tilde")));
    assert_true(json_is_null(json_object_get(v, "nul")));
    assert_true(json_is_null(json_object_get(v, "empty")));
    assert_int_equal(key_loc(&f, v, "qtrue")->flags, LOC_QUOTED);
    assert_int_equal(key_loc(&f, v, "deployed")->flags, 0);
    json_decref(v);
    fx_free(&f);
}

static void test_tags_and_keys(void **state)
{
    (void)state;
    const char *t = "ref: !Ref 12\nstr: !!str 12\ntint: !!int \"7\"\ntfloat: !!float 1\n"
                    "tnull: !!null ''\nbang: ! 12\n12: twelve\ntrue: t\n";
    struct fixture f;
    fx_init(&f, 0);
    json_t *v = scan(&f, t);
    assert_non_null(v);
    assert_int_equal(json_integer_value(json_object_get(v, "ref")), 12);
    assert_string_equal(json_string_value(json_object_get(v, "str")), "12");
    assert_int_equal(json_integer_value(json_object_get(v, "tint")), 7);
    assert_true(json_is_real(json_object_get(v, "tfloat")));
    assert_true(json_is_null(json_object_get(v, "tnull")));
    assert_string_equal(json_string_value(json_object_get(v, "bang")), "12");
    /* keys are their text whatever they would type as */
    assert_string_equal(json_string_value(json_object_get(v, "12")), "twelve");
    assert_string_equal(json_string_value(json_object_get(v, "true")), "t");
    /* a tagged value starts at its tag */
    assert_loc(key_loc(&f, v, "str"), at(t, "str"), at(t, "!!str"),
               at(t, "12\ntint") + 2);
    json_decref(v);
    fx_free(&f);

    const char *e1 = "a: 1\nb: !!int abc\n";
    expect_error(e1, strlen(e1), 0, 8, "value does not match its !!int tag");
    const char *e2 = "b: !!bool yes\n";
    expect_error(e2, strlen(e2), 0, 3, "value does not match its !!bool tag");
    const char *e3 = "{a: 1, [x]: 2}";
    expect_error(e3, strlen(e3), 0, 7, "a mapping key must be a scalar");
    const char *e4 = "? {a: 1}\n: 2\n";
    expect_error(e4, strlen(e4), 0, 2, "a mapping key must be a scalar");
}

static void test_duplicate_key(void **state)
{
    (void)state;
    const char *t = "a: 1\nb: 2\na: [3]\n";
    struct fixture f;
    fx_init(&f, 500);
    json_t *v = scan(&f, t);
    assert_non_null(v);
    assert_int_equal(f.seen.n, 1);
    assert_int_equal(f.seen.ndup, 1);
    assert_int_equal(f.seen.d.off, 510);
    assert_int_equal(f.seen.d.end, 511);
    assert_int_equal(f.seen.d.off2, 500);
    assert_string_equal(f.seen.key, "a");
    /* the later value wins, with its position */
    assert_int_equal(json_integer_value(json_array_get(json_object_get(v, "a"), 0)), 3);
    assert_loc(key_loc(&f, v, "a"), 510, 513, 516);
    assert_int_equal(json_object_size(v), 2);
    json_decref(v);
    fx_free(&f);
}

static void test_anchors_aliases(void **state)
{
    (void)state;
    const char *t = "base: &b {x: 1, y: [1, 2]}\n"
                    "copy: *b\n"
                    "s: &s \"true\"\n"
                    "t: *s\n"
                    "*s : key from alias\n";
    struct fixture f;
    fx_init(&f, 0);
    json_t *v = scan(&f, t);
    assert_non_null(v);
    json_t *base = json_object_get(v, "base"), *copy = json_object_get(v, "copy");
    assert_true(json_equal(base, copy));
    assert_ptr_not_equal(base, copy);
    assert_ptr_not_equal(json_object_get(base, "y"), json_object_get(copy, "y"));
    uint64_t a = at(t, "*b");
    assert_loc(key_loc(&f, v, "copy"), at(t, "copy"), a, a + 2);
    /* members of a copy point at the alias */
    assert_loc(key_loc(&f, copy, "x"), a, a, a + 2);
    assert_loc(locmap_index(f.o.locs, json_object_get(copy, "y"), 1), a, a, a + 2);
    assert_loc(key_loc(&f, base, "x"), at(t, "x:"), at(t, "1,"), at(t, "1,") + 1);
    /* an alias of a quoted scalar is still a string on purpose */
    assert_string_equal(json_string_value(json_object_get(v, "t")), "true");
    assert_int_equal(key_loc(&f, v, "t")->flags, LOC_QUOTED);
    assert_string_equal(json_string_value(json_object_get(v, "true")), "key from alias");
    assert_int_equal(key_loc(&f, v, "true")->key, at(t, "*s :"));
    json_decref(v);
    fx_free(&f);

    const char *e1 = "a: *nope\n";
    expect_error(e1, strlen(e1), 0, 3, "found an alias to an undefined anchor");
    const char *e2 = "a: &r [1, *r]\n";
    expect_error(e2, strlen(e2), 0, 10, "found an alias to an undefined anchor");
    const char *e3 = "m: &m {a: 1}\n*m : 2\n";
    expect_error(e3, strlen(e3), 0, 13, "a mapping key must be a scalar");
}

static void test_merge_keys(void **state)
{
    (void)state;
    const char *t = "b: &b {x: 1, y: [1, 2]}\n"
                    "m:\n  <<: *b\n  x: 5\n"
                    "n:\n  <<: [{p: 1}, {p: 2, q: 3}]\n"
                    "i:\n  <<: &i {z: [7]}\n"
                    "j: *i\n"
                    "k: {'<<': 1}\n";
    struct fixture f;
    fx_init(&f, 0);
    json_t *v = scan(&f, t);
    assert_non_null(v);
    assert_int_equal(f.seen.n, 0);
    json_t *m = json_object_get(v, "m"), *n = json_object_get(v, "n");
    assert_int_equal(json_object_size(m), 2);
    assert_int_equal(json_integer_value(json_object_get(m, "x")), 5); /* own key wins */
    assert_int_equal(json_array_size(json_object_get(m, "y")), 2);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(m, "y"), 1)), 2);
    uint64_t a = at(t, "*b\n");
    assert_loc(key_loc(&f, m, "y"), a, a, a + 2);
    assert_loc(key_loc(&f, m, "x"), at(t, "x: 5"), at(t, "5\n"), at(t, "5\n") + 1);
    /* earlier mappings of a merge list win; inline mappings keep their positions */
    assert_int_equal(json_integer_value(json_object_get(n, "p")), 1);
    assert_int_equal(json_integer_value(json_object_get(n, "q")), 3);
    assert_loc(key_loc(&f, n, "p"), at(t, "p: 1"), at(t, "1}"), at(t, "1}") + 1);
    /* an anchored merge source is copied, not shared */
    json_t *i = json_object_get(v, "i"), *j = json_object_get(v, "j");
    assert_true(json_equal(json_object_get(i, "z"), json_object_get(j, "z")));
    assert_ptr_not_equal(json_object_get(i, "z"), json_object_get(j, "z"));
    /* a quoted << is an ordinary key */
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "k"), "<<")),
                     1);
    json_decref(v);
    fx_free(&f);

    const char *e1 = "a:\n  <<: 1\n";
    expect_error(e1, strlen(e1), 0, 9,
                 "a merge key needs a mapping or a list of mappings");
    const char *e2 = "a:\n  <<: [{b: 1}, 2]\n";
    expect_error(e2, strlen(e2), 0, 9,
                 "a merge key needs a mapping or a list of mappings");
}

static void test_billion_laughs(void **state)
{
    (void)state;
    char *t = malloc(4096), *p = t;
    p += sprintf(p, "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 9; i++) {
        p += sprintf(p, "a%d: &a%d [", i, i);
        for (int k = 0; k < 10; k++)
            p += sprintf(p, "%s*a%d", k ? ", " : "", i - 1);
        p += sprintf(p, "]\n");
    }
    /* a0 has 11 nodes, a1 111, a2 1111: the 8th alias in a3 passes 10000 nodes */
    uint64_t off = at(t, "a3: &a3 [") + strlen("a3: &a3 [") + 7 * strlen("*a2, ");
    clock_t c0 = clock();
    expect_error(t, strlen(t), 0, off, "alias expansion exceeds 10000 nodes");
    assert_true((double)(clock() - c0) / CLOCKS_PER_SEC < 5.0);
    free(t);
}

static void test_depth(void **state)
{
    (void)state;
    size_t n = 100000;
    char *t = malloc(n + 1);
    memset(t, '[', n);
    t[n] = '\0';
    expect_error(t, n, 0, 2048, "nesting deeper than 2048 levels");
    free(t);

    struct fixture f;
    fx_init(&f, 0);
    f.o.max_depth = 3;
    json_t *v = scan(&f, "[[[1]]]");
    assert_non_null(v);
    assert_int_equal(f.seen.n, 0);
    json_decref(v);
    /* an alias that would nest too deep where it is inserted */
    v = scan(&f, "a: &x [[1]]\nb: [*x]\n");
    assert_null(v);
    assert_int_equal(f.seen.nparse, 1);
    assert_int_equal(f.seen.d.off, 16);
    assert_string_equal(f.seen.msg, "nesting deeper than 3 levels");
    fx_free(&f);
}

static void test_parse_errors(void **state)
{
    (void)state;
    const char *tab = "a:\n\tb: 1\n";
    expect_error(tab, strlen(tab), 0, 3,
                 "found a tab character where indentation or a token was expected "
                 "(indent with spaces)");
    const char *two = "a: 1\n---\nb: 2\n";
    expect_error(two, strlen(two), 0, 5,
                 "only one YAML document is read; found a second one");
    const char *flow = "a: {b: 1, c: 2";
    expect_error(flow, strlen(flow), 0, strlen(flow),
                 "did not find expected ',' or '}' while parsing a flow mapping");
    /* with a base offset: file offsets */
    expect_error(flow, strlen(flow), 1000, 1000 + strlen(flow),
                 "did not find expected ',' or '}' while parsing a flow mapping");
    const char *quote = "k: \"\xc3\xa9\xc3\xa9 never closed\n";
    expect_error(quote, strlen(quote), 0, strlen(quote),
                 "found unexpected end of stream while scanning a quoted scalar");
    /* invalid UTF-8 after multi-byte text: the offset of the bad byte */
    const char *bad = "\xc3\xa9: x\nb: \xff\n";
    expect_error(bad, strlen(bad), 7, 7 + 9, "invalid leading utf-8 octet");
    const char *nul = "a: b\0c\n";
    expect_error(nul, 7, 0, 4, "control characters are not allowed");
    /* refused before a byte is read */
    expect_error("", (size_t)LOAD_MAX_DOC + 1, 0, 0, "document larger than 512 MB");
}

static void test_empty_and_scalar_roots(void **state)
{
    (void)state;
    static const char *const empties[] = {"", "# only a comment\n", "---\n", "~\n"};
    for (size_t i = 0; i < sizeof(empties) / sizeof(empties[0]); i++) {
        struct fixture f;
        fx_init(&f, 40);
        json_t *v = scan(&f, empties[i]);
        assert_true(json_is_null(v));
        assert_int_equal(f.seen.n, 0);
        fx_free(&f);
    }
    struct fixture f;
    fx_init(&f, 40);
    json_t *v = scan(&f, "");
    assert_int_equal(f.root.start, 40);
    assert_int_equal(f.root.end, 40);
    v = scan(&f, "  'hi'\n");
    assert_string_equal(json_string_value(v), "hi");
    assert_int_equal(f.root.start, 42);
    assert_int_equal(f.root.end, 46);
    assert_int_equal(f.root.flags, LOC_QUOTED);
    json_decref(v);
    fx_free(&f);
}

static void test_offmap(void **state)
{
    (void)state;
    /* the file held "a: ##TOKEN##\n..." at offset 100; "XYZ" replaced the 11-byte
     * unresolved placeholder, so everything after it shifts by 8 */
    const char *t = "a: XYZ\nb: [1, 2]\n";
    struct offmap m;
    offmap_init(&m, 100);
    offmap_add(&m, 3, 3, 103, 11, SEG_UNRESOLVED);
    struct fixture f;
    fx_init(&f, 0);
    f.o.map = &m;
    json_t *v = scan(&f, t);
    assert_non_null(v);
    const struct loc *a = key_loc(&f, v, "a");
    assert_loc(a, 100, 103, 114);
    assert_int_equal(a->flags, LOC_UNKNOWN);
    const struct loc *b = key_loc(&f, v, "b");
    assert_loc(b, 115, 118, 124);
    assert_int_equal(b->flags, 0);
    assert_loc(locmap_index(f.o.locs, json_object_get(v, "b"), 1), 122, 122, 123);
    json_decref(v);

    /* an error after the placeholder maps through it too (libyaml: at the end) */
    v = scan(&f, "a: XYZ\nb: [1, 2\n");
    assert_null(v);
    assert_int_equal(f.seen.d.off, 100 + 16 + 8);
    fx_free(&f);
    offmap_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nested_offsets),
        cmocka_unit_test(test_utf8_byte_offsets),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_core_schema),
        cmocka_unit_test(test_tags_and_keys),
        cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_anchors_aliases),
        cmocka_unit_test(test_merge_keys),
        cmocka_unit_test(test_billion_laughs),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_empty_and_scalar_roots),
        cmocka_unit_test(test_offmap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
