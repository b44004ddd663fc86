#!/bin/sh
# test_shards.sh — searching several indexes as one (issue #8, search side).
#
# The news corpus ($CYSEARCH_SHARED_DIR) is indexed once as a single index
# and once as 3 shards.  The same queries (words, phrases, filters, dates,
# exclusions, paging, sort by date, facets, more like this) must give the
# same results over
#   - the shards' stub directory (Xapian's XAPIANDB),
#   - the three shards as three --db options,
#   - three xapian-tcpsrv processes on 127.0.0.1 (three --db HOST:PORT, and
#     a stub file of "remote" lines; the first shard is named localhost,
#     a host name to look up, the others by address), and
#   - cysearch.cgi with CYSEARCH_DB naming the remote stub,
# as over the single index: the same totals (exact), facets, suggestions,
# duplicates counts and hits with the same scores (to 1e-9).  Hits of equal
# score may come in another order (ties fall back to the document id, which
# differs between one index and shards), so hits are compared as groups of
# equal score, and a tie group cut by the page end only by size.
#
# Then the failure modes: a server that is gone gives an error naming its
# shard (exit 1) or, with --allow-partial, the other shards' results with a
# warning and "partial": true; a server that goes down between two queries
# of a batch is left out from the next query on; a stopped server (SIGSTOP:
# it accepts connections and never answers) is given up after --timeout,
# under a generous hang guard (`timeout 60`), not a timing test.  --sort
# recent and --explain are refused over remote shards with a clear message.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

need_news
command -v xapian-tcpsrv >/dev/null 2>&1 ||
  skip "xapian-tcpsrv not installed (Debian package xapian-tools)"
command -v timeout >/dev/null 2>&1 || skip "timeout (coreutils) is needed"
# Xapian's servers answer SIGTERM by signalling their whole process group,
# so each runs in a session of its own (setsid), away from this script.
command -v setsid >/dev/null 2>&1 || skip "setsid (util-linux) is needed"

SERVERS=""
stop_servers() {
  for _pid in $SERVERS; do
    kill -CONT "$_pid" 2>/dev/null || true
    kill "$_pid" 2>/dev/null || true
  done
  for _pid in $SERVERS; do
    wait "$_pid" 2>/dev/null || true
  done
  SERVERS=""
}
trap 'stop_servers; rm -rf "$WORK"' EXIT

# ---- the indexes ---------------------------------------------------------
zcat "$NEWS" >"$WORK/news.jsonl"
run single "$CYSEARCH_INDEX" -q --db "$WORK/single" "$WORK/news.jsonl"
check_status "index the news corpus as one index" 0

SHARDS="$WORK/sharded"
if "$CYSEARCH_INDEX" --help 2>/dev/null | grep -q -e '--shards'; then
  run sharded "$CYSEARCH_INDEX" -q --db "$SHARDS" --shards 3 "$WORK/news.jsonl"
  check_status "index the news corpus as 3 shards (--shards 3)" 0
  COLLAPSE_MODES="collapse no-collapse"
else
  # Until cysearch-index has --shards: split by a hash of the id, index
  # each part, and write the stub by hand.  Near-duplicates are then
  # recognised within a shard only, so only --no-collapse can match.
  python3 - "$WORK/news.jsonl" "$WORK" <<'EOF'
import json, sys, zlib
outs = [open("%s/part%d.jsonl" % (sys.argv[2], i), "w") for i in range(3)]
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        a = json.loads(line)
        outs[zlib.crc32(str(a["id"]).encode()) % 3].write(line)
EOF
  mkdir "$SHARDS"
  for i in 0 1 2; do
    run "shard$i" "$CYSEARCH_INDEX" -q --db "$SHARDS/shard-0$i" "$WORK/part$i.jsonl"
    check_status "index part $i as shard-0$i" 0
  done
  printf 'auto shard-00\nauto shard-01\nauto shard-02\n' >"$SHARDS/XAPIANDB"
  COLLAPSE_MODES="no-collapse"
