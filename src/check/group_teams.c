/* check/group_teams.c - the check functions of the `teams` rule group (rules/teams.yaml):
 * `field-forbidden` and `field-required` (check/fn/field_presence.c: a field that must not
 * or must be there), `pattern` (check/fn/pattern.c: a value against a PCRE2 regex),
 * `spelling-consistent` and `value-listed` (check/fn/spelling.c: spelling variants of one
 * name, and values missing from the tenant's list) and `group-needs-role`
 * (check/fn/group_needs_role.c: a team with a supervisor but no agent). The cross-record ones
 * share one tenant-wide index of the team values (check/value_index.c). */
#include "check/check.h"

extern const struct check_fn check_field_forbidden_fn, check_field_required_fn,
    check_regex_pattern_fn, check_spelling_consistent_fn, check_value_listed_fn,
    check_group_needs_role_fn;

/* The functions this group registers (see check.h); the table ends with NULL. */
const struct check_fn *const check_group_teams[] = {
    &check_field_forbidden_fn,
    &check_field_required_fn,
    &check_regex_pattern_fn,
    &check_spelling_consistent_fn,
    &check_value_listed_fn,
    &check_group_needs_role_fn,
    NULL,
};
