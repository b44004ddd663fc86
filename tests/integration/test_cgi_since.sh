#!/bin/sh
# test_cgi_since.sh — the search page's "new since" selector and since=N
# over an index built in three runs of corpus/sample.jsonl: run 1 the
# first 16 articles, run 2 the other 16, run 3 one new article and one of
# run 1 changed.  since=N finds exactly the articles the input files of
# runs N and later added (a changed article is not new), the same hits as
# the CLI's indexed:N.. and --filter indexed:N..; no text in q can widen
# or invert it; the selector lists the runs newest first with their UTC
# starts (the last 10 of a 12-run index, plus an older one since= names);
# bad values (not a number, 0, above the last run, an index without run
# records) answer 400 with a message, in HTML and in JSON.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"
: "${CYSEARCH_CGI:?CYSEARCH_CGI must name the cysearch.cgi program}"

DB="$WORK/db"
cgi() { cgi_get "$1" "$DB" "$2"; }

# The runs' input: run 1 the first half, run 2 the second, run 3 a new
# article and a changed one of run 1.
python3 - "$SAMPLE" "$WORK" <<'EOF'
import json, sys
sample, work = sys.argv[1:3]
arts = [json.loads(l) for l in open(sample, encoding="utf-8") if l.strip()]
half = len(arts) // 2
def write(name, items):
    with open("%s/%s.jsonl" % (work, name), "w", encoding="utf-8") as f:
        for a in items:
            f.write(json.dumps(a) + "\n")
write("run1", arts[:half])
write("run2", arts[half:])
new = {"id": "since-new-1", "date": "2024-06-01", "source": "example.org",
       "title": "Ransomware crew hits a hospital in Ohio",
       "body": "A ransomware attack shut the emergency ward of a hospital in "
               "Ohio on Saturday. Staff went back to paper charts while "
               "ambulances were sent to other towns; the crew asked for a "
               "payment in bitcoin and published patient records."}
changed = dict(arts[0], body=arts[0]["body"] + " Ransomware was not involved.")
write("run3", [new, changed])
for n, items in (("1", arts[:half]), ("2", arts[half:]), ("3", [new])):
    with open("%s/added%s" % (work, n), "w") as f:
        f.write("".join(a["id"] + "\n" for a in items))
EOF
for n in 1 2 3; do
  run "index$n" env SOURCE_DATE_EPOCH=$((1764547200 + n * 3600)) \
    "$CYSEARCH_INDEX" --db "$DB" "$WORK/run$n.jsonl"
  check_status "index run $n" 0
  check_eq "the indexer recorded run $n" "$n" "$(summary_num "$WORK/index$n.err" run)"
done

# since=N against the CLI's indexed:N.. for several queries.
cat >"$WORK/queries" <<'EOF'
all	
ransomware	ransomware
china	china espionage
country	country:US
phrase	"remote code execution"
EOF
while IFS='	' read -r name query; do
  qs=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$query")
  for n in 1 2 3; do
    cgi "${name}_$n" "q=$qs&since=$n&format=json&per-page=50"
    run "${name}_${n}_text" "$CYSEARCH" --db "$DB" --format json -n 50 \
      "$query indexed:$n.."
    run "${name}_${n}_filter" "$CYSEARCH" --db "$DB" --format json -n 50 \
      --filter "indexed:$n.." -- "$query"
  done
done <"$WORK/queries"

# Text in q that would widen or invert the filter, were it text.
cgi not_since 'q=NOT+indexed%3A2..&since=2&format=json&per-page=50'
cgi or_not_since 'q=ransomware+OR+NOT+indexed%3A2..&since=2&format=json&per-page=50'
cgi wider_q 'q=indexed%3A1..&since=3&format=json&per-page=50'
cgi trailing_or 'q=ransomware+OR&since=2&format=json&per-page=50'
cgi open_quote 'q=%22ransomware&since=2&format=json&per-page=50'
cgi open_quote_want 'q=ransomware+indexed%3A2..&format=json&per-page=50'

# The page: selector, chip, links.
cgi front ''
cgi page 'q=ransomware&since=2&sort=oldest&country=US'
cgi none_since 'q=zzzqqq&since=3'