fi
for i in 0 1 2; do
  [ -d "$SHARDS/shard-0$i" ] || fail "shard $SHARDS/shard-0$i exists"
done

# ---- the queries ---------------------------------------------------------
# One per line: cysearch options, then the query (all through "set --").
cat >"$WORK/queries" <<'EOF'
--facets all -- ransomware hospital
--facets all -- china espionage
--facets country,actor,year -- country:CN malware
-- vulnerability year:2017
--facets source -- actor:APT28
-- '"remote code execution"'
-- ransomware -bitcoin
-- bank fraud after:2019-06
-- source:thehackernews.com android
--sort date -- wannacry
--offset 5 --limit 7 -- phishing campaign
--facets all -- country:RU
-- ransomwre hospitl
--feedback 5 -- botnet
--like thn-4c82e488daed
EOF

# search_all NAME MODE: every query in JSON, one line each, in
# $WORK/NAME.jsonl, over the indexes named in DBOPTS (--db options; the
# paths have no spaces); MODE is collapse or no-collapse.
search_all() {
  _out="$WORK/$1.jsonl"
  _name=$1
  : >"$_out"
  _n=0
  _extra=""
  [ "$2" = no-collapse ] && _extra="--no-collapse"
  # exact counts: an estimate over shards is Xapian's, not one index's
  _extra="$_extra --exact"
  while IFS= read -r _line; do
    _n=$((_n + 1))
    eval "set -- $_line"
    # shellcheck disable=SC2086  # DBOPTS and _extra are lists of words
    if ! timeout 120 "$CYSEARCH" $DBOPTS $_extra --limit 30 --format json \
         "$@" </dev/null >>"$_out" 2>"$WORK/$_name.$_n.err"; then
      fail "$_name: query $_n ran ($_line)" "$(head -c 2000 "$WORK/$_name.$_n.err")"
      echo '{}' >>"$_out"
    fi
  done <"$WORK/queries"
}

# compare DESC EXPECTED.jsonl ACTUAL.jsonl
compare() {
  pycheck "$@" <<'EOF'
desc, exp_path, act_path = sys.argv[1:4]
exp, act = read_json_lines(exp_path), read_json_lines(act_path)
queries = [l.rstrip("\n") for l in open(exp_path.rsplit("/", 1)[0] + "/queries")]
check_eq(desc + ": one answer per query", len(exp), len(act))

def groups(hits):
    """Hits as [score, [ids]] groups of equal score, in rank order."""
    out = []
    for h in hits:
        s = round(h["score"], 9)
        if out and out[-1][0] == s:
            out[-1][1].append(h["id"])
        else:
            out.append([s, [h["id"]]])
    return out

def by_id(hits, key):
    return {h["id"]: h.get(key) for h in hits}

def undated(facets):
    """Facets without their first and last dates, which remote shards
    cannot count (cysearch(1), facets)."""
    return None if facets is None else {
        k: [{x: y for x, y in v.items() if x not in ("first", "last")}
            for v in vs] for k, vs in facets.items()}

def dated(facets):
    return any("first" in v for vs in (facets or {}).values() for v in vs)

bad = []
for q, e, a in zip(queries, exp, act):
    if not dated(a.get("facets")):
        e = dict(e, facets=undated(e.get("facets")))
    for key in ("total", "total_exact", "suggestion", "facets", "like"):
        if e.get(key) != a.get(key):
            bad.append("%s: %s %r != %r" % (q, key, e.get(key), a.get(key)))
    if "partial" in a:
        bad.append("%s: partial in complete results" % q)
    eh, ah = e.get("hits", []), a.get("hits", [])
    if [h["rank"] for h in eh] != [h["rank"] for h in ah]:
        bad.append("%s: ranks %r != %r" % (q, [h["rank"] for h in eh],
                                           [h["rank"] for h in ah]))
        continue
    ge, ga = groups(eh), groups(ah)
    if [g[0] for g in ge] != [g[0] for g in ga]:
        bad.append("%s: scores %r != %r" % (q, [g[0] for g in ge],
                                            [g[0] for g in ga]))
        continue
    for k, (x, y) in enumerate(zip(ge, ga)):
        last = k == len(ge) - 1 and len(eh) == 30
        if (len(x[1]) != len(y[1])) if last else (sorted(x[1]) != sorted(y[1])):
            bad.append("%s: hits of score %s: %r != %r" % (q, x[0], x[1], y[1]))
    common = set(by_id(eh, "id")) & set(by_id(ah, "id"))
    for key in ("duplicates", "snippet", "highlights", "entities", "title"):
        de, da = by_id(eh, key), by_id(ah, key)
        diff = [i for i in common if de[i] != da[i]]
        if diff:
            bad.append("%s: %s differs for %r" % (q, key, diff[:3]))
check(not bad, desc + ": the same results as one index for %d queries" % len(exp),
      "\n".join(bad))
check(sum(len(e.get("hits", [])) for e in exp) > 100,
      desc + ": the queries find hits (%d)" % sum(len(e.get("hits", [])) for e in exp))
EOF
}

