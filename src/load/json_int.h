/* load/json_int.h - what the two halves of the JSON scanner share: load/json.c (values,
 * containers, positions) calls the string-literal scanner of load/json_string.c for every
 * string and key. Private to those two files. */
#ifndef SSOLINT_LOAD_JSON_INT_H
#define SSOLINT_LOAD_JSON_INT_H

#include <stddef.h>
#include <stdint.h>

#include "base/offmap.h"
#include "base/util.h"

/* Where and why a string literal is invalid. */
struct str_err {
    size_t off, end;
    const char *msg;
};

/* What a string literal decoded to. */
struct str_out {
    const char *raw; /* no escape and no copy asked: the content, inside the text */
    size_t rawlen;
    size_t nul;      /* text offset of the first \u0000 escape, SIZE_MAX when none */
};

/* Scan the string literal at t[i] == '"'; returns the offset after its closing quote, or
 * 0 with *e set. Without copy, a literal with no escape is returned as so->raw (pointing
 * into t) and out is left alone; otherwise its decoded bytes are appended to out. With a
 * map, each escape adds one segment: decoded offsets (relative to this literal's start in
 * out) of the escape's bytes -> file offset map_off + the offset of its backslash. */
size_t json_str_scan(const char *t, size_t len, size_t i, int copy, struct strbuf *out,
                     struct str_out *so, struct offmap *map, uint64_t map_off,
                     struct str_err *e);

#endif
