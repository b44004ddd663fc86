#!/bin/sh
# test_index_readonly.sh — an index that cannot be written (permissions,
# an immutable or read-only file system): a re-run over unchanged input
# succeeds without writing (issue 16, item 11), and a run that would
# change something stops with a message naming the index, writing nothing.
#
# Permission bits do not stop root: as root the index is made immutable
# (chattr +i) where the file system allows it, else the programs run as
# the user nobody (setpriv); the test is skipped when neither works.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

DB="$WORK/db"
INPUT="$WORK/sample.jsonl"
cp "$SAMPLE" "$INPUT"
run build "$CYSEARCH_INDEX" --db "$DB" --quiet "$INPUT"
check_status "indexing the sample" 0

AS=""
if [ "$(id -u)" -ne 0 ]; then
  trap 'chmod -R u+w "$DB" 2>/dev/null; rm -rf "$WORK"' EXIT
  chmod -R a-w "$DB"
  how="write permission removed"
elif command -v chattr >/dev/null 2>&1 && chattr +i "$DB"/* "$DB" 2>/dev/null; then
  trap 'chattr -i "$DB" "$DB"/* 2>/dev/null; rm -rf "$WORK"' EXIT
  how="chattr +i"
elif command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
  chattr -i "$DB" "$DB"/* 2>/dev/null || true
  chmod 755 "$WORK"
  chmod 644 "$INPUT"
  AS="setpriv --reuid=$(id -u nobody) --regid=$(id -g nobody) --clear-groups"
  how="run as nobody"
else
  skip "running as root without chattr +i or setpriv: cannot make the index read-only"
fi
printf 'making the index read-only: %s\n' "$how"
sums() { (cd "$DB" && md5sum ./* | LC_ALL=C sort); }
sums >"$WORK/before.sums"

# shellcheck disable=SC2086  # $AS is a command and its options, or nothing
run again $AS "$CYSEARCH_INDEX" --db "$DB" "$INPUT"
check_status "an unchanged re-run on a read-only index" 0
check_file_contains "everything is unchanged" "$WORK/again.err" \
  "0 added, 0 replaced, 32 unchanged, 0 deleted, 0 skipped"
check_eq "the index files are untouched" "$(cat "$WORK/before.sums")" "$(sums)"

head -n 1 "$SAMPLE" | sed 's/"id": "sample-/"id": "new-/' >"$WORK/new.jsonl"
chmod 644 "$WORK/new.jsonl"
# shellcheck disable=SC2086
run change $AS "$CYSEARCH_INDEX" --db "$DB" --threads 1 "$INPUT" "$WORK/new.jsonl"
check_status "a run with a new article on a read-only index" 1
check_file_contains "it names the index and says it is read-only" "$WORK/change.err" \
  "cysearch-index: $WORK/new.jsonl:1: index '$DB' is read-only ("
check_file_contains "and what it could not take" "$WORK/change.err" \
  "it cannot take the new article 'new-001'; make it writable to change it"
check_eq "the index files are still untouched" "$(cat "$WORK/before.sums")" "$(sums)"

# shellcheck disable=SC2086
run delete $AS "$CYSEARCH_INDEX" --db "$DB" --delete sample-001
check_status "--delete on a read-only index" 1
check_file_contains "--delete: the index is named as read-only" "$WORK/delete.err" \
  "index '$DB' is read-only ("

finish
