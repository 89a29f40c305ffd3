/* load/js_int.h - what the tokenizer (load/js.c) shares with the string decoder
 * (load/js_string.c): the character classes both read. Private to those two files. */
#ifndef SSOLINT_LOAD_JS_INT_H
#define SSOLINT_LOAD_JS_INT_H

#include <stddef.h>

/* Is c an ASCII hex digit? */
int js_is_hex(unsigned char c);
/* Length of a line terminator at s[i] (\n, \r, U+2028, U+2029), 0 if none; i < n. */
size_t js_lineterm_len(const char *s, size_t n, size_t i);

#endif
