#!/bin/sh
# test_queries_file.sh — cysearch --queries reads its file in bounded
# memory (issue #16): a 160 MB line is refused by file:line without being
# held (peak RSS measured, well under the line's size; it used to be
# buffered whole), the queries after it still run, and a binary file is
# refused by name before any query runs.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

DB="$WORK/db"
run index "$CYSEARCH_INDEX" --db "$DB" "$SAMPLE"
check_status "the sample corpus is indexed" 0

python3 - "$WORK/long.txt" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("ransomware\n")
    chunk = "x" * (1 << 20)
    for _ in range(160):
        f.write(chunk)
    f.write("\nchina\n")
PY
# the peak resident memory of the search, from the kernel's accounting
pycheck "$CYSEARCH" "$DB" "$WORK/long.txt" "$WORK/long" <<'EOF'
import resource, subprocess
out = open(sys.argv[4] + ".out", "w")
err = open(sys.argv[4] + ".err", "w")
rc = subprocess.call([sys.argv[1], "--db", sys.argv[2], "--format", "trec",
                      "-n", "1", "--queries", sys.argv[3]], stdout=out, stderr=err)
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
check(rc == 1, "a 160 MB line: exit status 1", rc)
check(peak_mb < 80, "a 160 MB line is not held in memory (peak %.0f MB)" % peak_mb)
EOF
check_file_contains "the long line is named by file:line" "$WORK/long.err" \
  "cysearch: $WORK/long.txt:2: query longer than 65536 bytes; skipped"
check_eq "the queries around it run" "1 2" \
  "$(cut -d' ' -f1 "$WORK/long.out" | tr '\n' ' ' | sed 's/ $//')"

head -c 4096 "$CYSEARCH" >"$WORK/program"
run binary "$CYSEARCH" --db "$DB" --format trec --queries "$WORK/program"
check_status "a binary file as --queries" 1
check_file_contains "a binary file is refused by name" "$WORK/binary.err" \
  "cysearch: $WORK/program:1: binary data (a control character), not a file of queries; stopped"
check_eq "a binary file: no query runs" "" "$(cat "$WORK/binary.out")"

finish
