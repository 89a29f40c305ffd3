/* check_flex.c - the check functions of the `flex` rule group (rules/flex.yaml): the
 * Flex SSO settings against the Auth0 tenant. Each function lives in its own file and
 * documents its options there; they are general, so other rules can reuse them. */
#include "check.h"

extern const struct check_fn check_template_fn;       /* check_template.c */
extern const struct check_fn check_cert_fn;           /* check_cert.c */
extern const struct check_fn check_required_keys_fn;  /* check_keys.c */
extern const struct check_fn check_host_allowlist_fn; /* check_hosts.c */

/* The functions this group registers (see check.h); the table ends with NULL. */
const struct check_fn *const check_group_flex[] = {
    &check_template_fn,
    &check_cert_fn,
    &check_required_keys_fn,
    &check_host_allowlist_fn,
    NULL,
};