for mode in $COLLAPSE_MODES; do
  DBOPTS="--db $WORK/single"
  search_all "single-$mode" "$mode"
  DBOPTS="--db $SHARDS"
  search_all "stub-$mode" "$mode"
  compare "stub directory ($mode)" "$WORK/single-$mode.jsonl" "$WORK/stub-$mode.jsonl"
done
mode=no-collapse
DBOPTS="--db $SHARDS/shard-00 --db $SHARDS/shard-01 --db $SHARDS/shard-02"
search_all "three-db" "$mode"
compare "three --db options" "$WORK/single-$mode.jsonl" "$WORK/three-db.jsonl"

# ---- three xapian-tcpsrv -------------------------------------------------
# serve I: xapian-tcpsrv for shard I on a free port (PORT_I, PID_I).
serve() {
  for _attempt in 1 2 3; do
    _port=$(free_port)
    setsid xapian-tcpsrv --port "$_port" --interface 127.0.0.1 --quiet \
      "$SHARDS/shard-0$1" </dev/null >"$WORK/tcpsrv$1.log" 2>&1 &
    _pid=$!
    if wait_for_port "$_port" "$_pid"; then
      SERVERS="$SERVERS $_pid"
      eval "PORT_$1=$_port PID_$1=$_pid"
      pass "xapian-tcpsrv serves shard-0$1 on 127.0.0.1:$_port"
      return 0
    fi
    kill "$_pid" 2>/dev/null || true
    wait "$_pid" 2>/dev/null || true
  done
  fail "xapian-tcpsrv starts for shard-0$1" "$(cat "$WORK/tcpsrv$1.log")"
  finish
}
PORT_0="" PORT_1="" PORT_2="" PID_1=""
serve 0
serve 1
serve 2

for mode in $COLLAPSE_MODES; do
  DBOPTS="--db localhost:$PORT_0 --db 127.0.0.1:$PORT_1 --db 127.0.0.1:$PORT_2"
  search_all "remote-$mode" "$mode"
  compare "three remote shards ($mode)" "$WORK/single-$mode.jsonl" "$WORK/remote-$mode.jsonl"
done

printf '# the news corpus, served by three xapian-tcpsrv\nremote localhost:%s\nremote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' \
  "$PORT_0" "$PORT_1" "$PORT_2" >"$WORK/remote.stub"
mode=no-collapse
DBOPTS="--db $WORK/remote.stub"
search_all "remote-stub" "$mode"
compare "a stub file of remote shards" "$WORK/single-$mode.jsonl" "$WORK/remote-stub.jsonl"

