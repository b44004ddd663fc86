#!/bin/sh
# test_cgi_fastcgi.sh — the search page as resident FastCGI processes
# behind a real web server (serve-demo.sh --fastcgi: lighttpd with
# searcher/lighttpd-fastcgi.conf) over an index of corpus/sample.jsonl:
# the same answers as the CGI for good and bad requests, the same
# processes answering request after request, and an index that batch jobs
# change underneath them (a new run, --compact's exchange of the whole
# directory, the index gone and back) seen at the next request without a
# restart.  Skips (77) without lighttpd or curl.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"
need_demo_server
serve_sample --fastcgi
# The body without the time the search took, which differs run to run.
untimed() { sed 's/ ([0-9.]* seconds)\./ (T seconds)./' "$1"; }
# The cysearch.cgi processes lighttpd started (grandchildren of $SERVER).
workers() {
  for _p in $(pgrep -P "$SERVER"); do pgrep -P "$_p" || :; done | sort | tr '\n' ' '
}

# ---- the same answers as the CGI ------------------------------------------
# QUERY STRING, the status both must give.
i=0
while IFS='	' read -r qs want; do
  [ "$qs" = - ] && qs=""
  i=$((i + 1))
  get "f$i" "/?$qs"
  cgi_get "c$i" "$DB" "$qs"
  check_eq "FastCGI ?$qs: status" "$want" "$CODE"
  check_eq "CGI ?$qs: status" "Status: $want" \
    "$(head -n 1 "$WORK/c$i.out" | cut -c1-11)"
  sed '1,/^\r$/d' "$WORK/c$i.out" > "$WORK/c$i.b"
  if [ "$(untimed "$WORK/f$i.b")" = "$(untimed "$WORK/c$i.b")" ]; then
    pass "FastCGI ?$qs: the CGI's body"
  else
    fail "FastCGI ?$qs: the CGI's body" \
      "$(diff "$WORK/f$i.b" "$WORK/c$i.b" | head -n 20)"
  fi
  check_eq "FastCGI ?$qs: the CGI's Content-Type" \
    "$(grep -i '^Content-Type:' "$WORK/c$i.out" | tr -d '\r')" \
    "$(grep -i '^Content-Type:' "$WORK/f$i.h" | tr -d '\r')"
done <<'EOF_REQUESTS'
-	200
q=wannacry+hospital	200
q=china&country=CN&sort=date	200
q=ransomware&per-page=20&exact=1	200
q=ransomware&page=2	200
q=wannacry&format=json	200
q=%22north+korea%22+-wannacry&format=json&exact=1	200
q=a&q=b	400
q=x&per-page=7	400
q=x&since=999	400
q=caf%C3%A9+%E2%80%8Bmalware	200
q=x&country=Atlantis	400
EOF_REQUESTS

get pathinfo '/cysearch.cgi/etc/passwd'
check_eq "FastCGI: a path below the page is 404" 404 "$CODE"
get head '/?q=wannacry' --head
check_eq "FastCGI: HEAD is 200" 200 "$CODE"
if cmp -s "$WORK/head.b" "$WORK/head.h"; then pass "FastCGI: HEAD has no body"
else fail "FastCGI: HEAD has no body" "$(head -c 300 "$WORK/head.b")"; fi
long=$(python3 -c 'print("q=" + "a" * 9000)')
get long "/?$long"
check_eq "FastCGI: a query string over 8 KB is 414" 414 "$CODE"
check_eq "FastCGI: the security headers" \
  "$PAGE_CSP" \
  "$(header f2 Content-Security-Policy)"

# ---- resident: the same processes answer every request ----------------------
before=$(workers)
if [ -n "$before" ]; then pass "lighttpd started cysearch.cgi processes: $before"
else fail "lighttpd started cysearch.cgi processes" "$(ps -ef)"; fi
n=0
while [ $n -lt 30 ]; do
  get "r$n" "/?q=ransomware+$n"
  [ "$CODE" = 200 ] || fail "request $n of 30 is 200" "$CODE"
  n=$((n + 1))
done
check_eq "30 requests later, the same processes" "$before" "$(workers)"

