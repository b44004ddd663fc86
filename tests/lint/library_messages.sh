#!/bin/sh
# The library does not know the programs' options: no message in
# common/src/ names a command-line flag ("--force") or tells the user to
# run cysearch-index.  A program that has a flag that helps adds it to
# the library's message (searcher/main.c index_hint, indexer/kev_run.c).
# The messages still written by the index writer's shard checks
# (writer_shards.c: --shards/--shard) are the known debt, bounded here:
# the bound may only go down.
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
  case $name in
    writer_shards.c) allowed=10 ;;
    *) allowed=0 ;;
  esac
  if [ "$n" -gt "$allowed" ]; then
    echo "FAIL: $name: $n message lines name a program's flag (at most $allowed):"
    grep -n -v '^[[:space:]]*\(\*\|/\*\|//\)' "$f" |
      grep '"[^"]*\(--[a-z]\|cysearch-index\)[^"]*"'
    status=1
  fi
done
[ $status -eq 0 ] && echo "ok: no library message names a program's flag beyond the index writer's known ones"
exit $status
