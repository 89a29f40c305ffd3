/* suppress/baseline.c - `--write-baseline FILE` / `--baseline FILE` (cli.md, doc/baseline.md).
 * A baseline is a JSON file (version 1) of entries, one per distinct finding key, with a
 * count. The key is finding_fingerprint(): rule id, tenant, resource identity (the user's
 * email or user_id, the client or action name; else the root-relative path and JSON
 * pointer) and the SHA-256 of the value. No line numbers: edits elsewhere in a file, or
 * moving a user, keep the key; changing the offending value changes it. The readable
 * fields beside the fingerprint are for review only; values appear only hashed. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules/rules.h"
#include "suppress/suppress.h"
#include "base/path.h"
#include "base/util.h"

#define BASELINE_VERSION 1

static const char *tenant_of(const struct finding *f, const struct report_opts *o)
{
    return f->tenant >= 0 && (size_t)f->tenant < o->ntenants ? o->tenants[f->tenant] : "";
}

static int is_hex64(const char *s)
{
    if (!s || strlen(s) != 64)
        return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return 0;
    return 1;
}

/* The baseline opened through the path guard, or NULL after an error. */
static FILE *baseline_open(const char *path)
{
    enum path_verdict v;
    int fd = path_open(path, &v);
    FILE *in = fd < 0 ? NULL : fdopen(fd, "r");
    if (in)
        return in;
    if (fd >= 0)
        close(fd);
    if (v == PATH_MISSING)
        error("cannot read baseline '%s': %s", path, strerror(errno));
    else
        error("cannot read baseline '%s': it is %s", path, path_refusal(path, v));
    return NULL;
}

int baseline_check(const char *path)
{
    FILE *in = baseline_open(path);
    if (!in)
        return -1;
    json_error_t je;
    json_t *b = json_loadf(in, 0, &je);
    fclose(in);
    if (!b)
        return error("baseline '%s' is not valid JSON (line %d): %s", path, je.line, je.text);
    json_decref(b);
    return 0;
}

/* The baseline's fingerprint -> count map (new reference), or NULL after an error. */
static json_t *baseline_read(const char *path)
{
    FILE *in = baseline_open(path);
    if (!in)
        return NULL;
    json_error_t je;
    json_t *root = json_loadf(in, JSON_REJECT_DUPLICATES, &je);
    fclose(in);
    if (!root) {
        error("baseline '%s' is not valid JSON (line %d: %s); write it with --write-baseline",
              path, je.line, je.text);
        return NULL;
    }
    json_t *v = json_object_get(root, "version"), *entries = json_object_get(root, "entries");
    const char *problem = NULL;
    if (!json_is_object(root) || !json_is_integer(v))
        problem = "it has no 'version'";
    else if (json_integer_value(v) != BASELINE_VERSION)
        problem = "its version is not 1";
    else if (!json_is_array(entries))
        problem = "it has no 'entries' list";
    json_t *map = json_object();
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e) {
        if (problem)
            break;
        const char *fp = json_string_value(json_object_get(e, "fingerprint"));
        json_t *c = json_object_get(e, "count");
        if (!is_hex64(fp) || !json_is_integer(c) || json_integer_value(c) < 1) {
            problem = "an entry lacks a 'fingerprint' (64 hex digits) or a 'count' (at least 1)";
            break;
        }
        json_t *old = json_object_get(map, fp);
        json_object_set_new(map, fp, json_integer(json_integer_value(c) +
                                                  (old ? json_integer_value(old) : 0)));
    }
    json_decref(root);
    if (problem) {
        json_decref(map);
        error("baseline '%s' is not a ssolint baseline: %s; write it with --write-baseline", path,
              problem);
        return NULL;
    }
    return map;
}

int baseline_filter(const char *path, const struct report_opts *o)
{
    json_t *map = baseline_read(path);
    if (!map)
        return -1;
    for (size_t i = 0; i < findings_count(); i++) {
        struct finding *f = findings_get(i);
        if (f->flags & F_SUPPRESSED)
            continue;
        char fp[65];
        finding_fingerprint(f, tenant_of(f, o), fp);
        json_t *c = json_object_get(map, fp);
        if (!c || json_integer_value(c) < 1)
            continue;
        json_integer_set(c, json_integer_value(c) - 1);
        f->flags |= F_BASELINED;
    }
    json_decref(map);
    return 0;
}

struct bl_entry {
    char fp[65];
    const struct finding *f;
    long count;
};

static const char *who_of(const struct finding *f)
{
    const struct source *s = source_get(f->at.file);
    return f->identity ? f->identity : s && s->rel ? s->rel : "";
}

/* Readable order (rule, identity), then the fingerprint: equal keys end up adjacent. */
static int cmp_entry(const void *a, const void *b)
{
    const struct bl_entry *x = a, *y = b;
    int c = strcmp(rule_get(x->f->rule)->id, rule_get(y->f->rule)->id);
    if (!c)
        c = strcmp(who_of(x->f), who_of(y->f));
    return c ? c : strcmp(x->fp, y->fp);
}

static json_t *entry_json(const struct bl_entry *e, const struct report_opts *o)
{
    const struct finding *f = e->f;
    json_t *j = json_object();
    json_object_set_new(j, "rule", json_string(rule_get(f->rule)->id));
    json_object_set_new(j, "tenant", json_string(tenant_of(f, o)));
    if (f->identity) {
        json_object_set_new(j, "identity", json_string(f->identity));
    } else {
        const struct source *s = source_get(f->at.file);
        json_object_set_new(j, "path", json_string(s && s->rel ? s->rel : ""));
        json_object_set_new(j, "pointer", json_string(f->pointer ? f->pointer : ""));
    }
    if (f->value) {
        char h[65];
        sha256_hex(f->value, strlen(f->value), h);
        char *v = xasprintf("sha256:%s", h);
        json_object_set_new(j, "value", json_string(v));
        free(v);
    }
    json_object_set_new(j, "fingerprint", json_string(e->fp));
    json_object_set_new(j, "count", json_integer(e->count));
    return j;
}

int baseline_write(const char *path, const struct report_opts *o)
{
    size_t n = 0;
    struct bl_entry *es = xcalloc(findings_count() + 1, sizeof(*es));
    for (size_t i = 0; i < findings_count(); i++) {
        const struct finding *f = findings_get(i);
        if (f->flags & F_SUPPRESSED)
            continue;
        finding_fingerprint(f, tenant_of(f, o), es[n].fp);
        es[n].f = f;
        es[n++].count = 1;
    }
    /* one entry per key, in a stable order */
    if (n > 1)
        qsort(es, n, sizeof(*es), cmp_entry);
    json_t *list = json_array();
    for (size_t i = 0; i < n;) {
        size_t k = i + 1;
        while (k < n && !strcmp(es[k].fp, es[i].fp))
            k++;
        es[i].count = (long)(k - i);
        json_array_append_new(list, entry_json(&es[i], o));
        i = k;
    }
    free(es);
    json_t *root = json_object();
    json_object_set_new(root, "version", json_integer(BASELINE_VERSION));
    json_object_set_new(root, "tool", json_string("ssolint"));
    json_object_set_new(root, "entries", list);
    int rc = json_dump_file(root, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc < 0)
        return error("cannot write baseline '%s': %s", path, strerror(errno));
    return 0;
}
