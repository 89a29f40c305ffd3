/* check/check.h - the interface between the rule data and the C check functions. A rule's
 * `check.function` names one entry of the table in check.c; `prepare` validates and
 * compiles the rule's options once, `record` visits one record of the rule's scope,
 * `finish` runs after a tenant's records (cross-record rules). */
#ifndef SSOLINT_CHECK_H
#define SSOLINT_CHECK_H

#include <jansson.h>

#include "load/load.h"
#include "model/model.h"
#include "rules/rules.h"
#include "base/util.h"

enum rec_kind {
    REC_USER,
    REC_CLIENT,
    REC_ACTION,
    REC_TRIGGERS,
    REC_TENANT,
    REC_FLEX_SSO,
    REC_FLEX_CONFIG,
    REC_WORKER,
    REC_KIND_COUNT
};
/* The record kind named in rule data ("users", "clients", ...); -1 when unknown. */
int rec_kind_parse(const char *s);

/* One record as a check sees it. */
struct record {
    enum rec_kind kind;
    struct tenant *t;
    const struct doc *doc;
    json_t *obj;                /* the record value */
    const struct textwin *win;  /* NULL: the file's retained text */
    const char *identity;       /* user email/user_id, client or action name */
    const char *pointer;        /* JSON pointer of obj in doc ("" for the root) */
    struct worker *worker;      /* REC_WORKER: the worker with its parsed attributes */
};

/* A check function. Every hook is optional. Order of a run: prepare (when the rule file
 * is loaded), begin (once, before any record), record (each record of the rule's scope,
 * tenant by tenant; users streamed), finish (after each tenant's records), finish_all
 * (once, after every tenant: cross-tenant rules). */
struct check_fn {
    const char *name;
    /* Validate and compile r->options; on error append a message to err, return -1. */
    int (*prepare)(struct rule *r, int ri, struct strbuf *err);
    void (*begin)(int ri, struct model *m);
    void (*record)(int ri, const struct record *rec);
    void (*finish)(int ri, struct tenant *t);
    void (*finish_all)(int ri, struct model *m);
};

/* Does the rule's `when` hold for tenant t? (`when: {pattern: A}` / `{pattern: B}`) */
int rule_applies(const struct rule *r, const struct tenant *t);

const struct check_fn *check_find(const char *name);

/* The check stage: every enabled rule over every record of every tenant, users
 * streamed file by file. Returns 0. */
int check_run(struct model *m);

/* Register every byte range that holds a secret (source_add_mask) before any check runs,
 * whether or not the secrets rules are on (check/secrets.c). */
void secrets_mask(struct model *m);

/* Values already reported by a rule earlier in a chain ("one cause, one finding"). */
void claim(int file, uint64_t off);
int claimed(int file, uint64_t off);
void claims_free(void);

/* Resolve a JSON pointer below rec->obj. Returns the value (borrowed) or NULL when
 * absent; *l gets its position when known. A path through an unknown value stops there
 * and *unknown is set. */
json_t *record_get(const struct record *rec, const char *pointer, const struct loc **l,
                   int *unknown);

#endif
