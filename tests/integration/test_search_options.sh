#!/bin/sh
# test_search_options.sh — the cysearch options beyond ranked search, on
# corpus/sample.jsonl and (when present) the news corpus: --sort date and
# recent, near-duplicate collapsing and --no-collapse, "Did you mean",
# --like, --explain, --time-limit, --filter, and their usage errors (year: with a
# month among them) and --help text.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

DB="$WORK/db"
run index "$CYSEARCH_INDEX" --db "$DB" "$SAMPLE"
check_status "index sample.jsonl" 0

# jq NAME ARGS...: cysearch --format json ARGS, output in $WORK/NAME.json.
jq() {
  _n=$1
  shift
  capture "$WORK/$_n.json" "$CYSEARCH" --db "$DB" --format json "$@"
}

# ---- collapsing: sample-014/015 are one story, nothing else is -------------
jq volt --limit 50 'volt typhoon'
jq volt_all --limit 50 --no-collapse 'volt typhoon'
jq every --limit 0 'the'
jq every_all --limit 0 --no-collapse 'the'
run volt_text "$CYSEARCH" --db "$DB" --color never --no-snippets 'volt typhoon'
check_file_contains "text shows the folded copies" "$WORK/volt_text.out" \
  "(+1 similar)"
pycheck "$WORK" <<'EOF'
w = sys.argv[1]
load = lambda n: json.load(open("%s/%s.json" % (w, n)))
volt, full = load("volt"), load("volt_all")
pair = {"sample-014", "sample-015"}
shown = [h for h in volt["hits"] if h["id"] in pair]
check_eq("collapsed: one of sample-014/015 is shown", 1, len(shown))
check_eq("collapsed: it counts the other as a duplicate", [1],
         [h["duplicates"] for h in shown])
check(all(h["duplicates"] == 0 for h in volt["hits"] if h["id"] not in pair),
      "collapsed: no other hit has duplicates", volt["hits"])
check_eq("--no-collapse: both are shown", pair,
         {h["id"] for h in full["hits"]} & pair)
check(all(h["duplicates"] == 0 for h in full["hits"]),
      "--no-collapse: no duplicates counted")
check_eq("collapsed total is one less", full["total"] - 1, volt["total"])
check(volt["total_exact"] and full["total_exact"], "both totals exact")
every, every_all = load("every"), load("every_all")
check(every_all["total"] >= 30, "'the' matches (nearly) every article",
      every_all["total"])
check_eq("over the whole sample only that pair collapses",
         every_all["total"] - 1, every["total"])
EOF

# ---- sort ------------------------------------------------------------------------
jq rel --limit 100 ransomware
jq date --limit 100 --sort date ransomware
jq recent --limit 100 --sort recent ransomware
jq recent_long --limit 100 --sort recent --half-life 36500 ransomware
jq undated --limit 100 --sort date 'denial of service'
pycheck "$WORK" "$SAMPLE" <<'EOF'
w = sys.argv[1]
load = lambda n: json.load(open("%s/%s.json" % (w, n)))
corpus = {a["id"]: a for a in load_jsonl(sys.argv[2])}
def key(d):  # the sort key: YYYYMMDD with 00 for unknown parts
    p = (d or "").split("-")
    return "".join(p + ["00"] * (3 - len(p))) if d else ""
rel, date, recent = load("rel"), load("date"), load("recent")
keys = [key(h["date"]) for h in date["hits"]]
check(len(keys) > 5 and keys == sorted(keys, reverse=True),
      "--sort date: newest first", keys)
check_eq("--sort date: the same articles as relevance",
         sorted(h["id"] for h in rel["hits"]),
         sorted(h["id"] for h in date["hits"]))
und = load("undated")["hits"]
check(und and und[-1]["date"] is None and
      all(h["date"] for h in und[:-1]), "--sort date: undated articles last",
      [(h["id"], h["date"]) for h in und])
check_eq("--sort recent: re-ranks the same matches",
         (rel["total"], sorted(h["id"] for h in rel["hits"])),
         (recent["total"], sorted(h["id"] for h in recent["hits"])))
scores = [h["score"] for h in recent["hits"]]
check(scores == sorted(scores, reverse=True), "--sort recent: by score")
check(all(h["score"] >= r["score"] - 1e-9 for h in recent["hits"]
          for r in rel["hits"] if r["id"] == h["id"]),
      "--sort recent: a bonus, never a penalty")
newest = max(key(a.get("date")) for a in corpus.values())
top = recent["hits"][0]
check(key(top["date"]) >= key(rel["hits"][0]["date"]),
      "--sort recent: the top hit is at least as new as relevance's",
      (top["id"], top["date"], rel["hits"][0]["date"]))
mean = lambda hs: sum(int(key(h["date"])[:4]) for h in hs[:5]) / 5
check(mean(recent["hits"]) >= mean(rel["hits"]),
      "--sort recent: the top 5 are newer on average than by relevance")
