#!/bin/sh
# watch.sh — the cost of cysearch --watch (issue #19): a watch list of
# SEARCHES saved searches run after an indexing job of NEW articles over
# an index of COUNT articles in all.
#
#   tests/bench/watch.sh BUILD_DIR WORK_DIR [COUNT] [NEW] [SEARCHES] [ROUNDS]
#
# COUNT defaults to 100000, NEW to 1000, SEARCHES to 50 (the first
# SEARCHES - 10 news queries of ../shared, bench/news-queries.txt, and 10
# with filters), ROUNDS to 5.  The corpus is ../shared's news corpus
# recombined to COUNT articles (bench/scale_corpus.py: syndication-heavy,
# as real feeds are); COUNT - NEW are indexed (run 1), the watch list's
# first run records where the index stands, the last NEW are indexed (run
# 2), and the watch is timed ROUNDS times from the same state (it is put
# back before each round), with the wall time of each round and the
# median printed, and the new stories it found.  WORK_DIR keeps the
# corpus and the index; steps whose output is there are skipped.
set -eu
[ $# -ge 2 ] || { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
build=$(cd "$1" && pwd)
work=$2
count=${3:-100000}
new=${4:-1000}
searches=${5:-50}
rounds=${6:-5}
here=$(cd "$(dirname "$0")" && pwd)
shared=${CYSEARCH_SHARED_DIR:-$here/../../../shared}
index=$build/indexer/cysearch-index
search=$build/searcher/cysearch
mkdir -p "$work"
db=$work/db

if [ ! -s "$work/base.jsonl" ]; then
  python3 "$shared/bench/scale_corpus.py" "$shared/corpus/news.jsonl.gz" \
    "$count" 19 >"$work/all.jsonl"
  head -n $((count - new)) "$work/all.jsonl" >"$work/base.jsonl"
  tail -n "$new" "$work/all.jsonl" >"$work/new.jsonl"
  rm "$work/all.jsonl"
fi

{
  head -n $((searches - 10)) "$shared/bench/news-queries.txt" |
    awk '{ printf "q%d\t%s\n", NR, $0 }'
  printf '%s\t%s\n' f1 'country:CN' f2 'country:RU espionage' \
    f3 'actor:APT28' f4 'vendor:Microsoft' f5 'malware:WannaCry' \
    f6 'agency:NSA' f7 'source:thehackernews.com' f8 'year:2021' \
    f9 'ransomware country:US' f10 'cve:CVE-2017-0144'
} >"$work/watch.tsv"

if [ ! -e "$work/base.done" ]; then
  rm -rf "$db"
  "$index" -q --db "$db" --commit-every 50000 "$work/base.jsonl"
  "$search" --db "$db" --watch "$work/watch.tsv" --state "$work/state" 2>/dev/null \
    || [ $? -eq 3 ]
  "$index" -q --db "$db" "$work/new.jsonl"
  cp "$work/state" "$work/state.before"
  touch "$work/base.done"
fi

times=""
for r in $(seq "$rounds"); do
  cp "$work/state.before" "$work/state"
  t0=$(date +%s.%N)
  status=0
  "$search" --db "$db" --watch "$work/watch.tsv" --state "$work/state" \
    >"$work/out.txt" || status=$?
  t1=$(date +%s.%N)
  [ "$status" -eq 0 ] || [ "$status" -eq 3 ] || exit "$status"
  t=$(echo "$t1 - $t0" | bc)
  times="$times $t"
  echo "round $r: $t s"
done
echo "$times" | tr ' ' '\n' | grep . | sort -n |
  awk -v n="$rounds" '{ a[NR] = $1 } END { printf "median: %.3f s\n", a[int((n + 1) / 2)] }'
echo "new stories printed: $(grep -c '^  ' "$work/out.txt" || true) for" \
  "$(grep -c . "$work/watch.tsv") saved searches, after a job of $new" \
  "articles at $count"
