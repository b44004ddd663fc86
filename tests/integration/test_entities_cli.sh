#!/bin/sh
# test_entities_cli.sh — entities through the programs: --extract output
# (offsets point at the mention in its field, --language honoured), filters
# and facets (empty items in --facets passed over) on the sample corpus, MISP gazetteers kept in the index, and on the news corpus
# (when ../shared is present) the equivalences the issue names.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

SAMPLE="$CYSEARCH_SOURCE_DIR/corpus/sample.jsonl"
DB="$WORK/db"

# ---- --extract ------------------------------------------------------------
run extract "$CYSEARCH_INDEX" --extract "$SAMPLE"
check_status "--extract runs without --db" 0
check_file_contains "--extract says no index was written" "$WORK/extract.err" "no index written"
pycheck "$SAMPLE" "$WORK/extract.out" <<'PY'
corpus = {a["id"]: a for a in load_jsonl(sys.argv[1])}
lines = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
check_eq("one line per article", sorted(corpus), sorted(l["id"] for l in lines))
bad = []
for l in lines:
    a = corpus[l["id"]]
    for e in l["entities"]:
        text = (a[e["field"]] or "").encode("utf-8")[e["start"]:e["end"]].decode("utf-8")
        if text != e["text"] or sorted(e) != ["end", "field", "label", "source", "start", "text", "type", "value"]:
            bad.append((l["id"], e))
check(not bad, "every mention's offsets point at its text in its field", bad[:3])
sources = {s for l in lines for e in l["entities"] for s in e["source"].split(",")}
check(sources <= {"cysearch", "misp-galaxy", "mitre-attack", "shape", "context"},
      "every mention names where its entity comes from", sorted(sources))
types = {e["type"] for l in lines for e in l["entities"]}
check(types >= {"country", "agency", "actor", "cve", "malware", "vendor"},
      "all six entity types are found in the sample corpus", sorted(types))
by_id = {l["id"]: {(e["type"], e["value"]) for e in l["entities"]} for l in lines}
fancy = [i for i, a in corpus.items() if "Fancy Bear" in (a["body"] or "")]
check(fancy and all(("actor", "APT28") in by_id[i] for i in fancy),
      "articles naming Fancy Bear are tagged actor APT28")
cves = [i for i, a in corpus.items() if "CVE-2021-44228" in (a["body"] or "").upper()]
check(cves and all(("cve", "CVE-2021-44228") in by_id[i] for i in cves),
      "articles with CVE-2021-44228 (any case) are tagged with it")
PY

# --language: the stemmer the context words are matched with, as in an index
# of that language (some of the sample's entities hang on English cues)
run extract_en "$CYSEARCH_INDEX" --extract --language english "$SAMPLE"
check_status "--extract --language english" 0
check_eq "--language english is the default" "" \
  "$(cmp "$WORK/extract.out" "$WORK/extract_en.out" 2>&1)"
run extract_fr "$CYSEARCH_INDEX" --extract --language french "$SAMPLE"
check_status "--extract --language french" 0
if cmp -s "$WORK/extract.out" "$WORK/extract_fr.out"; then
  fail "--extract honours --language (french finds other entities)"
else
  pass "--extract honours --language (french finds other entities)"
fi
run extract_xx "$CYSEARCH_INDEX" --extract --language klingon "$SAMPLE"
check_status "--extract with an unknown language, as when indexing" 1
check_file_contains "it names the language" "$WORK/extract_xx.err" \
  "unknown stemmer language 'klingon'"
check_eq "and prints nothing" "" "$(cat "$WORK/extract_xx.out")"
run index_xx "$CYSEARCH_INDEX" --db "$WORK/klingon-db" --language klingon "$SAMPLE"
check_status "indexing with an unknown language" 1
check_file_contains "the indexer names the language and where the list is" \
  "$WORK/index_xx.err" \
  "unknown stemmer language 'klingon' (cysearch-index --list-languages lists them)"
