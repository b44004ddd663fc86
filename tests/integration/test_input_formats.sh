#!/bin/sh
# test_input_formats.sh — cysearch-index on every input format, in a
# directory tree: the scraped text page from ../shared/seeds (that part is
# skipped when ../shared is absent) and text pages, HTML pages, a JSON
# array, a single JSON object, .jsonl.gz and bare .gz files, all written
# here; nested, hidden, binary, empty and ignored files, a symlink loop and
# a dangling link (links are not followed: test_dir_links.sh).  Checks ids, titles, urls, dates, sources and bodies
# through `cysearch --format json`; that the related-articles block of a
# text page is not indexed; that a second run finds everything unchanged;
# --format on standard input, --field, and the error messages.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

SEED_NAME=000_e89c4d0d1ee50183.txt
SEED=""
if [ -n "$CYSEARCH_SHARED_DIR" ] && [ -f "$CYSEARCH_SHARED_DIR/seeds/$SEED_NAME" ]; then
  SEED="$CYSEARCH_SHARED_DIR/seeds/$SEED_NAME"
else
  printf 'note: %s not found; the seed-page checks are skipped\n' "$SEED_NAME"
fi

# ---- the tree ----------------------------------------------------------------
T="$WORK/tree"
mkdir -p "$T/news/pages/deeper" "$T/news/seed" "$T/feeds" "$T/junk" "$T/.hidden"
if [ -n "$SEED" ]; then
  cp "$SEED" "$T/news/seed/"
fi

cat >"$T/news/pages/a-article.html" <<'EOF'
<!DOCTYPE html>
<html><head>
<title>Wrong title | Example News</title>
<meta property="og:title" content="Quokkabot Botnet &amp; Its Masters">
<meta property="og:url" content="https://www.Example-News.com/2024/03/quokkabot">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<style>.navstyleword { color: red }</style>
</head><body>
<nav><a href="/">navmenuword</a></nav>
<header><h1>Example News</h1></header>
<article>
  <h1>Quokkabot Botnet &amp; Its Masters</h1>
  <p>The quokkabot botnet grew <b>fast</b> across routers.</p>
  <p>Analysts traced it<br>to a bulletproof host.</p>
  <script>var s = "</p><p>scriptcontentword</p>";</script>
  <aside>asidepromoword</aside>
</article>
<footer>footerlegalword</footer>
</body></html>
EOF

cat >"$T/news/pages/b-plain.htm" <<'EOF'
<html><head><title> Wombatware   Hits Clinics </title>
<meta name="date" content="March 9, 2022"></head>
<body><p>Wombatware encrypted clinic servers &mdash; caf&eacute; owners too.</p>
<p>Unclosed <b>tags <i>everywhere
<p>Second paragraph survives.
</body></html>
EOF

cat >"$T/news/pages/deeper/c-page.txt" <<'EOF'
Home Malware Numbat Loader Spreads Through Ads
Malware

Numbat Loader Spreads Through Ads

Numbat Loader Spreads Through Ads

Malvertising campaigns push the numbatloader payload to browsers.

Researchers counted thousands of infections.

Related Articles

Platypus Phishing Kit Sold Online
Malware

Platypus Phishing Kit Sold Online

A platypuskit listing appeared on forums...
EOF

cat >"$T/feeds/arr.json" <<'EOF'
[
  {"id": "arr-1", "title": "Echidna Espionage Campaign", "date": "2021-06-01",
   "source": "feeds.example", "url": "https://feeds.example/1",
   "body": "The echidnaspy toolkit targeted ministries."},
  {"id": "arr-2", "title": "Kookaburra Credential Theft", "body": "kookaburracreds body text."}
]
EOF

cat >"$T/feeds/one.json" <<'EOF'
{
  "title": "Single Object Without Id",
  "body": "The singleobjectword article has no id key."
}
EOF

