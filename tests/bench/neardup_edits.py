#!/usr/bin/env python3
"""Near-duplicate recall against edits: copies of news articles with k% of
their words changed, paragraphs reordered, a new headline, indexed beside
their originals; a copy is found when it gets its original's collapse key.

usage: tests/bench/neardup_edits.py [--corpus FILE] [--originals N]
                                    [--copies N] [--seed S] INDEXER...

Each INDEXER is a cysearch-index binary (e.g. the builds of two branches);
for each edit level a fresh index holds N originals (dated articles of the
corpus, default 500) and copies of the first --copies of them (default
200), and the script prints, per level and indexer, the copies that fold
into their original (recall) and the pairs of originals folded together
(which the corpus itself does not fold: each is a false fold unless it is
one of the corpus's own syndicated pairs).  Collapse keys are read with
xapian-delve (xapian-tools).  Copies are dated the day after their
original, from another source, with another id."""
import argparse, collections, gzip, json, os, random, re, subprocess, sys
import tempfile

LEVELS = [("1% words", 0.01, False, False), ("5% words", 0.05, False, False),
          ("10% words", 0.10, False, False), ("20% words", 0.20, False, False),
          ("30% words", 0.30, False, False),
          ("paragraphs reordered", 0.0, True, False),
          ("new headline", 0.0, False, True),
          ("new headline, reordered, 5% words", 0.05, True, True)]


def next_day(date):
    y, m, d = (int(x) for x in date[:10].split("-"))
    import datetime
    return (datetime.date(y, m, d) + datetime.timedelta(days=1)).isoformat()


def edit(a, rate, reorder, retitle, vocab, rnd):
    paras = [p for p in a["body"].split("\n") if p.strip()]
    if reorder and len(paras) > 1:
        first = paras[:]
        while paras == first:
            rnd.shuffle(paras)
    out = []
    for p in paras:
        words = p.split(" ")
        for i in range(len(words)):
            if rnd.random() < rate:
                words[i] = rnd.choice(vocab)
        out.append(" ".join(words))
    b = dict(a)
    b["body"] = "\n".join(out)
    if retitle:
        # A headline written from the story: words of its second sentence.
        sentences = re.split(r"(?<=[.!?])\s+", a["body"])
        src = sentences[1] if len(sentences) > 1 else sentences[0]
        b["title"] = " ".join(src.split()[:9]).rstrip(".,;:")
    b["id"] = "copy-" + a["id"]
    b["source"] = "copy.example"
    b["date"] = next_day(a["date"])
    return b


def keys(db, ids):
    """The collapse key of each id: a fresh index numbers its documents in
    input order (the same with any --threads)."""
    out = subprocess.run(["xapian-delve", "-V2", "-1", db], check=True,
                         capture_output=True, text=True).stdout
    by_docid = {}
    for line in out.splitlines()[1:]:
        docid, _, key = line.partition(":")
        by_docid[int(docid)] = key
    return {i: by_docid[n + 1] for n, i in enumerate(ids)}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=os.path.join(
        here, "../../../shared/corpus/news.jsonl.gz"))
    ap.add_argument("--originals", type=int, default=500)
    ap.add_argument("--copies", type=int, default=200)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("indexers", nargs="+")
    o = ap.parse_args()
    arts = [json.loads(l) for l in gzip.open(o.corpus, "rt")]
    dated = [a for a in arts if re.match(r"\d{4}-\d\d-\d\d", a.get("date") or "")
             and a.get("title") and len((a.get("body") or "").split()) >= 80]
    rnd = random.Random(o.seed)
    originals = rnd.sample(sorted(dated, key=lambda a: a["id"]), o.originals)
    vocab = sorted({w for a in arts for w in (a.get("body") or "").split()
                    if w.isalpha() and len(w) > 3})
    for n, x in enumerate(o.indexers, 1):
        print("#%d: %s" % (n, x))
    print("%-36s %s" % ("edit", "  ".join(
        "%-24s" % ("#%d" % n) for n in range(1, len(o.indexers) + 1))))
    with tempfile.TemporaryDirectory(prefix="neardup-edits-") as work:
        for name, rate, reorder, retitle in LEVELS:
            lrnd = random.Random("%d %s" % (o.seed, name))
            copies = [edit(a, rate, reorder, retitle, vocab, lrnd)
                      for a in originals[:o.copies]]
            path = os.path.join(work, "in.jsonl")
            with open(path, "w", encoding="utf-8") as f:
                for a in originals + copies:
                    f.write(json.dumps(a) + "\n")
            row = []
            for n, indexer in enumerate(o.indexers):
                db = os.path.join(work, "db%d" % n)
                subprocess.run([indexer, "-q", "--db", db, path], check=True)
                k = keys(db, [a["id"] for a in originals + copies])
                found = sum(k["copy-" + a["id"]] == k[a["id"]]
                            for a in originals[:o.copies])
                groups = collections.Counter(k[a["id"]] for a in originals)
                joined = sum(c - 1 for c in groups.values())
                row.append("%3d/%d folded, %d orig." % (found, o.copies, joined))
                subprocess.run(["rm", "-rf", db], check=True)
            print("%-36s %s" % (name, "  ".join("%-24s" % r for r in row)),
                  flush=True)


if __name__ == "__main__":
    sys.exit(main())
