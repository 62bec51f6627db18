#!/usr/bin/env python3
"""taxii.py: the TAXII and STIX import figures of bench/run (issue 11 item 8).

  taxii.py reset DB
      Empties the contributions collection of a data set before the daemon
      starts (DB: sqlite:PATH, a path, or postgresql://...): the run measures
      1,000 / 10,000 / 100,000 objects, not what earlier runs left.
  taxii.py import --api URL --token T --from A --to B [--per N] [--run R]
      POSTs indicators A..B-1 (an IPv4 pattern each, deterministic ids of
      run R) to URL/stix/import in bundles of N (default 700: the import takes at most 262,144 bytes), one after
      another on one keep-alive connection.  Prints
      TAXIIRESULT objects= seconds= per_s= bundles= bytes= errors=
  taxii.py walk --base URL --token T --coll C [--limit N] [--dir D]
      Pages through collection C (URL is the API root, .../taxii2/cishare)
      from the first page to the last, following `next`, one request at a
      time; saves each page's body in D/p-K.json and writes D/paths.txt
      (the request paths, for wrk) and D/ngx-paths.txt (the saved files as
      nginx serves them under /static/taxii/<basename D>/).  Prints
      WALKRESULT pages= objects= seconds= per_s= p50_ms= p99_ms= errors=
  taxii.py sqlimport DIR N PER
      The baseline: N rows shaped like stix_objects (same table, same
      indexes, the same JSON) inserted durably by SQLite in transactions of
      PER rows.  Prints SQLRESULT rows= seconds= per_s=
"""
import http.client
import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import uuid

NS = uuid.UUID("5b7d6a4e-2f0c-4c1e-9a51-6d1f3c0b2e11")


def indicator(run, i):
    """One indicator of ~300 bytes, the same for the same (run, i)."""
    ts = "2026-12-01T00:00:00.000Z"
    a = 10 << 24 | (i & 0xFFFFFF)
    ip = "%d.%d.%d.%d" % (a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255)
    return {
        "type": "indicator", "spec_version": "2.1",
        "id": "indicator--%s" % uuid.uuid5(NS, "%s/%d" % (run, i)),
        "created": ts, "modified": ts,
        "name": "C2 %s" % ip,
        "pattern": "[ipv4-addr:value = '%s']" % ip,
        "pattern_type": "stix", "valid_from": ts,
        "indicator_types": ["malicious-activity"],
    }


def bundle(run, lo, hi):
    return json.dumps({
        "type": "bundle", "id": "bundle--%s" % uuid.uuid5(NS, "b/%s/%d" % (run, lo)),
        "objects": [indicator(run, i) for i in range(lo, hi)],
    }, separators=(",", ":")).encode()


def conn_of(url):
    u = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=120), u.path.rstrip("/")


