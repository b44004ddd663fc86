#!/usr/bin/python3
"""page_vs_xapian.py - issue #18's yardstick for the results page: the CPU
time of cysearch's page (snippets, every facet, collapsing) and of its bare
top 10, against plain Xapian's bare top 10 of the same queries, in one run.

  tests/bench/page_vs_xapian.py --cysearch NAME=BUILD_DIR ... --db INDEX
      --xapian NAME=DB ... [--queries FILE] [--rounds N] [--tsv FILE]

Each round runs, one after the other, every cysearch build's bench_queries
(variants bare and full, one round after one warm-up round, CPU time of the
searching thread) and xapian_top10 (tests/bench/xapian_top10.cc, from the
first build) over every Xapian database: plain Xapian's bare top 10
(QueryParser as bench.py's, BM25 at cysearch's k1 and b, get_mset(0, 10),
each hit's data) in two forms:
  estimate   Xapian's default: it prunes, so the AND_MAYBE defect can drop
             a top hit (common/src/xapian_shim_weight.cc)
  unpruned   each term's weight bound reported unreachable, cysearch's
             cure: every posting is read, and the top 10 is right
A Xapian DB is a scriptindex index of the same articles (news.scriptindex)
or the cysearch index itself, whose unprefixed words and Z stems are what
that query looks for.  Rounds alternate the programs, so a change in the
machine's load falls on all of them.  Prints a Markdown table: p50 and p99
over every query and round, and each row's ratios to the first Xapian
database's estimate and unpruned rows; with several cysearch builds, also
their times paired by query and round.  --tsv keeps every timing
("program variant qid round ms" a line).
"""

import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench import percentile  # noqa: E402

CYSEARCH_VARIANTS = "bare,full"
XAPIAN_VARIANTS = "estimate,unpruned"


def named(value):
    name, sep, path = value.partition("=")
    if not sep or not name or not path:
        raise argparse.ArgumentTypeError("%r is not NAME=PATH" % value)
    return name, path


def read_tsv(path, label, rnd, rows):
    """Add each timing of a bench_queries or bench.py TSV to rows, as
    (label, variant, query id, round, milliseconds)."""
    with open(path) as f:
        for line in f:
            _, variant, qid, _, us, _ = line.rstrip("\n").split("\t")
            rows.append((label, variant, qid, rnd, float(us) / 1e3))


def load():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def one_round(args, work, rnd, rows):
    tsv = os.path.join(work, "round.tsv")
    for name, build in args.cysearch:
        subprocess.run([os.path.join(build, "tests", "bench_queries"),
                        "--db", args.db, "--queries", args.queries,
                        "--rounds", "1", "--warmup", "1", "--cpu",
                        "--only", CYSEARCH_VARIANTS, "--tsv", tsv],
                       check=True, stdout=subprocess.DEVNULL)
        read_tsv(tsv, "cysearch " + name, rnd, rows)
    top10 = os.path.join(args.cysearch[0][1], "tests", "xapian_top10")
    for name, db in args.xapian:
        subprocess.run([top10, "--db", db, "--queries", args.queries,
                        "--rounds", "1", "--warmup", "1", "--cpu",
                        "--tsv", tsv],
                       check=True, stdout=subprocess.DEVNULL)
        read_tsv(tsv, "Xapian " + name, rnd, rows)


def table(args, rows):
    order = [("cysearch " + n, v) for n, _ in args.cysearch
             for v in CYSEARCH_VARIANTS.split(",")]
    order += [("Xapian " + n, v) for n, _ in args.xapian
              for v in XAPIAN_VARIANTS.split(",")]
    stats = {}
    for key in order:
        v = sorted(ms for label, variant, _, _, ms in rows
                   if (label, variant) == key)
        stats[key] = (len(v), percentile(v, 50), percentile(v, 99))
    ref = "Xapian " + args.xapian[0][0]
    est, unp = stats[(ref, "estimate")], stats[(ref, "unpruned")]
    print("| CPU ms per query | n | p50 | p99 | p50 / p99 ÷ %s estimate "
          "| p50 / p99 ÷ %s unpruned |" % (ref, ref))
    print("|---|---:|---:|---:|---:|---:|")
    for key in order:
        n, p50, p99 = stats[key]
        print("| %s %s | %d | %.2f | %.2f | %.2f× / %.2f× | %.2f× / %.2f× |"
              % (key[0], key[1], n, p50, p99, p50 / est[1], p99 / est[2],
                 p50 / unp[1], p99 / unp[2]))


def paired(args, rows):
    """With several cysearch builds: each one's time over the first's for
    the same query and round, the median of those ratios per variant
    (steadier than a ratio of medians on a busy machine)."""
    if len(args.cysearch) < 2:
        return
    times = {(label, variant, qid, rnd): ms
             for label, variant, qid, rnd, ms in rows}
    first = "cysearch " + args.cysearch[0][0]
    print()
    for name, _ in args.cysearch[1:]:
        for variant in CYSEARCH_VARIANTS.split(","):
            ratios = sorted(ms / times[(first, variant, qid, rnd)]
                            for (label, v, qid, rnd), ms in times.items()
                            if label == "cysearch " + name and v == variant
                            and times.get((first, variant, qid, rnd)))
            print("%s %s ÷ %s, paired by query and round: median %.3f× "
                  "(quartiles %.3f× – %.3f×)"
                  % (name, variant, args.cysearch[0][0],
                     percentile(ratios, 50), percentile(ratios, 25),
                     percentile(ratios, 75)))


def main(argv):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--cysearch", type=named, action="append", required=True,
                    metavar="NAME=BUILD_DIR")
    ap.add_argument("--db", required=True, help="the cysearch index")
    ap.add_argument("--xapian", type=named, action="append", required=True,
                    metavar="NAME=DB")
    ap.add_argument("--queries", default=os.path.normpath(os.path.join(
        HERE, "..", "..", "..", "shared", "bench", "news-queries.txt")))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--tsv", help="write every timing here")
    args = ap.parse_args(argv)
    if args.rounds < 1:
        ap.error("--rounds must be at least 1")
    rows = []
    loads = [load()]
    with tempfile.TemporaryDirectory() as work:
        for r in range(args.rounds):
            one_round(args, work, r, rows)
            loads.append(load())
            print("round %d of %d done, load %s" % (r + 1, args.rounds,
                                                    loads[-1]),
                  file=sys.stderr)
    if args.tsv:
        with open(args.tsv, "w") as f:
            for row in rows:
                f.write("%s\t%s\t%s\t%d\t%.4f\n" % row)
    table(args, rows)
    paired(args, rows)
    print("\n%d rounds of %s, one-minute load average %s"
          % (args.rounds, os.path.basename(args.queries), " → ".join(loads)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
