/* check/fn/cert.c - the `cert` check function: X.509 certificates in PEM form, decoded with
 * OpenSSL's libcrypto (cert-invalid, cert-expired, cert-expiring, cert-mismatch). Options:
 *
 *   mode: invalid | expired | expiring | mismatch
 *   certificates:                 # where the certificates are
 *     - in: flex-sso              # a record kind (check.h) and a pointer below it ...
 *       pointer: /x509_certificate
 *       name: the Flex SSO x509_certificate    # {what} in the message
 *       flex_client: true         # clients only: just the Flex client(s)
 *     - file: signing_cert        # ... or the certificate file of config auth0.signing_cert
 *       name: the Auth0 signing certificate file
 *   reference: {file: signing_cert, name: ...}   # mismatch: what the certificates must equal
 *
 * invalid: the value does not decode as a PEM X.509 certificate ({reason}). expired: its
 * notAfter is before the run's time ({date}). expiring: it expires within the config's
 * cert_warn_days ({date}, {when}: "today", "tomorrow", "in 12 days"). mismatch: the
 * SHA-256 of its DER differs from the reference's (line wrapping does not matter); a note
 * at the reference. Every finding also gets {what} (the place's name) and {pem_url} (where
 * Auth0 serves the tenant's signing certificate: its first Auth0 domain's /pem). A certificate file is judged at its line 1, column 1.
 * One cause, one finding: each mode skips a value an earlier cert rule reported (rule
 * file order: invalid, mismatch, expired, expiring) and claims what it reports.
 * libcrypto is opened on the first certificate (libcrypto_load.h); when it cannot be,
 * that is said once and the run ends with status 2, as for an unreadable input. */
#include <stdlib.h>
#include <string.h>

#include "base/libcrypto_load.h"

#include "check/check.h"
#include "report/report.h"

enum cert_mode { M_INVALID, M_EXPIRED, M_EXPIRING, M_MISMATCH };
static const char *const mode_names[] = {"invalid", "expired", "expiring", "mismatch", NULL};

/* Where a certificate is: a pointer below a record, or a file the config names. */
struct cplace {
    int kind;      /* enum rec_kind, -1 for a file */
    char *pointer;
    char *name;
    int flex_client;
};

struct cstate {
    enum cert_mode mode;
    struct cplace *p;
    size_t n;
    struct cplace ref; /* mismatch */
};

static struct model *model; /* the run's time and config (set in begin) */

static void free_state(void *v)
{
    struct cstate *st = v;
    for (size_t i = 0; i < st->n; i++) {
        free(st->p[i].pointer);
        free(st->p[i].name);
    }
    free(st->p);
    free(st->ref.pointer);
    free(st->ref.name);
    free(st);
}

/* One place from its option object; -1 when malformed. Files: only signing_cert. */
static int place_parse(json_t *e, struct cplace *p)
{
    const char *in = json_string_value(json_object_get(e, "in"));
    const char *ptr = json_string_value(json_object_get(e, "pointer"));
    const char *file = json_string_value(json_object_get(e, "file"));
    const char *name = json_string_value(json_object_get(e, "name"));
    if (!json_is_object(e) || !name)
        return -1;
    if (file) {
        if (strcmp(file, "signing_cert") || in || ptr)
            return -1;
        p->kind = -1;
    } else if (!in || (p->kind = rec_kind_parse(in)) < 0 || !ptr || ptr[0] != '/') {
        return -1;
    } else {
        p->pointer = xstrdup(ptr);
    }
    p->name = xstrdup(name);
    p->flex_client = json_is_true(json_object_get(e, "flex_client"));
    return 0;
}

static int prepare(struct rule *r, int ri, struct strbuf *err)
{
    (void)ri;
    const char *mode = json_string_value(json_object_get(r->options, "mode"));
    json_t *list = json_object_get(r->options, "certificates");
    struct cstate *st = xcalloc(1, sizeof(*st));
    r->state = st;
    r->free_state = free_state;
    int m = -1;
    for (int i = 0; mode && mode_names[i]; i++)
        if (!strcmp(mode, mode_names[i]))
            m = i;
    if (m < 0) {
        sb_adds(err, "options.mode must be invalid, expired, expiring or mismatch");
        return -1;
    }
    st->mode = (enum cert_mode)m;
    if (!json_is_array(list) || !json_array_size(list)) {
        sb_adds(err, "options.certificates must be a list of {in, pointer, name} or "
                     "{file: signing_cert, name}");
        return -1;
    }
    st->p = xcalloc(json_array_size(list), sizeof(*st->p));
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        if (place_parse(e, &st->p[st->n++]) < 0) {
            sb_addf(err, "options.certificates[%zu] needs 'name' and either 'in' (a record "
                         "kind) with 'pointer' (/a/b), or 'file: signing_cert'", i);
            return -1;
        }
    }
    if (st->mode == M_MISMATCH &&
        place_parse(json_object_get(r->options, "reference"), &st->ref) < 0) {
        sb_adds(err, "mode mismatch needs options.reference: {file: signing_cert, name}");
        return -1;
    }
    if (st->mode == M_MISMATCH && st->ref.kind != -1) {
        sb_adds(err, "options.reference must be a file (file: signing_cert)");
        return -1;
    }
    return 0;
}

