/* main.c - parses the command line (cli.md) and hands the options to the library. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "rules/finding.h"
#include "rules/rules.h"
#include "ssolint.h"
#include "base/util.h"

static void usage(FILE *out)
{
    fputs("Usage: ssolint [OPTION]... [PATH]...\n"
          "Lint Auth0 + Twilio Flex SSO configuration repositories (default PATH: .).\n"
          "\n"
          "Input:\n"
          "  --config FILE          use FILE instead of the nearest .ssolint.yaml\n"
          "  --rules-dir DIR        load more rule files from DIR (repeatable)\n"
          "  --init                 write a first .ssolint.yaml in PATH from what is found there\n"
          "  --now YYYY-MM-DD       the date certificates and ignore entries are judged at\n"
          "\n"
          "Rules:\n"
          "  --select LIST          run only these rule ids or groups (comma separated)\n"
          "  --ignore-rule LIST     do not run these rule ids or groups\n"
          "  --severity ID=LEVEL    set a rule's or group's severity (error|warning|note|off)\n"
          "  --list-rules           list the rules and exit\n"
          "  --explain ID           print a rule's page (symptom, why, fix) and exit\n"
          "\n"
          "Output:\n"
          "  --format NAME          gcc | pretty | auto (default: pretty on a terminal, else gcc)\n"
          "                         | json | sarif | github | junit | gitlab | html\n"
          "  --output NAME:FILE     also write format NAME to FILE (repeatable); standard\n"
          "                         output keeps its report; NAME:- writes NAME to standard\n"
          "                         output instead of the default report\n"
          "  --max-per-rule N       report at most N findings of each rule\n"
          "  --column-unit UNIT     codepoint (default) | byte | utf16\n"
          "  --color WHEN           auto (default) | always | never\n"
          "  -q, --quiet            no summary line\n"
          "  --stats                time per stage and per rule, findings per rule and\n"
          "                         the groups skipped for lack of input, on standard error\n"
          "  --fail-on LEVEL        error (default) | warning | note | never\n"
          "  --baseline FILE        report only findings that are not in FILE\n"
          "  --write-baseline FILE  record the current findings in FILE\n"
          "  --no-ignore            turn off every ignore entry of .ssolint.yaml (audits)\n"
          "  --max-warnings N       fail when there are more than N warnings\n"
          "  --rule-url URL         link rules to URL, {id} replaced by the rule id\n"
          "\n"
          "Fixes:\n"
          "  --fix                  apply the safe fixes, then report what remains\n"
          "                         (see doc/fix.md)\n"
          "  --unsafe-fixes         with --fix or --diff: the unsafe fixes too\n"
          "  --diff                 print the fixes as a unified diff; write nothing\n"
          "  --remediation FILE     write the Management API calls that fix the live\n"
          "                         tenant's users (one JSON line per user)\n"
          "\n"
          "Information:\n"
          "  --list-inputs          print every input found and how it was classified\n"
          "  --print-config         print the effective configuration\n"
          "  --version              print the version, the rule set's and the git commit's\n"
          "  -h, --help             print this help\n"
          "\n"
          "Exit status: 0 no finding at or above the fail level, 1 findings, 2 usage or I/O error.\n"
          "Rule pages: ssolint --explain ID; the manual: man ssolint.\n",
          out);
}

enum {
    OPT_CONFIG = 256, OPT_RULES_DIR, OPT_NOW, OPT_SELECT, OPT_IGNORE_RULE, OPT_SEVERITY,
    OPT_LIST_RULES, OPT_EXPLAIN, OPT_FORMAT, OPT_COLUMN_UNIT, OPT_COLOR, OPT_FAIL_ON,
    OPT_MAX_WARNINGS, OPT_LIST_INPUTS, OPT_PRINT_CONFIG, OPT_VERSION, OPT_OUTPUT,
    OPT_MAX_PER_RULE, OPT_BASELINE, OPT_WRITE_BASELINE, OPT_NO_IGNORE,
    OPT_STATS, OPT_RULE_URL, OPT_INIT, OPT_FIX, OPT_UNSAFE_FIXES, OPT_DIFF, OPT_REMEDIATION,
};

#define FORMAT_NAMES "gcc, pretty, auto, json, sarif, github, junit, gitlab, html"

static int format_parse_n(const char *s, size_t n)
{
    static const char *const names[] = {
        [FMT_AUTO] = "auto",   [FMT_GCC] = "gcc",     [FMT_PRETTY] = "pretty",
        [FMT_JSON] = "json",   [FMT_SARIF] = "sarif", [FMT_GITHUB] = "github",
        [FMT_JUNIT] = "junit", [FMT_GITLAB] = "gitlab", [FMT_HTML] = "html",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
        if (strlen(names[i]) == n && !strncmp(names[i], s, n))
            return (int)i;
    return -1;
}

static int format_parse(const char *s)
{
    return format_parse_n(s, strlen(s));
}

static const struct option longopts[] = {
    {"config", required_argument, NULL, OPT_CONFIG},
    {"rules-dir", required_argument, NULL, OPT_RULES_DIR},
    {"now", required_argument, NULL, OPT_NOW},
    {"select", required_argument, NULL, OPT_SELECT},
    {"ignore-rule", required_argument, NULL, OPT_IGNORE_RULE},
    {"severity", required_argument, NULL, OPT_SEVERITY},
    {"list-rules", no_argument, NULL, OPT_LIST_RULES},
    {"explain", required_argument, NULL, OPT_EXPLAIN},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"column-unit", required_argument, NULL, OPT_COLUMN_UNIT},
    {"color", required_argument, NULL, OPT_COLOR},
    {"colour", required_argument, NULL, OPT_COLOR},
    {"quiet", no_argument, NULL, 'q'},
    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
    {"max-warnings", required_argument, NULL, OPT_MAX_WARNINGS},
    {"list-inputs", no_argument, NULL, OPT_LIST_INPUTS},
    {"print-config", no_argument, NULL, OPT_PRINT_CONFIG},
    {"version", no_argument, NULL, OPT_VERSION},
    {"output", required_argument, NULL, OPT_OUTPUT},
    {"max-per-rule", required_argument, NULL, OPT_MAX_PER_RULE},
    {"baseline", required_argument, NULL, OPT_BASELINE},
    {"write-baseline", required_argument, NULL, OPT_WRITE_BASELINE},
    {"no-ignore", no_argument, NULL, OPT_NO_IGNORE},
    {"stats", no_argument, NULL, OPT_STATS},
    {"rule-url", required_argument, NULL, OPT_RULE_URL},
    {"init", no_argument, NULL, OPT_INIT},
    {"fix", no_argument, NULL, OPT_FIX},
    {"unsafe-fixes", no_argument, NULL, OPT_UNSAFE_FIXES},
    {"diff", no_argument, NULL, OPT_DIFF},
    {"remediation", required_argument, NULL, OPT_REMEDIATION},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static int valid_date(const char *s)
{
    int y, mo, d;
    char extra;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &mo, &d, &extra) != 3)
        return 0;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
        return 0;
    if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    return 1;
}

static int bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int bad(const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    error("%s (see --help)", sb_str(&sb));
    sb_free(&sb);
    return EXIT_USAGE;
}

/* --version: the program, the rule set it would load, the commit it was built from. */
static int print_version(void)
{
    char *dir = rules_datadir();
    size_t n = 0;
    char *v = ruleset_version(dir, &n);
    printf("ssolint %s\nrule set %s (%zu files in %s/rules)\n", PACKAGE_VERSION, v, n, dir);
    if (*GIT_DESCRIBE)
        printf("built from git %s\n", GIT_DESCRIBE);
    free(v);
    free(dir);
    return EXIT_CLEAN;
}

