/* suppress/suppress.c - the `ignore:` entries of .ssolint.yaml (config.md) and the meta rules
 * (rules.md "meta"): an entry matches findings by rule (id or group) and by every
 * narrowing key it has; a matched finding is F_SUPPRESSED and no longer counted. An
 * entry without a reason, naming an unknown rule, or past its `until` day suppresses
 * nothing and draws bad-suppression / ignore-expired instead; one that matched nothing
 * draws unused-ignore. Inline directives (suppress/inline.c) follow the same rules. */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "rules/rules.h"
#include "suppress/suppress.h"
#include "suppress/suppress_int.h"
#include "base/util.h"

int rule_matches(int ri, const char *name)
{
    const struct rule *r = rule_get(ri);
    return r && (!strcmp(r->id, name) || !strcmp(r->group, name));
}

int rule_or_group_known(const char *name)
{
    for (int i = 0; i < rule_count(); i++)
        if (rule_matches(i, name))
            return 1;
    return 0;
}

int rule_or_group_on(const char *name)
{
    for (int i = 0; i < rule_count(); i++)
        if (rule_matches(i, name) && rule_on(i))
            return 1;
    return 0;
}

char *disp(const char *s, size_t n)
{
    struct strbuf sb = STRBUF_INIT;
    sb_add_display(&sb, s, n, 60);
    return sb_detach(&sb);
}

/* ---- ignore entries ------------------------------------------------------------------ */

/* What a finding's identity names: its rule's scope, else the kind of its file. */
enum who { WHO_ANY, WHO_USER, WHO_CLIENT, WHO_ACTION };

static enum who finding_who(const struct finding *f)
{
    const char *scope = rule_get(f->rule)->scope;
    if (scope && !strcmp(scope, "users"))
        return WHO_USER;
    if (scope && !strcmp(scope, "clients"))
        return WHO_CLIENT;
    if (scope && (!strcmp(scope, "actions") || !strcmp(scope, "code")))
        return WHO_ACTION;
    const struct source *s = source_get(f->at.file);
    switch (s ? s->kind : SRC_UNKNOWN) {
    case SRC_USERS: return WHO_USER;
    case SRC_CLIENT: return WHO_CLIENT;
    case SRC_ACTION: case SRC_ACTION_CODE: return WHO_ACTION;
    default: return WHO_ANY;
    }
}

static int same_name(const char *want, const char *have, int fold)
{
    if (!have)
        return 0;
    return fold ? !ascii_casecmp(want, have) : !strcmp(want, have);
}

/* `path`: an fnmatch glob (FNM_PATHNAME) on the root-relative path, or a directory
 * ("users/", "auth0") that holds the file. */
static int path_matches(const char *pat, const char *rel)
{
    if (!rel)
        return 0;
    while (pat[0] == '.' && pat[1] == '/')
        pat += 2;
    if (fnmatch(pat, rel, FNM_PATHNAME) == 0)
        return 1;
    size_t n = strlen(pat);
    while (n && pat[n - 1] == '/')
        n--;
    if (!n)
        return 0;
    char *dir = xstrndup(pat, n);
    int ok = 0;
    for (const char *p = strchr(rel, '/'); p && !ok; p = strchr(p + 1, '/')) {
        char *head = xstrndup(rel, (size_t)(p - rel));
        ok = fnmatch(dir, head, FNM_PATHNAME) == 0;
        free(head);
    }
    free(dir);
    return ok;
}

static int value_matches(const char *want, const struct finding *f)
{
    if (!f->value)
        return 0;
    if (!strncmp(want, "sha256:", 7)) {
        char h[65];
        sha256_hex(f->value, strlen(f->value), h);
        return !ascii_casecmp(want + 7, h);
    }
    return !(f->flags & F_SECRET) && !strcmp(want, f->value);
}

static const char *tenant_name(const struct model *m, int t)
{
    if (t < 0 || (size_t)t >= m->ntenants)
        return NULL;
    return m->tenants[t].cfg && m->tenants[t].cfg->name ? m->tenants[t].cfg->name : "default";
}