long_ = load("recent_long")
check(long_["hits"][-1]["score"] > recent["hits"][-1]["score"],
      "--half-life: a longer half-life leaves more bonus to old articles")
EOF

# ---- did you mean ----------------------------------------------------------------
jq typo 'ransomwre hospitl'
jq typo_filter 'country:CN espionge'
jq right 'ransomware hospital'
run typo_text "$CYSEARCH" --db "$DB" --color never 'ransomwre hospitl'
check_file_contains "text: Did you mean" "$WORK/typo_text.out" \
  "Did you mean: ransomware hospital"
run typo_off "$CYSEARCH" --db "$DB" --format json --no-suggest 'ransomwre'
pycheck "$WORK" <<'EOF'
w = sys.argv[1]
load = lambda n: json.load(open("%s/%s.json" % (w, n)))
check_eq("suggestion for misspelt words", "ransomware hospital",
         load("typo")["suggestion"])
check_eq("a filter stays as typed", "country:CN espionage",
         load("typo_filter")["suggestion"])
check_eq("no suggestion for words the index knows", None,
         load("right")["suggestion"])
check_eq("--no-suggest", None,
         json.load(open(w + "/typo_off.out"))["suggestion"])
EOF

# ---- like ----------------------------------------------------------------------
jq like --like sample-014 --no-collapse
jq like_narrow --like sample-014 --no-collapse 'year:2020'
run like_text "$CYSEARCH" --db "$DB" --color never --like sample-014
check_file_contains "text: says what it is like" "$WORK/like_text.out" \
  "like sample-014"
run like_bad "$CYSEARCH" --db "$DB" --like no-such-id
check_status "--like with an unknown id" 2
check_file_contains "--like unknown id: a clear message" "$WORK/like_bad.err" \
  "no article with id 'no-such-id'"
pycheck "$WORK" "$SAMPLE" <<'EOF'
w = sys.argv[1]
load = lambda n: json.load(open("%s/%s.json" % (w, n)))
like = load("like")
ids = [h["id"] for h in like["hits"]]
check_eq("--like: the JSON names the article", "sample-014", like.get("like"))
check(ids and ids[0] == "sample-015", "--like: its rewrite comes first", ids)
check("sample-014" not in ids, "--like: never the article itself")
narrow = load("like_narrow")
check(narrow["hits"] and all(h["date"].startswith("2020")
                             for h in narrow["hits"]),
      "--like with a filter: narrowed", [h["date"] for h in narrow["hits"]])
EOF

# ---- explain --------------------------------------------------------------------
jq explain --explain --limit 20 'ransomware "critical infrastructure" US'
jq explain_recent --explain --sort recent --feedback 20 ransomware
jq explain_nofb --explain --feedback 0 ransomware
run explain_text "$CYSEARCH" --db "$DB" --color never --explain ransomware
check_file_contains "text: the score broken down" "$WORK/explain_text.out" \
  "[text]"
pycheck "$WORK" <<'EOF'
w = sys.argv[1]
FIELDS = {"text", "title", "acronym", "phrase", "proximity", "recency",
          "feedback"}
for name in ("explain", "explain_recent", "explain_nofb"):
    r = json.load(open("%s/%s.json" % (w, name)))
    bad = []
    for h in r["hits"]:
        parts = h.get("explain")
        if not isinstance(parts, list) or not parts:
            bad.append((h["id"], "no explain"))
            continue
        total = sum(p["weight"] for p in parts)
        if abs(total - h["score"]) > 1e-6 * max(1, h["score"]):
            bad.append((h["id"], total, h["score"]))
        for p in parts:
            if sorted(p) != ["field", "term", "weight"] or \
               p["field"] not in FIELDS or p["weight"] <= 0:
                bad.append((h["id"], p))
    check(r["hits"] and not bad,
          "%s: every hit's parts add up to its score" % name, bad)
r = json.load(open(w + "/explain.json"))
fields = {p["field"] for h in r["hits"] for p in h["explain"]}
check(fields >= {"text", "title", "phrase", "acronym"},
      "explain: words, title weight, phrase and acronym parts", fields)
check(any(p["term"] == "critical infrastructure" for h in r["hits"]
          for p in h["explain"]), "explain: a phrase is one part")
r = json.load(open(w + "/explain_recent.json"))
check(any(p["field"] == "recency" for h in r["hits"] for p in h["explain"]),
      "explain: the freshness bonus is a part of its own")
r = json.load(open(w + "/explain_nofb.json"))
words = [p["term"] for p in r["hits"][0]["explain"]]
check(any(p["field"] == "feedback" for p in
          json.load(open(w + "/explain_recent.json"))["hits"][0]["explain"]),
      "explain: stems added by feedback (--feedback 20) are labelled so")
