/* check/fn/presence.c - two check functions about values that must be there (roles group;
 * the teams group's presence functions are in check/fn/field_presence.c).
 *
 * `required`: a record must have a value at `pointer` (role-missing).
 *   pointer: /app_metadata/flex/roles   the required value (required)
 *   in: users                   only records of this kind (optional)
 *   empty_is_missing: true      an empty array, string or object counts as missing
 *   point_at: [/app_metadata/flex, /app_metadata]   where the finding points: the first of
 *                               these that is an object of the record, else the record
 *   replaced_by: RULE           a rule of the `file-lacks` function: while it is on, the
 *                               users files it reports get no finding of this rule (one
 *                               cause, one finding)
 *   Arguments: {who} (user 'ana@nss.org'), {field} (app_metadata.flex.roles), {missing}
 *   (the first absent part, app_metadata.flex), {state} (missing, empty or null).
 *   A path through an unknown (placeholder) value, a value claimed by an earlier rule
 *   (wrong-type) or a value of another type (a string where an object is needed) is not
 *   judged: `"roles": "agent"` is wrong-type's, not missing.
 *
 * `file-lacks`: a file of records none of which has the value (export-missing-metadata).
 *   in: users                   the record kind (required)
 *   pointer: /app_metadata      the value (null counts as absent, unknown as present)
 *   One finding per file, at line 1 column 1, after its records have been seen.
 *   Arguments: {field}, {count} (records in the file), {records} ("3 users").
 *   Memory: 16 bytes per source file.
 *
 * Why findings are held back: whether a users file lacks app_metadata is known only at
 * its end, and users are a stream (design.md). `required` therefore holds back its
 * findings for the users of a file seen before the file's first user with the value,
 * as the file offsets of their records, LEB128 delta-encoded (1 to 3 bytes per user of a
 * typical export; at most one entry per user of the file, and only while no user of the
 * file has the value). When the file turns out to have the value somewhere, the list
 * is kept and, in the tenant's finish step, the file is streamed once more up to the
 * last held-back user to make those findings with their exact text, positions and
 * identity; when it does not, the list is dropped: file-lacks reports the file. */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "rules/finding.h"
#include "load/users.h"
#include "report/report.h"

/* ---- file-lacks ------------------------------------------------------------------- */

struct fl_file {
    uint64_t records;
    unsigned char has, reported;
};

struct fl_state {
    int kind;
    char *pointer;
    struct fl_file *files; /* indexed by source id */
    size_t nfiles;
};

extern const struct check_fn check_file_lacks_fn;

static void fl_free(void *p)
{
    struct fl_state *s = p;
    free(s->pointer);
    free(s->files);
    free(s);
}

static int fl_prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    const char *in = json_string_value(json_object_get(r->options, "in"));
    const char *ptr = json_string_value(json_object_get(r->options, "pointer"));
    int kind = in ? rec_kind_parse(in) : -1;
    if (kind < 0 || !ptr || ptr[0] != '/' || json_object_size(r->options) != 2) {
        sb_adds(err, "the file-lacks check needs exactly options.in (a record kind such as "
                     "users) and options.pointer (a JSON pointer such as /app_metadata)");
        return -1;
    }
    struct fl_state *s = xcalloc(1, sizeof(*s));
    s->kind = kind;
    s->pointer = xstrdup(ptr);
    r->state = s;
    r->free_state = fl_free;
    return 0;
}

static struct fl_file *fl_slot(struct fl_state *s, int file)
{
    if (file < 0)
        return NULL;
    if ((size_t)file >= s->nfiles) {
        size_t n = (size_t)file + 16;
        s->files = xrealloc(s->files, n * sizeof(*s->files));
        memset(s->files + s->nfiles, 0, (n - s->nfiles) * sizeof(*s->files));
        s->nfiles = n;
    }
    return &s->files[file];
}

static void fl_record(int ri, const struct record *rec)
{
    struct fl_state *s = rule_get(ri)->state;
    if ((int)rec->kind != s->kind)
        return;
    struct fl_file *f = fl_slot(s, rec->doc->file);
    if (!f)
        return;
    f->records++;
    if (!f->has) {
        int unknown;
        json_t *v = record_get(rec, s->pointer, NULL, &unknown);
        f->has = unknown || (v && !json_is_null(v));
    }
}

/* "app_metadata" for /app_metadata, "app_metadata.flex.roles" for /app_metadata/flex/roles;
 * only the first n bytes of the pointer. New string. */
