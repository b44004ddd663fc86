#!/bin/sh
# test_jobs.sh — the batch-job options of cysearch-index: --delete,
# --strict (stop without writing a partial batch), --compact, --stats-json
# (counts, errors by kind whatever the file is called, a final newline),
# no progress line on a pipe, and --progress's log of one large gzip file
# (the MB read so far and an ETA while it is read, not only at its end).
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

SAMPLE="$CYSEARCH_SOURCE_DIR/corpus/sample.jsonl"
DB="$WORK/db"
count() { "$CYSEARCH" --db "$DB" --format json --limit 0 "$1" |
          python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }

run first "$CYSEARCH_INDEX" --db "$DB" --stats-json "$WORK/stats.json" "$SAMPLE"
check_status "indexing with --stats-json" 0
check_file_not_contains "no progress line on a pipe" "$WORK/first.err" "$(printf '\r')"
pycheck "$WORK/stats.json" <<'PY'
s = json.load(open(sys.argv[1]))
for k in ("added", "replaced", "unchanged", "deleted", "skipped"):
    check(isinstance(s.get(k), int), "--stats-json has the integer field " + k)
check_eq("--stats-json counts the added articles", 32, s["added"])
check(s["index_bytes"] > 0 and s["seconds"] >= 0, "--stats-json has the index size and time")
PY

# --delete
before=$(count 'title:WannaCry')
run del "$CYSEARCH_INDEX" --db "$DB" --delete sample-001 --delete no-such-id
check_status "--delete runs without inputs" 0
check_file_contains "an unknown id is reported" "$WORK/del.err" "no article with id 'no-such-id'"
check_file_contains "the summary counts the deletion" "$WORK/del.err" "1 deleted"
check_eq "the index holds one article fewer" 31 "$(summary_num "$WORK/del.err" holds)"
after=$(count 'title:WannaCry')
check_eq "the deleted article is no longer found" "$((before - 1))" "$after"

# --strict: the good article before the bad line is not written either
printf '{"id":"strict-1","body":"zanzibarite alpha"}\nnot json\n{"id":"strict-2","body":"zanzibarite beta"}\n' > "$WORK/strict.jsonl"
run strict "$CYSEARCH_INDEX" --db "$DB" --strict "$WORK/strict.jsonl"
check_status "--strict stops at the first problem" 1
check_file_contains "and says so" "$WORK/strict.err" "stopped at the first problem"
check_eq "nothing of the batch was written" 0 "$(count zanzibarite)"
check_file_contains "the summary says the article before the problem was not written" \
  "$WORK/strict.err" "1 of those changes came after the last commit and were not written"
run strict_stats "$CYSEARCH_INDEX" --db "$DB" --strict --stats-json "$WORK/strict.json" "$WORK/strict.jsonl"
pycheck "$WORK/strict.json" <<'PY'
s = json.load(open(sys.argv[1]))
check_eq("--stats-json: the one article read before the problem", 1, s["added"])
check_eq("--stats-json: and not written", 1, s["uncommitted"])
check_eq("--stats-json: no commit was made", 0, s["commits"])
PY
run lax "$CYSEARCH_INDEX" --db "$DB" --stats-json "$WORK/lax.json" "$WORK/strict.jsonl"
check_status "without --strict the bad line is skipped" 3
check_eq "and the good articles are indexed" 2 "$(count zanzibarite)"
pycheck "$WORK/lax.json" <<'PY'
s = json.load(open(sys.argv[1]))
check_eq("--stats-json counts the skip by kind", {"malformed_json": 1}, s["errors"])
check_eq("--stats-json: everything written", 0, s["uncommitted"])
check_eq("--stats-json: one commit, the final one", 1, s["commits"])
PY
check_eq "the --stats-json file ends in a newline" "0a" \
  "$(tail -c 1 "$WORK/lax.json" | od -An -tx1 | tr -d ' \n')"

# --stats-json: a skip's kind is what was wrong, never words of the file's
# name: an empty id in gzip-notes.jsonl is no damaged_gzip, binary data in
# missing-blob.jsonl no missing_field.
printf '%s\n' '{"id":"","title":"Empty id"}' '["not", "an", "object"]' \
  '"gzip"' '{"id":"kinds-ok","title":"Kept"}' > "$WORK/gzip-notes.jsonl"
printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\003\000>\000\n' \
  > "$WORK/missing-blob.jsonl"
run kinds "$CYSEARCH_INDEX" --db "$DB" --stats-json "$WORK/kinds.json" \
  "$WORK/gzip-notes.jsonl" "$WORK/missing-blob.jsonl"
check_status "lines and a file of the wrong kind are skipped" 3
pycheck "$WORK/kinds.json" <<'PY'
s = json.load(open(sys.argv[1]))
check_eq("--stats-json: kinds by what was wrong, not by file name",
         {"missing_field": 1, "wrong_type": 2, "not_a_document": 1},
         s["errors"])
check_eq("--stats-json: the good line is added", 1, s["added"])
PY
run kinds_x "$CYSEARCH_INDEX" --extract --stats-json "$WORK/kinds_x.json" \
  "$WORK/gzip-notes.jsonl" "$WORK/missing-blob.jsonl"
check_status "--extract skips them too" 3
pycheck "$WORK/kinds.json" "$WORK/kinds_x.json" <<'PY'
a, b = (json.load(open(p)) for p in sys.argv[1:3])
check_eq("--extract --stats-json counts the same kinds", a["errors"], b["errors"])
PY

# --progress on one gzip file of 3,200 articles: a line a second, each
# counting the bytes of the file read so far (the line said 0.0 MB until
# the file ended) and, before the end, an ETA reckoned on the compressed
# size.
python3 - "$SAMPLE" <<'PY' | gzip -1 > "$WORK/many.jsonl.gz"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
for k in range(100):
    for a in lines:
        a = dict(a, id="%s-copy-%d" % (a["id"], k))
        print(json.dumps(a))
PY
run progress "$CYSEARCH_INDEX" --db "$WORK/progress-db" --threads 1 --progress \
  "$WORK/many.jsonl.gz"
check_status "--progress on a gzip file" 0
pycheck "$WORK/progress.err" <<'PY'
import re
rows = [re.search(r": (\d+) articles, ([0-9.]+) MB, .*?(?:, ETA (\d+) s)? after ([0-9.]+) s$", l)
        for l in open(sys.argv[1]) if l.endswith(" s\n") and " after " in l]
rows = [m for m in rows if m]
check(len(rows) >= 2, "--progress logged at least two lines (%d)" % len(rows))
mid = [m for m in rows if 0 < int(m.group(1)) < 3200]
check(mid and all(float(m.group(2)) > 0 for m in mid),
      "each line while the file is read counts its MB so far")
check(any(m.group(3) for m in mid), "and some give an ETA")
PY

# --compact
size_before=$(du -sk "$DB" | cut -f1)
run compact "$CYSEARCH_INDEX" --db "$DB" --compact
check_status "--compact" 0
size_after=$(du -sk "$DB" | cut -f1)
[ "$size_after" -le "$size_before" ] && pass "the compacted index is not larger ($size_before -> $size_after KB)" ||
  fail "the compacted index is not larger" "$size_before -> $size_after KB"
check_eq "the compacted index holds every article" 2 "$(count zanzibarite)"
if xapian-check "$DB" > /dev/null 2>&1; then pass "the compacted index passes xapian-check"
else fail "the compacted index passes xapian-check"; fi
leftovers=$(ls "$WORK" | grep -c -e '\.compact-' -e '\.old-' || true)
check_eq "no temporary directories are left" 0 "$leftovers"
finish