check(words == ["ransomware"] * len(words) and
      all(p["field"] != "feedback" for h in r["hits"] for p in h["explain"]),
      "explain: --feedback 0 adds no stems", words)
r = json.load(open(w + "/rel.json"))
check(all("explain" not in h for h in r["hits"]),
      "no explain key without --explain")
EOF

# ---- time limit -------------------------------------------------------------------
jq tl_none 'ransomware hospital'
jq tl_long --time-limit 60 'ransomware hospital'
jq tl_tiny --time-limit 0.000001 'ransomware hospital'
pycheck "$WORK" <<'EOF'
w = sys.argv[1]
load = lambda n: json.load(open("%s/%s.json" % (w, n)))
none, long_, tiny = load("tl_none"), load("tl_long"), load("tl_tiny")
check(none["total_exact"] and long_["total_exact"] and
      none["total"] == long_["total"], "a limit that is not reached: exact")
check(tiny["total_exact"] is False,
      "a limit that is reached: the total is an estimate")
check_eq("... and the hits are still there",
         [h["id"] for h in none["hits"]], [h["id"] for h in tiny["hits"]])
EOF

# ---- --filter: filters beside the query, never part of its text -------------------
jq f_not --limit 50 --filter country:US NOT
jq f_not_want --limit 50 'country:US'
jq f_or --limit 50 --filter country:US --filter country:CN --filter after:2021 \
  'ransomware OR'
jq f_or_want --limit 50 'ransomware (country:US OR country:CN) after:2021'
jq f_quote --limit 50 --filter 'country:United States' '"ransomware'
jq f_quote_want --limit 50 'ransomware country:US'
jq f_none --limit 50 --filter country:US
printf 'a\tNOT\nb\transomware OR\n' >"$WORK/f_batch.txt"
capture "$WORK/f_batch.json" "$CYSEARCH" --db "$DB" --format json \
  --limit 50 --filter country:US --queries "$WORK/f_batch.txt"
pycheck "$WORK" <<'EOF'
w = sys.argv[1]
load = lambda n: json.load(open("%s/%s.json" % (w, n)))
ids = lambda r: [(h["id"], round(h["score"], 6)) for h in r["hits"]]
for name in ("f_not", "f_or", "f_quote"):
    got, want = load(name), load(name + "_want")
    check(want["total"] > 0 and (got["total"], ids(got)) ==
          (want["total"], ids(want)),
          "--filter with %r finds what the well-formed query finds" %
          got["query"], (got["total"], want["total"]))
check_eq("--filter: JSON lists the filters",
         [{"field": "country", "value": "United States"}],
         load("f_quote")["filters"])
check_eq("--filter without a query: every article it selects",
         load("f_not_want")["total"], load("f_none")["total"])
batch = [json.loads(l) for l in open(w + "/f_batch.json")]
check_eq("--filter applies to every query of a batch",
         [load("f_not_want")["total"], load("f_quote_want")["total"]],
         [r["total"] for r in batch])
EOF
run f_narnia "$CYSEARCH" --db "$DB" --filter country:Narnia ransomware
check_status "--filter country:Narnia is a usage error" 2
check_file_contains "... naming the value" "$WORK/f_narnia.err" \
  "unknown country 'Narnia'"
run f_field "$CYSEARCH" --db "$DB" --filter colour:red ransomware
check_status "--filter with an unknown field is a usage error" 2
check_file_contains "... naming the field" "$WORK/f_field.err" \
  "unknown filter field 'colour'"
run f_form "$CYSEARCH" --db "$DB" --filter CN ransomware
check_status "--filter without FIELD: is a usage error" 2
# 70 valid --filter options: the message is about their number, not a value.
many=""
for _i in $(seq 70); do many="$many --filter country:CN"; done
# shellcheck disable=SC2086  # the options are separate words
run f_many "$CYSEARCH" --db "$DB" $many ransomware
check_status "70 --filter options are a usage error" 2
check_file_contains "... saying the limit is 64" "$WORK/f_many.err" \
  "too many --filter options: at most 64"
check_file_not_contains "... without calling a valid value malformed" \
  "$WORK/f_many.err" "needs FIELD:VALUE"
run f_form_msg "$CYSEARCH" --db "$DB" --filter CN ransomware
check_file_contains "--filter CN: the message asks for FIELD:VALUE" \
  "$WORK/f_form_msg.err" "--filter needs FIELD:VALUE, e.g. country:CN, not 'CN'"
run f_text "$CYSEARCH" --db "$DB" --color never --no-snippets --limit 1 \
  --filter country:US NOT
check_file_contains "text output says which filters applied" \
  "$WORK/f_text.out" 'match "NOT" with country:US'

