#!/bin/sh
# scale.sh — the large-corpus benchmark (issues #8 and #18): make COUNT
# articles, index them in one timed command, plot the indexing rate
# against the articles indexed (it should stay flat), and for the sharded
# modes merge the shards with Xapian's compactor and measure query
# latency over the single index, the shards opened locally and the shards
# behind one xapian-tcpsrv each (tests/bench/shards.sh).
#
#   tests/bench/scale.sh BUILD_DIR WORK_DIR [COUNT] [SHARDS] [QUERIES] [ROUNDS]
#
# COUNT defaults to 1000000, SHARDS to 4, QUERIES to the first 50 news
# queries of ../shared (bench/news-queries.txt), ROUNDS to 1.  WORK_DIR
# keeps everything (the corpus, the indexes, the logs, rate.tsv, rate.svg
# and report.txt); steps whose output is already there are skipped, so an
# interrupted run goes on where it stopped.
# CORPUS=realistic (default): ../shared/bench/scale_corpus.py, real
# paragraphs of the news corpus recombined, about 4.5 KB an article and
# syndication-heavy (gzip-compressed, about 1.9 GB for a million);
# CORPUS=generated: corpus/generate.py, about 1.4 KB an article.
# MODE=threads (default): one `cysearch-index --threads N` job (N: one
# per core, or INDEX_OPTIONS) into a new plain index, every thread
# writing its own segments, merged at the end; MODE=jobs: one `--shard K`
# job per shard, all at once, with --commit-every 30000, then --relink;
# MODE=one: one `--shards SHARDS` job with INDEX_OPTIONS (default
# "--threads 2").  Every mode logs the job's progress (--progress) and
# reports the rate over the first and the last 10% of the articles, and
# the wall time from start to a searchable index.  Needs GNU time and
# python3; the sharded modes also xapian-tools.
set -eu
[ $# -ge 2 ] || { sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
build=$(cd "$1" && pwd)
work=$2
count=${3:-1000000}
shards=${4:-4}
here=$(cd "$(dirname "$0")" && pwd)
shared=${CYSEARCH_SHARED_DIR:-$here/../../../shared}
queries=${5:-}
rounds=${6:-1}
index=$build/indexer/cysearch-index
mode=${MODE:-threads}
kind=${CORPUS:-realistic}
tools="/usr/bin/time python3"
[ "$mode" = threads ] || tools="$tools xapian-tcpsrv"
for tool in $tools; do
  command -v "$tool" >/dev/null || {
    echo "scale.sh: $tool missing (apt-get install time xapian-tools python3)" >&2
    exit 2
  }
done
[ -x "$index" ] || { echo "scale.sh: no $index (build first)" >&2; exit 2; }
mkdir -p "$work"
report=$work/report.txt

case $kind in
realistic)
  corpus=$work/news-$count-realistic.jsonl.gz
  if [ ! -s "$corpus.done" ]; then
    [ -r "$shared/corpus/news.jsonl.gz" ] || {
      echo "scale.sh: no $shared/corpus/news.jsonl.gz (or CORPUS=generated)" >&2
      exit 2
    }
    python3 "$shared/bench/scale_corpus.py" "$shared/corpus/news.jsonl.gz" \
      "$count" 7 | gzip -1 >"$corpus"
    echo done >"$corpus.done"
  fi
  ;;
generated)
  corpus=$work/news-$count.jsonl
  if [ ! -s "$corpus.done" ]; then
    python3 "$here/../../corpus/generate.py" --count "$count" --seed 7 \
      --out "$corpus"
    echo done >"$corpus.done"
  fi
  ;;
*) echo "scale.sh: CORPUS is realistic or generated, not '$kind'" >&2; exit 2 ;;
esac
if [ -z "$queries" ]; then
  queries=$work/queries.txt
  head -n 50 "$shared/bench/news-queries.txt" >"$queries"
fi

