/* fuzz_rules.c - the rule-file loader: the input is the one rule file of a temp
 * directory, loaded as user rules (check names are looked up in the whole check table,
 * options compiled by the check functions' prepare()). */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "rules/rules.h"
#include "base/path.h"
#include "base/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char dir[] = "/tmp/ssolint-fuzz-rules-XXXXXX";
    static char path[64];
    if (!path[0]) {
        if (!mkdtemp(dir))
            abort();
        snprintf(path, sizeof(path), "%s/user.yaml", dir);
        path_guard_root(dir); /* a user rule file is read through the path guard */
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    rules_load_dir(dir, 0);
    for (int i = 0; i < rule_count(); i++) {
        char *page = rule_page_text(rule_get(i));
        free(page);
    }
    rules_free();
    source_free_all();
    return 0;
}
