#!/bin/sh
# test_cgi_golden.sh — run cysearch.cgi directly, the way a web server does
# (REQUEST_METHOD, QUERY_STRING, CYSEARCH_DB, ... in a clean environment),
# over an index of corpus/sample.jsonl plus tests/golden/cgi/hostile.jsonl
# (articles with <script> in titles and javascript:, data: and
# protocol-relative URLs).  Checks statuses and headers, results, links,
# highlighting, paging, the empty and error states, that format=json is
# the CLI's JSON, that XSS probes in every parameter never come back
# unescaped, and the rendered pages against the golden files in
# tests/golden/cgi/ (CYSEARCH_UPDATE_GOLDEN=1 rewrites them).
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"
: "${CYSEARCH_CGI:?CYSEARCH_CGI must name the cysearch.cgi program}"

GOLDEN="$CYSEARCH_SOURCE_DIR/tests/golden/cgi"
DB="$WORK/db"

# cgi NAME METHOD QUERY_STRING [VAR=VALUE]...: run the CGI with only the
# CGI variables set; the response is in $WORK/NAME.out, stderr in
# $WORK/NAME.err, the exit status in $STATUS.
cgi() {
  _name=$1 _method=$2 _qs=$3
  shift 3
  run "$_name" env -i PATH="$PATH" GATEWAY_INTERFACE=CGI/1.1 \
    SERVER_PROTOCOL=HTTP/1.1 SCRIPT_NAME=/cysearch.cgi \
    REQUEST_METHOD="$_method" QUERY_STRING="$_qs" CYSEARCH_DB="$DB" \
    "$@" "$CYSEARCH_CGI"
  if [ "$STATUS" -ne 0 ]; then
    fail "cysearch.cgi exits 0 ($_name: $_method ?$_qs)" \
      "status $STATUS: $(head -c 2000 "$WORK/$_name.err")"
  fi
}

# One run with a fixed start (2025-12-01 00:00 UTC), so that the "new
# since" selector of the golden pages says the same every time.
run index env SOURCE_DATE_EPOCH=1764547200 "$CYSEARCH_INDEX" --db "$DB" \
  "$SAMPLE" "$GOLDEN/hostile.jsonl"
check_status "index the sample corpus and the hostile articles" 0

# ---- the requests ------------------------------------------------------------
cgi front GET ''
cgi wannacry GET 'q=wannacry+hospital'
cgi wannacry_head HEAD 'q=wannacry+hospital'
cgi json GET 'q=ransomware+hospital&format=json'
run cli_json "$CYSEARCH" --db "$DB" --format json 'ransomware hospital'
cgi page1 GET 'q=ransomware&sort=date&per-page=10'
cgi past_end GET 'q=ransomware&page=50'
cgi chips GET 'q=ransomware&country=China&actor=Lazarus+Group&from=2017&to=2024-06'
cgi empty GET 'q=qqqzzzxxx'
cgi empty_filtered GET 'q=qqqzzzxxx&from=2020'
cgi hostile GET 'q=zyxwv'
cgi hostile_json GET 'q=zyxwv&format=json'
cgi bad_escape GET 'q=%zz'
cgi bad_utf8 GET 'q=%C0%AF'
cgi bad_nul GET 'q=a%00b'
cgi bad_page GET 'q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&country=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E&page=0'
cgi bad_json GET 'format=json&page=0'
cgi bad_json_after GET 'page=0&format=json'
cgi bad_json_post POST 'q=x&format=json'
cgi bad_json_long GET "format=json&q=$(python3 -c 'print("a" * 9000)')"
cgi repeated GET 'q=a&q=b'
cgi post POST 'q=wannacry'
cgi put PUT 'q=wannacry'
cgi long GET "q=$(python3 -c 'print("a" * 9000)')"
cgi path_info GET 'q=wannacry' PATH_INFO=/extra
cgi no_index GET 'q=wannacry' CYSEARCH_DB="$WORK/no/such-secret-index"
cgi no_index_json GET 'q=wannacry&format=json' CYSEARCH_DB="$WORK/no/such-secret-index"
cgi empty_db_var GET 'q=wannacry' CYSEARCH_DB=
run unset_db env -i PATH="$PATH" REQUEST_METHOD=GET QUERY_STRING=q=x "$CYSEARCH_CGI"
cgi no_method GET 'q=x' REQUEST_METHOD=
# A GET form sends its empty fields too; the links the page makes must not.
cgi empty_fields GET 'q=ransomware&country=&agency=&actor=&source=&from=&to=&since=&sort='
# Sort oldest and "new since" run 1 (all of this index), in the links too.
cgi since_oldest GET 'q=wannacry&since=1&sort=oldest'

