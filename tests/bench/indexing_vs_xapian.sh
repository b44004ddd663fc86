#!/bin/sh
# Indexing speed, cysearch against plain Xapian, measured side by side in
# one run: the same corpus indexed from scratch by cysearch-index (all
# features on: positions, entities, stored compressed articles, identity
# and content hash, near-duplicate keys) and by Omega's scriptindex
# (TermGenerator, English stemmer, positions, replace by unique Q term;
# tests/bench/news.scriptindex), alternating, ROUNDS times each.  Prints
# each round, the median wall seconds and MB/s of both, and the ratio of
# cysearch's MB/s to scriptindex's (> 1: cysearch is faster); the same for
# CPU seconds (user + system), which a busy machine disturbs less than
# wall time (but which does not show what threads save).
#
#   tests/bench/indexing_vs_xapian.sh BUILD_DIR [ROUNDS] [-- INDEX_OPTION...]
#
# CORPUS (default ../shared/corpus/news.jsonl.gz) picks the input, WORK
# (default a temporary directory, removed at the end) the scratch space.
# Options after -- go to cysearch-index (e.g. -- --threads 1); ALSO="..."
# adds a second cysearch-index run to each round with those options (e.g.
# ALSO="--threads 1", to compare thread counts in the same run).  LOGS=DIR
# keeps each cysearch-index run's --progress log there (cys-ROUND.log,
# also-ROUND.log) and prints its rate over the first and the last 10% of
# the articles (up to its last progress line: a job writing in segments
# merges and relinks after it).  CYSEARCH_ONE_WRITER=1 in the environment
# makes the cysearch runs write a new index through one writer (the way
# before segments were used with one thread).  MB are the uncompressed
# JSONL bytes, the same figure for both.  Needs GNU time, scriptindex
# (xapian-omega) and python3.
set -eu
[ $# -ge 1 ] || { sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
build=$(cd "$1" && pwd)
shift
rounds=3
if [ $# -ge 1 ] && [ "$1" != "--" ]; then
  rounds=$1
  shift
fi
[ $# -ge 1 ] && [ "$1" = "--" ] && shift
here=$(cd "$(dirname "$0")" && pwd)
corpus=${CORPUS:-$here/../../../shared/corpus/news.jsonl.gz}
if [ ! -r "$corpus" ]; then
  echo "indexing_vs_xapian: no corpus at $corpus (set CORPUS=FILE)" >&2
  exit 2
fi
[ -x /usr/bin/time ] || {
  echo "indexing_vs_xapian: /usr/bin/time missing: apt-get install time" >&2
  exit 2
}
command -v scriptindex >/dev/null || {
  echo "indexing_vs_xapian: scriptindex missing: apt-get install xapian-omega" >&2
  exit 2
}
own_work=
if [ -z "${WORK:-}" ]; then
  WORK=$(mktemp -d)
  own_work=1
fi
trap '[ -n "$own_work" ] && rm -rf "$WORK"' EXIT
mkdir -p "$WORK"
[ -z "${LOGS:-}" ] || mkdir -p "$LOGS"

# Both read uncompressed input prepared beforehand (not timed).
case $corpus in
*.gz) gzip -dc "$corpus" >"$WORK/corpus.jsonl" ;;
*) cp "$corpus" "$WORK/corpus.jsonl" ;;
esac
python3 "$here/bench.py" to-scriptindex "$WORK/corpus.jsonl" "$WORK/corpus.dump"
mb=$(stat -c %s "$WORK/corpus.jsonl" | awk '{printf "%.2f", $1 / 1e6}')

# "WALL CPU" seconds of a command (GNU time), its output discarded.
timed() {
  /usr/bin/time -f '%e %U %S' -o "$WORK/time.out" "$@" >/dev/null
  awk '{printf "%s %.2f\n", $1, $2 + $3}' "$WORK/time.out"
}
# run_cysearch LOG_NAME INDEX_OPTION...: with LOGS, its --progress log is
# kept as LOGS/LOG_NAME.log.
run_cysearch() {
  log=$1
  shift
  rm -rf "$WORK/cys"
  if [ -n "${LOGS:-}" ]; then
    timed "$build/indexer/cysearch-index" --progress --db "$WORK/cys" "$@" \
      "$WORK/corpus.jsonl" 2>"$LOGS/$log.log"
  else
    timed "$build/indexer/cysearch-index" --quiet --db "$WORK/cys" "$@" \
      "$WORK/corpus.jsonl"
  fi
}
# The rate over the first and the last 10% of the articles of a
# --progress log ("N articles, ... after S s" lines).
rates() {
  awk -v name="$2" 'match($0, /: [0-9]+ articles, .* after [0-9.]+ s$/) {
      split(substr($0, RSTART + 2), w, " "); n[++k] = w[1]; t[k] = $(NF - 1)
    }
    function time_at(a,   i) {
      for (i = 2; i <= k; i++)
        if (n[i] >= a)
          return t[i - 1] + (t[i] - t[i - 1]) * (a - n[i - 1]) / (n[i] - n[i - 1] > 0 ? n[i] - n[i - 1] : 1)
      return t[k]
    }
    END {
      if (k < 3) { print "  " name ": too few progress lines"; exit }
      n[0] = 0; t[0] = 0; tenth = int(n[k] / 10)
      first = tenth / time_at(tenth); last = tenth / (t[k] - time_at(n[k] - tenth))
      printf "  %s: rate over the first 10%% %.0f articles/s, the last 10%% %.0f articles/s (%.0f%%)\n", name, first, last, 100 * last / first
    }' "$1"
}
run_xapian() {
  rm -rf "$WORK/xap"
  timed scriptindex --overwrite --stemmer=english "$WORK/xap" \
    "$here/news.scriptindex" "$WORK/corpus.dump"
}

