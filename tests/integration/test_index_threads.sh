#!/bin/sh
# test_index_threads.sh — cysearch-index --threads N: the index does not
# depend on N.  The same input (the sample, a changed copy of one article,
# bad lines among good ones; a corpus of many segments with copies of
# articles across them; and the news corpus in ../shared when there)
# indexed with --threads 1 and --threads N must hold the same documents:
# the same docids, terms, positions, stored data, values and metadata
# (compared on compacted copies, so that how Xapian split its blocks does
# not matter), and give the same messages in the same order.  A new
# index is written on N threads (one included) in segments merged at the
# end (indexer/segments.h): a writer failing half-way, or a job killed,
# leaves the index as it was and no segment behind.  The reference is one
# writer (CYSEARCH_ONE_WRITER=1), the way an index that holds articles
# is updated.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"
# Runs record their time (index-format.md, "Runs"): fixed, so that indexes
# built apart can be compared byte for byte.
SOURCE_DATE_EPOCH=1764547200
export SOURCE_DATE_EPOCH

# The sample, then a replacement of its first article within the same run,
# then lines the indexer must skip, then one more good article.
IN="$WORK/mixed.jsonl"
cat "$SAMPLE" >"$IN"
pycheck "$SAMPLE" "$IN" <<'EOF'
src, dst = sys.argv[1:3]
arts = load_jsonl(src)
changed = dict(arts[0])
changed["body"] = (changed.get("body") or "") + " A later correction: the attackers were Lazarus."
extra = {"id": "threads-extra", "title": "CVE-2021-44228 in Log4j exploited by APT28",
         "date": "2021-12-10", "body": "Russia and China were named. CVE-2021-45046 too."}
with open(dst, "a", encoding="utf-8") as f:
    f.write(json.dumps(changed) + "\n")
    f.write("{not json\n")
    f.write(json.dumps({"id": "no-text"}) + "\n")
    f.write("[\"an array, not an object\"]\n")  # after a writer-side refusal
    f.write(json.dumps(extra) + "\n")
check(True, "mixed input written")
EOF

same_index() { # DESC DIR1 DIR2
  rm -rf "$WORK/cmp1" "$WORK/cmp2"
  xapian-compact "$2" "$WORK/cmp1" >/dev/null
  xapian-compact "$3" "$WORK/cmp2" >/dev/null
  differ=
  for t in docdata position termlist; do
    if [ -f "$WORK/cmp1/$t.glass" ] || [ -f "$WORK/cmp2/$t.glass" ]; then
      cmp -s "$WORK/cmp1/$t.glass" "$WORK/cmp2/$t.glass" || differ="$differ $t"
    fi
  done
  check_eq "$1: the same documents (terms, positions, data)" "" "$differ"
  xapian-delve -a -v -1 "$2" >"$WORK/a.terms" 2>&1 || true
  xapian-delve -a -v -1 "$3" >"$WORK/b.terms" 2>&1 || true
  (xapian-delve "$2" | grep -v 'UUID\|revision'; xapian-metadata list "$2") >"$WORK/a.meta" 2>&1 || true
  (xapian-delve "$3" | grep -v 'UUID\|revision'; xapian-metadata list "$3") >"$WORK/b.meta" 2>&1 || true
  for what in terms meta; do
    if cmp -s "$WORK/a.$what" "$WORK/b.$what"; then
      pass "$1: the same $what"
    else
      fail "$1: the same $what" "$(diff "$WORK/a.$what" "$WORK/b.$what" | head -n 6)"
    fi
  done
  for s in 0 1 2 3; do
    xapian-delve -1 -V$s "$2" >"$WORK/a.values" 2>&1 || true
    xapian-delve -1 -V$s "$3" >"$WORK/b.values" 2>&1 || true
    if cmp -s "$WORK/a.values" "$WORK/b.values"; then
      pass "$1: the same values in slot $s"
    else
      fail "$1: the same values in slot $s" "$(diff "$WORK/a.values" "$WORK/b.values" | head -n 6)"
    fi
  done
}

command -v xapian-delve >/dev/null 2>&1 ||
  skip "xapian-delve (xapian-tools) is needed to read the indexes"

run t1 env CYSEARCH_ONE_WRITER=1 "$CYSEARCH_INDEX" --db "$WORK/t1" --threads 1 "$IN"
check_status "--threads 1 (some lines skipped)" 3
run t4 "$CYSEARCH_INDEX" --db "$WORK/t4" --threads 4 "$IN"
check_status "--threads 4 (some lines skipped)" 3
same_index "mixed input, 1 and 4 threads" "$WORK/t1" "$WORK/t4"
# The messages, without the timing part of the summary.
sed 's/ in [0-9.]* s (.*MB\/s)//' "$WORK/t1.err" >"$WORK/t1.msgs"
sed 's/ in [0-9.]* s (.*MB\/s)//' "$WORK/t4.err" >"$WORK/t4.msgs"
check_eq "the same messages in the same order" "$(cat "$WORK/t1.msgs")" "$(cat "$WORK/t4.msgs")"
check_file_contains "the replacement within the run is counted" "$WORK/t4.err" "1 replaced"
check_file_contains "the segmented job is recorded as run 1 of the index" "$WORK/t4.err" "; run 1"
check_file_contains "a bad line is reported with its line number" "$WORK/t4.err" "mixed.jsonl:34"

