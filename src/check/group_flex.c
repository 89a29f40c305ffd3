/* check/group_flex.c - the check functions of the `flex` rule group (rules/flex.yaml): the
 * Flex SSO settings against the Auth0 tenant. Each function lives in its own file and
 * documents its options there; they are general, so other rules can reuse them. */
#include "check/check.h"

extern const struct check_fn check_template_fn;       /* check/fn/template.c */
extern const struct check_fn check_cert_fn;           /* check/fn/cert.c */
extern const struct check_fn check_required_keys_fn;  /* check/fn/required_keys.c */
extern const struct check_fn check_host_allowlist_fn; /* check/fn/host_allowlist.c */

/* The functions this group registers (see check.h); the table ends with NULL. */
const struct check_fn *const check_group_flex[] = {
    &check_template_fn,
    &check_cert_fn,
    &check_required_keys_fn,
    &check_host_allowlist_fn,
    NULL,
};
