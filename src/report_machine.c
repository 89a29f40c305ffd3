/* report_machine.c - what the report formats share (report_machine.h): the capped list
 * of findings to print, checked files, paths, tenant names, safe JSON strings. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report_machine.h"
#include "rules.h"
#include "util.h"

#define NOTE_MAX 200

int finding_visible(const struct finding *f)
{
    return !(f->flags & (F_SUPPRESSED | F_BASELINED));
}

void flist_build(struct flist *l, const struct report_opts *o)
{
    size_t n = findings_count(), cap = 0;
    int nr = rule_count();
    size_t *per = xcalloc((size_t)(nr > 0 ? nr : 1), sizeof(*per));
    memset(l, 0, sizeof(*l));
    for (size_t i = 0; i < n; i++) {
        const struct finding *f = findings_get(i);
        if (!finding_visible(f))
            continue;
        if (o->max_per_rule >= 0 && f->rule >= 0 && f->rule < nr &&
            per[f->rule]++ >= (size_t)o->max_per_rule) {
            l->dropped++;
            continue;
        }
        GROW(l->v, cap, l->n + 1);
        l->v[l->n++] = f;
    }
    free(per);
}

void flist_free(struct flist *l)
{
    free(l->v);
    memset(l, 0, sizeof(*l));
}

int file_checked(int id)
{
    const struct source *s = source_get(id);
    return s && s->reported && s->kind != SRC_RULES && s->kind != SRC_CONFIG;
}

const char *rel_path(int file)
{
    const struct source *s = source_get(file);
    if (!s)
        return "";
    return s->rel ? s->rel : s->path;
}

const char *tenant_name(const struct report_opts *o, int tenant)
{
    if (tenant < 0 || (size_t)tenant >= o->ntenants || !o->tenants)
        return NULL;
    return o->tenants[tenant];
}

char *related_text(const struct related *r)
{
    struct strbuf sb = STRBUF_INIT;
    const char *m = r->msg ? r->msg : "";
    sb_add_display(&sb, m, strlen(m), NOTE_MAX);
    return sb_detach(&sb);
}

json_t *jstr(const char *s)
{
    json_t *j = json_string(s ? s : "");
    if (j)
        return j;
    struct strbuf sb = STRBUF_INIT;
    sb_add_display(&sb, s, strlen(s), (size_t)-1);
    j = json_string(sb_str(&sb));
    sb_free(&sb);
    return j ? j : json_string("");
}

int json_write(FILE *out, json_t *root)
{
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc < 0 || fputc('\n', out) == EOF)
        return error("cannot write the report: %s", strerror(errno));
    return 0;
}