static void begin(int ri, struct model *m)
{
    (void)ri;
    model = m;
}

/* ---- decoding ---- */

static int contains(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (s[i] == needle[0] && !memcmp(s + i, needle, k))
            return 1;
    return 0;
}

static const struct libcrypto *lc;

/* libcrypto, or NULL when it cannot be opened (said once, and the run fails). */
static const struct libcrypto *crypto(void)
{
    static int said;
    const char *why;
    const struct libcrypto *c = libcrypto_get(&why);
    if (!c && !said) {
        said = 1;
        error("cannot open %s to check certificates (%s): the certificate rules did not run",
              libcrypto_name(), why);
        if (model)
            model->io_errors++;
    }
    return c;
}

/* The first certificate of a PEM text; NULL with *reason set when there is none, NULL
 * with *reason NULL when libcrypto is not there to tell. */
static X509 *cert_decode(const char *s, size_t n, const char **reason)
{
    *reason = NULL;
    if (!contains(s, n, "-----BEGIN CERTIFICATE-----")) {
        *reason = "it has no '-----BEGIN CERTIFICATE-----' line";
        return NULL;
    }
    if (n > INT32_MAX) {
        *reason = "it is too large";
        return NULL;
    }
    if (!(lc = crypto()))
        return NULL;
    BIO *b = lc->BIO_new_mem_buf(s, (int)n);
    X509 *x = b ? lc->PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
    lc->BIO_free(b);
    lc->ERR_clear_error();
    if (!x)
        *reason = "the base64 between its BEGIN and END lines is not a valid certificate (cut short or edited?)";
    return x;
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm; no timegm in C11). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* notAfter as UTC seconds; -1 when it cannot be read. */
static int not_after(const X509 *x, int64_t *t, struct tm *tm)
{
    const ASN1_TIME *na = lc->X509_get0_notAfter(x);
    memset(tm, 0, sizeof(*tm));
    if (!na || !lc->ASN1_TIME_to_tm(na, tm))
        return -1;
    *t = days_from_civil(tm->tm_year + 1900LL, tm->tm_mon + 1, tm->tm_mday) * 86400 +
         tm->tm_hour * 3600 + tm->tm_min * 60 + tm->tm_sec;
    return 0;
}

static int64_t day_of(int64_t t)
{
    return (t >= 0 ? t : t - 86399) / 86400;
}

/* ---- the certificate file of config auth0.signing_cert ---- */

static int *unreadable; /* files already found unreadable (one message each) */
static size_t nunreadable;

/* The file's retained text, read on first use; NULL when unreadable. */
static const struct source *cert_file_text(int id)
{
    struct source *s = source_get(id);
    if (!s)
        return NULL;
    if (s->text)
        return s;
    for (size_t i = 0; i < nunreadable; i++)
        if (unreadable[i] == id)
            return NULL;
    int rc = source_read(id, 1u << 20); /* -2: larger than any certificate */
    if (rc != 0) {
        unreadable = xrealloc(unreadable, (nunreadable + 1) * sizeof(*unreadable));
        unreadable[nunreadable++] = id;
        if (model && rc == -1)
            model->io_errors++;
        return NULL;
    }
    return s;
}

/* ---- judging one certificate ---- */

struct where {
    int file;
    uint64_t start, end;
    const struct textwin *win;
    const struct tenant *t;
    const char *identity;
};

static void finding_common(struct finding *f, const struct where *w, const char *what,
                           const char *value, size_t n)
{
    const struct cfg_tenant *c = w->t->cfg;
    const char *dom = c && c->domains.n ? c->domains.v[0] : w->t->auth0_domain;
    finding_arg(f, "what", "%s", what);
    finding_arg(f, "pem_url", "https://%s/pem", dom && *dom ? dom : "<auth0 domain>");
    finding_set_identity(f, w->t->index, w->identity);
    if (value)
        finding_value(f, value, n, 0);
}

