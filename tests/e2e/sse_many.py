#!/usr/bin/env python3
"""sse_many.py: many live inbox streams from one process (t_sse_scale.sh).

  sse_many.py --port P --out FILE NAME=TOKEN:COUNT...

Opens COUNT GET /api/v1/inbox/stream connections for each NAME with its
bearer TOKEN (non-blocking sockets on one epoll loop, HTTP/1.1 as a
browser's EventSource), and until it is sent SIGTERM rewrites FILE (JSON,
atomically, at most five times a second) with, per NAME, the number of
streams connected and failed, and per stream the events received as
[id, event, advisory id] and the heartbeats counted.  Exits 0.
"""
import argparse
import json
import os
import resource
import selectors
import signal
import socket
import sys
import time


class Stream:
    def __init__(self, name, token):
        self.name = name
        self.token = token
        self.buf = b""
        self.head = True
        self.connected = False
        self.failed = None
        self.first_id = None
        self.events = []
        self.heartbeats = 0
        self.cur_id = None
        self.cur_event = None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("groups", nargs="+")
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    sel = selectors.DefaultSelector()
    streams = []
    for g in a.groups:
        name, rest = g.split("=", 1)
        token, count = rest.rsplit(":", 1)
        for _ in range(int(count)):
            streams.append(Stream(name, token))
    pending = list(streams)
    inflight = 0
    last_dump = 0.0
    dirty = True

    def fail(s, why):
        if s.failed is None:
            s.failed = why
        try:
            sel.unregister(s.sock)
        except (KeyError, ValueError):
            pass
        s.sock.close()

    def dump():
        out = {}
        for s in streams:
            g = out.setdefault(s.name, {"connected": 0, "failed": 0,
                                        "errors": [], "streams": []})
            g["connected"] += s.connected and s.failed is None
            if s.failed is not None:
                g["failed"] += 1
                if len(g["errors"]) < 3:
                    g["errors"].append(s.failed)
            g["streams"].append({"first_id": s.first_id, "events": s.events,
                                 "heartbeats": s.heartbeats})
        tmp = a.out + ".tmp"
        with open(tmp, "w") as f:
            json.dump(out, f)
        os.replace(tmp, a.out)

    while not stop:
        while pending and inflight < 64:
            s = pending.pop(0)
            s.sock = socket.socket()
            s.sock.setblocking(False)
            try:
                s.sock.connect(("127.0.0.1", a.port))
            except BlockingIOError:
                pass
            sel.register(s.sock, selectors.EVENT_WRITE, s)
            inflight += 1
        for key, mask in sel.select(0.1):
            s = key.data
            if mask & selectors.EVENT_WRITE:
                err = s.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    inflight -= 1
                    fail(s, os.strerror(err))
                    dirty = True
                    continue
                s.sock.send(("GET /api/v1/inbox/stream HTTP/1.1\r\nHost: x\r\n"
                             "Authorization: Bearer %s\r\n"
                             "Accept: text/event-stream\r\n\r\n"
                             % s.token).encode())
                sel.modify(s.sock, selectors.EVENT_READ, s)
                continue
            try:
                data = s.sock.recv(65536)
            except OSError as e:
                data = None
                why = str(e)
            if not data:
                if not s.connected:
                    inflight -= 1
                fail(s, "closed" if data == b"" else why)
                dirty = True
                continue
            s.buf += data
            if s.head:
                i = s.buf.find(b"\r\n\r\n")
                if i < 0:
                    continue
                status = s.buf.split(b" ", 2)[1]
                s.buf = s.buf[i + 4:]
                s.head = False
                if status != b"200":
                    inflight -= 1
                    fail(s, "status " + status.decode())
                    dirty = True
                    continue
            while b"\n" in s.buf:
                line, s.buf = s.buf.split(b"\n", 1)
                line = line.rstrip(b"\r")
                if line.startswith(b": connected"):
                    if not s.connected:
                        s.connected = True
                        s.first_id = s.cur_id
                        inflight -= 1
                elif line.startswith(b": heartbeat"):
                    s.heartbeats += 1
                elif line.startswith(b"id: "):
                    s.cur_id = int(line[4:])
                elif line.startswith(b"event: "):
                    s.cur_event = line[7:].decode()
                elif line.startswith(b"data: ") and s.cur_event:
                    try:
                        aid = json.loads(line[6:]).get("id")
                    except ValueError:
                        aid = None
                    s.events.append([s.cur_id, s.cur_event, aid])
                    s.cur_event = None
            dirty = True
        now = time.monotonic()
        if dirty and now - last_dump > 0.2:
            dump()
            dirty = False
            last_dump = now
    dump()
    for s in streams:
        try:
            s.sock.close()
        except (AttributeError, OSError):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
