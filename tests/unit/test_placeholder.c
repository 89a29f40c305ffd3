/* test_placeholder.c - deploy-cli keyword substitution: replaced text, offset map back
 * to the placeholder, unresolved markers per syntax, and the callback's reports. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <stdlib.h>
#include <string.h>

#include "load/ci_template.h"
#include "load/placeholder.h"

/* What ph_substitute gave back, plus the placeholders it reported. */
struct run {
    size_t count;
    char *out;
    size_t outlen;
    struct offmap map;
    uint64_t hit_off[8], hit_end[8];
    char hit_name[8][32];
    int hit_res[8];
    size_t nhits;
};

static void on_hit(void *ctx, const struct ph_hit *h)
{
    struct run *r = ctx;
    if (r->nhits < 8) {
        r->hit_off[r->nhits] = h->off;
        r->hit_end[r->nhits] = h->end;
        strncpy(r->hit_name[r->nhits], h->name, 31);
        r->hit_res[r->nhits] = h->resolved;
    }
    r->nhits++;
}

static void run(struct run *r, const char *text, uint64_t base, enum ph_syntax syn,
                const char *mappings)
{
    json_t *m = mappings ? json_loads(mappings, 0, NULL) : NULL;
    if (mappings)
        assert_non_null(m);
    memset(r, 0, sizeof(*r));
    r->count =
        ph_substitute(text, strlen(text), base, syn, PH_KEYWORDS, m, &r->out, &r->outlen, &r->map, on_hit, r);
    json_decref(m);
}

static void done(struct run *r)
{
    free(r->out);
    offmap_free(&r->map);
}

/* Offset of the first occurrence of needle in hay (which must hold it). */
static size_t at(const char *hay, const char *needle)
{
    const char *p = strstr(hay, needle);
    assert_non_null(p);
    return (size_t)(p - hay);
}

static void test_json_string(void **state)
{
    (void)state;
    const char *in = "{\"a\": \"##HOST##\", \"b\": 1}";
    struct run r;
    run(&r, in, 100, PH_JSON, "{\"HOST\": \"example.com\"}");
    assert_int_equal(r.count, 1);
    assert_string_equal(r.out, "{\"a\": \"example.com\", \"b\": 1}");
    assert_int_equal(r.outlen, strlen(r.out));
    /* inside the value: the placeholder's first '#' */
    assert_int_equal(offmap_map(&r.map, at(r.out, "ample")), 100 + at(in, "##HOST"));
    assert_int_equal(offmap_map(&r.map, at(r.out, "example")), 100 + at(in, "##HOST"));
    /* the closing quote and what follows shift back by the length difference */
    assert_int_equal(offmap_map(&r.map, at(r.out, "\", \"b\"")), 100 + at(in, "\", \"b\""));
    assert_int_equal(offmap_map(&r.map, at(r.out, "1}")), 100 + at(in, "1}"));
    /* before it: identity */
    assert_int_equal(offmap_map(&r.map, 1), 101);
    assert_int_equal(offmap_flags(&r.map, at(r.out, "example"), at(r.out, "\", \"b")),
                     SEG_RESOLVED);
    assert_int_equal(offmap_flags(&r.map, at(r.out, "1}"), at(r.out, "}")), 0);
    assert_int_equal(r.nhits, 1);
    assert_string_equal(r.hit_name[0], "HOST");
    assert_int_equal(r.hit_off[0], 100 + at(in, "##HOST"));
    assert_int_equal(r.hit_end[0], 100 + at(in, "\", \"b"));
    assert_int_equal(r.hit_res[0], 1);
    done(&r);
}

