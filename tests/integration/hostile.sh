#!/bin/sh
# hostile.sh - automake test: the hostile shapes of doc/limits.md, each once at full size
# with the exact position of its last finding (the columns are computed here, in Python,
# from the text: in code points, UTF-16 units and bytes), and the memory bound of a YAML
# alias fan-out. The shapes were quadratic before (minutes); the times are measured by
# bench/hostile, not here: a run that takes orders of magnitude too long hits the timeout.
#   keys   100,000 keys in one user record, the wrong-type at its end
#   dup    40,000 duplicate keys on one line
#   roles  20,000 unknown roles on one line, each 'é😀N' (2-, 4-byte sequences)
#   files  20,000 users files under users/ (2,000 under a wrapper such as valgrind;
#          bench/hostile goes to 100,000)
#   alias  a 1 MB YAML scalar aliased 9,000 times, under a 256 MB address-space limit
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
: "${SSOLINT:?SSOLINT must name the built ssolint}"
name=hostile
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
command -v python3 >/dev/null || { echo "$name: SKIP: needs python3"; exit 77; }
tmp=$(mktemp -d /tmp/ssolint-hostile.XXXXXX) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
nfiles=20000
[ -n "${SSOLINT_WRAPPER:-}" ] && nfiles=2000
limit=${HOSTILE_TIMEOUT:-300}

python3 - "$tmp" "$nfiles" <<'PY' || exit 99
import os, sys
tmp, nfiles = sys.argv[1], int(sys.argv[2])
def put(path, text):
    path = os.path.join(tmp, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
def expect(case, text, needle):
    """line 1 columns of the last `needle` in text, in the three units"""
    before = text[:text.rindex(needle)]
    cp = len(before) + 1
    u16 = len(before.encode("utf-16-le")) // 2 + 1
    b = len(before.encode("utf-8")) + 1
    put(case + ".want", "%d %d %d\n" % (cp, u16, b))
rec = '{"email":"a@x.org",' + ",".join('"k%d":1' % i for i in range(100000)) + \
      ',"app_metadata":{"flex":{"roles":["agent"],"team":5}}}\n'
put("keys/users/u.ndjson", rec)
expect("keys", rec, "5}}}")
rec = '{"email":"a@x.org",' + ",".join('"k":%d' % i for i in range(40000)) + '}\n'
put("dup/users/u.ndjson", rec)
expect("dup", rec, '"k"')
rec = '{"email":"a@x.org","app_metadata":{"flex":{"roles":[' + \
      ",".join('"é😀%d"' % i for i in range(20000)) + ']}}}\n'
put("roles/users/u.ndjson", rec)
expect("roles", rec, '"é😀19999"')
for i in range(nfiles):
    put("files/users/u%06d.json" % i, '{"email":"u%d@x.org","app_metadata":{"flex":{"roles":["agent"]}}}\n' % i)
put("files/users/u%06d.json" % nfiles, '{"email":"last@x.org","app_metadata":{"flex":{"roles":["agnet"]}}}\n')
big = "x" * (1 << 20)
put("alias/tenant.yaml", "tenant:\n  friendly_name: &big " + big + "\nclients:\n" +
    "".join("  - name: c%d\n    description: *big\n" % i for i in range(9000)))
PY

# the last finding of rule $2 in case $1, in unit $3: "LINE:COL"
last() {
    (cd "$tmp/$1" && timeout "$limit" ${SSOLINT_WRAPPER:-} "$SSOLINT" --select "$2" \
        --column-unit "$3" . 2>/dev/null | grep "\[$2\]\$" | tail -n 1 | cut -d: -f2,3)
}
for c in keys:wrong-type dup:duplicate-key roles:role-unknown; do
    case=${c%%:*} rule=${c#*:}
    read -r cp u16 b <"$tmp/$case.want"
    got="$(last "$case" "$rule" codepoint) $(last "$case" "$rule" utf16) $(last "$case" "$rule" byte)"
    want="1:$cp 1:$u16 1:$b"
    if [ "$got" = "$want" ]; then ok "$case: last $rule at $want (code points, UTF-16, bytes)"
    else bad "$case: last $rule at '$got', expected '$want'"; fi
done
got=$(cd "$tmp/files" && timeout "$limit" ${SSOLINT_WRAPPER:-} "$SSOLINT" --select role-unknown . 2>/dev/null)
want="users/u$(printf %06d "$nfiles").json:1:56: error: unknown role 'agnet'"
case $got in
"$want"*) ok "files: $nfiles users files, the finding in the last one" ;;
*) bad "files: got '$got'" ;;
esac

# memory: an address-space limit the old deep copies (8.8 GB) could not live under;
# sanitizer and valgrind builds reserve far more address space, so not for them
if [ -z "${SSOLINT_WRAPPER:-}" ] && ! grep -q __asan_init "$SSOLINT" 2>/dev/null; then
    out=$(cd "$tmp/alias" && ulimit -v 262144 && timeout "$limit" "$SSOLINT" --select parse-error . 2>/dev/null)
    st=$?
    if [ $st = 0 ] && [ -z "$out" ]; then ok "alias: 9,000 aliases of a 1 MB scalar under 256 MB"
    else bad "alias: status $st: $out"; fi
else
    echo "skip: alias memory bound (wrapper or sanitizer build)"
fi

echo "$name: $pass passed, $fail failed"
[ $fail = 0 ]
