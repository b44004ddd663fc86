#!/bin/sh
# Retrieval quality on SciFact (BEIR), with cysearch's default settings:
# index the 5,183 documents, run the 300 test queries in batch mode
# (--format trec --limit 1000), and score the run with the shared
# evaluator.  Fails when nDCG@10 drops below MIN_NDCG (default 0.69).
#   tests/eval/scifact.sh [SPLIT]      SPLIT: test (default) or train
# Environment: CYSEARCH_INDEX, CYSEARCH (the programs; default build/),
# CYSEARCH_SHARED_DIR (default ../shared), MIN_NDCG; for experiments,
# SEARCH_OPTIONS (more cysearch options, e.g. "--feedback 0") and
# KEEP_RUN (a file to keep the run in, for tests/eval/compare.py).  Exits
# 77 (skipped) when the evaluation data is absent.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=${CYSEARCH_SHARED_DIR:-$root/../shared}
index=${CYSEARCH_INDEX:-$root/build/indexer/cysearch-index}
search=${CYSEARCH:-$root/build/searcher/cysearch}
min=${MIN_NDCG:-0.69}
split=${1:-test}
data=$shared/eval/scifact
case "$split" in
  test) queries=$data/queries.tsv qrels=$data/qrels.txt ;;
  train) queries=$data/queries.train.tsv qrels=$data/qrels.train.txt ;;
  *) echo "usage: $0 [test|train]" >&2; exit 2 ;;
esac
if [ ! -r "$data/docs.jsonl.gz" ] || [ ! -r "$shared/eval/trec_eval.py" ]; then
  echo "SKIP: SciFact data not found under $shared/eval"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$index" --quiet --db "$work/db" "$data/docs.jsonl.gz"
# shellcheck disable=SC2086  # SEARCH_OPTIONS is a list of words
"$search" --db "$work/db" --queries "$queries" --format trec --limit 1000 \
  --no-snippets ${SEARCH_OPTIONS:-} > "$work/run"
if [ -n "${KEEP_RUN:-}" ]; then
  cp "$work/run" "$KEEP_RUN"
fi
python3 "$shared/eval/trec_eval.py" "$qrels" "$work/run" | tee "$work/metrics"
ndcg=$(awk '$1 == "ndcg_cut_10" { print $3 }' "$work/metrics")
if awk -v n="$ndcg" -v m="$min" 'BEGIN { exit !(n >= m) }'; then
  echo "1 passed, 0 failed (SciFact $split nDCG@10 $ndcg >= $min)"
else
  echo "0 passed, 1 failed (SciFact $split nDCG@10 $ndcg < $min)"
  exit 1
fi
