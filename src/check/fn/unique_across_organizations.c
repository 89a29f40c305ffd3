/* check/fn/unique_across_organizations.c - the `unique-across-organizations` check function
 * (user-in-two-organizations): the same value (an email, compared ignoring ASCII case)
 * in the users of tenants of two different organizations (check/org.h). Options:
 *
 *   pointer: /email     the value, relative to the user record (required)
 *   note: "..."         the text of the note at the first occurrence
 *
 * Users are streamed tenant by tenant, so the first occurrence of each value is kept in
 * a hash set: 16 bytes per slot (the value's 64-bit hash, and its file id and byte offset
 * packed into 64 bits), open addressing, grown to keep it at most half full: 32 to 64
 * bytes per distinct value, 32 MB for a million distinct emails. It is built only from
 * the users of tenants that have a later tenant of another organization, so a run with
 * one organization keeps nothing. A later user whose value is in the set with a tenant
 * of another organization draws a finding at its value, with a note at the first
 * occurrence (its position is computed at report time: the streamed text is gone).
 * Two different emails with the same 64-bit hash would be taken as one (about one
 * chance in 10^7 at a million emails). Values in a file past 1 TB, or in source id
 * 2^24 and above, are not kept. Template arguments: {value}, {org}, {tenant}, {other},
 * {other_tenant}. */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/org.h"
#include "rules/finding.h"
#include "report/report.h"

#define OFF_BITS 40

struct slot {
    uint64_t hash;  /* 0: empty */
    uint64_t where; /* file << OFF_BITS | offset */
};

struct cross_opts {
    char *pointer;
    char *note;
    const struct model *m;
    unsigned char *keep; /* per tenant: its values go into the set */
    struct slot *set;
    size_t cap, used;
};

static void free_run(struct cross_opts *o)
{
    free(o->keep);
    free(o->set);
    o->keep = NULL;
    o->set = NULL;
    o->cap = o->used = 0;
}

static void free_opts(void *p)
{
    struct cross_opts *o = p;
    free_run(o);
    free(o->pointer);
    free(o->note);
    free(o);
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    static const char *const known[] = {"pointer", "note", NULL};
    if (options_known(r->options, "unique-across-organizations", known, err) < 0)
        return -1;
    const char *ptr = json_string_value(json_object_get(r->options, "pointer"));
    const char *note = json_string_value(json_object_get(r->options, "note"));
    if (!ptr || ptr[0] != '/' || !note) {
        sb_adds(err, "the unique_across_organizations check needs options.pointer (/a/b) "
                     "and options.note");
        return -1;
    }
    struct cross_opts *o = xcalloc(1, sizeof(*o));
    o->pointer = xstrdup(ptr);
    o->note = xstrdup(note);
    r->state = o;
    r->free_state = free_opts;
    return 0;
}

static void begin(int ri, struct model *m)
{
    struct cross_opts *o = rule_get(ri)->state;
    free_run(o);
    o->m = m;
    o->keep = xcalloc(m->ntenants ? m->ntenants : 1, 1);
    for (size_t i = 0; i < m->ntenants; i++)
        for (size_t j = i + 1; j < m->ntenants && !o->keep[i]; j++)
            o->keep[i] = !org_same(&m->tenants[i], &m->tenants[j]);
}

static size_t slot_of(const struct cross_opts *o, uint64_t h)
{
    size_t i = (size_t)(h >> 7) & (o->cap - 1);
    while (o->set[i].hash && o->set[i].hash != h)
        i = (i + 1) & (o->cap - 1);
    return i;
}

static void insert(struct cross_opts *o, uint64_t h, uint64_t where)
{
    if ((o->used + 1) * 2 > o->cap) {
        struct slot *old = o->set;
        size_t oldcap = o->cap;
        o->cap = o->cap ? o->cap * 2 : 1024;
        o->set = xcalloc(o->cap, sizeof(*o->set));
        for (size_t i = 0; i < oldcap; i++)
            if (old[i].hash)
                o->set[slot_of(o, old[i].hash)] = old[i];
        free(old);
    }
    size_t i = slot_of(o, h);
    if (!o->set[i].hash) {
        o->set[i].hash = h;
        o->set[i].where = where;
        o->used++;
    }
}

static void record(int ri, const struct record *rec)
{
    struct cross_opts *o = rule_get(ri)->state;
    const struct tenant *t = rec->t;
    if (!t || !o->keep)
        return;
    const struct loc *l;
    int unknown;
    json_t *v = record_get(rec, o->pointer, &l, &unknown);
    if (!json_is_string(v) || !json_string_length(v) || unknown || !l || (l->flags & LOC_UNKNOWN))
        return;
    uint64_t h = hash_lower(json_string_value(v), json_string_length(v));
    if (o->cap) {
        const struct slot *s = &o->set[slot_of(o, h)];
        if (s->hash) {
            int file = (int)(s->where >> OFF_BITS);
            uint64_t off = s->where & ((1ull << OFF_BITS) - 1);
            int ti = source_get(file) ? source_get(file)->tenant : -1;
            if (ti < 0 || (size_t)ti >= o->m->ntenants)
                return;
            const struct tenant *u = &o->m->tenants[ti];
            if (org_same(t, u))
                return;
            struct finding *f = finding_add(ri, rec->doc->file, l->start, l->end, rec->win);
            /* clang-format off */
            const char *kv[] = {"value", json_string_value(v),
                                "org", org_label(t),
                                "tenant", tenant_label(t),
                                "other", org_label(u),
                                "other_tenant", tenant_label(u),
                                NULL};
            /* clang-format on */
            for (const char *const *p = kv; *p; p += 2)
                finding_arg(f, p[0], "%s", p[1]);
            finding_value(f, json_string_value(v), json_string_length(v), 0);
            finding_set_identity(f, t->index, rec->identity);
            struct strbuf sb = STRBUF_INIT;
            template_render(&sb, o->note, kv);
            finding_note(f, file, off, off, NULL, "%s", sb_str(&sb));
            sb_free(&sb);
            return;
        }
    }
    int file = rec->doc->file;
    if (o->keep[t->index] && file >= 0 && (uint64_t)file < (1ull << (64 - OFF_BITS)) &&
        l->start < (1ull << OFF_BITS))
        insert(o, h, (uint64_t)file << OFF_BITS | l->start);
}

static void finish_all(int ri, struct model *m)
{
    (void)m;
    free_run(rule_get(ri)->state);
}

const struct check_fn check_cross_tenant_fn = {
    "unique-across-organizations", prepare, begin, record, NULL, finish_all};
