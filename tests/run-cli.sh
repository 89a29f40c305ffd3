#!/bin/sh
# run-cli.sh - the CLI cases: one folder per case under tests/cli/ (sparse style):
#   in/            the inputs (the case runs in a fresh copy of this folder)
#   args           the command-line arguments (one shell line; default: none)
#   setup          optional shell commands run in the copy first (chmod, symlinks, big files)
#   expected       the exact standard output
#   expected.err   the exact standard error (optional; when absent, stderr is not compared)
#   status         the exit status (default 0)
#   expected.files/ optional: files the case must leave behind, compared byte for byte
#                  with the copy after the run (a *.gz file: its inflated bytes)
# Usage: run-cli.sh [CASE...]    (SSOLINT, TOP_SRCDIR from the environment)
set -u
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
ssolint=${SSOLINT:-$top/src/ssolint}
export SSOLINT_DATADIR=${SSOLINT_DATADIR:-$top}
export TOP_SRCDIR=$top
export SSOLINT=$ssolint
export NO_COLOR=1
pass=0
fail=0
failed=""
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ssolint-cli.XXXXXX")
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

if [ $# -gt 0 ]; then cases="$*"; else cases=$(ls "$top/tests/cli"); fi
for name in $cases; do
    case_dir=$top/tests/cli/$name
    [ -d "$case_dir" ] || { echo "no such case: $name"; fail=$((fail + 1)); continue; }
    work=$tmp/$name
    mkdir -p "$work"
    [ -d "$case_dir/in" ] && cp -R "$case_dir/in/." "$work/"
    chmod -R u+w "$work"
    args=""
    [ -f "$case_dir/args" ] && args=$(cat "$case_dir/args")
    want_status=0
    [ -f "$case_dir/status" ] && want_status=$(cat "$case_dir/status")
    (
        cd "$work" || exit 99
        if [ -f "$case_dir/setup" ]; then sh "$case_dir/setup" || exit 98; fi
        eval "timeout ${SSOLINT_TIMEOUT:-120} ${SSOLINT_WRAPPER:-} \"$ssolint\" $args" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
        echo $? >"$tmp/$name.status"
    )
    ok=1
    got_status=$(cat "$tmp/$name.status" 2>/dev/null || echo setup-failed)
    if [ "$got_status" != "$want_status" ]; then
        echo "FAIL $name: exit status $got_status, expected $want_status"
        ok=0
    fi
    if ! diff -u "$case_dir/expected" "$tmp/$name.out" >"$tmp/$name.diff" 2>&1; then
        echo "FAIL $name: standard output differs:"
        cat "$tmp/$name.diff"
        ok=0
    fi
    if [ -f "$case_dir/expected.err" ] &&
        ! diff -u "$case_dir/expected.err" "$tmp/$name.err" >"$tmp/$name.diff" 2>&1; then
        echo "FAIL $name: standard error differs:"
        cat "$tmp/$name.diff"
        ok=0
    fi
    if [ -d "$case_dir/expected.files" ]; then
        for f in $(cd "$case_dir/expected.files" && find . -type f | sort); do
            case $f in
            *.gz) gzip -dc "$work/$f" 2>/dev/null | cmp -s - "$case_dir/expected.files/$f" ;;
            *) cmp -s "$case_dir/expected.files/$f" "$work/$f" ;;
            esac || { echo "FAIL $name: $f is not as expected after the run"; ok=0; }
        done
    fi
    if [ $ok = 1 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        failed="$failed $name"
        echo "--- stderr of $name:"
        cat "$tmp/$name.err"
    fi
    chmod -R u+rwx "$work" 2>/dev/null
done
[ -n "$failed" ] && echo "failed cases:$failed"
echo "cli: $pass passed, $fail failed"
[ $fail = 0 ]
