#!/bin/sh
# test_news_corpus.sh — the real news corpus ($CYSEARCH_SHARED_DIR/corpus/
# news.jsonl.gz): index it, re-index it, and compare search results with
# what python finds in the raw text.  Skipped (77) when the corpus is absent.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

need_news

DB="$WORK/db"

# The corpus's article count, from the data itself.
articles=$(gzip -dc "$NEWS" | grep -c .)

# ---- index, then re-index ------------------------------------------------------
run first "$CYSEARCH_INDEX" --db "$DB" "$NEWS"
check_status "indexing the news corpus" 0
check_eq "every article added" "$articles" "$(summary_num "$WORK/first.err" added)"
check_eq "3796 added (the corpus as shipped)" 3796 "$(summary_num "$WORK/first.err" added)"
check_eq "nothing skipped" 0 "$(summary_num "$WORK/first.err" skipped)"
check_eq "index holds every article" "$articles" "$(summary_num "$WORK/first.err" holds)"

run second "$CYSEARCH_INDEX" --db "$DB" "$NEWS"
check_status "re-indexing the news corpus" 0
check_eq "re-index: every article unchanged" "$articles" "$(summary_num "$WORK/second.err" unchanged)"
check_eq "re-index: 0 added" 0 "$(summary_num "$WORK/second.err" added)"
check_eq "re-index: 0 replaced" 0 "$(summary_num "$WORK/second.err" replaced)"
check_eq "re-index: index holds 3796" 3796 "$(summary_num "$WORK/second.err" holds)"

# ---- ransomware hospital: a full page ------------------------------------------
run rh "$CYSEARCH" --db "$DB" --format json 'ransomware hospital'
check_status "search 'ransomware hospital'" 0
pycheck "$NEWS" "$WORK/rh.out" <<'EOF'
corpus = {a["id"]: a for a in load_jsonl(sys.argv[1])}
r = json.load(open(sys.argv[2], encoding="utf-8"))
hits = r["hits"]
check_eq("'ransomware hospital': exactly 10 hits (the default limit)",
         10, len(hits))
check(r["total"] > 10, "'ransomware hospital': more than 10 matches in all",
      r["total"])
check(all(isinstance(h["id"], str) and h["id"] and
          isinstance(h["title"], str) and h["title"].strip() for h in hits),
      "every hit has a non-empty id and title",
      [(h["id"], h["title"]) for h in hits])
check(all(h["id"] in corpus and h["title"] == corpus[h["id"]]["title"]
          for h in hits), "hit ids and titles are the corpus's")
check_eq("ranks 1..10", list(range(1, 11)), [h["rank"] for h in hits])
EOF

# ---- CVE ids: quoted queries against python's view of the text -------------------
# python picks three CVE ids that occur in 1-5 articles and whose article set
# is the same under every reasonable reading (case-insensitive substring;
# whole identifier; parts separated by any punctuation, as the analyzer sees
# them), so that "the articles containing CVE-YYYY-NNNN" is unambiguous.
pycheck "$NEWS" "$WORK/cves" <<'EOF'
arts = load_jsonl(sys.argv[1])
texts = [(a["id"], text_of(a)) for a in arts]
count = {}
for aid, t in texts:
    for c in set(m.upper() for m in re.findall(r"CVE-\d{4}-\d{4,}", t, re.I)):
        count[c] = count.get(c, 0) + 1
def readings(cve):
    y, n = cve.split("-")[1:]
    sub = {i for i, t in texts if cve.lower() in t.lower()}
    whole = {i for i, t in texts
             if re.search(r"(?<![\w.,])%s(?![\w]|[.,]\d)" % re.escape(cve), t, re.I)}
    parts = {i for i, t in texts
             if re.search(r"(?<![\w.,])cve\W+%s\W+%s(?![\w]|[.,]\d)" % (y, n), t, re.I)}
    return sub, whole, parts
picked = []
# one from each band of frequency where possible: 1, 2-3, 4-5 articles
for lo, hi in ((1, 1), (2, 3), (4, 5), (1, 5), (1, 5)):
    for c in sorted(count):
        if c in [p[0] for p in picked] or not lo <= count[c] <= hi:
            continue
        sub, whole, parts = readings(c)
        if sub == whole == parts and lo <= len(sub) <= hi:
            picked.append((c, sorted(sub)))
            break
    if len(picked) == 3:
        break
