#!/bin/sh
# test_kev.sh — cysearch-index --cve-data: CVE marks from CISA's Known
# Exploited Vulnerabilities catalogue.  On corpus/sample.jsonl with
# catalogues written here: kev:yes/no, kev-ransomware:known and the JSON
# hits' kev fields against python's reading of the catalogue and of
# --extract; an update that adds and removes CVEs changes exactly the
# articles python expects and leaves text and terms alone; bad catalogue
# files change nothing.  On the news corpus with the real catalogue (skipped
# when ../shared is absent): kev:yes is exactly the articles whose CVE tags
# the catalogue lists.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

SAMPLE="$CYSEARCH_SOURCE_DIR/corpus/sample.jsonl"
DB="$WORK/db"
capture "$WORK/extract.jsonl" "$CYSEARCH_INDEX" --extract "$SAMPLE"
run index "$CYSEARCH_INDEX" --db "$DB" "$SAMPLE"
check_status "indexing the sample corpus" 0

# Two catalogues in CISA's form: the second drops CVE-2017-0144, adds
# CVE-2019-19781 and turns CVE-2021-44228's ransomware use to Known.
pycheck "$WORK" <<'EOF'
def entry(cve, ransom, vendor="Vendor", product="Product"):
    return {"cveID": cve, "vendorProject": vendor, "product": product,
            "vulnerabilityName": "x", "dateAdded": "2021-12-10",
            "shortDescription": "x", "requiredAction": "x",
            "dueDate": "2021-12-24", "knownRansomwareCampaignUse": ransom,
            "notes": "", "cwes": []}
def catalogue(entries):
    return {"title": "CISA Catalog of Known Exploited Vulnerabilities",
            "catalogVersion": "test", "dateReleased": "2025-01-01T00:00:00Z",
            "count": len(entries), "vulnerabilities": entries}
one = [entry("CVE-2017-0144", "Known", "Microsoft", "SMBv1"),
       entry("CVE-2021-44228", "Unknown", "Apache", "Log4j2"),
       entry("CVE-1999-0001", "Unknown")]
two = [entry("CVE-2019-19781", "Unknown", "Citrix", "ADC"),
       entry("CVE-2021-44228", "Known", "Apache", "Log4j2"),
       entry("CVE-1999-0001", "Unknown")]
json.dump(catalogue(one), open(sys.argv[1] + "/one.json", "w"))
json.dump(catalogue(two), open(sys.argv[1] + "/two.json", "w"))
check(True, "catalogues written")
EOF

# ids matching a query, one per line, sorted (collapsing off: every article).
ids() {
  "$CYSEARCH" --db "$1" --format json --no-collapse --limit 10000 "$2" |
    python3 -c 'import json,sys; print("\n".join(sorted(h["id"] for h in json.load(sys.stdin)["hits"])))'
}

ids "$DB" "worm" >"$WORK/worm.before"
ids "$DB" "kev:yes" >"$WORK/none.ids"
check_eq "kev:yes before any --cve-data: nothing" "" "$(cat "$WORK/none.ids")"

# What a catalogue should mark: per article with CVE tags, its kev term,
# ransomware term and entries; written as JSON for the checks below.
cat >"$WORK/expect.py" <<'EOF'
import json, sys
def marks(extract, cat):
    kev = {v["cveID"]: v for v in json.load(open(cat))["vulnerabilities"]}
    out = {}
    for line in open(extract):
        a = json.loads(line)
        cves = sorted({e["value"] for e in a["entities"] if e["type"] == "cve"})
        if not cves:
            continue
        listed = [c for c in cves if c in kev]
        out[a["id"]] = {
            "kev": "yes" if listed else "no",
            "ransomware": (None if not listed else "known" if any(
                kev[c]["knownRansomwareCampaignUse"] == "Known" for c in listed)
                else "unknown"),
            "entries": [[c, kev[c]["dateAdded"], kev[c]["vendorProject"],
                         kev[c]["product"],
                         kev[c]["knownRansomwareCampaignUse"] == "Known"]
                        for c in listed]}
    return out
EOF

# ---- first catalogue ---------------------------------------------------------
run mark1 "$CYSEARCH_INDEX" --db "$DB" --cve-data "$WORK/one.json"
check_status "--cve-data one.json with no INPUT" 0
for q in kev:yes kev:no kev-ransomware:known kev-ransomware:unknown; do
  ids "$DB" "$q" >"$WORK/one.$q"
done
"$CYSEARCH" --db "$DB" --format json --no-collapse --limit 10000 kev:yes >"$WORK/one.hits"
pycheck "$WORK" <<'EOF'
w = sys.argv[1]
exec(open(w + "/expect.py").read())
m = marks(w + "/extract.jsonl", w + "/one.json")
def got(q):
    return [l for l in open(w + "/one." + q).read().split("\n") if l]
for q, f in (("kev:yes", lambda v: v["kev"] == "yes"),
             ("kev:no", lambda v: v["kev"] == "no"),
             ("kev-ransomware:known", lambda v: v["ransomware"] == "known"),
             ("kev-ransomware:unknown", lambda v: v["ransomware"] == "unknown")):
    check_eq("one.json: " + q + " is the articles python expects",
             sorted(i for i, v in m.items() if f(v)), got(q))
