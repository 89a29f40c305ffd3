/* report/report.h - the last stage: sort the findings, and print them in a format. Message
 * text is built here from the rule's template and the finding's arguments. */
#ifndef SSOLINT_REPORT_H
#define SSOLINT_REPORT_H

#include <stdio.h>

#include "rules/finding.h"

enum column_unit { COL_CODEPOINT, COL_BYTE, COL_UTF16 };

struct report_opts {
    enum column_unit unit;
    int color;        /* 1: ANSI colours */
    const char *cwd;  /* for display paths */
    const char *root; /* the project root (machine formats use root-relative paths) */
    const char *const *tenants; /* tenant names by index (fingerprints, json) */
    size_t ntenants;
    long max_per_rule;   /* -1: no cap */
};

/* The machine formats (report/json.c, report/sarif.c, report/ci.c). Each returns 0, or -1
 * after printing an error. */
int report_json(FILE *out, const struct report_opts *o);
int report_sarif(FILE *out, const struct report_opts *o);
int report_github(FILE *out, const struct report_opts *o);
int report_junit(FILE *out, const struct report_opts *o);
int report_gitlab(FILE *out, const struct report_opts *o);
/* report/html.c: one self-contained page for people, with a plain-words summary. */
int report_html(FILE *out, const struct report_opts *o);

/* Keep the source line of findings in streamed files (whose text is gone by report
 * time) for the pretty format. */
void findings_keep_snippets(int on);

/* The findings store. */
struct finding *finding_add(int rule, int file, uint64_t start, uint64_t end,
                            const struct textwin *w);
void finding_arg(struct finding *f, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void finding_value(struct finding *f, const char *v, size_t n, int secret);
void finding_note(struct finding *f, int file, uint64_t start, uint64_t end,
                  const struct textwin *w, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void finding_set_identity(struct finding *f, int tenant, const char *identity);
void finding_set_pointer(struct finding *f, const char *pointer);

/* Scrub the texts of the findings made so far against the secret texts registered since
 * (base/secret_text.h); findings made later are scrubbed as they are made. */
void findings_scrub(void);
/* Rule rule's findings are about a secret value itself (its check function registers
 * secrets): a text of them that is a part of a secret is its field name, not a leak. */
void findings_mark_secret_rule(int rule);
size_t findings_count(void);
struct finding *findings_get(size_t i);
void findings_sort(void);
void findings_free(void);

/* Fill a span with positions (w NULL: the file's retained text; when the file has no
 * retained text either, the positions are left 0 for findings_resolve). */
void span_set(struct span *s, int file, uint64_t start, uint64_t end, const struct textwin *w);

/* Compute the positions of spans made without a text window (line 0): their files are
 * read once more. snippets: keep each finding's source line for the pretty format. */
void findings_resolve(int snippets);

/* One finding at each file the path guard refused (base/path.h): path-outside-root or
 * not-a-regular-file, at 1:1 of the path as found (the link), nothing of it read. */
void findings_blocked(void);

/* SHA-256 of data as 64 lowercase hex digits (out[64] is NUL). */
void sha256_hex(const void *data, size_t n, char out[65]);
/* The finding's stable fingerprint, independent of line numbers and of edits elsewhere
 * in the file: SHA-256 (hex) of the rule id, the tenant's name, the resource identity
 * (else the root-relative path and JSON pointer) and the SHA-256 of the value (so a
 * secret never enters it in clear). Baselines, SARIF partialFingerprints and GitLab
 * fingerprints use it. */
void finding_fingerprint(const struct finding *f, const char *tenant, char out[65]);

/* The finding's message (new string). */
char *finding_message(const struct finding *f);
/* The display path of a file (relative to cwd when under it). */
const char *display_path(int file, const char *cwd);

/* The source line of at (line/line_off: the line kept with a streamed finding, else NULL),
 * secret bytes as '*', control bytes as '?' (new string, NULL when the line is gone);
 * caret, when not NULL, gets the caret line under [p, pe) ('^' then '~'). */
struct strbuf;
char *snippet_text(const struct span *at, const char *line, uint64_t line_off,
                   struct strbuf *caret);

void report_gcc(FILE *out, const struct report_opts *o);
void report_pretty(FILE *out, const struct report_opts *o);

struct summary {
    size_t errors, warnings, notes, files;
};
void report_summary(struct summary *s);

#endif