check_eq("found 3 unambiguous CVE ids occurring in 1-5 articles", 3, len(picked))
with open(sys.argv[2], "w") as f:
    for c, ids in picked:
        f.write("%s %s\n" % (c, ",".join(ids)))
EOF
while read -r cve expected; do
  capture "$WORK/cve.json" "$CYSEARCH" --db "$DB" --format json --limit 100 "\"$cve\""
  pycheck "$WORK/cve.json" "$cve" "$expected" <<'EOF'
r = json.load(open(sys.argv[1], encoding="utf-8"))
cve, expected = sys.argv[2], sorted(sys.argv[3].split(","))
check_eq('"%s" finds exactly the %d article(s) containing it' % (cve, len(expected)),
         expected, sorted(h["id"] for h in r["hits"]))
check_eq('"%s": total equals the article count' % cve, len(expected), r["total"])
EOF
done <"$WORK/cves"

# ---- =ransomware: the total against a word count -----------------------------------
# The query is =ransomware, the exact form, because a plain query matches
# the stem ("ransomwar") and python has no stemmer.  "Articles containing
# the word" is counted with a case-insensitive \bransomware\b over title +
# body.  The analyzer and the regex agree on this word: it has no digits
# (so no '.'/',' joining), "ransomware's"/"ransomware’s" is the possessive
# of the same word for both (the analyzer drops the "'s"), and hyphens
# split words for both ("ransomware-as-a-service" contains it).  They could
# differ only for an apostrophe followed by letters other than "s"
# ("ransomware'ish") or a zero-width character inside the word; the python
# below counts those cases and the test requires there are none, so a
# mismatch in the totals is a real search bug, not a tokenization quirk.
# --no-collapse: every article, not one per story.
run exact "$CYSEARCH" --db "$DB" --format trec --limit 10000 --no-collapse =ransomware
check_status "search =ransomware" 0
run exactj "$CYSEARCH" --db "$DB" --format json --limit 0 --no-collapse =ransomware
pycheck "$NEWS" "$WORK/exact.out" "$WORK/exactj.out" <<'EOF'
arts = load_jsonl(sys.argv[1])
word = re.compile(r"\bransomware\b", re.I)
expected = sorted(a["id"] for a in arts if word.search(text_of(a)))
ambiguous = [a["id"] for a in arts
             if re.search(r"ransomware['\u2019\u02bc](?!s\b)\w"
                          r"|\w['\u2019\u02bc]ransomware"
                          r"|ransom[\u00ad\u200b-\u200d\u2060\ufeff]+ware",
                          text_of(a), re.I)]
check_eq("no article has an ambiguous form of 'ransomware'", [], ambiguous)
got = sorted(l.split()[2] for l in open(sys.argv[2]).read().splitlines())
r = json.load(open(sys.argv[3]))
check(len(expected) > 100, "'ransomware' is a common word (%d articles)" % len(expected))
check_eq("=ransomware total equals the articles containing the word",
         len(expected), r["total"])
check(r["total_exact"] is True, "=ransomware total is exact")
check_eq("=ransomware returns exactly those articles", expected, got)
EOF

# ---- identifiers pasted bare: CVE ids and IPv4 addresses -------------------------
# For 5 CVE ids and 5 IPv4 addresses that occur in the corpus, the bare,
# unquoted id must return exactly the articles whose text contains it as a
# whole token (defanged "[.]" read as "."), computed here from the raw text.
pycheck "$NEWS" "$CYSEARCH" "$DB" <<'EOF'
import re, subprocess
arts = load_jsonl(sys.argv[1])
def text(a):
    t = (a.get("title") or "") + "\n" + (a.get("body") or "")
    return t.replace("[.]", ".").replace("(.)", ".")
texts = {a["id"]: text(a) for a in arts}
def containing(ident):
    pat = re.compile(r"(?<![\w.-])" + re.escape(ident) + r"(?![\w-]|\.\d)", re.I)
    return {i for i, t in texts.items() if pat.search(t)}
def pick(regex, n):
    found = {}
    for i, t in texts.items():
        for m in set(x.upper() for x in re.findall(regex, t, re.I)):
            found.setdefault(m, set()).add(i)
    # ids in 2..30 articles, most frequent first, for a meaningful check
    ranked = sorted((k for k, v in found.items() if 2 <= len(v) <= 30),
                    key=lambda k: (-len(found[k]), k))
    return ranked[:n]
