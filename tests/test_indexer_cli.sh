#!/bin/sh
# End-to-end tests of zhsearch-index: usage, incremental runs (unchanged, updated,
# removed), a file no encoding accepts, --explain, --rebuild under a reader holding the
# old index, plain and locked databases. Run by `make check` from the build directory.
# (The kill -9 test is tests/test_indexer_kill.sh.)
set -u
. "$(dirname "$0")/indexer_test_lib.sh"

# run ARGS...: runs the indexer, status in $rc, stdout/stderr in $tmp/out, $tmp/err
run() { "$IDX" "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }

cp -r "$top_srcdir/corpus" "$tmp/corpus"
chmod -R u+w "$tmp/corpus"
# Neither is a document of a directory walk: the first run counts 5 files.
echo "说明文字。" >"$tmp/corpus/README.md"
cp "$tmp/corpus/004_943963b27e31b63c.txt" "$tmp/corpus/.hidden.txt"
db="$tmp/data/index"
id1=001_fd8bcf01d029cd12
id4=004_943963b27e31b63c

# ---------------------------------------------------------------- usage
run --help
expect "--help exits 0" "$rc" 0
contains "--help shows the usage" "$tmp/out" "Usage: zhsearch-index [--db DIR] [--rebuild] [--explain]"
contains "--help names the default corpus" "$tmp/out" "./corpus if it exists"
contains "--help gives the commit batches of both kinds of run" "$tmp/out" \
    "commit after every N passages (default 5000, and 50000 when building"
run --no-such-option
expect "an unknown option exits 2" "$rc" 2
contains "an unknown option is named" "$tmp/err" "unknown option '--no-such-option'"
run --batch zero "$tmp/corpus"
expect "a bad --batch exits 2" "$rc" 2
run --db "$db" "$tmp/no-such-dir"
expect "a missing PATH exits 2" "$rc" 2
contains "a missing PATH is named" "$tmp/err" "$tmp/no-such-dir: No such file or directory"
[ -e "$db" ] && fail "a usage error created the index" || pass "a usage error writes nothing"
run --db /proc/zhsearch-test/index "$tmp/corpus"
expect "an unwritable --db exits 2" "$rc" 2
contains "an unwritable --db is explained" "$tmp/err" "cannot create directory /proc/zhsearch-test"

# ---------------------------------------------------------------- first run, re-run
run --db "$db" "$tmp/corpus"
expect "indexing the corpus exits 0" "$rc" 0
contains "the first run adds every file" "$tmp/err" \
    "5 files: 5 added, 0 updated, 0 unchanged, 0 removed, 0 failed;"
expect "the index is a link to generation 1" "$(readlink "$db")" index.1
expect "a new index leaves only its link and generation" "$(ls "$tmp/data" | tr '\n' ' ')" \
    "index index.1 "
if grep -q "$(printf '\r')" "$tmp/err"; then fail "no progress bar when stderr is a file"
else pass "no progress bar when stderr is a file"; fi
expect "every file is a document" "$("$PROBE" "$db" count | cut -d' ' -f1,2)" "docs 5"
expect "the fragment 000 has no passage of its own" \
    "$("$PROBE" "$db" term XDOC000_ce5235c9c363ba6f)" 0

run --db "$db" "$tmp/corpus"
expect "a re-run exits 0" "$rc" 0
contains "a re-run finds everything unchanged" "$tmp/err" \
    "5 files: 0 added, 0 updated, 5 unchanged, 0 removed, 0 failed; 0 passages;"

touch "$tmp/corpus/$id4.txt"
run --db "$db" "$tmp/corpus"
contains "a touched but identical file is unchanged" "$tmp/err" "0 updated, 5 unchanged"

# ---------------------------------------------------------------- update, remove
passages_before=$("$PROBE" "$db" term "XDOC$id4")
printf '\n新增一段独一无二的测试文字。\n' >>"$tmp/corpus/$id4.txt"
run --db "$db" "$tmp/corpus"
expect "an update exits 0" "$rc" 0
contains "a modified file is updated" "$tmp/err" "0 added, 1 updated, 4 unchanged, 0 removed"
expect "the updated document has one passage more" "$("$PROBE" "$db" term "XDOC$id4")" \
    $((passages_before + 1))
expect "the new passage is searchable" "$("$PROBE" "$db" search 独一无二的测试文字)" 1

rm "$tmp/corpus/$id4.txt"
run --db "$db" "$tmp/corpus"
expect "a removal exits 0" "$rc" 0
contains "a deleted file is removed" "$tmp/err" "4 files: 0 added, 0 updated, 4 unchanged, 1 removed"
expect "its passages are gone" "$("$PROBE" "$db" term "XDOC$id4")" 0
"$PROBE" "$db" meta "doc:$id4" >/dev/null
expect "its record is gone" "$?" 1
expect "its text is gone" "$("$PROBE" "$db" search 独一无二的测试文字)" 0
# Deleted passages stay stored, unseen, until a rebuild: the update's old version and
# the removed document.
deleted=$((2 * passages_before + 1))
expect "the index keeps the deleted passages" \
    "$("$PROBE" "$db" count | awk '{print $8}')" "$deleted"
contains "the run says how many deleted passages a rebuild would drop" "$tmp/err" \
    "; $deleted deleted passages kept until --rebuild"

# ---------------------------------------------------------------- an undecodable file
printf 'Title line\nA first paragraph.\n' >"$tmp/corpus/bad.txt"
run --db "$db" "$tmp/corpus"
contains "a new file is added" "$tmp/err" "1 added, 0 updated, 4 unchanged"
good_text=$("$PROBE" "$db" meta text:bad)
printf 'Title line\n\377\376\377 broken\n' >"$tmp/corpus/bad.txt"
printf '\n又一段新的内容。\n' >>"$tmp/corpus/$id1.txt"
run --db "$db" "$tmp/corpus"
expect "an undecodable file makes the run exit 1" "$rc" 1
contains "the undecodable file is named once, with its byte offset" "$tmp/err" \
    "corpus/bad.txt: not UTF-8, GB18030 or Big5: byte 11 (0xff) cannot be decoded; skipped"
contains "the rest is indexed" "$tmp/err" "0 added, 1 updated, 3 unchanged, 0 removed, 1 failed"
expect "the undecodable file keeps its last good version" "$("$PROBE" "$db" meta text:bad)" \
    "$good_text"
expect "the other change is searchable" "$("$PROBE" "$db" search 又一段新的内容)" 1
rm "$tmp/corpus/bad.txt"
run --db "$db" "$tmp/corpus"
contains "removing the bad file removes its old version" "$tmp/err" "1 removed, 0 failed"

# ---------------------------------------------------------------- a few damaged bytes
{
    printf '关于推进科技创新的通知\n'
    for _ in $(seq 20); do printf '加快建设国家创新型城市,推动科技企业孵化器发展。\n'; done
    printf '损坏'
} >"$tmp/corpus/damaged.txt"
offset=$(wc -c <"$tmp/corpus/damaged.txt")
printf '\377之后的文字仍可检索。\n' >>"$tmp/corpus/damaged.txt"
run --db "$db" "$tmp/corpus"
expect "a file with a stray byte is indexed" "$rc" 0
contains "the stray byte is named with its offset" "$tmp/err" \
    "corpus/damaged.txt: 1 byte is not utf-8 (the first at byte offset $offset): read as U+FFFD"
contains "it counts as added, not failed" "$tmp/err" "1 added, 0 updated, 4 unchanged, 0 removed, 0 failed"
expect "the text after the stray byte is searchable" "$("$PROBE" "$db" search 之后的文字仍可检索)" 1
rm "$tmp/corpus/damaged.txt"
run --db "$db" "$tmp/corpus"

# ---------------------------------------------------------------- sidecar
printf '{"title": "旁注给出的标题", "date": "2019-05-06"}\n' \
    >"$tmp/corpus/003_a2da86337d7ff50c.meta.json"
run --db "$db" "$tmp/corpus"
contains "a new sidecar updates its document" "$tmp/err" "0 added, 1 updated, 3 unchanged"
contains "the sidecar is not indexed as a file" "$tmp/err" "4 files:"
"$PROBE" "$db" meta doc:003_a2da86337d7ff50c >"$tmp/rec"
contains "the sidecar title is in the record" "$tmp/rec" '"title":"旁注给出的标题"'
contains "the sidecar date is in the record" "$tmp/rec" '"date":"2019-05-06"'

# ---------------------------------------------------------------- --explain
ls -l --time-style=full-iso "$db/" >"$tmp/before"
run --db "$db" --explain "$tmp/corpus"
expect "--explain exits 0" "$rc" 0
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert isinstance(d, list) and len(d) == 4' "$tmp/out"; then
    pass "--explain prints a JSON array of the 4 documents"
else
    fail "--explain output is not a JSON array of 4:"; head -c 400 "$tmp/out"
fi
contains "--explain ends with a summary" "$tmp/err" "explained 4 files (0 failed)"
ls -l --time-style=full-iso "$db/" >"$tmp/after"
cmp -s "$tmp/before" "$tmp/after" && pass "--explain writes nothing" || fail "--explain changed the index"
run --db "$tmp/never" --explain "$tmp/corpus/$id1.txt"
[ -e "$tmp/never" ] && fail "--explain created an index" || pass "--explain creates no index"
# A fragment explained with its parent shows the link and what it inherits; alone, none.
frag="$top_srcdir/corpus/000_ce5235c9c363ba6f.txt"
run --db "$tmp/never" --explain "$frag" "$top_srcdir/corpus/$id1.txt"
expect "--explain links the fragment to its parent" "$(python3 -c '
import json, sys
d = {x["id"]: x for x in json.load(open(sys.argv[1]))}
f = d["000_ce5235c9c363ba6f"]
print(f["fragment_of"], f["title"], f["date"], ",".join(f["inherited"]), d[sys.argv[2]]["fragment_of"])
' "$tmp/out" "$id1")" "$id1 中共广州市委广州市人民政府关于大力推进自主创新加快高新技术产业发展的决定 2009-11-17 title,issuer,date,year None"
run --db "$tmp/never" --explain "$frag"
expect "--explain of the fragment alone links nothing" "$(python3 -c '
import json, sys
f = json.load(open(sys.argv[1]))[0]
print(f["fragment_of"], f["title"], len(f["inherited"]))
' "$tmp/out")" "None None 0"
[ -e "$tmp/never" ] && fail "--explain created an index" || pass "--explain still creates no index"
# ... and to a parent already in the --db index, which it leaves alone.
run --db "$tmp/parent" "$top_srcdir/corpus/$id1.txt"
ls -lR --time-style=full-iso "$tmp/parent/" >"$tmp/before"
run --db "$tmp/parent" --explain "$frag"
expect "--explain links the fragment to a parent in the index" "$(python3 -c '
import json, sys
f = json.load(open(sys.argv[1]))[0]
print(f["fragment_of"], f["date"], ",".join(f["inherited"]))
' "$tmp/out")" "$id1 2009-11-17 title,issuer,date,year"
ls -lR --time-style=full-iso "$tmp/parent/" >"$tmp/after"
cmp -s "$tmp/before" "$tmp/after" && pass "--explain leaves the parent's index alone" \
    || fail "--explain changed the parent's index"

# ---------------------------------------------------------------- --rebuild under a reader
# What a killed rebuild leaves behind: the next rebuild removes it.
mkdir "$tmp/data/index.7.build" && : >"$tmp/data/index.7.build/iamglass"
mkfifo "$tmp/to_reader" "$tmp/from_reader"
"$PROBE" "$db" hold <"$tmp/to_reader" >"$tmp/from_reader" &
pid=$!
exec 3>"$tmp/to_reader" 4<"$tmp/from_reader"
read -r opened <&4
case "$opened" in
"open 0 "* | "") fail "the reader did not read the index: '$opened'" ;;
"open "*) pass "a reader holds the index open ($opened)" ;;
esac
run --db "$db" --rebuild "$tmp/corpus"
expect "--rebuild exits 0" "$rc" 0
contains "--rebuild adds everything afresh" "$tmp/err" "4 files: 4 added, 0 updated, 0 unchanged"
expect "--rebuild switches to generation 2" "$(readlink "$db")" index.2
expect "--rebuild leaves the deleted passages behind" \
    "$("$PROBE" "$db" count | awk '{print $8}')" 0