# A second run over both: nothing is added; the article that is in the
# input twice (two versions) is replaced twice, the rest unchanged; and the
# two indexes are still the same.
run again1 "$CYSEARCH_INDEX" --db "$WORK/t1" --threads 1 "$IN"
run again "$CYSEARCH_INDEX" --db "$WORK/t4" --threads 3 "$IN"
check_eq "second run with threads: 0 added, 2 replaced, 32 unchanged" "0 2 32" \
  "$(summary_num "$WORK/again.err" added) $(summary_num "$WORK/again.err" replaced) $(summary_num "$WORK/again.err" unchanged)"
same_index "after a second run with 1 and 3 threads" "$WORK/t1" "$WORK/t4"

# --strict stops at the first problem whatever N.
run s1 env CYSEARCH_ONE_WRITER=1 "$CYSEARCH_INDEX" --db "$WORK/s1" --threads 1 --strict "$IN"
run s4 "$CYSEARCH_INDEX" --db "$WORK/s4" --threads 4 --strict "$IN"
check_eq "--strict: the same exit status" 1 "$STATUS"
check_eq "--strict: the same summary with 1 and 4 threads" \
  "$(grep -c . "$WORK/s1.err")" "$(grep -c . "$WORK/s4.err")"

run zero "$CYSEARCH_INDEX" --db "$WORK/z" --threads 0 "$IN"
check_status "--threads 0 is a usage error" 2

# Commits in the middle (every 7 articles) and 3 shards change nothing.
run c1 "$CYSEARCH_INDEX" --db "$WORK/c1" --threads 1 --commit-every 7 --shards 3 "$IN"
run c4 "$CYSEARCH_INDEX" --db "$WORK/c4" --threads 4 --commit-every 7 --shards 3 "$IN"
for s in 00 01 02; do
  same_index "3 shards, commit every 7, shard $s" "$WORK/c1/shard-$s" "$WORK/c4/shard-$s"
done

# ---- a new index written in segments ----------------------------------------
# 1,500 articles made from the sample (words shuffled, so each is its own
# document, and every 50th a copy of an earlier one: near-duplicates in
# other segments), then changed and unchanged copies of articles of the
# first segment, and a line the writer refuses.  --commit-every 400 on 2
# threads makes segments of 200 articles: 8 of them.
MANY="$WORK/many.jsonl"
pycheck "$SAMPLE" "$MANY" <<'EOF2'
import random
src, dst = sys.argv[1:3]
arts = load_jsonl(src)
rnd = random.Random(11)
out = []
for i in range(1500):
    a = dict(arts[i % len(arts)])
    if i % 50 == 49 and i >= 230:
        a = dict(out[i - 230])
        a["title"] = (a.get("title") or "") + " (republished)"
    else:
        words = (a.get("body") or "").split()
        rnd.shuffle(words)
        a["body"] = " ".join(words)
    a["id"] = "many-%d" % i
    out.append(a)
changed = dict(out[3]); changed["body"] = (changed.get("body") or "") + " Updated with a correction."
out += [changed, dict(out[7]), {"id": "many-empty"}, dict(out[5])]
with open(dst, "w", encoding="utf-8") as f:
    for a in out:
        f.write(json.dumps(a) + "\n")
check(True, "%d articles written" % len(out))
EOF2
run m1 env CYSEARCH_ONE_WRITER=1 "$CYSEARCH_INDEX" -v --db "$WORK/m1" --threads 1 \
  --commit-every 400 "$MANY"
check_status "many segments: one writer (one line skipped)" 3
check_file_not_contains "CYSEARCH_ONE_WRITER: a new index through one writer" \
  "$WORK/m1.err" "segment"
# One thread writes a new index in segments too (cheaper in CPU than one
# growing index, docs/performance.md): at most 250 articles each.
run m1s "$CYSEARCH_INDEX" -v --db "$WORK/m1s" --threads 1 --commit-every 400 "$MANY"
check_status "many segments: 1 thread (one line skipped)" 3
check_file_contains "1 thread on a new index writes in segments" "$WORK/m1s.err" \
  "writing on 1 thread, 250 articles per segment"
check_file_contains "and merges them" "$WORK/m1s.err" "6 segments merged"
same_index "one writer, and 1 thread in 6 segments" "$WORK/m1" "$WORK/m1s"
run m2 "$CYSEARCH_INDEX" -v --db "$WORK/m2" --threads 2 --commit-every 400 "$MANY"
check_status "many segments: 2 threads (one line skipped)" 3
check_file_contains "2 threads on a new index write in segments" "$WORK/m2.err" \
  "writing on 2 threads, 200 articles per segment"
