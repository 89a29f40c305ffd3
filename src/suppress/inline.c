/* suppress/inline.c - inline suppressions: `# ssolint-disable-line RULE -- reason` and
 * `# ssolint-disable-next-line RULE -- reason` in YAML files, and
 * `// ssolint-disable-next-line RULE -- reason` (or -line) in Action code. RULE is an id
 * or a group, or a comma list of them.
 *
 * Only real comments count. YAML: a '#' at the start of a line or after a space or tab,
 * outside every scalar of the parsed document (the loader's positions give the scalars'
 * byte ranges, so a '#' inside a quoted or block scalar is text, not a comment). Action
 * code: the JavaScript tokenizer drops comments, so the comments are exactly the gaps
 * between its tokens; a "//" in a gap starts a line comment (a "/ *" block comment is
 * skipped). After a syntax error only the gaps before the error are trusted. */
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "load/js.h"
#include "report/report.h"
#include "rules/rules.h"
#include "suppress/suppress_int.h"
#include "base/util.h"

static const char *const words[] = {"ssolint-disable-line", "ssolint-disable-next-line"};

/* Where comment text sits: its file, and a map from text offsets to file offsets. */
struct where {
    int file;
    const char *text;         /* the text the offsets index */
    const struct offmap *map; /* NULL: text offsets are file offsets */
};

static uint64_t file_off(const struct where *w, size_t off)
{
    return w->map ? offmap_map(w->map, off) : off;
}

static void bad(const struct where *w, size_t s, size_t e, char *msg)
{
    struct finding *f = finding_add(rule_find("bad-suppression"), w->file, file_off(w, s),
                                    file_off(w, e), NULL);
    finding_arg(f, "problem", "%s", msg);
    free(msg);
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* A comment's text [cs, ce) of w->text, whose marker starts at mark. */
static void parse_comment(const struct where *w, size_t mark, size_t cs, size_t ce,
                          struct directives *out)
{
    const char *t = w->text;
    while (cs < ce && is_blank(t[cs]))
        cs++;
    if (ce - cs < 15 || (strncmp(t + cs, "ssolint-disable", 15) && strncmp(t + cs, "ssolint-enable", 14)))
        return;
    size_t we = cs;
    while (we < ce && !is_blank(t[we]))
        we++;
    int k = -1;
    for (int i = 0; i < 2; i++)
        if (we - cs == strlen(words[i]) && !strncmp(t + cs, words[i], we - cs))
            k = i;
    if (k < 0) {
        char *word = disp(t + cs, we - cs);
        bad(w, mark, we, xasprintf("unknown directive '%s'; write ssolint-disable-line or "
                                   "ssolint-disable-next-line", word));
        free(word);
        return;
    }
    GROW(out->d, out->cap, out->n + 1);
    struct directive *d = &out->d[out->n++];
    memset(d, 0, sizeof(*d));
    d->file = w->file;
    d->start = file_off(w, mark);
    d->end = file_off(w, we);
    d->word = words[k];
    struct pos p;
    source_pos(w->file, d->start, &p);
    d->line = p.line + (uint32_t)k;
    /* the rules run to "--" (or the end); the reason follows it */
    size_t re = we, rs;
    while (re < ce && !(t[re] == '-' && re + 1 < ce && t[re + 1] == '-' && is_blank(t[re - 1])))
        re++;
    rs = re < ce ? re + 2 : ce;
    while (rs < ce && (is_blank(t[rs]) || t[rs] == '\r'))
        rs++;
    size_t rend = ce;
    while (rend > rs && (is_blank(t[rend - 1]) || t[rend - 1] == '\r'))
        rend--;
    for (size_t i = we; i < re;) {
        while (i < re && (is_blank(t[i]) || t[i] == ',' || t[i] == '\r'))
            i++;
        size_t s = i;
        while (i < re && !is_blank(t[i]) && t[i] != ',' && t[i] != '\r')
            i++;
        if (i == s)
            continue;
        char *name = xstrndup(t + s, i - s);
        if (!rule_or_group_known(name)) {
            char *dn = disp(name, strlen(name));
            bad(w, s, i, xasprintf("unknown rule or group '%s' in '%s'%s (see --list-rules)", dn,
                                   d->word, rule_suggest(name)));
            free(dn);
            d->bad = 1;
        }
        d->rules = xrealloc(d->rules, (d->nrules + 1) * sizeof(*d->rules));
        d->rules[d->nrules++] = name;
    }
    if (!d->nrules) {
        bad(w, mark, we, xasprintf("'%s' names no rule; write the rule id after it", d->word));
        d->bad = 1;
    } else if (rend <= rs) {
        bad(w, mark, we, xasprintf("'%s' has no reason; write '-- REASON' after the rule "
                                   "(until then it suppresses nothing)", d->word));
        d->bad = 1;
    }
}

/* ---- YAML ---------------------------------------------------------------------------- */

struct range {
    uint64_t s, e;
};
struct ranges {
    struct range *r;
    size_t n, cap;
};

static void add_range(struct ranges *rs, const struct loc *l)
{
    if (!l || l->end <= l->start)
        return;
    GROW(rs->r, rs->cap, rs->n + 1);
    rs->r[rs->n].s = l->start;
    rs->r[rs->n++].e = l->end;
}

/* The byte ranges of every scalar below v. */
static void scalar_ranges(const struct doc *d, json_t *v, struct ranges *rs, int depth)
{
    if (depth > LOAD_MAX_DEPTH)
        return;
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) {
            if (json_is_object(x) || json_is_array(x))
                scalar_ranges(d, x, rs, depth + 1);
            else
                add_range(rs, doc_key(d, v, k));
        }
    } else if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            json_t *x = json_array_get(v, i);
            if (json_is_object(x) || json_is_array(x))
                scalar_ranges(d, x, rs, depth + 1);
            else
                add_range(rs, doc_index(d, v, i));
        }
    }
}

