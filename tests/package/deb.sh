#!/bin/sh
# deb.sh - the Debian package, as a user gets it: clone this repository's committed HEAD
# into a temporary directory, build it there with `dpkg-buildpackage -us -uc -b`, check the
# package with lintian (no error) and its contents, install it with `apt-get install
# ./ssolint_*.deb` (both with the GitHub Action's own steps, .github-action/run.sh build
# and install), lint the bundled example from another directory with the installed
# /usr/bin/ssolint (the exact findings of the CLI case tests/cli/example-nonprofits), and
# remove the package again. Run by .ci/run as a stage of its own (it needs root for
# apt-get). Exits 77 (skip) only when the packaging tools cannot be installed; a machine
# that already has an ssolint package is left alone (the install steps are skipped).
top=$(cd "$(dirname "$0")/../.." && pwd)
name=deb
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
finish() { echo "$name: $pass passed, $fail failed"; [ $fail = 0 ]; exit $?; }

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
tools="debhelper dpkg-dev lintian fakeroot git"
missing=""
for p in $tools; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ] && ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    --no-install-recommends $missing >/dev/null 2>&1; then
    echo "$name: SKIP: cannot install$missing"
    exit 77
fi
if ! $SUDO true 2>/dev/null; then
    echo "$name: SKIP: installing a package needs root (or sudo without a password)"
    exit 77
fi

tmp=$(mktemp -d /tmp/ssolint-deb.XXXXXX) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
log=$tmp/log

# 1. build from a clean clone (DEB_BUILD_OPTIONS=nocheck: the suite runs in the other stages)
if git clone -q "$top" "$tmp/src" >"$log" 2>&1; then
    ok "git clone of $(git -C "$top" rev-parse --short HEAD)"
else
    bad "git clone failed:"; cat "$log"; finish
fi
# the action's build step (.github-action/run.sh build: dpkg-buildpackage -us -uc -b in a
# copy of the clone, the .deb moved to SSOLINT_DEB_DIR)
action() { GITHUB_ACTION_PATH=$tmp/src SSOLINT_DEB_DIR=$tmp/debs RUNNER_TEMP=$tmp bash "$tmp/src/.github-action/run.sh" "$@"; }
if action build >"$log" 2>&1; then
    ok "dpkg-buildpackage -us -uc -b (the action's build step)"
else
    bad "dpkg-buildpackage failed:"; tail -40 "$log"; finish
fi
deb=$(ls "$tmp"/debs/ssolint_*.deb 2>/dev/null | head -1)
[ -f "$deb" ] && ok "built $(basename "$deb")" || { bad "no ssolint_*.deb"; finish; }
if lintian --fail-on error "$deb" >"$log" 2>&1; then
    ok "lintian: no error ($(grep -c '^W:' "$log") warnings)"
else
    bad "lintian reports errors:"; cat "$log"
fi

# 2. what is in it
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$tmp/files"
has() { grep -qx "$1" "$tmp/files" && ok "contains $1" || bad "does not contain $1"; } # a regex
has /usr/bin/ssolint
has /usr/share/man/man1/ssolint\\.1\\.gz
has "/usr/share/doc/ssolint/README\\(\\.gz\\)\\?"
has "/usr/share/doc/ssolint/github-actions\\.md\\(\\.gz\\)\\?"
has /usr/share/doc/ssolint/copyright
n_src=$(ls "$top"/rules/*.yaml | wc -l)
n=$(grep -c '^/usr/share/ssolint/rules/[^/]*\.yaml$' "$tmp/files")
[ "$n" = "$n_src" ] && ok "$n rule files in /usr/share/ssolint/rules" || bad "$n rule files, $n_src in rules/"
n_src=$(ls "$top"/doc/rules/*.md | wc -l)
n=$(grep -c '^/usr/share/ssolint/doc/rules/[^/]*\.md$' "$tmp/files")
[ "$n" = "$n_src" ] && ok "$n rule pages in /usr/share/ssolint/doc/rules" || bad "$n rule pages, $n_src in doc/rules/"
if [ -f "$tmp/src/doc/ssolint.schema.json" ]; then has /usr/share/ssolint/ssolint\\.schema\\.json; fi
crypto=$(dpkg-query -S "$(readlink -f "$(cc -print-file-name=libcrypto.so)")" 2>/dev/null | sed -n '1s/[:,].*//p')
deps=$(dpkg-deb -f "$deb" Depends)
case ", $deps," in
*", $crypto,"* | *", $crypto "*) ok "Depends names $crypto (libcrypto, opened at run time): $deps" ;;
*) bad "Depends does not name '$crypto': $deps" ;;
esac

# 3. install, lint the example from elsewhere, remove
if dpkg-query -W -f='${Status}' ssolint 2>/dev/null | grep -q "ok installed"; then
    echo "note: an ssolint package is installed already; not replacing it"
    finish
fi
if action install >"$log" 2>&1; then
    ok "apt-get install ./$(basename "$deb") (the action's install step): $(grep '^ssolint ' "$log")"
else
    bad "apt-get install failed:"; tail -20 "$log"; finish
fi
case=$top/tests/cli/example-nonprofits
mkdir "$tmp/work" && cp -R "$top/testdata/examples/nonprofits" "$tmp/work/nonprofits"
(cd "$tmp/work" && env -u SSOLINT_DATADIR NO_COLOR=1 /usr/bin/ssolint $(cat "$case/args")) \
    >"$tmp/out" 2>"$tmp/err"
st=$?
if [ "$st" = "$(cat "$case/status")" ] && cmp -s "$tmp/out" "$case/expected" &&
    cmp -s "$tmp/err" "$case/expected.err"; then
    ok "/usr/bin/ssolint lints the example: $(wc -l <"$tmp/out") lines as in tests/cli/example-nonprofits (exit $st)"
else
    bad "/usr/bin/ssolint on the example (exit $st) differs:"; diff "$case/expected" "$tmp/out" | head; cat "$tmp/err"
fi
(cd "$tmp/work" && /usr/bin/ssolint --explain role-unknown) >"$tmp/page" 2>&1 &&
    grep -q 'role-unknown' "$tmp/page" && ok "/usr/bin/ssolint --explain finds the installed page" ||
    bad "--explain role-unknown: $(head -3 "$tmp/page")"
if DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -qq ssolint >"$log" 2>&1 &&
    ! dpkg-query -W -f='${Status}' ssolint 2>/dev/null | grep -q "ok installed" && [ ! -e /usr/bin/ssolint ]; then
    ok "apt-get remove ssolint"
else
    bad "apt-get remove failed:"; tail -20 "$log"
fi
finish