: >"$WORK/cys.times"
: >"$WORK/also.times"
: >"$WORK/xap.times"
echo "corpus: $corpus ($mb MB of JSONL); $rounds rounds; cysearch options: $*"
i=1
while [ "$i" -le "$rounds" ]; do
  c=$(run_cysearch "cys-$i" "$@")
  if [ -n "${ALSO:-}" ]; then
    # shellcheck disable=SC2086  # ALSO is a list of words
    a=$(run_cysearch "also-$i" $ALSO)
    echo "$a" >>"$WORK/also.times"
    echo "$a" | awk -v i="$i" -v o="$ALSO" '{printf "round %d: cysearch %s %.2f s (CPU %.2f s)\n", i, o, $1, $2}'
  fi
  x=$(run_xapian)
  echo "$c" >>"$WORK/cys.times"
  echo "$x" >>"$WORK/xap.times"
  echo "$c $x" | awk -v i="$i" '{printf "round %d: cysearch %.2f s (CPU %.2f s), scriptindex %.2f s (CPU %.2f s)\n", i, $1, $2, $3, $4}'
  if [ -n "${LOGS:-}" ]; then
    rates "$LOGS/cys-$i.log" "cysearch $*"
    [ -z "${ALSO:-}" ] || rates "$LOGS/also-$i.log" "cysearch $ALSO"
  fi
  echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  i=$((i + 1))
done
# median FILE COLUMN
median() { awk -v k="$2" '{print $k}' "$1" | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
for what in wall:1 CPU:2; do
  c=$(median "$WORK/cys.times" "${what#*:}")
  x=$(median "$WORK/xap.times" "${what#*:}")
  awk -v c="$c" -v x="$x" -v mb="$mb" -v w="${what%%:*}" 'BEGIN {
    printf "median %s: cysearch %.2f s (%.2f MB/s), scriptindex %.2f s (%.2f MB/s); ratio (cysearch MB/s / scriptindex MB/s): %.2fx\n", w, c, mb / c, x, mb / x, x / c
  }'
done
if [ -n "${ALSO:-}" ]; then
  for what in wall:1 CPU:2; do
    c=$(median "$WORK/also.times" "${what#*:}")
    x=$(median "$WORK/xap.times" "${what#*:}")
    awk -v c="$c" -v x="$x" -v mb="$mb" -v w="${what%%:*}" -v o="$ALSO" 'BEGIN {
      printf "median %s: cysearch %s %.2f s (%.2f MB/s); ratio to scriptindex: %.2fx\n", w, o, c, mb / c, x / c
    }'
  done
fi
