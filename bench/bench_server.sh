#!/usr/bin/env bash
# Server benchmark: zhsearch-server under wrk, one run per query class (selective 2/3/4-
# character words, rare words, common words, two-word AND, phrases, filters, Traditional
# queries), next to the same server's /health (this machine's HTTP ceiling) and to SQLite FTS5
# answering the same queries over the same passages (bench/fts5_query). Prints p50/p99
# latency and throughput per class, then both engines in-process on one thread (the
# library through bench/search_query, without HTTP). Run from the build tree after
# `make bench`:
#   bash ../bench/bench_server.sh [--docs N] [--seed S] [--seconds S] [--connections C]
#                                 [--server-threads N]
set -euo pipefail
. "$(dirname "$0")/bench_lib.sh"
bench_defaults
SECONDS_PER_CLASS=10
CONNECTIONS=8
SERVER_THREADS=2
while [ $# -gt 0 ]; do
    case $1 in
        --docs) DOCS=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        --seconds) SECONDS_PER_CLASS=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --server-threads) SERVER_THREADS=$2; shift 2 ;;
        *) bench_die "usage: bench_server.sh [--docs N] [--seed S] [--seconds S] [--connections C] [--server-threads N]" ;;
    esac
done
here=$(cd "$(dirname "$0")" && pwd)
server=$(bench_program SERVER server/zhsearch-server)
pick=$(bench_program PICK_QUERIES bench/pick_queries)
fts5_query=$(bench_program FTS5_QUERY bench/fts5_query)
search_query=$(bench_program SEARCH_QUERY bench/search_query)
command -v wrk >/dev/null || bench_die "wrk not found: run bench/setup.sh"
command -v curl >/dev/null || bench_die "curl not found: run bench/setup.sh"
bench_corpus
[ "$PASSAGES" -ge 100000 ] || echo "warning: only $PASSAGES passages (the aim is measured over 100,000 or more)" >&2

# Indexes and queries, built once per corpus.
db=$WORK/index-$SEED-$DOCS
if [ ! -f "$db.done" ]; then
    rm -rf "$db" "$db".[0-9]*
    echo "indexing $CORPUS with zhsearch-index" >&2
    "$(bench_program INDEX indexer/zhsearch-index)" --db "$db" --rebuild "$CORPUS" >&2
    touch "$db.done"
fi
fts5_db=$WORK/fts5-$SEED-$DOCS.db
if [ ! -f "$fts5_db.done" ]; then
    echo "indexing $MANIFEST with FTS5" >&2
    "$(bench_program FTS5_INDEX bench/fts5_index)" --db "$fts5_db" "$MANIFEST" >&2
    touch "$fts5_db.done"
fi
queries=$WORK/queries-$SEED-$DOCS.tsv
[ -s "$queries" ] || "$pick" --seed "$SEED" "$MANIFEST" >"$queries"
classes=$(cut -f1 "$queries" | uniq)

# The server, on a free loopback port; stopped (by its pid) however this script ends.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
server_pid=
start_server() { # cache-mb
    "$server" --db "$db" --listen "127.0.0.1:$port" --threads "$SERVER_THREADS" --cache-mb "$1" >"$WORK/server.log" 2>&1 &
    server_pid=$!
    trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT
    for _ in $(seq 1 300); do
        curl -fs "$base/health" >/dev/null 2>&1 && break
        kill -0 "$server_pid" 2>/dev/null || bench_die "zhsearch-server exited: $(tail -3 "$WORK/server.log")"
        sleep 0.2
    done
    curl -fs "$base/health" >/dev/null || bench_die "zhsearch-server did not become healthy"
}
stop_server() {
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    trap - EXIT
}
# Every request a search: the response cache is off for the comparison with FTS5.
start_server 0

# Each query once, asking for passages: the server's exact totals (near matches of rare
# words left out) next to the manifest's count.
check=$WORK/check-$SEED-$DOCS.tsv
: >"$check"
while IFS=$'\t' read -r cls q expected path; do
    total=$(curl -fs "$base$path&group=passage&limit=1" | grep -oE '"exact_total": ?[0-9]+' | head -1 | grep -oE '[0-9]+$' || echo -1)
    printf '%s\t%s\t%s\t%s\n' "$cls" "$q" "$expected" "$total" >>"$check"
