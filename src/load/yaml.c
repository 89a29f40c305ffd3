/* load/yaml.c - the YAML loader: libyaml's event stream turned into jansson values and
 * positions with an explicit stack. libyaml's document loader is never used because it
 * expands aliases without limit; here every alias is a counted copy of the aliased
 * node's containers that shares its scalars (a 1 MB scalar aliased 9,000 times is held
 * once, not 9,000 times; the node count bounds what an alias copies). Scalars are
 * typed by the YAML 1.2 core schema (load/yaml_scalar.c), merge keys (`<<`) are applied,
 * and marks (which libyaml counts in characters) are converted to byte offsets. */
#include "load/yaml.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "load/yaml_int.h"
#include "base/util.h"

struct merge_src {
    json_t *obj;    /* a mapping whose keys go into the frame's mapping at its end */
    struct loc loc; /* where it came from, for members with no position of their own */
};

struct frame {
    json_t *val;     /* the object or array being filled (owned) */
    size_t start;    /* text offset of the node's first byte */
    char *anchor;    /* registered when the node ends: aliases inside it are undefined */
    uint64_t nodes;  /* nodes in the subtree, alias copies included */
    unsigned height; /* container levels in the subtree, itself included */
    struct pkey {    /* mappings: the key waiting for its value (text NULL: none) */
        char *text;
        size_t len, start, end; /* start, end: text offsets of the key scalar */
        int merge;              /* a plain `<<` */
    } key;
    struct merge_src *merges;
    size_t nmerges, capmerges;
};

struct anchor {
    json_t *val; /* the anchored node (a reference); aliases deep-copy it */
    char *text;  /* scalars: their text, so an alias can be a mapping key */
    size_t text_len;
    uint64_t nodes;
    unsigned height, quoted;
};

struct yl {
    const struct load_opts *o;
    const unsigned char *text;
    size_t len;
    unsigned max_depth;
    int by_chars;            /* libyaml's mark.index counts characters, not bytes */
    size_t cur_ch, cur_byte; /* cursor that turns character indexes into bytes */
    struct frame *st;
    size_t n, cap;
    struct anchor *anchors;
    size_t nanchors, capanchors;
    json_t *anchor_ids; /* anchor name -> index in anchors (latest definition) */
    uint64_t alias_nodes;
    json_t *root;
    struct loc root_loc;
    int failed;
};

static _Noreturn void yaml_oom(void)
{
    die("out of memory");
}

/* ---- offsets ---------------------------------------------------------------------- */

/* libyaml 0.2.5 counts mark.index in characters; other versions may count bytes. Ask
 * the library once instead of trusting a version number. */
static int index_counts_chars(void)
{
    static int cached = -1;
    if (cached >= 0)
        return cached;
    yaml_parser_t p;
    yaml_event_t e;
    if (!yaml_parser_initialize(&p))
        yaml_oom();
    yaml_parser_set_input_string(&p, (const unsigned char *)"\xc3\xa9", 2);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
    cached = 0; /* stream start, document start, then the scalar */
    for (int i = 0; i < 3 && yaml_parser_parse(&p, &e); i++) {
        if (e.type == YAML_SCALAR_EVENT)
            cached = e.end_mark.index == 1;
        yaml_event_delete(&e);
    }
    yaml_parser_delete(&p);
    return cached;
}

static size_t lead_len(unsigned char c)
{
    return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF8 ? 4 : 1;
}

/* Byte offset in the text of a mark. Marks arrive nearly in order, so a cursor that
 * walks UTF-8 sequences forward (or back) from the previous answer is cheap. The text up
 * to any mark has passed libyaml's UTF-8 check, so the walk is exact. */
static size_t mark_off(struct yl *y, const yaml_mark_t *m)
{
    size_t idx = m->index;
    if (!y->by_chars)
        return idx < y->len ? idx : y->len;
    while (y->cur_ch < idx && y->cur_byte < y->len) {
        size_t l = lead_len(y->text[y->cur_byte]);
        y->cur_byte = l < y->len - y->cur_byte ? y->cur_byte + l : y->len;
        y->cur_ch++;
    }
    while (y->cur_ch > idx && y->cur_byte > 0) {
        y->cur_byte--;
        while (y->cur_byte > 0 && (y->text[y->cur_byte] & 0xC0) == 0x80)
            y->cur_byte--;
        y->cur_ch--;
    }
    return y->cur_byte;
}

