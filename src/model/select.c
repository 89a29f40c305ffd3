/* model/select.c - rules.md "Terms": which client is the Flex client and which Action
 * is the Flex action. Chosen once per tenant after loading, so every rule group sees the
 * same choice. The Twilio host suffixes are rule data (flex-client-missing's options). */
#include <stdlib.h>
#include <string.h>

#include "check/util.h"
#include "load/js.h"
#include "model/model.h"
#include "report/report.h"
#include "rules/rules.h"
#include "base/util.h"

static int r_missing, r_ambiguous, r_action_missing;
static json_t *twilio_hosts; /* borrowed from the rule's options */

int is_twilio_host(const char *host, size_t len)
{
    size_t i;
    json_t *h;
    json_array_foreach(twilio_hosts, i, h) {
        const char *suf = json_string_value(h);
        size_t n = suf ? strlen(suf) : 0;
        if (!n || n > len)
            continue;
        if (!strncmp(host + len - n, suf, n) && (n == len || host[len - n - 1] == '.'))
            return 1;
    }
    return 0;
}

/* Host of a URL (scheme://host[:port]/...) or of a urn:flex:... entity id. */
static int url_on_twilio(const char *u)
{
    if (!u)
        return 0;
    if (!strncmp(u, "urn:flex:", 9))
        return 1;
    int scheme;
    size_t n;
    const char *p = url_authority(u, &n, &scheme);
    size_t port = strcspn(p, ":");
    return scheme && is_twilio_host(p, port < n ? port : n);
}

/* rules.md "Terms": a client with a callback, audience or recipient on a Twilio host
 * (step 1) wins over one that only has an addons.samlp (step 2: a tenant often has
 * other SAML apps, such as AWS IAM Identity Center). */
static int client_on_twilio(json_t *c)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(c, "callbacks"), i, v)
        if (url_on_twilio(json_string_value(v)))
            return 1;
    json_t *addons = json_object_get(c, "addons");
    json_t *samlp = json_is_object(addons) ? json_object_get(addons, "samlp") : NULL;
    return url_on_twilio(json_string_value(json_object_get(samlp, "audience"))) ||
           url_on_twilio(json_string_value(json_object_get(samlp, "recipient")));
}

static int client_has_samlp(json_t *c)
{
    json_t *addons = json_object_get(c, "addons");
    return json_is_object(addons) && json_object_get(addons, "samlp");
}

/* A finding at a tenant's config value entry[sect][key]. */
static struct finding *at_config(const struct model *m, const struct tenant *t, int ri,
                                 const char *sect, const char *key)
{
    json_t *o = json_object_get(t->cfg->node, sect);
    const struct loc *l = json_is_object(o) ? doc_key(&m->cfg->doc, o, key) : NULL;
    uint64_t off = l ? l->start : 0;
    return finding_add(ri, m->cfg->file, off, l ? l->end : off, NULL);
}

static void add_idx(size_t **v, size_t *n, size_t i)
{
    *v = xrealloc(*v, (*n + 1) * sizeof(**v));
    (*v)[(*n)++] = i;
}

static int has_flex_inputs(const struct tenant *t)
{
    return t->sso_file >= 0 || t->flexconf_file >= 0 || t->workers_file >= 0 ||
           t->nflex_actions > 0;
}

static void select_clients(const struct model *m, struct tenant *t)
{
    const char *want = t->cfg ? t->cfg->flex_client : NULL;
    if (want) {
        for (size_t i = 0; i < t->nclients; i++)
            if (t->clients[i].name && !strcmp(t->clients[i].name, want))
                add_idx(&t->flex_clients, &t->nflex_clients, i);
        if (!t->nflex_clients && t->layout != EXPORT_NONE) {
            struct finding *f = at_config(m, t, r_missing, "auth0", "flex_client");
            finding_arg(f, "detail",
                        "no client of the export is named '%s' (correct auth0.flex_client "
                        "to the client's exact name)",
                        want);
            finding_value(f, want, strlen(want), 0);
        }
        return;
    }
    int (*steps[])(json_t *) = {client_on_twilio, client_has_samlp};
    for (size_t k = 0; k < 2 && !t->nflex_clients; k++)
        for (size_t i = 0; i < t->nclients; i++)
            if (json_is_object(t->clients[i].obj) && steps[k](t->clients[i].obj))
                add_idx(&t->flex_clients, &t->nflex_clients, i);
    if (t->nflex_clients > 1) {
        const struct item *second = &t->clients[t->flex_clients[1]];
        const struct loc *l = doc_key(second->doc, second->obj, "name");
        uint64_t off = l ? l->start : second->doc->root_loc.start;
        struct finding *f = finding_add(r_ambiguous, second->doc->file, off, l ? l->end : off,
                                        NULL);
        struct strbuf names = STRBUF_INIT;
        for (size_t k = 0; k < t->nflex_clients; k++)
            sb_addf(&names, "%s'%s'", k ? ", " : "",
                    t->clients[t->flex_clients[k]].name ? t->clients[t->flex_clients[k]].name
                                                        : "?");
        finding_arg(f, "clients", "%s", sb_str(&names));
        sb_free(&names);
        const struct item *first = &t->clients[t->flex_clients[0]];
        const struct loc *fl = doc_key(first->doc, first->obj, "name");
        if (fl)
            finding_note(f, first->doc->file, fl->start, fl->end, NULL, "first candidate");
    } else if (!t->nflex_clients && t->layout != EXPORT_NONE && has_flex_inputs(t) &&
               t->root_file >= 0) {
        struct finding *f = finding_add(r_missing, t->root_file, 0, 0, NULL);
        finding_arg(f, "detail", "no client has an addons.samlp or a Twilio callback, "
                                 "audience or recipient (create the SAML application, or "
                                 "name it with auth0.flex_client)");
    }
}

