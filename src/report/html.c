/* report/html.c - the `html` format: one self-contained page for the people who run the
 * contact centre, not only for developers. Inline CSS, no script, no network, no external
 * font. At the top, a summary in plain words (each rule's `impact:` sentences from its
 * rule file); then the findings grouped by tenant and rule with counts, each with its
 * message, its source line and the "How to fix" text of the rule's page. Messages,
 * source lines and notes are the same masked texts every format prints. The page's
 * Markdown is turned into HTML by hand (paragraphs, lists, code, bold): a Markdown
 * library for one section of trusted pages would be a dependency for little. */
#include <stdlib.h>
#include <string.h>

#include "report/machine.h"
#include "rules/rules.h"
#include "base/util.h"

static const char css[] =
    "body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;"
    "margin:0 auto;max-width:960px;padding:1em 1.5em;color:#1d2330;background:#fff}"
    "h1{font-size:1.6em;margin:.2em 0}h2{border-bottom:2px solid #dde3ec;padding-bottom:.2em;"
    "margin-top:1.6em}h3{font-size:1.1em;margin:1.2em 0 .4em}"
    ".totals{font-size:1.05em}.summary{background:#f4f7fb;border:1px solid #dde3ec;"
    "border-radius:6px;padding:.6em 1.2em}.summary li{margin:.3em 0}"
    ".sev{display:inline-block;min-width:4.5em;text-align:center;border-radius:3px;"
    "font-size:.8em;font-weight:600;padding:0 .4em;color:#fff;text-transform:uppercase}"
    ".error{background:#b42318}.warning{background:#b54708}.note{background:#175cd3}"
    ".count{color:#475467;font-weight:normal}.rule{border-left:4px solid #dde3ec;"
    "padding-left:1em;margin:1em 0}.fix{background:#ecfdf3;border:1px solid #abefc6;"
    "border-radius:6px;padding:.2em 1em;margin:.5em 0}.fix h4{margin:.4em 0}"
    "ol.findings{padding-left:1.4em}ol.findings li{margin:.8em 0}.loc{font-family:"
    "ui-monospace,Menlo,Consolas,monospace;font-size:.9em;color:#344054}"
    "pre{background:#f8f9fb;border:1px solid #e4e7ec;border-radius:4px;padding:.4em .6em;"
    "overflow-x:auto;font-size:.85em}code{font-family:ui-monospace,Menlo,Consolas,monospace;"
    "background:#f2f4f7;padding:0 .2em;border-radius:3px}.notes{color:#475467;margin:.2em 0}"
    "footer{margin-top:3em;color:#667085;font-size:.85em}";

static void esc(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n && s[i]; i++) {
        switch (s[i]) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(s[i], out);
        }
    }
}

static void escs(FILE *out, const char *s)
{
    esc(out, s, strlen(s));
}

/* One line of page Markdown: `code` and **bold**, the rest escaped. */
static void md_inline(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        const char *end;
        if (s[i] == '`' && (end = memchr(s + i + 1, '`', n - i - 1))) {
            fputs("<code>", out);
            esc(out, s + i + 1, (size_t)(end - s - i - 1));
            fputs("</code>", out);
            i = (size_t)(end - s) + 1;
        } else if (!strncmp(s + i, "**", 2) && i + 2 < n &&
                   (end = strstr(s + i + 2, "**")) && end < s + n) {
            fputs("<strong>", out);
            md_inline(out, s + i + 2, (size_t)(end - s - i - 2));
            fputs("</strong>", out);
            i = (size_t)(end - s) + 2;
        } else {
            esc(out, s + i, 1);
            i++;
        }
    }
}

