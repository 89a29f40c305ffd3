/* check/fn/field_presence.c - two check functions about whether a field is there at all.
 *
 * `field-forbidden`: the field at `pointer` must not be present (any value, even "").
 *   options:
 *     pointer: /app_metadata/flex/team     the field, below each record of the scope
 *     if: {pointer: /app_metadata/flex/roles, contains: admin}
 *                                          optional: only records whose list holds VALUE
 *     at: key | value                      where the finding points (default value)
 *     saml_attribute: team                 optional: also each Flex action of the tenant
 *                                          whose code sets this SAML attribute (finding at
 *                                          the setAttribute call)
 *     record_args: {NAME: TEXT}            message arguments for a record's finding and
 *     action_args: {NAME: TEXT}            for an action's; TEXT may hold {value},
 *                                          {who}, {action} and {attribute}
 *   Message arguments: {value}, {who} ("user 'ana@nss.org'": the record's kind and
 *   identity) and those of record_args / action_args.
 *   The field's value is claimed: a value a rule earlier in the run reported (wrong-type,
 *   foreign-team) draws nothing, and no later rule judges this one ("one cause, one
 *   finding").
 *
 * `field-required`: the field at `pointer` must be present (and, with empty: missing,
 *   not ""), unless the record's list holds a value.
 *   options:
 *     pointer: /app_metadata/flex/team
 *     unless: {pointer: /app_metadata/flex/roles, contains: admin}
 *     empty: missing                       "" counts as missing (default: present)
 *     at: [/app_metadata/flex, /app_metadata, ""]
 *                                          the finding points at the first of these that
 *                                          is present ("" = the record)
 *     replaced_by: role-missing            optional: when the first `at` is absent (the
 *                                          parent object), the absence is that rule's
 *                                          finding: while it is on, such a record draws
 *                                          nothing of this rule
 *   When the first `at` is absent and replaced_by is off, the finding waits for the finish
 *   step: a location claimed by then draws nothing, and neither does a file in which no
 *   record has the last `at` but the record (app_metadata; null counts as absent): an
 *   export made without it is export-missing-metadata's finding.
 *   Message arguments: {state} ("missing" or "empty"), {who} (as above).
 *   Memory: 16 bytes per waiting finding (file, offsets) and one int per users file. */
#include <stdlib.h>
#include <string.h>

#include "check/edit.h"
#include "check/util.h"
#include "check/value_index.h"
#include "rules/finding.h"
#include "report/report.h"

/* ---- shared option helpers ---- */

static int want_pointer(json_t *options, const char *key, char **out, struct strbuf *err)
{
    const char *p = json_string_value(json_object_get(options, key));
    if (!p || (p[0] != '/' && p[0] != '\0')) {
        sb_addf(err, "options.%s must be a JSON pointer (/a/b)", key);
        return -1;
    }
    *out = xstrdup(p);
    return 0;
}

/* {who}: "user 'ana@nss.org'" (the record's kind and identity), "user" without one.
 * New string. */
static char *who_text(enum rec_kind kind, const char *identity)
{
    const char *word = kind == REC_USER     ? "user"
                       : kind == REC_CLIENT ? "client"
                       : kind == REC_ACTION ? "action"
                       : kind == REC_WORKER ? "worker"
                                            : "record";
    return identity ? xasprintf("%s '%s'", word, identity) : xstrdup(word);
}

static void who_arg(struct finding *f, enum rec_kind kind, const char *identity)
{
    char *w = who_text(kind, identity);
    finding_arg(f, "who", "%s", w);
    free(w);
}

/* ---- field-forbidden ---- */

struct forbid {
    char *pointer;
    struct rolecond cond;
    int at_key;
    char *saml_attribute;
    json_t *record_args, *action_args; /* new references or NULL */
};

static void forbid_free(void *p)
{
    struct forbid *o = p;
    free(o->pointer);
    rolecond_free(&o->cond);
    free(o->saml_attribute);
    json_decref(o->record_args);
    json_decref(o->action_args);
    free(o);
}

static int args_ok(json_t *a)
{
    if (!a)
        return 1;
    if (!json_is_object(a))
        return 0;
    const char *k;
    json_t *v;
    json_object_foreach(a, k, v) {
        if (!json_is_string(v))
            return 0;
    }
    return 1;
}