static void test_json_array_quotes_swallowed(void **state)
{
    (void)state;
    const char *in = "{\"cb\": \"@@CBS@@\", \"x\": 2}";
    struct run r;
    run(&r, in, 0, PH_JSON, "{\"CBS\": [\"https://a\", \"https://b\"]}");
    assert_int_equal(r.count, 1);
    assert_string_equal(r.out, "{\"cb\": [\"https://a\",\"https://b\"], \"x\": 2}");
    /* the span includes the swallowed quotes: it maps to the opening quote */
    size_t q = at(in, "\"@@");
    assert_int_equal(offmap_map(&r.map, at(r.out, "[")), q);
    assert_int_equal(offmap_map(&r.map, at(r.out, "https://b")), q);
    assert_int_equal(offmap_map(&r.map, at(r.out, "]")), q);
    assert_int_equal(offmap_map(&r.map, at(r.out, ", \"x\"")), at(in, ", \"x\""));
    assert_int_equal(offmap_map(&r.map, at(r.out, "2}")), at(in, "2}"));
    assert_int_equal(r.hit_off[0], q);
    assert_int_equal(r.hit_end[0], at(in, ", \"x"));
    assert_string_equal(r.hit_name[0], "CBS");
    done(&r);

    /* single quotes are swallowed too; mismatched quotes are not */
    run(&r, "['@@L@@', \"@@L@@', @@L@@]", 0, PH_JSON, "{\"L\": [1, 2]}");
    assert_int_equal(r.count, 3);
    assert_string_equal(r.out, "[[1,2], \"[1,2]', [1,2]]");
    done(&r);
}

static void test_json_numbers(void **state)
{
    (void)state;
    const char *in = "{\"n\": ##PORT##, \"r\": @@RATE@@, \"s\": \"v##R##\"}";
    struct run r;
    run(&r, in, 0, PH_JSON, "{\"PORT\": 8080, \"RATE\": 1.5, \"R\": 0.1}");
    assert_int_equal(r.count, 3);
    assert_string_equal(r.out, "{\"n\": 8080, \"r\": 1.5, \"s\": \"v0.1\"}");
    assert_int_equal(offmap_map(&r.map, at(r.out, "080")), at(in, "##PORT"));
    assert_int_equal(offmap_map(&r.map, at(r.out, ".5")), at(in, "@@RATE"));
    assert_int_equal(offmap_map(&r.map, at(r.out, "0.1")), at(in, "##R##"));
    assert_int_equal(offmap_map(&r.map, at(r.out, ", \"r\"")), at(in, ", \"r\""));
    assert_int_equal(offmap_map(&r.map, at(r.out, "\"}")), at(in, "\"}"));
    assert_int_equal(r.map.n, 3);
    done(&r);
}

/* ##KEY## is String(value): arrays join with ',', reals in JavaScript's shortest form. */
static void test_js_string_values(void **state)
{
    (void)state;
    struct run r;
    run(&r, "##A##|##B##|##C##|##D##|##E##|##F##|##G##|##H##", 0, PH_TEXT,
        "{\"A\": [\"x\", [1, null], true], \"B\": {\"k\": 1}, \"C\": 1e21, \"D\": 1e-7,"
        " \"E\": 0.000001, \"F\": 100.0, \"G\": -123.456, \"H\": null}");
    assert_int_equal(r.count, 8);
    assert_string_equal(r.out, "x,1,,true|[object Object]|1e+21|1e-7|0.000001|100|-123.456|null");
    done(&r);

    run(&r, "v = @@O@@;", 0, PH_TEXT, "{\"O\": {\"a\": [1, \"b\"], \"c\": null}}");
    assert_string_equal(r.out, "v = {\"a\":[1,\"b\"],\"c\":null};");
    done(&r);
}

static void test_empty_value(void **state)
{
    (void)state;
    const char *in = "{\"a\": \"x##E##y\", \"b\": 2}";
    struct run r;
    run(&r, in, 0, PH_JSON, "{\"E\": \"\"}");
    assert_string_equal(r.out, "{\"a\": \"xy\", \"b\": 2}");
    assert_int_equal(offmap_map(&r.map, at(r.out, "y\"")), at(in, "##E"));
    assert_int_equal(offmap_map(&r.map, at(r.out, "\", \"b")), at(in, "\", \"b"));
    done(&r);
}

