/* report/sarif.c - the `sarif` format: SARIF 2.1.0 for GitHub code scanning and other
 * viewers. One run: tool.driver.rules[] (the rules that ran, with their summary, the
 * page's introduction as fullDescription and the page as help), results with
 * root-relative URIs under %SRCROOT%, code-point regions, related locations for notes
 * and partialFingerprints "ssolint/v1" (finding_fingerprint). At most SARIF_MAX_RESULTS
 * results (GitHub's limit); run.properties.droppedResults says how many were left out. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "report/machine.h"
#include "rules/rules.h"
#include "base/util.h"

#define SARIF_MAX_RESULTS 25000
#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define FP_KEY "ssolint/v1"

/* Append s percent-encoded except unreserved characters and '/'. */
static void uri_encode(struct strbuf *sb, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p)) {
            sb_addc(sb, (char)*p);
        } else {
            sb_addc(sb, '%');
            sb_addc(sb, hex[*p >> 4]);
            sb_addc(sb, hex[*p & 15]);
        }
    }
}

static json_t *root_uri(const char *root, const char *cwd)
{
    struct strbuf sb = STRBUF_INIT;
    char *abs = realpath(root ? root : ".", NULL);
    if (!abs)
        abs = root && root[0] == '/' ? xstrdup(root) : xasprintf("%s/%s", cwd ? cwd : "", root ? root : ".");
    sb_adds(&sb, "file://");
    uri_encode(&sb, abs);
    if (!sb.len || sb.buf[sb.len - 1] != '/')
        sb_addc(&sb, '/');
    free(abs);
    json_t *j = json_object();
    json_object_set_new(j, "uri", jstr(sb_str(&sb)));
    sb_free(&sb);
    return j;
}

static json_t *text_md(const char *text, const char *md)
{
    json_t *j = json_object();
    json_object_set_new(j, "text", jstr(text));
    if (md)
        json_object_set_new(j, "markdown", jstr(md));
    return j;
}

/* The page without its HTML comments (the example markers). New string. */
static char *strip_comments(const char *p)
{
    struct strbuf sb = STRBUF_INIT;
    while (*p) {
        const char *c = strstr(p, "<!--");
        const char *e = c ? strstr(c, "-->") : NULL;
        if (!c || !e) {
            sb_adds(&sb, p);
            break;
        }
        sb_add(&sb, p, (size_t)(c - p));
        p = e + 3;
        if (*p == '\n' && (c == sb.buf || sb.len == 0 || sb.buf[sb.len - 1] == '\n'))
            p++;
    }
    while (sb.len && sb.buf[sb.len - 1] == '\n')
        sb.buf[--sb.len] = '\0';
    return sb_detach(&sb);
}

/* The page's introduction: the paragraphs after the title and the group/severity line,
 * up to the first section, joined into one line. New string or NULL. */
static char *page_intro(const char *page)
{
    struct strbuf sb = STRBUF_INIT;
    const char *p = page;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n >= 2 && !strncmp(p, "##", 2))
            break;
        if (n && p[0] != '#' && strncmp(p, "**Group:**", 10)) {
            if (sb.len)
                sb_addc(&sb, ' ');
            sb_add(&sb, p, n);
        }
        p += n + (nl ? 1 : 0);
    }
    if (!sb.len) {
        sb_free(&sb);
        return NULL;
    }
    return sb_detach(&sb);
}

static json_t *rule_json(const struct rule *r)
{
    json_t *j = json_object(), *cfg = json_object(), *props = json_object(), *tags = json_array();
    char *page = rule_page_text(r);
    json_object_set_new(j, "id", jstr(r->id));
    json_object_set_new(j, "shortDescription", text_md(r->summary, NULL));
    char *url = rule_url(r->id);
    if (url)
        json_object_set_new(j, "helpUri", jstr(url));
    free(url);
    if (page) {
        char *intro = page_intro(page), *help = strip_comments(page);
        json_object_set_new(j, "fullDescription",
                            text_md(intro ? intro : r->summary, intro ? intro : r->summary));
        json_object_set_new(j, "help", text_md(help, help));
        free(intro);
        free(help);
        free(page);
    } else {
        json_object_set_new(j, "fullDescription", text_md(r->summary, NULL));
        json_object_set_new(j, "help", text_md(r->summary, NULL));
    }
    const char *lvl = r->default_severity == SEV_ERROR     ? "error"
                      : r->default_severity == SEV_WARNING ? "warning"
                                                           : "note";
    json_object_set_new(cfg, "level", json_string(lvl));
    json_object_set_new(j, "defaultConfiguration", cfg);
    json_array_append_new(tags, jstr(r->group));
    json_object_set_new(props, "tags", tags);
    json_object_set_new(j, "properties", props);
    return j;
}

