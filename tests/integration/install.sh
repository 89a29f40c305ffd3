#!/bin/sh
# install.sh - automake test: `make install` puts the program, the man page, the rules and
# the rule pages under the prefix, and the INSTALLED program finds its rules and pages
# there by itself (SSOLINT_DATADIR unset, the source and build trees gone); a relocated
# install (the DESTDIR copy, the prefix moved away) finds them beside its executable
# (../share/ssolint) and lints the bundled example as the built program does;
# SSOLINT_DATADIR still wins over both.
# The build under test is configured with its own prefix (the installed binary looks in
# the PKGDATADIR it was built with), from a clean copy of the sources made by `make
# distdir` in this build tree (so it works for in-tree, VPATH and distcheck builds alike).
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
: "${SSOLINT:?SSOLINT must name the built ssolint}"
builddir=$(cd "$(dirname "$SSOLINT")/.." && pwd)
name=install
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
tmp=$(mktemp -d /tmp/ssolint-install.XXXXXX) || exit 99
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
unset MAKEFLAGS MFLAGS MAKELEVEL DESTDIR
make=${MAKE:-make}
prefix=$tmp/prefix
log=$tmp/log

step() { # step WHAT COMMAND...: run a build step, stop the test when it fails
    what=$1; shift
    if "$@" >"$log" 2>&1; then
        ok "$what"
    else
        bad "$what failed:"; tail -40 "$log"
        # A relocated install: the staged copy and the moved prefix, the configured data directory gone.
example=$top/testdata/examples/nonprofits
mv "$prefix" "$tmp/moved"
run_ref "$tmp" "$example" >"$tmp/ref.out" 2>"$tmp/ref.err"
for b in "$tmp/stage$prefix/bin/ssolint" "$tmp/moved/bin/ssolint"; do
    (cd "$tmp" && $SSOLINT_WRAPPER "$b" "$example") >"$tmp/rel.out" 2>"$tmp/rel.err"
    st=$?
    if [ $st = 1 ] && [ -s "$tmp/rel.out" ] && cmp -s "$tmp/rel.out" "$tmp/ref.out" &&
        cmp -s "$tmp/rel.err" "$tmp/ref.err"; then
        ok "${b#$tmp/} finds its rules beside it and lints the example as the built one does"
    else
        bad "${b#$tmp/} (status $st) differs from the built one:"; diff "$tmp/ref.out" "$tmp/rel.out" | head; cat "$tmp/rel.err"
    fi
done
mkdir -p "$tmp/one/rules" && cp "$tmp/moved/share/ssolint/rules/teams.yaml" "$tmp/one/rules/"
(cd "$tmp" && SSOLINT_DATADIR=$tmp/one $SSOLINT_WRAPPER "$tmp/moved/bin/ssolint" --list-rules) >"$tmp/one.out" 2>&1
want=$(grep -c '^  - id:' "$tmp/one/rules/teams.yaml")
if [ "$(wc -l <"$tmp/one.out")" = "$want" ] && ! grep -qv ' teams ' "$tmp/one.out"; then
    ok "SSOLINT_DATADIR wins over the data beside the executable ($want rules)"
else
    bad "SSOLINT_DATADIR=one rule file: expected the $want teams rules, got:"; head "$tmp/one.out"
fi

echo "$name: $pass passed, $fail failed"
        exit 1
    fi
}
step "make distdir" $make -C "$builddir" distdir distdir="$tmp/src"
mkdir "$tmp/build"
step "configure --prefix" sh -c 'cd "$1/build" && "$1/src/configure" -q --prefix="$2"' sh "$tmp" "$prefix"
step "make" $make -C "$tmp/build" -j2
step "make install" $make -C "$tmp/build" install
step "make install DESTDIR" $make -C "$tmp/build" install DESTDIR="$tmp/stage"

# what is installed
bin=$prefix/bin/ssolint
data=$prefix/share/ssolint
[ -x "$bin" ] && ok "bin/ssolint installed" || bad "no $bin"
if cmp -s "$prefix/share/man/man1/ssolint.1" "$top/doc/ssolint.1"; then
    ok "share/man/man1/ssolint.1 installed"
else
    bad "share/man/man1/ssolint.1 missing or not doc/ssolint.1"
