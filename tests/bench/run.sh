#!/bin/sh
# cysearch side by side with plain Xapian (Omega's scriptindex + the Python
# bindings), SQLite FTS5 (the sqlite3 shell) and Sphinx, on the same corpus
# and queries; prints tables and ratios, writes results.json, results.md
# and PNG plots (tests/bench/results/ by default).
#   tests/bench/run.sh BUILD_DIR [--sizes 10000,100000] [--with-1m]
#       [--corpus FILE] [--queries FILE] [--out DIR] [--work DIR]
#       [--engines cysearch,xapian,fts5,sphinx] [--modes or,and]
#       [--rounds N] [--warmup N] [--start-runs N] [--seed S] [--keep]
#       [--no-real] [--quiet-wait S]
# BUILD_DIR is a Release build (bench_queries is built with the tests).
# Needs .ci/install-deps --bench.  bench.py --help has the details.
set -eu
[ $# -ge 1 ] || { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
exec /usr/bin/python3 "$here/bench.py" run "$@"
