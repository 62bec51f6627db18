#!/usr/bin/env python3
"""Generate cishare's reference data (data/*.json) from the shared spec.

Usage:
    python3 tools/gen-data.py [SPEC_DIR] [--out-dir DIR]

SPEC_DIR defaults to ../shared/spec relative to the repository root (the
parent of this tools/ directory); a SPEC_DIR given on the command line is
taken relative to the current directory.  --out-dir defaults to <repo>/data.

Only the Python standard library is used.  The output is deterministic: the
same spec files always give byte-identical data files (no timestamps; order
follows the spec).  Every citation object of the copied spec data is kept
as-is.  Any count or consistency check that fails aborts with a message on
stderr and exit status 1, and no file is written in that case.
"""

import argparse
import hashlib
import json
import os
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SPEC_DIR = os.path.join(REPO_ROOT, "..", "shared", "spec")
DEFAULT_OUT_DIR = os.path.join(REPO_ROOT, "data")

GENERATOR = "tools/gen-data.py"

EXPECTED_SECTORS = [
    "ict", "finance", "aviation", "airport", "railway", "electricity", "gas",
    "government", "medical", "water", "logistics", "chemical", "credit",
    "petroleum", "port",
]

EXPECTED_EVENTS = [
    "event_precursor_near_miss",
    "event_information_leak",
    "event_information_destruction",
    "event_system_unavailable",
    "event_malware_infection",
    "event_malicious_code_execution",
    "event_system_intrusion",
    "event_other",
]

EXPECTED_CAUSES = [
    "cause_suspicious_email_received",
    "cause_user_id_spoofing",
    "cause_ddos_mass_access",
    "cause_unauthorized_information_acquisition",
    "cause_insider_misconduct",
    "cause_improper_system_operation",
    "cause_user_operation_error",
    "cause_user_management_error",
    "cause_suspicious_file_execution",
    "cause_suspicious_site_browsing",
    "cause_contractor_management_error",
    "cause_equipment_failure",
    "cause_system_vulnerability",
    "cause_spillover_from_other_sector",
    "cause_disaster_or_disease",
    "cause_other",
    "cause_unknown",
]

EXPECTED_TLP = ["red", "amber_strict", "amber", "green", "clear"]
EXPECTED_IMPORTANCE = ["alert", "caution", "reference"]

# Group-level note fields of sectors.json service_groups copied onto each
# flattened service when present.
GROUP_NOTE_KEYS = ["row_label_note", "shared_cells_note", "reporting_basis_note"]


