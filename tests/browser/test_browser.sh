#!/bin/sh
# test_browser.sh — the search page in a real browser: start lighttpd with
# the shipped configuration (searcher/serve-demo.sh) on a free loopback
# port over an index of corpus/sample.jsonl, then let browser_check.py
# drive headless Chromium through it: type a query and press Enter, check
# the results in the DOM, click a facet, check the filter chip, check the
# timeline chart and click its tallest bar, pick a run in the "new since"
# selector (the index is built in two runs) and remove its chip, load the
# page 390 pixels wide, check the Content-Security-Policy, and record
# console errors and every request.  All of it twice: the page as a CGI,
# then as resident FastCGI processes (serve-demo.sh --fastcgi).
# Screenshots go to $CYSEARCH_BROWSER_SCREENSHOTS/cgi and /fastcgi (by
# default BUILD_DIR/tests/browser-screenshots/).  Needs Debian's chromium, lighttpd, curl and
# python3 (.ci/install-deps --test installs them all); skips (77) without
# them.  Chromium is $CYSEARCH_CHROMIUM when set.  Takes well under 60 s a pass.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"
need_demo_server
CHROMIUM=${CYSEARCH_CHROMIUM:-}
if [ -z "$CHROMIUM" ]; then
  CHROMIUM=$(command -v chromium 2>/dev/null) || CHROMIUM=""
fi
if [ -z "$CHROMIUM" ] || [ ! -x "$CHROMIUM" ]; then
  skip "chromium is not installed (apt-get install chromium; .ci/install-deps --test installs it)"
fi

HERE="$CYSEARCH_SOURCE_DIR/tests/browser"
DB="$WORK/db"
SHOTS=${CYSEARCH_BROWSER_SCREENSHOTS:-$BUILD_DIR/tests/browser-screenshots}

# browser_check.py stops Chromium itself; should it have died first, its
# process group (Chromium and its helpers) is in $CHROMIUM_WORK/chromium.pgid.
CHROMIUM_WORK=$WORK
stop_chromium() {
  _pgid=$(cat "$CHROMIUM_WORK/chromium.pgid" 2>/dev/null) || return 0
  case $_pgid in '' | *[!0-9]*) return 0 ;; esac
  kill -TERM "-$_pgid" 2>/dev/null || return 0
  _i=0
  while [ "$_i" -lt 20 ] && kill -0 "-$_pgid" 2>/dev/null; do
    sleep 0.1
    _i=$((_i + 1))
  done
  kill -KILL "-$_pgid" 2>/dev/null || :
}
trap 'stop_chromium; stop_server; rm -rf "$WORK"' EXIT

# In two runs, for the "new since" selector: the first 16 articles, then
# the rest (whose input browser_check.py reads as $WORK/run2.jsonl).
head -n 16 "$SAMPLE" >"$WORK/run1.jsonl"
tail -n +17 "$SAMPLE" >"$WORK/run2.jsonl"
run index1 "$CYSEARCH_INDEX" --db "$DB" "$WORK/run1.jsonl"
check_status "index the sample corpus, run 1" 0
run index "$CYSEARCH_INDEX" --db "$DB" "$WORK/run2.jsonl"
check_status "index the sample corpus, run 2" 0

# browse MODE NAME: serve the page (MODE: "" for the CGI, --fastcgi for
# resident processes), let browser_check.py drive Chromium through it,
# report its checks prefixed with NAME, and stop the server.  Its
# Chromium's files go to $WORK/NAME, the screenshots to $SHOTS/NAME.
browse() {
  start_demo_server "$BUILD_DIR" "$DB" $1
  _work="$WORK/$2" _shots="$SHOTS/$2"
  CHROMIUM_WORK=$_work
  mkdir -p "$_work" "$_shots"
  for f in results-1280 filtered-1280 results-390 results-390-full results-390-dark \
           hash-412 timeline-1280 timeline-narrowed-1280 timeline-390 \
           since-1280 since-narrowed-1280 since-390; do
    rm -f "$_shots/$f.png"
  done
  # browser_check.py keeps to 40 s itself; timeout is the backstop.
  if timeout --foreground -k 5 50 python3 "$HERE/browser_check.py" "$CHROMIUM" \
       "http://127.0.0.1:$PORT" "$_shots" "$_work" "$SAMPLE" \
       </dev/null >"$_work/browser.log" 2>&1; then
    _status=0
  else
    _status=$?
  fi
  _shots_taken=""
  while IFS= read -r line; do
    case $line in
      "PASS "*) pass "$2: ${line#PASS }" ;;
      "FAIL "*) fail "$2: ${line#FAIL }" ;;
      "SKIP "*) printf 'skip - %s: %s\n' "$2" "${line#SKIP }" ;;
      "SHOT "*) _shots_taken="$_shots_taken ${line#SHOT }" ;;
      *) printf '%s\n' "$line" ;;
    esac
  done <"$_work/browser.log"
  if [ "$_status" -ne 0 ]; then
    fail "$2: browser_check.py ran to the end (status $_status)" \
      "$(grep -v dbus "$_work/chromium.log" 2>/dev/null | tail -n 15)"
  fi
  if [ -s "$_work/requests.txt" ]; then
    printf '%s: requests the page made:\n' "$2"
    sed 's/^/  /' "$_work/requests.txt"
  fi
  for f in $_shots_taken; do
    printf 'screenshot: %s\n' "$f"
  done
  stop_chromium
  stop_server
}

browse "" cgi
browse --fastcgi fastcgi
finish
