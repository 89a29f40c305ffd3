/* check/fn/spelling.c - two cross-record check functions over the tenant-wide index of a
 * field's uses (check/value_index.h). Both decide in the finish step, when every user of
 * the tenant has been seen, and report each use at its place (positions are computed at
 * report time: a use keeps only its file and offsets).
 *
 * `spelling-consistent`: values that are one name after folding but spelled differently.
 *   The canonical spelling of a name is the one in the config list `config_list` (when
 *   it holds the name), else in the Flex configuration's list at `flex_configuration`,
 *   else the most used one (ties: the first seen). Every other spelling is reported at
 *   each use, with a note at the canonical spelling (the list entry, or its first use
 *   with its count of users), and claimed.
 *   options:
 *     pointer: /app_metadata/flex/team       the field
 *     roles_pointer: /app_metadata/flex/roles
 *     exclude_role: admin                    uses of users with this role do not count
 *                                            toward the most used spelling
 *     fold: {case: true, ignore: " _-"}      what makes two spellings one name
 *     config_list: teams                     the tenant's list in .ssolint.yaml
 *     flex_configuration: /ui_attributes/custom_data/common/teams
 *   Message arguments: {value}, {expected} (the canonical spelling).
 *
 * `value-listed`: a value that is not in the tenant's reference list: the config list
 *   `config_list` when declared, else the Flex configuration's list; no list, or a list
 *   with an unresolved placeholder, draws nothing. Values claimed earlier (a spelling
 *   variant) are not judged again; reported values are claimed.
 *   options: pointer, roles_pointer, config_list, flex_configuration (as above),
 *     fold (how near misses are compared), near: 2 (edit distance of a suggestion),
 *     skip_empty: true ("" is not judged)
 *   Message arguments: {value}, {source} (which list), {did_you_mean} (" (did you mean
 *   'RAMP'?)" when exactly one listed value is the nearest within `near` edits, compared
 *   folded, else ""). */
#include <stdlib.h>
#include <string.h>

#include "check/edit.h"
#include "check/util.h"
#include "check/value_index.h"
#include "rules/finding.h"
#include "report/report.h"

struct spell {
    struct vindex *ix;
    int exclude_bit;   /* -1 none */
    struct fold fold;
    struct reflist_opts lists;
    size_t near;
    int skip_empty;
};

static void spell_free(void *p)
{
    struct spell *o = p;
    vindex_put(o->ix);
    reflist_opts_free(&o->lists);
    free(o);
}

static int prepare_common(struct rule *r, struct spell *o, struct strbuf *err)
{
    const char *p = json_string_value(json_object_get(r->options, "pointer"));
    json_t *rp = json_object_get(r->options, "roles_pointer");
    if (!p || p[0] != '/' || (rp && (!json_is_string(rp) || json_string_value(rp)[0] != '/'))) {
        sb_adds(err, "options.pointer (and options.roles_pointer, when given) must be JSON "
                     "pointers (/a/b)");
        return -1;
    }
    o->ix = vindex_get(p, json_string_value(rp), err);
    if (!o->ix || fold_parse(r->options, &o->fold, err) ||
        reflist_parse(r->options, &o->lists, err))
        return -1;
    return 0;
}

static int consistent_prepare(struct rule *r, int ri, struct strbuf *err)
{
    static const char *const keys[] = {"pointer", "roles_pointer", "exclude_role", "fold",
                                       "config_list", "flex_configuration", NULL};
    (void)ri;
    struct spell *o = xcalloc(1, sizeof(*o));
    o->exclude_bit = -1;
    r->state = o;
    r->free_state = spell_free;
    if (chk_known_options(r->options, keys, NULL, err) || prepare_common(r, o, err))
        return -1;
    json_t *ex = json_object_get(r->options, "exclude_role");
    if (ex) {
        if (!json_is_string(ex) || !o->ix->roles_pointer) {
            sb_adds(err, "options.exclude_role must be a role name, with options.roles_pointer");
            return -1;
        }
        if ((o->exclude_bit = vindex_role(o->ix, json_string_value(ex))) < 0) {
            sb_adds(err, "too many roles recorded for one field (8 at most)");
            return -1;
        }
    }
    return 0;
}