int action_sets_attribute(const struct action *a, const char *name, size_t *at)
{
    const struct js_tokens *tk = &a->toks;
    int unknown = 0;
    for (size_t i = 0; i + 2 < tk->n; i++) {
        if (tk->t[i].kind != JS_IDENT || !js_tok_is(a->code, &tk->t[i], "setAttribute") ||
            !js_tok_is(a->code, &tk->t[i + 1], "("))
            continue;
        const struct js_tok *arg = &tk->t[i + 2];
        int literal = arg->kind == JS_STRING || arg->kind == JS_TEMPLATE;
        if (!literal) {
            unknown = 1;
            continue;
        }
        char *v = js_string_value(a->code, arg);
        int hit = v && !strcmp(v, name);
        free(v);
        if (hit) {
            if (at)
                *at = i;
            return 1;
        }
    }
    return unknown ? -1 : 0;
}

static int bound_post_login(const struct tenant *t, const char *name)
{
    json_t *pl = json_is_object(t->triggers.obj) ? json_object_get(t->triggers.obj, "post-login")
                                                 : NULL;
    size_t i;
    json_t *b;
    json_array_foreach(pl, i, b) {
        const char *an = json_string_value(json_object_get(b, "action_name"));
        if (an && name && !strcmp(an, name))
            return 1;
    }
    return 0;
}

static void select_actions(const struct model *m, struct tenant *t)
{
    const char *want = t->cfg ? t->cfg->flex_action : NULL;
    if (t->layout == EXPORT_NONE)
        return;
    if (want) {
        for (size_t i = 0; i < t->nactions; i++)
            if (t->actions[i].it.name && !strcmp(t->actions[i].it.name, want))
                add_idx(&t->flex_actions, &t->nflex_actions, i);
        if (!t->nflex_actions) {
            struct finding *f = at_config(m, t, r_action_missing, "auth0", "flex_action");
            finding_arg(f, "detail", "no Action of the export is named '%s'", want);
            finding_value(f, want, strlen(want), 0);
        }
        return;
    }
    int any_bound = 0;
    const struct action *computed = NULL; /* one that sets attributes by a computed name */
    for (size_t i = 0; i < t->nactions; i++) {
        int sets = action_sets_attribute(&t->actions[i], "roles", NULL);
        if (sets == 1) {
            add_idx(&t->flex_actions, &t->nflex_actions, i);
            any_bound |= bound_post_login(t, t->actions[i].it.name);
        } else if (sets < 0 && !computed) {
            computed = &t->actions[i];
        }
    }
    if (any_bound) { /* narrowed to those bound to post-login */
        size_t k = 0;
        for (size_t i = 0; i < t->nflex_actions; i++)
            if (bound_post_login(t, t->actions[t->flex_actions[i]].it.name))
                t->flex_actions[k++] = t->flex_actions[i];
        t->nflex_actions = k;
    }
    if (!t->nflex_actions && t->root_file >= 0) {
        struct finding *f = finding_add(r_action_missing, t->root_file, 0, 0, NULL);
        if (computed) /* it may well set roles: say how to make the choice certain */
            finding_arg(f, "detail",
                        "name it with auth0.flex_action in .ssolint.yaml; no Action sets "
                        "'roles' by a literal name, and '%s' sets attributes by a computed "
                        "name",
                        computed->it.name ? computed->it.name : "?");
        else
            finding_arg(f, "detail", "no Action of the export sets the 'roles' SAML attribute");
    }
}

void model_select(struct model *m)
{
    r_missing = rule_find("flex-client-missing");
    r_ambiguous = rule_find("flex-client-ambiguous");
    r_action_missing = rule_find("action-missing");
    twilio_hosts = r_missing >= 0 ? json_object_get(rule_get(r_missing)->options, "twilio_hosts")
                                  : NULL;
    for (size_t i = 0; i < m->ntenants; i++) {
        struct tenant *t = &m->tenants[i];
        select_actions(m, t);
        select_clients(m, t);
    }
}