static json_t *physical(const struct span *at)
{
    json_t *pl = json_object(), *art = json_object();
    struct strbuf sb = STRBUF_INIT;
    uri_encode(&sb, rel_path(at->file));
    json_object_set_new(art, "uri", jstr(sb_str(&sb)));
    json_object_set_new(art, "uriBaseId", json_string("%SRCROOT%"));
    json_object_set_new(pl, "artifactLocation", art);
    sb_free(&sb);
    if (at->p.line > 0) {
        json_t *reg = json_object();
        json_object_set_new(reg, "startLine", json_integer(at->p.line));
        json_object_set_new(reg, "startColumn", json_integer(at->p.col ? at->p.col : 1));
        if (at->pe.line >= at->p.line && at->pe.col > 0) {
            json_object_set_new(reg, "endLine", json_integer(at->pe.line));
            json_object_set_new(reg, "endColumn", json_integer(at->pe.col));
        }
        json_object_set_new(pl, "region", reg);
    }
    return pl;
}

/* A finding's fix as SARIF's fixes[] (byte regions of the file; none for a gzip file,
 * whose offsets are in its inflated text, nor for a secret). NULL when there is none. */
static json_t *fixes_json(const struct finding *f)
{
    const struct source *s = source_get(f->at.file);
    if (!f->fix || !f->fix->nedits || !s || s->gzip || (f->flags & F_SECRET))
        return NULL;
    json_t *art = json_object(), *repl = json_array(), *change = json_object();
    json_t *fx = json_object(), *desc = json_object(), *fixes = json_array();
    struct strbuf sb = STRBUF_INIT;
    uri_encode(&sb, rel_path(f->at.file));
    json_object_set_new(art, "uri", jstr(sb_str(&sb)));
    json_object_set_new(art, "uriBaseId", json_string("%SRCROOT%"));
    sb_free(&sb);
    for (size_t i = 0; i < f->fix->nedits; i++) {
        const struct edit *e = &f->fix->edits[i];
        json_t *r = json_object(), *del = json_object(), *ins = json_object();
        json_object_set_new(del, "byteOffset", json_integer((json_int_t)e->start));
        json_object_set_new(del, "byteLength", json_integer((json_int_t)(e->end - e->start)));
        json_object_set_new(r, "deletedRegion", del);
        json_object_set_new(ins, "text", json_stringn(e->text, e->len));
        json_object_set_new(r, "insertedContent", ins);
        json_array_append_new(repl, r);
    }
    json_object_set_new(change, "artifactLocation", art);
    json_object_set_new(change, "replacements", repl);
    json_object_set_new(desc, "text", jstr(f->fix->title));
    json_object_set_new(fx, "description", desc);
    json_object_set_new(fx, "artifactChanges", json_pack("[o]", change));
    json_array_append_new(fixes, fx);
    return fixes;
}

static const char *level_of(int sev)
{
    return sev == SEV_ERROR ? "error" : sev == SEV_WARNING ? "warning" : "note";
}

