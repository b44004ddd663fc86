#!/bin/sh
# test_cgi_filters.sh — the search page's filter parameters (country=,
# from=, ...) reach the search as structure, beside q, so that no text in
# q can invert or drop them: a stray NOT, a trailing OR or AND, an unclosed
# quote or parenthesis next to a filter find exactly what the well-formed
# query finds, every hit carries the filter's entity, and the chip the
# page shows is the filter applied.  An unknown filter value is a 400 that
# names its parameter, in HTML and in JSON.  Over corpus/sample.jsonl; the
# same on the news corpus is in test_news_corpus.sh.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"
: "${CYSEARCH_CGI:?CYSEARCH_CGI must name the cysearch.cgi program}"

DB="$WORK/db"

# cgi NAME QUERY_STRING: the response in $WORK/NAME.out.
cgi() { cgi_get "$1" "$DB" "$2"; }

run index "$CYSEARCH_INDEX" --db "$DB" "$SAMPLE"
check_status "index the sample corpus" 0

# NAME, the request with hostile text and filter parameters, and the
# well-formed query (filters written in q) that must find the same.
cat >"$WORK/cases" <<'EOF'
not q=NOT&country=US q=country:US
trailing_not q=ransomware+NOT&country=US q=ransomware+country:US
trailing_or q=ransomware+OR&country=US q=ransomware+country:US
trailing_and q=ransomware+AND&country=US q=ransomware+country:US
open_quote q=%22ransomware&country=US q=ransomware+country:US
open_paren q=(ransomware&country=US q=ransomware+country:US
not_word q=NOT+ransomware&country=US q=-ransomware+country:US
or_from q=ransomware+OR&from=2021-01 q=ransomware+after:2021-01
not_dates q=NOT&from=2021-01&to=2022 q=date:2021-01..2022
two_countries q=ransomware+OR&country=US&country=CN q=ransomware+(country:US+OR+country:CN)
two_fields q=%22ransomware&country=US&from=2021 q=ransomware+country:US+after:2021
EOF
while read -r name hostile wellformed; do
  cgi "$name" "$hostile"
  cgi "${name}_json" "$hostile&format=json&per-page=50"
  cgi "${name}_want" "$wellformed&format=json&per-page=50"
done <"$WORK/cases"

cgi narnia 'q=%22x&country=Narnia'
cgi narnia_json 'q=%22x&country=Narnia&format=json'
cgi narnia_q 'q=country:Narnia'
cgi bad_cve 'q=ransomware&cve=foo&format=json'
cgi bad_second 'q=ransomware&country=US&actor=Nobody+Known&format=json'

pycheck "$WORK" <<'EOF'
import html, os
WORK = sys.argv[1]

def response(name):
    return cgi_response(WORK, name)

def hits(j):
    return [(h["id"], round(h["score"], 6)) for h in j["hits"]]

for line in open(os.path.join(WORK, "cases")).read().splitlines():
    name, hostile, wellformed = line.split()
    st, b = response(name + "_json")
    st2, b2 = response(name + "_want")
    check_eq("%s: status" % name, (200, 200), (st, st2))
    if st != 200 or st2 != 200:
        continue
    got, want = json.loads(b), json.loads(b2)
    check(want["total"] > 0, "%s: the well-formed query finds something"
          % name, want["total"])
    check_eq("%s: ?%s finds what ?%s finds" % (name, hostile, wellformed),
             (want["total"], hits(want)), (got["total"], hits(got)))
    if "country=US" in hostile and "country=CN" not in hostile:
        check(all(any(e["type"] == "country" and e["value"] == "US"
                      for e in h["entities"]) for h in got["hits"]),
              "%s: every hit mentions the United States" % name)
    # The JSON says what was searched: q as sent, the filters beside it.
    q = [v for k, v in
         __import__("urllib.parse").parse.parse_qsl(hostile) if k == "q"]
    check_eq("%s: JSON query is q as sent" % name, q[0], got["query"])
    check(got.get("filters") and all(set(f) == {"field", "value"}
                                     for f in got["filters"]),
          "%s: JSON lists the filters" % name, got.get("filters"))
    # The page shows the chip, and as many articles as the JSON.
    st, page = response(name)
    check("chip-label" in page, "%s: the page shows the filter chips" % name)
    shown = re.search(r'<h2 id="results-h">(\d+) articles? match', page)
    check(shown and int(shown.group(1)) == got["total"],
          "%s: the page's count is the JSON's" % name,
          shown and shown.group(1))

st, b = response("narnia")
check_eq("country=Narnia: status", 400, st)
check("The parameter &#39;country&#39;: unknown country &#39;Narnia&#39;" in b
      and 'role="alert"' in b,
      "country=Narnia: an error page naming the parameter",
      re.findall(r'<section class="error".*?</section>', b, re.S))
check('<li class="chip"><span class="chip-label">Country:</span> Narnia' in b,
      "country=Narnia: its chip is there, to remove it")
st, b = response("narnia_json")
check_eq("country=Narnia, JSON: status", 400, st)
msg = json.loads(b)["error"]["message"]
check(msg.startswith("The parameter 'country': unknown country 'Narnia'"),
      "country=Narnia, JSON: the message names the parameter", msg)
st, b = response("narnia_q")
check(st == 400 and "The query (q): unknown country" in html.unescape(b),
      "q=country:Narnia: a 400 about the query", st)
st, b = response("bad_cve")
check(st == 400 and json.loads(b)["error"]["message"].startswith(
      "The parameter 'cve': cve:foo is not a CVE id"),
      "cve=foo: a 400 naming the parameter", b)
st, b = response("bad_second")
check(st == 400 and json.loads(b)["error"]["message"].startswith(
      "The parameter 'actor': unknown actor 'Nobody Known'"),
      "the second filter unknown: the message names it, not the first", b)
EOF

# Values that name one entity once resolved are one filter: one chip, and
# removing it removes the filter (its link keeps no other spelling).
cgi same_quoted 'q=&country=CN&country=%22CN%22'
cgi same_alias 'q=ransomware&country=China&country=CN&country=RU'
cgi same_json 'q=&country=CN&country=%22CN%22&country=china&format=json'
cgi alias_facet 'q=&country=PRC'
cgi minus_chip 'q=&country=-CN'
cgi not_sign_chip 'q=&country=%C2%ACCN&actor=%21APT28'
# Twenty filter values, the most a request takes: no link on the page
# (timeline bars, facets, entity chips) may ask for a 21st.
cgi twenty "exact=1$(for c in CN RU US GB FR DE AU CA NZ JP KR IN BR IL IR KP UA PL NL ES; do printf '&country=%s' "$c"; done)"
cgi quoted_facet 'q=&actor=%22Fancy+Bear%22'
cgi widen 'q=&country=CN'
pycheck "$WORK" <<'EOF'
import html
def body(name):
    return open(sys.argv[1] + "/" + name + ".out", encoding="utf-8", newline="").read().split("\r\n\r\n", 1)[1]
def chips(b):
    return re.findall(r'<li class="chip"><span class="chip-label">([^<]*)</span> ([^<]*) <a class="chip-remove" href="([^"]*)"', b)
c = chips(body("same_quoted"))
check_eq("country=CN&country=\"CN\": one chip", 1, len(c))
check(c and "country" not in html.unescape(c[0][2]),
      "removing it leaves no country filter", c)
c = chips(body("same_alias"))
check_eq("country=China&country=CN&country=RU: two chips", ["China", "RU"],
         [x[1] for x in c])
check(len(c) == 2 and html.unescape(c[0][2]) == "?q=ransomware&country=RU",
      "removing China keeps RU only", c)
check_eq("JSON lists the filter once", [{"field": "country", "value": "CN"}],
         json.loads(body("same_json"))["filters"])

import urllib.parse
b = body("twenty")
check("<svg" in b, "twenty filters: the page draws a timeline")
over = [h for h in map(html.unescape, re.findall(r'href="(\?[^"]*)"', b))
        if sum(1 for k, v in urllib.parse.parse_qsl(h[1:])
               if k in ("country", "agency", "actor", "source", "cve",
                        "malware", "vendor", "year", "kev", "period")) > 20]
check_eq("twenty filters: no link asks for more than 20 values", [], over)

# A value the gazetteer reads past its punctuation ("-CN", "¬CN" and
# "!APT28" name China and APT28, they exclude nothing): the chip says what
# is kept, the entity's name, not a value that reads as an exclusion.
check_eq("country=-CN: the chip says China", [("Country:", "China")],
         [x[:2] for x in chips(body("minus_chip"))])
check_eq("country=¬CN&actor=!APT28: the chips say China and APT28",
         [("Country:", "China"), ("Actor:", "APT28")],
         [x[:2] for x in chips(body("not_sign_chip"))])
check_eq("PRC, an alias: the chip says China", [("Country:", "China")],
         [x[:2] for x in chips(body("alias_facet"))])

# A filter given by an alias or in quotes is on in the sidebar too: its
# facet value links to the page without it, and no link adds it again.
for name, param, value, label in (("alias_facet", "country", "CN", "China"),
                                  ("quoted_facet", "actor", "APT28", "APT28")):
    b = body(name)
    on = re.findall(r'<li class="facet-on"><a href="([^"]*)"[^>]*>([^<]*) <', b)
    check_eq("%s: the facet value %s is on, its link removes the filter"
             % (name, label), [("?", label)], on)
    adds = [h for h in map(html.unescape, re.findall(r'href="(\?[^"]*)"', b))
            if "%s=%s" % (param, value) in h]
    check_eq("%s: no link adds %s=%s beside it" % (name, param, value), [], adds)

# Another value of a kind already filtered is ORed with it: its links
# widen the search, so their titles say "Also", never "Only"; a kind not
# filtered yet still narrows ("Only").
b = body("widen")
titles = dict((html.unescape(h), t) for h, t in
              re.findall(r'<a[^>]* href="(\?[^"]*)" title="([^"]*)"', b))
wide = [t for h, t in titles.items() if "country=CN&country=" in h]
check(wide, "under country=CN some link adds a second country", titles)
check(all(t.startswith("Also articles with Country ") for t in wide),
      "links adding a second country say Also", wide)
narrow = [t for h, t in titles.items()
          if "country=CN&actor=" in h or "country=CN&malware=" in h]
check(narrow and all(t.startswith("Only articles with ") for t in narrow),
      "links adding another kind say Only", narrow)
EOF

finish
