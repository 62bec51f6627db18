#!/usr/bin/env bash
# Statistics (issue 12, item 4; API.md "Analysis"): GET /stats counts only
# the reports the caller may read (an invisible report changes no count),
# grouped by sector, event type, cause, route, TLP, month, quarter and
# fiscal year; a cell of fewer than k (3) distinct source organisations is
# suppressed for everyone but NISC — an anonymised report counted by its
# real source, never shown; GET /public/stats (no login) counts the
# TLP:CLEAR reports NISC received, suppressed the same way.
. "$(dirname "$0")/lib.sh"
start_server

orgs "T " <<'EOF2'
NISC	nisc			[]			-	NISC
FSA	ci_ministry		["finance"]		-	金融庁
METI	ci_ministry		["electricity"]		-	経済産業省
CEP	ceptoar_secretariat	["finance"]		-	銀行等CEPTOAR
B1	ci_operator		["finance"]		-	一の銀行
B2	ci_operator		["finance"]		-	二の銀行
B3	ci_operator		["finance"]		-	三の銀行
P1	ci_operator		["electricity"]		-	一の電力
EOF2
tokens <<'EOF2'
T_NISC	NISC	t-nisc	analyst
T_FSA	FSA	t-fsa	liaison
T_METI	METI	t-meti	liaison
T_CEP	CEP	t-cep	poc
T_B1	B1	t-b1	member
T_B2	B2	t-b2	member
T_B3	B3	t-b3	member
T_P1	P1	t-p1	member
EOF2

mal=".event_type = \"event_malware_infection\" | .cause_types = [\"cause_suspicious_email_received\", \"cause_suspicious_file_execution\"]"
to_nisc() { # TOKEN TLP SECTOR MINISTRY_TOKEN
	local r
	r=$(submit "$1" direct "$(mkform "$2" "$3" "$mal")")
	forward "$4" "$r" >/dev/null && echo "$r"
}
R1=$(to_nisc "$T_B1" clear finance "$T_FSA")
to_nisc "$T_B2" clear finance "$T_FSA" >/dev/null
to_nisc "$T_B3" clear finance "$T_FSA" >/dev/null
to_nisc "$T_B1" amber finance "$T_FSA" >/dev/null
to_nisc "$T_P1" clear electricity "$T_METI" >/dev/null
# still at the ministry: NISC must not count it
submit "$T_B2" direct "$(mkform amber finance)" >/dev/null
# anonymised, twice from bank 1: still one source
for i in 1 2; do
	A=$(submit "$T_B1" via_ceptoar "$(mkform amber finance)")
	forward "$T_CEP" "$A" '{"confirm_small_anonymity_set": true}' >/dev/null
	forward "$T_FSA" "$A" >/dev/null
done

cell() { # JSON SECTOR -> count or -
	jq -r --arg s "$2" '[.cells[] | select(.key.sector == $s) | .count] | first // "-"' <<<"$1"
}

api GET "/stats?group=sector" "" "$T_NISC"
expect_status 200 "NISC reads /stats"
S=$BODY
eq "NISC: finance counts what reached NISC (4 + 2 anonymised)" "$(cell "$S" finance)" 6
eq "NISC: the report still at the ministry is not counted" "$(jqv '.total')" 7
eq "NISC: a one-source cell is shown to NISC" "$(cell "$S" electricity)" 1
eq "NISC: sources per cell (anonymised bank 1 counted once)" \
    "$(jq -r '.cells[] | select(.key.sector == "finance") | .sources' <<<"$S")" 3
eq "NISC: nothing suppressed" "$(jqv .suppressed)" 0

eq "NISC: time to the R-number counted for the 6 finance reports it numbered" \
    "$(jq -r '.cells[] | select(.key.sector == "finance") | .timings.to_r_number.n' <<<"$S")" 6
eq "NISC: no advisory yet, no time to advisory" "$(jqv '.timings.to_advisory.n')" 0
# An advisory relating the first report: its time to advisory is counted.
ADV=$(adv_issue "$T_NISC" "$(mkadv amber)" false ".related_reports = [$R1]")
api GET "/advisories/$ADV" "" "$T_NISC"
eq "the advisory relating R1 is issued" "$(jqv .state)" issued
api GET "/stats?group=sector" "" "$T_NISC"
eq "NISC: time from report to advisory, one report" "$(jqv '.timings.to_advisory.n')" 1
ok "NISC: its median is a few seconds at most" '[ "$(jqv .timings.to_advisory.median_s)" -le 60 ]'
ok "NISC: time to the R-number has a median and a p90" '[ "$(jqv .timings.to_r_number.median_s)" -ge 0 ] && [ "$(jqv .timings.to_r_number.p90_s)" -ge "$(jqv .timings.to_r_number.median_s)" ]'

