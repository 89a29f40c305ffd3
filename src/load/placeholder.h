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

/* What to look for: deploy-cli keywords (`##KEY##`, `@@KEY@@`), and/or the templates
 * that CI fills before deploy-cli runs (`${NAME}`, `$NAME`, `${{ ... }}`, `<name>`;
 * JSON and YAML only: in Action code `${x}` and `$x` are JavaScript). A template is
 * never substituted: its span is flagged SEG_UNRESOLVED (the value is unknown) and,
 * where it would not parse (bare in JSON), rewritten to `null` of the same length. */
enum { PH_KEYWORDS = 1, PH_TEMPLATES = 2 };

struct ph_hit {
    uint64_t off;     /* file offset of the placeholder's first character */
    uint64_t end;
    const char *name; /* KEY, NUL-terminated, valid during the callback */
    int resolved;
    int is_template;  /* a CI template (never resolved, not a deploy-cli keyword) */
};
typedef void (*ph_fn)(void *ctx, const struct ph_hit *h);

/* Substitute placeholders of text[0, len) (file offset base) with mappings (a JSON
 * object, may be NULL: then every placeholder is unresolved); `what` is PH_KEYWORDS
 * and/or PH_TEMPLATES. Calls fn for each
 * placeholder found. Returns the number of placeholders found; when it is > 0,
 * *out / *outlen hold the new text (malloc'd, NUL-terminated) and map its offmap;
 * when 0, *out is NULL and the original text is to be used. */
size_t ph_substitute(const char *text, size_t len, uint64_t base, enum ph_syntax syn,
                     unsigned what, const json_t *mappings, char **out, size_t *outlen, struct offmap *map,
                     ph_fn fn, void *ctx);

#endif
