/* test_js.c - unit tests for the Action code tokenizer (src/load/js.c): exact token
 * kinds and offsets, regex-versus-division choices, every error with its offset and
 * message, string decoding and deep nesting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "load/js.h"
#include "base/util.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *kind_name(enum js_kind k)
{
    static const char *const names[] = {"id", "num", "str", "tpl", "head",
                                        "mid", "tail", "re", "p"};
    return names[k];
}

/* Tokenize s (which must tokenize cleanly) and render "kind:text kind:text ...". */
static char *render(const char *s)
{
    struct js_tokens toks;
    struct js_error err;
    struct strbuf sb = STRBUF_INIT;
    size_t i;

    assert_int_equal(js_tokenize(s, strlen(s), &toks, &err), 0);
    assert_null(err.msg);
    for (i = 0; i < toks.n; i++) {
        const struct js_tok *t = &toks.t[i];
        sb_addf(&sb, "%s%s:%.*s", i ? " " : "", kind_name(t->kind), (int)(t->end - t->start),
                s + t->start);
    }
    js_tokens_free(&toks);
    return sb.buf ? sb_detach(&sb) : xstrdup("");
}

static void assert_render(const char *s, const char *want)
{
    char *got = render(s);
    assert_string_equal(got, want);
    free(got);
}

static void assert_tokens(const char *s, const struct js_tok *want, size_t n)
{
    struct js_tokens toks;
    struct js_error err;
    size_t i;

    assert_int_equal(js_tokenize(s, strlen(s), &toks, &err), 0);
    assert_int_equal(toks.n, n);
    for (i = 0; i < n; i++) {
        assert_int_equal(toks.t[i].kind, want[i].kind);
        assert_int_equal(toks.t[i].start, want[i].start);
        assert_int_equal(toks.t[i].end, want[i].end);
    }
    js_tokens_free(&toks);
}

/* s must fail at offset off with message msg; returns how many tokens were kept. */
static size_t assert_error_len(const char *s, size_t len, size_t off, const char *msg)
{
    struct js_tokens toks;
    struct js_error err;
    size_t n;

    assert_int_equal(js_tokenize(s, len, &toks, &err), -1);
    assert_non_null(err.msg);
    assert_string_equal(err.msg, msg);
    assert_int_equal(err.off, off);
    n = toks.n;
    js_tokens_free(&toks);
    return n;
}

static size_t assert_error(const char *s, size_t off, const char *msg)
{
    return assert_error_len(s, strlen(s), off, msg);
}

static void test_action_exact_offsets(void **state)
{
    static const char src[] = "exports.onExecutePostLogin = async (event, api) => "
                              "{ api.samlResponse.setAttribute('roles', r); };";
    static const struct js_tok want[] = {
        {JS_IDENT, 0, 7},   {JS_PUNCT, 7, 8},   {JS_IDENT, 8, 26},  {JS_PUNCT, 27, 28},
        {JS_IDENT, 29, 34}, {JS_PUNCT, 35, 36}, {JS_IDENT, 36, 41}, {JS_PUNCT, 41, 42},
        {JS_IDENT, 43, 46}, {JS_PUNCT, 46, 47}, {JS_PUNCT, 48, 50}, {JS_PUNCT, 51, 52},
        {JS_IDENT, 53, 56}, {JS_PUNCT, 56, 57}, {JS_IDENT, 57, 69}, {JS_PUNCT, 69, 70},
        {JS_IDENT, 70, 82}, {JS_PUNCT, 82, 83}, {JS_STRING, 83, 90}, {JS_PUNCT, 90, 91},
        {JS_IDENT, 92, 93}, {JS_PUNCT, 93, 94}, {JS_PUNCT, 94, 95}, {JS_PUNCT, 96, 97},
        {JS_PUNCT, 97, 98},
    };
    (void)state;
    assert_tokens(src, want, ARRAY_SIZE(want));
}

static void test_optional_chaining(void **state)
{
    static const struct js_tok want[] = {
        {JS_IDENT, 0, 3}, {JS_PUNCT, 3, 5}, {JS_IDENT, 5, 17}, {JS_PUNCT, 17, 19},
        {JS_IDENT, 19, 22}, {JS_PUNCT, 22, 23}, {JS_PUNCT, 23, 24},
    };
    (void)state;
    assert_tokens("api?.samlResponse?.set()", want, ARRAY_SIZE(want));
    /* ?. before a digit is a conditional: a ? .5 : 1 */
    assert_render("a?.5:1", "id:a p:? num:.5 p:: num:1");
    assert_render("a ?\?= b ?? c >>>= 1 === 2", "id:a p:?\?= id:b p:?? id:c p:>>>= num:1 p:=== num:2");
    assert_render("f(...a, b => b ** 2)", "id:f p:( p:... id:a p:, id:b p:=> id:b p:** num:2 p:)");
}

