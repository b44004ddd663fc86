#!/bin/sh
# test_bad_input.sh — the documented behaviour on bad input
# (docs/bad-input.md, "Bad input") and on bad command lines: every bad
# line is reported as FILE:LINE and skipped (or repaired, with a warning) while the good ones are indexed;
# missing and truncated inputs, each counted under its kind in --stats-json;
# a missing or non-index --db; usage errors (--extract with the options
# that need an index among them); --help and --version.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

# ---- a JSONL file of good and bad lines ------------------------------------------
# python writes the file and a manifest of what each line should cause:
#   manifest:  LINE <TAB> skip|warn|quiet <TAB> text the message must contain
#   goods:     ID <TAB> a word found only in that article
BAD="$WORK/mixed.jsonl"
pycheck "$BAD" "$WORK/manifest" "$WORK/goods" <<'EOF'
path, manifest, goods = sys.argv[1:4]
lines, expect, good = [], [], []
def add(raw, kind, needle="", good_id=None, word=None):
    lines.append(raw)
    expect.append((len(lines), kind, needle))
    if good_id is not None:
        good.append((good_id, word))
def obj(d):
    return json.dumps(d).encode()

add(obj({"id": "good-1", "title": "A good article", "date": "2024-02-03",
         "body": "The alphagoodword appears only here."}),
    "quiet", good_id="good-1", word="alphagoodword")
add(b"this line is not JSON at all", "skip", "not valid JSON")
add(b'["an", "array", 1]', "skip", "expected a JSON object, found an array")
add(obj({"title": "No id here", "body": "missingidword"}), "skip",
    'field "id" is missing')
add(obj({"id": 4242, "title": "A numeric id",
         "body": "numericidword in the body"}),
    "quiet", good_id="4242", word="numericidword")
add(obj({"id": "wrong-title", "title": 12345, "body": "wrongtitleword"}),
    "skip", 'field "title" must be a string or null, not a number')
add(b'{"id": "bad-utf8", "title": "Caf\xe9 \xff menu", '
    b'"body": "The utf8repairword body with a bad \xc3 byte."}',
    "warn", "invalid UTF-8", good_id="bad-utf8", word="utf8repairword")
add(b'{"id": "nul-byte", "body": "nulbyteword \x00 after a NUL"}', "skip",
    "line contains a NUL byte")
add(obj({"id": "bad-date", "date": "the day before yesterday",
         "title": "Bad date", "body": "baddateword text"}),
    "warn", "date", good_id="bad-date", word="baddateword")
add(b"", "quiet")
add(b"   \t  ", "quiet")
add(obj({"id": "too-long", "title": "Too long",
         "body": "toolongword " + "padding " * 400}),
    "skip", "line longer than 2000 bytes")
add(obj({"id": "", "title": "Empty id", "body": "emptyidword"}), "skip",
    'field "id" is empty')
add(obj({"id": "no-text", "title": None, "date": "2020-01-01"}), "skip",
    "has neither title nor body")
add(obj({"id": "crlf", "title": "CRLF line", "body": "crlfgoodword"}) + b"\r",
    "quiet", good_id="crlf", word="crlfgoodword")
add(obj({"id": "good-2", "title": None, "body": "betagoodword closes the file"}),
    "quiet", good_id="good-2", word="betagoodword")
# Ids that would split or forge TREC and text result lines.
add(obj({"id": "two words", "title": "Space", "body": "spaceidword"}),
    "skip", "article id 'two…' holds a space (U+0020) at byte 3")
add(obj({"id": "tab\there", "title": "Tab", "body": "tabidword"}),
    "skip", "holds white space (U+0009) at byte 3")
add(obj({"id": "esc\u001b[2Jx", "title": "Escape", "body": "escidword"}),
    "skip", "holds a control character (U+001B) at byte 3")
add(obj({"id": "csi\u009bx", "title": "C1", "body": "c1idword"}),
    "skip", "holds a control character (U+009B) at byte 3")
