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
};

#endif
