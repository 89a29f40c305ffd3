/* rules/stats.h - `--stats` (cli.md): time per stage, per-rule finding counts and time, and the
 * rule groups skipped for lack of input, printed to standard error after the summary. */
#ifndef STATS_H
#define STATS_H

#include <stdint.h>
#include <stdio.h>

struct model;

enum stats_stage { STAGE_RULES, STAGE_DISCOVER, STAGE_LOAD, STAGE_CHECK, STAGE_REPORT, STAGE_COUNT };

/* Nonzero while --stats is on: check.c times each call of a check function only then. */
extern int stats_on;

void stats_enable(int nrules);
uint64_t stats_clock(void);                 /* monotonic nanoseconds */
void stats_stage_add(enum stats_stage s, uint64_t ns);
void stats_rule_add(int ri, uint64_t ns);   /* time spent in rule ri's check function */
void stats_print(FILE *out, const struct model *m);
void stats_free(void);

#endif
