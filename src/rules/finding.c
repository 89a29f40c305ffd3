/* rules/finding.c - the findings store: compact records with offsets and arguments, made
 * by loaders and checks, sorted and turned into text only by the report stage. */
#include <stdlib.h>
#include <string.h>

#include "base/libcrypto_load.h"
#include "base/path.h"
#include "base/secret_text.h"
#include "report/report.h"
#include "rules/rules.h"
#include "base/util.h"

/* Findings live in chunks of CHUNK that never move (no doubling of one big array: at
 * 100,000 findings that wasted a third of the store and copied it on every growth);
 * findings_sort orders an array of pointers. */
#define CHUNK 4096
static struct finding **chunks;
static size_t nchunks, capchunks;
static struct finding **sorted; /* after findings_sort, findings_get's order */
static size_t capsorted;
static size_t nfs;
static int keep_snippets;

/* The strings of findings (pointer, identity, value, argument values, note texts) are
 * bump-allocated from blocks and freed together: a finding has half a dozen of them,
 * and a malloc each cost more in headers and rounding than the strings themselves. */
#define SBLOCK 65536
struct sblock {
    struct sblock *next;
    size_t used, cap;
    char data[];
};
static struct sblock *sblocks;

static char *fstr(const char *s, size_t n)
{
    struct sblock *b = sblocks;
    if (!b || b->cap - b->used < n + 1) {
        size_t cap = n + 1 > SBLOCK / 4 ? n + 1 : SBLOCK;
        b = xmalloc(sizeof(*b) + cap);
        b->used = 0;
        b->cap = cap;
        if (cap != SBLOCK && sblocks) { /* a big string: a block of its own, behind */
            b->next = sblocks->next;
            sblocks->next = b;
        } else {
            b->next = sblocks;
            sblocks = b;
        }
    }
    char *p = b->data + b->used;
    memcpy(p, s, n);
    p[n] = '\0';
    b->used += n + 1;
    return p;
}

/* The rules whose findings are about a secret value itself (their check functions
 * register secrets): their texts never quote the value, and their field names may
 * well be parts of it ('auth_token' of "some_auth_token"). */
static unsigned char *secret_rules;
static size_t nsecret_rules;

void findings_mark_secret_rule(int rule)
{
    if (rule < 0)
        return;
    if ((size_t)rule >= nsecret_rules) {
        size_t n = (size_t)rule + 1;
        secret_rules = xrealloc(secret_rules, n);
        memset(secret_rules + nsecret_rules, 0, n - nsecret_rules);
        nsecret_rules = n;
    }
    secret_rules[rule] = 1;
}

/* Is a text of f a possible part of a secret: f stands on a secret that its rule does
 * not describe (a substituted keyword, say)? */
static int parts_of(const struct finding *f)
{
    return (f->flags & F_SECRET) &&
           !((size_t)f->rule < nsecret_rules && secret_rules[f->rule]);
}

/* fstr of a text of finding f, any part of which may come from a secret
 * (base/secret_text.h): every text a finding takes goes through here. */
static char *fstr_scrubbed(const struct finding *f, const char *s, size_t n)
{
    struct strbuf sb = STRBUF_INIT;
    if (!s)
        return NULL;
    if (!secret_text_scrub(s, n, parts_of(f), &sb))
        return fstr(s, n);
    char *r = fstr(sb_str(&sb), sb.len);
    sb_free(&sb);
    return r;
}

static struct finding *at_index(size_t i)
{
    return &chunks[i / CHUNK][i % CHUNK];
}

#define SNIPPET_MAX 4096

void findings_keep_snippets(int on)
{
    keep_snippets = on;
}

/* Copy the line of w that holds off (at most SNIPPET_MAX bytes of it). */
static void take_snippet(struct finding *f, const struct textwin *w, uint64_t off)
{
    if (off < w->off || off > w->off + w->len)
        return;
    size_t rel = (size_t)(off - w->off), ls = rel, le = rel;
    /* a line longer than the limit has no snippet: look no further than that (a
     * finding on a 16 MB line must not cost a scan of the line) */
    while (ls > 0 && w->text[ls - 1] != '\n' && rel - ls <= SNIPPET_MAX)
        ls--;
    while (le < w->len && w->text[le] != '\n' && le - ls <= SNIPPET_MAX)
        le++;
    if (le > ls && w->text[le - 1] == '\r')
        le--;
    if (le - ls > SNIPPET_MAX)
        return;
    f->snippet = xstrndup(w->text + ls, le - ls);
    f->snippet_off = w->off + ls;
}

