#!/bin/sh
# test_cgi_lighttpd.sh — the search page behind a real web server: start
# searcher/serve-demo.sh (lighttpd with the shipped lighttpd.conf) on a
# free loopback port over an index of corpus/sample.jsonl, request pages
# with curl and check status codes (200, 400, 404, 405, 413, 414), headers
# and content, then stop the server.  Skips (77) without lighttpd or curl
# (.ci/install-deps --test installs both).
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"
need_demo_server
serve_sample

# ---- the search page ------------------------------------------------------
get front /
check_eq "GET / is 200" 200 "$CODE"
check_eq "GET /: Content-Type" "text/html; charset=utf-8" "$(header front Content-Type)"
check_eq "GET /: Content-Security-Policy" "$PAGE_CSP" "$(header front Content-Security-Policy)"
check_eq "GET /: X-Content-Type-Options" nosniff "$(header front X-Content-Type-Options)"
check_eq "GET /: Referrer-Policy" no-referrer "$(header front Referrer-Policy)"
check_eq "GET /: Cache-Control" no-store "$(header front Cache-Control)"
check_eq "GET /: one X-Content-Type-Options header" 1 \
  "$(grep -ci '^X-Content-Type-Options:' "$WORK/front.h")"
check_file_contains "GET /: the search form" "$WORK/front.b" '<form class="search" role="search" method="get">'
check_file_contains "GET /: the index reached the CGI (CYSEARCH_DB via mod_setenv)" \
  "$WORK/front.b" "Search 32 articles"
check_file_contains "GET /: links the stylesheet" "$WORK/front.b" 'href="/cysearch.css"'

get search '/?q=wannacry+hospital'
check_eq "GET /?q=wannacry+hospital is 200" 200 "$CODE"
check_file_contains "search: results" "$WORK/search.b" '<li class="hit">'
check_file_contains "search: the WannaCry article, linked" "$WORK/search.b" \
  'href="https://threatdesk.example/2017/05/wannacry-worm-hits-hospitals"'
check_file_contains "search: highlighted" "$WORK/search.b" '<mark>WannaCry</mark>'

get direct '/cysearch.cgi?q=wannacry'
check_eq "GET /cysearch.cgi?q=wannacry is 200" 200 "$CODE"
check_file_contains "the CGI's own path works too" "$WORK/direct.b" '<li class="hit">'

get head '/?q=wannacry' --head
check_eq "HEAD is 200" 200 "$CODE"
# With --head, curl's output is the header block alone: no body came.
if cmp -s "$WORK/head.b" "$WORK/head.h"; then
  pass "HEAD: no body"
else
  fail "HEAD: no body" "$(head -c 500 "$WORK/head.b")"
fi
check_eq "HEAD: Content-Type" "text/html; charset=utf-8" "$(header head Content-Type)"

get json '/?q=ransomware&format=json'
check_eq "format=json is 200" 200 "$CODE"
check_eq "format=json: Content-Type" application/json "$(header json Content-Type)"
pycheck "$WORK/json.b" <<'EOF'
try:
    r = json.load(open(sys.argv[1], encoding="utf-8"))
except ValueError as e:
    r = {}
    check(False, "format=json: valid JSON", e)
check(r.get("total", 0) > 0 and len(r.get("hits", [])) > 0,
      "format=json: hits", r)
EOF

get page2 '/?q=ransomware&page=2'
check_eq "page 2 is 200" 200 "$CODE"
check_file_contains "page 2: ranks from 11" "$WORK/page2.b" '<ol class="hits" start="11">'

# ---- the stylesheet ----------------------------------------------------------
get css /cysearch.css
check_eq "GET /cysearch.css is 200" 200 "$CODE"
check_eq "css: Content-Type" "text/css; charset=utf-8" "$(header css Content-Type)"
check_eq "css: X-Content-Type-Options" nosniff "$(header css X-Content-Type-Options)"
if cmp -s "$WORK/css.b" "$CYSEARCH_SOURCE_DIR/searcher/cysearch.css"; then
  pass "css: the shipped stylesheet"
