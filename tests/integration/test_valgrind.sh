#!/bin/sh
# test_valgrind.sh — the indexer, the CLI and the CGI under Valgrind's
# memcheck: indexing the sample corpus (with bad lines), searching with
# filters, facets and snippets, and CGI requests good and hostile.  Any
# memory error or leak of ours fails the test.  Skipped without valgrind.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

command -v valgrind >/dev/null 2>&1 || skip "valgrind not installed"
[ -n "${CYSEARCH_CGI:-}" ] || skip "CYSEARCH_CGI not set"

# Leaks of blocks allocated by libxapian's own static caches are "still
# reachable" at exit, not lost; definite and indirect leaks count.
vg() {
  valgrind --quiet --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
    "$@"
}

SAMPLE="$CYSEARCH_SOURCE_DIR/corpus/sample.jsonl"
cp "$SAMPLE" "$WORK/input.jsonl"
printf 'not json\n{"id":"bad-utf8","body":"caf\351"}\n' >> "$WORK/input.jsonl"
run index vg "$CYSEARCH_INDEX" --db "$WORK/db" "$WORK/input.jsonl"
check_status "cysearch-index under memcheck (exit 3: one line skipped)" 3
check_file_not_contains "no memcheck report from the indexer" "$WORK/index.err" "=="

for q in 'china espionage' 'country:CN actor-country:RU' '"volt typhoon" -lazarus' 'CVE-2021-44228' 'country:Narnia'; do
  run search vg "$CYSEARCH" --db "$WORK/db" --format json --facets all "$q"
  [ "$STATUS" -eq 0 ] || [ "$STATUS" -eq 2 ] && pass "cysearch '$q' under memcheck" ||
    fail "cysearch '$q' under memcheck" "status $STATUS: $(tail -3 "$WORK/search.err")"
  check_file_not_contains "no memcheck report for '$q'" "$WORK/search.err" "=="
done

for qs in 'q=ransomware+hospital' 'q=china&country=CN&page=2' 'format=json&q=apt28' \
          'q=%3Cscript%3Ealert(1)%3C%2Fscript%3E' 'q=%ZZ' 'q=caf%E9'; do
  run cgi env REQUEST_METHOD=GET QUERY_STRING="$qs" CYSEARCH_DB="$WORK/db" \
    valgrind --quiet --error-exitcode=99 --leak-check=full \
      --errors-for-leak-kinds=definite,indirect \
      --show-leak-kinds=definite,indirect "$CYSEARCH_CGI"
  [ "$STATUS" -ne 99 ] && pass "cysearch.cgi ?$qs under memcheck" ||
    fail "cysearch.cgi ?$qs under memcheck" "$(tail -5 "$WORK/cgi.err")"
  check_file_not_contains "no memcheck report for ?$qs" "$WORK/cgi.err" "=="
done
finish
