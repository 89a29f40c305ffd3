/* test_rules.c - the built-in rule catalogue (rules/catalogue_read.c, src/catgen): its form
 * reads back exactly what was written and refuses damaged data, and the rules loaded
 * through the catalogue are the rules loaded from the YAML, field for field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rules/rules.h"
#include "base/source.h"
#include "base/util.h"

extern const struct rules_catalogue builtin_catalogue;

static void roundtrip(json_t *v)
{
    size_t n;
    char *data = catalogue_encode(v, &n);
    json_t *back = catalogue_decode(data, n);
    assert_non_null(back);
    assert_true(json_equal(v, back));
    json_decref(back);
    free(data);
}

static void test_roundtrip_values(void **state)
{
    (void)state;
    json_t *v = json_pack("{s:s, s:i, s:I, s:f, s:n, s:b, s:b, s:[s, s, {}], s:{}}", "id",
                          "role-unknown", "small", -7, "big", (json_int_t)INT64_MIN, "real",
                          0.1, "nothing", "yes", 1, "no", 0, "list", "a:b", "", "empty");
    json_object_set_new(v, "nul", json_stringn("a\0b", 3));
    json_object_set_new(v, "utf8", json_string("Ren\xc3\xa9" "e \xf0\x9f\x98\x80"));
    roundtrip(v);
    json_decref(v);
}

static void test_damaged_data_is_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",            /* nothing */
        "s5:abc",      /* a string longer than the data */
        "a2:n",        /* an array missing an element */
        "o1:9:keyn",   /* a key longer than the data */
        "o1:2:k",      /* a member without its value */
        "i12x;",       /* not an integer */
        "i12",         /* no ';' */
        "s3:abcn",     /* bytes after the value */
        "x",           /* unknown tag */
        "s:abc",       /* no length */
        "a99999999999999999999:", /* a count beyond any data */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
        assert_null(catalogue_decode(bad[i], strlen(bad[i])));
    /* nesting deeper than any rule file */
    char deep[200];
    size_t n = 0;
    for (int i = 0; i < 66; i++)
        n += (size_t)snprintf(deep + n, sizeof(deep) - n, "a1:");
    deep[n++] = 'n';
    assert_null(catalogue_decode(deep, n));
}

/* Every field of every loaded rule, one line each. */
static char *snapshot(void)
{
    struct strbuf sb = STRBUF_INIT;
    for (int i = 0; i < rule_count(); i++) {
        const struct rule *r = rule_get(i);
        char *opt = r->options ? json_dumps(r->options, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        char *when = r->when ? json_dumps(r->when, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        sb_addf(&sb, "%s|%s|%s|%s|%s|%s|%d|%llu|%s|%s|%s\n", r->id, r->group, r->summary,
                r->scope, r->message, r->check, r->default_severity, (unsigned long long)r->off,
                opt ? opt : "-", when ? when : "-", r->page ? r->page : "-");
        free(opt);
        free(when);
    }
    return sb_detach(&sb);
}

static void test_catalogue_gives_the_yaml_rules(void **state)
{
    (void)state;
    rules_use_catalogue(NULL);
    assert_int_equal(rules_load_dir(ABS_SRCDIR, 1), 0);
    char *from_yaml = snapshot();
    int n = rule_count();
    rules_free();
    source_free_all();

    assert_true(builtin_catalogue.n >= 10);
    rules_use_catalogue(&builtin_catalogue);
    assert_int_equal(rules_load_dir(ABS_SRCDIR, 1), 0);
    char *from_catalogue = snapshot();
    assert_int_equal(rule_count(), n);
    assert_true(n > 50);
    assert_string_equal(from_catalogue, from_yaml);
    rules_free();
    source_free_all();
    rules_use_catalogue(NULL);
    free(from_yaml);
    free(from_catalogue);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_values),
        cmocka_unit_test(test_damaged_data_is_refused),
        cmocka_unit_test(test_catalogue_gives_the_yaml_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
