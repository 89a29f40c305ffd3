/* model/classify.c - classification of files named on the command line by their
 * content (inputs.md), and --list-inputs. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "model/discover.h"
#include "report/report.h"
#include "base/path.h"

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

/* Classify a file named on the command line by its content (inputs.md). */
enum src_kind discover_sniff(const char *path)
{
    unsigned char buf[8192];
    enum path_verdict v;
    int fd = path_open(path, &v);
    ssize_t got = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
    if (fd >= 0)
        close(fd);
    if (got < 0)
        return SRC_UNKNOWN;
    size_t n = (size_t)got;
    buf[n] = '\0';
    if (n >= 2 && buf[0] == 0x1f && buf[1] == 0x8b)
        return SRC_USERS;
    const char *b = (const char *)buf;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (!strcmp(base, "tenant.yaml") || !strcmp(base, "tenant.yml") || !strcmp(base, "tenant.json"))
        return SRC_TENANT;
    if (has_suffix(path, ".js"))
        return SRC_ACTION_CODE;
    if (has_suffix(path, ".pem") || has_suffix(path, ".crt") || strstr(b, "-----BEGIN CERTIFICATE"))
        return SRC_CERT;
    if (strstr(b, "identity_provider_issuer") || strstr(b, "sso_url") || strstr(b, "metadata_url"))
        return SRC_FLEX_SSO;
    if (has_suffix(path, ".yaml") || has_suffix(path, ".yml")) /* the only YAML inputs */
        return (strstr(b, "clients:") || strstr(b, "actions:") || strstr(b, "tenant:"))
                   ? SRC_TENANT
                   : SRC_FLEX_SSO;
    /* the configuration has an "attributes" key too; camelCase: the Twilio CLI's -o json */
    if (strstr(b, "flex_instance_sid") || strstr(b, "ui_attributes") ||
        strstr(b, "\"flexInstanceSid\"") || strstr(b, "\"uiAttributes\""))
        return SRC_FLEX_CONFIG;
    if (strstr(b, "\"workers\"") || strstr(b, "\"attributes\""))
        return SRC_WORKERS;
    if (strstr(b, "\"AUTH0_"))
        return SRC_KEYWORDS;
    if (strstr(b, "\"post-login\"") || strstr(b, "\"credentials-exchange\""))
        return SRC_TRIGGERS;
    if (strstr(b, "\"supported_triggers\""))
        return SRC_ACTION;
    if (strstr(b, "\"callbacks\"") || strstr(b, "\"app_type\"") || strstr(b, "\"addons\""))
        return SRC_CLIENT;
    if (strstr(b, "\"user_id\"") || strstr(b, "\"app_metadata\"") || strstr(b, "\"email\""))
        return SRC_USERS;
    if (strstr(b, "clients:") || strstr(b, "actions:") || strstr(b, "tenant:"))
        return SRC_TENANT;
    /* users files are the common case; their loader explains CSV, UTF-16 and YAML */
    return SRC_USERS;
}

void list_inputs(FILE *out, const struct model *m, const char *cwd)
{
    for (int id = 0; id < source_count(); id++) {
        const struct source *s = source_get(id);
        if (s->kind == SRC_RULES)
            continue;
        const char *tn = "-";
        if (s->tenant >= 0 && (size_t)s->tenant < m->ntenants) {
            const struct cfg_tenant *ct = m->tenants[s->tenant].cfg;
            tn = ct && ct->name ? ct->name : "default";
        }
        fprintf(out, "%s\t%s\t%s%s%s\n", display_path(id, cwd), src_kind_name(s->kind), tn,
                s->reported ? "" : "\t(not reported)", s->blocked ? "\t(not read)" : "");
    }
}
