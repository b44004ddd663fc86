#!/usr/bin/python3
"""bench.py - cysearch side by side with the engines users would pick
instead, on the same corpus and the same queries: plain Xapian through its
own tools (Omega's scriptindex, QueryParser + BM25 over the Python
bindings), SQLite FTS5 (the sqlite3 shell; bm25()) and, when installed,
Sphinx.  tests/bench/run.sh is the command; the subcommands below are its
parts, each usable alone:

  run BUILD_DIR [options]      the whole benchmark (run.sh passes through)
  to-scriptindex IN.jsonl OUT  JSONL -> scriptindex's "field=value" records
  to-tsv IN.jsonl OUT          JSONL -> Sphinx tsvpipe rows
  queries --engine E ...       per-query latency of one engine, one process
  report RESULTS_DIR           tables and plots again from results.json and
                               the latency files

Needs Debian's python3 with python3-xapian (and python3-pymysql for
Sphinx): run it as /usr/bin/python3.  Python standard library otherwise.
"""

import argparse
import json
import math
import os
import platform
import shutil
import socket
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
ENGINES = ("cysearch", "xapian", "fts5", "sphinx")
MB = 1e6
# The query of the start-cost runs: matches nothing, so that what is timed
# is starting, opening the index and parsing.
START_QUERY = "qzxqzx"


def log(msg):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), msg), file=sys.stderr,
          flush=True)


# ---- small helpers ----------------------------------------------------------

def percentile(sorted_values, p):
    """Nearest-rank percentile (the one bench_queries.c uses)."""
    n = len(sorted_values)
    if n == 0:
        return float("nan")
    k = max(1, min(n, int(math.ceil(p / 100.0 * n - 1e-9))))
    return sorted_values[k - 1]


def summarize(values):
    v = sorted(values)
    return {"n": len(v), "p50": percentile(v, 50), "p95": percentile(v, 95),
            "p99": percentile(v, 99), "mean": sum(v) / len(v) if v else None,
            "max": v[-1] if v else None}


def tree_bytes(path):
    """Apparent size of a file, or of every file under a directory."""
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(d, f))
    return total


def parse_timev(path):
    """The numbers this benchmark uses from a /usr/bin/time -v report."""
    out = {}
    with open(path) as f:
        for line in f:
            key, _, val = line.strip().rpartition(": ")
            if key.startswith("Elapsed (wall clock) time"):
                secs = 0.0
                for part in val.split(":"):
                    secs = secs * 60 + float(part)
                out["wall_s"] = secs
            elif key == "User time (seconds)":
                out["user_s"] = float(val)
            elif key == "System time (seconds)":
                out["sys_s"] = float(val)
            elif key == "Maximum resident set size (kbytes)":
                out["peak_rss_mb"] = int(val) / 1024.0
            elif key == "Exit status":
                out["status"] = int(val)
    out["cpu_s"] = out.get("user_s", 0.0) + out.get("sys_s", 0.0)
    return out


def busy_seconds():
    """CPU time the whole machine has spent busy, from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()[1:]
    except OSError:
        return None
    ticks = [int(x) for x in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    guest = sum(ticks[8:10]) if len(ticks) > 9 else 0  # already in user
    return (sum(ticks) - idle - guest) / os.sysconf("SC_CLK_TCK")


class Meter:
    """How much CPU other processes took while a step ran: the machine's
    busy time less this process's and its children's.  The machine may be
    shared; a step with much of it was disturbed."""

    def __enter__(self):
        self.busy = busy_seconds()
        self.times = os.times()
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        wall = time.perf_counter() - self.t0
        t = os.times()
        ours = sum(t[:4]) - sum(self.times[:4])
        busy = busy_seconds()
        self.result = {}
        if busy is not None and self.busy is not None:
            others = max(0.0, busy - self.busy - ours)
            self.result = {"others_cpu_s": round(others, 2),
                           "others_share": round(others / (wall * os.cpu_count()), 3)
                           if wall > 0 else None}
        return False


def timed(cmd, timelog, stdin=None, stdout=None, stderr=None, cwd=None):
    """Run cmd under /usr/bin/time -v; its numbers, plus our own wall clock
    (finer than time's 10 ms) and what other processes took meanwhile."""
    meter = Meter().__enter__()
    t0 = time.perf_counter()
    with open(stdin, "rb") if stdin else open(os.devnull, "rb") as fin, \
            open(stdout or os.devnull, "wb") as fout, \
            open(stderr or os.devnull, "wb") as ferr:
        rc = subprocess.call(["/usr/bin/time", "-v", "-o", timelog] + cmd,
                             stdin=fin, stdout=fout, stderr=ferr, cwd=cwd)
    wall = time.perf_counter() - t0
    meter.__exit__(None, None, None)
    res = parse_timev(timelog)
    res["wall_s"] = round(wall, 3)
    res["status"] = rc
    res.update(meter.result)
    if rc != 0:
        log("  %s exited with %d; see %s" % (os.path.basename(cmd[0]), rc,
                                             stderr or timelog))
    return res


def query_lines(path):
    """(qid, text) for each line: 'QID<TAB>QUERY' or 'QUERY'."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            qid, tab, text = line.partition("\t")
            out.append((qid, text) if tab else (str(n), line))
    return out


def read_articles(path):
    import gzip
    with open(path, "rb") as f:
        gz = f.read(2) == b"\x1f\x8b"
    opener = gzip.open if gz else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                a = json.loads(line)
            except ValueError:
                continue
            if isinstance(a, dict):
                yield a


def text_of(v):
    return v if isinstance(v, str) else ("" if v is None else str(v))


# ---- converters (timed separately from indexing) -----------------------------

def cmd_to_scriptindex(args):
    """scriptindex input: records of name=value lines, a newline inside a
    value continued as "\\n=", records separated by a blank line."""
    with open(args.output, "w", encoding="utf-8") as out:
        for a in read_articles(args.input):
            rec = []
            for key in ("id", "title", "date", "source", "url", "body"):
                v = a.get(key)
                if v is None or v == "":
                    continue
                v = text_of(v).replace("\r\n", "\n").replace("\r", "\n")
                rec.append("%s=%s\n" % (key, v.replace("\n", "\n=")))
            out.write("".join(rec) + "\n")
    return 0


def cmd_to_tsv(args):
    """Sphinx tsvpipe rows: integer document id, title, body; tabs and
    newlines become spaces (word boundaries either way)."""
    table = {9: " ", 10: " ", 13: " "}
    with open(args.output, "w", encoding="utf-8") as out:
        for n, a in enumerate(read_articles(args.input), 1):
            out.write("%d\t%s\t%s\n" % (n, text_of(a.get("title")).translate(table),
                                        text_of(a.get("body")).translate(table)))
    return 0


# ---- query loops of the peers ----------------------------------------------

def fts5_match(text, mode):
    """An FTS5 MATCH expression for a query: each whitespace-separated word
    becomes a quoted string ("" doubles a quote), so nothing in it is FTS5
    syntax; a word the tokenizer splits (irs-related) is then a phrase, as
    in Xapian's QueryParser.  OR between words, or AND (FTS5's implicit
    operator)."""
    words = ['"%s"' % w.replace('"', '""') for w in text.split()]
    return (" OR " if mode == "or" else " ").join(words)


def sphinx_match(text, mode):
    """The same for Sphinx's extended syntax: quoted words, | for OR."""
    words = ['"%s"' % w.replace("\\", "\\\\").replace('"', '\\"')
             for w in text.split()]
    return (" | " if mode == "or" else " ").join(words)