static struct loc make_loc(const struct yl *y, size_t s, size_t e, int quoted)
{
    uint64_t start = load_map(y->o, s);
    return (struct loc){.start = start,
                        .end = load_map(y->o, e),
                        .key = start,
                        .flags = load_span_flags(y->o, s, e) | (quoted ? LOC_QUOTED : 0)};
}

/* ---- diagnostics ------------------------------------------------------------------ */

static void fail_at(struct yl *y, size_t off, const char *msg)
{
    if (y->failed)
        return;
    y->failed = 1;
    uint64_t at = load_map(y->o, off);
    struct ld_diag d = {.kind = LD_PARSE_ERROR, .off = at, .end = at, .msg = msg};
    if (y->o->report)
        y->o->report(y->o->ctx, &d);
}

static void fail_depth(struct yl *y, size_t off)
{
    char msg[64];
    snprintf(msg, sizeof(msg), "nesting deeper than %u levels", y->max_depth);
    fail_at(y, off, msg);
}

/* libyaml's problem and context strings are constants that never hold source text. */
static void fail_libyaml(struct yl *y, const yaml_parser_t *p)
{
    struct strbuf sb = STRBUF_INIT;
    size_t off;
    if (p->error == YAML_MEMORY_ERROR)
        yaml_oom();
    if (p->error == YAML_READER_ERROR)
        off = p->problem_offset < y->len ? p->problem_offset : y->len;
    else
        off = mark_off(y, &p->problem_mark);
    if (off < y->len && y->text[off] == '\t' && p->problem &&
        strstr(p->problem, "cannot start any token")) {
        /* libyaml's "cannot start any token" does not say that tabs may not indent */
        sb_adds(&sb, "found a tab character where indentation or a token was expected "
                     "(indent with spaces)");
    } else {
        sb_adds(&sb, p->problem ? p->problem : "invalid yaml");
        if (p->context) {
            sb_addc(&sb, ' ');
            sb_adds(&sb, p->context);
        }
        for (size_t i = 0; i < sb.len; i++)
            sb.buf[i] = (char)tolower((unsigned char)sb.buf[i]);
    }
    fail_at(y, off, sb.buf);
    sb_free(&sb);
}

/* ---- scalars (typed by load/yaml_scalar.c) ---------------------------------------- */

/* The value of a scalar event, or NULL after a parse error. */
static json_t *scalar_value(struct yl *y, const yaml_event_t *e, size_t start)
{
    const char *bad_tag;
    json_t *v = yl_scalar_value((const char *)e->data.scalar.tag,
                                (const char *)e->data.scalar.value, e->data.scalar.length,
                                e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE, &bad_tag);
    if (bad_tag) {
        char msg[64];
        snprintf(msg, sizeof(msg), "value does not match its !!%s tag", bad_tag);
        fail_at(y, start, msg);
    }
    return v;
}

/* ---- building values -------------------------------------------------------------- */

static struct frame *top(struct yl *y)
{
    return y->n ? &y->st[y->n - 1] : NULL;
}

static int wants_key(const struct frame *f)
{
    return f && json_is_object(f->val) && !f->key.text;
}

static void set_key(struct frame *f, const char *s, size_t n, size_t start, size_t end,
                    int merge)
{
    f->key = (struct pkey){xstrndup(s, n), n, start, end, merge};
}

static void add_anchor(struct yl *y, const char *name, json_t *v, const char *text,
                       size_t text_len, uint64_t nodes, unsigned height, unsigned quoted)
{
    GROW(y->anchors, y->capanchors, y->nanchors + 1);
    y->anchors[y->nanchors] = (struct anchor){
        json_incref(v), text ? xstrndup(text, text_len) : NULL, text_len, nodes, height,
        quoted};
    if (json_object_set_new(y->anchor_ids, name, json_integer((json_int_t)y->nanchors)))
        yaml_oom();
    y->nanchors++;
}