const char *severity_name(int sev)
{
    switch (sev) {
    case SEV_ERROR: return "error";
    case SEV_WARNING: return "warning";
    case SEV_NOTE: return "note";
    default: return "off";
    }
}

int severity_parse(const char *s)
{
    if (!strcmp(s, "error"))
        return SEV_ERROR;
    if (!strcmp(s, "warning"))
        return SEV_WARNING;
    if (!strcmp(s, "note"))
        return SEV_NOTE;
    if (!strcmp(s, "off"))
        return SEV_OFF;
    return -1;
}

void span_set(struct span *s, int file, uint64_t start, uint64_t end, const struct textwin *w)
{
    s->file = file;
    s->start = start;
    s->end = end < start ? start : end;
    if (w) {
        textwin_pos(w, s->start, &s->p);
        textwin_pos(w, s->end, &s->pe);
    } else if (!source_get(file) || !source_get(file)->text) {
        memset(&s->p, 0, sizeof(s->p)); /* deferred: findings_resolve */
        memset(&s->pe, 0, sizeof(s->pe));
    } else {
        source_pos(file, s->start, &s->p);
        source_pos(file, s->end, &s->pe);
    }
}

struct finding *finding_add(int rule, int file, uint64_t start, uint64_t end,
                            const struct textwin *w)
{
    if (rule < 0 || !rule_on(rule))
        return NULL;
    struct source *src = source_get(file);
    if (src && !src->reported)
        return NULL;
    if (nfs / CHUNK == nchunks) {
        GROW(chunks, capchunks, nchunks + 1);
        chunks[nchunks++] = xmalloc(CHUNK * sizeof(**chunks));
    }
    struct finding *f = at_index(nfs++);
    memset(f, 0, sizeof(*f));
    if (sorted) { /* made after the sort: it comes last, as it was made */
        GROW(sorted, capsorted, nfs);
        sorted[nfs - 1] = f;
    }
    f->rule = rule;
    f->seq = nfs - 1;
    f->severity = rule_get(rule)->severity;
    f->tenant = src ? src->tenant : -1;
    span_set(&f->at, file, start, end, w);
    if (source_masked(file, start, end))
        f->flags |= F_SECRET;
    if (keep_snippets && w && !(src && src->text))
        take_snippet(f, w, start);
    return f;
}

void finding_arg(struct finding *f, const char *name, const char *fmt, ...)
{
    if (!f)
        return;
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    f->args = xrealloc(f->args, (f->nargs + 1) * sizeof(*f->args));
    f->args[f->nargs].name = name;
    f->args[f->nargs].value = fstr_scrubbed(f, sb_str(&sb), sb.len);
    sb_free(&sb);
    f->nargs++;
}

void finding_value(struct finding *f, const char *v, size_t n, int secret)
{
    if (!f)
        return;
    f->value = fstr(v, n); /* kept whole: hashed for fingerprints, never printed if secret */
    struct strbuf sb = STRBUF_INIT;
    if (secret || secret_text_scrub(v, n, parts_of(f), &sb))
        f->flags |= F_SECRET;
    sb_free(&sb);
}

void finding_note(struct finding *f, int file, uint64_t start, uint64_t end,
                  const struct textwin *w, const char *fmt, ...)
{
    if (!f)
        return;
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    f->rel = xrealloc(f->rel, (f->nrel + 1) * sizeof(*f->rel));
    span_set(&f->rel[f->nrel].at, file, start, end, w);
    f->rel[f->nrel].msg = fstr_scrubbed(f, sb_str(&sb), sb.len);
    sb_free(&sb);
    f->nrel++;
}

void finding_set_identity(struct finding *f, int tenant, const char *identity)
{
    if (!f)
        return;
    if (tenant >= 0)
        f->tenant = tenant;
    f->identity = identity ? fstr_scrubbed(f, identity, strlen(identity)) : NULL;
}

void finding_set_pointer(struct finding *f, const char *pointer)
{
    if (!f)
        return;
    f->pointer = pointer ? fstr_scrubbed(f, pointer, strlen(pointer)) : NULL;
}

/* Scrub a text of f already in the store: replaced only when it held a secret. */
static int rescrub(const struct finding *f, char **p)
{
    struct strbuf sb = STRBUF_INIT;
    int hit = *p && secret_text_scrub(*p, strlen(*p), parts_of(f), &sb);
    if (hit)
        *p = fstr(sb_str(&sb), sb.len);
    sb_free(&sb);
    return hit;
}