# Bad values.
cgi above 'q=ransomware&since=4'
cgi above_json 'q=ransomware&since=4&format=json'
cgi zero 'q=ransomware&since=0'
cgi word 'since=yesterday&format=json'
cgi negative 'since=-1'
cgi huge 'since=99999999999999999999999'
cgi probe 'q=x&since=%3Cscript%3Ealert(1)%3C%2Fscript%3E'
: >"$WORK/empty.jsonl"
run index_empty "$CYSEARCH_INDEX" --db "$WORK/norun" "$WORK/empty.jsonl"
cgi_get no_runs "$WORK/norun" 'since=1'
cgi_get no_runs_front "$WORK/norun" ''
cgi_get no_runs_json "$WORK/norun" 'since=1&format=json'

# Twelve runs of one article each: the selector lists the last ten.
i=1
while [ "$i" -le 12 ]; do
  printf '{"id": "r%d", "title": "Run %d", "body": "article of run %d"}\n' \
    "$i" "$i" "$i" >"$WORK/one.jsonl"
  run "many$i" env SOURCE_DATE_EPOCH=$((1764547200 + i * 60)) \
    "$CYSEARCH_INDEX" --db "$WORK/many" "$WORK/one.jsonl"
  i=$((i + 1))
done
check_eq "twelve runs recorded" 12 "$(summary_num "$WORK/many12.err" run)"
cgi_get many_front "$WORK/many" ''
cgi_get many_old "$WORK/many" 'since=1'

pycheck "$WORK" <<'EOF'
import html
WORK = sys.argv[1]

def response(name):
    return cgi_response(WORK, name)

def ids_of(name):
    return [l for l in open(os.path.join(WORK, name)).read().split() if l]

def hits(j):
    return [(h["id"], round(h["score"], 6)) for h in j["hits"]]

added = {n: set(ids_of("added%d" % n)) for n in (1, 2, 3)}
since = {n: set().union(*(added[k] for k in range(n, 4))) for n in (1, 2, 3)}

for line in open(os.path.join(WORK, "queries")).read().splitlines():
    name, query = line.split("\t")
    for n in (1, 2, 3):
        st, b = response("%s_%d" % (name, n))
        check_eq("%s since=%d: status" % (name, n), 200, st)
        got = json.loads(b)
        text = json.loads(open(os.path.join(WORK, "%s_%d_text.out" % (name, n))).read())
        filt = json.loads(open(os.path.join(WORK, "%s_%d_filter.out" % (name, n))).read())
        ids = {h["id"] for h in got["hits"]}
        check(got["total"] == len(got["hits"]),
              "%s since=%d: every hit on the page (%d)" % (name, n, got["total"]))
        check(ids <= since[n], "%s since=%d: only articles runs %d.. added"
              % (name, n, n), sorted(ids - since[n]))
        if not query:  # every article once: a hit, or a copy folded into one
            check_eq("%s since=%d: as many articles as runs %d.. added"
                     % (name, n, n), len(since[n]),
                     sum(1 + (h.get("duplicates") or 0) for h in got["hits"]))
        check_eq("%s since=%d: the hits of cysearch '%s indexed:%d..'"
                 % (name, n, query, n),
                 (text["total"], hits(text)), (got["total"], hits(got)))
        check_eq("%s since=%d: the hits of cysearch --filter indexed:%d.."
                 % (name, n, n),
                 (filt["total"], hits(filt)), (got["total"], hits(got)))
        check_eq("%s since=%d: the JSON lists the filter" % (name, n),
                 [{"field": "indexed", "value": "%d.." % n}], got["filters"])
st, b = response("ransomware_3")
check("since-new-1" in b, "ransomware since=3: the new article is found")
check_eq("ransomware since=3: the changed article of run 1 is not new",
         ["since-new-1"], [h["id"] for h in json.loads(b)["hits"]])

# No text in q widens or inverts the filter.
for name, n in (("not_since", 2), ("or_not_since", 2), ("wider_q", 3),
                ("trailing_or", 2), ("open_quote", 2)):
    st, b = response(name)
    check_eq("%s: status" % name, 200, st)
    ids = {h["id"] for h in json.loads(b)["hits"]}
    check(ids <= since[n], "%s: only articles runs %d.. added" % (name, n),
          sorted(ids - since[n]))
check_eq("q=NOT indexed:2.. with since=2: nothing", 0,
         json.loads(response("not_since")[1])["total"])
st, b = response("or_not_since")
check(json.loads(b)["total"] > 0 and all(
      h["id"] in since[2] for h in json.loads(b)["hits"]),
      "q='ransomware OR NOT indexed:2..' with since=2: ransomware from runs 2..")