done < <(awk -F'\t' '{print $1 "\t" $2 "\t" $6 "\t" $7}' "$queries")

# wrk's figures in milliseconds and requests/s: "p50 p99 rps errors"; its own output is
# kept in $WORK/wrk-NAME.txt. Slow answers count (a 30 s timeout), and so do errors.
wrk_run() { # name connections wrk-args...
    local name=$1 connections=$2
    shift 2
    wrk -t1 -c"$connections" -d"${SECONDS_PER_CLASS}s" --timeout 30s --latency "$@" >"$WORK/wrk-$name.txt"
    awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v }
        $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
        /^Requests\/sec:/ { rps = $2 }
        /Non-2xx or 3xx responses:/ { errors += $NF }
        /Socket errors:/ { gsub(/,/, ""); errors += $4 + $6 + $8 + $10 }
        END { printf "%.3f %.3f %.1f %d\n", p50, p99, rps, errors }' "$WORK/wrk-$name.txt"
}
# Latency is measured unloaded (one connection: no queueing in front of the workers),
# throughput under load ($CONNECTIONS connections); the same for FTS5 (1 thread, then
# $SERVER_THREADS threads).
echo "warming up (5 s over every query)" >&2
SECONDS_PER_CLASS=5 wrk_run warmup "$CONNECTIONS" -s "$here/wrk_queries.lua" "$base" -- "$queries" all >/dev/null
declare -A lat tput
lat[health]=$(wrk_run health-c1 1 "$base/health")
tput[health]=$(wrk_run health "$CONNECTIONS" "$base/health")
for cls in $classes; do
    echo "wrk: $cls" >&2
    lat[$cls]=$(wrk_run "$cls-c1" 1 -s "$here/wrk_queries.lua" "$base" -- "$queries" "$cls")
    tput[$cls]=$(wrk_run "$cls" "$CONNECTIONS" -s "$here/wrk_queries.lua" "$base" -- "$queries" "$cls")
done
stop_server

# The same throughput runs with the response cache on (its default size): the query
# mix repeats, so after the warm-up nearly every request is a repeat answered from
# memory. What a front end gets for repeated searches, not what a search costs.
start_server 128
declare -A cached
SECONDS_PER_CLASS=5 wrk_run warmup-cached "$CONNECTIONS" -s "$here/wrk_queries.lua" "$base" -- "$queries" all >/dev/null
# /health again, as the ceiling of this run (the machine's pace drifts between runs).
cached[health]=$(wrk_run health-cached "$CONNECTIONS" "$base/health")
for cls in $classes; do
    echo "wrk (response cache on): $cls" >&2
    cached[$cls]=$(wrk_run "$cls-cached" "$CONNECTIONS" -s "$here/wrk_queries.lua" "$base" -- "$queries" "$cls")
done
stop_server

# "p50 p99 qps" per class from one fts5_query run.
fts5_run() { # threads
    echo "fts5_query: $SECONDS_PER_CLASS s per class on $1 thread(s)" >&2
    "$fts5_query" --db "$fts5_db" --queries "$queries" --seconds "$SECONDS_PER_CLASS" --threads "$1" |
        tee "$WORK/fts5-query-$1.txt" |
        sed -E 's/.*class=([^ ]+) p50_ms=([0-9.]+) p99_ms=([0-9.]+) qps=([0-9.]+).*/\1 \2 \3 \4/'
}
declare -A flat ftput
while read -r cls p50 p99 qps; do flat[$cls]="$p50 $p99 $qps"; done < <(fts5_run 1)
while read -r cls p50 p99 qps; do ftput[$cls]="$p50 $p99 $qps"; done < <(fts5_run "$SERVER_THREADS")
# The library in-process, one thread, as the FTS5 latency run: the searches without HTTP.
echo "search_query: $SECONDS_PER_CLASS s per class" >&2
declare -A zlib
while read -r cls p50 p99 qps; do zlib[$cls]="$p50 $p99 $qps"; done < <(
    "$search_query" --db "$db" --queries "$queries" --seconds "$SECONDS_PER_CLASS" |
        tee "$WORK/search-query.txt" |
        sed -E 's/.*class=([^ ]+) p50_ms=([0-9.]+) p99_ms=([0-9.]+) qps=([0-9.]+).*/\1 \2 \3 \4/')

