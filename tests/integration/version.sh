#!/bin/sh
# version.sh - automake test: `ssolint --version` prints the program's version (configure.ac),
# the rule set's version (FNV-1a 64 over each rule file's name and text, computed here
# independently in Python) and, when built from a git checkout, the commit it was built
# from; a changed rule file gives another rule set version.
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
: "${SSOLINT:?SSOLINT must name the built ssolint}"
name=version
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
tmp=$(mktemp -d /tmp/ssolint-version.XXXXXX) || exit 99
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
data=${SSOLINT_DATADIR:-$top}

ruleset_hash() { # the rule set version of DIR/rules, as README defines it
    python3 - "$1/rules" <<'PY'
import os, sys
h = 0xcbf29ce484222325
def fnv(h, b):
    for c in b:
        h = ((h ^ c) * 0x100000001b3) & 0xffffffffffffffff
    return h
d = sys.argv[1]
for n in sorted(f for f in os.listdir(d) if not f.startswith('.') and len(f) >= 6 and
                (f.endswith('.yaml') or f.endswith('.yml'))):
    h = fnv(h, n.encode() + b'\0')
    h = fnv(h, open(os.path.join(d, n), 'rb').read() + b'\0')
print('%016x' % h)
PY
}

$SSOLINT_WRAPPER "$SSOLINT" --version >"$tmp/out" 2>"$tmp/err"
st=$?
ver=$(sed -n 's/^AC_INIT(\[ssolint\], \[\([^]]*\)\].*/\1/p' "$top/configure.ac")
[ $st = 0 ] && [ "$(sed -n 1p "$tmp/out")" = "ssolint $ver" ] && ok "line 1: ssolint $ver" ||
    bad "line 1 is not 'ssolint $ver' (status $st): $(sed -n 1p "$tmp/out")"
n=$(ls "$data"/rules/*.yaml | wc -l)
want="rule set $(ruleset_hash "$data") ($n files in $data/rules)"
[ "$(sed -n 2p "$tmp/out")" = "$want" ] && ok "line 2: $want" ||
    bad "line 2 is not '$want': $(sed -n 2p "$tmp/out")"
line3=$(sed -n 3p "$tmp/out")
if [ -e "$top/.git" ] && command -v git >/dev/null 2>&1; then
    # configured at some commit of this checkout (maybe not the newest: configure ran it)
    desc=${line3#built from git }
    commit=${desc%-dirty}
    commit=${commit##*-g}
    if [ "$desc" != "$line3" ] && git -C "$top" rev-parse -q --verify "$commit^{commit}" >/dev/null; then
        ok "line 3: $line3 names a commit of the checkout"
    else
        bad "line 3 is not 'built from git COMMIT' of this checkout: $line3"
    fi
else
    [ -z "$line3" ] && ok "no git line outside a checkout" || bad "a git line outside a checkout: $line3"
fi
[ ! -s "$tmp/err" ] && ok "nothing on standard error" || bad "standard error: $(cat "$tmp/err")"

# one changed byte in one rule file: another version
mkdir -p "$tmp/data" && cp -R "$data/rules" "$tmp/data/" && chmod -R u+w "$tmp/data" && echo "# changed" >>"$tmp/data/rules/teams.yaml"
SSOLINT_DATADIR=$tmp/data $SSOLINT_WRAPPER "$SSOLINT" --version >"$tmp/out2" 2>&1
want="rule set $(ruleset_hash "$tmp/data") ($n files in $tmp/data/rules)"
if [ "$(sed -n 2p "$tmp/out2")" = "$want" ] && [ "$(sed -n 2p "$tmp/out")" != "$(sed -n 2p "$tmp/out2")" ]; then
    ok "a changed rule file changes the rule set version"
else
    bad "changed rules: '$(sed -n 2p "$tmp/out2")', expected '$want'"
fi

echo "$name: $pass passed, $fail failed"
[ $fail = 0 ]