/* An empty container of v's kind, or v itself (a new reference) when it is a scalar. */
static json_t *shell_of(json_t *v)
{
    json_t *c = json_is_object(v) ? json_object() : json_is_array(v) ? json_array() : json_incref(v);
    if (!c)
        yaml_oom();
    return c;
}

/* A copy of v's containers (scalars are shared: nothing changes a loaded scalar) whose
 * members all get position l: without that, a copy that lands where a freed container
 * lived could pick up that container's stale positions. Iterative: a pair (copy, source)
 * per container still to fill. */
static json_t *copy_at(struct yl *y, json_t *v, const struct loc *l)
{
    if (!json_is_object(v) && !json_is_array(v))
        return json_incref(v);
    struct pair {
        json_t *dst, *src;
    } *todo = NULL;
    size_t n = 0, cap = 0, i;
    const char *k;
    size_t klen;
    json_t *m, *root = shell_of(v);
    GROW(todo, cap, 1);
    todo[n++] = (struct pair){root, v};
    while (n) {
        struct pair p = todo[--n];
        if (json_is_object(p.src)) {
            json_object_keylen_foreach(p.src, k, klen, m) {
                json_t *c = shell_of(m);
                if (json_object_setn_new(p.dst, k, klen, c))
                    yaml_oom();
                locmap_set_key(y->o->locs, p.dst, k, l);
                if (c != m) {
                    GROW(todo, cap, n + 1);
                    todo[n++] = (struct pair){c, m};
                }
            }
        } else {
            json_array_foreach(p.src, i, m) {
                json_t *c = shell_of(m);
                if (json_array_append_new(p.dst, c))
                    yaml_oom();
                locmap_set_index(y->o->locs, p.dst, i, l);
                if (c != m) {
                    GROW(todo, cap, n + 1);
                    todo[n++] = (struct pair){c, m};
                }
            }
        }
    }
    free(todo);
    return root;
}

static void push_merge(struct frame *f, json_t *obj, const struct loc *l)
{
    GROW(f->merges, f->capmerges, f->nmerges + 1);
    f->merges[f->nmerges++] = (struct merge_src){obj, *l};
}

/* The value of a `<<` key: a mapping or a sequence of mappings (stolen). */
static void add_merge(struct yl *y, struct frame *f, json_t *v, const struct loc *l,
                      size_t start)
{
    size_t i;
    json_t *m;
    if (json_is_object(v)) {
        push_merge(f, v, l);
        return;
    }
    if (json_is_array(v)) {
        json_array_foreach(v, i, m) {
            if (!json_is_object(m))
                goto bad;
        }
        json_array_foreach(v, i, m) {
            const struct loc *ml = locmap_index(y->o->locs, v, i);
            struct loc ll = ml ? *ml : *l;
            push_merge(f, json_incref(m), &ll);
        }
        json_decref(v);
        return;
    }
bad:
    json_decref(v);
    fail_at(y, start, "a merge key needs a mapping or a list of mappings");
}

/* Keys already in the mapping win, then earlier merge sources over later ones. */
static void apply_merges(struct yl *y, struct frame *f)
{
    for (size_t j = 0; j < f->nmerges; j++) {
        struct merge_src *ms = &f->merges[j];
        /* a source that something else still holds (an anchor) must not share members */
        int shared = ms->obj->refcount > 1;
        const char *k;
        size_t klen;
        json_t *v;
        json_object_keylen_foreach(ms->obj, k, klen, v) {
            if (json_object_getn(f->val, k, klen))
                continue;
            const struct loc *kl = locmap_key(y->o->locs, ms->obj, k);
            struct loc l = kl ? *kl : ms->loc;
            json_object_setn_new(f->val, k, klen,
                                 shared ? copy_at(y, v, &l) : json_incref(v));
            locmap_set_key(y->o->locs, f->val, k, &l);
        }
        json_decref(ms->obj);
    }
    free(f->merges);
    f->merges = NULL;
    f->nmerges = f->capmerges = 0;
}

