#!/bin/sh
# test_search_limits.sh — what a hostile query or article cannot do to
# cysearch and cysearch.cgi (issue #16):
#   - the time limit stops a match that needs many position checks, or
#     many candidates (the guards, not Xapian's own limit, which only stops
#     counting): exit 1 with a message naming the limit; the page answers
#     503;
#   - over-long phrase groups are searched without positions, with a note
#     in text, JSON and on the page;
#   - batch mode: a failed query is an {"qid", "error"} object in JSON, and
#     named by its QID on stderr; the other queries still run;
#   - stored text with escape sequences and control characters never
#     reaches the terminal raw; JSON keeps it, escaped.
# No timing is asserted: the limit used is a nanosecond, which every
# match of more than a few candidates passes.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

DB="$WORK/db"
# 40 articles made of the commonest words, so that a phrase of them is a
# position check in every article; and one with hostile text.
python3 - "$WORK/common.jsonl" "$WORK/hostile.jsonl" <<'EOF'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(40):
        body = "the of and to in " * 60 + "ransomware number%d" % i
        f.write(json.dumps({"id": "common-%d" % i, "title": "Common %d" % i,
                            "body": body}) + "\n")
esc = "\x1b"
with open(sys.argv[2], "w") as f:
    f.write(json.dumps({
        "id": "hostile-1",
        "title": "Evil " + esc + "[2J" + esc + "]0;pwned\x07 title\rFORGED\x08\u009b31m",
        "date": "2024-01-02",
        "source": "src" + esc + "[0m.example",
        "url": "http://example.org/" + esc + "[31mred",
        "body": "hostileword ransomware " + esc + "[1A" + esc + "[2K\n  2. forged result\u0085\u009b0m end"}) + "\n")
    f.write(json.dumps({"id": "hostile-" + esc + "[5m-id", "title": "Blink",
                        "body": "hostileword blinking"}) + "\n")
    # Bidi overrides and invisible format characters: an RLO shows
    # "exploitkit\u202egnp.exe" as "exploitkitexe.png".
    f.write(json.dumps({
        "id": "hostile-bidi",
        "title": "exploitkit\u202egnp.exe \u2066iso\u2069\u200bzw\u200f\u00adsoft",
        "source": "bidi\u202a\u202d\u2067.example",
        "url": "http://example.org/\ufeff\u061c\u200e",
        "body": "hostileword bidiword \u202eevil\u202c\u2028line\u2029para\u2068x\u200c\u200d"}) + "\n")
EOF
run index "$CYSEARCH_INDEX" --db "$DB" "$WORK/common.jsonl" "$WORK/hostile.jsonl"
case $STATUS in
  0 | 3) pass "index the test articles" ;;
  *) fail "index the test articles" "$(cat "$WORK/index.err")" ;;
esac

PHRASE='"the of and to in the of and to"~20'

# ---- the time limit stops positional work -----------------------------------
run unlimited "$CYSEARCH" --db "$DB" --format trec "$PHRASE"
check_status "the phrase query runs without a limit" 0
run stopped "$CYSEARCH" --db "$DB" --time-limit 0.000000001 "$PHRASE"
check_status "a match past its time limit is stopped" 1
check_file_contains "the message names the time limit" "$WORK/stopped.err" \
  "longer than its time limit"
run stopped_near "$CYSEARCH" --db "$DB" --time-limit 0.000000001 \
  'the NEAR of NEAR and NEAR to NEAR in'
check_status "a NEAR chain past its time limit is stopped" 1
run stopped_words "$CYSEARCH" --db "$DB" --time-limit 0.000000001 \
  'the of and to in numb*'
check_status "words and wildcards past the time limit are stopped" 1

if [ -n "${CYSEARCH_CGI:-}" ]; then
  run cgi_stopped env -i PATH="$PATH" GATEWAY_INTERFACE=CGI/1.1 \
    REQUEST_METHOD=GET CYSEARCH_DB="$DB" CYSEARCH_TIME_LIMIT=0.000000001 \
    QUERY_STRING='q=%22the+of+and+to+in+the+of%22~20' "$CYSEARCH_CGI"
  check_file_contains "the page answers 503 past the time limit" \
    "$WORK/cgi_stopped.out" "Status: 503"
  run cgi_ok env -i PATH="$PATH" GATEWAY_INTERFACE=CGI/1.1 \
    REQUEST_METHOD=GET CYSEARCH_DB="$DB" \
    QUERY_STRING='q=%22the+of+and+to+in+the+of%22~20' "$CYSEARCH_CGI"
  check_file_contains "the page answers within the default limit" \
    "$WORK/cgi_ok.out" "Status: 200"
