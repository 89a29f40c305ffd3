/* check/fn/group_needs_role.c - the `group-needs-role` check function: the users that share a
 * value of a field form a group (a team); a group with a user of the lead role but none
 * of the member role is reported at each lead user's value (a supervisor whose team has
 * no agent sees an empty team). Values are grouped by their folded form: spelling
 * variants are another rule's finding (spelling-consistent) and still count as members.
 * Decided in the finish step over the tenant-wide index (check/value_index.h).
 *
 *   pointer: /app_metadata/flex/team
 *   roles_pointer: /app_metadata/flex/roles
 *   lead_role: supervisor
 *   member_role: agent
 *   exclude_role: admin             users with this role are in no group (their field
 *                                   is another rule's finding: admin-has-team)
 *   fold: {case: true, ignore: " _-"}
 *
 * Message arguments: {value}, {lead}, {member}. A value claimed by an earlier rule
 * (a spelling variant, an unknown team) is not reported again. */
#include <stdlib.h>

#include "check/util.h"
#include "check/value_index.h"
#include "rules/finding.h"
#include "report/report.h"

struct grp {
    struct vindex *ix;
    struct fold fold;
    char *lead, *member;
    int lead_bit, member_bit, exclude_bit;
};

static void grp_free(void *p)
{
    struct grp *o = p;
    vindex_put(o->ix);
    free(o->lead);
    free(o->member);
    free(o);
}

static int role_bit(struct grp *o, json_t *options, const char *key, int required, int *bit,
                    struct strbuf *err)
{
    json_t *v = json_object_get(options, key);
    *bit = -1;
    if (!v && !required)
        return 0;
    if (!json_is_string(v)) {
        sb_addf(err, "options.%s must be a role name", key);
        return -1;
    }
    if ((*bit = vindex_role(o->ix, json_string_value(v))) < 0) {
        sb_adds(err, "too many roles recorded for one field (8 at most)");
        return -1;
    }
    return 0;
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    static const char *const keys[] = {"pointer", "roles_pointer", "lead_role", "member_role",
                                       "exclude_role", "fold", NULL};
    (void)ri;
    struct grp *o = xcalloc(1, sizeof(*o));
    r->state = o;
    r->free_state = grp_free;
    if (chk_known_options(r->options, keys, "group-needs-role", err))
        return -1;
    const char *p = json_string_value(json_object_get(r->options, "pointer"));
    const char *rp = json_string_value(json_object_get(r->options, "roles_pointer"));
    if (!p || p[0] != '/' || !rp || rp[0] != '/') {
        sb_adds(err, "the group-needs-role check needs options.pointer and "
                     "options.roles_pointer (JSON pointers, /a/b)");
        return -1;
    }
    if (!(o->ix = vindex_get(p, rp, err)) || fold_parse(r->options, &o->fold, err) ||
        role_bit(o, r->options, "lead_role", 1, &o->lead_bit, err) ||
        role_bit(o, r->options, "member_role", 1, &o->member_bit, err) ||
        role_bit(o, r->options, "exclude_role", 0, &o->exclude_bit, err))
        return -1;
    o->lead = xstrdup(json_string_value(json_object_get(r->options, "lead_role")));
    o->member = xstrdup(json_string_value(json_object_get(r->options, "member_role")));
    return 0;
}

static void begin(int ri, struct model *m)
{
    (void)ri;
    vindex_set_model(m);
}

static void record(int ri, const struct record *rec)
{
    const struct grp *o = rule_get(ri)->state;
    vindex_record(o->ix, rec);
}

static void finish(int ri, struct tenant *t)
{
    const struct grp *o = rule_get(ri)->state;
    const struct vindex *ix = o->ix;
    if (!vindex_holds(ix, t))
        return;
    struct vgroups g;
    vgroups_make(ix, &o->fold, &g);
    unsigned char *has_member = xcalloc(g.ngroups ? g.ngroups : 1, 1);
    unsigned excl = o->exclude_bit < 0 ? 0 : 1u << o->exclude_bit;
    for (size_t k = 0; k < ix->nu; k++) {
        const struct vuse *u = &ix->u[k];
        if (!(VUSE_ROLES(u) & excl) && (VUSE_ROLES(u) & (1u << o->member_bit)))
            has_member[g.gid[u->value]] = 1;
    }
    for (size_t k = 0; k < ix->nu; k++) {
        const struct vuse *u = &ix->u[k];
        int file = VUSE_FILE(u);
        if ((VUSE_ROLES(u) & excl) || !(VUSE_ROLES(u) & (1u << o->lead_bit)) ||
            has_member[g.gid[u->value]] || !g.folded[u->value][0] ||
            claimed(file, VUSE_START(u)))
            continue;
        struct finding *f = finding_add(ri, file, VUSE_START(u), VUSE_END(u), NULL);
        finding_value(f, ix->values.s[u->value], ix->values.n[u->value], 0);
        finding_arg(f, "lead", "%s", o->lead);
        finding_arg(f, "member", "%s", o->member);
        finding_set_identity(f, t->index, NULL);
    }
    free(has_member);
    vgroups_free(&g);
}

const struct check_fn check_group_needs_role_fn = {"group-needs-role", prepare, begin, record,
                                                   finish, NULL};
