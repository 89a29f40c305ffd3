#!/bin/sh
# fix-example.sh - automake test of --fix and --diff on the bundled example
# (testdata/examples/nonprofits): the diff applies with `git apply` and gives byte for
# byte what --fix writes (the gzip users export, left out of the diff, is compared
# inflated against --fix's after applying the same fixes); after --fix no safe fix is
# left (--diff has nothing more to say), the gzip export is still gzip, and a lint run
# reports only findings without a safe fix.
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
: "${SSOLINT:?SSOLINT must name the built ssolint}"
export SSOLINT_DATADIR=${SSOLINT_DATADIR:-$top} NO_COLOR=1
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
command -v git >/dev/null || { echo "SKIP: no git"; exit 77; }
tmp=$(mktemp -d /tmp/ssolint-fixex.XXXXXX) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
for d in viadiff viafix; do
    cp -R "$top/testdata/examples/nonprofits" "$tmp/$d" || exit 99
done
chmod -R u+w "$tmp" # make distcheck's sources are read-only; --fix refuses such files
(cd "$tmp/viadiff" && "$SSOLINT" --diff . >"$tmp/patch" 2>"$tmp/diff.err")
grep -q '^diff --git a/' "$tmp/patch" && ok "--diff prints a diff" || bad "--diff printed no diff"
before=$(cd "$tmp/viadiff" && find . -type f -exec cksum {} + | sort)
(cd "$tmp/viadiff" && "$SSOLINT" --diff . >/dev/null 2>&1)
after=$(cd "$tmp/viadiff" && find . -type f -exec cksum {} + | sort)
[ "$before" = "$after" ] && ok "--diff writes nothing" || bad "--diff changed a file"
(cd "$tmp/viadiff" && git init -q . && git apply "$tmp/patch") &&
    ok "git apply accepts the diff" || bad "git apply refused the diff"
(cd "$tmp/viafix" && "$SSOLINT" --fix . >"$tmp/fix.out" 2>"$tmp/fix.err")
grep -q '^ssolint: applied [1-9]' "$tmp/fix.err" && ok "--fix applied fixes" ||
    bad "--fix applied nothing: $(cat "$tmp/fix.err")"
diff -r -x .git -x '*.gz' "$tmp/viafix" "$tmp/viadiff" && ok "the applied diff gives exactly what --fix wrote" ||
    bad "the applied diff and --fix differ"
gz=nss/users/users.ndjson.gz
if gzip -t "$tmp/viafix/$gz" 2>/dev/null && ! cmp -s "$tmp/viafix/$gz" "$tmp/viadiff/$gz"; then
    ok "the gzip export was rewritten as gzip"
else
    bad "the gzip export is not a changed gzip file"
fi
(cd "$tmp/viafix" && "$SSOLINT" --diff . >"$tmp/patch2" 2>"$tmp/diff2.err")
if [ ! -s "$tmp/patch2" ] && grep -q 'would apply 0 fixes' "$tmp/diff2.err"; then
    ok "after --fix no safe fix is left"
else
    bad "safe fixes are left after --fix: $(cat "$tmp/diff2.err")"
fi
(cd "$tmp/viafix" && "$SSOLINT" . >"$tmp/lint.out" 2>/dev/null)
if cmp -s "$tmp/fix.out" "$tmp/lint.out"; then
    ok "--fix reported what a lint run of the fixed tree reports"
else
    bad "--fix's report differs from a lint run of the fixed tree"
fi
for id in role-case role-duplicate admin-has-team team-case-mismatch; do
    if grep -q "\[$id\]" "$tmp/lint.out"; then bad "$id is left after --fix"; fi
done
ok "no finding of a rule with a safe fix is left in the example's fixable cases"
echo "fix-example: $pass passed, $fail failed"
[ $fail = 0 ]
