#!/bin/sh
# test_index_prune.sh — cysearch-index --prune: articles whose source file
# is gone from a directory given as input are removed (and counted as
# deleted); a file that is still there but fails to parse keeps its
# articles; an article moved to another file is kept; it works on a
# sharded index and with several threads.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

IN="$WORK/in"
mkdir -p "$IN/sub"
sed -n '1,10p' "$SAMPLE" >"$IN/a.jsonl"
sed -n '11,20p' "$SAMPLE" >"$IN/sub/b.jsonl"
sed -n '21,32p' "$SAMPLE" >"$IN/c.jsonl"

for layout in plain sharded; do
  DB="$WORK/db-$layout"
  extra=
  [ "$layout" = sharded ] && extra="--shards 3"
  # shellcheck disable=SC2086  # $extra is one option and its value, or nothing
  run first "$CYSEARCH_INDEX" --db "$DB" $extra --threads 2 "$IN"
  check_eq "$layout: all 32 indexed" 32 "$(summary_num "$WORK/first.err" holds)"
done
rm "$IN/sub/b.jsonl"
printf '{broken\n' >"$IN/c.jsonl" # there, but no longer parses
# an article of a.jsonl moves to a new file
head -n 1 "$IN/a.jsonl" >"$IN/moved.jsonl"
sed -i '1d' "$IN/a.jsonl"

for layout in plain sharded; do
  DB="$WORK/db-$layout"
  run prune "$CYSEARCH_INDEX" --db "$DB" --prune --stats-json "$WORK/stats.json" "$IN"
  check_status "$layout: --prune (a line skipped)" 3
  check_eq "$layout: the 10 articles of the removed file are gone" 22 "$(summary_num "$WORK/prune.err" holds)"
  check_file_contains "$layout: the summary counts them as deleted" "$WORK/prune.err" "10 deleted"
  check_file_contains "$layout: --stats-json counts them" "$WORK/stats.json" '"deleted": 10'
  check_eq "$layout: the moved article is unchanged (only its file is updated), not removed" 0 "$(summary_num "$WORK/prune.err" replaced)"
  run again "$CYSEARCH_INDEX" --db "$DB" --prune "$IN"
  check_file_contains "$layout: a second --prune removes nothing" "$WORK/again.err" "0 deleted"
  check_eq "$layout: still 22" 22 "$(summary_num "$WORK/again.err" holds)"
done

# Which articles are left: the 12 of the unparsable file, the 10 of a.jsonl
# (one of them now from moved.jsonl), none of b.jsonl.
if command -v xapian-delve >/dev/null 2>&1; then
  for layout in plain sharded; do
    ids=$(xapian-delve -1 -A Q "$WORK/db-$layout" | sed -n 's/^Q//p' | sort | tr '\n' ' ')
    expect=$(sed -n '1,10p;21,32p' "$SAMPLE" | sed 's/^{"id": *"\([^"]*\)".*/\1/' | sort | tr '\n' ' ')
    check_eq "$layout: exactly the articles whose files remain" "$expect" "$ids"
  done
else
  printf 'note: xapian-delve missing; ids not compared\n'
fi

# Without --prune nothing is removed; a file given by name (not a
# directory) is not pruned from.
DB="$WORK/db-named"
sed 's/"id": *"sample-/"id": "named-/' "$SAMPLE" >"$WORK/named.jsonl"
run named "$CYSEARCH_INDEX" --db "$DB" "$WORK/named.jsonl"
rm "$WORK/named.jsonl"
run named2 "$CYSEARCH_INDEX" --db "$DB" --prune "$IN"
check_eq "articles of files outside the directories given are kept" \
  "$((32 + 10))" "$(summary_num "$WORK/named2.err" holds)" # + a.jsonl, moved.jsonl
run extract "$CYSEARCH_INDEX" --extract --prune "$IN"
check_status "--prune with --extract (no index) is a usage error" 2
finish
