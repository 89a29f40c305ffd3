/* test_config.c - `.ssolint.yaml`: the spec's example parsed into the struct, each class
 * of usage error with its exact FILE:LINE:COL output, defaults, the upward search and
 * --print-config. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "rules/finding.h"
#include "base/util.h"

#ifndef TEST_DATADIR
#define TEST_DATADIR "tests/unit/data"
#endif
#define FULL TEST_DATADIR "/config/full"

static char tmp[64]; /* a private directory for written configs */

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
}

/* Write text to TMP/name and return the path (static buffer). */
static const char *put(const char *name, const char *text)
{
    static char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", tmp, name);
    write_file(path, text, strlen(text));
    return path;
}

/* Run config_load with stderr captured; returns what it printed (new string). */
static char *load_capture(struct config *cfg, const char *path, int *rc)
{
    FILE *t = tmpfile();
    assert_non_null(t);
    fflush(stderr);
    int saved = dup(2);
    dup2(fileno(t), 2);
    *rc = config_load(cfg, path);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    long n = ftell(t) >= 0 ? (fseek(t, 0, SEEK_END), ftell(t)) : 0;
    char *buf = xcalloc((size_t)n + 1, 1);
    rewind(t);
    assert_int_equal(fread(buf, 1, (size_t)n, t), (size_t)n);
    fclose(t);
    return buf;
}

/* Load yaml from a file and check the exact error output: want holds "LINE:COL: error:
 * MESSAGE" lines, each printed after the path. */
static void expect_errors(const char *name, const char *yaml, const char *const *want)
{
    struct config cfg;
    int rc;
    const char *path = put(name, yaml);
    char *got = load_capture(&cfg, path, &rc);
    struct strbuf exp = STRBUF_INIT;
    for (size_t i = 0; want[i]; i++)
        sb_addf(&exp, "%s:%s\n", path, want[i]);
    assert_string_equal(got, sb_str(&exp));
    assert_int_equal(rc, -1);
    assert_int_equal(cfg.ntenants, 0); /* nothing half-loaded is left */
    sb_free(&exp);
    free(got);
    config_free(&cfg);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmp, sizeof(tmp), "/tmp/ssolint-config-XXXXXX");
    return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
    source_free_all();
    return system(cmd) == 0 ? 0 : -1;
}

