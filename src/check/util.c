/* check/util.c - helpers shared by the check functions: option reading, PCRE2 patterns,
 * text and URL pieces (see check/util.h). */
#include "check/util.h"

#include <string.h>

int chk_known_options(json_t *options, const char *const *keys, const char *check,
                      struct strbuf *err)
{
    const char *k;
    json_t *v;
    json_object_foreach(options, k, v) {
        const char *const *kk = keys;
        while (*kk && strcmp(*kk, k))
            kk++;
        if (*kk)
            continue;
        if (check)
            sb_addf(err, "unknown option '%s' of the %s check", k, check);
        else
            sb_addf(err, "unknown option '%s'", k);
        return -1;
    }
    return 0;
}

int chk_opt_bool(json_t *options, const char *key, int *out, struct strbuf *err)
{
    json_t *v = json_object_get(options, key);
    if (v && !json_is_boolean(v)) {
        sb_addf(err, "options.%s must be true or false", key);
        return -1;
    }
    *out = json_is_true(v);
    return 0;
}

const char *chk_last_segment(const char *pointer)
{
    const char *s = strrchr(pointer, '/');
    return s ? s + 1 : pointer;
}

pcre2_code *chk_regex_compile(const char *re, size_t n, uint32_t flags,
                              struct chk_regex_err *e)
{
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, n, flags, &ec, &eo, NULL);
    if (!c && e) {
        PCRE2_UCHAR msg[sizeof(e->msg)];
        pcre2_get_error_message(ec, msg, sizeof(msg));
        memcpy(e->msg, msg, sizeof(e->msg));
        e->msg[sizeof(e->msg) - 1] = '\0';
        e->off = (size_t)eo;
    }
    return c;
}

int chk_regex_match(const pcre2_code *re, const char *s, size_t n)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    int rc = pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, md, NULL);
    pcre2_match_data_free(md);
    return rc >= 0;
}

int chk_ascii_caseeq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return 1;
}

const char *url_authority(const char *u, size_t *n, int *has_scheme)
{
    const char *p = strstr(u, "://");
    if (has_scheme)
        *has_scheme = p != NULL;
    p = p ? p + 3 : u;
    *n = strcspn(p, "/?#");
    return p;
}

const char *url_host(const char *u, size_t *n)
{
    size_t len;
    const char *p = url_authority(u, &len, NULL);
    const char *at = memchr(p, '@', len);
    if (at) {
        len -= (size_t)(at + 1 - p);
        p = at + 1;
    }
    *n = strcspn(p, ":/?#");
    if (*n > len)
        *n = len;
    return p;
}
