/* check/secrets.h - what the `secrets` check functions share (check/fn/secret_fields.c,
 * check/fn/secret_code.c, check/fn/secret_names.c): PCRE2 patterns from rule options, the
 * masking hooks that run before any check (rules.md "Masking": every byte range known to
 * hold a secret is masked in every snippet and every {value}, whether or not the secrets
 * rules are on), and a line scanner that masks `key: value` lines of a file that did not
 * parse (its values have no positions, but its snippets must not show a secret). */
#ifndef SSOLINT_CHECK_SECRETS_H
#define SSOLINT_CHECK_SECRETS_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>

#include "check/check.h"

/* Compile options[key] (a PCRE2 pattern string). Absent: *out = NULL and 0 unless
 * required. Returns 0, or -1 with a message in err. */
int sx_compile(json_t *options, const char *key, int required, pcre2_code **out,
               struct strbuf *err);
/* Does re match somewhere in s[0, n)? */
int sx_match(const pcre2_code *re, const char *s, size_t n);
/* Free a compiled pattern (NULL is fine). */
void sx_free(pcre2_code *re);

/* Register [start, end) of file as secret (source_add_mask). */
void sx_mask(int file, uint64_t start, uint64_t end);

/* Is [start, end) of file's text only an unresolved-looking placeholder: `##NAME##` or
 * `@@NAME@@`, quoted or not? Such text holds no secret and stays readable. */
int sx_bare_placeholder(int file, uint64_t start, uint64_t end);

/* For a file whose text did not parse: mask the rest of each line after a key for which
 * is_secret(ctx, key, len) holds (JSON "key": or YAML key:), and the indented lines of a
 * YAML block scalar that follows such a key. */
void sx_mask_unparsed(int file, int (*is_secret)(void *ctx, const char *key, size_t n),
                      void *ctx);

/* For a parsed document: mask the value after each secret key (is_secret) that the
 * document does not hold, i.e. the first of two duplicate keys (the loader keeps the
 * later value's position only). */
void sx_mask_shadowed(const struct doc *d, int (*is_secret)(void *ctx, const char *key, size_t n),
                      void *ctx);

/* The masking hooks of each function: register the secret ranges of tenant t that rule
 * r's options describe (r->state prepared). Called for every rule of the function, on or
 * off, before any check runs. */
void secret_fields_mask(const struct rule *r, struct tenant *t);
void secret_code_mask(const struct rule *r, struct tenant *t);
void secret_names_mask(const struct rule *r, struct tenant *t);

/* Call fn for each keyword placeholder (##NAME## / @@NAME@@) that fills a value at a
 * secret pointer of tenant t's export (the secret_fields rules, on or off): the mapping
 * NAME holds a secret whatever its name. */
void secret_fields_placeholders(struct tenant *t,
                                void (*fn)(void *ctx, const char *name, size_t n), void *ctx);

extern const struct check_fn check_secret_fields_fn, check_secret_code_fn,
    check_secret_names_fn;

#endif
