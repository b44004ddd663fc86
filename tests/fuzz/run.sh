#!/bin/sh
# Fuzz every fuzz_* target of a -DCYSEARCH_FUZZ=ON build for a bounded time.
#   tests/fuzz/run.sh BUILD_DIR [SECONDS_PER_TARGET] [TARGET...]
# Each target starts from its seeds in tests/fuzz/<what>/ (copied, so the
# tree is not changed) and prints how many inputs it ran.  A crash leaves
# its input in BUILD_DIR/fuzz-artifacts/ and fails the run: add that file
# to tests/fuzz/<what>/ so CTest replays it from then on.
set -eu
build=${1:?usage: $0 BUILD_DIR [SECONDS] [TARGET...]}
seconds=${2:-30}
shift $(( $# >= 2 ? 2 : 1 ))
here=$(cd "$(dirname "$0")" && pwd)
targets=${*:-"analyzer query store utf8 jsonl text_page html cgi gzip feed json_array"}
artifacts=$build/fuzz-artifacts
mkdir -p "$artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0 passed=0
for t in $targets; do
  bin=$build/tests/fuzz_$t
  if [ ! -x "$bin" ]; then
    echo "fuzz_$t: not built (configure with -DCYSEARCH_FUZZ=ON)"; failed=$((failed + 1)); continue
  fi
  mkdir -p "$work/$t"
  cp "$here/$t"/* "$work/$t/" 2>/dev/null || true
  if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/$t-" \
       "$work/$t" > "$work/$t.log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")
    echo "fuzz_$t: ${runs:-?} inputs in ${seconds} s, no crash"
    passed=$((passed + 1))
  else
    echo "fuzz_$t: FAILED; the input is in $artifacts/"
    tail -n 30 "$work/$t.log"
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
