/* report/machine.c - what the report formats share (report/machine.h): the capped list
 * of findings to print, checked files, paths, tenant names, safe JSON strings. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/machine.h"
#include "rules/rules.h"
#include "base/util.h"

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

/* Write n spaces. */
static void spaces(FILE *out, size_t n)
{
    while (n--)
        fputc(' ', out);
}

/* The array, item by item, as json_dumpf with JSON_INDENT(2) lays it out at this indent. */
static int stream_array(FILE *out, size_t indent, size_t n, json_item_fn item, void *ctx)
{
    if (!n)
        return fputs("[]", out) == EOF ? -1 : 0;
    fputs("[\n", out);
    for (size_t i = 0; i < n; i++) {
        json_t *j = item(i, ctx);
        char *s = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
        json_decref(j);
        if (!s)
            return -1;
        spaces(out, indent + 2);
        for (const char *p = s; *p; p++) { /* a dump has no raw newline inside a string */
            fputc(*p, out);
            if (*p == '\n')
                spaces(out, indent + 2);
        }
        free(s);
        fputs(i + 1 < n ? ",\n" : "\n", out);
    }
    spaces(out, indent);
    fputc(']', out);
    return ferror(out) ? -1 : 0;
}

#define STREAM_MARK "\001ssolint-stream\001"

int json_write_stream(FILE *out, json_t *root, json_t *holder, const char *key, size_t n,
                      json_item_fn item, void *ctx)
{
    int rc = 0;
    if (!holder) {
        json_decref(root);
        rc = stream_array(out, 0, n, item, ctx);
    } else {
        json_object_set_new(holder, key, json_string(STREAM_MARK));
        char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(root);
        /* `"key": "<mark>"`: outside a string, so the first one is the holder's */
        char *want = xasprintf("\"%s\": \"\\u0001ssolint-stream\\u0001\"", key);
        char *at = s ? strstr(s, want) : NULL;
        if (!at) {
            free(s);
            free(want);
            return error("cannot write the report: out of memory");
        }
        const char *ls = at;
        while (ls > s && ls[-1] != '\n')
            ls--;
        char *val = at + strlen(key) + 4; /* the value's opening quote */
        fwrite(s, 1, (size_t)(val - s), out);
        rc = stream_array(out, (size_t)(at - ls), n, item, ctx);
        fputs(at + strlen(want), out);
        free(s);
        free(want);
    }
    if (rc < 0 || fputc('\n', out) == EOF || ferror(out))
        return error("cannot write the report: %s", strerror(errno));
    return 0;
}

int json_write(FILE *out, json_t *root)
{
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc < 0 || fputc('\n', out) == EOF)
        return error("cannot write the report: %s", strerror(errno));
    return 0;
}