add(obj({"id": "line\u2028sep", "title": "LS", "body": "lsidword"}),
    "skip", "holds Unicode white space (U+2028) at byte 4")
add(obj({"id": "nb\u00a0sp", "title": "NBSP", "body": "nbspidword"}),
    "skip", "holds Unicode white space (U+00A0) at byte 2")
# Ids that look like others: bidi overrides and invisible characters.
add(obj({"id": "kit\u202egnp.exe", "title": "RLO", "body": "rloidword"}),
    "skip", "holds an invisible format character (U+202E) at byte 3")
add(obj({"id": "zw\u200bsp", "title": "ZWSP", "body": "zwspidword"}),
    "skip", "holds an invisible format character (U+200B) at byte 2")
add(obj({"id": "\ufeffbom", "title": "BOM", "body": "bomidword"}),
    "skip", "holds an invisible format character (U+FEFF) at byte 0")
add(obj({"id": "iso\u2066x", "title": "LRI", "body": "lriidword"}),
    "skip", "holds an invisible format character (U+2066) at byte 3")
add(obj({"id": "soft\u00adhyphen", "title": "SHY", "body": "shyidword"}),
    "skip", "holds an invisible format character (U+00AD) at byte 4")
add(obj({"id": "caf\u00e9-\u4e2d\u6587", "title": "Non-ASCII id",
         "body": "unicodeidword"}),
    "quiet", good_id="caf\u00e9-\u4e2d\u6587", word="unicodeidword")
check(len(lines[11]) > 2000, "the long line is over 2000 bytes")
check(all(len(l) < 2000 for k, l in enumerate(lines) if k != 11),
      "the other lines are under 2000 bytes")
with open(path, "wb") as f:
    f.write(b"\n".join(lines) + b"\n")
with open(manifest, "w") as f:
    for n, kind, needle in expect:
        f.write("%d\t%s\t%s\n" % (n, kind, needle))
with open(goods, "w") as f:
    for i, w in good:
        f.write("%s\t%s\n" % (i, w))
EOF

run mixed "$CYSEARCH_INDEX" --db "$WORK/db-mixed" --max-article-bytes 2000 \
  --stats-json "$WORK/mixed.json" "$BAD"
check_status "a file with skipped lines" 3
pycheck "$WORK/mixed.json" <<'EOF'
s = json.load(open(sys.argv[1]))
check_eq("--stats-json: each skipped line under its kind",
         {"malformed_json": 1, "wrong_type": 2, "missing_field": 2,
          "nul_byte": 1, "too_large": 1, "empty_article": 1, "bad_id": 11},
         s["errors"])
EOF
pycheck "$BAD" "$WORK/manifest" "$WORK/mixed.err" <<'EOF'
path, manifest, errfile = sys.argv[1:4]
err = open(errfile, encoding="utf-8", errors="replace").read().splitlines()
expect = [l.split("\t") for l in open(manifest).read().splitlines()]
prefix = "cysearch-index: %s:" % path
for n, kind, needle in expect:
    mine = [l for l in err if l.startswith("%s%s: " % (prefix, n))]
    if kind == "quiet":
        check_eq("line %s: no message" % n, [], mine)
    elif kind == "skip":
        check(len(mine) == 1 and needle in mine[0] and
              mine[0].endswith("; skipped"),
              "line %s: one message naming FILE:%s, '%s', skipped"
              % (n, n, needle), mine or err)
    else:
        check(len(mine) == 1 and needle in mine[0] and "warning" in mine[0],
              "line %s: one warning naming FILE:%s, '%s'" % (n, n, needle),
              mine or err)
others = [l for l in err if not l.startswith(prefix)
          and not re.match(r"cysearch-index: \d+ added, ", l)]
check_eq("no other messages", [], others)
utf8 = [l for l in err if l.startswith(prefix) and "UTF-8" in l]
check(utf8 and re.search(r"at byte \d+", utf8[0]),
      "the UTF-8 warning names the byte", utf8)