check(len(got("kev:yes")) > 0 and len(got("kev:no")) > 0,
      "one.json: some articles on each side")
err = open(w + "/mark1.err").read()
check("%d articles with CVE tags examined, %d changed" % (len(m), len(m)) in err,
      "one.json: the summary counts every article with CVE tags as changed", err)
hits = json.load(open(w + "/one.hits"))["hits"]
seen = {h["id"]: [[e["value"], e["kev"]["date_added"], e["kev"]["vendor"],
                   e["kev"]["product"], e["kev"]["ransomware"]]
                  for e in h["entities"] if e["type"] == "cve" and "kev" in e]
        for h in hits}
check_eq("one.json: each hit's CVE entities carry the catalogue's dateAdded, "
         "vendorProject, product and ransomware use",
         {i: v["entries"] for i, v in m.items() if v["kev"] == "yes"}, seen)
EOF

# ---- bad catalogues: an error naming the file (and entry), nothing changed ----
printf '{"vulnerabilities": [' >"$WORK/truncated.json"
printf '{"title": "something else", "items": []}' >"$WORK/other.json"
python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
c["vulnerabilities"][1]["cveID"] = "CVE-21-1"
json.dump(c, open(sys.argv[2], "w"))' "$WORK/two.json" "$WORK/badid.json"
for bad in missing.json truncated.json other.json badid.json; do
  run "bad-$bad" "$CYSEARCH_INDEX" --db "$DB" --cve-data "$WORK/$bad" "$SAMPLE"
  check_status "--cve-data $bad fails" 1
  check_file_contains "--cve-data $bad: the error names the file" "$WORK/bad-$bad.err" "$WORK/$bad"
  check_file_contains "--cve-data $bad: nothing was changed" "$WORK/bad-$bad.err" "nothing was indexed or changed"
  check_eq "--cve-data $bad: kev:yes as before" "$(cat "$WORK/one.kev:yes")" "$(ids "$DB" kev:yes)"
done
check_file_contains "badid.json: the entry index is named" "$WORK/bad-badid.json.err" 'vulnerabilities[1]'
check_file_contains "truncated.json: says it is not JSON" "$WORK/bad-truncated.json.err" "not a JSON file"
check_file_contains "other.json: says what is missing" "$WORK/bad-other.json.err" '"vulnerabilities"'

# ---- second catalogue: only the articles whose marks change ---------------------
run mark2 "$CYSEARCH_INDEX" --db "$DB" --cve-data "$WORK/two.json"
check_status "--cve-data two.json with no INPUT" 0
for q in kev:yes kev:no kev-ransomware:known; do
  ids "$DB" "$q" >"$WORK/two.$q"
done
ids "$DB" "worm" >"$WORK/worm.after"
check_eq "text untouched: a body word finds the same articles" "$(cat "$WORK/worm.before")" "$(cat "$WORK/worm.after")"
check_eq "document count unchanged" \
  "$(summary_num "$WORK/index.err" holds)" "$(summary_num "$WORK/mark2.err" holds)"
pycheck "$WORK" <<'EOF'
w = sys.argv[1]
exec(open(w + "/expect.py").read())
one = marks(w + "/extract.jsonl", w + "/one.json")
two = marks(w + "/extract.jsonl", w + "/two.json")
changed = sorted(i for i in two if two[i] != one[i])
def got(q):
    return [l for l in open(w + "/two." + q).read().split("\n") if l]
check_eq("two.json: kev:yes", sorted(i for i, v in two.items() if v["kev"] == "yes"), got("kev:yes"))
check_eq("two.json: kev:no", sorted(i for i, v in two.items() if v["kev"] == "no"), got("kev:no"))
check_eq("two.json: kev-ransomware:known",
         sorted(i for i, v in two.items() if v["ransomware"] == "known"),
         got("kev-ransomware:known"))
err = open(w + "/mark2.err").read()
check(len(changed) > 0 and "%d articles with CVE tags examined, %d changed"
      % (len(two), len(changed)) in err,
      "two.json: the summary counts exactly the articles whose marks change (%d)"
      % len(changed), err)
EOF
run mark3 "$CYSEARCH_INDEX" --db "$DB" --cve-data "$WORK/two.json"
check_file_contains "the same catalogue again changes nothing" "$WORK/mark3.err" "examined, 0 changed"
run badvalue "$CYSEARCH" --db "$DB" kev:maybe
check_eq "kev:maybe is a bad query (exit 2)" 2 "$STATUS"
check_file_contains "kev:maybe: the message says what to write" "$WORK/badvalue.err" "kev:yes or kev:no"

