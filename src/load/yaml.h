/* load/yaml.h - YAML into the same jansson values and positions as JSON, from libyaml
 * events and their marks. Scalars are typed by the YAML 1.2 core schema: true/false,
 * null/~/empty, integers (decimal, 0o, 0x), floats (incl. .inf/.nan); yes/no/on/off stay
 * strings. Aliases are expanded with a limit of LOAD_MAX_ALIAS_NODES nodes per document.
 * Duplicate keys are reported (second key; note at the first) and the later one wins. */
#ifndef SSOLINT_LOAD_YAML_H
#define SSOLINT_LOAD_YAML_H

#include "load/load.h"

/* Parse the first YAML document of text[0, len). A stream with more than one document
 * is a parse error at the second document's start ("only one YAML document is read").
 * An empty stream gives json null. Non-string mapping keys are converted to their text.
 * Returns a new reference or NULL after one LD_PARSE_ERROR. */
json_t *yaml_scan(const char *text, size_t len, const struct load_opts *o, struct loc *root_loc);

#endif
