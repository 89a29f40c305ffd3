/* fuzz_js.c - the Action code tokenizer: tokens are ordered, non-empty where they must
 * be, inside the text; string values decode without crashing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load/js.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1);
    if (size)
        memcpy(text, data, size);
    struct js_tokens t = {0};
    struct js_error err = {0};
    int rc = js_tokenize(text, size, &t, &err);
    if (rc != 0 && rc != -1)
        abort();
    if (rc == -1 && (err.off > size || !err.msg))
        abort();
    size_t prev = 0;
    for (size_t i = 0; i < t.n; i++) {
        const struct js_tok *k = &t.t[i];
        if (k->start < prev || k->end < k->start || k->end > size)
            abort();
        prev = k->end;
        if (k->kind == JS_STRING || k->kind == JS_TEMPLATE) {
            char *s = js_string_value(text, k);
            free(s);
        }
        (void)js_tok_is(text, k, "(");
    }
    js_tokens_free(&t);
    free(text);
    return 0;
}
