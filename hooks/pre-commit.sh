#!/bin/sh
# hooks/pre-commit.sh - the entry of the ssolint pre-commit hook (.pre-commit-hooks.yaml,
# language: script): runs the ssolint on PATH, and when there is none says how to get it
# instead of pre-commit's bare "Executable `ssolint` not found".
if ! command -v ssolint >/dev/null 2>&1; then
    cat >&2 <<'MSG'
ssolint: not installed. The pre-commit hook runs the ssolint program on your PATH; install
it once (README, "Install"):
    Debian/Ubuntu:  sudo apt-get install ./ssolint_0.1.0_amd64.deb
                    (the package: `dpkg-buildpackage -us -uc -b` in ssolint's repository)
    from source:    ./bootstrap && sudo make install   (in ssolint's repository)
then commit again. To commit once without the check: SKIP=ssolint git commit ...
MSG
    exit 1
fi
exec ssolint "$@"
