#!/bin/sh
# test_reindex.sh — re-indexing: an unchanged file rewrites nothing, a
# changed article is replaced (new text found, old text gone), and standard
# input and gzip input give the same index as the plain file.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

DB="$WORK/db"
lines=$(grep -c . "$SAMPLE")

# ---- the same file twice ------------------------------------------------------
run first "$CYSEARCH_INDEX" --db "$DB" "$SAMPLE"
check_status "first indexing" 0
check_eq "first run: every article added" "$lines" "$(summary_num "$WORK/first.err" added)"
check_eq "first run: index holds every article" "$lines" "$(summary_num "$WORK/first.err" holds)"

run second "$CYSEARCH_INDEX" --db "$DB" "$SAMPLE"
check_status "second indexing of the same file" 0
check_eq "second run: 0 added" 0 "$(summary_num "$WORK/second.err" added)"
check_eq "second run: 0 replaced" 0 "$(summary_num "$WORK/second.err" replaced)"
check_eq "second run: every article unchanged" "$lines" "$(summary_num "$WORK/second.err" unchanged)"
check_eq "second run: 32 unchanged" 32 "$(summary_num "$WORK/second.err" unchanged)"
check_eq "second run: index still holds the same count" "$lines" "$(summary_num "$WORK/second.err" holds)"

# ---- one article changed --------------------------------------------------------
# python picks an article and a word (6+ letters) found only in its body in
# the whole corpus, and writes a copy of the corpus where that body is
# replaced by new text with a word found nowhere else.
NEWWORD=quokkazanzibarite
pycheck "$SAMPLE" "$WORK/modified.jsonl" "$WORK/changed" "$NEWWORD" <<'EOF'
src, dst, info, newword = sys.argv[1:5]
lines = open(src, encoding="utf-8").read().splitlines()
arts = [json.loads(l) for l in lines]
words = lambda s: set(w.lower() for w in re.findall(r"[A-Za-z]+", s or ""))
chosen = None
for k, a in enumerate(arts):
    others = set()
    for b in arts[:k] + arts[k + 1:]:
        others |= words(text_of(b))
    unique = sorted(w for w in words(a.get("body")) - words(a.get("title"))
                    - others if len(w) >= 6)
    if unique:
        chosen = (k, a["id"], unique[0])
        break
check(chosen is not None, "found an article with a word of its own")
k, aid, oldword = chosen
check(newword not in open(src, encoding="utf-8").read().lower(),
      "the new word is not in the corpus")
arts[k]["body"] = ("This body was rewritten for the re-index test and now "
                   "mentions the %s only." % newword)
lines[k] = json.dumps(arts[k], ensure_ascii=False)
with open(dst, "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
with open(info, "w") as f:
    f.write("%s %s\n" % (aid, oldword))
EOF
if ! [ -s "$WORK/changed" ]; then
  fail "made a modified copy of the corpus"
  finish
fi
read -r CHANGED_ID OLDWORD <"$WORK/changed"

run before "$CYSEARCH" --db "$DB" --format trec "=$OLDWORD"
check_eq "before the change, =$OLDWORD finds $CHANGED_ID" "$CHANGED_ID" "$(awk '{print $3}' "$WORK/before.out")"

run third "$CYSEARCH_INDEX" --db "$DB" "$WORK/modified.jsonl"
check_status "indexing the modified copy" 0
check_eq "modified copy: 1 replaced" 1 "$(summary_num "$WORK/third.err" replaced)"
check_eq "modified copy: 0 added" 0 "$(summary_num "$WORK/third.err" added)"
check_eq "modified copy: the others unchanged" "$((lines - 1))" "$(summary_num "$WORK/third.err" unchanged)"
check_eq "modified copy: index holds the same count" "$lines" "$(summary_num "$WORK/third.err" holds)"

run new "$CYSEARCH" --db "$DB" --format json "$NEWWORD"
check_status "search for the new text" 0
run old "$CYSEARCH" --db "$DB" --format json "=$OLDWORD"
check_status "search for the old text" 0
run oldtext "$CYSEARCH" --db "$DB" "=$OLDWORD"
pycheck "$WORK/new.out" "$WORK/old.out" "$CHANGED_ID" "$NEWWORD" <<'EOF'
new, old = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
aid, newword = sys.argv[3], sys.argv[4]
check_eq("the new text finds the changed article, once",
         [aid], [h["id"] for h in new["hits"]])
check(new["hits"] and newword in new["hits"][0]["snippet"],
      "the snippet shows the new body", new["hits"][:1])
check_eq("the old text is gone", (0, []), (old["total"], old["hits"]))
EOF
check_file_contains "old text: 'No articles match'" "$WORK/oldtext.out" "No articles match"

# ---- standard input and gzip ------------------------------------------------------
# shellcheck disable=SC2016  # expanded by the inner sh
run stdin sh -c '"$1" --db "$2" - <"$3"' sh "$CYSEARCH_INDEX" "$WORK/db-stdin" "$SAMPLE"
check_status "indexing from standard input (-)" 0
check_eq "stdin: every article added" "$lines" "$(summary_num "$WORK/stdin.err" added)"
check_eq "stdin: index holds every article" "$lines" "$(summary_num "$WORK/stdin.err" holds)"

gzip -c "$SAMPLE" >"$WORK/sample.jsonl.gz"
run gz "$CYSEARCH_INDEX" --db "$WORK/db-gz" "$WORK/sample.jsonl.gz"
check_status "indexing a .jsonl.gz copy" 0
check_eq "gzip: every article added" "$lines" "$(summary_num "$WORK/gz.err" added)"
check_eq "gzip: index holds every article" "$lines" "$(summary_num "$WORK/gz.err" holds)"

# shellcheck disable=SC2016
run gzstdin sh -c '"$1" --db "$2" - <"$3"' sh "$CYSEARCH_INDEX" "$WORK/db-stdin" "$WORK/sample.jsonl.gz"
check_status "gzip data on standard input into the stdin index" 0
check_eq "gzip on stdin: all unchanged (same articles)" "$lines" "$(summary_num "$WORK/gzstdin.err" unchanged)"
check_eq "gzip on stdin: index holds every article" "$lines" "$(summary_num "$WORK/gzstdin.err" holds)"

# The three indexes built from the same articles answer queries alike.
run plaindb "$CYSEARCH_INDEX" --db "$WORK/db-plain" "$SAMPLE"
for d in plain stdin gz; do
  capture "$WORK/q-$d.json" "$CYSEARCH" --db "$WORK/db-$d" --format json --limit 100 'ransomware hospital "volt typhoon"'
done
pycheck "$WORK" <<'EOF'
w = sys.argv[1]
r = {d: json.load(open("%s/q-%s.json" % (w, d))) for d in ("plain", "stdin", "gz")}
check(r["plain"]["hits"], "the comparison query has hits")
check(r["plain"] == r["stdin"] == r["gz"],
      "file, stdin and gzip indexes give identical results")
EOF

finish
