/* base/libcrypto_load.h - OpenSSL's libcrypto, opened with dlopen the first time a certificate
 * is judged instead of being linked. Loading and relocating libcrypto cost about 2.5 ms
 * of every start (127 more page faults: doc/performance.md), and most runs need it for
 * nothing: it decodes certificates (check/fn/cert.c) and computes the SHA-256 of finding
 * fingerprints (finding.c: json, sarif, gitlab formats and baselines), not the gcc or
 * pretty output. The function types come from OpenSSL's own headers, so a
 * prototype that differs from the library's is a compile error here, not a crash. */
#ifndef SSOLINT_LIBCRYPTO_LOAD_H
#define SSOLINT_LIBCRYPTO_LOAD_H

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#define LC_FN(name) __typeof__(&name) name
struct libcrypto {
    LC_FN(BIO_new_mem_buf);
    LC_FN(BIO_free);
    LC_FN(PEM_read_bio_X509);
    LC_FN(ERR_clear_error);
    LC_FN(X509_get0_notAfter);
    LC_FN(ASN1_TIME_to_tm);
    LC_FN(X509_digest);
    LC_FN(EVP_sha256);
    LC_FN(EVP_Digest);
    LC_FN(X509_free);
};
#undef LC_FN

/* The library's functions; NULL when it cannot be opened, with *why (static text from
 * dlerror, valid until the next call) saying why. Opened once per run. */
const struct libcrypto *libcrypto_get(const char **why);
/* The file name dlopen is given (configure found it: CRYPTO_SONAME). */
const char *libcrypto_name(void);

#endif