mb=$(awk -v b="$CORPUS_BYTES" 'BEGIN {printf "%.1f", b / 1e6}')
echo
echo "corpus: $DOCS documents, $PASSAGES passages, $mb MB; $(wc -l <"$queries") queries; ${SECONDS_PER_CLASS}s per run"
echo "latency: wrk -t1 -c1 / fts5_query 1 thread; throughput: wrk -t1 -c$CONNECTIONS, zhsearch-server --threads $SERVER_THREADS / fts5_query $SERVER_THREADS threads"
fmt="%-7s %4s | %8s %8s %9s %7s %5s | %8s %8s %8s | %7s %6s | %9s %7s\n"
printf "$fmt" class n "zh p50" "zh p99" "zh req/s" %health err "fts p50" "fts p99" "fts q/s" passages zh/exp "cached/s" %health
read -r hp50 hp99 _ _ <<<"${lat[health]}"
read -r _ _ hrps herr <<<"${tput[health]}"
read -r _ _ chrps _ <<<"${cached[health]}"
printf "$fmt" health - "$hp50" "$hp99" "$hrps" 100 "$herr" - - - - - "$chrps" 100
for cls in $classes; do
    read -r p50 p99 _ err1 <<<"${lat[$cls]}"
    read -r _ _ rps err2 <<<"${tput[$cls]}"
    read -r fp50 fp99 _ <<<"${flat[$cls]:-- - -}"
    read -r _ _ fqps <<<"${ftput[$cls]:-- - -}"
    n=$(awk -F'\t' -v c="$cls" '$1 == c' "$queries" | wc -l)
    # Mean expected passages per query, and how many queries the server's total agrees on.
    exp=$(awk -F'\t' -v c="$cls" '$1 == c {s += $3; n++} END {printf "%.0f", n ? s / n : 0}' "$check")
    agree=$(awk -F'\t' -v c="$cls" '$1 == c {n++; if ($3 == $4) a++} END {printf "%d/%d", a, n}' "$check")
    read -r _ _ crps err3 <<<"${cached[$cls]}"
    pct=$(awk -v a="$rps" -v h="$hrps" 'BEGIN {printf("%.1f", (h > 0) ? 100 * a / h : 0)}')
    cpct=$(awk -v a="$crps" -v h="$chrps" 'BEGIN {printf("%.1f", (h > 0) ? 100 * a / h : 0)}')
    printf "$fmt" "$cls" "$n" "$p50" "$p99" "$rps" "$pct" $((err1 + err2 + err3)) "$fp50" "$fp99" "$fqps" "$exp" "$agree" "$crps" "$cpct"
done
echo "(ms; zh: every request a search (--cache-mb 0); passages: mean matching passages per query in"
echo " the manifest; zh/exp: queries whose zhsearch group=passage total equals it; FTS5 does not fold"
echo " Traditional passages into Simplified queries; cached/s: requests/s with the response cache on,"
echo " nearly all repeats, next to /health measured in that run)"
echo
echo "in-process, one thread: the library as /search uses it (bench/search_query) / fts5_query"
fmt="%-7s | %8s %8s %9s | %8s %8s %8s\n"
printf "$fmt" class "lib p50" "lib p99" "lib q/s" "fts p50" "fts p99" "fts q/s"
for cls in $classes; do
    read -r zp50 zp99 zqps <<<"${zlib[$cls]:-- - -}"
    read -r fp50 fp99 fqps <<<"${flat[$cls]:-- - -}"
    printf "$fmt" "$cls" "$zp50" "$zp99" "$zqps" "$fp50" "$fp99" "$fqps"
done
