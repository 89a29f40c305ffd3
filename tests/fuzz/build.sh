#!/bin/sh
# build.sh - build the libFuzzer targets by hand with clang (no configure needed).
# Usage: tests/fuzz/build.sh [OUTDIR]   (default: ./fuzz-build)
# The library sources are every src/**/*.c minus main.c and catgen.c, compiled once with
# -fsanitize=fuzzer-no-link,address,undefined; each target links them with
# -fsanitize=fuzzer,address,undefined.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-fuzz-build}
mkdir -p "$out/obj"
out=$(cd "$out" && pwd)
CC=${CC:-clang}
deps="jansson yaml-0.1 libpcre2-8 zlib libcrypto"
cflags="-std=c11 -g -O1 -fno-omit-frame-pointer -D_GNU_SOURCE -DPACKAGE_VERSION=\"fuzz\" \
 -DABS_SRCDIR=\"$top\" -I$top/src $(pkg-config --cflags $deps)"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -pthread"
libs=$(pkg-config --libs $deps)
if pkg-config --exists libisal; then # gzip inflates with ISA-L as in the program
    cflags="$cflags -DHAVE_ISAL $(pkg-config --cflags libisal)"
    libs="$libs $(pkg-config --libs libisal)"
fi
objs=""
soname=libcrypto.so.$(pkg-config --modversion libcrypto | cut -d. -f1)
cflags="$cflags -DCRYPTO_SONAME=\"$soname\""
for f in $(find "$top/src" -name '*.c' ! -name catalogue.c | sort); do
    b=$(basename "$f" .c)
    case $b in main | catgen) continue ;; esac
    rel=${f#"$top/src/"}
    o=$out/obj/$(echo "${rel%.c}" | tr / _).o
    if [ ! -f "$o" ] || [ "$f" -nt "$o" ] || [ -n "$(find "$top/src" -name '*.h' -newer "$o" | head -1)" ]; then
        $CC $cflags $san -fsanitize=fuzzer-no-link -c "$f" -o "$o"
    fi
    objs="$objs $o"
done
targets=${FUZZ_TARGETS:-"json yaml placeholder users js config rules"}
for t in $targets; do
    $CC $cflags $san -fsanitize=fuzzer -I"$top/tests/fuzz" "$top/tests/fuzz/fuzz_$t.c" $objs \
        $libs -o "$out/fuzz_$t"
done
echo "fuzz targets in $out"
