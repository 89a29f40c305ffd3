/* rules/catalogue_read.c - the form in which src/catgen stores a parsed rule file in the
 * binary, and the reader ssolint uses at start-up instead of parsing the YAML again.
 *
 * Hand-written because jansson has no binary form and its JSON reader was the problem:
 * decoding the catalogue as JSON with json_loads took about 8 million instructions (it
 * checks every byte as UTF-8 text and lexes byte by byte), most of a start-up. This form
 * needs no lexing: every string carries its length and was checked when the YAML was
 * read at build time. A value is
 *
 *   n | t | f                null, true, false
 *   i<decimal>;  r<%.17g>;   integer, real
 *   s<len>:<bytes>           string (bytes may hold NUL)
 *   a<count>:<value>...      array
 *   o<count>:<len>:<key><value>...  object, members in order
 *
 * The reader checks every length against the end of the data and returns NULL on any
 * inconsistency; the caller then parses the YAML as usual. */
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"
#include "base/util.h"

static void enc(struct strbuf *sb, json_t *v)
{
    size_t i;
    const char *k;
    json_t *m;
    switch (json_typeof(v)) {
    case JSON_NULL: sb_addc(sb, 'n'); break;
    case JSON_TRUE: sb_addc(sb, 't'); break;
    case JSON_FALSE: sb_addc(sb, 'f'); break;
    case JSON_INTEGER: sb_addf(sb, "i%" JSON_INTEGER_FORMAT ";", json_integer_value(v)); break;
    case JSON_REAL: sb_addf(sb, "r%.17g;", json_real_value(v)); break;
    case JSON_STRING:
        sb_addf(sb, "s%zu:", json_string_length(v));
        sb_add(sb, json_string_value(v), json_string_length(v));
        break;
    case JSON_ARRAY:
        sb_addf(sb, "a%zu:", json_array_size(v));
        json_array_foreach(v, i, m)
            enc(sb, m);
        break;
    case JSON_OBJECT:
        sb_addf(sb, "o%zu:", json_object_size(v));
        json_object_foreach(v, k, m) {
            sb_addf(sb, "%zu:", strlen(k));
            sb_adds(sb, k);
            enc(sb, m);
        }
        break;
    }
}

char *catalogue_encode(json_t *v, size_t *len)
{
    struct strbuf sb = STRBUF_INIT;
    enc(&sb, v);
    *len = sb.len;
    return sb_detach(&sb);
}

struct rd {
    const char *p, *end;
};

/* A decimal count or length ended by `stop`; -1 when malformed. */
static long long number(struct rd *r, char stop)
{
    long long n = 0;
    const char *s = r->p;
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9' && n < (1ll << 40))
        n = n * 10 + (*r->p++ - '0');
    if (r->p == s || r->p >= r->end || *r->p != stop)
        return -1;
    r->p++;
    return n;
}

static json_t *dec(struct rd *r, int depth)
{
    if (r->p >= r->end || depth > 64)
        return NULL;
    char c = *r->p++;
    long long n;
    json_t *v = NULL;
    switch (c) {
    case 'n': return json_null();
    case 't': return json_true();
    case 'f': return json_false();
    case 'i':
    case 'r': {
        const char *semi = memchr(r->p, ';', (size_t)(r->end - r->p));
        if (!semi || semi - r->p > 40)
            return NULL;
        char buf[48], *e;
        memcpy(buf, r->p, (size_t)(semi - r->p));
        buf[semi - r->p] = '\0';
        r->p = semi + 1;
        if (c == 'i') {
            long long x = strtoll(buf, &e, 10);
            return *e ? NULL : json_integer((json_int_t)x);
        }
        double d = strtod(buf, &e);
        return *e ? NULL : json_real(d);
    }
    case 's':
        if ((n = number(r, ':')) < 0 || n > r->end - r->p)
            return NULL;
        v = json_stringn_nocheck(r->p, (size_t)n);
        r->p += n;
        return v;
    case 'a':
        if ((n = number(r, ':')) < 0 || !(v = json_array()))
            return NULL;
        for (long long i = 0; i < n; i++) {
            json_t *m = dec(r, depth + 1);
            if (!m || json_array_append_new(v, m)) {
                json_decref(v);
                return NULL;
            }
        }
        return v;
    case 'o':
        if ((n = number(r, ':')) < 0 || !(v = json_object()))
            return NULL;
        for (long long i = 0; i < n; i++) {
            long long kl = number(r, ':');
            if (kl < 0 || kl > r->end - r->p) {
                json_decref(v);
                return NULL;
            }
            const char *k = r->p;
            r->p += kl;
            json_t *m = dec(r, depth + 1);
            if (!m || json_object_setn_new_nocheck(v, k, (size_t)kl, m)) {
                json_decref(v);
                return NULL;
            }
        }
        return v;
    default: return NULL;
    }
}

json_t *catalogue_decode(const char *data, size_t len)
{
    struct rd r = {data, data + len};
    json_t *v = dec(&r, 0);
    if (v && r.p != r.end) {
        json_decref(v);
        v = NULL;
    }
    return v;
}
