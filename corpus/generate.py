#!/usr/bin/env python3
"""generate.py - make a large JSON Lines corpus out of a small real one.

Each output article takes the title, date, source and URL of one input
article and a body of 3 to 8 paragraphs drawn from other input articles
(by default from articles of the same year, so that a body stays roughly
on the topics of its time).  Output ids are unique; the same input, seed
and options give the same bytes, plain or gzip-compressed.  Articles are
written as they are made: memory holds the input's paragraphs, whatever
--count is.

  corpus/generate.py --count 100000 --seed 1 --out /tmp/news-100k.jsonl
  corpus/generate.py --count 1000000 --out /tmp/news-1m.jsonl.gz

Python 3 standard library only.  See corpus/README.md.
"""

import argparse
import gzip
import json
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_INPUT = os.path.normpath(
    os.path.join(HERE, "..", "..", "shared", "corpus", "news.jsonl.gz"))


def open_input(path):
    """Text stream over a JSONL file, gzip-compressed or not (by content)."""
    if path == "-":
        return sys.stdin
    with open(path, "rb") as f:
        magic = f.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return open(path, "r", encoding="utf-8", errors="replace")


def open_output(path, level):
    """Binary stream; gzip (with a fixed header, for identical bytes) when
    the name ends in .gz."""
    if path == "-":
        return sys.stdout.buffer, None
    raw = open(path, "wb")
    if path.endswith(".gz"):
        return gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                             compresslevel=level), raw
    return raw, None


