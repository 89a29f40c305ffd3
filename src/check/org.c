/* check/org.c - helpers shared by the pattern and workers check functions (see
 * check/org.h). */
#include "check/org.h"

#include <stdlib.h>
#include <string.h>

#include "report/report.h"

int org_same(const struct tenant *a, const struct tenant *b)
{
    if (a == b || a->index == b->index)
        return 1;
    /* tenants not declared in .ssolint.yaml have no known organization */
    if (!a->cfg || !a->cfg->node || !b->cfg || !b->cfg->node)
        return 1;
    const char *oa = a->cfg ? a->cfg->organization : NULL;
    const char *ob = b->cfg ? b->cfg->organization : NULL;
    return oa && ob && *oa && !ascii_casecmp(oa, ob);
}

const char *tenant_label(const struct tenant *t)
{
    return t->cfg && t->cfg->name ? t->cfg->name : "default";
}

const char *org_label(const struct tenant *t)
{
    if (t->cfg && t->cfg->organization && *t->cfg->organization)
        return t->cfg->organization;
    return tenant_label(t);
}

int options_known(json_t *opts, const char *fn, const char *const *known, struct strbuf *err)
{
    const char *k;
    json_t *v;
    if (opts && !json_is_object(opts)) {
        sb_addf(err, "the %s check's options must be a mapping", fn);
        return -1;
    }
    json_object_foreach(opts, k, v)
    {
        const char *const *q;
        for (q = known; *q && strcmp(*q, k); q++)
            ;
        if (*q)
            continue;
        sb_addf(err, "the %s check has no option '%s' (", fn, k);
        for (q = known; *q; q++)
            sb_addf(err, "%s%s", q == known ? "" : ", ", *q);
        sb_addc(err, ')');
        return -1;
    }
    return 0;
}

int variants_prepare(json_t *opts, const char *fn, const char *const *names, struct strbuf *err)
{
    json_t *vs = json_object_get(opts, "variants");
    for (const char *const *n = names; *n; n++) {
        json_t *v = json_object_get(vs, *n);
        if (!json_is_string(json_object_get(v, "problem")) ||
            !json_is_string(json_object_get(v, "fix")) || json_object_size(v) != 2) {
            sb_addf(err, "the %s check needs options.variants.%s: {problem: TEXT, fix: TEXT}", fn,
                    *n);
            return -1;
        }
    }
    size_t n = 0;
    while (names[n])
        n++;
    if (json_object_size(vs) != n) {
        sb_addf(err, "the %s check's options.variants has an unknown variant (", fn);
        for (const char *const *q = names; *q; q++)
            sb_addf(err, "%s%s", q == names ? "" : ", ", *q);
        sb_addc(err, ')');
        return -1;
    }
    return 0;
}

void template_render(struct strbuf *sb, const char *t, const char *const *kv)
{
    while (*t) {
        const char *open = strchr(t, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!open || !close) {
            sb_adds(sb, t);
            return;
        }
        sb_add(sb, t, (size_t)(open - t));
        size_t n = (size_t)(close - open - 1);
        for (const char *const *p = kv; p[0]; p += 2)
            if (strlen(p[0]) == n && !strncmp(p[0], open + 1, n)) {
                sb_adds(sb, p[1] ? p[1] : "");
                break;
            }
        t = close + 1;
    }
}

void variants_apply(struct finding *f, json_t *opts, const char *name, const char *const *kv)
{
    if (!f)
        return;
    json_t *v = json_object_get(json_object_get(opts, "variants"), name);
    struct strbuf sb = STRBUF_INIT;
    template_render(&sb, json_string_value(json_object_get(v, "problem")), kv);
    finding_arg(f, "problem", "%s", sb_str(&sb));
    sb_reset(&sb);
    template_render(&sb, json_string_value(json_object_get(v, "fix")), kv);
    finding_arg(f, "fix", "%s", sb_str(&sb));
    sb_free(&sb);
}

char *fold_copy(const char *s, size_t n, int strip)
{
    char *r = xmalloc(n + 1), *o = r;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (strip && (c == ' ' || c == '_' || c == '-'))
            continue;
        *o++ = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    *o = '\0';
    return r;
}

uint64_t hash_lower(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a, then a splitmix64 finalizer */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        h = (h ^ c) * 0x100000001b3ull;
    }
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    return h ? h : 1;
}

json_t *doc_get(const struct doc *d, json_t *from, const char *pointer, const struct loc **l,
                int *unknown)
{
    struct record r;
    memset(&r, 0, sizeof(r));
    r.doc = d;
    r.obj = from;
    return record_get(&r, pointer, l, unknown);
}
