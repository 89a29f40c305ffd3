#!/bin/sh
# action.sh - automake test: the GitHub Action (action.yml, composite) run locally. Its
# wiring is read from action.yml (every INPUT_* variable .github-action/run.sh reads is
# passed from a declared input, every output comes from a value the script writes, the
# package is cached with actions/cache under the key step's output), then its lint step
# is run the way the runner runs it: the step's `run` in bash with the step's env (the
# ${{ inputs.* }} filled from the test's inputs and the defaults), GITHUB_WORKSPACE,
# GITHUB_OUTPUT and GITHUB_ACTION_PATH set, the built ssolint as the program. The
# annotations, the SARIF file and every output are checked exactly against a json run of
# the same lint. The key step gives the commit in a checkout and a content hash in an
# archive. (The build and install steps run in tests/package/deb.sh, .ci/run's stage 6.)
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
: "${SSOLINT:?SSOLINT must name the built ssolint}"
name=action
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
tmp=$(mktemp -d /tmp/ssolint-action.XXXXXX) || exit 99
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
if ! python3 -c 'import yaml' 2>/dev/null; then
    echo "$name: SKIP: python3-yaml is not installed"
    exit 77
fi
# the built program under the name the action uses
mkdir "$tmp/bin"
printf '#!/bin/sh\nexec %s "%s" "$@"\n' "${SSOLINT_WRAPPER:-}" "$SSOLINT" >"$tmp/bin/ssolint"
chmod +x "$tmp/bin/ssolint"

# 1. action.yml's wiring
python3 - "$top/action.yml" "$top/.github-action/run.sh" >"$tmp/wiring" <<'PY'
import re, sys, yaml
a = yaml.safe_load(open(sys.argv[1]))
script = open(sys.argv[2]).read()
def check(cond, what):
    print(('ok: ' if cond else 'FAIL: ') + what)
check(a['runs']['using'] == 'composite', 'action.yml is a composite action')
steps = {s.get('id'): s for s in a['runs']['steps']}
runs = [s['run'] for s in a['runs']['steps'] if 'run' in s]
check(all(re.fullmatch(r'bash "\$GITHUB_ACTION_PATH/\.github-action/run\.sh" (key|build|install|lint)', r)
          for r in runs) and len(runs) == 4, 'its 4 shell steps are run.sh key, build, install, lint')
cache = steps.get('cache', {})
check(cache.get('uses', '').startswith('actions/cache@') and
      cache['with']['key'] == '${{ steps.key.outputs.key }}' and
      cache['with']['path'] == steps['key']['env']['SSOLINT_DEB_DIR'],
      'the package directory is cached under the key step\'s key')
build = [s for s in a['runs']['steps'] if s.get('run', '').endswith(' build')][0]
check(build.get('if') == "steps.cache.outputs.cache-hit != 'true'", 'the build step runs only on a cache miss')
read = set(re.findall(r'INPUT_[A-Z_]+', script))
env = steps['lint']['env']
wired = {k for k, v in env.items() if re.fullmatch(r'\$\{\{ inputs\.([a-z-]+) \}\}', v) and
         re.fullmatch(r'\$\{\{ inputs\.([a-z-]+) \}\}', v).group(1) in a['inputs']}
check(read == wired and all(k == 'INPUT_' + v[11:-3].upper().replace('-', '_') for k, v in env.items()),
      'every INPUT_* run.sh reads comes from its input: %s' % ' '.join(sorted(read)))
written = set(re.findall(r'output ([a-z-]+) ', script)) | {'errors', 'warnings', 'notes'}
outs = {k: v['value'] for k, v in a['outputs'].items()}
check(all(v == '${{ steps.lint.outputs.%s }}' % k for k, v in outs.items()) and
      set(outs) <= written, 'every output is a value the lint step writes: %s' % ' '.join(sorted(outs)))
PY
cat "$tmp/wiring"
[ -s "$tmp/wiring" ] || bad "action.yml could not be read"
pass=$((pass + $(grep -c '^ok:' "$tmp/wiring")))
fail=$((fail + $(grep -c '^FAIL:' "$tmp/wiring")))