if grep -q "deleted passages" "$tmp/err"; then fail "--rebuild still reports deleted passages"
else pass "--rebuild reports no deleted passages"; fi
expect "the old generation and the leftovers are removed" "$(ls "$tmp/data" | tr '\n' ' ')" \
    "index index.2 "
echo again >&3
read -r reread <&4
expect "a reader holding the old index still reads all of it" "${reread#read }" "${opened#open }"
exec 3>&- 4<&-
wait "$pid"
pid=
expect "the rebuilt index has the same documents" "$("$PROBE" "$db" count | cut -d' ' -f1,2)" \
    "docs 4"
run --db "$db" "$tmp/corpus"
contains "a run after --rebuild finds everything unchanged" "$tmp/err" "0 added, 0 updated, 4 unchanged"

# ---------------------------------------------------------------- locked, plain
mkfifo "$tmp/to_locker" "$tmp/from_locker"
"$PROBE" "$db" lock <"$tmp/to_locker" >"$tmp/from_locker" &
pid=$!
exec 3>"$tmp/to_locker" 4<"$tmp/from_locker"
read -r locked <&4
run --db "$db" "$tmp/corpus"
expect "a locked index exits 2" "$rc" 2
contains "a locked index is explained" "$tmp/err" "is locked by another writer"
run --db "$db" --rebuild "$tmp/corpus"
expect "--rebuild of a locked index exits 2" "$rc" 2
expect "--rebuild of a locked index leaves nothing" "$(ls "$tmp/data" | tr '\n' ' ')" \
    "index index.2 "

