#!/usr/bin/python3
"""Xapian TermGenerator throughput on a JSONL(.gz) corpus, for comparison
with bench_analyzer: the same title and body texts, an English stemmer
(Xapian's default STEM_SOME), a fresh Document per text, best of N rounds.
Prints one line: "termgenerator MB SECONDS MB/s TERMS"."""
import gzip, json, sys, time
import xapian

path = sys.argv[1]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
opener = gzip.open if path.endswith(".gz") else open
texts = []
with opener(path, "rt", encoding="utf-8") as f:
    for line in f:
        try:
            a = json.loads(line)
        except ValueError:
            continue
        for key in ("title", "body"):
            if a.get(key):
                texts.append(a[key])
size = sum(len(t.encode("utf-8")) for t in texts)
tg = xapian.TermGenerator()
tg.set_stemmer(xapian.Stem("english"))
best, terms = None, 0
for _ in range(rounds):
    terms = 0
    t0 = time.perf_counter()
    for t in texts:
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(t)
        terms += doc.termlist_count()
    dt = time.perf_counter() - t0
    best = dt if best is None or dt < best else best
print("termgenerator %.3f %.4f %.2f %d" % (size / 1e6, best, size / 1e6 / best, terms))
