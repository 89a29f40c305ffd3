/* report/json.c - the `json` format (doc/json-format.md, version 1): every finding with
 * its rule, severity, message, root-relative file, code-point positions, JSON pointer,
 * tenant, resource identity, stable fingerprint and related notes, then a summary. The
 * offending value is never written (a secret's message already says ********). */
#include <stdlib.h>

#include "report/machine.h"
#include "rules/rules.h"
#include "base/util.h"

#define JSON_FORMAT_VERSION 1

static json_t *jnum_or_null(int has, unsigned v)
{
    return has ? json_integer((json_int_t)v) : json_null();
}

static json_t *jstr_or_null(const char *s)
{
    return s ? jstr(s) : json_null();
}

static json_t *related_json(const struct related *r)
{
    json_t *o = json_object();
    int has = r->at.file >= 0 && r->at.p.line > 0;
    char *m = related_text(r);
    json_object_set_new(o, "file", r->at.file >= 0 ? jstr(rel_path(r->at.file)) : json_null());
    json_object_set_new(o, "line", jnum_or_null(has, r->at.p.line));
    json_object_set_new(o, "column", jnum_or_null(has, r->at.p.col));
    json_object_set_new(o, "message", jstr(m));
    free(m);
    return o;
}

static json_t *finding_json(const struct finding *f, const struct report_opts *o)
{
    json_t *j = json_object();
    const char *tenant = tenant_name(o, f->tenant);
    char fp[65], *msg = finding_message(f);
    int has = f->at.file >= 0 && f->at.p.line > 0;
    finding_fingerprint(f, tenant, fp);
    json_object_set_new(j, "rule", jstr(rule_get(f->rule)->id));
    json_object_set_new(j, "severity", jstr(severity_name(f->severity)));
    json_object_set_new(j, "message", jstr(msg));
    json_object_set_new(j, "file", f->at.file >= 0 ? jstr(rel_path(f->at.file)) : json_null());
    json_object_set_new(j, "line", jnum_or_null(has, f->at.p.line));
    json_object_set_new(j, "column", jnum_or_null(has, f->at.p.col));
    json_object_set_new(j, "end_line", jnum_or_null(has, f->at.pe.line));
    json_object_set_new(j, "end_column", jnum_or_null(has, f->at.pe.col));
    json_object_set_new(j, "pointer", jstr_or_null(f->pointer));
    json_object_set_new(j, "tenant", jstr_or_null(tenant));
    json_object_set_new(j, "identity", jstr_or_null(f->identity));
    json_object_set_new(j, "fingerprint", jstr(fp));
    json_t *rel = json_array();
    for (size_t k = 0; k < f->nrel; k++)
        json_array_append_new(rel, related_json(&f->rel[k]));
    json_object_set_new(j, "related", rel);
    free(msg);
    return j;
}

struct items {
    const struct flist *l;
    const struct report_opts *o;
};

static json_t *item(size_t i, void *ctx)
{
    const struct items *it = ctx;
    return finding_json(it->l->v[i], it->o);
}

int report_json(FILE *out, const struct report_opts *o)
{
    struct flist l;
    struct summary s;
    flist_build(&l, o);
    report_summary(&s);
    s.files = 0;
    for (int id = 0; id < source_count(); id++)
        s.files += (size_t)file_checked(id);

    json_t *root = json_object(), *tool = json_object();
    json_object_set_new(root, "version", json_integer(JSON_FORMAT_VERSION));
    json_object_set_new(tool, "name", json_string("ssolint"));
    json_object_set_new(tool, "version", json_string(PACKAGE_VERSION));
    json_object_set_new(root, "tool", tool);
    json_object_set_new(root, "findings", json_array()); /* streamed: keeps its place */
    json_t *sum = json_object();
    json_object_set_new(sum, "errors", json_integer((json_int_t)s.errors));
    json_object_set_new(sum, "warnings", json_integer((json_int_t)s.warnings));
    json_object_set_new(sum, "notes", json_integer((json_int_t)s.notes));
    json_object_set_new(sum, "files", json_integer((json_int_t)s.files));
    json_object_set_new(sum, "dropped", json_integer((json_int_t)l.dropped));
    json_object_set_new(root, "summary", sum);
    struct items it = {&l, o};
    int rc = json_write_stream(out, root, root, "findings", l.n, item, &it);
    flist_free(&l);
    return rc;
}