else
  fail "css: the shipped stylesheet"
fi
check_file_not_contains "css: no external requests (@import)" "$WORK/css.b" '@import'
check_file_not_contains "css: no external requests (url())" "$WORK/css.b" 'url('

# ---- errors -------------------------------------------------------------------
get bad_page '/?q=x&page=0'
check_eq "page=0 is 400 (from the CGI)" 400 "$CODE"
check_file_contains "400: the CGI's error page" "$WORK/bad_page.b" 'The page is a number from 1 to 100.'
check_eq "400: Content-Security-Policy" "$PAGE_CSP" "$(header bad_page Content-Security-Policy)"
get repeated '/?q=a&q=b'
check_eq "a repeated q is 400" 400 "$CODE"
get overlong '/?q=%C0%AF'
check_eq "overlong UTF-8 is 400 (lighttpd refuses it already)" 400 "$CODE"
get unknown_country '/?q=x&country=Narnia'
check_eq "an unknown filter value is 400" 400 "$CODE"
check_file_contains "400: the message names the parameter" \
  "$WORK/unknown_country.b" "The parameter &#39;country&#39;: unknown country"
get xss '/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&country=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E'
check_file_not_contains "XSS probes come back escaped (no <script)" "$WORK/xss.b" '<script'
check_file_not_contains "XSS probes come back escaped (no <img)" "$WORK/xss.b" '<img'
check_file_contains "XSS probe kept as text" "$WORK/xss.b" '&lt;script&gt;alert(1)&lt;/script&gt;'

get post / -d 'q=wannacry'
check_eq "POST is 405" 405 "$CODE"
check_eq "405: Allow" "GET, HEAD" "$(header post Allow)"
check_file_contains "405: the CGI's error page" "$WORK/post.b" 'Only GET and HEAD'
get put / -X PUT -d 'q=wannacry'
check_eq "PUT is 405" 405 "$CODE"
get delete '/?q=x' -X DELETE
check_eq "DELETE is 405" 405 "$CODE"

python3 -c 'import sys; sys.stdout.write("q=" + "x" * 3000 + "\n")' >"$WORK/big-body"
get post_big / --data-binary "@$WORK/big-body"
check_eq "a POST body over 1 KB is 413 (lighttpd)" 413 "$CODE"

long=$(python3 -c 'print("a" * 9000)')
get long "/?q=$long"
check_eq "a 9 KB query string is 414 (from the CGI)" 414 "$CODE"
check_file_contains "414: the CGI's error page" "$WORK/long.b" 'longer than 8192 bytes'
longer=$(python3 -c 'print("a" * 20000)')
get longer "/?q=$longer"
check_eq "a 20 KB request line is 431 (lighttpd)" 431 "$CODE"

for path in /nothing /index.html /cysearch.cgi/extra /lighttpd.conf /search; do
  get notfound "$path"
  check_eq "GET $path is 404" 404 "$CODE"
done
# The stylesheet with a path after it (static-file.disable-pathinfo).
get css_pathinfo /cysearch.css/x
case $CODE in
  403 | 404) pass "GET /cysearch.css/x is not the stylesheet ($CODE)" ;;
  *) fail "GET /cysearch.css/x is not the stylesheet (403 or 404), not $CODE" ;;
esac
get traversal '/../../etc/passwd'
case $CODE in
  400 | 404) pass "a path outside the document root is refused ($CODE)" ;;
  *) fail "a path outside the document root is refused, not $CODE" ;;
esac
check_file_not_contains "no file from outside the document root" "$WORK/traversal.b" 'root:'

# ---- stop ---------------------------------------------------------------------
stop_server
if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/"; then
  fail "the server stopped"
else
  pass "the server stopped"
fi
docroot=$(sed -n 's/.* from \(.*\) (Ctrl-C stops)$/\1/p' "$WORK/server.log")
if [ -n "$docroot" ] && [ ! -e "$docroot" ]; then
  pass "serve-demo.sh removed its document root"
else
  fail "serve-demo.sh removed its document root ($docroot)" "$(cat "$WORK/server.log")"
fi
finish