# Run from a shell, not by a server: usage, never an HTTP answer.
run shell_help env -i PATH="$PATH" "$CYSEARCH_CGI" --help
check_status "cysearch.cgi --help from a shell" 0
check_file_contains "cysearch.cgi --help: usage on stdout" "$WORK/shell_help.out" "usage: cysearch.cgi"
check_file_not_contains "cysearch.cgi --help: no HTTP header" "$WORK/shell_help.out" "Status:"
run shell_args env -i PATH="$PATH" "$CYSEARCH_CGI" --db x
check_status "cysearch.cgi with arguments from a shell" 2
check_file_contains "cysearch.cgi with arguments: says it is not run as a CGI" "$WORK/shell_args.err" "not run as a CGI"
check_file_contains "cysearch.cgi with arguments: usage on stderr" "$WORK/shell_args.err" "usage: cysearch.cgi"
[ ! -s "$WORK/shell_args.out" ] && pass "cysearch.cgi with arguments: nothing on stdout" ||
  fail "cysearch.cgi with arguments: nothing on stdout" "$(head -c 500 "$WORK/shell_args.out")"
run shell_bare env -i PATH="$PATH" "$CYSEARCH_CGI"
check_status "cysearch.cgi without a CGI environment" 2
check_file_contains "cysearch.cgi without a CGI environment: usage on stderr" "$WORK/shell_bare.err" "usage: cysearch.cgi"

# XSS probes in every parameter, and as a parameter name.
n=0
for param in q country agency actor source from to since sort page per-page \
             format unknown; do
  for probe in '%3Cscript%3Ealert(1)%3C%2Fscript%3E' \
               '%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E' \
               'javascript%3Aalert(1)'; do
    n=$((n + 1))
    if [ "$param" = q ]; then
      cgi "probe_$n" GET "q=$probe"
    else
      cgi "probe_$n" GET "q=zyxwv&$param=$probe"
    fi
    printf '%s=%s\n' "$param" "$probe" >"$WORK/probe_$n.what"
  done
done
cgi probe_name GET '%3Cscript%3Ealert(1)%3C%2Fscript%3E=1&q=zyxwv'
printf 'a parameter name\n' >"$WORK/probe_name.what"

# ---- the checks ----------------------------------------------------------------
pycheck "$WORK" "$SAMPLE" "$GOLDEN" "${CYSEARCH_UPDATE_GOLDEN:-}" <<'EOF'
import html, os
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote

WORK, SAMPLE, GOLDEN, UPDATE = sys.argv[1:5]
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

def response(name):
    data = open(os.path.join(WORK, name + ".out"), "rb").read()
    head, sep, body = data.partition(b"\r\n\r\n")
    headers = {}
    for line in head.decode("latin-1").split("\r\n"):
        k, _, v = line.partition(":")
        headers.setdefault(k.strip().lower(), []).append(v.strip())
    status = headers.get("status", ["0"])[0]
    return int(status.split()[0]), headers, body, bool(sep)

# The tags and attributes the page may use; anything else is injected.
TAGS = set("""html head meta title link body a header h1 h2 h3 p main form
div label input button details summary select option ul ol li span section
mark time nav q dl dt dd code em footer aside figure figcaption svg rect
line""".split())
# The one inline SVG is the timeline chart (cgi_timeline.c): links back to
# the page, their titles, bars and an axis, with these attributes only.
SVG_TAGS = {"svg", "a", "title", "rect", "line"}
SVG_ATTRS = {"svg": {"class", "viewbox", "preserveaspectratio", "role",
                     "aria-label"},
             "rect": {"x", "y", "width", "height"},
             "line": {"class", "x1", "y1", "x2", "y2"}}
CHART = re.compile(rb'<svg class="timeline-chart" .*?</svg>', re.S)

