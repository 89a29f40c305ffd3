/* check/group_saml.c - the check functions of the `saml` rule group (rules/saml.yaml): the
 * Flex client's URLs against Twilio's templates, and the Twilio SIDs. Each function
 * lives in its own file and documents its options there; they are general (URL
 * templates, SIDs, agreeing fields, a list's first item), so other rules can reuse them.
 * check/url.c is the template engine url-template and sid share. */
#include "check/check.h"

extern const struct check_fn check_url_template_fn; /* check/fn/url_template.c */
extern const struct check_fn check_sid_fn;          /* check/fn/sid.c */
extern const struct check_fn check_agree_fn;        /* check/fn/agree.c */
extern const struct check_fn check_first_item_fn;   /* check/fn/first_item.c */

/* The functions this group registers (see check.h); the table ends with NULL. */
const struct check_fn *const check_group_saml[] = {
    &check_url_template_fn,
    &check_sid_fn,
    &check_agree_fn,
    &check_first_item_fn,
    NULL,
};