sharded=$work/sharded
single=$work/single
if [ ! -s "$work/index.done" ]; then
  rm -rf "$sharded" "$single"
  start=$(date +%s)
  case $mode in
  threads)
    # shellcheck disable=SC2086  # INDEX_OPTIONS is a list of words
    /usr/bin/time -v -o "$work/index-0.time" "$index" --progress \
      --db "$single" ${INDEX_OPTIONS:-} --stats-json "$work/index-0.json" \
      "$corpus" 2>"$work/index-0.log"
    ;;
  one)
    # shellcheck disable=SC2086  # INDEX_OPTIONS is a list of words
    /usr/bin/time -v -o "$work/index-0.time" "$index" --progress --db "$sharded" \
      --shards "$shards" ${INDEX_OPTIONS:---threads 2} \
      --stats-json "$work/index-0.json" "$corpus" 2>"$work/index-0.log"
    ;;
  jobs)
    k=0
    pids=""
    while [ "$k" -lt "$shards" ]; do
      /usr/bin/time -v -o "$work/index-$k.time" "$index" --progress \
        --db "$sharded" --shards "$shards" --shard "$k" --threads 1 \
        --commit-every 30000 --stats-json "$work/index-$k.json" \
        "$corpus" 2>"$work/index-$k.log" &
      pids="$pids $!"
      k=$((k + 1))
    done
    for p in $pids; do wait "$p"; done
    /usr/bin/time -v -o "$work/relink.time" "$index" --quiet --db "$sharded" \
      --relink --stats-json "$work/relink.json"
    ;;
  *) echo "scale.sh: MODE is threads, jobs or one, not '$mode'" >&2; exit 2 ;;
  esac
  echo $(($(date +%s) - start)) >"$work/index.wall"
  echo "$mode" >"$work/index.done"
fi
if [ "$mode" != threads ] && [ ! -s "$work/merge.time" ]; then
  rm -rf "$single"
  /usr/bin/time -v -o "$work/merge.time" "$index" --quiet --db "$sharded" \
    --merge "$single"
fi

# The rate against the articles indexed, from the progress lines of
# index-0.log ("N articles, ... after S s"): rate.tsv, rate.svg, and the
# first and last 10%.
python3 - "$work" "$count" <<'PY' >"$work/rate.txt"
import re, sys
work, count = sys.argv[1], int(sys.argv[2])
pts = [(0.0, 0)]
line = re.compile(r": (\d+) articles, .* after ([0-9.]+) s$")
for l in open(work + "/index-0.log", encoding="utf-8", errors="replace"):
    m = line.search(l.strip())
    if m:
        pts.append((float(m.group(2)), int(m.group(1))))
if len(pts) < 3:
    print("rate: too few progress lines in index-0.log")
    sys.exit(0)
last_n = pts[-1][1]
def time_at(n):  # seconds when n articles had been indexed
    for (t0, n0), (t1, n1) in zip(pts, pts[1:]):
        if n1 >= n:
            return t0 + (t1 - t0) * (n - n0) / max(1, n1 - n0)
    return pts[-1][0]
