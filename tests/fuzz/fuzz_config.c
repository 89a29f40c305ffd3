/* fuzz_config.c - `.ssolint.yaml`: config_load on a temp file holding the input; a bad
 * file must be a located usage error, never a crash. */
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "config/config.h"
#include "fuzz_common.h"
#include "base/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char dir[] = "/tmp/ssolint-fuzz-config-XXXXXX";
    static char path[64];
    if (!path[0]) {
        if (!mkdtemp(dir))
            abort();
        snprintf(path, sizeof(path), "%s/.ssolint.yaml", dir);
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    struct config cfg;
    memset(&cfg, 0, sizeof(cfg));
    if (config_load(&cfg, path) == 0) {
        FILE *null = fopen("/dev/null", "w");
        config_print(&cfg, null);
        fclose(null);
    }
    config_free(&cfg);
    source_free_all();
    return 0;
}
