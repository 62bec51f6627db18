#!/usr/bin/env python3
"""analysis.py: the analysis figures' inputs and baselines (issue 12 item 8).

  analysis.py prepare DB DIR N
      Picks N observables, N reports at NISC holding observables and the search
      terms from the data set (DB: sqlite:PATH, a path, or postgresql://...)
      and writes the request paths for wrk: DIR/obs-paths.txt
      (/api/v1/observables?value=), DIR/corr-paths.txt
      (/api/v1/reports/{id}/correlations), DIR/search-paths.txt
      (/api/v1/search?q=), with the values in DIR/*-values.txt.
      Prints ANARESULT observables= item_rows= reports= search_docs=
  analysis.py baseline DB DIR KIND [N]
      The same things as raw indexed SQLite queries on the same file, each
      value once (N passes after an uncounted warm-up; default 3), timed one by one: obs (the
      observable's id by (value, kind), then its item rows by
      item_observables_obs), corr (the report's observables, then the other
      items holding them, counted), search (the FTS5 trigram index, the 20
      newest rows), stats (reports by sector and event type of the newest
      version: one GROUP BY over the data set).
      Prints SQLRESULT queries= p50_ms= p99_ms= per_s=
SQLite only: on PostgreSQL `prepare` reads the values with psql and there is
no baseline (bench/run prints "-").
"""
import os
import random
import sqlite3
import subprocess
import sys
import time
import urllib.parse

# Words of the generated forms (bench/gen.c) and observable fragments.
TERMS = ["ランサムウェア", "不正アクセス", "サプライチェーン", "標的型メール", "DDoS",
         "情報漏えい", "脆弱性", "c2-000", "100.64.1", "CVE-2024-10", "復旧", "ログの解析"]


def sqlite_path(db):
    return db[len("sqlite:"):] if db.startswith("sqlite:") else db


def rows(db, sql):
    if db.startswith("postgres"):
        psql = subprocess.run(
            ["sh", "-c", "command -v psql || ls /usr/lib/postgresql/*/bin/psql | tail -n 1"],
            capture_output=True, text=True).stdout.strip()
        out = subprocess.run([psql, db, "-AtF", "\t", "-c", sql], check=True,
                             capture_output=True, text=True).stdout
        return [tuple(l.split("\t")) for l in out.splitlines() if l]
    c = sqlite3.connect("file:%s?mode=ro" % sqlite_path(db), uri=True, timeout=60)
    r = c.execute(sql).fetchall()
    c.close()
    return r


def one(db, sql):
    r = rows(db, sql)
    return r[0][0] if r else 0


def prepare(db, d, n):
    os.makedirs(d, exist_ok=True)
    nobs = int(one(db, "SELECT COALESCE(MAX(id), 0) FROM observables"))
    rnd = random.Random(1)
    ids = sorted(set(rnd.randrange(1, nobs + 1) for _ in range(n))) if nobs else []
    vals = rows(db, "SELECT kind, value_norm FROM observables WHERE id IN (%s)" %
                ",".join(str(i) for i in ids)) if ids else []
    maxr = int(one(db, "SELECT COALESCE(MAX(item_id), 0) FROM item_observables WHERE item_kind = 0"))
    reps = []
    tries = 0
    while len(reps) < n and maxr and tries < 20:
        cand = sorted(set(rnd.randrange(1, maxr + 1) for _ in range(n * 2)))
        # Reports at NISC (an R-number): the ones the NISC analyst may read.
        got = rows(db, "SELECT DISTINCT item_id FROM item_observables WHERE item_kind = 0"
                   " AND item_id IN (%s) AND item_id IN (SELECT id FROM reports"
                   " WHERE r_number IS NOT NULL)" % ",".join(str(i) for i in cand))
        reps += [int(r[0]) for r in got]
        tries += 1
    reps = reps[:n]
    with open(os.path.join(d, "obs-values.txt"), "w") as f:
        f.write("".join("%s\t%s\n" % (k, v) for k, v in vals))
    with open(os.path.join(d, "obs-paths.txt"), "w") as f:
        f.write("".join("/api/v1/observables?value=%s\n" % urllib.parse.quote(v, safe="")
                        for _, v in vals))
    with open(os.path.join(d, "corr-values.txt"), "w") as f:
        f.write("".join("%d\n" % r for r in reps))
    with open(os.path.join(d, "corr-paths.txt"), "w") as f:
        f.write("".join("/api/v1/reports/%d/correlations\n" % r for r in reps))
    with open(os.path.join(d, "search-values.txt"), "w") as f:
        f.write("".join(t + "\n" for t in TERMS))
    with open(os.path.join(d, "search-paths.txt"), "w") as f:
        f.write("".join("/api/v1/search?q=%s\n" % urllib.parse.quote(t, safe="") for t in TERMS))
    print("ANARESULT observables=%d item_rows=%s reports=%s search_docs=%s picked_obs=%d picked_reports=%d" %
          (nobs, one(db, "SELECT COUNT(*) FROM item_observables"),
           one(db, "SELECT COUNT(*) FROM reports"), one(db, "SELECT COUNT(*) FROM search_docs"),
           len(vals), len(reps)))


