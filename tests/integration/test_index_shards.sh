#!/bin/sh
# test_index_shards.sh — cysearch-index --shards N and --merge OUT: the same
# input built as 3 shards and as one index.  Checks the layout (shard-00..02
# and a XAPIANDB stub that xapian-delve opens as one database), that every
# article is in the shard FNV-1a(id) % 3 names, that ids and every value
# slot (collapse keys included) are the same as in the single index, that a
# second run changes nothing, that --merge gives one index with the same
# articles and values, and that --check, --delete, --compact, --stats-json
# work on the sharded index.  Uses the news corpus in ../shared when there,
# else the sample.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

command -v xapian-delve >/dev/null 2>&1 ||
  skip "xapian-delve (xapian-tools) is needed to read the indexes"

INPUT=$SAMPLE
if have_news; then
  INPUT=$NEWS
else
  printf 'note: ../shared absent; using the sample corpus\n'
fi
ONE="$WORK/one"
SH="$WORK/sharded"

run single "$CYSEARCH_INDEX" --db "$ONE" "$INPUT"
check_status "single index built" 0
run sharded "$CYSEARCH_INDEX" --db "$SH" --shards 3 --stats-json "$WORK/stats.json" "$INPUT"
check_status "3-shard index built" 0
n=$(summary_num "$WORK/single.err" holds)
check_eq "same article count" "$n" "$(summary_num "$WORK/sharded.err" holds)"
check_eq "every article added to a shard" "$n" "$(summary_num "$WORK/sharded.err" added)"
check_eq "stub lists the shards" "auto shard-00
auto shard-01
auto shard-02" "$(grep -v '^#' "$SH/XAPIANDB")"
for s in 00 01 02; do
  check_file_contains "shard-$s is a Xapian index" "$SH/shard-$s/iamglass" ""
done

# ---- what the indexes hold, read with xapian-delve ---------------------------
pycheck "$ONE" "$SH" "$n" "$WORK/stats.json" <<'EOF'
import subprocess
one, sharded, n, stats = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]

def delve(*args):
    return subprocess.run(["xapian-delve", "-1"] + list(args), check=True,
                          capture_output=True, encoding="utf-8",
                          errors="surrogateescape").stdout.splitlines()

def ids(db):
    return [t[1:] for t in delve("-A", "Q", db)[1:]]

def docids(db, idlist):
    out, term = {}, None
    for start in range(0, len(idlist), 200):
        args = []
        for i in idlist[start:start + 200]:
            args += ["-t", "Q" + i]
        for line in delve(*(args + [db])):
            m = re.match(r"Posting List for term 'Q(.*)' \(", line)
            if m:
                term = m.group(1)
            elif line.strip():
                out[term] = int(line)
    return out

def values(db):
    """id -> (value of slot 0, 1, 2, 3)"""
    by_doc = {}
    for slot in range(4):
        for line in delve("-V%d" % slot, db)[1:]:
            d, _, v = line.partition(":")
            by_doc.setdefault(int(d), [""] * 4)[slot] = v
    where = docids(db, ids(db))
    return {i: tuple(by_doc.get(d, [""] * 4)) for i, d in where.items()}

def fnv1a(s):
    h = 0xcbf29ce484222325
    for b in s.encode("utf-8"):
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h

single = values(one)
check_eq("single index: one id per article", n, len(single))
placed_right = True
seen = []
for s in range(3):
    for i in ids("%s/shard-%02d" % (sharded, s)):
        seen.append(i)
        if fnv1a(i) % 3 != s:
            placed_right = False
            check(False, "article %r is in the shard its hash names" % i)
check(placed_right, "every article is in shard FNV-1a(id) % 3")
check_eq("each article in exactly one shard", sorted(single), sorted(seen))
check(all(len(ids("%s/shard-%02d" % (sharded, s))) > 0 for s in range(3)),
      "no shard is empty")
through_stub = values(sharded)
check_eq("the stub opens all shards as one: same ids", sorted(single),
         sorted(through_stub))
diff = [i for i in single if single[i] != through_stub.get(i)]
check(not diff, "same date, hash, collapse key and facet values for every "
      "article as in the single index",
      "\n".join("%s: %r vs %r" % (i, single[i], through_stub.get(i))
                for i in diff[:10]))
keys = [v[2] for v in single.values()]
check(len(set(keys)) < len(keys),
      "some articles share a collapse key (near-duplicates found)")
st = json.load(open(stats))
check_eq("--stats-json counts the added articles", n, st["added"])
check(st["index_bytes"] > 0, "--stats-json counts the shards' bytes")
EOF

