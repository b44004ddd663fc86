#!/bin/sh
# test_query_language.sh — the boolean query language through the cysearch
# command line on corpus/sample.jsonl: AND / NOT, OR with parentheses,
# filters inside groups, prefix* wildcards (and their highlights),
# "phrase"~N and NEAR/N windows, and pasted input that must never fail.
# Expected sets are computed from the corpus with python, not hard-coded.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

DB="$WORK/db"
run index "$CYSEARCH_INDEX" --db "$DB" "$SAMPLE"
check_status "index sample.jsonl" 0

# q NAME QUERY: every match of QUERY as JSON, in $WORK/NAME.json.
q() {
  capture "$WORK/$1.json" "$CYSEARCH" --db "$DB" --format json --limit 100 \
    --no-collapse --no-suggest "$2"
}

q and_not 'ransomware AND NOT lockbit'
q plain_not 'ransomware -lockbit'
q or_group '(hospital OR hospitals) AND ransomware'
q words 'ransomware and not lockbit'
q wild 'ranso*'
q wild_short 'ra*'
q word_short 'ra'
q wild_h 'attack*'
q exact_h '=attack'
q near0 '"chinese hackers"~0'
q near1 '"chinese hackers"~1'
q near2 '"chinese hackers"~2'
q near_op 'chinese NEAR/2 hackers'
q esp3 '"chinese espionage"~3'
q esp_and 'chinese AND espionage'
q filt_group '(country:CN OR country:RU) ransomware'
q filt_flat 'ransomware country:CN country:RU'

pycheck "$SAMPLE" "$WORK" <<'EOF'
corpus = load_jsonl(sys.argv[1])
w = sys.argv[2]
load = lambda n: json.load(open("%s/%s.json" % (w, n), encoding="utf-8"))
ids = lambda n: {h["id"] for h in load(n)["hits"]}

def has(a, pattern):
    return re.search(pattern, text_of(a), re.I) is not None

def words_between(a, w1, w2, n):
    """w1 and w2 in one field with at most n words between them."""
    for field in ("title", "body"):
        toks = [t.lower() for t in re.findall(r"[^\W_]+", a.get(field) or "")]
        p1 = [i for i, t in enumerate(toks) if t == w1]
        p2 = [i for i, t in enumerate(toks) if t == w2]
        if any(abs(i - j) - 1 <= n for i in p1 for j in p2):
            return True
    return False

ransomware = {a["id"] for a in corpus if has(a, r"\bransomware\b")}
lockbit = {a["id"] for a in corpus if has(a, r"lockbit")}
check(lockbit & ransomware, "the sample has ransomware articles naming LockBit")
check_eq("ransomware AND NOT lockbit: ransomware articles without LockBit",
         ransomware - lockbit, ids("and_not"))
check_eq("... the same as ransomware -lockbit", ids("plain_not"), ids("and_not"))
check_eq("lower-case 'and not' are words, not operators: LockBit stays",
         True, lockbit & ransomware <= ids("words"))

hosp = {a["id"] for a in corpus if has(a, r"\bhospitals?\b")}
check_eq("(hospital OR hospitals) AND ransomware", hosp & ransomware,
         ids("or_group"))

ranso = {a["id"] for a in corpus if has(a, r"\branso")}
check_eq("ranso*: the articles with a word starting 'ranso'", ranso,
         ids("wild"))
check_eq("attack*: the articles with a word starting 'attack'",
         {a["id"] for a in corpus if has(a, r"\battack")}, ids("wild_h"))
check(ids("wild_h") > ids("exact_h"),
      "... more than the exact form =attack",
      (sorted(ids("wild_h")), sorted(ids("exact_h"))))
bad = []
for h in load("wild")["hits"]:
    s = h["snippet"].encode("utf-8")
    marked = [s[a:b].decode("utf-8").lower() for a, b in h["highlights"]]
    if not marked or not all(m.startswith("ranso") for m in marked):
        bad.append((h["id"], marked))
check_eq("ranso*: every hit highlights the words it matched", [], bad)
check_eq("ra* (too short a prefix) is the word ra itself", ids("word_short"),
         ids("wild_short"))

for name, n in (("near0", 0), ("near1", 1), ("near2", 2)):
    want = {a["id"] for a in corpus if words_between(a, "chinese", "hackers", n)}
    check_eq('"chinese hackers"~%d: at most %d words between' % (n, n), want,
             ids(name))
check(ids("near0") < ids("near2"), "~2 finds more than ~0",
      (sorted(ids("near0")), sorted(ids("near2"))))
check_eq("chinese NEAR/2 hackers is the same window", ids("near2"),
         ids("near_op"))
want = {a["id"] for a in corpus if words_between(a, "chinese", "espionage", 3)}
check_eq('"chinese espionage"~3: within the window', want, ids("esp3"))
check(ids("esp3") < ids("esp_and"),
      '... and not beyond: fewer than chinese AND espionage',
      (sorted(ids("esp3")), sorted(ids("esp_and"))))