static void set_member(struct yl *y, struct frame *f, json_t *v, const struct loc *vl)
{
    struct loc l = *vl;
    l.key = load_map(y->o, f->key.start);
    if (json_object_getn(f->val, f->key.text, f->key.len) && y->o->report) {
        const struct loc *first = locmap_key(y->o->locs, f->val, f->key.text);
        struct ld_diag d = {.kind = LD_DUPLICATE_KEY,
                            .off = l.key,
                            .end = load_map(y->o, f->key.end),
                            .off2 = first ? first->key : l.key,
                            .msg = "duplicate key in a mapping",
                            .key = f->key.text};
        y->o->report(y->o->ctx, &d);
    }
    json_object_setn_new(f->val, f->key.text, f->key.len, v);
    locmap_set_key(y->o->locs, f->val, f->key.text, &l);
}

/* A finished node v (stolen) goes to the open container, or becomes the root. */
static void attach(struct yl *y, json_t *v, const struct loc *l, size_t start,
                   uint64_t nodes, unsigned height)
{
    struct frame *f = top(y);
    if (!f) {
        json_decref(y->root);
        y->root = v;
        y->root_loc = *l;
        return;
    }
    f->nodes += nodes;
    if (height + 1 > f->height)
        f->height = height + 1;
    if (json_is_array(f->val)) {
        json_array_append_new(f->val, v);
        locmap_set_index(y->o->locs, f->val, json_array_size(f->val) - 1, l);
        return;
    }
    if (f->key.merge)
        add_merge(y, f, v, l, start);
    else
        set_member(y, f, v, l);
    free(f->key.text);
    f->key.text = NULL;
}

/* ---- events ----------------------------------------------------------------------- */

static void on_scalar(struct yl *y, const yaml_event_t *e)
{
    const char *s = (const char *)e->data.scalar.value;
    size_t n = e->data.scalar.length;
    int quoted = e->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                 e->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    size_t start = mark_off(y, &e->start_mark), end = mark_off(y, &e->end_mark);
    json_t *v = scalar_value(y, e, start);
    if (!v) {
        /* jansson refuses only invalid UTF-8, which libyaml never produces */
        fail_at(y, start, "a scalar is not valid utf-8");
        return;
    }
    if (e->data.scalar.anchor)
        add_anchor(y, (const char *)e->data.scalar.anchor, v, s, n, 1, 0, quoted);
    struct frame *f = top(y);
    if (wants_key(f)) {
        int merge = !e->data.scalar.tag && n == 2 && memcmp(s, "<<", 2) == 0 &&
                    e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        set_key(f, s, n, start, end, merge);
        json_decref(v);
        return;
    }
    struct loc l = make_loc(y, start, end, quoted);
    attach(y, v, &l, start, 1, 0);
}

static void on_alias(struct yl *y, const yaml_event_t *e)
{
    size_t start = mark_off(y, &e->start_mark), end = mark_off(y, &e->end_mark);
    json_t *id = json_object_get(y->anchor_ids, (const char *)e->data.alias.anchor);
    if (!id) {
        fail_at(y, start, "found an alias to an undefined anchor");
        return;
    }
    const struct anchor *a = &y->anchors[json_integer_value(id)];
    if (a->nodes > LOAD_MAX_ALIAS_NODES - y->alias_nodes) {
        char msg[64];
        snprintf(msg, sizeof(msg), "alias expansion exceeds %u nodes",
                 LOAD_MAX_ALIAS_NODES);
        fail_at(y, start, msg);
        return;
    }
    y->alias_nodes += a->nodes;
    if (y->n + a->height > y->max_depth) {
        fail_depth(y, start);
        return;
    }
    struct frame *f = top(y);
    if (wants_key(f)) {
        if (!a->text) {
            fail_at(y, start, "a mapping key must be a scalar");
            return;
        }
        set_key(f, a->text, a->text_len, start, end, 0);
        return;
    }
    struct loc l = make_loc(y, start, end, a->quoted);
    attach(y, copy_at(y, a->val, &l), &l, start, a->nodes, a->height);
}

