# lib.sh — shared helpers for the integration tests (POSIX sh).
#
# Sourced by each tests/integration/test_*.sh, after `set -eu`:
#
#   . "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"
#
# It checks the environment CTest sets (CYSEARCH_INDEX, CYSEARCH,
# CYSEARCH_SOURCE_DIR; CYSEARCH_SHARED_DIR is optional), makes a work
# directory $WORK that is removed on exit, and offers:
#
#   run NAME CMD...        run CMD (stdin /dev/null) with stdout in
#                          $WORK/NAME.out, stderr in $WORK/NAME.err and the
#                          exit status in $STATUS; never stops the script
#   capture FILE CMD...    run CMD (stdin /dev/null) with stdout in FILE;
#                          a non-zero exit status counts as a failed check
#   cgi_get NAME DB QS     run $CYSEARCH_CGI as a web server does (a GET
#                          of ?QS, only the CGI variables set) on index DB,
#                          as `run NAME`; an exit status other than 0
#                          counts as a failed check
#   pass DESC / fail DESC [DETAIL]
#   check_eq DESC EXPECTED ACTUAL
#   check_contains DESC TEXT NEEDLE       (fixed string)
#   check_not_contains DESC TEXT NEEDLE
#   check_file_contains DESC FILE NEEDLE  (fixed string, grep -F)
#   check_file_not_contains DESC FILE NEEDLE
#   check_status DESC EXPECTED            (compares with $STATUS)
#   pycheck ARG... <<'EOF' ... EOF
#                          run a python3 (stdlib) script given on stdin with
#                          the prelude below; its "PASS desc" and
#                          "FAIL desc" lines count as checks
#   summary_num FILE WHAT  a number from the cysearch-index summary line in
#                          FILE: WHAT is added, replaced, unchanged,
#                          skipped, holds or run
#   skip MESSAGE           exit 77 (CTest: skipped)
#   finish                 print "N passed, N failed" and exit 0 only when
#                          every check passed (and at least one ran)

: "${CYSEARCH_INDEX:?CYSEARCH_INDEX must name the cysearch-index program}"
: "${CYSEARCH:?CYSEARCH must name the cysearch program}"
: "${CYSEARCH_SOURCE_DIR:?CYSEARCH_SOURCE_DIR must name the source tree}"
: "${CYSEARCH_SHARED_DIR:=}"

# shellcheck disable=SC2034  # used by the test scripts
SAMPLE="$CYSEARCH_SOURCE_DIR/corpus/sample.jsonl"
if ! command -v python3 >/dev/null 2>&1; then
  printf 'SKIP: python3 is needed for the JSON checks\n'
  exit 77
fi
PASSED=0
FAILED=0
STATUS=0

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cysearch-integ.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

pass() {
  PASSED=$((PASSED + 1))
  printf 'ok   - %s\n' "$1"
}

fail() {
  FAILED=$((FAILED + 1))
  printf 'FAIL - %s\n' "$1"
  if [ $# -gt 1 ]; then
    printf '%s\n' "$2" | sed 's/^/       /'
  fi
}

check_eq() {
  if [ "$2" = "$3" ]; then
    pass "$1"
  else
    fail "$1" "expected: [$2]
actual:   [$3]"
  fi
}

check_contains() {
  case $2 in
    *"$3"*) pass "$1" ;;
    *) fail "$1" "[$3] not found in:
$2" ;;
  esac
}

check_not_contains() {
  case $2 in
    *"$3"*) fail "$1" "[$3] unexpectedly found in:
$2" ;;
    *) pass "$1" ;;
  esac
}

check_file_contains() {
  if grep -F -e "$3" "$2" >/dev/null 2>&1; then
    pass "$1"
  else
    fail "$1" "[$3] not found in $(basename "$2"):
$(head -c 2000 "$2" 2>/dev/null)"
  fi
}

check_file_not_contains() {
  if grep -F -e "$3" "$2" >/dev/null 2>&1; then
    fail "$1" "[$3] unexpectedly found in $(basename "$2"):
$(grep -F -e "$3" "$2" | head -n 5)"
  else
    pass "$1"
  fi
}

check_status() {
  check_eq "$1 (exit status)" "$2" "$STATUS"
}

run() {
  _name=$1
  shift
  if "$@" </dev/null >"$WORK/$_name.out" 2>"$WORK/$_name.err"; then
    STATUS=0
  else
    STATUS=$?
  fi
}