Q_OBS = ("SELECT io.item_kind, io.item_id, io.version, io.hop, io.sector, io.at_us"
         " FROM item_observables io WHERE io.observable ="
         " (SELECT id FROM observables WHERE value_norm = ? AND kind = ?)"
         " ORDER BY io.at_us DESC")
Q_CORR = ("SELECT o.item_kind, o.item_id, COUNT(DISTINCT o.observable) AS shared"
          " FROM item_observables m JOIN item_observables o ON o.observable = m.observable"
          " WHERE m.item_kind = 0 AND m.item_id = ?1 AND NOT (o.item_kind = 0 AND o.item_id = ?1)"
          " GROUP BY o.item_kind, o.item_id ORDER BY shared DESC, o.item_id DESC")
Q_SEARCH = ("SELECT d.kind, d.item, d.key FROM search_fts JOIN search_docs d ON d.key = search_fts.rowid"
            " WHERE search_fts MATCH ? ORDER BY search_fts.rowid DESC LIMIT 20")
Q_STATS = ("SELECT r.sector, json_extract(v.form, '$.event_type') AS et, COUNT(*)"
           " FROM reports r JOIN report_versions v ON v.report = r.id AND v.version = r.nversions"
           " AND v.hop = (SELECT MAX(hop) FROM report_versions w WHERE w.report = r.id"
           " AND w.version = r.nversions AND w.form IS NOT NULL)"
           " WHERE v.form IS NOT NULL GROUP BY 1, 2")


def baseline(db, d, kind, passes):
    c = sqlite3.connect("file:%s?mode=ro" % sqlite_path(db), uri=True, timeout=60)
    if kind == "obs":
        args = [(l.split("\t")[1].rstrip("\n"), int(l.split("\t")[0]))
                for l in open(os.path.join(d, "obs-values.txt"))]
        q = Q_OBS
    elif kind == "corr":
        args = [(int(l),) for l in open(os.path.join(d, "corr-values.txt"))]
        q = Q_CORR
    elif kind == "search":
        args = [('"%s"' % l.rstrip("\n").lower().replace('"', '""'),)
                for l in open(os.path.join(d, "search-values.txt"))]
        q = Q_SEARCH
    else:
        args = [()]
        q = Q_STATS
    for a in args:	# a warm-up pass, not counted (the daemon's cache is warm too)
        c.execute(q, a).fetchall()
    lat = []
    t0 = time.monotonic()
    for _ in range(passes):
        for a in args:
            t = time.monotonic()
            c.execute(q, a).fetchall()
            lat.append((time.monotonic() - t) * 1000)
    s = time.monotonic() - t0
    c.close()
    lat.sort()

    def p(x):
        return "%.3f" % lat[min(len(lat) - 1, int(len(lat) * x / 100.0))] if lat else "-"
    print("SQLRESULT queries=%d p50_ms=%s p99_ms=%s per_s=%.1f" %
          (len(lat), p(50), p(99), len(lat) / s if s > 0 else 0))


def main():
    a = sys.argv
    if len(a) == 5 and a[1] == "prepare":
        prepare(a[2], a[3], int(a[4]))
    elif len(a) in (5, 6) and a[1] == "baseline":
        if a[2].startswith("postgres"):
            print("SQLRESULT queries=0 p50_ms=- p99_ms=- per_s=-")
            return
        baseline(a[2], a[3], a[4], int(a[5]) if len(a) == 6 else 3)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
