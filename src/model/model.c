/* model/model.c - the load stage: read each tenant's whole inputs into documents with
 * positions (placeholders substituted first, as deploy-cli does), pick out clients,
 * actions with their tokenized code, trigger bindings and Flex files, and turn every
 * loader problem into a finding at its exact place. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/discover.h"
#include "load/js.h"
#include "load/json.h"
#include "load/placeholder.h"
#include "load/yaml.h"
#include "model/model.h"
#include "report/report.h"
#include "rules/rules.h"
#include "base/util.h"

static int r_parse, r_dup, r_placeholder, r_syntax, r_codefile, r_type;

static void rule_ids(void)
{
    r_parse = rule_find("parse-error");
    r_dup = rule_find("duplicate-key");
    r_placeholder = rule_find("unresolved-placeholder");
    r_syntax = rule_find("action-syntax");
    r_codefile = rule_find("code-file-missing");
    r_type = rule_find("wrong-type");
}

/* Loader diagnostics to findings; also used by the users stream. */
void model_diag(void *ctx, const struct ld_diag *d)
{
    const struct diagctx *c = ctx;
    struct finding *f;
    if (d->kind == LD_DUPLICATE_KEY) {
        f = finding_add(r_dup, c->file, d->off, d->off, d->win);
        finding_arg(f, "key", "%s", d->key ? d->key : "");
        finding_value(f, d->key ? d->key : "", d->key ? strlen(d->key) : 0, 0);
        finding_note(f, c->file, d->off2, d->off2, d->win, "first '%s' is here",
                     d->key ? d->key : "");
    } else {
        f = finding_add(r_parse, c->file, d->off, d->end > d->off ? d->end : d->off, d->win);
        finding_arg(f, "detail", "%s", d->msg ? d->msg : "syntax error");
    }
}

static void on_placeholder(void *ctx, const struct ph_hit *h)
{
    const struct diagctx *c = ctx;
    if (h->resolved || h->is_template)
        return;
    struct finding *f = finding_add(r_placeholder, c->file, h->off, h->end, NULL);
    finding_arg(f, "name", "%s", h->name);
}

static void tenant_add_doc(struct tenant *t, struct doc *d)
{
    GROW(t->docs, t->capdocs, t->ndocs + 1);
    t->docs[t->ndocs++] = d;
}

static int is_yaml_name(const char *p)
{
    size_t n = strlen(p);
    return (n > 5 && !strcmp(p + n - 5, ".yaml")) || (n > 4 && !strcmp(p + n - 4, ".yml"));
}

/* Read and parse one whole file. Returns the doc (also kept by the tenant) or NULL when
 * the file could not be read; a doc with root NULL when it did not parse. */
static struct doc *load_doc(struct model *m, struct tenant *t, int file, int placeholders)
{
    struct source *s = source_get(file);
    struct diagctx dc = {file};
    if (!s->text) {
        int rc = source_read(file, LOAD_MAX_DOC);
        if (rc == -1 || rc == -3) {
            m->io_errors += rc == -1;
            return NULL;
        }
        if (rc == -2) {
            struct finding *f = finding_add(r_parse, file, 0, 0, NULL);
            finding_arg(f, "detail", "file larger than 512 MB; whole documents above that "
                                     "size are not read");
            return NULL;
        }
    }
    int yaml = is_yaml_name(s->path);
    size_t skip = s->has_bom ? 3 : 0;
    const char *text = s->text + skip;
    size_t len = s->len - skip;
    char *sub = NULL;
    size_t sublen = 0;
    struct offmap map;
    offmap_init(&map, skip);
    unsigned what = PH_TEMPLATES | (placeholders ? PH_KEYWORDS : 0);
    if (ph_substitute(text, len, skip, yaml ? PH_YAML : PH_JSON, what, t ? t->keywords : NULL,
                      &sub, &sublen, &map, on_placeholder, &dc) > 0) {
        text = sub;
        len = sublen;
    }
    struct doc *d = xcalloc(1, sizeof(*d));
    d->file = file;
    d->locs = locmap_new();
    struct load_opts o = {skip, sub ? &map : NULL, model_diag, &dc, d->locs, 0};
    if (len == 0 || (len && strspn(text, " \t\r\n") == len)) {
        if (!yaml) {
            struct finding *f = finding_add(r_parse, file, skip, skip, NULL);
            finding_arg(f, "detail", "empty file; expected a JSON value");
        }
    } else {
        d->root = yaml ? yaml_scan(text, len, &o, &d->root_loc)
                       : json_scan(text, len, &o, &d->root_loc);
    }
    free(sub);
    offmap_free(&map);
    if (t)
        tenant_add_doc(t, d);
    return d;
}

static char *json_ptr_index(const char *base, size_t i)
{
    return xasprintf("%s/%zu", base, i);
}