static void test_json_unresolved(void **state)
{
    (void)state;
    const char *in =
        "{\"a\": \"x##K##y\", \"b\": ##K##, \"c\": \"@@L@@\", \"d\": @@L@@, \"e\": '@@L@@'}";
    struct run r;
    run(&r, in, 3, PH_JSON, NULL);
    assert_int_equal(r.count, 5);
    assert_int_equal(r.outlen, strlen(in));
    assert_string_equal(
        r.out,
        "{\"a\": \"x##K##y\", \"b\": null , \"c\": \"@@L@@\", \"d\": null , \"e\": null   }");
    /* same length: positions stay put, even inside the marker */
    size_t b = at(in, "##K##,");
    assert_int_equal(offmap_map(&r.map, b), 3 + b);
    assert_int_equal(offmap_map(&r.map, b + 2), 3 + b + 2);
    assert_int_equal(offmap_map(&r.map, strlen(in) - 1), 3 + strlen(in) - 1);
    assert_int_equal(offmap_flags(&r.map, b, b + 4), SEG_UNRESOLVED);
    /* the string holding a placeholder overlaps an unresolved span */
    assert_int_equal(offmap_flags(&r.map, at(in, "\"x##"), at(in, ", \"b")), SEG_UNRESOLVED);
    assert_int_equal(offmap_flags(&r.map, 0, at(in, "\"x##")), 0);
    assert_int_equal(r.nhits, 5);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(r.hit_res[i], 0);
    assert_string_equal(r.hit_name[2], "L");
    assert_int_equal(r.hit_off[2], 3 + at(in, "\"@@L"));
    assert_int_equal(r.hit_end[2], 3 + at(in, ", \"d"));
    done(&r);

    /* mapped and unmapped mixed: the unmapped one is shifted with the rest */
    const char *in2 = "[\"##A##\", ##B##]";
    run(&r, in2, 0, PH_JSON, "{\"A\": \"long value\"}");
    assert_string_equal(r.out, "[\"long value\", null ]");
    assert_int_equal(offmap_map(&r.map, at(r.out, "null")), at(in2, "##B"));
    assert_int_equal(offmap_map(&r.map, at(r.out, "]")), at(in2, "]"));
    assert_int_equal(offmap_flags(&r.map, at(r.out, "null"), at(r.out, "null") + 4),
                     SEG_UNRESOLVED);
    assert_int_equal(offmap_flags(&r.map, 1, 13), SEG_RESOLVED);
    done(&r);
}

static void test_json_escapes(void **state)
{
    (void)state;
    /* an escaped quote does not end the string: the placeholder stays inside it */
    const char *in = "{\"a\": \"q\\\" ##K##\", \"b\": ##K##}";
    struct run r;
    run(&r, in, 0, PH_JSON, NULL);
    assert_string_equal(r.out, "{\"a\": \"q\\\" ##K##\", \"b\": null }");
    done(&r);
}

static void test_url(void **state)
{
    (void)state;
    const char *in = "{\"cb\": [\"https://##DOMAIN##/login\", \"https://x/@@P@@\"]}";
    struct run r;
    run(&r, in, 0, PH_JSON, "{\"DOMAIN\": \"nss.org\"}");
    assert_int_equal(r.count, 2);
    assert_string_equal(r.out, "{\"cb\": [\"https://nss.org/login\", \"https://x/@@P@@\"]}");
    assert_int_equal(offmap_map(&r.map, at(r.out, "org/")), at(in, "##DOMAIN"));
    assert_int_equal(offmap_map(&r.map, at(r.out, "/login")), at(in, "/login"));
    assert_int_equal(offmap_map(&r.map, at(r.out, "@@P")), at(in, "@@P"));
    assert_int_equal(offmap_flags(&r.map, at(r.out, "\"https://x"), at(r.out, "\"]")),
                     SEG_UNRESOLVED);
    assert_int_equal(r.hit_res[0], 1);
    assert_int_equal(r.hit_res[1], 0);
    done(&r);

    run(&r, "url: https://##DOMAIN##/cb\n", 0, PH_YAML, NULL);
    assert_string_equal(r.out, "url: https://__DOMAIN__/cb\n");
    done(&r);
}

static void test_not_placeholders(void **state)
{
    (void)state;
    struct run r;
    run(&r, "{\"a\": \"### x @@@ y ## z @@ ##a b## @@-@@ ####\"}", 0, PH_JSON, "{\"a\": 1}");
    assert_int_equal(r.count, 0);
    assert_null(r.out);
    assert_int_equal(r.outlen, 0);
    assert_int_equal(r.nhits, 0);
    assert_int_equal(offmap_map(&r.map, 5), 5);
    done(&r);

    /* a placeholder inside a longer run of delimiters is found where the regex finds it */
    run(&r, "####K####", 0, PH_TEXT, "{\"K\": \"v\"}");
    assert_int_equal(r.count, 1);
    assert_string_equal(r.out, "##v##");
    assert_int_equal(r.hit_off[0], 2);
    done(&r);
}

