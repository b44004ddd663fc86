#!/bin/sh
# test_huge_article.sh — the worst articles under the default
# --max-article-bytes (10 MiB) (issue #16): 9 MB of dense entity mentions
# is indexed (it used to run for more than ten minutes: extraction
# compared each candidate with every earlier one), tagged with every
# entity it names, with at most CYS_EXTRACT_MAX_MENTIONS mentions per
# field; and SIGTERM during such articles stops the job at once, keeping
# what was committed.  No time is asserted, only generous bounds (a run
# that does not end within them has not ended at all); the measured
# times are in docs/bad-input.md ("The worst article").
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

CAP=$(sed -n 's/^#define CYS_EXTRACT_MAX_MENTIONS \([0-9]*\).*/\1/p' \
  "$CYSEARCH_SOURCE_DIR/common/include/cysearch/entity.h")
[ -n "$CAP" ] || fail "CYS_EXTRACT_MAX_MENTIONS found in entity.h"

# dense.jsonl: one 9 MB article, "China and Russia " over and over, and
# Iran named once at the end; huge.jsonl: a small article, then four such.
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
body = "China and Russia " * (9_000_000 // 17) + "Then Iran."
def line(i, b):
    return json.dumps({"id": i, "title": "Dense", "body": b}) + "\n"
with open(w + "/dense.jsonl", "w") as f:
    f.write(line("dense", body))
with open(w + "/huge.jsonl", "w") as f:
    f.write(line("small", "The first article, about Belgium."))
    for i in range(4):
        f.write(line("huge-%d" % i, body))
PY

# ---- a 9 MB article of mentions is indexed, its tags complete ----------------
run dense timeout -k 10 120 "$CYSEARCH_INDEX" --db "$WORK/db" "$WORK/dense.jsonl"
check_status "9 MB of dense mentions is indexed" 0
for f in country:CN country:RU country:IR; do
  capture "$WORK/tag.json" "$CYSEARCH" --db "$WORK/db" --format json "$f"
  check_file_contains "the dense article is tagged $f" "$WORK/tag.json" '"id":"dense"'
done

run extract timeout -k 10 120 "$CYSEARCH_INDEX" --extract "$WORK/dense.jsonl"
check_status "--extract on the dense article" 0
pycheck "$WORK/extract.out" "$CAP" <<'EOF'
rec = json.loads(open(sys.argv[1]).read())
body = [e for e in rec["entities"] if e["field"] == "body"]
cap = int(sys.argv[2])
check(len(body) == cap + 1,
      "--extract: the body keeps %d mentions and Iran's (%d)" % (cap, len(body)))
check(body[-1]["value"] == "IR" and body[-1]["text"] == "Iran",
      "--extract: Iran, named after the cap, is still found", body[-1])
check(sorted({e["value"] for e in body}) == ["CN", "IR", "RU"],
      "--extract: every entity named is there")
EOF

# ---- 9 MB that introduces a name, then repeats it ---------------------------
# Names an article introduces ("a loader dubbed X") and the agency rules
# looked at every candidate for each mention: 1 MB of this took 5.9 s
# (9 MB would take about eight minutes); with candidates found by their
# start byte it is linear.
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
body = ("Researchers found a new loader dubbed Zorgolix. " +
        "Zorgolix hit China's Ministry of State Security (MSS) " * 160_000)
with open(w + "/intro.jsonl", "w") as f:
    f.write(json.dumps({"id": "intro", "title": "Zorgolix", "body": body}) + "\n")
PY
run intro timeout -k 10 120 "$CYSEARCH_INDEX" --extract "$WORK/intro.jsonl"
check_status "9 MB repeating a name the article introduces" 0
check_file_contains "the introduced name is tagged" "$WORK/intro.out" \
  '"value":"Zorgolix"'

# ---- SIGTERM during a huge article -------------------------------------------
"$CYSEARCH_INDEX" --db "$WORK/db-term" --threads 1 --commit-every 1 \
  "$WORK/huge.jsonl" </dev/null >"$WORK/term.out" 2>"$WORK/term.err" &
pid=$!
sleep 2
kill -TERM "$pid" 2>/dev/null || :
waited=0
while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 100 ]; do
  sleep 0.1
  waited=$((waited + 1))
done
if kill -0 "$pid" 2>/dev/null; then
  fail "SIGTERM during a huge article: the indexer stops within 10 s" \
    "still running"
  kill -KILL "$pid" 2>/dev/null || :
  wait "$pid" 2>/dev/null || :
else
  pass "SIGTERM during a huge article: the indexer stops within 10 s"
  STATUS=0
  wait "$pid" || STATUS=$?
  check_status "SIGTERM: the job stopped" 1
  check_file_contains "SIGTERM: said so" "$WORK/term.err" \
    "cysearch-index: interrupted; work up to the last commit is kept"
  check_file_not_contains "SIGTERM: the interrupted article is no error" \
    "$WORK/term.err" "cannot build document"
  capture "$WORK/small.json" "$CYSEARCH" --db "$WORK/db-term" --format json belgium
  check_file_contains "SIGTERM: the article committed before is kept" \
    "$WORK/small.json" '"id":"small"'
fi

finish
