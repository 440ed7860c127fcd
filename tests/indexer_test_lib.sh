# Sourced by the zhsearch-index shell tests (run from the build directory): paths of the
# programs under test, a temporary directory removed at exit (after killing $pid if
# set), and pass/fail bookkeeping. Call finish at the end.
top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=$(pwd)
IDX="$builddir/indexer/zhsearch-index"
PROBE="$builddir/tests/index_probe"
[ -x "$IDX" ] && [ -x "$PROBE" ] || { echo "zhsearch-index or index_probe not built"; exit 99; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/zhs-indexer.XXXXXX") || exit 99
pid=
cleanup() {
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
# expect NAME ACTUAL EXPECTED
expect() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', expected '$3'"; fi; }
# contains NAME FILE TEXT
contains() {
    if grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1: no '$3' in:"; cat "$2"; fi
}
finish() {
    if [ "$failures" -ne 0 ]; then
        echo "$failures test(s) failed"
        exit 1
    fi
    echo "all passed"
    exit 0
}