static void add_item(struct item **v, size_t *n, const struct doc *d, json_t *obj, char *ptr)
{
    *v = xrealloc(*v, (*n + 1) * sizeof(**v));
    struct item *it = &(*v)[(*n)++];
    it->doc = d;
    it->obj = obj;
    json_t *nm = json_is_object(obj) ? json_object_get(obj, "name") : NULL;
    it->name = json_is_string(nm) ? json_string_value(nm) : NULL;
    it->pointer = ptr;
}

/* code_path() after backslashes became slashes. *refused is set when the path guard
 * refused it (reported at the path). */
static char *code_path_slashed(struct model *m, struct tenant *t, const char *code,
                               int *refused)
{
    const char *c = code;
    while (c[0] == '.' && c[1] == '/')
        c += 2;
    for (int legacy = 0; legacy < 2; legacy++) {
        if (legacy && strncmp(c, "directory/", 10))
            break;
        char *p = path_join(t->export_root, legacy ? c + 10 : c);
        int r = discover_guard(m, t, p, 0);
        if (r > 0)
            return p;
        free(p);
        if (r < 0) {
            *refused = 1;
            return NULL;
        }
    }
    return NULL;
}

/* Resolve an action's `code` path: relative to the export root, with a leading "./"
 * or the legacy "directory/" prefix of older exports. An export made on Windows writes
 * backslashes (`.\\actions\\Flex\\code.js`); deploy-cli reads those with Node's path
 * module, so they are separators here too. New string or NULL (*refused: see
 * code_path_slashed). */
static char *code_path(struct model *m, struct tenant *t, const char *code, int *refused)
{
    char *slashed = xstrdup(code);
    for (char *q = slashed; *q; q++)
        if (*q == '\\')
            *q = '/';
    char *p = code_path_slashed(m, t, slashed, refused);
    free(slashed);
    return p;
}

static void load_code(struct model *m, struct tenant *t, struct action *a)
{
    a->code_file = -1;
    offmap_init(&a->code_map, 0);
    json_t *obj = a->it.obj;
    json_t *code = json_is_object(obj) ? json_object_get(obj, "code") : NULL;
    const struct loc *l = code ? doc_key(a->it.doc, obj, "code") : NULL;
    if (l && (l->flags & LOC_UNKNOWN))
        return;
    if (!json_is_string(code)) {
        uint64_t off = l ? l->start : a->it.doc->root_loc.start;
        struct finding *f = finding_add(r_codefile, a->it.doc->file, off, off, NULL);
        finding_arg(f, "detail", "action '%s' has no 'code' path",
                    a->it.name ? a->it.name : "?");
        return;
    }
    int refused = 0;
    char *p = code_path(m, t, json_string_value(code), &refused);
    if (!p && refused)
        return;
    if (!p) {
        struct finding *f = finding_add(r_codefile, a->it.doc->file, l ? l->start : 0,
                                        l ? l->end : 0, NULL);
        finding_arg(f, "detail", "'%s' names no file (looked under '%s')",
                    json_string_value(code), t->export_root);
        finding_value(f, json_string_value(code), json_string_length(code), 0);
        return;
    }
    int id = discover_add(m, t, p, SRC_ACTION_CODE);
    free(p);
    a->code_file = id;
    struct source *s = source_get(id);
    if (!s->text) {
        int rc = source_read(id, LOAD_MAX_DOC);
        if (rc == -1 || rc == -3) {
            m->io_errors += rc == -1;
            a->code_file = -1;
            return;
        }
        if (rc == -2) {
            struct finding *f = finding_add(r_parse, id, 0, 0, NULL);
            finding_arg(f, "detail", "file larger than 512 MB; not read");
            a->code_file = -1;
            return;
        }
    }
    struct diagctx dc = {id};
    size_t skip = s->has_bom ? 3 : 0;
    char *sub = NULL;
    size_t sublen = 0;
    a->code_map.base = skip;
    if (ph_substitute(s->text + skip, s->len - skip, skip, PH_TEXT, PH_KEYWORDS, t->keywords,
                      &sub, &sublen, &a->code_map, on_placeholder, &dc) > 0) {
        a->code = sub;
        a->code_len = sublen;
        a->code_mapped = 1;
    } else {
        a->code = xstrndup(s->text + skip, s->len - skip);
        a->code_len = s->len - skip;
    }
    struct js_error err;
    a->syntax_ok = js_tokenize(a->code, a->code_len, &a->toks, &err) == 0;
    if (!a->syntax_ok) {
        uint64_t off = offmap_map(&a->code_map, err.off);
        struct finding *f = finding_add(r_syntax, id, off, off + 1, NULL);
        finding_arg(f, "detail", "%s", err.msg);
    }
}

