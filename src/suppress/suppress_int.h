/* suppress/suppress_int.h - what suppress.c (ignore entries, meta findings) and
 * suppress/inline.c (ssolint-disable comments) share. */
#ifndef SSOLINT_SUPPRESS_INT_H
#define SSOLINT_SUPPRESS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

/* One inline directive found in a comment. */
struct directive {
    int file;
    uint64_t start, end;  /* the comment marker ('#' or '//') through the directive word */
    uint32_t line;        /* the line whose findings it suppresses */
    const char *word;     /* "ssolint-disable-line" or "ssolint-disable-next-line" */
    char **rules;         /* ids or groups */
    size_t nrules;
    int bad;              /* drew bad-suppression: suppresses nothing */
    int used;
};

struct directives {
    struct directive *d;
    size_t n, cap;
};

/* Find the directives of every YAML file and every Action's code; report the bad ones
 * (bad-suppression) as they are found. */
void directives_scan(struct model *m, struct directives *out);
void directives_free(struct directives *ds);

/* Is name a rule id or a group? */
int rule_or_group_known(const char *name);
/* Does finding rule ri match name (its id or its group)? */
int rule_matches(int ri, const char *name);
/* Is rule name (id or group) on for at least one rule? */
int rule_or_group_on(const char *name);
/* A user-written text for a message: escaped and cut at 60 code points (new string). */
char *disp(const char *s, size_t n);

#endif
