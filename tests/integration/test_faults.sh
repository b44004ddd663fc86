#!/bin/sh
# test_faults.sh — nothing is lost and nothing is broken when things go
# wrong: the indexer killed with SIGKILL at 10 random moments (the index
# must open, pass Xapian's check and hold exactly the articles of a commit,
# and the next run completes it without duplicates); searchers running
# while a job commits over and over (none fails); a damaged index (a clear
# error, never a crash or a hang); and a full disk (a clear message, the
# index valid at its last commit; needs root to mount a small tmpfs).
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

command -v xapian-delve >/dev/null 2>&1 || skip "xapian-delve (xapian-tools) not installed"

# A corpus big enough that indexing takes a few seconds: the news corpus,
# or articles made from the sample corpus.
CORPUS="$WORK/corpus.jsonl"
if have_news; then
  gzip -dc "$NEWS" > "$CORPUS"
else
  python3 - "$CYSEARCH_SOURCE_DIR/corpus/sample.jsonl" "$CORPUS" <<'PY'
import json, random, sys
arts = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
rnd = random.Random(7)
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for i in range(3000):
        a = dict(arts[i % len(arts)])
        words = (a["body"] or "").split()
        rnd.shuffle(words)
        a["id"] = "synthetic-%d" % i
        a["body"] = " ".join(words)
        out.write(json.dumps(a) + "\n")
PY
fi
TOTAL=$(grep -c . "$CORPUS")
EVERY=100

doccount() { xapian-delve "$1" 2>/dev/null | sed -n 's/^number of documents = //p'; }

# ---- kill -9 at random moments ------------------------------------------------
DB="$WORK/crash"
i=0
while [ $i -lt 10 ]; do
  i=$((i + 1))
  "$CYSEARCH_INDEX" --quiet --commit-every "$EVERY" --db "$DB" "$CORPUS" \
    > /dev/null 2>&1 &
  pid=$!
  # 0.2 to 2.0 s into the job
  sleep "$(python3 -c "import random; print(round(random.uniform(0.2, 2.0), 2))")"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if xapian-check "$DB" > "$WORK/check.out" 2>&1; then
    pass "kill $i: the index passes xapian-check"
  else
    fail "kill $i: the index passes xapian-check" "$(tail -3 "$WORK/check.out")"
  fi
  n=$(doccount "$DB")
  if [ -n "$n" ] && { [ $((n % EVERY)) -eq 0 ] || [ "$n" -eq "$TOTAL" ]; }; then
    pass "kill $i: the index holds the articles of a commit ($n)"
  else
    fail "kill $i: the index holds the articles of a commit" "count '$n'"
  fi
done
run finish_job "$CYSEARCH_INDEX" --commit-every "$EVERY" --db "$DB" "$CORPUS"
check_status "the next run completes the job" 0
check_eq "every article once, none twice" "$TOTAL" "$(doccount "$DB")"
run check_cmd "$CYSEARCH_INDEX" --check --db "$DB"
check_status "cysearch-index --check finds it sound" 0

# ---- searchers while a job commits --------------------------------------------
CONC="$WORK/concurrent"
"$CYSEARCH_INDEX" --quiet --db "$CONC" "$CYSEARCH_SOURCE_DIR/corpus/sample.jsonl" 2>/dev/null
"$CYSEARCH_INDEX" --quiet --commit-every 20 --db "$CONC" "$CORPUS" \
  > /dev/null 2>&1 &
writer=$!
failures=0 runs=0 cgi_runs=0
while kill -0 "$writer" 2>/dev/null && [ $runs -lt 300 ]; do
  runs=$((runs + 1))
  if ! "$CYSEARCH" --db "$CONC" --format json --facets country 'china hackers' \
    > /dev/null 2> "$WORK/search.err"; then
    failures=$((failures + 1))
    echo "search $runs failed: $(cat "$WORK/search.err")"
  fi
  # the search page too, every other round: it must answer 200
  if [ -n "${CYSEARCH_CGI:-}" ] && [ $((runs % 2)) -eq 0 ]; then
    cgi_runs=$((cgi_runs + 1))
    # (a generous time limit: this is about commits, not speed, and under
    # a sanitizer beside the writer a request may take more than the
    # page's 2 s, which is then a 503)
    CYSEARCH_TIME_LIMIT=60 REQUEST_METHOD=GET \
      QUERY_STRING='q=china+hackers&country=CN' \
      CYSEARCH_DB="$CONC" "$CYSEARCH_CGI" > "$WORK/cgi.out" 2>/dev/null || true
    if ! head -1 "$WORK/cgi.out" | grep -q '^Status: 200'; then
      failures=$((failures + 1))
      echo "page $cgi_runs failed: $(head -c 300 "$WORK/cgi.out" | tr '\r\n' '  ')"
    fi
  fi
