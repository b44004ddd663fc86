#!/bin/sh
# test_index_maint.sh — cysearch-index --compact and --check.
#
# --compact: the same articles and terms afterwards, a sound index, no
# stray directory inside or beside it, whatever the spelling of --db (a
# trailing slash, "dir/.", a symbolic link, which stays one), the index's
# permissions kept, every shard of a sharded index (or only --shard K);
# while it compacts, the job keeps the write lock, so a second writer is
# refused at once (made observable by delaying the swap with strace; skipped
# without strace); and an interrupted job does not compact.
# --check: a damaged index (a truncated table, broken blocks, a broken
# termlist that can crash Xapian's checker) is "damaged", a directory with
# other files "could not be checked: WHY" (exit 1 for all of them); a missing
# or empty directory is a mistyped --db (exit 2).
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

command -v xapian-delve >/dev/null 2>&1 || skip "xapian-delve (xapian-tools) not installed"

terms() { xapian-delve -1 -a "$1" 2>/dev/null | LC_ALL=C sort; }
doccount() { xapian-delve "$1" 2>/dev/null | sed -n 's/^number of documents = //p'; }
inode() { stat -c %i "$1"; }
# Directories inside an index (Xapian's files are all plain files).
subdirs() { find "$1" -mindepth 1 -type d | sed "s|^$1/||"; }
# What a directory holds, one name a line, sorted.
names() {
  find "$1" -mindepth 1 -maxdepth 1 | sed "s|^$1/||" | LC_ALL=C sort |
    tr '\n' ' ' | sed 's/ $//'
}
# Does process $1 have file $2 open?
has_open() {
  for _fd in /proc/"$1"/fd/*; do
    [ "$(readlink "$_fd" 2>/dev/null)" = "$2" ] && return 0
  done
  return 1
}

# Five articles not in the sample, for jobs that write something.
EXTRA="$WORK/extra.jsonl"
head -n 5 "$SAMPLE" | sed 's/"id": "sample-/"id": "extra-/' > "$EXTRA"
OTHER="$WORK/other.jsonl"
sed -n 6,8p "$SAMPLE" | sed 's/"id": "sample-/"id": "other-/' > "$OTHER"

# ---- --compact, whatever the spelling of --db ------------------------------
mkdir "$WORK/plain"
DB="$WORK/plain/db"
run build "$CYSEARCH_INDEX" --db "$DB" --quiet "$SAMPLE"
check_status "indexing the sample" 0
terms "$DB" > "$WORK/terms.before"
ino=$(inode "$DB")

run compact_slash "$CYSEARCH_INDEX" --db "$DB/" --compact
check_status "--compact with --db DIR/ (a trailing slash)" 0
check_file_not_contains "without an error" "$WORK/compact_slash.err" "cannot"
check_eq "it leaves no directory inside the index" "" "$(subdirs "$DB")"
check_eq "nor beside it" "db" "$(names "$WORK/plain")"
if [ "$(inode "$DB")" != "$ino" ]; then
  pass "the index was swapped for its compacted copy"
else
  fail "the index was swapped for its compacted copy" "same directory inode $ino"
fi
terms "$DB" > "$WORK/terms.after"
if cmp -s "$WORK/terms.before" "$WORK/terms.after"; then
  pass "the compacted index has the same terms"
else
  fail "the compacted index has the same terms" "$(diff "$WORK/terms.before" "$WORK/terms.after" | head -n 10)"
fi
check_eq "and the same articles" 32 "$(doccount "$DB")"
run check_compacted "$CYSEARCH_INDEX" --check --db "$DB"
check_status "the compacted index passes --check" 0
check_file_contains "which says it is sound" "$WORK/check_compacted.out" "is sound"

chmod 750 "$DB"
run compact_dot "$CYSEARCH_INDEX" --db "$DB/." --compact --quiet "$EXTRA"
check_status "--compact with --db DIR/. after adding articles" 0
check_eq "it leaves nothing inside or beside the index" "db|" "$(names "$WORK/plain")|$(subdirs "$DB")"
check_eq "the index has the added articles" 37 "$(doccount "$DB")"
check_eq "and keeps its permissions" 750 "$(stat -c %a "$DB")"

ln -s db "$WORK/plain/link"
run compact_link "$CYSEARCH_INDEX" --db "$WORK/plain/link/" --compact --quiet
check_status "--compact through a symbolic link to the index" 0
if [ -L "$WORK/plain/link" ] && [ "$(readlink "$WORK/plain/link")" = db ]; then
  pass "the link is still a link to the index"
else
  fail "the link is still a link to the index" "$(ls -l "$WORK/plain")"
fi
check_eq "nothing is left beside the index" "db link" "$(names "$WORK/plain")"
check_eq "the index still has every article" 37 "$(doccount "$DB")"

# ---- a sharded index ------------------------------------------------------------
SH="$WORK/sharded"
run shards "$CYSEARCH_INDEX" --db "$SH" --shards 3 --quiet "$SAMPLE"
check_status "indexing into 3 shards" 0
ino0=$(inode "$SH/shard-00")
ino1=$(inode "$SH/shard-01")
run compact_shard "$CYSEARCH_INDEX" --db "$SH/" --shard 1 --compact
check_status "--compact --shard 1" 0
check_eq "compacts only that shard" "$ino0 changed" \
  "$(inode "$SH/shard-00") $([ "$(inode "$SH/shard-01")" != "$ino1" ] && echo changed || echo same)"
run compact_shards "$CYSEARCH_INDEX" --db "$SH/" --compact
check_status "--compact of the sharded index" 0
check_eq "it leaves nothing beside the shards" "XAPIANDB shard-00 shard-01 shard-02" "$(names "$SH")"
check_eq "nor inside them" "" "$(find "$SH" -mindepth 2 -type d)"
check_eq "the shards hold every article" 32 "$(doccount "$SH")"
run check_shards "$CYSEARCH_INDEX" --check --db "$SH"
check_status "every compacted shard passes --check" 0

# ---- a second writer while the job compacts ---------------------------------------
# strace delays the swap (renameat2) by 5 s: the job has compacted the
# index into DB.compact-PID and still holds the write lock.
if ! command -v strace >/dev/null 2>&1 ||
   ! strace -f -o /dev/null -e trace=renameat2 \
       -e inject=renameat2:delay_enter=1000 true >/dev/null 2>&1; then
  pass "SKIPPED the second writer during --compact: strace (with inject) unavailable"
else
  mkdir "$WORK/busy"
  BUSY="$WORK/busy/db"
  run busy_build "$CYSEARCH_INDEX" --db "$BUSY" --quiet "$SAMPLE"
  # LeakSanitizer cannot run under ptrace: off for this one run (a no-op
  # in builds without sanitizers).
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
  strace -f -o "$WORK/busy.strace" -e trace=renameat2 \
    -e inject=renameat2:delay_enter=5000000 \
    "$CYSEARCH_INDEX" --db "$BUSY" --compact --quiet "$EXTRA" \
    </dev/null >"$WORK/busy.out" 2>"$WORK/busy.err" &
  job=$!
  seen=0
  i=0
  while [ $i -lt 600 ] && kill -0 "$job" 2>/dev/null; do
    if ls -d "$BUSY".compact-* >/dev/null 2>&1; then
      seen=1
      break
    fi
    sleep 0.1
    i=$((i + 1))
  done
  if [ $seen -eq 1 ]; then
    pass "the compacting job was caught before its swap"
    run busy_second timeout 10 "$CYSEARCH_INDEX" --db "$BUSY" --quiet "$OTHER"
    check_status "a second writer during the compaction fails at once" 1
    check_file_contains "saying the index is locked" "$WORK/busy_second.err" "lock"
    run busy_search "$CYSEARCH" --db "$BUSY" --format json --limit 0 ransomware
    check_status "searching during the compaction works" 0
  else
    fail "the compacting job was caught before its swap (holding the lock)" \
      "$(cat "$WORK/busy.err")"
  fi
  if wait "$job"; then STATUS=0; else STATUS=$?; fi
  check_status "the compacting job succeeds" 0
  check_eq "the index has the job's articles, none of the refused writer's" 37 "$(doccount "$BUSY")"
  check_eq "nothing is left beside it" "db" "$(names "$WORK/busy")"
  run busy_check "$CYSEARCH_INDEX" --check --db "$BUSY"
  check_status "and it passes --check" 0
fi

# ---- an interrupted job does not compact ----------------------------------------
# The job reads a FIFO that this script holds open: once the job has opened
# it (it then has its SIGINT handler) it waits for input, and is
# interrupted there.
mkdir "$WORK/intr"
INTR="$WORK/intr/db"
run intr_build "$CYSEARCH_INDEX" --db "$INTR" --quiet "$SAMPLE"
ino=$(inode "$INTR")
FIFO="$WORK/intr/in.jsonl"
mkfifo "$FIFO"
exec 3<>"$FIFO"
"$CYSEARCH_INDEX" --db "$INTR" --compact --threads 1 "$FIFO" \
  </dev/null >"$WORK/intr.out" 2>"$WORK/intr.err" 3>&- &
job=$!
i=0
while [ $i -lt 200 ] && kill -0 "$job" 2>/dev/null &&
      ! has_open "$job" "$FIFO"; do
  sleep 0.05
  i=$((i + 1))
done
sleep 0.2
kill -INT "$job" 2>/dev/null || true
sleep 0.2
exec 3>&-
if wait "$job"; then STATUS=0; else STATUS=$?; fi
check_status "an interrupted job with --compact stops" 1
check_file_contains "saying it was interrupted" "$WORK/intr.err" "interrupted"
check_eq "and does not compact the index" "$ino" "$(inode "$INTR")"
check_eq "nothing is left beside it" "db in.jsonl" "$(names "$WORK/intr")"
check_eq "the index keeps its articles" 32 "$(doccount "$INTR")"

# ---- --check -----------------------------------------------------------------------
FRESH="$WORK/fresh"
run fresh "$CYSEARCH_INDEX" --db "$FRESH" --quiet "$SAMPLE"
damage() {  # damage COPY TABLE HOW: a copy of FRESH
  rm -rf "$1"
  cp -r "$FRESH" "$1"
  python3 - "$1/$2.glass" "$3" <<'PY'
import random, sys
path, how = sys.argv[1], sys.argv[2]
data = bytearray(open(path, "rb").read())
if how == "truncate":
    data = data[:len(data) // 2]
else:  # flip: 200 bytes inverted; fewN: 50 bytes changed, seed N
    seed, count, mask = ((3, 200, 0xFF) if how == "flip"
                         else (int(how[3:]), 50, 0x55))
    rnd = random.Random(seed)
    for _ in range(count):
        i = rnd.randrange(len(data))
        data[i] ^= mask
open(path, "wb").write(bytes(data))
PY
}
# (About half of the termlist:fewN damages make Xapian 1.4.22's checker
# read past a buffer and crash: --check runs it in a child process.)
for case in postlist:truncate postlist:flip termlist:flip termlist:few1 \
            termlist:few2 termlist:few3 termlist:few4 termlist:few5 \
            termlist:few6 termlist:few7 termlist:few8; do
  table=${case%%:*}
  how=${case#*:}
  damage "$WORK/damaged" "$table" "$how"
  run check_damaged "$CYSEARCH_INDEX" --check --db "$WORK/damaged"
  check_status "--check on a $table table damaged ($how)" 1
  check_file_contains "says it is damaged" "$WORK/check_damaged.err" "is damaged"
  check_file_not_contains "not that it could not be checked" "$WORK/check_damaged.err" "could not be checked"
done

run check_missing "$CYSEARCH_INDEX" --check --db "$WORK/no-such-index"
check_status "--check on a missing index: a usage error, like --compact's" 2
check_file_contains "says there is no index there" "$WORK/check_missing.err" \
  "cysearch-index: --check: there is no index at '$WORK/no-such-index': check --db"
check_file_not_contains "not that it is damaged" "$WORK/check_missing.err" "damaged"
mkdir "$WORK/empty"
run check_empty "$CYSEARCH_INDEX" --check --db "$WORK/empty"
check_status "--check on an empty directory" 2
check_file_contains "says there is no index there" "$WORK/check_empty.err" "there is no index at"
# A directory with files but no index in them is not a mistyped --db:
# Xapian is asked, and says why it cannot check it.
mkdir "$WORK/not-an-index"
echo text >"$WORK/not-an-index/notes.txt"
run check_other "$CYSEARCH_INDEX" --check --db "$WORK/not-an-index"
check_status "--check on a directory holding no index" 1
check_file_contains "says it could not be checked, and why" "$WORK/check_other.err" "could not be checked: "
check_file_not_contains "not that it is damaged" "$WORK/check_other.err" "damaged"

finish
