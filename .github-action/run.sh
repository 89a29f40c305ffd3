#!/bin/bash
# .github-action/run.sh - the steps of action.yml (composite action), one per argument:
#   key      the cache key of the package: the commit of the action's checkout, else a
#            hash of its files (GitHub hands actions over as archives, without .git)
#   build    build the Debian package from the action's checkout into $SSOLINT_DEB_DIR
#            (installs the unmet build dependencies that dpkg-checkbuilddeps names)
#   install  apt-get install the package from $SSOLINT_DEB_DIR
#   lint     run ssolint in $GITHUB_WORKSPACE with the INPUT_* variables action.yml
#            passes; writes exit-code, sarif-file, errors, warnings and notes to
#            $GITHUB_OUTPUT and exits with ssolint's status
# Environment: GITHUB_ACTION_PATH (the action's checkout; default: this script's parent),
# GITHUB_WORKSPACE, GITHUB_OUTPUT, SSOLINT_DEB_DIR, SSOLINT (the program; default ssolint).
# tests/integration/action.sh and tests/package/deb.sh run it outside GitHub.
set -u
action=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
debdir=${SSOLINT_DEB_DIR:-${RUNNER_TEMP:-/tmp}/ssolint-deb}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

output() { echo "$1=$2" >>"${GITHUB_OUTPUT:-/dev/null}"; }

step_key() {
    local id
    if id=$(git -C "$action" rev-parse -q --verify HEAD 2>/dev/null) &&
        [ "$(git -C "$action" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$action" && pwd -P)" ]; then
        id=commit-$id
    else
        id=files-$(cd "$action" && find configure.ac Makefile.am src rules doc debian -type f \
            -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-40)
    fi
    output key "ssolint-deb-$(uname -m)-$(. /etc/os-release && echo "$ID-$VERSION_ID")-$id"
}

step_build() {
    local unmet src
    unmet=$(cd "$action" && dpkg-checkbuilddeps 2>&1 | sed -n 's/.*Unmet build dependencies: //p' |
        sed 's/([^)]*)//g; s/\[[^]]*\]//g; s/|[^ ]*//g')
    [ -x "$(command -v dpkg-buildpackage)" ] || unmet="$unmet dpkg-dev"
    [ -x "$(command -v fakeroot)" ] || unmet="$unmet fakeroot"
    if [ -n "${unmet// /}" ]; then
        echo "installing the build dependencies:$unmet"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
            $unmet debhelper >/dev/null || return 1
    fi
    src=$(mktemp -d "${RUNNER_TEMP:-/tmp}/ssolint-src.XXXXXX")
    cp -R "$action" "$src/ssolint" || return 1
    (cd "$src/ssolint" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b) || return 1
    mkdir -p "$debdir" && mv "$src"/ssolint_*.deb "$debdir/" && rm -rf "$src"
}

step_install() {
    local deb
    deb=$(ls "$debdir"/ssolint_*.deb 2>/dev/null | head -1)
    [ -n "$deb" ] || { echo "::error title=ssolint::no package in $debdir"; return 1; }
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$deb" >/dev/null &&
        ssolint --version
}

step_lint() {
    local -a cmd paths extra
    local st summary n errf
    cd "${GITHUB_WORKSPACE:-.}" || return 2
    read -r -d '' -a paths <<<"${INPUT_PATHS:-.}"
    read -r -d '' -a extra <<<"${INPUT_ARGS:-}"
    cmd=("${SSOLINT:-ssolint}" --format "${INPUT_FORMAT:-github}" --fail-on "${INPUT_FAIL_ON:-error}")
    [ -n "${INPUT_CONFIG:-}" ] && cmd+=(--config "$INPUT_CONFIG")
    [ -n "${INPUT_RULE_URL:-}" ] && cmd+=(--rule-url "$INPUT_RULE_URL")
    local sarif=${INPUT_SARIF_FILE-ssolint.sarif} # unset: the default of action.yml; empty: none
    [ -n "$sarif" ] && cmd+=(--output "sarif:$sarif")
    [ -n "${INPUT_HTML_FILE:-}" ] && cmd+=(--output "html:$INPUT_HTML_FILE")
    cmd+=("${extra[@]}" -- "${paths[@]}")
    errf=$(mktemp)
    "${cmd[@]}" 2>"$errf"
    st=$?
    cat "$errf" >&2
    summary=$(sed -n 's/^ssolint: \([0-9]* errors\{0,1\}, .* in [0-9]* files\{0,1\}\)$/\1/p' "$errf")
    rm -f "$errf"
    output exit-code "$st"
    output sarif-file "$([ -n "$sarif" ] && [ -f "$sarif" ] && echo "$sarif")"
    for n in error warning note; do
        output "${n}s" "$(echo "$summary" | grep -o "[0-9]* ${n}s\{0,1\}" | cut -d' ' -f1 | grep . || echo 0)"
    done
    return "$st"
}

case ${1:-} in
key | build | install | lint) "step_$1" ;;
*) echo "usage: $0 key|build|install|lint" >&2; exit 2 ;;
esac
