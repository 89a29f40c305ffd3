#!/bin/sh
# valgrind.sh - automake LOG_COMPILER for the valgrind stage of .ci/run: unit test
# binaries run under memcheck; the CLI runner runs ssolint itself under memcheck. Any
# memcheck error or definite leak makes the exit status 99, which fails the test.
VG="valgrind -q --suppressions=$(dirname "$0")/valgrind.supp --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite"
case "$1" in
*.sh)
    SSOLINT_WRAPPER=$VG
    export SSOLINT_WRAPPER
    exec sh "$@"
    ;;
*) exec $VG "$@" ;;
esac
