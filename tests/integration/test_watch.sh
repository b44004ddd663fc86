#!/bin/sh
# test_watch.sh — cysearch --watch on the news corpus ($CYSEARCH_SHARED_DIR/
# corpus/news.jsonl.gz; skipped, 77, when it is absent): index the articles
# up to 2018, run a watch list of 10 saved searches (its first run records
# where the index stands), index the rest, and run it again: it prints
# exactly the new stories each saved search matches, checked against the
# article ids python finds in the raw text (words as =word, whose matches
# a regex can find; sources and dates from the fields) and the index's
# stories, and a third run prints nothing.  Along the way an old article
# changes (it now matches a saved search: not new, by design), a new one
# is deleted (--delete) and a file of new ones removed (--prune): neither
# is reported.  Then a job that stops after a commit (a run left under
# way) and the watch between it and the next job: every story reported
# once.  Bad watch lines and exit statuses too.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

need_news
DB="$WORK/db"
INBOX="$WORK/inbox"
mkdir -p "$INBOX"

# The saved searches: a word as its exact form (=word: python has no
# stemmer), sources, dates and combinations.
printf '%s\t%s\n' \
  ransom '=ransomware' \
  thn 'source:thehackernews.com' \
  y2020 'year:2020' \
  phishing '=phishing' \
  android '=android' \
  ransom-thn '=ransomware source:thehackernews.com' \
  botnet '=botnet' \
  vuln2021 '=vulnerability date:2021-01..2021-12' \
  iran '=iran' \
  bitcoin '=bitcoin' >"$WORK/watch.tsv"

# Split the corpus: part1 (up to 2018) first; part2a and part2b (2019
# on) later, part2b to be pruned; one old article changed so that it
# mentions bitcoin; one new article to be deleted.
pycheck "$NEWS" "$WORK" <<'EOF'
arts = load_jsonl(sys.argv[1])
old = [a for a in arts if (a.get("date") or "") < "2019"]
new = [a for a in arts if (a.get("date") or "") >= "2019"]
check(len(old) > 2000 and len(new) > 500, "both parts are large",
      (len(old), len(new)))
word = re.compile(r"\bbitcoin\b", re.I)
changed = next(a for a in old if not word.search(text_of(a)))
def write(name, rows):
    with open(os.path.join(sys.argv[2], name), "w", encoding="utf-8") as f:
        for a in rows:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
write("part1.jsonl", old)
# Syndicated copies (another site, the same text and a line more) of 5
# old and 3 new ransomware stories, among the new articles.
ransom = re.compile(r"\bransomware\b", re.I)
def copies(rows, tag):
    picked = [a for a in rows if ransom.search(text_of(a))
              and len(a.get("body") or "") > 1500]
    return [dict(a, id="synd-%s-%d" % (tag, k), source="copies.example",
                 url=None, body=a["body"] + "\nSyndicated by copies.example.")
            for k, a in enumerate(picked[:5 if tag == "old" else 3])]
new = new[:-100] + copies(old, "old") + copies(new[:-100], "new") + new[-100:]
write("part2a.jsonl", new[:-100])
write("part2b.jsonl", new[-100:])
edited = dict(changed, body=changed["body"] + " Paid in bitcoin.")
write("part1-changed.jsonl", [edited if a is changed else a for a in old])
deleted = next(a for a in new[:-100]
               if re.search(r"\bransomware\b", text_of(a), re.I))
write("part2a-less.jsonl", [a for a in new[:-100] if a is not deleted])
with open(os.path.join(sys.argv[2], "special"), "w") as f:
    f.write("%s %s\n" % (changed["id"], deleted["id"]))
EOF
read -r CHANGED DELETED <"$WORK/special"

cp "$WORK/part1.jsonl" "$INBOX/part1.jsonl"
run job1 "$CYSEARCH_INDEX" --db "$DB" "$INBOX"
check_status "job 1: articles up to 2018" 0
check_eq "job 1 is run 1" 1 "$(summary_num "$WORK/job1.err" run)"

# ---- the first run records where the index stands --------------------------
run w1 "$CYSEARCH" --db "$DB" --watch "$WORK/watch.tsv"
check_status "first watch: nothing new (3)" 3
check_eq "first watch prints nothing" "" "$(cat "$WORK/w1.out")"
check_file_contains "first watch says it records the start" "$WORK/w1.err" \
  "first run of"
check_file_contains "the state is next to the watch file" \
  "$WORK/watch.tsv.state" '"run":1'