printf '%s\n%s\n' \
  '{"id": "gz-1", "title": "Dingo Data Leak", "body": "dingoleak records exposed."}' \
  '{"id": "gz-2", "title": "Emu Exploit Kit", "body": "emukit exploits browsers."}' |
  gzip -c >"$T/feeds/day.jsonl.gz"
printf '%s\n' '{"id": "bare-1", "title": "Bilby Backdoor", "body": "bilbybackdoor found."}' |
  gzip -c >"$T/feeds/bare.gz"
# JSON Lines in a file named .json
printf '%s\n' '{"id": "jl-1", "title": "Wallaby Worm", "body": "wallabyworm spreads."}' \
  '{"id": "jl-2", "title": "Koala Keylogger", "body": "koalakeys logs."}' >"$T/feeds/lines.json"

echo "Hidden Page Title" >"$T/.hidden/secret.txt"
printf 'Hidden Draft\n\nhiddendraftword\n' >"$T/news/.draft.txt"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000' >"$T/junk/image.png"
printf 'Looks like text\n\001\002\003\000\004binary\000\n' >"$T/junk/binary.txt"
: >"$T/junk/empty.html"
echo "# notes" >"$T/junk/notes.md"
ln -s .. "$T/junk/loop"
ln -s "$WORK/no-such-target.txt" "$T/junk/dangling.txt"

seeds=0
[ -n "$SEED" ] && seeds=1
expected=$((11 + seeds))

# ---- first run ---------------------------------------------------------------
DB="$WORK/db"
run first "$CYSEARCH_INDEX" -v --db "$DB" "$T"
check_status "a tree with bad files" 3
check_eq "first run: every article added" "$expected" "$(summary_num "$WORK/first.err" added)"
check_eq "first run: the binary and empty files skipped" 2 "$(summary_num "$WORK/first.err" skipped)"
check_eq "first run: index holds every article" "$expected" "$(summary_num "$WORK/first.err" holds)"
check_file_contains "summary: files read and ignored" "$WORK/first.err" \
  "; $((10 + seeds)) files read, 4 ignored; index holds"
if grep -E "^cysearch-index: $T/junk/binary\.txt:[0-9]+: binary data, not text \(byte 0x[0-9a-f]{2} at column [0-9]+\); skipped$" \
     "$WORK/first.err" >/dev/null; then
  pass "binary .txt: reported with FILE:LINE and the byte"
else
  fail "binary .txt: reported with FILE:LINE and the byte" "$(cat "$WORK/first.err")"
fi
check_file_contains "empty file: reported" "$WORK/first.err" \
  "cysearch-index: $T/junk/empty.html: empty file; skipped"
check_file_contains "dangling link: reported with its name" "$WORK/first.err" \
  "cysearch-index: $T/junk/dangling.txt: a symbolic link; not followed"
check_file_contains "verbose: an ignored file is named" "$WORK/first.err" \
  "cysearch-index: $T/junk/image.png: not a known input format; ignored"
check_file_contains "the symlink loop is not followed" "$WORK/first.err" \
  "cysearch-index: $T/junk/loop: a symbolic link; not followed"
check_file_contains "verbose: hidden directories are not read" "$WORK/first.err" \
  "cysearch-index: $T/.hidden: hidden; not read"
check_file_contains "verbose: a bare .gz is read by its content" "$WORK/first.err" \
  "cysearch-index: $T/feeds/bare.gz: reading as jsonl"
check_file_contains "verbose: a .json file of JSON Lines is read line by line" "$WORK/first.err" \
  "cysearch-index: $T/feeds/lines.json: JSON Lines, reading line by line"
check_file_not_contains "the hidden file is not read" "$WORK/first.err" ".draft.txt: reading"

