"""fastcgi_client.py - talk to a FastCGI program without a web server:
start it on a Unix socket of its own, and send it requests in the
protocol's records (RESPONDER role, or another to see it refused).  What
tests/bench/cgi_cpu.py and tests/integration/test_cgi_fastcgi.sh use to
ask a resident cysearch.cgi directly."""

import socket
import struct
import subprocess

BEGIN_REQUEST, END_REQUEST, PARAMS, STDIN, STDOUT = 1, 3, 4, 5, 6
RESPONDER = 1


def start(program, env, path, backlog=16):
    """Start program as a FastCGI application listening on the Unix socket
    path (created here); returns its Popen."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(backlog)
    proc = subprocess.Popen([program], stdin=listener.fileno(),
                            stdout=subprocess.DEVNULL, env=env)
    listener.close()
    return proc


def _record(kind, body=b""):
    return struct.pack(">BBHHBB", 1, kind, 1, len(body), 0, 0) + body


def _pair(name, value):
    def length(n):
        return bytes([n]) if n < 128 else struct.pack(">I", n | 1 << 31)
    name, value = name.encode(), value.encode()
    return length(len(name)) + length(len(value)) + name + value


def _read(s, data, n):
    """data with at least n bytes, reading s as needed."""
    while len(data) < n:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("the FastCGI program hung up before the "
                                  "end of its answer")
        data += chunk
    return data


def request(path, params, role=RESPONDER):
    """Send one request (params: a dict of str) to the program at path;
    return the bytes of its stdout (the CGI response)."""
    body = b"".join(_pair(k, v) for k, v in params.items())
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(path)
        s.sendall(_record(BEGIN_REQUEST, struct.pack(">HB5x", role, 0)) +
                  _record(PARAMS, body) + _record(PARAMS) + _record(STDIN))
        data, out = b"", b""
        while True:
            data = _read(s, data, 8)
            _, kind, _, n, pad, _ = struct.unpack(">BBHHBB", data[:8])
            data = _read(s, data, 8 + n + pad)
            if kind == STDOUT:
                out += data[8:8 + n]
            data = data[8 + n + pad:]
            if kind == END_REQUEST:
                return out