class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self.stack = [], [], []
        self.hits, self.marks_by_hit, self.snippets = [], [], []
        self.in_title = self.in_snippet = self.in_mark = False
        self.errors = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        cls = a.get("class") or ""
        if tag == "li" and cls == "hit":
            self.hits.append({"title": "", "href": None})
            self.marks_by_hit.append([])
        if tag == "h3" and cls == "hit-title":
            self.in_title = True
        if tag == "a" and self.in_title:
            self.hits[-1]["href"] = a.get("href")
        if tag == "p" and cls == "hit-snippet":
            self.in_snippet = True
            self.snippets.append("")
        if tag == "mark":
            self.in_mark = True
            self.marks_by_hit[-1].append("")
    def handle_endtag(self, tag):
        if tag == "h3":
            self.in_title = False
        if tag == "p":
            self.in_snippet = False
        if tag == "mark":
            self.in_mark = False
    def handle_data(self, data):
        self.text.append(data)
        if self.in_title:
            self.hits[-1]["title"] += data
        if self.in_snippet:
            self.snippets[-1] += data
        if self.in_mark:
            self.marks_by_hit[-1][-1] += data

def parse(body):
    p = Page()
    p.feed(body.decode("utf-8"))
    p.close()
    p.alltext = "".join(p.text)
    return p

# Where links may go: back to the page, the stylesheet, the skip target,
# or an http(s) article.  Never javascript:, data: or another host's //.
HREF = re.compile(r"^(\?[A-Za-z0-9%&=._~-]*|/cysearch\.css|#main|https?://\S+)$")
# The one exception: the page's own icon, an inline SVG image (so the
# browser asks for no /favicon.ico) on <link rel="icon">, the only place a
# data: URL may appear; an SVG shown as an image runs no script, and it
# must hold no script, event handler, link or foreign content anyway.
ICON = re.compile(r"^data:image/svg\+xml,[A-Za-z0-9%'=/:._-]+$")

def safe_icon(tag, attrs, v):
    if tag != "link" or attrs.get("rel") != "icon" or not ICON.match(v):
        return False
    svg = unquote(v[len("data:image/svg+xml,"):])
    return (svg.startswith("<svg ") and svg.endswith("</svg>") and
            not re.search(r"script|\bon\w+\s*=|href|foreignObject|<style",
                          svg, re.I))

def without_icon(body):
    return re.sub(rb'<link rel="icon" href="data:[^"]*">', b"", body)

def unsafe(body):
    """What is wrong with this page, security-wise ([] when nothing)."""
    problems = []
    for chart in CHART.findall(body):
        odd = {t.lower() for t in re.findall(rb"<\s*/?\s*([A-Za-z][\w:-]*)",
                                             chart)} - {t.encode() for t in SVG_TAGS}
        if odd:
            problems.append("the timeline chart holds %s" % sorted(odd))
    if re.search(rb"<\s*/?\s*(script|img|iframe|svg|object|embed|style)\b",
                 CHART.sub(b"", body), re.I):
        problems.append("a script/img/iframe/svg/object/embed/style tag")
    try:
        p = parse(body)
    except Exception as e:
        return ["does not parse: %r" % e]
    for tag, attrs in p.tags:
        if tag not in TAGS:
            problems.append("unexpected tag <%s>" % tag)
        if tag in SVG_ATTRS and not set(attrs) <= SVG_ATTRS[tag]:
            problems.append("attributes %s on <%s>" % (
                sorted(set(attrs) - SVG_ATTRS[tag]), tag))
        for k, v in attrs.items():
            if k.startswith("on") or k == "style" or k == "srcdoc":
                problems.append("attribute %s on <%s>" % (k, tag))
            if k in ("href", "src", "action", "formaction") and v is not None:
                if not HREF.match(v) and not safe_icon(tag, attrs, v):
                    problems.append("%s=%r on <%s>" % (k, v, tag))
    return problems