EOF
goods=$(grep -c . "$WORK/goods")
skips=$(grep -c "$(printf '\t')skip$(printf '\t')" "$WORK/manifest")
check_eq "summary: the good articles added" "$goods" "$(summary_num "$WORK/mixed.err" added)"
check_eq "summary: the bad lines counted as skipped" "$skips" "$(summary_num "$WORK/mixed.err" skipped)"
check_eq "summary: index holds the good articles" "$goods" "$(summary_num "$WORK/mixed.err" holds)"

# Every good article can be found by its word, with its id; none of the
# skipped ones can.
tab=$(printf '\t')
while IFS="$tab" read -r _id word; do
  capture "$WORK/good-$word.json" "$CYSEARCH" --db "$WORK/db-mixed" --format json "$word"
done <"$WORK/goods"
for word in missingidword wrongtitleword nulbyteword toolongword emptyidword \
    spaceidword tabidword escidword c1idword lsidword nbspidword \
    rloidword zwspidword bomidword lriidword shyidword; do
  capture "$WORK/bad-$word.json" "$CYSEARCH" --db "$WORK/db-mixed" --format json "$word"
done
capture "$WORK/all.trec" "$CYSEARCH" --db "$WORK/db-mixed" --format trec --limit 100 -- -qwzxvbnkjhg
pycheck "$WORK" <<'EOF'
w = sys.argv[1]
goods = [l.split("\t") for l in open(w + "/goods").read().splitlines()]
for gid, word in goods:
    r = json.load(open("%s/good-%s.json" % (w, word)))
    check_eq("good article %s is found by '%s'" % (gid, word),
             [gid], [h["id"] for h in r["hits"]])
    if gid == "bad-utf8" and r["hits"]:
        h = r["hits"][0]
        check_eq("invalid UTF-8 in the title is stored as U+FFFD",
                 "Caf\ufffd \ufffd menu", h["title"])
        check("\ufffd" in h["snippet"] and "utf8repairword" in h["snippet"],
              "invalid UTF-8 in the body is stored as U+FFFD", h["snippet"])
    if gid == "bad-date" and r["hits"]:
        check_eq("an article with a bad date is kept without a date",
                 None, r["hits"][0]["date"])
    if gid == "good-1" and r["hits"]:
        check_eq("a good date is kept", "2024-02-03", r["hits"][0]["date"])
    if gid == "4242" and r["hits"]:
        check_eq("a numeric id is stored as its decimal text", "4242",
                 r["hits"][0]["id"])
for word in ("missingidword", "wrongtitleword", "nulbyteword", "toolongword",
             "emptyidword", "spaceidword", "tabidword", "escidword",
             "c1idword", "lsidword", "nbspidword", "rloidword", "zwspidword",
             "bomidword", "lriidword", "shyidword"):
    r = json.load(open("%s/bad-%s.json" % (w, word)))
    check_eq("skipped line ('%s') is not indexed" % word, 0, r["total"])
rows = [l.split() for l in open(w + "/all.trec").read().splitlines()]
check_eq("the index holds exactly the good articles",
         sorted(g for g, _ in goods), sorted(r[2] for r in rows))
EOF

# ---- a missing input file among good ones ---------------------------------------
lines=$(grep -c . "$SAMPLE")
run missing "$CYSEARCH_INDEX" --db "$WORK/db-missing" "$WORK/no-such-file.jsonl" "$SAMPLE"
check_status "a missing input file" 3
check_file_contains "missing input: 'cannot open' with its name" "$WORK/missing.err" \
  "cysearch-index: cannot open '$WORK/no-such-file.jsonl': No such file or directory"
check_eq "missing input: the other input is indexed" "$lines" "$(summary_num "$WORK/missing.err" added)"
check_eq "missing input: index holds the other input" "$lines" "$(summary_num "$WORK/missing.err" holds)"

