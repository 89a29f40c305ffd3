/* load/json.h - the JSON scanner: one iterative pass that validates the text (RFC 8259,
 * UTF-8), records the offset of every key and value, reports duplicate keys and keeps
 * going (the later value wins, as on import), and builds the jansson values itself. */
#ifndef SSOLINT_LOAD_JSON_H
#define SSOLINT_LOAD_JSON_H

#include "load/load.h"

/* Parse exactly one JSON value (surrounded by optional whitespace) from text[0, len).
 * Returns a new reference, or NULL after reporting one LD_PARSE_ERROR through o->report.
 * Positions of all members go to o->locs; the root's to *root_loc when not NULL.
 * Depth above o->max_depth is a parse error ("nesting deeper than 2048"). */
json_t *json_scan(const char *text, size_t len, const struct load_opts *o, struct loc *root_loc);

/* Decode the JSON string literal at text[0] (text[0] == '"') into sb-like output:
 * *out is a new malloc'd NUL-terminated string, *outlen its length. When map is not NULL,
 * an offmap is appended (base = file offset of the literal's first content byte) that sends
 * decoded offsets back to the literal's bytes (an escape maps to its backslash).
 * Returns the number of bytes of text consumed (closing quote included) or 0 when the
 * literal is invalid. */
size_t json_unescape(const char *text, size_t len, uint64_t file_off, char **out, size_t *outlen,
                     struct offmap *map);

#endif
