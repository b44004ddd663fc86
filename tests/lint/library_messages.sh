#!/bin/sh
# The library does not know the programs' options: no message in
# common/src/ names a command-line flag ("--force") or tells the user to
# run cysearch-index.  A program that has a flag that helps adds it to
# the library's message (searcher/main.c index_hint, indexer/kev_run.c).
# (The index writer's shard checks were the last to do so; the indexer's
# shard_hint.c now adds the flags.)
# Usage: library_messages.sh SOURCE_DIR
set -u
src=$1/common/src
status=0
for f in "$src"/*.c "$src"/*.cc "$src"/*.h "$src"/*.hh; do
  [ -e "$f" ] || continue
  # String literals on lines that are not comments.
  n=$(grep -v '^[[:space:]]*\(\*\|/\*\|//\)' "$f" |
      grep -c '"[^"]*\(--[a-z]\|cysearch-index\)[^"]*"')
  name=$(basename "$f")
  if [ "$n" -gt 0 ]; then
    echo "FAIL: $name: $n message lines name a program's flag:"
    grep -n -v '^[[:space:]]*\(\*\|/\*\|//\)' "$f" |
      grep '"[^"]*\(--[a-z]\|cysearch-index\)[^"]*"'
    status=1
  fi
done
[ $status -eq 0 ] && echo "ok: no library message names a program's flag"
exit $status