exec 3>&- 4<&-
wait "$pid"
pid=

cp -r "$tmp/data/index.2" "$tmp/plain"
run --db "$tmp/plain" "$tmp/corpus"
expect "indexing into a plain Xapian directory exits 0" "$rc" 0
contains "a plain directory is used as it is" "$tmp/err" "4 unchanged"
run --db "$tmp/plain" --rebuild "$tmp/corpus"
expect "--rebuild of a plain directory exits 2" "$rc" 2
contains "--rebuild of a plain directory is explained" "$tmp/err" "is not an index link made by zhsearch-index"
mkdir "$tmp/notxapian" && echo x >"$tmp/notxapian/file"
run --db "$tmp/notxapian" "$tmp/corpus"
expect "a directory holding something else is refused" "$rc" 2

# ---------------------------------------------------------------- a fragment before its parent
run --db "$tmp/frag" "$tmp/corpus/000_ce5235c9c363ba6f.txt"
expect "a fragment alone has all its passages" "$("$PROBE" "$tmp/frag" term XDOC000_ce5235c9c363ba6f)" \
    "$(grep -c '[^[:space:]]' "$tmp/corpus/000_ce5235c9c363ba6f.txt")"
run --db "$tmp/frag" "$tmp/corpus"
"$PROBE" "$tmp/frag" meta doc:000_ce5235c9c363ba6f >"$tmp/rec"
contains "a later run links the fragment to its parent" "$tmp/rec" '"fragment_of":"001_fd8bcf01d029cd12"'
expect "the fragment's passages are then indexed once, under the parent" \
    "$("$PROBE" "$tmp/frag" term XDOC000_ce5235c9c363ba6f)" 0