# Everything, and the words that must or must not find each page.
capture "$WORK/all.json" "$CYSEARCH" --db "$DB" --format json --limit 100 -- -qwzxvbnkjhg
for w in wallabyworm koalakeys quokkabot scriptcontentword navmenuword asidepromoword footerlegalword \
         navstyleword wombatware survives numbatloader platypuskit platypus \
         echidnaspy kookaburracreds singleobjectword dingoleak emukit \
         bilbybackdoor hiddendraftword malware; do
  capture "$WORK/q-$w.json" "$CYSEARCH" --db "$DB" --format json --limit 100 "=$w"
done
pycheck "$WORK" "$T" "$SEED" <<'EOF'
work, tree, seed = sys.argv[1:4]
hits = {h["id"]: h for h in json.load(open(work + "/all.json"))["hits"]}
def ids_for(word):
    return sorted(h["id"] for h in json.load(open("%s/q-%s.json" % (work, word)))["hits"])
want_ids = ["arr-1", "arr-2", "bare-1", "feeds/one.json", "gz-1", "gz-2",
            "jl-1", "jl-2",
            "news/pages/a-article.html", "news/pages/b-plain.htm",
            "news/pages/deeper/c-page.txt"]
if seed:
    want_ids.append("news/seed/000_e89c4d0d1ee50183.txt")
check_eq("ids: JSON ids as given, pages by their path below the tree",
         sorted(want_ids), sorted(hits))

a = hits.get("news/pages/a-article.html", {})
check_eq("html: title from og:title, entities decoded",
         "Quokkabot Botnet & Its Masters", a.get("title"))
check_eq("html: url from og:url", "https://www.Example-News.com/2024/03/quokkabot", a.get("url"))
check_eq("html: source is the url's host", "example-news.com", a.get("source"))
check_eq("html: date from article:published_time", "2024-03-05", a.get("date"))
check_eq("html: the article text is found", ["news/pages/a-article.html"], ids_for("quokkabot"))
for w in ("scriptcontentword", "navmenuword", "asidepromoword", "footerlegalword", "navstyleword"):
    check_eq("html: '%s' (script, nav, aside, footer, style) is not indexed" % w, [], ids_for(w))

b = hits.get("news/pages/b-plain.htm", {})
check_eq("htm: title from <title>, white space collapsed", "Wombatware Hits Clinics", b.get("title"))
check_eq("htm: date from <meta name=date> in words", "2022-03-09", b.get("date"))
check_eq("htm: no url of its own: the file's absolute path",
         tree + "/news/pages/b-plain.htm", b.get("url"))
check_eq("htm: no source", None, b.get("source"))
check_eq("htm: text after unclosed tags is indexed", ["news/pages/b-plain.htm"], ids_for("survives"))

c = hits.get("news/pages/deeper/c-page.txt", {})
check_eq("txt: title, without the breadcrumb", "Numbat Loader Spreads Through Ads", c.get("title"))
check_eq("txt: url is the file's absolute path", tree + "/news/pages/deeper/c-page.txt", c.get("url"))
check_eq("txt: body found", ["news/pages/deeper/c-page.txt"], ids_for("numbatloader"))
check((c.get("snippet") or "").startswith("Malware"), "txt: the category leads the body", c.get("snippet"))
check_eq("txt: the related block's headline is not indexed", [], ids_for("platypus"))
check_eq("txt: the related block's teaser is not indexed", [], ids_for("platypuskit"))
check("news/pages/deeper/c-page.txt" in ids_for("malware"), "txt: the category is searchable")

check_eq("json array: both elements", ["arr-1"], ids_for("echidnaspy"))
check_eq("json array: second element", ["arr-2"], ids_for("kookaburracreds"))
e = hits.get("arr-1", {})
check_eq("json array: fields kept", ("Echidna Espionage Campaign", "2021-06-01", "feeds.example", "https://feeds.example/1"),
         (e.get("title"), e.get("date"), e.get("source"), e.get("url")))
