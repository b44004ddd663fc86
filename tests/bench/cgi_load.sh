#!/bin/sh
# cgi_load.sh — the search page under load (issue #7): lighttpd with the
# shipped searcher/lighttpd.conf serves cysearch.cgi, and wrk (Debian's
# wrk package) sends CONNECTIONS concurrent clients for DURATION seconds per
# request shape, each request the next query of a query file
# (cgi_load.lua).  Side by side, in the same run, the baselines that make
# the numbers mean something on a shared machine:
#
#   css      the static stylesheet through the same lighttpd
#   fixed    a minimal C CGI printing a fixed page (cgi_fixed.c): what
#            starting any CGI process costs here
#   omega    Xapian Omega, the CGI Xapian ships (package xapian-omega), with
#            its default "query" template, over a scriptindex index of the
#            same corpus (news.scriptindex, as tests/bench/run.sh builds it)
#
#   tests/bench/cgi_load.sh BUILD_DIR INDEX OMEGA_DB [OUT_DIR]
#
# BUILD_DIR is a CMake build directory, INDEX a cysearch index, OMEGA_DB a
# Xapian database made by scriptindex from the same articles ("-" leaves
# Omega out), as tests/bench/run.sh makes it:
#   python3 tests/bench/bench.py to-scriptindex CORPUS.jsonl records &&
#   scriptindex --stemmer=english OMEGA_DB tests/bench/news.scriptindex records  Writes OUT_DIR/cgi-load.md (a table: requests/s, p50, p90,
# p99, errors, ratios to the baselines) and OUT_DIR/cgi-load-raw.txt (wrk's
# own output); OUT_DIR defaults to tests/bench/results.  Environment:
#   DURATION     seconds per shape (30)      CONNECTIONS  clients (2)
#   QUERIES      one query a line (../shared/bench/news-queries.txt)
#   PORT         the loopback port (18480)
#   OTHER_CGI    another cysearch.cgi (an older build) to measure as well,
#                as the rows "other-page" and "other-filter"
# Traffic goes to 127.0.0.1 only, and each wrk run stops by itself.
# Needs: lighttpd, wrk, cc, curl; xapian-omega for the Omega row
# (.ci/install-deps --bench installs them).
set -eu

