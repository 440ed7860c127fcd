#!/usr/bin/env bash
# Installs what the benchmarks need beyond the build dependencies: SQLite (the FTS5
# peer: command line tool and library), wrk (the HTTP load generator), manpages-zh
# (Debian's Simplified Chinese manual pages, the body of real prose gen_corpus draws
# on) and friso-dict (a Chinese word list, where pick_queries finds its query words).
# Run as root (or with sudo). Safe to run again.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends \
    sqlite3 libsqlite3-dev wrk manpages-zh friso-dict zlib1g-dev curl python3
# Some images drop manual pages at install time (a dpkg path-exclude rule).
if [ ! -d /usr/share/man/zh_CN ]; then
    echo "setup.sh: manpages-zh is installed but /usr/share/man/zh_CN is missing;" \
         "remove the path-exclude for /usr/share/man in /etc/dpkg/dpkg.cfg.d/ and reinstall" >&2
    exit 1
fi
echo "setup.sh: done ($(find /usr/share/man/zh_CN -type f | wc -l) Chinese manual pages)"
