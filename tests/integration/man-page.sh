#!/bin/sh
# man-page.sh - automake test: doc/ssolint.1 is what doc/gen-man.py makes from the
# built program's --help and --list-rules and the rule pages (so a new option, rule or
# page cannot be forgotten in the manual), and it renders without a warning.
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
: "${SSOLINT:?SSOLINT must name the built ssolint}"
name=man-page
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
tmp=$(mktemp -d /tmp/ssolint-man.XXXXXX) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
page=$top/doc/ssolint.1

if SSOLINT=$SSOLINT python3 "$top/doc/gen-man.py" "$top" >"$tmp/ssolint.1" 2>"$tmp/gen.err"; then
    ok "doc/gen-man.py runs"
else
    bad "doc/gen-man.py failed:"; cat "$tmp/gen.err"
fi
if diff -u "$page" "$tmp/ssolint.1" >"$tmp/diff" 2>&1; then
    ok "doc/ssolint.1 is up to date"
else
    bad "doc/ssolint.1 is out of date; regenerate it with:"
    echo "    SSOLINT=BUILDDIR/src/ssolint python3 doc/gen-man.py . >doc/ssolint.1"
    head -60 "$tmp/diff"
fi

# every rule and every option has its entry (says which one is missing)
SSOLINT_DATADIR=$top "$SSOLINT" --list-rules >"$tmp/rules" && "$SSOLINT" --help >"$tmp/help" || exit 99
python3 - "$page" "$tmp/rules" "$tmp/help" >"$tmp/missing" <<'EOP'
import re, sys
page = open(sys.argv[1], encoding="ascii", errors="replace").read().splitlines()
r = lambda s: s.replace("-", "\\-")
for l in open(sys.argv[2], encoding="utf-8"):
    rid, sev = l.split()[0], l.split()[2]
    if not any(x.startswith("\\fB%s\\fR (%s" % (r(rid), sev)) for x in page):
        print("rule", rid)
for opt in re.findall(r"^  (?:-\w, )?(--[a-z-]+)", open(sys.argv[3]).read(), re.M):
    if not any(("\\fB%s\\fR" % r(opt)) in x for x in page):
        print("option", opt)
EOP
if [ -s "$tmp/missing" ]; then
    bad "missing from the page: $(tr '\n' ' ' <"$tmp/missing")"
else
    ok "every rule (with its severity) and every option of --help has an entry"
fi

if LC_ALL=C grep -n '[^ -~]' "$page" >"$tmp/nonascii"; then
    bad "doc/ssolint.1 has non-ASCII characters:"; head "$tmp/nonascii"
else
    ok "doc/ssolint.1 is ASCII"
fi

# renders without a warning, with groff directly and through man
if command -v groff >/dev/null 2>&1; then
    for dev in utf8 ascii; do
        if LC_ALL=C.UTF-8 groff -man -T$dev -ww -z "$page" >"$tmp/groff.err" 2>&1 && [ ! -s "$tmp/groff.err" ]; then
            ok "groff -man -T$dev renders it without a warning"
        else
            bad "groff -man -T$dev warns:"; cat "$tmp/groff.err"
        fi
    done
else
    echo "note: groff not found, not rendered"
fi
if command -v man >/dev/null 2>&1; then
    if LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$page" >"$tmp/man.out" 2>"$tmp/man.err" && [ ! -s "$tmp/man.err" ] &&
        grep -q '^NAME' "$tmp/man.out" && grep -q '^RULES' "$tmp/man.out"; then
        ok "man -l renders it without a warning"
    else
        bad "man -l fails or warns:"; cat "$tmp/man.err"
    fi
fi
echo "$name: $pass passed, $fail failed"
[ $fail = 0 ]
