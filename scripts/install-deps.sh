#!/usr/bin/env bash
# Installs every Debian 12 package zhsearch needs to build, test and benchmark.
# Run as root (or with sudo). Safe to run again.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends \
    build-essential g++ autoconf automake libtool pkg-config make \
    libxapian-dev xapian-tools libevent-dev libjansson-dev libcunit1-dev \
    libopencc-dev opencc libutf8proc-dev libxml2-dev zlib1g-dev libdeflate-dev libxxhash-dev libjemalloc-dev \
    curl ca-certificates python3 procps