# The search page, with CYSEARCH_DB naming the remote stub.
if [ -n "${CYSEARCH_CGI:-}" ]; then
  for db in "$WORK/single" "$WORK/remote.stub"; do
    name=$(basename "$db")
    run "cgi-$name" env -i PATH="$PATH" GATEWAY_INTERFACE=CGI/1.1 \
      SERVER_PROTOCOL=HTTP/1.1 SCRIPT_NAME=/cysearch.cgi REQUEST_METHOD=GET \
      QUERY_STRING='q=ransomware+hospital&format=json&per-page=20&exact=1' \
      CYSEARCH_DB="$db" "$CYSEARCH_CGI"
    check_status "cysearch.cgi over $name" 0
    sed '1,/^\r*$/d' "$WORK/cgi-$name.out" >"$WORK/cgi-$name.json"
  done
  check_file_contains "cysearch.cgi over the remote stub answers 200" \
    "$WORK/cgi-remote.stub.out" "Status: 200"
  pycheck "$WORK/cgi-single.json" "$WORK/cgi-remote.stub.json" <<'EOF'
e, a = (json.load(open(p)) for p in sys.argv[1:3])
check_eq("cysearch.cgi: the same total over the remote stub", e["total"], a["total"])
check_eq("cysearch.cgi: the same scores over the remote stub",
         [round(h["score"], 9) for h in e["hits"]], [round(h["score"], 9) for h in a["hits"]])
EOF
  run cgi-recent env -i PATH="$PATH" GATEWAY_INTERFACE=CGI/1.1 \
    SERVER_PROTOCOL=HTTP/1.1 SCRIPT_NAME=/cysearch.cgi REQUEST_METHOD=GET \
    QUERY_STRING='q=ransomware&sort=recent' CYSEARCH_DB="$WORK/remote.stub" \
    "$CYSEARCH_CGI"
  check_file_contains "cysearch.cgi, sort=recent over remote shards: a 400 page" \
    "$WORK/cgi-recent.out" "Status: 400"
  check_file_contains "cysearch.cgi, sort=recent over remote shards: says to sort by date" \
    "$WORK/cgi-recent.out" "sort by date"
fi

# ---- what remote shards cannot do ---------------------------------------
R3="--db 127.0.0.1:$PORT_0 --db 127.0.0.1:$PORT_1 --db 127.0.0.1:$PORT_2"
# shellcheck disable=SC2086
run recent timeout 60 "$CYSEARCH" $R3 --sort recent ransomware
check_status "--sort recent over remote shards: a usage error" 2
check_file_contains "--sort recent over remote shards: says what to use instead" \
  "$WORK/recent.err" "sorting by recency is not available with remote shards"
# shellcheck disable=SC2086
run explain timeout 60 "$CYSEARCH" $R3 --explain ransomware
check_status "--explain over remote shards: a usage error" 2
check_file_contains "--explain over remote shards: says why" \
  "$WORK/explain.err" "explanations are not available with remote shards"

# ---- a server that goes down between two queries of a batch ---------------
# The queries come through a FIFO, so that the server can be stopped after
# the first answer: the second query finds the shard gone, the searcher
# opens the shards again and (--allow-partial) answers from the others.
mkfifo "$WORK/queries.fifo"
# shellcheck disable=SC2086
timeout 60 "$CYSEARCH" $R3 --allow-partial --format json --no-snippets \
  --queries - <"$WORK/queries.fifo" >"$WORK/batch.out" 2>"$WORK/batch.err" &
BATCH=$!
exec 3>"$WORK/queries.fifo"
printf 'ransomware\n' >&3
i=0
while [ $i -lt 300 ] && [ ! -s "$WORK/batch.out" ]; do
  sleep 0.1
  i=$((i + 1))
