#!/bin/sh
# test_cgi_search.sh — the refining parts of the search page (cysearch.cgi
# run directly, as a web server does, over corpus/sample.jsonl): the facet
# sidebar (every value links to the search with its filter added, the
# count it shows is what that search finds, an active value links back),
# the entity chips of the hits, the near-duplicate count, "Did you mean"
# as a link that keeps the filters, sort=date / sort=recent, and no server
# file path in format=json.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"
: "${CYSEARCH_CGI:?CYSEARCH_CGI must name the cysearch.cgi program}"

DB="$WORK/db"

# cgi NAME QUERY_STRING: the response in $WORK/NAME.out.
cgi() { cgi_get "$1" "$DB" "$2"; }

run index "$CYSEARCH_INDEX" --db "$DB" "$SAMPLE"
check_status "index the sample corpus" 0

cgi ransomware 'q=ransomware'
cgi volt 'q=volt+typhoon'
cgi typo 'q=ransomwre+hospitl&country=US'
cgi typo_empty 'q=ransomwre+hospitl+zzqqxx'
cgi by_date 'q=ransomware&sort=date&per-page=50'
cgi by_recent 'q=ransomware&sort=recent&per-page=50'
cgi by_relevance 'q=ransomware&per-page=50'
cgi bad_sort 'q=ransomware&sort=newest'

# Follow every facet link and every entity chip of the ransomware page, as
# JSON (the same request with format=json) to read the totals.
python3 - "$WORK/ransomware.out" >"$WORK/links" <<'EOF'
import re, sys, html
body = open(sys.argv[1], encoding="utf-8").read()
aside = body.split('<aside class="facets"', 1)[-1].split("</aside>")[0]
for n, (href, text, count) in enumerate(re.findall(
        r'<li><a href="\?([^"]*)">([^<]*)</a> <span class="facet-count">(\d+)'
        r'</span>', aside)):
    print("facet_%d %s" % (n, html.unescape(href)))
for n, href in enumerate(re.findall(r'<a class="entity[^"]*" href="\?([^"]*)"',
                                    body)):
    print("chip_%d %s" % (n, html.unescape(href)))
EOF
while read -r name qs; do
  cgi "$name" "$qs"
  cgi "${name}_json" "$qs&format=json"
done <"$WORK/links"

pycheck "$WORK" "$SAMPLE" <<'EOF'
import html, os
from urllib.parse import parse_qsl
WORK, SAMPLE = sys.argv[1:3]
corpus = {a["id"]: a for a in load_jsonl(SAMPLE)}

def body(name):
    data = open(os.path.join(WORK, name + ".out"), "rb").read()
    head, _, b = data.partition(b"\r\n\r\n")
    return int(head.split(b"\r\n")[0].split()[1]), b.decode("utf-8")

# ---- the facet sidebar ------------------------------------------------------
st, b = body("ransomware")
check_eq("ransomware: status", 200, st)
aside = b.split('<aside class="facets"', 1)[-1].split("</aside>")[0]
check('<aside class="facets"' in b, "the page has a facet sidebar")
heads = re.findall(r'<h3 id="facet-([a-z]+)">', aside)
check(heads and set(heads) <= {"country", "agency", "actor", "malware",
                               "source", "year"} and
      {"country", "malware", "source", "year"} <= set(heads),
      "the sidebar's facets", heads)
values = re.findall(r'<section class="facet" aria-labelledby="facet-([a-z]+)">'
                    r'(.*?)</section>', aside, re.S)
links = dict(l.split(" ", 1) for l in
             open(os.path.join(WORK, "links")).read().splitlines())
facets = [(k, v) for k, v in links.items() if k.startswith("facet_")]
check(len(facets) >= 10, "facet values are links", len(facets))
counts = [int(c) for c in re.findall(r'class="facet-count">(\d+)<', aside)]
n = 0
bad = []
for section, inner in values:
    for href, label, count in re.findall(
            r'<li><a href="\?([^"]*)">([^<]*)</a> <span class="facet-count">'
            r'(\d+)</span>', inner):
        name = "facet_%d" % n
        n += 1
        params = parse_qsl(html.unescape(href), keep_blank_values=True)
        # the link is the current search plus exactly this filter
        if params[:1] != [("q", "ransomware")] or len(params) != 2 or \
           params[1][0] != section:
            bad.append((section, label, params))
            continue
        # the count shown is what the search behind the link finds
        st, jb = body(name + "_json")
        total = json.loads(jb)["total"] if st == 200 else None
        if total != int(count):
            bad.append((section, label, "shows %s, finds %s" % (count, total)))
        # and there the value is active, linking back to the search without it
        st, lb = body(name)
        on = re.findall(r'<li class="facet-on"><a href="\?([^"]*)"', lb)
        if st != 200 or html.unescape(on[0] if on else "") != "q=ransomware":
            bad.append((section, label, "not active there", on))
