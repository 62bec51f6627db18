#!/usr/bin/env bash
# The large-scale CI service failure mode (issue 13, item 1; API.md
# "Operating modes"; 行動計画 別紙４－２): a NISC approver declares it for
# the affected sectors; while it is on 内閣官房（事態対処・危機管理担当）, the
# incident-response and disaster-management ministries read what NISC
# received of those sectors (below RED, nothing else) and file damage and
# response-status updates to the situation board; ending it ends those
# readings, and the history stays.  Every transition is audited.
. "$(dirname "$0")/lib.sh"
start_server

orgs "M " <<'EOF2'
NISC	nisc				[]			-	NISC
CAS	cas_crisis_management		[]			-	内閣官房（事態対処・危機管理担当）
IRM	incident_response_ministry	[]			-	警察庁
DMM	disaster_management_ministry	[]			-	内閣府（防災担当）
METI	ci_ministry			["electricity"]		-	経済産業省
FSA	ci_ministry			["finance"]		-	金融庁
P1	ci_operator			["electricity"]		-	みなと電力
B1	ci_operator			["finance"]		-	みなと銀行
EOF2
tokens <<'EOF2'
T_NISC	NISC	m-nisc	analyst
T_APPR	NISC	m-appr	approver
T_CAS	CAS	m-cas	member
T_IRM	IRM	m-irm	liaison
T_DMM	DMM	m-dmm	member
T_METI	METI	m-meti	liaison
T_FSA	FSA	m-fsa	liaison
T_P1	P1	m-p1	member
T_B1	B1	m-b1	member
EOF2

P=$(submit "$T_P1" direct "$(mkform amber electricity '.impact = {system_operation_status: "stopped"}')")
forward "$T_METI" "$P" >/dev/null
PRED=$(submit "$T_P1" direct "$(mkform red electricity)")
forward "$T_METI" "$PRED" >/dev/null
B=$(submit "$T_B1" direct "$(mkform amber finance)")
forward "$T_FSA" "$B" >/dev/null
PMIN=$(submit "$T_P1" direct "$(mkform amber electricity)")	# still at the ministry
# another sector's report shared with the incident-response ministry
G=$(submit "$T_B1" direct "$(mkform green finance)")
forward "$T_FSA" "$G" >/dev/null
api POST "/reports/$G/share" "{\"to\": [$IRM]}" "$T_NISC"
expect_status 200 "NISC shares a GREEN finance report with the incident-response ministry"

# ---- before ----
api GET /modes "" "$T_CAS"
eq "normal: no large-scale mode" "$(jqv .large_scale)" null
api GET "/reports/$P" "" "$T_CAS"
expect_error "" 404 "normal: CAS does not read the power company's report"
api POST /situation '{"sector": "electricity", "kind": "damage", "text": "停電"}' "$T_DMM"
expect_error "" 403 "normal: no situation updates"
ok "the refusal names the mode" 'jqv .error.message | grep -q "normal operating mode"'

# ---- declare ----
DECL='{"cause": "cyber", "sectors": ["electricity"]}'
api POST /modes/large-scale "$DECL" "$T_NISC"
expect_error "" 403 "a NISC analyst who is not an approver cannot declare"
api POST /modes/large-scale '{"cause": "meteor", "sectors": ["electricity"]}' "$T_APPR"
expect_error cause 400 "an unknown cause -> 400 cause"
api POST /modes/large-scale '{"cause": "cyber", "sectors": ["electricity", "mars"]}' "$T_APPR"
expect_error sectors.1 400 "an unknown sector -> 400 sectors.1"
api POST /modes/large-scale "$DECL" "$T_APPR"
expect_status 201 "a NISC approver declares the large-scale mode for electricity"
MODE=$(jqv .id)
api POST /modes/large-scale "$DECL" "$T_APPR"
expect_error "" 409 "declaring twice -> 409"
api GET /modes "" "$T_B1"
eq "everyone sees the mode, its cause and sectors" "$(jqv '[.large_scale.cause, (.large_scale.sectors | join(","))] | join(" ")')" "cyber electricity"

# ---- during ----
for t in T_CAS T_IRM T_DMM; do
	api GET "/reports/$P" "" "${!t}"
	expect_status 200 "during: ${t#T_} reads the power company's report at NISC"
	eq "during: ${t#T_} reads the version NISC received" "$(jqv '[.versions[].shown_hop] | join(",")')" "ministry"
done
eq "CAS sees no submitter identity beyond the report" "$(jqv 'has("submitter")')" "$(api GET "/reports/$P" "" "$T_NISC" >/dev/null; jqv 'has("submitter")')"
api GET "/reports/$PRED" "" "$T_CAS"
expect_error "" 404 "during: a RED report stays with NISC and the ministry"
api GET "/reports/$B" "" "$T_CAS"
expect_error "" 404 "during: an unaffected sector's report stays unread"
api GET "/reports/$PMIN" "" "$T_CAS"
expect_error "" 404 "during: a report not yet at NISC stays unread"
api GET "/reports?limit=100" "" "$T_CAS"
eq "CAS's list: exactly the affected sector's report NISC holds" "$(jqv '[.items[].id] | join(",")')" "$P"
# the property test's finding: the mode's candidates used to replace the
# reader's own, so a report shared with it vanished from its list
api GET "/reports?limit=100" "" "$T_IRM"
eq "during: the incident-response ministry lists its shared report beside the mode's" "$(jqv '[.items[].id] | join(",")')" "$G,$P"
api GET "/reports/$P" "" "$T_B1"
expect_error "" 404 "an operator of another sector still cannot read it"
A=$(adv_issue "$T_NISC" "$(mkadv amber)")
api GET "/advisories/$A" "" "$T_CAS"
expect_status 200 "during: CAS reads an advisory for the affected sector"

