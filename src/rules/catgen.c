/* rules/catgen.c - writes src/catalogue.c at build time: the built-in rule files, each with its
 * text and its parse (rules_file_data), so that ssolint need not parse them with libyaml
 * at every start (doc/performance.md, "Start-up"). The catalogue is only used for a
 * file whose installed text is byte for byte the text recorded here; any other file is
 * parsed as usual. Before writing anything it loads the rules the way ssolint does, so a
 * rule file that ssolint would refuse fails the build.
 *
 *   catgen DATADIR RULEFILE... > catalogue.c
 *
 * DATADIR holds rules/ and doc/rules/ (the source tree). Hand-written: no library turns
 * a file into a C string literal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"
#include "base/source.h"
#include "base/util.h"

/* Write s[0..n) as C string literals, one per source line; every byte that is not
 * printable ASCII, and '"', '\\' and '?' (trigraphs), as a three-digit octal escape. */
static void literal(FILE *out, const char *s, size_t n)
{
    fputs("        \"", out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '?')
            fputc(c, out);
        else
            fprintf(out, "\\%03o", c);
        if (c == '\n' && i + 1 < n)
            fputs("\"\n        \"", out);
    }
    fputs("\"", out);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: catgen DATADIR RULEFILE... > catalogue.c\n");
        return 2;
    }
    if (rules_load_dir(argv[1], 1) < 0) {
        fprintf(stderr, "catgen: the built-in rules do not load\n");
        return 1;
    }
    FILE *out = stdout;
    fputs("/* catalogue.c - written by src/catgen from the rule files at build time; do not "
          "edit. */\n#include \"rules/rules.h\"\n\nstatic const struct rules_catalogue_file "
          "files[] = {\n",
          out);
    for (int i = 2; i < argc; i++) {
        size_t len;
        char *text = file_read(argv[i], (size_t)-1, &len);
        size_t dlen;
        char *data = text ? rules_file_data(argv[i], &dlen) : NULL;
        if (!data) {
            fprintf(stderr, "catgen: cannot read or parse '%s'\n", argv[i]);
            return 1;
        }
        const char *base = strrchr(argv[i], '/');
        base = base ? base + 1 : argv[i];
        fputs("    {\n", out);
        literal(out, base, strlen(base));
        fputs(",\n", out);
        literal(out, text, len);
        fprintf(out, ",\n        %zu,\n", len);
        literal(out, data, dlen);
        fprintf(out, ",\n        %zu,\n    },\n", dlen);
        free(text);
        free(data);
    }
    fprintf(out, "};\n\nconst struct rules_catalogue builtin_catalogue = {files, %d};\n",
            argc - 2);
    rules_free();
    source_free_all();
    return ferror(out) || fflush(out) ? 1 : 0;
}
