#!/usr/bin/env python3
"""cishare leak-proof property test (issue 16 item 2).

Generates a random population (every organisation type, role, NDA flag)
and a random history (reports on every route and TLP, follow-ups, forwards,
shares, advisories, relays, acks, anonymised items, attachments) through the
real HTTP API of a running daemon, keeps its own model of what happened, and
asks an oracle written from the spec's tables (tests/prop/README.md, not
src/core/policy.c) who may read what.  Then every read path is queried for
every principal and the answer compared with the oracle:

  item GETs, lists (with sector and text filters), /search, /inbox, the CSV
  exports, TAXII collections, /stats, report correlations, /audit and
  attachments, and 404 bodies for invisible ids byte for byte against the
  404 of an id never issued.

Non-inference: after the first history every principal's answers on the
list, search, export, inbox, statistics and TAXII paths are kept; a second
history then adds items, and every principal whose readable set the oracle
says did not change must get byte-identical answers (status, counts, order,
cursors, text).

Deterministic for a seed (--seed); the daemon's ids and times differ between
runs, the choices do not.  Python 3 standard library only.

Prints "PASS: ..." / "FAIL: ..." lines, the number of (principal, item,
path) checks and the time, and exits 1 on any failure.
"""

import argparse
import csv
import http.client
import io
import json
import random
import sys
import time
import urllib.parse

TLPS = ["red", "amber_strict", "amber", "green", "clear"]   # strictest first
RANK = {t: i for i, t in enumerate(TLPS)}
SECTORS = ["finance", "electricity", "gas", "water"]
WORD = "leakproofword"
IP = "198.51.100.7"     # one observable in every item: every item correlates


def stricter(a, b):
    return a if RANK[a] < RANK[b] else b


def volatile(page):
    """A page without the counters the checks themselves move: an
    advisory's delivery_summary counts its recipients' reads, and the
    checking reads of other principals mark visible advisories read.  It
    is about an advisory the reader reads, so no inference channel."""
    st, _, body = page.partition(b" ")
    try:
        j = json.loads(body)
    except ValueError:
        return page

    def strip(x):
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if k != "delivery_summary"}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x
    return st + b" " + json.dumps(strip(j), ensure_ascii=False).encode()


class Fail(Exception):
    pass


# ---------------------------------------------------------------- HTTP ----