fi

# ---- over-long groups: searched without positions, with a note --------------
LONG=$(python3 -c 'print("\"" + " ".join(["the", "of", "and", "to", "in"] * 8) + "\"")')
run long_text "$CYSEARCH" --db "$DB" --no-snippets "$LONG"
check_status "a 40-word phrase still runs" 0
check_file_contains "text says the phrase lost its positions" \
  "$WORK/long_text.out" "Note: phrases or NEAR groups past 32 words"
run long_json "$CYSEARCH" --db "$DB" --format json --no-snippets "$LONG"
pycheck "$WORK/long_json.out" <<'EOF'
r = json.load(open(sys.argv[1]))
check("warning" in r and "32 words" in r["warning"], "JSON has the warning",
      r.get("warning"))
check(r["total"] == 40, "the long phrase matches as AND", r["total"])
EOF

# ---- batch mode: a failed query is reported, the others run -----------------
printf 'ok1\tnumber3\nbad\tcountry:Narnia\nslow\t%s\nok2\tnumber4\n' \
  "$PHRASE" >"$WORK/queries.txt"
run batch_json "$CYSEARCH" --db "$DB" --format json --time-limit 0.000000001 \
  --queries "$WORK/queries.txt"
check_status "a batch with failed queries" 1
pycheck "$WORK/batch_json.out" <<'EOF'
lines = read_json_lines(sys.argv[1])
check_eq("one JSON object per query, in order", ["ok1", "bad", "slow", "ok2"],
         [l.get("qid") for l in lines])
by = {l["qid"]: l for l in lines}
check("error" in by.get("bad", {}) and "Narnia" in by["bad"]["error"],
      "the bad filter is an error object", by.get("bad"))
check("error" in by.get("slow", {}) and "time limit" in by["slow"]["error"],
      "the stopped query is an error object", by.get("slow"))
check(by.get("ok2", {}).get("total") == 1, "the query after them ran",
      by.get("ok2"))
EOF
check_file_contains "stderr names the failed query" "$WORK/batch_json.err" \
  "query bad: unknown country"
run batch_trec "$CYSEARCH" --db "$DB" --format trec --time-limit 0.000000001 \
  --queries "$WORK/queries.txt"
check_file_contains "TREC: stderr names the stopped query" \
  "$WORK/batch_trec.err" "query slow: "
check_file_contains "TREC: the last query ran" "$WORK/batch_trec.out" "ok2 Q0"

# ---- terminal injection -------------------------------------------------------
# raw_controls FILE: the control bytes in FILE other than newline, C1
# controls (as UTF-8 or as raw bytes), and format characters and line or
# paragraph separators (bidi overrides, zero-width; categories Cf, Zl, Zp).
raw_controls() {
  python3 - "$1" <<'EOF'
import re, sys, unicodedata
data = open(sys.argv[1], "rb").read()
bad = re.findall(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]", data)
raw = [b for b in re.findall(rb"[\x80-\xff]+", data)
       if not re.fullmatch(rb"(?:[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3})+", b)]
fmt = [c for c in data.decode("utf-8", "replace")
       if unicodedata.category(c) in ("Cf", "Zl", "Zp")]
print(len(bad) + len(raw) + len(fmt))
EOF
}
run hostile_text "$CYSEARCH" --db "$DB" --color never --facets source \
  hostileword
check_status "search the hostile articles" 0
check_eq "text output holds no control characters" 0 \
  "$(raw_controls "$WORK/hostile_text.out")"
check_file_contains "the title is still shown" "$WORK/hostile_text.out" \
  "title FORGED"
check_file_contains "an RLO is shown as U+FFFD" "$WORK/hostile_text.out" \
  "exploitkit$(printf '\357\277\275')gnp.exe"
run hostile_explain "$CYSEARCH" --db "$DB" --color never --explain \
  --facets source bidiword
check_status "explain the hostile article" 0
check_eq "--explain and --facets hold no control or format characters" 0 \
  "$(raw_controls "$WORK/hostile_explain.out")"
