/* suppress/suppress.h - the report stage's filters: `ignore:` entries of .ssolint.yaml, inline
 * `ssolint-disable` directives, and the baseline (cli.md, config.md). */
#ifndef SSOLINT_SUPPRESS_H
#define SSOLINT_SUPPRESS_H

#include <stdint.h>

#include "model/model.h"
#include "report/report.h"

/* Mark findings matched by ignore entries and inline directives F_SUPPRESSED, and add
 * the meta findings (unused-ignore, ignore-expired, bad-suppression). no_ignore turns
 * the config's entries off. */
void suppress_apply(struct model *m, int no_ignore);

/* --baseline: mark findings recorded in the file F_BASELINED. Returns 0 or -1 (error
 * printed: an unreadable or invalid baseline is a usage error). */
int baseline_filter(const char *path, const struct report_opts *o);
/* --baseline, before linting: the file can be read (through the path guard) and is JSON.
 * Returns 0 or -1 (error printed). */
int baseline_check(const char *path);
/* --write-baseline: record the (unsuppressed) findings. Returns 0 or -1. */
int baseline_write(const char *path, const struct report_opts *o);

#endif
