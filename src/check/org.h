/* check/org.h - helpers shared by the check functions of the pattern and workers
 * groups: which organization a tenant belongs to, message variants taken from rule
 * options, case-folded comparison and hashing, and JSON pointers inside any document. */
#ifndef SSOLINT_CHECK_ORG_H
#define SSOLINT_CHECK_ORG_H

#include <jansson.h>
#include <stdint.h>

#include "check/check.h"
#include "rules/finding.h"

/* Organizations. A tenant belongs to its declared `organization`; a tenant without one is
 * an organization of its own (Pattern A and B both put one organization in a tenant), so
 * two tenants are of the same organization when both declare organizations that are
 * equal ignoring ASCII case, or when they are the same tenant. Tenants that .ssolint.yaml
 * does not declare (no `tenants`) have no known organization: they are never of
 * different organizations. */
int org_same(const struct tenant *a, const struct tenant *b);
/* The organization's name for messages: `organization`, else the tenant's name. */
const char *org_label(const struct tenant *t);
/* The tenant's name ("default" for an implicit tenant). */
const char *tenant_label(const struct tenant *t);

/* Reject option keys not in known (NULL-terminated): "the FN check has no option 'x'
 * (a, b, c)". Returns 0 or -1. A NULL options object is fine. */
int options_known(json_t *opts, const char *fn, const char *const *known, struct strbuf *err);

/* Message variants: one check function that finds a problem in several situations
 * takes the wording of each from options.variants, {NAME: {problem: T, fix: T}}, and
 * fills the rule message's {problem} and {fix} with them. In a template, {x} is replaced
 * by the value paired with "x" in kv (name, value, ..., NULL); unknown names by "". */
int variants_prepare(json_t *opts, const char *fn, const char *const *names, struct strbuf *err);
void variants_apply(struct finding *f, json_t *opts, const char *name, const char *const *kv);
/* Append template t to sb with its {x} filled from kv as above. */
void template_render(struct strbuf *sb, const char *t, const char *const *kv);

/* ASCII lower-case copy of s[0..n) (new string); with strip, ' ', '_' and '-' are
 * dropped too (the team-name folding of team-case-mismatch). */
char *fold_copy(const char *s, size_t n, int strip);
/* 64-bit hash of the ASCII lower-case form of s[0..n); never 0. */
uint64_t hash_lower(const char *s, size_t n);

/* Resolve a JSON pointer below `from` in document d (see record_get). */
json_t *doc_get(const struct doc *d, json_t *from, const char *pointer, const struct loc **l,
                int *unknown);

#endif
