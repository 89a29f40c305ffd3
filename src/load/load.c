/* load/load.c - the position side table (locmap) that every loader fills, and the helpers
 * that map a loader's text offsets to file offsets. A locmap is an open-addressing hash
 * from container pointer to that container's member positions, in member order. An
 * object with more than IX_MIN members also gets a hash index over its member keys, so
 * a record of 100,000 keys costs O(1) per key instead of a scan of the keys before it. */
#include "load/load.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

struct locent {
    size_t key;    /* offset of the key in the map's key pool; NO_KEY for array elements */
    uint32_t hash; /* of the key, compared before the key itself */
    struct loc loc;
};
#define NO_KEY SIZE_MAX

struct locnode {
    const json_t *c;
    struct locent *e;
    size_t n, cap;
    uint32_t *ix;  /* objects over IX_MIN members: entry index + 1 by key hash, 0 = free */
    size_t ixcap;  /* a power of two, at least twice n */
};

/* Up to this many members a scan of the 32-bit hashes is as fast as an index (a user
 * record has a dozen or two top-level keys): no index is built. */
#define IX_MIN 32

struct spare {
    struct locent *e;
    size_t cap;
};

/* A stream clears its map once per record: the key pool and the member arrays are kept
 * for the next record (spares) instead of being freed and allocated again. */
struct locmap {
    struct locnode *slots;
    size_t nslots, used;
    char *pool; /* keys, NUL-terminated, back to back */
    size_t plen, pcap;
    struct spare *spares;
    size_t nspares, capspares;
};

/* The slots come with the first position: many maps stay empty (a worker's attributes
 * that are not a JSON string), and 64 slots are 2 KB each. */
struct locmap *locmap_new(void)
{
    return xcalloc(1, sizeof(struct locmap));
}

void locmap_clear(struct locmap *m)
{
    if (!m || !m->used)
        return;
    for (size_t i = 0; i < m->nslots; i++) {
        struct locnode *nd = &m->slots[i];
        if (!nd->c)
            continue;
        if (nd->e) {
            GROW(m->spares, m->capspares, m->nspares + 1);
            m->spares[m->nspares++] = (struct spare){nd->e, nd->cap};
        }
        free(nd->ix);
        memset(nd, 0, sizeof(*nd));
    }
    m->used = 0;
    m->plen = 0;
}

void locmap_free(struct locmap *m)
{
    if (!m)
        return;
    locmap_clear(m);
    for (size_t i = 0; i < m->nspares; i++)
        free(m->spares[i].e);
    free(m->spares);
    free(m->pool);
    free(m->slots);
    free(m);
}

static size_t hash_ptr(const void *p, size_t mask)
{
    uintptr_t x = (uintptr_t)p;
    x ^= x >> 17;
    x *= 0x9E3779B97F4A7C15ull;
    x ^= x >> 29;
    return (size_t)x & mask;
}

