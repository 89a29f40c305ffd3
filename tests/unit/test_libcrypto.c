/* test_libcrypto.c - libcrypto_load.c when the library cannot be opened: it says why and
 * returns NULL, every time, without crashing. Built from the source itself with a file
 * name no system has (the real one is tested by the certificate cases). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#undef CRYPTO_SONAME
#define CRYPTO_SONAME "libssolint-no-such-libcrypto.so.0"
#include "../../src/base/libcrypto_load.c"

static void test_missing_library(void **state)
{
    (void)state;
    const char *why = NULL;
    assert_null(libcrypto_get(&why));
    assert_non_null(why);
    assert_non_null(strstr(why, "libssolint-no-such-libcrypto.so.0"));
    why = NULL;
    assert_null(libcrypto_get(&why)); /* tried once, the answer stays */
    assert_non_null(why);
    assert_string_equal(libcrypto_name(), "libssolint-no-such-libcrypto.so.0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_missing_library)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