static int forbid_prepare(struct rule *r, int ri, struct strbuf *err)
{
    static const char *const keys[] = {"pointer", "if", "at", "saml_attribute", "record_args",
                                       "action_args", NULL};
    (void)ri;
    struct forbid *o = xcalloc(1, sizeof(*o));
    r->state = o;
    r->free_state = forbid_free;
    if (chk_known_options(r->options, keys, NULL, err) ||
        want_pointer(r->options, "pointer", &o->pointer, err) ||
        rolecond_parse(r->options, "if", &o->cond, err))
        return -1;
    json_t *at = json_object_get(r->options, "at");
    if (at && (!json_is_string(at) || (strcmp(json_string_value(at), "key") &&
                                       strcmp(json_string_value(at), "value")))) {
        sb_adds(err, "options.at must be 'key' or 'value'");
        return -1;
    }
    o->at_key = at && !strcmp(json_string_value(at), "key");
    json_t *sa = json_object_get(r->options, "saml_attribute");
    if (sa && !json_is_string(sa)) {
        sb_adds(err, "options.saml_attribute must be an attribute name");
        return -1;
    }
    o->saml_attribute = sa ? xstrdup(json_string_value(sa)) : NULL;
    o->record_args = json_incref(json_object_get(r->options, "record_args"));
    o->action_args = json_incref(json_object_get(r->options, "action_args"));
    if (!args_ok(o->record_args) || !args_ok(o->action_args)) {
        sb_adds(err, "options.record_args and options.action_args must map names to texts");
        return -1;
    }
    return 0;
}

/* Expand {value}, {action}, {attribute}, {who} of an argument text. */
static void set_args(struct finding *f, json_t *args, const char *value, const char *action,
                     const char *attribute, const char *who)
{
    const char *name;
    json_t *text;
    json_object_foreach(args, name, text) {
        struct strbuf sb = STRBUF_INIT;
        const char *s = json_string_value(text);
        while (*s) {
            const char *sub = NULL;
            size_t n = 0;
            if (!strncmp(s, "{value}", 7))
                sub = value, n = 7;
            else if (!strncmp(s, "{action}", 8))
                sub = action, n = 8;
            else if (!strncmp(s, "{attribute}", 11))
                sub = attribute, n = 11;
            else if (!strncmp(s, "{who}", 5))
                sub = who, n = 5;
            if (n) {
                sb_adds(&sb, sub ? sub : "");
                s += n;
            } else {
                sb_addc(&sb, *s++);
            }
        }
        /* names are the rule's option keys, alive as long as the rule */
        finding_arg(f, name, "%s", sb_str(&sb));
        sb_free(&sb);
    }
}

/* The fix of a forbidden member (when the rule has one): remove it. */
static void remove_member(struct finding *f, const struct record *rec, const char *pointer)
{
    const char *key = chk_last_segment(pointer);
    if (edit_begin(f, rec, FIX_SAFE, "remove the member") < 0)
        return;
    char *parent = xstrndup(pointer, (size_t)(key - pointer) - 1);
    json_t *obj = record_get(rec, parent, NULL, NULL);
    free(parent);
    if (json_is_object(obj))
        edit_remove_key(f, rec, obj, key);
    else
        finding_fix_drop(f);
}

static void forbid_record(int ri, const struct record *rec)
{
    const struct forbid *o = rule_get(ri)->state;
    const struct loc *l;
    int unknown;
    json_t *v = record_get(rec, o->pointer, &l, &unknown);
    if (!v || unknown || !l)
        return;
    int file = rec->doc->file;
    if (claimed(file, l->start))
        return;
    if (o->cond.pointer && rolecond_eval(&o->cond, rec) != 1)
        return;
    claim(file, l->start);
    uint64_t s = l->start, e = l->end;
    if (o->at_key) {
        s = l->key;
        e = l->key + strlen(chk_last_segment(o->pointer)) + 2; /* "team" with its quotes */
        if (e > l->start)
            e = l->start;
    }
    struct finding *f = finding_add(ri, file, s, e, rec->win);
    const char *sv = json_is_string(v) ? json_string_value(v) : "";
    if (json_is_string(v))
        finding_value(f, sv, json_string_length(v), 0);
    char *who = who_text(rec->kind, rec->identity);
    set_args(f, o->record_args, sv, NULL, NULL, who);
    finding_arg(f, "who", "%s", who);
    free(who);
    finding_set_identity(f, rec->t ? rec->t->index : -1, rec->identity);
    remove_member(f, rec, o->pointer);
}

