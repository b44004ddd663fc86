#!/bin/sh
# test_count_apart.sh — a search that counts every match and also ranks a
# page (--exact, a timeline with hits, the page's exact=1) runs two
# matches (search.c, count_apart): an unweighted one that counts and a
# ranked one for the page.  Whatever the shape of the search, the page
# must be the page of the same search that counts nothing (-n 10, no
# --exact: one ranked match), and the totals, facets and timeline those of
# the same search with no page (-n 0: one counting match); several shards
# (whose counting reads values in the spy, xapian_shim_count.cc) count as
# one index.  Shapes test_timeline does not cover: oldest first, freshness
# (an AND_MAYBE with a date decay), a later page, feedback, --like,
# phrase, OR, NOT, wildcard and filter-only queries, and none matching.
# On the sample corpus (one index and three shards) and on the news corpus
# when ../shared has it.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

index_corpora
run shards "$CYSEARCH_INDEX" --db "$WORK/sample3" --shards 3 "$SAMPLE"
check_status "indexing the sample corpus into three shards" 0

for db in $DBS; do
pycheck "$CYSEARCH" "$db" "$WORK/sample3" <<'EOF'
import os, subprocess
prog, db, shards = sys.argv[1:4]
name = os.path.basename(db)

def cysearch(index, *args):
    p = subprocess.run([prog, "--db", index, "--format", "json",
                        "--no-snippets", "--no-suggest", *args],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit("FAIL cysearch %s: %s" % (" ".join(args), p.stderr))
    return json.loads(p.stdout)

TOTALS = ("total", "total_exact", "total_lower", "total_upper")

def counted(r):
    return ([r[k] for k in TOTALS], r.get("facets"), r.get("timeline"))

def page(r):
    return [(h["id"], h["score"]) for h in r["hits"]]

queries = ["ransomware", '"ransomware attack" OR espionage',
           "attack -ransomware", "hack*", "after:2000", "zzqxnomatch"]
shapes = [[], ["--no-collapse"], ["--sort", "oldest"], ["--sort", "date"],
          ["--sort", "recent"], ["-o", "3"], ["--feedback", "5"]]
first_id = cysearch(db, "-n", "1", "ransomware")["hits"][0]["id"]
cases = [(q, s) for q in queries for s in shapes]
cases += [(q, ["--like", first_id]) for q in ("", "after:2000")]
for query, shape in cases:
    what = "%s: %r %s" % (name, query, " ".join(shape))
    tail = [query] if query else []
    plain = cysearch(db, "-n", "5", *shape, *tail)
    for count in (["--timeline", "month", "--facets", "actor"],
                  ["--exact", "--facets", "year"]):
        how = what + " " + " ".join(count)
        paged = cysearch(db, "-n", "5", *count, *shape, *tail)
        alone = cysearch(db, "-n", "0", *count, *shape, *tail)
        check_eq(how + ": totals, facets and timeline of no page",
                 counted(alone), counted(paged))
        check(paged["total_exact"], how + ": the total is exact")
        check_eq(how + ": the page of the search that counts nothing",
                 page(plain), page(paged))
        if name == "sample" and "--like" not in shape:
            check_eq(how + ": three shards count as one index",
                     counted(paged), counted(cysearch(shards, "-n", "5",
                                                      *count, *shape, *tail)))
EOF
done
finish