def common_headers(name, status, ctype="text/html; charset=utf-8", head=False):
    st, h, body, ok = response(name)
    check(ok, "%s: the response has a header block" % name)
    check_eq("%s: status" % name, status, st)
    check_eq("%s: Content-Type" % name, [ctype], h.get("content-type"))
    check_eq("%s: Content-Security-Policy" % name, [CSP],
             h.get("content-security-policy"))
    check_eq("%s: X-Content-Type-Options" % name, ["nosniff"],
             h.get("x-content-type-options"))
    check_eq("%s: Referrer-Policy" % name, ["no-referrer"],
             h.get("referrer-policy"))
    check_eq("%s: Cache-Control" % name, ["no-store"], h.get("cache-control"))
    if not head:
        check_eq("%s: Content-Length is the body's" % name,
                 [str(len(body))], h.get("content-length"))
    if ctype.startswith("text/html") and not head:
        problems = unsafe(body)
        check(not problems, "%s: the page is safe" % name, "\n".join(problems))
        check(body.startswith(b"<!DOCTYPE html>\n<html lang=\"en\">"),
              "%s: an HTML5 document" % name, body[:80])
        for part in (b"<header", b"<main", b"</main>", b"<footer",
                     b'<form class="search" role="search" method="get">'):
            check(part in body, "%s: has %s" % (name, part.decode()))
    return st, h, body

corpus = {a["id"]: a for a in load_jsonl(SAMPLE)}
hostile = {a["id"]: a for a in load_jsonl(os.path.join(GOLDEN, "hostile.jsonl"))}
by_title = {a["title"]: a for a in list(corpus.values()) + list(hostile.values())
            if a.get("title")}

# ---- front page ---------------------------------------------------------------
st, h, body = common_headers("front", 200)
p = parse(body)
check("Search %d articles" % (len(corpus) + len(hostile)) in p.alltext,
      "front: says how many articles there are")
ids = {a.get("id") for t, a in p.tags if t in ("input", "select")
       and a.get("type") != "hidden"}
labels = {a.get("for") for t, a in p.tags if t == "label"}
check(ids and ids <= labels, "front: every input and select has a label",
      sorted(ids - labels))
names = {a.get("name") for t, a in p.tags if t in ("input", "select")}
check_eq("front: the form's fields",
         {"q", "country", "agency", "actor", "source", "from", "to", "since",
          "sort", "per-page"}, names)
since = re.search(rb'<select id="f-since" name="since">(.*?)</select>', body)
check_eq("front: 'New since' lists any time and the index's one run",
         [("", "any time"), ("1", "run 1, 2025-12-01 00:00 UTC")],
         [(v.decode(), html.unescape(t.decode())) for v, t in
          re.findall(rb'<option value="([^"]*)"[^>]*>([^<]*)</option>',
                     since.group(1) if since else b"")])
check(b"<noscript" not in body and b"<script" not in body,
      "front: no script at all")
examples = [a["href"] for t, a in p.tags if t == "a" and
            a.get("href", "").startswith("?q=")]
check(len(examples) >= 5, "front: query examples link to searches", examples)
with open(os.path.join(WORK, "examples"), "w") as f:
    f.write("".join(html.unescape(e)[1:] + "\n" for e in examples))

# ---- results --------------------------------------------------------------------
st, h, body = common_headers("wannacry", 200)
p = parse(body)
check(len(p.hits) > 0, "wannacry: results listed")
check("article" in p.alltext and "match" in p.alltext and "seconds" in p.alltext,
      "wannacry: count and time shown")
for hit in p.hits:
    a = by_title.get(hit["title"])
    check(a is not None, "wannacry: hit title %r is an article's" % hit["title"])
    if a:
        check_eq("wannacry: %s links to its url" % a["id"], a.get("url"),
                 hit["href"])
marks = [m.lower() for ms in p.marks_by_hit for m in ms]
check(marks and all(m.startswith(("wannacry", "hospital")) for m in marks),
      "wannacry: <mark> holds matched words only", marks)

# HEAD: the same headers, no body.
st2, h2, body2, _ = response("wannacry_head")
check_eq("HEAD: status", 200, st2)
check_eq("HEAD: empty body", b"", body2)
check_eq("HEAD: same Content-Length as GET", h["content-length"],
         h2.get("content-length"))
common_headers("wannacry_head", 200, head=True)

# ---- JSON: the CLI's JSON ----------------------------------------------------
st, h, body = common_headers("json", 200, "application/json")
try:
    j = json.loads(body)
except ValueError as e:
    j = None
    check(False, "json: valid JSON", e)
cli = json.loads(open(os.path.join(WORK, "cli_json.out"), "rb").read())
check_eq("json: the same JSON as cysearch --format json", cli, j)
check(j and set(j) >= {"query", "total", "total_exact", "hits"},
      "json: query, total, total_exact, hits", j and sorted(j))

