/* check/value_index.h - what the cross-record check functions of the teams group share:
 * the tenant-wide index of one string field's uses (spelling-consistent, value-listed and
 * group-needs-role read one index, so a million users are indexed once, not once per
 * rule), the option parsers they have in common (role conditions, name folding, the
 * reference lists of a tenant) and a string interning table. */
#ifndef SSOLINT_CHECK_VALUE_INDEX_H
#define SSOLINT_CHECK_VALUE_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "check/check.h"

/* ---- interned strings: each distinct value once, named by a 32-bit id ---- */

struct strtab {
    char **s;        /* the strings (NUL-terminated; n[i] bytes without the NUL) */
    size_t *n;
    size_t count, cap;
    uint32_t *slot;  /* open addressing: id + 1, 0 = empty */
    size_t nslot;
};
uint32_t strtab_intern(struct strtab *t, const char *s, size_t n);
void strtab_clear(struct strtab *t);

/* Name folding `fold: {case: true, ignore: " _-"}`: two names are one name when equal
 * after ASCII case folding (case) and removing the `ignore` characters. */
struct fold {
    int ignore_case;
    char ignore[32];
};
int fold_parse(json_t *options, struct fold *f, struct strbuf *err);
char *fold_apply(const struct fold *f, const char *s, size_t n); /* new string */

/* ---- one use: where a value sits, compact (16 bytes) ---- */

/* A use packs its file and start offset in 64 bits (file ids below 2^20, offsets below
 * 2^44 = 16 TB), the interned value id, and its length (below 2^24) with 8 role bits. */
struct vuse {
    uint64_t at;       /* file << 44 | start */
    uint32_t value;    /* strtab id */
    uint32_t lenroles; /* (end - start) << 8 | role bits */
};
#define VUSE_FILE(u) ((int)((u)->at >> 44))
#define VUSE_START(u) ((u)->at & ((1ull << 44) - 1))
#define VUSE_END(u) (VUSE_START(u) + ((u)->lenroles >> 8))
#define VUSE_ROLES(u) ((u)->lenroles & 0xffu)
struct vuse vuse_make(int file, uint64_t start, uint64_t end, uint32_t value, unsigned roles);

/* ---- the index of a field's uses in the current tenant ----
 * Size: 16 bytes per user that has the field (uses), plus each distinct value once
 * (values). At 1M users with a team: 16 MB + a few hundred bytes of team names. */
struct vindex {
    char *pointer;       /* the field, below the record */
    char *roles_pointer; /* the record's list of roles, NULL for none */
    char *roles[8];      /* role names whose presence the uses record (bit i = roles[i]) */
    int nroles;
    int refs;
    int tenant;          /* index of the tenant whose uses are held; -1 none */
    struct strtab values;
    struct vuse *u;
    size_t nu, capu;
};

/* The shared index of a pointer, created on first use; each vindex_get takes a reference
 * that vindex_put gives back. roles_pointer may be NULL; the rules that share an index
 * must not name two different ones (NULL and an error in err). */
struct vindex *vindex_get(const char *pointer, const char *roles_pointer, struct strbuf *err);
void vindex_put(struct vindex *ix);
/* The bit of a role in the uses' role bits; -1 when 8 roles are already recorded. */
int vindex_role(struct vindex *ix, const char *role);
/* Record the field of rec (a known string) once, however many rules call this for the
 * same record; a record of another tenant first empties the index. */
void vindex_record(struct vindex *ix, const struct record *rec);
/* Does the index hold tenant t's uses? (No: t has none.) */
int vindex_holds(const struct vindex *ix, const struct tenant *t);
void vindex_clear(struct vindex *ix);
/* Clear every index: called by check.c once a tenant's finish steps have run (only they
 * read an index), so a tenant's uses (16 MB at 1M users) are not held into the next
 * tenant or the report stage. */
void vindex_clear_all(void);

/* The values of the index grouped by their folded form: gid[value id] is the group,
 * folded[value id] the folded form (new strings). */
struct vgroups {
    uint32_t *gid;
    char **folded;
    size_t nvalues, ngroups;
};
void vgroups_make(const struct vindex *ix, const struct fold *f, struct vgroups *g);
void vgroups_free(struct vgroups *g);

/* ---- options shared by the functions ---- */

/* A role condition `{pointer: /app_metadata/flex/roles, contains: admin}`. */
struct rolecond {
    char *pointer;
    char *contains;
};
/* Parse options[key] (absent: c->pointer stays NULL). 0, or -1 with err. */
int rolecond_parse(json_t *options, const char *key, struct rolecond *c, struct strbuf *err);
void rolecond_free(struct rolecond *c);
/* 1 when the record's list at c->pointer holds the string c->contains, 0 when not (or
 * absent), -1 when it cannot be told (unknown, claimed or not an array of strings). */
int rolecond_eval(const struct rolecond *c, const struct record *rec);

/* Does the JSON array hold the string s exactly? */
int json_list_has(json_t *list, const char *s);

/* A tenant's reference list of names: the config list `config_list` (teams,
 * email_domains) when declared, else the list at `flex_configuration` (a JSON pointer in
 * the Flex configuration). */
struct reflist_opts {
    char *config_list;
    char *flexconf_pointer;
};
int reflist_parse(json_t *options, struct reflist_opts *o, struct strbuf *err);
void reflist_opts_free(struct reflist_opts *o);

enum reflist_src { REFLIST_NONE, REFLIST_CONFIG, REFLIST_FLEXCONF };
struct refname {
    const char *s;          /* borrowed */
    int file;
    uint64_t start, end;
};
struct reflist {
    enum reflist_src src;
    struct refname *v;
    size_t n;
    int partial;            /* some entry is an unresolved placeholder: not all is known */
};
/* The list for tenant t from source `only`, or with REFLIST_NONE the first of the two
 * that is given (out->src REFLIST_NONE when none is). */
void reflist_get(const struct reflist_opts *o, const struct tenant *t, enum reflist_src only,
                 struct reflist *out);
void reflist_free(struct reflist *l);

/* The model of the run (set by the functions' begin hooks): the config's positions. */
void vindex_set_model(const struct model *m);

#endif