cves = pick(r"\bCVE-\d{4}-\d{4,7}\b", 5)
ips = pick(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)", 5)
check(len(cves) == 5, "five CVE ids occur in 2-30 articles")
check(len(ips) == 5, "five IPv4 addresses occur in 2-30 articles")
for ident in cves + ips:
    out = subprocess.run([sys.argv[2], "--db", sys.argv[3], "--format", "json",
                          "--limit", "1000", "--no-snippets", ident],
                         capture_output=True, text=True, check=True).stdout
    got = {h["id"] for h in json.loads(out)["hits"]}
    expected = containing(ident)
    check_eq("bare %s finds the %d articles containing it" % (ident, len(expected)),
             sorted(expected), sorted(got))
EOF

# ---- the search page's filters next to hostile query text ----------------------
# The defects of issue 16 on this corpus: q=NOT&country=CN found every
# article but China's (3,466), q=ransomware+NOT&country=CN 458,
# q=ransomware+OR&from=2021-01 722, country=Narnia was a 200.  Each must find
# what the well-formed query finds (320, 40 and 75 articles when this was
# written).
if [ -n "${CYSEARCH_CGI:-}" ]; then
  while read -r name hostile wellformed; do
    for qs in "$hostile" "$wellformed"; do
      which=$([ "$qs" = "$hostile" ] && echo hostile || echo wellformed)
      cgi_get "cgi_${name}_$which" "$DB" "$qs&format=json&per-page=50"
    done
  done <<'CASES'
not q=NOT&country=CN q=country:CN
trailing_not q=ransomware+NOT&country=CN q=ransomware+country:CN
trailing_or q=ransomware+OR&country=CN q=ransomware+country:CN
open_quote q=%22ransomware&country=CN q=ransomware+country:CN
or_from q=ransomware+OR&from=2021-01 q=ransomware+after:2021-01
narnia q=%22x&country=Narnia q=%22x%22+country:Narnia
CASES
  # The front page's example queries all find articles here too.
  cgi_get cgi_front "$DB" ''
  sed -n 's/^<dt><a href="?\([^"]*\)">.*/\1/p' "$WORK/cgi_front.out" |
    sed 's/&amp;/\&/g' >"$WORK/examples"
  n=0
  while read -r qs; do
    n=$((n + 1))
    cgi_get "cgi_example_$n" "$DB" "$qs&format=json"
  done <"$WORK/examples"
  pycheck "$WORK" <<'EOF'
import os
WORK = sys.argv[1]
examples = open(os.path.join(WORK, "examples")).read().split()
totals = {}
for n, qs in enumerate(examples, 1):
    data = open(os.path.join(WORK, "cgi_example_%d.out" % n), "rb").read()
    totals[qs] = json.loads(data.partition(b"\r\n\r\n")[2]).get("total", 0)
check(len(totals) >= 5 and all(totals.values()),
      "the front page's example queries all find news articles", totals)
def answer(name):
    data = open(os.path.join(WORK, name + ".out"), "rb").read()
    head, _, b = data.partition(b"\r\n\r\n")
    return int(head.split(b"\r\n")[0].split()[1]), json.loads(b)
for name in ("not", "trailing_not", "trailing_or", "open_quote", "or_from"):
    st, got = answer("cgi_%s_hostile" % name)
    st2, want = answer("cgi_%s_wellformed" % name)
    check_eq("page filters, %s: found as the well-formed query" % name,
             (200, want["total"], [h["id"] for h in want["hits"]]),
             (st, got.get("total"), [h["id"] for h in got.get("hits", [])]))
    check(0 < want["total"] < 1000, "page filters, %s: %d articles"
          % (name, want["total"]))
st, got = answer("cgi_narnia_hostile")
check(st == 400 and "'country'" in got["error"]["message"],
      "page filters: country=Narnia is a 400 naming the parameter", got)
st, got = answer("cgi_narnia_wellformed")
check(st == 400 and got["error"]["message"].startswith("The query (q)"),
      "page filters: country:Narnia in q is a 400 about q", got)
EOF
fi