static int action_arg(const struct finding *f, const char *name)
{
    for (size_t i = 0; i < f->nargs; i++)
        if (!strcmp(f->args[i].name, "action") && f->args[i].value &&
            !strcmp(f->args[i].value, name))
            return 1;
    return 0;
}

static int entry_matches(const struct model *m, const struct cfg_ignore *g, const struct finding *f)
{
    if (!rule_matches(f->rule, g->rule))
        return 0;
    if (g->tenant && !same_name(g->tenant, tenant_name(m, f->tenant), 0))
        return 0;
    const struct source *s = source_get(f->at.file);
    if (g->path && !path_matches(g->path, s ? s->rel : NULL))
        return 0;
    enum who w = finding_who(f);
    if (g->user && !((w == WHO_USER || w == WHO_ANY) &&
                     same_name(g->user, f->identity, strchr(g->user, '@') != NULL)))
        return 0;
    if (g->client && !((w == WHO_CLIENT || w == WHO_ANY) && same_name(g->client, f->identity, 0)))
        return 0;
    if (g->action && !(((w == WHO_ACTION || w == WHO_ANY) && same_name(g->action, f->identity, 0)) ||
                       action_arg(f, g->action)))
        return 0;
    if (g->value && !value_matches(g->value, f))
        return 0;
    return 1;
}

/* Could the entry match a finding in a file this run does not report (a PATH chose
 * part of the project)? Then "matched nothing" cannot be told. */
static int entry_partial(const struct model *m, const struct cfg_ignore *g)
{
    for (int id = 0; id < source_count(); id++) {
        const struct source *s = source_get(id);
        if (s->reported || s->kind == SRC_CONFIG || s->kind == SRC_RULES)
            continue;
        if (g->tenant && !same_name(g->tenant, tenant_name(m, s->tenant), 0))
            continue;
        if (g->path && !path_matches(g->path, s->rel))
            continue;
        return 1;
    }
    return 0;
}

/* Seconds since the epoch at the end of day y-mo-d (UTC): days from civil, Howard
 * Hinnant's algorithm. */
static int64_t day_end(int y, int mo, int d)
{
    y -= mo <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (era * 146097 + doe - 719468 + 1) * 86400;
}

static int blank(const char *s)
{
    if (!s)
        return 1;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    return !*s;
}

/* The entry's position: its first key. */
static void entry_pos(const struct config *cfg, size_t i, uint64_t *s, uint64_t *e)
{
    json_t *list = json_object_get(cfg->doc.root, "ignore");
    const struct loc *l = doc_index(&cfg->doc, list, i);
    const struct loc *r = doc_key(&cfg->doc, cfg->ignores[i].node, "rule");
    *s = l ? l->start : 0;
    *e = *s;
    void *it = json_object_iter(cfg->ignores[i].node);
    const struct loc *k = it ? doc_key(&cfg->doc, cfg->ignores[i].node, json_object_iter_key(it)) : NULL;
    if (k) { /* the first key in file order */
        for (; it; it = json_object_iter_next(cfg->ignores[i].node, it)) {
            const struct loc *x = doc_key(&cfg->doc, cfg->ignores[i].node, json_object_iter_key(it));
            if (x && x->key < k->key)
                k = x;
        }
        *s = *e = k->key;
    }
    if (r && r->key == *s)
        *e = r->end;
}

struct entry_state {
    int live; /* suppresses */
    int used;
};