extern const struct rules_catalogue builtin_catalogue; /* src/catalogue.c, generated */

int main(int argc, char **argv)
{
    rules_use_catalogue(&builtin_catalogue);
    struct options o;
    memset(&o, 0, sizeof(o));
    o.color = -1;
    o.fail_on = SEV_ERROR;
    o.max_warnings = -1;
    o.max_per_rule = -1;
    int c, rc;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_CONFIG: o.config = optarg; break;
        case OPT_RULES_DIR:
            o.rules_dirs = xrealloc(o.rules_dirs, (size_t)(o.nrules_dirs + 1) * sizeof(char *));
            o.rules_dirs[o.nrules_dirs++] = optarg;
            break;
        case OPT_NOW:
            if (!valid_date(optarg))
                return bad("--now needs a date as YYYY-MM-DD, not '%s'", optarg);
            o.now = optarg;
            break;
        case OPT_SELECT: o.select = optarg; break;
        case OPT_IGNORE_RULE: o.ignore_rule = optarg; break;
        case OPT_SEVERITY: {
            char *eq = strchr(optarg, '=');
            int sev = eq ? severity_parse(eq + 1) : -1;
            if (!eq || eq == optarg || sev < 0)
                return bad("--severity needs ID=LEVEL with LEVEL error, warning, note or off, "
                           "not '%s'", optarg);
            o.sevs = xrealloc(o.sevs, (size_t)(o.nsevs + 1) * sizeof(*o.sevs));
            o.sevs[o.nsevs].id = xstrndup(optarg, (size_t)(eq - optarg));
            o.sevs[o.nsevs].sev = sev;
            o.nsevs++;
            break;
        }
        case OPT_LIST_RULES: o.list_rules = 1; break;
        case OPT_EXPLAIN: o.explain = optarg; break;
        case OPT_FORMAT:
            if ((int)(o.format = (enum format)format_parse(optarg)) < 0)
                return bad("unknown format '%s' (%s)", optarg, FORMAT_NAMES);
            break;
        case OPT_OUTPUT: {
            char *colon = strchr(optarg, ':');
            int f = colon ? format_parse_n(optarg, (size_t)(colon - optarg)) : -1;
            if (f < 0 || f == FMT_AUTO || !colon[1])
                return bad("--output needs NAME:FILE with NAME one of %s, not '%s'",
                           FORMAT_NAMES, optarg);
            o.outputs = xrealloc(o.outputs, (size_t)(o.noutputs + 1) * sizeof(*o.outputs));
            o.outputs[o.noutputs].format = (enum format)f;
            o.outputs[o.noutputs].path = colon + 1;
            o.noutputs++;
            break;
        }
        case OPT_MAX_PER_RULE: {
            char *end;
            o.max_per_rule = strtol(optarg, &end, 10);
            if (*end || end == optarg || o.max_per_rule < 1)
                return bad("--max-per-rule needs a positive number, not '%s'", optarg);
            break;
        }
        case OPT_BASELINE: o.baseline = optarg; break;
        case OPT_WRITE_BASELINE: o.write_baseline = optarg; break;
        case OPT_NO_IGNORE: o.no_ignore = 1; break;
        case OPT_STATS: o.stats = 1; break;
        case OPT_RULE_URL: o.rule_url = optarg; break;
        case OPT_INIT: o.init = 1; break;
        case OPT_FIX: o.fix = 1; break;
        case OPT_UNSAFE_FIXES: o.unsafe_fixes = 1; break;
        case OPT_DIFF: o.diff = 1; break;
        case OPT_REMEDIATION: o.remediation = optarg; break;
        case OPT_COLUMN_UNIT:
            if (!strcmp(optarg, "codepoint"))
                o.unit = COL_CODEPOINT;
            else if (!strcmp(optarg, "byte"))
                o.unit = COL_BYTE;
            else if (!strcmp(optarg, "utf16"))
                o.unit = COL_UTF16;
            else
                return bad("unknown column unit '%s' (codepoint, byte, utf16)", optarg);
            break;
        case OPT_COLOR:
            if (!strcmp(optarg, "auto"))
                o.color = -1;
            else if (!strcmp(optarg, "always"))
                o.color = 1;
            else if (!strcmp(optarg, "never"))
                o.color = 0;
            else
                return bad("--color takes auto, always or never, not '%s'", optarg);
            break;
        case 'q': o.quiet = 1; break;
        case OPT_FAIL_ON:
            if (!strcmp(optarg, "never"))
                o.fail_on = SEV_OFF;
            else if ((o.fail_on = severity_parse(optarg)) <= SEV_OFF)
                return bad("--fail-on takes error, warning, note or never, not '%s'", optarg);
            break;
        case OPT_MAX_WARNINGS: {
            char *end;
            o.max_warnings = strtol(optarg, &end, 10);
            if (*end || end == optarg || o.max_warnings < 0)
                return bad("--max-warnings needs a non-negative number, not '%s'", optarg);
            break;
        }
        case OPT_LIST_INPUTS: o.list_inputs = 1; break;
        case OPT_PRINT_CONFIG: o.print_config = 1; break;
        case OPT_VERSION: return print_version();
        case 'h': usage(stdout); return EXIT_CLEAN;
        case ':': return bad("option '%s' needs an argument", argv[optind - 1]);
        default: return bad("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (o.unsafe_fixes && !o.fix && !o.diff && !o.remediation)
        return bad("--unsafe-fixes goes with --fix, --diff or --remediation");
    if (o.fix && o.diff)
        return bad("--fix and --diff exclude each other (--diff writes nothing)");
    static char *dot[] = {"."};
    o.paths = optind < argc ? argv + optind : dot;
    o.npaths = optind < argc ? argc - optind : 1;
    rc = o.init ? ssolint_init(&o) : ssolint_run(&o);
    for (int i = 0; i < o.nsevs; i++)
        free(o.sevs[i].id);
    free(o.sevs);
    free(o.rules_dirs);
    free(o.outputs);
    return rc;
}
