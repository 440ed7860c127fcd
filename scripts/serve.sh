#!/usr/bin/env bash
# Quick start: installs the dependencies, builds zhsearch, indexes corpus/ into
# ./data/index (incrementally: unchanged files are skipped) and serves it; the server
# prints its URL. Stop it with Ctrl-C.
# Usage: bash scripts/serve.sh [zhsearch-server options, e.g. --listen 127.0.0.1:9000]
#        SKIP_DEPS=1 skips the package install; BUILD_DIR (default build) is where it builds.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ "${SKIP_DEPS:-0}" = 1 ] || bash scripts/install-deps.sh

build=${BUILD_DIR:-build}
[ -x configure ] || autoreconf -fi
mkdir -p "$build"
[ -f "$build/Makefile" ] || (cd "$build" && "$top/configure" -q)
make -s -C "$build" -j"${JOBS:-2}"

# Exit status 1 means some files could not be indexed (they are named above); the rest
# is served.
rc=0
"$build/indexer/zhsearch-index" --db data/index corpus/ || rc=$?
[ "$rc" -le 1 ] || { echo "serve.sh: indexing failed (exit $rc)" >&2; exit "$rc"; }

export ZHSEARCH_WEB=${ZHSEARCH_WEB:-$top/web}
exec "$build/server/zhsearch-server" --db data/index "$@"