static void begin(int ri, struct model *m)
{
    (void)ri;
    vindex_set_model(m);
}

static void record(int ri, const struct record *rec)
{
    const struct spell *o = rule_get(ri)->state;
    vindex_record(o->ix, rec);
}

/* Where a name's canonical spelling comes from. */
struct canon {
    const char *s;             /* NULL: not decided yet */
    size_t n;
    const struct refname *ref; /* a list entry, or NULL: the most used value */
    enum reflist_src src;
    uint32_t value;            /* the most used value */
};

/* The list entry whose folded form is `folded`, or NULL. */
static const struct refname *list_find(const struct spell *o, const struct reflist *l,
                                       const char *folded)
{
    for (size_t i = 0; i < l->n; i++) {
        char *f = fold_apply(&o->fold, l->v[i].s, strlen(l->v[i].s));
        int hit = !strcmp(f, folded);
        free(f);
        if (hit)
            return &l->v[i];
    }
    return NULL;
}

static void consistent_note(struct finding *f, const struct vindex *ix, const struct canon *c,
                            const uint64_t *count, const size_t *first, int tie)
{
    char *d = xstrndup(c->s, c->n); /* escaped when printed */
    if (c->ref && c->src == REFLIST_CONFIG)
        finding_note(f, c->ref->file, c->ref->start, c->ref->end, NULL,
                     "'%s' is the spelling in the tenant's declared list", d);
    else if (c->ref)
        finding_note(f, c->ref->file, c->ref->start, c->ref->end, NULL,
                     "'%s' is the spelling in the Flex configuration's list", d);
    else {
        const struct vuse *u = &ix->u[first[c->value]];
        uint64_t k = count[c->value];
        if (!k)
            finding_note(f, VUSE_FILE(u), VUSE_START(u), VUSE_END(u), NULL,
                         "'%s' is the first spelling seen", d);
        else
            finding_note(f, VUSE_FILE(u), VUSE_START(u), VUSE_END(u), NULL,
                         "'%s' is the %s: %llu user%s%s", d,
                         tie ? "first seen of the most used spellings" : "most used spelling",
                         (unsigned long long)k, k == 1 ? "" : "s", tie ? " each" : "");
    }
    free(d);
}

