/* check/util.h - small helpers that many check functions (src/check_*.c) share: reading
 * rule options in prepare() (unknown keys, booleans), PCRE2 patterns from options
 * (compile with PCRE2's own error text, one-shot matching), the last segment of a JSON
 * pointer, ASCII case-insensitive comparison, and the host of a URL. They hold no
 * policy: every message that names a rule's option stays in its check function. */
#ifndef SSOLINT_CHECK_UTIL_H
#define SSOLINT_CHECK_UTIL_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <jansson.h>
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

/* ---- options ---- */

/* Reject a key of options that is not in keys (NULL-terminated): "unknown option 'x'",
 * or "unknown option 'x' of the CHECK check" when check is not NULL. Returns 0, or -1
 * with the message in err. */
int chk_known_options(json_t *options, const char *const *keys, const char *check,
                      struct strbuf *err);

/* options[key] as a boolean: *out gets 1 for true, 0 for false or absent. Returns 0, or
 * -1 with "options.KEY must be true or false" in err when it is another type. */
int chk_opt_bool(json_t *options, const char *key, int *out, struct strbuf *err);

/* The last segment of a JSON pointer ("team" for /app_metadata/flex/team); borrowed,
 * inside pointer. */
const char *chk_last_segment(const char *pointer);

/* ---- PCRE2 patterns ---- */

/* Why a pattern did not compile: PCRE2's message and the byte offset it points at. */
struct chk_regex_err {
    char msg[256];
    size_t off;
};

/* Compile pattern re of n bytes (PCRE2_ZERO_TERMINATED: up to its NUL) with PCRE2
 * compile options flags. Returns the code (new: free with pcre2_code_free), or NULL with
 * the reason in *e (e may be NULL). */
pcre2_code *chk_regex_compile(const char *re, size_t n, uint32_t flags,
                              struct chk_regex_err *e);

/* Does re match somewhere in s[0, n) (n may be PCRE2_ZERO_TERMINATED)? Uses match data
 * of its own, so re may be shared. A matching error counts as no match. */
int chk_regex_match(const pcre2_code *re, const char *s, size_t n);

/* ---- text ---- */

/* Are a[0, n) and b[0, n) equal ignoring ASCII case? */
int chk_ascii_caseeq(const char *a, const char *b, size_t n);

/* ---- URLs ---- */

/* The authority of URL u: the text after its first "://" up to '/', '?', '#' or the
 * end, length in *n; without "://", u itself up to those characters, and *has_scheme
 * (may be NULL) gets 0. Borrowed, inside u. */
const char *url_authority(const char *u, size_t *n, int *has_scheme);

/* The host of a URL or bare host name: its authority without "user@" and ":port", length
 * in *n. Borrowed, inside u. */
const char *url_host(const char *u, size_t *n);

#endif
