/* ssolint.h - the library's entry point: one run of the pipeline (discover, load,
 * check, report) with the options main.c parsed. */
#ifndef SSOLINT_H
#define SSOLINT_H

#include "report/report.h"

/* Exit statuses (cli.md). */
enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

enum format { FMT_AUTO, FMT_GCC, FMT_PRETTY, FMT_JSON, FMT_SARIF, FMT_GITHUB, FMT_JUNIT, FMT_GITLAB,
             FMT_HTML };

/* One --output=NAME:FILE (path NULL: standard output). */
struct output {
    enum format format;
    const char *path;
};

struct sev_override {
    char *id;
    int sev;
};

struct options {
    char **paths;
    int npaths;
    const char *config;
    char **rules_dirs;
    int nrules_dirs;
    const char *select, *ignore_rule;
    struct sev_override *sevs;
    int nsevs;
    enum format format;
    enum column_unit unit;
    int color;          /* -1 auto, 0 never, 1 always */
    int quiet;
    int list_inputs, print_config, list_rules;
    const char *explain;
    const char *now;    /* YYYY-MM-DD */
    int fail_on;        /* severity at which to fail; SEV_OFF = never */
    long max_warnings;  /* -1: no limit */
    struct output *outputs; /* --output NAME:FILE, in order */
    int noutputs;
    long max_per_rule;  /* -1: no cap */
    const char *baseline, *write_baseline;
    int no_ignore;
    int stats;          /* --stats: timings and counts on standard error */
    const char *rule_url; /* --rule-url: rule page URL template with {id} */
    int init;           /* --init: write a first .ssolint.yaml (init.c) */
    int fix;            /* --fix: write the fixes */
    int unsafe_fixes;   /* --unsafe-fixes: apply unsafe fixes too */
    int diff;           /* --diff: print the fixes as a diff, write nothing */
    const char *remediation; /* --remediation FILE */
};

int ssolint_run(const struct options *o);
/* --init: write .ssolint.yaml in the directory of the first PATH from what discovery finds;
 * never replaces an existing file. Returns an exit status. */
int ssolint_init(const struct options *o);

#endif
