/* report_machine.c - placeholder for the machine formats (json, sarif, github, junit,
 * gitlab) until they land: asking for one is a usage error. */
#include "report.h"
#include "util.h"

static int unavailable(const char *name)
{
    return error("the %s format is not available yet", name);
}

int report_json(FILE *out, const struct report_opts *o)
{
    (void)out, (void)o;
    return unavailable("json");
}

int report_sarif(FILE *out, const struct report_opts *o)
{
    (void)out, (void)o;
    return unavailable("sarif");
}

int report_github(FILE *out, const struct report_opts *o)
{
    (void)out, (void)o;
    return unavailable("github");
}

int report_junit(FILE *out, const struct report_opts *o)
{
    (void)out, (void)o;
    return unavailable("junit");
}

int report_gitlab(FILE *out, const struct report_opts *o)
{
    (void)out, (void)o;
    return unavailable("gitlab");
}
