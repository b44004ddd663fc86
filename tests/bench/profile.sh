#!/bin/sh
# profile.sh — where a results page and an indexed article spend their CPU
# (issue #18, item 1): perf with DWARF call graphs, reported as the share
# of samples under each phase (inclusive; phases nest, so they do not add
# up to 100%).
#
#   tests/bench/profile.sh BUILD_DIR INDEX QUERIES ARTICLES.jsonl [XAPIAN_LIB]
#
# The searches are `cysearch --queries QUERIES --format json --facets all`
# over INDEX (top 10, snippets, every facet: the CLI's results page); the
# indexing is one job, one thread, of ARTICLES.jsonl into a new index.
# XAPIAN_LIB is a directory holding a libxapian.so.30 built with -g (Debian
# has no debug symbols package reachable here: build 1.4.22 from
# `apt-get source xapian-core` with CXXFLAGS="-O2 -g"), so that Xapian's
# own functions are named; without it they show as addresses.  Needs perf
# and a kernel that lets this user profile (perf_event_paranoid <= 2).
set -eu
[ $# -ge 4 ] || { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
build=$(cd "$1" && pwd)
index=$2
queries=$3
articles=$4
[ $# -ge 5 ] && export LD_LIBRARY_PATH="$5${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# share DATA LABEL SYMBOL...: the inclusive share of the first symbol
# found (several names cover inlining differences between builds).
share() {
  data=$1 label=$2
  shift 2
  for sym in "$@"; do
    pct=$(perf report -i "$data" --children --sort symbol --stdio 2>/dev/null |
          awk -v s="$sym" '$1 ~ /%$/ && $4 == s {print $1; exit}')
    if [ -n "$pct" ]; then
      printf '  %-34s %7s  (%s)\n' "$label" "$pct" "$sym"
      return
    fi
  done
  printf '  %-34s %7s\n' "$label" "-"
}

perf record -q -F 2000 --call-graph dwarf,16384 -o "$work/query.data" \
  "$build/searcher/cysearch" --db "$index" --queries "$queries" \
  --format json --facets all >/dev/null 2>"$work/query.err"
echo "results page ($(wc -l <"$queries") queries, --format json --facets all):"
share "$work/query.data" "search (cys_search)" cys_search
share "$work/query.data" "parse" cys_query_parse
share "$work/query.data" "match (Xapian get_mset)" Xapian::Enquire::get_mset
share "$work/query.data" "count stories and facets" search_count
share "$work/query.data" "  facet tallies" facet_tally_add
share "$work/query.data" "  collapse near-duplicates" collapse_match
share "$work/query.data" "read hits (stored articles)" search_hit_read
share "$work/query.data" "snippets" cys_snippet_make
share "$work/query.data" "did you mean" search_suggest
share "$work/query.data" "output (JSON)" output_json

perf record -q -F 1000 --call-graph dwarf,16384 -o "$work/index.data" \
  "$build/indexer/cysearch-index" --threads 1 --db "$work/index" \
  "$articles" >/dev/null 2>"$work/index.err"
echo "indexing ($(wc -l <"$articles") articles, one thread):"
share "$work/index.data" "one article (cys_writer_put_from)" cys_writer_put_from
share "$work/index.data" "analysis (tokens, stems)" cys_analyze
share "$work/index.data" "entities (settling each field)" cys_extractor_end_field
share "$work/index.data" "near-duplicate key" dedup_key
share "$work/index.data" "Xapian add_document" cys_wdb_add
share "$work/index.data" "compress the stored text" deflate
share "$work/index.data" "commit" cys_wdb_commit
