#!/bin/sh
# shards.sh — query latency of one index against the same articles as
# shards, opened locally (the sharded index's stub) and served by one
# xapian-tcpsrv per shard on 127.0.0.1, in the same run, with
# bench_queries (one process, queries interleaved; see bench_queries.c).
#
#   tests/bench/shards.sh BUILD_DIR SINGLE_INDEX SHARDED_INDEX [QUERIES] [ROUNDS]
#
# SINGLE_INDEX and SHARDED_INDEX hold the same input, built with
# cysearch-index --db SINGLE_INDEX INPUT and cysearch-index --db
# SHARDED_INDEX --shards N INPUT.  QUERIES defaults to the 200 news queries
# of ../shared (bench/news-queries.txt), ROUNDS to 3.  Prints bench_queries'
# lines ("variant N p50_ms p95_ms p99_ms mean_ms max_ms") per set-up and the
# p50 ratios against the single index.  Loopback has no network latency:
# add a round trip per request (about 4 plus one per hit shown) for a LAN.
set -eu
[ $# -ge 3 ] || { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
build=$1
single=$2
sharded=$3
here=$(cd "$(dirname "$0")" && pwd)
queries=${4:-$here/../../../shared/bench/news-queries.txt}
rounds=${5:-3}
bench=$build/tests/bench_queries
[ -x "$bench" ] || { echo "shards.sh: no $bench (build the tests)" >&2; exit 1; }
[ -f "$sharded/XAPIANDB" ] || { echo "shards.sh: $sharded has no XAPIANDB" >&2; exit 1; }
command -v xapian-tcpsrv >/dev/null || { echo "shards.sh: needs xapian-tools" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/cysearch-shards-bench.XXXXXX")
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# One xapian-tcpsrv per shard (setsid: on SIGTERM it signals its whole
# process group), and a stub file of remote lines.
: >"$work/remote.stub"
# shellcheck disable=SC2013  # shard names and ports are single words
for shard in $(sed -n 's/^auto //p' "$sharded/XAPIANDB"); do
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  setsid xapian-tcpsrv --port "$port" --interface 127.0.0.1 --quiet \
    "$sharded/$shard" </dev/null >/dev/null 2>&1 &
  pids="$pids $!"
  echo "remote 127.0.0.1:$port" >>"$work/remote.stub"
done
i=0
# shellcheck disable=SC2013
for port in $(sed -n 's/^remote 127.0.0.1://p' "$work/remote.stub"); do
  until python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' "$port" 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt 100 ] || { echo "shards.sh: xapian-tcpsrv does not start" >&2; exit 1; }
    sleep 0.1
  done
done

for setup in single local remote; do
  case $setup in
    single) db=$single ;;
    local) db=$sharded ;;
    remote) db=$work/remote.stub ;;
  esac
  "$bench" --db "$db" --queries "$queries" --rounds "$rounds" --warmup 1 \
    >"$work/$setup.txt"
  sed "s/^/$setup /" "$work/$setup.txt"
done
echo
echo "p50 ratio to the single index:"
for v in bare full estimate; do
  s=$(awk -v v="$v" '$1 == v { print $3 }' "$work/single.txt")
  l=$(awk -v v="$v" '$1 == v { print $3 }' "$work/local.txt")
  r=$(awk -v v="$v" '$1 == v { print $3 }' "$work/remote.txt")
  awk -v v="$v" -v s="$s" -v l="$l" -v r="$r" \
    'BEGIN { printf "  %-9s local shards %.2fx, remote shards %.2fx\n", v, l / s, r / s }'
done
