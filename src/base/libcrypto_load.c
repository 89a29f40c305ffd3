/* base/libcrypto_load.c - see libcrypto_load.h. dlopen and dlsym are POSIX; a function pointer
 * is copied out of dlsym's void * with memcpy, as POSIX allows and ISO C does not forbid.
 * The handle stays open until exit (libcrypto registers its own cleanup with atexit). */
#include "base/libcrypto_load.h"

#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

#ifndef CRYPTO_SONAME
#error "CRYPTO_SONAME (the file name of libcrypto, e.g. \"libcrypto.so.3\") is set by configure"
#endif

static struct libcrypto lc;
static int loaded; /* 0: not tried, 1: loaded, -1: failed */
static char why_buf[256];

static int sym(void *h, const char *name, void *fn, size_t size)
{
    void *p = dlsym(h, name);
    if (!p)
        return -1;
    memcpy(fn, &p, size);
    return 0;
}

#define SYM(h, name) sym((h), #name, &lc.name, sizeof(lc.name))

const char *libcrypto_name(void)
{
    return CRYPTO_SONAME;
}

const struct libcrypto *libcrypto_get(const char **why)
{
    if (loaded == 0) {
        void *h = dlopen(CRYPTO_SONAME, RTLD_NOW | RTLD_LOCAL);
        loaded = -1;
        if (h && !SYM(h, BIO_new_mem_buf) && !SYM(h, BIO_free) && !SYM(h, PEM_read_bio_X509) &&
            !SYM(h, ERR_clear_error) && !SYM(h, X509_get0_notAfter) &&
            !SYM(h, ASN1_TIME_to_tm) && !SYM(h, X509_digest) && !SYM(h, EVP_sha256) &&
            !SYM(h, EVP_Digest) &&
            !SYM(h, X509_free))
            loaded = 1;
        if (loaded < 0) {
            const char *e = dlerror();
            strncpy(why_buf, e ? e : "a function is missing", sizeof(why_buf) - 1);
        }
    }
    if (why)
        *why = loaded < 0 ? why_buf : NULL;
    return loaded > 0 ? &lc : NULL;
}
