#!/bin/sh
# test_shard_parallel.sh — cysearch-index --shard K and --relink (issue #8):
# the news corpus built as 3 shards by three --shard K --shards 3 jobs
# started at the same time, against one --shards 3 job.  Checks that each
# shard holds exactly the ids of the same shard of the one-job index, that
# a story the one-job index collapses across two shards is split before
# --relink and joined after it, that relinking both indexes gives the same
# keys, that a second --relink changes nothing, that xapian-check passes on
# every shard, and the errors for a wrong K, a mismatched N and --shard on
# a plain index.  Needs ../shared (the news corpus) and xapian-tools.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

need_news
command -v xapian-delve >/dev/null 2>&1 && command -v xapian-check >/dev/null 2>&1 ||
  skip "xapian-delve and xapian-check (xapian-tools) are needed"

ONE="$WORK/one"
PAR="$WORK/par"

run one "$CYSEARCH_INDEX" --db "$ONE" --shards 3 "$NEWS"
check_status "one job builds the 3 shards" 0
n=$(summary_num "$WORK/one.err" holds)

# ---- three jobs, one per shard, started at once --------------------------------
for k in 0 1 2; do
  "$CYSEARCH_INDEX" --db "$PAR" --shard "$k" --shards 3 --threads 1 \
    --stats-json "$WORK/par$k.json" "$NEWS" </dev/null \
    >"$WORK/par$k.out" 2>"$WORK/par$k.err" &
  eval "pid$k=\$!"
done
for k in 0 1 2; do
  eval "pid=\$pid$k"
  if wait "$pid"; then STATUS=0; else STATUS=$?; fi
  check_status "the job of shard $k, run beside the others" 0
done
check_eq "the stub lists the 3 shards" "auto shard-00
auto shard-01
auto shard-02" "$(grep -v '^#' "$PAR/XAPIANDB")"
check_eq "no temporary stub left behind" "" \
  "$(find "$PAR" -maxdepth 1 -name 'XAPIANDB.tmp*')"
for k in 0 1 2; do
  check_file_contains "job $k says how many articles it left to the others" \
    "$WORK/par$k.err" "articles left to the other shards' jobs; shard $k holds"
  if xapian-check "$PAR/shard-0$k" >"$WORK/xcheck$k.out" 2>&1; then
    pass "xapian-check passes on shard $k"
  else
    fail "xapian-check passes on shard $k" "$(tail -n 5 "$WORK/xcheck$k.out")"
  fi
done

# ---- what the shards hold, read with xapian-delve ----------------------------
# keys.py DB: "docid id key" lines for every article of DB, by docid.
cat >"$WORK/keys.py" <<'PY'
import re, subprocess, sys
def delve(*args):
    return subprocess.run(["xapian-delve", "-1"] + list(args), check=True,
                          capture_output=True, encoding="utf-8",
                          errors="surrogateescape").stdout.splitlines()
db = sys.argv[1]
keys = {}
for line in delve("-V2", db)[1:]:
    d, _, v = line.partition(":")
    keys[int(d)] = v
docs = sorted(keys)
for start in range(0, len(docs), 300):
    args, doc = [], None
    for d in docs[start:start + 300]:
        args += ["-r", str(d)]
    for line in delve(*(args + [db])):
        m = re.match(r"Term List for record #(\d+)", line)
        if m:
            doc = int(m.group(1))
        elif line.startswith("Q"):
            print(doc, line[1:], keys[doc])
PY
python3 "$WORK/keys.py" "$ONE" >"$WORK/one.keys"
python3 "$WORK/keys.py" "$PAR" >"$WORK/par.keys"

pycheck "$ONE" "$PAR" "$n" "$WORK/one.keys" "$WORK/par.keys" "$WORK" <<'PY'
import subprocess
one, par, n, one_keys, par_keys, work = sys.argv[1:7]
def ids(db):
    return sorted(subprocess.run(["xapian-delve", "-1", "-A", "Q", db],
                                 check=True, capture_output=True,
                                 encoding="utf-8", errors="surrogateescape")
                  .stdout.splitlines()[1:])
