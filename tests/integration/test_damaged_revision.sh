#!/bin/sh
# test_damaged_revision.sh — a damaged revision file (iamglass) never
# crashes cysearch, cysearch.cgi or cysearch-index (issue #16): Xapian 1.4
# trusts its B-tree levels, root blocks and free-list cursors, and read
# outside its buffers when 4 bytes there were flipped.  Each 4-byte run
# after the header of a copy of the sample index is flipped (XOR 0xFF) or
# set to 0x7F, and all three programs run on it: the CLI and the indexer
# exit 0 or 1 (1 with "corrupt" in the message), the page answers 200 or
# 503.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

: "${CYSEARCH_CGI:?CYSEARCH_CGI must name the cysearch.cgi program}"
DB="$WORK/db"
run index "$CYSEARCH_INDEX" --db "$DB" "$SAMPLE"
check_status "index sample.jsonl" 0

pycheck "$DB" "$WORK" "$CYSEARCH" "$CYSEARCH_CGI" "$CYSEARCH_INDEX" "$SAMPLE" <<'EOF'
import os, shutil, subprocess
db, work, cli, cgi, indexer, sample = sys.argv[1:7]
original = open(os.path.join(db, "iamglass"), "rb").read()
bad = {"cli": [], "cgi": [], "indexer": []}
tried = 0
for offset in range(32, len(original)):
    for how in ("xor", "7f"):
        copy = os.path.join(work, "damaged")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(db, copy)
        data = bytearray(original)
        for i in range(offset, min(offset + 4, len(data))):
            data[i] = data[i] ^ 0xFF if how == "xor" else 0x7F
        with open(os.path.join(copy, "iamglass"), "wb") as f:
            f.write(data)
        tried += 1
        where = "%s at %d" % (how, offset)
        r = subprocess.run([cli, "--db", copy, "--no-snippets", "china"],
                           capture_output=True, timeout=120)
        if r.returncode not in (0, 1) or (
                r.returncode == 1 and b"corrupt" not in r.stderr.lower()):
            bad["cli"].append((where, r.returncode, r.stderr[-200:]))
        env = {"PATH": os.environ.get("PATH", ""), "GATEWAY_INTERFACE": "CGI/1.1",
               "REQUEST_METHOD": "GET", "QUERY_STRING": "q=china",
               "CYSEARCH_DB": copy}
        r = subprocess.run([cgi], capture_output=True, env=env, timeout=120)
        status = r.stdout.split(b"\r\n", 1)[0]
        if r.returncode != 0 or status not in (b"Status: 200 OK",
                                               b"Status: 503 Service Unavailable"):
            bad["cgi"].append((where, r.returncode, status))
        r = subprocess.run([indexer, "--db", copy, "-q", sample],
                           capture_output=True, timeout=120)
        if r.returncode not in (0, 1) or (
                r.returncode == 1 and b"corrupt" not in r.stderr.lower()):
            bad["indexer"].append((where, r.returncode, r.stderr[-200:]))
check(tried > 100, "damaged copies tried: %d" % tried)
for program, failures in bad.items():
    check(not failures, "%s: no crash, a corrupt-index status" % program,
          "\n".join(map(str, failures[:10])))
EOF

finish
