/* load/yaml_int.h - what the YAML loader (load/yaml.c) asks of the scalar typing of
 * load/yaml_scalar.c. Private to those two files. */
#ifndef SSOLINT_LOAD_YAML_INT_H
#define SSOLINT_LOAD_YAML_INT_H

#include <jansson.h>
#include <stddef.h>

/* The value of the scalar text s[0, n) by the YAML 1.2 core schema. tag is the event's
 * tag (NULL: none); plain says the scalar was written without quotes or block style.
 * Untagged plain scalars (and those with a tag ssolint does not know, such as !Ref) are
 * typed; `!`, !!str and the other styles give strings. A new reference, or NULL: when a
 * core tag (!!int) does not match the text, *bad_tag is its short name ("int"); when
 * jansson refuses the text, *bad_tag is NULL. */
json_t *yl_scalar_value(const char *tag, const char *s, size_t n, int plain,
                        const char **bad_tag);

#endif
