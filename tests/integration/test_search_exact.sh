#!/bin/sh
# test_search_exact.sh — answers from the matches examined unless --exact
# (issue #18, item 2), on a generated corpus whose true counts the test
# knows: 3,000 articles of random words, 40 of them published three times
# (near-duplicates the index may fold into one story).
#   - by default a total that was not counted says so: "About N" in text,
#     "total_exact": false with bounds that hold the true count in JSON,
#     "About" and a link to count them all on the page (exact=1);
#   - --exact (and exact=1) counts every match: the total equals the
#     number of matching stories, whose copies add up to the matching
#     articles, the number --no-collapse counts; facets equal the counts
#     made from the corpus;
#   - the hits are the same, in the same order, either way;
#   - default facets say they cover the matches examined.
# With ../shared: the top 10 of the 200 news queries are the same with and
# without --exact.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

DB="$WORK/db"
python3 - "$WORK/corpus.jsonl" "$WORK/truth.json" <<'EOF'
import json, random, sys
rng = random.Random(18)
vocab = ["word%03d" % i for i in range(400)]
articles = []
for i in range(2920):
    words = rng.sample(vocab, 60)
    # "harbor" in about 3 of 5, "lantern" in about half: more than the
    # 1,000 matches facets examine by default
    if rng.random() < 0.6:
        words.append("harbor")
    if rng.random() < 0.5:
        words.append("lantern")
    articles.append({"id": "a%04d" % i, "title": " ".join(words[:6]),
                     "date": "20%02d-01-01" % (10 + i % 12),
                     "source": "site%d.example" % (i % 7),
                     "body": " ".join(words)})
stories = articles[:40]
for k in range(2):  # two more copies of each of the first 40
    for a in stories:
        c = dict(a, id=a["id"] + "-copy%d" % k)
        articles.append(c)
with open(sys.argv[1], "w") as f:
    for a in articles:
        f.write(json.dumps(a) + "\n")
truth = {}
for word in ("harbor", "lantern"):
    docs = [a for a in articles if word in a["body"].split()]
    sources = {}
    for a in docs:
        sources[a["source"]] = sources.get(a["source"], 0) + 1
    truth[word] = {"articles": len(docs), "sources": sources}
json.dump(truth, open(sys.argv[2], "w"))
EOF
run index "$CYSEARCH_INDEX" --db "$DB" "$WORK/corpus.jsonl"
check_status "index the generated corpus" 0

for w in harbor lantern; do
  capture "$WORK/$w.json" "$CYSEARCH" --db "$DB" --format json --facets source "$w"
  capture "$WORK/$w.exact.json" "$CYSEARCH" --db "$DB" --format json --facets source --exact "$w"
  capture "$WORK/$w.all.json" "$CYSEARCH" --db "$DB" --format json --limit 10000 --no-snippets --exact "$w"
  capture "$WORK/$w.nc.json" "$CYSEARCH" --db "$DB" --format json --no-collapse "$w"
  capture "$WORK/$w.nc.exact.json" "$CYSEARCH" --db "$DB" --format json --facets source --no-collapse --exact "$w"
done
run text "$CYSEARCH" --db "$DB" --color never --no-snippets harbor
run text_exact "$CYSEARCH" --db "$DB" --color never --no-snippets --exact harbor
run text_facets "$CYSEARCH" --db "$DB" --color never --no-snippets --limit 1 --facets source --facet-limit 2 'harbor lantern'
check_file_contains "text: an estimated total reads About" "$WORK/text.out" "About "
check_file_not_contains "text: --exact gives no About" "$WORK/text_exact.out" "About "
check_file_contains "text: facets over the matches examined say so" \
  "$WORK/text_facets.out" "matches examined, not of all (--exact counts all)"

