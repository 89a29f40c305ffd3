/* report/machine.h - what the report formats share: the findings a format prints (not
 * suppressed or baselined, at most --max-per-rule of each rule, in sorted order), the
 * files checked, root-relative paths, tenant names and JSON strings that are always
 * valid UTF-8. */
#ifndef SSOLINT_REPORT_MACHINE_H
#define SSOLINT_REPORT_MACHINE_H

#include <jansson.h>

#include "report/report.h"

/* The findings to print, in sorted order. */
struct flist {
    const struct finding **v;
    size_t n;
    size_t dropped; /* over --max-per-rule */
};
void flist_build(struct flist *l, const struct report_opts *o);
void flist_free(struct flist *l);

/* Is the finding printed at all (not suppressed, not baselined)? */
int finding_visible(const struct finding *f);

/* Is file id a file checked (reported, not a rule file or .ssolint.yaml)? */
int file_checked(int id);

/* The file's root-relative '/'-separated path ("" for no file). */
const char *rel_path(int file);
/* The tenant's name, or NULL. */
const char *tenant_name(const struct report_opts *o, int tenant);
/* A related note's text as it is displayed (new string). */
char *related_text(const struct related *r);

/* A JSON string of s; bytes that are not valid UTF-8 become \xNN (never NULL). */
json_t *jstr(const char *s);
/* Dump root to out (indent 2, keys in order, a final newline) and release it. Returns 0
 * or -1 after printing an error. */
int json_write(FILE *out, json_t *root);
/* The same, with the array at member `key` of `holder` (an object inside root; NULL: root
 * is that array) made one item at a time: item(i) returns a new reference, dumped and
 * freed before the next is made, so a report of 100,000 findings never exists whole in
 * memory. The bytes are those json_write would print. */
typedef json_t *(*json_item_fn)(size_t i, void *ctx);
int json_write_stream(FILE *out, json_t *root, json_t *holder, const char *key, size_t n,
                      json_item_fn item, void *ctx);

#endif