# ---- identifiers with typographic dashes, and indicators -------------------------
# casie-10256 writes "CVE–2018–17456" with en dashes: it is tagged with the
# plain id (offsets into the original text), and the en-dash and ASCII
# queries find the same articles: those whose text has the id with any dash.
# A URL finds the articles of its host, a domain those of its "www." form
# and back, and a Windows path the paths below it (issue #16, items 7, 9).
pycheck "$NEWS" "$CYSEARCH" "$DB" "$CYSEARCH_INDEX" "$WORK" <<'EOF'
import os, re, subprocess
arts = load_jsonl(sys.argv[1])
search, db, index, work = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
def text(a):  # defanged forms read plain, as the analyzer reads them
    t = (a.get("title") or "") + "\n" + (a.get("body") or "")
    return re.sub(r"[\[(]\.[\])]|\[dot\]", ".", t, flags=re.I)
texts = {a["id"]: text(a) for a in arts}
def ids(query):
    out = subprocess.run([search, "--db", db, "--format", "json", "--limit",
                          "1000", "--no-snippets", "--no-collapse", query],
                         capture_output=True, text=True, check=True).stdout
    return sorted(h["id"] for h in json.loads(out)["hits"])
def having(regex):
    pat = re.compile(regex, re.I)
    return sorted(i for i, t in texts.items() if pat.search(t))
dash = "[-\u2010-\u2015\u2212\ufe63\uff0d]"
cve = having(r"\bCVE" + dash + "2018" + dash + r"17456\b")
check("casie-10256" in cve, "the corpus writes CVE\u20132018\u201317456 in casie-10256")
check_eq("CVE\u20132018\u201317456 (en dashes) finds every spelling",
         cve, ids("CVE\u20132018\u201317456"))
check_eq("CVE-2018-17456 finds the en-dash spelling too", cve, ids("CVE-2018-17456"))
check_eq("cve:CVE-2018-17456 (the tag) covers them", cve, ids("cve:CVE-2018-17456"))
check_eq("CVE\u20132017\u20130144 is one article, not hundreds",
         ids("CVE-2017-0144"), ids("CVE\u20132017\u20130144"))
check_eq("CVE-2017-0144 is in one article", 1, len(ids("CVE-2017-0144")))
art = [a for a in arts if a["id"] == "casie-10256"][0]
one = os.path.join(work, "casie-10256.jsonl")
with open(one, "w", encoding="utf-8") as f:
    f.write(json.dumps(art) + "\n")
out = subprocess.run([index, "--extract", one], capture_output=True, text=True,
                     check=True).stdout
cves = [e for e in json.loads(out)["entities"] if e["type"] == "cve"]
check(("CVE-2018-17456", "CVE\u20132018\u201317456") in
      [(e["value"], e["text"]) for e in cves],
      "--extract tags CVE\u20132018\u201317456 as CVE-2018-17456", cves)
body = art["body"].encode("utf-8")
spans = [body[e["start"]:e["end"]].decode("utf-8") for e in cves
         if e["field"] == "body"]
check("CVE\u20132018\u201317456" in spans,
      "its offsets point at the original text", spans)

host = having(r"(?<![\w.-])(?:www\.)?avsvmcloud\.com\b")
check(len(host) >= 2, "avsvmcloud.com is in the corpus", host)
check_eq("avsvmcloud.com: its articles", host, ids("avsvmcloud.com"))
check_eq("http://avsvmcloud.com finds its host's articles", host,
         ids("http://avsvmcloud.com"))
check_eq("hxxp://avsvmcloud[.]com finds its host's articles", host,
         ids("hxxp://avsvmcloud[.]com"))
kill = "iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com"
www = having(r"(?<![\w.-])(?:www\.)?" + re.escape(kill))
check(len(www) >= 1, "the kill-switch domain is in the corpus", www)
check_eq("the kill-switch domain without www. finds its www. form", www, ids(kill))
check_eq("... and with www.", www, ids("www." + kill))
system32 = having(r"(?<![\w%\\])c:\\windows\\system32(?![\w])")
check(len(system32) >= 2, "C:\\Windows\\System32 paths are in the corpus", system32)
check_eq("C:\\Windows\\System32 finds the paths below it", system32,
         ids("C:\\Windows\\System32"))
EOF

# ---- the README's indicator examples find articles in the news corpus -----------
pycheck "$CYSEARCH_SOURCE_DIR/README.md" "$CYSEARCH" "$DB" <<'EOF'
import re, subprocess
readme = open(sys.argv[1], encoding="utf-8").read()
intro = re.search(r"analysts search for (.*?) are kept whole", readme, re.S)
row = re.search(r"^\| (`CVE-2017-0144`.*?) \| exactly the articles", readme, re.M)
check(intro and row, "the README still lists its indicator examples")
examples = re.findall(r"`([^`]+)`", (intro.group(1) if intro else "") +
                      (row.group(1) if row else ""))