# ---- the rest, a changed article, a deleted one, a pruned file ---------------
cp "$WORK/part1-changed.jsonl" "$INBOX/part1.jsonl"
cp "$WORK/part2a.jsonl" "$WORK/part2b.jsonl" "$INBOX/"
run job2 "$CYSEARCH_INDEX" --db "$DB" "$INBOX"
check_status "job 2: the rest" 0
check_eq "job 2: one article changed" 1 "$(summary_num "$WORK/job2.err" replaced)"
check_eq "job 2 is run 2" 2 "$(summary_num "$WORK/job2.err" run)"
rm "$INBOX/part2b.jsonl"
cp "$WORK/part2a-less.jsonl" "$INBOX/part2a.jsonl" # the article to delete
run job3 "$CYSEARCH_INDEX" --db "$DB" --prune --delete "$DELETED" "$INBOX"
check_status "job 3: --prune and --delete" 0
check_eq "job 3 is run 3" 3 "$(summary_num "$WORK/job3.err" run)"

# Every article's story, from the index (the near-duplicate keys are the
# index's decision; which articles match is python's).
run stories "$CYSEARCH" --db "$DB" --format json --no-collapse --no-snippets \
  --limit 10000 --filter indexed:0..
check_status "listing every article" 0

run w2 "$CYSEARCH" --db "$DB" --watch "$WORK/watch.tsv" --format json
check_status "second watch: new stories (0)" 0
pycheck "$WORK" "$WORK/watch.tsv" "$WORK/stories.out" "$WORK/w2.out" \
  "$CHANGED" "$DELETED" <<'EOF'
work, watch, stories, out, changed, deleted = sys.argv[1:7]
old = {a["id"]: a for a in load_jsonl(os.path.join(work, "part1-changed.jsonl"))}
new = {a["id"]: a for a in load_jsonl(os.path.join(work, "part2a.jsonl"))}
del new[deleted]
story = {h["id"]: h["story"] for h in json.load(open(stories))["hits"]}
check_eq("the index holds the articles of part1 and part2a, less one",
         sorted(set(old) | set(new)), sorted(story))
def matcher(query):
    """Python's reading of a saved search: =word, source:, year:, date:."""
    tests = []
    for part in query.split():
        if part.startswith("="):
            w = re.compile(r"\b%s\b" % re.escape(part[1:]), re.I)
            tests.append(lambda a, w=w: bool(w.search(text_of(a))))
        elif part.startswith("source:"):
            tests.append(lambda a, s=part[7:]: a.get("source") == s)
        elif part.startswith("year:"):
            tests.append(lambda a, y=part[5:]: (a.get("date") or "")[:4] == y)
        elif part.startswith("date:"):
            lo, hi = part[5:].split("..")
            tests.append(lambda a, lo=lo, hi=hi:
                         lo <= (a.get("date") or "")[:7] <= hi)
    return lambda a: all(t(a) for t in tests)
lines = [json.loads(l) for l in open(out, encoding="utf-8")]
check(all(set(l) >= {"watch", "id", "title", "date", "source", "url",
                     "story", "run"} for l in lines),
      "every JSON line names its saved search and the story")
total = 0
for row in open(watch, encoding="utf-8").read().splitlines():
    name, query = row.split("\t")
    m = matcher(query)
    fresh = {i for i, a in new.items() if m(a)}
    before = {story[i] for i, a in old.items() if m(a)}
    expected = {story[i] for i in fresh} - before
    got = [l for l in lines if l["watch"] == name]
    total += len(got)
    check(all(l["id"] in fresh for l in got),
          "%s: every story printed is a new article the search matches" % name,
          [l["id"] for l in got if l["id"] not in fresh])
    printed = [l["story"] for l in got]
    check(sorted(expected) == sorted(printed),
          "%s: exactly the new stories, once each (%d, of %d new matching "
          "articles)" % (name, len(expected), len(fresh)),
          "missing: %r\nextra: %r" % (sorted(expected - set(printed)),
                                      sorted(set(printed) - expected)))
check(total > 100, "the second watch printed many stories", total)
synd_old = sorted(i for i in story if i.startswith("synd-old-"))
check_eq("5 syndicated copies of old stories", 5, len(synd_old))
check(all(story[i] in {story[j] for j in old} for i in synd_old),
      "the index tells each copy of an old story as that story",
      [i for i in synd_old if story[i] not in {story[j] for j in old}])
check(not any(l["id"].startswith("synd-old-") for l in lines),
      "no copy of a story already reported is new")
synd_new = [i for i in story if i.startswith("synd-new-")]
check(len(synd_new) == 3 and
      all(sum(1 for l in lines if l["watch"] == "ransom" and
              l["story"] == story[i]) == 1 for i in synd_new),
      "a new story and its copies: reported once")
check(not any(l["id"] == changed for l in lines),
      "the changed article (now about bitcoin) is not new")
check(not any(l["id"] == deleted for l in lines),
      "the deleted article is not reported")
pruned = {a["id"] for a in load_jsonl(os.path.join(work, "part2b.jsonl"))}
check(not any(l["id"] in pruned for l in lines),
      "the articles of the pruned file are not reported")
check(all(l["run"] == 3 for l in lines), "each line names the index's run")
EOF

run w3 "$CYSEARCH" --db "$DB" --watch "$WORK/watch.tsv"
check_status "third watch: nothing new (3)" 3
check_eq "third watch prints nothing" "" "$(cat "$WORK/w3.out")"

