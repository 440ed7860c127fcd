#!/bin/sh
# zhsearch-index killed with SIGKILL in the middle of a large run: the index must still
# open and answer searches (its last commit), and the next run must complete and hold
# every file. The corpus is generated from the seed documents (varied ids and text).
set -u
. "$(dirname "$0")/indexer_test_lib.sh"
NFILES=${ZHS_KILL_TEST_FILES:-2000}

# NFILES files of a few KB: the first lines of a seed document, every line made unique.
mkdir "$tmp/corpus"
seeds=$(ls "$top_srcdir"/corpus/*.txt)
i=0
while [ "$i" -lt "$NFILES" ]; do
    for seed in $seeds; do
        [ "$i" -lt "$NFILES" ] || break
        d=$(printf '%s/corpus/%02d' "$tmp" $((i % 50)))
        mkdir -p "$d"
        head -n 12 "$seed" | sed "/[^[:space:]]/ s/\$/（第${i}号）/" >"$d/gen$(printf %05d $i).txt"
        i=$((i + 1))
    done
done
db="$tmp/index"

# A first run builds the index from one directory (a new index is linked only when
# complete); the large run then updates it in place, committing as it goes.
"$IDX" --db "$db" "$tmp/corpus/00" >"$tmp/out0" 2>"$tmp/err0"
expect "the first run indexes one directory" "$?" 0
first=$("$PROBE" "$db" count)
first_docs=$(echo "$first" | awk '{print $2}')
first_passages=$(echo "$first" | awk '{print $4}')

# A small batch: commits come early and often.
"$IDX" --db "$db" --batch 100 "$tmp/corpus" >"$tmp/out1" 2>"$tmp/err1" &
pid=$!
# Wait (polling, not timing) until a new commit is visible, or the run ends.
seen=0
while kill -0 "$pid" 2>/dev/null; do
    p=$("$PROBE" "$db" count 2>/dev/null | awk '{print $4}')
    if [ -n "$p" ] && [ "$p" -gt "$first_passages" ]; then
        seen=1
        break
    fi
    sleep 0.05
done
kill -9 "$pid" 2>/dev/null
wait "$pid"
status=$?
pid=
expect "a commit was visible while the indexer ran" "$seen" 1
expect "the indexer died of SIGKILL (it had not finished)" "$status" 137

count=$("$PROBE" "$db" count)
docs=$(echo "$count" | awk '{print $2}')
files=$(echo "$count" | awk '{print $6}')
[ -n "$docs" ] && [ "$docs" -gt "$first_docs" ] && [ "$docs" -lt "$NFILES" ] \
    && pass "the killed index opens with part of the files ($count)" \
    || fail "the killed index: '$count'"
expect "every committed document has its file state" "$files" "$docs"
hits=$("$PROBE" "$db" search 广州)
[ -n "$hits" ] && [ "$hits" -gt 0 ] && pass "the killed index answers a search ($hits hits)" \
    || fail "the killed index does not answer a search: '$hits'"

"$IDX" --db "$db" "$tmp/corpus" >"$tmp/out2" 2>"$tmp/err2"
expect "the next run (the killed writer's lock is gone) exits 0" "$?" 0
tail -n 1 "$tmp/err2"
counts=$(sed -n 's/.* files: \([0-9]*\) added, 0 updated, \([0-9]*\) unchanged, 0 removed, 0 failed.*/\1 \2/p' "$tmp/err2")
expect "the next run keeps the committed files and adds the others" \
    "$(echo "$counts" | awk '{print $1 + $2, $2}')" "$NFILES $docs"
expect "the finished index holds every file" "$("$PROBE" "$db" count | awk '{print $2, $6}')" \
    "$NFILES $NFILES"
last=$("$PROBE" "$db" term "XDOCgen$(printf %05d $((NFILES - 1)))")
[ "$last" -gt 0 ] && pass "the last file has passages ($last)" || fail "the last file has none"
expect "every passage of the last file is searchable by its unique mark" \
    "$("$PROBE" "$db" search "第$((NFILES - 1))号")" "$last"

finish
