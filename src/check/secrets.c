/* check/secrets.c - the check functions of the `secrets` rule group (rules/secrets.yaml)
 * and the masking pass that runs before every check (rules.md "Masking"):
 *
 *   secret_fields  check/fn/secret_fields.c  values at secret-bearing JSON pointers of the
 *                                         export (secret-in-export)
 *   secret_code    check/fn/secret_code.c    credential-like string literals in Action code
 *                                         (secret-in-code)
 *   secret_names   check/fn/secret_names.c   deploy-cli config values whose names say they
 *                                         are secrets (secret-in-config)
 *
 * Masking does not depend on the rules being on: `--select input` on a repository with
 * a plain-text secret must not print it in a snippet either. So secrets_mask() asks every
 * loaded rule of these functions (built-in or the user's, on or off) for its ranges. */
#include <stdlib.h>
#include <string.h>

#include "base/secret_text.h"
#include "check/secrets.h"
#include "check/util.h"
#include "rules/finding.h"
#include "report/report.h"

/* The functions this group registers (see check.h); the table ends with NULL. */
const struct check_fn *const check_group_secrets[] = {
    &check_secret_fields_fn,
    &check_secret_code_fn,
    &check_secret_names_fn,
    NULL,
};

int sx_compile(json_t *options, const char *key, int required, pcre2_code **out,
               struct strbuf *err)
{
    *out = NULL;
    json_t *v = json_object_get(options, key);
    if (!v) {
        if (!required)
            return 0;
        sb_addf(err, "options.%s is required (a PCRE2 pattern)", key);
        return -1;
    }
    if (!json_is_string(v)) {
        sb_addf(err, "options.%s must be a string holding a PCRE2 pattern", key);
        return -1;
    }
    struct chk_regex_err e;
    *out = chk_regex_compile(json_string_value(v), json_string_length(v),
                             PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &e);
    if (!*out) {
        sb_addf(err, "options.%s is not a valid PCRE2 pattern: %s at offset %zu", key, e.msg,
                e.off);
        return -1;
    }
    return 0;
}

int sx_match(const pcre2_code *re, const char *s, size_t n)
{
    return re && chk_regex_match(re, s, n);
}

void sx_free(pcre2_code *re)
{
    pcre2_code_free(re);
}

void sx_mask(int file, uint64_t start, uint64_t end)
{
    if (end <= start)
        return;
    source_add_mask(file, start, end);
    /* the text too, for wherever it lands outside this range (base/secret_text.h); a
     * placeholder holds no secret, and JSON's literals are no one's secret */
    const struct source *s = source_get(file);
    if (!s || !s->text || end > s->len || sx_bare_placeholder(file, start, end))
        return;
    size_t n = (size_t)(end - start);
    const char *p = s->text + start;
    if (!(n == 4 && (!memcmp(p, "null", 4) || !memcmp(p, "true", 4))) &&
        !(n == 5 && !memcmp(p, "false", 5)))
        secret_text_add_raw(p, n);
}

int sx_bare_placeholder(int file, uint64_t start, uint64_t end)
{
    const struct source *s = source_get(file);
    if (!s || !s->text || end > s->len || end < start + 4)
        return 0;
    const char *p = s->text + start;
    size_t n = (size_t)(end - start);
    if (n >= 2 && (p[0] == '"' || p[0] == '\'') && p[n - 1] == p[0]) {
        p++;
        n -= 2;
    }
    if (n < 5 || (p[0] != '#' && p[0] != '@') || p[1] != p[0] || p[n - 1] != p[0] ||
        p[n - 2] != p[0])
        return 0;
    for (size_t i = 2; i < n - 2; i++)
        if (!(p[i] == '_' || (p[i] >= '0' && p[i] <= '9') || (p[i] >= 'A' && p[i] <= 'Z') ||
              (p[i] >= 'a' && p[i] <= 'z')))
            return 0;
    return 1;
}

/* Findings made before the masks existed (the loaders') inside a secret range. */
static void flag_earlier_findings(void)
{
    for (size_t i = 0; i < findings_count(); i++) {
        struct finding *f = findings_get(i);
        if (f->at.file >= 0 && source_masked(f->at.file, f->at.start, f->at.end))
            f->flags |= F_SECRET;
    }
}

void secrets_mask(struct model *m)
{
    for (int i = 0; i < rule_count(); i++) {
        const struct rule *r = rule_get(i);
        const struct check_fn *cf = check_find(r->check);
        void (*mask)(const struct rule *, struct tenant *) =
            cf == &check_secret_fields_fn ? secret_fields_mask
            : cf == &check_secret_code_fn ? secret_code_mask
            : cf == &check_secret_names_fn ? secret_names_mask : NULL;
        if (!mask || !r->state)
            continue;
        findings_mark_secret_rule(i);
        for (size_t k = 0; k < m->ntenants; k++)
            mask(r, &m->tenants[k]);
    }
    flag_earlier_findings();
    findings_scrub();
}