pycheck "$WORK" <<'EOF'
w = sys.argv[1]
load = lambda n: json.load(open("%s/%s.json" % (w, n)))
truth = load("truth")
for word in ("harbor", "lantern"):
    t = truth[word]
    d, e, a = load(word), load(word + ".exact"), load(word + ".all")
    nc, nce = load(word + ".nc"), load(word + ".nc.exact")
    check_eq("%s: the default total is an estimate" % word, False, d["total_exact"])
    check(d["total_lower"] <= d["total"] <= d["total_upper"],
          "%s: the estimate lies within its bounds" % word, d)
    stories = len(a["hits"])
    check(d["total_lower"] <= stories <= d["total_upper"],
          "%s: the bounds hold the true number of stories" % word,
          (d["total_lower"], stories, d["total_upper"]))
    check(nc["total_lower"] <= t["articles"] <= nc["total_upper"],
          "%s: --no-collapse bounds hold the true number of articles" % word,
          (nc["total_lower"], t["articles"], nc["total_upper"]))
    check_eq("%s: --exact counts every story" % word,
             (True, stories, stories, stories),
             (e["total_exact"], e["total"], e["total_lower"], e["total_upper"]))
    check_eq("%s: the stories' copies add up to the matching articles" % word,
             t["articles"], sum(h["duplicates"] + 1 for h in a["hits"]))
    check_eq("%s: --exact --no-collapse counts every article" % word,
             (True, t["articles"]), (nce["total_exact"], nce["total"]))
    check_eq("%s: the same hits in the same order with and without --exact" % word,
             [(h["id"], h["rank"]) for h in e["hits"]],
             [(h["id"], h["rank"]) for h in d["hits"]])
    check_eq("%s: --no-collapse, the same hits with and without --exact" % word,
             [h["id"] for h in nce["hits"]], [h["id"] for h in nc["hits"]])
    check_eq("%s: exact facets are the counts of the corpus" % word,
             t["sources"],
             {v["value"]: v["count"] for v in nce["facets"]["source"]})
    check_eq("%s: exact facets say so" % word, (True, True, True),
             (e["facets_exact"], nce["facets_exact"],
              nce["facet_matches"] == t["articles"]))
    check(d["facets_exact"] is False and
          1000 <= d["facet_matches"] < t["articles"],
          "%s: default facets cover the matches examined, at least 1,000" % word,
          (d["facets_exact"], d["facet_matches"]))
    copies = {h["id"]: h["duplicates"] for h in a["hits"]}
    check(all(h["duplicates"] <= copies[h["id"]] for h in d["hits"]),
          "%s: copies per story are at most the exact number without --exact"
          % word, [(h["id"], h["duplicates"], copies[h["id"]]) for h in d["hits"]])
EOF

# ---- the page --------------------------------------------------------------
if [ -n "${CYSEARCH_CGI:-}" ]; then
  cgi_get page "$DB" 'q=harbor'
  cgi_get page_exact "$DB" 'q=harbor&exact=1'
  cgi_get page_exact2 "$DB" 'q=harbor&exact=1&page=2'
  cgi_get page_json "$DB" 'q=harbor&format=json'
  cgi_get page_bad "$DB" 'q=harbor&exact=yes'
  check_file_contains "page: an estimated total reads About" "$WORK/page.out" ">About "
  check_file_contains "page: a link counts them all" "$WORK/page.out" "?q=harbor&amp;exact=1\">Count them all</a> (and draw the timeline)"
  check_file_contains "page: the sidebar says what it counted" "$WORK/page.out" "matches examined, not all."
  check_file_not_contains "page: exact=1 gives no About" "$WORK/page_exact.out" "About "
  check_file_contains "page: exact=1 is kept in the pager" "$WORK/page_exact2.out" "?q=harbor&amp;exact=1\""
  check_file_contains "page: exact must be 0 or 1" "$WORK/page_bad.out" "Status: 400"
  check_file_contains "page JSON: bounds" "$WORK/page_json.out" '"total_exact":false,"total_lower":'
fi

# ---- the news corpus: the same top 10 for the 200 queries ------------------
QUERIES="${CYSEARCH_SHARED_DIR:-/nonexistent}/bench/news-queries.txt"
if [ -r "$QUERIES" ] && have_news; then
  run news_index "$CYSEARCH_INDEX" --db "$WORK/news" "$NEWS"
  check_status "index the news corpus" 0
  capture "$WORK/news.json" "$CYSEARCH" --db "$WORK/news" --format json --no-snippets --no-suggest -Q "$QUERIES"
  capture "$WORK/news.exact.json" "$CYSEARCH" --db "$WORK/news" --format json --no-snippets --no-suggest --exact -Q "$QUERIES"
  pycheck "$WORK" <<'EOF'
w = sys.argv[1]
d = read_json_lines(w + "/news.json")
e = read_json_lines(w + "/news.exact.json")
top = lambda rs: [[h["id"] for h in r["hits"]] for r in rs]
check_eq("news: 200 queries either way", (200, 200), (len(d), len(e)))
check(top(d) == top(e), "news: the top 10 of every query is the same with and "
      "without --exact", [r["qid"] for r, x in zip(d, e) if top([r]) != top([x])])
check(all(x["total_exact"] for x in e), "news: --exact totals are all exact")
check(all(r["total_lower"] <= x["total"] <= r["total_upper"] for r, x in zip(d, e)),
      "news: every default estimate's bounds hold the exact total",
      [(r["qid"], r["total_lower"], x["total"], r["total_upper"])
       for r, x in zip(d, e) if not r["total_lower"] <= x["total"] <= r["total_upper"]][:5])
print("news: %d of 200 default totals exact" % sum(r["total_exact"] for r in d))
EOF
fi
# A page of no hits with a date filter: Xapian's estimate alone, with
# nothing examined, was 0 ("No articles match") while 2 articles matched.
SDB="$WORK/sample-db"
run sample_index "$CYSEARCH_INDEX" --db "$SDB" -q "$SAMPLE"
run none_shown "$CYSEARCH" --db "$SDB" -n 0 --no-collapse 'ransomware date:2017'
check_file_not_contains "-n 0 with a filter: never 'No articles' when some match" \
  "$WORK/none_shown.out" "No articles"
check_file_contains "-n 0 with a filter: the estimate counts what it saw" \
  "$WORK/none_shown.out" "2 articles match"
finish