static void test_yaml_mapped(void **state)
{
    (void)state;
    const char *in = "name: ##N##\ncallbacks: @@CB@@\nweb: '@@CB@@'\nport: \"@@P@@\"\nx: 1\n";
    struct run r;
    run(&r, in, 0, PH_YAML, "{\"N\": \"app\", \"CB\": [\"a\", \"b\"], \"P\": 443}");
    assert_int_equal(r.count, 4);
    assert_string_equal(
        r.out, "name: app\ncallbacks: [\"a\",\"b\"]\nweb: [\"a\",\"b\"]\nport: 443\nx: 1\n");
    assert_int_equal(offmap_map(&r.map, at(r.out, "pp")), at(in, "##N"));
    assert_int_equal(offmap_map(&r.map, at(r.out, "\"b\"]\nweb")), at(in, "@@CB"));
    assert_int_equal(offmap_map(&r.map, at(r.out, "[\"a\",\"b\"]\nport")), at(in, "'@@CB"));
    assert_int_equal(offmap_map(&r.map, at(r.out, "43")), at(in, "\"@@P"));
    assert_int_equal(offmap_map(&r.map, at(r.out, "x: 1")), at(in, "x: 1"));
    done(&r);
}

static void test_yaml_unresolved(void **state)
{
    (void)state;
    const char *in = "a: ##K##\n"
                     "b: @@L@@\n"
                     "c: \"x @@L@@ ##K##\"\n"
                     "d: '##K## @@L@@'\n"
                     "e: @@L@@ tail\n"
                     "f: x@@L@@\n"
                     "g: [@@L@@, ##K##]\n"
                     "h: |\n"
                     "  ##K## 'it @@L@@\n"
                     "i: @@L@@ # c\n"
                     "# ##K##\n"
                     "- k: '@@L@@'\n";
    const char *want = "a: __K__\n"
                       "b: '@L@'\n"
                       "c: \"x @@L@@ ##K##\"\n"
                       "d: '##K## @@L@@'\n"
                       "e: _@L@@ tail\n"
                       "f: x@@L@@\n"
                       "g: ['@L@', __K__]\n"
                       "h: |\n"
                       "  ##K## 'it @@L@@\n"
                       "i: '@L@' # c\n"
                       "# ##K##\n"
                       "- k: '@@L@@'\n";
    struct run r;
    run(&r, in, 0, PH_YAML, NULL);
    assert_int_equal(r.count, 15);
    assert_int_equal(r.outlen, strlen(in));
    assert_string_equal(r.out, want);
    assert_int_equal(r.map.n, 15);
    for (size_t i = 0; i < r.map.n; i++) {
        assert_int_equal(r.map.seg[i].flags, SEG_UNRESOLVED);
        assert_int_equal(r.map.seg[i].dst, r.map.seg[i].src);
        assert_int_equal(r.map.seg[i].dst_len, r.map.seg[i].src_len);
    }
    assert_int_equal(offmap_map(&r.map, at(in, "tail")), at(in, "tail"));
    done(&r);
}

static void test_yaml_block_scalar_end(void **state)
{
    (void)state;
    /* the block scalar ends at the less indented key: placeholders after it are plain */
    const char *in = "- script: >-\n    it's ##K##\n  next: ##K##\n";
    struct run r;
    run(&r, in, 0, PH_YAML, NULL);
    assert_string_equal(r.out, "- script: >-\n    it's ##K##\n  next: __K__\n");
    done(&r);
    /* a quote inside a plain scalar does not open a quoted scalar */
    run(&r, "a: it's\nb: ##K##\n", 0, PH_YAML, NULL);
    assert_string_equal(r.out, "a: it's\nb: __K__\n");
    done(&r);
    /* a multi-line single-quoted scalar with an escaped quote */
    run(&r, "a: 'x''\n  ##K##'\nb: ##K##\n", 0, PH_YAML, NULL);
    assert_string_equal(r.out, "a: 'x''\n  ##K##'\nb: __K__\n");
    done(&r);
}