static void test_full_example(void **state)
{
    (void)state;
    struct config cfg;
    int rc;
    char *err = load_capture(&cfg, FULL "/.ssolint.yaml", &rc);
    assert_string_equal(err, "");
    assert_int_equal(rc, 0);
    free(err);
    assert_string_equal(cfg.path, FULL "/.ssolint.yaml");
    assert_string_equal(cfg.root, FULL);
    assert_true(cfg.file >= 0);
    assert_int_equal(source_get(cfg.file)->kind, SRC_CONFIG);
    assert_string_equal(source_get(cfg.file)->rel, ".ssolint.yaml");
    assert_int_equal(cfg.version, 1);
    assert_int_equal(cfg.roles.n, 3);
    assert_string_equal(cfg.roles.v[1], "supervisor");
    assert_non_null(cfg.roles.node);
    assert_int_equal(cfg.cert_warn_days, 30);
    assert_string_equal(cfg.rules_dir, FULL "/policy");
    assert_int_equal(cfg.tenants_declared, 1);
    assert_int_equal(cfg.ntenants, 1);

    const struct cfg_tenant *t = &cfg.tenants[0];
    assert_string_equal(t->name, "nss");
    assert_string_equal(t->organization, "NSS");
    assert_int_equal(t->pattern, 'A');
    assert_string_equal(t->rationale,
                        "one nonprofit with three programs; senior staff oversee all of them");
    assert_int_equal(t->email_domains.n, 1);
    assert_string_equal(t->email_domains.v[0], "nss.org");
    assert_int_equal(t->teams.n, 3);
    assert_string_equal(t->teams.v[2], "HomeHealth");
    assert_int_equal(t->domains.n, 2);
    assert_string_equal(t->domains.v[1], "portal.nss.org");
    assert_string_equal(t->export_path, FULL "/auth0");
    assert_int_equal(t->users.n, 2);
    assert_string_equal(t->users.v[0], FULL "/users/*.json.gz");
    assert_string_equal(t->users.v[1], FULL "/users/extra.json");
    assert_string_equal(t->keywords, FULL "/auth0/config.json");
    assert_string_equal(t->flex_client, "Twilio Flex");
    assert_string_equal(t->flex_action, "Add Flex Roles to SAML");
    assert_string_equal(t->signing_cert, FULL "/auth0/signing.pem");
    assert_int_equal(t->flex_users, FLEX_USERS_ALL);
    assert_string_equal(t->style, "enhanced");
    assert_string_equal(t->region, "us1");
    assert_string_equal(t->sso, FULL "/flex/sso.yaml");
    assert_string_equal(t->configuration, FULL "/flex/configuration.json");
    assert_string_equal(t->workers, FULL "/flex/workers.json");

    /* the nodes point back into the file */
    struct pos p;
    json_t *auth0 = json_object_get(t->node, "auth0");
    assert_ptr_equal(t->export_node, json_object_get(auth0, "export"));
    source_pos(cfg.file, doc_key(&cfg.doc, auth0, "export")->start, &p);
    assert_int_equal(p.line, 16);
    assert_int_equal(p.col, 15);
    source_pos(cfg.file, doc_index(&cfg.doc, t->teams.node, 1)->start, &p);
    assert_int_equal(p.line, 13);
    assert_int_equal(p.col, 19);

    assert_int_equal(cfg.nrules, 2);
    assert_string_equal(cfg.rules[0].id, "team-naming");
    assert_int_equal(cfg.rules[0].severity, SEV_ERROR);
    assert_string_equal(cfg.rules[1].id, "worker-stale");
    assert_int_equal(cfg.rules[1].severity, SEV_OFF);

    assert_int_equal(cfg.nignores, 1);
    const struct cfg_ignore *g = &cfg.ignores[0];
    assert_string_equal(g->rule, "foreign-user");
    assert_string_equal(g->reason, "partner staff with shared access until the merger");
    assert_string_equal(g->tenant, "nss");
    assert_string_equal(g->path, "users/partners.json"); /* root-relative, not resolved */
    assert_string_equal(g->user, "volunteer@partner.org");
    assert_string_equal(g->client, "Legacy Portal");
    assert_string_equal(g->action, "Old Roles Action");
    assert_string_equal(g->value, "ramp");
    assert_string_equal(g->owner, "it@nss.org");
    assert_int_equal(g->until_y, 2027);
    assert_int_equal(g->until_m, 1);
    assert_int_equal(g->until_d, 31);
    source_pos(cfg.file, doc_key(&cfg.doc, g->node, "until")->start, &p);
    assert_int_equal(p.line, 43);
    assert_int_equal(p.col, 12);
    config_free(&cfg);
}

static void test_unknown_keys(void **state)
{
    (void)state;
    static const char *const want[] = {
        "1:1: error: unknown key 'tenatns'; did you mean 'tenants'?",
        "2:1: error: unknown key 'colour'",
        "5:5: error: unknown key 'organisation'; did you mean 'organization'?",
        "6:5: error: unknown key 'region'; it belongs in 'flex'",
        "8:7: error: unknown key 'regoin' in 'flex'; did you mean 'region'?",
        "9:13: error: unknown key 'exprt' in 'auth0'; did you mean 'export'?",
        "12:5: error: unknown key 'resaon' in 'ignore'; did you mean 'reason'?",
        NULL};
    expect_errors("unknown.yaml",
                  "tenatns: []\n"
                  "colour: red\n"
                  "tenants:\n"
                  "  - name: a\n"
                  "    organisation: NSS\n"
                  "    region: us1\n"
                  "    flex:\n"
                  "      regoin: us1\n"
                  "    auth0: {exprt: x}\n"
                  "ignore:\n"
                  "  - rule: x\n"
                  "    resaon: y\n",
                  want);
}