api POST /situation '{"sector": "electricity", "kind": "damage", "text": "関東の一部で停電", "services_down": ["electricity.g01.s01"], "restoration_estimate": "本日18時ごろ"}' "$T_DMM"
expect_status 201 "the disaster-management ministry files a damage update"
api POST /situation '{"sector": "electricity", "kind": "response", "text": "復旧要員を派遣"}' "$T_METI"
expect_status 201 "the CI ministry files a response update"
api POST /situation '{"sector": "finance", "kind": "damage", "text": "x"}' "$T_DMM"
expect_error sector 400 "an unaffected sector -> 400 sector"
api POST /situation '{"sector": "electricity", "kind": "damage", "text": "x", "services_down": ["finance.g01.s01"]}' "$T_DMM"
expect_error services_down.0 400 "a service of another sector -> 400 services_down.0"
api POST /situation '{"sector": "electricity", "kind": "rumour", "text": "x"}' "$T_DMM"
expect_error kind 400 "an unknown kind -> 400 kind"
api POST /situation '{"sector": "electricity", "kind": "damage", "text": "x"}' "$T_P1"
expect_error "" 403 "an operator does not file to the board"
api GET /situation "" "$T_CAS"
expect_status 200 "CAS reads the situation board"
eq "the board: services down in electricity" "$(jqv '.sectors[0].services_down.services | join(",")')" "electricity.g01.s01"
eq "the board: the restoration estimate" "$(jqv '.sectors[0].restoration_estimate.text')" "本日18時ごろ"
eq "the board: the latest update first" "$(jqv '.sectors[0].updates[0].text')" "復旧要員を派遣"
eq "the board: the open reports CAS may read" "$(jqv '[.sectors[0].reports[].id] | join(",")')" "$P"
api GET /situation "" "$T_B1"
expect_error "" 403 "an operator does not read the board"

# ---- end ----
api POST /modes/large-scale/end '{}' "$T_NISC"
expect_error "" 403 "an analyst cannot end it"
api POST /modes/large-scale/end '{}' "$T_APPR"
expect_status 200 "the approver ends the mode"
api POST /modes/large-scale/end '{}' "$T_APPR"
expect_error "" 409 "ending twice -> 409"
api GET "/reports/$P" "" "$T_CAS"
expect_error "" 404 "after: CAS no longer reads the report"
api POST /situation '{"sector": "electricity", "kind": "damage", "text": "x"}' "$T_DMM"
expect_error "" 403 "after: no more updates"
api GET /modes "" "$T_CAS"
eq "after: no mode on, the history keeps it with its end" "$(jqv '[.large_scale, (.history | length), (.history[0].ended_at != null)] | map(tostring) | join(",")')" "null,1,true"
api GET "/situation?mode=$MODE" "" "$T_CAS"
eq "after: the board of the ended mode stays readable" "$(jqv '.sectors[0].updates | length')" 2
# the CLI: declare, show, post, end
cli() { CISHARE_URL=http://127.0.0.1:$PORT CISHARE_TOKEN=$1 "$CISHARE" "${@:2}"; }
OUT=$(cli "$T_APPR" mode declare disaster --sector gas,water)
ok "cishare mode declare" 'grep -qE "^large_scale mode [0-9]+ declared$" <<<"$OUT"'
OUT=$(cli "$T_B1" mode show)
ok "cishare mode show names the cause and sectors" 'grep -q "^large_scale disaster sectors \[\"gas\",\"water\"\]\|^large_scale disaster sectors gas" <<<"$OUT"'
OUT=$(cli "$T_DMM" situation post water damage "浄水場の制御系が停止" --estimate 明朝)
ok "cishare situation post" 'grep -qE "^update [0-9]+$" <<<"$OUT"'
OUT=$(cli "$T_CAS" situation show)
ok "cishare situation show lists the update" 'grep -q "浄水場の制御系が停止" <<<"$OUT" && grep -q "明朝" <<<"$OUT"'
OUT=$(cli "$T_APPR" mode end)
ok "cishare mode end" 'grep -qE "^large_scale mode [0-9]+ ended$" <<<"$OUT"'

AUD=$(audit_all "$ADMIN")
eq "declare, updates and end are audited" \
    "$(jq -c '[.[] | select(.action | test("^(mode|situation)\\.")) | .action]' <<<"$AUD")" \
    '["mode.declare","situation.post","situation.post","mode.end","mode.declare","situation.post","mode.end"]'
stop_server
