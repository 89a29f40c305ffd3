/* check/group_roles.c - the check functions of the `roles` rule group (rules/roles.yaml) and of
 * export-missing-metadata (rules/input.yaml): `enum` (check/fn/enum.c: allowed values, case
 * variants, near misses, duplicates), `required` and `file-lacks` (check/fn/presence.c:
 * a value that must be there, and a file in which no record has it). */
#include "check/check.h"

extern const struct check_fn check_enum_fn, check_required_fn, check_file_lacks_fn;

/* The functions this group registers (see check.h); the table ends with NULL. */
const struct check_fn *const check_group_roles[] = {
    &check_enum_fn,
    &check_required_fn,
    &check_file_lacks_fn,
    NULL,
};
