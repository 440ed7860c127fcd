#!/usr/bin/env bash
# Index benchmark: `zhsearch-index --rebuild` and SQLite FTS5 (trigram tokenizer) index
# the same generated corpus, one after the other in the same run; prints build time,
# MB/s of input, passages/s and index size per input byte. Run from the build tree after
# `make bench`:
#   bash ../bench/bench_index.sh [--docs N] [--seed S]      (default 16000 docs, ~110 MB)
set -euo pipefail
. "$(dirname "$0")/bench_lib.sh"
bench_defaults
while [ $# -gt 0 ]; do
    case $1 in
        --docs) DOCS=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        *) bench_die "usage: bench_index.sh [--docs N] [--seed S]" ;;
    esac
done
index=$(bench_program INDEX indexer/zhsearch-index)
fts5=$(bench_program FTS5_INDEX bench/fts5_index)
bench_corpus

mb=$(awk -v b="$CORPUS_BYTES" 'BEGIN {printf "%.1f", b / 1e6}')
echo "corpus: $DOCS documents, $PASSAGES passages, $mb MB ($CORPUS)"

# zhsearch: a rebuild into a fresh database (bench_server.sh reuses it), with the
# shipped thesaurus as a user's index has it.
db=$WORK/index-$SEED-$DOCS
rm -rf "$db" "$db".[0-9]* "$db.done"
thesaurus=$(dirname "$0")/../thesaurus/zh-policy.txt
t0=$(bench_clock)
"$index" --db "$db" --rebuild --synonyms "$thesaurus" "$CORPUS" 2>"$WORK/index.log" || bench_die "zhsearch-index failed: $(tail -3 "$WORK/index.log")"
t1=$(bench_clock)
zh_secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')
# DIR is a symlink to the generation directory DIR.N the rebuild made: measure that.
zh_bytes=$(du -sb "$(readlink -f "$db")" | cut -f1)
zh_passages=$(grep -oE '[0-9]+ passages' "$WORK/index.log" | tail -1 | cut -d' ' -f1)
touch "$db.done"
tail -1 "$WORK/index.log"

# FTS5: the same passages, from the manifest.
fts5_db=$WORK/fts5-$SEED-$DOCS.db
rm -f "$fts5_db.done"
fts5_line=$("$fts5" --db "$fts5_db" "$MANIFEST")
touch "$fts5_db.done"
echo "$fts5_line"
fts5_secs=$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<<"$fts5_line")
fts5_bytes=$(sed -E 's/.*db_bytes=([0-9]+).*/\1/' <<<"$fts5_line")
fts5_passages=$(sed -E 's/.*passages=([0-9]+).*/\1/' <<<"$fts5_line")

row() { # name seconds index_bytes passages
    awk -v n="$1" -v s="$2" -v ib="$3" -v p="$4" -v b="$CORPUS_BYTES" 'BEGIN {
        printf "%-26s %9.1f %8.2f %12.0f %10.1f %11.2f\n", n, s, b / 1e6 / s, p / s, ib / 1e6, ib / b }'
}
echo
printf "%-26s %9s %8s %12s %10s %11s\n" "engine" "seconds" "MB/s" "passages/s" "index MB" "index/input"
row "zhsearch-index --rebuild" "$zh_secs" "$zh_bytes" "${zh_passages:-$PASSAGES}"
row "sqlite fts5 trigram" "$fts5_secs" "$fts5_bytes" "$fts5_passages"
echo "(MB/s over the corpus files, $mb MB; zhsearch counts its own passages, FTS5 loads the manifest's)"