static void load_keywords(struct model *m, struct tenant *t)
{
    if (t->keywords_file < 0)
        return;
    struct doc *d = load_doc(m, t, t->keywords_file, 0);
    if (!d || !json_is_object(d->root))
        return;
    json_t *map = json_object_get(d->root, "AUTH0_KEYWORD_REPLACE_MAPPINGS");
    if (json_is_object(map))
        t->keywords = map;
    json_t *dom = json_object_get(d->root, "AUTH0_DOMAIN");
    const struct loc *dl = dom ? doc_key(d, d->root, "AUTH0_DOMAIN") : NULL;
    if (json_is_string(dom) && !(dl && (dl->flags & LOC_UNKNOWN)))
        t->auth0_domain = json_string_value(dom);
}

static void load_export_yaml(struct model *m, struct tenant *t)
{
    struct doc *d = load_doc(m, t, t->root_file, 1);
    if (!d || !json_is_object(d->root))
        return;
    json_t *cl = json_object_get(d->root, "clients");
    for (size_t i = 0; json_is_array(cl) && i < json_array_size(cl); i++)
        add_item(&t->clients, &t->nclients, d, json_array_get(cl, i),
                 json_ptr_index("/clients", i));
    json_t *ac = json_object_get(d->root, "actions");
    for (size_t i = 0; json_is_array(ac) && i < json_array_size(ac); i++) {
        t->actions = xrealloc(t->actions, (t->nactions + 1) * sizeof(*t->actions));
        struct action *a = &t->actions[t->nactions++];
        memset(a, 0, sizeof(*a));
        a->it.doc = d;
        a->it.obj = json_array_get(ac, i);
        json_t *nm = json_is_object(a->it.obj) ? json_object_get(a->it.obj, "name") : NULL;
        a->it.name = json_is_string(nm) ? json_string_value(nm) : NULL;
        a->it.pointer = json_ptr_index("/actions", i);
        load_code(m, t, a);
    }
    json_t *tr = json_object_get(d->root, "triggers");
    if (tr) {
        t->triggers.doc = d;
        t->triggers.obj = tr;
        t->triggers.pointer = xstrdup("/triggers");
    }
}

static void load_export_dir(struct model *m, struct tenant *t)
{
    if (t->root_file >= 0)
        load_doc(m, t, t->root_file, 1);
    for (int id = 0; id < source_count(); id++) {
        struct source *s = source_get(id);
        if (s->tenant != t->index)
            continue;
        if (s->kind == SRC_CLIENT) {
            struct doc *d = load_doc(m, t, id, 1);
            if (d && d->root)
                add_item(&t->clients, &t->nclients, d, d->root, xstrdup(""));
        } else if (s->kind == SRC_ACTION) {
            struct doc *d = load_doc(m, t, id, 1);
            if (!d || !d->root)
                continue;
            t->actions = xrealloc(t->actions, (t->nactions + 1) * sizeof(*t->actions));
            struct action *a = &t->actions[t->nactions++];
            memset(a, 0, sizeof(*a));
            a->it.doc = d;
            a->it.obj = d->root;
            json_t *nm = json_is_object(d->root) ? json_object_get(d->root, "name") : NULL;
            a->it.name = json_is_string(nm) ? json_string_value(nm) : NULL;
            a->it.pointer = xstrdup("");
            load_code(m, t, a);
        } else if (s->kind == SRC_TRIGGERS) {
            struct doc *d = load_doc(m, t, id, 1);
            if (d && d->root && !t->triggers.doc) {
                t->triggers.doc = d;
                t->triggers.obj = d->root;
                t->triggers.pointer = xstrdup("");
            }
        } else if (s->kind == SRC_OTHER_EXPORT) {
            load_doc(m, t, id, 1);
        }
    }
}

/* Parse each worker's attributes string, with positions inside the string. */
static void load_workers(struct tenant *t)
{
    const struct doc *d = t->workers;
    json_t *list = d->root;
    const char *base = "";
    if (json_is_object(list)) {
        list = json_object_get(list, "workers");
        base = "/workers";
    }
    if (!json_is_array(list))
        return;
    struct source *s = source_get(d->file);
    t->nwk = json_array_size(list);
    t->wk = xcalloc(t->nwk ? t->nwk : 1, sizeof(*t->wk));
    for (size_t i = 0; i < t->nwk; i++) {
        struct worker *w = &t->wk[i];
        w->obj = json_array_get(list, i);
        w->pointer = json_ptr_index(base, i);
        w->attrs.file = d->file;
        json_t *a = json_is_object(w->obj) ? json_object_get(w->obj, "attributes") : NULL;
        const struct loc *l = a ? doc_key(d, w->obj, "attributes") : NULL;
        if (!json_is_string(a) || !l || !s->text || l->start >= s->len || s->text[l->start] != '"')
            continue;
        char *txt = NULL;
        size_t tlen = 0;
        struct offmap map;
        offmap_init(&map, l->start + 1);
        if (!json_unescape(s->text + l->start, s->len - l->start, l->start, &txt, &tlen, &map)) {
            offmap_free(&map);
            free(txt);
            continue;
        }
        struct diagctx dc = {d->file};
        w->attrs.locs = locmap_new();
        struct load_opts o = {l->start + 1, &map, model_diag, &dc, w->attrs.locs, 0};
        w->attrs.root = json_scan(txt, tlen, &o, &w->attrs.root_loc);
        w->attrs_ok = json_is_object(w->attrs.root);
        offmap_free(&map);
        free(txt);
    }
}