# ---- an index that batch jobs change --------------------------------------
cat > "$WORK/new.jsonl" <<'EOF_ARTICLE'
{"id": "fastcgi-001", "title": "Quaggaflux botnet seen on routers", "date": "2024-02-01", "source": "threatdesk.example", "url": "https://threatdesk.example/2024/02/quaggaflux", "body": "Researchers found the Quaggaflux botnet on thousands of home routers this week."}
EOF_ARTICLE
get before '/?q=quaggaflux&format=json'
check_file_contains "before the new run: no Quaggaflux" "$WORK/before.b" '"total":0,'
run index2 "$CYSEARCH_INDEX" --db "$DB" "$WORK/new.jsonl"
check_status "a second indexing run" 0
# Every process (lighttpd alternates between them) sees the new revision.
for n in 1 2 3 4; do
  get "after$n" '/?q=quaggaflux&format=json'
  check_file_contains "after the new run, request $n: the new article" \
    "$WORK/after$n.b" '"id":"fastcgi-001"'
done
get front2 '/'
check_file_contains "the front page counts the new article" "$WORK/front2.b" "Search 33 articles"

run compact "$CYSEARCH_INDEX" --db "$DB" --compact
check_status "cysearch-index --compact (exchanges the directory)" 0
for n in 1 2 3 4; do
  get "compacted$n" '/?q=wannacry+hospital'
  cgi_get "compacted-cgi$n" "$DB" 'q=wannacry+hospital'
  sed '1,/^\r$/d' "$WORK/compacted-cgi$n.out" > "$WORK/compacted-cgi$n.b"
  if [ "$CODE" = 200 ] &&
     [ "$(untimed "$WORK/compacted$n.b")" = "$(untimed "$WORK/compacted-cgi$n.b")" ]; then
    pass "after --compact, request $n: the CGI's page"
  else
    fail "after --compact, request $n: the CGI's page" \
      "$CODE $(diff "$WORK/compacted$n.b" "$WORK/compacted-cgi$n.b" | head -n 10)"
  fi
done

mv "$DB" "$WORK/db.away"
get gone1 '/?q=wannacry'
get gone2 '/?q=wannacry'
check_eq "the index gone: 503" 503 "$CODE"
check_file_contains "the index gone: says so" "$WORK/gone2.b" "not available"
mv "$WORK/db.away" "$DB"
for n in 1 2 3; do
  get "back$n" '/?q=wannacry'
  check_eq "the index back, request $n: 200" 200 "$CODE"
done
check_file_contains "the index back: results" "$WORK/back3.b" '<li class="hit">'
check_eq "the processes lived through it all" "$before" "$(workers)"

# ---- a process that is not asked: the old index freed all the same --------
# A process of its own on a socket of its own, so that nothing but this
# test sends it requests: it answers one, then a --compact replaces the
# directory under it.  Idle, it must still let go of the old files (at
# most 5 s later) rather than keep them, deleted but allocated, until a
# request comes; and a socket that is not listening is no FastCGI server.
cat > "$WORK/idle.py" <<'EOF_IDLE'
import os, socket, subprocess, sys, time
cgi, db, indexer, work, tools = sys.argv[1:6]
sys.path.insert(0, tools)
import fastcgi_client

def answer(path, query, role=fastcgi_client.RESPONDER):
    """The first line of the answer to q=query: its status."""
    out = fastcgi_client.request(path, {"REQUEST_METHOD": "GET",
                                        "QUERY_STRING": query}, role)
    return out.split(b"\r\n")[0].decode()

def held(pid):
    fds = "/proc/%d/fd" % pid
    names = []
    for fd in os.listdir(fds):
        try:
            names.append(os.readlink(os.path.join(fds, fd)))
        except OSError:
            pass
    return [n for n in names if n.endswith(" (deleted)") and ".glass" in n]

# Standard input a socket that does not listen: not FastCGI.
env = {"PATH": os.environ["PATH"]}
for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        r = subprocess.run([cgi], stdin=s.fileno(), env=env,
                           capture_output=True, timeout=30)
        print("shell, stdin a socket of type %d: exit %d" % (kind, r.returncode))
        r = subprocess.run([cgi], stdin=s.fileno(), capture_output=True,
                           timeout=30, env=dict(env, CYSEARCH_DB=db,
                           GATEWAY_INTERFACE="CGI/1.1", REQUEST_METHOD="GET",
                           QUERY_STRING="q=wannacry"))
        print("CGI, stdin a socket of type %d: %s" %
              (kind, r.stdout.split(b"\r\n")[0].decode()))

