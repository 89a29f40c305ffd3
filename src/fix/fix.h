/* fix/fix.h - the fix stage (doc/fix.md): after the check stage has made the findings
 * and their fixes, choose the fixes to apply (safe ones; unsafe ones too with
 * --unsafe-fixes; never a suppressed or baselined finding's), apply them file by file in
 * one pass (overlapping fixes: the first in report order wins, the others are reported as
 * not applied), then write each changed file atomically (--fix), print a unified diff
 * (--diff) and/or write the remediation file for the live tenant (--remediation). */
#ifndef SSOLINT_FIX_H
#define SSOLINT_FIX_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "rules/finding.h"

struct fix_opts {
    int write;               /* --fix: write the changed files */
    int unsafe;              /* --unsafe-fixes */
    FILE *diff;              /* --diff: print the diff here (NULL: none) */
    int overlay;             /* give the fixed texts to the registry's overlay (--diff) */
    const char *remediation; /* --remediation FILE, or NULL */
    const char *root;        /* the project root: diff paths are relative to it */
};

struct fix_counts {
    size_t applied;      /* fixes applied */
    size_t files;        /* files changed */
    size_t skipped;      /* fixes not applied: overlap, unreadable or unwritable file */
    size_t unsafe_left;  /* unsafe fixes not applied for want of --unsafe-fixes */
    int errors;          /* a file could not be read or written */
};

/* Apply the fixes of the sorted findings store. Returns 0, or -1 when a file could not
 * be read or written (the others are still done; each error is printed). */
int fix_run(const struct fix_opts *o, struct fix_counts *c);

/* ---- inside the stage ---- */

/* One file's fixes chosen for application, in order. */
struct fix_file {
    int file;                /* source id */
    const struct finding **fs; /* the findings whose fixes apply */
    size_t n;
    const struct edit **ed;  /* their edits, in order of application */
    size_t ned, caped;
    int64_t *cum;            /* cum[i]: length change of ed[0..i] (fix_map_offset) */
};

/* fix/apply.c: take f's fix for ff unless one of its edits meets an edit already taken.
 * Returns 0, or -1 (not taken). */
int fix_take(struct fix_file *ff, const struct finding *f);
void fix_file_free(struct fix_file *ff);

/* fix/apply.c: the new text of a file (new string, *outlen bytes) after the fixes of ff,
 * applied to the old text (len bytes). */
char *fix_apply_text(const struct fix_file *ff, const char *text, size_t len, size_t *outlen);
/* fix/apply.c: map an offset of the old text to the new text. */
uint64_t fix_map_offset(struct fix_file *ff, uint64_t off);
/* fix/write.c: replace path with bytes, atomically (a temporary file in the same
 * directory + rename), never through a symlink. Returns 0 or -1 with the error printed. */
int fix_write_file(const char *path, const char *bytes, size_t len);
/* fix/write.c: gzip and gunzip a whole buffer (new bytes, *outlen of them; NULL on error). */
char *fix_gzip(const char *data, size_t len, size_t *outlen);
char *fix_gunzip(const char *data, size_t len, size_t max, size_t *outlen);
/* fix/diff.c: a unified diff (3 lines of context) from old to new, paths a/REL b/REL. */
void fix_diff(FILE *out, const char *rel, struct fix_file *ff, const char *old,
              size_t oldlen, const char *neu, size_t newlen);
/* fix/remediation.c: one JSON line per user whose app_metadata.flex changes in this
 * file (the fixed text is neu). Returns the number of lines written. */
size_t fix_remediation(FILE *out, struct fix_file *ff, const char *neu, size_t newlen);

#endif
