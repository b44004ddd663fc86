#!/bin/sh
# test_browser.sh — the search page in a real browser: start lighttpd with
# the shipped configuration (searcher/serve-demo.sh) on a free loopback
# port over an index of corpus/sample.jsonl, then let browser_check.py
# drive headless Chromium through it: type a query and press Enter, check
# the results in the DOM, click a facet, check the filter chip, check the
# timeline chart and click its tallest bar, pick a run in the "new since"
# selector (the index is built in two runs) and remove its chip, load the
# page 390 pixels wide, check the Content-Security-Policy, and record
# console errors and every request.  Screenshots go to
# $CYSEARCH_BROWSER_SCREENSHOTS (by default BUILD_DIR/tests/
# browser-screenshots/).  Needs Debian's chromium, lighttpd, curl and
# python3 (.ci/install-deps --test installs them all); skips (77) without
# them.  Chromium is $CYSEARCH_CHROMIUM when set.  Takes well under 60 s.
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
# process group (Chromium and its helpers) is in $WORK/chromium.pgid.
stop_chromium() {
  _pgid=$(cat "$WORK/chromium.pgid" 2>/dev/null) || return 0
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

start_demo_server "$BUILD_DIR" "$DB"

mkdir -p "$SHOTS"
for f in results-1280 filtered-1280 results-390 results-390-full results-390-dark \
         hash-412 timeline-1280 timeline-narrowed-1280 timeline-390 \
         since-1280 since-narrowed-1280 since-390; do
  rm -f "$SHOTS/$f.png"
done

# browser_check.py keeps to 40 s itself; timeout is the backstop.
if timeout --foreground -k 5 50 python3 "$HERE/browser_check.py" "$CHROMIUM" \
     "http://127.0.0.1:$PORT" "$SHOTS" "$WORK" "$SAMPLE" \
     </dev/null >"$WORK/browser.log" 2>&1; then
  status=0
else
  status=$?
fi
shots=""
while IFS= read -r line; do
  case $line in
    "PASS "*) pass "${line#PASS }" ;;
    "FAIL "*) fail "${line#FAIL }" ;;
    "SKIP "*) printf 'skip - %s\n' "${line#SKIP }" ;;
    "SHOT "*) shots="$shots ${line#SHOT }" ;;
    *) printf '%s\n' "$line" ;;
  esac
done <"$WORK/browser.log"
if [ "$status" -ne 0 ]; then
  fail "browser_check.py ran to the end (status $status)" \
    "$(grep -v dbus "$WORK/chromium.log" 2>/dev/null | tail -n 15)"
fi
if [ -s "$WORK/requests.txt" ]; then
  printf 'requests the page made:\n'
  sed 's/^/  /' "$WORK/requests.txt"
fi
for f in $shots; do
  printf 'screenshot: %s\n' "$f"
done
stop_chromium
stop_server
finish
