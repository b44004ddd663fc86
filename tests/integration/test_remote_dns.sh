#!/bin/sh
# test_remote_dns.sh — the connect timeout bounds the host name lookup of a
# remote shard, not only the TCP connect: with the DNS server down, opening
# HOST:PORT gives up after --connect-timeout instead of waiting for the
# resolver's own timeouts (here 5 s x 2 attempts).
#
# A fake DNS server on a loopback address, port 53, answers
#   shard.example  A 127.0.0.1
#   nx.*           NXDOMAIN
# and swallows every other query (a black hole: a server that is down but
# whose address still takes packets).  cysearch runs in a mount namespace
# of its own (unshare --mount) where /etc/resolv.conf is bind-mounted over
# with a file naming only that server; the system's resolv.conf is never
# touched.  Checks: blackhole.example:7777 fails within ~1 s
# (--connect-timeout 1) with a message naming the shard and the lookup
# timeout; with --allow-partial and a local index the local results come
# back, partial; an unknown name fails at once with the resolver's reason;
# a name DNS resolves reaches a real xapian-tcpsrv (when installed); the
# search page gives up within its 2 s connect timeout (503).
#
# Needs root (port 53, mount), unshare and mount (util-linux), and "dns"
# on the hosts: line of /etc/nsswitch.conf; skips otherwise.
set -eu
# shellcheck source=tests/integration/lib.sh
. "$CYSEARCH_SOURCE_DIR/tests/integration/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root (a DNS server on port 53, a bind mount)"
for tool in unshare mount timeout; do
  command -v "$tool" >/dev/null 2>&1 || skip "$tool (util-linux/coreutils) is needed"
done
grep -E '^[[:space:]]*hosts:.*[[:space:]]dns([[:space:]]|\[|$)' /etc/nsswitch.conf \
  >/dev/null 2>&1 || skip "/etc/nsswitch.conf does not look hosts up in DNS"
[ -f /etc/resolv.conf ] || skip "no /etc/resolv.conf to bind-mount over"
unshare --mount --propagation private true 2>/dev/null ||
  skip "unshare --mount does not work here (no CAP_SYS_ADMIN?)"

DNS=""
TCPSRV=""
stop_servers() {
  for _pid in $DNS $TCPSRV; do
    kill "$_pid" 2>/dev/null || true
    wait "$_pid" 2>/dev/null || true
  done
  DNS=""
  TCPSRV=""
}
trap 'stop_servers; rm -rf "$WORK"' EXIT
cp /etc/resolv.conf "$WORK/resolv.conf.system"

# ---- the fake DNS server ------------------------------------------------------
# It binds the first free loopback address of a few and writes it to
# $WORK/dns.addr; it stops by itself after 10 minutes (a guard).
python3 - "$WORK/dns.addr" "$WORK/dns.log" <<'EOF' &
import os, socket, struct, sys, time
sock = None
for addr in ("127.0.0.1", "127.0.0.2", "127.0.0.53", "127.0.0.54", "127.1.2.3"):
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((addr, 53))
        sock = s
        break
    except OSError:
        s.close()
if sock is None:
    sys.exit(1)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(addr + "\n")
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
log = open(sys.argv[2], "a", buffering=1)
end = time.time() + 600
while time.time() < end:
    sock.settimeout(max(0.1, end - time.time()))
    try:
        q, peer = sock.recvfrom(4096)
    except socket.timeout:
        break
    if len(q) < 17:
        continue
    # The question: labels from byte 12, then type and class.
    i, labels = 12, []
    while i < len(q) and q[i]:
        labels.append(q[i + 1:i + 1 + q[i]].decode("ascii", "replace").lower())
        i += 1 + q[i]
    qtype = struct.unpack(">H", q[i + 1:i + 3])[0] if i + 3 <= len(q) else 0
    question = q[12:i + 5]
    name = ".".join(labels)
    flags = struct.unpack(">H", q[2:4])[0]
    def reply(rcode, answers=b"", count=0):
        f = 0x8000 | (flags & 0x7900) | 0x0080 | rcode   # QR, opcode, RD; RA
        sock.sendto(q[:2] + struct.pack(">HHHHH", f, 1, count, 0, 0) +
                    question + answers, peer)
    if name == "shard.example":
        log.write("answer %s type %d\n" % (name, qtype))
        if qtype == 1:
            reply(0, b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) +
                  socket.inet_aton("127.0.0.1"), 1)
        else:
            reply(0)
    elif labels and labels[0] in ("nx", "shard"):
        log.write("nxdomain %s type %d\n" % (name, qtype))
        reply(3)
    else:
        log.write("swallow %s type %d\n" % (name, qtype))
