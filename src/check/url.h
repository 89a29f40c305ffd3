/* check/url.h - URL templates of the Twilio service-provider URLs, shared by the
 * `url-template` and `sid` check functions (rules/saml.yaml). The whole policy is rule
 * data (a "URL spec", see check/url.c for its YAML form): templates with {fact}
 * placeholders grouped by style and field, where each fact comes from (config, the Flex
 * SSO file, the Flex configuration, the record), and how the style is chosen. This
 * module builds the expected strings, judges a URL against them (exact, the right form
 * with another SID, a near miss, or nothing like them) and locates a part of a string
 * value in the file. */
#ifndef SSOLINT_CHECK_URL_H
#define SSOLINT_CHECK_URL_H

#include "check/check.h"

#define URL_MAX_FACTS 16
#define URL_MAX_STYLES 8
#define URL_MAX_FIELDS 8
#define URL_MAX_CAPS 4

/* Where a fact (or the style) comes from. */
struct url_src {
    int kind;      /* URL_SRC_CONFIG, URL_SRC_RECORD, or REC_FLEX_SSO / REC_FLEX_CONFIG */
    char *pointer; /* documents and the record */
    char *config;  /* URL_SRC_CONFIG: style, region or name */
};
enum { URL_SRC_CONFIG = -1, URL_SRC_RECORD = -2 };

struct url_factdef {
    char *name;
    char *label;   /* "Flex instance SID" */
    int sid;       /* compared: a wildcard of the form, its mismatch is a SID mismatch */
    struct url_src *src;
    size_t nsrc;
    char *dflt;
};

struct url_part {
    char *lit;     /* literal text, or NULL for a placeholder */
    size_t len;
    int fact;      /* placeholder: index of the fact */
};

struct url_tmpl {
    char *text;    /* as written in the rule file */
    struct url_part *p;
    size_t n;
};

struct url_field {
    char *name;    /* key in the styles: callbacks, audience, ... */
    char *pointer; /* below the record */
    char *label;   /* in messages: callback, audience, ... */
    int list;      /* the value is an array of URLs */
    int required;  /* its absence is a finding (unless the style lists it as optional) */
    int like;      /* index of the field whose templates apply (itself by default) */
};

struct url_style {
    char *name, *label;
    struct url_tmpl *t[URL_MAX_FIELDS];
    size_t nt[URL_MAX_FIELDS];
    int optional[URL_MAX_FIELDS];
};

struct url_spec {
    int kind;        /* the records judged (clients) */
    int flex_client; /* only the tenant's Flex client(s) */
    struct url_src *style_src;
    size_t nstyle_src;
    struct url_factdef fact[URL_MAX_FACTS];
    size_t nfacts;
    struct url_field field[URL_MAX_FIELDS];
    size_t nfields;
    struct url_style style[URL_MAX_STYLES];
    size_t nstyles;
    size_t near_miss; /* edit distance of a near miss */
};

/* Parse and validate a spec (options value o); on error append to err and return -1
 * (the spec must still be freed). */
int url_spec_parse(json_t *o, struct url_spec *s, struct strbuf *err);
void url_spec_free(struct url_spec *s);
int url_field_find(const struct url_spec *s, const char *name); /* index or -1 */

/* The facts of one record, and its style (-1 when none is given). */
enum { FACT_ABSENT, FACT_KNOWN, FACT_UNKNOWN };
struct url_fact {
    int state;
    const char *v;   /* borrowed */
    size_t n;
    int file;        /* -1 when it has no position (config, default) */
    uint64_t start, end;
    const char *where; /* "the Flex SSO file", ... */
};
struct url_facts {
    struct url_fact f[URL_MAX_FACTS];
    int style;
};
void url_facts_get(const struct url_spec *s, const struct record *rec, struct url_facts *fx);

/* Does the spec judge this record? (kind, Flex client) */
int url_spec_applies(const struct url_spec *s, const struct record *rec);

enum url_verdict { URL_NONE, URL_NEAR, URL_SID, URL_OK };
struct url_cap {
    int fact;
    size_t off, len; /* in the value */
};
struct url_judgement {
    enum url_verdict v;
    int style;                   /* of the template judged against */
    const struct url_tmpl *t;
    struct url_cap cap[URL_MAX_CAPS]; /* URL_SID, URL_OK: the SIDs of the value */
    size_t ncap;
    int bad;                     /* URL_SID: index in cap of the first SID that differs */
    size_t dist;                 /* URL_NEAR: how far (0: a normalization) */
    struct strbuf reason;        /* URL_NEAR: what is wrong ("a trailing '/'") */
    struct strbuf expected;      /* the template filled (SIDs of the facts, else the value's) */
};
/* Judge value u[0, n) against the templates of field fi for style (every style when
 * style < 0), or against template only when it is not NULL. Release with
 * url_judgement_free. */
void url_judge(const struct url_spec *s, const struct url_facts *fx, int fi, int style,
               const struct url_tmpl *only, const char *u, size_t n, struct url_judgement *j);
void url_judgement_free(struct url_judgement *j);

/* Is every fact that template t uses known? */
int url_tmpl_ready(const struct url_facts *fx, const struct url_tmpl *t);
/* t filled with the facts (a fact without a value as {name}). */
void url_fill(const struct url_spec *s, const struct url_facts *fx, const struct url_tmpl *t,
              struct strbuf *out);

/* File offset of byte idx of the string value v[0, n) whose text is at l in document d:
 * the file's own characters are counted (an escape is two); a byte that came from a
 * resolved ##KEY## placeholder maps to the placeholder, one from @@KEY@@ (or any text
 * that cannot be followed back) to the value's start. */
uint64_t url_inner_off(const struct doc *d, const struct loc *l, const char *v, size_t n,
                       size_t idx);

/* Position of the record's own value; NULL when unknown. */
const struct loc *url_record_loc(const struct record *rec);
/* The position of the value at pointer below the record, else of its nearest present
 * ancestor (else the record). Never NULL when the record has a position. */
const struct loc *url_nearest_loc(const struct record *rec, const char *pointer);
/* Is obj one of the tenant's Flex clients? */
int url_is_flex_client(const struct tenant *t, const json_t *obj);

#endif
