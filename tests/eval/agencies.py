#!/usr/bin/env python3
"""agencies.py — agency-name recall on plain sentences (tests/eval/agencies.tsv):
each sentence names one agency; is it found, and is no agency of another
country found in it?  (Issue #15: a generic name qualified by a country is
that country's agency or none, never another's.)

    agencies.py [CYSEARCH_INDEX] [--min-recall R]

CYSEARCH_INDEX defaults to build/indexer/cysearch-index.  Prints every
miss and every wrong link, then one summary line:

    agencies: N sentences, found F (recall R), wrong-country links W

Exits 1 when recall is below --min-recall (default 0) or a wrong-country
link is found: CTest runs it as eval_agencies with the floor the README
gives.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def read_cases(path):
    cases = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 3:
                sys.exit("%s:%d: want EXPECTED<TAB>COUNTRY<TAB>SENTENCE" %
                         (path, n))
            cases.append(tuple(cols))
    return cases


def main(argv):
    args = [a for a in argv[1:]]
    floor = 0.0
    if "--min-recall" in args:
        i = args.index("--min-recall")
        floor = float(args[i + 1])
        del args[i:i + 2]
    indexer = args[0] if args else os.path.join(
        ROOT, "build", "indexer", "cysearch-index")
    cases = read_cases(os.path.join(HERE, "agencies.tsv"))
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False,
                                     encoding="utf-8") as f:
        for i, (_e, _c, sentence) in enumerate(cases):
            f.write(json.dumps({"id": str(i), "body": sentence}) + "\n")
        path = f.name
    try:
        run = subprocess.run([indexer, "--extract", "--quiet", path],
                             capture_output=True, text=True)
    finally:
        os.unlink(path)
    if run.returncode != 0:
        sys.exit("agencies.py: %s --extract failed: %s" %
                 (indexer, run.stderr.strip()))
    found = {}
    for line in run.stdout.splitlines():
        art = json.loads(line)
        found[int(art["id"])] = [e for e in art["entities"]
                                 if e["type"] == "agency"]
    hits = wrong = 0
    for i, (expected, country, sentence) in enumerate(cases):
        agencies = found.get(i, [])
        values = {e["value"] for e in agencies}
        if expected in values:
            hits += 1
        else:
            print("miss  %-16s %s  [%s]" % (expected, sentence,
                                            " ".join(sorted(values))))
        for e in agencies:
            other = e.get("country")
            if other and country != "-" and other != country:
                wrong += 1
                print("wrong %-16s %s: %s (%s)" % (expected, sentence,
                                                  e["value"], other))
    recall = hits / len(cases) if cases else 0.0
    print("agencies: %d sentences, found %d (recall %.3f), wrong-country "
          "links %d" % (len(cases), hits, recall, wrong))
    return 0 if recall >= floor and wrong == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