static void test_wrong_types(void **state)
{
    (void)state;
    static const char *const want[] = {
        "1:10: error: 'version' must be 1",
        "2:16: error: 'roles' must be a list of strings (quote it)",
        "3:17: error: 'cert_warn_days' must be a non-negative integer",
        "4:12: error: 'rules_dir' must be a string",
        "6:11: error: 'name' must be a string (quote it)",
        "7:12: error: 'auth0' must be a mapping",
        "8:12: error: 'teams' must be a string or a list of strings",
        "9:30: error: 'email_domains' must be a string or a list of strings (quote it)",
        "10:5: error: a tenant must be a mapping",
        "11:8: error: 'rules' must be a mapping",
        "12:9: error: 'ignore' must be a list of entries",
        NULL};
    expect_errors("types.yaml",
                  "version: \"1\"\n"
                  "roles: [admin, 3]\n"
                  "cert_warn_days: \"30\"\n"
                  "rules_dir: [a]\n"
                  "tenants:\n"
                  "  - name: 42\n"
                  "    auth0: []\n"
                  "    teams: {a: 1}\n"
                  "    email_domains: [nss.org, true]\n"
                  "  - just a string\n"
                  "rules: [a]\n"
                  "ignore: {rule: x}\n",
                  want);
}

static void test_bad_values(void **state)
{
    (void)state;
    static const char *const want[] = {
        "1:10: error: 'version' must be 1",
        "2:8: error: 'roles' must be a non-empty list of strings",
        "3:17: error: 'cert_warn_days' must be a non-negative integer",
        "6:14: error: 'pattern' must be A or B",
        "7:19: error: team 'Ramp' is another spelling of 'RAMP' (names may not differ only in "
        "case, spaces, '_' or '-')",
        "7:38: error: team 'home-health' is another spelling of 'Home Health' (names may not "
        "differ only in case, spaces, '_' or '-')",
        "9:15: error: 'domain' must name a domain like example.us.auth0.com",
        "10:19: error: 'flex_users' must be all, with-flex or a list of connection names",
        "12:14: error: 'style' must be iam-v2, enhanced or legacy; did you mean 'enhanced'?",
        "13:15: error: 'region' must be a Twilio region such as us1",
        "14:21: error: 'email_domains' must name a domain like example.org",
        "15:11: error: duplicate tenant name 'a'",
        "16:5: error: tenant entry needs 'name'",
        "18:16: error: severity of 'team-naming' must be error, warning, note or off",
        "20:5: error: ignore entry needs 'rule'",
        "22:12: error: 'until' must be a date YYYY-MM-DD",
        "23:13: error: unknown tenant 'b'; did you mean 'a'?",
        NULL};
    expect_errors("values.yaml",
                  "version: 2\n"
                  "roles: []\n"
                  "cert_warn_days: -1\n"
                  "tenants:\n"
                  "  - name: a\n"
                  "    pattern: C\n"
                  "    teams: [RAMP, Ramp, Home Health, home-health, RAMP]\n"
                  "    auth0:\n"
                  "      domain: https://a.us.auth0.com\n"
                  "      flex_users: some\n"
                  "    flex:\n"
                  "      style: enhance\n"
                  "      region: US 1\n"
                  "    email_domains: [\"@nss.org\"]\n"
                  "  - name: a\n"
                  "  - organization: X\n"
                  "rules:\n"
                  "  team-naming: warn\n"
                  "ignore:\n"
                  "  - reason: no rule\n"
                  "  - rule: x\n"
                  "    until: 2027-02-30\n"
                  "    tenant: b\n",
                  want);
}

static void test_yaml_errors(void **state)
{
    (void)state;
    static const char *const dup[] = {"3:1: error: duplicate key 'roles' (first at line 1)",
                                      "4:1: error: unknown key 'x'", NULL};
    expect_errors("dup.yaml", "roles: [a]\ncert_warn_days: 1\nroles: [b]\nx: 1\n", dup);

    /* a parse error is located; nothing after it is judged */
    struct config cfg;
    int rc;
    const char *path = put("parse.yaml", "version: 1\ntenants: [a\nroles: x\n");
    char *got = load_capture(&cfg, path, &rc);
    assert_int_equal(rc, -1);
    char prefix[PATH_MAX + 32];
    snprintf(prefix, sizeof(prefix), "%s:3:", path);
    assert_memory_equal(got, prefix, strlen(prefix));
    assert_non_null(strstr(got, ": error: "));
    assert_ptr_equal(strchr(got, '\n'), got + strlen(got) - 1); /* one error only */
    free(got);
    config_free(&cfg);

    /* not a mapping */
    static const char *const list[] = {"2:1: error: the configuration must be a mapping", NULL};
    expect_errors("list.yaml", "\n- a\n", list);
}

