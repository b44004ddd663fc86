#!/usr/bin/env python3
"""timeline_cli.py — what a timeline costs as the CLI runs it (issue #19):
each query of QUERIES runs through `cysearch` in these shapes, queries and
shapes interleaved, and the CPU time of each process (user + system, from
the kernel's accounting of children) is summed per shape:

  facets-year           cysearch --facets year QUERY (a page of 10 hits)
  timeline-month        cysearch --timeline month QUERY
  timeline-month-actor  cysearch --timeline month --facets actor
                        --facet-limit 5 QUERY
  facets-year-n0        cysearch -n 0 --facets year QUERY (no hits)
  timeline-month-n0     cysearch -n 0 --timeline month QUERY

Prints a Markdown table: CPU ms per query and the ratio to facets-year,
and, for the shapes without hits, to facets-year-n0.

  timeline_cli.py CYSEARCH INDEX QUERIES [ROUNDS]
"""
import resource
import subprocess
import sys

SHAPES = {
    "facets-year": ["--facets", "year"],
    "timeline-month": ["--timeline", "month"],
    "timeline-month-actor": ["--timeline", "month", "--facets", "actor",
                             "--facet-limit", "5"],
    "facets-year-n0": ["-n", "0", "--facets", "year"],
    "timeline-month-n0": ["-n", "0", "--timeline", "month"],
}


def children_cpu():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__.split("\n\n")[-1].strip())
    cysearch, index, qfile = sys.argv[1:4]
    rounds = int(sys.argv[4]) if len(sys.argv) == 5 else 1
    with open(qfile, encoding="utf-8") as f:
        queries = [l.rstrip("\n").split("\t")[-1] for l in f if l.strip()]
    cpu = dict.fromkeys(SHAPES, 0.0)
    for _ in range(rounds):
        for q in queries:
            for shape, args in SHAPES.items():
                before = children_cpu()
                # "--": a query may start with "-" (an excluded word).
                subprocess.run([cysearch, "--db", index, *args, "--", q],
                               stdout=subprocess.DEVNULL, check=True)
                cpu[shape] += children_cpu() - before
    n = len(queries) * rounds
    print("| shape (CLI process) | CPU ms per query | ratio to facets-year "
          "| ratio to facets-year-n0 |")
    print("|---|---:|---:|---:|")
    for shape in SHAPES:
        n0 = cpu[shape] / cpu["facets-year-n0"] if shape.endswith("-n0") else None
        print("| %s | %.2f | %.2f | %s |" % (
            shape, 1000 * cpu[shape] / n, cpu[shape] / cpu["facets-year"],
            "%.2f" % n0 if n0 is not None else ""))


if __name__ == "__main__":
    main()