static char *dotted(const char *pointer, size_t n)
{
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i++)
        if (pointer[i] == '/') {
            if (i)
                sb_addc(&sb, '.');
        } else {
            sb_addc(&sb, pointer[i]);
        }
    return sb_detach(&sb);
}

/* "user" for users, "client" for clients, ... */
static const char *kind_noun(int kind)
{
    switch (kind) {
    case REC_USER: return "user";
    case REC_CLIENT: return "client";
    case REC_ACTION: return "action";
    case REC_WORKER: return "worker";
    default: return "record";
    }
}

static void fl_finish(int ri, struct tenant *t)
{
    struct fl_state *s = rule_get(ri)->state;
    for (size_t i = 0; i < s->nfiles; i++) {
        struct fl_file *f = &s->files[i];
        if (!f->records || f->has || f->reported)
            continue;
        f->reported = 1;
        struct finding *fd = finding_add(ri, (int)i, 0, 0, NULL);
        char *field = dotted(s->pointer, strlen(s->pointer));
        finding_arg(fd, "field", "%s", field);
        finding_arg(fd, "count", "%llu", (unsigned long long)f->records);
        finding_arg(fd, "records", "%llu %s%s", (unsigned long long)f->records,
                    kind_noun(s->kind), f->records == 1 ? "" : "s");
        finding_set_identity(fd, t ? t->index : -1, NULL);
        free(field);
    }
}

const struct check_fn check_file_lacks_fn = {"file-lacks", fl_prepare, NULL, fl_record,
                                             fl_finish, NULL};

/* Does the file-lacks rule rb say, so far, that no record of file has its value? Only
 * while that rule runs for tenant t; otherwise nothing is replaced. */
static int fl_lacks(int rb, int file, const struct tenant *t)
{
    if (rb < 0 || !rule_on(rb) || !rule_applies(rule_get(rb), t))
        return 0;
    struct fl_state *s = rule_get(rb)->state;
    return file >= 0 && (size_t)file < s->nfiles ? !s->files[file].has : 1;
}

/* ---- held-back record offsets ----------------------------------------------------- */

struct offlist {
    int file;
    unsigned char *b; /* LEB128 deltas of increasing offsets */
    size_t n, cap;
    size_t count;
    uint64_t last;
};

static void ol_add(struct offlist *l, uint64_t off)
{
    uint64_t d = off - (l->count ? l->last : 0);
    l->last = off;
    l->count++;
    GROW(l->b, l->cap, l->n + 10);
    do {
        unsigned char c = d & 0x7f;
        d >>= 7;
        l->b[l->n++] = (unsigned char)(c | (d ? 0x80 : 0));
    } while (d);
}

/* Decode the entry at *pos (the one after prev); advances *pos. */
static uint64_t ol_next(const struct offlist *l, size_t *pos, uint64_t prev)
{
    uint64_t d = 0;
    unsigned shift = 0;
    while (*pos < l->n) {
        unsigned char c = l->b[(*pos)++];
        d |= (uint64_t)(c & 0x7f) << shift;
        shift += 7;
        if (!(c & 0x80))
            break;
    }
    return prev + d;
}

static void ol_reset(struct offlist *l, int file)
{
    free(l->b);
    memset(l, 0, sizeof(*l));
    l->file = file;
}

/* ---- required --------------------------------------------------------------------- */

struct req {
    char *pointer;
    char **point_at;
    size_t npoint;
    int kind;              /* -1: any */
    int empty;             /* empty_is_missing */
    int rb;                /* the replaced_by rule's index, -1 */
    int cur_file;          /* the users file being streamed */
    struct offlist held;   /* cur_file's held-back users */
    struct offlist *done;  /* files found to have the value after all: made at finish */
    size_t ndone, capdone;
};

static void req_free(void *p)
{
    struct req *q = p;
    free(q->pointer);
    for (size_t i = 0; i < q->npoint; i++)
        free(q->point_at[i]);
    free(q->point_at);
    free(q->held.b);
    for (size_t i = 0; i < q->ndone; i++)
        free(q->done[i].b);
    free(q->done);
    free(q);
}