# ---- usage ------------------------------------------------------------------------
for bad in '--sort newest' '--half-life 0' '--time-limit 0' '--time-limit x' \
           '--feedback -1' '--feedback 101'; do
  # shellcheck disable=SC2086  # the option and its value are two words
  run usage "$CYSEARCH" --db "$DB" $bad ransomware
  check_status "usage error: $bad" 2
done
# Removed: proximity pairs never helped; feedback reads the top hit with a
# fixed share (search_feedback.c).  Each is an unknown option now.
for removed in '--proximity 0.03' '--feedback-docs 1' '--feedback-weight 0.3'; do
  # shellcheck disable=SC2086  # the option and its value are two words
  run removed "$CYSEARCH" --db "$DB" $removed ransomware
  check_status "removed option: $removed" 2
  check_file_contains "... is named as unknown" "$WORK/removed.err" \
    "unrecognized option '${removed%% *}'"
done
# year: takes years: for a month the message points to date:, and offers
# no form year: refuses
run year_month "$CYSEARCH" --db "$DB" 'year:2017-05'
check_status "year:2017-05 is an error" 2
check_file_contains "it suggests date: for a month" "$WORK/year_month.err" \
  "date:2017-05"
check_file_not_contains "it does not offer YYYY-MM for year:" \
  "$WORK/year_month.err" "YYYY-MM"
run year_ok "$CYSEARCH" --db "$DB" --format json 'date:2017-05'
check_status "... and date:2017-05 works" 0
run nothing "$CYSEARCH" --db "$DB" --sort date
check_status "still a usage error without a query (and without --like)" 2
run help "$CYSEARCH" --help
for opt in --sort --half-life --no-collapse --like --explain --time-limit \
           --no-suggest --filter; do
  check_file_contains "--help documents $opt" "$WORK/help.out" "$opt"
done
check_file_contains "--help marks --feedback as experimental" \
  "$WORK/help.out" "--feedback N      EXPERIMENTAL"
check_file_not_contains "--help no longer offers --proximity" \
  "$WORK/help.out" "--proximity"
for opt in '\-\-sort' '\-\-no\-collapse' '\-\-like' '\-\-explain' \
           '\-\-time\-limit' 'Did you mean' '\-\-filter'; do
  check_file_contains "the man page documents $opt" \
    "$CYSEARCH_SOURCE_DIR/searcher/cysearch.1" "$opt"
done

# ---- the news corpus: spelling and near-duplicates at scale ----------------------
if have_news; then
  NDB="$WORK/news"
  run news_index "$CYSEARCH_INDEX" --db "$NDB" "$NEWS"
  check_status "index the news corpus" 0
  for q in ransomwre wannacri vulnerabilty 'mirai botnet'; do
    capture "$WORK/s_$(echo "$q" | tr -c 'a-z' _).json" "$CYSEARCH" \
      --db "$NDB" --format json --limit 0 "$q"
  done
  # every story counted, to compare the two totals exactly
  capture "$WORK/n_all.json" "$CYSEARCH" --db "$NDB" --format json --limit 0 --exact 'after:1900'
  capture "$WORK/n_all_nc.json" "$CYSEARCH" --db "$NDB" --format json --limit 0 --exact --no-collapse 'after:1900'
  capture "$WORK/n_crazy.json" "$CYSEARCH" --db "$NDB" --format json "crazy bad windows rce"
  capture "$WORK/n_vault7.json" "$CYSEARCH" --db "$NDB" --format json angelfire couchpotato
  pycheck "$WORK" <<'EOF'
w = sys.argv[1]
load = lambda n: json.load(open("%s/%s.json" % (w, n)))
for q, want in [("ransomwre", "ransomware"), ("wannacri", "wannacry"),
                ("vulnerabilty", "vulnerability"), ("mirai botnet", None)]:
    name = "s_" + re.sub("[^a-z]", "_", q) + "_"
    check_eq("news: suggestion for %r" % q, want, load(name)["suggestion"])
every, all_nc = load("n_all"), load("n_all_nc")
folded = all_nc["total"] - every["total"]
print("news: %d dated articles, %d folded into near-duplicates" %
      (all_nc["total"], folded))
check(5 <= folded <= 40, "news: a handful of articles are near-duplicates "
      "(10 when measured)", folded)
crazy = load("n_crazy")["hits"]
copies = {"thn-f485dd438a49", "casie-2165"}
check(crazy and crazy[0]["id"] in copies and crazy[0]["duplicates"] >= 1 and
      not any(h["id"] in copies for h in crazy[1:]),
      "news: a syndicated copy is folded into the original",
      [(h["id"], h["duplicates"]) for h in crazy[:3]])
v7 = {h["id"] for h in load("n_vault7")["hits"]}
check({"thn-10a61c30f67f", "thn-e661de705e39"} <= v7,
      "news: two Vault 7 stories with shared boilerplate stay apart", v7)
EOF
fi

finish