static void test_bom(void **state)
{
    (void)state;
    static const char *const want[] = {"1:1: error: unknown key 'colour'",
                                       "2:17: error: 'cert_warn_days' must be a non-negative "
                                       "integer",
                                       NULL};
    expect_errors("bom.yaml",
                  "\xEF\xBB\xBF"
                  "colour: 1\ncert_warn_days: x\n",
                  want);
}

static void test_missing_reason_accepted(void **state)
{
    (void)state;
    struct config cfg;
    int rc;
    const char *path = put("noreason.yaml", "ignore:\n  - rule: foreign-user\n"
                                            "    path: users/*.json\n  - rule: x\n"
                                            "    reason: ok\n");
    char *err = load_capture(&cfg, path, &rc);
    assert_string_equal(err, "");
    assert_int_equal(rc, 0);
    assert_int_equal(cfg.nignores, 2);
    assert_string_equal(cfg.ignores[0].rule, "foreign-user");
    assert_null(cfg.ignores[0].reason);
    assert_string_equal(cfg.ignores[0].path, "users/*.json");
    assert_int_equal(cfg.ignores[0].until_y, 0);
    assert_string_equal(cfg.ignores[1].reason, "ok");
    free(err);
    config_free(&cfg);
}

static void test_defaults(void **state)
{
    (void)state;
    struct config cfg;
    assert_int_equal(config_load(&cfg, NULL), 0);
    assert_null(cfg.path);
    assert_string_equal(cfg.root, ".");
    assert_int_equal(cfg.file, -1);
    assert_null(cfg.doc.root);
    assert_int_equal(cfg.version, 1);
    assert_int_equal(cfg.cert_warn_days, 30);
    assert_int_equal(cfg.roles.n, 3);
    assert_string_equal(cfg.roles.v[0], "admin");
    assert_string_equal(cfg.roles.v[2], "agent");
    assert_null(cfg.roles.node);
    assert_null(cfg.rules_dir);
    assert_int_equal(cfg.tenants_declared, 0);
    assert_int_equal(cfg.ntenants, 1);
    assert_string_equal(cfg.tenants[0].name, "default");
    assert_string_equal(cfg.tenants[0].region, "us1");
    assert_null(cfg.tenants[0].export_path);
    assert_null(cfg.tenants[0].node);
    assert_int_equal(cfg.tenants[0].pattern, 0);
    assert_int_equal(cfg.tenants[0].flex_users, FLEX_USERS_ALL);
    assert_int_equal(cfg.nrules, 0);
    assert_int_equal(cfg.nignores, 0);
    config_free(&cfg);

    /* a file without tenants: one implicit tenant, root = the file's directory */
    char sub[128];
    snprintf(sub, sizeof(sub), "%s/repo", tmp);
    assert_int_equal(mkdir(sub, 0700), 0);
    int rc;
    const char *path = put("repo/.ssolint.yaml", "cert_warn_days: 7\nrules_dir: ./policy/\n"
                                                 "roles: [lead]\n");
    char *err = load_capture(&cfg, path, &rc);
    assert_string_equal(err, "");
    free(err);
    assert_int_equal(rc, 0);
    assert_string_equal(cfg.root, sub);
    assert_int_equal(cfg.tenants_declared, 0);
    assert_int_equal(cfg.ntenants, 1);
    assert_string_equal(cfg.tenants[0].name, "default");
    assert_int_equal(cfg.cert_warn_days, 7);
    assert_int_equal(cfg.roles.n, 1);
    assert_string_equal(cfg.roles.v[0], "lead");
    char want[PATH_MAX + 16];
    snprintf(want, sizeof(want), "%s/policy", sub);
    assert_string_equal(cfg.rules_dir, want);
    config_free(&cfg);

    /* an empty file is all defaults too */
    path = put("empty.yaml", "# nothing\n");
    err = load_capture(&cfg, path, &rc);
    assert_string_equal(err, "");
    free(err);
    assert_int_equal(rc, 0);
    assert_int_equal(cfg.ntenants, 1);
    assert_int_equal(cfg.cert_warn_days, 30);
    config_free(&cfg);

    /* a file that cannot be read is an I/O error, not a located one */
    snprintf(want, sizeof(want), "%s/none.yaml", tmp);
    err = load_capture(&cfg, want, &rc);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err, "ssolint: cannot read"));
    free(err);
    config_free(&cfg);
}