def loop(queries, variants, rounds, warmup, run_one, clock=time.perf_counter):
    """Time run_one(variant, text) for every query and variant, warm-up
    rounds first; variants interleaved.  Returns rows for the TSV."""
    rows = []
    for r in range(-warmup, rounds):
        for qid, text in queries:
            for v in variants:
                t0 = clock()
                total = run_one(v, text)
                dt = clock() - t0
                if r >= 0:
                    rows.append((v, qid, r, dt * 1e6, total))
    return rows


def cmd_queries(args):
    queries = query_lines(args.queries)
    mode = args.mode
    if args.engine == "xapian":
        import xapian
        db = xapian.Database(args.db)
        enq = xapian.Enquire(db)
        # cysearch's BM25 parameters (k1 1.0, b 0.75); Xapian's own default
        # b is 0.5.
        enq.set_weighting_scheme(xapian.BM25Weight(1.0, 0.0, 1.0, 0.75, 0.5))
        qp = xapian.QueryParser()
        qp.set_stemmer(xapian.Stem("english"))
        qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
        qp.set_database(db)
        qp.add_prefix("title", "S")
        qp.set_default_op(xapian.Query.OP_OR if mode == "or"
                          else xapian.Query.OP_AND)
        check = {"estimate": 0, "exact": 10000}

        def run_one(variant, text):
            enq.set_query(qp.parse_query(text))
            mset = enq.get_mset(0, 10, check[variant])
            for item in mset:
                item.document.get_data()
            return mset.get_matches_estimated()
        variants = ("estimate", "exact")
    elif args.engine == "fts5":
        con = sqlite3.connect(args.db)
        cur = con.cursor()
        sql = ("SELECT id, title FROM docs WHERE docs MATCH ? "
               "ORDER BY rank LIMIT 10")

        def run_one(variant, text):
            cur.execute(sql, (fts5_match(text, mode),))
            return len(cur.fetchall())
        variants = ("bm25",)
    elif args.engine == "sphinx":
        import pymysql
        con = pymysql.connect(host="127.0.0.1", port=args.port, user="",
                              password="", autocommit=True)
        cur = con.cursor()
        sql = ("SELECT id, title FROM news WHERE MATCH(%s) LIMIT 10 "
               "OPTION ranker=bm25")

        def run_one(variant, text):
            cur.execute(sql, (sphinx_match(text, mode),))
            return len(cur.fetchall())
        variants = ("bm25",)
    else:
        print("bench.py: unknown engine %r" % args.engine, file=sys.stderr)
        return 2
    rows = loop(queries, variants, args.rounds, args.warmup, run_one,
                time.thread_time if args.cpu else time.perf_counter)
    if args.tsv:
        with open(args.tsv, "w") as f:
            for v, qid, r, us, total in rows:
                f.write("%s\t%s\t%s\t%d\t%.1f\t%d\n" % (args.engine, v, qid, r,
                                                       us, total))
    for v in variants:
        s = summarize([us / 1e3 for vv, _, _, us, _ in rows if vv == v])
        print("%s %d %.3f %.3f %.3f %.3f %.3f" % (v, s["n"], s["p50"], s["p95"],
                                                  s["p99"], s["mean"], s["max"]))
    return 0


def parse_summary(text):
    out = {}
    for line in text.splitlines():
        f = line.split()
        if len(f) == 7:
            out[f[0]] = {"n": int(f[1]), "p50": float(f[2]), "p95": float(f[3]),
                         "p99": float(f[4]), "mean": float(f[5]),
                         "max": float(f[6])}
    return out


# ---- the run ------------------------------------------------------------------

