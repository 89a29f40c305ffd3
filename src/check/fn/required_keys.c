/* check/fn/required_keys.c - the `required-keys` check function: an object, when present, must have
 * some keys (attribute-mapping-missing). Options:
 *
 *   in: flex-sso                  # a record kind (check.h)
 *   pointer: /attribute_mapping   # the object (absent: nothing to judge)
 *   name: attribute_mapping       # {field} in the message (default: the last segment)
 *   require:                      # groups of keys; a group with `when` counts only for
 *     - keys: [email, full_name, roles]      #   tenants of that pattern
 *     - {keys: [team], when: {pattern: A}}
 *
 * A key is missing when it is absent, null or "" (a placeholder counts as present). One
 * finding per object at the object: {field}, {missing} naming every missing key ('a', 'b'
 * and 'c'), {first} the first of them, {it} "it" or "them". */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "report/report.h"

struct kgroup {
    char **keys;
    size_t n;
    char pattern; /* 0: every tenant */
};

struct kstate {
    int kind;
    char *pointer, *name;
    struct kgroup *g;
    size_t ng;
};

static void free_state(void *p)
{
    struct kstate *st = p;
    for (size_t i = 0; i < st->ng; i++) {
        for (size_t k = 0; k < st->g[i].n; k++)
            free(st->g[i].keys[k]);
        free(st->g[i].keys);
    }
    free(st->g);
    free(st->pointer);
    free(st->name);
    free(st);
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    const char *in = json_string_value(json_object_get(r->options, "in"));
    const char *ptr = json_string_value(json_object_get(r->options, "pointer"));
    const char *name = json_string_value(json_object_get(r->options, "name"));
    json_t *req = json_object_get(r->options, "require");
    struct kstate *st = xcalloc(1, sizeof(*st));
    r->state = st;
    r->free_state = free_state;
    if (!in || (st->kind = rec_kind_parse(in)) < 0 || !ptr || ptr[0] != '/' ||
        !json_is_array(req) || !json_array_size(req)) {
        sb_adds(err, "the required-keys check needs options 'in' (a record kind), 'pointer' "
                     "(/a/b) and 'require' (a list of {keys, when})");
        return -1;
    }
    st->pointer = xstrdup(ptr);
    st->name = xstrdup(name ? name : strrchr(ptr, '/') + 1);
    st->g = xcalloc(json_array_size(req), sizeof(*st->g));
    size_t i;
    json_t *e;
    json_array_foreach(req, i, e) {
        struct kgroup *g = &st->g[st->ng++];
        json_t *keys = json_object_get(e, "keys"), *when = json_object_get(e, "when");
        const char *pat = json_string_value(json_object_get(when, "pattern"));
        if (!json_is_array(keys) || !json_array_size(keys) ||
            (when && (!json_is_object(when) || json_object_size(when) != 1 || !pat ||
                      (strcmp(pat, "A") && strcmp(pat, "B"))))) {
            sb_addf(err, "options.require[%zu] needs 'keys' (a list of strings) and an "
                         "optional 'when: {pattern: A}' (or B)", i);
            return -1;
        }
        g->pattern = pat ? pat[0] : 0;
        g->keys = xcalloc(json_array_size(keys), sizeof(*g->keys));
        size_t k;
        json_t *key;
        json_array_foreach(keys, k, key) {
            if (!json_is_string(key)) {
                sb_addf(err, "options.require[%zu].keys[%zu] must be a string", i, k);
                return -1;
            }
            g->keys[g->n++] = xstrdup(json_string_value(key));
        }
    }
    return 0;
}

static int key_missing(const struct record *rec, json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    const struct loc *l = v ? doc_key(rec->doc, obj, key) : NULL;
    if (l && (l->flags & LOC_UNKNOWN))
        return 0;
    return !v || json_is_null(v) || (json_is_string(v) && !json_string_length(v));
}

static void record(int ri, const struct record *rec)
{
    const struct kstate *st = rule_get(ri)->state;
    if ((int)rec->kind != st->kind)
        return;
    const struct loc *l;
    int unknown;
    json_t *obj = record_get(rec, st->pointer, &l, &unknown);
    if (!json_is_object(obj) || unknown || !l || (l->flags & LOC_UNKNOWN) ||
        claimed(rec->doc->file, l->start))
        return;
    const char *miss[64];
    size_t n = 0;
    char pattern = rec->t && rec->t->cfg ? rec->t->cfg->pattern : 0;
    for (size_t i = 0; i < st->ng; i++) {
        if (st->g[i].pattern && st->g[i].pattern != pattern)
            continue;
        for (size_t k = 0; k < st->g[i].n && n < 64; k++)
            if (key_missing(rec, obj, st->g[i].keys[k]))
                miss[n++] = st->g[i].keys[k];
    }
    if (!n)
        return;
    claim(rec->doc->file, l->start);
    struct finding *f = finding_add(ri, rec->doc->file, l->start, l->end, rec->win);
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i++)
        sb_addf(&sb, "%s'%s'", i == 0 ? "" : i + 1 == n ? " and " : ", ", miss[i]);
    finding_arg(f, "field", "%s", st->name);
    finding_arg(f, "missing", "%s", sb.buf);
    finding_arg(f, "first", "%s", miss[0]);
    finding_arg(f, "it", "%s", n == 1 ? "it" : "them");
    finding_set_identity(f, rec->t ? rec->t->index : -1, rec->identity);
    sb_free(&sb);
}

const struct check_fn check_required_keys_fn = {"required-keys", prepare, NULL, record, NULL,
                                                NULL};
