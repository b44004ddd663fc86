#!/bin/sh
# test_json_stream.sh — .json documents that are arrays are read element
# by element (issue #16): --max-article-bytes applies to each element (the
# one over it is skipped and named, the others indexed), an array broken
# half-way keeps the elements before the break, and an array on one
# line longer than the limit is still read.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

python3 - "$WORK" <<'PY'
import gzip, json, sys
w = sys.argv[1]
def art(i, body):
    return {"id": i, "title": "Title " + i, "body": body}
arr = [art("small-1", "streamfirstword"), art("huge-2", "word " * 1000),
       art("small-3", "streamthirdword")]
with gzip.open(w + "/limit.json.gz", "wt") as f:
    f.write("[\n" + ",\n".join(json.dumps(a) for a in arr) + "\n]\n")
with open(w + "/oneline.json", "w") as f:
    json.dump([art("one-%d" % i, "onelineword number %d" % i) for i in range(40)], f)
with open(w + "/broken.json", "w") as f:
    f.write('[{"id": "b-1", "body": "brokenfirstword"},\n'
            ' {"id": "b-2", "body": "brokensecondword"}\n'
            ' {"id": "b-3", "body": "brokenthirdword"}]\n')
with open(w + "/object.json", "w") as f:
    json.dump(art("obj", "objectword " * 500), f, indent=1)
PY

run limit "$CYSEARCH_INDEX" --db "$WORK/db" --max-article-bytes 2000 \
  "$WORK/limit.json.gz" "$WORK/oneline.json" "$WORK/broken.json" "$WORK/object.json"
check_status "arrays with an element over the limit and a break" 3
check_file_contains "the element over --max-article-bytes is named and skipped" "$WORK/limit.err" \
  "cysearch-index: $WORK/limit.json.gz: element 2: larger than 2000 bytes (--max-article-bytes); skipped"
for w in streamfirstword streamthirdword; do
  capture "$WORK/hit.json" "$CYSEARCH" --db "$WORK/db" --format json "$w"
  check_file_contains "the elements around it are indexed ($w)" "$WORK/hit.json" '"total":1,'
done
capture "$WORK/oneline-hits.json" "$CYSEARCH" --db "$WORK/db" --format json --no-collapse onelineword
check_file_contains "a one-line array longer than the limit: every element" \
  "$WORK/oneline-hits.json" '"total":40,'
check_file_contains "a broken array: the break is named by line and column" "$WORK/limit.err" \
  "cysearch-index: $WORK/broken.json: not valid JSON: expected ',' or ']' after an element, found '{' (line 3, column 2); rest of file skipped"
capture "$WORK/broken-hits.json" "$CYSEARCH" --db "$WORK/db" --format json brokenfirstword brokensecondword
check_file_contains "a broken array: the elements before the break are indexed" \
  "$WORK/broken-hits.json" '"total":2,'
check_file_contains "one article object over the limit is skipped" "$WORK/limit.err" \
  "cysearch-index: $WORK/object.json: larger than 2000 bytes (--max-article-bytes); skipped"
check_eq "added: two, forty and two" 44 "$(summary_num "$WORK/limit.err" added)"
check_eq "skipped: the element, the break, the object" 3 "$(summary_num "$WORK/limit.err" skipped)"

finish
