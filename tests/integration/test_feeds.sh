#!/bin/sh
# test_feeds.sh — RSS and Atom feeds as input (issue 20).  The articles of
# corpus/sample.jsonl are written here as an RSS 2.0 and an Atom 1.0 feed
# (bodies as HTML paragraphs, dates with time zones); indexed over the
# JSON Lines form, every article is unchanged (the writer compares ids,
# titles, dates, sources, urls and bodies as stored), and each feed alone
# gives the same ids, titles, dates and urls.  Also: a feed that gained
# items adds only those; a feed read from standard input or saved as
# .html is read item by item; an XXE feed reads no local file; broken XML
# is read as far as libxml2 recovers it, with a warning naming the file;
# an .xml file that is not a feed is skipped with its root element named
# (ignored when met in a directory).
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

# ---- the feeds, from the JSON Lines sample -----------------------------------
pycheck "$SAMPLE" "$WORK" <<'EOF'
import datetime, html
sample, work = sys.argv[1], sys.argv[2]
arts = load_jsonl(sample)

def paragraphs(body):
    return "".join("<p>%s</p>" % html.escape(p).replace("\n", "<br>")
                   for p in body.split("\n\n"))

def when(date, rfc822):
    # noon UTC, written in another zone: the day stays the same.  A year
    # or a month alone has no RFC form: written as it is (read as loose
    # dates are)
    if len(date) < 10:
        return date
    d = datetime.datetime.strptime(date, "%Y-%m-%d").replace(hour=14)
    if rfc822:
        return d.strftime("%a, %d %b %Y %H:%M:%S +0200")
    return d.strftime("%Y-%m-%dT%H:%M:%S.250+02:00")

def items(n, first_ids=None):
    out = []
    for a in arts[:n]:
        x = ["<item>", "<guid isPermaLink=\"false\">%s</guid>" % html.escape(a["id"])]
        if a.get("title"):
            x.append("<title>%s</title>" % html.escape(a["title"]))
        if a.get("url"):
            x.append("<link>%s</link>" % html.escape(a["url"]))
        if a.get("date"):
            x.append("<pubDate>%s</pubDate>" % when(a["date"], True))
        if a.get("body"):
            x.append("<description><![CDATA[%s]]></description>" % paragraphs(a["body"]))
        x.append("</item>")
        out.append("\n".join(x))
    return "\n".join(out)

def rss(n):
    return ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\">\n"
            "<channel>\n<title>Sample news</title>\n<description>The sample"
            "</description>\n%s\n</channel>\n</rss>\n" % items(n))