class Source:
    """The input articles: their metadata and a pool of paragraphs."""

    def __init__(self):
        self.meta = []        # (title, date, source, url) per article
        self.year = []        # year key per article ("" when undated)
        self.para_text = []   # every usable paragraph
        self.para_owner = []  # index of the article it came from
        self.by_year = {}     # year -> list of paragraph indexes
        self.ids = []         # input ids, kept only for --provenance

    def load(self, stream, min_chars, name, keep_ids):
        bad = 0
        for lineno, line in enumerate(stream, 1):
            line = line.strip()
            if not line:
                continue
            try:
                a = json.loads(line)
            except ValueError:
                bad += 1
                continue
            if not isinstance(a, dict):
                bad += 1
                continue
            body = a.get("body")
            title = a.get("title")
            if not isinstance(body, str):
                body = ""
            if not isinstance(title, str):
                title = None
            date = a.get("date") if isinstance(a.get("date"), str) else None
            source = a.get("source") if isinstance(a.get("source"), str) else None
            url = a.get("url") if isinstance(a.get("url"), str) else None
            k = len(self.meta)
            if keep_ids:
                self.ids.append(str(a.get("id")))
            self.meta.append((title, date, source, url))
            year = date[:4] if date else ""
            self.year.append(year)
            for p in body.split("\n\n"):
                p = p.strip()
                if len(p) >= min_chars:
                    self.by_year.setdefault(year, []).append(len(self.para_text))
                    self.para_text.append(p)
                    self.para_owner.append(k)
        if bad:
            print("generate.py: %s: %d lines that are not JSON objects skipped"
                  % (name, bad), file=sys.stderr)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Generate a JSON Lines corpus of COUNT articles by "
        "recombining the titles and paragraphs of real articles.")
    ap.add_argument("--count", "-n", type=int, required=True,
                    help="articles to write")
    ap.add_argument("--seed", "-s", type=int, default=1,
                    help="random seed (default 1); part of every id")
    ap.add_argument("--out", "-o", default="-",
                    help="output file; .gz compresses; - is standard "
                    "output (default)")
    ap.add_argument("--input", "-i", default=DEFAULT_INPUT,
                    help="JSON Lines input, gzip-compressed or not "
                    "(default %(default)s)")
    ap.add_argument("--min-paragraphs", type=int, default=3)
    ap.add_argument("--max-paragraphs", type=int, default=8)
    ap.add_argument("--min-paragraph-chars", type=int, default=40,
                    help="shorter paragraphs (bylines, captions) are not "
                    "used (default %(default)s)")
    ap.add_argument("--mix", choices=("year", "any"), default="year",
                    help="draw paragraphs from articles of the title's year "
                    "(default) or from any article")
    ap.add_argument("--id-prefix", default="gen",
                    help="ids are PREFIX-SEED-NUMBER (default %(default)s)")
    ap.add_argument("--provenance", action="store_true",
                    help="add a \"derived_from\" key listing the input ids "
                    "used (the indexers ignore it)")
    ap.add_argument("--gzip-level", type=int, default=6, choices=range(1, 10),
                    metavar="1-9", help="gzip level for a .gz output "
                    "(default 6)")
    ap.add_argument("--quiet", "-q", action="store_true")
    args = ap.parse_args(argv)
    if args.count < 0:
        ap.error("--count must be 0 or more")
    if not 1 <= args.min_paragraphs <= args.max_paragraphs:
        ap.error("need 1 <= --min-paragraphs <= --max-paragraphs")

    started = time.monotonic()
    src = Source()
    try:
        stream = open_input(args.input)
    except OSError as e:
        print("generate.py: cannot open '%s': %s" % (args.input, e.strerror),
              file=sys.stderr)
        return 1
    with stream:
        src.load(stream, args.min_paragraph_chars, args.input, args.provenance)
    ids = src.ids
    narticles = len(src.meta)
    owners = set(src.para_owner)
    if narticles < 2 or len(owners) < 2:
        print("generate.py: '%s' needs at least two articles with paragraphs "
              "of %d characters or more" % (args.input,
                                            args.min_paragraph_chars),
              file=sys.stderr)
        return 1

    rng = random.Random(args.seed)
    everything = range(len(src.para_text))
    # A year's pool is used only when articles other than the title's own
    # can fill a body from it.
    pools = {}
    for year, paras in src.by_year.items():
        owners_of_year = {src.para_owner[p] for p in paras}
        if args.mix == "year" and year and len(owners_of_year) >= 3 and \
                len(paras) >= 4 * args.max_paragraphs:
            pools[year] = paras
    try:
        out, raw = open_output(args.out, args.gzip_level)
    except OSError as e:
        print("generate.py: cannot write '%s': %s" % (args.out, e.strerror),
              file=sys.stderr)
        return 1
    written = 0
    buf = []
    para_text, para_owner = src.para_text, src.para_owner
    try:
        for i in range(1, args.count + 1):
            t = rng.randrange(narticles)
            title, date, source, url = src.meta[t]
            pool = pools.get(src.year[t], everything)
            k = rng.randint(args.min_paragraphs, args.max_paragraphs)
            chosen = []
            tries = 0
            while len(chosen) < k and tries < 50 * k:
                tries += 1
                p = pool[rng.randrange(len(pool))]
                if para_owner[p] != t and p not in chosen:
                    chosen.append(p)
            art = {"id": "%s-%d-%07d" % (args.id_prefix, args.seed, i),
                   "title": title, "date": date, "source": source,
                   "url": url,
                   "body": "\n\n".join(para_text[p] for p in chosen)}
            if args.provenance:
                art["derived_from"] = [ids[t]] + [ids[para_owner[p]]
                                                  for p in chosen]
            buf.append(json.dumps(art, ensure_ascii=False))
            if len(buf) == 1000:
                data = ("\n".join(buf) + "\n").encode("utf-8")
                out.write(data)
                written += len(data)
                buf = []
        if buf:
            data = ("\n".join(buf) + "\n").encode("utf-8")
            out.write(data)
            written += len(data)
        out.flush()
        if raw is not None:
            out.close()
            raw.close()
        elif out is not sys.stdout.buffer:
            out.close()
    except BrokenPipeError:
        return 1
    except OSError as e:
        print("generate.py: cannot write '%s': %s" % (args.out, e.strerror),
              file=sys.stderr)
        return 1
    if not args.quiet:
        print("generate.py: %d articles, %.1f MB of JSON Lines, from %d input "
              "articles (%d paragraphs), seed %d, in %.1f s"
              % (args.count, written / 1e6, narticles, len(para_text),
                 args.seed, time.monotonic() - started), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