static void forbid_finish(int ri, struct tenant *t)
{
    const struct forbid *o = rule_get(ri)->state;
    if (!o->saml_attribute)
        return;
    for (size_t k = 0; k < t->nflex_actions; k++) {
        const struct action *a = &t->actions[t->flex_actions[k]];
        size_t at;
        if (a->code_file < 0 || !a->code || !a->syntax_ok ||
            action_sets_attribute(a, o->saml_attribute, &at) != 1)
            continue;
        const struct js_tok *tok = &a->toks.t[at];
        uint64_t s = offmap_map(&a->code_map, tok->start);
        uint64_t e = offmap_map(&a->code_map, tok->end);
        if (claimed(a->code_file, s))
            continue;
        struct finding *f = finding_add(ri, a->code_file, s, e, NULL);
        char *who = who_text(REC_ACTION, a->it.name);
        set_args(f, o->action_args, "", a->it.name, o->saml_attribute, who);
        finding_arg(f, "who", "%s", who);
        free(who);
        finding_set_identity(f, t->index, a->it.name);
    }
}

const struct check_fn check_field_forbidden_fn = {"field-forbidden", forbid_prepare, NULL,
                                                  forbid_record, forbid_finish, NULL};

/* ---- field-required ---- */

struct require {
    char *pointer;
    struct rolecond unless;
    int empty_missing;
    char **at;
    size_t nat;
    const char *parent;  /* the last fallback but the record (at[nat - 2]) or NULL */
    char *replaced_by;   /* a rule id or NULL */
    int replaced;        /* that rule is on (set by begin) */
    /* findings that wait for the finish step (the parent object is absent) */
    int tenant;          /* the tenant they belong to, -1 */
    struct vuse *wait;
    size_t nwait, capwait;
    int *parent_files;   /* files in which some record has the last fallback */
    size_t nparent, capparent;
};

static void require_free(void *p)
{
    struct require *o = p;
    free(o->pointer);
    rolecond_free(&o->unless);
    for (size_t i = 0; i < o->nat; i++)
        free(o->at[i]);
    free(o->at);
    free(o->wait);
    free(o->parent_files);
    free(o->replaced_by);
    free(o);
}

static int require_prepare(struct rule *r, int ri, struct strbuf *err)
{
    static const char *const keys[] = {"pointer", "unless", "empty", "at", "replaced_by", NULL};
    (void)ri;
    struct require *o = xcalloc(1, sizeof(*o));
    o->tenant = -1;
    r->state = o;
    r->free_state = require_free;
    if (chk_known_options(r->options, keys, NULL, err) ||
        want_pointer(r->options, "pointer", &o->pointer, err) ||
        rolecond_parse(r->options, "unless", &o->unless, err))
        return -1;
    json_t *em = json_object_get(r->options, "empty");
    if (em && (!json_is_string(em) || (strcmp(json_string_value(em), "missing") &&
                                       strcmp(json_string_value(em), "present")))) {
        sb_adds(err, "options.empty must be 'missing' or 'present'");
        return -1;
    }
    o->empty_missing = em && !strcmp(json_string_value(em), "missing");
    json_t *at = json_object_get(r->options, "at");
    if (!json_is_array(at) || !json_array_size(at)) {
        sb_adds(err, "options.at must be a list of JSON pointers (\"\" = the record)");
        return -1;
    }
    o->at = xcalloc(json_array_size(at), sizeof(*o->at));
    size_t i;
    json_t *e;
    json_array_foreach(at, i, e) {
        const char *p = json_string_value(e);
        if (!p || (p[0] && p[0] != '/')) {
            sb_adds(err, "options.at must be a list of JSON pointers (\"\" = the record)");
            return -1;
        }
        o->at[o->nat++] = xstrdup(p);
    }
    if (o->nat >= 2 && o->at[o->nat - 2][0])
        o->parent = o->at[o->nat - 2];
    json_t *rb = json_object_get(r->options, "replaced_by");
    if (rb && !json_is_string(rb)) {
        sb_adds(err, "options.replaced_by must be a rule id");
        return -1;
    }
    o->replaced_by = rb ? xstrdup(json_string_value(rb)) : NULL;
    return 0;
}

