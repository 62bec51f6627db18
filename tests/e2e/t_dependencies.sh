#!/usr/bin/env bash
# Interdependency (issue 12, item 3; API.md "Analysis"): the sector
# dependency graph starts as the seeds state it (an outage in
# telecommunications or electricity reaches every other sector: 手引書 表１,
# 他分野の障害からの波及), NISC edits it (checked, audited), and for a report
# with an outage GET /reports/{id}/cascade names the sectors at risk with the
# path and the reason — NISC only; others get 403 or, for a report they may
# not read, the same 404 as a missing one.
. "$(dirname "$0")/lib.sh"
start_server

orgs "D " <<'EOF2'
NISC	nisc			[]			-	NISC
METI	ci_ministry		["electricity"]		-	経済産業省
FSA	ci_ministry		["finance"]		-	金融庁
P1	ci_operator		["electricity"]		-	みなと電力
B1	ci_operator		["finance"]		-	みなと銀行
EOF2
tokens <<'EOF2'
T_NISC	NISC	d-nisc	analyst
T_METI	METI	d-meti	liaison
T_FSA	FSA	d-fsa	liaison
T_P1	P1	d-p1	member
T_B1	B1	d-b1	member
EOF2

api GET /dependencies "" "$T_B1"
expect_status 200 "any user reads the dependency graph"
eq "the seeded graph: telecommunications and electricity to each of 14 sectors" "$(jqv '.edges | length')" 28
eq "the seeded graph is not edited" "$(jqv .edited)" null
ok "each seeded edge says why, in the seed's words" 'jqv "[.edges[].basis | test(\"停電\")] | all" | grep -qx true'
ok "and where (seed 001, 手引書 表１)" 'jqv "[.edges[].citation | test(\"^001_.*表１\")] | all" | grep -qx true'

stopped='.impact = {system_operation_status: "stopped"}'
P=$(submit "$T_P1" direct "$(mkform amber electricity "$stopped")")
forward "$T_METI" "$P" >/dev/null
api GET "/reports/$P/cascade" "" "$T_NISC"
expect_status 200 "NISC asks which sectors an electricity outage puts at risk"
eq "the outage is recognised (system stopped)" "$(jqv '.outage')" true
eq "every other sector is at risk" "$(jqv '.at_risk | length')" 14
eq "finance is reached directly from electricity" \
    "$(jqv '.at_risk[] | select(.sector == "finance") | .path | join(">")')" "electricity>finance"
ok "with the reason and its citation" 'jqv ".at_risk[0].basis" | grep -q "停電" && jqv ".at_risk[0].citation" | grep -q "^001_"'

B=$(submit "$T_B1" direct "$(mkform amber finance "$stopped")")
forward "$T_FSA" "$B" >/dev/null
api GET "/reports/$B/cascade" "" "$T_NISC"
eq "nothing depends on finance in the seeded graph" "$(jqv '.at_risk | length')" 0
B2=$(submit "$T_B1" direct "$(mkform amber finance)")
forward "$T_FSA" "$B2" >/dev/null
api GET "/reports/$B2/cascade" "" "$T_NISC"
eq "a report without an outage: no cascade" "$(jqv '[.outage, (.at_risk | length)] | join(",")')" "false,0"

# who may ask
api GET "/reports/$P/cascade" "" "$T_METI"
expect_error "" 403 "the ministry reads the report but the prediction is NISC's: 403"
api GET "/reports/$P/cascade" "" "$T_B1"
A=$BODY
api GET "/reports/999999/cascade" "" "$T_B1"
eq "another sector's operator: the same 404 as a missing report" "$A" "$BODY"

# NISC edits the graph: finance -> logistics
NEWG=$(curl -s -H "Authorization: Bearer $T_NISC" "$URL/dependencies" |
    jq -c '{edges: (.edges + [{from: "finance", to: "logistics", basis: "決済の停止により物流の代金決済が滞る", citation: null}])}')
api PUT /dependencies "$NEWG" "$T_FSA"
expect_error "" 403 "a ministry cannot edit the graph"
for bad in 'edges[0].from = "mars"|edges.0.from' 'edges[0].to = .edges[0].from|edges.0.to' \
    'edges[1] = .edges[0]|edges.1.to' 'edges[0].basis = ""|edges.0.basis' 'edges[0].note = "x"|edges.0.note' \
    'edges = "all"|edges'; do
	expr=${bad%%|*}; field=${bad##*|}
	api PUT /dependencies "$(jq -c ".$expr" <<<"$NEWG")" "$T_NISC"
	expect_error "$field" 400 "PUT /dependencies with .$expr -> 400 naming $field"
done
api GET /dependencies "" "$T_NISC"
eq "refused edits change nothing" "$(jqv '[(.edges | length), .edited] | map(tostring) | join(",")')" "28,null"
api PUT /dependencies "$NEWG" "$T_NISC"
expect_status 200 "NISC adds finance -> logistics"
eq "the graph is NISC's now" "$(jqv '[(.edges | length), (.edited.by_org != null)] | map(tostring) | join(",")')" "29,true"
api GET "/reports/$B/cascade" "" "$T_NISC"
eq "a finance outage now reaches logistics, for NISC's reason" \
    "$(jqv '.at_risk[] | "\(.sector):\(.basis)"')" "logistics:決済の停止により物流の代金決済が滞る"
# the CLI
cli() { CISHARE_URL=http://127.0.0.1:$PORT CISHARE_TOKEN=$1 "$CISHARE" "${@:2}"; }
OUT=$(cli "$T_NISC" report cascade "$P")
ok "cishare report cascade lists the sectors at risk with their path" \
    'grep -qE "^finance +\[\"electricity\",\"finance\"\]|^finance +electricity" <<<"$OUT" && grep -q "^14 sector(s) at risk$" <<<"$OUT"'
OUT=$(cli "$T_B1" deps show)
ok "cishare deps show prints the graph and that NISC edited it" \
    'grep -qE "^finance +logistics +決済の停止" <<<"$OUT" && grep -q "^29 edge(s); edited by NISC$" <<<"$OUT"'
jq -c 'del(.edges[-1])' <<<"$NEWG" >"$WORK/g.json"
OUT=$(cli "$T_NISC" deps set "$WORK/g.json")
eq "cishare deps set replaces the graph" "$OUT" "dependencies: 28 edge(s)"

AUD=$(audit_all "$ADMIN")
eq "the edit is audited with the edge count" \
    "$(jq -c '[.[] | select(.action == "dependencies.update") | .detail.edges]' <<<"$AUD")" "[29,28]"
stop_server