# the documented workflows use only what the action declares
python3 - "$top/action.yml" "$top/doc/ci/github-workflow.yml" "$top/doc/github-actions.md" >"$tmp/docs" <<'PY'
import re, sys, yaml
a = yaml.safe_load(open(sys.argv[1]))
md = open(sys.argv[3]).read()
flows = {sys.argv[2]: yaml.safe_load(open(sys.argv[2])),
         sys.argv[3]: yaml.safe_load(re.search(r'```yaml\n(.*?)```', md, re.S).group(1))}
for name, w in flows.items():
    steps = w['jobs']['ssolint']['steps']
    ours = [s for s in steps if s.get('id') == 'ssolint'][0]
    up = [s for s in steps if s.get('uses', '').startswith('github/codeql-action/upload-sarif@')]
    used = set(re.findall(r'steps\.ssolint\.outputs\.([a-z-]+)', yaml.dump(w)))
    good = (set(ours.get('with', {})) <= set(a['inputs']) and used <= set(a['outputs']) and
            len(up) == 1 and up[0]['with']['sarif_file'] == '${{ steps.ssolint.outputs.sarif-file }}' and
            'cancelled()' in up[0]['if'] and
            w['permissions'].get('security-events') == 'write')
    print(('ok: ' if good else 'FAIL: ') + name.split('/')[-1] +
          ': uses declared inputs and outputs, uploads the SARIF even after a failed lint')
PY
cat "$tmp/docs"
pass=$((pass + $(grep -c '^ok:' "$tmp/docs")))
fail=$((fail + $(grep -c '^FAIL:' "$tmp/docs")))
[ -s "$tmp/docs" ] || bad "the documented workflows could not be read"

# 2. the lint step as the runner runs it: INPUTS (a JSON object) over the defaults
lint_step() { # lint_step WORKSPACE INPUTS >stdout 2>stderr; the outputs in $tmp/outputs
    : >"$tmp/outputs"
    python3 - "$top/action.yml" "$2" >"$tmp/env" <<'PY' || return 99
import json, shlex, sys, yaml
a = yaml.safe_load(open(sys.argv[1]))
given = json.loads(sys.argv[2])
step = [s for s in a['runs']['steps'] if s.get('id') == 'lint'][0]
for k, v in step['env'].items():
    name = v[len('${{ inputs.'):-len(' }}')]
    print('export %s=%s' % (k, shlex.quote(given.get(name, a['inputs'][name].get('default', '')))))
print('cmd=' + shlex.quote(step['run']))
PY
    (. "$tmp/env" && cd "$1" && PATH=$tmp/bin:$PATH GITHUB_WORKSPACE=$1 GITHUB_OUTPUT=$tmp/outputs \
        GITHUB_ACTION_PATH=$top bash -c "$cmd")
}
expect_outputs() { # expect_outputs JSON EXIT SARIF: the outputs a run with that json must give
    python3 -c '
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
n = lambda s: sum(1 for x in f if x["severity"] == s)
print("exit-code=%s\nsarif-file=%s\nerrors=%d\nwarnings=%d\nnotes=%d" % (sys.argv[2], sys.argv[3], n("error"), n("warning"), n("note")))
' "$@"
}
ws=$tmp/ws
cp -R "$top/testdata/examples/nonprofits" "$ws" && chmod -R u+w "$ws" # (distcheck: read-only)
(cd "$ws" && "$tmp/bin/ssolint" -q --now 2026-11-27 --format github --output json:"$tmp/ref.json") >"$tmp/ref.github"
lint_step "$ws" '{"args": "--now 2026-11-27"}' >"$tmp/out" 2>"$tmp/err"
st=$?
[ $st = 1 ] && ok "the lint step fails on the example's errors (exit 1)" || bad "the lint step: exit $st"
if [ -s "$tmp/out" ] && cmp -s "$tmp/out" "$tmp/ref.github"; then
    ok "it prints the $(wc -l <"$tmp/out") annotations of --format github"
else
    bad "its annotations differ:"; diff "$tmp/ref.github" "$tmp/out" | head; cat "$tmp/err"
