/* rules/rules.h - the rule registry. Rules are data (rules/<group>.yaml, version: 1): id,
 * group, severity, summary, scope, when, check (a C function's name and its options)
 * and a message template. C holds only the check functions (check_*.c). The registry
 * also applies the severity overrides of the config and the command line and the
 * --select / --ignore-rule choice. */
#ifndef SSOLINT_RULES_H
#define SSOLINT_RULES_H

#include <jansson.h>
#include <stddef.h>

#include "load/load.h"

/* One rule. */
struct rule {
    char *id;
    char *group;
    char *summary;
    char *scope;      /* users | clients | actions | code | flex | workers | tenants | files | config */
    char *message;    /* template: {name} is replaced by the finding's argument `name` */
    char *check;      /* check function name */
    json_t *options;  /* check options (new reference) */
    json_t *when;     /* optional conditions (new reference) or NULL */
    int fix;          /* enum fix_safety: the rule's `fix: {safety, description}` */
    char *fix_description; /* what the fix does (--list-rules, pages); NULL: no fix */
    char *impact_one, *impact_other; /* `impact:` for one / {count} findings, or NULL */
    int default_severity;
    int severity;     /* effective, SEV_OFF when disabled */
    int builtin;      /* from the installed rule files */
    int file;         /* source id of the rule file */
    uint64_t off;     /* offset of the rule's entry */
    char *page;       /* where doc/rules/<id>.md would be (read on demand; may be absent) */
    int selected;     /* scratch for --select */
    void *state;      /* the check function's compiled options */
    void (*free_state)(void *state);
};

/* rules/ruleset.c. Where the installed data lives: SSOLINT_DATADIR, else the source tree
 * when the binary runs from its build tree, else $(pkgdatadir) when it holds rules/, else
 * ../share/ssolint beside the executable's directory (a relocated install). New string. */
char *rules_datadir(void);
/* The version of the rule set in datadir/rules: 16 hex digits hashed from the names and
 * texts of its files (new string); *nfiles: how many files. */
char *ruleset_version(const char *datadir, size_t *nfiles);
/* Rule page links: tmpl is an http(s) URL with {id} (NULL: no links). rules_set_url
 * returns -1 for a template rule_url_valid refuses. rule_url: the page URL of a rule id
 * (new string), NULL when no template is set. */
int rules_set_url(const char *tmpl);
int rule_url_valid(const char *tmpl);
char *rule_url(const char *id);
/* The *.yaml and *.yml files of dir, sorted by name (new array of new strings, *n of them). */
char **rules_dir_files(const char *dir, size_t *n);

/* Load every *.yaml of dir (sorted by name). A bad file is a located usage error printed
 * to stderr; returns 0 or -1. builtin marks the built-in rules; a user rule that reuses a
 * built-in id is an error. */
int rules_load_dir(const char *dir, int builtin);
/* The built-in rule files as parsed at build time (src/rules/catgen.c writes src/catalogue.c).
 * A built-in file whose text is byte for byte the text a catalogue file was built from
 * is taken from the catalogue instead of being parsed again: libyaml was most of the
 * start-up time (doc/performance.md). Any other file, or no catalogue, is parsed. */
struct rules_catalogue_file {
    const char *name;  /* the file's name in rules/ */
    const char *text;  /* its text at build time */
    size_t len;
    const char *data;  /* {"root": the parsed document, "offs": [each entry's offset]} in */
    size_t data_len;   /* the form of rules/catalogue_read.c */
};
struct rules_catalogue {
    const struct rules_catalogue_file *files;
    size_t n;
};
void rules_use_catalogue(const struct rules_catalogue *c);
/* The catalogue form of one rule file, for catgen: new bytes (*len of them), or NULL with
 * the error printed. */
char *rules_file_data(const char *path, size_t *len);
/* rules/catalogue_read.c: a JSON value to and from the catalogue's form (new bytes; new
 * reference or NULL when the data is malformed). */
char *catalogue_encode(json_t *v, size_t *len);
json_t *catalogue_decode(const char *data, size_t len);

int rule_count(void);
struct rule *rule_get(int i);
int rule_find(const char *id); /* index or -1 */
/* "; did you mean 'X'?" for the one id or group within edit distance 2 of name, else "". */
const char *rule_suggest(const char *name);
void rules_free(void);

/* Set the effective severity of a rule or a whole group ("off" disables). Returns the
 * number of rules changed (0: unknown id or group). */
int rules_set_severity(const char *id_or_group, int sev);
/* --select: keep only these ids/groups (comma separated); --ignore-rule: drop them.
 * Returns -1 and prints an error for an unknown id or group. */
int rules_select(const char *list);
int rules_ignore(const char *list);

/* Is rule i enabled (severity not off)? */
int rule_on(int i);

/* The rule's page text (new string) or NULL. */
char *rule_page_text(const struct rule *r);

#endif
