/* run.c - one run of the pipeline in the order data flows: config and rules, then
 * discover -> load -> check -> report, and the exit status of cli.md. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/secret_text.h"
#include "check/check.h"
#include "config/config.h"
#include "fix/fix.h"
#include "model/discover.h"
#include "load/users.h"
#include "model/model.h"
#include "report/report.h"
#include "rules/rules.h"
#include "ssolint.h"
#include "rules/stats.h"
#include "suppress/suppress.h"
#include "base/path.h"
#include "base/util.h"

static char *start_dir(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return xstrdup(path);
    char *copy = xstrdup(path);
    char *d = xstrdup(dirname(copy));
    free(copy);
    return d;
}

static int load_rules(const struct options *o, const struct config *cfg)
{
    char *datadir = rules_datadir();
    int rc = rules_load_dir(datadir, 1);
    free(datadir);
    if (cfg->rules_dir && rules_load_dir(cfg->rules_dir, 0) < 0)
        rc = -1;
    for (int i = 0; i < o->nrules_dirs; i++)
        if (rules_load_dir(o->rules_dirs[i], 0) < 0)
            rc = -1;
    if (o->rule_url ? rules_set_url(o->rule_url) : rules_set_url(cfg->rule_url)) {
        const struct loc *l = o->rule_url ? NULL : doc_key(&cfg->doc, cfg->doc.root, "rule_url");
        const char *what = "must be an http:// or https:// URL with {id} where the rule id goes";
        rc = o->rule_url ? error("--rule-url %s, not '%s'", what, o->rule_url)
                         : source_error(cfg->file, l ? l->start : 0, "'rule_url' %s", what);
    }
    if (rc < 0)
        return -1;
    for (size_t i = 0; i < cfg->nrules; i++) {
        if (!rules_set_severity(cfg->rules[i].id, cfg->rules[i].severity)) {
            json_t *map = json_object_get(cfg->doc.root, "rules");
            const struct loc *l = doc_key(&cfg->doc, map, cfg->rules[i].id);
            source_error(cfg->file, l ? l->key : 0, "unknown rule or group '%s'%s (see --list-rules)",
                         cfg->rules[i].id, rule_suggest(cfg->rules[i].id));
            rc = -1;
        }
    }
    for (int i = 0; i < o->nsevs; i++)
        if (!rules_set_severity(o->sevs[i].id, o->sevs[i].sev))
            rc = error("--severity: unknown rule or group '%s'%s (see --list-rules)", o->sevs[i].id,
                       rule_suggest(o->sevs[i].id));
    if (o->select && rules_select(o->select) < 0)
        rc = -1;
    if (o->ignore_rule && rules_ignore(o->ignore_rule) < 0)
        rc = -1;
    return rc;
}

/* --now=YYYY-MM-DD is 00:00:00 UTC of that day; else the current time. */
static int64_t run_time(const char *now)
{
    int y, mo, d;
    if (now && sscanf(now, "%d-%d-%d", &y, &mo, &d) == 3) {
        /* days from civil (Howard Hinnant's algorithm), no timezone involved */
        y -= mo <= 2;
        int64_t era = (y >= 0 ? y : y - 399) / 400;
        int64_t yoe = y - era * 400;
        int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return (era * 146097 + doe - 719468) * 86400;
    }
    return (int64_t)time(NULL);
}

static void list_rules(void)
{
    for (int i = 0; i < rule_count(); i++) {
        const struct rule *r = rule_get(i);
        printf("%-28s %-8s %-8s %-6s %s\n", r->id, r->group, severity_name(r->severity),
               r->fix ? fix_safety_name(r->fix) : "-", r->summary);
    }
}

static int explain(const char *id)
{
    int i = rule_find(id);
    if (i < 0)
        return error("unknown rule '%s'%s (see --list-rules)", id, rule_suggest(id));
    char *page = rule_page_text(rule_get(i));
    if (!page)
        return error("rule '%s' has no page", id);
    fputs(page, stdout);
    free(page);
    return 0;
}

static size_t files_checked(void)
{
    size_t n = 0;
    for (int id = 0; id < source_count(); id++) {
        const struct source *s = source_get(id);
        n += s->reported && s->kind != SRC_RULES && s->kind != SRC_CONFIG;
    }
    return n;
}

static void print_summary(const struct summary *s)
{
    struct strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "%zu error%s, %zu warning%s", s->errors, s->errors == 1 ? "" : "s",
            s->warnings, s->warnings == 1 ? "" : "s");
    if (s->notes)
        sb_addf(&sb, ", %zu note%s", s->notes, s->notes == 1 ? "" : "s");
    sb_addf(&sb, " in %zu file%s", s->files, s->files == 1 ? "" : "s");
    fflush(stdout);
    fprintf(stderr, "ssolint: %s\n", sb_str(&sb));
    sb_free(&sb);
}

