#!/bin/sh
# watch.sh — the cost of cysearch --watch (issue #19): a watch list of 50
# saved searches run after an indexing job of NEW articles over an index
# of COUNT articles.
#
#   tests/bench/watch.sh BUILD_DIR WORK_DIR [COUNT] [NEW] [ROUNDS]
#
# COUNT defaults to 100000, NEW to 1000, ROUNDS to 3.  The saved searches
# are the first 20 news queries of ../shared (bench/news-queries.txt) and
# 30 entity filters (actors, vendors, countries, CVEs, malware).  The
# articles are ../shared's news corpus recombined (bench/scale_corpus.py:
# syndication-heavy, as real feeds are): COUNT - NEW are indexed (run 1),
# the watch list's first run records where the index stands, NEW more are
# indexed (run 2), and the watch is timed ROUNDS times from that state
# (put back before each round): wall and CPU (user + system) seconds of
# each round and their medians, and the new stories printed.
#   BASE_INDEX=DIR  start from a copy of the index DIR (read only; e.g. the
#                   shared 100,000-article index) instead of building one;
#                   the NEW articles then come from another seed, with ids
#                   of their own
#   BEFORE=BUILD    also time BUILD's cysearch in the same rounds,
#                   alternating which goes first, check that both print the
#                   same, and give the ratio of the medians
# WORK_DIR keeps the corpus and the index; steps whose output is there are
# skipped (remove WORK_DIR to start again).
set -eu
[ $# -ge 2 ] || { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
build=$(cd "$1" && pwd)
work=$2
count=${3:-100000}
new=${4:-1000}
rounds=${5:-3}
here=$(cd "$(dirname "$0")" && pwd)
shared=${CYSEARCH_SHARED_DIR:-$here/../../../shared}
index=$build/indexer/cysearch-index
mkdir -p "$work"
db=$work/db

if [ ! -s "$work/new.jsonl" ]; then
  if [ -n "${BASE_INDEX:-}" ]; then
    python3 "$shared/bench/scale_corpus.py" "$shared/corpus/news.jsonl.gz" \
      "$new" 99 | sed 's/"id": "syn-/"id": "watch-new-/' >"$work/new.jsonl"
  else
    python3 "$shared/bench/scale_corpus.py" "$shared/corpus/news.jsonl.gz" \
      "$count" 19 >"$work/all.jsonl"
    head -n $((count - new)) "$work/all.jsonl" >"$work/base.jsonl"
    tail -n "$new" "$work/all.jsonl" >"$work/new.jsonl"
    rm "$work/all.jsonl"
  fi
fi

{
  head -n 20 "$shared/bench/news-queries.txt" |
    awk '{ printf "q%d\t%s\n", NR, $0 }'
  printf '%s\t%s\n' \
    a1 'actor:APT28' a2 'actor:"Lazarus Group"' a3 'actor:Anonymous' \
    a4 'actor:APT29' a5 'actor:Sandworm' a6 'actor:"Equation Group"' \
    a7 'actor:APT41' a8 'actor:Magecart' \
    v1 'vendor:Microsoft' v2 'vendor:Google' v3 'vendor:Apple' \
    v4 'vendor:Cisco' v5 'vendor:Adobe zero-day' v6 'vendor:Kaspersky' \
    v7 'vendor:Mandiant' v8 'vendor:Symantec' \
    c1 'country:CN' c2 'country:RU espionage' c3 'country:IR' \
    c4 'country:KP' c5 'actor-country:RU' c6 'country:UA' \
    c7 'country:IL hackers' \
    e1 'cve:CVE-2017-11882' e2 'cve:CVE-2017-0144' e3 'cve:CVE-2021-26855' \
    e4 'cve:CVE-2019-19781' \
    m1 'malware:WannaCry' m2 'malware:Mirai' m3 'malware:Stuxnet'
} >"$work/watch.tsv"

if [ ! -e "$work/base.done" ]; then
  rm -rf "$db"
  if [ -n "${BASE_INDEX:-}" ]; then
    cp -a "$BASE_INDEX" "$db"
  else
    "$index" -q --db "$db" "$work/base.jsonl"
  fi
  "$build/searcher/cysearch" --db "$db" --watch "$work/watch.tsv" \
    --state "$work/state" 2>/dev/null || [ $? -eq 3 ]
  "$index" -q --db "$db" "$work/new.jsonl"
  cp "$work/state" "$work/state.before"
  touch "$work/base.done"
fi

# One timed watch run of BUILD's cysearch; appends "wall cpu" to FILE.
timed_watch() {
  cp "$work/state.before" "$work/state"
  status=0
  /usr/bin/time -f '%e %U %S' -o "$work/time.txt" \
    "$1/searcher/cysearch" --db "$db" --watch "$work/watch.tsv" \
    --state "$work/state" >"$work/out.$2.txt" || status=$?
  [ "$status" -eq 0 ] || [ "$status" -eq 3 ] || exit "$status"
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$work/time.txt" >>"$work/times.$2"
  tail -n 1 "$work/times.$2"
}

median() { # column $2 of file $1
  sort -n -k "$2" "$1" | awk -v c="$2" '{ a[NR] = $c }
    END { printf "%.2f", a[int((NR + 1) / 2)] }'
}

rm -f "$work/times.after" "$work/times.before"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$rounds"); do
  if [ -n "${BEFORE:-}" ] && [ $((r % 2)) -eq 1 ]; then
    echo "round $r: before $(timed_watch "$BEFORE" before) (wall cpu s)"
  fi
  echo "round $r: after  $(timed_watch "$build" after) (wall cpu s)"
  if [ -n "${BEFORE:-}" ] && [ $((r % 2)) -eq 0 ]; then
    echo "round $r: before $(timed_watch "$BEFORE" before) (wall cpu s)"
  fi
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
wall=$(median "$work/times.after" 1)
cpu=$(median "$work/times.after" 2)
echo "median: wall $wall s, cpu $cpu s"
if [ -n "${BEFORE:-}" ]; then
  bwall=$(median "$work/times.before" 1)
  bcpu=$(median "$work/times.before" 2)
  echo "before: wall $bwall s, cpu $bcpu s; after/before: wall" \
    "$(echo "$wall / $bwall" | bc -l | cut -c1-4), cpu" \
    "$(echo "$cpu / $bcpu" | bc -l | cut -c1-4)"
  if cmp -s "$work/out.after.txt" "$work/out.before.txt"; then
    echo "both print the same"
  else
    echo "the two builds print different stories" >&2
    exit 1
  fi
fi
echo "new stories printed: $(grep -c '^  [0-9u]' "$work/out.after.txt" || true)" \
  "for $(grep -c . "$work/watch.tsv") saved searches, after a job of $new" \
  "articles at $count"