check_eq("json object without id: its path is the id", ["feeds/one.json"], ids_for("singleobjectword"))
check_eq("jsonl.gz: read", ["gz-1"], ids_for("dingoleak"))
check_eq("jsonl.gz: every line", ["gz-2"], ids_for("emukit"))
check_eq("bare .gz: read by content", ["bare-1"], ids_for("bilbybackdoor"))
check_eq(".json of JSON Lines: first line", ["jl-1"], ids_for("wallabyworm"))
check_eq(".json of JSON Lines: second line", ["jl-2"], ids_for("koalakeys"))
check_eq("hidden file: not indexed", [], ids_for("hiddendraftword"))
EOF

# ---- the seed page: its related-articles block is not part of its body ------
if [ -n "$SEED" ]; then
  # python picks words (6+ letters) found only in the related block, and
  # words found only in the article itself.
  pycheck "$SEED" "$WORK/seed-words" <<'EOF'
seed, out = sys.argv[1:3]
text = open(seed, encoding="utf-8").read()
cut = text.index("\nRelated Articles\n")
words = lambda s: set(w.lower() for w in re.findall(r"[A-Za-z]{6,}", s))
article, related = words(text[:cut]), words(text[cut:])
only_related = sorted(related - article)
only_article = sorted(article - related - {"kripto"})
check(len(only_related) >= 5, "the seed has words of its own in its related block", only_related)
check(len(only_article) >= 5, "the seed has words of its own in its article", only_article)
with open(out, "w") as f:
    f.write(" ".join(only_related[:12]) + "\n" + " ".join(only_article[:5]) + "\n")
EOF
  SEED_ID=news/seed/$SEED_NAME
  related_words=$(sed -n 1p "$WORK/seed-words")
  article_words=$(sed -n 2p "$WORK/seed-words")
  for w in $related_words; do
    capture "$WORK/seed-r.json" "$CYSEARCH" --db "$DB" --format trec --limit 100 "=$w"
    check_file_not_contains "seed: related-block word '$w' does not find the page" "$WORK/seed-r.json" "$SEED_ID"
  done
  for w in $article_words; do
    capture "$WORK/seed-a.json" "$CYSEARCH" --db "$DB" --format trec --limit 100 "=$w"
    check_file_contains "seed: article word '$w' finds the page" "$WORK/seed-a.json" "$SEED_ID"
  done
  capture "$WORK/seed.json" "$CYSEARCH" --db "$DB" --format json cncert
  pycheck "$WORK/seed.json" "$SEED_ID" "$T/news/seed/$SEED_NAME" <<'EOF'
r, sid, path = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
h = [h for h in r["hits"] if h["id"] == sid]
check(h, "seed: found by a word of its body")
if h:
    check_eq("seed: the title, once, without breadcrumb or category",
             "China Accuses US of Cyberattacks on High-Tech Companies", h[0]["title"])
    check_eq("seed: the url is its file", path, h[0]["url"])
    check(not h[0]["snippet"].startswith("Home"),
          "seed: the snippet does not start with the breadcrumb", h[0]["snippet"])
EOF
fi

# ---- second run: nothing changed ----------------------------------------------
run second "$CYSEARCH_INDEX" --db "$DB" "$T"
check_status "second run over the same tree" 3
check_eq "second run: 0 added" 0 "$(summary_num "$WORK/second.err" added)"
check_eq "second run: 0 replaced" 0 "$(summary_num "$WORK/second.err" replaced)"
check_eq "second run: every article unchanged" "$expected" "$(summary_num "$WORK/second.err" unchanged)"
check_eq "second run: index holds the same" "$expected" "$(summary_num "$WORK/second.err" holds)"
check_file_not_contains "second run: no verbose notes without -v" "$WORK/second.err" "not a known input format"

# ---- a good tree: exit 0 --------------------------------------------------------
rm -rf "$T/junk"
run clean "$CYSEARCH_INDEX" --db "$DB" "$T"
check_status "a tree with no bad files" 0
check_eq "clean tree: everything unchanged" "$expected" "$(summary_num "$WORK/clean.err" unchanged)"

