#!/usr/bin/env python3
"""Opens N keep-alive connections to 127.0.0.1:PORT, makes one request on each, then holds them all idle.

Prints "ready <open>" once every connection has had its answer (a 2xx), then sleeps until SIGTERM or --hold
seconds. Used by scripts/bench.sh to measure a proxy's memory per idle client connection.
"""
import argparse
import signal
import socket
import sys
import time


def read_response(s: socket.socket) -> int:
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the response head")
        buf += chunk
    head, _, body = buf.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed inside the body")
        body += chunk
    return status


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--header", action="append", default=[])
    ap.add_argument("--hold", type=float, default=120)
    a = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    extra = "".join(h + "\r\n" for h in a.header)
    request = ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n").encode()
    conns = []
    bad = 0
    for _ in range(a.count):
        s = socket.create_connection(("127.0.0.1", a.port), timeout=10)
        s.sendall(request)
        status = read_response(s)
        if not 200 <= status < 300:
            bad += 1
        conns.append(s)
    print("ready %d non2xx %d" % (len(conns), bad), flush=True)
    deadline = time.time() + a.hold
    while time.time() < deadline:
        time.sleep(0.5)


if __name__ == "__main__":
    main()