static int exit_status(const struct options *o, const struct summary *s, int io_errors)
{
    if (io_errors)
        return EXIT_USAGE;
    if (o->fail_on == SEV_OFF)
        return EXIT_CLEAN;
    size_t at_or_above = s->errors;
    if (o->fail_on <= SEV_WARNING)
        at_or_above += s->warnings;
    if (o->fail_on <= SEV_NOTE)
        at_or_above += s->notes;
    if (at_or_above)
        return EXIT_FINDINGS;
    if (o->max_warnings >= 0 && s->warnings > (size_t)o->max_warnings)
        return EXIT_FINDINGS;
    return EXIT_CLEAN;
}

static int write_format(FILE *out, enum format f, const struct report_opts *ro)
{
    switch (f) {
    case FMT_PRETTY: report_pretty(out, ro); return 0;
    case FMT_JSON: return report_json(out, ro);
    case FMT_SARIF: return report_sarif(out, ro);
    case FMT_GITHUB: return report_github(out, ro);
    case FMT_JUNIT: return report_junit(out, ro);
    case FMT_GITLAB: return report_gitlab(out, ro);
    case FMT_HTML: return report_html(out, ro);
    default: report_gcc(out, ro); return 0;
    }
}

static int is_stdout(const char *path)
{
    return !strcmp(path, "-");
}

/* Standard output in the chosen format, then each --output: `--output NAME:FILE` adds a
 * report and leaves standard output's in place; `NAME:-` is standard output itself (it
 * replaces the default report there unless --format was given). Returns 0 or -1. */
static int report(const struct options *o, enum format fmt, struct report_opts *ro)
{
    int tty = isatty(STDOUT_FILENO);
    const char *nc = getenv("NO_COLOR");
    int rc = 0, dash = 0;
    for (int i = 0; i < o->noutputs; i++)
        dash |= is_stdout(o->outputs[i].path);
    ro->color = o->color == 1 || (o->color == -1 && tty && !(nc && *nc));
    if (!dash || o->format != FMT_AUTO)
        rc |= write_format(stdout, fmt, ro);
    ro->color = 0;
    for (int i = 0; i < o->noutputs; i++)
        if (is_stdout(o->outputs[i].path))
            rc |= write_format(stdout, o->outputs[i].format, ro);
    fflush(stdout);
    for (int i = 0; i < o->noutputs; i++) {
        if (is_stdout(o->outputs[i].path))
            continue;
        FILE *f = fopen(o->outputs[i].path, "w");
        if (!f) {
            rc = error("cannot write '%s': %s", o->outputs[i].path, strerror(errno));
            continue;
        }
        rc |= write_format(f, o->outputs[i].format, ro);
        if (fclose(f) != 0)
            rc = error("cannot write '%s': %s", o->outputs[i].path, strerror(errno));
    }
    return rc ? -1 : 0;
}

/* What one pass over the tree does: lint and report; lint and apply the fixes (nothing
 * reported); lint quietly for the exit status only (--diff's look at the fixed tree). */
enum run_mode { RUN_LINT, RUN_FIX, RUN_QUIET };

/* Apply the fixes of the findings just made (RUN_FIX). Returns 0 or -1. */
static int apply_fixes(const struct options *o, const struct report_opts *ro,
                       struct fix_counts *fc)
{
    int bad = o->baseline && baseline_filter(o->baseline, ro) < 0;
    struct fix_opts fo = {o->fix, o->unsafe_fixes, o->diff ? stdout : NULL, o->diff,
                          o->remediation, ro->root};
    bad |= fix_run(&fo, fc) < 0;
    fflush(stdout);
    return bad ? -1 : 0;
}

