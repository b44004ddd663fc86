#!/usr/bin/env python3
"""suggestions.py — how often "Did you mean" is wrong, and how often right,
on the news corpus with 200 articles held out of the index.

    suggestions.py [WORK_DIR]

Environment: CYSEARCH_INDEX, CYSEARCH (the programs; default build/),
CYSEARCH_SHARED_DIR (default ../shared).  Exits 77 when the corpus is
absent.  A measurement, not a test: it prints the figures and the
suggestions it saw, for the README and commit messages.

- Every 19th article (200 of 3,796) is held out; the rest is indexed.
- False alarms: the 200 held-out titles as queries.  Titles are edited
  text: any suggestion for one "corrects" a correctly spelt word (often a
  name the index has never or rarely seen: clop, hhvm, fiverr).
- Real typos: 200 words of the held-out titles that the index knows well
  (in 20 or more articles, 5 or more letters), each misspelt once by a
  seeded random edit (a letter deleted, doubled, replaced or swapped with
  the next; never the first) into a form the index lacks.  A suggestion
  is right when it gives the word back.
"""
import gzip
import json
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED = os.environ.get("CYSEARCH_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
INDEX = os.environ.get("CYSEARCH_INDEX", os.path.join(ROOT, "build/indexer/cysearch-index"))
SEARCH = os.environ.get("CYSEARCH", os.path.join(ROOT, "build/searcher/cysearch"))
NEWS = os.path.join(SHARED, "corpus", "news.jsonl.gz")


def words(text):
    return re.findall(r"[a-z]+", (text or "").lower())


def run_batch(db, queries, path):
    with open(path, "w") as f:
        for i, q in enumerate(queries):
            f.write("%d\t%s\n" % (i, q))
    out = subprocess.run([SEARCH, "--db", db, "--format", "json", "--limit", "0",
                          "--no-snippets", "--queries", path],
                         capture_output=True, text=True, check=False).stdout
    got = {}
    for line in out.splitlines():
        r = json.loads(line)
        got[int(r["qid"])] = (r.get("suggestion"), r["total"])
    return [got.get(i, (None, 0)) for i in range(len(queries))]


def misspell(word, rng):
    i = rng.randrange(1, len(word))
    kind = rng.choice("delete double replace swap".split())
    if kind == "delete":
        return word[:i] + word[i + 1:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "replace":
        c = rng.choice([c for c in "abcdefghijklmnopqrstuvwxyz" if c != word[i]])
        return word[:i] + c + word[i + 1:]
    if i + 1 >= len(word) or word[i] == word[i + 1]:
        return word[:i] + word[i + 1:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def main():
    if not os.path.exists(NEWS):
        print("SKIP: news corpus not found at %s" % NEWS)
        return 77
    work = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp()
    articles = [json.loads(l) for l in gzip.open(NEWS, "rt", encoding="utf-8")]
    held = [a for i, a in enumerate(articles) if i % 19 == 0][:200]
    kept = [a for i, a in enumerate(articles) if i % 19 != 0 or
            i // 19 >= 200]
    corpus = os.path.join(work, "kept.jsonl")
    with open(corpus, "w", encoding="utf-8") as f:
        for a in kept:
            f.write(json.dumps(a) + "\n")
    db = os.path.join(work, "db")
    if not os.path.exists(db):
        subprocess.run([INDEX, "--db", db, "-q", corpus], check=True)
    df = {}
    for a in kept:
        for w in set(words(a.get("title")) + words(a.get("body"))):
            df[w] = df.get(w, 0) + 1

    titles = [a["title"] for a in held if a.get("title")][:200]
    got = run_batch(db, titles, os.path.join(work, "titles.txt"))
    alarms = [(t, s) for t, (s, _) in zip(titles, got) if s]
    print("held-out titles: %d queries, %d suggestions (each one wrong)"
          % (len(titles), len(alarms)))
    for t, s in alarms:
        print("   %r -> %r" % (t, s))

    rng = random.Random(16)
    pool = sorted({w for a in held for w in words(a.get("title"))
                   if len(w) >= 5 and df.get(w, 0) >= 20})
    rng.shuffle(pool)
    typos = []
    for w in pool:
        t = misspell(w, rng)
        if t != w and df.get(t, 0) == 0:
            typos.append((w, t))
        if len(typos) == 200:
            break
    got = run_batch(db, [t for _, t in typos], os.path.join(work, "typos.txt"))
    right = sum(1 for (w, _), (s, _) in zip(typos, got) if s == w)
    wrong = [(w, t, s) for (w, t), (s, _) in zip(typos, got) if s and s != w]
    none = [(w, t) for (w, t), (s, _) in zip(typos, got) if not s]
    print("typos: %d misspelt title words, %d corrected, %d wrong "
          "suggestions, %d without one" % (len(typos), right, len(wrong),
                                           len(none)))
    for w, t, s in wrong:
        print("   %s -> %s (meant %s)" % (t, s, w))
    print("   without one: %s" % ", ".join("%s (%s)" % (t, w) for w, t in none))
    return 0


if __name__ == "__main__":
    sys.exit(main())