/* The page's "## How to fix" section as HTML: paragraphs, "- " lists, ``` blocks. */
static void fix_html(FILE *out, const char *page)
{
    const char *p = strstr(page, "\n## How to fix\n");
    if (!p)
        return;
    p += strlen("\n## How to fix\n");
    const char *stop = strstr(p, "\n## ");
    if (!stop)
        stop = p + strlen(p);
    enum { NONE, PARA, LIST, CODE } in = NONE;
    static const char *const close[] = {"", "</p>\n", "</li></ul>\n", "</pre>\n"};
    fputs("<div class=\"fix\"><h4>How to fix</h4>\n", out);
    while (p < stop) {
        const char *nl = memchr(p, '\n', (size_t)(stop - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(stop - p);
        if (in == CODE && strncmp(p, "```", 3)) {
            esc(out, p, n);
            fputc('\n', out);
        } else if (!strncmp(p, "```", 3)) {
            fputs(close[in], out);
            fputs(in == CODE ? "" : "<pre>", out);
            in = in == CODE ? NONE : CODE;
        } else if (!n || !strncmp(p, "<!--", 4)) {
            fputs(close[in], out);
            in = NONE;
        } else if (!strncmp(p, "- ", 2)) {
            fputs(in == LIST ? "</li>\n<li>" : in == PARA ? "</p>\n<ul><li>" : "<ul><li>", out);
            in = LIST;
            md_inline(out, p + 2, n - 2);
        } else {
            fputs(in == NONE ? "<p>" : " ", out);
            in = in == NONE ? PARA : in;
            md_inline(out, p, n);
        }
        p += n + (nl ? 1 : 0);
    }
    fputs(close[in], out);
    fputs("</div>\n", out);
}

/* The rule's id, linked to its page when rule_url is set. */
static void rule_ref(FILE *out, const struct rule *r)
{
    char *url = rule_url(r->id);
    if (url) {
        fputs("<a href=\"", out);
        escs(out, url);
        fputs("\">", out);
    }
    fputs("<code>", out);
    escs(out, r->id);
    fputs(url ? "</code></a>" : "</code>", out);
    free(url);
}

/* A rule's impact sentence for n findings ({count} replaced), else its summary. */
static void impact(FILE *out, const struct rule *r, size_t n)
{
    const char *t = n == 1 ? r->impact_one : r->impact_other;
    if (!t) {
        fprintf(out, "%zu finding%s: ", n, n == 1 ? "" : "s");
        escs(out, r->summary);
        return;
    }
    const char *c;
    while ((c = strstr(t, "{count}"))) {
        esc(out, t, (size_t)(c - t));
        fprintf(out, "%zu", n);
        t = c + strlen("{count}");
    }
    escs(out, t);
}

static const char *sev_class(int sev)
{
    return sev == SEV_ERROR ? "error" : sev == SEV_WARNING ? "warning" : "note";
}

/* A finding and its place in the sorted list (the last sort key, so the order is stable). */
struct placed {
    const struct finding *f;
    size_t i;
};

/* Findings in report order: by tenant, then rule (errors first), then where they are. */
static int cmp_grouped(const void *a, const void *b)
{
    const struct placed *p = a, *q = b;
    const struct finding *x = p->f, *y = q->f;
    if (x->tenant != y->tenant)
        return x->tenant < y->tenant ? -1 : 1;
    if (x->severity != y->severity)
        return x->severity > y->severity ? -1 : 1;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1;
    return p->i < q->i ? -1 : p->i > q->i;
}

static void group(struct flist *l)
{
    struct placed *v = xcalloc(l->n ? l->n : 1, sizeof(*v));
    for (size_t i = 0; i < l->n; i++)
        v[i] = (struct placed){l->v[i], i};
    qsort(v, l->n, sizeof(*v), cmp_grouped);
    for (size_t i = 0; i < l->n; i++)
        l->v[i] = v[i].f;
    free(v);
}

static void finding_html(FILE *out, const struct finding *f, const struct report_opts *o)
{
    char *msg = finding_message(f);
    fputs("<li>", out);
    if (f->at.file >= 0) {
        fputs("<div class=\"loc\">", out);
        escs(out, display_path(f->at.file, o->cwd));
        if (f->at.p.line)
            fprintf(out, ":%u:%u", f->at.p.line, f->at.p.col);
        fputs("</div>", out);
    }
    fputs("<div class=\"msg\">", out);
    escs(out, msg);
    fputs("</div>\n", out);
    struct strbuf caret = STRBUF_INIT;
    char *line = f->at.file >= 0 && f->at.p.line
                     ? snippet_text(&f->at, f->snippet, f->snippet_off, &caret) : NULL;
    if (line) {
        fprintf(out, "<pre>%5u | ", f->at.p.line);
        escs(out, line);
        fputs("\n      | ", out);
        escs(out, sb_str(&caret));
        fputs("</pre>\n", out);
    }
    for (size_t k = 0; k < f->nrel; k++) {
        char *t = related_text(&f->rel[k]);
        fputs("<div class=\"notes\">note: ", out);
        if (f->rel[k].at.file >= 0) {
            escs(out, display_path(f->rel[k].at.file, o->cwd));
            fprintf(out, ":%u:%u: ", f->rel[k].at.p.line, f->rel[k].at.p.col);
        }
        escs(out, t);
        fputs("</div>\n", out);
        free(t);
    }
    fputs("</li>\n", out);
    free(line);
    sb_free(&caret);
    free(msg);
}

/* One rule's findings v[0..n) of one tenant: heading with the count, fix, list. */
static void rule_html(FILE *out, const struct finding **v, size_t n, const struct report_opts *o)
{
    const struct rule *r = rule_get(v[0]->rule);
    fprintf(out, "<section class=\"rule\"><h3><span class=\"sev %s\">%s</span> ",
            sev_class(v[0]->severity), severity_name(v[0]->severity));
    rule_ref(out, r);
    fputs(" ", out);
    escs(out, r->summary);
    fprintf(out, " <span class=\"count\">(%zu)</span></h3>\n", n);
    char *page = rule_page_text(r);
    if (page)
        fix_html(out, page);
    free(page);
    fputs("<ol class=\"findings\">\n", out);
    for (size_t i = 0; i < n; i++)
        finding_html(out, v[i], o);
    fputs("</ol></section>\n", out);
}

/* The summary: one sentence per rule with findings, errors first, larger counts first. */
static void summary_html(FILE *out, const struct flist *l)
{
    int nr = rule_count();
    size_t *count = xcalloc((size_t)(nr > 0 ? nr : 1), sizeof(*count));
    int *sev = xcalloc((size_t)(nr > 0 ? nr : 1), sizeof(*sev));
    for (size_t i = 0; i < l->n; i++) {
        count[l->v[i]->rule]++;
        if (l->v[i]->severity > sev[l->v[i]->rule])
            sev[l->v[i]->rule] = l->v[i]->severity;
    }
    fputs("<section class=\"summary\"><h2>What this means</h2>\n", out);
    if (!l->n)
        fputs("<p>No problems were found in the configuration.</p>\n", out);
    else
        fputs("<ul>\n", out);
    for (int s = SEV_ERROR; s >= SEV_NOTE; s--) {
        for (;;) {
            int best = -1;
            for (int r = 0; r < nr; r++)
                if (count[r] && sev[r] == s && (best < 0 || count[r] > count[best]))
                    best = r;
            if (best < 0)
                break;
            fprintf(out, "<li><span class=\"sev %s\">%s</span> ", sev_class(s), severity_name(s));
            impact(out, rule_get(best), count[best]);
            fputs("</li>\n", out);
            count[best] = 0;
        }
    }
    if (l->n)
        fputs("</ul>\n", out);
    fputs("</section>\n", out);
    free(count);
    free(sev);
}

int report_html(FILE *out, const struct report_opts *o)
{
    struct flist l;
    struct summary s;
    flist_build(&l, o);
    report_summary(&s);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>ssolint report</title>\n<style>", out);
    fputs(css, out);
    fputs("</style>\n</head>\n<body>\n<h1>Single sign-on configuration check</h1>\n", out);
    fprintf(out, "<p class=\"totals\"><strong>%zu error%s</strong>, %zu warning%s, %zu note%s",
            s.errors, s.errors == 1 ? "" : "s", s.warnings, s.warnings == 1 ? "" : "s",
            s.notes, s.notes == 1 ? "" : "s");
    if (l.dropped)
        fprintf(out, " (%zu more not shown: --max-per-rule)", l.dropped);
    fputs(".</p>\n", out);
    summary_html(out, &l);
    group(&l);
    for (size_t i = 0, j; i < l.n; i = j) {
        const char *t = tenant_name(o, l.v[i]->tenant);
        for (j = i; j < l.n && l.v[j]->tenant == l.v[i]->tenant; j++)
            ;
        fputs("<h2>", out);
        if (t) {
            fputs("Tenant ", out);
            escs(out, t);
        } else {
            fputs("Not tied to one tenant", out);
        }
        fprintf(out, " <span class=\"count\">(%zu finding%s)</span></h2>\n", j - i,
                j - i == 1 ? "" : "s");
        for (size_t a = i, b; a < j; a = b) {
            for (b = a; b < j && l.v[b]->rule == l.v[a]->rule; b++)
                ;
            rule_html(out, l.v + a, b - a, o);
        }
    }
    fprintf(out, "<footer>Made by ssolint %s. Each rule's page: "
                 "<code>ssolint --explain RULE</code>.</footer>\n</body>\n</html>\n",
            PACKAGE_VERSION);
    flist_free(&l);
    return ferror(out) ? error("cannot write the report") : 0;
}