static json_t *result_json(const struct finding *f, int index, const struct report_opts *o)
{
    json_t *j = json_object(), *msg = json_object(), *fps = json_object();
    char fp[65], *text = finding_message(f);
    json_object_set_new(j, "ruleId", jstr(rule_get(f->rule)->id));
    json_object_set_new(j, "ruleIndex", json_integer(index));
    json_object_set_new(j, "level", json_string(level_of(f->severity)));
    json_object_set_new(msg, "text", jstr(text));
    json_object_set_new(j, "message", msg);
    free(text);
    if (f->at.file >= 0) {
        json_t *locs = json_array(), *loc = json_object();
        json_object_set_new(loc, "physicalLocation", physical(&f->at));
        json_array_append_new(locs, loc);
        json_object_set_new(j, "locations", locs);
    }
    json_t *rel = json_array();
    for (size_t k = 0; k < f->nrel; k++) {
        if (f->rel[k].at.file < 0)
            continue;
        json_t *loc = json_object(), *m = json_object();
        char *t = related_text(&f->rel[k]);
        json_object_set_new(loc, "id", json_integer((json_int_t)k + 1));
        json_object_set_new(loc, "physicalLocation", physical(&f->rel[k].at));
        json_object_set_new(m, "text", jstr(t));
        json_object_set_new(loc, "message", m);
        json_array_append_new(rel, loc);
        free(t);
    }
    if (json_array_size(rel))
        json_object_set_new(j, "relatedLocations", rel);
    else
        json_decref(rel);
    finding_fingerprint(f, tenant_name(o, f->tenant), fp);
    json_object_set_new(fps, FP_KEY, json_string(fp));
    json_object_set_new(j, "partialFingerprints", fps);
    json_t *fixes = fixes_json(f);
    if (fixes)
        json_object_set_new(j, "fixes", fixes);
    return j;
}

struct items {
    const struct finding **v; /* the results, in order */
    const int *index;
    const struct report_opts *o;
};

static json_t *item(size_t i, void *ctx)
{
    const struct items *it = ctx;
    return result_json(it->v[i], it->index[it->v[i]->rule], it->o);
}

int report_sarif(FILE *out, const struct report_opts *o)
{
    struct flist l;
    int nr = rule_count();
    int *index = xcalloc((size_t)(nr > 0 ? nr : 1), sizeof(*index));
    json_t *root = json_object(), *run = json_object(), *tool = json_object();
    json_t *driver = json_object(), *rules = json_array();
    json_object_set_new(root, "$schema", json_string(SARIF_SCHEMA));
    json_object_set_new(root, "version", json_string("2.1.0"));
    json_object_set_new(driver, "name", json_string("ssolint"));
    json_object_set_new(driver, "version", json_string(PACKAGE_VERSION));
    json_object_set_new(driver, "semanticVersion", json_string(PACKAGE_VERSION));
    for (int i = 0, k = 0; i < nr; i++) {
        index[i] = -1;
        if (!rule_on(i))
            continue;
        index[i] = k++;
        json_array_append_new(rules, rule_json(rule_get(i)));
    }
    json_object_set_new(driver, "rules", rules);
    json_object_set_new(tool, "driver", driver);
    json_object_set_new(run, "tool", tool);
    json_t *bases = json_object();
    json_object_set_new(bases, "%SRCROOT%", root_uri(o->root, o->cwd));
    json_object_set_new(run, "originalUriBaseIds", bases);
    flist_build(&l, o);
    size_t dropped = l.dropped, nres = 0;
    const struct finding **res = xcalloc(l.n + 1, sizeof(*res));
    for (size_t i = 0; i < l.n; i++) {
        const struct finding *f = l.v[i];
        if (i >= SARIF_MAX_RESULTS || f->rule < 0 || f->rule >= nr || index[f->rule] < 0) {
            dropped++;
            continue;
        }
        res[nres++] = f;
    }
    json_object_set_new(run, "results", json_array()); /* streamed: keeps its place */
    json_object_set_new(run, "columnKind", json_string("unicodeCodePoints"));
    json_t *props = json_object();
    json_object_set_new(props, "droppedResults", json_integer((json_int_t)dropped));
    json_object_set_new(run, "properties", props);
    json_t *runs = json_array();
    json_array_append_new(runs, run);
    json_object_set_new(root, "runs", runs);
    struct items it = {res, index, o};
    int rc = json_write_stream(out, root, run, "results", nres, item, &it);
    free(res);
    flist_free(&l);
    free(index);
    return rc;
}