# ---- the kev facets: counts of the marks over a query's matches ----------------
# facet_check NAME DB EXTRACT CATALOGUE QUERY: --facets kev,kev-ransomware
# (every article: --no-collapse) against python's marks of the articles the
# query finds.
facet_check() {
  ids "$2" "$5" >"$WORK/$1.ids"
  capture "$WORK/$1.facets" "$CYSEARCH" --db "$2" --format json --no-collapse \
    --limit 0 --facets kev,kev-ransomware "$5"
  pycheck "$WORK" "$1" "$3" "$4" "$5" <<'EOF'
w, name, extract, cat, query = sys.argv[1:6]
exec(open(w + "/expect.py").read())
m = marks(extract, cat)
found = [l for l in open(w + "/" + name + ".ids").read().split("\n") if l]
facets = json.load(open(w + "/" + name + ".facets"))["facets"]
def counted(facet):
    return {v["value"]: v["count"] for v in facets[facet]}
def expected(key):
    out = {}
    for i in found:
        v = m.get(i, {}).get(key)
        if v:
            out[v] = out.get(v, 0) + 1
    return out
check(len(found) > 0 and expected("kev"), "%s: %r finds marked articles" % (name, query))
check_eq("%s: --facets kev counts kev yes/no over %r's matches" % (name, query),
         expected("kev"), counted("kev"))
check_eq("%s: --facets kev-ransomware counts known/unknown" % name,
         expected("ransomware"), counted("kev-ransomware"))
EOF
}
facet_check sample-facets "$DB" "$WORK/extract.jsonl" "$WORK/two.json" 'CVE OR vulnerability OR exploit'
run facets-unknown "$CYSEARCH" --db "$DB" --facets kev,colour x
check_status "--facets with an unknown name" 2
check_file_contains "... lists the kev facets" "$WORK/facets-unknown.err" "kev, kev-ransomware (or all)"

# ---- the search page: kev=yes as a structured filter ---------------------------
if [ -n "${CYSEARCH_CGI:-}" ]; then
  cgi_get page_kev "$DB" 'kev=yes&format=json&per-page=50'
  "$CYSEARCH" --db "$DB" --format json --limit 50 --filter kev:yes >"$WORK/cli_kev.json"
  cgi_get page_kev_html "$DB" 'q=CVE+OR+vulnerability+OR+exploit'
  pycheck "$WORK" <<'EOF'
w = sys.argv[1]
want = [l for l in open(w + "/two.kev:yes").read().split("\n") if l]
body = open(w + "/page_kev.out").read()
r = json.loads(body[body.index("{"):])
got = sorted(h["id"] for h in r["hits"])
check(got and set(got) <= set(want) and r["total"] <= len(want),
      "the page's kev=yes shows only kev:yes articles", (got, want))
def kev_fields(result):
    return {h["id"]: [[e["value"], e["kev"]] for e in h["entities"] if "kev" in e]
            for h in result["hits"]}
cli = kev_fields(json.load(open(w + "/cli_kev.json")))
check(any(cli.values()), "the CLI's JSON hits carry kev fields")
check_eq("the page's JSON hits carry the same kev fields as the CLI's", cli, kev_fields(r))
page = open(w + "/page_kev_html.out").read()
section = re.search(r'<section class="facet" aria-labelledby="facet-kev">.*?</section>', page, re.S)
check(section and 'href="?q=CVE%20OR%20vulnerability%20OR%20exploit&amp;kev=yes">yes</a>' in section.group(0),
      "the page's sidebar has a Known exploited facet whose yes adds kev=yes",
      section.group(0) if section else page[-3000:])
EOF
  cgi_get page_kev_bad "$DB" 'kev=maybe&format=json'
  check_file_contains "the page's kev=maybe is refused with 400" "$WORK/page_kev_bad.out" "400"
fi

# ---- the news corpus with CISA's catalogue --------------------------------------
KEV="${CYSEARCH_SHARED_DIR:-/nonexistent}/enrichment/kev/known_exploited_vulnerabilities.json"
if ! have_news || [ ! -r "$KEV" ]; then
  printf 'SKIP (part): news corpus or KEV catalogue not found under %s\n' "${CYSEARCH_SHARED_DIR:-(unset)}"
  finish
fi
capture "$WORK/news-extract.jsonl" "$CYSEARCH_INDEX" --extract "$NEWS"
run news "$CYSEARCH_INDEX" --db "$WORK/news" --cve-data "$KEV" "$NEWS"
check_status "indexing the news corpus with --cve-data" 0
ids "$WORK/news" kev:yes >"$WORK/news.kev:yes"
ids "$WORK/news" kev-ransomware:known >"$WORK/news.kev-ransomware:known"
pycheck "$WORK" "$KEV" <<'EOF'
w, cat = sys.argv[1], sys.argv[2]
exec(open(w + "/expect.py").read())
m = marks(w + "/news-extract.jsonl", cat)
def got(q):
    return [l for l in open(w + "/news." + q).read().split("\n") if l]
expected = sorted(i for i, v in m.items() if v["kev"] == "yes")
check(len(expected) > 100, "news: over 100 articles name a KEV CVE", len(expected))
check_eq("news: kev:yes is exactly the articles whose CVE tags the catalogue lists",
         expected, got("kev:yes"))
check_eq("news: kev-ransomware:known likewise",
         sorted(i for i, v in m.items() if v["ransomware"] == "known"),
         got("kev-ransomware:known"))
EOF
facet_check news-facets "$WORK/news" "$WORK/news-extract.jsonl" "$KEV" 'ransomware'
finish
