/* report/text.c - the text formats: `gcc` (the line contract every editor and CI
 * parses, cli.md) and `pretty` (the same lines with the source line and a caret under
 * the value, clang style), the message builder and the summary line. */
#include <stdlib.h>
#include <string.h>

#include "base/secret_text.h"
#include "report/report.h"
#include "rules/rules.h"
#include "base/util.h"

#define VALUE_MAX 60
#define ARG_MAX 200

const char *display_path(int file, const char *cwd)
{
    const struct source *s = source_get(file);
    if (!s)
        return "";
    const char *p = s->path;
    size_t n = cwd ? strlen(cwd) : 0;
    if (n && p[0] == '/' && strncmp(p, cwd, n) == 0) {
        if (n == 1)
            return p + 1;
        if (p[n] == '/')
            return p + n + 1;
    }
    if (p[0] == '.' && p[1] == '/' && p[2])
        return p + 2;
    return p;
}

static const struct farg *find_arg(const struct finding *f, const char *name, size_t n)
{
    for (size_t i = 0; i < f->nargs; i++)
        if (strlen(f->args[i].name) == n && !strncmp(f->args[i].name, name, n))
            return &f->args[i];
    return NULL;
}

char *finding_message(const struct finding *f)
{
    const char *t = rule_get(f->rule)->message;
    struct strbuf sb = STRBUF_INIT;
    while (*t) {
        const char *open = strchr(t, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!open || !close) {
            sb_adds(&sb, t);
            break;
        }
        sb_add(&sb, t, (size_t)(open - t));
        const char *name = open + 1;
        size_t n = (size_t)(close - name);
        if (n == 5 && !strncmp(name, "value", 5)) {
            if (f->flags & F_SECRET)
                sb_adds(&sb, "********");
            else if (f->value)
                sb_add_display(&sb, f->value, strlen(f->value), VALUE_MAX);
        } else {
            const struct farg *a = find_arg(f, name, n);
            if (a)
                sb_add_display(&sb, a->value, strlen(a->value), ARG_MAX);
        }
        t = close + 1;
    }
    return sb_detach(&sb);
}

static unsigned col_of(const struct pos *p, enum column_unit u)
{
    switch (u) {
    case COL_BYTE: return p->col_byte;
    case COL_UTF16: return p->col_u16;
    default: return p->col;
    }
}

static const char *sev_color(int sev)
{
    switch (sev) {
    case SEV_ERROR: return "\033[1;31m";
    case SEV_WARNING: return "\033[1;35m";
    default: return "\033[1;36m";
    }
}

static void print_head(FILE *out, const struct report_opts *o, const struct span *at, int sev,
                       const char *msg, const char *rule)
{
    const char *b = o->color ? "\033[1m" : "", *r = o->color ? "\033[0m" : "";
    if (at->file >= 0) {
        /* a control character in a file name must not break the one-line contract */
        struct strbuf path = STRBUF_INIT;
        const char *dp = display_path(at->file, o->cwd);
        sb_add_display(&path, dp, strlen(dp), (size_t)-1);
        fprintf(out, "%s%s:%u:%u:%s ", b, sb_str(&path), at->p.line, col_of(&at->p, o->unit), r);
        sb_free(&path);
    }
    else
        fprintf(out, "%sssolint:%s ", b, r);
    fprintf(out, "%s%s:%s %s", o->color ? sev_color(sev) : "", severity_name(sev), r, msg);
    if (rule)
        fprintf(out, " [%s]", rule);
    fputc('\n', out);
}