static void consistent_finish(int ri, struct tenant *t)
{
    const struct spell *o = rule_get(ri)->state;
    const struct vindex *ix = o->ix;
    if (!vindex_holds(ix, t))
        return;
    size_t nv = ix->values.count;
    struct vgroups g;
    vgroups_make(ix, &o->fold, &g);
    /* per value: users that count, and the first use (counted when there is one) */
    uint64_t *count = xcalloc(nv, sizeof(*count));
    size_t *first = xcalloc(nv, sizeof(*first));
    int *seen = xcalloc(nv, sizeof(*seen)); /* 1: any use, 2: a counted use */
    for (size_t k = 0; k < ix->nu; k++) {
        const struct vuse *u = &ix->u[k];
        int counted = o->exclude_bit < 0 || !(VUSE_ROLES(u) & (1u << o->exclude_bit));
        if (counted)
            count[u->value]++;
        if (seen[u->value] < 1 + counted) {
            if (!seen[u->value] || counted)
                first[u->value] = k;
            seen[u->value] = 1 + counted;
        }
    }
    /* per group: the canonical spelling */
    struct reflist decl, fc;
    reflist_get(&o->lists, t, REFLIST_CONFIG, &decl);
    reflist_get(&o->lists, t, REFLIST_FLEXCONF, &fc);
    struct canon *canon = xcalloc(g.ngroups ? g.ngroups : 1, sizeof(*canon));
    int *tie = xcalloc(g.ngroups ? g.ngroups : 1, sizeof(*tie));
    for (size_t v = 0; v < nv; v++) {
        struct canon *c = &canon[g.gid[v]];
        if (c->s && c->ref)
            continue;
        const struct refname *ref = NULL;
        enum reflist_src src = REFLIST_CONFIG;
        if (!c->s && !(ref = list_find(o, &decl, g.folded[v]))) {
            ref = list_find(o, &fc, g.folded[v]);
            src = REFLIST_FLEXCONF;
        }
        if (ref) {
            *c = (struct canon){ref->s, strlen(ref->s), ref, src, 0};
            continue;
        }
        /* the most used: more users, else the earlier first use */
        if (!c->s || count[v] > count[c->value] ||
            (count[v] == count[c->value] && first[v] < first[c->value]))
            *c = (struct canon){ix->values.s[v], ix->values.n[v], NULL, REFLIST_NONE,
                                (uint32_t)v};
    }
    for (size_t v = 0; v < nv; v++) { /* another value as used as the most used one */
        const struct canon *c = &canon[g.gid[v]];
        if (!c->ref && c->value != v && count[v] && count[v] == count[c->value])
            tie[g.gid[v]] = 1;
    }
    for (size_t k = 0; k < ix->nu; k++) {
        const struct vuse *u = &ix->u[k];
        const struct canon *c = &canon[g.gid[u->value]];
        int file = VUSE_FILE(u);
        if (!g.folded[u->value][0] ||
            (c->n == ix->values.n[u->value] && !memcmp(c->s, ix->values.s[u->value], c->n)) ||
            claimed(file, VUSE_START(u)))
            continue;
        claim(file, VUSE_START(u));
        struct finding *f = finding_add(ri, file, VUSE_START(u), VUSE_END(u), NULL);
        finding_value(f, ix->values.s[u->value], ix->values.n[u->value], 0);
        finding_arg(f, "expected", "%.*s", (int)c->n, c->s); /* escaped when printed */
        finding_set_identity(f, t->index, NULL);
        consistent_note(f, ix, c, count, first, tie[g.gid[u->value]]);
        char *canon_s = xstrndup(c->s, c->n); /* a list's spelling is safe, the most used not */
        if (strlen(canon_s) == c->n &&
            finding_fix(f, c->ref ? FIX_SAFE : FIX_UNSAFE, "write the canonical spelling"))
            edit_json_token(f, VUSE_START(u), VUSE_END(u), ix->values.s[u->value],
                            ix->values.n[u->value], canon_s);
        free(canon_s);
    }
    free(tie);
    free(canon);
    reflist_free(&decl);
    reflist_free(&fc);
    free(seen);
    free(first);
    free(count);
    vgroups_free(&g);
}

const struct check_fn check_spelling_consistent_fn = {"spelling-consistent", consistent_prepare,
                                                      begin, record, consistent_finish, NULL};

/* ---- value-listed ---- */

static int listed_prepare(struct rule *r, int ri, struct strbuf *err)
{
    static const char *const keys[] = {"pointer", "roles_pointer", "fold", "config_list",
                                       "flex_configuration", "near", "skip_empty", NULL};
    (void)ri;
    struct spell *o = xcalloc(1, sizeof(*o));
    o->exclude_bit = -1;
    r->state = o;
    r->free_state = spell_free;
    if (chk_known_options(r->options, keys, NULL, err) || prepare_common(r, o, err))
        return -1;
    if (!o->lists.config_list && !o->lists.flexconf_pointer) {
        sb_adds(err, "value-listed needs options.config_list or options.flex_configuration");
        return -1;
    }
    json_t *near = json_object_get(r->options, "near");
    json_t *se = json_object_get(r->options, "skip_empty");
    if ((near && (!json_is_integer(near) || json_integer_value(near) < 0 ||
                  json_integer_value(near) > 8)) ||
        (se && !json_is_boolean(se))) {
        sb_adds(err, "options.near must be an edit distance (0 to 8) and options.skip_empty "
                     "true or false");
        return -1;
    }
    o->near = near ? (size_t)json_integer_value(near) : 2;
    o->skip_empty = !se || json_is_true(se);
    return 0;
}