# ---- a truncated .gz ---------------------------------------------------------------
gzip -c "$SAMPLE" >"$WORK/full.jsonl.gz"
size=$(wc -c <"$WORK/full.jsonl.gz")
head -c $((size / 2)) "$WORK/full.jsonl.gz" >"$WORK/cut.jsonl.gz"
# The complete lines that can be decompressed from the first half.
python3 - "$WORK/cut.jsonl.gz" "$WORK/cut.expect" <<'EOF'
import json, sys, zlib
data = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(open(sys.argv[1], "rb").read())
complete = data[:data.rfind(b"\n") + 1].decode("utf-8").splitlines()
with open(sys.argv[2], "w") as f:
    for line in complete:
        f.write(json.loads(line)["id"] + "\n")
EOF
kept=$(grep -c . "$WORK/cut.expect" || true)
run cut "$CYSEARCH_INDEX" --db "$WORK/db-cut" --stats-json "$WORK/cut.json" \
  "$WORK/cut.jsonl.gz"
check_status "a truncated .gz" 3
check_file_contains "truncated .gz: --stats-json counts it as damaged_gzip" \
  "$WORK/cut.json" '"damaged_gzip": 1'
check_file_contains "truncated .gz: reported as damaged or truncated" "$WORK/cut.err" \
  "cysearch-index: $WORK/cut.jsonl.gz: after line $kept: damaged or truncated gzip data"
check_eq "truncated .gz: the complete lines before the cut are added" "$kept" "$(summary_num "$WORK/cut.err" added)"
check_eq "truncated .gz: index holds them" "$kept" "$(summary_num "$WORK/cut.err" holds)"
capture "$WORK/cut.trec" "$CYSEARCH" --db "$WORK/db-cut" --format trec --limit 100 -- -qwzxvbnkjhg
check_eq "truncated .gz: exactly the ids of the complete lines are indexed" \
  "$(sort "$WORK/cut.expect")" "$(awk '{print $3}' "$WORK/cut.trec" | sort)"
if [ "$kept" -gt 0 ] && [ "$kept" -lt "$lines" ]; then
  pass "truncated .gz: the cut falls inside the file ($kept of $lines lines)"
else
  fail "truncated .gz: the cut falls inside the file ($kept of $lines lines)"
fi

# ---- a .gz damaged in the middle ----------------------------------------------------
# zlib notices most damage only at the end of the stream (the CRC), after
# handing out the garbled text: the reader checks the file first, stops at
# the first line that does not read, and says so once.  python picks
# damage that garbles at least 20 lines before zlib would notice it.
pycheck "$WORK/mid.jsonl.gz" "$WORK/mid.expect" <<'EOF'
import random, zlib
path, expect = sys.argv[1:3]
random.seed(7)
words = ("ransomware china espionage hacker attack network data breach "
         "patch vulnerability").split()
lines = [json.dumps({"id": "mid-%d" % i, "title": "Title %d" % i,
                     "body": " ".join(random.choice(words) for _ in range(60))})
         for i in range(3000)]
good = gzip.compress(("\n".join(lines) + "\n").encode())
def readable(raw):
    try:
        a = json.loads(raw)
        return isinstance(a, dict) and isinstance(a.get("id"), str) and \
            re.search(r"[\s\x00-\x1f\x7f-\x9f]", a["id"]) is None
    except ValueError:
        return False
def garbled(data):
    d, out = zlib.decompressobj(31), b""
    try:
        for i in range(0, len(data), 1024):
            out += d.decompress(data[i:i + 1024])
    except zlib.error:
        pass
    text = out.decode("utf-8", "replace").split("\n")[:-1]
    first = next((k for k, l in enumerate(text) if not readable(l)), None)
    return first, len(text) - (first or 0)