/* The SHA-256 of the reference certificate; 0 when there is none that decodes. */
static int reference_digest(const struct tenant *t, unsigned char md[EVP_MAX_MD_SIZE],
                            unsigned *mdlen)
{
    if (t->cert_file < 0)
        return 0;
    const struct source *s = cert_file_text(t->cert_file);
    const char *reason;
    X509 *x = s ? cert_decode(s->text, s->len, &reason) : NULL;
    int ok = x && lc->X509_digest(x, lc->EVP_sha256(), md, mdlen);
    if (x)
        lc->X509_free(x);
    return ok;
}

static void judge(int ri, const struct cstate *st, const struct where *w, const char *what,
                  const char *s, size_t n, int is_file)
{
    if (claimed(w->file, w->start))
        return;
    const char *reason;
    X509 *x = cert_decode(s, n, &reason);
    const char *value = is_file ? NULL : s;
    struct finding *f = NULL;
    if (!x && !reason)
        return; /* no libcrypto */
    if (st->mode == M_INVALID) {
        if (!x) {
            f = finding_add(ri, w->file, w->start, w->end, w->win);
            finding_common(f, w, what, value, n);
            finding_arg(f, "reason", "%s", reason);
        }
        goto out;
    }
    if (!x)
        goto out;
    if (st->mode == M_MISMATCH) {
        unsigned char a[EVP_MAX_MD_SIZE], b[EVP_MAX_MD_SIZE];
        unsigned la = 0, lb = 0;
        if (reference_digest(w->t, b, &lb) && lc->X509_digest(x, lc->EVP_sha256(), a, &la) &&
            (la != lb || memcmp(a, b, la))) {
            f = finding_add(ri, w->file, w->start, w->end, w->win);
            finding_common(f, w, what, value, n);
            finding_arg(f, "reference", "%s", st->ref.name);
            finding_note(f, w->t->cert_file, 0, 0, NULL, "%s is here", st->ref.name);
        }
        goto out;
    }
    int64_t end;
    struct tm tm;
    if (not_after(x, &end, &tm) < 0 || !model)
        goto out;
    int64_t days = day_of(end) - day_of(model->now);
    int expired = end < model->now;
    int expiring = !expired && end < model->now + (int64_t)model->cfg->cert_warn_days * 86400;
    if ((st->mode == M_EXPIRED && expired) || (st->mode == M_EXPIRING && expiring)) {
        f = finding_add(ri, w->file, w->start, w->end, w->win);
        finding_common(f, w, what, value, n);
        finding_arg(f, "date", "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                    tm.tm_mday);
        if (days == 0)
            finding_arg(f, "when", "today");
        else if (days == 1)
            finding_arg(f, "when", "tomorrow");
        else
            finding_arg(f, "when", "in %lld days", (long long)days);
    }
out:
    if (f)
        claim(w->file, w->start);
    if (x)
        lc->X509_free(x);
}

static int is_flex_client(const struct tenant *t, json_t *obj)
{
    for (size_t k = 0; k < t->nflex_clients; k++)
        if (t->clients[t->flex_clients[k]].obj == obj)
            return 1;
    return 0;
}

static void record(int ri, const struct record *rec)
{
    const struct cstate *st = rule_get(ri)->state;
    for (size_t i = 0; i < st->n; i++) {
        const struct cplace *p = &st->p[i];
        if (p->kind != (int)rec->kind || (p->flex_client && !is_flex_client(rec->t, rec->obj)))
            continue;
        const struct loc *l;
        int unknown;
        json_t *v = record_get(rec, p->pointer, &l, &unknown);
        if (!json_is_string(v) || unknown || !l || (l->flags & LOC_UNKNOWN))
            continue;
        struct where w = {rec->doc->file, l->start, l->end, rec->win, rec->t, rec->identity};
        judge(ri, st, &w, p->name, json_string_value(v), json_string_length(v), 0);
    }
}

/* The certificate file is not a record: it is judged after the tenant's records. */
static void finish(int ri, struct tenant *t)
{
    const struct cstate *st = rule_get(ri)->state;
    if (t->cert_file < 0 || st->mode == M_MISMATCH)
        return;
    for (size_t i = 0; i < st->n; i++) {
        if (st->p[i].kind != -1)
            continue;
        const struct source *s = cert_file_text(t->cert_file);
        if (!s)
            return;
        struct where w = {t->cert_file, 0, 0, NULL, t, NULL};
        judge(ri, st, &w, st->p[i].name, s->text, s->len, 1);
    }
}

static void finish_all(int ri, struct model *m)
{
    (void)ri;
    (void)m;
    free(unreadable);
    unreadable = NULL;
    nunreadable = 0;
}

const struct check_fn check_cert_fn = {"cert", prepare, begin, record, finish, finish_all};
