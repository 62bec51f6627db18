#!/usr/bin/env python3
"""sqlbase.py: storage baselines for bench/run, on the disk the data set is on.

  sqlbase.py commits DIR SECONDS
      Durable single-row commits per second: SQLite, WAL, synchronous=FULL,
      one ~2 KB row per transaction (what one report intake costs the disk
      at the least without group commit).
  sqlbase.py fanout DIR N
      Seconds to write N delivery rows and N inbox events (the tables and
      indexes of cishare's schema) in one durable transaction.

Prints one line: SQLRESULT key=value ...
"""
import os
import sqlite3
import sys
import time


def fresh(path):
    for suffix in ("", "-wal", "-shm"):
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("PRAGMA journal_mode=WAL")
    c.execute("PRAGMA synchronous=FULL")
    return c


def commits(d, secs):
    path = os.path.join(d, "sqlbase.db")
    c = fresh(path)
    c.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    body = "x" * 2048
    n = 0
    t0 = time.monotonic()
    while time.monotonic() - t0 < secs:
        c.execute("BEGIN IMMEDIATE")
        c.execute("INSERT INTO t(body) VALUES (?)", (body,))
        c.execute("COMMIT")
        n += 1
    s = time.monotonic() - t0
    c.close()
    fresh(path).close()
    os.remove(path)
    print("SQLRESULT commits=%d seconds=%.3f per_s=%.1f" % (n, s, n / s))


def fanout(d, n):
    path = os.path.join(d, "sqlbase.db")
    c = fresh(path)
    c.executescript(
        "CREATE TABLE deliveries(id INTEGER PRIMARY KEY, advisory INTEGER NOT NULL,"
        " org INTEGER NOT NULL, parent_org INTEGER, via TEXT NOT NULL,"
        " delivered_us INTEGER NOT NULL, read_us INTEGER, ack_us INTEGER,"
        " ack_user INTEGER, reminded_us INTEGER, reminders INTEGER NOT NULL DEFAULT 0,"
        " UNIQUE(advisory, org));"
        "CREATE INDEX deliveries_org ON deliveries(org, id);"
        "CREATE TABLE inbox_events(seq INTEGER PRIMARY KEY, org INTEGER NOT NULL,"
        " advisory INTEGER NOT NULL, kind TEXT NOT NULL, at_us INTEGER NOT NULL);"
        "CREATE INDEX inbox_events_org ON inbox_events(org, seq);")
    now = int(time.time() * 1e6)
    t0 = time.monotonic()
    c.execute("BEGIN IMMEDIATE")
    for org in range(1, n + 1):
        c.execute("INSERT OR IGNORE INTO deliveries(advisory, org, parent_org, via,"
                  " delivered_us) VALUES (?, ?, ?, ?, ?)", (1, org, 2, "urgent", now))
        c.execute("INSERT INTO inbox_events(org, advisory, kind, at_us)"
                  " VALUES (?, ?, ?, ?)", (org, 1, "delivered", now))
    c.execute("COMMIT")
    s = time.monotonic() - t0
    c.close()
    fresh(path).close()
    os.remove(path)
    print("SQLRESULT rows=%d seconds=%.3f" % (2 * n, s))


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("commits", "fanout"):
        sys.exit("usage: sqlbase.py commits DIR SECONDS | fanout DIR N")
    if sys.argv[1] == "commits":
        commits(sys.argv[2], float(sys.argv[3]))
    else:
        fanout(sys.argv[2], int(sys.argv[3]))


if __name__ == "__main__":
    main()
