/* base/source.h - the file registry. Every file ssolint reads gets an id; findings name
 * files by id and offsets. Positions (line, column in three units) are computed from a
 * text window: the whole retained text of a small file, or the lines of the one record a
 * stream reader holds at that moment (design.md: a record's text lives only while its
 * checks run, so its positions are computed while it is in memory). */
#ifndef SSOLINT_SOURCE_H
#define SSOLINT_SOURCE_H

#include <stddef.h>
#include <stdint.h>

enum src_kind {
    SRC_UNKNOWN = 0,
    SRC_CONFIG,       /* .ssolint.yaml */
    SRC_RULES,        /* a rule file */
    SRC_TENANT,       /* tenant.json / tenant.yaml (export root) */
    SRC_CLIENT,       /* clients/<name>.json */
    SRC_ACTION,       /* actions/<name>.json */
    SRC_ACTION_CODE,  /* actions/<name>/code.js */
    SRC_TRIGGERS,     /* triggers/triggers.json */
    SRC_KEYWORDS,     /* deploy-cli config (AUTH0_KEYWORD_REPLACE_MAPPINGS) */
    SRC_USERS,        /* a users export */
    SRC_FLEX_SSO,     /* the Flex SSO file */
    SRC_FLEX_CONFIG,  /* GET /v1/Configuration response */
    SRC_WORKERS,      /* TaskRouter workers response */
    SRC_CERT,         /* a PEM certificate file */
    SRC_OTHER_EXPORT, /* a file of the export that ssolint does not check */
    SRC_KIND_COUNT
};
const char *src_kind_name(enum src_kind k);

/* A position for display. Lines and columns are 1-based. */
struct pos {
    uint32_t line;
    uint32_t col;      /* Unicode code points (tab = 1) */
    uint32_t col_byte; /* bytes */
    uint32_t col_u16;  /* UTF-16 code units */
};

struct mask_range {
    uint64_t start, end;
};

struct source {
    char *path;       /* as given or found, for display relative to cwd */
    char *rel;        /* root-relative, '/'-separated (json, sarif, baseline, ignore.path) */
    enum src_kind kind;
    int tenant;       /* index of the owning tenant, -1 when none */
    int reported;     /* 1 when findings in this file are reported (PATH selection) */
    int has_bom;      /* the file starts with a UTF-8 BOM */
    int gzip;         /* the bytes on disk are gzip; offsets are in the inflated text */
    int blocked;      /* enum path_verdict: the path guard refused it; nothing is read */
    char *text;       /* retained text (whole files), NULL for streams */
    size_t len;
    uint64_t *lines;  /* start offset of each line of text (built on demand) */
    size_t nlines;
    struct colidx *cols; /* column index of a long retained text, made on demand */
    struct mask_range *masks; /* byte ranges holding secrets, sorted on use */
    size_t nmasks, capmasks;
};

/* A window of text from start of a line: enough to compute positions inside it. */
struct textwin {
    const char *text; /* first byte of a line */
    size_t len;
    uint64_t off;     /* file offset of text[0] */
    uint32_t line;    /* line number of text[0] */
    int bom;          /* text[0] is file offset 0 and starts with a BOM to skip */
    struct colidx *idx; /* optional: makes long windows O(1) per position (base/colidx.h) */
};

int source_add(const char *path, const char *rel, enum src_kind kind);
struct source *source_get(int id);
int source_count(void);
int source_find(const char *path); /* id or -1 */
void source_free_all(void);

/* Give the registry a whole file's text (the registry takes ownership). */
void source_set_text(int id, char *text, size_t len);
/* The whole-text window of a file with retained text. */
int source_textwin(int id, struct textwin *w);

/* Position of byte offset off inside window w; an offset past the window's text is
 * clamped to its end. */
void textwin_pos(const struct textwin *w, uint64_t off, struct pos *p);
/* Position of off in a file with retained text (a column index when it is long). */
void source_pos(int id, uint64_t off, struct pos *p);
/* The line holding off in a retained text: its start pointer and length without EOL. */
const char *source_line(int id, uint32_t line, size_t *len);

void source_add_mask(int id, uint64_t start, uint64_t end);
/* Does [start,end) overlap a secret range of the file? */
int source_masked(int id, uint64_t start, uint64_t end);


/* Print "PATH:LINE:COL: error: MESSAGE" for a usage error located in a registered file
 * (config, rule file). Returns -1. */
int source_error(int id, uint64_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));


/* Read a registered file whole into its text (at most max bytes), through the path
 * guard (base/path.h). Returns 0; -1 when it cannot be read (an I/O error, printed as
 * "ssolint: cannot read ..."); -2 when it is larger than max (nothing is read; the caller
 * reports a parse-error); -3 when the guard refuses it (nothing is read, s->blocked is
 * set: findings_blocked() reports it). */
int source_read(int id, size_t max);

/* The overlay: bytes that stand in for the file at path for source_read and
 * source_overlay_fd (--diff lints the tree as --fix would leave it, without writing it). The
 * overlay takes bytes (malloc'd) and lives until source_overlay_free. */
void source_overlay_set(const char *path, char *bytes, size_t len);
void source_overlay_free(void);
/* fd, a descriptor open on path (-1: none), or, when the overlay has path, a descriptor
 * of the overlay's bytes instead (fd is closed). */
int source_overlay_fd(const char *path, int fd);

#endif
