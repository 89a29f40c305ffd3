/* test_source.c - positions (line, code point / byte / UTF-16 columns, BOM, CRLF,
 * tabs), the column index of long windows (exactly the plain scan's answers), the offset map and the display escaping of util.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/colidx.h"
#include "base/offmap.h"
#include "base/secret_text.h"
#include "base/source.h"
#include "base/util.h"

static void pos_of(const char *text, uint64_t off, struct pos *p)
{
    struct textwin w = {text, strlen(text), 0, 1, 0, NULL};
    textwin_pos(&w, off, p);
}

static void test_ascii_lines(void **state)
{
    (void)state;
    struct pos p;
    pos_of("ab\ncd\n", 4, &p);
    assert_int_equal(p.line, 2);
    assert_int_equal(p.col, 2);
    assert_int_equal(p.col_byte, 2);
}

static void test_multibyte_columns(void **state)
{
    (void)state;
    /* "é" is 2 bytes, "😀" is 4 bytes and 2 UTF-16 units */
    const char *t = "x\"\xc3\xa9\xf0\x9f\x98\x80\": 1";
    struct pos p;
    pos_of(t, 8, &p); /* the closing quote */
    assert_int_equal(p.line, 1);
    assert_int_equal(p.col, 5);
    assert_int_equal(p.col_byte, 9);
    assert_int_equal(p.col_u16, 6);
}

static void test_crlf_and_tab(void **state)
{
    (void)state;
    const char *t = "a\r\n\tb";
    struct pos p;
    pos_of(t, 4, &p);
    assert_int_equal(p.line, 2);
    assert_int_equal(p.col, 2); /* a tab is one column */
}

static void test_bom_is_not_a_column(void **state)
{
    (void)state;
    char *t = xstrdup("\xef\xbb\xbf{\"a\": 1}");
    int id = source_add("bom.json", "bom.json", SRC_USERS);
    source_set_text(id, t, strlen(t));
    struct pos p;
    source_pos(id, 3, &p);
    assert_int_equal(p.line, 1);
    assert_int_equal(p.col, 1);
    assert_int_equal(p.col_byte, 1);
    source_pos(id, 4, &p);
    assert_int_equal(p.col, 2);
    size_t len;
    const char *line = source_line(id, 1, &len);
    assert_int_equal(len, 8);
    assert_memory_equal(line, "{\"a\": 1}", 8);
    source_free_all();
}

static void test_source_pos_uses_line_index(void **state)
{
    (void)state;
    char *t = xstrdup("l1\nline2\r\n  x\n");
    int id = source_add("f", "f", SRC_TENANT);
    source_set_text(id, t, strlen(t));
    struct pos p;
    source_pos(id, 12, &p);
    assert_int_equal(p.line, 3);
    assert_int_equal(p.col, 3);
    size_t len;
    const char *l2 = source_line(id, 2, &len);
    assert_int_equal(len, 5); /* CR not part of the line */
    assert_memory_equal(l2, "line2", 5);
    source_free_all();
}

static void test_textwin_window_offset(void **state)
{
    (void)state;
    /* a window that starts at file offset 1000, line 40 */
    struct textwin w = {"{\"a\":\n  \"b\"}", 12, 1000, 40, 0, NULL};
    struct pos p;
    textwin_pos(&w, 1008, &p);
    assert_int_equal(p.line, 41);
    assert_int_equal(p.col, 3);
}

/* A long window of mixed sequences (1-4 bytes, an invalid byte, tabs, CRLF, a BOM),
 * lines of every length: the index must give the plain scan's position at every offset,
 * asked in a scrambled order. */
static void test_colidx_matches_scan(void **state)
{
    (void)state;
    static const char *const piece[] = {"a", "\xc3\xa9", "\xe4\xb8\xad", "\xf0\x9f\x98\x80",
                                        "\xff", "\t", "\r\n", "\xe4\xb8", "\n"};
    struct strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "\xef\xbb\xbf");
    unsigned seed = 7;
    while (sb.len < 5 * COLIDX_STRIDE + COLIDX_MIN) {
        seed = seed * 1103515245u + 12345u;
        size_t k = (seed >> 16) % 9;
        if (k == 8 && (seed >> 8) % 8) /* few line ends: long lines */
            k = 0;
        sb_adds(&sb, piece[k]);
    }
    for (int bom = 0; bom <= 1; bom++) {
        struct colidx *x = colidx_new();
        struct textwin plain = {sb.buf, sb.len, 0, 3, bom, NULL};
        struct textwin fast = plain;
        fast.idx = x;
        for (size_t i = 0; i <= sb.len; i++) {
            size_t off = (i * 7919) % (sb.len + 1);
            struct pos a, b;
            textwin_pos(&plain, off, &a);
            textwin_pos(&fast, off, &b);
            assert_int_equal(a.line, b.line);
            assert_int_equal(a.col, b.col);
            assert_int_equal(a.col_byte, b.col_byte);
            assert_int_equal(a.col_u16, b.col_u16);
        }
        colidx_free(x);
    }
    sb_free(&sb);
}

