/* bench/baseline.c - the throughput baseline of issue 5: inflate a gzip NDJSON file with
 * zlib and parse each line with jansson's json_loadb, nothing else. Prints the number of
 * records parsed. Build: cc -O2 bench/baseline.c -o baseline -ljansson -lz */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: baseline FILE.ndjson.gz\n");
        return 2;
    }
    gzFile gz = gzopen(argv[1], "rb");
    if (!gz) {
        perror(argv[1]);
        return 2;
    }
    gzbuffer(gz, 1 << 17);
    size_t cap = 1 << 20, len = 0, records = 0, bad = 0;
    char *buf = malloc(cap);
    int n;
    for (;;) {
        if (cap - len < (1 << 16)) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        n = gzread(gz, buf + len, (unsigned)(cap - len));
        if (n <= 0)
            break;
        len += (size_t)n;
        size_t start = 0;
        char *nl;
        while ((nl = memchr(buf + start, '\n', len - start))) {
            size_t ln = (size_t)(nl - (buf + start));
            if (ln) {
                json_error_t e;
                json_t *j = json_loadb(buf + start, ln, 0, &e);
                if (j) {
                    records++;
                    json_decref(j);
                } else {
                    bad++;
                }
            }
            start += ln + 1;
        }
        memmove(buf, buf + start, len - start);
        len -= start;
    }
    if (len) {
        json_error_t e;
        json_t *j = json_loadb(buf, len, 0, &e);
        records += j != NULL;
        bad += j == NULL;
        json_decref(j);
    }
    gzclose(gz);
    free(buf);
    printf("%zu records, %zu unparsable\n", records, bad);
    return n < 0;
}