static void entry_meta(const struct model *m, size_t i, int no_ignore, struct entry_state *st)
{
    const struct config *cfg = m->cfg;
    const struct cfg_ignore *g = &cfg->ignores[i];
    uint64_t s, e;
    entry_pos(cfg, i, &s, &e);
    int ok = 1;
    if (g->rule && !rule_or_group_known(g->rule)) {
        const struct loc *l = doc_key(&cfg->doc, g->node, "rule");
        struct finding *f = finding_add(rule_find("bad-suppression"), cfg->file,
                                        l ? l->start : s, l ? l->end : e, NULL);
        char *d = disp(g->rule, strlen(g->rule));
        finding_arg(f, "problem", "unknown rule or group '%s' in an ignore entry%s (see --list-rules)",
                    d, rule_suggest(g->rule));
        free(d);
        ok = 0;
    }
    if (blank(g->reason)) {
        struct finding *f = finding_add(rule_find("bad-suppression"), cfg->file, s, e, NULL);
        char *d = g->rule ? disp(g->rule, strlen(g->rule)) : xstrdup("");
        finding_arg(f, "problem",
                    "ignore entry for '%s' has no 'reason'; add why the finding is accepted "
                    "(until then it suppresses nothing)", d);
        free(d);
        ok = 0;
    }
    if (g->until_y && m->now >= day_end(g->until_y, g->until_m, g->until_d)) {
        const struct loc *l = doc_key(&cfg->doc, g->node, "until");
        struct finding *f = finding_add(rule_find("ignore-expired"), cfg->file,
                                        l ? l->start : s, l ? l->end : e, NULL);
        char *d = g->rule ? disp(g->rule, strlen(g->rule)) : xstrdup("");
        finding_arg(f, "rule", "%s", d);
        finding_arg(f, "date", "%04d-%02d-%02d", g->until_y, g->until_m, g->until_d);
        free(d);
        ok = 0;
    }
    st->live = ok && g->rule && !no_ignore;
}

static void unused(int file, uint64_t s, uint64_t e, const char *what, const char *rules)
{
    struct finding *f = finding_add(rule_find("unused-ignore"), file, s, e, NULL);
    finding_arg(f, "what", "%s", what);
    finding_arg(f, "rules", "%s", rules);
}

void suppress_apply(struct model *m, int no_ignore)
{
    const struct config *cfg = m->cfg;
    size_t nf = findings_count(); /* the meta findings made below are not matched */
    size_t ng = cfg ? cfg->nignores : 0;
    struct entry_state *st = xcalloc(ng + 1, sizeof(*st));
    for (size_t i = 0; i < ng; i++)
        if (cfg->ignores[i].node)
            entry_meta(m, i, no_ignore, &st[i]);
    struct directives ds = {NULL, 0, 0};
    if (!no_ignore)
        directives_scan(m, &ds);
    for (size_t k = 0; k < nf; k++) {
        struct finding *f = findings_get(k);
        for (size_t i = 0; i < ng; i++)
            if (st[i].live && entry_matches(m, &cfg->ignores[i], f)) {
                f->flags |= F_SUPPRESSED;
                st[i].used = 1;
            }
        for (size_t i = 0; i < ds.n; i++) {
            struct directive *d = &ds.d[i];
            if (d->bad || d->file != f->at.file || d->line != f->at.p.line)
                continue;
            for (size_t r = 0; r < d->nrules; r++)
                if (rule_matches(f->rule, d->rules[r])) {
                    f->flags |= F_SUPPRESSED;
                    d->used = 1;
                }
        }
    }
    for (size_t i = 0; i < ng; i++) {
        const struct cfg_ignore *g = &cfg->ignores[i];
        if (!st[i].live || st[i].used || !rule_or_group_on(g->rule) || entry_partial(m, g))
            continue;
        uint64_t s, e;
        entry_pos(cfg, i, &s, &e);
        char *d = disp(g->rule, strlen(g->rule));
        unused(cfg->file, s, e, "ignore entry", d);
        free(d);
    }
    for (size_t i = 0; i < ds.n; i++) {
        const struct directive *d = &ds.d[i];
        int on = 0;
        for (size_t r = 0; r < d->nrules; r++)
            on |= rule_or_group_on(d->rules[r]);
        if (d->bad || d->used || !on)
            continue;
        struct strbuf sb = STRBUF_INIT;
        for (size_t r = 0; r < d->nrules; r++)
            sb_addf(&sb, "%s%s", r ? "," : "", d->rules[r]);
        char *dr = disp(sb_str(&sb), sb.len);
        char *what = xasprintf("'%s' directive", d->word);
        unused(d->file, d->start, d->end, what, dr);
        free(what);
        free(dr);
        sb_free(&sb);
    }
    directives_free(&ds);
    free(st);
}