class Bench:
    def __init__(self, args):
        self.args = args
        self.build = os.path.abspath(args.build_dir)
        self.work = os.path.abspath(args.work)
        self.out = os.path.abspath(args.out)
        self.py = sys.executable or "/usr/bin/python3"
        self.me = os.path.abspath(__file__)
        self.queries = os.path.abspath(args.queries)
        self.notes = []
        self.waited = 0.0

    # tools --------------------------------------------------------------------
    def tool(self, *parts):
        return os.path.join(self.build, *parts)

    def available(self, engine):
        """None when the engine can run here, else why not."""
        need = {"cysearch": [self.tool("indexer", "cysearch-index"),
                             self.tool("searcher", "cysearch"),
                             self.tool("tests", "bench_queries"),
                             "xapian-compact"],
                "xapian": ["scriptindex", "xapian-compact", "quest"],
                "fts5": ["sqlite3"],
                "sphinx": ["indexer", "searchd"]}[engine]
        for t in need:
            if not shutil.which(t):
                return "%s not found (.ci/install-deps --bench)" % t
        mods = {"xapian": "xapian", "sphinx": "pymysql"}.get(engine)
        if mods:
            try:
                __import__(mods)
            except ImportError:
                return ("python module %s missing for %s (.ci/install-deps "
                        "--bench)" % (mods, self.py))
        if engine == "fts5":
            try:
                sqlite3.connect(":memory:").execute(
                    "CREATE VIRTUAL TABLE t USING fts5(x)")
            except sqlite3.Error as e:
                return "SQLite without FTS5: %s" % e
        return None

    def versions(self):
        def first_line(cmd):
            try:
                p = subprocess.run(cmd, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, timeout=10)
                lines = p.stdout.decode("utf-8", "replace").strip().splitlines()
                return lines[0] if lines else ""
            except (OSError, subprocess.SubprocessError):
                return None
        v = {"cysearch": first_line([self.tool("searcher", "cysearch"),
                                     "--version"]),
             "xapian (scriptindex)": first_line(["scriptindex", "--version"]),
             "sqlite3": first_line(["sqlite3", "--version"]),
             "sphinx": first_line(["indexer", "--help"]) if
             shutil.which("indexer") else None,
             "python": platform.python_version(),
             "cysearch source": first_line(["git", "-C", ROOT, "describe",
                                            "--always", "--dirty"])}
        try:
            import xapian
            v["python3-xapian"] = xapian.version_string()
        except ImportError:
            pass
        return v

    def machine(self):
        def run(cmd):
            try:
                return subprocess.run(cmd, stdout=subprocess.PIPE,
                                      stderr=subprocess.DEVNULL, timeout=10
                                      ).stdout.decode().rstrip()
            except (OSError, subprocess.SubprocessError):
                return ""
        lscpu = run(["lscpu"]).splitlines()
        return {"nproc": run(["nproc"]), "free_h": run(["free", "-h"]),
                "lscpu_head": "\n".join(lscpu[:10]),
                "model": next((l.split(":", 1)[1].strip() for l in lscpu
                               if l.startswith("Model name")), ""),
                "kernel": platform.release()}

    # corpora ------------------------------------------------------------------
    def corpus(self, size):
        """A plain JSONL file of `size` articles (or the input itself for
        size "real"), generated once per size and seed."""
        a = self.args
        if size == "real":
            path = os.path.join(self.work, "corpus-real.jsonl")
            if not os.path.exists(path):
                with open(path, "wb") as out:
                    for art in read_articles(a.corpus):
                        out.write((json.dumps(art, ensure_ascii=False) + "\n")
                                  .encode("utf-8"))
            n = sum(1 for _ in open(path, "rb"))
            return path, n, None
        path = os.path.join(self.work, "corpus-%d-seed%d.jsonl" % (size, a.seed))
        gen_s = None
        if not os.path.exists(path):
            log("generating %d articles" % size)
            t0 = time.perf_counter()
            subprocess.check_call([self.py, os.path.join(ROOT, "corpus",
                                                         "generate.py"),
                                   "--count", str(size), "--seed", str(a.seed),
                                   "--input", a.corpus, "--out", path + ".tmp",
                                   "--quiet"])
            os.rename(path + ".tmp", path)
            gen_s = round(time.perf_counter() - t0, 2)
        return path, size, gen_s

    # the common tail: latency files, start cost -------------------------------
    def start_cost(self, cmd):
        """Milliseconds to run a whole process that opens the index and
        answers one query (stdout discarded), over many runs."""
        runs = self.args.start_runs
        times = []
        for i in range(runs + 2):
            t0 = time.perf_counter()
            subprocess.call(cmd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
            if i >= 2:
                times.append((time.perf_counter() - t0) * 1e3)
        return summarize(times)

    def peer_queries(self, engine, db, d, extra=()):
        lat = {}
        for mode in self.args.modes:
            tsv = os.path.join(d, "latency-%s-%s.tsv" % (engine, mode))
            cmd = [self.py, self.me, "queries", "--engine", engine, "--db", db,
                   "--queries", self.queries, "--mode", mode,
                   "--rounds", str(self.args.rounds),
                   "--warmup", str(self.args.warmup), "--tsv", tsv] + list(extra)
            with Meter() as m:
                p = subprocess.run(cmd, stdout=subprocess.PIPE, check=True)
            lat[mode] = parse_summary(p.stdout.decode())
            lat[mode]["_meter"] = m.result
        return lat

    # engines ----------------------------------------------------------------------
    def run_cysearch(self, corpus, d):
        idx = os.path.join(d, "cysearch")
        cidx = idx + ".compact"
        shutil.rmtree(idx, ignore_errors=True)
        shutil.rmtree(cidx, ignore_errors=True)
        r = {"index": timed([self.tool("indexer", "cysearch-index"), "--db", idx,
                             corpus], os.path.join(d, "cysearch-index.time"),
                            stderr=os.path.join(d, "cysearch-index.log"))}
        with open(os.path.join(d, "cysearch-index.log"), errors="replace") as f:
            lines = f.read().strip().splitlines()
            r["index"]["summary"] = lines[-1] if lines else ""
        r["index_bytes"] = tree_bytes(idx)
        r["compact"] = timed(["xapian-compact", idx, cidx],
                             os.path.join(d, "cysearch-compact.time"))
        r["compact_bytes"] = tree_bytes(cidx)
        lat = {}
        for mode in self.args.modes:
            tsv = os.path.join(d, "latency-cysearch-%s.tsv" % mode)
            cmd = [self.tool("tests", "bench_queries"), "--db", cidx,
                   "--queries", self.queries, "--tsv", tsv,
                   "--rounds", str(self.args.rounds),
                   "--warmup", str(self.args.warmup)]
            if mode == "and":
                cmd.append("--and")
            with Meter() as m:
                p = subprocess.run(cmd, stdout=subprocess.PIPE, check=True)
            lat[mode] = parse_summary(p.stdout.decode())
            lat[mode]["_meter"] = m.result
        r["latency"] = lat
        r["start"] = self.start_cost([self.tool("searcher", "cysearch"), "--db",
                                      cidx, "--no-snippets", "--color", "never",
                                      START_QUERY])
        return r, [idx, cidx]

    def run_xapian(self, corpus, d):
        dump = os.path.join(d, "xapian.dump")
        idx = os.path.join(d, "xapian")
        cidx = idx + ".compact"
        shutil.rmtree(idx, ignore_errors=True)
        shutil.rmtree(cidx, ignore_errors=True)
        r = {"convert": timed([self.py, self.me, "to-scriptindex", corpus, dump],
                              os.path.join(d, "xapian-convert.time"))}
        r["index"] = timed(["scriptindex", "--overwrite", "--stemmer=english",
                            idx, os.path.join(HERE, "news.scriptindex"), dump],
                           os.path.join(d, "xapian-index.time"),
                           stdout=os.path.join(d, "xapian-index.log"),
                           stderr=os.path.join(d, "xapian-index.err"))
        os.remove(dump)
        r["index_bytes"] = tree_bytes(idx)
        r["compact"] = timed(["xapian-compact", idx, cidx],
                             os.path.join(d, "xapian-compact.time"))
        r["compact_bytes"] = tree_bytes(cidx)
        r["latency"] = self.peer_queries("xapian", cidx, d)
        r["start"] = self.start_cost(["quest", "-d", cidx, "-m", "10",
                                      "-p", "title:S", START_QUERY])
        return r, [idx, cidx]

    def run_fts5(self, corpus, d):
        db = os.path.join(d, "fts5.db")
        for p in (db, db + "-journal"):
            if os.path.exists(p):
                os.remove(p)
        load = os.path.join(d, "fts5-load.sql")
        # The shell reads the JSON Lines file itself: each line into a temp
        # table (ASCII mode; 0x1f never occurs raw in JSON, so a line is one
        # value), then SQLite's JSON functions feed the FTS5 table.  FTS5
        # stores the text (as cysearch and the Xapian index do); its porter
        # tokenizer stems English.
        with open(load, "w") as f:
            f.write(
                "PRAGMA journal_mode=OFF;\n"
                "CREATE TEMP TABLE raw(line TEXT);\n"
                ".mode ascii\n"
                ".separator \"\\037\" \"\\n\"\n"
                ".import --schema temp '%s' raw\n"
                "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body,"
                " date UNINDEXED, source UNINDEXED, url UNINDEXED,"
                " tokenize='porter unicode61 remove_diacritics 2');\n"
                ".timer on\n"
                "INSERT INTO docs SELECT json_extract(line, '$.id'),"
                " json_extract(line, '$.title'), json_extract(line, '$.body'),"
                " json_extract(line, '$.date'), json_extract(line, '$.source'),"
                " json_extract(line, '$.url') FROM temp.raw;\n"
                ".timer off\n" % corpus.replace("'", "''"))
        out = os.path.join(d, "fts5-load.out")
        r = {"index": timed(["sqlite3", db], os.path.join(d, "fts5-load.time"),
                            stdin=load, stdout=out,
                            stderr=os.path.join(d, "fts5-load.err"))}
        with open(out) as f:
            for line in f:
                if line.startswith("Run Time: real"):
                    r["index"]["fts5_insert_s"] = float(line.split()[3])
        r["index_bytes"] = tree_bytes(db)
        r["compact"] = timed(["sqlite3", db,
                              "INSERT INTO docs(docs) VALUES('optimize'); VACUUM;"],
                             os.path.join(d, "fts5-optimize.time"))
        r["compact_bytes"] = tree_bytes(db)
        r["latency"] = self.peer_queries("fts5", db, d)
        # The shell's own timer, one session, as a cross-check of the Python
        # loop (it reports whole milliseconds).
        r["shell_timer"] = {}
        for mode in self.args.modes:
            script = os.path.join(d, "fts5-queries-%s.sql" % mode)
            with open(script, "w") as f:
                f.write(".output /dev/null\n.timer on\n")
                for _, text in query_lines(self.queries):
                    f.write("SELECT id, title FROM docs WHERE docs MATCH '%s' "
                            "ORDER BY rank LIMIT 10;\n"
                            % fts5_match(text, mode).replace("'", "''"))
            p = subprocess.run(["sqlite3", db], stdin=open(script, "rb"),
                               stdout=subprocess.PIPE, check=True)
            ms = [float(l.split()[3]) * 1e3 for l in
                  p.stdout.decode().splitlines() if l.startswith("Run Time: real")]
            r["shell_timer"][mode] = summarize(ms)
        q = fts5_match(START_QUERY, "or").replace("'", "''")
        r["start"] = self.start_cost(
            ["sqlite3", db, "SELECT id, title FROM docs WHERE docs MATCH '%s' "
             "ORDER BY rank LIMIT 10" % q])
        return r, [db]

    def run_sphinx(self, corpus, d):
        tsv = os.path.join(d, "sphinx.tsv")
        idxdir = os.path.join(d, "sphinx")
        shutil.rmtree(idxdir, ignore_errors=True)
        os.makedirs(idxdir)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        conf = os.path.join(d, "sphinx.conf")
        with open(conf, "w") as f:
            f.write(SPHINX_CONF % {"tsv": tsv, "dir": idxdir, "port": port})
        r = {"convert": timed([self.py, self.me, "to-tsv", corpus, tsv],
                              os.path.join(d, "sphinx-convert.time"))}
        r["index"] = timed(["indexer", "--config", conf, "--all"],
                           os.path.join(d, "sphinx-index.time"),
                           stdout=os.path.join(d, "sphinx-index.log"))
        os.remove(tsv)
        r["index_bytes"] = tree_bytes(idxdir)
        r["compact_bytes"] = None
        subprocess.check_call(["searchd", "--config", conf],
                              stdout=subprocess.DEVNULL)
        try:
            deadline = time.time() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), 1).close()
                    break
                except OSError:
                    if time.time() > deadline:
                        raise
                    time.sleep(0.1)
            r["latency"] = self.peer_queries("sphinx", "-", d,
                                             ["--port", str(port)])
        finally:
            subprocess.call(["searchd", "--config", conf, "--stopwait"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return r, [idxdir]

    def run(self):
        a = self.args
        os.makedirs(self.work, exist_ok=True)
        os.makedirs(self.out, exist_ok=True)
        started = time.perf_counter()
        engines = []
        for e in a.engines:
            why = self.available(e)
            if why and e == "cysearch":
                sys.exit("bench.py: cannot run cysearch: %s" % why)
            if why:
                self.notes.append("%s skipped: %s" % (e, why))
                log("%s skipped: %s" % (e, why))
            else:
                engines.append(e)
        results = {"command": " ".join(["tests/bench/run.sh"] + a.argv),
                   "date": time.strftime("%Y-%m-%d %H:%M:%S"),
                   "machine": self.machine(), "versions": self.versions(),
                   "corpus_input": a.corpus, "queries": self.queries,
                   "nqueries": len(query_lines(self.queries)),
                   "rounds": a.rounds, "warmup": a.warmup,
                   "start_runs": a.start_runs, "modes": a.modes,
                   "engines": engines, "notes": self.notes, "sizes": []}
        sizes = (["real"] if a.real else []) + a.sizes
        for size in sizes:
            corpus, n, gen_s = self.corpus(size)
            label = "real" if size == "real" else str(size)
            d = os.path.join(self.work, "size-" + label)
            os.makedirs(d, exist_ok=True)
            entry = {"label": label, "articles": n, "generated": size != "real",
                     "generate_s": gen_s, "corpus": corpus,
                     "corpus_bytes": os.path.getsize(corpus), "engines": {}}
            results["sizes"].append(entry)
            for e in engines:
                self.wait_quiet()
                log("%s: %s (%d articles, %.1f MB)" % (label, e, n,
                                                      entry["corpus_bytes"] / MB))
                try:
                    r, leftovers = getattr(self, "run_" + e)(corpus, d)
                except (subprocess.CalledProcessError, OSError) as err:
                    log("  %s failed: %s" % (e, err))
                    entry["engines"][e] = {"error": str(err)}
                    continue
                for k in ("index", "convert"):
                    if k in r:
                        t = r[k]
                        t["articles_per_s"] = n / t["wall_s"] if t["wall_s"] else None
                        t["mb_per_s"] = (entry["corpus_bytes"] / MB / t["wall_s"]
                                         if t["wall_s"] else None)
                entry["engines"][e] = r
                if not a.keep:
                    for p in leftovers:
                        if os.path.isdir(p):
                            shutil.rmtree(p, ignore_errors=True)
                        elif os.path.exists(p):
                            os.remove(p)
                # latency files are what the plots need: keep them with the
                # results of this run
                for mode in a.modes:
                    src = os.path.join(d, "latency-%s-%s.tsv" % (e, mode))
                    if os.path.exists(src):
                        os.makedirs(os.path.join(self.work, "latency"),
                                    exist_ok=True)
                        shutil.copy(src, os.path.join(
                            self.work, "latency", "%s-%s-%s.tsv" % (label, e, mode)))
                results["total_wall_s"] = round(time.perf_counter() - started, 1)
                results["waited_s"] = round(self.waited, 1)
                self.save(results)
        results["total_wall_s"] = round(time.perf_counter() - started, 1)
        results["waited_s"] = round(self.waited, 1)
        self.save(results)
        report(self.out, os.path.join(self.work, "latency"), stream=sys.stdout)
        log("done in %.1f min; work files in %s, results in %s"
            % (results["total_wall_s"] / 60, self.work, self.out))
        return 0

    def wait_quiet(self):
        """With --quiet-wait S: wait up to S seconds for other processes to
        leave the machine nearly idle (under 15% of it over 3 s) before a
        step, so that shared machines disturb fewer measurements."""
        limit = self.args.quiet_wait
        if limit <= 0:
            return
        deadline = time.time() + limit
        t0 = time.perf_counter()
        try:
            self._wait_quiet(deadline, limit)
        finally:
            self.waited += time.perf_counter() - t0

    def _wait_quiet(self, deadline, limit):
        said = False
        while True:
            with Meter() as m:
                time.sleep(3)
            busy = m.result.get("others_share")
            if busy is None or busy < 0.15:
                return
            if time.time() > deadline:
                log("machine still busy (%.0f%% used by others); going on"
                    % (100 * busy))
                return
            if not said:
                log("machine busy (%.0f%% used by others); waiting up to "
                    "%d s" % (100 * busy, limit))
                said = True

    def save(self, results):
        tmp = os.path.join(self.out, "results.json.tmp")
        with open(tmp, "w") as f:
            json.dump(results, f, indent=1, sort_keys=False)
            f.write("\n")
        os.replace(tmp, os.path.join(self.out, "results.json"))


SPHINX_CONF = """\
source news
{
  type = tsvpipe
  tsvpipe_command = cat %(tsv)s
  tsvpipe_field_string = title
  tsvpipe_field = body
}
index news
{
  source = news
  path = %(dir)s/news
  morphology = stem_en
  min_word_len = 1
}
indexer
{
  mem_limit = 256M
}
searchd
{
  listen = 127.0.0.1:%(port)d:mysql41
  log = %(dir)s/searchd.log
  query_log = %(dir)s/query.log
  pid_file = %(dir)s/searchd.pid
  binlog_path =
  workers = threads
}
"""


# ---- report: tables, ratios, plots ---------------------------------------------

NAMES = {"cysearch": "cysearch", "xapian": "Xapian (scriptindex)",
         "fts5": "SQLite FTS5", "sphinx": "Sphinx 2.2"}
# The latency a peer is compared with: what a plain application of it
# does by default.
PRIMARY = {"cysearch": "bare", "xapian": "estimate", "fts5": "bm25",
           "sphinx": "bm25"}
VARIANT_TEXT = {
    ("cysearch", "bare"): "top 10, estimated count (the default), no snippets",
    ("cysearch", "full"): "results page: top 10 + snippets + every facet "
                          "(over the matches examined)",
    ("cysearch", "exact"): "results page with --exact (every match counted)",
    ("xapian", "estimate"): "top 10, estimated count (Xapian default)",
    ("xapian", "exact"): "top 10, exact count to 10,000",
    ("fts5", "bm25"): "top 10 by bm25() (scores every match)",
    ("sphinx", "bm25"): "top 10, ranker=bm25 (via SphinxQL)",
}


def fmt(v, nd=1):
    if v is None:
        return "–"
    if isinstance(v, float) and (math.isnan(v)):
        return "–"
    return "{:,.{}f}".format(v, nd)


def ratio(a, b):
    if not a or not b:
        return "–"
    return "%.2f×" % (a / b)


def share(meter):
    v = meter.get("others_share") if meter else None
    return "–" if v is None else "%.0f%%" % (100 * v)


def size_name(s):
    n = s["articles"]
    base = "{:,}".format(n)
    return base + (" (input corpus)" if not s["generated"] else "")


def read_latency(path):
    """{variant: {qid: [ms per timed round]}} from a latency file."""
    by = {}
    with open(path) as f:
        for row in f:
            fld = row.rstrip("\n").split("\t")
            by.setdefault(fld[1], {}).setdefault(fld[2], []).append(
                float(fld[4]) / 1e3)
    return by


def per_query_medians(qtimes):
    out = []
    for vals in qtimes.values():
        v = sorted(vals)
        n = len(v)
        out.append(v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2)
    return out


def restat(res, latency_dir):
    """Latency statistics from the latency files: over queries, each
    query's median over the timed rounds (one slow round, e.g. another
    process taking the CPU, does not make a query slow); the statistics
    over every sample are kept too."""
    for s in res["sizes"]:
        for e, r in s["engines"].items():
            for mode, lat in r.get("latency", {}).items():
                p = os.path.join(latency_dir, "%s-%s-%s.tsv" % (s["label"], e, mode))
                if not os.path.exists(p):
                    continue
                for v, qtimes in read_latency(p).items():
                    st = summarize(per_query_medians(qtimes))
                    st["all_samples"] = summarize(
                        [x for vals in qtimes.values() for x in vals])
                    st["of"] = "per-query median over the timed rounds"
                    lat[v] = st


def report(out_dir, latency_dir, stream=None):
    with open(os.path.join(out_dir, "results.json")) as f:
        res = json.load(f)
    restat(res, latency_dir)
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")
    md = []
    w = md.append
    w("# cysearch against other engines")
    w("")
    w("`%s` on %s; %s cores, %s; %d queries from `%s`, %d warm-up and %d "
      "timed rounds; %d process starts each; %s." % (
          res["command"], res["date"], res["machine"]["nproc"],
          res["machine"]["model"], res["nqueries"],
          os.path.basename(res["queries"]), res["warmup"], res["rounds"],
          res["start_runs"], "; ".join("%s: %s" % kv for kv in
                                       res["versions"].items() if kv[1])))
    for n in res["notes"]:
        w("")
        w("Note: " + n)
    w("")
    w("## Indexing (title + body, same JSON Lines file)")
    w("")
    w("Time ratio = cysearch's time ÷ the engine's (above 1: cysearch "
      "is slower); articles/s and MB/s are per wall-clock second.  Others' CPU: CPU time that other processes on the "
      "machine took during the step, as a share of the machine (the "
      "machine is shared; much more than a few % means that row was "
      "disturbed).")
    w("")
    w("| articles | engine | wall s | CPU s | peak RSS MB | articles/s | MB/s "
      "| index MB | compacted MB | index ÷ input | time ratio (wall) "
      "| time ratio (CPU) | others' CPU |")
    w("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    ratios = []
    notes = []
    for s in res["sizes"]:
        cys = s["engines"].get("cysearch", {}).get("index", {})
        for e in ENGINES:
            r = s["engines"].get(e)
            if not r or "error" in r:
                continue
            t = r["index"]
            comp = r.get("compact_bytes")
            w("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                size_name(s), NAMES[e], fmt(t["wall_s"], 2), fmt(t["cpu_s"], 2),
                fmt(t["peak_rss_mb"], 0), fmt(t["articles_per_s"], 0),
                fmt(t["mb_per_s"], 2), fmt(r["index_bytes"] / MB, 1),
                fmt(comp / MB, 1) if comp else "–",
                "%.2f" % ((comp or r["index_bytes"]) / s["corpus_bytes"]),
                "1" if e == "cysearch" else ratio(cys.get("wall_s"), t["wall_s"]),
                "1" if e == "cysearch" else ratio(cys.get("cpu_s"), t["cpu_s"]),
                share(t)))
            if e != "cysearch" and cys:
                ratios.append("%s articles: indexing takes cysearch %s the "
                              "wall time of %s (%s its CPU time)" % (
                                  "{:,}".format(s["articles"]),
                                  ratio(cys["wall_s"], t["wall_s"]), NAMES[e],
                                  ratio(cys["cpu_s"], t["cpu_s"])))
        extra = []
        conv = ["%s %.1f s" % (NAMES[e], s["engines"][e]["convert"]["wall_s"])
                for e in ENGINES if "convert" in s["engines"].get(e, {})]
        if conv:
            extra.append("converting the JSONL to their input format (not "
                         "counted above) took " + ", ".join(conv))
        f5 = s["engines"].get("fts5", {}).get("index", {})
        if "fts5_insert_s" in f5:
            extra.append("FTS5's INSERT alone took %.1f s of its %.1f s" % (
                f5["fts5_insert_s"], f5["wall_s"]))
        comps = ["%s %.1f s" % (NAMES[e], s["engines"][e]["compact"]["wall_s"])
                 for e in ENGINES if "compact" in s["engines"].get(e, {})]
        if comps:
            extra.append("compacting (xapian-compact; FTS5 optimize + VACUUM) "
                         "took " + ", ".join(comps))
        if extra:
            notes.append("- %s articles (%.1f MB): %s." % (
                "{:,}".format(s["articles"]), s["corpus_bytes"] / MB,
                "; ".join(extra)))
    if notes:
        w("")
        md.extend(notes)
    w("")
    for mode in res["modes"]:
        w("## Query latency, %s (ms per query, top 10, one process)" % (
            "any word (OR, cysearch's default)" if mode == "or"
            else "every word (AND)"))
        w("")
        w("Each query's time is its median over the timed rounds; p50, p95, "
          "p99 and mean are over the %d queries.  Time ratio = cysearch's p50 "
          "(top 10, no snippets) ÷ this row's p50 (above 1: cysearch is "
          "slower)." % res["nqueries"])
        w("")
        w("| articles | engine | what | p50 | p95 | p99 | mean | time ratio (p50) "
          "| others' CPU |")
        w("|---|---|---|---|---|---|---|---|---|")
        for s in res["sizes"]:
            cys = (s["engines"].get("cysearch", {}).get("latency", {})
                   .get(mode, {}).get("bare", {}))
            for e in ENGINES:
                r = s["engines"].get(e)
                if not r or "error" in r:
                    continue
                lat = r.get("latency", {}).get(mode, {})
                for v, st in lat.items():
                    if v.startswith("_"):
                        continue
                    w("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                        size_name(s), NAMES[e], VARIANT_TEXT.get((e, v), v),
                        fmt(st["p50"], 2), fmt(st["p95"], 2), fmt(st["p99"], 2),
                        fmt(st["mean"], 2),
                        ("1" if v == "bare" else "–") if e == "cysearch"
                        else ratio(cys.get("p50"), st["p50"]),
                        share(lat.get("_meter", {}))))
                    if e == "xapian" and v == "estimate" and cys:
                        same = (s["engines"]["cysearch"]["latency"][mode]
                                .get("bare", {}))
                        ratios.append(
                            "%s articles, %s: like for like (both estimating "
                            "the count), cysearch's p50 is %s Xapian's, p99 %s"
                            % ("{:,}".format(s["articles"]), mode.upper(),
                               ratio(same.get("p50"), st["p50"]),
                               ratio(same.get("p99"), st["p99"])))
                    if e != "cysearch" and v == PRIMARY[e] and cys:
                        ratios.append(
                            "%s articles, %s: cysearch's p50 is %s %s's, p99 %s"
                            % ("{:,}".format(s["articles"]), mode.upper(),
                               ratio(cys["p50"], st["p50"]), NAMES[e],
                               ratio(cys["p99"], st["p99"])))
        w("")
        shell = ["%s articles: p50 %s ms, mean %s ms" % (
            "{:,}".format(s["articles"]),
            fmt(s["engines"]["fts5"]["shell_timer"][mode]["p50"], 0),
            fmt(s["engines"]["fts5"]["shell_timer"][mode]["mean"], 1))
            for s in res["sizes"] if "shell_timer" in s["engines"].get("fts5", {})]
        if shell:
            w("FTS5 latencies are from Python's sqlite3 module (the same "
              "libsqlite3 and FTS5 code as the shell); the sqlite3 shell's "
              "`.timer` over the same queries in one session, which counts "
              "whole milliseconds, gave " + "; ".join(shell) + ".")
            w("")
    w("## Start cost: one process, open the index, one query")
    w("")
    w("%d runs of the whole command with a query that matches nothing "
      "(`%s`), so that the time is starting the process, opening the index "
      "and parsing.  Sphinx answers from a running daemon: no row."
      % (res["start_runs"], START_QUERY))
    w("")
    w("| articles | command | p50 ms | mean ms |")
    w("|---|---|---|---|")
    cmds = {"cysearch": "`cysearch --no-snippets`", "xapian": "`quest`",
            "fts5": "`sqlite3 DB \"SELECT …\"`"}
    for s in res["sizes"]:
        for e in ENGINES:
            st = s["engines"].get(e, {}).get("start")
            if st:
                w("| %s | %s | %s | %s |" % (size_name(s), cmds[e],
                                              fmt(st["p50"], 2), fmt(st["mean"], 2)))
    w("")
    waited = res.get("waited_s") or 0
    w("Whole run: %.1f min%s." % (
        res.get("total_wall_s", 0) / 60,
        " (of which %.1f min waiting for the machine to be quiet)" % (waited / 60)
        if waited else ""))
    text = "\n".join(md) + "\n"
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write(text)
    plots(res, out_dir, latency_dir)
    if stream:
        stream.write(text)
        stream.write("\nRatios (cysearch's time ÷ the other engine's; above 1 "
                     "means cysearch takes longer):\n")
        for r in ratios:
            stream.write("  " + r + "\n")
    return 0


COLOURS = {"cysearch": "#1f77b4", "xapian": "#2ca02c", "fts5": "#d62728",
           "sphinx": "#ff7f0e"}


def plots(res, out_dir, latency_dir):
    if not shutil.which("gnuplot"):
        log("gnuplot not found: no plots (.ci/install-deps --bench)")
        return
    data = os.path.join(latency_dir, "plotdata")
    os.makedirs(data, exist_ok=True)
    # Throughput against corpus size.
    series = []
    for e in ENGINES:
        pts = [(s["articles"], s["engines"][e]["index"]["articles_per_s"],
                s["articles"] / s["engines"][e]["index"]["cpu_s"],
                s["generated"])
               for s in res["sizes"] if "index" in s["engines"].get(e, {})
               and s["engines"][e]["index"].get("cpu_s")]
        if pts:
            p = os.path.join(data, "throughput-%s.dat" % e)
            with open(p, "w") as f:
                for x, y, ycpu, gen in sorted(pts):
                    f.write("%d %.3f %.3f %d\n" % (x, y, ycpu, gen))
            series.append((e, p))
    real = [s for s in res["sizes"] if not s["generated"]]
    gen = [s for s in res["sizes"] if s["generated"]]
    subtitle = ""
    if real:
        subtitle = "\\n(%s articles: the input corpus itself, %.1f KB an article" % (
            "{:,}".format(real[0]["articles"]),
            real[0]["corpus_bytes"] / real[0]["articles"] / 1e3)
        if gen:
            subtitle += "; the others generated from it, %.1f KB an article" % (
                gen[-1]["corpus_bytes"] / gen[-1]["articles"] / 1e3)
        subtitle += ")"
    gp = ['set terminal pngcairo size 1000,420 font "DejaVu Sans,9"',
          'set output "%s"' % os.path.join(out_dir, "throughput.png"),
          'set multiplot layout 1,2 title "Indexing throughput against corpus '
          'size (title + body; one indexing process; log scales)%s"' % subtitle,
          'set logscale xy', 'set xlabel "articles in the corpus"',
          'set grid', 'set key bottom right', 'set format x "%.0s%c"',
          'set yrange [100:30000]', 'set format y "%.0f"']
    for col, ylabel in ((2, "articles per wall-clock second"),
                        (3, "articles per CPU second")):
        gp.append('set ylabel "%s"' % ylabel)
        gp.append('set title "%s"' % ylabel)
        gp.append("plot " + ", ".join(
            '"%s" using 1:%d with linespoints lw 2 pt 7 lc rgb "%s" title "%s"'
            % (p, col, COLOURS[e], NAMES[e]) for e, p in series))
    gp.append("unset multiplot")
    run_gnuplot(gp, data, "throughput")
    # Latency distributions: one panel per size and mode.
    panels = []
    for s in res["sizes"]:
        for mode in res["modes"]:
            lines = []
            for e in ENGINES:
                p = os.path.join(latency_dir, "%s-%s-%s.tsv" % (s["label"], e, mode))
                if not os.path.exists(p):
                    continue
                for v, qtimes in read_latency(p).items():
                    vals = sorted(per_query_medians(qtimes))
                    dp = os.path.join(data, "cdf-%s-%s-%s-%s.dat" % (
                        s["label"], e, mode, v))
                    with open(dp, "w") as f:
                        n = len(vals)
                        for i, x in enumerate(vals, 1):
                            f.write("%.4f %.5f\n" % (x, i / n))
                    lines.append((e, v, dp))
            if lines:
                panels.append((s, mode, lines))
    if not panels:
        return
    cols = len(res["modes"])
    rows = (len(panels) + cols - 1) // cols
    styles = {("cysearch", "bare"): 'lc rgb "#1f77b4" lw 2.5',
              ("cysearch", "full"): 'lc rgb "#1f77b4" lw 1.5 dt 2',
              ("cysearch", "exact"): 'lc rgb "#1f77b4" lw 1.5 dt 3',
              ("xapian", "estimate"): 'lc rgb "#2ca02c" lw 2.5',
              ("xapian", "exact"): 'lc rgb "#2ca02c" lw 1.5 dt 2',
              ("fts5", "bm25"): 'lc rgb "#d62728" lw 2.5',
              ("sphinx", "bm25"): 'lc rgb "#ff7f0e" lw 2.5'}
    short = {("cysearch", "bare"): "cysearch",
             ("cysearch", "full"): "cysearch +snippets+facets",
             ("cysearch", "exact"): "cysearch page, --exact",
             ("xapian", "estimate"): "Xapian",
             ("xapian", "exact"): "Xapian, exact count",
             ("fts5", "bm25"): "SQLite FTS5",
             ("sphinx", "bm25"): "Sphinx"}
    gp = ['set terminal pngcairo size %d,%d font "DejaVu Sans,9"'
          % (480 * cols, 290 * rows + 40),
          'set output "%s"' % os.path.join(out_dir, "latency.png"),
          'set multiplot layout %d,%d title "Query latency: share of the %d '
          'queries answered within x ms (median of %d rounds; top 10, one '
          'process; log x)"' % (rows, cols, res["nqueries"], res["rounds"]),
          'set logscale x', 'set grid', 'set yrange [0:1]',
          'set xrange [0.05:1000]',
          'set key bottom right font ",8"', 'set ylabel "share of queries"',
          'set xlabel "ms"']
    for s, mode, lines in panels:
        gp.append('set title "%s articles, %s"' % (
            "{:,}".format(s["articles"]) + (" (input)" if not s["generated"] else ""),
            "any word (OR)" if mode == "or" else "every word (AND)"))
        gp.append("plot " + ", ".join('"%s" using 1:2 with lines %s title "%s"' % (
            dp, styles.get((e, v), "lw 1.5"), short.get((e, v), e + " " + v))
            for e, v, dp in lines))
    gp.append("unset multiplot")
    run_gnuplot(gp, data, "latency")


def run_gnuplot(lines, data, name):
    script = os.path.join(data, name + ".gp")
    with open(script, "w") as f:
        f.write("\n".join(lines) + "\n")
    p = subprocess.run(["gnuplot", script], stderr=subprocess.PIPE)
    if p.returncode != 0:
        log("gnuplot failed on %s: %s" % (script, p.stderr.decode()[-500:]))


# ---- command line -----------------------------------------------------------------

def default_corpus():
    p = os.path.join(SHARED, "corpus", "news.jsonl.gz")
    return p if os.path.exists(p) else os.path.join(ROOT, "corpus", "sample.jsonl")


def default_queries():
    p = os.path.join(SHARED, "bench", "news-queries.txt")
    return p if os.path.exists(p) else os.path.join(HERE, "sample-queries.txt")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(prog="bench.py", description=__doc__.split(
        "\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)

    r = sub.add_parser("run", help="the whole benchmark")
    r.add_argument("build_dir", help="cysearch build directory")
    r.add_argument("--sizes", default="10000,100000",
                   help="corpus sizes to generate, comma-separated "
                   "(default %(default)s)")
    r.add_argument("--with-1m", action="store_true",
                   help="also 1,000,000 articles (~1.4 GB; long)")
    r.add_argument("--no-real", dest="real", action="store_false",
                   help="leave out the input corpus itself as a size")
    r.add_argument("--corpus", default=default_corpus(),
                   help="real articles to start from (default %(default)s)")
    r.add_argument("--queries", default=default_queries(),
                   help="one query a line (default %(default)s)")
    r.add_argument("--out", default=os.path.join(HERE, "results"),
                   help="results: JSON, Markdown, PNG (default %(default)s)")
    r.add_argument("--work", default=os.path.join(
        os.environ.get("TMPDIR", "/tmp"), "cysearch-bench"),
        help="corpora, indexes, logs (default %(default)s)")
    r.add_argument("--engines", default=",".join(ENGINES),
                   help="default %(default)s; a missing one is skipped")
    r.add_argument("--modes", default="or,and",
                   help="query modes: or (any word), and (every word)")
    r.add_argument("--rounds", type=int, default=3,
                   help="timed rounds over the queries (default 3)")
    r.add_argument("--warmup", type=int, default=1,
                   help="untimed rounds first (default 1)")
    r.add_argument("--start-runs", type=int, default=30,
                   help="process starts timed per engine (default 30)")
    r.add_argument("--seed", type=int, default=1)
    r.add_argument("--quiet-wait", type=int, default=0, metavar="S",
                   help="before each engine, wait up to S seconds for other "
                   "processes to leave the machine idle (default 0: don't)")
    r.add_argument("--keep", action="store_true",
                   help="keep the indexes in the work directory")

    c = sub.add_parser("to-scriptindex")
    c.add_argument("input")
    c.add_argument("output")
    c = sub.add_parser("to-tsv")
    c.add_argument("input")
    c.add_argument("output")

    q = sub.add_parser("queries", help="per-query latency of one engine")
    q.add_argument("--engine", required=True, choices=("xapian", "fts5", "sphinx"))
    q.add_argument("--db", required=True)
    q.add_argument("--queries", required=True)
    q.add_argument("--mode", choices=("or", "and"), default="or")
    q.add_argument("--rounds", type=int, default=3)
    q.add_argument("--warmup", type=int, default=1)
    q.add_argument("--cpu", action="store_true",
                   help="time each query in CPU time of this thread, which "
                   "other work on a busy machine disturbs less than wall "
                   "time")
    q.add_argument("--tsv")
    q.add_argument("--port", type=int, default=9306)

    p = sub.add_parser("report", help="tables and plots from results.json")
    p.add_argument("out_dir")
    p.add_argument("--latency", help="directory of the latency files "
                   "(default: WORK/latency of the run)")

    args = ap.parse_args(argv)
    if args.cmd == "run":
        args.argv = argv[1:]
        sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
        if args.with_1m and 1000000 not in sizes:
            sizes.append(1000000)
        args.sizes = sorted(sizes)
        args.engines = [e for e in args.engines.split(",") if e]
        for e in args.engines:
            if e not in ENGINES:
                ap.error("unknown engine %r" % e)
        args.modes = [m for m in args.modes.split(",") if m]
        if not set(args.modes) <= {"or", "and"}:
            ap.error("--modes takes or, and")
        return Bench(args).run()
    if args.cmd == "to-scriptindex":
        return cmd_to_scriptindex(args)
    if args.cmd == "to-tsv":
        return cmd_to_tsv(args)
    if args.cmd == "queries":
        return cmd_queries(args)
    if args.cmd == "report":
        lat = args.latency
        if not lat:
            with open(os.path.join(args.out_dir, "results.json")) as f:
                first = json.load(f)["sizes"][0]["corpus"]
            lat = os.path.join(os.path.dirname(first), "latency")
        return report(os.path.abspath(args.out_dir), lat, stream=sys.stdout)
    return 2


if __name__ == "__main__":
    sys.exit(main())