# ---- standard input with --format, and sniffed -------------------------------------
DB2="$WORK/db-stdin"
printf 'Stdin Text Page\n\nstdintextword in the body.\n' >"$WORK/page.txt"
run stdin_txt sh -c '"$1" --db "$2" --format txt - <"$3"' sh "$CYSEARCH_INDEX" "$DB2" "$WORK/page.txt"
check_status "--format txt on standard input" 0
run stdin_html sh -c '"$1" --db "$2" - <"$3"' sh "$CYSEARCH_INDEX" "$DB2" "$T/news/pages/a-article.html"
check_status "HTML on standard input, recognised by its content" 0
run stdin_again sh -c '"$1" --db "$2" --format txt - <"$3"' sh "$CYSEARCH_INDEX" "$DB2" "$WORK/page.txt"
check_eq "the same page on standard input again: unchanged" 1 "$(summary_num "$WORK/stdin_again.err" unchanged)"
run stdin_empty sh -c '"$1" --db "$2" - </dev/null' sh "$CYSEARCH_INDEX" "$DB2"
check_status "empty standard input is not an error" 0
capture "$WORK/stdin.json" "$CYSEARCH" --db "$DB2" --format json --limit 10 -- -qwzxvbnkjhg
pycheck "$WORK/stdin.json" <<'EOF'
hits = json.load(open(sys.argv[1]))["hits"]
by_title = {h["title"]: h for h in hits}
t = by_title.get("Stdin Text Page", {})
check(re.fullmatch(r"stdin-[0-9a-f]{16}", t.get("id", "")), "stdin text page: id from its content", t)
check_eq("stdin text page: no url", None, t.get("url"))
h = by_title.get("Quokkabot Botnet & Its Masters", {})
check_eq("stdin html page: its url is its id", "https://www.Example-News.com/2024/03/quokkabot", h.get("id"))
check_eq("two articles from standard input", 2, len(hits))
EOF

# ---- --field -------------------------------------------------------------------------
cat >"$WORK/mapped.jsonl" <<'EOF'
{"guid": "m-1", "headline": "Mapped Headline", "content": {"text": "mappedbodyword text"}, "meta": {"published": "Tue, 05 Mar 2024 10:00:00 GMT"}, "title": "not this"}
{"guid": "m-2", "headline": 42, "content": {"text": "badheadlineword"}}
{"headline": "No guid", "content": {"text": "noguidword"}}
EOF
run mapped "$CYSEARCH_INDEX" --db "$WORK/db-mapped" --field id=guid --field title=headline \
  --field body=content.text --field date=meta.published "$WORK/mapped.jsonl"
check_status "--field with two bad lines" 3
check_file_contains "--field: a wrong type names the mapped key" "$WORK/mapped.err" \
  "cysearch-index: $WORK/mapped.jsonl:2: field \"headline\" (title) must be a string or null, not a number; skipped"
check_file_contains "--field: a missing id names the mapped key" "$WORK/mapped.err" \
  "cysearch-index: $WORK/mapped.jsonl:3: field \"guid\" (id) is missing; skipped"
capture "$WORK/mapped.json" "$CYSEARCH" --db "$WORK/db-mapped" --format json mappedbodyword
pycheck "$WORK/mapped.json" <<'EOF'
hits = json.load(open(sys.argv[1]))["hits"]
check_eq("--field: fields read from the mapped and nested keys",
         [("m-1", "Mapped Headline", "2024-03-05")],
         [(h["id"], h["title"], h["date"]) for h in hits])
EOF