for k in range(3):
    a, b = ids("%s/shard-%02d" % (one, k)), ids("%s/shard-%02d" % (par, k))
    check(a == b and len(a) > 0,
          "shard %d holds exactly the ids of shard %d of the one-job index "
          "(%d)" % (k, k, len(a)),
          "only in one-job: %r\nonly in --shard: %r"
          % (sorted(set(a) - set(b))[:5], sorted(set(b) - set(a))[:5]))
    st = json.load(open("%s/par%d.json" % (work, k)))
    check_eq("--stats-json of job %d: added + other shards = all" % k,
             int(n), st["added"] + st["other_shards"])
def read(path):
    out = {}
    for line in open(path, encoding="utf-8", errors="surrogateescape"):
        d, i, key = line.split()
        out[i] = (int(d), key)
    return out
o, p = read(one_keys), read(par_keys)
check_eq("the same ids in both indexes", sorted(o), sorted(p))
# A story the one-job index collapses across two shards: docid d of the
# union lives in shard (d - 1) % 3.
by_key = {}
for i, (d, key) in o.items():
    by_key.setdefault(key, []).append(i)
split = None
for key, members in sorted(by_key.items()):
    if len({(o[i][0] - 1) % 3 for i in members}) > 1:
        split = sorted(members)
        break
check(split is not None,
      "the one-job index collapses some story across two shards")
if split:
    open("%s/story" % work, "w").write("\n".join(split) + "\n")
    print("note: story across shards: %s" % " ".join(split))
    check(len({p[i][1] for i in split}) > 1,
          "before --relink the shards built apart keep it split")
PY

# ---- --relink --------------------------------------------------------------------
run relink "$CYSEARCH_INDEX" --db "$PAR" --relink --stats-json "$WORK/relink.json"
check_status "--relink over the 3 shards" 0
check_file_contains "--relink reports the keys it changed" "$WORK/relink.err" \
  "collapse keys changed"
changed=$(sed -n 's/.* \([0-9][0-9]*\) collapse keys changed.*/\1/p' "$WORK/relink.err")
run relink2 "$CYSEARCH_INDEX" --db "$PAR" --relink --stats-json "$WORK/relink2.json"
check_status "a second --relink" 0
check_file_contains "a second --relink changes nothing" "$WORK/relink2.err" \
  " 0 collapse keys changed"
run relink_one "$CYSEARCH_INDEX" --db "$ONE" --relink
check_status "--relink on the one-job index" 0
printf 'note: --relink changed %s keys of the shards built apart; on the one-job index: %s\n' \
  "$changed" "$(sed -n 's/.* \([0-9][0-9]*\) collapse keys changed.*/\1/p' "$WORK/relink_one.err")"
for k in 0 1 2; do
  if xapian-check "$PAR/shard-0$k" >"$WORK/xcheck$k.out" 2>&1; then
    pass "xapian-check passes on shard $k after --relink"
  else
    fail "xapian-check passes on shard $k after --relink" "$(tail -n 5 "$WORK/xcheck$k.out")"
  fi
done
python3 "$WORK/keys.py" "$PAR" >"$WORK/par.keys"
python3 "$WORK/keys.py" "$ONE" >"$WORK/one.keys"
pycheck "$WORK/one.keys" "$WORK/par.keys" "$WORK/story" "$WORK/relink.json" \
  "$WORK/relink2.json" "$changed" <<'PY'
import subprocess
def read(path):
    out = {}
    for line in open(path, encoding="utf-8", errors="surrogateescape"):
        d, i, key = line.split()
        out[i] = (int(d), key)
    return out
o, p = read(sys.argv[1]), read(sys.argv[2])
story = open(sys.argv[3]).read().split()
check(len({p[i][1] for i in story}) == 1,
      "after --relink the story's copies in two shards share one key",
      "\n".join("%s %r" % (i, p[i]) for i in story))