/* The one listed value nearest to `folded` within o->near edits (folded too), or NULL
 * when none is, or when two are equally near. A distance of more than half the name's
 * length is no near miss ("AB" is not a misspelling of "CD"). */
static const char *suggest(const struct spell *o, const struct reflist *l, const char *folded)
{
    const char *best = NULL;
    size_t bestd = o->near + 1, len = strlen(folded);
    int ambiguous = 0;
    for (size_t i = 0; i < l->n; i++) {
        char *f = fold_apply(&o->fold, l->v[i].s, strlen(l->v[i].s));
        size_t d = edit_distance(folded, f, o->near);
        free(f);
        if (d > o->near || d * 2 > len)
            continue;
        if (d < bestd) {
            best = l->v[i].s;
            bestd = d;
            ambiguous = 0;
        } else if (d == bestd && strcmp(best, l->v[i].s)) {
            ambiguous = 1;
        }
    }
    return ambiguous ? NULL : best;
}

/* "the tenant's 'teams' in .ssolint.yaml", "the Flex configuration's
 * ui_attributes.custom_data.common.teams" */
static char *source_name(const struct spell *o, enum reflist_src src)
{
    if (src == REFLIST_CONFIG)
        return xasprintf("the tenant's '%s' in .ssolint.yaml", o->lists.config_list);
    struct strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "the Flex configuration's ");
    for (const char *p = o->lists.flexconf_pointer + 1; *p; p++)
        sb_addc(&sb, *p == '/' ? '.' : *p);
    return sb_detach(&sb);
}

static void listed_finish(int ri, struct tenant *t)
{
    const struct spell *o = rule_get(ri)->state;
    const struct vindex *ix = o->ix;
    if (!vindex_holds(ix, t))
        return;
    struct reflist l;
    reflist_get(&o->lists, t, REFLIST_NONE, &l);
    if (l.src == REFLIST_NONE || l.partial) {
        reflist_free(&l);
        return;
    }
    size_t nv = ix->values.count;
    /* per value: 0 not decided, 1 listed, 2 not listed */
    unsigned char *state = xcalloc(nv ? nv : 1, 1);
    const char **sugg = xcalloc(nv ? nv : 1, sizeof(*sugg));
    char *source = source_name(o, l.src);
    for (size_t k = 0; k < ix->nu; k++) {
        const struct vuse *u = &ix->u[k];
        uint32_t v = u->value;
        int file = VUSE_FILE(u);
        if (!state[v]) {
            state[v] = 2;
            for (size_t i = 0; i < l.n && state[v] == 2; i++)
                if (strlen(l.v[i].s) == ix->values.n[v] && !strcmp(l.v[i].s, ix->values.s[v]))
                    state[v] = 1;
            if (o->skip_empty && !ix->values.n[v])
                state[v] = 1;
            if (state[v] == 2) {
                char *f = fold_apply(&o->fold, ix->values.s[v], ix->values.n[v]);
                sugg[v] = suggest(o, &l, f);
                free(f);
            }
        }
        if (state[v] == 1 || claimed(file, VUSE_START(u)))
            continue;
        claim(file, VUSE_START(u));
        struct finding *f = finding_add(ri, file, VUSE_START(u), VUSE_END(u), NULL);
        finding_value(f, ix->values.s[v], ix->values.n[v], 0);
        finding_arg(f, "source", "%s", source);
        if (sugg[v]) {
            finding_arg(f, "did_you_mean", " (did you mean '%s'?)", sugg[v]);
        } else {
            finding_arg(f, "did_you_mean", "%s", "");
        }
        finding_set_identity(f, t->index, NULL);
    }
    free(source);
    free(sugg);
    free(state);
    reflist_free(&l);
}

const struct check_fn check_value_listed_fn = {"value-listed", listed_prepare, begin, record,
                                               listed_finish, NULL};