static void test_single_strings_and_flex_users(void **state)
{
    (void)state;
    struct config cfg;
    int rc;
    const char *path = put("single.yaml", "tenants:\n"
                                          "  - name: a\n"
                                          "    email_domains: a.org\n"
                                          "    teams: RAMP\n"
                                          "    auth0:\n"
                                          "      domain: a.us.auth0.com\n"
                                          "      users: /abs/users.json\n"
                                          "      flex_users: [Okta, Azure-AD]\n"
                                          "  - name: b\n"
                                          "    auth0: {flex_users: with-flex}\n"
                                          "    flex: {style: legacy, region: ie1}\n");
    char *err = load_capture(&cfg, path, &rc);
    assert_string_equal(err, "");
    free(err);
    assert_int_equal(rc, 0);
    assert_int_equal(cfg.ntenants, 2);
    const struct cfg_tenant *a = &cfg.tenants[0], *b = &cfg.tenants[1];
    assert_int_equal(a->email_domains.n, 1);
    assert_string_equal(a->email_domains.v[0], "a.org");
    assert_true(json_is_string(a->email_domains.node));
    assert_int_equal(a->teams.n, 1);
    assert_string_equal(a->domains.v[0], "a.us.auth0.com");
    assert_ptr_equal(a->domain_node, a->domains.node);
    assert_string_equal(a->users.v[0], "/abs/users.json");
    assert_int_equal(a->flex_users, FLEX_USERS_CONNECTIONS);
    assert_int_equal(a->flex_users_connections.n, 2);
    assert_string_equal(a->flex_users_connections.v[1], "Azure-AD");
    assert_int_equal(a->pattern, 0);
    assert_non_null(a->teams.node);
    assert_int_equal(b->flex_users, FLEX_USERS_WITH_FLEX);
    assert_string_equal(b->style, "legacy");
    assert_string_equal(b->region, "ie1");
    assert_null(b->teams.node);
    config_free(&cfg);
}

static void test_find(void **state)
{
    int conflict = 0;
    (void)state;
    char d[128], deep[256], real[PATH_MAX], want[PATH_MAX + 32], cwd[PATH_MAX];
    snprintf(d, sizeof(d), "%s/find", tmp);
    assert_int_equal(mkdir(d, 0700), 0);
    snprintf(deep, sizeof(deep), "%s/a", d);
    assert_int_equal(mkdir(deep, 0700), 0);
    snprintf(deep, sizeof(deep), "%s/a/b", d);
    assert_int_equal(mkdir(deep, 0700), 0);
    assert_non_null(realpath(d, real));

    /* nothing in the tree (unless someone left one above /tmp) */
    snprintf(want, sizeof(want), "%s/.ssolint.yaml", real);
    char *f = config_find(deep, &conflict);
    struct stat st;
    if (stat("/tmp/.ssolint.yaml", &st) != 0 && stat("/.ssolint.yaml", &st) != 0)
        assert_null(f);
    free(f);

    write_file(want, "version: 1\n", 11);
    /* found in a parent: the real path (the tree is outside the current directory) */
    f = config_find(deep, &conflict);
    assert_string_equal(f, want);
    free(f);
    /* a file as the start: its directory */
    snprintf(want, sizeof(want), "%s/a/b/x.json", d);
    write_file(want, "{}", 2);
    f = config_find(want, &conflict);
    snprintf(want, sizeof(want), "%s/.ssolint.yaml", real);
    assert_string_equal(f, want);
    free(f);
    /* in the start directory: as given */
    f = config_find(d, &conflict);
    snprintf(want, sizeof(want), "%s/.ssolint.yaml", d);
    assert_string_equal(f, want);
    free(f);
    /* relative to the current directory: above it and in it */
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(deep), 0);
    f = config_find(".", &conflict);
    assert_string_equal(f, "../../.ssolint.yaml");
    free(f);
    assert_int_equal(chdir(d), 0);
    f = config_find("a/b", &conflict);
    assert_string_equal(f, ".ssolint.yaml");
    free(f);
    f = config_find(NULL, &conflict);
    assert_string_equal(f, ".ssolint.yaml");
    assert_int_equal(conflict, 0);
    free(f);
    /* .ssolint.yml is found the same way; both in one directory is an error */
    write_file("a/b/.ssolint.yml", "version: 1\n", 11);
    f = config_find("a/b", &conflict);
    assert_string_equal(f, "a/b/.ssolint.yml");
    assert_int_equal(conflict, 0);
    free(f);
    write_file("a/b/.ssolint.yaml", "version: 1\n", 11);
    f = config_find("a/b", &conflict);
    assert_null(f);
    assert_int_equal(conflict, 1);
    assert_int_equal(chdir(cwd), 0);
}