def serve(name, index):
    """A resident cysearch.cgi on a socket of its own: (process, path)."""
    path = os.path.join(work, name + ".socket")
    return fastcgi_client.start(cgi, dict(env, CYSEARCH_DB=index), path), path

proc, path = serve("idle", db)
try:
    print("idle process, first answer:",
          answer(path, "q=wannacry"))
    before = os.stat(db).st_ino
    subprocess.run([indexer, "--db", db, "--delete", "fastcgi-001",
                    "--compact"], check=True, capture_output=True)
    print("--compact exchanged the directory:", os.stat(db).st_ino != before)
    deadline = time.time() + 8
    while held(proc.pid) and time.time() < deadline:
        time.sleep(0.2)
    print("idle process, deleted index files held:", len(held(proc.pid)))
    print("idle process, next answer:",
          answer(path, "q=wannacry"))
    # An authorizer's 200 would authorize what the server asks about.
    print("as an authorizer:",
          answer(path, "q=wannacry", role=2))
finally:
    proc.terminate()
    proc.wait()

# A remote shard that takes connections and never answers: the first
# request waits out the time-out; the next, at once, gets the same 503
# instead of waiting again behind it.
silent = socket.socket()
silent.bind(("127.0.0.1", 0))
silent.listen(8)  # the kernel completes connections; nothing answers them
proc, path = serve("silent", "127.0.0.1:%d" % silent.getsockname()[1])
try:
    t0 = time.time()
    first = answer(path, "q=wannacry")
    t1 = time.time()
    second = answer(path, "q=wannacry")
    t2 = time.time()
    print("silent shard, first: %s after %s" %
          (first, "at least 1 s" if t1 - t0 >= 1 else "%.2f s" % (t1 - t0)))
    print("silent shard, second: %s %s" %
          (second, "at once" if t2 - t1 < 1 else "after %.1f s" % (t2 - t1)))
finally:
    proc.terminate()
    proc.wait()
    silent.close()
EOF_IDLE
run idle python3 "$WORK/idle.py" "$CYSEARCH_CGI" "$DB" "$CYSEARCH_INDEX" "$WORK" \
  "$CYSEARCH_SOURCE_DIR/tests/tools"
check_status "the idle-process checks run" 0
for kind in 2 1; do
  check_file_contains "from a shell, stdin a non-listening socket ($kind): usage" \
    "$WORK/idle.out" "shell, stdin a socket of type $kind: exit 2"
  check_file_contains "as a CGI, stdin a non-listening socket ($kind): answered" \
    "$WORK/idle.out" "CGI, stdin a socket of type $kind: Status: 200 OK"
done
check_file_contains "--compact exchanged the directory" "$WORK/idle.out" \
  "exchanged the directory: True"
check_file_contains "an idle process lets go of a replaced index" \
  "$WORK/idle.out" "deleted index files held: 0"
check_file_contains "an idle process answers after letting go" \
  "$WORK/idle.out" "next answer: Status: 200 OK"
check_file_contains "a FastCGI authorizer request is refused" \
  "$WORK/idle.out" "as an authorizer: Status: 500"
check_file_contains "a silent remote shard: the first request waits, then 503" \
  "$WORK/idle.out" "silent shard, first: Status: 503 Service Unavailable after at least 1 s"
check_file_contains "a silent remote shard: the next request's 503 comes at once" \
  "$WORK/idle.out" "silent shard, second: Status: 503 Service Unavailable at once"
check_file_not_contains "no sanitizer report from the processes started apart" \
  "$WORK/idle.err" "Sanitizer"

# Stopped, the processes end of themselves (SIGTERM from lighttpd), so a
# sanitizer build reports what they leaked over all those requests.
stop_server
for pid in $before; do
  n=0
  while [ -d "/proc/$pid" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
  if [ -d "/proc/$pid" ]; then fail "process $pid ends when lighttpd stops" "$(ps -ef)"
  else pass "process $pid ends when lighttpd stops"; fi
done
check_file_not_contains "no sanitizer report from the resident processes" \
  "$WORK/server.log" "Sanitizer"
finish