void findings_scrub(void)
{
    if (!secret_text_count())
        return;
    for (size_t i = 0; i < nfs; i++) {
        struct finding *f = at_index(i);
        for (size_t k = 0; k < f->nargs; k++)
            rescrub(f, &f->args[k].value);
        for (size_t k = 0; k < f->nrel; k++)
            rescrub(f, &f->rel[k].msg);
        rescrub(f, &f->identity);
        rescrub(f, &f->pointer);
        char *v = f->value; /* kept whole (finding_value) */
        if (rescrub(f, &v))
            f->flags |= F_SECRET;
    }
}

size_t findings_count(void)
{
    return nfs;
}

struct finding *findings_get(size_t i)
{
    if (i >= nfs)
        return NULL;
    return sorted ? sorted[i] : at_index(i);
}

static int cmp_finding(const void *a, const void *b)
{
    const struct finding *x = *(struct finding *const *)a, *y = *(struct finding *const *)b;
    const struct source *sx = source_get(x->at.file), *sy = source_get(y->at.file);
    int c = strcmp(sx ? sx->path : "", sy ? sy->path : "");
    if (c)
        return c;
    if (x->at.p.line != y->at.p.line)
        return x->at.p.line < y->at.p.line ? -1 : 1;
    if (x->at.p.col != y->at.p.col)
        return x->at.p.col < y->at.p.col ? -1 : 1;
    c = strcmp(rule_get(x->rule)->id, rule_get(y->rule)->id);
    if (c)
        return c;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void findings_sort(void)
{
    if (!sorted) {
        GROW(sorted, capsorted, nfs ? nfs : 1);
        for (size_t i = 0; i < nfs; i++)
            sorted[i] = at_index(i);
    }
    if (nfs > 1)
        qsort(sorted, nfs, sizeof(*sorted), cmp_finding);
}

void findings_free(void)
{
    for (size_t i = 0; i < nfs; i++) {
        struct finding *f = at_index(i);
        free(f->snippet);
        free(f->args);
        free(f->rel);
    }
    fixes_free();
    for (size_t i = 0; i < nchunks; i++)
        free(chunks[i]);
    while (sblocks) {
        struct sblock *b = sblocks;
        sblocks = b->next;
        free(b);
    }
    free(chunks);
    free(sorted);
    free(secret_rules);
    secret_rules = NULL;
    nsecret_rules = 0;
    chunks = sorted = NULL;
    nfs = nchunks = capchunks = capsorted = 0;
}

void sha256_hex(const void *data, size_t n, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    static const char hex[] = "0123456789abcdef";
    const char *why;
    const struct libcrypto *c = libcrypto_get(&why); /* opened by the first fingerprint */
    if (!c)
        die("cannot open %s for the SHA-256 of fingerprints: %s", libcrypto_name(), why);
    if (!c->EVP_Digest(data, n, md, &len, c->EVP_sha256(), NULL))
        die("SHA-256 is not available");
    for (unsigned int i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
}

void finding_fingerprint(const struct finding *f, const char *tenant, char out[65])
{
    char vh[65];
    const char *v = f->value ? f->value : "";
    sha256_hex(v, strlen(v), vh);
    struct strbuf sb = STRBUF_INIT;
    const struct source *s = source_get(f->at.file);
    sb_adds(&sb, rule_get(f->rule)->id);
    sb_addc(&sb, '\n');
    sb_adds(&sb, tenant ? tenant : "");
    sb_addc(&sb, '\n');
    if (f->identity) {
        sb_adds(&sb, f->identity);
    } else {
        sb_adds(&sb, s && s->rel ? s->rel : "");
        sb_addc(&sb, '#');
        sb_adds(&sb, f->pointer ? f->pointer : "");
    }
    sb_addc(&sb, '\n');
    sb_adds(&sb, vh);
    sha256_hex(sb.buf, sb.len, out);
    sb_free(&sb);
}

void findings_blocked(void)
{
    static const struct pos first = {1, 1, 1, 1};
    int outside = rule_find("path-outside-root"), special = rule_find("not-a-regular-file");
    for (int id = 0; id < source_count(); id++) {
        const struct source *s = source_get(id);
        if (!s->blocked)
            continue;
        struct finding *f = finding_add(s->blocked == PATH_OUTSIDE ? outside : special, id, 0,
                                        0, NULL);
        if (!f)
            continue;
        f->at.p = f->at.pe = first; /* never findings_resolve: the file is not read */
        finding_arg(f, "detail", "%s", path_refusal(s->path, (enum path_verdict)s->blocked));
    }
}
