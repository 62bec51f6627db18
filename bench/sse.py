#!/usr/bin/env python3
"""sse.py: many live-inbox clients on one epoll loop (no external deps).

  sse.py stream --port P --tokens FILE --n 10000 --nisc TOKEN --body FILE
                [--pid PID] [--hold S]
      Opens N GET /api/v1/inbox/stream connections (HTTP/1.1, as a browser's
      EventSource does) as the operators of FILE in turn, waits until every
      one has its ": connected" comment, POSTs the advisory in FILE as NISC
      and measures, per client, the time from sending the POST until its
      `event: delivered` frame for that advisory arrived.  With --pid, reads
      /proc/PID/status (Threads, VmRSS) while the streams are open: once all
      are connected, when all have the advisory, and the peak; then holds the
      streams --hold seconds more and closes them all.
  sse.py broadcaster --port P
      The baseline: a trivial single-threaded epoll server of the same
      protocol subset.  It answers each GET with the event-stream headers
      and ": connected", and a POST by writing one `delivered` frame of the
      cishare frame's size to every open stream, then 201 {"id": 1}.  The
      same client against it gives the floor of this harness (Python on the
      same cores, the same loopback, the same connection count).

Prints one line: SSERESULT key=value ...  Times are seconds, sizes kB.
Non-blocking sockets and selectors (epoll) only, in one process: 10,000
streams cost a few tens of MB here.  Raises its own RLIMIT_NOFILE to the
hard limit.
"""
import argparse
import errno
import json
import os
import resource
import selectors
import socket
import sys
import time


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else 1 << 20
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def pct(v, p):
    if not v:
        return float("nan")
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def proc_status(pid):
    """(threads, VmRSS kB) of pid, or (None, None)."""
    if not pid:
        return None, None
    thr = rss = None
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("Threads:"):
                    thr = int(line.split()[1])
                elif line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
    except OSError:
        pass
    return thr, rss


# ---- the client ---------------------------------------------------------

class Stream:
    __slots__ = ("idx", "sock", "token", "state", "buf", "connected",
                 "got_at", "seen", "error", "event")

    def __init__(self, idx, token):
        self.idx = idx
        self.token = token
        self.sock = None
        self.state = "new"      # new, connecting, head, body, closed
        self.buf = b""
        self.connected = False
        self.got_at = None
        self.seen = {}          # advisory id -> when its delivered frame came
        self.error = None
        self.event = None


class Client:
    def __init__(self, a):
        self.a = a
        self.sel = selectors.DefaultSelector()
        self.want = None        # the advisory id, once the POST answered
        self.pending = set()    # streams that have not received it yet
        self.nconnected = 0
        self.inflight = 0       # connects not yet answered
        self.post = None        # [sock, outbuf, inbuf, t_sent, t_answered]

    # -- streams
    def start(self, s):
        sk = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sk.setblocking(False)
        try:
            sk.connect(("127.0.0.1", self.a.port))
        except BlockingIOError:
            pass
        except OSError as e:
            s.error = "connect: %s" % e
            s.state = "closed"
            sk.close()
            return
        s.sock = sk
        s.state = "connecting"
        self.inflight += 1
        self.sel.register(sk, selectors.EVENT_WRITE, s)

    def fail(self, s, why):
        if s.state == "closed":
            return
        if s.error is None:
            s.error = why
        if not s.connected and s.state != "new":
            self.inflight -= 1
        s.state = "closed"
        try:
            self.sel.unregister(s.sock)
        except (KeyError, ValueError):
            pass
        s.sock.close()

    def on_stream(self, s, mask):
        if s.state == "connecting":
            err = s.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                self.fail(s, "connect: %s" % os.strerror(err))
                return
            req = ("GET /api/v1/inbox/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   "Authorization: Bearer %s\r\nAccept: text/event-stream\r\n"
                   "Cache-Control: no-cache\r\n\r\n" % s.token).encode()
            try:
                s.sock.send(req)    # small: fits the fresh socket's buffer
            except OSError as e:
                self.fail(s, "send: %s" % e)
                return
            s.state = "head"
            self.sel.modify(s.sock, selectors.EVENT_READ, s)
            return
        try:
            data = s.sock.recv(65536)
        except BlockingIOError:
            return
        except OSError as e:
            self.fail(s, "recv: %s" % e)
            return
        now = time.monotonic()
        if not data:
            self.fail(s, "closed by the server")
            return
        s.buf += data
        if s.state == "head":
            i = s.buf.find(b"\r\n\r\n")
            if i < 0:
                return
            status = s.buf.split(b" ", 2)[1]
            if status != b"200":
                self.fail(s, "status %s" % status.decode(errors="replace"))
                return
            s.buf = s.buf[i + 4:]
            s.state = "body"
        # Chunk-size lines are interleaved with the frames: lines are read
        # loosely, and a frame is never split (each is one chunk).
        while True:
            i = s.buf.find(b"\n")
            if i < 0:
                break
            line = s.buf[:i].rstrip(b"\r")
            s.buf = s.buf[i + 1:]
            if line.startswith(b": connected"):
                if not s.connected:
                    s.connected = True
                    self.nconnected += 1
                    self.inflight -= 1
            elif line.startswith(b"event: "):
                s.event = line[7:].strip()
            elif line.startswith(b"data: ") and s.event == b"delivered":
                try:
                    aid = json.loads(line[6:]).get("id")
                except ValueError:
                    aid = None
                s.seen.setdefault(aid, now)
                if self.want is not None and aid == self.want:
                    s.got_at = s.seen[aid]
                    self.pending.discard(s.idx)
                s.event = None
            elif line == b"":
                s.event = None

    # -- the POST
    def send_post(self, body):
        sk = socket.create_connection(("127.0.0.1", self.a.port))
        sk.setblocking(False)
        data = body.encode()
        req = ("POST /api/v1/advisories HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
               "Content-Length: %d\r\nConnection: close\r\n\r\n"
               % (self.a.nisc, len(data))).encode() + data
        self.post = [sk, req, b"", time.monotonic(), None]
        self.sel.register(sk, selectors.EVENT_WRITE, "post")

    def on_post(self, mask):
        p = self.post
        if p[1]:
            try:
                n = p[0].send(p[1])
                p[1] = p[1][n:]
            except BlockingIOError:
                return
            if not p[1]:
                self.sel.modify(p[0], selectors.EVENT_READ, "post")
            return
        try:
            data = p[0].recv(65536)
        except BlockingIOError:
            return
        if data:
            p[2] += data
            return
        p[4] = time.monotonic()
        self.sel.unregister(p[0])
        p[0].close()

    def poll(self, timeout):
        for key, mask in self.sel.select(timeout):
            if key.data == "post":
                self.on_post(mask)
            else:
                self.on_stream(key.data, mask)


