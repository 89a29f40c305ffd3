#!/bin/sh
# gzip-thread.sh - automake test: a gzip users export of 256 KB or more is inflated on a
# second thread (src/load/users_inflate.c). Its findings must be exactly those of the
# same export uncompressed (read without any thread), and a cut-short file must end in
# the same "truncated gzip data" error, at the same place, as its uncompressed prefix
# reaching that far. Data: bench/gen, 10,000 users (about 0.3 MB compressed).
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
: "${SSOLINT:?SSOLINT must name the built ssolint}"
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
tmp=$(mktemp -d /tmp/ssolint-gzthread.XXXXXX) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
repo=$tmp/repo
python3 "$top/bench/gen" 10000 "$repo" >/dev/null || exit 99
rm -f "$repo/users.json" # Spectral's copy, outside the paths ssolint reads
# the same config for both runs: the export compressed or not
sed 's|users/\*\.ndjson\.gz|users/*.ndjson*|' "$repo/.ssolint.yaml" >"$tmp/cfg" &&
    mv "$tmp/cfg" "$repo/.ssolint.yaml" && grep -q 'users/\*\.ndjson\*' "$repo/.ssolint.yaml" ||
    { echo "the generated config no longer names users/*.ndjson.gz"; exit 99; }
gz=$repo/users/users.ndjson.gz
size=$(wc -c <"$gz")
if [ "$size" -ge 262144 ]; then
    ok "the export is $size bytes: over the thread threshold"
else
    bad "the export is only $size bytes: the test does not reach the thread"
fi

(cd "$repo" && "$SSOLINT" --format gcc . >"$tmp/gz.out" 2>/dev/null)
if command -v strace >/dev/null; then # the thread is really started
    (cd "$repo" && strace -f -e trace=clone,clone3 -o "$tmp/trace" "$SSOLINT" . \
        >/dev/null 2>&1)
    if grep -q 'clone' "$tmp/trace"; then
        ok "a second thread is started for the export"
    else
        bad "no thread was started"
    fi
fi
gunzip -c "$gz" >"$repo/users/users.ndjson" && rm "$gz"
(cd "$repo" && "$SSOLINT" --format gcc . >"$tmp/plain.out" 2>/dev/null)
sed 's|^users/users.ndjson.gz:|users/users.ndjson:|' "$tmp/gz.out" >"$tmp/gz.renamed"
n=$(grep -c '^users/users.ndjson:' "$tmp/plain.out")
if [ "$n" -gt 300 ] && cmp -s "$tmp/gz.renamed" "$tmp/plain.out"; then
    ok "threaded gzip and plain text give the same $n user findings"
else
    bad "the findings differ ($n in the plain run):"
    diff "$tmp/gz.renamed" "$tmp/plain.out" | head -20
fi

# cut the compressed file in the middle: the text before the cut is the same, then the
# stream ends with the gzip error on the line where the inflated text stops
gzip -c -n "$repo/users/users.ndjson" | head -c $((size / 2)) >"$gz"
mv "$repo/users/users.ndjson" "$tmp/full.ndjson"
(cd "$repo" && "$SSOLINT" --format gcc --select parse-error,role-unknown . \
    >"$tmp/cut.out" 2>/dev/null)
last=$(grep -c '' "$tmp/cut.out")
errline=$(grep 'truncated gzip data \[parse-error\]' "$tmp/cut.out")
textlines=$(gunzip -c "$gz" 2>/dev/null | wc -l)
case $errline in
users/users.ndjson.gz:*:*:\ error:\ truncated\ gzip\ data\ \[parse-error\])
    at=$(echo "$errline" | cut -d: -f2)
    if [ "$at" -eq $((textlines + 1)) ] || [ "$at" -eq "$textlines" ]; then
        ok "a cut-short export ends in 'truncated gzip data' on line $at"
    else
        bad "the gzip error is on line $at, the inflated text has $textlines lines"
    fi ;;
*) bad "no truncated-gzip error: $(tail -n 2 "$tmp/cut.out")" ;;
esac
grep 'role-unknown' "$tmp/cut.out" | sed 's|^users/users.ndjson.gz:|users/users.ndjson:|' \
    >"$tmp/cut.roles"
k=$(grep -c '' "$tmp/cut.roles")
grep 'role-unknown' "$tmp/plain.out" | head -n "$k" >"$tmp/plain.roles"
if [ "$k" -gt 10 ] && cmp -s "$tmp/cut.roles" "$tmp/plain.roles" && [ "$last" -gt "$k" ]; then
    ok "the $k findings before the cut are the first $k of the whole export"
else
    bad "the findings before the cut differ ($k of them)"
fi
echo "gzip-thread: $pass passed, $fail failed"
[ $fail -eq 0 ]