static int cmp_range(const void *a, const void *b)
{
    const struct range *x = a, *y = b;
    return x->s < y->s ? -1 : x->s > y->s;
}

static int in_scalar(const struct ranges *rs, uint64_t off)
{
    size_t lo = 0, hi = rs->n;
    while (lo < hi) { /* first range starting after off */
        size_t mid = (lo + hi) / 2;
        if (rs->r[mid].s <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i-- > 0;) { /* ranges do not nest, but be safe with a short look back */
        if (off < rs->r[i].e)
            return 1;
        if (lo - i > 8)
            break;
    }
    return 0;
}

static const struct doc *doc_of(const struct model *m, int file)
{
    if (m->cfg && m->cfg->file == file)
        return &m->cfg->doc;
    for (size_t i = 0; i < m->ntenants; i++)
        for (size_t k = 0; k < m->tenants[i].ndocs; k++)
            if (m->tenants[i].docs[k]->file == file)
                return m->tenants[i].docs[k];
    return NULL;
}

static int is_yaml(const char *path)
{
    size_t n = strlen(path);
    return (n > 5 && !strcmp(path + n - 5, ".yaml")) || (n > 4 && !strcmp(path + n - 4, ".yml"));
}

static void scan_yaml(const struct model *m, int id, struct directives *out)
{
    const struct source *s = source_get(id);
    const struct doc *d = doc_of(m, id);
    struct ranges rs = {NULL, 0, 0};
    if (d && d->root) {
        if (json_is_object(d->root) || json_is_array(d->root))
            scalar_ranges(d, d->root, &rs, 0);
        else
            add_range(&rs, &d->root_loc);
        if (rs.n > 1)
            qsort(rs.r, rs.n, sizeof(*rs.r), cmp_range);
    }
    struct where w = {id, s->text, NULL};
    for (size_t i = 0; i < s->len;) {
        size_t le = i;
        while (le < s->len && s->text[le] != '\n')
            le++;
        for (size_t k = i; k < le; k++)
            if (s->text[k] == '#' && (k == i || is_blank(s->text[k - 1])) && !in_scalar(&rs, k)) {
                parse_comment(&w, k, k + 1, le, out);
                break;
            }
        i = le + 1;
    }
    free(rs.r);
}

/* ---- Action code --------------------------------------------------------------------- */

/* The comments in code gap [s, e) (only whitespace and comments lie between tokens). */
static void scan_gap(const struct where *w, size_t s, size_t e, struct directives *out)
{
    const char *t = w->text;
    for (size_t i = s; i + 1 < e;) {
        if (t[i] == '/' && t[i + 1] == '*') {
            const char *close = NULL;
            for (size_t k = i + 2; k + 1 < e && !close; k++)
                if (t[k] == '*' && t[k + 1] == '/')
                    close = t + k;
            i = close ? (size_t)(close - t) + 2 : e;
        } else if (t[i] == '/' && t[i + 1] == '/') {
            size_t le = i + 2;
            while (le < e && t[le] != '\n')
                le++;
            parse_comment(w, i, i + 2, le, out);
            i = le;
        } else {
            i++;
        }
    }
}

static void scan_code(const struct action *a, struct directives *out)
{
    struct where w = {a->code_file, a->code, &a->code_map};
    size_t prev = 0;
    for (size_t i = 0; i < a->toks.n; i++) {
        scan_gap(&w, prev, a->toks.t[i].start, out);
        prev = a->toks.t[i].end;
    }
    if (a->syntax_ok)
        scan_gap(&w, prev, a->code_len, out);
}

void directives_scan(struct model *m, struct directives *out)
{
    for (int id = 0; id < source_count(); id++) {
        const struct source *s = source_get(id);
        if (s->text && s->reported && s->kind != SRC_RULES && is_yaml(s->path))
            scan_yaml(m, id, out);
    }
    for (size_t i = 0; i < m->ntenants; i++)
        for (size_t k = 0; k < m->tenants[i].nactions; k++) {
            const struct action *a = &m->tenants[i].actions[k];
            const struct source *s = source_get(a->code_file);
            if (a->code && s && s->reported && s->text)
                scan_code(a, out);
        }
}

void directives_free(struct directives *ds)
{
    for (size_t i = 0; i < ds->n; i++) {
        for (size_t k = 0; k < ds->d[i].nrules; k++)
            free(ds->d[i].rules[k]);
        free(ds->d[i].rules);
    }
    free(ds->d);
    memset(ds, 0, sizeof(*ds));
}