static int req_prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    json_t *o = r->options;
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        if (strcmp(k, "pointer") && strcmp(k, "in") && strcmp(k, "empty_is_missing") &&
            strcmp(k, "point_at") && strcmp(k, "replaced_by")) {
            sb_addf(err, "the required check has no option '%s' (pointer, in, "
                         "empty_is_missing, point_at, replaced_by)", k);
            return -1;
        }
    }
    const char *ptr = json_string_value(json_object_get(o, "pointer"));
    const char *in = json_string_value(json_object_get(o, "in"));
    json_t *pa = json_object_get(o, "point_at");
    json_t *em = json_object_get(o, "empty_is_missing");
    json_t *rb = json_object_get(o, "replaced_by");
    if (!ptr || ptr[0] != '/') {
        sb_adds(err, "the required check needs options.pointer, a JSON pointer such as "
                     "/app_metadata/flex/roles");
        return -1;
    }
    struct req *q = xcalloc(1, sizeof(*q));
    r->state = q;
    r->free_state = req_free;
    q->pointer = xstrdup(ptr);
    q->kind = -1;
    q->rb = -1;
    q->cur_file = -1;
    q->held.file = -1;
    if (in && (q->kind = rec_kind_parse(in)) < 0) {
        sb_addf(err, "options.in: unknown record kind '%s'", in);
        return -1;
    }
    if (em && !json_is_boolean(em)) {
        sb_adds(err, "options.empty_is_missing must be true or false");
        return -1;
    }
    q->empty = json_is_true(em);
    if (pa) {
        size_t i;
        json_t *e;
        if (!json_is_array(pa)) {
            sb_adds(err, "options.point_at must be a list of JSON pointers");
            return -1;
        }
        q->point_at = xcalloc(json_array_size(pa) + 1, sizeof(char *));
        json_array_foreach(pa, i, e) {
            const char *s = json_string_value(e);
            if (!s || s[0] != '/') {
                sb_addf(err, "options.point_at[%zu] must be a JSON pointer such as "
                             "/app_metadata", i);
                return -1;
            }
            q->point_at[q->npoint++] = xstrdup(s);
        }
    }
    if (rb) {
        const char *id = json_string_value(rb);
        int i = id ? rule_find(id) : -1;
        if (i < 0 || strcmp(rule_get(i)->check, check_file_lacks_fn.name)) {
            sb_addf(err, "options.replaced_by must name a rule (loaded before this one) "
                         "whose check function is %s", check_file_lacks_fn.name);
            return -1;
        }
        q->rb = i;
    }
    return 0;
}

/* The position of the record itself (its `{`). */
static const struct loc *record_loc(const struct record *rec)
{
    if (rec->obj == rec->doc->root)
        return &rec->doc->root_loc;
    struct record top = *rec;
    const struct loc *l;
    top.obj = rec->doc->root;
    return record_get(&top, rec->pointer ? rec->pointer : "", &l, NULL) ? l : NULL;
}

static int is_empty(const json_t *v)
{
    return (json_is_array(v) && !json_array_size(v)) ||
           (json_is_string(v) && !json_string_length(v)) ||
           (json_is_object(v) && !json_object_size(v));
}

/* Is the value missing? *upto gets the length of the pointer prefix naming the first
 * absent (or empty) part, *state why, *vl the position of a null or empty value (NULL
 * when absent). 0: present, or not to be judged. */
static int missing(const struct req *q, const struct record *rec, size_t *upto,
                   const char **state, const struct loc **vl)
{
    json_t *cur = rec->obj;
    const char *p = q->pointer;
    int file = rec->doc->file;
    *vl = NULL;
    while (*p == '/') {
        const char *e = strchr(p + 1, '/');
        size_t n = e ? (size_t)(e - p - 1) : strlen(p + 1);
        if (!json_is_object(cur))
            return 0; /* a wrong type above: not ours */
        char *key = xstrndup(p + 1, n);
        json_t *v = json_object_get(cur, key);
        const struct loc *l = doc_key(rec->doc, cur, key);
        free(key);
        *upto = (size_t)(p - q->pointer) + 1 + n;
        if (!v) {
            *state = "missing";
            *vl = NULL;
            return 1;
        }
        if (l && ((l->flags & LOC_UNKNOWN) || claimed(file, l->start)))
            return 0;
        *vl = l;
        if (json_is_null(v)) {
            *state = "null";
            return 1;
        }
        cur = v;
        p += 1 + n;
    }
    if (q->empty && is_empty(cur)) {
        *state = "empty";
        return 1;
    }
    return 0;
}