class SpecError(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise SpecError(msg)


def check_ids(what, got, expected):
    if list(got) != list(expected):
        raise SpecError(
            "%s: expected %d ids %s, got %d ids %s"
            % (what, len(expected), list(expected), len(got), list(got)))


def load(spec_dir, name, sources):
    path = os.path.join(spec_dir, name)
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise SpecError("cannot read %s: %s" % (path, e))
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise SpecError("%s is not valid UTF-8 JSON: %s" % (path, e))
    sources[name] = hashlib.sha256(raw).hexdigest()
    return doc


def about(description, names, sources, **extra):
    a = {
        "generated_by": GENERATOR,
        "regenerate": "python3 tools/gen-data.py",
        "description": description,
        "sources": [
            {"file": "shared/spec/" + n, "sha256": sources[n]} for n in names
        ],
        "precedence": ("The seed documents (../shared/seeds/, 001 authoritative) "
                       "win over the spec and over this file. Do not edit by "
                       "hand; fix the spec or the generator and regenerate."),
    }
    a.update(extra)
    return a


def req(obj, key, where):
    if key not in obj:
        raise SpecError("%s: missing key %r" % (where, key))
    return obj[key]


# ---------------------------------------------------------------- sectors

def build_sectors(S, A, sources):
    s_sectors = req(S, "sectors", "sectors.json")
    a_sectors = req(A, "sectors", "actors_and_flows.json")
    check_ids("sectors.json sectors", [s["id"] for s in s_sectors],
              EXPECTED_SECTORS)
    check_ids("actors_and_flows.json sectors", [s["id"] for s in a_sectors],
              EXPECTED_SECTORS)
    org_ids = {o["id"] for o in A["organizations"]}

    c24 = S["ceptoar"]["list_2024"]
    c24_entries = c24["entries"]
    check(len(c24_entries) == c24.get("total_ceptoars", len(c24_entries)),
          "sectors.json ceptoar.list_2024: %d entries but total_ceptoars=%r"
          % (len(c24_entries), c24.get("total_ceptoars")))

    flat = {x["id"]: x for x in S.get("services_flat", [])}
    seen_services = set()
    out = []
    for s, a in zip(s_sectors, a_sectors):
        sid = s["id"]
        where = "sector %s" % sid
        ministry = req(a, "ci_ministry", "actors_and_flows.json " + where)
        check(ministry in org_ids,
              "%s: ci_ministry %r is not an organization id" % (where, ministry))

        # sub-sectors: ids from sectors.json; Japanese labels must agree
        # with actors_and_flows.json.
        subs = []
        a_subs = a.get("sub_sectors", [])
        check(len(a_subs) == len(s["sub_sectors"]),
              "%s: %d sub-sectors in sectors.json but %d in actors_and_flows.json"
              % (where, len(s["sub_sectors"]), len(a_subs)))
        for x, y in zip(s["sub_sectors"], a_subs):
            check(x["name_ja"] == y["label_ja"],
                  "%s: sub-sector label mismatch %r vs %r"
                  % (where, x["name_ja"], y["label_ja"]))
            subs.append({"id": x["id"], "label_ja": x["name_ja"],
                         "label_en": x["name_en"]})
        sub_ids = {x["id"] for x in subs}

        services = []
        for g in s["service_groups"]:
            gsub = g.get("sub_sector")
            check(gsub is None or gsub in sub_ids,
                  "%s: service group %s has unknown sub_sector %r"
                  % (where, g.get("id"), gsub))
            sml = req(g, "service_maintenance_level", "%s group %s" % (where, g.get("id")))
            check("citation" in sml,
                  "%s group %s: service_maintenance_level has no citation"
                  % (where, g.get("id")))
            for sv in g["services"]:
                vid = sv["id"]
                check(vid not in seen_services, "duplicate service id %s" % vid)
                seen_services.add(vid)
                f = flat.get(vid)
                check(f is not None, "%s: service %s missing from services_flat"
                      % (where, vid))
                check(f["sector"] == sid and f["service_group"] == g["id"]
                      and f.get("sub_sector") == gsub,
                      "%s: services_flat entry %s disagrees with service_groups"
                      % (where, vid))
                svc = {
                    "id": vid,
                    "sub_sector": gsub,
                    "service_group": g["id"],
                    "shared_with_services_in_group": len(g["services"]) > 1,
                    "name_ja": sv["name_ja"],
                    "name_en": sv["name_en"],
                    "descriptions": sv["descriptions"],
                    "service_maintenance_level": sml,
                    "outage_examples": g["outage_examples"],
                    "reporting_basis": g["reporting_basis"],
                }
                for k in GROUP_NOTE_KEYS:
                    if k in g:
                        svc[k] = g[k]
                services.append(svc)
        check(services, "%s: no services" % where)

        ceptoars = []
        for name in s.get("ceptoars_2024", []):
            hits = [e for e in c24_entries
                    if e["name"] == name and e["sector"] == sid]
            check(len(hits) == 1,
                  "%s: CEPTOAR %r found %d times in ceptoar.list_2024"
                  % (where, name, len(hits)))
            e = hits[0]
            ceptoars.append({k: v for k, v in e.items() if k != "sector"})

        sec = {
            "id": sid,
            "label_ja": a["label_ja"],
            "label_en": a["label_en"],
            "short_label_ja": s["name_ja"],
            "ci_ministry": ministry,
            "sub_sectors": subs,
            "has_numeric_service_level": s.get("has_numeric_service_level"),
            "services": services,
            "ceptoars": ceptoars,
            "citations": s["citations"],
        }
        if "notes" in a:
            sec["notes"] = a["notes"]
        if "ministry_note" in s:
            sec["ministry_note"] = s["ministry_note"]
        out.append(sec)

    check(len(out) == 15, "expected 15 sectors, got %d" % len(out))
    check(seen_services == set(flat),
          "services_flat has services not in any service_group: %s"
          % sorted(set(flat) - seen_services))
    listed = {(e["sector"], e["name"]) for e in c24_entries}
    used = {(s["id"], c["name"]) for s in out for c in s["ceptoars"]}
    check(listed == used,
          "ceptoar.list_2024 entries not attached to any sector: %s"
          % sorted(listed - used))

    return {
        "about": about(
            "The 15 critical-infrastructure sectors with their CI ministry "
            "(organization id in actors.json), sub-sectors, CI services "
            "(flattened from service_groups; each carries its group's "
            "service-maintenance level with citation, outage examples and "
            "reporting basis) and 2024 CEPTOARs.",
            ["sectors.json", "actors_and_flows.json"], sources,
            label_source=("label_ja/label_en from actors_and_flows.json "
                          "sectors[]; short_label_ja and everything else "
                          "from sectors.json"),
            counts={"sectors": len(out), "services": len(seen_services),
                    "ceptoars": len(used)}),
        "sectors_meta": {
            "count": A["sectors_meta"]["count"],
            "citations": A["sectors_meta"]["citations"],
            "legacy_difference": A["sectors_meta"]["legacy_difference"],
        },
        "ceptoar_list": {
            "as_of": c24["as_of"],
            "note": c24.get("note"),
            "financial_umbrella": c24.get("financial_umbrella"),
            "citation": c24["citation"],
        },
        "sectors": out,
    }


# ---------------------------------------------------------------- taxonomy

def build_taxonomy(T, F, sources):
    ev = T["event_taxonomy"]
    ca = T["cause_taxonomy"]

    def mark(items, with_category):
        by_id = {it["id"]: it for it in items}
        res = []
        for it in items:
            o = {"id": it["id"], "selectable": bool(it["selectable_on_form"])}
            for k, v in it.items():
                if k != "id":
                    o[k] = v
            if with_category:
                cat = None
                if it["level"] != "category":
                    p = it.get("parent")
                    while p is not None and by_id[p]["level"] != "category":
                        p = by_id[p].get("parent")
                    check(p is not None,
                          "cause %s has no category ancestor" % it["id"])
                    cat = p
                o["category"] = cat
            res.append(o)
        return res

    ev_items = mark(ev["items"], False)
    ca_items = mark(ca["items"], True)
    ev_sel = [x["id"] for x in ev_items if x["selectable"]]
    ca_sel = [x["id"] for x in ca_items if x["selectable"]]
    check_ids("selectable event leaves", ev_sel, EXPECTED_EVENTS)
    check_ids("selectable cause leaves", ca_sel, EXPECTED_CAUSES)
    check_ids("event form_checkbox_order", ev["form_checkbox_order"], EXPECTED_EVENTS)
    check_ids("cause form_checkbox_order", ca["form_checkbox_order"], EXPECTED_CAUSES)
    for x in ev_items + ca_items:
        if x["selectable"]:
            check(x["level"] == "leaf", "%s is selectable but not a leaf" % x["id"])
            check(x["label_ja"] and x["label_en"], "%s has an empty label" % x["id"])
    n_cat = sum(1 for x in ca_items if x["level"] == "category")
    cnt = T.get("counts", {})
    for key, val in (("event_items_total", len(ev_items)),
                     ("event_selectable_leaves", len(ev_sel)),
                     ("cause_items_total", len(ca_items)),
                     ("cause_categories", n_cat),
                     ("cause_selectable_leaves", len(ca_sel))):
        if key in cnt:
            check(cnt[key] == val, "taxonomy.json counts.%s=%r but found %d"
                  % (key, cnt[key], val))
    check(len(ev_sel) == 8, "expected 8 selectable events, got %d" % len(ev_sel))
    check(len(ca_sel) == 17, "expected 17 selectable causes, got %d" % len(ca_sel))

    # The report form must offer exactly these options, in this order.
    rep = [f for f in F["forms"] if f["id"] == "report_form"]
    check(len(rep) == 1, "forms.json: report_form not found")
    fields = {f["id"]: f for f in rep[0]["fields"]}
    for fid, exp in (("event_type", EXPECTED_EVENTS),
                     ("cause_types", EXPECTED_CAUSES)):
        check(fid in fields, "forms.json report_form: no field %s" % fid)
        check_ids("forms.json report_form.%s allowed_values" % fid,
                  [v["id"] for v in fields[fid]["allowed_values"]], exp)

    def section(t, items):
        o = {k: v for k, v in t.items() if k != "items"}
        o["items"] = items
        return o

    ev_by = {x["id"]: x for x in ev_items}
    ca_by = {x["id"]: x for x in ca_items}
    return {
        "about": about(
            "Event types (事象の類型) and cause types (原因の類型) for the report "
            "form. In items, \"selectable\": true marks the form checkboxes "
            "(8 event leaves, exactly one per report; 17 cause leaves, "
            "multiple allowed). event_types / cause_types are the same "
            "selectable leaves as flat lists in form order; a cause's "
            "category is the id of its category item.",
            ["taxonomy.json", "forms.json"], sources),
        "usage_in_report": T["usage_in_report"],
        "event_taxonomy": section(ev, ev_items),
        "cause_taxonomy": section(ca, ca_items),
        "event_types": [
            {"id": i, "label_ja": ev_by[i]["label_ja"],
             "label_en": ev_by[i]["label_en"]}
            for i in ev["form_checkbox_order"]],
        "cause_types": [
            {"id": i, "label_ja": ca_by[i]["label_ja"],
             "label_en": ca_by[i]["label_en"],
             "category": ca_by[i]["category"]}
            for i in ca["form_checkbox_order"]],
        "legacy_differences": T.get("legacy_differences", []),
    }


# ---------------------------------------------------------------- actors

def build_actors(A, sources):
    orgs = []
    for o in A["organizations"]:
        orgs.append({"id": o["id"], "label_ja": o["label_ja"],
                     "label_en": o["label_en"], "abbr": o.get("abbr"),
                     "kind": o["kind"]})
    ids = [o["id"] for o in orgs]
    check(len(ids) == len(set(ids)), "duplicate organization ids")
    org_ids = set(ids)

    types = []
    for t in A["actor_types"]:
        mem = t.get("member_organizations") or []
        for m in mem:
            check(m in org_ids, "actor type %s: unknown member organization %r"
                  % (t["id"], m))
        types.append({
            "id": t["id"],
            "label_ja": t["label_ja"],
            "label_en": t["label_en"],
            "definition_ja": t.get("definition_ja"),
            "definition_en": t["definition_en"],
            "member_organizations": mem,
            "citations": t.get("citations", []),
        })
    tids = [t["id"] for t in types]
    check(len(tids) == len(set(tids)), "duplicate actor type ids")

    snap = A["ceptoar_snapshot"]
    for e in snap["entries"]:
        check(e["sector"] in EXPECTED_SECTORS,
              "ceptoar_snapshot: unknown sector %r" % e["sector"])
    return {
        "about": about(
            "Organizations (ministries, agencies, ...), actor types (roles "
            "in information sharing; member_organizations refer to "
            "organization ids, empty when the type has no fixed members) and "
            "the 2024-09-30 CEPTOAR snapshot.",
            ["actors_and_flows.json"], sources),
        "organizations": orgs,
        "actor_types": types,
        "ceptoar_snapshot": snap,
    }


# ---------------------------------------------------------------- tlp

def build_tlp(P, sources):
    levels = P["tlp_levels"]
    check_ids("TLP levels", [l["id"] for l in levels], EXPECTED_TLP)
    check(len(levels) == 5, "expected 5 TLP levels, got %d" % len(levels))
    for l in levels:
        for k in ("report", "advisory"):
            part = req(l, k, "tlp level " + l["id"])
            for f in ("form_scope_ja", "form_scope_en", "text_scope_ja",
                      "text_scope_en", "personnel_restriction", "citations"):
                req(part, f, "tlp level %s.%s" % (l["id"], k))
    imp = P["importance"]
    check_ids("importance levels", [l["id"] for l in imp["levels"]],
              EXPECTED_IMPORTANCE)
    check(len(imp["levels"]) == 3,
          "expected 3 importance levels, got %d" % len(imp["levels"]))
    pa = P.get("about", {})
    return {
        "about": about(
            "The five sharing-range (TLP) levels, each with separate "
            "report and advisory scopes as printed on the form (form_scope) "
            "and as defined in the handbook text (text_scope), the TLP "
            "rules, and the three importance (重要度) levels.",
            ["tlp.json"], sources,
            audience_scope_values=pa.get("audience_scope_values"),
            tlp_field_label_ja=pa.get("tlp_field_label_ja"),
            tlp_field_label_en=pa.get("tlp_field_label_en"),
            tlp_field_citation=pa.get("tlp_field_citation")),
        "tlp_levels": levels,
        "tlp_rules": P.get("tlp_rules", []),
        "importance": imp,
    }


# ---------------------------------------------------------------- forms

def build_forms(F, sources):
    by = {f["id"]: f for f in F["forms"]}
    for fid in ("report_form", "advisory_form"):
        check(fid in by, "forms.json: %s not found" % fid)
        form = by[fid]
        fids = [f["id"] for f in form["fields"]]
        check(len(fids) == len(set(fids)), "%s: duplicate field ids" % fid)
        for r in form["mandatory_marker"]["required_field_ids"]:
            check(r in fids, "%s: required field %r not among fields" % (fid, r))
    sect = [f for f in by["report_form"]["fields"] if f["id"] == "sector"]
    check(len(sect) == 1, "report_form: no sector field")
    check_ids("report_form.sector allowed_values",
              [v["id"] for v in sect[0]["allowed_values"]], EXPECTED_SECTORS)
    for fid in ("report_form", "advisory_form"):
        tlp = [f for f in by[fid]["fields"] if f["id"] == "tlp"]
        check(len(tlp) == 1, "%s: no tlp field" % fid)
        check_ids("%s.tlp allowed_values" % fid,
                  [v["id"] for v in tlp[0]["allowed_values"]], EXPECTED_TLP)
        imp = [f for f in by[fid]["fields"] if f["id"] == "importance"]
        check(len(imp) == 1, "%s: no importance field" % fid)
        check_ids("%s.importance allowed_values" % fid,
                  [v["id"] for v in imp[0]["allowed_values"]], EXPECTED_IMPORTANCE)
    fa = F.get("about", {})
    return {
        "about": about(
            "The report form (情報連絡様式) and the advisory form (情報提供様式), "
            "copied whole from the spec. values_ref \"tlp.json#/...\" refers "
            "to data/tlp.json (same paths).",
            ["forms.json"], sources,
            conventions=fa.get("conventions"),
            extraction_caveat_en=fa.get("extraction_caveat_en")),
        "report_form": by["report_form"],
        "advisory_form": by["advisory_form"],
    }


def build_dependencies(R, S, sources):
    """The sector dependency graph as the seeds state it: dep-1 (表１ 原因の例,
    他分野の障害からの波及: 通信の途絶や停電等) names telecommunications and
    electricity as sectors whose failures reach every other sector.  The
    other facts name no edge; nothing else is derived (the spec's caveat)."""
    facts = req(req(R, "interdependency_facts", "risk_and_exercises.json"),
                "facts", "interdependency_facts")
    dep1 = [f for f in facts if f.get("id") == "dep-1"]
    check(len(dep1) == 1, "risk_and_exercises.json: no fact dep-1")
    dep1 = dep1[0]
    upstream = dep1.get("sectors_named") or []
    sectors = [s["id"] for s in S["sectors"]]
    check(all(u in sectors for u in upstream), "dep-1 names an unknown sector")
    edges = []
    for u in upstream:
        for s in sectors:
            if s != u:
                edges.append({"from": u, "to": s,
                              "basis": dep1["citation"]["quote_ja"],
                              "fact": dep1["id"],
                              "citation": dep1["citation"]})
    return {
        "about": about(
            "The sector dependency graph seeded from the seeds: an edge A -> B "
            "means an outage in A may spread to B, with the statement and its "
            "citation.  The seeds give no dependency matrix; only "
            "interdependency fact dep-1 names upstream sectors "
            "(telecommunications and electricity).  NISC edits the graph at "
            "run time (PUT /dependencies); this file is its default.",
            ["risk_and_exercises.json", "sectors.json"], sources,
            caveat=R["interdependency_facts"].get("caveat"),
            counts={"edges": len(edges)}),
        "edges": edges,
    }


# ---------------------------------------------------------------- controls

# The control catalogue's editions: an edition is what a survey campaign
# answers, so answers stay tied to the text they answered.  2023: the 指針
# of 2023-07-04 with its companion handbook's 11.x 対策項目; 2015: the
# superseded 4th-edition 指針 Ⅱ (kept for year-over-year comparison).
CONTROL_EDITIONS = [
    {"id": "2023", "label_ja": "安全基準等策定指針（2023年7月4日）及び手引書 11 対策項目",
     "label_en": "Guideline of 2023-07-04 and the handbook's 11.x measures",
     "sources": ["shishin2023", "tebiki2023"], "status": "current"},
    {"id": "2015", "label_ja": "安全基準等策定指針 第4版（2015）",
     "label_en": "Guideline, 4th edition (2015)",
     "sources": ["shishin2015"], "status": "superseded"},
]
EXPECTED_CONTROL_ITEMS = {"2023": 77, "2015": 25}
CONTROL_CATEGORY_LABELS = {
    "general": ("総則", "General"),
    "organisational_governance": ("組織統治におけるサイバーセキュリティ", "Organisational governance"),
    "risk_management": ("リスクマネジメントの活用", "Risk management"),
    "crisis_management": ("危機管理", "Crisis management"),
    "security_measures": ("対策項目", "Security measures"),
    "legacy": ("指針 第4版（2015）", "Legacy (2015 edition)"),
}


def build_controls(G, sources):
    """Every item of guideline_controls.json, each tagged with its edition;
    the items are copied unchanged (citations included)."""
    items = req(G, "items", "guideline_controls.json")
    by_source = {}
    for e in CONTROL_EDITIONS:
        for s in e["sources"]:
            by_source[s] = e["id"]
    out, seen = [], set()
    counts = {e["id"]: 0 for e in CONTROL_EDITIONS}
    cats = []
    for it in items:
        where = "control %s" % it.get("id")
        cid = req(it, "id", where)
        check(cid not in seen, "%s: duplicate id" % where)
        seen.add(cid)
        src = req(it, "source", where)
        check(src in by_source, "%s: unknown source %r" % (where, src))
        cat = req(it, "category", where)
        check(cat in CONTROL_CATEGORY_LABELS, "%s: unknown category %r" % (where, cat))
        if cat not in cats:
            cats.append(cat)
        check(isinstance(req(it, "requirements", where), list) and it["requirements"],
              "%s: no requirements" % where)
        check(req(it, "requirement_level", where) in ("mandatory", "recommended", "mixed",
                                                      "informative"),
              "%s: bad requirement_level" % where)
        req(it, "citation", where)
        x = {"edition": by_source[src]}
        x.update(it)
        counts[x["edition"]] += 1
        out.append(x)
    for r in out:
        for rel in r.get("related") or []:
            # a related entry is a control id or a pointer into another
            # spec file ("sectors.json", "risk_and_exercises.json:...")
            check(rel in seen or rel.split(":")[0].endswith(".json"),
                  "control %s: related %s unknown" % (r["id"], rel))
    for e, n in EXPECTED_CONTROL_ITEMS.items():
        check(counts[e] == n, "controls: edition %s has %d items, expected %d"
              % (e, counts[e], n))
    editions = []
    for e in CONTROL_EDITIONS:
        d = dict(e)
        d["source_documents"] = {s: G["sources"][s] for s in e["sources"]}
        d["items"] = counts[e["id"]]
        editions.append(d)
    return {
        "about": about(
            "The 指針 control catalogue for the yearly self-assessment survey "
            "(安全基準等の浸透状況調査): every item of guideline_controls.json, "
            "each tagged with the edition it belongs to.  Editions are append-"
            "only: a campaign answers one edition and its answers keep "
            "pointing at that edition's items.",
            ["guideline_controls.json"], sources,
            counts=dict(counts), level_definitions=G.get("level_definitions"),
            pdca_basis=G.get("pdca_basis"),
            self_assessment_cycle=G.get("self_assessment_cycle")),
        "editions": editions,
        "categories": [{"id": c, "label_ja": CONTROL_CATEGORY_LABELS[c][0],
                        "label_en": CONTROL_CATEGORY_LABELS[c][1],
                        "definition": (G.get("category_definitions") or {}).get(c)}
                       for c in cats],
        "items": out,
    }


README = """\
# data/ — reference data

Generated by `python3 tools/gen-data.py` from the shared specification in
`../shared/spec/` (relative to the repository root). Do not edit these JSON
files by hand: fix the spec or the generator and run it again. The output is
deterministic, and the generator stops with an error if a count check fails
(15 sectors, 8 event types, 17 cause types, 5 TLP levels, 3 importance
levels).

| File | Content |
|---|---|
| `sectors.json` | The 15 CI sectors: labels, CI ministry (organization id), sub-sectors, CI services with their service-maintenance level, outage examples and reporting basis, and the 2024 CEPTOARs |
| `taxonomy.json` | Event and cause taxonomies (items marked `"selectable": true` are the form checkboxes), plus flat `event_types` / `cause_types` lists in form order |
| `actors.json` | Organizations, actor types and the CEPTOAR snapshot (2024-09-30) |
| `tlp.json` | The five TLP sharing-range levels (separate report and advisory scopes), TLP rules and the three importance levels |
| `forms.json` | Field definitions of the report form (情報連絡様式) and the advisory form (情報提供様式) |
| `dependencies.json` | The sector dependency graph the seeds state (interdependency fact dep-1: outages in telecommunications and electricity reach every other sector), each edge with its citation; NISC edits it at run time |
| `controls.json` | The 指針 control catalogue for the yearly self-assessment survey: every item of `guideline_controls.json` (2023 指針 + handbook 11.x as edition `2023`, the superseded 4th edition as `2015`), with requirements, level, category, PDCA phase and citations |

Citation objects (`citation`, `citations`, ...) are copied from the spec
unchanged. Their `file`/`line` values point into the seed documents
(`../shared/seeds/`). **The seed documents win over the spec**, and the spec
wins over these files. If they disagree, the seed (001, the newest) is
right.
"""


def dump(obj):
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("spec_dir", nargs="?", default=None,
                    help="spec directory (default: <repo>/../shared/spec)")
    ap.add_argument("--out-dir", default=DEFAULT_OUT_DIR,
                    help="output directory (default: <repo>/data)")
    args = ap.parse_args(argv)
    spec_dir = os.path.normpath(args.spec_dir if args.spec_dir
                                else DEFAULT_SPEC_DIR)
    out_dir = args.out_dir

    sources = {}
    S = load(spec_dir, "sectors.json", sources)
    T = load(spec_dir, "taxonomy.json", sources)
    P = load(spec_dir, "tlp.json", sources)
    F = load(spec_dir, "forms.json", sources)
    A = load(spec_dir, "actors_and_flows.json", sources)
    R = load(spec_dir, "risk_and_exercises.json", sources)
    G = load(spec_dir, "guideline_controls.json", sources)

    outputs = [
        ("sectors.json", dump(build_sectors(S, A, sources))),
        ("taxonomy.json", dump(build_taxonomy(T, F, sources))),
        ("actors.json", dump(build_actors(A, sources))),
        ("tlp.json", dump(build_tlp(P, sources))),
        ("forms.json", dump(build_forms(F, sources))),
        ("dependencies.json", dump(build_dependencies(R, S, sources))),
        ("controls.json", dump(build_controls(G, sources))),
        ("README.md", README),
    ]

    os.makedirs(out_dir, exist_ok=True)
    for name, text in outputs:
        path = os.path.join(out_dir, name)
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
        print("wrote %s (%d bytes)" % (os.path.relpath(path),
                                         len(text.encode("utf-8"))))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except SpecError as e:
        sys.stderr.write("gen-data.py: error: %s\n" % e)
        sys.exit(1)
    except (KeyError, TypeError, IndexError) as e:
        sys.stderr.write("gen-data.py: error: unexpected spec structure: %r\n" % (e,))
        sys.exit(1)
