/* load/yaml_scalar.c - the type of a YAML scalar (load/yaml.c hands each one over): the
 * YAML 1.2 core schema's null, bool, int (decimal, 0o octal, 0x hex) and float, tried in
 * that order on plain scalars, and the !!str/!!int/... tags that force a type. Text in,
 * jansson value out: no parser state, no positions. */
#include "load/yaml.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "load/yaml_int.h"
#include "base/util.h"

#define CORE_TAG "tag:yaml.org,2002:"


static int text_is(const char *s, size_t n, const char *const *words)
{
    for (; *words; words++)
        if (strlen(*words) == n && memcmp(s, *words, n) == 0)
            return 1;
    return 0;
}

static const char *const null_words[] = {"null", "Null", "NULL", "~", "", NULL};
static const char *const true_words[] = {"true", "True", "TRUE", NULL};
static const char *const false_words[] = {"false", "False", "FALSE", NULL};

static json_t *bool_value(const char *s, size_t n)
{
    if (text_is(s, n, true_words))
        return json_true();
    if (text_is(s, n, false_words))
        return json_false();
    return NULL;
}

/* jansson reals must be finite: .inf, .nan and overflowing numbers keep their text. */
static json_t *real_or_text(const char *s, size_t n)
{
    char *t = xstrndup(s, n);
    double d = strtod(t, NULL);
    free(t);
    return isfinite(d) ? json_real(d) : json_stringn(s, n);
}

static int digit_val(char c, int base)
{
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : 99;
    return d < base ? d : -1;
}

/* [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+; too large for json_int_t -> real. */
static json_t *int_value(const char *s, size_t n)
{
    size_t i = 0;
    int base = 10, neg = 0, over = 0;
    if (n > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
        base = s[1] == 'o' ? 8 : 16;
        i = 2;
    } else if (n > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == n)
        return NULL;
    unsigned long long acc = 0, limit = (unsigned long long)LLONG_MAX + (unsigned)neg;
    double dacc = 0;
    for (; i < n; i++) {
        int d = digit_val(s[i], base);
        if (d < 0)
            return NULL;
        if (!over && acc > (limit - (unsigned)d) / (unsigned)base)
            over = 1;
        acc = acc * (unsigned)base + (unsigned)d;
        dacc = dacc * base + d;
    }
    if (over && base == 10)
        return real_or_text(s, n);
    if (over)
        return isfinite(dacc) ? json_real(dacc) : json_stringn(s, n);
    if (!neg)
        return json_integer((json_int_t)acc);
    return json_integer(acc > LLONG_MAX ? LLONG_MIN : -(json_int_t)acc);
}

static size_t skip_digits(const char *s, size_t n, size_t i)
{
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    return i;
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? | [-+]?\.(inf|Inf|INF) |
 * \.(nan|NaN|NAN) */
static json_t *float_value(const char *s, size_t n)
{
    static const char *const inf_words[] = {".inf", ".Inf", ".INF", NULL};
    static const char *const nan_words[] = {".nan", ".NaN", ".NAN", NULL};
    size_t i = (n > 0 && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    if (text_is(s + i, n - i, inf_words) || text_is(s, n, nan_words))
        return json_stringn(s, n);
    size_t int_end = skip_digits(s, n, i), frac = 0;
    if (int_end < n && s[int_end] == '.') {
        size_t frac_end = skip_digits(s, n, int_end + 1);
        frac = frac_end - int_end - 1;
        int_end = frac_end;
    }
    if (int_end == i || (int_end == i + 1 && s[i] == '.' && !frac))
        return NULL;
    i = int_end;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            i++;
        size_t e = skip_digits(s, n, i);
        if (e == i)
            return NULL;
        i = e;
    }
    return i == n ? real_or_text(s, n) : NULL;
}

static json_t *null_value(const char *s, size_t n)
{
    return text_is(s, n, null_words) ? json_null() : NULL;
}

/* The core schema's types, tried in this order on plain scalars. */
static const struct {
    const char *tag;
    json_t *(*value)(const char *s, size_t n);
} core_types[] = {{"null", null_value},
                  {"bool", bool_value},
                  {"int", int_value},
                  {"float", float_value}};

static json_t *core_value(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof(core_types) / sizeof(core_types[0]); i++) {
        json_t *v = core_types[i].value(s, n);
        if (v)
            return v;
    }
    return json_stringn(s, n);
}

json_t *yl_scalar_value(const char *tag, const char *s, size_t n, int plain,
                        const char **bad_tag)
{
    const char *t = "";
    *bad_tag = NULL;
    if (tag && strncmp(tag, CORE_TAG, strlen(CORE_TAG)) == 0)
        t = tag + strlen(CORE_TAG);
    if ((tag && strcmp(tag, "!") == 0) || strcmp(t, "str") == 0)
        return json_stringn(s, n);
    for (size_t i = 0; i < sizeof(core_types) / sizeof(core_types[0]); i++) {
        if (strcmp(t, core_types[i].tag) == 0) {
            json_t *v = core_types[i].value(s, n);
            if (!v)
                *bad_tag = core_types[i].tag;
            return v;
        }
    }
    /* untagged, or a tag ssolint does not know (!Ref): typed as if untagged */
    if (plain)
        return core_value(s, n);
    return json_stringn(s, n);
}
