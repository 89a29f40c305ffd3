/* base/secret_text.h - the texts known to be secrets (doc/security.md "Secrets"). The
 * masking hooks of the `secrets` rules register every secret value they find (a secret
 * field of the export, a credential-like literal, the value of a secret-named keyword
 * mapping); every text the findings store takes (message arguments, values, notes,
 * identities, pointers) passes through secret_text_scrub, whatever rule or loader made
 * it and wherever the value was substituted. Byte ranges (source_add_mask) cover the
 * snippets; this set covers text that left its file. */
#ifndef SSOLINT_SECRET_TEXT_H
#define SSOLINT_SECRET_TEXT_H

#include <stddef.h>

#include "base/util.h"

/* Texts shorter than this are not registered: a 3-byte value would mask every
 * message that holds those bytes, and guessing it needs no leak. */
#define SECRET_TEXT_MIN 4
/* A whole text that is a part of a secret at least this long is masked too (the SID
 * a check cut out of a secret URL). */
#define SECRET_PART_MIN 8

/* Register s[0, n) as a secret (an empty or short text is ignored). */
void secret_text_add(const char *s, size_t n);
/* Register the raw source text s[0, n) of a secret value: blanks, a trailing comma and
 * one pair of quotes around it are dropped. */
void secret_text_add_raw(const char *s, size_t n);
/* Does s[0, n) hold a secret: it contains a registered text, or (when parts is set) it
 * is, whole, a part of one of at least SECRET_PART_MIN bytes? Then out gets s with each
 * registered text, or all of s, replaced by "********" and 1 is returned; else 0, out
 * untouched. parts is for the texts of a finding located on a secret: what a check cut
 * out of the value there is a part of the secret. */
int secret_text_scrub(const char *s, size_t n, int parts, struct strbuf *out);
/* For a source line shown as it is (a snippet): set marks[i] to 1 for each byte of s
 * that belongs to a registered text. Returns whether any did. */
int secret_text_mark(const char *s, size_t n, unsigned char *marks);
/* How many texts are registered (0: scrubbing is a no-op). */
size_t secret_text_count(void);
void secret_text_free(void);

#endif