# ---------------------------------------------------------------- a page saved as HTML
mkdir "$tmp/pages"
cat >"$tmp/pages/notice_2019.html" <<'HTML'
<!DOCTYPE html>
<html><head><title>首页 &gt; 通知公告</title><script>var q = "独特的脚本文字";</script></head>
<body><div class="nav">首页 &gt; 通知公告</div>
<h1>广州市人民政府关于加强网页归档管理的通知</h1>
<p>发布时间:2019/05/06 10:00:00</p>
<p>一、总体要求</p>
<p>(一)<b>网页归档</b>应当完整保存页面正文。(市档案局牵头,市科技局配合)</p>
</body></html>
HTML
run --db "$tmp/pages-db" "$tmp/pages"
contains "a directory walk picks up .html pages" "$tmp/err" "1 files: 1 added"
"$PROBE" "$tmp/pages-db" meta doc:notice_2019 >"$tmp/rec"
contains "the page's title is its heading" "$tmp/rec" '"title":"广州市人民政府关于加强网页归档管理的通知"'
contains "the page's date is read" "$tmp/rec" '"date":"2019-05-06"'
expect "the page's text is searchable across its inline tags" \
    "$("$PROBE" "$tmp/pages-db" search 网页归档应当完整保存)" 1
expect "the page's script is not indexed" "$("$PROBE" "$tmp/pages-db" search 独特的脚本文字)" 0
expect "the page's department note is read" "$("$PROBE" "$tmp/pages-db" term XDEPT市档案局)" 1