done
wait "$writer" 2>/dev/null || true
[ $runs -ge 5 ] && pass "searches ran while the job committed ($runs, $cgi_runs of them also through the CGI)" ||
  fail "searches ran while the job committed" "only $runs"
check_eq "no search (CLI or CGI) failed while the job committed" 0 "$failures"

# A second writer is turned away at once, with the reason.
"$CYSEARCH_INDEX" --quiet --commit-every 20 --db "$WORK/locked" "$CORPUS" \
  > /dev/null 2>&1 &
first=$!
sleep 0.5
run second "$CYSEARCH_INDEX" --db "$WORK/locked" "$CYSEARCH_SOURCE_DIR/corpus/sample.jsonl"
kill -9 "$first" 2>/dev/null || true
wait "$first" 2>/dev/null || true
check_status "a second writer fails" 1
check_file_contains "and says the index is locked" "$WORK/second.err" "lock"

# ---- a damaged index -------------------------------------------------------------
DAMAGED="$WORK/damaged"
cp -r "$DB" "$DAMAGED"
python3 - "$DAMAGED" <<'PY'
import os, random, sys
rnd = random.Random(3)
for name in ("postlist.glass", "termlist.glass", "docdata.glass"):
    path = os.path.join(sys.argv[1], name)
    if not os.path.exists(path):
        continue
    data = bytearray(open(path, "rb").read())
    for _ in range(200):
        i = rnd.randrange(len(data))
        data[i] ^= 0xFF
    open(path, "wb").write(bytes(data))
PY
run damaged_search timeout 30 "$CYSEARCH" --db "$DAMAGED" --format json --limit 50 'ransomware hospital'
if [ "$STATUS" -eq 1 ]; then
  pass "a search on a damaged index exits 1"
  if grep -qi corrupt "$WORK/damaged_search.err"; then
    pass "with a message saying the index is corrupt"
  else
    fail "with a message saying the index is corrupt" "$(cat "$WORK/damaged_search.err")"
  fi
elif [ "$STATUS" -eq 0 ]; then
  pass "a search on a damaged index did not touch a damaged block (exit 0)"
else
  fail "a search on a damaged index exits 0 or 1, never crashes or hangs" "status $STATUS"
fi
run damaged_check "$CYSEARCH_INDEX" --check --db "$DAMAGED"
check_status "cysearch-index --check reports the damage" 1
check_file_contains "and says to rebuild" "$WORK/damaged_check.err" "damaged"

# ---- a full disk ------------------------------------------------------------------
FULL="$WORK/full"
mkdir -p "$FULL"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=4m tmpfs "$FULL" 2>/dev/null; then
  run disk_full "$CYSEARCH_INDEX" --commit-every 50 --db "$FULL/db" "$CORPUS"
  check_status "a job on a full disk stops with an error" 1
  check_file_contains "saying so" "$WORK/disk_full.err" "space"
  if xapian-check "$FULL/db" > "$WORK/full_check.out" 2>&1; then
    pass "the index on the full disk passes xapian-check"
  else
    fail "the index on the full disk passes xapian-check" "$(tail -3 "$WORK/full_check.out")"
  fi
  n=$(doccount "$FULL/db")
  [ -n "$n" ] && [ $((n % 50)) -eq 0 ] &&
    pass "it holds the articles of its last commit ($n)" ||
    fail "it holds the articles of its last commit" "count '$n'"
  umount "$FULL"
else
  echo "note: not root or tmpfs not mountable here; the full-disk part is skipped"
fi
finish
