/* config/config.h - `.ssolint.yaml` (../shared/spec/config.md): found upward from the first
 * PATH, parsed with the YAML loader, every key validated. A bad file is a usage error
 * printed as FILE:LINE:COL: error: MESSAGE (exit 2). The parsed document is kept so
 * that findings can point at config values (input-missing, pattern-undeclared, ...). */
#ifndef SSOLINT_CONFIG_H
#define SSOLINT_CONFIG_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "load/load.h"

/* A string list from the config: the values and the node each came from. */
struct cfg_list {
    char **v;
    size_t n;
    json_t *node; /* the list node (or the single string node); NULL when not given */
};

enum flex_users_mode { FLEX_USERS_ALL, FLEX_USERS_WITH_FLEX, FLEX_USERS_CONNECTIONS };

struct cfg_tenant {
    json_t *node;          /* the tenant entry mapping (borrowed from cfg->doc) */
    char *name;            /* required when tenants are declared; "default" otherwise */
    char *organization;    /* NULL when absent */
    char pattern;          /* 'A', 'B' or 0 when undeclared */
    char *rationale;
    struct cfg_list email_domains;
    struct cfg_list teams; /* teams.node != NULL when declared */
    /* auth0 */
    struct cfg_list domains;
    char *export_path;     /* resolved against the config's directory; NULL: discover */
    struct cfg_list users; /* globs, resolved against the config's directory */
    char *keywords;
    char *flex_client;
    char *flex_action;
    char *signing_cert;
    enum flex_users_mode flex_users;
    struct cfg_list flex_users_connections;
    /* flex */
    char *style;           /* iam-v2 | enhanced | legacy | NULL */
    char *region;          /* default "us1" */
    char *sso, *configuration, *workers; /* resolved paths or NULL */
    /* the config node of each path-valued key, for input-missing (NULL when absent) */
    json_t *export_node, *keywords_node, *sso_node, *configuration_node, *workers_node,
        *signing_cert_node, *flex_client_node, *flex_action_node, *domain_node,
        *organization_node, *pattern_node;
};

struct cfg_ignore {
    json_t *node;          /* the entry */
    char *rule, *reason, *tenant, *path, *user, *client, *action, *value, *owner;
    int until_y, until_m, until_d; /* 0 when absent */
    json_t *until_node;
};

struct cfg_rule_sev {
    char *id;
    int severity; /* enum severity from finding.h: SEV_OFF, SEV_NOTE, SEV_WARNING, SEV_ERROR */
    json_t *node;
};

struct config {
    char *path;     /* the file, NULL when there is none */
    char *root;     /* the project root: the file's directory, else the current directory */
    int file;       /* source id, -1 when there is no file */
    struct doc doc; /* the parsed file (root NULL when there is none) */
    int version;
    struct cfg_list roles; /* default admin, supervisor, agent */
    int cert_warn_days;    /* default 30 */
    char *rules_dir;       /* resolved, NULL when absent */
    char *rule_url;        /* rule page URL template with {id}, NULL when absent */
    struct cfg_tenant *tenants;
    size_t ntenants;
    int tenants_declared;  /* 0: one implicit tenant discovered at the root */
    struct cfg_rule_sev *rules;
    size_t nrules;
    struct cfg_ignore *ignores;
    size_t nignores;
};

/* Find the config: `.ssolint.yaml` (or `.ssolint.yml`) in start_dir or its nearest
 * parent. Returns a new malloc'd path or NULL when there is none; NULL with *conflict
 * set when the nearest directory holds both spellings (a located error is printed). */
char *config_find(const char *start_dir, int *conflict);

/* Load and validate. path may be NULL (defaults, root = cwd, one implicit tenant).
 * Returns 0, or -1 after printing located errors to stderr (usage error, exit 2). */
int config_load(struct config *cfg, const char *path);
void config_free(struct config *cfg);

/* Print the effective configuration as YAML (--print-config). */
void config_print(const struct config *cfg, FILE *out);

#endif
