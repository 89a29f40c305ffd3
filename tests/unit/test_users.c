/* test_users.c - the users record stream (src/load/users.c): NDJSON, arrays and the
 * {"users": [...]} object, plain and gzip, with exact record offsets, line numbers and
 * error positions, and the wrong inputs (CSV, UTF-16, YAML, binary). Inputs are written
 * to a temporary directory by each test. */
/* cmocka.h needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "load/users.h"
#include "base/path.h"
#include "base/source.h"

#define MAXR 16
#define MAXD 8

struct rec {
    uint64_t index, start, win_off, email_key;
    uint32_t win_line, line, col, email_line, email_col;
    int bom;
    char uid[32];
};

struct dg {
    enum ld_kind kind;
    uint64_t off, off2;
    uint32_t line, col;
    char msg[200], key[32];
};

struct res {
    struct rec r[MAXR];
    size_t nr, stop_after;
    struct dg d[MAXD];
    size_t nd;
    struct users_stats st;
    int ret, file;
};

static char dir[] = "/tmp/test_users_XXXXXX";

static int on_rec(void *ctx, const struct user_rec *u)
{
    struct res *res = ctx;
    const struct doc *d = u->doc;
    struct pos p;
    assert_true(res->nr < MAXR);
    struct rec *r = &res->r[res->nr++];
    /* the window starts at a line start and covers the whole record */
    assert_true(u->win->off <= d->root_loc.start);
    assert_true(d->root_loc.end <= u->win->off + u->win->len);
    assert_true(u->win->off == 0 || u->win->text[-1] == '\n');
    assert_int_equal(d->file, res->file);
    r->index = u->index;
    r->start = d->root_loc.start;
    r->win_off = u->win->off;
    r->win_line = u->win->line;
    r->bom = u->win->bom;
    textwin_pos(u->win, d->root_loc.start, &p);
    r->line = p.line;
    r->col = p.col;
    const char *uid = json_string_value(json_object_get(d->root, "user_id"));
    snprintf(r->uid, sizeof(r->uid), "%s", uid ? uid : "?");
    const struct loc *l = doc_key(d, d->root, "email");
    if (l) {
        r->email_key = l->key;
        textwin_pos(u->win, l->start, &p);
        r->email_line = p.line;
        r->email_col = p.col;
    }
    return res->stop_after && res->nr == res->stop_after;
}

static void on_diag(void *ctx, const struct ld_diag *d)
{
    struct res *res = ctx;
    struct pos p;
    assert_true(res->nd < MAXD);
    assert_non_null(d->win);
    assert_true(d->win->off <= d->off && d->off <= d->win->off + d->win->len);
    struct dg *g = &res->d[res->nd++];
    g->kind = d->kind;
    g->off = d->off;
    g->off2 = d->off2;
    textwin_pos(d->win, d->off, &p);
    g->line = p.line;
    g->col = p.col;
    snprintf(g->msg, sizeof(g->msg), "%s", d->msg ? d->msg : "");
    snprintf(g->key, sizeof(g->key), "%s", d->key ? d->key : "");
}

static char *path_of(const char *name)
{
    static char buf[256];
    snprintf(buf, sizeof(buf), "%s/%s", dir, name);
    return buf;
}