static void require_begin(int ri, struct model *m)
{
    struct require *o = rule_get(ri)->state;
    (void)m;
    int other = o->replaced_by ? rule_find(o->replaced_by) : -1;
    o->replaced = other >= 0 && rule_on(other);
}

static void require_reset(struct require *o, int tenant)
{
    o->tenant = tenant;
    o->nwait = o->nparent = 0;
}

/* Remember that file has a record with the last fallback object. */
static void parent_seen(struct require *o, int file)
{
    for (size_t i = o->nparent; i-- > 0;)
        if (o->parent_files[i] == file)
            return;
    GROW(o->parent_files, o->capparent, o->nparent + 1);
    o->parent_files[o->nparent++] = file;
}

static int parent_in(const struct require *o, int file)
{
    for (size_t i = 0; i < o->nparent; i++)
        if (o->parent_files[i] == file)
            return 1;
    return 0;
}

static void require_record(int ri, const struct record *rec)
{
    struct require *o = rule_get(ri)->state;
    int file = rec->doc->file;
    if (!rec->t)
        return;
    if (o->tenant != rec->t->index)
        require_reset(o, rec->t->index);
    if (o->parent) {
        int unk;
        json_t *pv = record_get(rec, o->parent, NULL, &unk);
        if (pv && !json_is_null(pv)) /* null counts as absent, as for file-lacks */
            parent_seen(o, file);
    }
    const struct loc *l;
    int unknown;
    json_t *v = record_get(rec, o->pointer, &l, &unknown);
    if (unknown)
        return;
    const char *state = "missing";
    if (v) {
        if (!o->empty_missing || !json_is_string(v) || json_string_length(v))
            return;
        if (!l || claimed(file, l->start))
            return;
        state = "empty";
    }
    if (o->unless.pointer && rolecond_eval(&o->unless, rec) != 0)
        return;
    /* where to point: the first location present. A value on the way that is neither an
     * object nor null has the wrong type (wrong-type's finding): nothing to say. */
    const struct loc *where = NULL;
    size_t wi = 0;
    for (size_t i = 0; i < o->nat && !where; i++) {
        const struct loc *al = &rec->doc->root_loc;
        json_t *av = rec->obj;
        if (o->at[i][0])
            av = record_get(rec, o->at[i], &al, &unknown);
        if (unknown)
            return;
        if (!av)
            continue;
        if (!al || (!json_is_object(av) && !json_is_null(av)))
            return;
        if ((i > 0 || json_is_null(av)) && claimed(file, al->start))
            return;
        where = al;
        wi = i;
    }
    if (!where)
        return;
    if (wi > 0 && o->replaced)
        return; /* the parent is absent: the replacing rule reports that */
    if (wi > 0) { /* the parent is absent: decide in the finish step */
        GROW(o->wait, o->capwait, o->nwait + 1);
        o->wait[o->nwait++] = /* the role bits hold the record kind */
            vuse_make(file, where->start, where->end, 0, (unsigned)rec->kind);
        return;
    }
    struct finding *f = finding_add(ri, file, where->start, where->end, rec->win);
    finding_arg(f, "state", "%s", state);
    who_arg(f, rec->kind, rec->identity);
    finding_set_identity(f, rec->t->index, rec->identity);
}

static void require_finish(int ri, struct tenant *t)
{
    struct require *o = rule_get(ri)->state;
    if (o->tenant != t->index)
        return;
    for (size_t k = 0; k < o->nwait; k++) {
        const struct vuse *u = &o->wait[k];
        int file = VUSE_FILE(u);
        if (claimed(file, VUSE_START(u)) || (o->parent && !parent_in(o, file)))
            continue;
        struct finding *f = finding_add(ri, file, VUSE_START(u), VUSE_END(u), NULL);
        finding_arg(f, "state", "%s", "missing");
        who_arg(f, (enum rec_kind)VUSE_ROLES(u), NULL);
        finding_set_identity(f, t->index, NULL);
    }
    require_reset(o, -1);
}

const struct check_fn check_field_required_fn = {"field-required", require_prepare, require_begin,
                                                 require_record, require_finish, NULL};