check_file_contains "and merge them" "$WORK/m2.err" "8 segments merged"
same_index "one writer, and 2 threads in 8 segments" "$WORK/m1" "$WORK/m2"
check_eq "the later copies: 1 replaced, 2 unchanged, as with 1 thread" "1500 1 2" \
  "$(summary_num "$WORK/m2.err" added) $(summary_num "$WORK/m2.err" replaced) $(summary_num "$WORK/m2.err" unchanged)"
check_eq "the build directory is gone" "" "$(ls -d "$WORK"/m2.build-* 2>/dev/null || true)"
grep -v 'writing on\|segments merged\|reading as' "$WORK/m2.err" |
  sed 's/ in [0-9.]* s (.*MB\/s)//' >"$WORK/m2.msgs"
for m in m1 m1s; do
  grep -v 'writing on\|segments merged\|reading as' "$WORK/$m.err" |
    sed 's/ in [0-9.]* s (.*MB\/s)//' >"$WORK/$m.msgs"
done
check_eq "the same messages as with one writer" "$(cat "$WORK/m1.msgs")" "$(cat "$WORK/m2.msgs")"
check_eq "and with 1 thread in segments" "$(cat "$WORK/m1.msgs")" "$(cat "$WORK/m1s.msgs")"

# An index that holds articles is updated through one writer (replace by
# id, prune, delete need what it holds), with the same result.
run u1 "$CYSEARCH_INDEX" --db "$WORK/m1" --threads 1 --delete many-9 "$IN"
run u2 "$CYSEARCH_INDEX" -v --db "$WORK/m2" --threads 2 --delete many-9 "$IN"
check_status "an update with 2 threads (some lines skipped)" 3
check_file_not_contains "an index with articles is not written in segments" \
  "$WORK/u2.err" "segments"
same_index "updated with 1 and 2 threads" "$WORK/m1" "$WORK/m2"

# A writer that fails half-way (its disk full: a small tmpfs, which
# needs root) stops the job and leaves the new index as it was: empty,
# sound, and no segment left to fill the disk.
FULL="$WORK/full"
mkdir -p "$FULL"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=2m tmpfs "$FULL" 2>/dev/null; then
  run f "$CYSEARCH_INDEX" --db "$FULL/db" --threads 2 --commit-every 400 "$MANY"
  check_status "a writer that fails stops the job" 1
  check_file_contains "saying why" "$WORK/f.err" "space"
  check_eq "the index is left as it was: empty" 0 \
    "$(xapian-delve "$FULL/db" | sed -n 's/^number of documents = //p')"
  if xapian-check "$FULL/db" >"$WORK/f.check" 2>&1; then
    pass "and sound"
  else
    fail "and sound" "$(tail -n 3 "$WORK/f.check")"
  fi
  check_eq "no segment is left" "" "$(ls -d "$FULL"/db.build-* 2>/dev/null || true)"
  umount "$FULL"
else
  echo "note: not root or tmpfs not mountable here; the failing writer is not tried"
fi

# A new index in a directory where the job may not write (only the
# index's own directory is writable): no room for the segments, nor for
# the exchange, so one writer writes it, as before segments were used.
LOCKED="$WORK/locked"
mkdir -p "$LOCKED/db"
cp "$SAMPLE" "$WORK/locked.jsonl"
AS=
if [ "$(id -u)" -ne 0 ]; then
  chmod a-w "$LOCKED"
elif command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
  chmod 755 "$WORK" "$LOCKED"
  chmod 644 "$WORK/locked.jsonl"
  chown nobody "$LOCKED/db"
  AS="setpriv --reuid=$(id -u nobody) --regid=$(id -g nobody) --clear-groups"
else
  AS=none
fi
if [ "$AS" != none ]; then
  # shellcheck disable=SC2086  # AS is a command and its options
  run locked $AS "$CYSEARCH_INDEX" -v --db "$LOCKED/db" --threads 1 "$WORK/locked.jsonl"
  chmod u+w "$LOCKED"
  check_status "a new index whose parent directory is not writable" 0
  check_file_not_contains "is written through one writer" "$WORK/locked.err" "segment"
  check_eq "holding every article" 32 \
    "$(xapian-delve "$LOCKED/db" | sed -n 's/^number of documents = //p')"
else
  echo "note: root without setpriv: the read-only parent is not tried"
fi

if have_news; then
  run n1 env CYSEARCH_ONE_WRITER=1 "$CYSEARCH_INDEX" --db "$WORK/n1" --threads 1 "$NEWS"
  check_status "news corpus, one writer" 0
  run n4 "$CYSEARCH_INDEX" --db "$WORK/n4" --threads 4 "$NEWS"
  check_status "news corpus, 4 threads" 0
  same_index "news corpus, one writer and 4 threads" "$WORK/n1" "$WORK/n4"
else
  printf 'note: ../shared absent; the news corpus part is left out\n'
fi
finish
