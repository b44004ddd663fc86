#!/usr/bin/python3
"""cgi_cpu.py - the CPU time one search page costs, per CGI program, over
the same queries: each query of the file runs once per round in every
program given, one process per request as a web server starts them, the
programs interleaved query by query.  What a process spent is its user +
system time (getrusage of the children), which other work on a busy
machine disturbs less than wall time; unlike cgi_load.sh, every program
answers the same requests, so a few heavy queries weigh alike on all.

  tests/bench/cgi_cpu.py --db INDEX [--omega-db DB] [--queries FILE]
      [--rounds N] NAME=CGI ...

CGI is a cysearch.cgi (given CYSEARCH_DB=INDEX and q=QUERY), started per
request, or once when its NAME starts with "fastcgi": then it answers
every request over FastCGI as lighttpd-fastcgi.conf runs it, and what a
request costs is the CPU time the resident process spent on it (the sum
of /proc/PID/task/*/schedstat's time on CPU, read before and after); or Xapian
Omega's (/usr/lib/cgi-bin/omega/omega, package xapian-omega; given P=QUERY
and a configuration whose default database is --omega-db, a scriptindex
index of the same articles) when its NAME starts with "omega", or any
other program (cgi_fixed.c, for what starting a process costs).  Prints
the mean, p50 and p99 CPU ms per request of each, and the mean's ratio to
the first omega program's.
"""

import argparse
import glob
import os
import resource
import subprocess
import sys
import tempfile
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
import fastcgi_client  # noqa: E402 (after its directory is on the path)


def named(value):
    name, sep, path = value.partition("=")
    if not sep or not name or not path:
        raise argparse.ArgumentTypeError("%r is not NAME=CGI" % value)
    return name, os.path.abspath(path)


def child_cpu_ms(cmd, env):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([cmd], env=env, stdout=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime +
            after.ru_stime - before.ru_stime) * 1e3


class FastCGI:
    """A resident FastCGI program, started on a Unix socket of its own
    (tests/tools/fastcgi_client.py), and what it spent on CPU."""

    def __init__(self, program, env, work, name):
        self.path = os.path.join(work, name + ".socket")
        self.proc = fastcgi_client.start(program, env, self.path)

    def cpu_ms(self):
        total = 0
        for f in glob.glob("/proc/%d/task/*/schedstat" % self.proc.pid):
            with open(f) as stat:
                total += int(stat.read().split()[0])
        return total / 1e6

    def request(self, params):
        """Send one request; return the bytes of its stdout."""
        return fastcgi_client.request(self.path, params)

    def close(self):
        self.proc.terminate()
        self.proc.wait()


def fastcgi_cpu_ms(server, env):
    before = server.cpu_ms()
    out = server.request(env)
    after = server.cpu_ms()
    if not out.startswith(b"Status: 200"):
        raise RuntimeError("FastCGI answer: %r" % out[:80])
    return after - before


def omega_config(work, db):
    """An Omega configuration whose database "default" is db."""
    for d in ("db", "log", "cdb"):
        os.mkdir(os.path.join(work, d))
    os.symlink(os.path.abspath(db), os.path.join(work, "db", "default"))
    conf = os.path.join(work, "omega.conf")
    with open(conf, "w") as f:
        f.write("database_dir %s/db\ntemplate_dir "
                "/usr/share/xapian-omega/templates\nlog_dir %s/log\n"
                "cdb_dir %s/cdb\n" % (work, work, work))
    return conf


def main(argv):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--db", required=True, help="the cysearch index")
    ap.add_argument("--omega-db", help="the scriptindex index for Omega")
    ap.add_argument("--queries", default=os.path.normpath(os.path.join(
        HERE, "..", "..", "..", "shared", "bench", "news-queries.txt")))
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("programs", nargs="+", type=named, metavar="NAME=CGI")
    args = ap.parse_args(argv)
    if args.rounds < 1:
        ap.error("--rounds must be at least 1")
    omegas = [n for n, _ in args.programs if n.startswith("omega")]
    if omegas and not args.omega_db:
        ap.error("%s needs --omega-db" % omegas[0])
    queries = []
    with open(args.queries) as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line:
                queries.append(line.split("\t", 1)[-1])
    times = {name: [] for name, _ in args.programs}
    with tempfile.TemporaryDirectory() as work:
        conf = omega_config(work, args.omega_db) if omegas else ""
        base = dict(os.environ, REQUEST_METHOD="GET",
                    GATEWAY_INTERFACE="CGI/1.1",
                    CYSEARCH_DB=os.path.abspath(args.db),
                    OMEGA_CONFIG_FILE=conf)
        servers = {name: FastCGI(cgi, base, work, name)
                   for name, cgi in args.programs
                   if name.startswith("fastcgi")}
        for r in range(args.rounds):
            for q in queries:
                for name, cgi in args.programs:
                    param = "P" if name.startswith("omega") else "q"
                    qs = param + "=" + urllib.parse.quote_plus(q)
                    if name in servers:
                        times[name].append(fastcgi_cpu_ms(
                            servers[name], {"REQUEST_METHOD": "GET",
                                            "GATEWAY_INTERFACE": "CGI/1.1",
                                            "QUERY_STRING": qs}))
                        continue
                    env = dict(base, QUERY_STRING=qs)
                    times[name].append(child_cpu_ms(cgi, env))
            print("round %d of %d, load %s" % (
                r + 1, args.rounds, open("/proc/loadavg").read().split()[0]),
                file=sys.stderr)
        for server in servers.values():
            server.close()
    mean = {n: sum(v) / len(v) for n, v in times.items()}
    ref = mean[omegas[0]] if omegas else None
    print("| CGI | requests | CPU ms/request, mean | p50 | p99 | mean ÷ %s |"
          % (omegas[0] if omegas else "-"))
    print("|---|---:|---:|---:|---:|---:|")
    for name, _ in args.programs:
        v = sorted(times[name])
        print("| %s | %d | %.2f | %.2f | %.2f | %s |" % (
            name, len(v), mean[name], v[(len(v) - 1) // 2],
            v[max(0, -(-len(v) * 99 // 100) - 1)],
            "%.2f×" % (mean[name] / ref) if ref else "–"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