# ---------------------------------------------------------------- a terminal
if command -v script >/dev/null; then
    rm -rf "$tmp/tty"
    script -qc "'$IDX' --db '$tmp/tty' '$tmp/corpus'" /dev/null >"$tmp/ttyout" 2>&1
    contains "a progress bar is drawn when stderr is a terminal" "$tmp/ttyout" "] 1/4 files, "
    contains "the summary follows the progress bar" "$tmp/ttyout" "4 files: 4 added"
fi

# ---------------------------------------------------------------- synonyms
printf '# 测试\n减税 => 税收优惠, 免税\n孵化器, 众创空间\n' >"$tmp/syn.txt"
run --db "$tmp/syn-db" --synonyms "$tmp/syn.txt" "$tmp/corpus"
expect "--synonyms FILE exits 0" "$rc" 0
contains "the run says where its synonyms came from" "$tmp/err" "synonyms from $tmp/syn.txt: 2 entries"
expect "a one-way line is stored one way" "$("$PROBE" "$tmp/syn-db" synonyms 减税)" "免税,税收优惠"
expect "... not the other" "$("$PROBE" "$tmp/syn-db" synonyms 免税)" ""
expect "equivalents are stored both ways" "$("$PROBE" "$tmp/syn-db" synonyms 众创空间)" "孵化器"
run --db "$tmp/syn-db" --synonyms "$tmp/syn.txt" "$tmp/corpus"
if grep -q "synonyms from" "$tmp/err"; then fail "the same thesaurus again is reported as a change"
else pass "the same thesaurus again changes nothing"; fi
printf '减税 => 退税\n孵化器\n' >"$tmp/bad-syn.txt"
run --db "$tmp/syn-db" --synonyms "$tmp/bad-syn.txt" "$tmp/corpus"
expect "a malformed thesaurus exits 2" "$rc" 2
contains "a malformed thesaurus names its line" "$tmp/err" \
    "bad-syn.txt:2: a list of equivalents needs two terms or more: '孵化器'"
expect "a malformed thesaurus changes nothing" "$("$PROBE" "$tmp/syn-db" synonyms 减税)" "免税,税收优惠"
run --db "$tmp/syn-db" --synonyms "$tmp/no-such.txt" "$tmp/corpus"
expect "a missing thesaurus exits 2" "$rc" 2
contains "a missing thesaurus is named" "$tmp/err" "cannot open the thesaurus $tmp/no-such.txt"
run --db "$tmp/syn-db" --synonyms none "$tmp/corpus"
expect "--synonyms none empties the table" "$("$PROBE" "$tmp/syn-db" synonyms 减税)" ""
run --db "$tmp/syn-db" --synonyms "$top_srcdir/thesaurus/zh-policy.txt" "$tmp/corpus"
expect "the shipped thesaurus is accepted" "$rc" 0
expect "the shipped thesaurus widens 减税" \
    "$("$PROBE" "$tmp/syn-db" synonyms 减税 | grep -c 税收优惠)" 1

# ---------------------------------------------------------------- defaults
mkdir "$tmp/cwd" && cp -r "$tmp/corpus" "$tmp/cwd/corpus"
(cd "$tmp/cwd" && "$IDX" >"$tmp/out" 2>"$tmp/err")
expect "without arguments the ./corpus is indexed into ./data/index" \
    "$(readlink "$tmp/cwd/data/index")" index.1
contains "without arguments every corpus file is added" "$tmp/err" "4 files: 4 added"
mkdir "$tmp/cwd/thesaurus" && printf '减税 => 免税\n' >"$tmp/cwd/thesaurus/zh-policy.txt"
(cd "$tmp/cwd" && "$IDX" >"$tmp/out" 2>"$tmp/err")
expect "without --synonyms the ./thesaurus/zh-policy.txt is stored" \
    "$("$PROBE" "$tmp/cwd/data/index" synonyms 减税)" "免税"
ZHSEARCH_DB="$tmp/envdb" "$IDX" "$tmp/corpus/$id1.txt" >"$tmp/out" 2>"$tmp/err"
expect "\$ZHSEARCH_DB names the default index" "$(readlink "$tmp/envdb")" envdb.1

finish
