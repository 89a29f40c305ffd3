/* check/group_actions.c - the check functions of the `actions` rule group (rules/actions.yaml):
 * the Flex action's fields (check/fn/action_field.c), its trigger binding
 * (check/fn/action_binding.c), and its code: calls (check/fn/code_calls.c), forbidden reads
 * (check/fn/code_reads.c) and reads of keys the users lack (check/fn/code_read_keys.c). */
#include "check/check.h"

extern const struct check_fn check_action_field_fn, check_action_binding_fn, check_code_calls_fn,
    check_code_reads_fn, check_code_read_keys_fn;

/* The functions this group registers (see check.h); the table ends with NULL. */
const struct check_fn *const check_group_actions[] = {
    &check_action_field_fn, &check_action_binding_fn, &check_code_calls_fn,
    &check_code_reads_fn,   &check_code_read_keys_fn, NULL,
};
