/* rules/finding.h - the compact finding record (design.md "Findings are compact until they
 * are printed"). A finding holds ids and offsets; its message text is built from the
 * rule's template and the arguments at report time. Line/column are computed once, when
 * the finding is made, from the text window that holds it: a streamed record's text is
 * gone by report time (doc/design.md). */
#ifndef SSOLINT_FINDING_H
#define SSOLINT_FINDING_H

#include <stddef.h>
#include <stdint.h>

#include "base/source.h"

enum severity { SEV_OFF = 0, SEV_NOTE = 1, SEV_WARNING = 2, SEV_ERROR = 3 };
const char *severity_name(int sev);
int severity_parse(const char *s); /* -1 when not a severity name ("off" is SEV_OFF) */

struct span {
    int file;          /* source id, -1 for none (then no location) */
    uint64_t start, end;
    struct pos p, pe;  /* start and end positions */
};

struct related {
    struct span at;
    char *msg;         /* the note's text */
};

struct farg {
    const char *name;  /* static or interned */
    char *value;
};

enum { F_SECRET = 1, F_SUPPRESSED = 2, F_BASELINED = 4 };

/* Fixes (doc/fix.md). A rule's `fix:` says whether its findings may carry one and how
 * safe it is; the check function that makes a finding attaches the edits. --fix applies
 * the safe ones, --unsafe-fixes the unsafe ones too (src/fix/). */
enum fix_safety { FIX_NONE = 0, FIX_UNSAFE = 1, FIX_SAFE = 2 };
const char *fix_safety_name(int safety); /* "safe", "unsafe", "" */

/* One edit: replace the file's bytes [start, end) with text (len bytes). Offsets are
 * file offsets (BOM included; a gzip file's: offsets in its inflated text). */
struct edit {
    uint64_t start, end;
    char *text;
    size_t len;
    char *expect;      /* the bytes [start, end) must be these, else the edit is not made
                        * (a fix made without the text in memory); NULL: not checked */
};

/* A finding's fix: its edits, all in the finding's file, sorted by start and not
 * overlapping one another. user: a user record's fix also names the user and the byte
 * range of the user's app_metadata.flex object, for --remediation. */
struct fix {
    int safety;          /* FIX_SAFE or FIX_UNSAFE */
    char *title;         /* what it does: "write 'agent'" */
    struct edit *edits;
    size_t nedits;
    char *user_id, *email;           /* REC_USER records; NULL otherwise */
    uint64_t flex_start, flex_end;   /* the user's app_metadata.flex value (0, 0: none) */
};

struct finding {
    int rule;          /* index in the rule registry */
    int severity;
    unsigned flags;
    struct span at;
    char *pointer;     /* JSON pointer of the value in its document, may be NULL */
    int tenant;        /* -1 when none */
    char *identity;    /* user email or user_id, client, action name, worker sid */
    char *value;       /* the offending value (never printed when F_SECRET) */
    struct farg *args;
    size_t nargs;
    struct related *rel;
    size_t nrel;
    size_t seq;        /* creation order: the last sort key */
    char *snippet;     /* streamed files, pretty output: the finding's source line */
    uint64_t snippet_off; /* file offset of snippet[0] */
    struct fix *fix;   /* NULL: no fix (rules/fix.c) */
};

/* ---- fixes (rules/fix.c) ---- */

/* Start f's fix (dropping any earlier one) with this safety, lowered to the rule's
 * `fix:`; a rule without `fix:` gets none. Returns the fix, or NULL when f is NULL, the
 * rule has no fix, or the finding is about a secret. */
struct fix *finding_fix(struct finding *f, int safety, const char *title);
/* Add an edit to f's fix (none: ignored). An edit over a secret range of the file, or
 * overlapping an earlier edit of the same fix, drops the whole fix. */
void finding_edit(struct finding *f, uint64_t start, uint64_t end, const char *text,
                  size_t len);
/* The same, for an edit made without the file's text at hand: it is made only if the
 * bytes [start, end) are `expect` (end - start bytes) when the file is fixed. */
void finding_edit_expect(struct finding *f, uint64_t start, uint64_t end, const char *text,
                         size_t len, const char *expect);
/* Drop f's fix (a check that finds it cannot finish the edit). */
void finding_fix_drop(struct finding *f);
/* Free every fix (findings_free calls it). */
void fixes_free(void);

#endif
