/* model/model.h - what the rules see: tenants with their Auth0 export (clients, actions with
 * their code tokens, trigger bindings, keyword mappings), users files (streamed later),
 * and Flex files. Built by discover.c (which files) and model/model.c (their contents).
 * No rule reaches into a loader: the model is the interface. */
#ifndef SSOLINT_MODEL_H
#define SSOLINT_MODEL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "load/load.h"
#include "load/js.h"

enum export_layout { EXPORT_NONE, EXPORT_DIRECTORY, EXPORT_YAML };

/* One object of the export (a client, an action) and the document that holds it. */
struct item {
    const struct doc *doc; /* borrowed from the tenant's docs */
    json_t *obj;           /* borrowed */
    const char *name;      /* the "name" value or NULL */
    char *pointer;         /* JSON pointer of obj in its document ("" for a whole file) */
};

struct action {
    struct item it;
    int code_file;         /* source id of the code file, -1 when missing */
    char *code;            /* the code text after placeholder substitution (or NULL) */
    size_t code_len;
    struct offmap code_map;/* code offsets back to the file (placeholders) */
    int code_mapped;
    struct js_tokens toks;
    int syntax_ok;         /* tokenized without action-syntax */
};

/* A TaskRouter worker and its `attributes` string parsed as JSON, with positions
 * inside the string (offsets of the file's own bytes: an escape is two). */
struct worker {
    json_t *obj;           /* borrowed from the workers doc */
    char *pointer;         /* "/workers/3" */
    struct doc attrs;      /* attrs.root NULL when not a string holding JSON */
    int attrs_ok;          /* attributes is a string holding a JSON object */
};

struct tenant {
    int index;
    struct cfg_tenant *cfg;     /* borrowed from the config */
    char *dir;                  /* the tenant's directory (the root for an implicit one) */
    /* Auth0 export */
    enum export_layout layout;
    char *export_root;          /* directory holding tenant.json/tenant.yaml/clients... */
    int root_file;              /* tenant.json / tenant.yaml source id, -1 */
    json_t *keywords;           /* AUTH0_KEYWORD_REPLACE_MAPPINGS (borrowed from a doc) */
    const char *auth0_domain;   /* AUTH0_DOMAIN of the deploy-cli config */
    int keywords_file;
    struct item *clients;
    size_t nclients;
    struct action *actions;
    size_t nactions;
    struct item triggers;       /* obj = the bindings object, NULL when none */
    /* users files (streamed by the checks) */
    int *users;
    size_t nusers;
    /* Flex */
    struct doc *sso, *flexconf, *workers; /* NULL when absent or unparsable */
    int sso_file, flexconf_file, workers_file, cert_file;
    struct worker *wk;
    size_t nwk;
    /* rules.md "Terms": the Flex client(s) and Flex action(s), chosen by model/select.c
     * (indices into clients[] / actions[]) */
    size_t *flex_clients;
    size_t nflex_clients;
    size_t *flex_actions;
    size_t nflex_actions;
    /* every document loaded for this tenant (owned) */
    struct doc **docs;
    size_t ndocs, capdocs;
};

struct model {
    struct config *cfg;
    int64_t now;                /* the run's time (UTC seconds): --now's 00:00:00, else now */
    struct tenant *tenants;
    size_t ntenants;
    int io_errors;              /* unreadable paths: exit status 2 */
};

/* Load every whole input of every tenant (not the users: they are streamed by the
 * check stage). Parse problems become findings; unreadable files are counted in
 * m->io_errors. */
int model_load(struct model *m);
void model_free(struct model *m);

/* Choose each tenant's Flex client(s) and Flex action(s) (rules.md "Terms") and report
 * flex-client-missing, flex-client-ambiguous and action-missing. */
void model_select(struct model *m);

/* Does action a's code call setAttribute with the literal first argument `name`?
 * 1 yes; 0 no; -1 unknown (some setAttribute call has a non-literal name). Calls in
 * comments and strings do not count. If at is not NULL it gets the call's token index. */
int action_sets_attribute(const struct action *a, const char *name, size_t *at);

/* Is host (a URL's host, or a bare host) one of the Twilio hosts of the rule options
 * of flex-client-missing (`twilio_hosts`: domain suffixes)? */
int is_twilio_host(const char *host, size_t len);

/* Loader diagnostics (parse-error, duplicate-key) as findings in ctx's file. */
struct diagctx {
    int file;
};
void model_diag(void *ctx, const struct ld_diag *d);

struct strbuf;
/* Bring a loaded Flex configuration / workers file to the REST API's shape (model/
 * twilio_shape.c): camelCase keys as the Twilio CLI and helper libraries write them, the
 * CLI's one-element array around the configuration. Returns 0; -1 when the file is in
 * no known shape, with what it holds described in why (for a wrong-type finding). */
int twilio_flexconf_shape(struct doc *d, struct strbuf *why);
int twilio_workers_shape(struct doc *d, struct strbuf *why);

/* Identity of a user record for messages: its email, else its user_id, else NULL. */
const char *user_identity(json_t *user);

#endif
