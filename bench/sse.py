#!/usr/bin/env python3
"""sse.py: many concurrent HTTP clients on one asyncio loop (no external deps).

  sse.py stream --port P --tokens FILE --n 1000 --nisc TOKEN --body FILE
      Opens N GET /api/v1/inbox/stream connections as N operators, waits
      until every one is connected, then POSTs the advisory in FILE as NISC
      and measures the time until every stream has received its
      `event: delivered` frame for that advisory.
  sse.py baseline --port P --path /static/frame.txt --n 1000
      Opens N connections to a static server, sends N GETs at once and
      measures the time until every response body has arrived (the same
      loopback, client and connection count, without cishare).

Prints one line: SSERESULT key=value ...  Times are seconds.
"""
import argparse
import asyncio
import json
import resource
import sys
import time


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, 65536)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def pct(v, p):
    if not v:
        return float("nan")
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


async def read_head(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, head


class Stream:
    def __init__(self, idx):
        self.idx = idx
        self.connected = asyncio.get_event_loop().create_future()
        self.got_at = None
        self.want = None        # advisory id, once known
        self.seen = set()       # advisory ids seen in delivered frames
        self.error = None


async def run_stream(s, port, token, target, t0ref):
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(("GET /api/v1/inbox/stream HTTP/1.0\r\nHost: 127.0.0.1\r\n"
                      "Authorization: Bearer %s\r\nAccept: text/event-stream\r\n\r\n"
                      % token).encode())
        await writer.drain()
        status, _ = await read_head(reader)
        if status != 200:
            raise RuntimeError("status %d" % status)
        buf = b""
        event = None
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                raise RuntimeError("stream closed")
            buf += chunk
            # chunked transfer framing is interleaved; scan lines loosely
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                line = line.rstrip(b"\r")
                if line.startswith(b": connected") and not s.connected.done():
                    s.connected.set_result(True)
                elif line.startswith(b"event: "):
                    event = line[7:].strip()
                elif line.startswith(b"data: ") and event == b"delivered":
                    try:
                        aid = json.loads(line[6:]).get("id")
                    except ValueError:
                        aid = None
                    s.seen.add(aid)
                    if s.want is not None and aid == s.want and s.got_at is None:
                        s.got_at = time.monotonic()
                        target.discard(s.idx)
                        if not target:
                            t0ref["done"].set()
                    event = None
                elif line == b"":
                    event = None
    except asyncio.CancelledError:
        raise
    except Exception as e:  # noqa: BLE001 (report, do not crash the run)
        s.error = str(e)
        if not s.connected.done():
            s.connected.set_result(False)


async def post_json(port, path, token, body):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    data = body.encode()
    writer.write(("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                  "Content-Type: application/json\r\nContent-Length: %d\r\n"
                  "Connection: close\r\n\r\n" % (path, token, len(data))).encode() + data)
    await writer.drain()
    resp = await reader.read()
    writer.close()
    head, _, rest = resp.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, rest


async def stream_mode(a):
    ops = []
    with open(a.tokens) as f:
        for line in f:
            p = line.split()
            if len(p) == 5 and p[0] == "operator":
                ops.append(p[1])
    if not ops:
        sys.exit("sse.py: no operator tokens in %s" % a.tokens)
    streams = [Stream(i) for i in range(a.n)]
    target = set(range(a.n))
    t0ref = {"done": asyncio.Event()}
    tc = time.monotonic()
    tasks = []
    for i, s in enumerate(streams):
        tasks.append(asyncio.ensure_future(run_stream(s, a.port, ops[i % len(ops)],
                                                      target, t0ref)))
        if i % 50 == 49:
            await asyncio.sleep(0)
    try:
        await asyncio.wait_for(asyncio.gather(*[s.connected for s in streams]),
                               a.connect_timeout)
    except asyncio.TimeoutError:
        pass
    ok = [s for s in streams if s.connected.done() and s.connected.result()]
    connect_s = time.monotonic() - tc
    await asyncio.sleep(a.settle)
    for s in streams:
        if not (s.connected.done() and s.connected.result()):
            target.discard(s.idx)
    with open(a.body) as f:
        body = f.read()
    t0 = time.monotonic()
    status, rest = await post_json(a.port, "/api/v1/advisories", a.nisc, body)
    t_post = time.monotonic() - t0
    aid = None
    try:
        txt = rest.decode()
        aid = json.loads(txt[txt.index("{"):txt.rindex("}") + 1]).get("id")
    except ValueError:
        pass
    for s in streams:
        s.want = aid
        if aid in s.seen and s.got_at is None:
            s.got_at = t0 + t_post
            target.discard(s.idx)
    if target:
        try:
            await asyncio.wait_for(t0ref["done"].wait(), a.timeout)
        except asyncio.TimeoutError:
            pass
    got = sorted(s.got_at - t0 for s in streams if s.got_at is not None)
    errs = [s.error for s in streams if s.error]
    for t in tasks:
        t.cancel()
    print("SSERESULT n=%d connected=%d connect_s=%.3f post_status=%d advisory=%s "
          "post_s=%.3f received=%d first_s=%.3f p50_s=%.3f p99_s=%.3f last_s=%.3f "
          "errors=%d%s" % (
              a.n, len(ok), connect_s, status, aid, t_post, len(got),
              got[0] if got else float("nan"), pct(got, 50), pct(got, 99),
              got[-1] if got else float("nan"), len(errs),
              (" first_error=%r" % errs[0]) if errs else ""))


async def fetch_once(port, path, start, out):
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        await start.wait()
        writer.write(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                      % path).encode())
        await writer.drain()
        data = await reader.read()
        writer.close()
        if b" 200 " in data[:16]:
            out.append(time.monotonic())
    except Exception:  # noqa: BLE001
        pass


async def baseline_mode(a):
    start = asyncio.Event()
    out = []
    tasks = [asyncio.ensure_future(fetch_once(a.port, a.path, start, out))
             for _ in range(a.n)]
    await asyncio.sleep(1.0)
    t0 = time.monotonic()
    start.set()
    await asyncio.wait(tasks, timeout=a.timeout)
    got = sorted(t - t0 for t in out)
    print("SSERESULT n=%d received=%d first_s=%.3f p50_s=%.3f p99_s=%.3f last_s=%.3f" % (
        a.n, len(got), got[0] if got else float("nan"), pct(got, 50), pct(got, 99),
        got[-1] if got else float("nan")))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=["stream", "baseline"])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--tokens")
    ap.add_argument("--nisc")
    ap.add_argument("--body")
    ap.add_argument("--path", default="/")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--connect-timeout", type=float, default=120.0)
    ap.add_argument("--settle", type=float, default=1.0)
    a = ap.parse_args()
    raise_nofile()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.run_until_complete(stream_mode(a) if a.mode == "stream" else baseline_mode(a))


if __name__ == "__main__":
    main()
