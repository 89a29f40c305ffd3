/* rules/stats.c - `--stats`: where the time of a run goes. Stage times are wall clock
 * (CLOCK_MONOTONIC); a rule's time is the sum of its check function's calls (begin,
 * record, finish, finish_all), measured only when --stats is on. */
#include "rules/stats.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rules/finding.h"
#include "model/model.h"
#include "report/report.h"
#include "rules/rules.h"
#include "base/util.h"

int stats_on;
static uint64_t stage_ns[STAGE_COUNT];
static uint64_t *rule_ns;
static size_t nrule_ns;

static const char *const stage_names[STAGE_COUNT] = {"rules", "discover", "load", "check",
                                                     "report"};

void stats_enable(int nrules)
{
    stats_on = 1;
    memset(stage_ns, 0, sizeof(stage_ns));
    free(rule_ns);
    nrule_ns = nrules > 0 ? (size_t)nrules : 0;
    rule_ns = xcalloc(nrule_ns + 1, sizeof(*rule_ns));
}

uint64_t stats_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void stats_stage_add(enum stats_stage s, uint64_t ns)
{
    stage_ns[s] += ns;
}

void stats_rule_add(int ri, uint64_t ns)
{
    if (ri >= 0 && (size_t)ri < nrule_ns)
        rule_ns[ri] += ns;
}

static double ms(uint64_t ns)
{
    return (double)ns / 1e6;
}

/* Does the model hold any input a rule of this scope reads? */
static int scope_has_input(const struct model *m, const char *scope)
{
    for (size_t i = 0; i < m->ntenants; i++) {
        const struct tenant *t = &m->tenants[i];
        if (!strcmp(scope, "users") ? t->nusers > 0
            : !strcmp(scope, "clients") ? t->nclients > 0
            : !strcmp(scope, "actions") || !strcmp(scope, "code") ? t->nactions > 0
            : !strcmp(scope, "flex") ? t->sso || t->flexconf
            : !strcmp(scope, "workers") ? t->workers || t->nwk > 0
            : 1)
            return 1;
    }
    return !strcmp(scope, "config") || !strcmp(scope, "files");
}

void stats_print(FILE *out, const struct model *m)
{
    int n = rule_count();
    size_t *count = xcalloc((size_t)n + 1, sizeof(*count));
    for (size_t i = 0; i < findings_count(); i++) {
        const struct finding *f = findings_get(i);
        if (f->rule >= 0 && f->rule < n && !(f->flags & (F_SUPPRESSED | F_BASELINED)))
            count[f->rule]++;
    }
    uint64_t total = 0;
    for (int s = 0; s < STAGE_COUNT; s++)
        total += stage_ns[s];
    fprintf(out, "ssolint: stats: stages:");
    for (int s = 0; s < STAGE_COUNT; s++)
        fprintf(out, " %s %.3f ms,", stage_names[s], ms(stage_ns[s]));
    fprintf(out, " total %.3f ms\n", ms(total));
    for (int i = 0; i < n; i++) {
        if (!rule_on(i))
            continue;
        const struct rule *r = rule_get(i);
        fprintf(out, "ssolint: stats: rule %s (%s): %zu finding%s, %.3f ms\n", r->id, r->group,
                count[i], count[i] == 1 ? "" : "s", ms((size_t)i < nrule_ns ? rule_ns[i] : 0));
    }
    /* a group is skipped when none of its enabled rules has input of its scope, or when
     * it is named after an input the run lacks (worker-stale reads users, but compares
     * them with a workers file) */
    struct strbuf sb = STRBUF_INIT;
    for (int i = 0; i < n; i++) {
        const struct rule *r = rule_get(i);
        if (!rule_on(i))
            continue;
        int first = 1, has = 0;
        for (int j = 0; j < n; j++) {
            const struct rule *q = rule_get(j);
            if (!rule_on(j) || strcmp(q->group, r->group))
                continue;
            if (j < i)
                first = 0;
            has |= scope_has_input(m, q->scope);
        }
        /* a group named after an input (flex, workers, actions) needs that input */
        static const char *const named[] = {"users", "clients", "actions", "flex", "workers"};
        for (size_t k = 0; k < sizeof(named) / sizeof(*named); k++)
            if (!strcmp(r->group, named[k]) && !scope_has_input(m, named[k]))
                has = 0;
        if (first && !has)
            sb_addf(&sb, "%s%s", sb.len ? ", " : "", r->group);
    }
    fprintf(out, "ssolint: stats: groups skipped for lack of input: %s\n",
            sb.len ? sb_str(&sb) : "none");
    sb_free(&sb);
    free(count);
}

void stats_free(void)
{
    free(rule_ns);
    rule_ns = NULL;
    nrule_ns = 0;
    stats_on = 0;
}
