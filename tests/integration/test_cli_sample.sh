#!/bin/sh
# test_cli_sample.sh — index corpus/sample.jsonl and exercise the cysearch
# command line on it: text, json and trec output, paging, the query syntax
# (phrases, -word, =word), no-match output and --queries batches.  Expected
# results are computed from the corpus with python, not hard-coded.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

DB="$WORK/db"

# ---- indexing ---------------------------------------------------------------
run index "$CYSEARCH_INDEX" --db "$DB" "$SAMPLE"
check_status "index sample.jsonl" 0
lines=$(grep -c . "$SAMPLE")
check_eq "summary: every corpus line added" "$lines" "$(summary_num "$WORK/index.err" added)"
check_eq "summary: 32 added (corpus/README.md)" 32 "$(summary_num "$WORK/index.err" added)"
check_eq "summary: nothing skipped" 0 "$(summary_num "$WORK/index.err" skipped)"
check_eq "summary: index holds all articles" "$lines" "$(summary_num "$WORK/index.err" holds)"

# ---- text output: china espionage -------------------------------------------
# --no-collapse: every matching article, near-duplicates too (the sample's
# sample-014/015 are one story; test_search_options.sh checks collapsing).
run text "$CYSEARCH" --db "$DB" --limit 50 --color never --no-collapse china espionage
check_status "text search 'china espionage'" 0
check_file_contains "text output has a header line" "$WORK/text.out" 'match "china espionage"'
pycheck "$SAMPLE" "$WORK/text.out" <<'EOF'
corpus = {a["id"]: a for a in load_jsonl(sys.argv[1])}
out = open(sys.argv[2], encoding="utf-8").read().splitlines()
# Result blocks: "  N. TITLE" then "     DATE | SOURCE | id ID | score S".
ranks, ids, scores, titles = [], [], [], []
for i, line in enumerate(out):
    m = re.match(r"^ *(\d+)\. (.*)$", line)
    if m and i + 1 < len(out):
        meta = re.search(r"\| id (\S+) \| score (-?[0-9.]+)$", out[i + 1])
        if meta:
            ranks.append(int(m.group(1)))
            titles.append(m.group(2))
            ids.append(meta.group(1))
            scores.append(float(meta.group(2)))
header = re.match(r"^(\d+) articles? match ", out[0]) if out else None

# "china" and "espionage" have no other forms in the corpus that stem alike
# ("Chinese" stems to "chines"), so a word regex models the OR query.
china = re.compile(r"\bchina\b", re.I)
chinese = re.compile(r"\bchin(a|ese)\b", re.I)
espionage = re.compile(r"\bespionage\b", re.I)
expected = {i for i, a in corpus.items()
            if china.search(text_of(a)) or espionage.search(text_of(a))}
both = {i for i, a in corpus.items()
        if chinese.search(text_of(a)) and espionage.search(text_of(a))}

check(len(ids) > 0, "text output lists results")
check(header is not None and int(header.group(1)) == len(expected),
      "header count equals the articles containing china or espionage",
      "header: %r, expected %d" % (out[:1], len(expected)))
check_eq("ranks run 1..n", list(range(1, len(ids) + 1)), ranks)
check(all(a >= b for a, b in zip(scores, scores[1:])),
      "scores are non-increasing", scores)
check_eq("result set = articles containing china or espionage",
         sorted(expected), sorted(ids))
check(all(i in corpus and titles[k] == (corpus[i]["title"] or "(untitled)")
          for k, i in enumerate(ids)),
      "listed titles are the corpus titles", list(zip(ids, titles)))
check(all(i in both for i in ids),
      "every listed article mentions china/chinese and espionage",
      [i for i in ids if i not in both])
check(ids and ids[0] in both and china.search(text_of(corpus[ids[0]])),
      "the top result contains both query words")
EOF

# ---- json output: ransomware hospital ---------------------------------------
run json "$CYSEARCH" --db "$DB" --format json --limit 100 'ransomware hospital'
check_status "json search 'ransomware hospital'" 0
pycheck "$SAMPLE" "$WORK/json.out" <<'EOF'
corpus = {a["id"]: a for a in load_jsonl(sys.argv[1])}
raw = open(sys.argv[2], encoding="utf-8").read()
try:
    lines = [l for l in raw.splitlines() if l.strip()]
    r = json.loads(raw)
    ok = True
except ValueError as e:
    ok, r, lines = False, {}, []
