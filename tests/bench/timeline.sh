#!/bin/sh
# timeline.sh — what a timeline costs (issue #19): the same queries, in one
# process each (--queries), with --facets year (the yardstick the issue
# names) and with --timeline month, week, day and month split by --facets
# actor, over a scaled corpus of COUNT articles
# (../shared/bench/scale_corpus.py: paragraphs of the news corpus
# recombined, dates and sources kept).  The shapes run in turns, ROUNDS
# times, so that load on a shared machine falls on all of them alike;
# the report gives each shape's median batch time and its ratio to
# --facets year.  A timeline counts every match; --facets counts up to
# the search's exact_total (10,000) and estimates past it, so a second
# yardstick, --facets year --no-collapse, is shown beside it.
#
#   tests/bench/timeline.sh BUILD_DIR WORK_DIR [COUNT] [QUERIES] [ROUNDS]
#
# COUNT defaults to 100000, QUERIES to the first 50 of
# ../shared/bench/news-queries.txt, ROUNDS to 5.  WORK_DIR keeps the
# corpus and the index (reused when there) and report.md.
set -eu
[ $# -ge 2 ] || { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
build=$(cd "$1" && pwd)
work=$2
count=${3:-100000}
nqueries=${4:-50}
rounds=${5:-5}
here=$(cd "$(dirname "$0")" && pwd)
shared=${CYSEARCH_SHARED_DIR:-$here/../../../shared}
[ -r "$shared/corpus/news.jsonl.gz" ] || {
  echo "timeline.sh: no $shared/corpus/news.jsonl.gz" >&2
  exit 2
}
mkdir -p "$work"
corpus=$work/news-$count.jsonl
index=$work/idx-$count
if [ ! -s "$corpus.done" ]; then
  python3 "$shared/bench/scale_corpus.py" "$shared/corpus/news.jsonl.gz" \
    "$count" 7 >"$corpus"
  echo done >"$corpus.done"
fi
if [ ! -s "$index.done" ]; then
  rm -rf "$index"
  "$build/indexer/cysearch-index" -q --db "$index" "$corpus"
  echo done >"$index.done"
fi
queries=$work/queries.txt
head -n "$nqueries" "$shared/bench/news-queries.txt" >"$queries"

# shape NAME OPTIONS...: the seconds of one batch, appended to NAME.times
shape() {
  _name=$1
  shift
  _t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  "$build/searcher/cysearch" --db "$index" -n 0 --no-suggest "$@" \
    --queries "$queries" >"$work/$_name.out"
  _t1=$(date +%s.%N)
  echo "$_t0 $_t1" | awk '{printf "%.4f\n", $2 - $1}' >>"$work/$_name.times"
}
shapes="facets-year facets-year-nocollapse timeline-month timeline-week timeline-day timeline-month-actor"
for s in $shapes; do rm -f "$work/$s.times"; done
r=0
while [ "$r" -lt "$rounds" ]; do
  shape facets-year --facets year
  shape facets-year-nocollapse --facets year --no-collapse
  shape timeline-month --timeline month
  shape timeline-week --timeline week
  shape timeline-day --timeline day
  shape timeline-month-actor --timeline month --facets actor --facet-limit 5
  r=$((r + 1))
done

median() { sort -n "$1" | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
base=$(median "$work/facets-year.times")
report=$work/report.md
{
  echo "Timeline cost, $count articles, $nqueries queries per batch, median of $rounds rounds"
  echo
  echo "| shape | batch seconds | per query (ms) | ratio to --facets year |"
  echo "|---|---:|---:|---:|"
  for s in $shapes; do
    m=$(median "$work/$s.times")
    echo "$s $m $base $nqueries" |
      awk '{printf "| %s | %.3f | %.1f | %.2f |\n", $1, $2, 1000 * $2 / $4, $2 / $3}'
  done
} >"$report"
cat "$report"