# The HTML page shows what the JSON says: titles, snippets, <mark> = spans.
_, _, hb = common_headers("hostile", 200)
hp = parse(hb)
hj = json.loads(response("hostile_json")[2])
check_eq("hostile: as many hits as JSON", len(hj["hits"]), len(hp.hits))
for k, (hit, jh) in enumerate(zip(hp.hits, hj["hits"])):
    check_eq("hostile hit %d: title" % k, jh["title"] or "(untitled)",
             hit["title"])
    check_eq("hostile hit %d: snippet text" % k, jh["snippet"], hp.snippets[k])
    sn = jh["snippet"].encode("utf-8")
    spans = [sn[s:e].decode("utf-8") for s, e in jh["highlights"]]
    check_eq("hostile hit %d: marks are the highlight spans" % k, spans,
             hp.marks_by_hit[k])
    url = jh["url"]
    web = bool(url) and re.match(r"^https?://[^/?#\s]", url, re.I) is not None
    check_eq("hostile hit %d: linked only when http(s) (%r)" % (k, url),
             url if web else None, hit["href"])
check(b"&lt;script&gt;alert(1)&lt;/script&gt; Zyxwv" in hb,
      "hostile: <script> in a title is shown as text")
check(b"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in hb,
      "hostile: markup in a source is shown as text")
check(b'href="https://ok.example/a?x=1&amp;y=&quot;2&quot;&lt;b&gt;&#39;"' in hb,
      "hostile: an http URL with quotes is escaped in its href")
check(not re.search(rb"href=\"[^\"]*(javascript|data:|//evil)", without_icon(hb),
                    re.I),
      "hostile: javascript:, data: and //host URLs are never links")

# ---- paging ---------------------------------------------------------------------
st, h, body = common_headers("page1", 200)
p = parse(body)
total = int(re.search(r"(\d+) articles? match", p.alltext).group(1))
check(total > 10, "page1: more than one page of results", total)
check_eq("page1: 10 hits", 10, len(p.hits))
nexts = [a["href"] for t, a in p.tags if t == "a" and a.get("rel") == "next"]
check_eq("page1: one next link", 1, len(nexts))
if nexts:
    qs = parse_qs(nexts[0][1:], keep_blank_values=True)
    check_eq("page1: the next link keeps every parameter",
             {"q": ["ransomware"], "sort": ["date"], "page": ["2"]}, qs)
current = [t for t in p.tags if t[0] == "span" and
           t[1].get("aria-current") == "page"]
check_eq("page1: the current page is marked", 1, len(current))

# ---- XSS probes: every page passes the whitelist, nothing comes back live ----
import glob
bad, n = [], 0
for what in sorted(glob.glob(os.path.join(WORK, "probe_*.what"))):
    name = os.path.basename(what)[:-5]
    desc = open(what).read().strip()
    st, h, body, _ = response(name)
    n += 1
    if st not in (200, 400):
        bad.append("%s: status %d" % (desc, st))
    bad += ["%s: %s" % (desc, problem) for problem in unsafe(body)]
check_eq("probes: all ran", 40, n)
check(not bad, "probes: %d XSS probes in every parameter, none reflected "
      "unescaped" % n, "\n".join(bad))
for name, reflected in [("probe_1", "<script>alert(1)</script>"),
                        ("probe_2", '"><img src=x onerror=alert(1)>'),
                        ("probe_4", "<script>alert(1)</script>")]:
    p = parse(response(name)[2])
    check(any(a.get("value") == reflected for t, a in p.tags if t == "input"),
          "%s: the probe is kept, as data, in a form field" % name)
EOF

# Every example on the front page finds articles.
n=0
while read -r qs; do
  n=$((n + 1))
  cgi "example_$n" GET "$qs&format=json"
  printf '%s\n' "$qs" >"$WORK/example_$n.what"
done <"$WORK/examples"
pycheck "$WORK" <<'EOF'
import glob, os
WORK = sys.argv[1]
found = {}
for what in sorted(glob.glob(os.path.join(WORK, "example_*.what"))):
    name = os.path.basename(what)[:-5]
    data = open(os.path.join(WORK, name + ".out"), "rb").read()
    body = data.partition(b"\r\n\r\n")[2]
    found[open(what).read().strip()] = json.loads(body).get("total", 0)
check(len(found) >= 5 and all(found.values()),
      "front: every example query finds articles in the sample corpus", found)
