#!/usr/bin/env bash
# Service-maintenance levels (issue 12, item 1; API.md "Analysis"): a report
# names its service and figures in form.impact; every version read through
# GET /reports/{id} carries service_level, evaluated from the numeric
# levels of 行動計画 別紙２ (data/sectors.json) as the form stood when it
# was filed, with the rule, its text and citation, and whether the
# reporter's 有/無 disagrees.  Bad figures are refused naming the field.
. "$(dirname "$0")/lib.sh"
start_server

orgs "S " <<'EOF'
NISC	nisc			[]			-	NISC
MIC	ci_ministry		["ict"]			-	総務省
METI	ci_ministry		["electricity","gas"]	-	経済産業省
FSA	ci_ministry		["finance"]		-	金融庁
TEL	ci_operator		["ict"]			-	みなと通信
GAS	ci_operator		["gas"]			-	みなとガス
BANK	ci_operator		["finance"]		-	みなと銀行
EOF
tokens <<'EOF'
T_MIC	MIC	s-mic	liaison
T_TEL	TEL	s-tel	member
T_GAS	GAS	s-gas	member
T_BANK	BANK	s-bank	member
EOF

S=2026-11-21T10:00:00+09:00
# telecom: 40,000 users for 3 hours, the reporter ticked 有
F1=$(mkform amber ict ".impact = {service: \"ict.g01.s01\", affected_users: 40000,
    started_at: \"$S\", ended_at: \"2026-11-21T13:00:00+09:00\", service_level_deviation: \"yes\"}")
R=$(submit "$T_TEL" direct "$F1")
api GET "/reports/$R" "" "$T_TEL"
expect_status 200 "the operator reads its report"
eq "40,000 users for 3 h: deviation" "$(jqv '.versions[0].service_level.evaluated')" deviation
eq "the rule is the telecom level" "$(jqv '.versions[0].service_level.rule')" ict.g01.s01
ok "the level's text is the action plan's (３万以上の利用者 …２時間以上)" \
    'jqv ".versions[0].service_level.text_ja" | grep -q "３万以上の利用者"'
ok "with its citation in the seed" 'jqv ".versions[0].service_level.citation" | grep -q "^001_"'
eq "the reporter said 有" "$(jqv '.versions[0].service_level.reported')" yes
eq "and agrees" "$(jqv '.versions[0].service_level.disagrees')" false

# 第2報: it turns out 29,000 users for 2 h 30 min, still ticked 有
F2=$(jq -c '.impact.affected_users = 29000 | .impact.ended_at = "2026-11-21T12:30:00+09:00"' <<<"$F1")
V=$(followup "$T_TEL" "$R" "$F2")
api GET "/reports/$R" "" "$T_TEL"
eq "第2報: 29,000 users is below the level" "$(jqv '.versions[1].service_level.evaluated')" no_deviation
eq "第2報: the tick (有) disagrees with the figures" "$(jqv '.versions[1].service_level.disagrees')" true
eq "第1報 keeps its own evaluation" "$(jqv '.versions[0].service_level.evaluated')" deviation
OUT=$(CISHARE_URL=http://127.0.0.1:$PORT CISHARE_TOKEN=$T_TEL "$CISHARE" report show "$R")
ok "cishare report show prints each version's level" \
    'grep -qE "^  level +deviation \(rule ict\.g01\.s01; reported yes\)$" <<<"$OUT" && grep -qE "^  level +no_deviation \(rule ict\.g01\.s01; reported yes\), disagrees$" <<<"$OUT"'
forward "$T_MIC" "$R" && pass "the ministry forwards to NISC"
api GET "/reports/$R" "" "$T_MIC"
eq "the ministry reads the evaluation too" "$(jqv '[.versions[].service_level.evaluated] | join(",")')" "deviation,no_deviation"

# an outage still going on: at least the time until the report was filed
NOW2H=$(date -d '-3 hours' '+%Y-%m-%dT%H:%M:%S+00:00')
F3=$(mkform amber ict ".impact = {service: \"ict.g01.s01\", affected_users: 90000, started_at: \"$NOW2H\", ongoing: true}")
R3=$(submit "$T_TEL" direct "$F3")
api GET "/reports/$R3" "" "$T_TEL"
eq "ongoing for 3 h with 90,000 users: deviation already" "$(jqv '.versions[0].service_level.evaluated')" deviation
F4=$(mkform amber ict '.impact = {service: "ict.g01.s01", affected_users: 90000}')
R4=$(submit "$T_TEL" direct "$F4")
api GET "/reports/$R4" "" "$T_TEL"
eq "no times: insufficient data" "$(jqv '.versions[0].service_level.evaluated')" insufficient_data

# gas: 30 households, no duration in the level
R5=$(submit "$T_GAS" direct "$(mkform amber gas '.impact = {service: "gas.g01.s01", households: 30, service_level_deviation: "no"}')")
api GET "/reports/$R5" "" "$T_GAS"
eq "gas: 30 households is a deviation" "$(jqv '.versions[0].service_level.evaluated')" deviation
eq "gas: the reporter's 無 disagrees" "$(jqv '.versions[0].service_level.disagrees')" true

# finance: the level is text (注２), a person judges
R6=$(submit "$T_BANK" direct "$(mkform amber finance '.impact = {service: "finance.g01.s01"}')")
api GET "/reports/$R6" "" "$T_BANK"
eq "finance: not numeric" "$(jqv '.versions[0].service_level.evaluated')" not_numeric
ok "finance: the level's text is shown" '[ -n "$(jqv ".versions[0].service_level.text_ja // empty")" ]'

# refusals name the field and write nothing
bad() { # DESC FIELD JQ-EXPR [SECTOR]
	local n before
	before=$(db_sql "SELECT count(*) FROM reports")
	api POST /reports "$(jq -nc --argjson f "$(mkform amber "${4:-ict}" "$3")" '{route: "direct", legal_duty: false, form: $f}')" "$T_TEL"
	expect_error "$2" 400 "$1"
	n=$(db_sql "SELECT count(*) FROM reports")
	eq "$1: nothing written" "$n" "$before"
}
bad "a service of another sector -> 400" form.impact.service '.impact = {service: "gas.g01.s01"}'
bad "an unknown service -> 400" form.impact.service '.impact = {service: "ict.g99.s99"}'
bad "a negative user count -> 400" form.impact.affected_users '.impact = {affected_users: -1}'
bad "a user count as text -> 400" form.impact.affected_users '.impact = {affected_users: "many"}'
bad "ongoing as a string -> 400" form.impact.ongoing '.impact = {ongoing: "yes"}'
bad "an end before the start -> 400" form.impact.ended_at ".impact = {started_at: \"$S\", ended_at: \"2026-11-21T09:00:00+09:00\"}"
bad "ongoing with an end -> 400" form.impact.ongoing ".impact = {started_at: \"$S\", ended_at: \"2026-11-21T11:00:00+09:00\", ongoing: true}"
bad "a malformed start time -> 400" form.impact.started_at '.impact = {started_at: "yesterday"}'
stop_server
