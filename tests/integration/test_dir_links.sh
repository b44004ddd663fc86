#!/bin/sh
# test_dir_links.sh — symbolic links inside a directory given as INPUT are
# never followed (docs/indexing.md): a link planted in the input to a
# private file outside it, a link to a directory outside it and a link
# loop are each named in a warning and passed over, and nothing they point
# to becomes searchable; a link named on the command line is the user's
# choice and is read.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

IN="$WORK/in"
PRIVATE="$WORK/private"
mkdir -p "$IN/sub" "$PRIVATE"
printf '{"id": "public-1", "title": "Public note", "body": "publicwordzz"}\n' \
  >"$IN/sub/public.jsonl"
printf '{"id": "secret-1", "title": "Private", "body": "secretwordzz"}\n' \
  >"$PRIVATE/secret.jsonl"
printf '{"id": "secret-2", "title": "Private too", "body": "hiddendirwordzz"}\n' \
  >"$PRIVATE/other.jsonl"
ln -s "$PRIVATE/secret.jsonl" "$IN/planted.jsonl"
ln -s "$PRIVATE" "$IN/sub/outside"
ln -s .. "$IN/sub/loop"

DB="$WORK/db"
run walk "$CYSEARCH_INDEX" --db "$DB" "$IN"
check_status "a directory holding links" 0
check_eq "only the real file is indexed" 1 "$(summary_num "$WORK/walk.err" holds)"
check_file_contains "the link to a file outside is named" "$WORK/walk.err" \
  "cysearch-index: $IN/planted.jsonl: a symbolic link; not followed"
check_file_contains "the link to a directory outside is named" "$WORK/walk.err" \
  "cysearch-index: $IN/sub/outside: a symbolic link; not followed"
check_file_contains "the link loop is named" "$WORK/walk.err" \
  "cysearch-index: $IN/sub/loop: a symbolic link; not followed"
check_file_contains "each is counted as ignored" "$WORK/walk.err" \
  "1 files read, 3 ignored"
check_file_not_contains "the private file is not read" "$WORK/walk.err" "secret"

for w in secretwordzz hiddendirwordzz; do
  capture "$WORK/$w.json" "$CYSEARCH" --db "$DB" --format json "$w"
  check_file_contains "'$w' (behind a link) is not searchable" "$WORK/$w.json" \
    '"total":0,'
done
capture "$WORK/public.json" "$CYSEARCH" --db "$DB" --format json publicwordzz
check_file_contains "the real file is searchable" "$WORK/public.json" '"id":"public-1"'

run quiet "$CYSEARCH_INDEX" --db "$DB" --quiet "$IN"
check_eq "--quiet leaves the warnings out" "" "$(cat "$WORK/quiet.err")"

# A link named on the command line, to a file or to a directory, is read.
run named "$CYSEARCH_INDEX" --db "$DB" "$IN/planted.jsonl" "$IN/sub/outside"
check_status "links named on the command line" 0
check_eq "what they point to is indexed" 3 "$(summary_num "$WORK/named.err" holds)"

finish