def stream_mode(a):
    ops = []
    with open(a.tokens) as f:
        for line in f:
            p = line.split()
            if len(p) == 5 and p[0] == "operator":
                ops.append(p[1])
    if not ops:
        sys.exit("sse.py: no operator tokens in %s" % a.tokens)
    with open(a.body) as f:
        body = f.read()
    c = Client(a)
    streams = [Stream(i, ops[i % len(ops)]) for i in range(a.n)]
    samples = []

    def sample():
        t, r = proc_status(a.pid)
        if t is not None:
            samples.append((t, r))
        return t, r

    # Connect, at most --ramp connections waiting for their answer at once
    # (the listen backlog and SYN retries would otherwise decide).
    tc = time.monotonic()
    nxt = 0
    last_sample = 0.0
    while time.monotonic() - tc < a.connect_timeout:
        while nxt < a.n and c.inflight < a.ramp:
            c.start(streams[nxt])
            nxt += 1
        c.poll(0.05)
        if nxt == a.n and c.inflight <= 0:
            break
        if time.monotonic() - last_sample > 0.25:
            sample()
            last_sample = time.monotonic()
    connect_s = time.monotonic() - tc
    ok = [s for s in streams if s.connected and s.state == "body"]
    # Settle, then the figures with every stream open and idle.
    t_end = time.monotonic() + a.settle
    while time.monotonic() < t_end:
        c.poll(0.05)
    thr_open, rss_open = sample()
    for s in streams:
        s.got_at = None
        s.seen.clear()
    c.pending = set(s.idx for s in ok)
    t0 = time.monotonic()
    c.send_post(body)
    while c.post[4] is None and time.monotonic() - t0 < a.timeout:
        c.poll(0.05)
    post_s = (c.post[4] or time.monotonic()) - t0
    head, _, rest = c.post[2].partition(b"\r\n\r\n")
    try:
        status = int(head.split(b" ", 2)[1])
    except (IndexError, ValueError):
        status = 0
    aid = None
    try:
        txt = rest.decode(errors="replace")
        aid = json.loads(txt[txt.index("{"):txt.rindex("}") + 1]).get("id")
    except ValueError:
        pass
    c.want = aid
    for s in ok:        # frames that came before the POST answered
        if aid in s.seen:
            s.got_at = s.seen[aid]
            c.pending.discard(s.idx)
    last_sample = 0.0
    while c.pending and time.monotonic() - t0 < a.timeout:
        c.poll(0.05)
        if time.monotonic() - last_sample > 0.25:
            sample()
            last_sample = time.monotonic()
    thr_recv, rss_recv = sample()
    t_end = time.monotonic() + a.hold
    while time.monotonic() < t_end:
        c.poll(0.05)
        if time.monotonic() - last_sample > 0.25:
            sample()
            last_sample = time.monotonic()
    got = sorted(s.got_at - t0 for s in ok if s.got_at is not None)
    errs = [s.error for s in streams if s.error]
    for s in streams:
        if s.sock is not None and s.state != "closed":
            s.sock.close()
    thr_max = max((t for t, _ in samples), default=None)
    rss_max = max((r for _, r in samples if r is not None), default=None)

    def v(x):
        return "-" if x is None else str(x)
    print("SSERESULT n=%d connected=%d connect_s=%.3f post_status=%d advisory=%s "
          "post_s=%.3f received=%d first_s=%.3f p50_s=%.3f p99_s=%.3f last_s=%.3f "
          "threads_open=%s rss_open_kb=%s threads_recv=%s rss_recv_kb=%s "
          "threads_max=%s rss_max_kb=%s errors=%d%s" % (
              a.n, len(ok), connect_s, status, aid, post_s, len(got),
              got[0] if got else float("nan"), pct(got, 50), pct(got, 99),
              got[-1] if got else float("nan"), v(thr_open), v(rss_open),
              v(thr_recv), v(rss_recv), v(thr_max), v(rss_max), len(errs),
              (" first_error=%r" % errs[0]) if errs else ""))
    sys.stdout.flush()


