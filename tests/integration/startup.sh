#!/bin/sh
# startup.sh - automake test for what start-up skips (doc/performance.md, "Start-up"):
#  1. the built-in rules come from the catalogue built into the binary only while their
#     text is unchanged: an edited built-in rule file is read again, its edit takes effect;
#  2. libcrypto is opened only when something needs it: not for gcc output on a repo
#     without certificates, yes for a fingerprint (json) and for a certificate.
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
: "${SSOLINT:?SSOLINT must name the built ssolint}"
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
tmp=$(mktemp -d /tmp/ssolint-startup.XXXXXX) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
example=$top/testdata/examples/nonprofits
line='testdata/examples/nonprofits/hhovv/users/users.ndjson:5:123: error:'

# 1. an edited built-in rule file
mkdir -p "$tmp/data/doc" && cp -R "$top/rules" "$tmp/data/rules" &&
    cp -R "$top/doc/rules" "$tmp/data/doc/rules" || exit 99
(cd "$top" && SSOLINT_DATADIR=$top "$SSOLINT" --select role-unknown "$example" \
    >"$tmp/before" 2>/dev/null)
if grep -qF "$line unknown role 'agnet'" "$tmp/before"; then
    ok "the built-in role-unknown message"
else
    bad "role-unknown did not fire as expected:"; cat "$tmp/before"
fi
sed 's/message: "unknown role /message: "EDITED unknown role /' "$top/rules/roles.yaml" \
    >"$tmp/data/rules/roles.yaml"
if cmp -s "$top/rules/roles.yaml" "$tmp/data/rules/roles.yaml"; then
    bad "the edit of roles.yaml did not apply (its message line changed?)"
fi
(cd "$top" && SSOLINT_DATADIR=$tmp/data "$SSOLINT" --select role-unknown "$example" \
    >"$tmp/after" 2>/dev/null)
if grep -qF "$line EDITED unknown role 'agnet'" "$tmp/after"; then
    ok "an edited built-in rule file is read, not the built-in catalogue"
else
    bad "the edited message is not used:"; cat "$tmp/after"
fi
if [ "$(sed 's/EDITED //' "$tmp/after")" = "$(cat "$tmp/before")" ]; then
    ok "the edited rules give the same findings otherwise"
else
    bad "the edited rules changed more than the message"
fi

# 2. libcrypto on demand
if ! command -v strace >/dev/null; then
    echo "SKIP: strace is not installed (bootstrap installs it)"
    echo "startup: $pass passed, $fail failed"
    [ $fail -eq 0 ] || exit 1
    exit 0
fi
opens() { # opens FILE ARGS...: the libcrypto files ssolint opened, into FILE
    out=$1; shift
    (cd "$top" && strace -f -e trace=openat,open -o "$tmp/trace" "$SSOLINT" "$@" \
        >/dev/null 2>&1)
    grep -v ENOENT "$tmp/trace" | grep -o 'libcrypto[^"]*' >"$out"
}
opens "$tmp/gcc" --format gcc "$example"
if [ ! -s "$tmp/gcc" ]; then
    ok "gcc output without certificates does not open libcrypto"
else
    bad "gcc output opened $(cat "$tmp/gcc")"
fi
opens "$tmp/json" --format json "$example"
if [ -s "$tmp/json" ]; then
    ok "json output (fingerprints) opens libcrypto"
else
    bad "json output did not open libcrypto: no fingerprints?"
fi
cp -R "$top/tests/cli/cert-expired-fires/in" "$tmp/cert" || exit 99
(cd "$tmp/cert" && strace -f -e trace=openat,open -o "$tmp/trace" "$SSOLINT" \
    --select cert-expired --now 2025-06-01 . >"$tmp/cert.out" 2>&1)
if grep -v ENOENT "$tmp/trace" | grep -q libcrypto && grep -q '\[cert-expired\]' "$tmp/cert.out"; then
    ok "a certificate opens libcrypto and is judged"
else
    bad "the certificate case:"; cat "$tmp/cert.out"
fi
echo "startup: $pass passed, $fail failed"
[ $fail -eq 0 ]