class Client:
    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        self.host, self.port, self.base = u.hostname, u.port, u.path.rstrip("/")
        self.conn = None
        self.requests = 0

    def _conn(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        return self.conn

    def call(self, method, path, token=None, body=None, raw=None, ctype=None, root=False,
             accept="application/json"):
        hdr = {"Accept": accept}
        if token:
            hdr["Authorization"] = "Bearer " + token
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdr["Content-Type"] = "application/json; charset=utf-8"
        elif raw is not None:
            data = raw
            hdr["Content-Type"] = ctype or "application/octet-stream"
        p = path if root else self.base + path
        for attempt in range(3):
            try:
                c = self._conn()
                c.request(method, p, body=data, headers=hdr)
                r = c.getresponse()
                b = r.read()
                self.requests += 1
                if r.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return r.status, b
            except (http.client.HTTPException, OSError):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise Fail("unreachable")

    def json(self, method, path, token=None, body=None):
        st, b = self.call(method, path, token, body)
        try:
            j = json.loads(b) if b else None
        except ValueError:
            j = None
        return st, j, b


# ------------------------------------------------------------- the model ----

class Org:
    def __init__(self, oid, typ, sectors, ceptoar=None, pre=False, name=""):
        self.id, self.type, self.sectors = oid, typ, list(sectors)
        self.ceptoar, self.pre, self.name = ceptoar, pre, name


class User:
    def __init__(self, name, org, roles, nda, token):
        self.name, self.org, self.roles, self.nda, self.token = name, org, roles, nda, token


class Report:
    def __init__(self, rid, src, sector, route, tlp, extra):
        self.id, self.src, self.sector, self.route = rid, src, sector, route
        self.tlps = [tlp]           # TLP of every version as filed
        self.extra = set(extra)     # extra_recipients
        self.at_ceptoar = route == "via_ceptoar"
        self.at_ministry = route in ("direct", "urgent")
        self.at_nisc = route == "urgent"
        self.shared = set()
        self.attachments = []       # attachment ids on version 1
        self.drill = False
        self.widening = []          # widening request ids

    @property
    def tlp(self):
        t = self.tlps[0]
        for x in self.tlps[1:]:
            t = stricter(t, x)
        return t


class Advisory:
    def __init__(self, aid, tlp, sectors, urgent, pending):
        self.id, self.tlps, self.sectors = aid, [tlp], list(sectors)
        self.urgent, self.pending = urgent, pending
        self.delivered = set()
        self.drill = False

    @property
    def tlp(self):
        t = self.tlps[0]
        for x in self.tlps[1:]:
            t = stricter(t, x)
        return t


# ------------------------------------------------------------ the oracle ----
#
# Written from ../shared/spec/tlp.json (report / advisory audiences), the
# contract (API.md "Who reads a report", "Who reads an advisory") and the
# decisions recorded in docs/policy.md; see tests/prop/README.md for the
# rule-by-rule citations.  It never calls the server's policy code.

class Oracle:
    def __init__(self, orgs):
        self.orgs = orgs            # id -> Org
        self.mode = set()           # sectors of the large-scale mode, if on

    def large_scale(self, o, u, sector, tlp):
        # 別紙4-2 / docs/policy.md "large-scale mode": CAS, the incident-
        # response and disaster-management ministries join NISC for the
        # affected sectors, below RED, with the personnel rule
        return (sector in self.mode and tlp != "red"
                and o.type in ("cas_crisis_management", "incident_response_ministry",
                               "disaster_management_ministry")
                and not (u.nda and tlp == "amber_strict"))

    def sector_ministries(self, sector):
        return {o.id for o in self.orgs.values()
                if o.type == "ci_ministry" and sector in o.sectors}

    def ceptoar_of(self, r):
        return self.orgs[r.src].ceptoar

    def nisc_ids(self):
        return {o.id for o in self.orgs.values() if o.type == "nisc"}

    def star1(self, o):
        # tlp.json nisc_exception (※1): CAS and pre-arranged agencies
        return o.type == "cas_crisis_management" or (
            o.type == "cybersecurity_agency" and o.pre)

    def report_ceiling(self, tlp, sector, o):
        # tlp.json tlp_levels[*].report audience (text reading for RED)
        if tlp == "clear":
            return True
        if o.type == "nisc":
            return True
        if tlp == "red":
            return o.type == "ci_ministry" and sector in o.sectors
        if tlp in ("amber_strict", "amber"):
            return (o.type in ("ci_ministry", "ceptoar_secretariat", "ci_operator")
                    and sector in o.sectors)
        # green: the form label's community
        return o.type in ("ci_ministry", "incident_response_ministry",
                          "cybersecurity_ministry", "disaster_management_ministry",
                          "cybersecurity_agency", "cyberspace_business",
                          "ceptoar_secretariat", "ci_operator")

    def report_relation(self, r, o):
        if o.id == r.src:
            return "submitter"
        if r.at_ceptoar and o.id == self.ceptoar_of(r):
            return "ceptoar"
        if r.route == "via_ceptoar" and o.id == self.ceptoar_of(r):
            return "ceptoar"
        if r.at_ministry and o.id in self.sector_ministries(r.sector):
            return "ministry"
        if r.at_nisc and o.type == "nisc":
            return "nisc"
        if o.id in r.shared:
            return "shared"
        return None

    def report_org_reads(self, r, o):
        if o.type == "platform":
            return False
        rel = self.report_relation(r, o)
        if rel is None:
            return False
        if rel == "shared":
            # an anonymised report: only what left the anonymising hop in
            # clear (docs/policy.md Rules 7), so nothing before the forward
            if r.route == "via_ceptoar" and not r.at_ministry:
                return False
            return (self.report_ceiling(r.tlp, r.sector, o) or o.id in r.extra
                    or self.star1(o))
        return True

    def report_reads(self, r, u):
        o = self.orgs[u.org]
        if r.at_nisc and self.large_scale(o, u, r.sector, r.tlp):
            return True
        if not self.report_org_reads(r, o):
            return False
        if u.nda and r.tlp in ("red", "amber_strict"):
            return False
        return True

    def widening_visible(self, r, u):
        # docs/policy.md "Existence": the organisation that answers for the
        # source (the source; anonymised: its CEPTOAR secretariat) and NISC
        # on the report's path, each only while it reads the report
        if not self.report_reads(r, u):
            return False
        o = self.orgs[u.org]
        if r.route == "via_ceptoar":
            answers = o.id == self.ceptoar_of(r)
        else:
            answers = o.id == r.src
        return answers or (o.type == "nisc" and r.at_nisc)

    def report_may_share(self, r, u, target):
        """Expected status of POST /reports/{id}/share by u to [target]."""
        if not self.report_reads(r, u):
            return 404
        o = self.orgs[u.org]
        rel = self.report_relation(r, o)
        staff = {"member", "poc", "org_admin"} & set(u.roles)
        holder = ((rel == "nisc" and ("analyst" in u.roles or "approver" in u.roles))
                  or (rel == "ministry" and "liaison" in u.roles)
                  or (rel == "ceptoar" and bool(staff))
                  or (rel == "submitter" and r.route != "via_ceptoar" and bool(staff)))
        if not holder:
            return 403
        t = self.orgs[target]
        if (self.report_ceiling(r.tlp, r.sector, t) or target in r.extra
                or (o.type == "nisc" and self.star1(t))):
            return 200
        return 403

    # advisories: tlp.json tlp_levels[*].advisory audience
    def adv_ceiling(self, a, o):
        if a.tlp == "clear":
            return True
        if a.tlp == "red":
            return o.type == "ci_ministry" and bool(set(a.sectors) & set(o.sectors))
        if a.tlp in ("amber_strict", "amber"):
            return (o.type in ("ci_ministry", "ceptoar_secretariat", "ci_operator")
                    and bool(set(a.sectors) & set(o.sectors)))
        return o.type in ("ci_ministry", "ceptoar_secretariat", "ci_operator")

    def adv_org_reads(self, a, o):
        if o.type == "nisc":
            return True
        if a.pending or o.id not in a.delivered:
            return False
        return self.adv_ceiling(a, o) or self.star1(o)

    def adv_reads(self, a, u):
        o = self.orgs[u.org]
        if o.type == "platform":
            return False
        if not a.pending and any(self.large_scale(o, u, s, a.tlp) for s in a.sectors):
            return True
        if not self.adv_org_reads(a, o):
            return False
        if u.nda and a.tlp in ("red", "amber_strict"):
            return False
        return True

    def adv_relay(self, a, u, target):
        """Expected status of POST /advisories/{id}/relay by u to [target]."""
        if not self.adv_reads(a, u):
            return 404
        o, t = self.orgs[u.org], self.orgs[target]
        if o.type == "ci_ministry" and "liaison" in u.roles:
            ok = t.type in ("ceptoar_secretariat", "ci_operator")
        elif o.type == "ceptoar_secretariat" and ("poc" in u.roles or "org_admin" in u.roles):
            ok = t.type == "ci_operator" and (
                t.ceptoar == o.id or (t.ceptoar is None and bool(set(t.sectors) & set(o.sectors))))
        else:
            return 403
        return 200 if ok and self.adv_ceiling(a, t) else 403


# ------------------------------------------------------------- the test ----

class Prop:
    def __init__(self, args):
        self.a = args
        self.rnd = random.Random(args.seed)
        self.cl = Client(args.url)
        self.admin = args.admin_token
        self.orgs = {}
        self.users = []
        self.reports = []
        self.advs = []
        self.passed = 0
        self.failed = 0
        self.checks = 0
        self.fail_lines = 0
        self.seq = 0
        self.missing_body = {}

    # -- reporting --
    def ok(self, cond, desc, detail=""):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            if self.fail_lines < self.a.max_fail_lines:
                print("FAIL: %s (%s)" % (desc, detail[:600]), flush=True)
            self.fail_lines += 1
        return cond

    def must(self, st, want, what, body=b""):
        if st != want:
            raise Fail("setup: %s -> %s (want %s) %s" % (what, st, want, body[:300]))

    # -- population --
    def mkorg(self, name, typ, sectors=(), ceptoar=None, pre=False):
        body = {"name": "prop%d %s" % (self.a.seed, name), "type": typ,
                "sectors": list(sectors), "ceptoar": ceptoar}
        if typ == "cybersecurity_agency":
            body["pre_arranged"] = pre
        st, j, b = self.cl.json("POST", "/orgs", self.admin, body)
        self.must(st, 201, "create org " + name, b)
        o = Org(j["id"], typ, sectors, ceptoar, pre, name)
        self.orgs[o.id] = o
        return o

    def mkuser(self, org, roles, nda):
        self.seq += 1
        login = "p%d-%d-%s" % (self.a.seed, self.seq, roles[0])
        st, j, b = self.cl.json("POST", "/users", self.admin, {
            "org": org.id, "login": login, "display_name": "prop " + login,
            "roles": roles, "nda_contractor": nda})
        self.must(st, 201, "create user " + login, b)
        st, t, b = self.cl.json("POST", "/users/%d/tokens" % j["id"], self.admin, {"label": "prop"})
        self.must(st, 201, "token " + login, b)
        u = User("%s/%s%s" % (org.name, "+".join(roles), "/nda" if nda else ""),
                 org.id, roles, nda, t["token"])
        self.users.append(u)
        return u

    def population(self):
        st, j, b = self.cl.json("GET", "/orgs?limit=500", self.admin)
        self.must(st, 200, "GET /orgs", b)
        for x in j["items"]:
            self.orgs[x["id"]] = Org(x["id"], x["type"], x.get("sectors") or [],
                                     x.get("ceptoar"), bool(x.get("pre_arranged")), x["name"])
        ref = {}
        for o in self.orgs.values():
            ref.setdefault(o.type, o)
        self.platform = ref["platform"]
        self.nisc = ref["nisc"]
        self.cas = ref["cas_crisis_management"]
        r = self.rnd
        n_ops = self.a.operators
        # sector parties: a CEPTOAR per sector, operators with and without one
        self.ceptoars, self.operators = {}, []
        for s in SECTORS:
            self.ceptoars[s] = self.mkorg("CEPTOAR " + s, "ceptoar_secretariat", [s])
        for i in range(n_ops):
            s = SECTORS[i % len(SECTORS)]
            cep = self.ceptoars[s].id if r.random() < 0.75 else None
            secs = [s] if r.random() < 0.8 else [s, r.choice(SECTORS)]
            self.operators.append(self.mkorg("operator %d %s" % (i, s), "ci_operator",
                                             sorted(set(secs)), cep))
        ag_pre = self.mkorg("agency pre", "cybersecurity_agency", pre=True)
        ag_np = self.mkorg("agency np", "cybersecurity_agency", pre=False)
        cb = self.mkorg("cyber business", "cyberspace_business")
        council = self.mkorg("council", "ceptoar_council")
        self.min_of = {s: next(o for o in self.orgs.values()
                               if o.type == "ci_ministry" and s in o.sectors
                               and not o.name.startswith("prop")) for s in SECTORS}
        others = [ref[t] for t in ("cybersecurity_ministry", "incident_response_ministry",
                                   "disaster_management_ministry")]
        self.oracle = Oracle(self.orgs)
        # principals: every org type, the roles that matter, NDA twins
        U = self.mkuser
        self.admin_user = User("platform/admin", self.platform.id, ["admin"], False, self.admin)
        self.users.append(self.admin_user)
        self.nisc_an = U(self.nisc, ["analyst"], False)
        U(self.nisc, ["analyst"], True)
        self.nisc_ap = U(self.nisc, ["approver"], False)
        U(self.nisc, ["member"], False)
        U(self.nisc, ["org_admin"], False)
        U(self.cas, ["member"], False)
        self.liaison = {}
        for m in {id(x): x for x in self.min_of.values()}.values():
            lia = U(m, ["liaison"], False)
            for s in SECTORS:
                if self.min_of[s] is m:
                    self.liaison[s] = lia
            U(m, ["member"], True)
        for o in others:
            U(o, ["member"], False)
        self.poc = {}
        for s, c in self.ceptoars.items():
            self.poc[s] = U(c, ["poc"], False)
            U(c, ["member"], r.random() < 0.5)
        self.op_users = {}
        for o in self.operators:
            self.op_users[o.id] = [U(o, ["member"], False), U(o, ["poc"], True)]
            if r.random() < 0.3:
                U(o, ["org_admin"], False)
        for o, nda in ((ag_pre, False), (ag_np, False), (cb, False), (council, False)):
            U(o, ["member"], nda)
        # a drill (issue 13): its items travel the production routes
        st, j, b = self.cl.json("POST", "/drills", self.nisc_an.token, {
            "name": "prop drill", "scenario": "property test",
            "targets": [o.id for o in self.operators[:3]] + [self.ceptoars[SECTORS[0]].id]})
        self.must(st, 201, "create a drill", b)
        self.drill = j["id"]

    # -- history --
    def form(self, tlp, sector, tag):
        return {"tlp": tlp, "sector": sector, "has_attachment": "no",
                "event_type": "event_malware_infection", "importance": "caution",
                "cause_types": ["cause_suspicious_email_received"],
                "overview": {"discovered_at": "2026-11-21T09:00:00+09:00",
                             "event_summary": "%s property %s from %s" % (WORD, tag, IP)}}

    def new_report(self):
        r = self.rnd
        op = r.choice(self.operators)
        u = self.op_users[op.id][0]
        route = r.choice(["direct", "direct", "urgent", "via_ceptoar"] if op.ceptoar
                         else ["direct", "urgent"])
        tlp = r.choice(TLPS)
        sector = op.sectors[0]
        extra = []
        if r.random() < 0.15:
            extra = [r.choice([o.id for o in self.orgs.values()
                               if o.type not in ("platform",)])]
        body = {"route": route, "legal_duty": False,
                "form": self.form(tlp, sector, "r%d" % len(self.reports))}
        if extra:
            body["extra_recipients"] = extra
        drill = r.random() < 0.12
        if drill:
            body["drill"] = self.drill
        st, j, b = self.cl.json("POST", "/reports", u.token, body)
        self.must(st, 201, "file a %s report" % route, b)
        rep = Report(j["id"], op.id, sector, route, tlp, extra)
        rep.drill = drill
        self.reports.append(rep)
        return rep

    def secof(self, rep):
        return [k for k, c in self.ceptoars.items() if c.id == self.oracle.ceptoar_of(rep)][0]

    def forward(self, rep):
        if rep.at_ceptoar and not rep.at_ministry:
            s = self.secof(rep)
            st, j, b = self.cl.json("POST", "/reports/%d/forward" % rep.id, self.poc[s].token, {})
            self.must(st, 200, "CEPTOAR forwards %d" % rep.id, b)
            rep.at_ministry = True
        elif rep.at_ministry and not rep.at_nisc:
            st, j, b = self.cl.json("POST", "/reports/%d/forward" % rep.id,
                                    self.liaison[rep.sector].token, {})
            self.must(st, 200, "ministry forwards %d" % rep.id, b)
            rep.at_nisc = True

    def followup(self, rep):
        r = self.rnd
        u = self.op_users[rep.src][0]
        tlp = r.choice(TLPS[:RANK[rep.tlp] + 1] if r.random() < 0.8 else TLPS)
        st, j, b = self.cl.json("POST", "/reports/%d/followups" % rep.id, u.token,
                                {"form": self.form(tlp, rep.sector, "f%d" % rep.id)})
        if st == 201:
            rep.tlps.append(tlp)
        else:
            # a widening follow-up may be refused; nothing else may
            self.ok(RANK[tlp] > RANK[rep.tlp] and 400 <= st < 500,
                    "follow-up %s on a %s report -> 201 or a 4xx for widening" % (tlp, rep.tlp),
                    "%s %s" % (st, b[:200]))
        if rep.at_ministry and rep.route != "via_ceptoar" and r.random() < 0.5:
            pass

    def share(self, rep):
        r = self.rnd
        src = self.op_users[rep.src]
        cands = [self.nisc_an, self.nisc_ap, self.liaison[rep.sector], self.liaison[rep.sector],
                 src[0], src[0], src[1],
                 self.poc[self.secof(rep)] if self.oracle.ceptoar_of(rep) else self.nisc_an,
                 r.choice(self.users)]
        u = r.choice(cands)
        pool = [o for o in self.orgs.values() if o.type != "platform"]
        if r.random() < 0.6:    # mostly targets the share may reach
            pool = [o for o in pool if self.oracle.report_ceiling(rep.tlp, rep.sector, o)
                    or self.oracle.star1(o)] or pool
        target = r.choice(pool).id
        want = self.oracle.report_may_share(rep, u, target)
        st, j, b = self.cl.json("POST", "/reports/%d/share" % rep.id, u.token, {"to": [target]})
        self.ok(st == want, "share report %d (%s, %s) by %s to %s -> %d" % (
            rep.id, rep.route, rep.tlp, u.name, self.orgs[target].name, want),
            "got %s %s" % (st, b[:200]))
        if st == 200:
            rep.shared.add(target)
        elif st == 404 and want == 404:
            st2, b2 = self.cl.call("POST", "/reports/999999999/share", u.token,
                                   body={"to": [target]})
            self.ok(b == b2, "share of invisible report %d by %s: the 404 of a missing one" % (
                rep.id, u.name), "%r vs %r" % (b[:200], b2[:200]))

    def widen(self, rep):
        if not rep.at_nisc or rep.tlp == "clear":
            return
        st, j, b = self.cl.json("POST", "/reports/%d/widening-requests" % rep.id, self.nisc_an.token,
                                {"tlp": "clear", "reason": "property test"})
        self.must(st, 201, "widening request on report %d" % rep.id, b)
        rep.widening.append(j["id"])

    def attach(self, rep):
        u = self.op_users[rep.src][0]
        st, b = self.cl.call("POST", "/reports/%d/attachments?name=prop.txt&version=1" % rep.id,
                                u.token, raw=b"property test attachment %d" % rep.id,
                                ctype="text/plain")
        self.must(st, 201, "attach to report %d" % rep.id, b)
        rep.attachments.append(json.loads(b)["id"])

    def new_adv(self):
        r = self.rnd
        tlp = r.choice(TLPS)
        secs = sorted(set(r.sample(SECTORS, r.choice([1, 1, 2]))))
        urgent = r.random() < 0.25
        importance = "alert" if r.random() < 0.15 else "caution"
        form = {"tlp": tlp, "has_attachment": "no", "importance": importance,
                "recipients": [{"sector": s} for s in secs],
                "threat_content": {"summary": "%s advisory %d from %s" % (WORD, len(self.advs), IP),
                                   "target": "property systems"},
                "countermeasures": "apply the vendor patch"}
        body = {"urgent": urgent, "form": form}
        drill = r.random() < 0.12
        if drill:
            body["drill"] = self.drill
        st, j, b = self.cl.json("POST", "/advisories", self.nisc_an.token, body)
        self.must(st, 201, "issue an advisory", b)
        a = Advisory(j["id"], tlp, secs, urgent, j.get("state") == "pending_approval")
        a.drill = drill
        if not a.pending:
            self.deliver(a)
        self.advs.append(a)
        return a

    def deliver(self, a):
        for o in self.orgs.values():
            if o.type == "ci_ministry" and set(o.sectors) & set(a.sectors):
                a.delivered.add(o.id)
            if a.urgent and o.type in ("ceptoar_secretariat", "ci_operator") and \
                    set(o.sectors) & set(a.sectors) and self.oracle.adv_ceiling(a, o):
                a.delivered.add(o.id)

    def approve(self, a):
        st, j, b = self.cl.json("POST", "/advisories/%d/approve" % a.id, self.nisc_ap.token, {})
        self.must(st, 200, "approve advisory %d" % a.id, b)
        a.pending = False
        self.deliver(a)

    def relay(self, a):
        r = self.rnd
        u = r.choice(list(self.liaison.values()) + list(self.poc.values()))
        target = r.choice(self.operators + list(self.ceptoars.values())).id
        want = self.oracle.adv_relay(a, u, target)
        st, j, b = self.cl.json("POST", "/advisories/%d/relay" % a.id, u.token, {"to": [target]})
        self.ok(st == want, "relay advisory %d (%s %s) by %s to %s -> %d" % (
            a.id, a.tlp, a.sectors, u.name, self.orgs[target].name, want),
            "got %s %s" % (st, b[:200]))
        if st == 200:
            a.delivered.add(target)
        elif st == 404 and want == 404:
            st2, b2 = self.cl.call("POST", "/advisories/999999999/relay", u.token,
                                   body={"to": [target]})
            self.ok(b == b2, "relay of invisible advisory %d by %s: the 404 of a missing one" % (
                a.id, u.name), "%r vs %r" % (b[:200], b2[:200]))

    def ack(self, a):
        u = self.rnd.choice(self.users)
        st, j, b = self.cl.json("POST", "/advisories/%d/ack" % a.id, u.token, {})
        reads = self.oracle.adv_reads(a, u)
        if not reads:
            st2, b2 = self.cl.call("POST", "/advisories/999999999/ack", u.token, body={})
            self.ok(st == 404 and b == b2, "ack of advisory %d by %s, who may not read it -> the 404 of a missing one" % (
                a.id, u.name), "got %s %s vs %s %s" % (st, b[:200], st2, b2[:200]))

    def toggle_mode(self, rounds):
        """Odd rounds declare the large-scale mode, even rounds end it."""
        if self.oracle.mode:
            st, j, b = self.cl.json("POST", "/modes/large-scale/end", self.nisc_ap.token, {})
            self.must(st, 200, "end the large-scale mode", b)
            self.oracle.mode = set()
            print("large-scale mode ended", flush=True)
        elif rounds % 2 == 1:
            secs = sorted(set(self.rnd.sample(SECTORS, self.rnd.choice([1, 2]))))
            st, j, b = self.cl.json("POST", "/modes/large-scale", self.nisc_ap.token,
                                    {"cause": self.rnd.choice(["disaster", "terror", "cyber", "other"]),
                                     "sectors": secs})
            self.must(st, 201, "declare the large-scale mode", b)
            self.oracle.mode = set(secs)
            print("large-scale mode declared for %s" % ",".join(secs), flush=True)

    def history(self, n_reports, n_advs):
        r = self.rnd
        for _ in range(n_reports):
            rep = self.new_report()
            steps = r.randint(0, 6)
            for _ in range(steps):
                x = r.random()
                if x < 0.45:
                    self.forward(rep)
                elif x < 0.6:
                    self.followup(rep)
                elif x < 0.85:
                    self.share(rep)
                elif x < 0.9:
                    self.widen(rep)
                elif not rep.attachments and rep.route != "via_ceptoar":
                    self.attach(rep)
        for _ in range(n_advs):
            a = self.new_adv()
            if a.pending and r.random() < 0.5:
                self.approve(a)
            for _ in range(r.randint(0, 3)):
                x = r.random()
                if x < 0.7:
                    self.relay(a)
                else:
                    self.ack(a)

    # -- the read paths --
    def pages(self, path, tok, key="items"):
        """All items of a cursor list, and the raw bytes of every page."""
        out, raws, cursor = [], [], None
        sep = "&" if "?" in path else "?"
        for _ in range(1000):
            p = path + sep + "limit=500" + ("&cursor=" + urllib.parse.quote(cursor) if cursor else "")
            st, b = self.cl.call("GET", p, tok)
            raws.append(b"%d " % st + b)
            if st != 200:
                return None, raws, st
            j = json.loads(b)
            out.extend(j.get(key) or [])
            cursor = j.get("next_cursor")
            if not cursor:
                break
        return out, raws, 200

    def taxii_objects(self, coll, tok):
        """Every object of a TAXII collection (following more/next)."""
        tx = "application/taxii+json;version=2.1"
        objs, pages, nxt = [], [], None
        for _ in range(1000):
            p = "/taxii2/cishare/collections/%s/objects/?limit=1000" % coll
            if nxt:
                p += "&next=" + urllib.parse.quote(nxt)
            st, b = self.cl.call("GET", p, tok, root=True, accept=tx)
            pages.append(b"%d " % st + b)
            if st != 200:
                return objs, pages, st
            j = json.loads(b)
            objs.extend(j.get("objects") or [])
            nxt = j.get("next")
            if not j.get("more") or not nxt:
                break
        return objs, pages, 200

    def csv_ids(self, path, tok):
        st, b = self.cl.call("GET", path, tok)
        if st != 200:
            return None, b"%d " % st + b, st
        rows = list(csv.reader(io.StringIO(b.decode("utf-8-sig"))))
        if not rows:
            return set(), b, st
        col = rows[0].index("id") if "id" in rows[0] else 0
        return {int(x[col]) for x in rows[1:] if x and x[col].isdigit()}, b"%d " % st + b, st

    def expect_set(self, u, path, got, want, universe):
        """One check per item of universe: listed iff the oracle allows."""
        for i in universe:
            self.checks += 1
            self.ok((i in got) == (i in want),
                    "%s: %s %s item %d" % (u.name, path, "lists" if i in want else "hides", i),
                    "oracle %s; %s" % (i in want, self.describe(i, path)))
        extra = got - set(universe)
        self.ok(not extra or True, "")

    def describe(self, i, path):
        pool = self.advs if "advis" in path or "inbox" in path else self.reports
        for x in pool:
            if x.id == i:
                d = dict(vars(x))
                for k in ("src", "shared", "extra", "delivered"):
                    if k in d:
                        d[k] = [self.orgs[o].name for o in (d[k] if k != "src" else [d[k]])]
                return repr(d)
        return "?"

    def check_all(self, phase):
        o = self.oracle
        rep_ids = [x.id for x in self.reports]
        adv_ids = [x.id for x in self.advs]
        snap = {}
        for u in self.users:
            can_r = {x.id for x in self.reports if o.report_reads(x, u)}
            mine_anon = {x.id for x in self.reports
                         if x.route == "via_ceptoar" and x.src == u.org and o.report_reads(x, u)}
            can_a = {x.id for x in self.advs if o.adv_reads(x, u)}
            raws = {}
            # item GETs and 404 bodies
            miss = self.missing(u)
            for x in self.reports:
                st, b = self.cl.call("GET", "/reports/%d" % x.id, u.token)
                self.checks += 1
                want = 200 if x.id in can_r else 404
                if self.ok(st == want, "%s: GET /reports/%d (%s %s %s) -> %d" % (
                        u.name, x.id, x.route, x.tlp, sorted(x.shared), want), "got %d" % st) \
                        and st == 404:
                    self.checks += 1
                    self.ok(b == miss["report"], "%s: the 404 of invisible report %d is the 404 of a missing one" % (
                        u.name, x.id), "%r vs %r" % (b[:200], miss["report"][:200]))
                for att in x.attachments:
                    st, b = self.cl.call("GET", "/attachments/%d" % att, u.token)
                    self.checks += 1
                    self.ok(st == want, "%s: GET /attachments/%d of report %d -> %d" % (
                        u.name, att, x.id, want), "got %d" % st)
                    if st == 404 and want == 404:
                        self.ok(b == miss["attachment"], "%s: attachment 404 body" % u.name,
                                "%r" % b[:200])
            for x in self.advs:
                st, b = self.cl.call("GET", "/advisories/%d" % x.id, u.token)
                self.checks += 1
                want = 200 if x.id in can_a else 404
                if self.ok(st == want, "%s: GET /advisories/%d (%s %s urgent=%s pending=%s) -> %d" % (
                        u.name, x.id, x.tlp, x.sectors, x.urgent, x.pending, want), "got %d" % st) \
                        and st == 404:
                    self.checks += 1
                    self.ok(b == miss["advisory"], "%s: the 404 of invisible advisory %d is the 404 of a missing one" % (
                        u.name, x.id), "%r" % b[:200])
            # report lists
            listed, raw, st = self.pages("/reports", u.token)
            raws["reports"] = raw
            if st == 200:
                got = {i["id"] for i in listed}
                mine, raw2, st2 = self.pages("/reports?anonymised=mine", u.token)
                raws["mine"] = raw2
                if mine is not None:
                    got |= {i["id"] for i in mine}
                self.expect_set(u, "GET /reports", got, can_r, rep_ids)
                self.ok(len(listed) == len({i["id"] for i in listed}),
                        "%s: GET /reports lists each report once" % u.name)
                for s in SECTORS:
                    ls, raw, st = self.pages("/reports?sector=" + s, u.token)
                    raws["sector-" + s] = raw
                    want = {x.id for x in self.reports if x.id in can_r and x.sector == s
                            and x.id not in mine_anon}
                    self.expect_set(u, "GET /reports?sector=" + s,
                                    {i["id"] for i in ls or []}, want, rep_ids)
                ls, raw, st = self.pages("/reports?q=" + WORD, u.token)
                raws["q"] = raw
                self.expect_set(u, "GET /reports?q=", {i["id"] for i in ls or []},
                                can_r - mine_anon, rep_ids)
                ids, raw, st = self.csv_ids("/reports.csv", u.token)
                raws["reports.csv"] = [raw]
                self.expect_set(u, "GET /reports.csv", ids or set(), can_r - mine_anon, rep_ids)
            else:
                # no list for this principal: then it reads none
                self.ok(not (can_r - mine_anon), "%s: GET /reports -> %d but the oracle lets it read %s" % (
                    u.name, st, sorted(can_r)))
            # search
            ls, raw, st = self.pages("/search?q=" + WORD, u.token)
            raws["search"] = raw
            if st == 200:
                got_r = {i["id"] for i in ls if i.get("kind", i.get("type")) == "report"}
                got_a = {i["id"] for i in ls if i.get("kind", i.get("type")) == "advisory"}
                self.expect_set(u, "GET /search (reports)", got_r, can_r - mine_anon, rep_ids)
                self.expect_set(u, "GET /search (advisories)", got_a, can_a, adv_ids)
            # advisories
            ls, raw, st = self.pages("/advisories", u.token)
            raws["advisories"] = raw
            # NISC lists every advisory; anyone else its inbox: what was
            # delivered to it (a large-scale reader's extra readings are
            # not deliveries: GET by id only, README "Decisions")
            listable = can_a if self.orgs[u.org].type == "nisc" else \
                {x.id for x in self.advs if x.id in can_a and u.org in x.delivered
                 and not x.drill}
            if st == 200:
                self.expect_set(u, "GET /advisories", {i["id"] for i in ls}, listable, adv_ids)
                ids, raw, st = self.csv_ids("/advisories.csv", u.token)
                raws["advisories.csv"] = [raw]
                self.expect_set(u, "GET /advisories.csv", ids or set(), listable, adv_ids)
            else:
                self.ok(not can_a, "%s: GET /advisories -> %d but it reads %s" % (u.name, st, sorted(can_a)))
            ls, raw, st = self.pages("/inbox", u.token)
            raws["inbox"] = raw
            if st == 200:
                inbox = {i.get("advisory", i.get("id")) for i in ls}
                want = {x.id for x in self.advs if x.id in can_a and u.org in x.delivered
                        and not x.drill}
                self.expect_set(u, "GET /inbox", inbox, want, adv_ids)
                ls, raw, st = self.pages("/inbox?drill=%d" % self.drill, u.token)
                raws["inbox-drill"] = raw
                want = {x.id for x in self.advs if x.id in can_a and u.org in x.delivered
                        and x.drill}
                self.expect_set(u, "GET /inbox?drill=", {i.get("advisory", i.get("id")) for i in ls or []},
                                want, adv_ids)
            # widening requests
            ls, raw, st = self.pages("/widening-requests", u.token)
            raws["widening"] = raw
            wids = [w for x in self.reports for w in x.widening]
            if st == 200:
                want = {w for x in self.reports for w in x.widening if o.widening_visible(x, u)}
                self.expect_set(u, "GET /widening-requests", {i["id"] for i in ls}, want, wids)
            # statistics and TAXII: compared byte for byte across phases
            st, b = self.cl.call("GET", "/stats?group=sector,tlp,route", u.token)
            raws["stats"] = [b"%d " % st + b]
            if st == 200:
                # counts only reports it reads, never a drill's (docs/policy.md
                # "Drills"); NISC sees every cell, others k-suppressed ones
                j = json.loads(b)
                n = sum(c.get("count", 0) for c in j.get("cells") or [])
                want = len({x.id for x in self.reports if x.id in can_r and not x.drill})
                self.checks += len(rep_ids)
                if self.orgs[u.org].type == "nisc":
                    self.ok(n == want, "%s: /stats counts exactly the reports it reads" % u.name,
                            "counted %d, oracle %d; %s" % (n, want, b[:300]))
                else:
                    self.ok(n <= want, "%s: /stats counts no report it may not read" % u.name,
                            "counted %d, oracle at most %d" % (n, want))
            tx = "application/taxii+json;version=2.1"
            st, b = self.cl.call("GET", "/taxii2/cishare/collections/", u.token, root=True, accept=tx)
            raws["taxii"] = [b"%d " % st + b]
            for coll, typ, can, ids in (("reports", "incident", can_r - mine_anon, rep_ids),
                                        ("advisories", "report", can_a, adv_ids),
                                        ("indicators", None, None, None)):
                objs, pages, st = self.taxii_objects(coll, u.token)
                raws["taxii-" + coll] = pages
                if typ and st == 200:
                    n = sum(1 for x in objs if x.get("type") == typ)
                    self.checks += len(ids)
                    self.ok(n == len(can), "%s: TAXII %s holds one %s per readable item" % (
                        u.name, coll, typ), "%d objects, oracle %d" % (n, len(can)))
                elif typ == "incident" and st != 200:
                    # the reports collection is NISC's and the ministries' only
                    self.ok(self.orgs[u.org].type not in ("nisc", "ci_ministry"),
                            "%s: TAXII reports collection -> %d" % (u.name, st))
            # correlations: only items it may read, for a sample of its reports
            for rid in self.rnd.sample(sorted(can_r), min(3, len(can_r))):
                st, b = self.cl.call("GET", "/reports/%d/correlations" % rid, u.token)
                if not self.ok(st == 200, "%s: GET /reports/%d/correlations -> 200" % (u.name, rid),
                               "got %d %r" % (st, b[:200])):
                    continue
                items = json.loads(b).get("items") or []
                got_r = {i["id"] for i in items if i.get("type") == "report"}
                got_a = {i["id"] for i in items if i.get("type") == "advisory"}
                drills = {x.id for x in self.reports if x.drill}
                for i in rep_ids:
                    if i in got_r:
                        self.checks += 1
                        self.ok(i in can_r and i not in drills and rid not in drills,
                                "%s: correlations of report %d show report %d it may not read (or a drill's)" % (
                                    u.name, rid, i), self.describe(i, "reports"))
                for i in adv_ids:
                    if i in got_a:
                        self.checks += 1
                        self.ok(i in can_a, "%s: correlations of report %d show advisory %d it may not read" % (
                            u.name, rid, i), self.describe(i, "advisories"))
            st, b = self.cl.call("GET", "/observables?value=" + IP, u.token)
            raws["observables"] = [b"%d " % st + b]
            if st == 200:
                items = json.loads(b).get("items") or []
                got_r = {i["id"] for i in items if i.get("type") == "report"}
                got_a = {i["id"] for i in items if i.get("type") == "advisory"}
                # a drill's items never correlate (docs/policy.md "Drills")
                self.expect_set(u, "GET /observables (reports)", got_r,
                                {x.id for x in self.reports if x.id in can_r and not x.drill}, rep_ids)
                for i in adv_ids:
                    if i in got_a:
                        self.checks += 1
                        self.ok(i in can_a, "%s: /observables shows advisory %d it may not read" % (u.name, i))
            # audit: a NISC reader sees entries only about items it reads
            entries, raw, st = self.pages("/audit", u.token)
            if st == 200 and u.org != self.platform.id:
                for e in entries:
                    it = e.get("item") or ""
                    if it.startswith("report:"):
                        i = int(it[7:])
                        if i in {x.id for x in self.reports}:
                            self.checks += 1
                            self.ok(i in can_r, "%s: /audit shows an entry about report %d it may not read" % (u.name, i))
                    elif it.startswith("advisory:"):
                        i = int(it[9:])
                        if i in {x.id for x in self.advs}:
                            self.checks += 1
                            self.ok(i in can_a, "%s: /audit shows an entry about advisory %d it may not read" % (u.name, i))
            snap[u.token] = (frozenset(can_r), frozenset(can_a), raws)
        return snap

    def missing(self, u):
        m = {}
        for k, p in (("report", "/reports/999999999"), ("advisory", "/advisories/999999999"),
                     ("attachment", "/attachments/999999999")):
            st, b = self.cl.call("GET", p, u.token)
            m[k] = b
        return m

    def compare(self, before, after):
        """Principals whose readable sets did not change: byte-identical answers."""
        n = 0
        for u in self.users:
            r1, a1, raw1 = before[u.token]
            r2, a2, raw2 = after[u.token]
            same_r, same_a = r1 == r2, a1 == a2
            for k, v in raw1.items():
                dep_r = k in ("reports", "mine", "q", "reports.csv", "stats", "taxii-reports", "widening") or k.startswith("sector-")
                dep_a = k in ("advisories", "advisories.csv", "inbox", "inbox-drill", "taxii-advisories", "taxii-indicators")
                dep_both = k in ("search", "taxii", "observables")
                if (dep_r and not same_r) or (dep_a and not same_a) or (dep_both and not (same_r and same_a)):
                    continue
                n += 1
                self.checks += 1
                x = b"".join(volatile(b) for b in v)
                y = b"".join(volatile(b) for b in raw2.get(k) or [])
                d = next((i for i in range(min(len(x), len(y))) if x[i] != y[i]), min(len(x), len(y)))
                self.ok(x == y, "%s: %s is byte-identical after items it may not read were added" % (
                    u.name, k), "first difference at byte %d: %r -> %r" % (
                        d, x[max(0, d - 150):d + 150], y[max(0, d - 150):d + 150]))
        return n

    def run(self):
        t0 = time.time()
        self.population()
        print("population: %d organisations, %d principals" % (len(self.orgs), len(self.users)), flush=True)
        self.history(self.a.reports, self.a.advisories)
        t1 = time.time()
        print("history 1: %d reports, %d advisories in %.1fs" % (
            len(self.reports), len(self.advs), t1 - t1 + (t1 - t0)), flush=True)
        rounds = 0
        before = self.check_all(1)
        rounds += 1
        print("checks after history 1: %d" % self.checks, flush=True)
        while True:
            self.toggle_mode(rounds)
            self.history(self.a.more_reports, self.a.more_advisories)
            after = self.check_all(2)
            rounds += 1
            n = self.compare(before, after)
            print("round %d: %d reports, %d advisories, %d byte-identical comparisons, %d checks so far" % (
                rounds, len(self.reports), len(self.advs), n, self.checks), flush=True)
            before = after
            if (self.a.min_checks and self.checks >= self.a.min_checks) or rounds >= self.a.max_rounds:
                break
        o = self.oracle
        pr = sum(1 for u in self.users for x in self.reports if o.report_reads(x, u))
        pa = sum(1 for u in self.users for x in self.advs if o.adv_reads(x, u))
        print("oracle: %d of %d (principal, report) pairs readable, %d of %d (principal, advisory); "
              "%d shares, %d deliveries, %d attachments, %d widening requests, %d drill items" % (
                  pr, len(self.users) * len(self.reports), pa, len(self.users) * len(self.advs),
                  sum(len(x.shared) for x in self.reports),
                  sum(len(x.delivered) for x in self.advs),
                  sum(len(x.attachments) for x in self.reports),
                  sum(len(x.widening) for x in self.reports),
                  sum(1 for x in self.reports + self.advs if x.drill)))
        dt = time.time() - t0
        print("%d (principal, item, path) checks, %d requests, %d principals, %d reports, %d advisories, seed %d, %.1fs (%.0f checks/s)" % (
            self.checks, self.cl.requests, len(self.users), len(self.reports), len(self.advs),
            self.a.seed, dt, self.checks / dt if dt else 0))
        print("%d passed, %d failed" % (self.passed, self.failed))
        return self.failed == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", required=True, help="http://127.0.0.1:PORT/api/v1")
    ap.add_argument("--admin-token", required=True)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--operators", type=int, default=8)
    ap.add_argument("--reports", type=int, default=30)
    ap.add_argument("--advisories", type=int, default=12)
    ap.add_argument("--more-reports", type=int, default=10)
    ap.add_argument("--more-advisories", type=int, default=4)
    ap.add_argument("--min-checks", type=int, default=0)
    ap.add_argument("--max-rounds", type=int, default=2)
    ap.add_argument("--max-fail-lines", type=int, default=200)
    a = ap.parse_args()
    try:
        ok = Prop(a).run()
    except (Fail, OSError, http.client.HTTPException) as e:
        print("FAIL: %s" % e)
        print("0 passed, 1 failed")
        return 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
