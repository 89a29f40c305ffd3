/* check/code.h - what the `actions` check functions share: finding the Flex action(s)
 * of a record (rules.md "Terms", chosen by model/select.c), and reading Action code as
 * tokens (load/js.h): member-access chains such as `event.user.app_metadata?.flex?.team`
 * or `user['user_metadata']`, calls with their arguments, and the place where code
 * findings point. Tokens only: a commented-out call or a call inside a string is not
 * code. */
#ifndef SSOLINT_CHECK_CODE_H
#define SSOLINT_CHECK_CODE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "check/check.h"
#include "model/model.h"

/* The action that an `actions`/`code` record stands for, NULL when the record is not an
 * Action of its tenant. *is_flex (may be NULL) gets 1 when it is a Flex action. */
struct action *actcode_action(const struct record *rec, int *is_flex);

/* Is action a bound to `trigger` in the tenant's trigger bindings (by `key`, normally
 * action_name)? 1 yes, 0 no, -1 unknown (an unresolved placeholder on the way). */
int actcode_bound(const struct tenant *t, const struct action *a, const char *trigger,
                  const char *key);

/* Can the code rules judge a: its code was read and tokenized without action-syntax. */
int actcode_usable(const struct action *a);
/* The Flex action of an `actions`/`code` record when the code rules can judge its code
 * (actcode_action + actcode_usable), else NULL. */
const struct action *actcode_flex_usable(const struct record *rec);
/* a's name for messages: its name, or "(unnamed)". Borrowed. */
const char *actcode_label(const struct action *a);

/* File span of token tk of a's code (placeholders map back to their first character). */
void actcode_span(const struct action *a, const struct js_tok *tk, uint64_t *start, uint64_t *end);
/* Does tk overlap an unresolved placeholder (its text is unknown)? */
int actcode_tok_unknown(const struct action *a, const struct js_tok *tk);

/* A finding of rule ri at the first identifier `entry` (e.g. onExecutePostLogin) of a's
 * code file, else at line 1, column 1 of it. NULL when the rule is off. */
struct finding *actcode_finding_at(int ri, const struct tenant *t, const struct action *a,
                                   const char *entry);

/* A property name at token i: an identifier, or a string literal in brackets ['x'].
 * *name gets the token index of the identifier or string, *next the index after it.
 * Returns 1 when there is one. */
int actcode_prop(const struct action *a, size_t i, size_t *name, size_t *next);

/* Does the text of name token k (identifier or string literal) equal s? */
int actcode_name_is(const struct action *a, size_t k, const char *s);

/* Match the member chain names[0..n) starting at token i (names[0] an identifier or a
 * bracketed string after an expression; the others after `.`, `?.`, `[...]` or
 * `?.[...]`). "*" matches any property name. On a match returns 1 and *last gets the
 * token index of the last name. */
int actcode_chain_at(const struct action *a, size_t i, const char *const *names, size_t n,
                     size_t *last);

/* Reads of a property below the chain names[0..n) (e.g. app_metadata.flex) through a
 * simple `const`/`let`/`var` alias or an object destructuring (check/code_alias.c): fn
 * gets the token index of each property name read that way. */
typedef void (*actcode_read_fn)(void *ctx, size_t name_tok);
void actcode_alias_reads(const struct action *a, const char *const *names, size_t n,
                         actcode_read_fn fn, void *ctx);

/* A compiled list of names from rule options (a string or a list of strings). */
struct actcode_names {
    char **v;
    size_t n;
};
/* Parse options[key] as a non-empty list of strings (a single string is split at '.'
 * when dots is set). Returns 0, or -1 with a message in err. */
int actcode_names_parse(json_t *options, const char *key, int dots, struct actcode_names *out,
                        struct strbuf *err);
void actcode_names_free(struct actcode_names *l);

/* The location of the value at JSON pointer ptr (from the document root) in d; NULL when
 * unknown. */
const struct loc *actcode_doc_loc(const struct doc *d, const char *ptr);

#endif