static void test_comments_hide_code(void **state)
{
    (void)state;
    assert_render("// api.samlResponse.setAttribute('team', t)", "");
    assert_render("/* api.x('a') */ y /**/", "id:y");
    assert_render("a // one\nb /* two\n */ c", "id:a id:b id:c");
    assert_render("#!/usr/bin/env node\nx", "id:x");
    /* Node ends a line comment at U+2028, so the call after it is code */
    assert_render("// c\xe2\x80\xa8" "api.x()", "id:api p:. id:x p:( p:)");
    /* Annex B HTML-like comments, which Node accepts in CommonJS */
    assert_render("a <!-- api.x()\nb", "id:a id:b");
    assert_render("a\n  --> api.x()\nb", "id:a id:b");
    assert_render("a --> b", "id:a p:-- p:> id:b");
}

static void test_string_hides_call(void **state)
{
    static const struct js_tok want[] = {{JS_STRING, 4, 48}};
    (void)state;
    assert_tokens("    \"api.samlResponse.setAttribute('roles', r);\"", want, 1);
    assert_render("'a\\'b' \"c\\\"d\"", "str:'a\\'b' str:\"c\\\"d\"");
    assert_render("'line\\\ncontinued' x", "str:'line\\\ncontinued' id:x");
    assert_render("'crlf\\\r\ncontinued'", "str:'crlf\\\r\ncontinued'");
}

static void test_templates(void **state)
{
    static const struct js_tok want[] = {
        {JS_TEMPLATE_HEAD, 0, 4}, {JS_IDENT, 4, 5}, {JS_PUNCT, 6, 7},
        {JS_TEMPLATE_HEAD, 8, 12}, {JS_IDENT, 12, 13}, {JS_TEMPLATE_TAIL, 13, 15},
        {JS_TEMPLATE_TAIL, 15, 18},
    };
    (void)state;
    assert_tokens("`a${b + `c${d}`}e`", want, ARRAY_SIZE(want));
    assert_render("`plain ${'no'}`", "head:`plain ${ str:'no' tail:}`");
    assert_render("`x` `y`", "tpl:`x` tpl:`y`");
    assert_render("`a${b}c${d}e`", "head:`a${ id:b mid:}c${ id:d tail:}e`");
    /* braces, strings and comments inside a substitution */
    assert_render("`${ {a: '}'} /* } */ }`", "head:`${ p:{ id:a p:: str:'}' p:} tail:}`");
    /* a regex right after ${ may hold a } */
    assert_render("`${/a}b/.x}`", "head:`${ re:/a}b/ p:. id:x tail:}`");
    assert_render("`\\${not} \\`q`", "tpl:`\\${not} \\`q`");
    assert_render("`multi\nline`", "tpl:`multi\nline`");
}

static void test_regex_or_division(void **state)
{
    (void)state;
    assert_render("x = a / b / c", "id:x p:= id:a p:/ id:b p:/ id:c");
    assert_render("x = /ab+c/g.test(s)", "id:x p:= re:/ab+c/g p:. id:test p:( id:s p:)");
    assert_render("f(/a/, /b/)", "id:f p:( re:/a/ p:, re:/b/ p:)");
    assert_render("return /x/i", "id:return re:/x/i");
    assert_render("typeof /x/", "id:typeof re:/x/");
    assert_render("/[/]/.test(s)", "re:/[/]/ p:. id:test p:( id:s p:)");
    assert_render("x = /\\/[\\]/]/", "id:x p:= re:/\\/[\\]/]/");
    assert_render("a => /=/", "id:a p:=> re:/=/");
    assert_render("1 / 2 / 3", "num:1 p:/ num:2 p:/ num:3");
    assert_render("f() / 2 / g", "id:f p:( p:) p:/ num:2 p:/ id:g");
    assert_render("a[0] / 2 / b", "id:a p:[ num:0 p:] p:/ num:2 p:/ id:b");
    assert_render("a++ / 2 / b", "id:a p:++ p:/ num:2 p:/ id:b");
    assert_render("'s' / 2 / b", "str:'s' p:/ num:2 p:/ id:b");
    assert_render("x /= 2", "id:x p:/= num:2");
    assert_render("x = y /* c */ / 2 / z", "id:x p:= id:y p:/ num:2 p:/ id:z");
    /* after a dot a keyword is a property name */
    assert_render("o.return / 2 / b", "id:o p:. id:return p:/ num:2 p:/ id:b");
    /* contextual keywords fall back to division when no regex fits */
    assert_render("of / 2;\ny", "id:of p:/ num:2 p:; id:y");
    assert_render("for (x of /a/g) ;", "id:for p:( id:x id:of re:/a/g p:) p:;");
}