def cmd_import(args):
    api, token, lo, hi, per, run = (args["--api"], args["--token"], int(args["--from"]),
                                    int(args["--to"]), int(args.get("--per", 700)),
                                    args.get("--run", "r"))
    bodies = [bundle(run, a, min(a + per, hi)) for a in range(lo, hi, per)]
    c, base = conn_of(api)
    errors = 0
    nbytes = 0
    t0 = time.monotonic()
    for b in bodies:
        nbytes += len(b)
        try:
            c.request("POST", base + "/stix/import", body=b, headers={
                "Authorization": "Bearer " + token, "Content-Type": "application/json"})
            r = c.getresponse()
            body = r.read()
            if r.status // 100 != 2:
                errors += 1
                if errors <= 3:
                    sys.stderr.write("import: %d %s\n" % (r.status, body[:300]))
        except (OSError, http.client.HTTPException) as e:
            errors += 1
            sys.stderr.write("import: %s\n" % e)
            c.close()
            c, base = conn_of(api)
    s = time.monotonic() - t0
    print("TAXIIRESULT objects=%d seconds=%.3f per_s=%.1f bundles=%d bytes=%d errors=%d" %
          (hi - lo, s, (hi - lo) / s if s > 0 else 0, len(bodies),
           nbytes // max(len(bodies), 1), errors))


def pct(v, p):
    if not v:
        return "-"
    v = sorted(v)
    return "%.3f" % v[min(len(v) - 1, int(len(v) * p / 100.0))]


def cmd_walk(args):
    base, token, coll = args["--base"], args["--token"], args["--coll"]
    limit = int(args.get("--limit", 100))
    d = args["--dir"]
    os.makedirs(d, exist_ok=True)
    c, root = conn_of(base)
    path0 = "%s/collections/%s/objects/?limit=%d" % (root, coll, limit)
    path = path0
    paths, lat = [], []
    objects = errors = 0
    t0 = time.monotonic()
    while True:
        t = time.monotonic()
        try:
            c.request("GET", path, headers={"Authorization": "Bearer " + token,
                                            "Accept": "application/taxii+json;version=2.1"})
            r = c.getresponse()
            body = r.read()
        except (OSError, http.client.HTTPException) as e:
            sys.stderr.write("walk: %s\n" % e)
            errors += 1
            break
        lat.append((time.monotonic() - t) * 1000)
        if r.status != 200:
            sys.stderr.write("walk: %s: %d %s\n" % (path, r.status, body[:200]))
            errors += 1
            break
        k = len(paths)
        with open(os.path.join(d, "p-%d.json" % k), "wb") as f:
            f.write(body)
        paths.append(path)
        j = json.loads(body)
        objects += len(j.get("objects", []))
        if not j.get("more"):
            break
        path = path0 + "&next=" + urllib.parse.quote(j["next"], safe="")
    s = time.monotonic() - t0
    name = os.path.basename(d.rstrip("/"))
    with open(os.path.join(d, "paths.txt"), "w") as f:
        f.write("".join(p + "\n" for p in paths))
    with open(os.path.join(d, "ngx-paths.txt"), "w") as f:
        f.write("".join("/static/taxii/%s/p-%d.json\n" % (name, k) for k in range(len(paths))))
    print("WALKRESULT pages=%d objects=%d seconds=%.3f per_s=%.1f p50_ms=%s p99_ms=%s errors=%d" %
          (len(paths), objects, s, objects / s if s > 0 else 0, pct(lat, 50), pct(lat, 99), errors))


def db_exec(db, sql):
    if db.startswith("postgres"):
        psql = subprocess.run(["sh", "-c", "command -v psql || ls /usr/lib/postgresql/*/bin/psql | tail -n 1"],
                              capture_output=True, text=True).stdout.strip()
        subprocess.run([psql, db, "-qc", sql], check=True, capture_output=True)
        return
    path = db[len("sqlite:"):] if db.startswith("sqlite:") else db
    c = sqlite3.connect(path, timeout=60)
    c.execute(sql)
    c.commit()
    c.close()


def cmd_reset(db):
    db_exec(db, "DELETE FROM stix_objects WHERE collection = 'contributions'")
    print("TAXIIRESULT reset=ok")


def cmd_sqlimport(d, n, per):
    path = os.path.join(d, "sqlbase-taxii.db")
    for suffix in ("", "-wal", "-shm"):
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("PRAGMA journal_mode=WAL")
    c.execute("PRAGMA synchronous=FULL")
    c.executescript(
        "CREATE TABLE stix_objects(seq INTEGER PRIMARY KEY,"
        " collection TEXT NOT NULL, stix_id TEXT NOT NULL, type TEXT NOT NULL,"
        " spec_version TEXT NOT NULL, modified TEXT NOT NULL,"
        " added_us INTEGER NOT NULL, tlp INTEGER NOT NULL, org INTEGER NOT NULL,"
        " status TEXT NOT NULL, json TEXT NOT NULL,"
        " UNIQUE(collection, stix_id, modified));"
        "CREATE INDEX stix_objects_page ON stix_objects(collection, added_us, seq);"
        "CREATE INDEX stix_objects_org ON stix_objects(collection, org, added_us, seq);")
    objs = [indicator("sql", i) for i in range(n)]
    t0 = time.monotonic()
    for a in range(0, n, per):
        now = int(time.time() * 1e6)
        c.execute("BEGIN IMMEDIATE")
        c.executemany(
            "INSERT INTO stix_objects(collection, stix_id, type, spec_version, modified,"
            " added_us, tlp, org, status, json) VALUES ('contributions', ?, ?, '2.1', ?, ?, 2, 1,"
            " 'active', ?)",
            [(o["id"], o["type"], o["modified"], now, json.dumps(o, separators=(",", ":")))
             for o in objs[a:a + per]])
        c.execute("COMMIT")
    s = time.monotonic() - t0
    c.close()
    for suffix in ("", "-wal", "-shm"):
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass
    print("SQLRESULT rows=%d seconds=%.3f per_s=%.1f" % (n, s, n / s if s > 0 else 0))


def opts(argv):
    a = {}
    for i in range(0, len(argv) - 1, 2):
        a[argv[i]] = argv[i + 1]
    return a


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd = sys.argv[1]
    if cmd == "reset" and len(sys.argv) == 3:
        cmd_reset(sys.argv[2])
    elif cmd == "import":
        cmd_import(opts(sys.argv[2:]))
    elif cmd == "walk":
        cmd_walk(opts(sys.argv[2:]))
    elif cmd == "sqlimport" and len(sys.argv) == 5:
        cmd_sqlimport(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