static void put(const char *name, const char *data, size_t len)
{
    FILE *f = fopen(path_of(name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* One gzip member per call; mode "ab" appends another member. */
static void put_gz(const char *name, const char *mode, const char *data, size_t len)
{
    gzFile g = gzopen(path_of(name), mode);
    assert_non_null(g);
    assert_int_equal(gzwrite(g, data, (unsigned)len), (int)len);
    assert_int_equal(gzclose(g), Z_OK);
}

static void run(const char *name, struct res *res)
{
    res->file = source_add(path_of(name), name, SRC_USERS);
    res->ret = users_stream(res->file, on_rec, res, on_diag, res, &res->st);
}

static struct res *stream_text(const char *name, const char *text)
{
    static struct res res;
    memset(&res, 0, sizeof(res));
    put(name, text, strlen(text));
    run(name, &res);
    return &res;
}

static uint64_t off_of(const char *text, const char *needle)
{
    const char *p = strstr(text, needle);
    assert_non_null(p);
    return (uint64_t)(p - text);
}

static void assert_rec(const struct rec *r, const char *uid, uint64_t start, uint32_t line,
                       uint32_t col)
{
    assert_string_equal(r->uid, uid);
    assert_int_equal(r->start, start);
    assert_int_equal(r->line, line);
    assert_int_equal(r->col, col);
}

static const char ndjson[] = "{\"user_id\":\"a\",\"email\":\"a@x.org\"}\n"
                             "{\"user_id\":\"b\",\"email\":\"b@x.org\"}\n"
                             "\n"
                             "  {\"user_id\":\"c\"}\n";

static void check_ndjson(const struct res *res)
{
    assert_int_equal(res->ret, 0);
    assert_int_equal(res->nd, 0);
    assert_int_equal(res->nr, 3);
    assert_rec(&res->r[0], "a", 0, 1, 1);
    assert_rec(&res->r[1], "b", 34, 2, 1);
    assert_rec(&res->r[2], "c", 71, 4, 3);
    assert_int_equal(res->r[1].win_off, 34);
    assert_int_equal(res->r[1].win_line, 2);
    assert_int_equal(res->r[2].win_off, 69); /* the line start, before the spaces */
    assert_int_equal(res->r[1].email_key, off_of(ndjson, "\"email\":\"b"));
    assert_int_equal(res->r[1].email_line, 2);
    assert_int_equal(res->r[1].email_col, 24);
    assert_int_equal(res->r[2].index, 2);
    assert_int_equal(res->st.records, 3);
    assert_int_equal(res->st.bytes_text, sizeof(ndjson) - 1);
    assert_string_equal(res->st.format, "ndjson");
}

static void test_ndjson(void **state)
{
    (void)state;
    struct res *res = stream_text("a.ndjson", ndjson);
    check_ndjson(res);
    assert_int_equal(res->st.gzip, 0);
    assert_int_equal(res->st.bytes_in, sizeof(ndjson) - 1);
    assert_int_equal(source_get(res->file)->gzip, 0);
}

static void test_gzip_same_as_plain(void **state)
{
    (void)state;
    static struct res res;
    put_gz("a.json.gz", "wb", ndjson, sizeof(ndjson) - 1);
    run("a.json.gz", &res);
    check_ndjson(&res);
    assert_int_equal(res.st.gzip, 1);
    assert_int_equal(source_get(res.file)->gzip, 1);
    assert_true(res.st.bytes_in > 0 && res.st.bytes_in != res.st.bytes_text);

    /* concatenated members are one text; the name does not matter */
    memset(&res, 0, sizeof(res));
    put_gz("members", "wb", ndjson, 50);
    put_gz("members", "ab", ndjson + 50, sizeof(ndjson) - 1 - 50);
    run("members", &res);
    check_ndjson(&res);
}

static void test_gzip_truncated(void **state)
{
    (void)state;
    static struct res res;
    char buf[512];
    put_gz("t.gz", "wb", ndjson, sizeof(ndjson) - 1);
    FILE *f = fopen(path_of("t.gz"), "rb");
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    put("t.gz", buf, n - 4); /* the trailer is cut: all the text, no end */
    run("t.gz", &res);
    assert_int_equal(res.ret, 0);
    assert_int_equal(res.nr, 3);
    assert_int_equal(res.nd, 1);
    assert_string_equal(res.d[0].msg, "truncated gzip data");
    assert_int_equal(res.d[0].off, sizeof(ndjson) - 1);
    assert_int_equal(res.d[0].line, 5);

    /* a cut in the deflate data: the last, partial record is dropped with the error */
    memset(&res, 0, sizeof(res));
    put_gz("t2.gz", "wb", ndjson, sizeof(ndjson) - 1);
    f = fopen(path_of("t2.gz"), "rb");
    n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    put("t2.gz", buf, n - 14);
    run("t2.gz", &res);
    assert_int_equal(res.nd, 1);
    assert_string_equal(res.d[0].msg, "truncated gzip data");
    assert_true(res.d[0].off < sizeof(ndjson) - 1);
    assert_int_equal(res.d[0].off, res.st.bytes_text);
    assert_true(res.nr < 3);

    /* a bad header */
    memset(&res, 0, sizeof(res));
    buf[2] = 7; /* compression method */
    put("bad.gz", buf, n);
    run("bad.gz", &res);
    assert_int_equal(res.nr, 0);
    assert_int_equal(res.nd, 1);
    assert_string_equal(res.d[0].msg, "invalid gzip data");
    assert_int_equal(res.d[0].off, 0);
}

static void test_crlf(void **state)
{
    (void)state;
    const char *t = "{\"user_id\":\"a\"}\r\n\r\n{\"user_id\":\"b\",\r\n\"email\":\"e\"}\r\n";
    struct res *res = stream_text("crlf.ndjson", t);
    assert_int_equal(res->nd, 0);
    assert_int_equal(res->nr, 2);
    assert_rec(&res->r[0], "a", 0, 1, 1);
    assert_rec(&res->r[1], "b", 19, 3, 1); /* a value spanning lines */
    assert_int_equal(res->r[1].email_line, 4);
    assert_int_equal(res->r[1].email_col, 9);
}

static void test_bom(void **state)
{
    (void)state;
    struct res *res =
        stream_text("bom.ndjson", "\xEF\xBB\xBF{\"user_id\":\"a\"}\n{\"user_id\":\"b\"}");
    assert_int_equal(res->nd, 0);
    assert_int_equal(res->nr, 2);
    assert_rec(&res->r[0], "a", 3, 1, 1);
    assert_int_equal(res->r[0].win_off, 0);
    assert_int_equal(res->r[0].bom, 1);
    assert_rec(&res->r[1], "b", 19, 2, 1);
    assert_int_equal(res->r[1].bom, 0);
    assert_int_equal(source_get(res->file)->has_bom, 1);
}

static void test_array_pretty(void **state)
{
    (void)state;
    const char *t = "[\n"
                    "  {\n"
                    "    \"user_id\": \"a\"\n"
                    "  },\n"
                    "  {\n"
                    "    \"user_id\": \"b\",\n"
                    "    \"email\": \"b@x.org\"\n"
                    "  }\n"
                    "]\n";
    struct res *res = stream_text("array.json", t);
    assert_int_equal(res->nd, 0);
    assert_int_equal(res->nr, 2);
    assert_rec(&res->r[0], "a", 4, 2, 3);
    assert_int_equal(res->r[0].win_off, 2);
    assert_int_equal(res->r[0].win_line, 2);
    assert_rec(&res->r[1], "b", off_of(t, "  {\n    \"user_id\": \"b") + 2, 5, 3);
    assert_int_equal(res->r[1].win_line, 5);
    assert_int_equal(res->r[1].email_line, 7);
    assert_int_equal(res->r[1].email_col, 14);
    assert_int_equal(res->r[1].index, 1);
    assert_string_equal(res->st.format, "array");
}

static void test_users_object(void **state)
{
    (void)state;
    const char *t = "{\"start\":0,\"limit\":50,\"length\":2,\"total\":2,\"users\":["
                    "{\"user_id\":\"a\"},\n{\"user_id\":\"b\"}]}\n";
    struct res *res = stream_text("page.json", t);
    assert_int_equal(res->nd, 0);
    assert_int_equal(res->nr, 2);
    assert_rec(&res->r[0], "a", off_of(t, "{\"user_id\":\"a"), 1, 53);
    assert_rec(&res->r[1], "b", off_of(t, "{\"user_id\":\"b"), 2, 1);
    assert_int_equal(res->r[1].index, 1);
    assert_string_equal(res->st.format, "users-object");

    /* "users" not first, keys after it; a bad member after the array ends the file */
    t = "{\n  \"total\": 1,\n  \"users\": [ {\"user_id\":\"a\"} ]\n  \"limit\": 50\n}\n";
    res = stream_text("page2.json", t);
    assert_int_equal(res->nr, 1);
    assert_int_equal(res->nd, 1);
    assert_string_equal(res->d[0].msg, "expected ',' or '}' after an object member");
    assert_int_equal(res->d[0].off, off_of(t, "\"limit\""));
    assert_int_equal(res->d[0].line, 4);
    assert_int_equal(res->d[0].col, 3);

    /* a bad wrapper value is a parse error too */
    t = "{\"users\":[{\"user_id\":\"a\"}],\"total\":[1,}\n";
    res = stream_text("page3.json", t);
    assert_int_equal(res->nr, 1);
    assert_int_equal(res->nd, 1);
    assert_int_equal(res->d[0].kind, LD_PARSE_ERROR);
    assert_int_equal(res->d[0].off, off_of(t, "}\n"));
}

static void test_ndjson_bad_line(void **state)
{
    (void)state;
    const char *t = "{\"user_id\":\"a\"}\n"
                    "{\"user_id\":\"b\" \"x\":1}\n"
                    "{\"user_id\":\"c\"}\n"
                    "{\"user_id\":\"d\",\"identities\":[{\"x\":1}\n"
                    "{\"user_id\":\"e\"}\n";
    struct res *res = stream_text("bad.ndjson", t);
    assert_int_equal(res->ret, 0);
    assert_int_equal(res->nd, 2);
    assert_int_equal(res->d[0].kind, LD_PARSE_ERROR);
    assert_string_equal(res->d[0].msg, "expected ',' or '}' after an object member");
    assert_int_equal(res->d[0].off, off_of(t, "\"x\""));
    assert_int_equal(res->d[0].line, 2);
    assert_int_equal(res->d[0].col, 16);
    /* a record cut short: the error is at the end of its line, the next line streams */
    assert_int_equal(res->d[1].off, off_of(t, "\n{\"user_id\":\"e"));
    assert_int_equal(res->d[1].line, 4);
    assert_int_equal(res->nr, 3);
    assert_rec(&res->r[0], "a", 0, 1, 1);
    assert_rec(&res->r[1], "c", off_of(t, "{\"user_id\":\"c"), 3, 1);
    assert_rec(&res->r[2], "e", off_of(t, "{\"user_id\":\"e"), 5, 1);
    assert_int_equal(res->r[1].index, 2);
    assert_int_equal(res->r[2].index, 4);
}

static void test_values_stream(void **state)
{
    (void)state;
    /* several values on a line, a value spanning lines, a string with braces */
    const char *t = "{\"user_id\":\"a\"} {\"user_id\":\"b\"}\n"
                    "{\n"
                    "  \"user_id\": \"c\",\n"
                    "  \"email\": \"}{\\\"]\"\n"
                    "}\n";
    struct res *res = stream_text("values.json", t);
    assert_int_equal(res->nd, 0);
    assert_int_equal(res->nr, 3);
    assert_rec(&res->r[0], "a", 0, 1, 1);
    assert_rec(&res->r[1], "b", 16, 1, 17);
    assert_rec(&res->r[2], "c", 32, 2, 1);
    assert_int_equal(res->r[2].email_line, 4);
    assert_int_equal(res->r[2].email_col, 12);
}

static void test_duplicate_key(void **state)
{
    (void)state;
    const char *t = "{\"user_id\":\"a\"}\n{\"user_id\":\"b\",\"user_id\":\"c\"}\n";
    struct res *res = stream_text("dup.ndjson", t);
    assert_int_equal(res->nr, 2);
    assert_string_equal(res->r[1].uid, "c");
    assert_int_equal(res->nd, 1);
    assert_int_equal(res->d[0].kind, LD_DUPLICATE_KEY);
    assert_string_equal(res->d[0].key, "user_id");
    assert_int_equal(res->d[0].off, 31);
    assert_int_equal(res->d[0].off2, 17);
    assert_int_equal(res->d[0].line, 2);
    assert_int_equal(res->d[0].col, 16);
}

static void test_non_object(void **state)
{
    (void)state;
    const char *t = "[{\"user_id\":\"a\"},\n 42, {\"user_id\":\"b\"}]";
    struct res *res = stream_text("nonobj.json", t);
    assert_int_equal(res->nd, 1);
    assert_string_equal(res->d[0].msg, "a user record must be a JSON object");
    assert_int_equal(res->d[0].off, 19);
    assert_int_equal(res->d[0].line, 2);
    assert_int_equal(res->d[0].col, 2);
    assert_int_equal(res->nr, 2);
    assert_string_equal(res->r[1].uid, "b");
    assert_int_equal(res->r[1].index, 2);

    /* in NDJSON too, and the stream goes on */
    res = stream_text("nonobj.ndjson", "{\"user_id\":\"a\"}\n[1]\n{\"user_id\":\"b\"}\n");
    assert_int_equal(res->nd, 1);
    assert_string_equal(res->d[0].msg, "a user record must be a JSON object");
    assert_int_equal(res->d[0].off, 16);
    assert_int_equal(res->nr, 2);
}

static void test_array_error_ends_file(void **state)
{
    (void)state;
    const char *t = "[{\"user_id\":\"a\"} {\"user_id\":\"b\"}]\n";
    struct res *res = stream_text("arr.json", t);
    assert_int_equal(res->nr, 1);
    assert_int_equal(res->nd, 1);
    assert_string_equal(res->d[0].msg, "expected ',' or ']' after an array element");
    assert_int_equal(res->d[0].off, 17);

    res = stream_text("arr2.json", "[{\"user_id\":\"a\"},\n{\"user_id\":\"b\"\n");
    assert_int_equal(res->nr, 1);
    assert_int_equal(res->nd, 1);
    assert_string_equal(res->d[0].msg, "unexpected end of input, expected ',' or '}'");
    assert_int_equal(res->d[0].off, 33); /* the end of the text, on line 3 */
    assert_int_equal(res->d[0].line, 3);

    res = stream_text("arr3.json", "[{\"user_id\":\"a\"},]");
    assert_int_equal(res->nr, 1);
    assert_int_equal(res->nd, 1);
    assert_string_equal(res->d[0].msg, "trailing comma in an array");
    assert_int_equal(res->d[0].off, 17);
}

static void check_wrong(const char *name, const char *text, size_t len, const char *msg)
{
    static struct res res;
    memset(&res, 0, sizeof(res));
    put(name, text, len);
    run(name, &res);
    assert_int_equal(res.ret, 0);
    assert_int_equal(res.nr, 0);
    assert_int_equal(res.nd, 1);
    assert_int_equal(res.d[0].kind, LD_PARSE_ERROR);
    assert_int_equal(res.d[0].off, 0);
    assert_string_equal(res.d[0].msg, msg);
}

static void test_wrong_inputs(void **state)
{
    (void)state;
    const char *csv = "this is a CSV export; export the users with format json (NDJSON)";
    const char *u16 = "this file is UTF-16; save it as UTF-8";
    const char *yaml = "this looks like YAML; a users file must be JSON (NDJSON, an array, or "
                       "{\"users\": [...]})";
    const char *bin = "this is not a text file";
    check_wrong("u.csv", "\"user_id\",\"email\"\n\"a\",\"a@x.org\"\n", 31, csv);
    check_wrong("u2.csv", "user_id,email,name\na,a@x.org,A\n", 31, csv);
    check_wrong("u16le.json", "\xFF\xFE[\0{\0}\0]\0", 10, u16);
    check_wrong("u16be.json", "\0[\0{\0\"\0a\0\"", 10, u16);
    check_wrong("u16nobom.json", "{\0\"\0a\0\"\0:\0", 10, u16);
    check_wrong("u.yaml", "# users\n\nusers:\n  - user_id: a\n", 31, yaml);
    check_wrong("u2.yaml", "- user_id: a\n  email: x\n", 24, yaml);
    check_wrong("u3.yaml", "---\nuser_id: a\n", 15, yaml);
    check_wrong("u.png", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, bin);
}

/* A Latin-1 byte inside a JSON export is that record's parse error; the other records
 * are still read (not the whole file refused as binary). */
static void test_latin1_record(void **state)
{
    (void)state;
    const char *t = "{\"name\":\"Jos\xe9\"}\n{\"name\":\"Ana\"}\n";
    struct res *res = stream_text("latin1.json", t);
    assert_int_equal(res->ret, 0);
    assert_int_equal(res->nd, 1);
    assert_int_equal(res->d[0].kind, LD_PARSE_ERROR);
    assert_int_equal(res->d[0].off, 13); /* the '"' that cuts the sequence E9 starts */
    assert_int_equal(res->nr, 1);
    assert_int_equal(res->d[0].line, 1);
}

static void test_empty(void **state)
{
    (void)state;
    struct res *res = stream_text("empty.json", "");
    assert_int_equal(res->ret, 0);
    assert_int_equal(res->nd, 0);
    assert_int_equal(res->nr, 0);
    assert_int_equal(res->st.records, 0);
    res = stream_text("blank.json", " \n\r\n\t\n");
    assert_int_equal(res->nd, 0);
    assert_int_equal(res->nr, 0);
    static struct res r2;
    put_gz("empty.gz", "wb", "", 0);
    run("empty.gz", &r2);
    assert_int_equal(r2.nd, 0);
    assert_int_equal(r2.nr, 0);
    assert_int_equal(r2.st.gzip, 1);
}

static void test_long_line(void **state)
{
    (void)state;
    static struct res res;
    size_t n = LOAD_MAX_LINE + 100;
    char *t = malloc(n + 64);
    assert_non_null(t);
    memcpy(t, "{\"user_id\":\"a\",\"pad\":\"", 22);
    memset(t + 22, 'x', n - 22);
    strcpy(t + n, "\"}\n{\"user_id\":\"b\"}\n");
    put("long.ndjson", t, strlen(t));
    run("long.ndjson", &res);
    free(t);
    assert_int_equal(res.nd, 1);
    assert_string_equal(res.d[0].msg, "line longer than 16 MB");
    assert_int_equal(res.d[0].off, 0);
    assert_int_equal(res.nr, 1);
    assert_rec(&res.r[0], "b", n + 3, 2, 1);
}

/* Thousands of records of varied sizes: the read buffer refills inside records. */
struct many {
    uint64_t *start;
    uint32_t *line;
    size_t n, seen, bad;
};

static int on_many(void *ctx, const struct user_rec *u)
{
    struct many *m = ctx;
    struct pos p;
    textwin_pos(u->win, u->doc->root_loc.start, &p);
    if (u->index != m->seen || m->seen >= m->n || u->doc->root_loc.start != m->start[m->seen] ||
        p.line != m->line[m->seen] || p.col != 3)
        m->bad++;
    m->seen++;
    return 0;
}

static void test_many_records(void **state)
{
    (void)state;
    struct many m = {0};
    struct users_stats st;
    char *t = NULL;
    size_t len = 0, cap = 0;
    uint32_t line = 2;
    m.n = 4000;
    m.start = calloc(m.n, sizeof(*m.start));
    m.line = calloc(m.n, sizeof(*m.line));
    assert_non_null(t = malloc(cap = 8u << 20));
    len = (size_t)sprintf(t, "[\n");
    for (size_t i = 0; i < m.n; i++) {
        m.start[i] = len + 2;
        m.line[i] = line;
        len += (size_t)sprintf(t + len, "  {\"user_id\": \"u%zu\",\n   \"pad\": \"%0*d\"}%s\n", i,
                               (int)(i * 7 % 1500), 0, i + 1 < m.n ? "," : "");
        line += 2;
    }
    len += (size_t)sprintf(t + len, "]\n");
    assert_true(len < cap);
    put("many.json", t, len);
    int id = source_add(path_of("many.json"), "many.json", SRC_USERS);
    assert_int_equal(users_stream(id, on_many, &m, NULL, NULL, &st), 0);
    assert_int_equal(m.seen, m.n);
    assert_int_equal(m.bad, 0);
    assert_int_equal(st.bytes_text, len);

    m.seen = 0;
    put_gz("many.json.gz", "wb", t, len);
    id = source_add(path_of("many.json.gz"), "many.json.gz", SRC_USERS);
    assert_int_equal(users_stream(id, on_many, &m, NULL, NULL, &st), 0);
    assert_int_equal(m.seen, m.n);
    assert_int_equal(m.bad, 0);
    assert_true(st.gzip);
    free(t);
    free(m.start);
    free(m.line);
}

static void test_stop_and_missing(void **state)
{
    (void)state;
    static struct res res;
    res.stop_after = 1;
    put("stop.ndjson", ndjson, sizeof(ndjson) - 1);
    run("stop.ndjson", &res);
    assert_int_equal(res.ret, 0);
    assert_int_equal(res.nr, 1);
    assert_int_equal(res.st.records, 1);

    memset(&res, 0, sizeof(res));
    run("no-such-file", &res);
    assert_int_equal(res.ret, -1);
    assert_int_equal(res.nr, 0);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    path_guard_root(dir); /* the files it reads are inside this root */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    source_free_all();
    path_guard_reset();
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ndjson),
        cmocka_unit_test(test_gzip_same_as_plain),
        cmocka_unit_test(test_gzip_truncated),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_array_pretty),
        cmocka_unit_test(test_users_object),
        cmocka_unit_test(test_ndjson_bad_line),
        cmocka_unit_test(test_values_stream),
        cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_non_object),
        cmocka_unit_test(test_array_error_ends_file),
        cmocka_unit_test(test_wrong_inputs),
        cmocka_unit_test(test_latin1_record),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_many_records),
        cmocka_unit_test(test_stop_and_missing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
