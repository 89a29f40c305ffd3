/* check/value_index.c - the shared tenant-wide index of a field's uses and the options
 * the teams group's functions have in common (see check/value_index.h). Users are a
 * stream (design.md): a use keeps only its file, offsets, interned value and role bits;
 * positions are computed at report time. */
#include "check/value_index.h"

#include <stdlib.h>
#include <string.h>

/* ---- strtab ---- */

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void strtab_rehash(struct strtab *t)
{
    free(t->slot);
    t->nslot = t->nslot ? t->nslot * 2 : 64;
    t->slot = xcalloc(t->nslot, sizeof(*t->slot));
    for (size_t id = 0; id < t->count; id++) {
        size_t i = hash_bytes(t->s[id], t->n[id]) & (t->nslot - 1);
        while (t->slot[i])
            i = (i + 1) & (t->nslot - 1);
        t->slot[i] = (uint32_t)id + 1;
    }
}

uint32_t strtab_intern(struct strtab *t, const char *s, size_t n)
{
    if ((t->count + 1) * 2 > t->nslot)
        strtab_rehash(t);
    size_t i = hash_bytes(s, n) & (t->nslot - 1);
    for (; t->slot[i]; i = (i + 1) & (t->nslot - 1)) {
        uint32_t id = t->slot[i] - 1;
        if (t->n[id] == n && !memcmp(t->s[id], s, n))
            return id;
    }
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->s = xrealloc(t->s, t->cap * sizeof(*t->s));
        t->n = xrealloc(t->n, t->cap * sizeof(*t->n));
    }
    t->s[t->count] = xstrndup(s, n);
    t->n[t->count] = n;
    t->slot[i] = (uint32_t)t->count + 1;
    return (uint32_t)t->count++;
}

void strtab_clear(struct strtab *t)
{
    for (size_t i = 0; i < t->count; i++)
        free(t->s[i]);
    free(t->s);
    free(t->n);
    free(t->slot);
    memset(t, 0, sizeof(*t));
}

/* ---- uses ---- */

struct vuse vuse_make(int file, uint64_t start, uint64_t end, uint32_t value, unsigned roles)
{
    uint64_t len = end > start ? end - start : 0;
    if (len > 0xffffffu)
        len = 0xffffffu;
    struct vuse u = {((uint64_t)(uint32_t)file << 44) | (start & ((1ull << 44) - 1)), value,
                     (uint32_t)(len << 8) | (roles & 0xffu)};
    return u;
}

/* ---- the index registry ---- */

static struct vindex **indexes;
static size_t nindexes;
static const struct model *the_model;

struct vindex *vindex_get(const char *pointer, const char *roles_pointer, struct strbuf *err)
{
    struct vindex *ix = NULL;
    for (size_t i = 0; i < nindexes && !ix; i++)
        if (!strcmp(indexes[i]->pointer, pointer))
            ix = indexes[i];
    if (ix) {
        if (roles_pointer && ix->roles_pointer && strcmp(roles_pointer, ix->roles_pointer)) {
            sb_addf(err, "options.roles_pointer: another rule indexes '%s' with roles at '%s'",
                    pointer, ix->roles_pointer);
            return NULL;
        }
        if (roles_pointer && !ix->roles_pointer)
            ix->roles_pointer = xstrdup(roles_pointer);
        ix->refs++;
        return ix;
    }
    ix = xcalloc(1, sizeof(*ix));
    ix->pointer = xstrdup(pointer);
    ix->roles_pointer = roles_pointer ? xstrdup(roles_pointer) : NULL;
    ix->refs = 1;
    ix->tenant = -1;
    indexes = xrealloc(indexes, (nindexes + 1) * sizeof(*indexes));
    indexes[nindexes++] = ix;
    return ix;
}

void vindex_put(struct vindex *ix)
{
    if (!ix || --ix->refs > 0)
        return;
    for (size_t i = 0; i < nindexes; i++)
        if (indexes[i] == ix) {
            indexes[i] = indexes[--nindexes];
            break;
        }
    if (!nindexes) {
        free(indexes);
        indexes = NULL;
    }
    vindex_clear(ix);
    for (int i = 0; i < ix->nroles; i++)
        free(ix->roles[i]);
    free(ix->pointer);
    free(ix->roles_pointer);
    free(ix);
}

int vindex_role(struct vindex *ix, const char *role)
{
    for (int i = 0; i < ix->nroles; i++)
        if (!strcmp(ix->roles[i], role))
            return i;
    if (ix->nroles == 8)
        return -1;
    ix->roles[ix->nroles] = xstrdup(role);
    return ix->nroles++;
}

void vindex_clear(struct vindex *ix)
{
    strtab_clear(&ix->values);
    free(ix->u);
    ix->u = NULL;
    ix->nu = ix->capu = 0;
    ix->tenant = -1;
}

