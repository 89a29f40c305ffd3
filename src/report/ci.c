/* report/ci.c - the CI formats: `github` (workflow commands that become annotations),
 * `junit` (JUnit XML for test-report views) and `gitlab` (GitLab Code Quality JSON). */
#include <stdlib.h>
#include <string.h>

#include "report/machine.h"
#include "rules/rules.h"
#include "base/util.h"

/* GitHub shows at most 10 annotations of a kind (error, warning, notice) per step. */
#define GITHUB_PER_KIND 10

/* ---- github ---- */

/* Escape as GitHub's toolkit does: data escapes % \r \n; properties also : and ,. */
static void gh_escape(FILE *out, const char *s, int property)
{
    for (; *s; s++) {
        switch (*s) {
        case '%': fputs("%25", out); break;
        case '\r': fputs("%0D", out); break;
        case '\n': fputs("%0A", out); break;
        case ':': fputs(property ? "%3A" : ":", out); break;
        case ',': fputs(property ? "%2C" : ",", out); break;
        default:
            /* other control characters (an ESC in a file name) never reach the log raw;
             * messages are already escaped by finding_message */
            if ((unsigned char)*s < 0x20 || *s == 0x7f)
                fprintf(out, "%%%02X", (unsigned char)*s);
            else
                fputc(*s, out);
        }
    }
}

static const char *gh_kind(int sev)
{
    return sev == SEV_ERROR ? "error" : sev == SEV_WARNING ? "warning" : "notice";
}

static unsigned col_in(const struct pos *p, enum column_unit u)
{
    return u == COL_BYTE ? p->col_byte : u == COL_UTF16 ? p->col_u16 : p->col;
}

static void gh_annotation(FILE *out, const struct finding *f, const struct report_opts *o)
{
    char *msg = finding_message(f);
    const struct span *at = &f->at;
    fprintf(out, "::%s ", gh_kind(f->severity));
    if (at->file >= 0) {
        fputs("file=", out);
        gh_escape(out, display_path(at->file, o->cwd), 1);
        if (at->p.line > 0) {
            fprintf(out, ",line=%u,col=%u", at->p.line, col_in(&at->p, o->unit));
            if (at->pe.line >= at->p.line)
                fprintf(out, ",endLine=%u", at->pe.line);
            if (at->pe.line == at->p.line && at->pe.col > at->p.col)
                fprintf(out, ",endColumn=%u", col_in(&at->pe, o->unit));
        }
        fputc(',', out);
    }
    fputs("title=", out);
    gh_escape(out, rule_get(f->rule)->id, 1);
    fputs("::", out);
    gh_escape(out, msg, 0);
    char *url = rule_url(rule_get(f->rule)->id);
    if (url) { /* annotations have no link field: the page goes after the message */
        gh_escape(out, " (", 0);
        gh_escape(out, url, 0);
        gh_escape(out, ")", 0);
    }
    fputc('\n', out);
    free(url);
    free(msg);
}

int report_github(FILE *out, const struct report_opts *o)
{
    struct flist l;
    int nr = rule_count();
    /* per rule: shown per kind (note, warning, error), hidden, and the kind to use */
    size_t (*shown)[3] = xcalloc((size_t)(nr > 0 ? nr : 1), sizeof(*shown));
    size_t *hidden = xcalloc((size_t)(nr > 0 ? nr : 1), sizeof(*hidden));
    int *hidden_sev = xcalloc((size_t)(nr > 0 ? nr : 1), sizeof(*hidden_sev));
    flist_build(&l, o);
    for (size_t i = 0; i < l.n; i++) {
        const struct finding *f = l.v[i];
        int k = f->severity == SEV_ERROR ? 2 : f->severity == SEV_WARNING ? 1 : 0;
        if (shown[f->rule][k] >= GITHUB_PER_KIND) {
            hidden[f->rule]++;
            if (f->severity > hidden_sev[f->rule])
                hidden_sev[f->rule] = f->severity;
            continue;
        }
        shown[f->rule][k]++;
        gh_annotation(out, f, o);
    }
    for (int r = 0; r < nr; r++) {
        if (!hidden[r])
            continue;
        const char *id = rule_get(r)->id;
        fprintf(out, "::%s title=", gh_kind(hidden_sev[r]));
        gh_escape(out, id, 1);
        fprintf(out, "::... and %zu more %s finding%s not shown here (GitHub shows %d of a kind)\n",
                hidden[r], id, hidden[r] == 1 ? "" : "s", GITHUB_PER_KIND);
    }
    flist_free(&l);
    free(shown);
    free(hidden);
    free(hidden_sev);
    return ferror(out) ? error("cannot write the report") : 0;
}

