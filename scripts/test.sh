#!/usr/bin/env bash
# Installs the dependencies, builds zhsearch twice (normal, and with AddressSanitizer +
# UndefinedBehaviorSanitizer) and runs every test in both builds, the search page's browser
# test (tests/browser/run.sh) against the normal build, then `make distcheck`.
# Usage: bash scripts/test.sh        (SKIP_DEPS=1 to skip the package install)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ "${SKIP_DEPS:-0}" = 1 ] || bash scripts/install-deps.sh

jobs=${JOBS:-2}
passed=0 failed=0

run_build() { # name configure-args...
    local dir="build-$1"; shift
    echo "=== build $dir: configure $*"
    rm -rf "$dir"; mkdir -p "$dir"
    (cd "$dir" && ../configure -q --enable-werror "$@" && make -s -j"$jobs")
    echo "=== test $dir"
    local rc=0
    (cd "$dir" && make -s -j"$jobs" check) || rc=$?
    # Show each test program's own summary (CUnit's run summary and any failure).
    for log in "$dir"/tests/*.log; do
        [ "$(basename "$log")" = test-suite.log ] && continue
        echo "--- $(basename "$log" .log)"
        sed -n '/Run Summary/,$p; /FAIL\|Error\|ERROR\|runtime error\|AddressSanitizer/p' "$log" | head -40
    done
    local p f
    p=$(cat "$dir"/tests/*.trs 2>/dev/null | awk '/^:test-result: PASS/{n++} END{print n+0}')
    f=$(cat "$dir"/tests/*.trs 2>/dev/null | awk '/^:test-result: (FAIL|ERROR|XPASS)/{n++} END{print n+0}')
    passed=$((passed + p)); failed=$((failed + f))
    [ "$rc" -eq 0 ] || { cat "$dir"/tests/test-suite.log || true; }
    return 0
}

[ -x configure ] || autoreconf -fi
autoreconf -fi >/dev/null 2>&1
run_build normal

# The search page in a real headless Chromium, against build-normal's index and server.
echo "=== browser test (tests/browser/run.sh build-normal)"
if bash tests/browser/run.sh build-normal; then
    echo "browser test: ok"; passed=$((passed + 1))
else
    echo "browser test: FAILED"; failed=$((failed + 1))
fi

run_build asan --enable-sanitizers

echo "=== make distcheck"
(cd build-normal && make -s -j"$jobs" distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror >distcheck.log 2>&1) \
    && { echo "distcheck: ok"; passed=$((passed + 1)); } \
    || { tail -60 build-normal/distcheck.log; echo "distcheck: FAILED"; failed=$((failed + 1)); }

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
