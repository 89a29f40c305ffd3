/* load/load.h - what every loader shares: the position side table that jansson lacks
 * (design.md "Positions from one pass"), loader diagnostics, and the options that tell a
 * loader where its text sits in the file and how to map substituted text back.
 *
 * Positions are kept per container: for each object or array value, one entry per
 * member (key offset, value start/end). jansson's true/false/null are shared singletons,
 * so a position cannot be keyed by the value pointer; (container, key|index) is unique. */
#ifndef SSOLINT_LOAD_H
#define SSOLINT_LOAD_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/offmap.h"
#include "base/source.h"

#define LOAD_MAX_DEPTH 2048
#define LOAD_MAX_DOC (512u * 1024u * 1024u) /* whole documents above this are refused */
#define LOAD_MAX_ALIAS_NODES 10000          /* YAML alias expansion per document */
#define LOAD_MAX_LINE (16u * 1024u * 1024u)

enum loc_flag {
    LOC_UNKNOWN = 1,     /* value comes from an unresolved placeholder: never judged */
    LOC_SECRET = 2,      /* value is a secret: masked on output */
    LOC_PLACEHOLDER = 4, /* value came from a resolved placeholder */
    LOC_QUOTED = 8,      /* YAML: a quoted scalar (so `true` is a string on purpose) */
};

struct loc {
    uint64_t start, end; /* file offsets of the value's text, [start, end) */
    uint64_t key;        /* file offset of the member's key (objects); = start otherwise */
    unsigned flags;      /* enum loc_flag */
};

struct locmap;
struct locmap *locmap_new(void);
void locmap_free(struct locmap *m);
void locmap_clear(struct locmap *m); /* forget everything, keep the memory (streams) */

/* Record the position of member `key` (objects) or element `index` (arrays) of
 * container c. For objects a later call for the same key replaces the earlier one. */
void locmap_set_key(struct locmap *m, const json_t *obj, const char *key, const struct loc *l);
void locmap_set_index(struct locmap *m, const json_t *arr, size_t index, const struct loc *l);

/* Look up positions; NULL when unknown. Borrowed pointers valid until the map changes. */
const struct loc *locmap_key(const struct locmap *m, const json_t *obj, const char *key);
const struct loc *locmap_index(const struct locmap *m, const json_t *arr, size_t index);

/* A loaded document: value + positions. */
struct doc {
    json_t *root;        /* new reference owned by the doc; NULL when it did not parse */
    struct loc root_loc;
    struct locmap *locs;
    int file;            /* source id */
};
void doc_free(struct doc *d); /* releases root and locs; the struct itself is the caller's */

/* Position of obj[key] / arr[i] in d, NULL when not recorded. */
const struct loc *doc_key(const struct doc *d, const json_t *obj, const char *key);
const struct loc *doc_index(const struct doc *d, const json_t *arr, size_t i);

/* Loader diagnostics. Messages never quote source text (it may hold a secret). */
enum ld_kind {
    LD_PARSE_ERROR,   /* off: where it went wrong */
    LD_DUPLICATE_KEY, /* off: the second key, off2: the first; key: the name */
    LD_WRONG_TYPE,    /* reserved for loaders that know a field's type */
};
struct ld_diag {
    enum ld_kind kind;
    uint64_t off, end; /* file offsets */
    uint64_t off2;     /* a related location (duplicate-key: the first key) */
    const char *msg;   /* e.g. "expected ',' or '}' after an object member" */
    const char *key;   /* duplicate-key: the key */
    const struct textwin *win; /* streams: the window holding off; NULL: the file's text */
};
typedef void (*ld_report_fn)(void *ctx, const struct ld_diag *d);

struct load_opts {
    uint64_t base;            /* file offset of text[0] (after any BOM) */
    const struct offmap *map; /* substituted text -> file offsets, NULL = identity */
    ld_report_fn report;      /* may be NULL */
    void *ctx;
    struct locmap *locs;      /* where positions go (required) */
    unsigned max_depth;       /* 0 = LOAD_MAX_DEPTH */
};

/* Map an offset in the (possibly substituted) text to a file offset. */
uint64_t load_map(const struct load_opts *o, size_t text_off);
/* Flags for a value spanning [s, e) of the text: LOC_UNKNOWN when it overlaps an
 * unresolved placeholder, LOC_PLACEHOLDER when it overlaps a resolved one. */
unsigned load_span_flags(const struct load_opts *o, size_t s, size_t e);
/* The same for an object or array starting at s: only a placeholder that produced the
 * whole container (one containing s) counts, not one inside a member. */
unsigned load_container_flags(const struct load_opts *o, size_t s);

/* A value's JSON type as a message says it: "an object", "a string", "null", ... */
const char *json_type_phrase(const json_t *v);

#endif