api GET "/stats?group=sector" "" "$T_FSA"
eq "the ministry counts what is on its path (all finance, 7)" "$(cell "$BODY" finance)" 7
eq "the ministry does not see another sector" "$(cell "$BODY" electricity)" -
ok "others get no per-cell source counts" '[ "$(jqv "[.cells[] | has(\"sources\")] | any")" == false ]'

api GET "/stats?group=sector" "" "$T_METI"
eq "one power company: its cell is suppressed for the ministry" "$(cell "$BODY" electricity)" -
eq "and counted as suppressed" "$(jqv .suppressed)" 1

api GET "/stats?group=sector" "" "$T_B2"
eq "a bank sees only its own reports, too few sources: suppressed" "$(jqv '.cells | length')" 0

api GET "/stats?group=sector,cause" "" "$T_NISC"
eq "by cause: each report counts under each of its causes" \
    "$(jq -r '[.cells[] | select(.key.sector == "finance" and .key.cause == "cause_suspicious_file_execution") | .count] | first' <<<"$BODY")" 4
api GET "/stats?group=fiscal_year,quarter,month" "" "$T_NISC"
FY=$(TZ=Asia/Tokyo date +%Y); M=$(TZ=Asia/Tokyo date +%m)
[ "$M" -lt 4 ] && FY=$((FY - 1))
eq "by fiscal year (April to March, Japan time)" "$(jqv '.cells[0].key.fiscal_year')" "FY$FY"
eq "by month" "$(jqv '.cells[0].key.month')" "$(TZ=Asia/Tokyo date +%Y-%m)"
api GET "/stats?group=tlp,route" "" "$T_NISC"
eq "by TLP and route" "$(jq -r '[.cells[] | select(.key.tlp == "clear" and .key.route == "direct") | .count] | first' <<<"$BODY")" 4
api GET "/stats?group=sector&since=2999-01-01T00:00:00%2B09:00" "" "$T_NISC"
eq "since in the future: nothing" "$(jqv .total)" 0

api GET "/stats?group=sector,org" "" "$T_NISC"
expect_error group 400 "an unknown dimension -> 400 naming group"
api GET "/stats?since=yesterday" "" "$T_NISC"
expect_error since 400 "a malformed since -> 400 naming since"
api GET "/stats" "" ""
expect_error "" 401 "GET /stats needs a login"

api GET "/public/stats?group=sector" "" ""
expect_status 200 "GET /public/stats needs no login"
eq "public: the three CLEAR finance reports of three banks" "$(cell "$BODY" finance)" 3
eq "public: the one power company's CLEAR report is suppressed" "$(cell "$BODY" electricity)" -
eq "public: nothing but CLEAR is counted" "$(jqv .total)" 3

# the CLI
cli() { CISHARE_URL=http://127.0.0.1:$PORT CISHARE_TOKEN=$1 "$CISHARE" "${@:2}"; }
OUT=$(cli "$T_NISC" stats --group sector,tlp)
ok "cishare stats prints a table with the groups, COUNT and SOURCES for NISC" \
    'grep -qE "^sector +tlp +COUNT +SOURCES$" <<<"$OUT" && grep -qE "^finance +clear +3 +3$" <<<"$OUT"'
OUT=$(cli "$T_METI" stats)
ok "cishare stats says what was suppressed" 'grep -q "1 group(s) suppressed (fewer than 3" <<<"$OUT"'
OUT=$(cli "" stats --public --csv)
eq "cishare stats --public --csv needs no token and prints CSV" "$OUT" "$(printf 'sector,COUNT\r\nfinance,3\r')"

AUD=$(audit_all "$ADMIN")
ok "reading /stats is audited (stats.read with the grouping)" \
    'jq -e "[.[] | select(.action == \"stats.read\")] | length > 0" <<<"$AUD" >/dev/null'
stop_server
