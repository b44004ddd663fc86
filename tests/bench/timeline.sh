#!/bin/sh
# timeline.sh — what a timeline costs (issue #19): bench_timeline runs the
# same queries in one process with --facets year (the yardstick the issue
# names), with --facets year counting every match (as a timeline always
# does; --facets counts exactly up to 10,000 matches and then stops), and
# with timelines by month, week and day, and by month split by actor
# (beside --facets actor counting every match), queries and variants
# interleaved, over a scaled corpus of COUNT articles
# (../shared/bench/scale_corpus.py: paragraphs of the news corpus
# recombined, dates and sources kept).  The report gives the CPU and wall
# milliseconds per query and the CPU ratios to both yardsticks, then the
# same comparison as the CLI runs it, one process per search
# (timeline_cli.py: with a page of hits and with -n 0).
#
#   tests/bench/timeline.sh BUILD_DIR WORK_DIR [COUNT] [QUERIES] [ROUNDS]
#
# COUNT defaults to 100000, QUERIES to the first 50 of
# ../shared/bench/news-queries.txt, ROUNDS to 3.  WORK_DIR keeps the
# corpus and the index (reused when there) and report.md.  BASE_INDEX=DIR
# searches the index DIR instead (read only; COUNT then only labels the
# report).
set -eu
[ $# -ge 2 ] || { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
build=$(cd "$1" && pwd)
work=$2
count=${3:-100000}
nqueries=${4:-50}
rounds=${5:-3}
here=$(cd "$(dirname "$0")" && pwd)
shared=${CYSEARCH_SHARED_DIR:-$here/../../../shared}
[ -r "$shared/corpus/news.jsonl.gz" ] || {
  echo "timeline.sh: no $shared/corpus/news.jsonl.gz" >&2
  exit 2
}
mkdir -p "$work"
corpus=$work/news-$count.jsonl
index=$work/idx-$count
if [ -n "${BASE_INDEX:-}" ]; then
  index=$BASE_INDEX
elif [ ! -s "$corpus.done" ]; then
  python3 "$shared/bench/scale_corpus.py" "$shared/corpus/news.jsonl.gz" \
    "$count" 7 >"$corpus"
  echo done >"$corpus.done"
fi
if [ -z "${BASE_INDEX:-}" ] && [ ! -s "$index.done" ]; then
  rm -rf "$index"
  "$build/indexer/cysearch-index" -q --db "$index" "$corpus"
  echo done >"$index.done"
fi
queries=$work/queries.txt
head -n "$nqueries" "$shared/bench/news-queries.txt" >"$queries"

out=$work/bench.txt
"$build/tests/bench_timeline" --db "$index" --queries "$queries" \
  --rounds "$rounds" >"$out"
report=$work/report.md
{
  echo "Timeline cost, $count articles, $nqueries queries, $rounds rounds, one process, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| variant | CPU ms per query | wall ms per query | CPU ratio to facets-year | CPU ratio to facets-year-all |"
  echo "|---|---:|---:|---:|---:|"
  awk 'NR == FNR { if ($1 == "facets-year") b = $2; if ($1 == "facets-year-all") a = $2; next }
       { printf "| %s | %.2f | %.2f | %.2f | %.2f |\n", $1, $2, $3, $2 / b, $2 / a }' \
    "$out" "$out"
  echo
  echo "As the CLI runs them (one cysearch process per search, 1 round):"
  echo
  python3 "$here/timeline_cli.py" "$build/searcher/cysearch" "$index" \
    "$queries" 1
} >"$report"
cat "$report"