done
kill "$PID_1"
wait "$PID_1" 2>/dev/null || true
printf 'china espionage\n' >&3
exec 3>&-
if wait "$BATCH"; then STATUS=0; else STATUS=$?; fi
check_status "a server down in the middle of a batch, --allow-partial" 0
pycheck "$WORK/batch.out" "127.0.0.1:$PORT_1" <<'EOF'
answers = read_json_lines(sys.argv[1])
check_eq("batch: two answers", 2, len(answers))
if len(answers) == 2:
    check("partial" not in answers[0],
          "batch: the first answer, before the server went down, is complete",
          answers[0].get("unavailable"))
    check_eq("batch: the second answer is partial, without that shard",
             [sys.argv[2]], answers[1].get("unavailable"))
    check(answers[1]["hits"], "batch: the second answer still has hits")
EOF

# ---- a server that is down -----------------------------------------------
# shellcheck disable=SC2086
run down timeout 60 "$CYSEARCH" $R3 --format json ransomware
check_status "one server down: an error" 1
check_file_contains "one server down: the error names its shard" \
  "$WORK/down.err" "127.0.0.1:$PORT_1"
check_file_contains "one server down: the error says it cannot be reached" \
  "$WORK/down.err" "cannot reach xapian-tcpsrv"
check_eq "one server down: one line on stderr" 1 "$(wc -l <"$WORK/down.err" | tr -d ' ')"

# shellcheck disable=SC2086
run partial timeout 60 "$CYSEARCH" $R3 --allow-partial --format json --exact --facets year ransomware
check_status "one server down, --allow-partial: results" 0
check_file_contains "--allow-partial: a warning names the shard" \
  "$WORK/partial.err" "warning: shard '127.0.0.1:$PORT_1' is unavailable"
# The other two shards alone, locally: what the partial results must be.
run two timeout 60 "$CYSEARCH" --db "$SHARDS/shard-00" --db "$SHARDS/shard-02" \
  --format json --exact --facets year ransomware
pycheck "$WORK/partial.out" "$WORK/two.out" "127.0.0.1:$PORT_1" <<'EOF'
p, t = (json.loads(open(x).read()) for x in sys.argv[1:3])
check_eq("--allow-partial: \"partial\": true in JSON", True, p.get("partial"))
check_eq("--allow-partial: \"unavailable\" names the shard", [sys.argv[3]], p.get("unavailable"))
check_eq("--allow-partial: the total of the other shards", t["total"], p["total"])
check_eq("--allow-partial: the hits of the other shards",
         [(h["id"], round(h["score"], 9)) for h in t["hits"]],
         [(h["id"], round(h["score"], 9)) for h in p["hits"]])
# (remote shards count no dates: the facets without first and last)
check_eq("--allow-partial: the facets of the other shards",
         {k: [{x: y for x, y in v.items() if x not in ("first", "last")}
              for v in vs] for k, vs in t["facets"].items()}, p["facets"])
EOF
# shellcheck disable=SC2086
run partial_text timeout 60 "$CYSEARCH" $R3 --allow-partial --no-snippets ransomware
check_file_contains "--allow-partial, text: the results say they are partial" \
  "$WORK/partial_text.out" "Partial results: not searched: 127.0.0.1:$PORT_1"

run stub_down timeout 60 "$CYSEARCH" --db "$WORK/remote.stub" ransomware
check_status "remote stub with a server down: an error" 1
check_file_contains "remote stub with a server down: names the shard and its stub line" \
  "$WORK/stub_down.err" "shard '127.0.0.1:$PORT_1' (line 3 of '$WORK/remote.stub')"
if [ -n "${CYSEARCH_CGI:-}" ]; then
  run cgi_down timeout 60 env -i PATH="$PATH" GATEWAY_INTERFACE=CGI/1.1 \
    SERVER_PROTOCOL=HTTP/1.1 SCRIPT_NAME=/cysearch.cgi REQUEST_METHOD=GET \
    QUERY_STRING='q=ransomware' CYSEARCH_DB="$WORK/remote.stub" "$CYSEARCH_CGI"
  check_file_contains "cysearch.cgi, a server down: 503" "$WORK/cgi_down.out" "Status: 503"
  check_file_contains "cysearch.cgi, a server down: the log names the shard" \
    "$WORK/cgi_down.err" "shard '127.0.0.1:$PORT_1'"
  check_file_not_contains "cysearch.cgi, a server down: the page does not show the address" \
    "$WORK/cgi_down.out" "127.0.0.1"