static uint32_t hash_key(const char *k, size_t *len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    const char *p = k;
    for (; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    *len = (size_t)(p - k);
    return h;
}

static struct locnode *find_slot(struct locnode *slots, size_t nslots, const json_t *c)
{
    size_t mask = nslots - 1, i = hash_ptr(c, mask);
    while (slots[i].c && slots[i].c != c)
        i = (i + 1) & mask;
    return &slots[i];
}

static void rehash(struct locmap *m)
{
    size_t n = m->nslots ? m->nslots * 2 : 64;
    struct locnode *s = xcalloc(n, sizeof(*s));
    for (size_t i = 0; i < m->nslots; i++)
        if (m->slots[i].c)
            *find_slot(s, n, m->slots[i].c) = m->slots[i];
    free(m->slots);
    m->slots = s;
    m->nslots = n;
}

static struct locnode *node_get(struct locmap *m, const json_t *c)
{
    if ((m->used + 1) * 4 > m->nslots * 3)
        rehash(m);
    struct locnode *nd = find_slot(m->slots, m->nslots, c);
    if (!nd->c) {
        nd->c = c;
        m->used++;
        if (m->nspares) {
            struct spare *sp = &m->spares[--m->nspares];
            nd->e = sp->e;
            nd->cap = sp->cap;
        }
    }
    return nd;
}

static const struct locnode *node_find(const struct locmap *m, const json_t *c)
{
    if (!m || !c || !m->nslots)
        return NULL;
    const struct locnode *nd = find_slot(m->slots, m->nslots, c);
    return nd->c ? nd : NULL;
}

static int entry_is(const struct locmap *m, const struct locent *e, const char *key,
                    uint32_t h)
{
    return e->hash == h && e->key != NO_KEY && strcmp(m->pool + e->key, key) == 0;
}

static struct locent *entry_find(const struct locmap *m, const struct locnode *nd,
                                 const char *key, uint32_t h)
{
    if (nd->ix) {
        size_t mask = nd->ixcap - 1;
        for (size_t i = h & mask; nd->ix[i]; i = (i + 1) & mask)
            if (entry_is(m, &nd->e[nd->ix[i] - 1], key, h))
                return &nd->e[nd->ix[i] - 1];
        return NULL;
    }
    for (size_t i = 0; i < nd->n; i++) {
        struct locent *e = &nd->e[i];
        if (entry_is(m, e, key, h))
            return e;
    }
    return NULL;
}

static void ix_put(struct locnode *nd, size_t i)
{
    size_t mask = nd->ixcap - 1, j = nd->e[i].hash & mask;
    while (nd->ix[j])
        j = (j + 1) & mask;
    nd->ix[j] = (uint32_t)(i + 1);
}

/* Entry n - 1 was appended: index it, building or doubling the index when due. */
static void ix_add(struct locnode *nd)
{
    if (nd->n <= IX_MIN || nd->n > UINT32_MAX - 1)
        return;
    if (nd->n * 2 > nd->ixcap) {
        free(nd->ix);
        nd->ixcap = nd->ixcap ? nd->ixcap * 2 : 4 * IX_MIN;
        nd->ix = xcalloc(nd->ixcap, sizeof(*nd->ix));
        for (size_t i = 0; i + 1 < nd->n; i++)
            ix_put(nd, i);
    }
    ix_put(nd, nd->n - 1);
}

void locmap_set_key(struct locmap *m, const json_t *obj, const char *key, const struct loc *l)
{
    struct locnode *nd = node_get(m, obj);
    size_t len;
    uint32_t h = hash_key(key, &len);
    struct locent *e = entry_find(m, nd, key, h);
    if (e) {
        e->loc = *l;
        return;
    }
    GROW(m->pool, m->pcap, m->plen + len + 1);
    memcpy(m->pool + m->plen, key, len + 1);
    GROW(nd->e, nd->cap, nd->n + 1);
    nd->e[nd->n++] = (struct locent){m->plen, h, *l};
    m->plen += len + 1;
    ix_add(nd);
}

void locmap_set_index(struct locmap *m, const json_t *arr, size_t index, const struct loc *l)
{
    struct locnode *nd = node_get(m, arr);
    if (index >= nd->n) {
        GROW(nd->e, nd->cap, index + 1);
        memset(nd->e + nd->n, 0, (index + 1 - nd->n) * sizeof(*nd->e));
        nd->n = index + 1;
    }
    nd->e[index].key = NO_KEY;
    nd->e[index].loc = *l;
}

const struct loc *locmap_key(const struct locmap *m, const json_t *obj, const char *key)
{
    const struct locnode *nd = node_find(m, obj);
    if (!nd)
        return NULL;
    size_t len;
    struct locent *e = entry_find(m, nd, key, hash_key(key, &len));
    return e ? &e->loc : NULL;
}

const struct loc *locmap_index(const struct locmap *m, const json_t *arr, size_t index)
{
    const struct locnode *nd = node_find(m, arr);
    if (!nd || index >= nd->n)
        return NULL;
    return &nd->e[index].loc;
}

void doc_free(struct doc *d)
{
    if (!d)
        return;
    json_decref(d->root);
    d->root = NULL;
    locmap_free(d->locs);
    d->locs = NULL;
}

const struct loc *doc_key(const struct doc *d, const json_t *obj, const char *key)
{
    return d ? locmap_key(d->locs, obj, key) : NULL;
}

const struct loc *doc_index(const struct doc *d, const json_t *arr, size_t i)
{
    return d ? locmap_index(d->locs, arr, i) : NULL;
}

uint64_t load_map(const struct load_opts *o, size_t text_off)
{
    if (o->map)
        return offmap_map(o->map, text_off);
    return o->base + text_off;
}

unsigned load_span_flags(const struct load_opts *o, size_t s, size_t e)
{
    if (!o->map)
        return 0;
    unsigned f = offmap_flags(o->map, s, e), r = 0;
    if (f & SEG_UNRESOLVED)
        r |= LOC_UNKNOWN;
    if (f & SEG_RESOLVED)
        r |= LOC_PLACEHOLDER;
    return r;
}

unsigned load_container_flags(const struct load_opts *o, size_t s)
{
    if (!o->map)
        return 0;
    unsigned r = 0;
    for (size_t i = 0; i < o->map->n; i++) {
        const struct offseg *g = &o->map->seg[i];
        if (g->dst > s)
            break;
        if (s < g->dst + g->dst_len) {
            if (g->flags & SEG_UNRESOLVED)
                r |= LOC_UNKNOWN;
            if (g->flags & SEG_RESOLVED)
                r |= LOC_PLACEHOLDER;
        }
    }
    return r;
}

const char *json_type_phrase(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}