diff = [i for i in o if o[i][1] != p[i][1]]
check(not diff, "after --relink of both, the shards built apart have the "
      "keys of the relinked one-job index",
      "\n".join("%s: %r vs %r" % (i, o[i], p[i]) for i in diff[:10]))
r1, r2 = json.load(open(sys.argv[4])), json.load(open(sys.argv[5]))
check_eq("--stats-json counts the keys changed", int(sys.argv[6]),
         r1["keys_changed"])
check_eq("--stats-json: every article examined", len(p), r1["relinked"])
check_eq("--stats-json of the second --relink: 0 keys changed", 0,
         r2["keys_changed"])
PY

# ---- errors ------------------------------------------------------------------------
run wrong_k "$CYSEARCH_INDEX" --db "$WORK/new" --shard 3 --shards 3 "$NEWS"
check_status "--shard 3 of --shards 3 is a usage error" 2
check_file_contains "it says how shards are numbered" "$WORK/wrong_k.err" "numbered"
run past_end "$CYSEARCH_INDEX" --db "$PAR" --shard 5 "$NEWS"
check_status "--shard past the stub's shards" 1
check_file_contains "it names the shards there are" "$WORK/past_end.err" \
  "has 3 shards, numbered 0 to 2"
run other_n "$CYSEARCH_INDEX" --db "$PAR" --shard 0 --shards 2 "$NEWS"
check_status "--shards other than the stub's" 1
check_file_contains "it says what is wrong" "$WORK/other_n.err" "has 3 shards, not 2"
check_file_contains "and what to do" "$WORK/other_n.err" \
  "; leave out --shards, or give each job the same --shards N"
run no_n "$CYSEARCH_INDEX" --db "$WORK/new" --shard 0 "$NEWS"
check_status "--shard on a new index without --shards" 1
check_file_contains "it asks for --shards N" "$WORK/no_n.err" "give --shards N"
"$CYSEARCH_INDEX" -q --db "$WORK/plain" "$CYSEARCH_SOURCE_DIR/corpus/sample.jsonl" \
  </dev/null >/dev/null 2>&1 || true
run plain "$CYSEARCH_INDEX" --db "$WORK/plain" --shard 0 "$NEWS"
check_status "--shard on a plain index" 1
check_file_contains "it says the index is not sharded" "$WORK/plain.err" \
  "is a single index, not a sharded one"
run relink_shard "$CYSEARCH_INDEX" --db "$PAR" --shard 0 --relink
check_status "--relink with --shard" 2
check_file_contains "it says --relink needs every shard" "$WORK/relink_shard.err" \
  "need every shard"
# A machine that holds only its own shard: --shard works there, the whole
# index (a --relink) is refused rather than made with empty shards.
mkdir "$WORK/alone"
cp "$PAR/XAPIANDB" "$WORK/alone/"
cp -R "$PAR/shard-01" "$WORK/alone/"
run alone "$CYSEARCH_INDEX" --db "$WORK/alone" --shard 1 "$NEWS"
check_status "--shard 1 where only shard 1 is" 0
check_eq "--shard 1 there: every article of shard 1 unchanged" \
  "$(sed -n 's/.*; shard 1 holds \([0-9]*\) articles;.*/\1/p' "$WORK/par1.err")" \
  "$(summary_num "$WORK/alone.err" unchanged)"
run alone_relink "$CYSEARCH_INDEX" --db "$WORK/alone" --relink
check_status "--relink where shards are missing" 1
check_file_contains "it names the missing shard and what to do" \
  "$WORK/alone_relink.err" "shard-00' is not there: copy it here"
check_eq "no empty shard was made" "" "$(find "$WORK/alone" -maxdepth 1 -name shard-00)"

run check1 "$CYSEARCH_INDEX" --db "$PAR" --shard 1 --check
check_status "--check --shard 1" 0
check_eq "--check --shard 1 checks that shard alone" 1 \
  "$(grep -c "is sound" "$WORK/check1.out")"
check_file_contains "--check --shard 1 names shard-01" "$WORK/check1.out" "shard-01"
finish