check(ok and len(lines) == 1, "json output is one valid JSON object", raw[:500])
check_eq("json keys", ["hits", "query", "suggestion", "total", "total_exact",
                      "total_lower", "total_upper"], sorted(r))
check_eq("json query echoed", "ransomware hospital", r.get("query"))
check(isinstance(r.get("total"), int) and isinstance(r.get("total_exact"), bool),
      "total is an integer, total_exact a boolean")
check(r.get("total_lower", -1) <= r.get("total", -2) <= r.get("total_upper", -3),
      "total lies within its bounds", r)
hits = r.get("hits", [])
keys = ["date", "duplicates", "entities", "highlights", "id", "rank", "score",
        "snippet", "source", "story", "title", "url"]
check(hits and all(sorted(h) == keys for h in hits),
      "every hit has exactly the documented keys",
      [sorted(h) for h in hits[:3]])
ekeys = ["count", "label", "type", "value"]
check(all(sorted(e) == ekeys and e["count"] >= 1 for h in hits
          for e in h["entities"]),
      "every entity of a hit has type, value, label and a count")
check(any(e["type"] == "country" for h in hits for e in h["entities"]),
      "hits about ransomware at hospitals carry countries")
check_eq("total equals the number of hits (limit above total)",
         r.get("total"), len(hits))
check(r.get("total_exact") is True, "total is exact")
check_eq("ranks are 1..n", list(range(1, len(hits) + 1)),
         [h["rank"] for h in hits])
scores = [h["score"] for h in hits]
check(all(isinstance(s, (int, float)) for s in scores) and
      all(a >= b for a, b in zip(scores, scores[1:])),
      "scores are numbers, non-increasing", scores)

# Which articles should match: "ransomware" (no other forms in the corpus)
# or "hospital"/"hospitals" (stem "hospit").
rx_r = re.compile(r"\bransomware\b", re.I)
rx_h = re.compile(r"\bhospitals?\b", re.I)
expected = {i for i, a in corpus.items()
            if rx_r.search(text_of(a)) or rx_h.search(text_of(a))}
check_eq("hit set = articles containing ransomware or hospital(s)",
         sorted(expected), sorted(h["id"] for h in hits))

bad = []
for h in hits:
    a = corpus.get(h["id"])
    if a is None:
        bad.append((h["id"], "not in corpus"))
        continue
    for f in ("title", "date", "source", "url"):
        if h[f] != a.get(f):
            bad.append((h["id"], f, h[f], a.get(f)))
check(not bad, "stored title/date/source/url equal the corpus line", bad)

bad, nspans = [], 0
for h in hits:
    snip = h["snippet"]
    if not isinstance(snip, str) or not snip:
        bad.append((h["id"], "empty snippet"))
        continue
    b = snip.encode("utf-8")
    spans = h["highlights"]
    prev_end = 0
    for s in spans:
        if not (isinstance(s, list) and len(s) == 2 and
                prev_end <= s[0] < s[1] <= len(b)):
            bad.append((h["id"], "bad span", s))
            break
        prev_end = s[1]
        word = b[s[0]:s[1]].decode("utf-8", "replace").lower()
        if not (word.startswith("ransom") or word.startswith("hospital")):
            bad.append((h["id"], "highlight is not a query word", word))
        # a whole word: not preceded or followed by a letter or digit
        if (s[0] > 0 and b[s[0] - 1:s[0]].isalnum()) or \
           (s[1] < len(b) and b[s[1]:s[1] + 1].isalnum()):
            bad.append((h["id"], "highlight is not a whole word", word))
        nspans += 1
    # every query word visible in the snippet is highlighted
    for m in re.finditer(rb"(?i)\b(ransomware|hospitals?)\b", b):
        if not any(s[0] <= m.start() and m.end() <= s[1] for s in spans):
            bad.append((h["id"], "word not highlighted", m.group(0), snip))
check(not bad, "highlights point at whole query words in the snippet, "
      "and every query word in the snippet is highlighted", bad)
check(nspans >= len(hits), "every hit has at least one highlight",
      "%d spans for %d hits" % (nspans, len(hits)))
EOF

# ---- trec output -------------------------------------------------------------
run trec "$CYSEARCH" --db "$DB" --format trec --limit 100 'ransomware hospital'
check_status "trec search" 0
pycheck "$WORK/trec.out" "$WORK/json.out" <<'EOF'
rows = [l.split() for l in open(sys.argv[1], encoding="utf-8").read().splitlines()]
j = json.load(open(sys.argv[2], encoding="utf-8"))
check(rows and all(len(r) == 6 for r in rows), "every trec line has 6 fields",
      rows[:5])