static char *print_capture(const struct config *cfg)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&buf, &n);
    assert_non_null(m);
    config_print(cfg, m);
    fclose(m);
    return buf;
}

static void test_print(void **state)
{
    (void)state;
    struct config cfg;
    int rc;
    char want[8192];
    char *err = load_capture(&cfg, FULL "/.ssolint.yaml", &rc);
    free(err);
    assert_int_equal(rc, 0);
    char *out = print_capture(&cfg);
    snprintf(want, sizeof(want),
             "# effective configuration of %s/.ssolint.yaml\n"
             "# root: %s\n"
             "version: 1\n"
             "roles: [admin, supervisor, agent]\n"
             "cert_warn_days: 30\n"
             "rules_dir: policy\n"
             "tenants:\n"
             "  - name: nss\n"
             "    organization: NSS\n"
             "    pattern: A\n"
             "    rationale: \"one nonprofit with three programs; senior staff oversee all of "
             "them\"\n"
             "    email_domains: [nss.org]\n"
             "    teams: [RAMP, AdultDayCare, HomeHealth]\n"
             "    auth0:\n"
             "      domain: [nss.us.auth0.com, portal.nss.org]\n"
             "      export: auth0\n"
             "      users: [users/*.json.gz, users/extra.json]\n"
             "      keywords: auth0/config.json\n"
             "      flex_client: Twilio Flex\n"
             "      flex_action: Add Flex Roles to SAML\n"
             "      signing_cert: auth0/signing.pem\n"
             "      flex_users: all\n"
             "    flex:\n"
             "      style: enhanced\n"
             "      region: us1\n"
             "      sso: flex/sso.yaml\n"
             "      configuration: flex/configuration.json\n"
             "      workers: flex/workers.json\n"
             "rules:\n"
             "  team-naming: error\n"
             "  worker-stale: off\n"
             "ignore:\n"
             "  - rule: foreign-user\n"
             "    reason: partner staff with shared access until the merger\n"
             "    tenant: nss\n"
             "    path: users/partners.json\n"
             "    user: volunteer@partner.org\n"
             "    client: Legacy Portal\n"
             "    action: Old Roles Action\n"
             "    value: \"<redacted>\"\n"
             "    until: 2027-01-31\n"
             "    owner: it@nss.org\n",
             FULL, FULL);
    assert_string_equal(out, want);
    free(out);
    config_free(&cfg);

    /* defaults; a sha256 value is shown; strings that would change type are quoted */
    const char *path = put("p.yaml", "ignore:\n  - rule: r\n    value: sha256:ab12\n"
                                     "  - rule: s\n    value: \"yes\"\n    owner: \"123\"\n");
    err = load_capture(&cfg, path, &rc);
    free(err);
    assert_int_equal(rc, 0);
    out = print_capture(&cfg);
    snprintf(want, sizeof(want),
             "# effective configuration of %s\n"
             "# root: %s\n"
             "version: 1\n"
             "roles: [admin, supervisor, agent]\n"
             "cert_warn_days: 30\n"
             "rules_dir: null\n"
             "tenants: []  # none declared: the root is one tenant, found by its layout\n"
             "rules: {}\n"
             "ignore:\n"
             "  - rule: r\n"
             "    value: \"sha256:ab12\"\n"
             "  - rule: s\n"
             "    value: \"<redacted>\"\n"
             "    owner: \"123\"\n",
             path, tmp);
    assert_string_equal(out, want);
    free(out);
    config_free(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_example),
        cmocka_unit_test(test_unknown_keys),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_yaml_errors),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_missing_reason_accepted),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_single_strings_and_flex_users),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_print),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
