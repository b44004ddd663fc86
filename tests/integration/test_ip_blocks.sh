#!/bin/sh
# test_ip_blocks.sh — IPv4 address blocks in queries (issue 20, item 4):
# "10.1.2.0/24" (also defanged, title:, --filter ip:…, and the page's q
# box) finds the articles holding an address inside the block, as
# Python's ipaddress module computes it over a generated corpus with
# addresses inside, outside and on the edges of the blocks; a block that
# holds more addresses than a query searches says so; invalid blocks are
# text (in a query) or a clear error (in a filter).
set -eu
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

# The corpus: each article names a few addresses (plain, defanged, with a
# port, in a URL, as a block of its own), some near the edges of the blocks
# the queries ask for; versions ("10.1.2") and invalid octets are noise.
python3 - "$WORK/ips.jsonl" <<'EOF'
import ipaddress, json, random, sys
rng = random.Random(20)
edges = ["10.1.2.0", "10.1.2.255", "10.1.1.255", "10.1.3.0", "10.1.2.127",
         "10.1.2.128", "10.0.255.255", "10.2.0.0", "9.255.255.255",
         "11.0.0.0", "172.16.0.0", "172.31.255.255", "172.15.255.255",
         "172.32.0.0", "192.168.1.1", "10.1.2.77"]
def address():
    if rng.random() < 0.4:
        return rng.choice(edges)
    a = rng.choice([10, 10, 172, 192, 9, 11])
    b = rng.choice([0, 1, 1, 2, 16, 20, 31, 32, 168, 255])
    return "%d.%d.%d.%d" % (a, b, rng.choice([0, 1, 2, 3, 255]), rng.randrange(256))
def written(ip):
    form = rng.randrange(5)
    if form == 0:
        return ip.replace(".", "[.]", 1)
    if form == 1:
        return ip + ":443"
    if form == 2:
        return "hxxp://" + ip + "/gate.php"
    return ip
with open(sys.argv[1], "w") as out:
    for i in range(300):
        ips = [address() for _ in range(rng.randrange(0, 4))]
        words = ["beacon"] + [written(ip) for ip in ips]
        if rng.random() < 0.1:
            words.append("version 10.1.2 and 10.1.2.300")
        if rng.random() < 0.05:
            words.append("blocked 10.1.2.128/25")
        title = "report %d" % i
        if ips and rng.random() < 0.2:
            title += " " + ips[0]
        out.write(json.dumps({"id": "a%03d" % i, "title": title,
                              "body": " ".join(words)}) + "\n")
    # 120 addresses of 10.9.0.0/16: more than a query searches
    for i in range(120):
        out.write(json.dumps({"id": "many%03d" % i, "title": "many",
                              "body": "seen 10.9.%d.%d" % (i, i + 1)}) + "\n")
EOF
capture "$WORK/index.log" "$CYSEARCH_INDEX" -q --db "$WORK/db" "$WORK/ips.jsonl"

# The ids each request finds, one list per request, for the Python check.
: >"$WORK/found.txt"
found() { # NAME CMD...: record the hit ids of a JSON output
  _name=$1
  shift
  run "$_name" "$@"
  printf '%s\t%s\t' "$_name" "$STATUS" >>"$WORK/found.txt"
  python3 -c 'import json,sys
try:
    d = json.load(open(sys.argv[1]))
    print(" ".join(sorted(h["id"] for h in d["hits"])) + "\t" + (d.get("warning") or ""))
except Exception as e:
    print("unreadable\t" + str(e))' "$WORK/$_name.out" >>"$WORK/found.txt"
}
cli() { found "$1" "$CYSEARCH" --db "$WORK/db" --format json --limit 1000 --no-collapse "$2"; }
cli q24 10.1.2.0/24
cli q24defanged '10.1.2[.]0/24'
cli q24host 10.1.2.5/24
cli q25 10.1.2.128/25
cli q16 10.1.0.0/16
cli q12 172.16.0.0/12
cli q8 10.0.0.0/8
cli q32 10.1.2.77/32
cli q23 10.1.2.0/23
cli qtitle 'title:10.1.2.0/24'
cli qmany 10.9.0.0/16
cli qbad33 10.1.2.0/33
cli qbad300 300.1.2.0/24
found q24collapsed "$CYSEARCH" --db "$WORK/db" --format json --limit 50 10.1.2.0/24
found f24 "$CYSEARCH" --db "$WORK/db" --format json --limit 1000 --no-collapse --filter ip:10.1.2.0/24
found f16text "$CYSEARCH" --db "$WORK/db" --format json --limit 1000 --no-collapse 'beacon ip:10.1.0.0/16'
found f32 "$CYSEARCH" --db "$WORK/db" --format json --limit 1000 --no-collapse --filter 'ip:10.1.2[.]77'
if [ -n "${CYSEARCH_CGI:-}" ]; then
  cgi_get page24 "$WORK/db" 'q=10.1.2.0%2F24&format=json&per-page=50'
  printf 'page24\t0\t' >>"$WORK/found.txt"
  python3 -c 'import json,sys
