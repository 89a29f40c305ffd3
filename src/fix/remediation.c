/* fix/remediation.c - --remediation FILE: a users export in git is a snapshot, and fixing
 * it does not fix the tenant. For each user whose app_metadata.flex a taken fix changes,
 * one JSON line with the Management API call that sets the corrected object:
 *   {"user_id", "email", "method": "PATCH", "path": "/api/v2/users/{id}",
 *    "body": {"app_metadata": {"flex": <the whole corrected flex object>}}}
 * (that endpoint merges app_metadata's top-level keys, so `flex` goes whole). ssolint
 * never contacts Auth0; doc/fix.md says how to apply the file. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/source.h"
#include "base/util.h"
#include "fix/fix.h"

/* The path segment of a user id (auth0|abc -> auth0%7Cabc). New string. */
static char *encode_id(const char *id)
{
    struct strbuf sb = STRBUF_INIT;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            sb_addc(&sb, (char)*p);
        else
            sb_addf(&sb, "%%%02X", *p);
    }
    return sb_detach(&sb);
}

static void put_line(FILE *out, const struct fix *x, json_t *flex)
{
    char *id = encode_id(x->user_id);
    json_t *line = json_pack("{s:s, s:s?, s:s, s:s+, s:{s:{s:O}}}", "user_id", x->user_id,
                             "email", x->email, "method", "PATCH", "path", "/api/v2/users/",
                             id, "body", "app_metadata", "flex", flex);
    free(id);
    char *s = line ? json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (s)
        fprintf(out, "%s\n", s);
    free(s);
    json_decref(line);
}

size_t fix_remediation(FILE *out, struct fix_file *ff, const char *neu, size_t newlen)
{
    size_t lines = 0;
    /* the last user written: a user's findings are next to one another (report order is
     * file order), so a user with several fixes gets one line */
    uint64_t done_start = 0, done_end = 0;
    for (size_t i = 0; i < ff->n; i++) {
        const struct fix *x = ff->fs[i]->fix;
        if (!x->user_id || x->flex_end <= x->flex_start ||
            (x->flex_start == done_start && x->flex_end == done_end))
            continue;
        if (source_masked(ff->file, x->flex_start, x->flex_end))
            continue;
        done_start = x->flex_start;
        done_end = x->flex_end;
        uint64_t s = fix_map_offset(ff, x->flex_start), e = fix_map_offset(ff, x->flex_end);
        json_error_t je;
        json_t *flex = e > s && e <= newlen
                           ? json_loadb(neu + s, (size_t)(e - s), JSON_DECODE_ANY, &je)
                           : NULL;
        if (json_is_object(flex)) {
            put_line(out, x, flex);
            lines++;
        } else {
            warning("--remediation: the corrected app_metadata.flex of user '%s' is not a JSON "
                 "object; no line written for that user", x->user_id);
        }
        json_decref(flex);
    }
    return lines;
}
