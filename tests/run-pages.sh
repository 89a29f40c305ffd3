#!/bin/sh
# run-pages.sh - automake test: the examples of every rule page (tests/run-pages.py).
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
exec python3 "$top/tests/run-pages.py" "$@"