capture() {
  _file=$1
  shift
  if "$@" </dev/null >"$_file" 2>"$WORK/capture.err"; then
    :
  else
    _st=$?
    fail "command exited with status $_st: $*" "$(head -c 2000 "$WORK/capture.err")"
  fi
}

cgi_get() {
  run "$1" env -i PATH="$PATH" GATEWAY_INTERFACE=CGI/1.1 \
    SERVER_PROTOCOL=HTTP/1.1 SCRIPT_NAME=/cysearch.cgi REQUEST_METHOD=GET \
    QUERY_STRING="$3" CYSEARCH_DB="$2" "$CYSEARCH_CGI"
  if [ "$STATUS" -ne 0 ]; then
    fail "cysearch.cgi exits 0 ($1: ?$3)" "$(head -c 2000 "$WORK/$1.err")"
  fi
}

# A number from the indexer's summary line, e.g.
#   cysearch-index: 32 added, 0 replaced, 0 unchanged, 0 skipped in 0.03 s
#   (0.1 MB, 1.99 MB/s); index holds 32 articles; run 1
# ("run" for the run it recorded, its number: e.g. 3).
# Prints nothing when the line (or that part of it) is missing.
summary_num() {
  case $2 in
    holds)
      sed -n 's/^cysearch-index: .*; index holds \([0-9][0-9]*\) articles;.*$/\1/p' "$1" | tail -n 1 ;;
    run)
      sed -n 's/^cysearch-index: .*; run \([0-9][0-9]*\)$/\1/p' "$1" | tail -n 1 ;;
    added | replaced | unchanged | skipped)
      grep '^cysearch-index: [0-9][0-9]* added, ' "$1" |
        sed -n "s/.*[^0-9]\\([0-9][0-9]*\\) $2[,; ].*/\\1/p" | tail -n 1 ;;
    *)
      echo "summary_num: unknown field '$2'" >&2
      return 1 ;;
  esac
}

skip() {
  printf 'SKIP: %s\n' "$1"
  exit 77
}

# The real news corpus of ../shared: NEWS names it (a path that does not
# exist when CYSEARCH_SHARED_DIR is unset), have_news says whether it is
# there, need_news skips the whole test without it.
NEWS="${CYSEARCH_SHARED_DIR:-/nonexistent}/corpus/news.jsonl.gz"
have_news() { [ -n "$CYSEARCH_SHARED_DIR" ] && [ -r "$NEWS" ]; }
need_news() {
  have_news || skip "news corpus not found at '$NEWS' (set CYSEARCH_SHARED_DIR)"
}

# index_corpora: the sample corpus into $WORK/sample and, when ../shared
# has it, the news corpus into $WORK/news; DBS lists the indexes made, for
# tests that check the same things on each.
index_corpora() {
  run index "$CYSEARCH_INDEX" --db "$WORK/sample" "$SAMPLE"
  check_status "indexing the sample corpus" 0
  DBS="$WORK/sample"
  if have_news; then
    run news "$CYSEARCH_INDEX" --db "$WORK/news" "$NEWS"
    check_status "indexing the news corpus" 0
    DBS="$DBS $WORK/news"
  else
    printf 'note: news corpus not found; the sample corpus only\n'
  fi
}

finish() {
  printf '%s passed, %s failed\n' "$PASSED" "$FAILED"
  if [ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]; then
    exit 0
  fi
  exit 1
}

# Python helpers available to every pycheck script.
PY_PRELUDE='
import gzip, json, os, re, sys

def check(cond, desc, detail=""):
    if cond:
        print("PASS " + desc)
    else:
        print("FAIL " + desc)
        for line in str(detail).splitlines()[:40]:
            print("       " + line)
    return bool(cond)

def check_eq(desc, expected, actual):
    return check(expected == actual, desc,
                 "expected: %r\nactual:   %r" % (expected, actual))

