/* base/secret_text.c - the set of texts known to be secrets, and the scrubbing of a text
 * against it (secret_text.h). The set is small (the secret values of one repository);
 * it is kept sorted longest first, so that a secret holding another is masked whole. */
#include "base/secret_text.h"

#include <stdlib.h>
#include <string.h>

#define MASK "********"

struct secret {
    char *s;
    size_t n;
};

static struct secret *set;
static size_t nset, capset;
static int unsorted; /* texts were added since the last sort */

void secret_text_add(const char *s, size_t n)
{
    if (n < SECRET_TEXT_MIN)
        return;
    GROW(set, capset, nset + 1);
    set[nset].s = xstrndup(s, n);
    set[nset].n = n;
    nset++;
    unsorted = 1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void secret_text_add_raw(const char *s, size_t n)
{
    while (n && is_space(*s)) {
        s++;
        n--;
    }
    while (n && (is_space(s[n - 1]) || s[n - 1] == ','))
        n--;
    if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
        s++;
        n -= 2;
    }
    secret_text_add(s, n);
}

static int cmp_secret(const void *a, const void *b)
{
    const struct secret *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return memcmp(x->s, y->s, x->n);
}

/* Sort longest first and drop duplicates. */
static void tidy(void)
{
    if (!unsorted)
        return;
    qsort(set, nset, sizeof(*set), cmp_secret);
    size_t k = 0;
    for (size_t i = 0; i < nset; i++) {
        if (k && set[k - 1].n == set[i].n && !memcmp(set[k - 1].s, set[i].s, set[i].n)) {
            free(set[i].s);
            continue;
        }
        set[k++] = set[i];
    }
    nset = k;
    unsorted = 0;
}

/* Does hay[0, hn) contain needle[0, nn)? */
static int contains(const char *hay, size_t hn, const char *needle, size_t nn)
{
    for (size_t i = 0; nn <= hn && i <= hn - nn; i++)
        if (hay[i] == needle[0] && !memcmp(hay + i, needle, nn))
            return 1;
    return 0;
}

/* The length of the registered text that starts at s[i], 0 when none does. */
static size_t secret_at(const char *s, size_t n, size_t i)
{
    for (size_t k = 0; k < nset; k++)
        if (set[k].n <= n - i && s[i] == set[k].s[0] && !memcmp(s + i, set[k].s, set[k].n))
            return set[k].n;
    return 0;
}

int secret_text_scrub(const char *s, size_t n, int parts, struct strbuf *out)
{
    if (!nset || !n)
        return 0;
    tidy();
    if (parts && n >= SECRET_PART_MIN)
        for (size_t k = 0; k < nset; k++)
            if (contains(set[k].s, set[k].n, s, n)) {
                sb_adds(out, MASK);
                return 1;
            }
    size_t done = 0, found = 0;
    for (size_t i = 0; i < n;) {
        size_t m = secret_at(s, n, i);
        if (!m) {
            i++;
            continue;
        }
        sb_add(out, s + done, i - done);
        sb_adds(out, MASK);
        i += m;
        done = i;
        found = 1;
    }
    if (found)
        sb_add(out, s + done, n - done);
    return (int)found;
}

int secret_text_mark(const char *s, size_t n, unsigned char *marks)
{
    if (!nset)
        return 0;
    tidy();
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        size_t m = secret_at(s, n, i);
        if (m) {
            memset(marks + i, 1, m);
            found = 1;
        }
    }
    return found;
}

size_t secret_text_count(void)
{
    return nset;
}

void secret_text_free(void)
{
    for (size_t i = 0; i < nset; i++)
        free(set[i].s);
    free(set);
    set = NULL;
    nset = capset = 0;
}