EOF

# Follow the next link, as a browser would.
next_qs=$(sed -n 's/.*<a rel="next" href="?\([^"]*\)".*/\1/p' "$WORK/page1.out" |
          sed 's/&amp;/\&/g')
cgi page2 GET "$next_qs"
cgi page1_again GET "$(sed -n 's/.*<a rel="prev" href="?\([^"]*\)".*/\1/p' \
                       "$WORK/page2.out" | sed 's/&amp;/\&/g')"

pycheck "$WORK" "$GOLDEN" "${CYSEARCH_UPDATE_GOLDEN:-}" <<'EOF'
import html, os
from html.parser import HTMLParser
WORK, GOLDEN, UPDATE = sys.argv[1:4]

def body_of(name):
    return cgi_response(WORK, name)

st, b = body_of("page2")
check_eq("page2: status", 200, st)
check('<ol class="hits" start="11">' in b, "page2: ranks go on from 11")
check('<span aria-current="page">2</span>' in b, "page2: page 2 is current")
check('rel="prev" href="?q=ransomware&amp;sort=date"' in b,
      "page2: previous goes to page 1 (no page parameter)")
st, b1 = body_of("page1_again")
check('<ol class="hits" start="1">' in b1, "page2 -> previous: page 1 again")

st, b = body_of("past_end")
check_eq("past_end: status", 200, st)
check("Page 50 is past the last result" in b and 'href="?q=ransomware"' in b,
      "past_end: says so and links to page 1")

# ---- chips ---------------------------------------------------------------------
st, b = body_of("chips")
check_eq("chips: status", 200, st)
chips = re.findall(r'<li class="chip">(.*?)</li>', b)
check_eq("chips: one per filter and date", 4, len(chips))
removes = re.findall(r'class="chip-remove" href="\?([^"]*)"', b)
full = ["q=ransomware", "country=China", "actor=Lazarus%20Group", "from=2017",
        "to=2024-06"]
for k, href in enumerate(removes):
    params = href.split("&amp;")
    check_eq("chips: remove link %d drops exactly its filter" % k,
             full[:k + 1] + full[k + 2:], params)
check('href="?q=ransomware">Clear all filters' in b,
      "chips: clear all keeps the query only")
check(b.count('type="hidden"') == 2 and
      '<input type="hidden" name="actor" value="Lazarus Group">' in b,
      "chips: filters ride along in the form as hidden fields")
check('value="2017"' in b and 'value="2024-06"' in b,
      "chips: dates stay in their inputs")
check("page=" not in b.split("<form")[1].split("</form>")[0],
      "chips: the form has no page field (a new search starts at page 1)")

# ---- since and sort=oldest -------------------------------------------------------
st, b = body_of("since_oldest")
check_eq("since_oldest: status", 200, st)
check('<span class="chip-label">New since:</span> run 1, 2025-12-01 00:00 UTC '
      '<a class="chip-remove" href="?q=wannacry&amp;sort=oldest"' in b,
      "since_oldest: a chip says run 1 and its removal keeps q and sort")
check('<option value="1" selected>run 1, 2025-12-01 00:00 UTC</option>' in b,
      "since_oldest: the selector shows run 1 selected")
check('<option value="oldest" selected>Oldest first</option>' in b and
      "oldest first" in b, "since_oldest: sorted oldest first, and says so")
dates = re.findall(r'<time datetime="([^"]+)"', b)
check(len(dates) > 1 and dates == sorted(dates),
      "since_oldest: the hits' dates go up", dates)
links = [html.unescape(h) for h in re.findall(r'href="(\?[^"]*)"', b)]
keep = [h for h in links if h != "?"]
check(len(keep) > 5, "since_oldest: the page links to facets (%d)" % len(keep))
check_eq("since_oldest: every link keeps since=1 and sort=oldest but the "
         "chip's, which drops since=1",
         ["?q=wannacry&sort=oldest"],
         [h for h in keep if "since=1" not in h or "sort=oldest" not in h])

# ---- empty and error states ---------------------------------------------------
st, b = body_of("empty")
check_eq("empty: status", 200, st)
check("No articles match <q>qqqzzzxxx</q>" in b and "Some things to try" in b,
      "empty: says no articles match, with tips")
check("Remove a filter" not in b, "empty: no filter tip without filters")
st, b = body_of("empty_filtered")
check("Remove a filter" in b, "empty_filtered: suggests removing a filter")

for name, status, needle in [
        ("bad_escape", 400, "malformed %-escape"),
        ("bad_utf8", 400, "not valid UTF-8"),
        ("bad_nul", 400, "NUL byte"),
        ("bad_page", 400, "The page is a number from 1 to 100."),
        ("repeated", 400, "more than once"),
        ("post", 405, "Only GET and HEAD"),
        ("put", 405, "Only GET and HEAD"),
        ("long", 414, "longer than 8192 bytes"),
        ("path_info", 404, "There is no page here."),
        ("no_index", 503, "not available"),
        ("empty_db_var", 503, "not available"),
        ("unset_db", 503, "not available"),
        ("no_method", 400, "Not a CGI request")]:
    st, b = body_of(name)
    check_eq("%s: status" % name, status, st)
    check(needle in b and 'role="alert"' in b,
          "%s: an error page saying %r" % (name, needle))
for name in ("no_index", "no_index_json"):
    st, b = body_of(name)
    check("such-secret-index" not in b and "/no/" not in b,
          "%s: the page does not give the index path away" % name)
    err = open(os.path.join(WORK, name + ".err")).read()
    check("such-secret-index" in err, "%s: stderr (the server log) has it" % name)
head = open(os.path.join(WORK, "post.out"), "rb").read().split(b"\r\n\r\n")[0]
check(b"\r\nAllow: GET, HEAD\r\n" in head + b"\r\n", "post: Allow: GET, HEAD")
st, b = body_of("bad_page")
check("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"" in b,
      "bad_page: the query is kept in the form, escaped")
st, b = body_of("no_index_json")
check_eq("no_index_json: a JSON error",
         {"error": {"status": 503,
                    "message": "The search index is not available. Please "
                               "try again later."}}, json.loads(b))
for name, status in (("bad_json", 400), ("bad_json_after", 400),
                     ("bad_json_post", 405), ("bad_json_long", 414)):
    st, b = body_of(name)
    check_eq("%s: status" % name, status, st)
    try:
        j = json.loads(b)["error"]
    except ValueError:
        j = {"html": b[:60]}
    check_eq("%s: a JSON error, wherever format=json stands" % name, status,
             j.get("status"))

# ---- empty parameters ----------------------------------------------------------
st, b = body_of("empty_fields")
check_eq("empty_fields: status", 200, st)
links = [html.unescape(h) for h in re.findall(r'href="(\?[^"]*)"', b)]
check(len(links) > 20, "empty_fields: the page links to facets and chips (%d)"
      % len(links))
empty = [h for h in links if re.search(r"(^\?|&)[a-z-]+=(&|$)", h)]
check(not empty, "empty_fields: no link carries an empty parameter",
      "\n".join(empty[:5]))
check(all(h == "?" or h.startswith("?q=ransomware") for h in links),
      "empty_fields: every link keeps the query")

# ---- the icon ---------------------------------------------------------------------
for name in ("front", "wannacry", "bad_page"):
    st, b = body_of(name)
    check(re.search(r'<link rel="icon" href="data:image/svg\+xml,', b),
          "%s: an inline icon, so the browser asks for no /favicon.ico" % name)

# ---- golden pages -------------------------------------------------------------
def normalise(b):
    b = re.sub(r"\(\d+\.\d{3} seconds\)", "(T seconds)", b)
    return re.sub(r"cysearch \d+\.\d+\.\d+</p>", "cysearch VERSION</p>", b)

for name, golden in [("hostile", "search-hostile.html"),
                     ("bad_page", "bad-request.html"),
                     ("empty_filtered", "no-match.html"),
                     ("since_oldest", "since-oldest.html")]:
    st, b = body_of(name)
    path = os.path.join(GOLDEN, golden)
    if UPDATE:
        with open(path, "w", encoding="utf-8") as f:
            f.write(normalise(b))
        print("updated " + path)
    expected = open(path, encoding="utf-8").read()
    got = normalise(b)
    if expected != got:
        import difflib
        diff = "".join(difflib.unified_diff(expected.splitlines(True),
                                            got.splitlines(True), golden,
                                            "now", n=1))
    check(expected == got, "golden: %s" % golden, expected != got and diff)
EOF

finish