/* ---- junit ---- */

/* s made displayable (controls and bad UTF-8 escaped), then XML-escaped. */
static void xml_text(FILE *out, const char *s)
{
    struct strbuf sb = STRBUF_INIT;
    sb_add_display(&sb, s, strlen(s), (size_t)-1);
    for (const char *p = sb_str(&sb); *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default:
            /* U+FFFE and U+FFFF are not XML characters */
            if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBF &&
                ((unsigned char)p[2] == 0xBE || (unsigned char)p[2] == 0xBF)) {
                fputs("\\ufff", out);
                fputc(p[2] == (char)0xBE ? 'e' : 'f', out);
                p += 2;
            } else {
                fputc(*p, out);
            }
        }
    }
    sb_free(&sb);
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(rel_path(*(const int *)a), rel_path(*(const int *)b));
}

/* The files of the report: every file checked and every file a finding names, sorted
 * by root-relative path. */
static int *junit_files(const struct flist *l, size_t *n)
{
    int ns = source_count();
    char *in = xcalloc((size_t)(ns > 0 ? ns : 1), 1);
    int *v = xcalloc((size_t)(ns > 0 ? ns : 1), sizeof(*v));
    for (int id = 0; id < ns; id++)
        in[id] = (char)file_checked(id);
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i]->at.file >= 0 && l->v[i]->at.file < ns)
            in[l->v[i]->at.file] = 1;
    *n = 0;
    for (int id = 0; id < ns; id++)
        if (in[id])
            v[(*n)++] = id;
    qsort(v, *n, sizeof(*v), cmp_path);
    free(in);
    return v;
}

static void junit_failure(FILE *out, const struct finding *f, const struct report_opts *o)
{
    char *msg = finding_message(f);
    fputs("      <failure type=\"", out);
    fputs(severity_name(f->severity), out);
    fputs("\" message=\"", out);
    xml_text(out, msg);
    fputs("\">", out);
    struct strbuf sb = STRBUF_INIT;
    if (f->at.file >= 0)
        sb_addf(&sb, "%s:%u:%u: ", display_path(f->at.file, o->cwd), f->at.p.line,
                col_in(&f->at.p, o->unit));
    sb_adds(&sb, msg);
    xml_text(out, sb_str(&sb));
    fputs("</failure>\n", out);
    sb_free(&sb);
    free(msg);
}

/* The findings of rule r in file (file -1: findings without a file), in sorted order. */
static void select_findings(struct flist *sub, const struct flist *l, int r, int file)
{
    size_t cap = 0;
    memset(sub, 0, sizeof(*sub));
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i]->rule == r && (file < 0 ? l->v[i]->at.file < 0 : l->v[i]->at.file == file)) {
            GROW(sub->v, cap, sub->n + 1);
            sub->v[sub->n++] = l->v[i];
        }
}

/* One testcase: rule r on one file (-1: the findings without a file, only when some).
 * Adds to *tests and *failing; prints when out is not NULL. */
