#!/bin/sh
# What entity extraction adds to indexing, measured in the same run: the
# whole --extract pass (reading, analysis, extraction, JSON output: an
# upper bound of extraction's own cost) against a full indexing run, best
# of ROUNDS each.
#   tests/bench/extraction_cost.sh BUILD_DIR [CORPUS] [ROUNDS]
set -eu
build=${1:?usage: $0 BUILD_DIR [CORPUS] [ROUNDS]}
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${2:-$root/../shared/corpus/news.jsonl.gz}
[ -r "$corpus" ] || corpus=$root/corpus/sample.jsonl
rounds=${3:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
best() { sort -n | head -1; }
seconds() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1; }
i=0
while [ $i -lt "$rounds" ]; do
  i=$((i + 1))
  seconds "$build/indexer/cysearch-index" --quiet --extract "$corpus" >> "$work/extract"
  rm -rf "$work/db"
  seconds "$build/indexer/cysearch-index" --quiet --db "$work/db" "$corpus" >> "$work/index"
done
e=$(best < "$work/extract")
x=$(best < "$work/index")
echo "corpus: $corpus (best of $rounds)"
echo "extraction pass (--extract): $e s"
echo "full indexing:               $x s"
awk -v e="$e" -v x="$x" 'BEGIN { printf "extraction pass / indexing: %.1f%% (the budget is 30%%)\n", 100 * e / x }'