# ---- a run left under way: reported once, whatever the watch sees ----------
# A --strict job stops at its bad line after committing 20 articles: run 4
# is recorded without an end time.  The watch then reports what it sees
# of run 4; the next job (run 5) adds the rest; the watch reports only
# those.
pycheck "$NEWS" "$WORK" <<'EOF'
arts = load_jsonl(sys.argv[1])
rows = []
for k, a in enumerate(a for a in arts
                      if re.search(r"\bransomware\b", text_of(a), re.I)):
    if k == 40:
        break
    rows.append(dict(a, id="late-%d" % k, title="Late %d: %s" % (k, a["title"]),
                     body="Late copy %d. %s" % (k, a["body"][:400])))
with open(os.path.join(sys.argv[2], "late.jsonl"), "w") as f:
    for k, a in enumerate(rows):
        if k == 25:
            f.write("{broken\n")
        f.write(json.dumps(a) + "\n")
EOF
printf 'late\t=late =ransomware\n' >"$WORK/late.tsv"
run lw1 "$CYSEARCH" --db "$DB" --watch "$WORK/late.tsv" --state "$WORK/late.state"
check_status "late list: first run" 3
run job4 "$CYSEARCH_INDEX" --db "$DB" --strict --commit-every 10 "$WORK/late.jsonl"
check_status "job 4 stops at the broken line" 1
run lw2 "$CYSEARCH" --db "$DB" --watch "$WORK/late.tsv" --state "$WORK/late.state" \
  --format json
check_status "watch during the stopped run: new stories" 0
run job5 "$CYSEARCH_INDEX" --db "$DB" "$WORK/late.jsonl"
check_status "job 5 takes the rest (skipping the broken line)" 3
# Output that cannot be written (a full disk): the state stays as it was.
if [ -w /dev/full ]; then
  cp "$WORK/late.state" "$WORK/late.state.before"
  STATUS=0
  "$CYSEARCH" --db "$DB" --watch "$WORK/late.tsv" --state "$WORK/late.state" \
    >/dev/full 2>"$WORK/full.err" || STATUS=$?
  check_status "watch to a full disk: an error" 1
  check_file_contains "it says the state is left" "$WORK/full.err" \
    "the state is left as it was"
  check_eq "the state is unchanged" same \
    "$(cmp -s "$WORK/late.state" "$WORK/late.state.before" && echo same)"
fi
run lw3 "$CYSEARCH" --db "$DB" --watch "$WORK/late.tsv" --state "$WORK/late.state" \
  --format json
check_status "watch after job 5: new stories" 0
run lw4 "$CYSEARCH" --db "$DB" --watch "$WORK/late.tsv" --state "$WORK/late.state"
check_status "watch again: nothing new" 3
pycheck "$WORK/lw2.out" "$WORK/lw3.out" <<'EOF'
first = [json.loads(l)["id"] for l in open(sys.argv[1])]
second = [json.loads(l)["id"] for l in open(sys.argv[2])]
check_eq("the watch during the stopped run saw its 20 committed articles",
         ["late-%d" % k for k in range(20)], sorted(first, key=lambda i: int(i[5:])))
check_eq("the next watch reports only the 20 that came later",
         ["late-%d" % k for k in range(20, 40)],
         sorted(second, key=lambda i: int(i[5:])))
EOF

# ---- bad watch files and options ---------------------------------------------
printf 'ok\t=ransomware\nno tab here\n\tempty name\nok\tagain\nbad\tcountry:Chna\n' \
  >"$WORK/bad.tsv"
run bad "$CYSEARCH" --db "$DB" --watch "$WORK/bad.tsv"
check_status "bad lines: usage error" 2
check_file_contains "no tab: file:line" "$WORK/bad.err" "bad.tsv:2: no tab"
check_file_contains "empty name: file:line" "$WORK/bad.err" "bad.tsv:3:"
check_file_contains "name used twice: file:line" "$WORK/bad.err" \
  "bad.tsv:4: the name 'ok' is used on line 1"
check_eq "nothing printed for a bad list" "" "$(cat "$WORK/bad.out")"
check_eq "no state written for a bad list" no \
  "$(test -e "$WORK/bad.tsv.state" && echo yes || echo no)"
printf 'bad\tcountry:Chna\n' >"$WORK/badq.tsv"
run badq "$CYSEARCH" --db "$DB" --watch "$WORK/badq.tsv"
check_status "an unknown filter value: usage error" 2
check_file_contains "the bad saved search by file:line" "$WORK/badq.err" \
  "badq.tsv:1: saved search 'bad': unknown country 'Chna'"
run both "$CYSEARCH" --db "$DB" --watch "$WORK/watch.tsv" ransomware
check_status "--watch with a query: usage error" 2
run nowatch "$CYSEARCH" --db "$DB" --state "$WORK/x.state" ransomware
check_status "--state without --watch: usage error" 2
finish
