#!/bin/sh
# Analyzer throughput against Xapian's TermGenerator (English stemmer), on
# the same text, in the same run, single thread; prints both and the ratio.
#   tests/bench/analyzer_vs_termgenerator.sh BUILD_DIR [CORPUS] [ROUNDS]
# CORPUS defaults to ../shared/corpus/news.jsonl.gz, else the sample corpus.
# Needs python3-xapian (.ci/install-deps --bench).
set -eu
build=${1:?usage: $0 BUILD_DIR [CORPUS] [ROUNDS]}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
corpus=${2:-$root/../shared/corpus/news.jsonl.gz}
[ -r "$corpus" ] || corpus=$root/corpus/sample.jsonl
rounds=${3:-5}
ours=$("$build/tests/bench_analyzer" "$corpus" "$rounds")
theirs=$(/usr/bin/python3 "$here/termgenerator.py" "$corpus" "$rounds")
echo "corpus: $corpus ($rounds rounds, best taken)"
echo "$ours" | awk '{printf "cysearch analyzer:        %6.2f MB/s  (%s MB in %s s, %s tokens)\n", $4, $2, $3, $5}'
echo "$theirs" | awk '{printf "Xapian TermGenerator:     %6.2f MB/s  (%s MB in %s s, %s distinct terms)\n", $4, $2, $3, $5}'
a=$(echo "$ours" | awk '{print $4}')
b=$(echo "$theirs" | awk '{print $4}')
awk -v a="$a" -v b="$b" 'BEGIN { printf "ratio (cysearch / TermGenerator): %.2fx\n", a / b }'