EOF
DNS=$!
i=0
while [ $i -lt 100 ] && [ ! -s "$WORK/dns.addr" ]; do
  kill -0 "$DNS" 2>/dev/null || break
  sleep 0.1
  i=$((i + 1))
done
[ -s "$WORK/dns.addr" ] || skip "no loopback address with port 53 free for a fake DNS server"
NS=$(cat "$WORK/dns.addr")
printf 'nameserver %s\noptions timeout:5 attempts:2\n' "$NS" >"$WORK/resolv.conf"
pass "a fake DNS server listens on $NS:53"

# in_ns CMD...: CMD with our resolv.conf, in a mount namespace of its own.
# shellcheck disable=SC2016,SC2317  # the inner script's $1; called via run
in_ns() {
  unshare --mount --propagation private sh -c \
    'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' \
    sh "$WORK/resolv.conf" "$@"
}

# timed NAME CMD...: run NAME CMD... (lib.sh's run) in the namespace,
# under a hang guard, with the seconds it took in $ELAPSED.
timed() {
  _name=$1
  shift
  _t0=$(date +%s.%N)
  run "$_name" in_ns timeout 60 "$@"
  _t1=$(date +%s.%N)
  ELAPSED=$(awk -v a="$_t0" -v b="$_t1" 'BEGIN { printf "%.2f", b - a }')
  printf '     (%s: %s s)\n' "$_name" "$ELAPSED"
}

# faster DESC LIMIT: ELAPSED is under LIMIT seconds.
faster() {
  if awk -v e="$ELAPSED" -v l="$2" 'BEGIN { exit !(e < l) }'; then
    pass "$1 (${ELAPSED} s < $2 s)"
  else
    fail "$1" "took ${ELAPSED} s, the limit is $2 s"
  fi
}

# The namespace sees the fake server; the system does not.
if command -v getent >/dev/null 2>&1; then
  run getent in_ns getent ahostsv4 shard.example
  grep -q '^127\.0\.0\.1' "$WORK/getent.out" ||
    skip "the fake DNS server is not used in the namespace (nscd? $(cat "$WORK/getent.err"))"
  pass "in the namespace, shard.example resolves through the fake DNS server"
fi
if cmp -s /etc/resolv.conf "$WORK/resolv.conf.system"; then
  pass "the system's /etc/resolv.conf is untouched"
else
  fail "the system's /etc/resolv.conf is untouched"
fi

# ---- a local index ----------------------------------------------------------------
run index "$CYSEARCH_INDEX" -q --db "$WORK/local" "$SAMPLE"
check_status "index the sample corpus" 0
run alone "$CYSEARCH" --db "$WORK/local" --format json ransomware
check_status "search the local index" 0

# ---- the DNS server does not answer ---------------------------------------------
timed hole "$CYSEARCH" --db blackhole.example:7777 --connect-timeout 1 ransomware
check_status "a name the DNS server never answers: an error" 1
faster "a name the DNS server never answers: given up after the connect timeout" 4
check_file_contains "a name the DNS server never answers: the error names the shard" \
  "$WORK/hole.err" "'blackhole.example:7777'"
check_file_contains "a name the DNS server never answers: says the lookup took too long" \
  "$WORK/hole.err" "looking up host 'blackhole.example' took longer than the connect timeout (1 s)"
check_eq "a name the DNS server never answers: one line on stderr" 1 \
  "$(wc -l <"$WORK/hole.err" | tr -d ' ')"

timed hole_partial "$CYSEARCH" --db blackhole.example:7777 --db "$WORK/local" \
  --connect-timeout 1 --allow-partial --format json ransomware
check_status "a black-holed shard, --allow-partial: results" 0
faster "a black-holed shard, --allow-partial: given up after the connect timeout" 4
check_file_contains "a black-holed shard, --allow-partial: a warning names the shard" \
  "$WORK/hole_partial.err" "warning: shard 'blackhole.example:7777' is unavailable"
check_file_contains "a black-holed shard, --allow-partial: the warning says why" \
  "$WORK/hole_partial.err" "took longer than the connect timeout"
