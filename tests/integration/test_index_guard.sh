#!/bin/sh
# test_index_guard.sh — maintenance commands that must not do damage by
# mistake (issue 16, item 11): --delete, --compact, --relink and --prune on a
# mistyped --db are refused (status 2) instead of creating an empty index;
# --prune refuses to remove all, or more than half, of a directory's
# articles without --force, and keeps the rest of the job; a stub that
# lists one shard twice is refused, naming its file and line.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

# ---- maintenance on an index that is not there ------------------------------
# --prune re-reads its directories, but an index made now has nothing to
# prune: it is refused too.
mkdir "$WORK/pages"
cp "$SAMPLE" "$WORK/pages/"
for op in "--delete sample-001" --compact --relink "--prune $WORK/pages"; do
  name=$(printf '%s' "$op" | sed 's/^--//; s/ .*//')
  # shellcheck disable=SC2086  # $op is an option and maybe its value
  run "missing-$name" "$CYSEARCH_INDEX" --db "$WORK/no-such-index" $op
  check_status "$op on a --db that does not exist" 2
  check_file_contains "$op: the message names the path and says to check --db" \
    "$WORK/missing-$name.err" \
    "cysearch-index: --$name: there is no index at '$WORK/no-such-index': check --db"
  if [ -e "$WORK/no-such-index" ]; then
    fail "$op: nothing is created" "$(ls -la "$WORK/no-such-index")"
    rm -rf "$WORK/no-such-index"
  else
    pass "$op: nothing is created"
  fi
done
mkdir "$WORK/empty-dir"
run empty-dir "$CYSEARCH_INDEX" --db "$WORK/empty-dir" --compact
check_status "--compact on an empty directory" 2
check_eq "the empty directory stays empty" "" "$(ls -A "$WORK/empty-dir")"

DB="$WORK/db"
run build "$CYSEARCH_INDEX" --db "$DB" --quiet "$SAMPLE"
check_status "indexing the sample" 0
run delete "$CYSEARCH_INDEX" --db "$DB" --delete sample-001
check_status "--delete on the index that is there" 0
check_eq "it deletes" 31 "$(summary_num "$WORK/delete.err" holds)"
run compact "$CYSEARCH_INDEX" --db "$DB" --compact --quiet
check_status "--compact on the index that is there" 0
run with-input "$CYSEARCH_INDEX" --db "$WORK/new-index" --compact "$SAMPLE"
check_status "--compact with an INPUT may create the index" 0

# ---- --prune: all or most of a directory gone -------------------------------
IN="$WORK/in"
mkdir -p "$IN/a" "$IN/b"
for k in 1 2 3 4 5 6; do
  sed -n "${k}p" "$SAMPLE" >"$IN/a/$k.jsonl"
done
sed -n 7p "$SAMPLE" >"$IN/b/7.jsonl"
PDB="$WORK/prune-db"
run prune-build "$CYSEARCH_INDEX" --db "$PDB" "$IN"
check_eq "seven articles from seven files" 7 "$(summary_num "$WORK/prune-build.err" holds)"

# A file under half: pruned without --force.
rm "$IN/a/1.jsonl"
run prune-few "$CYSEARCH_INDEX" --db "$PDB" --prune "$IN"
check_status "--prune of 1 of 7 articles" 0
check_eq "it is pruned" 6 "$(summary_num "$WORK/prune-few.err" holds)"

# The directory emptied (an unmounted disk looks the same), and a new file
# given on the same command line.
mv "$IN" "$WORK/in-away"
mkdir "$IN"
sed -n 8p "$SAMPLE" >"$WORK/new.jsonl"
run prune-all "$CYSEARCH_INDEX" --db "$PDB" --prune "$IN" "$WORK/new.jsonl"
check_status "--prune of every article of the directory, without --force" 1
check_file_contains "the refusal names the directory and the counts" "$WORK/prune-all.err" \
  "cysearch-index: --prune: '$IN': the files of 6 of the 6 articles read from it are gone, all of them; nothing pruned there."
check_file_contains "and says what to do" "$WORK/prune-all.err" "add --force"
run count-all "$CYSEARCH" --db "$PDB" --format trec --limit 100 -- -qwzxvbnkjhg
check_eq "nothing was pruned, and the other input was indexed" 7 \
  "$(grep -c . "$WORK/count-all.out")"

# More than half, not all.
rmdir "$IN"
mv "$WORK/in-away" "$IN"
rm "$IN/a/2.jsonl" "$IN/a/3.jsonl" "$IN/a/4.jsonl" "$IN/a/5.jsonl"
run prune-most "$CYSEARCH_INDEX" --db "$PDB" --prune "$IN"
check_status "--prune of 4 of 6 articles, without --force" 1
check_file_contains "the refusal says more than half" "$WORK/prune-most.err" \
  "the files of 4 of the 6 articles read from it are gone, more than half"
run prune-force "$CYSEARCH_INDEX" --db "$PDB" --prune --force "$IN"
check_status "--prune --force" 0
check_eq "--force prunes them" 3 "$(summary_num "$WORK/prune-force.err" holds)"

run force-alone "$CYSEARCH_INDEX" --db "$PDB" --force "$IN"
check_status "--force without --prune" 2

# ---- a stub listing one shard twice ------------------------------------------
# Searched twice, every hit of that shard would count double: the stub is
# refused, naming its file and the line.
mkdir "$WORK/cluster"
run shard-a "$CYSEARCH_INDEX" --db "$WORK/cluster/a" --quiet "$SAMPLE"
run shard-b "$CYSEARCH_INDEX" --db "$WORK/cluster/b" --quiet "$WORK/new.jsonl"
printf '# two shards\nauto a\nauto b\n' >"$WORK/cluster/good.stub"
run stub-good "$CYSEARCH" --db "$WORK/cluster/good.stub" --format trec --no-collapse \
  --limit 100 -- -qwzxvbnkjhg
check_status "a stub listing two shards" 0
check_eq "it searches both" 33 "$(grep -c . "$WORK/stub-good.out")"
printf '# one shard twice\nauto a\nauto b\nauto ./a/\n' >"$WORK/cluster/twice.stub"
run stub-twice "$CYSEARCH" --db "$WORK/cluster/twice.stub" ransomware
check_status "a stub listing one shard twice" 1
check_file_contains "the error names the stub file and both lines" "$WORK/stub-twice.err" \
  "cysearch: cannot open index '$WORK/cluster/twice.stub': shard '$WORK/cluster/./a/' (line 4 of '$WORK/cluster/twice.stub'): the same database as shard '$WORK/cluster/a' (line 2 of '$WORK/cluster/twice.stub'): list each shard once"
printf 'auto good.stub\nauto b\n' >"$WORK/cluster/nested.stub"
run stub-nested "$CYSEARCH" --db "$WORK/cluster/nested.stub" ransomware
check_status "a stub naming a stub that lists a shard again" 1
check_file_contains "the error names the line that lists it again" "$WORK/stub-nested.err" \
  "shard '$WORK/cluster/b' (line 2 of '$WORK/cluster/nested.stub'): the same database as shard '$WORK/cluster/b' (line 3 of '$WORK/cluster/good.stub')"

finish
