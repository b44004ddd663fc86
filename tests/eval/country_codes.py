#!/usr/bin/env python3
"""country_codes.py — the three-letter country codes the extractor tags in
the news corpus, for a person to judge (issue #15: "EST", "SVN", "MLT" are
time zones and tools in the news, not Estonia, Slovenia and Malta).

    country_codes.py [SAMPLE_SIZE]

Environment: CYSEARCH_INDEX (default build/indexer/cysearch-index),
CYSEARCH_SHARED_DIR (default ../shared).  Exits 77 when the corpus is
absent.  A measurement, not a test: it runs `cysearch-index --extract` over
the whole corpus, counts the country mentions written as three capital
letters, and prints a seeded sample of SAMPLE_SIZE (default 200; all of
them when there are fewer) with 60 characters either side, one a line:

    CODE  VALUE  article-id  ...left [CODE] right...

Judge each line by reading it; docs/entities.md has the last count.
"""
import collections
import gzip
import json
import os
import random
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def main(argv):
    size = int(argv[1]) if len(argv) > 1 else 200
    shared = os.environ.get("CYSEARCH_SHARED_DIR",
                            os.path.join(ROOT, "..", "shared"))
    corpus = os.path.join(shared, "corpus", "news.jsonl.gz")
    if not os.path.exists(corpus):
        print("skipped: %s is absent" % corpus)
        return 77
    indexer = os.environ.get("CYSEARCH_INDEX", os.path.join(
        ROOT, "build", "indexer", "cysearch-index"))
    articles = {}
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            articles[a["id"]] = a
    run = subprocess.run([indexer, "--extract", "--quiet", corpus],
                         capture_output=True, text=True, check=True)
    found, count = [], collections.Counter()
    for line in run.stdout.splitlines():
        art = json.loads(line)
        for e in art["entities"]:
            if e["type"] != "country" or not re.fullmatch(r"[A-Z]{3}",
                                                          e["text"]):
                continue
            text = (articles[art["id"]].get(e["field"]) or "").encode()
            left = text[max(0, e["start"] - 60):e["start"]]
            right = text[e["end"]:e["end"] + 60]
            context = (left.decode("utf-8", "replace") + "[" + e["text"] +
                       "]" + right.decode("utf-8", "replace"))
            found.append((e["text"], e["value"], art["id"],
                          " ".join(context.split())))
            count[e["text"]] += 1
    sample = found if len(found) <= size else \
        random.Random(15).sample(found, size)
    for code, value, aid, context in sorted(sample):
        print("%s  %s  %s  %s" % (code, value, aid, context))
    print("%d three-letter country mentions in %d articles; %d shown; by "
          "code: %s" % (len(found), len(articles), len(sample),
                        ", ".join("%s %d" % kv for kv in count.most_common())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