/* Bring a parsed Twilio file to the API's shape; a file in no known shape is a
 * wrong-type finding at its root value. Returns 0 when the file can be read. */
static int twilio_shape(struct doc *d, int (*shape)(struct doc *, struct strbuf *),
                        const char *what, const char *expected)
{
    if (!d || !d->root)
        return -1;
    struct strbuf why = STRBUF_INIT;
    int rc = shape(d, &why);
    if (rc < 0) {
        struct finding *f =
            finding_add(r_type, d->file, d->root_loc.start, d->root_loc.start, NULL);
        finding_arg(f, "field", "%s", what);
        finding_arg(f, "expected", "%s", expected);
        finding_arg(f, "actual", "%s", why.buf ? why.buf : "?");
        finding_arg(f, "hint", "%s", "; nothing in it is checked");
    }
    sb_free(&why);
    return rc;
}

static void load_tenant(struct model *m, struct tenant *t)
{
    load_keywords(m, t);
    if (t->layout == EXPORT_YAML && t->root_file >= 0)
        load_export_yaml(m, t);
    else if (t->layout == EXPORT_DIRECTORY)
        load_export_dir(m, t);
    if (t->sso_file >= 0)
        t->sso = load_doc(m, t, t->sso_file, 0);
    if (t->flexconf_file >= 0) {
        t->flexconf = load_doc(m, t, t->flexconf_file, 0);
        twilio_shape(t->flexconf, twilio_flexconf_shape, "Flex configuration",
                     "the GET /v1/Configuration object (or the Twilio CLI's one-element array "
                     "of it)");
    }
    if (t->workers_file >= 0) {
        t->workers = load_doc(m, t, t->workers_file, 0);
        if (twilio_shape(t->workers, twilio_workers_shape, "TaskRouter workers",
                         "a list of workers (the API's {\"workers\": [...]} or a bare array)") == 0)
            load_workers(t);
    }
    /* explicitly named files of kinds without a loader of their own yet */
    for (int id = 0; id < source_count(); id++) {
        struct source *s = source_get(id);
        if (s->tenant == t->index && !s->text &&
            (s->kind == SRC_TENANT || s->kind == SRC_CLIENT || s->kind == SRC_ACTION ||
             s->kind == SRC_TRIGGERS))
            load_doc(m, t, id, 1);
    }
}

int model_load(struct model *m)
{
    rule_ids();
    for (size_t i = 0; i < m->ntenants; i++)
        load_tenant(m, &m->tenants[i]);
    return 0;
}

const char *user_identity(json_t *user)
{
    json_t *e = json_object_get(user, "email");
    if (json_is_string(e) && json_string_length(e))
        return json_string_value(e);
    e = json_object_get(user, "user_id");
    return json_is_string(e) ? json_string_value(e) : NULL;
}

void model_free(struct model *m)
{
    for (size_t i = 0; i < m->ntenants; i++) {
        struct tenant *t = &m->tenants[i];
        for (size_t k = 0; k < t->nclients; k++)
            free(t->clients[k].pointer);
        free(t->clients);
        for (size_t k = 0; k < t->nactions; k++) {
            struct action *a = &t->actions[k];
            free(a->it.pointer);
            free(a->code);
            offmap_free(&a->code_map);
            js_tokens_free(&a->toks);
        }
        free(t->actions);
        free(t->triggers.pointer);
        for (size_t k = 0; k < t->nwk; k++) {
            free(t->wk[k].pointer);
            doc_free(&t->wk[k].attrs);
        }
        free(t->wk);
        for (size_t k = 0; k < t->ndocs; k++) {
            doc_free(t->docs[k]);
            free(t->docs[k]);
        }
        free(t->docs);
        free(t->users);
        free(t->flex_clients);
        free(t->flex_actions);
        free(t->dir);
        free(t->export_root);
    }
    free(m->tenants);
    m->tenants = NULL;
    m->ntenants = 0;
    discover_selection_free();
}