usage() {
  echo "usage: $0 BUILD_DIR INDEX OMEGA_DB|- [OUT_DIR]" >&2
  exit 2
}
[ $# -ge 3 ] && [ $# -le 4 ] || usage

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=$(cd "$1" && pwd) || usage
index=$(cd "$2" && pwd) || usage
omega_db=$3
out=${4:-$here/results}
duration=${DURATION:-30}
conns=${CONNECTIONS:-2}
port=${PORT:-18480}
queries=${QUERIES:-$src/../shared/bench/news-queries.txt}
omega_cgi=/usr/lib/cgi-bin/omega/omega
PATH="$PATH:/usr/sbin:/sbin"

for tool in lighttpd wrk cc curl; do
  command -v "$tool" >/dev/null 2>&1 ||
    { echo "$0: $tool is not installed (.ci/install-deps --bench)" >&2; exit 1; }
done
[ -x "$build/searcher/cysearch.cgi" ] ||
  { echo "$0: no $build/searcher/cysearch.cgi: build it first" >&2; exit 1; }
[ -r "$queries" ] ||
  { echo "$0: cannot read the queries '$queries' (set QUERIES)" >&2; exit 1; }
if [ "$omega_db" != - ]; then
  omega_db=$(cd "$omega_db" && pwd) || usage
  [ -x "$omega_cgi" ] ||
    { echo "$0: $omega_cgi missing (apt-get install xapian-omega), or pass - as OMEGA_DB" >&2; exit 1; }
fi
mkdir -p "$out"

work=$(mktemp -d "${TMPDIR:-/tmp}/cgi-load.XXXXXX")
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

# The document root of serve-demo.sh (the CGI and the stylesheet) plus the
# baselines; lighttpd runs the shipped configuration, included from a
# two-line one that gives Omega its configuration file.
docroot="$work/root"
mkdir "$docroot"
ln -s "$build/searcher/cysearch.cgi" "$docroot/cysearch.cgi"
cp "$src/searcher/cysearch.css" "$docroot/cysearch.css"
cc -O2 -o "$docroot/fixed.cgi" "$here/cgi_fixed.c"
if [ -n "${OTHER_CGI:-}" ]; then
  ln -s "$(cd "$(dirname "$OTHER_CGI")" && pwd)/$(basename "$OTHER_CGI")" \
    "$docroot/other.cgi"
fi
if [ "$omega_db" != - ]; then
  ln -s "$omega_cgi" "$docroot/omega.cgi"
  mkdir "$work/omega" "$work/omega/log" "$work/omega/cdb"
  ln -s "$omega_db" "$work/omega/default"
  cat >"$work/omega.conf" <<EOF
database_dir $work/omega
template_dir /usr/share/xapian-omega/templates
log_dir $work/omega/log
cdb_dir $work/omega/cdb
EOF
fi
cat >"$work/lighttpd.conf" <<EOF
include "$src/searcher/lighttpd.conf"
setenv.add-environment += ("OMEGA_CONFIG_FILE" => "$work/omega.conf")
EOF

CYSEARCH_PORT=$port CYSEARCH_DOCROOT=$docroot CYSEARCH_DB=$index \
  lighttpd -D -f "$work/lighttpd.conf" >"$work/lighttpd.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
tries=0
until curl -sf -o /dev/null "$base/cysearch.css"; do
  tries=$((tries + 1))
  if [ $tries -gt 50 ] || ! kill -0 "$server" 2>/dev/null; then
    echo "$0: lighttpd did not start on port $port:" >&2
    cat "$work/lighttpd.log" >&2
    exit 1
  fi
  sleep 0.2
done

raw="$out/cgi-load-raw.txt"
{
  echo "# cgi_load.sh $(date -u +%Y-%m-%dT%H:%MZ): $conns connections," \
    "${duration} s per shape, queries from $queries"
  echo "# index $index, omega db $omega_db"
  echo "# $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$raw"
results="$work/results"
: >"$results"

# CPU time (clock ticks) of lighttpd and of the CGI processes it has
# waited for (utime, stime, cutime, cstime of /proc/PID/stat): per request,
# what the server side spent, whatever else the machine was doing.
cpu_ticks() {
  sed 's/^.*) //' "/proc/$server/stat" | awk '{print $12 + $13 + $14 + $15}'
}
hz=$(getconf CLK_TCK)

# shape NAME PREFIX SUFFIX [static]: one wrk run; the first request must
# answer 200, or the run stops with that answer.
shape() {
  name=$1 prefix=$2 suffix=$3 static=${4:-0}
  first_q=$(sed -n '1s/^[^\t]*\t//p' "$queries" | sed 's/ /+/g')
  if [ "$static" = 1 ]; then probe="$base$prefix"; else probe="$base$prefix$first_q$suffix"; fi
  code=$(curl -s -o "$work/probe.out" -w '%{http_code}' "$probe" || :)
  if [ "$code" != 200 ]; then
    echo "$0: $name: $probe answered $code, not 200:" >&2
    head -c 1500 "$work/probe.out" >&2
    exit 1
  fi
  echo "$0: $name: ${duration} s of $prefix...$suffix" >&2
  echo "## $name: $prefix<query>$suffix" >>"$raw"
  ticks0=$(cpu_ticks)
  CGI_LOAD_NAME=$name CGI_LOAD_PREFIX=$prefix CGI_LOAD_SUFFIX=$suffix \
    CGI_LOAD_STATIC=$static CGI_LOAD_QUERIES=$queries \
    wrk -t "$conns" -c "$conns" -d "${duration}s" --timeout 10s --latency \
      -s "$here/cgi_load.lua" "$base" >"$work/wrk.out" 2>&1 || :
  ticks=$(($(cpu_ticks) - ticks0))
  echo "server CPU: $ticks ticks of 1/$hz s; load average $(cut -d' ' -f1-3 /proc/loadavg)" >>"$work/wrk.out"
  cat "$work/wrk.out" >>"$raw"
  line=$(grep '^RESULT ' "$work/wrk.out") ||
    { echo "$0: $name: wrk failed:" >&2; cat "$work/wrk.out" >&2; exit 1; }
  echo "$line $ticks $hz $(cut -d' ' -f1 /proc/loadavg)" >>"$results"
}

shape css /cysearch.css "" 1
shape fixed "/fixed.cgi?q=" ""
shape page "/?q=" ""
shape json "/?q=" "&format=json"
shape filter "/?q=" "&country=CN"
shape filter-syntax "/?q=" "+country%3ACN"
if [ -n "${OTHER_CGI:-}" ]; then
  shape other-page "/other.cgi?q=" ""
  shape other-filter "/other.cgi?q=" "&country=CN"
fi
[ "$omega_db" = - ] || shape omega "/omega.cgi?P=" ""

# The table: ratios of p50 and of CPU per request to the fixed CGI and
# to Omega.
{
  echo "# The search page under load (tests/bench/cgi_load.sh)"
  echo
  echo "$(date -u +%Y-%m-%d), commit $(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo '?')" \
    "plus the working tree; index $index; Omega database $omega_db;" \
    "queries $queries; $(nproc) cores. Raw wrk output: cgi-load-raw.txt."
  echo
} >"$out/cgi-load.md"
awk -v conns="$conns" -v dur="$duration" '
  { name[NR] = $2; rps[NR] = $3; p50[NR] = $4; p90[NR] = $5; p99[NR] = $6
    err[NR] = $7; req[NR] = $8; cpu[NR] = $8 ? $9 * 1000 / $10 / $8 : 0
    load[NR] = $11; at[$2] = NR }
  function ratio(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "-" }
  END {
    printf "| shape | requests/s | p50 ms | p90 ms | p99 ms | errors | requests | server CPU ms/request | p50 / fixed CGI | p50 / Omega | CPU / Omega | load |\n"
    printf "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    f = at["fixed"]; o = at["omega"]
    for (i = 1; i <= NR; i++)
      printf "| %s | %.1f | %.2f | %.2f | %.2f | %d | %d | %.2f | %s | %s | %s | %s |\n",
        name[i], rps[i], p50[i], p90[i], p99[i], err[i], req[i], cpu[i],
        f ? ratio(p50[i], p50[f]) : "-", o ? ratio(p50[i], p50[o]) : "-",
        o ? ratio(cpu[i], cpu[o]) : "-", load[i]
    printf "\n%d connections, %d s per shape, one after another; server CPU is lighttpd'"'"'s and its CGI processes'"'"' user + system time over the requests of the shape; load is the 1-minute load average at the end of the shape.\n", conns, dur
  }' "$results" >>"$out/cgi-load.md"
cat "$out/cgi-load.md"