static void test_text(void **state)
{
    (void)state;
    const char *in = "const d = '##DOMAIN##'; const r = @@ROLES@@; const s = '##SECRET##';";
    struct run r;
    run(&r, in, 0, PH_TEXT, "{\"DOMAIN\": \"nss.org\", \"ROLES\": [\"admin\"]}");
    assert_int_equal(r.count, 3);
    assert_string_equal(r.out,
                        "const d = 'nss.org'; const r = [\"admin\"]; const s = '##SECRET##';");
    assert_int_equal(offmap_map(&r.map, at(r.out, "##SECRET")), at(in, "##SECRET"));
    assert_int_equal(r.map.seg[2].flags, SEG_UNRESOLVED);
    assert_string_equal(r.hit_name[2], "SECRET");
    assert_int_equal(r.hit_res[2], 0);
    done(&r);
}

/* CI templates: the shapes that count, and look-alikes that do not */
static void test_ci_template_len(void **state)
{
    (void)state;
    const char *yes[] = {"${NAME}", "${NAME:-x}", "${{ secrets.X }}", "$NAME", "$_X1",
                         "<client_secret>", "<add M2M client_secret>"};
    for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++)
        assert_int_equal(ci_template_len(yes[i], strlen(yes[i]), 0), strlen(yes[i]));
    const char *no[] = {"$2b$10$N9qo8uLOic", "$ref", "${1}", "${NAME", "${{ x }",
                        "</p>", "<a href=\"x\">", "< x>", "$"};
    for (size_t i = 0; i < sizeof(no) / sizeof(*no); i++)
        assert_int_equal(ci_template_len(no[i], strlen(no[i]), 0), 0);
    assert_int_equal(ci_template_len("a$B", 3, 1), 2);
    assert_int_equal(ci_template_len("x<y>", 4, 1), 0); /* inside a word: not a template */
}

/* A template is flagged unknown, reported as a template, and kept parseable */
static void test_templates(void **state)
{
    (void)state;
    const char *in = "{\"a\": \"${SECRET}\", \"b\": $N}";
    struct run r;
    memset(&r, 0, sizeof(r));
    json_t *m = json_pack("{s:s}", "K", "${FROM_CI}");
    r.count = ph_substitute(in, strlen(in), 0, PH_JSON, PH_TEMPLATES, m, &r.out, &r.outlen,
                            &r.map, on_hit, &r);
    assert_int_equal(r.count, 2);
    assert_string_equal(r.out, "{\"a\": \"${SECRET}\", \"b\": 0 }");
    assert_true(offmap_flags(&r.map, at(in, "${SECRET"), at(in, "}\", ")) & SEG_UNRESOLVED);
    done(&r);
    /* a keyword mapped to a template stays unknown and is not an unresolved keyword */
    const char *kw = "{\"a\": \"##K##\"}";
    memset(&r, 0, sizeof(r));
    r.count = ph_substitute(kw, strlen(kw), 0, PH_JSON, PH_KEYWORDS, m, &r.out, &r.outlen,
                            &r.map, on_hit, &r);
    assert_int_equal(r.count, 1);
    assert_string_equal(r.out, kw);
    assert_int_equal(r.hit_res[0], 0);
    done(&r);
    json_decref(m);
    /* Action code is JavaScript: `${x}` there is a template literal, never a template */
    const char *js = "const a = `${NAME}`;";
    memset(&r, 0, sizeof(r));
    r.count = ph_substitute(js, strlen(js), 0, PH_TEXT, PH_KEYWORDS | PH_TEMPLATES, NULL,
                            &r.out, &r.outlen, &r.map, on_hit, &r);
    assert_int_equal(r.count, 0);
    done(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_string),
        cmocka_unit_test(test_json_array_quotes_swallowed),
        cmocka_unit_test(test_json_numbers),
        cmocka_unit_test(test_js_string_values),
        cmocka_unit_test(test_empty_value),
        cmocka_unit_test(test_json_unresolved),
        cmocka_unit_test(test_json_escapes),
        cmocka_unit_test(test_url),
        cmocka_unit_test(test_not_placeholders),
        cmocka_unit_test(test_yaml_mapped),
        cmocka_unit_test(test_yaml_unresolved),
        cmocka_unit_test(test_yaml_block_scalar_end),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_ci_template_len),
        cmocka_unit_test(test_templates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