def atom():
    out = ["<?xml version=\"1.0\" encoding=\"utf-8\"?>",
           "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
           "<title>Sample news</title><id>urn:sample</id>",
           "<updated>2024-01-01T00:00:00Z</updated>"]
    for a in arts:
        out.append("<entry><id>%s</id>" % html.escape(a["id"]))
        if a.get("title"):
            out.append("<title type=\"text\">%s</title>" % html.escape(a["title"]))
        if a.get("url"):
            out.append("<link rel=\"alternate\" href=\"%s\"/>" % html.escape(a["url"], quote=True))
        if a.get("date"):
            out.append("<published>%s</published>" % when(a["date"], False))
        if a.get("body"):
            out.append("<content type=\"html\">%s</content>" % html.escape(paragraphs(a["body"])))
        out.append("</entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"

open(work + "/sample.rss", "w").write(rss(len(arts)))
open(work + "/older.rss", "w").write(rss(len(arts) - 2))
open(work + "/sample.atom", "w").write(atom())
check(len(arts) > 10, "the sample has articles to write as feeds")
EOF
N=$(grep -c . "$SAMPLE")

# ---- the feeds index to the articles of the JSON Lines form -------------------
run jsonl "$CYSEARCH_INDEX" --db "$WORK/db" "$SAMPLE"
check_status "JSON Lines indexed" 0
for f in sample.rss sample.atom; do
  run "over-$f" "$CYSEARCH_INDEX" --db "$WORK/db" "$WORK/$f"
  check_status "$f over the JSON Lines form: exit 0" 0
  check_eq "$f: every article unchanged (same stored fields)" "$N" \
    "$(summary_num "$WORK/over-$f.err" unchanged)"
  check_eq "$f: none added" 0 "$(summary_num "$WORK/over-$f.err" added)"
  check_eq "$f: none replaced" 0 "$(summary_num "$WORK/over-$f.err" replaced)"
done

# ---- each feed alone, and the fields read back -------------------------------
for f in sample.jsonl sample.rss sample.atom; do
  src="$WORK/$f"
  [ "$f" = sample.jsonl ] && src="$SAMPLE"
  run "alone-$f" "$CYSEARCH_INDEX" --db "$WORK/db-$f" "$src"
  run "search-$f" "$CYSEARCH" --db "$WORK/db-$f" --format json -n 1000 \
    "the OR a OR of OR and OR to OR in"
done
pycheck "$WORK" <<'EOF'
work = sys.argv[1]
def hits(f):
    r = read_json_lines(work + "/search-%s.out" % f)[0]
    return sorted((h["id"], h["title"], h["date"], h["source"], h["url"],
                   h["snippet"]) for h in r["hits"])
want = hits("sample.jsonl")
check(len(want) > 10, "the JSON Lines form is found (%d hits)" % len(want))
check_eq("RSS 2.0: the same ids, titles, dates, sources, urls, snippets", want, hits("sample.rss"))
check_eq("Atom 1.0: the same ids, titles, dates, sources, urls, snippets", want, hits("sample.atom"))
EOF

# ---- a feed that gained items adds only those --------------------------------
run older "$CYSEARCH_INDEX" --db "$WORK/db-inc" "$WORK/older.rss"
check_eq "older feed: its items added" "$((N - 2))" "$(summary_num "$WORK/older.err" added)"
run newer "$CYSEARCH_INDEX" --db "$WORK/db-inc" "$WORK/sample.rss"
check_eq "the feed again with 2 more items: 2 added" 2 "$(summary_num "$WORK/newer.err" added)"
check_eq "... the others unchanged" "$((N - 2))" "$(summary_num "$WORK/newer.err" unchanged)"

# ---- recognised by content: standard input, a feed saved as .html, .gz --------
cp "$WORK/sample.rss" "$WORK/saved-feed.html"
run html "$CYSEARCH_INDEX" -v --db "$WORK/db-html" "$WORK/saved-feed.html"
check_eq "a feed saved as .html: one article per item" "$N" "$(summary_num "$WORK/html.err" added)"
check_file_contains "... and said so (-v)" "$WORK/html.err" \
  "saved-feed.html: an RSS or Atom feed, reading its items"
"$CYSEARCH_INDEX" --db "$WORK/db-stdin" - <"$WORK/sample.atom" 2>"$WORK/stdin.err" || true
check_eq "an Atom feed on standard input: one article per entry" "$N" "$(summary_num "$WORK/stdin.err" added)"
gzip -c "$WORK/sample.rss" >"$WORK/sample.xml.gz"
run gz "$CYSEARCH_INDEX" --db "$WORK/db-gz" "$WORK/sample.xml.gz"
check_eq "a gzipped .xml feed: one article per item" "$N" "$(summary_num "$WORK/gz.err" added)"

# ---- hostile and broken feeds ------------------------------------------------
cat >"$WORK/xxe.rss" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY remote SYSTEM "http://127.0.0.1:9/evil.dtd">
]>
<rss version="2.0"><channel><title>x</title>
<item><guid>xxe-1</guid><title>Entity &xxe; here</title>
<description>Before &xxe; after &remote; end quokkaxxe</description></item>
</channel></rss>
EOF
run xxe "$CYSEARCH_INDEX" --db "$WORK/db-xxe" "$WORK/xxe.rss"
check_eq "XXE feed: its item indexed" 1 "$(summary_num "$WORK/xxe.err" added)"
run xxe-search "$CYSEARCH" --db "$WORK/db-xxe" --format json quokkaxxe
check_file_contains "XXE feed: the item is found" "$WORK/xxe-search.out" '"id":"xxe-1"'
check_file_not_contains "XXE feed: /etc/passwd was not read" "$WORK/xxe-search.out" "root:"
run xxe-root "$CYSEARCH" --db "$WORK/db-xxe" --format json "root OR bin OR daemon OR nologin"
check_file_contains "XXE feed: no word of /etc/passwd in the index" "$WORK/xxe-root.out" '"total":0'

cat >"$WORK/broken.rss" <<'EOF'
<rss version="2.0"><channel><title>Broken</title>
<item><guid>ok-1</guid><title>Wombat worm</title><description>wombatworm spreads</description></item>
<item><guid>ok-2</guid><title>Numbat <b>bold</title><description>numbatnet & more</description></item>
EOF
run broken "$CYSEARCH_INDEX" --db "$WORK/db-broken" "$WORK/broken.rss"
check_status "broken XML: exit 0 (recovered)" 0
check_file_contains "broken XML: a warning naming the file and line" "$WORK/broken.err" \
  "broken.rss: warning: not well-formed XML (line "
check_eq "broken XML: what libxml2 recovered is indexed" 2 "$(summary_num "$WORK/broken.err" added)"

printf '<?xml version="1.0"?>\n<urlset><url>https://example.com/</url></urlset>\n' >"$WORK/sitemap.xml"
run notfeed "$CYSEARCH_INDEX" --db "$WORK/db-notfeed" "$WORK/sitemap.xml"
check_file_contains "an .xml that is no feed: skipped, its root named" "$WORK/notfeed.err" \
  "sitemap.xml: not an RSS or Atom feed (its root element is <urlset>); skipped"

mkdir "$WORK/tree"
cp "$WORK/sitemap.xml" "$WORK/older.rss" "$WORK/tree/"
run tree "$CYSEARCH_INDEX" --db "$WORK/db-tree" "$WORK/tree"
check_status "in a directory, an .xml that is no feed is ignored: exit 0" 0
check_file_contains "... counted as ignored" "$WORK/tree.err" "2 files read, 1 ignored"

printf '<rss version="2.0"><channel><title>Empty</title></channel></rss>\n' >"$WORK/empty.rss"
run empty "$CYSEARCH_INDEX" --db "$WORK/db-empty" "$WORK/empty.rss"
check_file_contains "a feed without items: a warning" "$WORK/empty.err" \
  "empty.rss: warning: RSS 2.0 feed without items"

finish
