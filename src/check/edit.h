/* check/edit.h - how a check function turns a finding into a fix (doc/fix.md): edits that
 * replace a string value in the spelling the file already uses (JSON, YAML plain, single-
 * or double-quoted), replace or wrap a value, drop an array element or an object member
 * with its separator, or append a string to an array, in JSON and in YAML (flow and
 * block). Everything outside the edited bytes stays as it is.
 *
 * Every helper works on the record's text as it is in memory (its window, or the file's
 * retained text) and refuses (drops the fix, returns -1) when a value is unknown, came
 * from a placeholder, is a secret, or its bytes are not the plain spelling of the value
 * the loader saw (an escape sequence, text produced by substitution): a fix never guesses
 * which bytes of the file made a value. */
#ifndef SSOLINT_CHECK_EDIT_H
#define SSOLINT_CHECK_EDIT_H

#include <jansson.h>

#include "check/check.h"
#include "rules/finding.h"

/* Start f's fix (safety FIX_SAFE or FIX_UNSAFE, lowered to the rule's) with a title; for
 * a user record also its user_id, email and app_metadata.flex range (--remediation).
 * Returns 0, or -1 when no fix can be made (f NULL, rule without fix, secret). */
int edit_begin(struct finding *f, const struct record *rec, int safety, const char *title);

/* Replace the string value at l (current value cur) with s, keeping its quoting style. */
int edit_string(struct finding *f, const struct record *rec, const struct loc *l,
                json_t *cur, const char *s);
/* Replace the value at l with the raw text `text` (e.g. "true"). */
int edit_replace(struct finding *f, const struct record *rec, const struct loc *l,
                 const char *text);
/* Make the scalar at l a one-element list: "[" before it and "]" after it. */
int edit_wrap_list(struct finding *f, const struct record *rec, const struct loc *l);
/* Remove element i of array arr, with the separator before it (or after it for the first
 * element; a YAML block item: its whole line). */
int edit_remove_index(struct finding *f, const struct record *rec, json_t *arr, size_t i);
/* Remove member key of object obj with its separator (a YAML block member: its lines). */
int edit_remove_key(struct finding *f, const struct record *rec, json_t *obj,
                    const char *key);
/* Append the string s to array arr (at al), in the style of its last element. */
int edit_append_string(struct finding *f, const struct record *rec, json_t *arr,
                       const struct loc *al, const char *s);

/* For a check that has no text at hand (a tenant's finish step): replace the JSON
 * string token [start, end) holding cur (n bytes) with the string s, if the file's
 * bytes there are exactly "cur" when fixed. */
int edit_json_token(struct finding *f, uint64_t start, uint64_t end, const char *cur,
                    size_t n, const char *s);

#endif