fi
n_src=$(ls "$top"/rules/*.yaml | wc -l)
n_inst=$(ls "$data"/rules/*.yaml 2>/dev/null | wc -l)
[ "$n_src" = "$n_inst" ] && ok "$n_inst rule files in share/ssolint/rules" ||
    bad "$n_inst rule files installed, $n_src in the source"
n_src=$(ls "$top"/doc/rules/*.md | wc -l)
n_inst=$(ls "$data"/doc/rules/*.md 2>/dev/null | wc -l)
[ "$n_src" = "$n_inst" ] && ok "$n_inst rule pages in share/ssolint/doc/rules" ||
    bad "$n_inst rule pages installed, $n_src in the source"
(cd "$prefix" && find . -type f | sort) >"$tmp/files"
(cd "$tmp/stage$prefix" 2>/dev/null && find . -type f | sort) >"$tmp/files.destdir"
if [ -s "$tmp/files" ] && cmp -s "$tmp/files" "$tmp/files.destdir"; then
    ok "make install DESTDIR=... installs the same files under DESTDIR"
else
    bad "make install DESTDIR=... installs other files:"; diff "$tmp/files" "$tmp/files.destdir"
fi

# The installed program on its own: no SSOLINT_DATADIR, no source or build tree.
rm -rf "$tmp/src" "$tmp/build"
unset SSOLINT_DATADIR
run_inst() { (cd "$1" && shift && $SSOLINT_WRAPPER "$bin" "$@"); }
run_ref() { (cd "$1" && shift && SSOLINT_DATADIR=$top $SSOLINT_WRAPPER "$SSOLINT" "$@"); }

run_inst "$tmp" --list-rules >"$tmp/inst.rules" 2>"$tmp/inst.err"
run_ref "$tmp" --list-rules >"$tmp/ref.rules" 2>&1
if [ -s "$tmp/inst.rules" ] && cmp -s "$tmp/inst.rules" "$tmp/ref.rules"; then
    ok "the installed ssolint --list-rules lists the $(wc -l <"$tmp/inst.rules") rules"
else
    bad "the installed ssolint --list-rules differs:"; diff "$tmp/ref.rules" "$tmp/inst.rules" | head; cat "$tmp/inst.err"
fi
for id in role-unknown wrong-type; do
    run_inst "$tmp" --explain $id >"$tmp/inst.explain" 2>"$tmp/inst.err"
    st=$?
    run_ref "$tmp" --explain $id >"$tmp/ref.explain" 2>&1
    if [ $st = 0 ] && [ -s "$tmp/inst.explain" ] && cmp -s "$tmp/inst.explain" "$tmp/ref.explain"; then
        ok "the installed ssolint --explain $id prints the page"
    else
        bad "the installed ssolint --explain $id (status $st):"; head -5 "$tmp/inst.explain"; cat "$tmp/inst.err"
    fi
done

# ... and lints a small repository as the built one does
repo=$tmp/repo
mkdir -p "$repo/users"
printf '%s\n' '{"email":"ana@nss.org","app_metadata":{"flex":{"roles":["superviser"],"team":"RAMP"}}}' \
    '{"email":"bo@nss.org","app_metadata":{"flex":{"roles":"agent"}}}' >"$repo/users/users.ndjson"
run_inst "$repo" >"$tmp/inst.out" 2>"$tmp/inst.err"
st=$?
col=$(python3 -c 'import sys; l=open(sys.argv[1],encoding="utf-8").readline(); print(l.index("\"superviser")+1)' "$repo/users/users.ndjson")
want="users/users.ndjson:1:$col: error: unknown role 'superviser' (did you mean 'supervisor'?); the valid roles are 'admin', 'supervisor', 'agent' and Flex Insights' wfo.* roles: correct it, or add it to 'roles:' in .ssolint.yaml [role-unknown]"
if [ $st = 1 ] && grep -qxF "$want" "$tmp/inst.out"; then
    ok "the installed ssolint finds the unknown role (exit 1)"
else
    bad "the installed ssolint (status $st) does not print: $want"; cat "$tmp/inst.out" "$tmp/inst.err"
fi
run_ref "$repo" >"$tmp/ref.out" 2>"$tmp/ref.err"
if cmp -s "$tmp/inst.out" "$tmp/ref.out" && cmp -s "$tmp/inst.err" "$tmp/ref.err"; then
    ok "the installed ssolint reports what the built one reports"
else
    bad "the installed and built ssolint differ:"; diff "$tmp/ref.out" "$tmp/inst.out"; diff "$tmp/ref.err" "$tmp/inst.err"
fi
if command -v man >/dev/null 2>&1; then
    if MANPATH=$prefix/share/man LC_ALL=C.UTF-8 MANWIDTH=80 man ssolint 2>"$tmp/man.err" | grep -q '^RULES'; then
        ok "man ssolint finds the installed page"
    else
        bad "man ssolint does not find the installed page:"; cat "$tmp/man.err"
    fi
fi

# A relocated install: the staged copy and the moved prefix, the configured data directory gone.
example=$top/testdata/examples/nonprofits
mv "$prefix" "$tmp/moved"
run_ref "$tmp" "$example" >"$tmp/ref.out" 2>"$tmp/ref.err"
for b in "$tmp/stage$prefix/bin/ssolint" "$tmp/moved/bin/ssolint"; do
    (cd "$tmp" && $SSOLINT_WRAPPER "$b" "$example") >"$tmp/rel.out" 2>"$tmp/rel.err"
    st=$?
    if [ $st = 1 ] && [ -s "$tmp/rel.out" ] && cmp -s "$tmp/rel.out" "$tmp/ref.out" &&
        cmp -s "$tmp/rel.err" "$tmp/ref.err"; then
        ok "${b#$tmp/} finds its rules beside it and lints the example as the built one does"
    else
        bad "${b#$tmp/} (status $st) differs from the built one:"; diff "$tmp/ref.out" "$tmp/rel.out" | head; cat "$tmp/rel.err"
    fi
done
mkdir -p "$tmp/one/rules" && cp "$tmp/moved/share/ssolint/rules/teams.yaml" "$tmp/one/rules/"
(cd "$tmp" && SSOLINT_DATADIR=$tmp/one $SSOLINT_WRAPPER "$tmp/moved/bin/ssolint" --list-rules) >"$tmp/one.out" 2>&1
want=$(grep -c '^  - id:' "$tmp/one/rules/teams.yaml")
if [ "$(wc -l <"$tmp/one.out")" = "$want" ] && ! grep -qv ' teams ' "$tmp/one.out"; then
    ok "SSOLINT_DATADIR wins over the data beside the executable ($want rules)"
else
    bad "SSOLINT_DATADIR=one rule file: expected the $want teams rules, got:"; head "$tmp/one.out"
fi

echo "$name: $pass passed, $fail failed"
[ $fail = 0 ]