# One point a percent, or wider than the largest step of the count (a
# job writing in segments counts a whole segment at once).
jump = max(n1 - n0 for (_, n0), (_, n1) in zip(pts, pts[1:]))
step = max(1, last_n // 100, 4 * jump)
rows = []
for k in range(step, last_n + 1, step):
    dt = time_at(k) - time_at(k - step)
    rows.append((k, step / dt if dt > 0 else 0.0))
with open(work + "/rate.tsv", "w") as f:
    f.write("articles\tarticles_per_s\n")
    for k, r in rows:
        f.write("%d\t%.1f\n" % (k, r))
tenth = last_n // 10
first = tenth / time_at(tenth)
last = tenth / (pts[-1][0] - time_at(last_n - tenth))
print("rate: %d articles in the progress log; first 10%%: %.0f articles/s, "
      "last 10%%: %.0f articles/s (%.0f%% of the first)" %
      (last_n, first, last, 100 * last / first))
wall = float(open(work + "/index.wall").read())
print("end to end: %.0f s, %.0f articles/s, of which %.0f s after the last "
      "progress line (merging segments, relinking, committing)" %
      (wall, count / wall, wall - pts[-1][0]))
W, H, L, B = 640, 320, 60, 40
ymax = max(r for _, r in rows) * 1.1 or 1
def xy(k, r):
    return (L + (W - L - 10) * k / last_n, H - B - (H - B - 10) * r / ymax)
poly = " ".join("%.1f,%.1f" % xy(k, r) for k, r in rows)
ticks = "".join('<text x="%d" y="%.1f" font-size="10" text-anchor="end">%d</text>'
                % (L - 4, xy(0, y)[1] + 3, y) for y in
                [round(ymax * i / 4) for i in range(5)])
with open(work + "/rate.svg", "w") as f:
    f.write('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d">'
            '<rect width="100%%" height="100%%" fill="white"/>'
            '<polyline fill="none" stroke="#1f5fa8" stroke-width="1.5" points="%s"/>'
            '<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>'
            '<line x1="%d" y1="10" x2="%d" y2="%d" stroke="black"/>%s'
            '<text x="%d" y="%d" font-size="11" text-anchor="middle">articles indexed (of %d)</text>'
            '<text x="12" y="%d" font-size="11" transform="rotate(-90 12 %d)" text-anchor="middle">articles/s</text>'
            '</svg>\n' % (W, H, poly, L, H - B, W - 10, H - B, L, L, H - B, ticks,
                          (W + L) // 2, H - 8, last_n, H // 2, H // 2))
PY

# "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02:03" -> seconds
seconds() {
  sed -n 's/.*Elapsed (wall clock) time.*: //p' "$1" |
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }'
}
bytes=$(stat -c %s "$corpus")
{
  case $corpus in
    *.gz) what="MB compressed, $(($(gzip -dc "$corpus" | wc -c) / 1000000)) MB of text" ;;
    *) what="MB of text" ;;
  esac
  echo "articles: $count, $((bytes / 1000000)) $what ($(basename "$corpus")), mode $mode"
  # Jobs run at once: wall is the whole phase, CPU the sum, RSS the largest.
  wall=$(cat "$work/index.wall")
  cpu=$(cat "$work"/index-*.time |
    awk '/User time|System time/ { s += $NF } END { print s }')
  rss=$(cat "$work"/index-*.time |
    awk '/Maximum resident set size/ { if ($NF > m) m = $NF } END { print m }')
  awk -v n="$count" -v b="$bytes" -v w="$wall" -v c="$cpu" -v r="$rss" \
    -v m="$(cat "$work/index.done")" 'BEGIN {
    printf "indexing (%s): %.0f s wall, %.0f s CPU, %.0f articles/s, %.2f MB/s, %.2f ms CPU per article, peak RSS %.0f MB per process\n",
      m, w, c, n / w, b / 1e6 / w, c * 1000 / n, r / 1024 }'
  cat "$work/rate.txt"
  if [ -s "$work/relink.time" ]; then
    echo "relink: $(seconds "$work/relink.time") s wall, $(sed -n 's/.*"keys_changed": *\([0-9]*\).*/\1/p' "$work/relink.json") keys changed"
  fi
  si_kb=$(du -sk "$single" | cut -f1)
  if [ "$mode" = threads ]; then
    awk -v n="$count" -v m="$si_kb" 'BEGIN {
      printf "size: %.0f MB (%.2f KB/article), segments merged by the job\n",
        m / 1024, m / n }'
  else
    sh_kb=$(du -sk "$sharded" | cut -f1)
    mw=$(seconds "$work/merge.time")
    awk -v n="$count" -v s="$sh_kb" -v m="$si_kb" -v w="$mw" 'BEGIN {
      printf "size: shards as written %.0f MB (%.2f KB/article); merged and compacted %.0f MB (%.2f KB/article), merge %.0f s\n",
        s / 1024, s / n, m / 1024, m / n, w }'
    echo
    sh "$here/shards.sh" "$build" "$single" "$sharded" "$queries" "$rounds"
  fi
} | tee "$report"
