#!/bin/sh
# problem-matcher.sh - automake test: the regular expressions of
# doc/ssolint-problem-matcher.json (GitHub Actions problem matcher) against REAL ssolint
# output: the gcc output of testdata/examples/nonprofits. Every finding line must match
# exactly one matcher with the right file, line, column, severity, message and rule id;
# related-location note lines too (as notices, without a rule id); the source and caret
# lines of the pretty format must match nothing.
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
: "${SSOLINT:?SSOLINT must name the built ssolint}"
name=problem-matcher
tmp=$(mktemp -d /tmp/ssolint-matcher.XXXXXX) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
ex=$top/testdata/examples/nonprofits
(cd "$ex" && $SSOLINT_WRAPPER "$SSOLINT" --format=gcc . >"$tmp/gcc.out" 2>"$tmp/gcc.err")
echo $? >"$tmp/gcc.status"
(cd "$ex" && $SSOLINT_WRAPPER "$SSOLINT" --format=pretty --color=never . >"$tmp/pretty.out" 2>/dev/null)
SSOLINT_DATADIR=${SSOLINT_DATADIR:-$top} $SSOLINT_WRAPPER "$SSOLINT" --list-rules >"$tmp/rules" || exit 99
cd "$ex" || exit 99
python3 - "$top/doc/ssolint-problem-matcher.json" "$tmp" <<'EOP'
import gzip, json, os, re, sys

matcher_file, tmp = sys.argv[1], sys.argv[2]
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + what)


doc = json.load(open(matcher_file, encoding="utf-8"))
matchers = []
for m in doc["problemMatcher"]:
    assert len(m["pattern"]) == 1, "one-line patterns only"
    p = m["pattern"][0]
    matchers.append((m["owner"], m.get("severity"), re.compile(p["regexp"]), p))
check(len(matchers) == 2, "two matchers (errors and warnings; notes)")

rules = {l.split()[0] for l in open(os.path.join(tmp, "rules"), encoding="utf-8")}
out = open(os.path.join(tmp, "gcc.out"), encoding="utf-8").read().splitlines()
err = open(os.path.join(tmp, "gcc.err"), encoding="utf-8").read()
status = open(os.path.join(tmp, "gcc.status")).read().strip()
check(status == "1", "ssolint exits 1 on the example (got %s)" % status)
check(len(out) > 10, "the example gives findings (%d lines)" % len(out))

_lines = {}


def file_lines(path):
    if path not in _lines:
        op = gzip.open if path.endswith(".gz") else open
        with op(path, "rb") as f:
            _lines[path] = f.read().decode("utf-8").split("\n")
    return _lines[path]


def group(match, p, key):
    return match.group(p[key]) if key in p else None


counts = {"error": 0, "warning": 0, "note": 0}
related = 0
parsed = []
for line in out:
    hits = [(owner, sev, m, p) for owner, sev, rx, p in matchers for m in [rx.match(line)] if m]
    check(len(hits) == 1, "exactly one matcher matches %r (got %d)" % (line, len(hits)))
    if len(hits) != 1:
        continue
    owner, default_sev, m, p = hits[0]
    f, ln, col = group(m, p, "file"), group(m, p, "line"), group(m, p, "column")
    sev = group(m, p, "severity") or default_sev
    msg, code = group(m, p, "message"), group(m, p, "code")
    # the groups, checked against the files themselves
    check(os.path.isfile(f), "file group %r is a file (line %r)" % (f, line))
    if os.path.isfile(f):
        text = file_lines(f)
        ok = 1 <= int(ln) <= len(text) and 1 <= int(col) <= len(text[int(ln) - 1]) + 1
        check(ok, "line %s column %s lie inside %s (line %r)" % (ln, col, f, line))
    check(msg and msg == msg.strip() and not re.search(r"\[[a-z0-9-]+\]$", msg),
          "message group %r is the bare message" % msg)
    check(line == "%s:%s:%s: %s: %s%s" % (f, ln, col, "note" if sev == "notice" else sev, msg,
                                         " [%s]" % code if code else ""),
          "the groups rebuild the line %r" % line)
    if sev in ("error", "warning"):
        check(code in rules, "code group %r of %r is a rule id" % (code, line))
        counts[sev] += 1
    else:
        check(sev == "notice", "note lines are notices (%r)" % line)
        check(code is None or code in rules, "code group %r of a note is a rule id or none" % code)
        if code:
            counts["note"] += 1
        else:
            related += 1
    parsed.append((f, ln, col, sev, msg, code))

# the counts agree with ssolint's own summary line
m = re.search(r"(\d+) errors?, (\d+) warnings?(?:, (\d+) notes?)?", err)
check(m is not None, "summary line on stderr: %r" % err)
if m:
    want = {"error": int(m.group(1)), "warning": int(m.group(2)), "note": int(m.group(3) or 0)}
    check(counts == want, "findings matched %r = summary %r" % (counts, want))
check(counts["note"] >= 1, "a finding of severity note is matched")
check(related >= 1, "related-location note lines are matched")

# one finding checked field by field, its place computed from the file
f = "nss/users/users.ndjson.gz"
text = file_lines(f)
ln = next(i for i, l in enumerate(text, 1) if '"superviser"' in l)
col = text[ln - 1].index('"superviser"') + 1
hit = [x for x in parsed if x[5] == "role-unknown" and x[0] == f]
check(hit and hit[0][:4] == (f, str(ln), str(col), "error")
      and hit[0][4].startswith("unknown role 'superviser' (did you mean 'supervisor'?)"),
      "the 'superviser' finding is %s:%d:%d error role-unknown, got %r" % (f, ln, col, hit))
# a file name with spaces
check(any(x[0] == "hhovv/auth0/actions/Add Flex Roles to SAML - HHOVV/code.js" for x in parsed),
      "a file name with spaces is matched whole")

# pretty output: the diagnostics match, the source and caret lines do not
for line in open(os.path.join(tmp, "pretty.out"), encoding="utf-8").read().splitlines():
    hits = [owner for owner, sev, rx, p in matchers if rx.match(line)]
    if line.startswith(" "):
        check(not hits, "a pretty source/caret line matches nothing: %r" % line)

print("problem-matcher: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
EOP