fi
grep -q '^ssolint: [0-9]* errors, ' "$tmp/err" && ok "the summary line is in the log" || bad "no summary line: $(cat "$tmp/err")"
expect_outputs "$tmp/ref.json" 1 ssolint.sarif >"$tmp/want"
if cmp -s "$tmp/outputs" "$tmp/want"; then
    ok "GITHUB_OUTPUT: $(tr '\n' ' ' <"$tmp/want")"
else
    bad "GITHUB_OUTPUT differs:"; diff "$tmp/want" "$tmp/outputs"
fi
if python3 "$top/tests/validate-sarif.py" "$ws/ssolint.sarif" >"$tmp/v" 2>&1 &&
    [ "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$ws/ssolint.sarif")" = \
      "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$tmp/ref.json")" ]; then
    ok "ssolint.sarif is valid SARIF 2.1.0 with every finding, for upload-sarif"
else
    bad "ssolint.sarif: $(cat "$tmp/v")"
fi

# two paths on two lines, fail-on never, no SARIF, an HTML report, a rule page URL
rm -f "$ws/ssolint.sarif"
(cd "$ws" && "$tmp/bin/ssolint" -q --now 2026-11-27 --format github --output json:"$tmp/ref2.json" \
    --rule-url 'https://example.org/r/{id}' nss hhovv/users) >"$tmp/ref2.github"
lint_step "$ws" '{"paths": "nss\nhhovv/users", "fail-on": "never", "sarif-file": "",
    "html-file": "report.html", "rule-url": "https://example.org/r/{id}", "args": "--now 2026-11-27"}' >"$tmp/out" 2>"$tmp/err"
st=$?
[ $st = 0 ] && ok "fail-on: never passes (exit 0)" || bad "fail-on: never: exit $st"
cmp -s "$tmp/out" "$tmp/ref2.github" && grep -q '(https://example.org/r/[a-z-]*)$' "$tmp/out" &&
    ok "paths on two lines, annotations link the rule pages" || { bad "annotations differ:"; diff "$tmp/ref2.github" "$tmp/out" | head; }
expect_outputs "$tmp/ref2.json" 0 "" >"$tmp/want"
cmp -s "$tmp/outputs" "$tmp/want" && ok "GITHUB_OUTPUT: $(tr '\n' ' ' <"$tmp/want")" ||
    { bad "GITHUB_OUTPUT differs:"; diff "$tmp/want" "$tmp/outputs"; }
[ ! -e "$ws/ssolint.sarif" ] && grep -q '^<!DOCTYPE html>' "$ws/report.html" 2>/dev/null &&
    ok "sarif-file empty: no SARIF; html-file: report.html" || bad "SARIF or HTML file wrong"

# 3. the cache key: the commit of a checkout, a content hash of an archive
key() { GITHUB_OUTPUT=$tmp/k GITHUB_ACTION_PATH=$1 bash "$top/.github-action/run.sh" key && sed -n 's/^key=//p' "$tmp/k"; rm -f "$tmp/k"; }
if [ -d "$top/.git" ] || [ -f "$top/.git" ]; then
    k=$(key "$top")
    case $k in
    ssolint-deb-*-commit-$(git -C "$top" rev-parse HEAD)) ok "key of a checkout: $k" ;;
    *) bad "key of a checkout is not its commit: $k" ;;
    esac
fi
mkdir "$tmp/archive" && (cd "$top" && cp -R configure.ac Makefile.am src rules doc debian "$tmp/archive/") &&
    chmod -R u+w "$tmp/archive" # (make distcheck's sources are read-only)
k1=$(key "$tmp/archive"); k2=$(key "$tmp/archive")
echo "/* changed */" >>"$tmp/archive/src/main.c"
k3=$(key "$tmp/archive")
case $k1 in
ssolint-deb-*-files-*) [ "$k1" = "$k2" ] && [ "$k1" != "$k3" ] &&
    ok "key of an archive: a content hash, stable, changed by an edit" || bad "archive keys: $k1 $k2 $k3" ;;
*) bad "key of an archive: $k1" ;;
esac

echo "$name: $pass passed, $fail failed"
[ $fail = 0 ]
