/* fix/diff.c - the unified diff of --diff, written by hand because the changes are known:
 * no line-matching algorithm is needed. Each taken edit touches a run of old lines (or
 * inserts whole lines between two); runs that touch are one change; changes whose three
 * lines of context meet are one hunk. The old lines of a change are printed with '-', the
 * same bytes after the edits with '+', so CRLF, a BOM and a last line without newline
 * come out as they are ("\ No newline at end of file" as git writes it) and `git apply`
 * gives exactly what --fix writes. */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "fix/fix.h"

#define CONTEXT 3

struct change {
    size_t s, e;   /* old bytes [s, e): whole lines (e == s: lines are only inserted) */
    size_t ns, ne; /* the same region in the new text */
};

static size_t line_start(const char *t, size_t off)
{
    while (off > 0 && t[off - 1] != '\n')
        off--;
    return off;
}

static size_t next_line(const char *t, size_t len, size_t off)
{
    const char *nl = off < len ? memchr(t + off, '\n', len - off) : NULL;
    return nl ? (size_t)(nl - t) + 1 : len;
}

/* The old lines edit e touches: [*s, *e). */
static void touched(const struct edit *ed, const char *t, size_t len, size_t *s, size_t *e)
{
    size_t a = (size_t)ed->start, b = (size_t)ed->end;
    *s = line_start(t, a);
    if (b > a && line_start(t, b) == b) /* the range ends with a newline */
        *e = b;
    else if (a == b && a == *s && ed->len && ed->text[ed->len - 1] == '\n')
        *e = a; /* whole lines inserted before a line */
    else
        *e = next_line(t, len, b);
}

static size_t count_nl(const char *t, size_t s, size_t e)
{
    size_t n = 0;
    for (size_t i = s; i < e; i++)
        n += t[i] == '\n';
    return n;
}

/* Lines in t[s, e), a last one without newline included. */
static size_t count_lines(const char *t, size_t s, size_t e)
{
    return count_nl(t, s, e) + (e > s && t[e - 1] != '\n');
}

/* Print the lines of t[s, e) with a prefix. */
static void put_lines(FILE *out, char prefix, const char *t, size_t s, size_t e)
{
    while (s < e) {
        const char *nl = memchr(t + s, '\n', e - s);
        size_t le = nl ? (size_t)(nl - t) + 1 : e;
        fputc(prefix, out);
        fwrite(t + s, 1, le - s, out);
        if (!nl)
            fputs("\n\\ No newline at end of file\n", out);
        s = le;
    }
}

/* Move back n lines from line start off. */
static size_t back_lines(const char *t, size_t off, int n)
{
    while (n-- > 0 && off > 0)
        off = line_start(t, off - 1);
    return off;
}

static size_t fwd_lines(const char *t, size_t len, size_t off, int n)
{
    while (n-- > 0 && off < len)
        off = next_line(t, len, off);
    return off;
}

/* One hunk: changes c[0..n), with context; line0 is the old line number of c[0].s and
 * delta the lines added so far by earlier hunks. */
static void put_hunk(FILE *out, const char *old, size_t oldlen, const char *neu,
                     const struct change *c, size_t n, size_t line0, long delta)
{
    size_t hs = back_lines(old, c[0].s, CONTEXT);
    size_t he = fwd_lines(old, oldlen, c[n - 1].e, CONTEXT);
    size_t first = line0 - count_nl(old, hs, c[0].s);
    size_t ol = count_lines(old, hs, he), nl = ol;
    for (size_t i = 0; i < n; i++)
        nl = nl - count_lines(old, c[i].s, c[i].e) + count_lines(neu, c[i].ns, c[i].ne);
    size_t nfirst = (size_t)((long)first + delta);
    fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", ol ? first : first - 1, ol,
            nl ? nfirst : nfirst - 1, nl);
    size_t pos = hs;
    for (size_t i = 0; i < n; i++) {
        put_lines(out, ' ', old, pos, c[i].s);
        put_lines(out, '-', old, c[i].s, c[i].e);
        put_lines(out, '+', neu, c[i].ns, c[i].ne);
        pos = c[i].e;
    }
    put_lines(out, ' ', old, pos, he);
}

/* The changes of ff's edits over old: new array, *n of them. */
static struct change *changes(struct fix_file *ff, const char *old, size_t oldlen,
                              size_t newlen, size_t *np)
{
    struct change *c = xcalloc(ff->ned ? ff->ned : 1, sizeof(*c));
    size_t n = 0;
    for (size_t i = 0; i < ff->ned; i++) {
        size_t s, e;
        touched(ff->ed[i], old, oldlen, &s, &e);
        if (n && s <= c[n - 1].e) { /* touches the previous change */
            if (e > c[n - 1].e)
                c[n - 1].e = e;
        } else {
            c[n++] = (struct change){s, e, 0, 0};
        }
    }
    for (size_t i = 0; i < n; i++)
        c[i].ns = (size_t)fix_map_offset(ff, c[i].s);
    /* the text between changes is unchanged: a change ends where that text begins */
    for (size_t i = 0; i < n; i++) {
        size_t after = i + 1 < n ? c[i + 1].ns : newlen;
        c[i].ne = after - ((i + 1 < n ? c[i + 1].s : oldlen) - c[i].e);
    }
    *np = n;
    return c;
}

void fix_diff(FILE *out, const char *rel, struct fix_file *ff, const char *old,
              size_t oldlen, const char *neu, size_t newlen)
{
    size_t n;
    struct change *c = changes(ff, old, oldlen, newlen, &n);
    fprintf(out, "diff --git a/%s b/%s\n--- a/%s\n+++ b/%s\n", rel, rel, rel, rel);
    size_t line = 1, pos = 0, h = 0;
    long delta = 0;
    for (size_t i = 0; i < n; i++) {
        /* a hunk ends where the context of two changes would not meet */
        if (i + 1 < n && fwd_lines(old, oldlen, c[i].e, CONTEXT) >=
                             back_lines(old, c[i + 1].s, CONTEXT))
            continue;
        line += count_nl(old, pos, c[h].s);
        pos = c[h].s;
        put_hunk(out, old, oldlen, neu, c + h, i + 1 - h, line, delta);
        for (size_t k = h; k <= i; k++)
            delta += (long)count_lines(neu, c[k].ns, c[k].ne) -
                     (long)count_lines(old, c[k].s, c[k].e);
        h = i + 1;
    }
    free(c);
}
