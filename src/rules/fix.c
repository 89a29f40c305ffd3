/* rules/fix.c - the fixes findings carry: a safety level, a title and the edits (byte
 * ranges of the finding's file and their replacement bytes). Check functions make them
 * (through check/edit.c); src/fix/ applies them. A fix is kept only when the rule's
 * `fix:` allows it and no edit touches a secret. */
#include <stdlib.h>
#include <string.h>

#include "base/source.h"
#include "base/util.h"
#include "rules/finding.h"
#include "rules/rules.h"

/* Every fix made, freed together by fixes_free. */
static struct fix **all;
static size_t nall, capall;

const char *fix_safety_name(int safety)
{
    return safety == FIX_SAFE ? "safe" : safety == FIX_UNSAFE ? "unsafe" : "";
}

static void fix_free(struct fix *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->nedits; i++) {
        free(x->edits[i].text);
        free(x->edits[i].expect);
    }
    free(x->edits);
    free(x->title);
    free(x->user_id);
    free(x->email);
    x->edits = NULL;
    x->nedits = 0;
    x->title = x->user_id = x->email = NULL;
}

void finding_fix_drop(struct finding *f)
{
    if (f && f->fix) {
        fix_free(f->fix);
        f->fix->safety = FIX_NONE;
        f->fix = NULL;
    }
}

struct fix *finding_fix(struct finding *f, int safety, const char *title)
{
    if (!f)
        return NULL;
    finding_fix_drop(f);
    const struct rule *r = rule_get(f->rule);
    if (!r || r->fix == FIX_NONE || (f->flags & F_SECRET))
        return NULL;
    struct fix *x = xcalloc(1, sizeof(*x));
    GROW(all, capall, nall + 1);
    all[nall++] = x;
    x->safety = safety < r->fix ? safety : r->fix;
    x->title = xstrdup(title ? title : "");
    f->fix = x;
    return x;
}

void finding_edit(struct finding *f, uint64_t start, uint64_t end, const char *text,
                  size_t len)
{
    if (!f || !f->fix)
        return;
    struct fix *x = f->fix;
    if (end < start || source_masked(f->at.file, start, end)) {
        finding_fix_drop(f);
        return;
    }
    size_t i = x->nedits;
    while (i > 0 && x->edits[i - 1].start > start)
        i--;
    /* edits of one fix never overlap; two insertions at one offset would be ambiguous */
    if ((i > 0 && (x->edits[i - 1].end > start || x->edits[i - 1].start == start)) ||
        (i < x->nedits && x->edits[i].start < end)) {
        finding_fix_drop(f);
        return;
    }
    x->edits = xrealloc(x->edits, (x->nedits + 1) * sizeof(*x->edits));
    memmove(x->edits + i + 1, x->edits + i, (x->nedits - i) * sizeof(*x->edits));
    x->edits[i] = (struct edit){start, end, xstrndup(text, len), len, NULL};
    x->nedits++;
}

void finding_edit_expect(struct finding *f, uint64_t start, uint64_t end, const char *text,
                         size_t len, const char *expect)
{
    size_t before = f && f->fix ? f->fix->nedits : 0;
    finding_edit(f, start, end, text, len);
    if (!f || !f->fix || f->fix->nedits == before)
        return;
    for (size_t i = 0; i < f->fix->nedits; i++)
        if (f->fix->edits[i].start == start && f->fix->edits[i].end == end && !f->fix->edits[i].expect)
            f->fix->edits[i].expect = xstrndup(expect, (size_t)(end - start));
}

void fixes_free(void)
{
    for (size_t i = 0; i < nall; i++) {
        fix_free(all[i]);
        free(all[i]);
    }
    free(all);
    all = NULL;
    nall = capall = 0;
}