# ---- --commit-every counts articles, whatever the shards ------------------------
# Larger batches per shard in one job measured slower (docs/operations.md, "Batch
# size per shard"), so a 3-shard job commits every N articles, as one index does
# written by one writer (CYSEARCH_ONE_WRITER: else a new index is written in
# segments, committed once when they are merged).
run batch_one env CYSEARCH_ONE_WRITER=1 "$CYSEARCH_INDEX" --db "$WORK/batch_one" \
  --commit-every 4 --threads 1 --stats-json "$WORK/batch_one.json" "$SAMPLE"
run batch_three "$CYSEARCH_INDEX" --db "$WORK/batch_three" --shards 3 \
  --commit-every 4 --stats-json "$WORK/batch_three.json" "$SAMPLE"
pycheck "$WORK/batch_one.json" "$WORK/batch_three.json" <<'EOF'
one, three = (json.load(open(p)) for p in sys.argv[1:3])
n = one["added"]
check(n > 8, "the sample has more articles than two batches")
check_eq("one index: a commit every 4 articles, and the last",
         n // 4 + 1, one["commits"])
check_eq("3 shards: a commit every 4 articles, and the last",
         n // 4 + 1, three["commits"])
EOF

# ---- later runs ----------------------------------------------------------------
run again "$CYSEARCH_INDEX" --db "$SH" "$INPUT"
check_status "second run without --shards" 0
check_eq "second run: 0 added" 0 "$(summary_num "$WORK/again.err" added)"
check_eq "second run: 0 replaced" 0 "$(summary_num "$WORK/again.err" replaced)"
check_eq "second run: every article unchanged" "$n" "$(summary_num "$WORK/again.err" unchanged)"

run other_n "$CYSEARCH_INDEX" --db "$SH" --shards 2 "$INPUT"
check_status "another shard count is refused" 1
check_file_contains "the refusal says how to re-shard" "$WORK/other_n.err" "has 3 shards, not 2"
check_file_contains "the refusal names --merge" "$WORK/other_n.err" "--merge"
run split_plain "$CYSEARCH_INDEX" --db "$ONE" --shards 3 "$INPUT"
check_status "a single index is not split in place" 1

run check "$CYSEARCH_INDEX" --check --db "$SH"
check_status "--check on the sharded index" 0
check_eq "--check checks each shard" 3 "$(grep -c "is sound" "$WORK/check.out")"

# ---- --merge -------------------------------------------------------------------
run merge "$CYSEARCH_INDEX" --db "$SH" --merge "$WORK/merged"
check_status "--merge" 0
run merge_again "$CYSEARCH_INDEX" --db "$SH" --merge "$WORK/merged"
check_status "--merge into a non-empty directory is refused" 1
run more "$CYSEARCH_INDEX" --db "$WORK/merged" "$INPUT"
check_status "the merged index is an ordinary cysearch index" 0
check_eq "merged index: every article unchanged" "$n" "$(summary_num "$WORK/more.err" unchanged)"

# ---- --delete and --compact on the shards --------------------------------------
first_id=$(xapian-delve -1 -A Q "$ONE" | sed -n '2s/^Q//p')
run delete "$CYSEARCH_INDEX" --db "$SH" --delete "$first_id" --compact
check_status "--delete and --compact on the sharded index" 0
check_eq "one article fewer" "$((n - 1))" "$(summary_num "$WORK/delete.err" holds)"
run after "$CYSEARCH_INDEX" --db "$SH" "$INPUT"
check_eq "after --compact: the deleted article comes back, the rest unchanged" \
  "1 $((n - 1))" "$(summary_num "$WORK/after.err" added) $(summary_num "$WORK/after.err" unchanged)"

pycheck "$ONE" "$SH" "$WORK/merged" <<'EOF'
import subprocess
def delve(*args):
    return subprocess.run(["xapian-delve", "-1"] + list(args), check=True,
                          capture_output=True, encoding="utf-8",
                          errors="surrogateescape").stdout.splitlines()
def id_keys(db):
    """(id, collapse key) pairs, from each document's termlist and slot 2"""
    keys = {}
    for line in delve("-V2", db)[1:]:
        d, _, v = line.partition(":")
        keys[int(d)] = v
    out = set()
    docs = sorted(keys)
    for start in range(0, len(docs), 200):
        args = []
        for d in docs[start:start + 200]:
            args += ["-r", str(d)]
        doc = None
        for line in delve(*(args + [db])):
            m = re.match(r"Term List for record #(\d+)", line)
            if m:
                doc = int(m.group(1))
            elif line.startswith("Q"):
                out.add((line[1:], keys[doc]))
    return out
one, sharded, merged = (id_keys(p) for p in sys.argv[1:4])
check_eq("--merge output: the same ids and collapse keys as the single index",
         sorted(one), sorted(merged))
check_eq("after delete, compact and re-add: the same ids and keys",
         sorted(one), sorted(sharded))
EOF
finish
