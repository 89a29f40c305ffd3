/* load/ci_template.h - CI templates in configuration text (rules.md "Placeholders"):
 * `${NAME}`, `${NAME:-default}`, `${{ expr }}`, `$NAME` (uppercase: an environment
 * variable) and `<name>` (letters, digits, `_`, ` `, `.`, `-`; up to 64 bytes). */
#ifndef SSOLINT_LOAD_CI_TEMPLATE_H
#define SSOLINT_LOAD_CI_TEMPLATE_H

#include <stddef.h>

/* Length of the template that starts at t[i] (i < len), 0 when none starts there. */
size_t ci_template_len(const char *t, size_t len, size_t i);

/* Whether s[0, n) holds a template anywhere. */
int ci_template_in(const char *s, size_t n);

#endif