check(n >= 10 and not bad, "every facet link adds its filter, finds as many "
      "articles as it says, and is active on the page it opens", bad)

# ---- entity chips --------------------------------------------------------------
chips = [(k, v) for k, v in links.items() if k.startswith("chip_")]
check(len(chips) >= 10, "hits carry entity chips that are links", len(chips))
bad = []
for name, qs in chips:
    params = parse_qsl(qs, keep_blank_values=True)
    if params[:1] != [("q", "ransomware")] or len(params) != 2:
        bad.append((name, params))
        continue
    kind, value = params[1]
    st, jb = body(name + "_json")
    r = json.loads(jb) if st == 200 else {"hits": []}
    if not r["hits"] or not all(
            any(e["type"] == kind and e["value"] == value for e in h["entities"])
            for h in r["hits"]):
        bad.append((name, kind, value, st))
check(not bad, "each chip adds its entity's filter, and every hit behind it "
      "has that entity", bad)

# ---- near-duplicates -------------------------------------------------------------
st, b = body("volt")
check('<span class="hit-dups">(+1 similar)</span>' in b,
      "volt typhoon: the folded copy is counted")
check(b.count('<li class="hit">') == 2, "volt typhoon: two stories listed")

# ---- did you mean ----------------------------------------------------------------
st, b = body("typo")
check('<p class="suggestion">Did you mean: <a href="?q=ransomware%20hospital'
      '&amp;country=US">ransomware hospital</a>?</p>' in b,
      "a suggestion links to the corrected query, keeping the filters",
      re.findall(r'<p class="suggestion">.*?</p>', b))
st, b = body("typo_empty")
check("No articles match" in b and "Did you mean: " in b and
      'href="?q=ransomware%20hospital%20zzqqxx"' in b,
      "the no-match page offers the suggestion too")

# ---- sort ---------------------------------------------------------------------
def dates(name):
    st, b = body(name)
    hits = b.split('<ol class="hits"', 1)[-1].split("</ol>")[0]
    items = re.findall(r'<li class="hit">(.*?)</li>\n(?=<li class="hit">|$)',
                       hits + "\n", re.S)
    out = []
    for it in items:
        m = re.search(r'<time datetime="([^"]*)"', it)
        out.append(m.group(1) if m else None)
    return st, b, out
def key(d):
    p = (d or "").split("-")
    return "".join(p + ["00"] * (3 - len(p))) if d else ""
st, b, ds = dates("by_date")
keys = [key(d) for d in ds]
check(len(keys) > 5 and keys == sorted(keys, reverse=True),
      "sort=date: newest first", ds)
check("newest first" in b and "not available" not in b,
      "sort=date: the summary says so")
check('<option value="date" selected>' in b, "sort=date: selected in the form")
st, b, rs = dates("by_recent")
st2, b2, rel = dates("by_relevance")
check_eq("sort=recent: the same number of hits as relevance", len(rel), len(rs))
check(rs and key(rs[0]) >= key(rel[0]), "sort=recent: the top hit is at least "
      "as new as relevance's", (rs[:1], rel[:1]))
check('<option value="recent" selected>' in b and
      "best and most recent matches first" in b, "sort=recent: said and selected")
links = re.findall(r'href="\?([^"]*)"', b.split("<ol", 1)[-1])
check(links and all("sort=recent" in l for l in links
                    if l.startswith("q=ransomware")),
      "sort=recent: every link keeps the order")
st, b = body("bad_sort")
check(st == 400 and "relevance" in b and "recent" in b,
      "an unknown sort is a 400 naming the choices")
EOF

# ---- format=json publishes no server paths -----------------------------------
# A page indexed from a file without a URL of its own has the file's path
# as url: the CLI (on the indexing machine) shows it, the page never does.
mkdir "$WORK/pages"
printf 'Zyxwv quarterly report\n\nA text page about zyxwv, saved from a site, with no URL of its own.\n' \
  >"$WORK/pages/zyxwv-report.txt"
run index_pages "$CYSEARCH_INDEX" --db "$WORK/pages_db" "$WORK/pages"
check_status "index a text page" 0
run pages_cli "$CYSEARCH" --db "$WORK/pages_db" --format json zyxwv
cgi_get pages_json "$WORK/pages_db" 'q=zyxwv&format=json'
pycheck "$WORK" <<'EOF'
WORK = sys.argv[1]
cli = json.load(open(WORK + "/pages_cli.out"))
body = open(WORK + "/pages_json.out", "rb").read().partition(b"\r\n\r\n")[2]
page = json.loads(body)
urls = [h["url"] or "" for h in cli["hits"]]
check(len(urls) == 1 and urls[0].startswith("/") and
      urls[0].endswith("/pages/zyxwv-report.txt"),
      "the CLI shows the page's file path as its url", urls)
check_eq("format=json gives no url for it", [None],
         [h["url"] for h in page["hits"]])
check(b"/pages/" not in body, "format=json holds no server path at all")
EOF

finish