check(ids("filt_group"), "(country:CN OR country:RU) ransomware finds some")
check_eq("... the same as the flat filters", ids("filt_flat"),
         ids("filt_group"))
check(ids("filt_group") <= ransomware, "... all of them about ransomware")
EOF

# ---- pasted input: never an error, always a result line ---------------------
i=0
for query in 'AND AND' 'OR)' 'NOT' '((((((((((ransomware' 'ransomware))))' \
  '(CVE-2021-44228)' 'C:\Windows\System32' 'POL-358' 'site:example.com' \
  '"unclosed phrase' 'a NEAR' 'NEAR/5 x' '*' 'x*' '🦀 ransomware'; do
  i=$((i + 1))
  run "paste$i" "$CYSEARCH" --db "$DB" --format json --no-suggest "$query"
  check_status "pasted query '$query'" 0
done
run cve "$CYSEARCH" --db "$DB" --format json '(CVE-2021-44228)'
run explain_wild "$CYSEARCH" --db "$DB" --format json --explain --limit 1 \
  'ransomw*'
check_file_contains "--explain names the prefix of a wildcard" \
  "$WORK/explain_wild.out" '"term":"ransomw*","field":"text"'
run suggest_wild "$CYSEARCH" --db "$DB" --format json 'ranso*'
check_file_contains "a prefix* is not taken for a misspelling" \
  "$WORK/suggest_wild.out" '"suggestion":null'
check_file_contains "(CVE-2021-44228) still finds the Log4Shell article" \
  "$WORK/cve.out" '"sample-012"'

# ---- identifiers with typographic dashes, and indicators (issue #16) ------------
# The sample plus three articles that write indicators the other ways: a
# CVE with en dashes, a bare host without "www.", a path below another,
# a path with forward slashes, and its words loose.
IOC="$WORK/ioc.jsonl"
cp "$SAMPLE" "$IOC"
cat >>"$IOC" <<'JSON'
{"id": "ioc-dash", "title": "Git flaw fixed", "date": "2018-10-06", "body": "The flaw, assigned CVE\u20132018\u201317456 by Mitre, lets a submodule URL run commands."}
{"id": "ioc-host", "title": "Backdoor beacons found", "date": "2020-12-14", "body": "The implant resolved avsvmcloud.com before it reached http://evil-demo.example/payload.bin over HTTP."}
{"id": "ioc-path", "title": "Dropper hides in system folder", "date": "2021-03-02", "body": "It writes C:\\Windows\\System32\\spool\\drivers\\x64\\evil.dll and waits."}
{"id": "ioc-fwd", "title": "Loader copies itself", "date": "2021-04-02", "body": "The loader copies itself to C:/Windows/System32/svchost32.exe on Windows hosts."}
{"id": "ioc-loose", "title": "Windows patch day", "date": "2021-05-02", "body": "Plan C: patch every Windows host; System32 files change."}
JSON
DB="$WORK/ioc"
run ioc_index "$CYSEARCH_INDEX" --db "$DB" "$IOC"
check_status "index the sample with indicator articles" 0
q dash_ascii 'CVE-2018-17456'
q dash_en 'CVE–2018–17456'
q dash_tag 'cve:CVE-2018-17456'
q url_host 'hxxps://avsvmcloud[.]com/api'
q www_host 'www.avsvmcloud.com'
q url_path 'http://evil-demo.example'
q path_above 'C:\Windows\System32'
q path_system 'c:\windows\system32\drivers\etc'
q path_forward 'C:/Windows/System32'
pycheck "$SAMPLE" "$WORK" <<'EOF'
corpus = load_jsonl(sys.argv[1])
w = sys.argv[2]
ids = lambda n: sorted(h["id"] for h in
                       json.load(open("%s/%s.json" % (w, n), encoding="utf-8"))["hits"])
check_eq("CVE-2018-17456 finds the en-dash spelling", ["ioc-dash"], ids("dash_ascii"))
check_eq("CVE\u20132018\u201317456 finds it", ["ioc-dash"], ids("dash_en"))
check_eq("it is tagged cve:CVE-2018-17456", ["ioc-dash"], ids("dash_tag"))
check_eq("a URL finds its host", ["ioc-host"], ids("url_host"))
check_eq("www.host finds the bare host", ["ioc-host"], ids("www_host"))
check_eq("a URL's host finds the URL", ["ioc-host"], ids("url_path"))
paths = sorted(a["id"] for a in corpus
               if "c:\\windows\\system32\\" in text_of(a).lower()) + ["ioc-path"]
check(len(paths) >= 2, "the sample has a path below C:\\Windows\\System32", paths)
check_eq("C:\\Windows\\System32 finds the paths below it", sorted(paths),
         ids("path_above"))
check_eq("C:/Windows/System32 finds the paths C:\\Windows\\System32 finds, "
         "and the path written with forward slashes, not loose words",
         sorted(paths + ["ioc-fwd"]), ids("path_forward"))
check_eq("a path finds itself and what is below it only",
         sorted(a["id"] for a in corpus
                if "c:\\windows\\system32\\drivers\\etc" in text_of(a).lower()),
         ids("path_system"))
EOF

finish