def load_jsonl(path):
    """The articles of a JSON Lines file (.gz too), in order."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]

def text_of(article):
    """Title and body, the searchable text."""
    return (article.get("title") or "") + "\n" + (article.get("body") or "")

def read_json_lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]

def cgi_response(work, name):
    # The HTTP status and body text of the answer cgi_get NAME saved.
    data = open(os.path.join(work, name + ".out"), "rb").read()
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b"\r\n")[0].split()[1]), body.decode("utf-8")
'

pycheck() {
  if { printf '%s\n' "$PY_PRELUDE"; cat; } |
     python3 - "$@" >"$WORK/pycheck.log" 2>&1; then
    _py_status=0
  else
    _py_status=$?
  fi
  while IFS= read -r _line; do
    case $_line in
      "PASS "*) pass "${_line#PASS }" ;;
      "FAIL "*) fail "${_line#FAIL }" ;;
      *) printf '%s\n' "$_line" ;;
    esac
  done <"$WORK/pycheck.log"
  if [ "$_py_status" -ne 0 ]; then
    fail "python check script ran to the end (status $_py_status)"
  fi
}

# free_port: a loopback TCP port that was free a moment ago (another
# process may take it before the caller binds it: callers try again).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for_port PORT PID: wait up to 10 s until something accepts
# connections on 127.0.0.1:PORT; 1 when process PID exits first or time
# runs out.
wait_for_port() {
  _w=0
  while [ $_w -lt 100 ]; do
    if python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' "$1" 2>/dev/null; then
      return 0
    fi
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
    _w=$((_w + 1))
  done
  return 1
}

# need_demo_server: what a test of the search page behind lighttpd needs
# before it starts one: CYSEARCH_CGI, lighttpd and curl (skips, 77,
# without them), BUILD_DIR (the build holding the CGI), SERVER (empty
# until start_demo_server) and stop_server, called on exit.
need_demo_server() {
  : "${CYSEARCH_CGI:?CYSEARCH_CGI must name the cysearch.cgi program}"
  PATH="$PATH:/usr/sbin:/sbin"
  command -v lighttpd >/dev/null 2>&1 || skip "lighttpd is not installed"
  command -v curl >/dev/null 2>&1 || skip "curl is not installed"
  BUILD_DIR=$(cd "$(dirname "$CYSEARCH_CGI")/.." && pwd)
  SERVER=""
  trap 'stop_server; rm -rf "$WORK"' EXIT
}

# serve_sample [--fastcgi]: index corpus/sample.jsonl into DB ($WORK/db)
# and serve it with start_demo_server (as a CGI, or resident processes).
serve_sample() {
  DB="$WORK/db"
  run index "$CYSEARCH_INDEX" --db "$DB" "$SAMPLE"
  check_status "index the sample corpus" 0
  start_demo_server "$BUILD_DIR" "$DB" ${1:-}
}

# The Content-Security-Policy every answer of the page carries.
PAGE_CSP="default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

# Stop the server start_demo_server started, if any.
stop_server() {
  if [ -n "${SERVER:-}" ]; then
    kill "$SERVER" 2>/dev/null || :
    wait "$SERVER" 2>/dev/null || :
    SERVER=""
  fi
}

# start_demo_server BUILD_DIR INDEX [--fastcgi]: serve the search page with
# searcher/serve-demo.sh (lighttpd with the shipped configuration: the CGI,
# or with --fastcgi resident processes) on a free loopback port, setting
# PORT and SERVER (its pid).  Another process
# may take the port between looking and binding, so it tries three.
# stop_server stops it (need_demo_server arranges that on exit).  Fails the test (and
# finishes it) when lighttpd does not serve.
start_demo_server() {
  _started=0
  for _attempt in 1 2 3; do
    PORT=$(free_port)
    sh "$CYSEARCH_SOURCE_DIR/searcher/serve-demo.sh" ${3:-} "$1" "$2" "$PORT" \
      </dev/null >"$WORK/server.log" 2>&1 &
    SERVER=$!
    _i=0
    while [ $_i -lt 100 ]; do
      if curl -s -o /dev/null "http://127.0.0.1:$PORT/cysearch.css"; then
        _started=1
        break
      fi
      kill -0 "$SERVER" 2>/dev/null || break
      sleep 0.1
      _i=$((_i + 1))
    done
    [ $_started -eq 1 ] && break
    stop_server
  done
  if [ $_started -ne 1 ]; then
    fail "lighttpd starts and serves (serve-demo.sh)" "$(cat "$WORK/server.log")"
    finish
  fi
  pass "lighttpd serves on 127.0.0.1:$PORT"
}

# get NAME PATH [CURL-OPTION]...: ask the server start_demo_server started
# for PATH; the response headers in $WORK/NAME.h, the body in
# $WORK/NAME.b, the status in $CODE (000 when none came).
get() {
  _name=$1 _path=$2
  shift 2
  CODE=$(curl -s -g -o "$WORK/$_name.b" -D "$WORK/$_name.h" \
         -w '%{http_code}' --max-time 10 "$@" "http://127.0.0.1:$PORT$_path") ||
    CODE=000
}

# header NAME FIELD: the field's value in get NAME's response, without CR.
header() {
  grep -i "^$2:" "$WORK/$1.h" | head -n 1 | sed 's/^[^:]*: *//' | tr -d '\r'
}