# ---- JSON documents: errors name the file and the element or line ---------------------
mkdir "$WORK/bad"
printf '[{"id": "ok-1", "title": "Fine"},\n {"id": "bad-1", "title": 7},\n 3]\n' >"$WORK/bad/elements.json"
printf '[\n{"id": "x",\n oops]\n' >"$WORK/bad/broken.json"
# a broken first line costs that line only, not the file
printf '%s\n' '{"id": "cut", "tit' '{"id": "after-cut", "title": "After the cut"}' >"$WORK/bad/first-cut.jsonl"
run badjson "$CYSEARCH_INDEX" --db "$WORK/db-bad" "$WORK/bad"
check_status "JSON documents with bad parts" 3
check_file_contains "a bad element is named by its number" "$WORK/badjson.err" \
  "cysearch-index: $WORK/bad/elements.json: element 2: field \"title\" must be a string or null, not a number; skipped"
check_file_contains "a non-object element is named by its number" "$WORK/badjson.err" \
  "cysearch-index: $WORK/bad/elements.json: element 3: expected a JSON object, found a number; skipped"
if grep -E "^cysearch-index: $WORK/bad/broken\.json: not valid JSON: .* \(line 3, column [0-9]+\); rest of file skipped$" \
     "$WORK/badjson.err" >/dev/null; then
  pass "broken JSON: reported with line and column"
else
  fail "broken JSON: reported with line and column" "$(cat "$WORK/badjson.err")"
fi
if grep -E "^cysearch-index: $WORK/bad/first-cut\.jsonl:1: not valid JSON: .*; skipped$" \
     "$WORK/badjson.err" >/dev/null; then
  pass "a broken first line of JSON Lines: that line skipped"
else
  fail "a broken first line of JSON Lines: that line skipped" "$(cat "$WORK/badjson.err")"
fi
check_eq "the good element and the line after the broken one are indexed" 2 \
  "$(summary_num "$WORK/badjson.err" added)"
check_eq "bad elements, lines and files counted as skipped" 4 \
  "$(summary_num "$WORK/badjson.err" skipped)"

# ---- unreadable files and directories (root reads everything: skipped) -----------------
if [ "$(id -u)" -ne 0 ]; then
  mkdir -p "$WORK/locked/closed"
  echo "Locked Page" >"$WORK/locked/page.txt"
  echo "Inside" >"$WORK/locked/closed/inner.txt"
  chmod 000 "$WORK/locked/page.txt" "$WORK/locked/closed"
  run locked "$CYSEARCH_INDEX" --db "$WORK/db-locked" "$WORK/locked"
  chmod 755 "$WORK/locked/closed"
  check_status "unreadable file and directory" 3
  check_file_contains "unreadable file: named, with the reason" "$WORK/locked.err" \
    "cysearch-index: cannot open '$WORK/locked/page.txt': Permission denied"
  check_file_contains "unreadable directory: named, with the reason" "$WORK/locked.err" \
    "cysearch-index: cannot read '$WORK/locked/closed': Permission denied; skipped"
else
  printf 'note: running as root, the unreadable-file checks are skipped\n'
fi

# ---- a page named on the command line: its path as given is its id -------------------
cd "$WORK"
run direct "$CYSEARCH_INDEX" --db "$WORK/db-direct" ./tree/news/pages/deeper/c-page.txt
check_status "a text page named on the command line" 0
capture "$WORK/direct.trec" "$CYSEARCH" --db "$WORK/db-direct" --format trec numbatloader
check_eq "direct page: id is the path as given" "tree/news/pages/deeper/c-page.txt" "$(awk '{print $3}' "$WORK/direct.trec")"

# ---- usage errors ----------------------------------------------------------------------
run badformat "$CYSEARCH_INDEX" --db "$WORK/db-usage" --format xml "$T"
check_status "--format xml" 2
check_file_contains "--format xml: explained" "$WORK/badformat.err" "--format needs jsonl, json, txt, html or feed"
run badfield "$CYSEARCH_INDEX" --db "$WORK/db-usage" --field author=byline "$T"
check_status "--field author=byline" 2
check_file_contains "--field author=byline: explained" "$WORK/badfield.err" "'author=byline'"
if [ -e "$WORK/db-usage" ]; then
  fail "a usage error creates no index"
else
  pass "a usage error creates no index"
fi

finish
