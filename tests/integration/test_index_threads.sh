#!/bin/sh
# test_index_threads.sh — cysearch-index --threads N: the index does not
# depend on N.  The same input (the sample, a changed copy of one article,
# bad lines among good ones; and the news corpus in ../shared when there)
# indexed with --threads 1 and --threads 4 must give byte-identical Xapian
# tables (the writer does the same operations in the same order), the same
# values for every document, and the same messages in the same order.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"
# Runs record their time (index-format.md, "Runs"): fixed, so that indexes
# built apart can be compared byte for byte.
SOURCE_DATE_EPOCH=1764547200
export SOURCE_DATE_EPOCH

# The sample, then a replacement of its first article within the same run,
# then lines the indexer must skip, then one more good article.
IN="$WORK/mixed.jsonl"
cat "$SAMPLE" >"$IN"
pycheck "$SAMPLE" "$IN" <<'EOF'
src, dst = sys.argv[1:3]
arts = load_jsonl(src)
changed = dict(arts[0])
changed["body"] = (changed.get("body") or "") + " A later correction: the attackers were Lazarus."
extra = {"id": "threads-extra", "title": "CVE-2021-44228 in Log4j exploited by APT28",
         "date": "2021-12-10", "body": "Russia and China were named. CVE-2021-45046 too."}
with open(dst, "a", encoding="utf-8") as f:
    f.write(json.dumps(changed) + "\n")
    f.write("{not json\n")
    f.write(json.dumps({"id": "no-text"}) + "\n")
    f.write("[\"an array, not an object\"]\n")  # after a writer-side refusal
    f.write(json.dumps(extra) + "\n")
check(True, "mixed input written")
EOF

same_index() { # DESC DIR1 DIR2
  differ=
  for t in docdata position postlist termlist; do
    if [ -f "$2/$t.glass" ] || [ -f "$3/$t.glass" ]; then
      cmp -s "$2/$t.glass" "$3/$t.glass" || differ="$differ $t"
    fi
  done
  check_eq "$1: the same Xapian tables" "" "$differ"
  for s in 0 1 2 3; do
    xapian-delve -1 -V$s "$2" >"$WORK/a.values" 2>&1 || true
    xapian-delve -1 -V$s "$3" >"$WORK/b.values" 2>&1 || true
    if cmp -s "$WORK/a.values" "$WORK/b.values"; then
      pass "$1: the same values in slot $s"
    else
      fail "$1: the same values in slot $s" "$(diff "$WORK/a.values" "$WORK/b.values" | head -n 6)"
    fi
  done
}

command -v xapian-delve >/dev/null 2>&1 ||
  skip "xapian-delve (xapian-tools) is needed to read the indexes"

run t1 "$CYSEARCH_INDEX" --db "$WORK/t1" --threads 1 "$IN"
check_status "--threads 1 (some lines skipped)" 3
run t4 "$CYSEARCH_INDEX" --db "$WORK/t4" --threads 4 "$IN"
check_status "--threads 4 (some lines skipped)" 3
same_index "mixed input, 1 and 4 threads" "$WORK/t1" "$WORK/t4"
# The messages, without the timing part of the summary.
sed 's/ in [0-9.]* s (.*MB\/s)//' "$WORK/t1.err" >"$WORK/t1.msgs"
sed 's/ in [0-9.]* s (.*MB\/s)//' "$WORK/t4.err" >"$WORK/t4.msgs"
check_eq "the same messages in the same order" "$(cat "$WORK/t1.msgs")" "$(cat "$WORK/t4.msgs")"
check_file_contains "the replacement within the run is counted" "$WORK/t4.err" "1 replaced"
check_file_contains "a bad line is reported with its line number" "$WORK/t4.err" "mixed.jsonl:34"

# A second run over both: nothing is added; the article that is in the
# input twice (two versions) is replaced twice, the rest unchanged; and the
# two indexes are still the same.
run again1 "$CYSEARCH_INDEX" --db "$WORK/t1" --threads 1 "$IN"
run again "$CYSEARCH_INDEX" --db "$WORK/t4" --threads 3 "$IN"
check_eq "second run with threads: 0 added, 2 replaced, 32 unchanged" "0 2 32" \
  "$(summary_num "$WORK/again.err" added) $(summary_num "$WORK/again.err" replaced) $(summary_num "$WORK/again.err" unchanged)"
same_index "after a second run with 1 and 3 threads" "$WORK/t1" "$WORK/t4"

# --strict stops at the first problem whatever N.
run s1 "$CYSEARCH_INDEX" --db "$WORK/s1" --threads 1 --strict "$IN"
run s4 "$CYSEARCH_INDEX" --db "$WORK/s4" --threads 4 --strict "$IN"
check_eq "--strict: the same exit status" 1 "$STATUS"
check_eq "--strict: the same summary with 1 and 4 threads" \
  "$(grep -c . "$WORK/s1.err")" "$(grep -c . "$WORK/s4.err")"

run zero "$CYSEARCH_INDEX" --db "$WORK/z" --threads 0 "$IN"
check_status "--threads 0 is a usage error" 2

# Commits in the middle (every 7 articles) and 3 shards change nothing.
run c1 "$CYSEARCH_INDEX" --db "$WORK/c1" --threads 1 --commit-every 7 --shards 3 "$IN"
run c4 "$CYSEARCH_INDEX" --db "$WORK/c4" --threads 4 --commit-every 7 --shards 3 "$IN"
for s in 00 01 02; do
  same_index "3 shards, commit every 7, shard $s" "$WORK/c1/shard-$s" "$WORK/c4/shard-$s"
done

if [ -n "$CYSEARCH_SHARED_DIR" ] && [ -r "$CYSEARCH_SHARED_DIR/corpus/news.jsonl.gz" ]; then
  NEWS=$CYSEARCH_SHARED_DIR/corpus/news.jsonl.gz
  run n1 "$CYSEARCH_INDEX" --db "$WORK/n1" --threads 1 "$NEWS"
  check_status "news corpus, 1 thread" 0
  run n4 "$CYSEARCH_INDEX" --db "$WORK/n4" --threads 4 "$NEWS"
  check_status "news corpus, 4 threads" 0
  same_index "news corpus, 1 and 4 threads" "$WORK/n1" "$WORK/n4"
else
  printf 'note: ../shared absent; the news corpus part is left out\n'
fi
finish