check(all(r[0] == "1" and r[1] == "Q0" and r[5] == "cysearch" for r in rows),
      "trec lines are '1 Q0 DOCID RANK SCORE cysearch'", rows[:5])
check_eq("trec docids and ranks follow the json ranking",
         [(h["id"], str(h["rank"])) for h in j["hits"]],
         [(r[2], r[3]) for r in rows if len(r) == 6])
check(all(abs(float(r[4]) - h["score"]) < 1e-5
          for r, h in zip(rows, j["hits"])), "trec scores equal json scores")
EOF

# ---- paging: --limit / --offset ----------------------------------------------
q='ransomware hospital'
capture "$WORK/page1.json" "$CYSEARCH" --db "$DB" --format json --limit 3 --offset 0 "$q"
capture "$WORK/page2.json" "$CYSEARCH" --db "$DB" --format json --limit 3 --offset 3 "$q"
capture "$WORK/page3.json" "$CYSEARCH" --db "$DB" --format json --limit 3 --offset 6 "$q"
capture "$WORK/page4.json" "$CYSEARCH" --db "$DB" --format json --limit 100 --offset 9 "$q"
capture "$WORK/page5.json" "$CYSEARCH" --db "$DB" --format json --limit 5 --offset 1000 "$q"
capture "$WORK/page0.json" "$CYSEARCH" --db "$DB" --format json --limit 0 "$q"
capture "$WORK/default.json" "$CYSEARCH" --db "$DB" --format json "$q"
pycheck "$WORK" <<'EOF'
w = sys.argv[1]
full = json.load(open(w + "/json.out"))
pages = [json.load(open("%s/page%d.json" % (w, n))) for n in (1, 2, 3, 4)]
beyond = json.load(open(w + "/page5.json"))
zero = json.load(open(w + "/page0.json"))
default = json.load(open(w + "/default.json"))
key = lambda h: (h["rank"], h["id"], h["score"])
check(len(full["hits"]) > 9, "enough hits to page through (%d)" % len(full["hits"]))
check_eq("pages of 3 + rest concatenate to the full ranking",
         [key(h) for h in full["hits"]],
         [key(h) for p in pages for h in p["hits"]])
check_eq("--limit 3 gives 3 hits per page", [3, 3, 3],
         [len(p["hits"]) for p in pages[:3]])
check_eq("ranks of page 2 start at offset+1", [4, 5, 6],
         [h["rank"] for h in pages[1]["hits"]])
check(all(p["total"] == full["total"] for p in pages + [beyond, zero]),
      "total is the same on every page")
check_eq("an offset past the end gives no hits", [], beyond["hits"])
check_eq("--limit 0 gives no hits but the total", (0, full["total"]),
         (len(zero["hits"]), zero["total"]))
check_eq("the default limit is 10", [key(h) for h in full["hits"][:10]],
         [key(h) for h in default["hits"]])
EOF

# ---- phrase, -word, =word -------------------------------------------------------
capture "$WORK/phrase.json" "$CYSEARCH" --db "$DB" --format json --limit 100 --no-collapse '"volt typhoon"'
capture "$WORK/words.json" "$CYSEARCH" --db "$DB" --format json --limit 100 --no-collapse 'volt typhoon'
capture "$WORK/minus.json" "$CYSEARCH" --db "$DB" --format json --limit 100 'ransomware -hospital'
capture "$WORK/plain.json" "$CYSEARCH" --db "$DB" --format json --limit 100 ransomware
capture "$WORK/exact.json" "$CYSEARCH" --db "$DB" --format json --limit 100 =exploited
capture "$WORK/stem.json" "$CYSEARCH" --db "$DB" --format json --limit 100 exploited
pycheck "$SAMPLE" "$WORK" <<'EOF'
corpus = {a["id"]: a for a in load_jsonl(sys.argv[1])}
w = sys.argv[2]
ids = lambda name: sorted(h["id"] for h in json.load(open(w + "/" + name))["hits"])
def having(rx):
    rx = re.compile(rx, re.I)
    return sorted(i for i, a in corpus.items() if rx.search(text_of(a)))

# Phrase: adjacent words; punctuation between them does not break a phrase
# for the analyzer, hence \W+.
phrase = having(r"\bvolt\W+typhoon\b")
literal = sorted(i for i, a in corpus.items()
                 if "volt typhoon" in text_of(a).lower())