for query in examples:
    out = subprocess.run([sys.argv[2], "--db", sys.argv[3], "--format", "json",
                          "--limit", "0", query],
                         capture_output=True, text=True, check=True).stdout
    check(json.loads(out)["total"] >= 1,
          "README example %s finds an article in the news corpus" % query)
EOF

# ---- near-duplicates without dates: only near copies fold -----------------------
# The corpus's articles with their dates removed, and syndicated copies of
# 100 of them (a wire prefix, a footer, a headline suffix, one word in 200
# changed), also undated.  The copies fold into their originals; the
# Palo Alto Unit 42 bulletins of February and May 2017 (one template, one
# headline, other CVE ids), which only their dates kept apart before, stay
# apart; two syndicated pairs of the corpus still fold (issue #16, item 12).
UNDATED="$WORK/undated.jsonl"
pycheck "$NEWS" "$UNDATED" "$WORK/undated-queries.tsv" <<'EOF'
import random
arts = load_jsonl(sys.argv[1])
byid = {a["id"]: a for a in arts}
def undated(a):
    a = dict(a)
    a.pop("date", None)
    return a
def copy(a):
    b = undated(a)
    b["id"] = "copy-" + a["id"]
    words = (a.get("body") or "").split(" ")
    for k in range(100, len(words), 200):
        words[k] += "s"
    b["body"] = "(Wire) - " + " ".join(words) + "\nFirst published by example.org."
    b["title"] = a["title"] + " | Example News"
    return b
def title_query(a):
    return 'title:"%s"' % " ".join(a["title"].replace('"', " ").split()[:5])
kept = ["casie-891", "casie-2663", "thn-f485dd438a49", "casie-2165",
        "thn-e35e7f44cd78", "casie-502"]
check(all(k in byid for k in kept), "the pairs to check are in the corpus")
rnd = random.Random(16)
picked = rnd.sample(sorted((a for a in arts
                            if a.get("title") and a["id"] not in kept and
                            len((a.get("body") or "").split()) >= 150),
                           key=lambda a: a["id"]), 100)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for a in [byid[k] for k in kept] + picked:
        f.write(json.dumps(undated(a)) + "\n")
    for a in picked:
        f.write(json.dumps(copy(a)) + "\n")
with open(sys.argv[3], "w", encoding="utf-8") as f:
    for a in [byid[k] for k in kept[::2]] + picked:
        f.write("%s\t%s\n" % (a["id"], title_query(a)))
EOF
run undated_index "$CYSEARCH_INDEX" --db "$WORK/undated" "$UNDATED"
check_status "index the undated articles and copies" 0
capture "$WORK/undated.json" "$CYSEARCH" --db "$WORK/undated" --format json \
  --limit 100 --no-snippets --queries "$WORK/undated-queries.tsv"
pycheck "$WORK/undated.json" <<'EOF'
answers = {r["qid"]: r for r in load_jsonl(sys.argv[1])}
def folded(a, b):
    """a and b are one hit that counts the other, not two hits."""
    hits = {h["id"]: h for h in answers[a]["hits"]}
    one = [hits[i] for i in (a, b) if i in hits]
    return len(one) == 1 and one[0]["duplicates"] >= 1
def apart(a, b):
    hits = {h["id"] for h in answers[a]["hits"]}
    return a in hits and b in hits
check(apart("casie-891", "casie-2663"),
      "undated Palo Alto bulletins of February and May stay apart")
check(folded("thn-f485dd438a49", "casie-2165"), "an undated syndicated pair folds")
check(folded("thn-e35e7f44cd78", "casie-502"), "another undated syndicated pair folds")
copies = [q for q in answers if q.startswith("thn-") or q.startswith("casie-")]
copies = [q for q in copies if q not in ("thn-f485dd438a49", "thn-e35e7f44cd78",
                                         "casie-891")]
n = sum(folded(q, "copy-" + q) for q in copies)
check(len(copies) == 100 and n == len(copies),
      "undated syndicated copies fold into their originals (%d of %d)" % (n, len(copies)))
EOF

finish