# ---- the baseline server ---------------------------------------------------

FRAME_ITEM = {"id": 1, "identification_number": "T-0000-0001", "tlp": "green",
              "importance": "caution", "state": "issued", "urgent": True,
              "version": 1, "issued_at": "2026-01-01T00:00:00Z",
              "summary": "x" * 400, "drill": None}


def chunk(b):
    return b"%x\r\n%s\r\n" % (len(b), b)


def broadcaster_mode(a):
    sel = selectors.DefaultSelector()
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", a.port))
    ls.listen(4096)
    ls.setblocking(False)
    sel.register(ls, selectors.EVENT_READ, None)
    conns = {}      # sock -> [kind, inbuf, outbuf]
    streams = []
    frame = chunk(("id: 1\nevent: delivered\ndata: %s\n\n"
                   % json.dumps(FRAME_ITEM, separators=(",", ":"))).encode())
    print("listening on 127.0.0.1:%d" % ls.getsockname()[1])
    sys.stdout.flush()

    def out(sk, data):
        st = conns.get(sk)
        if st is None:
            return
        if not st[2]:
            try:
                n = sk.send(data)
            except BlockingIOError:
                n = 0
            except OSError:
                drop(sk)
                return
            data = data[n:]
            if data:
                sel.modify(sk, selectors.EVENT_READ | selectors.EVENT_WRITE, None)
        st[2] += data

    def drop(sk):
        st = conns.pop(sk, None)
        if st is None:
            return
        sel.unregister(sk)
        sk.close()

    while True:
        for key, mask in sel.select(1.0):
            sk = key.fileobj
            if sk is ls:
                while True:
                    try:
                        n, _ = ls.accept()
                    except BlockingIOError:
                        break
                    n.setblocking(False)
                    conns[n] = ["head", b"", b""]
                    sel.register(n, selectors.EVENT_READ, None)
                continue
            st = conns.get(sk)
            if st is None:
                continue
            if mask & selectors.EVENT_WRITE and st[2]:
                try:
                    k = sk.send(st[2])
                    st[2] = st[2][k:]
                except BlockingIOError:
                    pass
                except OSError:
                    drop(sk)
                    continue
                if not st[2]:
                    if st[0] == "done":
                        drop(sk)
                        continue
                    sel.modify(sk, selectors.EVENT_READ, None)
            if not mask & selectors.EVENT_READ:
                continue
            try:
                data = sk.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                drop(sk)
                continue
            st[1] += data
            if st[0] != "head" or b"\r\n\r\n" not in st[1]:
                continue
            head, _, bodyb = st[1].partition(b"\r\n\r\n")
            if head.startswith(b"GET "):
                st[0] = "stream"
                st[1] = b""
                streams.append(sk)
                out(sk, b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; "
                    b"charset=utf-8\r\nCache-Control: no-store\r\n"
                    b"Transfer-Encoding: chunked\r\n\r\n" +
                    chunk(b"retry: 3000\nid: 0\n: connected\n\n"))
            elif head.startswith(b"POST "):
                clen = 0
                for line in head.split(b"\r\n")[1:]:
                    k, _, val = line.partition(b":")
                    if k.strip().lower() == b"content-length":
                        clen = int(val.strip())
                if len(bodyb) < clen:
                    continue
                for s in list(streams):
                    out(s, frame)
                st[0] = "done"
                out(sk, b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 8\r\nConnection: close\r\n\r\n{\"id\":1}")
                if sk in conns and not conns[sk][2]:
                    drop(sk)
            else:
                drop(sk)
        streams[:] = [s for s in streams if s in conns]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=["stream", "broadcaster"])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--tokens")
    ap.add_argument("--nisc")
    ap.add_argument("--body")
    ap.add_argument("--pid", type=int, default=0,
                    help="the server's pid: threads and RSS from /proc")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--connect-timeout", type=float, default=300.0)
    ap.add_argument("--ramp", type=int, default=256,
                    help="connections waiting for their answer at once")
    ap.add_argument("--settle", type=float, default=1.0)
    ap.add_argument("--hold", type=float, default=1.0)
    a = ap.parse_args()
    lim = raise_nofile()
    if a.mode == "stream" and a.n + 64 > lim:
        sys.exit("sse.py: --n %d needs more file descriptors than the limit %d"
                 % (a.n, lim))
    if a.mode == "stream":
        stream_mode(a)
    else:
        broadcaster_mode(a)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
    except OSError as e:
        if e.errno != errno.EPIPE:
            raise