static void test_offmap(void **state)
{
    (void)state;
    struct offmap m;
    offmap_init(&m, 10);
    /* text "ab##K##cd" (file offsets 10..18) became "abVALUEcd": ##K## (5) -> VALUE... */
    offmap_add(&m, 2, 8, 12, 5, SEG_RESOLVED);
    assert_int_equal(offmap_map(&m, 0), 10);
    assert_int_equal(offmap_map(&m, 1), 11);
    assert_int_equal(offmap_map(&m, 2), 12);
    assert_int_equal(offmap_map(&m, 6), 12); /* inside: the placeholder's first char */
    assert_int_equal(offmap_map(&m, 10), 17); /* after: shifted back */
    assert_int_equal(offmap_flags(&m, 0, 2), 0);
    assert_int_equal(offmap_flags(&m, 1, 4), SEG_RESOLVED);
    offmap_free(&m);
}

static void test_display_escapes(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    sb_add_display(&sb, "a\x1b[31mb\n\xff", 9, 60);
    assert_string_equal(sb_str(&sb), "a\\x1b[31mb\\n\\xff");
    sb_reset(&sb);
    sb_add_display(&sb, "abcdef", 6, 3);
    assert_string_equal(sb_str(&sb), "abc...");
    sb_free(&sb);
}

static void test_edit_distance(void **state)
{
    (void)state;
    assert_int_equal(edit_distance("superviser", "supervisor", 2), 1);
    assert_int_equal(edit_distance("agnet", "agent", 2), 2);
    assert_int_equal(edit_distance("admin", "supervisor", 2), 3);
}

/* scrub s (parts as given) and compare with want; NULL: nothing to mask */
static void check_scrub(const char *s, int parts, const char *want)
{
    struct strbuf sb = STRBUF_INIT;
    int hit = secret_text_scrub(s, strlen(s), parts, &sb);
    assert_int_equal(hit, want != NULL);
    if (want)
        assert_string_equal(sb_str(&sb), want);
    sb_free(&sb);
}

static void test_secret_text(void **state)
{
    (void)state;
    check_scrub("nothing registered", 1, NULL);
    secret_text_add("abc", 3); /* too short to register */
    secret_text_add_raw("  \"s3cr3t-value\",", 17);
    secret_text_add("https://h/GO1234567890", 22);
    secret_text_add("s3cr3t-value-long", 17);
    check_scrub("abc", 1, NULL);
    check_scrub("x s3cr3t-value y s3cr3t-value", 0, "x ******** y ********");
    check_scrub("s3cr3t-value-long!", 0, "********!"); /* the longer one whole */
    check_scrub("GO1234567890", 0, NULL);              /* a part: only when asked */
    check_scrub("GO1234567890", 1, "********");
    check_scrub("GO12", 1, NULL);                      /* a part too short to tell */
    unsigned char marks[16] = {0};
    assert_int_equal(secret_text_mark("a s3cr3t-value", 14, marks), 1);
    assert_int_equal(marks[1], 0);
    assert_int_equal(marks[2], 1);
    assert_int_equal(marks[13], 1);
    secret_text_free();
    check_scrub("s3cr3t-value", 1, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_lines),
        cmocka_unit_test(test_multibyte_columns),
        cmocka_unit_test(test_crlf_and_tab),
        cmocka_unit_test(test_bom_is_not_a_column),
        cmocka_unit_test(test_source_pos_uses_line_index),
        cmocka_unit_test(test_textwin_window_offset),
        cmocka_unit_test(test_colidx_matches_scan),
        cmocka_unit_test(test_offmap),
        cmocka_unit_test(test_display_escapes),
        cmocka_unit_test(test_edit_distance),
        cmocka_unit_test(test_secret_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
