/* rules/ruleset.c - where the built-in rule set lives and how it is named: the data
 * directory (with the fallback next to the executable that makes an install relocatable),
 * the rule set's version (a hash of its files, printed by --version) and the URL of a
 * rule's page (rule_url / --rule-url). */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "load/load.h"
#include "rules/rules.h"

static char *url_template;

static int has_rules(const char *dir)
{
    char *p = xasprintf("%s/rules", dir);
    struct stat st;
    int ok = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
    free(p);
    return ok;
}

/* The directory of the running executable (new string) or NULL. */
static char *exe_dir(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    return xstrdup(exe);
}

char *rules_datadir(void)
{
    const char *e = getenv("SSOLINT_DATADIR");
    if (e && *e)
        return xstrdup(e);
    char *dir = exe_dir(), *found = NULL;
#if defined(ABS_BUILDDIR) && defined(ABS_SRCDIR)
    if (dir && strcmp(dir, ABS_BUILDDIR "/src") == 0)
        found = xstrdup(ABS_SRCDIR);
#endif
#ifdef PKGDATADIR
    if (!found && has_rules(PKGDATADIR))
        found = xstrdup(PKGDATADIR);
#endif
    if (!found && dir) { /* installed elsewhere (make install DESTDIR=..., a moved tree) */
        char *rel = xasprintf("%s/../share/ssolint", dir);
        if (has_rules(rel))
            found = rel;
        else
            free(rel);
    }
    free(dir);
#ifdef PKGDATADIR
    return found ? found : xstrdup(PKGDATADIR);
#else
    return found ? found : xstrdup(".");
#endif
}

/* FNV-1a over the bytes, continuing from h. */
static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h;
}

char *ruleset_version(const char *datadir, size_t *nfiles)
{
    char *rdir = xasprintf("%s/rules", datadir);
    size_t n = 0;
    char **names = rules_dir_files(rdir, &n);
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        char *text = file_read(names[i], LOAD_MAX_DOC, &len);
        const char *base = strrchr(names[i], '/') + 1;
        h = fnv1a(h, base, strlen(base) + 1);
        h = fnv1a(h, text ? text : "", text ? len : 0);
        h = fnv1a(h, "", 1);
        free(text);
        free(names[i]);
    }
    free(names);
    free(rdir);
    *nfiles = n;
    return xasprintf("%016llx", (unsigned long long)h);
}

int rules_set_url(const char *tmpl)
{
    free(url_template);
    url_template = NULL;
    if (!tmpl)
        return 0;
    if (!rule_url_valid(tmpl))
        return -1;
    url_template = xstrdup(tmpl);
    return 0;
}

int rule_url_valid(const char *tmpl)
{
    return (!strncmp(tmpl, "https://", 8) || !strncmp(tmpl, "http://", 7)) &&
           strstr(tmpl, "{id}") && !strpbrk(tmpl, " \t\n\r\"<>");
}

char *rule_url(const char *id)
{
    if (!url_template)
        return NULL;
    struct strbuf sb = STRBUF_INIT;
    for (const char *p = url_template, *q; *p; p = q + 4) {
        if (!(q = strstr(p, "{id}"))) {
            sb_adds(&sb, p);
            break;
        }
        sb_add(&sb, p, (size_t)(q - p));
        sb_adds(&sb, id);
    }
    return sb_detach(&sb);
}
