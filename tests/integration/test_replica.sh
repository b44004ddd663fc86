#!/bin/sh
# test_replica.sh — a read replica kept by Xapian's own replication
# (xapian-replicate-server on the master, xapian-replicate on the replica,
# over 127.0.0.1): the replica answers every query exactly as the master
# does, first after a full copy, then after the master indexed more
# articles and the replica caught up (from changesets: the master is
# written with XAPIAN_MAX_CHANGESETS set, as docs/operations.md says to).  The
# replica is a directory with a stub file XAPIANDB naming its current
# copy, which cysearch opens like any index.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

for tool in xapian-replicate xapian-replicate-server; do
  command -v "$tool" >/dev/null 2>&1 ||
    skip "$tool not installed (Debian package xapian-tools)"
done
command -v timeout >/dev/null 2>&1 || skip "timeout (coreutils) is needed"
# Xapian's servers answer SIGTERM by signalling their whole process group,
# so each runs in a session of its own (setsid), away from this script.
command -v setsid >/dev/null 2>&1 || skip "setsid (util-linux) is needed"

SERVER=""
stop_server() {
  if [ -n "$SERVER" ]; then
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
  fi
  SERVER=""
}
trap 'stop_server; rm -rf "$WORK"' EXIT

MASTER="$WORK/masters/news"
REPLICA="$WORK/replica"
mkdir "$WORK/masters"
head -n 20 "$SAMPLE" >"$WORK/first.jsonl"
tail -n +21 "$SAMPLE" >"$WORK/rest.jsonl"

run index1 env XAPIAN_MAX_CHANGESETS=10 "$CYSEARCH_INDEX" -q --db "$MASTER" "$WORK/first.jsonl"
check_status "index the first 20 sample articles on the master" 0

# The replication server, on a free loopback port (three tries: another
# process may take the port between looking and binding).
started=0
for _ in 1 2 3; do
  PORT=$(free_port)
  setsid xapian-replicate-server --interface 127.0.0.1 --port "$PORT" "$WORK/masters" \
    </dev/null >"$WORK/server.log" 2>&1 &
  SERVER=$!
  if wait_for_port "$PORT" "$SERVER"; then
    started=1
    break
  fi
  stop_server
done
if [ $started -ne 1 ]; then
  fail "xapian-replicate-server starts" "$(cat "$WORK/server.log")"
  finish
fi
pass "xapian-replicate-server serves $WORK/masters on 127.0.0.1:$PORT"

# replicate NAME: one pass of the client, bounded by a hang guard.
replicate() {
  run "$1" timeout 60 xapian-replicate --one-shot --timeout 10 \
    --host 127.0.0.1 --port "$PORT" --master news "$REPLICA"
  check_status "xapian-replicate ($1)" 0
}

# same DESC: the queries give the same JSON on master and replica.
same() {
  : >"$WORK/master.jsonl"
  : >"$WORK/replica.jsonl"
  while IFS= read -r q; do
    for side in master replica; do
      db=$MASTER
      [ $side = replica ] && db=$REPLICA
      # shellcheck disable=SC2086  # the line is words and options
      if ! "$CYSEARCH" --db "$db" --format json --facets all $q \
           </dev/null >>"$WORK/$side.jsonl" 2>"$WORK/$side.err"; then
        fail "$1: '$q' runs on the $side" "$(cat "$WORK/$side.err")"
      fi
    done
  done <<'EOF'
ransomware
china espionage
country:CN
ransomware hospital --sort date
"volt typhoon"
vulnerability --offset 2 --limit 3
EOF
  if cmp -s "$WORK/master.jsonl" "$WORK/replica.jsonl"; then
    pass "$1: the replica answers 6 queries exactly as the master"
  else
    fail "$1: the replica answers 6 queries exactly as the master" \
      "$(diff "$WORK/master.jsonl" "$WORK/replica.jsonl" | head -c 2000)"
  fi
}

total() {
  "$CYSEARCH" --db "$1" --format json --exact country:CN </dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'
}

replicate first
if [ -f "$REPLICA/XAPIANDB" ]; then
  pass "the replica is a stub directory (XAPIANDB)"
else
  fail "the replica is a stub directory (XAPIANDB)" "$(ls -la "$REPLICA" 2>&1)"
fi
same "after the first copy"
before=$(total "$REPLICA")

run index2 env XAPIAN_MAX_CHANGESETS=10 "$CYSEARCH_INDEX" -q --db "$MASTER" "$WORK/rest.jsonl"
check_status "index the other 12 articles on the master" 0
check_eq "the replica has not changed yet" "$before" "$(total "$REPLICA")"
replicate update
same "after the master indexed more articles"
after=$(total "$REPLICA")
check_eq "the replica now has the new articles" yes \
  "$([ "$after" -gt "$before" ] && echo yes || echo "no ($before -> $after)")"
run holds "$CYSEARCH" --db "$REPLICA" --format json --limit 0 ransomware
check_status "the replica opens after the update" 0

stop_server
finish