void vindex_clear_all(void)
{
    for (size_t i = 0; i < nindexes; i++)
        vindex_clear(indexes[i]);
}

int vindex_holds(const struct vindex *ix, const struct tenant *t)
{
    return t && ix->tenant == t->index;
}

int json_list_has(json_t *list, const char *s)
{
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        if (json_is_string(e) && !strcmp(json_string_value(e), s))
            return 1;
    }
    return 0;
}

void vindex_record(struct vindex *ix, const struct record *rec)
{
    const struct loc *l;
    int unknown;
    json_t *v = record_get(rec, ix->pointer, &l, &unknown);
    if (!v || unknown || !l || !json_is_string(v) || !rec->t)
        return;
    if (ix->tenant != rec->t->index) {
        vindex_clear(ix);
        ix->tenant = rec->t->index;
    }
    struct vuse u = vuse_make(rec->doc->file, l->start, l->end, 0, 0);
    if (ix->nu && ix->u[ix->nu - 1].at == u.at)
        return; /* another rule of the index already recorded this record */
    unsigned roles = 0;
    if (ix->roles_pointer) {
        const struct loc *rl;
        json_t *list = record_get(rec, ix->roles_pointer, &rl, &unknown);
        if (list && !unknown && json_is_array(list))
            for (int i = 0; i < ix->nroles; i++)
                if (json_list_has(list, ix->roles[i]))
                    roles |= 1u << i;
    }
    u.value = strtab_intern(&ix->values, json_string_value(v), json_string_length(v));
    u.lenroles |= roles;
    GROW(ix->u, ix->capu, ix->nu + 1);
    ix->u[ix->nu++] = u;
}

static const char *const *sort_keys; /* qsort has no context argument */

static int cmp_folded(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    int c = strcmp(sort_keys[x], sort_keys[y]);
    return c ? c : (x > y) - (x < y);
}

void vgroups_make(const struct vindex *ix, const struct fold *f, struct vgroups *g)
{
    size_t n = ix->values.count;
    memset(g, 0, sizeof(*g));
    g->nvalues = n;
    g->gid = xcalloc(n ? n : 1, sizeof(*g->gid));
    g->folded = xcalloc(n ? n : 1, sizeof(*g->folded));
    uint32_t *ord = xcalloc(n ? n : 1, sizeof(*ord));
    for (size_t i = 0; i < n; i++) {
        g->folded[i] = fold_apply(f, ix->values.s[i], ix->values.n[i]);
        ord[i] = (uint32_t)i;
    }
    sort_keys = (const char *const *)g->folded;
    qsort(ord, n, sizeof(*ord), cmp_folded);
    sort_keys = NULL;
    for (size_t i = 0; i < n; i++) {
        if (i && strcmp(g->folded[ord[i]], g->folded[ord[i - 1]]))
            g->ngroups++;
        g->gid[ord[i]] = (uint32_t)g->ngroups;
    }
    if (n)
        g->ngroups++;
    free(ord);
}

void vgroups_free(struct vgroups *g)
{
    for (size_t i = 0; i < g->nvalues; i++)
        free(g->folded[i]);
    free(g->folded);
    free(g->gid);
    memset(g, 0, sizeof(*g));
}

void vindex_set_model(const struct model *m)
{
    the_model = m;
}

/* ---- role conditions ---- */

int rolecond_parse(json_t *options, const char *key, struct rolecond *c, struct strbuf *err)
{
    json_t *o = json_object_get(options, key);
    memset(c, 0, sizeof(*c));
    if (!o)
        return 0;
    const char *p = json_string_value(json_object_get(o, "pointer"));
    const char *v = json_string_value(json_object_get(o, "contains"));
    if (!json_is_object(o) || !p || p[0] != '/' || !v || json_object_size(o) != 2) {
        sb_addf(err, "options.%s must be {pointer: /a/b, contains: VALUE}", key);
        return -1;
    }
    c->pointer = xstrdup(p);
    c->contains = xstrdup(v);
    return 0;
}

void rolecond_free(struct rolecond *c)
{
    free(c->pointer);
    free(c->contains);
    memset(c, 0, sizeof(*c));
}

int rolecond_eval(const struct rolecond *c, const struct record *rec)
{
    const struct loc *l;
    int unknown;
    json_t *list = record_get(rec, c->pointer, &l, &unknown);
    if (unknown)
        return -1;
    if (!list)
        return 0;
    if (!json_is_array(list))
        return -1;
    int unsure = 0;
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        const struct loc *el = doc_index(rec->doc, list, i);
        if (el && (el->flags & LOC_UNKNOWN))
            unsure = 1;
        else if (json_is_string(e) && !strcmp(json_string_value(e), c->contains))
            return 1;
    }
    return unsure ? -1 : 0;
}