static void test_division_after_paren_is_no_error(void **state)
{
    struct js_tokens toks;
    struct js_error err;
    const char *s = "if (x) /re/.test(y)";
    (void)state;
    assert_int_equal(js_tokenize(s, strlen(s), &toks, &err), 0);
    assert_null(err.msg);
    assert_int_equal(toks.n, 12);
    assert_int_equal(toks.t[4].kind, JS_PUNCT);
    assert_int_equal(toks.t[4].start, 7);
    assert_int_equal(toks.t[4].end, 8);
    js_tokens_free(&toks);
}

static void test_numbers_and_names(void **state)
{
    (void)state;
    assert_render("0x1F 1_000 .5 1e3 2.5e-3 10n 0b1010 0o17 0xFFn 1e+2",
                  "num:0x1F num:1_000 num:.5 num:1e3 num:2.5e-3 num:10n num:0b1010 num:0o17 "
                  "num:0xFFn num:1e+2");
    assert_render("1..toString()", "num:1. p:. id:toString p:( p:)");
    assert_render("$a _b caf\xc3\xa9 this.#p \\u0061b", "id:$a id:_b id:caf\xc3\xa9 id:this p:. "
                                                        "id:#p id:\\u0061b");
    /* U+00A0 and U+3000 are spaces, not identifier characters */
    assert_render("a\xc2\xa0" "b\xe3\x80\x80" "c", "id:a id:b id:c");
    /* a truncated sequence is not a space */
    assert_render("a\xe2\x80" "Ab", "id:a\xe2\x80" "Ab");
}

static void test_errors(void **state)
{
    (void)state;
    assert_error("x = 'abc\n';", 4, "unterminated string literal");
    assert_error("x = \"abc", 4, "unterminated string literal");
    assert_error("'abc\\", 0, "unterminated string literal");
    assert_error("a = `abc", 4, "unterminated template literal");
    assert_error("`a${ `b", 5, "unterminated template literal");
    assert_error("`a${b", 0, "unterminated template literal");
    assert_error("`a${b}c", 0, "unterminated template literal");
    assert_error("a /* b", 2, "unterminated comment");
    assert_error("x = /ab\n/", 4, "unterminated regular expression");
    assert_error("x = /a[/]", 4, "unterminated regular expression");
    assert_error("(/a\\", 1, "unterminated regular expression");
    assert_error("a)", 1, "unexpected ')'");
    assert_error("]", 0, "unexpected ']'");
    assert_error("x }", 2, "unexpected '}'");
    assert_error("(a]", 2, "mismatched ']' (expected ')')");
    assert_error("{ ( }", 4, "mismatched '}' (expected ')')");
    assert_error("[ { )", 4, "mismatched ')' (expected '}')");
    assert_error("`${ ) }`", 4, "mismatched ')' (expected '}')");
    assert_error("{ ( ) ", 0, "unclosed '{'");
    assert_error("f({a: [1]}", 1, "unclosed '('");
    assert_error("x = [1, 2", 4, "unclosed '['");
    /* the innermost opener left open is reported */
    assert_error("{ f(", 3, "unclosed '('");
    /* tokens before the error are kept */
    assert_int_equal(assert_error("a b c )", 6, "unexpected ')'"), 3);
    assert_int_equal(assert_error("x = 'oops", 4, "unterminated string literal"), 2);
}

