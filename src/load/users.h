/* load/users.h - users exports as a record stream (design.md "Users are a stream").
 * Accepts, plain or gzip (by magic bytes): NDJSON (the bulk export job's "json"
 * format), a JSON array, an object with a "users" array, or several top-level values one
 * after another. One record is in memory at a time; its positions are file offsets of the
 * inflated text and a text window starting at the first line the record touches.
 * Common wrong inputs get a clear message: a CSV export, UTF-16 text, YAML. */
#ifndef SSOLINT_LOAD_USERS_H
#define SSOLINT_LOAD_USERS_H

#include <stdint.h>

#include "load/load.h"
#include "base/source.h"

struct user_rec {
    const struct doc *doc;      /* root = the record; positions in doc->locs */
    const struct textwin *win;  /* covers the record's text */
    uint64_t index;             /* 0-based record number in the file */
};

/* Return 0 to go on, non-zero to stop the stream. */
typedef int (*user_fn)(void *ctx, const struct user_rec *r);

struct users_stats {
    uint64_t records, bytes_in, bytes_text;
    int gzip;
    const char *format; /* "ndjson", "array", "users-object" */
};

/* Read the file of source id `file` (path from the registry). Parse errors and
 * duplicate keys are reported through report/rctx (file offsets, with d->win set to a
 * window holding them).
 * A bad NDJSON line is reported and skipped; an error inside an array ends the file.
 * Returns 0, or -1 when the file cannot be opened or read (message printed with
 * error(), the caller makes the exit status 2). */
int users_stream(int file, user_fn fn, void *ctx, ld_report_fn report, void *rctx,
                 struct users_stats *st);

/* Show a progress line on standard error while reading a users file larger than 50 MB
 * (run.c turns it on when standard error is a terminal). */
void users_set_progress(int on);

#endif