run hostile_color "$CYSEARCH" --db "$DB" --color always hostileword
check_file_not_contains "no screen clearing with colour on" \
  "$WORK/hostile_color.out" "$(printf '\033[2J')"
# ---- snippets count against the time limit ---------------------------------
# Three large articles (about 300 KB of words each) that all match: with a
# microsecond limit the match ends (three candidates) but the limit has
# passed before the first snippet, so no hit gets one and the results say
# so; without a limit every hit has one.  TREC output makes no snippets.
python3 - "$WORK/large.jsonl" <<'EOF2'
import json, random, sys
rng = random.Random(5)
with open(sys.argv[1], "w") as f:
    for i in range(3):
        words = ["".join(rng.choice("abcdefghij") for _ in range(rng.randint(3, 8)))
                 for _ in range(50000)]
        words.insert(rng.randrange(len(words)), "snipword")
        f.write(json.dumps({"id": "large-%d" % i, "title": "Large %d" % i,
                            "body": " ".join(words)}) + "\n")
EOF2
run index_large "$CYSEARCH_INDEX" --db "$WORK/large_db" "$WORK/large.jsonl"
check_status "index the large articles" 0
run snip_full "$CYSEARCH" --db "$WORK/large_db" --format json snipword
check_status "the large articles are found without a limit" 0
pycheck "$WORK/snip_full.out" <<'EOF2'
r = json.loads(open(sys.argv[1]).read())
check(len(r["hits"]) == 3, "three large hits", len(r["hits"]))
check(all(h["snippet"] and "snipword" in h["snippet"] for h in r["hits"]),
      "without a limit every hit has a snippet showing the word")
check("warning" not in r, "without a limit there is no note", r.get("warning"))
EOF2
run snip_cut "$CYSEARCH" --db "$WORK/large_db" --format json \
  --time-limit 0.000001 snipword
check_status "hits found before the limit are still answered" 0
pycheck "$WORK/snip_cut.out" <<'EOF2'
r = json.loads(open(sys.argv[1]).read())
check(len(r["hits"]) == 3, "three large hits past the limit", len(r["hits"]))
check(all(h["snippet"] is None for h in r["hits"]),
      "past the limit no hit gets a snippet", [h["snippet"] for h in r["hits"]])
check("snippets were cut short by the time limit" in r.get("warning", ""),
      "JSON says the snippets were cut short", r.get("warning"))
EOF2
run snip_cut_text "$CYSEARCH" --db "$WORK/large_db" --color never \
  --time-limit 0.000001 snipword
check_file_contains "text says the snippets were cut short" \
  "$WORK/snip_cut_text.out" "snippets were cut short by the time limit"
run snip_trec "$CYSEARCH" --db "$WORK/large_db" --format trec \
  --time-limit 0.000001 snipword
check_status "TREC output past the limit succeeds" 0
check_eq "TREC output lists the three hits" 3 "$(wc -l <"$WORK/snip_trec.out")"
check_eq "TREC output makes no snippets to cut short" 0 \
  "$(grep -c 'snippets were cut' "$WORK/snip_trec.err" || true)"

# A query with a raw C1 byte (invalid UTF-8) and an escape, echoed back.
run hostile_query "$CYSEARCH" --db "$DB" --color never \
  "$(printf 'hostileword \233\063\061m \033[2J')"
check_eq "the echoed query holds no control characters" 0 \
  "$(raw_controls "$WORK/hostile_query.out")"
printf 'q1\tcountry:\033[2JNarnia\n' >"$WORK/hostile_queries.txt"
run hostile_batch "$CYSEARCH" --db "$DB" --queries "$WORK/hostile_queries.txt"
check_eq "error messages hold no control characters" 0 \
  "$(raw_controls "$WORK/hostile_batch.err")"
run hostile_json "$CYSEARCH" --db "$DB" --format json hostileword
pycheck "$WORK/hostile_json.out" <<'EOF'
raw = open(sys.argv[1], "rb").read()
check(b"\x1b" not in raw, "JSON escapes the escape character")
r = json.loads(raw)
titles = [h["title"] for h in r["hits"]]
check(any("\x1b[2J" in t for t in titles), "JSON keeps the stored title",
      titles)
EOF

finish
