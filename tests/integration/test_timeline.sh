#!/bin/sh
# test_timeline.sh — cysearch --timeline (issue #19): for every period of
# every unit, the timeline's count equals the total of the same search
# narrowed by that period's date filters, computed here independently of
# the program (ISO weeks from Python's calendar, split at month ends);
# series equal the totals with the facet value as a filter too; what is
# counted apart (undated, dated too coarsely) adds up; --facets JSON first
# and last dates; and --format csv, read back with Python's csv module.
# On the sample corpus always, on the news corpus when ../shared has it.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

index_corpora

for db in $DBS; do
pycheck "$CYSEARCH" "$db" "$WORK" "$SAMPLE" <<'EOF'
import csv, datetime, io, os, subprocess
prog, db, work, sample = sys.argv[1:5]
name = os.path.basename(db)

def cysearch(*args, stdin=None):
    p = subprocess.run([prog, "--db", db, *args], input=stdin,
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit("FAIL cysearch %s: %s" % (" ".join(args), p.stderr))
    return p.stdout

def period_filters(period):
    """The date filter values that select the period, computed here."""
    if "-W" in period:
        y, w = int(period[:4]), int(period[6:])
        mon = datetime.date.fromisocalendar(y, w, 1)
        sun = mon + datetime.timedelta(days=6)
        if mon.month == sun.month:
            return ["%s..%s" % (mon, sun)]
        first = sun.replace(day=1)
        return ["%s..%s" % (mon, first - datetime.timedelta(days=1)),
                "%s..%s" % (first, sun)]
    return [period]

def totals(query, periods, extra):
    """The total of query narrowed by each period, in one batch."""
    lines = "".join("%d\t%s %s\n" % (i, query, " ".join(
        "date:" + r for r in period_filters(p))) for i, p in enumerate(periods))
    out = cysearch("--format", "json", "-n", "0", "--no-suggest", "--exact",
                   "--queries", "-", *extra, stdin=lines)
    return [json.loads(l)["total"] for l in out.splitlines()]

queries = ["ransomware", "china espionage", "microsoft vulnerability"]
units = ["day", "week", "month", "year"]
for query in queries:
    for unit in units:
        for collapse in ([], ["--no-collapse"]):
            t = json.loads(cysearch("--format", "json", "-n", "0", "--timeline",
                                    unit, *collapse, query))
            tl = t["timeline"]
            periods = [p["period"] for p in tl["periods"]]
            counts = [p["count"] for p in tl["periods"]]
            want = totals(query, periods, collapse)
            what = "%s: %r by %s%s" % (name, query, unit,
                                       " without collapse" if collapse else "")
            check_eq(what + ": every period's count is the total with its "
                     "date filters (%d periods)" % len(periods), want, counts)
            if collapse:  # matches: each is in one period, or apart
                check_eq(what + ": periods + undated + imprecise = total",
                         t["total"],
                         sum(counts) + tl["undated"] + tl["imprecise"])
            if unit == "year" and not collapse:
                check(tl["imprecise"] == 0, what + ": nothing is too coarse "
                      "for a year", tl)

# A timeline with hits runs two matches (search.c, count_apart: one counts
# every match unweighted, one ranks the page): the same timeline, facets and
# totals as the timeline with no hits, and the same hits as the search
# without a timeline.
for query in queries:
    for extra in ([], ["--no-collapse"], ["--sort", "date"]):
        what = "%s: %r %s with hits" % (name, query, " ".join(extra))
        paged = json.loads(cysearch("--format", "json", "-n", "7", "--no-snippets",
                                    "--timeline", "month", "--facets", "actor",
                                    *extra, query))
        counted = json.loads(cysearch("--format", "json", "-n", "0", "--timeline",
                                      "month", "--facets", "actor", *extra, query))
        plain = json.loads(cysearch("--format", "json", "-n", "7", "--no-snippets",
                                    *extra, query))
        check_eq(what + ": the timeline of no hits", counted["timeline"],
                 paged["timeline"])
        check_eq(what + ": the facets of no hits", counted["facets"],
                 paged["facets"])
        check_eq(what + ": the exact totals of no hits",
                 [counted[k] for k in ("total", "total_exact", "total_lower",
                                       "total_upper")],
                 [paged[k] for k in ("total", "total_exact", "total_lower",
                                     "total_upper")])
        check_eq(what + ": the hits of the search without a timeline",
                 [(h["id"], h["score"]) for h in plain["hits"]],
                 [(h["id"], h["score"]) for h in paged["hits"]])
        check(len(paged["hits"]) == 7, what + ": a full page", len(paged["hits"]))

# One series per top actor: equal to the totals with the actor filter too.
for query in queries[:2]:
    t = json.loads(cysearch("--format", "json", "-n", "0", "--timeline", "month",
                            "--facets", "actor", "--facet-limit", "3", query))
    tl = t["timeline"]
    periods = [p["period"] for p in tl["periods"]]
    check_eq("%s: %r: series are the top actors of --facets" % (name, query),
             [v["value"] for v in t["facets"]["actor"]],
             [s["value"] for s in tl["series"]])
    for s in tl["series"]:
        want = totals(query, periods, ["--filter", "actor:" + s["value"]])
        check_eq("%s: %r: series %s equals the totals with its filter"
                 % (name, query, s["value"]), want, s["counts"])
    for v in t["facets"]["actor"]:
        newest = json.loads(cysearch("--format", "json", "-n", "1", "--sort",
                                     "date", "--no-collapse", "--filter",
                                     "actor:" + v["value"], query))["hits"]
        check("first" in v and "last" in v and v["first"] <= v["last"],
              "%s: %r: facet %s has first <= last" % (name, query, v["value"]), v)
        newest = newest[0]["date"] if newest else None
        check_eq("%s: %r: facet %s: last seen is the newest match's date"
                 % (name, query, v["value"]), newest, v["last"])

# CSV: hits and timeline, read with the csv module.
j = json.loads(cysearch("--format", "json", "-n", "20", "ransomware"))
rows = list(csv.DictReader(io.StringIO(
    cysearch("--format", "csv", "-n", "20", "ransomware"), newline="")))
check_eq("%s: CSV: one row per hit, the JSON's ids" % name,
         [h["id"] for h in j["hits"]], [r["id"] for r in rows])
check_eq("%s: CSV: titles and snippets survive quoting" % name,
         [(h["title"], h["snippet"] or "") for h in j["hits"]],
         [(r["title"], r["snippet"]) for r in rows])
raw = subprocess.run([prog, "--db", db, "--format", "csv", "-n", "20",
                      "ransomware"], capture_output=True).stdout
lines = raw.split(b"\r\n")
check(lines[-1] == b"" and len(lines) - 1 >= len(rows) + 1,
      "%s: CSV records end with CRLF" % name, raw[:300])
tj = json.loads(cysearch("--format", "json", "-n", "0", "--timeline", "year",
                         "--facets", "country", "--facet-limit", "2",
                         "ransomware"))["timeline"]
trows = list(csv.reader(io.StringIO(cysearch(
    "--format", "csv", "--timeline", "year", "--facets", "country",
    "--facet-limit", "2", "ransomware"), newline="")))
check_eq("%s: timeline CSV header: period, stories, a column per series"
         % name, ["period", "stories"] + [s["label"] for s in tj["series"]],
         trows[0])
check_eq("%s: timeline CSV rows are the JSON's" % name,
         [[p["period"], str(p["count"])] +
          [str(s["counts"][i]) for s in tj["series"]]
          for i, p in enumerate(tj["periods"])], trows[1:])
EOF
done

# The sample corpus: what is counted apart is said.
run text "$CYSEARCH" --db "$WORK/sample" -n 0 --timeline day --filter after:1900
check_status "a timeline by day of every dated article" 0
check_file_contains "text: the bar chart" "$WORK/text.out" "#"
check_file_contains "text: dated only to a month or year, said" \
  "$WORK/text.out" "dated less precisely than a day"
run all "$CYSEARCH" --db "$WORK/sample" -n 0 --timeline year --format json \
  --no-collapse --filter after:1900
pycheck "$WORK/all.out" "$SAMPLE" <<'EOF'
tl = json.load(open(sys.argv[1]))["timeline"]
arts = load_jsonl(sys.argv[2])
dated = [a for a in arts if a.get("date")]
check_eq("sample: year counts are the articles of each year",
         sorted({a["date"][:4] for a in dated}),
         [p["period"] for p in tl["periods"] if p["count"]])
for p in tl["periods"]:
    check_eq("sample: %s" % p["period"],
             sum(1 for a in dated if a["date"][:4] == p["period"]), p["count"])
EOF
# "the" matches every article of the sample, sample-029 undated among them.
run undated "$CYSEARCH" --db "$WORK/sample" -n 0 --timeline month --format json \
  --no-collapse the
check_status "a timeline over the whole sample" 0
pycheck "$WORK/undated.out" "$SAMPLE" <<'EOF'
r = json.load(open(sys.argv[1]))
tl = r["timeline"]
arts = load_jsonl(sys.argv[2])
check_eq("sample: every article matches 'the'", len(arts), r["total"])
check_eq("sample: undated articles counted apart",
         sum(1 for a in arts if not a.get("date")), tl["undated"])
check_eq("sample: articles dated only to the year counted apart by month",
         sum(1 for a in arts if a.get("date") and len(a["date"]) == 4),
         tl["imprecise"])
EOF

# ---- the page: each bar of the chart links to the search narrowed to its
# period, whose total is the bar's count (q as sent; the period a filter).
if [ -n "${CYSEARCH_CGI:-}" ]; then
  for db in $DBS; do
    cgi_get page "$db" 'q=ransomware'
    pycheck "$WORK/page.out" "$CYSEARCH_CGI" "$db" <<'EOF'
import html, os, subprocess
page = open(sys.argv[1], encoding="utf-8").read()
bars = re.findall(r'<a href="([^"]*)" aria-label="([^":]*): (\d+) stor', page)
name = os.path.basename(sys.argv[3])
check(len(bars) >= 2, "%s: page: the chart has bars (%d)" % (name, len(bars)))
check('<svg class="timeline-chart"' in page and "<script" not in page,
      "%s: page: an inline SVG chart, no script" % name)
for href, period, count in bars:
    qs = html.unescape(href)[1:]
    check_eq("%s: page: bar %s links to q with its period" % (name, period),
             "q=ransomware&period=" + period, qs)
    env = {"PATH": os.environ["PATH"], "GATEWAY_INTERFACE": "CGI/1.1",
           "REQUEST_METHOD": "GET", "QUERY_STRING": qs,
           "CYSEARCH_DB": sys.argv[3]}
    narrowed = subprocess.run([sys.argv[2]], env=env, capture_output=True,
                              text=True).stdout
    m = re.search(r'<h2 id="results-h">([\d,]+) articles? match', narrowed)
    check_eq("%s: page: bar %s: the narrowed page has its %s stories"
             % (name, period, count), count,
             m.group(1).replace(",", "") if m else narrowed[-300:])
EOF
  done
  # More matches than the page examines (every article matches "the" in the
  # news corpus, 3,796 > 1,000): the total is an estimate, and the chart,
  # which would be drawn from a sample, waits for "Count them all".
  if [ -d "$WORK/news" ]; then
    cgi_get estimated "$WORK/news" 'q=the'
    check_file_contains "page: an estimated total offers to count all and draw the timeline" \
      "$WORK/estimated.out" "Count them all</a> (and draw the timeline)"
    check_file_not_contains "page: no chart drawn from a sample" \
      "$WORK/estimated.out" '<svg class="timeline-chart"'
    cgi_get counted "$WORK/news" 'q=the&exact=1'
    check_file_contains "page: exact=1 draws the chart" "$WORK/counted.out" \
      '<svg class="timeline-chart"'
  fi
  cgi_get badperiod "$WORK/sample" 'q=ransomware&period=2021-W60'
  check_file_contains "page: a bad period is a 400" "$WORK/badperiod.out" \
    "Status: 400"
  check_file_contains "page: ... naming the parameter and the forms" \
    "$WORK/badperiod.out" "parameter &#39;period&#39;"
fi

# Bad input: a clear message, usage status.
run badunit "$CYSEARCH" --db "$WORK/sample" --timeline fortnight x
check_status "--timeline fortnight: usage error" 2
check_file_contains "--timeline fortnight: names the units" "$WORK/badunit.err" \
  "day, week, month, year or auto"
run twofacets "$CYSEARCH" --db "$WORK/sample" --timeline month --facets actor,country x
check_status "--timeline with two facets: usage error" 2
run trec "$CYSEARCH" --db "$WORK/sample" --timeline month --format trec x
check_status "--timeline as TREC: usage error" 2
finish