static void test_string_value(void **state)
{
    static const struct {
        const char *src, *want;
    } cases[] = {
        {"'it\\'s'", "it's"},
        {"\"caf\\u00e9\"", "caf\xc3\xa9"},
        {"\"\\x41\\n\\t\\\\\\\"\"", "A\n\t\\\""},
        {"'rol\\145s'", "roles"},
        {"'a\\\nb'", "ab"},
        {"'a\\\r\nb'", "ab"},
        {"\"\\uD83D\\uDE00\"", "\xf0\x9f\x98\x80"},
        {"\"\\u{1F600}\"", "\xf0\x9f\x98\x80"},
        {"\"\\uD800x\"", "\xef\xbf\xbdx"},
        {"'a\\0b'", "a\xef\xbf\xbd" "b"},
        {"'\\q\\8'", "q8"},
        {"\"\\u00\"", "u00"},
        {"''", ""},
        {"`x\r\ny\\``", "x\ny`"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        struct js_tokens toks;
        struct js_error err;
        char *v;
        assert_int_equal(js_tokenize(cases[i].src, strlen(cases[i].src), &toks, &err), 0);
        assert_int_equal(toks.n, 1);
        v = js_string_value(cases[i].src, &toks.t[0]);
        assert_string_equal(v, cases[i].want);
        free(v);
        js_tokens_free(&toks);
    }
}

static void test_template_part_values(void **state)
{
    const char *s = "`a\\n${b}c${d}e`";
    struct js_tokens toks;
    struct js_error err;
    char *head, *mid, *tail;
    (void)state;
    assert_int_equal(js_tokenize(s, strlen(s), &toks, &err), 0);
    assert_int_equal(toks.n, 5);
    head = js_string_value(s, &toks.t[0]);
    mid = js_string_value(s, &toks.t[2]);
    tail = js_string_value(s, &toks.t[4]);
    assert_string_equal(head, "a\n");
    assert_string_equal(mid, "c");
    assert_string_equal(tail, "e");
    free(head);
    free(mid);
    free(tail);
    js_tokens_free(&toks);
}

static void test_tok_is(void **state)
{
    const char *s = "api.samlResponse?.setAttribute";
    struct js_tokens toks;
    struct js_error err;
    (void)state;
    assert_int_equal(js_tokenize(s, strlen(s), &toks, &err), 0);
    assert_int_equal(toks.n, 5);
    assert_true(js_tok_is(s, &toks.t[0], "api"));
    assert_false(js_tok_is(s, &toks.t[0], "ap"));
    assert_false(js_tok_is(s, &toks.t[0], "apis"));
    assert_true(js_tok_is(s, &toks.t[3], "?."));
    assert_true(js_tok_is(s, &toks.t[4], "setAttribute"));
    js_tokens_free(&toks);
}

static void test_deep_nesting(void **state)
{
    const size_t depth = 100000;
    char *s = xmalloc(2 * depth + 2);
    struct js_tokens toks;
    struct js_error err;
    (void)state;

    memset(s, '(', depth);
    s[depth] = 'x';
    memset(s + depth + 1, ')', depth);
    assert_int_equal(js_tokenize(s, 2 * depth + 1, &toks, &err), 0);
    assert_int_equal(toks.n, 2 * depth + 1);
    js_tokens_free(&toks);
    /* unbalanced: the innermost '(' is reported */
    assert_int_equal(js_tokenize(s, depth + 1, &toks, &err), -1);
    assert_string_equal(err.msg, "unclosed '('");
    assert_int_equal(err.off, depth - 1);
    js_tokens_free(&toks);
    free(s);

    /* templates nested through substitutions: `${`${`${ ... }`}`}` */
    s = xmalloc(3 * depth + 2 * depth + 1);
    {
        size_t i, k = 0;
        for (i = 0; i < depth; i++) {
            memcpy(s + k, "`${", 3);
            k += 3;
        }
        for (i = 0; i < depth; i++) {
            memcpy(s + k, "}`", 2);
            k += 2;
        }
        assert_int_equal(js_tokenize(s, k, &toks, &err), 0);
        assert_int_equal(toks.n, 2 * depth);
        assert_int_equal(toks.t[toks.n - 1].kind, JS_TEMPLATE_TAIL);
        js_tokens_free(&toks);
    }
    free(s);
}

/* Every prefix of a tricky snippet: no crash, and results stay within the text. */
static void test_prefixes_stay_in_bounds(void **state)
{
    static const char src[] = "#!x\n/* c */ a = `t${ {b: /[/}]/g, c: 'q\\'' } }` / 2; "
                              "// d\n<!-- e\n--> f\n\"\\u{1F600}\" (0x1n, .5e-3) ?. ";
    size_t len, i;
    (void)state;
    for (len = 0; len < sizeof(src); len++) {
        struct js_tokens toks;
        struct js_error err;
        int r = js_tokenize(src, len, &toks, &err);
        assert_true(r == 0 || r == -1);
        if (r < 0)
            assert_true(err.off < len);
        for (i = 0; i < toks.n; i++) {
            assert_true(toks.t[i].start < toks.t[i].end);
            assert_true(toks.t[i].end <= len);
            assert_true(i == 0 || toks.t[i - 1].end <= toks.t[i].start);
        }
        js_tokens_free(&toks);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_action_exact_offsets),
        cmocka_unit_test(test_optional_chaining),
        cmocka_unit_test(test_comments_hide_code),
        cmocka_unit_test(test_string_hides_call),
        cmocka_unit_test(test_templates),
        cmocka_unit_test(test_regex_or_division),
        cmocka_unit_test(test_division_after_paren_is_no_error),
        cmocka_unit_test(test_numbers_and_names),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_string_value),
        cmocka_unit_test(test_template_part_values),
        cmocka_unit_test(test_tok_is),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_prefixes_stay_in_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
