/* suppress.c - placeholder until suppressions and baselines land: nothing is
 * suppressed; asking for a baseline is a usage error. */
#include "suppress.h"
#include "util.h"

void suppress_apply(struct model *m, int no_ignore)
{
    (void)m, (void)no_ignore;
}

int baseline_filter(const char *path, const struct report_opts *o)
{
    (void)path, (void)o;
    return error("--baseline is not available yet");
}

int baseline_write(const char *path, const struct report_opts *o)
{
    (void)path, (void)o;
    return error("--write-baseline is not available yet");
}
