#!/bin/sh
# smoke.sh - build every libFuzzer target (build.sh), run each for a short time from its
# seed corpus, then run every regression file once. Prints "fuzz: N passed, N failed".
# Usage: tests/fuzz/smoke.sh [OUTDIR]   (FUZZ_SECONDS, default 20; needs clang)
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-fuzz-build}
secs=${FUZZ_SECONDS:-20}
targets="json yaml placeholder users js config rules"
if ! command -v "${CC:-clang}" >/dev/null 2>&1; then
    echo "skip: clang not installed"
    echo "fuzz: 0 passed, 0 failed"
    exit 0
fi
sh "$here/build.sh" "$out" || { echo "fuzz: 0 passed, 1 failed (build)"; exit 1; }
out=$(cd "$out" && pwd)
pass=0
fail=0
work=$(mktemp -d "${TMPDIR:-/tmp}/ssolint-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
for t in $targets; do
    mkdir -p "$work/$t" "$work/art-$t"
    if "$out/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -close_fd_mask=2 -print_final_stats=0 -artifact_prefix="$work/art-$t/" \
        "$work/$t" "$here/corpus/$t" >"$work/$t.log" 2>&1; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL fuzz_$t (${secs}s run):"
        grep -E 'ERROR|SUMMARY|runtime error|Test unit written|#0 |#1 |#2 ' "$work/$t.log" | head -20
        ls "$work/art-$t"
    fi
    for f in "$here/regressions/$t"/*; do
        [ -f "$f" ] || continue
        if "$out/fuzz_$t" -timeout=30 -rss_limit_mb=2048 "$f" >"$work/reg.log" 2>&1; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1))
            echo "FAIL fuzz_$t regression $(basename "$f"):"
            grep -E 'ERROR|SUMMARY|runtime error|#0 |#1 |#2 ' "$work/reg.log" | head -20
        fi
    done
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" = 0 ]