check(phrase, "some articles contain the phrase 'volt typhoon'")
check_eq('"volt typhoon" returns exactly the articles with the phrase',
         phrase, ids("phrase.json"))
check(set(ids("phrase.json")) <= set(literal),
      '"volt typhoon" results all contain the literal text (case-insensitive)')
check(set(ids("phrase.json")) <= set(ids("words.json")),
      "the phrase results are among the results of the two words")

# -word: ransomware (one form in the corpus) minus hospital/hospitals.
rw, hosp = having(r"\bransomware\b"), having(r"\bhospitals?\b")
expected = sorted(set(rw) - set(hosp))
check(set(rw) & set(hosp), "some ransomware articles mention hospitals")
check_eq("'ransomware -hospital' = ransomware articles without hospital(s)",
         expected, ids("minus.json"))
check_eq("'ransomware' alone returns every ransomware article", rw,
         ids("plain.json"))

# =word: only the exact form; the plain word also matches exploit, exploits,
# exploiting (same stem), so it must find more.
exact = having(r"\bexploited\b")
family = having(r"\bexploit(s|ed|ing)?\b")
check(len(family) > len(exact) > 0,
      "corpus has 'exploited' and other forms of 'exploit'")
check_eq("=exploited returns exactly the articles with the word 'exploited'",
         exact, ids("exact.json"))
check(set(family) <= set(ids("stem.json")),
      "plain 'exploited' matches every form of the stem",
      sorted(set(family) - set(ids("stem.json"))))
EOF

# ---- no match ------------------------------------------------------------------
run nomatch "$CYSEARCH" --db "$DB" qwzxvbnkjhg
check_status "a query with no match" 0
check_file_contains "no match prints 'No articles match'" "$WORK/nomatch.out" 'No articles match "qwzxvbnkjhg".'
check_eq "no match: nothing on stderr" "" "$(cat "$WORK/nomatch.err")"
run nomatchj "$CYSEARCH" --db "$DB" --format json qwzxvbnkjhg
check_status "a json query with no match" 0
pycheck "$WORK/nomatchj.out" <<'EOF'
r = json.load(open(sys.argv[1]))
check_eq("no match in json: total 0, no hits", (0, []), (r["total"], r["hits"]))
EOF

# ---- --queries batches -----------------------------------------------------------
tab=$(printf '\t')
cat >"$WORK/queries.tsv" <<EOF
q1${tab}china espionage
q2${tab}ransomware hospital
q3${tab}"volt typhoon"
q4${tab}qwzxvbnkjhg
q5${tab}ransomware -hospital
EOF
cat >"$WORK/queries.txt" <<'EOF'
china espionage

=exploited
lazarus
EOF
run batch_tsv "$CYSEARCH" --db "$DB" --format json --queries "$WORK/queries.tsv"
check_status "--queries with QID<TAB>QUERY lines" 0
run batch_txt "$CYSEARCH" --db "$DB" --format json --queries "$WORK/queries.txt"
check_status "--queries with plain lines" 0
: >"$WORK/single.json"
for q in 'china espionage' 'ransomware hospital' '"volt typhoon"' qwzxvbnkjhg \
         'ransomware -hospital' =exploited lazarus; do
  capture "$WORK/one.json" "$CYSEARCH" --db "$DB" --format json "$q"
  cat "$WORK/one.json" >>"$WORK/single.json"
done
pycheck "$WORK" <<'EOF'
w = sys.argv[1]
single = {r["query"]: r for r in read_json_lines(w + "/single.json")}
tsv = read_json_lines(w + "/batch_tsv.out")
txt = read_json_lines(w + "/batch_txt.out")
check_eq("tsv batch: one result per query, qids from the file",
         ["q1", "q2", "q3", "q4", "q5"], [r.get("qid") for r in tsv])
check_eq("plain batch: blank line skipped, qids numbered from 1",
         ["1", "2", "3"], [r.get("qid") for r in txt])
check_eq("plain batch: queries read from the file",
         ["china espionage", "=exploited", "lazarus"],
         [r.get("query") for r in txt])
diff = []
for r in tsv + txt:
    one = dict(r)
    one.pop("qid", None)
    if one != single.get(r["query"]):
        diff.append(r["query"])
check(not diff, "every batch result is identical to the single query's",
      diff)
EOF

finish
