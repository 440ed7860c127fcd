#!/usr/bin/env bash
# Runs the search page's browser test: indexes corpus/ with the built zhsearch-index into
# a temporary directory, starts the built zhsearch-server on a free loopback port, drives
# the page in headless Chromium (search.test.js, node's test runner) and stops the server.
# Installs Chromium, its driver, Node.js and npm from Debian when they are missing.
# Usage: bash tests/browser/run.sh [BUILD_DIR]   (default: build-normal; relative paths
# are taken from the top of the source tree). Screenshots go to tests/artifacts/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${1:-build-normal}
case $build in /*) ;; *) build=$top/$build ;; esac
index_bin=$build/indexer/zhsearch-index
server_bin=$build/server/zhsearch-server
for b in "$index_bin" "$server_bin"; do
    [ -x "$b" ] || { echo "run.sh: $b is not built (run make in $build first)" >&2; exit 2; }
done

# ---------------------------------------------------------------- what the test needs
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v node >/dev/null || missing+=(nodejs)
# A Node.js that bundles npm (e.g. from another apt source) must not get Debian's npm.
command -v npm >/dev/null || missing+=(npm)
# Chinese glyphs, so the screenshots show text rather than boxes.
if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then
    missing+=(fonts-noto-cjk)
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "run.sh: installing ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -q
    $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# Trust the system's certificate store too (Debian's node otherwise trusts only its own
# bundled list, which misses locally added authorities).
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

# ---------------------------------------------------------------- index and server
tmp=$(mktemp -d "${TMPDIR:-/tmp}/zhsearch-browser.XXXXXX")
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

"$index_bin" --db "$tmp/index" --synonyms "$top/thesaurus/zh-policy.txt" "$top/corpus" >"$tmp/index.log" 2>&1 \
    || { cat "$tmp/index.log" >&2; echo "run.sh: indexing corpus/ failed" >&2; exit 1; }

ZHSEARCH_WEB=$top/web "$server_bin" --db "$tmp/index" --listen 127.0.0.1:0 >"$tmp/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 100); do       # it says where it listens: "... at http://127.0.0.1:PORT/"
    port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$tmp/server.log" | head -1)
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$port" ]; then
    cat "$tmp/server.log" >&2
    echo "run.sh: zhsearch-server did not report its address" >&2
    exit 1
fi
echo "run.sh: zhsearch-server at http://127.0.0.1:$port/ (web/ from the source tree)"

# ---------------------------------------------------------------- the test
rc=0
(cd "$here" && ZHSEARCH_URL="http://127.0.0.1:$port/" node --test search.test.js) || rc=$?
if [ "$rc" -ne 0 ]; then
    echo "--- zhsearch-server log (last 40 lines)"
    tail -40 "$tmp/server.log"
fi
exit "$rc"
