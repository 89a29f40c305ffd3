#!/bin/sh
# html-report.sh - automake test: the `html` format rendered by a real browser (Debian's
# chromium, headless). The bundled example's report is screenshotted (kept in
# $SSOLINT_SCREENSHOT when that is set) and its rendered DOM is checked against the json
# format of the same run: every finding's location and message, grouped by tenant with
# the right counts, each rule's fix text, the plain-words summary; the page loads nothing
# (no script, no external URL). A second report, of a repository with a planted secret,
# must not contain the secret anywhere in the rendered page.
# Skips (exit 77) only when chromium is not installed.
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
: "${SSOLINT:?SSOLINT must name the built ssolint}"
name=html-report
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome)
if [ -z "$browser" ]; then
    echo "$name: SKIP: chromium is not installed (Debian: apt-get install chromium)"
    exit 77
fi
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
tmp=$(mktemp -d /tmp/ssolint-html.XXXXXX) || exit 99
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

# headless, offline, no profile of the user's
chrome() {
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-background-networking --disable-extensions --disable-sync \
        --user-data-dir="$tmp/profile" --host-resolver-rules="MAP * ~NOTFOUND" "$@" 2>>"$tmp/chrome.err"
}

cp -R "$top/testdata/examples/nonprofits" "$tmp/ex"
(cd "$tmp/ex" && $SSOLINT_WRAPPER "$SSOLINT" -q --now 2026-11-27 --format html \
    --rule-url 'https://ssolint.example.org/rules/{id}' --output json:"$tmp/ex.json") >"$tmp/ex.html"
st=$?
[ $st = 1 ] && ok "--format html on the example: exit 1" || bad "--format html: exit $st"
if grep -qi '<script\|<link\|@import\|url(\|src=' "$tmp/ex.html"; then
    bad "the page loads something: $(grep -io '<script[^>]*>\|<link[^>]*>\|@import[^;]*\|url([^)]*)\|src=[^ >]*' "$tmp/ex.html" | head -3)"
else
    ok "self-contained: no script, stylesheet link, import, url() or src="
fi

chrome --screenshot="$tmp/shot.png" --window-size=1280,2400 "file://$tmp/ex.html" >/dev/null
size=$(wc -c <"$tmp/shot.png" 2>/dev/null || echo 0)
if [ "$size" -gt 50000 ]; then
    ok "screenshot made ($size bytes)"
    [ -n "${SSOLINT_SCREENSHOT:-}" ] && cp "$tmp/shot.png" "$SSOLINT_SCREENSHOT"
else
    bad "no screenshot or a blank one ($size bytes):"; tail -5 "$tmp/chrome.err"
fi
chrome --dump-dom "file://$tmp/ex.html" >"$tmp/ex.dom"

# the rendered DOM against the json report of the same run
python3 - "$tmp/ex.dom" "$tmp/ex.json" >"$tmp/check.out" <<'PY'
import json, sys
from html.parser import HTMLParser

class Page(HTMLParser):
    """Collects the text of each element with a class, in document order."""
    def __init__(self):
        super().__init__()
        self.stack, self.items = [], []
    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get('class')
        self.stack.append([tag, cls, ''])
    def handle_endtag(self, tag):
        while self.stack:
            t, cls, text = self.stack.pop()
            if self.stack:
                self.stack[-1][2] += text
            if cls or t in ('h2', 'h3', 'h4', 'a'):
                self.items.append((t, cls, text))
            if t == tag:
                break
    def handle_data(self, data):
        if self.stack:
            self.stack[-1][2] += data

dom = open(sys.argv[1], encoding='utf-8').read()
rep = json.load(open(sys.argv[2], encoding='utf-8'))
p = Page()
p.feed(dom)
def check(cond, what):
    print(('ok: ' if cond else 'FAIL: ') + what)

locs = [x[2] for x in p.items if x[1] == 'loc']
msgs = [x[2] for x in p.items if x[1] == 'msg']
got = sorted(zip(locs, msgs))
want = sorted(('%s:%d:%d' % (f['file'], f['line'], f['column']), f['message']) for f in rep['findings'])
check(got == want, 'the %d findings (location and message) are those of the json report' % len(want))
if got != want:
    for x in sorted(set(want) - set(got))[:5]: print('  missing:', x)
    for x in sorted(set(got) - set(want))[:5]: print('  extra:', x)
count = {}
for f in rep['findings']:
    count[f['tenant']] = count.get(f['tenant'], 0) + 1
heads = [x[2] for x in p.items if x[0] == 'h2' and x[2].startswith('Tenant ')]
wanth = ['Tenant %s (%d finding%s)' % (t, n, '' if n == 1 else 's') for t, n in sorted(count.items())]
check(sorted(heads) == wanth, 'tenant headings with counts: %s' % heads)
fixes = [x for x in p.items if x[0] == 'div' and x[1] == 'fix']
rules = {f['rule'] for f in rep['findings']}
check(len(fixes) == sum(1 for t in count for r in rules
                       if any(f['tenant'] == t and f['rule'] == r for f in rep['findings'])),
      'a "How to fix" for each rule of each tenant (%d)' % len(fixes))
fix = [x[2] for x in fixes if 'Set app_metadata.flex.team for the user' in x[2]]
check(bool(fix), "team-missing's fix text comes from its page")
summary = ' '.join(x[2] for x in p.items if x[1] == 'summary')
for s in ('1 person will see every team (their team is missing)',
          '2 people have misspelt or unknown roles, so Flex does not give them those roles'):
    check(s in summary, 'the summary says: ' + s)
links = [x[2] for x in p.items if x[0] == 'a']
check('role-unknown' in links and 'https://ssolint.example.org/rules/role-unknown' in dom,
      'rule ids link to --rule-url')
PY
cat "$tmp/check.out"
pass=$((pass + $(grep -c '^ok:' "$tmp/check.out")))
fail=$((fail + $(grep -c '^FAIL:' "$tmp/check.out")))
[ -s "$tmp/check.out" ] || bad "the DOM check did not run"

# a planted secret never reaches the page
cp -R "$top/tests/cli/format-secrets/in" "$tmp/sec"
(cd "$tmp/sec" && $SSOLINT_WRAPPER "$SSOLINT" -q --select secret-in-export --output html:"$tmp/sec.html") >/dev/null
chrome --dump-dom "file://$tmp/sec.html" >"$tmp/sec.dom"
n=$(grep -c 'secret-in-export' "$tmp/sec.dom")
grep -q SECRETVALUE "$tmp/sec.html" "$tmp/sec.dom" && bad "the planted secret is in the page" ||
    ok "the planted secret is not in the page ($n mentions of secret-in-export)"
grep -q '\*\*\*\*\*\*\*\*' "$tmp/sec.dom" && ok "the secret is shown masked" || bad "no masked value in the page"

echo "$name: $pass passed, $fail failed"
[ $fail = 0 ]