/* ---- folding ---- */

int fold_parse(json_t *options, struct fold *f, struct strbuf *err)
{
    memset(f, 0, sizeof(*f));
    json_t *o = json_object_get(options, "fold");
    if (!o)
        return 0;
    json_t *c = json_object_get(o, "case");
    json_t *ig = json_object_get(o, "ignore");
    size_t known = (c != NULL) + (ig != NULL);
    if (!json_is_object(o) || json_object_size(o) != known || (c && !json_is_boolean(c)) ||
        (ig && (!json_is_string(ig) || json_string_length(ig) >= sizeof(f->ignore)))) {
        sb_adds(err, "options.fold must be {case: true|false, ignore: CHARACTERS} (at most 31 "
                     "characters)");
        return -1;
    }
    f->ignore_case = json_is_true(c);
    if (ig)
        memcpy(f->ignore, json_string_value(ig), json_string_length(ig) + 1);
    return 0;
}

char *fold_apply(const struct fold *f, const char *s, size_t n)
{
    char *out = xmalloc(n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch && strchr(f->ignore, ch))
            continue;
        if (f->ignore_case && ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        *o++ = ch;
    }
    *o = '\0';
    return out;
}

/* ---- reference lists ---- */

int reflist_parse(json_t *options, struct reflist_opts *o, struct strbuf *err)
{
    memset(o, 0, sizeof(*o));
    json_t *cl = json_object_get(options, "config_list");
    json_t *fp = json_object_get(options, "flex_configuration");
    if (cl && (!json_is_string(cl) || (strcmp(json_string_value(cl), "teams") &&
                                       strcmp(json_string_value(cl), "email_domains")))) {
        sb_adds(err, "options.config_list must be 'teams' or 'email_domains'");
        return -1;
    }
    if (fp && (!json_is_string(fp) || json_string_value(fp)[0] != '/')) {
        sb_adds(err, "options.flex_configuration must be a JSON pointer (/a/b)");
        return -1;
    }
    o->config_list = cl ? xstrdup(json_string_value(cl)) : NULL;
    o->flexconf_pointer = fp ? xstrdup(json_string_value(fp)) : NULL;
    return 0;
}

void reflist_opts_free(struct reflist_opts *o)
{
    free(o->config_list);
    free(o->flexconf_pointer);
    memset(o, 0, sizeof(*o));
}

static void ref_add(struct reflist *out, const char *s, int file, const struct loc *l)
{
    out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
    out->v[out->n++] = (struct refname){s, file, l ? l->start : 0, l ? l->end : 0};
}

static int from_config(const struct reflist_opts *o, const struct tenant *t, struct reflist *out)
{
    if (!o->config_list || !t->cfg || !the_model || !the_model->cfg)
        return 0;
    const struct cfg_list *cl =
        !strcmp(o->config_list, "teams") ? &t->cfg->teams : &t->cfg->email_domains;
    if (!cl->node)
        return 0;
    const struct config *cfg = the_model->cfg;
    out->src = REFLIST_CONFIG;
    for (size_t i = 0; i < cl->n; i++) {
        const struct loc *l = json_is_array(cl->node) ? doc_index(&cfg->doc, cl->node, i)
                                                      : doc_key(&cfg->doc, t->cfg->node,
                                                                o->config_list);
        ref_add(out, cl->v[i], cfg->file, l);
    }
    return 1;
}

static int from_flexconf(const struct reflist_opts *o, const struct tenant *t, struct reflist *out)
{
    if (!o->flexconf_pointer || !t->flexconf || !t->flexconf->root)
        return 0;
    struct record rec = {REC_FLEX_CONFIG, (struct tenant *)t, t->flexconf, t->flexconf->root,
                         NULL, NULL, "", NULL};
    const struct loc *l;
    int unknown;
    json_t *list = record_get(&rec, o->flexconf_pointer, &l, &unknown);
    if (!list || unknown || !json_is_array(list))
        return 0;
    out->src = REFLIST_FLEXCONF;
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        const struct loc *el = doc_index(t->flexconf, list, i);
        if (el && (el->flags & LOC_UNKNOWN))
            out->partial = 1;
        else if (json_is_string(e))
            ref_add(out, json_string_value(e), t->flexconf->file, el);
    }
    return 1;
}

void reflist_get(const struct reflist_opts *o, const struct tenant *t, enum reflist_src only,
                 struct reflist *out)
{
    memset(out, 0, sizeof(*out));
    if (only != REFLIST_FLEXCONF && from_config(o, t, out))
        return;
    if (only != REFLIST_CONFIG)
        from_flexconf(o, t, out);
}

void reflist_free(struct reflist *l)
{
    free(l->v);
    memset(l, 0, sizeof(*l));
}
