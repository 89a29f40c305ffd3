/* config/config_int.h - what the configuration's validation pass shares between config.c (the
 * schema: which keys go where, tenants, rules, ignore entries, the file) and
 * config/validate.c (collecting errors, reading typed members, checking single values).
 * Private to those two files. */
#ifndef SSOLINT_CONFIG_INT_H
#define SSOLINT_CONFIG_INT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

/* One located error, printed after the whole file has been checked. */
struct cerr {
    uint64_t off;
    size_t seq;
    char *msg;
};

/* The validation pass: the config being filled and the errors found so far. */
struct cv {
    struct config *cfg;
    struct cerr *e;
    size_t ne, cape;
};

/* Collect an error at text offset off; config_load prints them all in file order. */
void cv_err(struct cv *v, uint64_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* s made safe to show inside a message (escaped, cut). New string. */
char *cv_disp(const char *s);

/* Offsets of obj[key]'s key and value, and of arr[i]; the document's start when the
 * member has no position. */
uint64_t cv_key_off(const struct cv *v, const json_t *obj, const char *key);
uint64_t cv_val_off(const struct cv *v, const json_t *obj, const char *key);
uint64_t cv_idx_off(const struct cv *v, const json_t *arr, size_t i);

/* Is s one of the NULL-terminated list? */
int cv_in_list(const char *s, const char *const *list);
/* The entry of list within edit distance 2 of s (the nearest), or NULL. */
const char *cv_near_miss(const char *s, const char *const *list);

/* obj[key] when present and not null (borrowed). */
json_t *cv_member(const json_t *obj, const char *key);
/* Typed members: 1 set, 0 absent, -1 wrong (reported). *out gets a new string or list;
 * node, when not NULL, the value's node. */
int cv_want_str(struct cv *v, json_t *obj, const char *key, char **out, json_t **node);
/* A list of strings, or when single_ok also one string. */
int cv_want_list(struct cv *v, json_t *obj, const char *key, int single_ok, struct cfg_list *out);
/* A path, resolved against the config's directory (cv_resolve); "" is refused. */
int cv_want_path(struct cv *v, json_t *obj, const char *key, char **out, json_t **node);
/* A string that must be one of list (expect: the choices, for the message). */
int cv_want_enum(struct cv *v, json_t *obj, const char *key, const char *const *list,
                 const char *expect, char **out);
/* A mapping member (borrowed; NULL when absent or reported). */
json_t *cv_want_map(struct cv *v, json_t *obj, const char *key);
/* A path relative to the config's directory, as the rest of ssolint opens it. New. */
char *cv_resolve(const struct config *cfg, const char *p);

/* Values: two spellings of one team name; domains that are not bare host names (reported
 * at the list entry, or at obj[key] for a single string); an ignore entry's tenant that
 * is not declared. */
void cv_check_teams(struct cv *v, const struct cfg_list *teams);
void cv_check_hosts(struct cv *v, json_t *obj, const char *key, const struct cfg_list *l,
                    const char *example);
void cv_check_tenant_name(struct cv *v, json_t *e, const char *name);
/* YYYY-MM-DD, a real calendar day: 0, or -1. */
int cv_parse_date(const char *s, int *y, int *m, int *d);

#endif