if [ -e "$WORK/klingon-db" ]; then fail "no index is made" "$(ls "$WORK/klingon-db")"; else pass "no index is made"; fi
# options that change nothing without an index are accepted
run extract_ct "$CYSEARCH_INDEX" --extract --commit-every 5 --threads 2 "$SAMPLE"
check_status "--extract with --commit-every and --threads" 0
check_eq "... and prints the same" "" \
  "$(cmp "$WORK/extract.out" "$WORK/extract_ct.out" 2>&1)"

# ---- filters and facets ------------------------------------------------------
run index "$CYSEARCH_INDEX" --db "$DB" "$SAMPLE"
check_status "indexing the sample corpus" 0
for q in 'country:CN' 'country:China' 'country:chinese' 'country:PRC'; do
  run "f" "$CYSEARCH" --db "$DB" --format json --limit 100 "$q"
  echo "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"])' "$WORK/f.out")" >> "$WORK/cn_totals"
done
check_eq "country:CN, :China, :chinese, :PRC give one count" 1 "$(sort -u "$WORK/cn_totals" | wc -l | tr -d ' ')"
run fancy "$CYSEARCH" --db "$DB" --format json --limit 100 'actor:"Fancy Bear"'
run apt28 "$CYSEARCH" --db "$DB" --format json --limit 100 'actor:APT28'
pycheck "$WORK/fancy.out" "$WORK/apt28.out" <<'PY'
a, b = (json.load(open(p)) for p in sys.argv[1:3])
check(a["total"] > 0, "actor:APT28 matches articles")
check_eq('actor:"Fancy Bear" is actor:APT28', [h["id"] for h in b["hits"]], [h["id"] for h in a["hits"]])
PY
run unknown "$CYSEARCH" --db "$DB" 'country:Chna'
check_status "an unknown filter value is a usage error" 2
check_file_contains "it suggests the closest value" "$WORK/unknown.err" "did you mean China (CN)"
run facets "$CYSEARCH" --db "$DB" --format json --facets country,actor,year 'china espionage'
pycheck "$WORK/facets.out" "$SAMPLE" <<'PY'
r = json.load(open(sys.argv[1]))
f = r.get("facets", {})
check_eq("facets asked for are present", ["actor", "country", "year"], sorted(f))
cn = [v for v in f.get("country", []) if v["value"] == "CN"]
check(cn and cn[0]["label"] == "China", "the country facet labels CN as China")
# the facet count equals the number of matches tagged CN (all pages)
check(cn and cn[0]["count"] <= r["total"], "a facet count is at most the total")
PY
# empty items in the list are passed over, wherever they are
for list in ',country,actor,year' 'country,actor,year,' 'country,,actor,year'; do
  run facets_e "$CYSEARCH" --db "$DB" --format json --facets "$list" 'china espionage'
  check_status "--facets '$list'" 0
  check_eq "--facets '$list' is --facets country,actor,year" \
    "$(cat "$WORK/facets.out")" "$(cat "$WORK/facets_e.out")"
done
run both "$CYSEARCH" --db "$DB" --format json --limit 100 'country:CN country:RU'
run cn "$CYSEARCH" --db "$DB" --format json --limit 100 'country:CN'
run ru "$CYSEARCH" --db "$DB" --format json --limit 100 'country:RU'
run notus "$CYSEARCH" --db "$DB" --format json --limit 100 'country:CN -country:US'
pycheck "$WORK/both.out" "$WORK/cn.out" "$WORK/ru.out" "$WORK/notus.out" <<'PY'
both, cn, ru, notus = (set(h["id"] for h in json.load(open(p))["hits"]) for p in sys.argv[1:5])
check_eq("the same filter twice is OR", sorted(cn | ru), sorted(both))
check(notus <= cn and len(notus) < len(cn), "-country:US excludes from country:CN")
PY
run scores_free "$CYSEARCH" --db "$DB" --format json --limit 100 'espionage'
run scores_filtered "$CYSEARCH" --db "$DB" --format json --limit 100 'espionage country:CN'
pycheck "$WORK/scores_free.out" "$WORK/scores_filtered.out" <<'PY'
free = {h["id"]: h["score"] for h in json.load(open(sys.argv[1]))["hits"]}
filt = {h["id"]: h["score"] for h in json.load(open(sys.argv[2]))["hits"]}
check(filt and all(abs(free[i] - s) < 1e-9 for i, s in filt.items()),
      "a filter does not change the scores of what it keeps")