for off in range(len(good) // 2, len(good) // 2 + 400):
    bad = bytearray(good)
    bad[off] ^= 0x55
    first, after = garbled(bytes(bad))
    if first is not None and after >= 20:
        break
check(first is not None and after >= 20,
      "python found damage that garbles %s lines" % after)
open(path, "wb").write(bad)
with open(expect, "w") as f:
    f.write("%d\n" % first)
    for l in lines[:first]:
        f.write(json.loads(l)["id"] + "\n")
EOF
first=$(head -n 1 "$WORK/mid.expect")
run mid "$CYSEARCH_INDEX" --db "$WORK/db-mid" --stats-json "$WORK/mid.json" \
  "$WORK/mid.jsonl.gz"
check_status "a .gz damaged in the middle" 3
check_eq "damaged .gz: one message about the file, not one per garbled line" 1 \
  "$(grep -c "$WORK/mid.jsonl.gz" "$WORK/mid.err" || true)"
check_file_contains "damaged .gz: it names the file and the first garbled line" \
  "$WORK/mid.err" "cysearch-index: $WORK/mid.jsonl.gz:$((first + 1)): damaged gzip data (incorrect data check): from this line on the text is garbled"
pycheck "$WORK/mid.json" <<'EOF'
check_eq("damaged .gz: counted once, as damaged_gzip", {"damaged_gzip": 1},
         json.load(open(sys.argv[1]))["errors"])
EOF
capture "$WORK/mid.trec" "$CYSEARCH" --db "$WORK/db-mid" --format trec --limit 5000 -- -qwzxvbnkjhg
check_eq "damaged .gz: exactly the articles before the damage are indexed" \
  "$(sed 1d "$WORK/mid.expect" | sort)" "$(awk '{print $3}' "$WORK/mid.trec" | sort)"

# ---- cysearch: a missing index, a non-index directory, a file as --db ---------------
run noindex "$CYSEARCH" --db "$WORK/no-such-index" ransomware
check_status "cysearch on a missing index" 1
check_eq "missing index: the exact message" \
  "cysearch: cannot open index '$WORK/no-such-index': not found (no such file or directory; give the directory of an index, or HOST:PORT of an xapian-tcpsrv); make an index with cysearch-index --db PATH" "$(cat "$WORK/noindex.err")"
check_eq "missing index: nothing on stdout" "" "$(cat "$WORK/noindex.out")"

mkdir "$WORK/not-an-index"
echo "just a file" >"$WORK/not-an-index/README.txt"
run notindex "$CYSEARCH" --db "$WORK/not-an-index" ransomware
check_status "cysearch on a directory that is not an index" 1
check_eq "non-index directory: one line on stderr" 1 "$(wc -l <"$WORK/notindex.err" | tr -d ' ')"
check_file_contains "non-index directory: the error names the directory" "$WORK/notindex.err" \
  "cysearch: cannot open index '$WORK/not-an-index'"
check_eq "non-index directory: nothing on stdout" "" "$(cat "$WORK/notindex.out")"

echo "not an index" >"$WORK/plain-file"
run fileasdb "$CYSEARCH" --db "$WORK/plain-file" ransomware
check_status "cysearch with a regular file as --db" 1
check_eq "file as --db: one line on stderr" 1 "$(wc -l <"$WORK/fileasdb.err" | tr -d ' ')"
check_file_contains "file as --db: the error names the file" "$WORK/fileasdb.err" \
  "cysearch: cannot open index '$WORK/plain-file'"
# The file exists, so "not found" would send the user looking for a typo;
# the message should say what is wrong (not a directory / not an index).
check_file_not_contains "file as --db: the error does not claim the path is 'not found'" \
  "$WORK/fileasdb.err" "': not found"

run idxfile "$CYSEARCH_INDEX" --db "$WORK/plain-file" "$SAMPLE"
check_status "cysearch-index with a regular file as --db" 1
check_file_contains "cysearch-index, file as --db: the error names the file" "$WORK/idxfile.err" \
  "cysearch-index: cannot open index '$WORK/plain-file' for writing"
check_eq "cysearch-index, file as --db: the file is left alone" "not an index" "$(cat "$WORK/plain-file")"

# ---- usage errors: exit 2 ------------------------------------------------------------
DB="$WORK/db-missing"   # a good index, from above
usage_error() {
  desc=$1
  shift
  run usage "$@"
  check_status "$desc" 2
  if [ -s "$WORK/usage.err" ]; then
    pass "$desc: explained on stderr"
  else
    fail "$desc: explained on stderr"
  fi
  check_eq "$desc: nothing on stdout" "" "$(cat "$WORK/usage.out")"
}
usage_error "cysearch without --db" "$CYSEARCH" ransomware
usage_error "cysearch --format xml" "$CYSEARCH" --db "$DB" --format xml ransomware
usage_error "cysearch --limit abc" "$CYSEARCH" --db "$DB" --limit abc ransomware
usage_error "cysearch --limit -1" "$CYSEARCH" --db "$DB" --limit -1 ransomware
usage_error "cysearch --limit 10001" "$CYSEARCH" --db "$DB" --limit 10001 ransomware
usage_error "cysearch --offset x" "$CYSEARCH" --db "$DB" --offset x ransomware
usage_error "cysearch --frobnicate" "$CYSEARCH" --db "$DB" --frobnicate ransomware
usage_error "cysearch without a query" "$CYSEARCH" --db "$DB"
usage_error "cysearch with --queries and a query" "$CYSEARCH" --db "$DB" --queries "$SAMPLE" ransomware
usage_error "cysearch-index without --db" "$CYSEARCH_INDEX" "$SAMPLE"
usage_error "cysearch-index --frobnicate" "$CYSEARCH_INDEX" --db "$WORK/db-usage" --frobnicate "$SAMPLE"
usage_error "cysearch-index without input" "$CYSEARCH_INDEX" --db "$WORK/db-usage"
usage_error "cysearch-index --commit-every 0" "$CYSEARCH_INDEX" --db "$WORK/db-usage" --commit-every 0 "$SAMPLE"
usage_error "cysearch-index --max-article-bytes x" "$CYSEARCH_INDEX" --db "$WORK/db-usage" --max-article-bytes x "$SAMPLE"
# --extract writes no index: the options that act on one are refused
for opt in '--delete sample-001' --compact --check '--merge OUT' --prune \
           '--shards 2' --relink; do
  # shellcheck disable=SC2086  # the option and its value are two words
  usage_error "cysearch-index --extract $opt" "$CYSEARCH_INDEX" --extract $opt "$SAMPLE"
  check_file_contains "--extract $opt: the message names the option" \
    "$WORK/usage.err" "${opt%% *} needs an index"
done
usage_error "cysearch --facets ," "$CYSEARCH" --db "$DB" --facets , ransomware
if [ -e "$WORK/db-usage" ]; then
  fail "a usage error creates no index"
else
  pass "a usage error creates no index"
fi

# ---- --help and --version: exit 0 --------------------------------------------------
for prog in "$CYSEARCH" "$CYSEARCH_INDEX"; do
  name=$(basename "$prog")
  run help "$prog" --help
  check_status "$name --help" 0
  check_file_contains "$name --help prints the usage" "$WORK/help.out" "Usage: $name --db DIR"
  run version "$prog" --version
  check_status "$name --version" 0
  if grep -E "^$name [0-9]+\.[0-9]+" "$WORK/version.out" >/dev/null; then
    pass "$name --version prints '$name X.Y...'"
  else
    fail "$name --version prints '$name X.Y...'" "$(cat "$WORK/version.out")"
  fi
done
check_eq "both programs report the same version" \
  "$("$CYSEARCH" --version | sed 's/^[^ ]* //')" \
  "$("$CYSEARCH_INDEX" --version | sed 's/^[^ ]* //')"

finish
