#!/usr/bin/env python3
"""depgraph.py — the include and call graph of common/src, by file.

Usage: tests/tools/depgraph.py [--check] [REPO]   (needs universal-ctags:
Debian package universal-ctags)

Edges: A -> H when A #includes "H"; A -> B when A names a function that B
defines and does not make static (found with ctags; A's comments and
strings are left out).  Prints
  - the cycles (strongly connected components) of the call graph, and of
    the call graph plus every #include of an internal header (a
    common/src/*.h) taken as an edge to the files defining what it
    declares.  Public headers are left out there: cysearch/search.h is
    implemented by every search file, which would make them one cycle;
  - every edge from a lower layer to a higher one (LAYERS, by file name).
Exit status 0: it reports.  With --check (the test "layers"), 1 when
the call graph has a cycle or an edge runs from a lower layer to a higher
one: both were brought to none, and new code keeps it so.
"""
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

# Layers, low to high; a file belongs to the highest whose pattern matches
# its name.  Headers belong with the code that implements them.
LAYERS = [
    ("base", r"^(cysearch/)?(status|utf8|buf|span_set|start_index|stem_cache"
             r"|glass_revision|resolve|version|edit_distance|shard_docid)"),
    ("record", r"^(cysearch/)?(schema|article|store)"),
    ("db", r"^(cysearch/)?(db|xapian_shim|index)"),
    ("analysis", r"^(cysearch/)?(analyze|dedup|facet_value)"),
    ("entity", r"^(cysearch/)?(entity|extract|gazetteer|kev)"),
    ("query", r"^(cysearch/)?query"),
    ("write/search", r"^(cysearch/)?(writer|relink|kev_mark|search|snippet"
                     r"|internal)"),
]
SOURCE = (".c", ".cc")


def layer(n):
    for i in reversed(range(len(LAYERS))):
        if re.search(LAYERS[i][1], n):
            return i
    sys.exit("depgraph.py: no layer for %s: add it to LAYERS" % n)


def strip(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return re.sub(r'"(\\.|[^"\\\n])*"', '""', text)


def identifiers(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return set(re.findall(r"\b[A-Za-z_]\w*\b", strip(f.read())))


def cycles(graph):
    """Tarjan's strongly connected components of more than one node."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while not comp or comp[-1] != v:
                comp.append(stack.pop())
                on.discard(comp[-1])
            if len(comp) > 1:
                out.append(comp)

    for v in sorted(set(graph) | {w for ws in graph.values() for w in ws}):
        if v not in index:
            visit(v)
    return out


def main():
    args = sys.argv[1:]
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    repo = args[0] if args else "."
    bad = 0
    src = os.path.join(repo, "common/src")
    inc = os.path.join(repo, "common/include/cysearch")
    files = sorted([os.path.join(src, f) for f in os.listdir(src)
                    if f.endswith(SOURCE + (".h", ".hh"))] +
                   [os.path.join(inc, f) for f in os.listdir(inc)
                    if f.endswith(".h")])
    name = {f: ("cysearch/" if f.startswith(inc) else "") +
            os.path.basename(f) for f in files}
    tags = subprocess.run(
        ["ctags", "--output-format=json", "--kinds-C=f", "--kinds-C++=f",
         "--fields=+S{file}", "-f", "-"] +
        [f for f in files if f.endswith(SOURCE)],
        capture_output=True, text=True, check=True).stdout
    defined = defaultdict(set)  # function -> the files defining it
    for line in tags.splitlines():
        t = json.loads(line)
        if not t.get("file"):  # "file": static, of file scope
            defined[t["name"]].add(t["path"])

    edges = defaultdict(set)  # (a, b) -> what a takes from b
    for f in files:
        with open(f, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        for h in re.findall(r'^\s*#\s*include\s+"([^"]+)"', text, re.M):
            for g in files:
                if name[g] == h:
                    edges[(f, g)].add("include")
        if f.endswith(SOURCE):
            for ident in identifiers(f):
                for g in defined.get(ident, ()):
                    if g != f:
                        edges[(f, g)].add("call " + ident)

    calls, imports = defaultdict(set), defaultdict(set)
    for (a, b) in edges:
        if not a.endswith(SOURCE):
            continue
        if b.endswith(SOURCE):
            calls[a].add(b)
            imports[a].add(b)
        elif not name[b].startswith("cysearch/"):
            for ident in identifiers(b):
                imports[a] |= defined.get(ident, set()) - {a}

    for title, graph in (("calls", calls),
                         ("calls and internal headers", imports)):
        print("== cycles between files, by %s" % title)
        found = cycles(graph)
        for comp in found:
            print("  " + " <-> ".join(sorted(name[c] for c in comp)))
            for a in sorted(comp):
                for b in sorted(comp):
                    if b in graph[a]:
                        why = sorted(k[5:] for k in edges.get((a, b), ())
                                     if k.startswith("call ")) or ["include"]
                        print("     %s -> %s: %s"
                              % (name[a], name[b], ", ".join(why)))
        if not found:
            print("  none")
        elif title == "calls":
            bad += len(found)

    print("== edges from a lower layer to a higher one")
    up = 0
    for (a, b), kinds in sorted(edges.items(),
                                key=lambda e: (name[e[0][0]], name[e[0][1]])):
        la, lb = layer(name[a]), layer(name[b])
        if la < lb:
            up += 1
            print("  %s (%s) -> %s (%s): %s"
                  % (name[a], LAYERS[la][0], name[b], LAYERS[lb][0],
                     ", ".join(sorted(kinds))))
    print("  %d in all" % up)
    print("== %d files; %d include edges, %d call edges (pairs of files)"
          % (len(files), sum("include" in k for k in edges.values()),
             sum(any(x.startswith("call ") for x in k)
                 for k in edges.values())))
    if check and (bad or up):
        print("FAIL: %d call cycle(s), %d upward edge(s): a file that "
              "calls a file calling it back, or a lower layer calling a "
              "higher one (LAYERS); move the shared code down a layer"
              % (bad, up))
        sys.exit(1)


if __name__ == "__main__":
    main()
