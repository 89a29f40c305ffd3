/* fix/fix.c - the fix stage's walk (see fix/fix.h): choose the fixes in report order,
 * group them by file, read each file once (a gzip export inflated), apply its fixes in
 * one pass, then write it, print its diff, hand it to the overlay and/or write the
 * remediation lines, and tell on standard error what was not applied and why. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/source.h"
#include "base/util.h"
#include "fix/fix.h"
#include "load/load.h"
#include "report/report.h"
#include "rules/rules.h"

/* A gzip users export is inflated whole to be fixed: at most this much text. */
#define FIX_MAX_TEXT ((size_t)4 << 30)

/* Is f's fix one to apply? *unsafe_left counts the unsafe ones left for want of
 * --unsafe-fixes. */
static int wanted(const struct fix_opts *o, const struct finding *f, size_t *unsafe_left)
{
    const struct source *s = source_get(f->at.file);
    if (!f->fix || !f->fix->nedits || (f->flags & (F_SUPPRESSED | F_BASELINED)) || !s ||
        !s->reported || s->kind == SRC_CONFIG || s->kind == SRC_RULES)
        return 0;
    if (f->fix->safety == FIX_UNSAFE && !o->unsafe) {
        (*unsafe_left)++;
        return 0;
    }
    return f->fix->safety == FIX_SAFE || f->fix->safety == FIX_UNSAFE;
}

static void not_applied(const struct finding *f, const char *why)
{
    const struct source *s = source_get(f->at.file);
    fflush(stdout);
    fprintf(stderr, "%s:%u:%u: note: fix of [%s] not applied: %s\n", s->path, f->at.p.line,
            f->at.p.col, rule_get(f->rule)->id, why);
}

/* The file's text as the loaders saw it (a gzip file inflated): new bytes, or NULL. */
static char *read_text(const struct source *s, size_t *len)
{
    char *raw = file_read(s->path, s->gzip ? FIX_MAX_TEXT / 4 : FIX_MAX_TEXT, len);
    if (!raw || !s->gzip)
        return raw;
    size_t n;
    char *text = fix_gunzip(raw, *len, FIX_MAX_TEXT, &n);
    free(raw);
    *len = n;
    return text;
}

/* The file's bytes to write for the new text (gzip again for a gzip file): new bytes. */
static char *file_bytes(const struct source *s, const char *text, size_t len, size_t *n)
{
    if (s->gzip)
        return fix_gzip(text, len, n);
    *n = len;
    return xstrndup(text, len);
}

/* Apply one file's fixes. Returns 0 or -1 (an error was printed). */
static int fix_one(const struct fix_opts *o, struct fix_file *ff, FILE *rem,
                   struct fix_counts *c)
{
    const struct source *s = source_get(ff->file);
    size_t len, newlen, n;
    char *old = read_text(s, &len);
    if (!old) {
        error("cannot fix '%s': cannot read it again: %s", s->path, strerror(errno));
        c->skipped += ff->n;
        return -1;
    }
    char *neu = fix_apply_text(ff, old, len, &newlen);
    int rc = 0;
    if (newlen != len || memcmp(old, neu, len)) {
        char *bytes = NULL;
        if (o->diff && s->gzip) {
            fflush(stdout);
            fprintf(stderr, "%s: note: %zu fix%s of this gzip file not in the diff (--fix "
                    "rewrites it as gzip)\n", s->path, ff->n, ff->n == 1 ? "" : "es");
        } else if (o->diff) {
            fix_diff(o->diff, s->rel ? s->rel : s->path, ff, old, len, neu, newlen);
        }
        if ((o->write || o->overlay) && !(bytes = file_bytes(s, neu, newlen, &n)))
            rc = error("cannot fix '%s': compressing the new text failed", s->path);
        if (bytes && o->write && fix_write_file(s->path, bytes, n) < 0)
            rc = -1;
        if (bytes && o->overlay) {
            source_overlay_set(s->path, bytes, n);
            bytes = NULL;
        }
        free(bytes);
        if (rem && !rc)
            fix_remediation(rem, ff, neu, newlen);
        if (!rc) {
            c->files++;
            c->applied += ff->n;
        } else {
            c->skipped += ff->n;
        }
    }
    free(old);
    free(neu);
    return rc;
}

int fix_run(const struct fix_opts *o, struct fix_counts *c)
{
    memset(c, 0, sizeof(*c));
    int nfiles = source_count();
    struct fix_file *files = xcalloc(nfiles ? (size_t)nfiles : 1, sizeof(*files));
    for (size_t i = 0; i < findings_count(); i++) {
        const struct finding *f = findings_get(i);
        if (!wanted(o, f, &c->unsafe_left) || f->at.file < 0 || f->at.file >= nfiles)
            continue;
        files[f->at.file].file = f->at.file;
        if (fix_take(&files[f->at.file], f) < 0) {
            not_applied(f, "it overlaps a fix before it (run again to apply it)");
            c->skipped++;
        }
    }
    FILE *rem = NULL;
    int rc = 0;
    if (o->remediation && !(rem = fopen(o->remediation, "w")))
        rc = error("cannot write '%s': %s", o->remediation, strerror(errno));
    for (int id = 0; id < nfiles; id++) {
        if (files[id].n && fix_one(o, &files[id], rem, c) < 0)
            rc = -1;
        fix_file_free(&files[id]);
    }
    if (rem && fclose(rem) != 0)
        rc = error("cannot write '%s': %s", o->remediation, strerror(errno));
    free(files);
    c->errors = rc < 0;
    return rc;
}