fi

# ---- a server that accepts and never answers ------------------------------
serve 1
kill -STOP "$PID_1"
R3="--db 127.0.0.1:$PORT_0 --db 127.0.0.1:$PORT_1 --db 127.0.0.1:$PORT_2"
# shellcheck disable=SC2086
run hung timeout 60 "$CYSEARCH" $R3 --timeout 1 --connect-timeout 1 ransomware
check_eq "a stopped server: cysearch gives up (not killed by the hang guard)" \
  yes "$([ "$STATUS" -ne 124 ] && echo yes || echo no)"
check_status "a stopped server: an error" 1
check_file_contains "a stopped server: the error names the shard" \
  "$WORK/hung.err" "127.0.0.1:$PORT_1"
check_file_contains "a stopped server: the error says it did not answer in time" \
  "$WORK/hung.err" "did not answer in time"
# shellcheck disable=SC2086
run hung_partial timeout 60 "$CYSEARCH" $R3 --timeout 1 --connect-timeout 1 \
  --allow-partial --format json ransomware
check_status "a stopped server, --allow-partial: results" 0
check_file_contains "a stopped server, --allow-partial: \"partial\": true" \
  "$WORK/hung_partial.out" '"partial":true'
kill -CONT "$PID_1"

# ---- bad stubs -------------------------------------------------------------
printf 'auto shard-00\nshard-01\n' >"$WORK/bad.stub"
cp -r "$SHARDS/shard-00" "$WORK/shard-00"
run badstub "$CYSEARCH" --db "$WORK/bad.stub" ransomware
check_status "a stub with a bad line: an error" 1
check_file_contains "a stub with a bad line: names the line" "$WORK/badstub.err" \
  "line 2 of '$WORK/bad.stub': not a stub line"
printf 'auto shard-00\nauto missing-shard\n' >"$WORK/missing.stub"
run missing "$CYSEARCH" --db "$WORK/missing.stub" ransomware
check_status "a stub naming a missing shard: an error" 1
check_file_contains "a stub naming a missing shard: names it" "$WORK/missing.err" \
  "shard '$WORK/missing-shard' (line 2 of '$WORK/missing.stub'): not found"
run missing_partial "$CYSEARCH" --db "$WORK/missing.stub" --allow-partial --format json ransomware
check_status "a stub naming a missing shard, --allow-partial: results" 0
check_file_contains "a stub naming a missing shard, --allow-partial: partial" \
  "$WORK/missing_partial.out" '"partial":true'

# Stubs may name stubs (relative to their own directory), not in a loop.
mkdir "$WORK/nested"
printf 'auto ../sharded\n' >"$WORK/nested/XAPIANDB"
run nested "$CYSEARCH" --db "$WORK/nested" --no-collapse --exact --format json ransomware hospital
check_status "a stub naming a stub directory" 0
pycheck "$WORK/nested.out" "$WORK/single-no-collapse.jsonl" <<'EOF'
n = json.loads(open(sys.argv[1]).read())
s = read_json_lines(sys.argv[2])[0]
check_eq("a stub naming a stub directory: the total of one index", s["total"], n["total"])
EOF
printf 'auto loop.stub\n' >"$WORK/loop.stub"
run loop timeout 60 "$CYSEARCH" --db "$WORK/loop.stub" ransomware
check_status "a stub naming itself: an error" 1
check_file_contains "a stub naming itself: says so" "$WORK/loop.err" "(a loop?)"

stop_servers
finish
