/* finding.c - the findings store: compact records with offsets and arguments, made
 * by loaders and checks, sorted and turned into text only by the report stage. */
#include <stdlib.h>
#include <string.h>

#include "libcrypto_load.h"
#include "report.h"
#include "rules.h"
#include "util.h"

static struct finding *fs;
static size_t nfs, capfs;
static int keep_snippets;

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
    while (ls > 0 && w->text[ls - 1] != '\n')
        ls--;
    while (le < w->len && w->text[le] != '\n')
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
    GROW(fs, capfs, nfs + 1);
    struct finding *f = &fs[nfs++];
    memset(f, 0, sizeof(*f));
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
    f->args[f->nargs].value = sb_detach(&sb);
    f->nargs++;
}

void finding_value(struct finding *f, const char *v, size_t n, int secret)
{
    if (!f)
        return;
    free(f->value);
    f->value = xstrndup(v, n);
    if (secret)
        f->flags |= F_SECRET;
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
    f->rel[f->nrel].msg = sb_detach(&sb);
    f->nrel++;
}

void finding_set_identity(struct finding *f, int tenant, const char *identity)
{
    if (!f)
        return;
    if (tenant >= 0)
        f->tenant = tenant;
    free(f->identity);
    f->identity = identity ? xstrdup(identity) : NULL;
}

void finding_set_pointer(struct finding *f, const char *pointer)
{
    if (!f)
        return;
    free(f->pointer);
    f->pointer = pointer ? xstrdup(pointer) : NULL;
}

size_t findings_count(void)
{
    return nfs;
}

struct finding *findings_get(size_t i)
{
    return i < nfs ? &fs[i] : NULL;
}

static int cmp_finding(const void *a, const void *b)
{
    const struct finding *x = a, *y = b;
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
    if (nfs > 1)
        qsort(fs, nfs, sizeof(*fs), cmp_finding);
}

void findings_free(void)
{
    for (size_t i = 0; i < nfs; i++) {
        struct finding *f = &fs[i];
        free(f->pointer);
        free(f->identity);
        free(f->value);
        free(f->snippet);
        for (size_t k = 0; k < f->nargs; k++)
            free(f->args[k].value);
        free(f->args);
        for (size_t k = 0; k < f->nrel; k++)
            free(f->rel[k].msg);
        free(f->rel);
    }
    free(fs);
    fs = NULL;
    nfs = capfs = 0;
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