static void on_start(struct yl *y, const yaml_event_t *e, int is_map)
{
    size_t start = mark_off(y, &e->start_mark);
    const yaml_char_t *anchor =
        is_map ? e->data.mapping_start.anchor : e->data.sequence_start.anchor;
    if (wants_key(top(y))) {
        fail_at(y, start, "a mapping key must be a scalar");
        return;
    }
    if (y->n >= y->max_depth) {
        fail_depth(y, start);
        return;
    }
    json_t *val = is_map ? json_object() : json_array();
    if (!val)
        yaml_oom();
    GROW(y->st, y->cap, y->n + 1);
    y->st[y->n++] =
        (struct frame){.val = val,
                       .start = start,
                       .nodes = 1,
                       .height = 1,
                       .anchor = anchor ? xstrdup((const char *)anchor) : NULL};
}

static void on_end(struct yl *y, const yaml_event_t *e)
{
    size_t end = mark_off(y, &e->end_mark);
    struct frame f = y->st[--y->n];
    if (f.nmerges)
        apply_merges(y, &f);
    struct loc l = make_loc(y, f.start, end, 0);
    l.flags = load_container_flags(y->o, f.start);
    if (f.anchor)
        add_anchor(y, f.anchor, f.val, NULL, 0, f.nodes, f.height, 0);
    free(f.anchor);
    free(f.key.text);
    attach(y, f.val, &l, f.start, f.nodes, f.height);
}

/* One event; returns 1 at the end of the stream. */
static int on_event(struct yl *y, const yaml_event_t *e, int *docs)
{
    switch (e->type) {
    case YAML_DOCUMENT_START_EVENT:
        if ((*docs)++)
            fail_at(y, mark_off(y, &e->start_mark),
                    "only one YAML document is read; found a second one");
        break;
    case YAML_SCALAR_EVENT:
        on_scalar(y, e);
        break;
    case YAML_ALIAS_EVENT:
        on_alias(y, e);
        break;
    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT:
        on_start(y, e, e->type == YAML_MAPPING_START_EVENT);
        break;
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
        on_end(y, e);
        break;
    case YAML_STREAM_END_EVENT:
        return 1;
    default:
        break;
    }
    return 0;
}

static void yl_release(struct yl *y)
{
    for (size_t i = 0; i < y->n; i++) {
        struct frame *f = &y->st[i];
        json_decref(f->val);
        free(f->anchor);
        free(f->key.text);
        for (size_t j = 0; j < f->nmerges; j++)
            json_decref(f->merges[j].obj);
        free(f->merges);
    }
    free(y->st);
    for (size_t i = 0; i < y->nanchors; i++) {
        json_decref(y->anchors[i].val);
        free(y->anchors[i].text);
    }
    free(y->anchors);
    json_decref(y->anchor_ids);
}

json_t *yaml_scan(const char *text, size_t len, const struct load_opts *o,
                  struct loc *root_loc)
{
    struct yl y = {0};
    yaml_parser_t p;
    yaml_event_t e;
    json_t *result = NULL;
    int docs = 0, end = 0;

    y.o = o;
    y.text = (const unsigned char *)text;
    y.len = len;
    y.max_depth = o->max_depth ? o->max_depth : LOAD_MAX_DEPTH;
    if (len > LOAD_MAX_DOC) {
        fail_at(&y, 0, "document larger than 512 MB");
        return NULL;
    }
    y.by_chars = index_counts_chars();
    y.anchor_ids = json_object();
    if (!y.anchor_ids || !yaml_parser_initialize(&p))
        yaml_oom();
    yaml_parser_set_input_string(&p, y.text, len);
    /* never guess UTF-16 from the first bytes: offsets are UTF-8 byte offsets */
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
    while (!end && !y.failed) {
        if (!yaml_parser_parse(&p, &e)) {
            fail_libyaml(&y, &p);
            break;
        }
        end = on_event(&y, &e, &docs);
        yaml_event_delete(&e);
    }
    if (y.failed)
        goto out;
    if (!y.root) /* an empty stream */
        y.root_loc = make_loc(&y, 0, 0, 0);
    result = y.root ? y.root : json_null();
    y.root = NULL;
    if (root_loc)
        *root_loc = y.root_loc;
out:
    json_decref(y.root);
    yl_release(&y);
    yaml_parser_delete(&p);
    return result;
}