check_eq("q=indexed:1.. with since=3: run 3's article only", ["since-new-1"],
         [h["id"] for h in json.loads(response("wider_q")[1])["hits"]])
want = hits(json.loads(response("open_quote_want")[1]))
check(want, "ransomware indexed:2.. finds articles")
for name in ("trailing_or", "open_quote"):
    check_eq("%s: finds what 'ransomware indexed:2..' finds" % name, want,
             hits(json.loads(response(name)[1])))

# The selector and the chip.
OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')
def selector(b):
    m = re.search(r'<select id="f-since" name="since">(.*?)</select>', b)
    return [(v, bool(s), html.unescape(t)) for v, s, t in
            OPTION.findall(m.group(1))] if m else None
st, b = response("front")
check_eq("front: 'New since' lists the runs newest first, with their UTC "
         "start", [("", True, "any time"),
                   ("3", False, "run 3, 2025-12-01 03:00 UTC"),
                   ("2", False, "run 2, 2025-12-01 02:00 UTC"),
                   ("1", False, "run 1, 2025-12-01 01:00 UTC")], selector(b))
check('<label for="f-since">New since</label>' in b,
      "front: the selector has a label")
st, b = response("page")
check_eq("since=2 page: status", 200, st)
check_eq("since=2 page: run 2 selected",
         [("2", True, "run 2, 2025-12-01 02:00 UTC")],
         [o for o in selector(b) if o[1]])
chips = re.findall(r'<li class="chip"><span class="chip-label">([^<]*)</span> '
                   r'([^<]*) <a class="chip-remove" href="([^"]*)"', b)
check_eq("since=2 page: a chip says run 2 and removes since=2 only",
         ("New since:", "run 2, 2025-12-01 02:00 UTC",
          "?q=ransomware&country=US&sort=oldest"),
         next(((l, v, html.unescape(h)) for l, v, h in chips
               if l == "New since:"), None))
links = [html.unescape(h) for h in re.findall(r'href="(\?[^"]*)"', b)]
check(len(links) > 5 and all("since=2" in h for h in links
      if h not in ("?", "?q=ransomware&country=US&sort=oldest",
                   "?q=ransomware&sort=oldest")),
      "since=2 page: every other link keeps since=2",
      [h for h in links if "since=2" not in h])
check("?q=ransomware&sort=oldest" in links,
      "since=2 page: 'Clear all filters' drops since=2 too")
check("oldest first" in b, "since=2 page: says oldest first")
st, b = response("none_since")
check("Remove a filter above." in b,
      "no match with since=3 only: the tips say to remove a filter")

# Bad values: 400 with a message, the chip kept to remove it.
for name, needle in (("above", "last indexing run is run 3"),
                     ("zero", "number of an indexing run, 1 or more"),
                     ("negative", "number of an indexing run, 1 or more"),
                     ("huge", "number of an indexing run, 1 or more"),
                     ("probe", "number of an indexing run, 1 or more"),
                     ("no_runs", "records no indexing runs")):
    st, b = response(name)
    check_eq("%s: status" % name, 400, st)
    check(needle in html.unescape(b) and 'role="alert"' in b,
          "%s: an error page saying %r" % (name, needle),
          re.findall(r'<section class="error".*?</section>', b, re.S))
    check("<script>" not in b, "%s: nothing of the request unescaped" % name)
st, b = response("above")
check('<span class="chip-label">New since:</span> run 4 ' in b,
      "above: the chip of since=4 is there, to remove it")
for name, needle in (("above_json", "last indexing run is run 3"),
                     ("word", "number of an indexing run"),
                     ("no_runs_json", "records no indexing runs")):
    st, b = response(name)
    check_eq("%s: status" % name, 400, st)
    err = json.loads(b)["error"]
    check(err["status"] == 400 and needle in err["message"],
          "%s: a JSON error saying %r" % (name, needle), err)
st, b = response("no_runs_front")
check_eq("an index without runs: the front page", 200, st)
check('name="since"' not in b, "an index without runs: no selector")

st, b = response("many_front")
sel = selector(b)
check_eq("twelve runs: any time and the last ten, newest first",
         [""] + [str(n) for n in range(12, 2, -1)], [o[0] for o in sel])
st, b = response("many_old")
sel = selector(b)
check_eq("twelve runs, since=1: the last ten and run 1, selected",
         ("1", True, "run 1, 2025-12-01 00:01 UTC"), sel[-1])
check_eq("twelve runs, since=1: 11 runs listed", 12, len(sel))
EOF

finish