char *snippet_text(const struct span *at, const char *line, uint64_t line_off,
                   struct strbuf *caret)
{
    size_t len;
    const struct source *s = source_get(at->file);
    if (line) {
        len = strlen(line);
    } else {
        line = source_line(at->file, at->p.line, &len);
        if (!line)
            return NULL;
        line_off = (uint64_t)(line - s->text);
    }
    /* bytes of a known secret text, wherever it stands in the line */
    unsigned char *marks = xcalloc(len + 1, 1);
    int any = secret_text_mark(line, len, marks);
    struct strbuf sb = STRBUF_INIT;
    unsigned first = at->p.col, last = at->p.line == at->pe.line ? at->pe.col : 0;
    unsigned col = 1;
    size_t i = 0;
    while (i < len) {
        size_t l = utf8_seq_len((const unsigned char *)line + i, len - i);
        if (!l)
            l = 1;
        int masked = (any && marks[i]) ||
                     (s && s->nmasks && source_masked(at->file, line_off + i, line_off + i + l));
        unsigned char c = (unsigned char)line[i];
        if (masked)
            sb_addc(&sb, '*');
        else if (c == '\t')
            sb_addc(&sb, '\t');
        else if (c < 0x20 || c == 0x7f || (l == 1 && c >= 0x80))
            sb_addc(&sb, '?');
        else
            sb_add(&sb, line + i, l);
        char cc = c == '\t' ? '\t' : ' ';
        if (col == first)
            cc = '^';
        else if (col > first && (last ? col < last : 1))
            cc = '~';
        if (caret && (col < first || cc != ' '))
            sb_addc(caret, cc);
        col++;
        i += l;
    }
    if (caret && first >= col)
        sb_addc(caret, '^');
    free(marks);
    return sb_detach(&sb);
}

/* Print the source line of at with a caret under [p, pe). */
static void print_snippet(FILE *out, const struct report_opts *o, const struct span *at,
                          const char *line, uint64_t line_off)
{
    struct strbuf caret = STRBUF_INIT;
    char *text = snippet_text(at, line, line_off, &caret);
    if (!text)
        return;
    const char *g = o->color ? "\033[1;32m" : "", *r = o->color ? "\033[0m" : "";
    fprintf(out, "%5u | %s\n      | %s%s%s\n", at->p.line, text, g, sb_str(&caret), r);
    free(text);
    sb_free(&caret);
}

static void report_text(FILE *out, const struct report_opts *o, int pretty)
{
    int nr = rule_count();
    size_t *per = xcalloc((size_t)(nr > 0 ? nr : 1), sizeof(*per)); /* --max-per-rule */
    for (size_t i = 0; i < findings_count(); i++) {
        const struct finding *f = findings_get(i);
        if (f->flags & (F_SUPPRESSED | F_BASELINED))
            continue;
        if (o->max_per_rule >= 0 && f->rule >= 0 && f->rule < nr &&
            per[f->rule]++ >= (size_t)o->max_per_rule)
            continue;
        char *msg = finding_message(f);
        print_head(out, o, &f->at, f->severity, msg, rule_get(f->rule)->id);
        free(msg);
        if (pretty && f->at.file >= 0)
            print_snippet(out, o, &f->at, f->snippet, f->snippet_off);
        for (size_t k = 0; k < f->nrel; k++) {
            struct strbuf m = STRBUF_INIT;
            sb_add_display(&m, f->rel[k].msg, strlen(f->rel[k].msg), ARG_MAX);
            print_head(out, o, &f->rel[k].at, SEV_NOTE, sb_str(&m), NULL);
            sb_free(&m);
            if (pretty && f->rel[k].at.file >= 0 && !f->snippet)
                print_snippet(out, o, &f->rel[k].at, NULL, 0);
        }
    }
    free(per);
}

void report_gcc(FILE *out, const struct report_opts *o)
{
    report_text(out, o, 0);
}

void report_pretty(FILE *out, const struct report_opts *o)
{
    report_text(out, o, 1);
}

void report_summary(struct summary *s)
{
    memset(s, 0, sizeof(*s));
    for (size_t i = 0; i < findings_count(); i++) {
        const struct finding *f = findings_get(i);
        if (f->flags & (F_SUPPRESSED | F_BASELINED))
            continue;
        if (f->severity == SEV_ERROR)
            s->errors++;
        else if (f->severity == SEV_WARNING)
            s->warnings++;
        else if (f->severity == SEV_NOTE)
            s->notes++;
    }
}