PY

# ---- MISP gazetteers are kept in the index ------------------------------------
MISP="${CYSEARCH_SHARED_DIR:-/nonexistent}/gazetteers/misp/threat-actor.json"
if [ -r "$MISP" ]; then
  printf '{"id":"misp-1","title":"Comment Crew returns","body":"The Comment Crew group is back."}\n' > "$WORK/misp.jsonl"
  run misp_index "$CYSEARCH_INDEX" --db "$WORK/misp" --gazetteer "$MISP" "$WORK/misp.jsonl"
  check_status "indexing with a MISP gazetteer" 0
  run misp_search "$CYSEARCH" --db "$WORK/misp" --format json 'actor:"Comment Crew"'
  check_status "a searcher resolves a MISP-only name from the index" 0
  check_file_contains "the MISP-tagged article is found" "$WORK/misp_search.out" '"misp-1"'
  run misp_bad "$CYSEARCH_INDEX" --db "$WORK/misp2" --gazetteer "$SAMPLE" "$WORK/misp.jsonl"
  check_status "a file that is not a MISP galaxy stops the job" 1
fi

# ---- the news corpus -----------------------------------------------------------
if have_news; then
  run news "$CYSEARCH_INDEX" --quiet --db "$WORK/news" "$NEWS"
  check_status "indexing the news corpus" 0
  total() { "$CYSEARCH" --db "$WORK/news" --format json --limit 0 "$1" |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }
  cn=$(total 'country:CN'); china=$(total 'country:China'); chinese=$(total 'country:chinese')
  check_eq "news: country:CN = country:China" "$cn" "$china"
  check_eq "news: country:CN = country:chinese" "$cn" "$chinese"
  apt=$(total 'actor:APT28'); fancy=$(total 'actor:"Fancy Bear"')
  check_eq 'news: actor:APT28 = actor:"Fancy Bear"' "$apt" "$fancy"
  [ "$apt" -gt 0 ] && pass "news: actor:APT28 matches" || fail "news: actor:APT28 matches nothing"
  [ "$(total 'agency:NSA')" -gt 0 ] && pass "news: agency:NSA matches" || fail "news: agency:NSA matches nothing"
  "$CYSEARCH" --db "$WORK/news" --format json --limit 40 --no-snippets 'country:CN' > "$WORK/cn40.json"
  "$CYSEARCH_INDEX" --extract "$NEWS" > "$WORK/news_extract.jsonl" 2>/dev/null
  pycheck "$WORK/cn40.json" "$WORK/news_extract.jsonl" "$NEWS" <<'PY'
hits = [h["id"] for h in json.load(open(sys.argv[1]))["hits"]]
ext = {}
for l in open(sys.argv[2], encoding="utf-8"):
    o = json.loads(l)
    ext[o["id"]] = o["entities"]
corpus = {a["id"]: a for a in load_jsonl(sys.argv[3])}
bad = []
for i in hits:
    ms = [e for e in ext.get(i, []) if e["type"] == "country" and e["value"] == "CN"]
    a = corpus[i]
    if not ms or not all(e["text"] in (a[e["field"]] or "") for e in ms):
        bad.append(i)
check(len(hits) == 40 and not bad,
      "a sample of 40 articles tagged CN each really contains a mention", bad[:5])
PY
fi
finish