static int run_once(const struct options *o, enum run_mode mode, struct fix_counts *fc)
{
    struct config cfg;
    struct model m;
    int rc = EXIT_USAGE;
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof(cwd)))
        strcpy(cwd, ".");
    memset(&cfg, 0, sizeof(cfg));
    memset(&m, 0, sizeof(m));
    uint64_t t0 = stats_clock(), t1;
    char *cfgpath = NULL;
    if (o->config) {
        cfgpath = xstrdup(o->config);
    } else {
        char *sd = start_dir(o->paths[0]);
        int conflict;
        cfgpath = config_find(sd, &conflict);
        free(sd);
        if (conflict)
            goto out;
    }
    path_guard_reset();
    if (config_load(&cfg, cfgpath) < 0)
        goto out;
    for (int i = 0; i < o->npaths; i++)
        path_guard_named(o->paths[i]);
    for (int i = 0; i < o->nrules_dirs; i++)
        path_guard_named(o->rules_dirs[i]);
    if (o->baseline)
        path_guard_named(o->baseline);
    if (load_rules(o, &cfg) < 0)
        goto out;
    if (o->list_rules) {
        list_rules();
        rc = EXIT_CLEAN;
        goto out;
    }
    if (o->explain) {
        rc = explain(o->explain) < 0 ? EXIT_USAGE : EXIT_CLEAN;
        goto out;
    }
    if (o->print_config) {
        config_print(&cfg, stdout);
        rc = EXIT_CLEAN;
        goto out;
    }
    if (o->baseline && baseline_check(o->baseline) < 0)
        goto out; /* a bad baseline is a usage error: nothing is linted */
    if (o->stats && mode == RUN_LINT)
        stats_enable(rule_count());
    stats_stage_add(STAGE_RULES, (t1 = stats_clock()) - t0);
    m.cfg = &cfg;
    m.now = run_time(o->now);
    enum format fmt = o->format == FMT_AUTO ? (isatty(STDOUT_FILENO) ? FMT_PRETTY : FMT_GCC)
                                            : o->format;
    int pretty = fmt == FMT_PRETTY || fmt == FMT_HTML;
    for (int i = 0; i < o->noutputs; i++)
        pretty |= o->outputs[i].format == FMT_PRETTY || o->outputs[i].format == FMT_HTML;
    findings_keep_snippets(pretty);
    users_set_progress(isatty(STDERR_FILENO) && !o->quiet);
    t0 = stats_clock();
    discover(&m, o->paths, o->npaths);
    stats_stage_add(STAGE_DISCOVER, (t1 = stats_clock()) - t0);
    model_load(&m);
    model_select(&m);
    stats_stage_add(STAGE_LOAD, (t0 = stats_clock()) - t1);
    if (o->list_inputs) {
        list_inputs(stdout, &m, cwd);
        rc = m.io_errors ? EXIT_USAGE : EXIT_CLEAN;
        goto out;
    }
    check_run(&m);
    findings_blocked();
    suppress_apply(&m, o->no_ignore);
    stats_stage_add(STAGE_CHECK, (t1 = stats_clock()) - t0);
    findings_resolve(pretty);
    findings_sort();
    const char **names = xcalloc(m.ntenants + 1, sizeof(*names));
    for (size_t i = 0; i < m.ntenants; i++)
        names[i] = m.tenants[i].cfg && m.tenants[i].cfg->name ? m.tenants[i].cfg->name : "default";
    struct report_opts ro = {o->unit, 0, cwd, cfg.root, names, m.ntenants, o->max_per_rule};
    if (mode == RUN_FIX) {
        rc = apply_fixes(o, &ro, fc) < 0 || m.io_errors ? EXIT_USAGE : EXIT_CLEAN;
        free(names);
        goto out;
    }
    int bad = (o->baseline && baseline_filter(o->baseline, &ro) < 0) |
              (mode == RUN_LINT && o->write_baseline && baseline_write(o->write_baseline, &ro) < 0) |
              (mode == RUN_LINT && report(o, fmt, &ro) < 0);
    free(names);
    struct summary s;
    report_summary(&s);
    s.files = files_checked();
    stats_stage_add(STAGE_REPORT, stats_clock() - t1);
    if (!o->quiet && mode == RUN_LINT)
        print_summary(&s);
    if (o->stats && mode == RUN_LINT)
        stats_print(stderr, &m);
    rc = bad ? EXIT_USAGE : exit_status(o, &s, m.io_errors);
out:
    model_free(&m);
    config_free(&cfg);
    free(cfgpath);
    findings_free();
    claims_free();
    stats_free();
    rules_free();
    source_free_all();
    path_guard_reset();
    secret_text_free();
    return rc;
}

/* After the fixes: what was done, on standard error. */
static void print_fixed(const struct options *o, const struct fix_counts *c)
{
    if (o->quiet)
        return;
    fflush(stdout);
    fprintf(stderr, "ssolint: %s %zu fix%s in %zu file%s", o->fix ? "applied" : "would apply",
            c->applied, c->applied == 1 ? "" : "es", c->files, c->files == 1 ? "" : "s");
    if (c->skipped)
        fprintf(stderr, "; %zu not applied", c->skipped);
    if (c->unsafe_left)
        fprintf(stderr, "; %zu more with --unsafe-fixes", c->unsafe_left);
    fputc('\n', stderr);
}

int ssolint_run(const struct options *o)
{
    if (!o->fix && !o->diff && !o->remediation)
        return run_once(o, RUN_LINT, NULL);
    if (o->list_rules || o->explain || o->print_config || o->list_inputs)
        return run_once(o, RUN_LINT, NULL);
    struct fix_counts c;
    memset(&c, 0, sizeof(c));
    int rc = run_once(o, RUN_FIX, &c);
    if (rc == EXIT_USAGE && !c.applied && !c.skipped && !c.errors)
        return rc; /* nothing was linted (a bad config, rule file or baseline) */
    if (o->fix || o->diff)
        print_fixed(o, &c);
    /* what remains: a lint of the fixed tree (--diff: of the tree as --fix would leave
     * it, for the exit status only) */
    int rc2 = run_once(o, o->diff && !o->fix ? RUN_QUIET : RUN_LINT, NULL);
    source_overlay_free();
    return rc == EXIT_USAGE || c.errors ? EXIT_USAGE : rc2;
}
