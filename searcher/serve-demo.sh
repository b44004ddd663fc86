#!/bin/sh
# serve-demo.sh — serve the search page of a build with lighttpd, in the
# foreground, on 127.0.0.1 only:
#
#   searcher/serve-demo.sh [--fastcgi] BUILD_DIR INDEX_DIR [PORT]
#
# BUILD_DIR is a CMake build directory (the CGI is BUILD_DIR/searcher/
# cysearch.cgi), INDEX_DIR an index made by cysearch-index, PORT 8080 by
# default.  A temporary document root gets a link to the CGI and a copy of
# cysearch.css, lighttpd runs with the lighttpd.conf next to this script,
# and Ctrl-C (or SIGTERM) stops it and removes the temporary directory.
# With --fastcgi, lighttpd-fastcgi.conf: resident cysearch.cgi processes
# instead of one per request.
# Needs Debian's lighttpd package (1.4.69 or later).
set -eu

usage() {
  echo "usage: $0 [--fastcgi] BUILD_DIR INDEX_DIR [PORT]" >&2
  exit 2
}
conf=lighttpd.conf
if [ "${1:-}" = --fastcgi ]; then
  conf=lighttpd-fastcgi.conf
  shift
fi
[ $# -ge 2 ] && [ $# -le 3 ] || usage

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd) || usage
index=$(cd "$2" && pwd) || usage
port=${3:-8080}
cgi="$build/searcher/cysearch.cgi"

case $port in
  '' | *[!0-9]*) echo "$0: the port must be a number, not '$port'" >&2; exit 2 ;;
esac
if [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
  echo "$0: the port must be from 1 to 65535" >&2
  exit 2
fi
if [ ! -x "$cgi" ]; then
  echo "$0: no $cgi: build it first (cmake --build $1)" >&2
  exit 1
fi
# lighttpd lives in /usr/sbin, which is not on every user's PATH.
PATH="$PATH:/usr/sbin:/sbin"
if ! command -v lighttpd >/dev/null 2>&1; then
  echo "$0: lighttpd is not installed (apt-get install lighttpd)" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/cysearch-demo.XXXXXX")
docroot=$work/docroot
mkdir "$docroot"
server=""
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || :
    wait "$server" 2>/dev/null || :
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

ln -s "$cgi" "$docroot/cysearch.cgi"
cp "$here/cysearch.css" "$docroot/cysearch.css"

echo "$0: serving $index at http://127.0.0.1:$port/ from $docroot (Ctrl-C stops)" >&2
CYSEARCH_PORT=$port CYSEARCH_DOCROOT=$docroot CYSEARCH_DB=$index \
  CYSEARCH_SOCKET=$work/fcgi.socket lighttpd -D -f "$here/$conf" &
server=$!
# A non-interactive shell starts background jobs with SIGINT ignored, so
# Ctrl-C reaches lighttpd through the traps above.
if wait "$server"; then
  status=0
else
  status=$?
fi
server=""
exit "$status"