d = json.loads(open(sys.argv[1], newline="").read().split("\r\n\r\n", 1)[1])
print(" ".join(sorted(h["id"] for h in d["hits"])) + "\t" + str(d["total"]))' \
    "$WORK/page24.out" >>"$WORK/found.txt"
fi

pycheck "$WORK/ips.jsonl" "$WORK/found.txt" <<'EOF'
import ipaddress
articles = load_jsonl(sys.argv[1])
found = {}
for line in open(sys.argv[2], encoding="utf-8"):
    name, status, ids, note = (line.rstrip("\n").split("\t") + [""])[:4]
    found[name] = (int(status), set(ids.split()), note)

ADDRESS = re.compile(r"(?<![\d.])(\d{1,3})(?:\.|\[\.\])(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:/(\d+))?(?![\d.])")
def blocks(text):
    """Every address (a /32) or block written in text, read independently."""
    out = []
    for m in ADDRESS.finditer(text):
        octets = [int(x) for x in m.groups()[:4]]
        if max(octets) > 255:
            continue
        bits = int(m.group(5)) if m.group(5) else 32
        out.append(ipaddress.ip_network("%d.%d.%d.%d/%d" % (*octets, bits), strict=False))
    return out
def expected(block, title_only=False):
    net = ipaddress.ip_network(block, strict=False)
    return {a["id"] for a in articles
            if any(b.subnet_of(net) for b in blocks(a["title"] if title_only else text_of(a)))}

for name, block in [("q24", "10.1.2.0/24"), ("q24defanged", "10.1.2.0/24"),
                    ("q24host", "10.1.2.0/24"), ("q25", "10.1.2.128/25"),
                    ("q16", "10.1.0.0/16"), ("q12", "172.16.0.0/12"),
                    ("q8", "10.0.0.0/8"), ("q32", "10.1.2.77/32"),
                    ("q23", "10.1.2.0/23"), ("f24", "10.1.2.0/24"),
                    ("f32", "10.1.2.77/32")]:
    want = expected(block)
    if name == "q8":  # 10.0.0.0/8 holds the 120 addresses of 10.9/16 too
        want -= {a["id"] for a in articles if a["id"].startswith("many")}
        got = found[name][1] - {i for i in found[name][1] if i.startswith("many")}
    else:
        got = found[name][1]
    check(len(want) > 0, "%s: the corpus has articles inside %s" % (name, block))
    check_eq("%s: exactly the articles with an address inside %s" % (name, block), sorted(want), sorted(got))
check_eq("q24host: 10.1.2.5/24 is the block 10.1.2.0/24", found["q24"][1], found["q24host"][1])
check_eq("title:10.1.2.0/24: the titles' addresses", sorted(expected("10.1.2.0/24", True)), sorted(found["qtitle"][1]))
check_eq("beacon ip:10.1.0.0/16 filters the text query",
         sorted(expected("10.1.0.0/16")), sorted(found["f16text"][1]))
# More addresses than a query searches: the 100 most frequent, with a note.
check_eq("10.9.0.0/16: 100 of its 120 addresses are searched", 100, len(found["qmany"][1]))
check("its 100 most frequent were searched" in found["qmany"][2],
      "10.9.0.0/16: the note says the block was cut", found["qmany"][2])
check_eq("10.1.2.0/24 has no note", "", found["q24"][2])
# Invalid blocks are text: the literal, which no article has.
for name in ("qbad33", "qbad300"):
    check_eq("%s: an invalid block is read as text (exit 0, no hit)" % name, (0, set()), found[name][:2])
if "page24" in found:
    check_eq("the page's q box finds what the CLI finds",
             sorted(found["q24collapsed"][1]), sorted(found["page24"][1]))
EOF

# A filter value that is no address or block is a usage error naming it.
for bad in 'ip:10.1.2.0/33' 'ip:300.1.2.0/24' 'ip:evil.com' 'ip:0.0.0.0/0'; do
  run badfilter "$CYSEARCH" --db "$WORK/db" --filter "$bad"
  check_status "--filter $bad is refused" 2
  check_file_contains "--filter $bad: the message names it" "$WORK/badfilter.err" "$bad is not an IPv4 address or block"
done
# A value with no word in it (empty, quoted empty, punctuation) is refused
# like any other, not taken for an address.
for bad in 'ip:' 'ip:""' 'ip:...'; do
  run emptyfilter "$CYSEARCH" --db "$WORK/db" --filter "$bad"
  check_status "--filter $bad is refused" 2
  check_file_contains "--filter $bad: the message names it" "$WORK/emptyfilter.err" "$bad is not an IPv4 address or block"
done
run emptyquery "$CYSEARCH" --db "$WORK/db" 'beacon ip:""'
check_status "the query beacon ip:\"\" is refused" 2
check_file_contains "ip:\"\" in a query: the message says what to write" "$WORK/emptyquery.err" "is not an IPv4 address or block"
run bigfilter "$CYSEARCH" --db "$WORK/db" --filter ip:10.0.0.0/8
check_status "--filter ip:10.0.0.0/8 (fewer than 1000 addresses) runs" 0
finish