pycheck "$WORK/hole_partial.out" "$WORK/alone.out" <<'EOF'
p, l = (json.loads(open(x).read()) for x in sys.argv[1:3])
check_eq("a black-holed shard, --allow-partial: \"partial\": true", True, p.get("partial"))
check_eq("a black-holed shard, --allow-partial: \"unavailable\" names it",
         ["blackhole.example:7777"], p.get("unavailable"))
check_eq("a black-holed shard, --allow-partial: the local index's results",
         [(h["id"], round(h["score"], 9)) for h in l["hits"]],
         [(h["id"], round(h["score"], 9)) for h in p["hits"]])
EOF

# The same from a stub file: the error names the shard and its line.
printf 'auto local\nremote blackhole.example:7777\n' >"$WORK/hole.stub"
timed hole_stub "$CYSEARCH" --db "$WORK/hole.stub" --connect-timeout 1 ransomware
check_status "a stub with a black-holed shard: an error" 1
faster "a stub with a black-holed shard: given up after the connect timeout" 4
check_file_contains "a stub with a black-holed shard: names the shard and its line" \
  "$WORK/hole_stub.err" "shard 'blackhole.example:7777' (line 2 of '$WORK/hole.stub')"

# The search page: its connect timeout is 2 s; a 503, not a hang.
if [ -n "${CYSEARCH_CGI:-}" ]; then
  timed cgi_hole env -i PATH="$PATH" GATEWAY_INTERFACE=CGI/1.1 \
    SERVER_PROTOCOL=HTTP/1.1 SCRIPT_NAME=/cysearch.cgi REQUEST_METHOD=GET \
    QUERY_STRING='q=ransomware' CYSEARCH_DB=blackhole.example:7777 "$CYSEARCH_CGI"
  faster "cysearch.cgi, a black-holed shard: given up after the connect timeout" 5
  check_file_contains "cysearch.cgi, a black-holed shard: 503" "$WORK/cgi_hole.out" "Status: 503"
  check_file_contains "cysearch.cgi, a black-holed shard: the log says the lookup took too long" \
    "$WORK/cgi_hole.err" "looking up host 'blackhole.example'"
fi

# ---- a name that does not exist -------------------------------------------------
timed nx "$CYSEARCH" --db nx.example:7777 --connect-timeout 1 ransomware
check_status "an unknown name: an error" 1
faster "an unknown name: fails at once" 4
check_file_contains "an unknown name: says it cannot be resolved, and why" \
  "$WORK/nx.err" "cannot resolve host 'nx.example' (Name or service not known)"
check_file_contains "an unknown name: names the shard" "$WORK/nx.err" "'nx.example:7777'"

# ---- a name DNS resolves, served by xapian-tcpsrv ---------------------------------
if command -v xapian-tcpsrv >/dev/null 2>&1 && command -v setsid >/dev/null 2>&1; then
  started=0
  for _ in 1 2 3; do
    PORT=$(free_port)
    # Xapian's servers signal their process group on SIGTERM: a session
    # of its own.
    setsid xapian-tcpsrv --port "$PORT" --interface 127.0.0.1 --quiet "$WORK/local" \
      </dev/null >"$WORK/tcpsrv.log" 2>&1 &
    TCPSRV=$!
    if wait_for_port "$PORT" "$TCPSRV"; then
      started=1
      break
    fi
    kill "$TCPSRV" 2>/dev/null || true
    wait "$TCPSRV" 2>/dev/null || true
    TCPSRV=""
  done
  if [ $started -eq 1 ]; then
    timed named "$CYSEARCH" --db "shard.example:$PORT" --connect-timeout 1 \
      --format json ransomware
    check_status "a name the DNS server resolves: results from xapian-tcpsrv" 0
    pycheck "$WORK/named.out" "$WORK/alone.out" <<'EOF'
n, l = (json.loads(open(x).read()) for x in sys.argv[1:3])
check_eq("a name the DNS server resolves: the index's results",
         [(h["id"], round(h["score"], 9)) for h in l["hits"]],
         [(h["id"], round(h["score"], 9)) for h in n.get("hits", [])])
check("partial" not in n, "a name the DNS server resolves: complete results")
EOF
  else
    fail "xapian-tcpsrv starts" "$(cat "$WORK/tcpsrv.log")"
  fi
else
  printf '     (xapian-tcpsrv not installed: a resolved name is not tried)\n'
fi

stop_servers
if cmp -s /etc/resolv.conf "$WORK/resolv.conf.system"; then
  pass "the system's /etc/resolv.conf is still untouched"
else
  fail "the system's /etc/resolv.conf is still untouched"
fi
finish
