/* check/group_loader.c - the `loader` check function: rules whose findings are made by the
 * stage that reads the input (parse-error, duplicate-key, unresolved-placeholder,
 * action-syntax, code-file-missing, input-missing). Their data still decides whether
 * they run, their severity and their message; there is nothing to visit. */
#include "check/check.h"

const struct check_fn check_loader_fn = {"loader", NULL, NULL, NULL, NULL, NULL};