static void junit_case(FILE *out, int r, int file, const struct flist *l, size_t *tests,
                       size_t *failing, const struct report_opts *o)
{
    struct flist sub;
    select_findings(&sub, l, r, file);
    if (file < 0 && !sub.n)
        return;
    (*tests)++;
    *failing += sub.n > 0;
    if (out) {
        fputs("    <testcase classname=\"", out);
        xml_text(out, rule_get(r)->id);
        fputs("\" name=\"", out);
        xml_text(out, file < 0 ? "ssolint" : display_path(file, o->cwd));
        fputs(sub.n ? "\">\n" : "\"/>\n", out);
        for (size_t i = 0; i < sub.n; i++)
            junit_failure(out, sub.v[i], o);
        if (sub.n)
            fputs("    </testcase>\n", out);
    }
    flist_free(&sub);
}

/* One testsuite per rule that ran: a testcase per file, a failure per finding. */
static void junit_suite(FILE *out, int r, const int *files, size_t nfiles, const struct flist *l,
                        size_t *tests, size_t *failing, const struct report_opts *o)
{
    size_t t = 0, f = 0;
    for (size_t k = 0; k < nfiles; k++)
        junit_case(NULL, r, files[k], l, &t, &f, o);
    junit_case(NULL, r, -1, l, &t, &f, o);
    *tests += t;
    *failing += f;
    if (!out)
        return;
    fputs("  <testsuite name=\"", out);
    xml_text(out, rule_get(r)->id);
    fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n", t, f);
    t = f = 0;
    for (size_t k = 0; k < nfiles; k++)
        junit_case(out, r, files[k], l, &t, &f, o);
    junit_case(out, r, -1, l, &t, &f, o);
    fputs("  </testsuite>\n", out);
}

int report_junit(FILE *out, const struct report_opts *o)
{
    struct flist l;
    size_t nfiles, tests = 0, failing = 0;
    flist_build(&l, o);
    int *files = junit_files(&l, &nfiles);
    for (int r = 0; r < rule_count(); r++)
        if (rule_on(r))
            junit_suite(NULL, r, files, nfiles, &l, &tests, &failing, o);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out, "<testsuites name=\"ssolint\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
            tests, failing);
    for (int r = 0; r < rule_count(); r++)
        if (rule_on(r))
            junit_suite(out, r, files, nfiles, &l, &tests, &failing, o);
    fputs("</testsuites>\n", out);
    free(files);
    flist_free(&l);
    return ferror(out) ? error("cannot write the report") : 0;
}

/* ---- gitlab ---- */

struct gl_items {
    const struct flist *l;
    const struct report_opts *o;
};

static json_t *gitlab_item(size_t i, void *ctx)
{
    const struct gl_items *it = ctx;
    const struct finding *f = it->l->v[i];
    json_t *j = json_object(), *loc = json_object(), *lines = json_object();
    char fp[65], *msg = finding_message(f);
    finding_fingerprint(f, tenant_name(it->o, f->tenant), fp);
    json_object_set_new(j, "description", jstr(msg));
    json_object_set_new(j, "check_name", jstr(rule_get(f->rule)->id));
    json_object_set_new(j, "fingerprint", json_string(fp));
    json_object_set_new(j, "severity", json_string(f->severity == SEV_ERROR     ? "major"
                                                   : f->severity == SEV_WARNING ? "minor"
                                                                                : "info"));
    json_object_set_new(loc, "path", jstr(f->at.file >= 0 ? rel_path(f->at.file) : "."));
    json_object_set_new(lines, "begin", json_integer(f->at.p.line > 0 ? f->at.p.line : 1));
    json_object_set_new(loc, "lines", lines);
    json_object_set_new(j, "location", loc);
    free(msg);
    return j;
}

int report_gitlab(FILE *out, const struct report_opts *o)
{
    struct flist l;
    flist_build(&l, o);
    struct gl_items it = {&l, o};
    int rc = json_write_stream(out, json_array(), NULL, NULL, l.n, gitlab_item, &it);
    flist_free(&l);
    return rc;
}
