#!/bin/sh
# vim-quickfix.sh - automake test: vim (the real one: vim-tiny has no quickfix) reads
# ssolint's gcc output, with the settings of doc/editors.md (--column-unit=byte), into the
# quickfix list at the right line and byte, on lines with multi-byte text (é, 🎧) before the
# finding; after :cfirst the cursor is on the value's opening quote. Both ways: :cgetfile
# on saved output, and :make through makeprg. Skips (exit 77) only when vim is missing.
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
: "${SSOLINT:?SSOLINT must name the built ssolint}"
name=vim-quickfix
vim=""
for v in vim.basic vim; do
    if command -v $v >/dev/null 2>&1 && $v --version 2>/dev/null | grep -q '+quickfix'; then
        vim=$v
        break
    fi
done
if [ -z "$vim" ]; then
    echo "$name: SKIP: no vim with +quickfix (Debian: apt-get install vim; vim-tiny has no quickfix)"
    exit 77
fi
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
tmp=$(mktemp -d /tmp/ssolint-vim.XXXXXX) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
export LC_ALL=C.UTF-8 HOME="$tmp"

repo=$tmp/repo
mkdir -p "$repo/users" "$tmp/bin"
cat >"$repo/users/users.ndjson" <<'EOS'
{"name":"Zoé Lefèvre 🎧","email":"zoe@nss.org","app_metadata":{"flex":{"roles":["superviser"]}}}
{"name":"Ana 🎧 Núñez","email":"ana@nss.org","app_metadata":{"flex":{"roles":["agent","agent"]}}}
EOS
cat >"$tmp/bin/ssolint" <<EOS
#!/bin/sh
exec ${SSOLINT_WRAPPER:-} "$SSOLINT" "\$@"
EOS
chmod +x "$tmp/bin/ssolint"
PATH=$tmp/bin:$PATH

# Expected entries, computed from the file: (line, byte column 1-based, type, rule) of the
# opening quote of 'superviser', of the second 'agent' (role-duplicate) and of the first
# (its related note).
python3 - "$repo/users/users.ndjson" >"$tmp/want" <<'EOP'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
def at(ln, needle, nth=0):
    l = lines[ln - 1]
    i = -1
    for _ in range(nth + 1):
        i = l.index(needle, i + 1)
    b = len(l[:i].encode("utf-8")) + 1
    assert b != i + 1, "the line must have multi-byte text before the value"
    return "%d %d" % (ln, b)
print(at(1, '"superviser"'), "e role-unknown")
print(at(2, '"agent"', 1), "w role-duplicate")
print(at(2, '"agent"', 0), "n -")
EOP

# The settings of doc/editors.md
grep -q 'set makeprg=ssolint\\ --format=gcc\\ --column-unit=byte' "$top/doc/editors.md" &&
    ok "doc/editors.md has the makeprg line" || bad "doc/editors.md lacks the vim makeprg line"
efm=$(sed -n 's/^set errorformat=\(.*\)$/\1/p' "$top/doc/editors.md" | head -1)
[ -n "$efm" ] && ok "doc/editors.md has an errorformat line" || bad "doc/editors.md lacks 'set errorformat='"
cat >"$tmp/vimrc" <<EOS
set nocompatible
set encoding=utf-8
set makeprg=ssolint\\ --format=gcc\\ --column-unit=byte
set errorformat=$efm
EOS

# The Vim script: writes one line per valid quickfix entry, then the character under the
# cursor after :cfirst.
cat >"$tmp/check.vim" <<'EOS'
let s:out = []
for e in getqflist()
  if e.valid
    let s:rule = matchstr(e.text, '\[\zs[a-z0-9-]\+\ze\]$')
    call add(s:out, printf('%s %d %d %s %s', bufname(e.bufnr), e.lnum, e.col, e.type,
          \ empty(s:rule) ? '-' : s:rule))
  endif
endfor
cfirst
call add(s:out, 'cursor ' . line('.') . ' ' . col('.') . ' ' . strcharpart(getline('.')[col('.') - 1 :], 0, 1))
call writefile(s:out, $RESULT)
qall!
EOS

# only the two rules of this test (a repository this small draws input-missing and others)
sel="--select role-unknown,role-duplicate"
(cd "$repo" && ssolint --format=gcc --column-unit=byte $sel users/users.ndjson >"$tmp/gcc.out" 2>"$tmp/gcc.err")
[ $? = 1 ] && ok "ssolint --column-unit=byte exits 1" || bad "ssolint --column-unit=byte did not exit 1"

check_result() { # check_result HOW RESULTFILE
    awk '{ print "users/users.ndjson", $0 }' "$tmp/want" | sort >"$tmp/want.qf"
    grep -v '^cursor ' "$2" | sort >"$tmp/got.qf"
    if [ -s "$tmp/got.qf" ] && cmp -s "$tmp/want.qf" "$tmp/got.qf"; then
        ok "$1: quickfix entries at the right line and byte"
    else
        bad "$1: quickfix entries differ (want / got):"; cat "$tmp/want.qf"; echo ---; cat "$2"
    fi
    want_cursor="cursor $(head -1 "$tmp/want" | cut -d' ' -f1-2) \""
    if grep -qxF "$want_cursor" "$2"; then
        ok "$1: after :cfirst the cursor is on the value's opening quote"
    else
        bad "$1: after :cfirst: $(grep '^cursor' "$2"), want $want_cursor"
    fi
}

# 1. :cgetfile on the saved output
(cd "$repo" && RESULT=$tmp/r1 timeout 60 $vim -Es -u "$tmp/vimrc" -i NONE -N \
    -c "cgetfile $tmp/gcc.out" -c "source $tmp/check.vim" </dev/null >"$tmp/vim1.out" 2>&1)
if [ -f "$tmp/r1" ]; then check_result ":cgetfile" "$tmp/r1"; else bad ":cgetfile: vim wrote nothing:"; cat "$tmp/vim1.out"; fi

# 2. :make runs ssolint through makeprg
(cd "$repo" && RESULT=$tmp/r2 timeout 60 $vim -Es -u "$tmp/vimrc" -i NONE -N \
    -c "silent make! $sel users/users.ndjson" -c "source $tmp/check.vim" </dev/null >"$tmp/vim2.out" 2>&1)
if [ -f "$tmp/r2" ]; then check_result ":make" "$tmp/r2"; else bad ":make: vim wrote nothing:"; cat "$tmp/vim2.out"; fi

# 3. the default code-point columns would be wrong for vim here (the point of the option)
(cd "$repo" && ssolint --format=gcc $sel users/users.ndjson 2>/dev/null) | head -1 >"$tmp/cp.out"
if ! grep -q ":$(head -1 "$tmp/want" | cut -d' ' -f2): " "$tmp/cp.out"; then
    ok "code-point columns differ from byte columns on these lines"
else
    bad "the test lines do not exercise multi-byte columns"
fi

echo "$name: $pass passed, $fail failed"
[ $fail = 0 ]
