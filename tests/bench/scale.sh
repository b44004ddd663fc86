#!/bin/sh
# scale.sh — the large-corpus benchmark of issue #8: generate COUNT
# articles (corpus/generate.py, paragraphs of the news corpus recombined),
# index them as SHARDS shards, merge the shards into one compacted index
# with Xapian's compactor, and measure query latency over the single
# index, the shards opened locally, and the shards behind one
# xapian-tcpsrv each (tests/bench/shards.sh), in one run.
#
#   tests/bench/scale.sh BUILD_DIR WORK_DIR [COUNT] [SHARDS] [QUERIES] [ROUNDS]
#
# COUNT defaults to 1000000, SHARDS to 4, QUERIES to the first 50 news
# queries of ../shared (bench/news-queries.txt), ROUNDS to 1.  WORK_DIR
# keeps everything (the corpus, both indexes, the logs and report.txt);
# steps whose output is already there are skipped, so an interrupted run
# goes on where it stopped.  A million articles take about 1.4 GB of
# JSONL, 8 GB of shards and 6 GB merged.
# MODE=jobs (default): one `--shard K` job per shard, all at once, with
# --commit-every 30000, then --relink (the way docs/operations.md
# recommends for a large first build); MODE=one: one `--shards SHARDS` job
# with INDEX_OPTIONS (default "--threads 2"), which at 1M articles commits
# few articles per shard and slows down as the shards grow
# (docs/operations.md, "Measured: 1,000,000 articles in 4 shards").  Needs
# GNU time, python3 and xapian-tools.
set -eu
[ $# -ge 2 ] || { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
build=$(cd "$1" && pwd)
work=$2
count=${3:-1000000}
shards=${4:-4}
here=$(cd "$(dirname "$0")" && pwd)
shared=${CYSEARCH_SHARED_DIR:-$here/../../../shared}
queries=${5:-}
rounds=${6:-1}
index=$build/indexer/cysearch-index
for tool in /usr/bin/time xapian-tcpsrv python3; do
  command -v "$tool" >/dev/null || {
    echo "scale.sh: $tool missing (apt-get install time xapian-tools python3)" >&2
    exit 2
  }
done
[ -x "$index" ] || { echo "scale.sh: no $index (build first)" >&2; exit 2; }
mkdir -p "$work"
report=$work/report.txt

corpus=$work/news-$count.jsonl
if [ ! -s "$corpus.done" ]; then
  python3 "$here/../../corpus/generate.py" --count "$count" --seed 7 \
    --out "$corpus"
  echo done >"$corpus.done"
fi
if [ -z "$queries" ]; then
  queries=$work/queries.txt
  head -n 50 "$shared/bench/news-queries.txt" >"$queries"
fi

sharded=$work/sharded
mode=${MODE:-jobs}
if [ ! -s "$work/index.done" ]; then
  rm -rf "$sharded"
  case $mode in
  one)
    # shellcheck disable=SC2086  # INDEX_OPTIONS is a list of words
    /usr/bin/time -v -o "$work/index-0.time" "$index" --quiet --db "$sharded" \
      --shards "$shards" ${INDEX_OPTIONS:---threads 2} \
      --stats-json "$work/index-0.json" "$corpus"
    ;;
  jobs)
    start=$(date +%s)
    k=0
    pids=""
    while [ "$k" -lt "$shards" ]; do
      /usr/bin/time -v -o "$work/index-$k.time" "$index" --quiet \
        --db "$sharded" --shards "$shards" --shard "$k" --threads 1 \
        --commit-every 30000 --stats-json "$work/index-$k.json" \
        "$corpus" &
      pids="$pids $!"
      k=$((k + 1))
    done
    for p in $pids; do wait "$p"; done
    echo $(($(date +%s) - start)) >"$work/index.wall"
    /usr/bin/time -v -o "$work/relink.time" "$index" --quiet --db "$sharded" \
      --relink --stats-json "$work/relink.json"
    ;;
  *) echo "scale.sh: MODE is one or jobs, not '$mode'" >&2; exit 2 ;;
  esac
  echo "$mode" >"$work/index.done"
fi
single=$work/single
if [ ! -s "$work/merge.time" ]; then
  rm -rf "$single"
  /usr/bin/time -v -o "$work/merge.time" "$index" --quiet --db "$sharded" \
    --merge "$single"
fi

# "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02:03" -> seconds
seconds() {
  sed -n 's/.*Elapsed (wall clock) time.*: //p' "$1" |
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }'
}
bytes=$(stat -c %s "$corpus")
{
  echo "articles: $count, $((bytes / 1000000)) MB of JSONL, $shards shards"
  # Jobs run at once: wall is the whole phase, CPU the sum, RSS the largest.
  if [ -s "$work/index.wall" ]; then
    wall=$(cat "$work/index.wall")
  else
    wall=$(seconds "$work/index-0.time")
  fi
  cpu=$(cat "$work"/index-*.time |
    awk '/User time|System time/ { s += $NF } END { print s }')
  rss=$(cat "$work"/index-*.time |
    awk '/Maximum resident set size/ { if ($NF > m) m = $NF } END { print m }')
  awk -v n="$count" -v b="$bytes" -v w="$wall" -v c="$cpu" -v r="$rss" \
    -v m="$(cat "$work/index.done")" 'BEGIN {
    printf "indexing (%s): %.0f s wall, %.0f s CPU, %.0f articles/s, %.2f MB/s, %.2f ms CPU per article, peak RSS %.0f MB per process\n",
      m, w, c, n / w, b / 1e6 / w, c * 1000 / n, r / 1024 }'
  if [ -s "$work/relink.time" ]; then
    echo "relink: $(seconds "$work/relink.time") s wall, $(sed -n 's/.*"keys_changed": *\([0-9]*\).*/\1/p' "$work/relink.json") keys changed"
  fi
  sh_kb=$(du -sk "$sharded" | cut -f1)
  si_kb=$(du -sk "$single" | cut -f1)
  mw=$(seconds "$work/merge.time")
  awk -v n="$count" -v s="$sh_kb" -v m="$si_kb" -v w="$mw" 'BEGIN {
    printf "size: shards as written %.0f MB (%.2f KB/article); merged and compacted %.0f MB (%.2f KB/article), merge %.0f s\n",
      s / 1024, s / n, m / 1024, m / n, w }'
  echo
  sh "$here/shards.sh" "$build" "$single" "$sharded" "$queries" "$rounds"
} | tee "$report"
