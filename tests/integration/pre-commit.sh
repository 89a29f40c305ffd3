#!/bin/sh
# pre-commit.sh - automake test: the ssolint hook of .pre-commit-hooks.yaml, run by the
# real pre-commit tool in a throw-away git repository. The hook repository is a local git
# clone of this tree's .pre-commit-hooks.yaml (no network), the built ssolint is first on
# PATH. A commit of a users file with an unknown role must be refused with the finding
# printed; once the role is fixed the commit must go through. Without ssolint on PATH the
# hook refuses the commit and says how to install it.
# Skips (exit 77) only when pre-commit cannot be found.
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
: "${SSOLINT:?SSOLINT must name the built ssolint}"
name=pre-commit
if ! command -v pre-commit >/dev/null 2>&1; then
    echo "$name: SKIP: the pre-commit tool is not installed (Debian: apt-get install pre-commit)"
    exit 77
fi
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }

tmp=$(mktemp -d /tmp/ssolint-pre-commit.XXXXXX) || exit 99
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

# A private, offline environment for git and pre-commit.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_COMMON_DIR
HOME=$tmp/home
PRE_COMMIT_HOME=$tmp/pre-commit-home
XDG_CACHE_HOME=$tmp/cache
GIT_CONFIG_NOSYSTEM=1
GIT_CONFIG_GLOBAL=$tmp/home/.gitconfig
GIT_AUTHOR_NAME=ssolint-test GIT_AUTHOR_EMAIL=test@example.org
GIT_COMMITTER_NAME=ssolint-test GIT_COMMITTER_EMAIL=test@example.org
export HOME PRE_COMMIT_HOME XDG_CACHE_HOME GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL \
    GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
mkdir -p "$HOME" "$tmp/bin"
printf '[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n' >"$GIT_CONFIG_GLOBAL"

# The built ssolint first on PATH (under valgrind in the valgrind stage of CI).
cat >"$tmp/bin/ssolint" <<EOS
#!/bin/sh
exec ${SSOLINT_WRAPPER:-} "$SSOLINT" "\$@"
EOS
chmod +x "$tmp/bin/ssolint"
PATH=$tmp/bin:$PATH
export PATH

# The hook repository: this tree's .pre-commit-hooks.yaml, committed in a local repo.
hooks=$tmp/hooks
mkdir -p "$hooks/hooks" && cp "$top/.pre-commit-hooks.yaml" "$hooks/" &&
    cp "$top/hooks/pre-commit.sh" "$hooks/hooks/" && chmod +x "$hooks/hooks/pre-commit.sh" || exit 99
(cd "$hooks" && git init -q && git add .pre-commit-hooks.yaml hooks/pre-commit.sh &&
    git commit -q -m hooks) || { echo "$name: cannot create the hook repository"; exit 99; }
rev=$(cd "$hooks" && git rev-parse HEAD)

# The config repository.
repo=$tmp/repo
mkdir -p "$repo/users"
cd "$repo" || exit 99
git init -q || exit 99
cat >.pre-commit-config.yaml <<EOS
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: ssolint
EOS
if pre-commit install >"$tmp/install.out" 2>&1; then
    ok "pre-commit install"
else
    bad "pre-commit install failed:"; cat "$tmp/install.out"
fi

# 1. A users file with a misspelt role: the commit is refused, the finding printed.
printf '%s\n' '{"email":"ana@nss.org","name":"Ana Núñez","app_metadata":{"flex":{"roles":["superviser"]}}}' \
    >users/users.ndjson
git add .pre-commit-config.yaml users/users.ndjson
if git commit -q -m "add users" >"$tmp/c1.out" 2>&1; then
    bad "the commit with role 'superviser' went through"
else
    ok "the commit with role 'superviser' is refused"
fi
# computed independently: the column (code points, 1-based) of the value's opening quote
col=$(python3 -c 'import sys; l=open(sys.argv[1],encoding="utf-8").readline(); print(l.index("\"superviser")+1)' users/users.ndjson)
want="users/users.ndjson:1:$col: error: unknown role 'superviser' (did you mean 'supervisor'?); the valid roles are 'admin', 'supervisor', 'agent' and Flex Insights' wfo.* roles: correct it, or add it to 'roles:' in .ssolint.yaml [role-unknown]"
if grep -qxF "$want" "$tmp/c1.out"; then
    ok "the refused commit prints the finding"
else
    bad "the refused commit does not print: $want"
fi
if grep -q '^ssolint\.*Failed' "$tmp/c1.out"; then
    ok "pre-commit reports the ssolint hook as Failed"
else
    bad "pre-commit does not report the hook as Failed"
fi
if git rev-parse -q --verify HEAD >/dev/null; then
    bad "a commit was made although the hook failed"
else
    ok "no commit was made"
fi

# 2. The role fixed: the commit goes through.
sed 's/superviser/supervisor/' users/users.ndjson >users/fixed && mv users/fixed users/users.ndjson
git add users/users.ndjson
if git commit -q -m "add users" >"$tmp/c2.out" 2>&1; then
    ok "the commit with the fixed role goes through"
else
    bad "the commit with the fixed role is refused"
fi
if grep -q '^ssolint\.*Passed' "$tmp/c2.out"; then
    ok "pre-commit reports the ssolint hook as Passed"
else
    bad "pre-commit does not report the hook as Passed"
fi
if [ "$(git log --oneline 2>/dev/null | wc -l)" = 1 ]; then
    ok "the commit is in the history"
else
    bad "the commit is not in the history"
fi

# 3. A commit touching no config file does not run ssolint at all (files: filter).
echo notes >README.txt
git add README.txt
if git commit -q -m readme >"$tmp/c3.out" 2>&1 && grep -q '^ssolint.*Skipped' "$tmp/c3.out"; then
    ok "a commit of README.txt skips the hook"
else
    bad "a commit of README.txt did not skip the hook"
fi

# 4. ssolint not installed: the commit is refused with what to do.
PATH=${PATH#"$tmp/bin:"}
if command -v ssolint >/dev/null 2>&1; then
    echo "note: an ssolint is installed on PATH ($(command -v ssolint)); the missing-program case is not run"
else
    printf '%s\n' '{"email":"bo@nss.org","app_metadata":{"flex":{"roles":["agent"]}}}' >>users/users.ndjson
    git add users/users.ndjson
    if git commit -q -m "no ssolint" >"$tmp/c4.out" 2>&1; then
        bad "the commit went through without ssolint"
    else
        ok "without ssolint the commit is refused"
    fi
    if grep -q '^ssolint: not installed' "$tmp/c4.out" && grep -qF 'sudo apt-get install ./ssolint_' "$tmp/c4.out" &&
        grep -qF 'SKIP=ssolint git commit' "$tmp/c4.out"; then
        ok "the hook says how to install ssolint"
    else
        bad "the hook does not say how to install ssolint"
    fi
fi

if [ $fail != 0 ]; then
    for f in install c1 c2 c3 c4; do
        [ -f "$tmp/$f.out" ] && { echo "--- output of $f:"; cat "$tmp/$f.out"; }
    done
fi
echo "$name: $pass passed, $fail failed"
[ $fail = 0 ]