static void req_emit(int ri, const struct req *q, const struct record *rec, size_t upto,
                     const char *state, const struct loc *vl)
{
    if (vl) /* a null or empty value reported here is not judged again (role-unknown '') */
        claim(rec->doc->file, vl->start);
    const struct loc *l = NULL;
    const char *at = "";
    for (size_t i = 0; i < q->npoint && !l; i++) {
        int unknown;
        const struct loc *pl;
        json_t *v = record_get(rec, q->point_at[i], &pl, &unknown);
        if (v && json_is_object(v) && pl && !unknown) {
            l = pl;
            at = q->point_at[i];
        }
    }
    if (!l && !(l = record_loc(rec)))
        return;
    struct finding *f = finding_add(ri, rec->doc->file, l->start, l->end, rec->win);
    if (!f)
        return;
    char *field = dotted(q->pointer, strlen(q->pointer));
    char *miss = dotted(q->pointer, upto);
    char *ptr = xasprintf("%s%s", rec->pointer ? rec->pointer : "", at);
    const char *noun = kind_noun((int)rec->kind);
    if (rec->identity)
        finding_arg(f, "who", "%s '%s'", noun, rec->identity);
    else
        finding_arg(f, "who", "this %s", noun);
    finding_arg(f, "field", "%s", field);
    finding_arg(f, "missing", "%s", miss);
    finding_arg(f, "state", "%s", state);
    finding_set_identity(f, rec->t ? rec->t->index : -1, rec->identity);
    finding_set_pointer(f, ptr);
    free(field);
    free(miss);
    free(ptr);
}

/* The held-back users of the stream so far: keep them (made at finish) when a record of
 * their file has the value after all, else drop them (file-lacks reports the file). */
static void req_settle(struct req *q, const struct tenant *t)
{
    if (q->held.count && !fl_lacks(q->rb, q->held.file, t)) {
        GROW(q->done, q->capdone, q->ndone + 1);
        q->done[q->ndone++] = q->held;
        memset(&q->held, 0, sizeof(q->held));
    }
    ol_reset(&q->held, q->cur_file);
}

static void req_record(int ri, const struct record *rec)
{
    struct req *q = rule_get(ri)->state;
    if (q->kind >= 0 && q->kind != (int)rec->kind)
        return;
    int file = rec->doc->file;
    /* a new file, or the same file streamed again: settle the previous stream */
    if (rec->kind == REC_USER &&
        (file != q->cur_file || (q->held.count && rec->doc->root_loc.start <= q->held.last))) {
        req_settle(q, rec->t);
        q->cur_file = q->held.file = file;
    }
    size_t upto;
    const char *state;
    const struct loc *vl;
    if (!missing(q, rec, &upto, &state, &vl))
        return;
    if (rec->kind == REC_USER && fl_lacks(q->rb, file, rec->t)) {
        ol_add(&q->held, rec->doc->root_loc.start);
        return;
    }
    if (q->held.count)
        req_settle(q, rec->t); /* the file has the value: its held-back users are due */
    req_emit(ri, q, rec, upto, state, vl);
}

/* ---- the second pass over a file's held-back users ---- */

struct again {
    int ri;
    const struct req *q;
    struct tenant *t;
    const struct offlist *l;
    size_t pos, left;
    uint64_t next;
};

static int again_user(void *ctx, const struct user_rec *u)
{
    struct again *a = ctx;
    uint64_t start = u->doc->root_loc.start;
    if (start == a->next) {
        struct record rec = {REC_USER, a->t, u->doc, u->doc->root, u->win,
                             user_identity(u->doc->root), "", NULL};
        size_t upto;
        const char *state;
        const struct loc *vl;
        if (missing(a->q, &rec, &upto, &state, &vl))
            req_emit(a->ri, a->q, &rec, upto, state, vl);
        if (--a->left)
            a->next = ol_next(a->l, &a->pos, a->next);
    }
    return a->left == 0 || start > a->next;
}

static void req_finish(int ri, struct tenant *t)
{
    struct req *q = rule_get(ri)->state;
    req_settle(q, t);
    q->cur_file = -1;
    for (size_t i = 0; i < q->ndone; i++) {
        struct offlist *l = &q->done[i];
        struct again a = {ri, q, t, l, 0, l->count, 0};
        a.next = ol_next(l, &a.pos, 0);
        struct users_stats st;
        users_stream(l->file, again_user, &a, NULL, NULL, &st);
        free(l->b);
    }
    q->ndone = 0;
}

const struct check_fn check_required_fn = {"required", req_prepare, NULL, req_record,
                                           req_finish, NULL};
