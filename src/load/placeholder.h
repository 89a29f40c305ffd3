/* load/placeholder.h - deploy-cli keyword placeholders (design.md). Before parsing,
 * `##KEY##` is replaced by the mapped value's text and `@@KEY@@` (with the quotes
 * around it, if any) by its JSON text, exactly as deploy-cli does on import. An
 * unmapped placeholder is kept, or rewritten to text of the same length that the
 * loader reads as a scalar, and its span is flagged SEG_UNRESOLVED so the loader marks
 * the value unknown. Every substituted span goes into an offmap back to the
 * placeholder's first character. */
#ifndef SSOLINT_LOAD_PLACEHOLDER_H
#define SSOLINT_LOAD_PLACEHOLDER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/offmap.h"

enum ph_syntax { PH_JSON, PH_YAML, PH_TEXT };

struct ph_hit {
    uint64_t off;     /* file offset of the placeholder's first character */
    uint64_t end;
    const char *name; /* KEY, NUL-terminated, valid during the callback */
    int resolved;
};
typedef void (*ph_fn)(void *ctx, const struct ph_hit *h);

/* Substitute placeholders of text[0, len) (file offset base) with mappings (a JSON
 * object, may be NULL: then every placeholder is unresolved). Calls fn for each
 * placeholder found. Returns the number of placeholders found; when it is > 0,
 * *out / *outlen hold the new text (malloc'd, NUL-terminated) and map its offmap;
 * when 0, *out is NULL and the original text is to be used. */
size_t ph_substitute(const char *text, size_t len, uint64_t base, enum ph_syntax syn,
                     const json_t *mappings, char **out, size_t *outlen, struct offmap *map,
                     ph_fn fn, void *ctx);

#endif
