#!/usr/bin/env python3
"""compare.py — are two runs really different?  Per-query paired comparison
of two TREC runs against one qrels file, for the ranking experiments
logged in docs/ranking.md.

    python3 tests/eval/compare.py QRELS BASELINE.run NEW.run

For nDCG@10 and Recall@100 it prints both means, the mean difference, how
many queries went up, down or stayed, and the two-sided p-value of a
paired randomisation (sign-flip) test: the share of random sign flips of
the per-query differences whose sum is at least as far from 0 as the one
observed.  The per-query values come from the shared evaluator
(trec_eval.py -q), so they are the ones scifact.sh reports.  Python 3
standard library only; the evaluator is found through CYSEARCH_SHARED_DIR
(default ../shared from the project root).
"""
import os
import random
import subprocess
import sys

MEASURES = ("ndcg_cut_10", "recall_100")
FLIPS = 10000


def per_query(evaluator, qrels, run):
    """{measure: {qid: value}} from the shared evaluator's -q output."""
    out = subprocess.run([sys.executable, evaluator, "-q", qrels, run],
                         check=True, capture_output=True, text=True).stdout
    values = {m: {} for m in MEASURES}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] in values and parts[1] != "all":
            values[parts[0]][parts[1]] = float(parts[2])
    return values


def sign_flip_p(diffs, flips=FLIPS, seed=1):
    """Two-sided p-value of the paired randomisation test."""
    observed = abs(sum(diffs))
    if observed == 0:
        return 1.0
    rng = random.Random(seed)
    hits = 0
    for _ in range(flips):
        total = sum(d if rng.random() < 0.5 else -d for d in diffs)
        if abs(total) >= observed - 1e-12:
            hits += 1
    return hits / flips


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: compare.py QRELS BASELINE.run NEW.run\n")
        return 2
    qrels, base_run, new_run = argv[1:]
    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    shared = os.environ.get("CYSEARCH_SHARED_DIR",
                            os.path.join(root, "..", "shared"))
    evaluator = os.path.join(shared, "eval", "trec_eval.py")
    if not os.path.isfile(evaluator):
        sys.stderr.write("compare.py: the evaluator %s is missing; set "
                         "CYSEARCH_SHARED_DIR to the shared data\n" % evaluator)
        return 2
    base = per_query(evaluator, qrels, base_run)
    new = per_query(evaluator, qrels, new_run)
    for m in MEASURES:
        qids = sorted(base[m])
        if sorted(new[m]) != qids or not qids:
            sys.stderr.write("compare.py: the runs score different queries "
                             "(%s)\n" % m)
            return 1
        diffs = [new[m][q] - base[m][q] for q in qids]
        up = sum(d > 1e-9 for d in diffs)
        down = sum(d < -1e-9 for d in diffs)
        n = len(qids)
        print("%-12s %.4f -> %.4f  diff %+.4f  up %d down %d same %d  "
              "p = %.3f" % (m, sum(base[m].values()) / n,
                            sum(new[m].values()) / n, sum(diffs) / n, up,
                            down, n - up - down, sign_flip_p(diffs)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
