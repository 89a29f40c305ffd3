/* load/ci_template.c - the templates that CI fills before deploy-cli runs (envsubst,
 * shell, GitHub Actions): `${NAME}`, `${NAME:-default}`, `${{ expr }}`, `$NAME` and
 * `<name>`. They are recognised by hand because they are a few fixed shapes at a byte
 * position of the raw text (no regular expression library call per byte). */
#include "load/ci_template.h"

static int is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int is_env_start(char c)
{
    return (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_env_char(char c)
{
    return is_env_start(c) || (c >= '0' && c <= '9');
}

/* `${{ expr }}` (GitHub Actions) or `${NAME}` / `${NAME:-default}` (shell, envsubst)
 * at t[i] (t[i+1] == '{'): its length, 0 when none. */
static size_t match_brace_template(const char *t, size_t len, size_t i)
{
    size_t k = i + 2;
    if (k < len && t[k] == '{') {
        for (k++; k + 1 < len && t[k] != '\n' && k - i < 512; k++)
            if (t[k] == '}' && t[k + 1] == '}')
                return k + 2 - i;
        return 0;
    }
    size_t s = k;
    while (k < len && is_key_char(t[k]))
        k++;
    if (k == s || (t[s] >= '0' && t[s] <= '9'))
        return 0;
    while (k < len && t[k] != '}' && t[k] != '\n' && t[k] != '"' && k - i < 256)
        k++;
    return k < len && t[k] == '}' ? k + 1 - i : 0;
}

/* Length of a CI template at t[i], 0 when there is none. `$NAME` is an environment
 * variable's name: uppercase, so `$2b$10$Ab...` (a bcrypt hash) and `$ref` are not. */
size_t ci_template_len(const char *t, size_t len, size_t i)
{
    size_t k = i + 1;
    if (t[i] == '$') {
        if ((i > 0 && (t[i - 1] == '$' || t[i - 1] == '\\')) || k >= len)
            return 0;
        if (t[k] == '{')
            return match_brace_template(t, len, i);
        if (!is_env_start(t[k]))
            return 0;
        while (k < len && is_env_char(t[k]))
            k++;
        return k < len && t[k] >= 'a' && t[k] <= 'z' ? 0 : k - i;
    }
    if (t[i] != '<' || (i > 0 && is_key_char(t[i - 1])) || k >= len ||
        !((t[k] >= 'a' && t[k] <= 'z') || (t[k] >= 'A' && t[k] <= 'Z')))
        return 0;
    while (k < len && k - i < 64 && (is_key_char(t[k]) || t[k] == ' ' || t[k] == '.' || t[k] == '-'))
        k++;
    return k < len && t[k] == '>' ? k + 1 - i : 0;
}


int ci_template_in(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((s[i] == '$' || s[i] == '<') && ci_template_len(s, n, i))
            return 1;
    return 0;
}
