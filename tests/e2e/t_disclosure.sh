#!/usr/bin/env bash
# Disclosure basis (issue 10 item 10; API.md "Disclosure basis"): NISC and
# a ministry liaison on the report's path record one (201 {"id"}); every
# reader of the report — the source included, for an anonymised report too
# — sees "disclosures" in GET /reports/{id}, by_org the deciding
# organisation.  Others: 403 when they read the report, the 404 of a
# missing report when they do not.  Unknown basis -> 400 basis; bad or
# oversize text -> 400/413 and nothing written; report.disclose audited.
# A share outside the TLP ceiling: 403 without, 200 with the id of a
# disclosure recorded on the report (the basis in the share's audit entry,
# the target then reads the report).  The CLI's report disclose / show /
# share --disclosure.
. "$(dirname "$0")/lib.sh"
start_server

orgs "D " <<'EOF'
NISC	nisc			[]		-	NISC
MIN_F	ci_ministry		["finance"]	-	金融庁
MIN_E	ci_ministry		["electricity"]	-	経済産業省
EOF
sector_population "D "
CB=$(mkorg "D サイバー事業者" cyberspace_business '[]')
tokens <<'EOF'
T_NISC	NISC	d-nisc		analyst
T_NISC_M	NISC	d-nisc-m	member
T_MIN	MIN_F	d-fsa		liaison
T_MIN_M	MIN_F	d-fsa-m		member
T_MIN_E	MIN_E	d-meti		liaison
T_CEP	CEP_F	d-cep		poc
T_OP1	OP1	d-op1		member
T_OP2	OP2	d-op2		member
T_CB	CB	d-cb		member
EOF

# A: AMBER, direct, at NISC.  D: still at the ministry.  G: GREEN, at NISC.
A=$(submit "$T_OP1" direct "$(mkform amber finance)")
forward "$T_MIN" "$A"
D=$(submit "$T_OP1" direct "$(mkform amber finance)")
G=$(submit "$T_OP1" direct "$(mkform green finance)")
forward "$T_MIN" "$G"

disclose() { # TOKEN ID BASIS REASON TO
	api POST "/reports/$2/disclosures" "$(jq -nc --arg b "$3" --arg r "$4" --arg t "$5" \
	    '{basis: $b, reason: $r, to: $t}')" "$1"
}

# ---- NISC and the ministry on the path record; every reader lists ----
REASON_LAW=$'刑事訴訟法197条2項に基づく捜査関係事項照会\n（照会番号 D-1）'
disclose "$T_NISC" "$A" law "$REASON_LAW" "警察庁 サイバー警察局"
expect_status 201 "NISC records a 'law' disclosure -> 201"
DL=$(jqv .id)
ok "the answer is {\"id\"}" '[ "$(jqv "keys | join(\",\")")" == id ] && [ "$DL" -gt 0 ]'
disclose "$T_MIN" "$A" consent "報告元の了承（2026-12-01 書面）" "報告元の取引先"
expect_status 201 "the ministry liaison on the path records a 'consent' disclosure -> 201"
DC=$(jqv .id)

for who in T_NISC T_MIN T_OP1; do
	api GET "/reports/$A" "" "${!who}"
	expect_status 200 "$who reads report A"
	eq "$who sees both disclosures, oldest first" "$(jqv '[.disclosures[].id] | join(",")')" "$DL,$DC"
	eq "$who sees basis, reason, to and the deciding org" \
	    "$(jqv '.disclosures[0] | [.basis, .reason, .to, .by_org] | map(tostring) | join("|")')" \
	    "law|$REASON_LAW|警察庁 サイバー警察局|$NISC"
	eq "$who sees the ministry's basis and org" \
	    "$(jqv '.disclosures[1] | [.basis, .by_org] | map(tostring) | join("|")')" "consent|$MIN_F"
	ok "$who: each disclosure has an RFC 3339 time" \
	    '[ "$(jqv "[.disclosures[].at | test(\"^[0-9]{4}-[0-9]{2}-[0-9]{2}T.*[+-][0-9]{2}:[0-9]{2}$\")] | all")" == true ]'
done
api GET "/reports/$G" "" "$T_OP1"
eq "a report without any lists an empty array" "$(jqv '.disclosures | tojson')" "[]"

# ---- who may not: 403 when they read it, 404 when they do not ----
bad "the source (operator) records on its own report" 403 "" POST "/reports/$A/disclosures" "$T_OP1" \
    '{"basis": "consent", "reason": "r", "to": "t"}'
bad "a NISC member without analyst/approver" 403 "" POST "/reports/$A/disclosures" "$T_NISC_M" \
    '{"basis": "law", "reason": "r", "to": "t"}'
bad "a ministry member without liaison" 403 "" POST "/reports/$A/disclosures" "$T_MIN_M" \
    '{"basis": "law", "reason": "r", "to": "t"}'
bad "another operator (does not read it)" 404 "" POST "/reports/$A/disclosures" "$T_OP2" \
    '{"basis": "law", "reason": "r", "to": "t"}'
bad "a CEPTOAR not on a direct report's path (does not read it)" 404 "" POST "/reports/$A/disclosures" "$T_CEP" \
    '{"basis": "law", "reason": "r", "to": "t"}'
bad "a ministry not on the path (does not read it)" 404 "" POST "/reports/$A/disclosures" "$T_MIN_E" \
    '{"basis": "law", "reason": "r", "to": "t"}'
api POST "/reports/$G/share" "{\"to\": [$MIN_E]}" "$T_NISC"
expect_status 200 "setup: NISC shares the GREEN report with a ministry off its path"
bad "a ministry that reads it by a share but is not on the path" 403 "" POST "/reports/$G/disclosures" "$T_MIN_E" \
    '{"basis": "law", "reason": "r", "to": "t"}'
bad "NISC before the report reached it" 404 "" POST "/reports/$D/disclosures" "$T_NISC" \
    '{"basis": "law", "reason": "r", "to": "t"}'
INVISIBLE=$BODY
bad "NISC on a missing report" 404 "" POST "/reports/999999/disclosures" "$T_NISC" \
    '{"basis": "law", "reason": "r", "to": "t"}'
eq "invisible and missing answer the same bytes" "$INVISIBLE" "$BODY"
bad "the platform admin" 404 "" POST "/reports/$A/disclosures" "$ADMIN" \
    '{"basis": "law", "reason": "r", "to": "t"}'

# ---- bad input: 400 naming the field (413 over the body limit), nothing written ----
BIG=$(printf '理%.0s' $(seq 1 8001))
printf '{"basis": "law", "to": "t", "reason": "%s"}' "$(head -c 300000 /dev/zero | tr '\0' x)" >"$WORK/huge.json"
dump_mark
bad "unknown basis" 400 basis POST "/reports/$A/disclosures" "$T_NISC" '{"basis": "court_order", "reason": "r", "to": "t"}'
bad "basis missing" 400 basis POST "/reports/$A/disclosures" "$T_NISC" '{"reason": "r", "to": "t"}'
bad "basis not a string" 400 basis POST "/reports/$A/disclosures" "$T_NISC" '{"basis": 1, "reason": "r", "to": "t"}'
bad "reason missing" 400 reason POST "/reports/$A/disclosures" "$T_NISC" '{"basis": "law", "to": "t"}'
bad "reason blank" 400 reason POST "/reports/$A/disclosures" "$T_NISC" '{"basis": "law", "reason": " \n ", "to": "t"}'
bad "reason with a control character" 400 reason POST "/reports/$A/disclosures" "$T_NISC" '{"basis": "law", "reason": "a\u001bb", "to": "t"}'
bad "reason with NUL (malformed JSON)" 400 "" POST "/reports/$A/disclosures" "$T_NISC" '{"basis": "law", "reason": "a\u0000b", "to": "t"}'
bad "reason over 8,000 characters" 400 reason POST "/reports/$A/disclosures" "$T_NISC" "{\"basis\": \"law\", \"reason\": \"$BIG\", \"to\": \"t\"}"
bad "to missing" 400 to POST "/reports/$A/disclosures" "$T_NISC" '{"basis": "law", "reason": "r"}'
bad "to with a line break" 400 to POST "/reports/$A/disclosures" "$T_NISC" '{"basis": "law", "reason": "r", "to": "a\nb"}'
bad "to over 256 characters" 400 to POST "/reports/$A/disclosures" "$T_NISC" \
    "{\"basis\": \"law\", \"reason\": \"r\", \"to\": \"$(printf 'x%.0s' $(seq 1 257))\"}"
bad "an unknown member" 400 by_org POST "/reports/$A/disclosures" "$T_NISC" '{"basis": "law", "reason": "r", "to": "t", "by_org": 1}'
bad "not an object" 400 "" POST "/reports/$A/disclosures" "$T_NISC" '["law"]'
api POST "/reports/$A/disclosures" "@$WORK/huge.json" "$T_NISC"
expect_status 413 "a body over the limit -> 413"
dump_unchanged "refused disclosures wrote nothing (database dump unchanged)"
eq "two disclosures stored for A, none elsewhere" \
    "$(db_sql "SELECT report || ':' || count(*) FROM report_disclosures GROUP BY report ORDER BY report")" "$A:2"

# ---- audited ----
api GET "/audit?limit=500" "" "$ADMIN"
eq "report.disclose audited for each, with the basis, by the deciding org" \
    "$(jqv "[.items[] | select(.action == \"report.disclose\" and .item == \"report:$A\") | [.detail.basis, .detail.disclosure, .org] | map(tostring) | join(\"/\")] | join(\",\")")" \
    "law/$DL/$NISC,consent/$DC/$MIN_F"
api GET /audit/verify "" "$ADMIN"
eq "the audit chain verifies" "$(jqv .ok)" true

# ---- nothing leaves the TLP range without a basis ----
api GET "/reports/$A" "" "$T_CB"
expect_status 404 "the cyberspace business does not read the AMBER report"
bad "a share outside AMBER without a basis" 403 to.0 POST "/reports/$A/share" "$T_NISC" "{\"to\": [$CB]}"
bad "a share naming no disclosure id" 400 disclosure POST "/reports/$A/share" "$T_NISC" "{\"to\": [$CB], \"disclosure\": \"law\"}"
disclose "$T_NISC" "$G" public_interest "人の生命、健康、生活又は財産を保護するため" "一般"
expect_status 201 "a public_interest disclosure on another report"
DG=$(jqv .id)
bad "a share naming another report's disclosure" 400 disclosure POST "/reports/$A/share" "$T_NISC" \
    "{\"to\": [$CB], \"disclosure\": $DG}"
bad "a share naming a missing disclosure" 400 disclosure POST "/reports/$A/share" "$T_NISC" \
    "{\"to\": [$CB], \"disclosure\": 999999}"
api GET "/reports/$A" "" "$T_CB"
expect_status 404 "refused shares gave the cyberspace business nothing"
api POST "/reports/$A/share" "{\"to\": [$CB], \"disclosure\": $DL}" "$T_NISC"
expect_status 200 "NISC shares outside AMBER under the 'law' disclosure -> 200"
api GET "/reports/$A" "" "$T_CB"
expect_status 200 "the target now reads the report"
eq "and sees the disclosures, the basis it was given it under among them" "$(jqv '[.disclosures[].id] | join(",")')" "$DL,$DC"
api GET "/audit?limit=500" "" "$ADMIN"
eq "the share's audit entry carries the disclosure and its basis" \
    "$(jqv "[.items[] | select(.action == \"report.share\" and .item == \"report:$A\") | [.detail.disclosure, .detail.basis] | map(tostring) | join(\"/\")] | last")" \
    "$DL/law"
bad "the target cannot share it further" 403 "" POST "/reports/$A/share" "$T_CB" "{\"to\": [$OP2], \"disclosure\": $DL}"

# ---- an anonymised report: the source sees by_org = the deciding org ----
V=$(submit "$T_OP1" via_ceptoar "$(mkform amber finance)")
forward "$T_CEP" "$V"
forward "$T_MIN" "$V"
disclose "$T_NISC" "$V" public_interest "同種の攻撃による被害拡大防止" "同業他社"
expect_status 201 "NISC records a disclosure on an anonymised report"
DV=$(jqv .id)
bad "its CEPTOAR secretariat (on the path) may not" 403 "" POST "/reports/$V/disclosures" "$T_CEP" \
    '{"basis": "consent", "reason": "r", "to": "t"}'
for who in T_CEP T_MIN T_OP1; do
	api GET "/reports/$V" "" "${!who}"
	eq "$who sees the anonymised report's disclosure by NISC" \
	    "$(jqv '[.disclosures[] | [.id, .basis, .by_org] | map(tostring) | join("/")] | join(",")')" "$DV/public_interest/$NISC"
done
eq "no disclosure row names the anonymised source" \
    "$(db_sql "SELECT count(*) FROM report_disclosures WHERE report = $V AND by_org IN ($OP1, $CEP_F)")" 0

# ---- the CLI ----
export HOME=$WORK/home
mkdir -p "$HOME"
unset XDG_CONFIG_HOME CISHARE_CONFIG CISHARE_CACERT
export CISHARE_URL=http://127.0.0.1:$PORT
cli() { # TOKEN ARGS... -> CLI_RC, CLI_OUT, CLI_ERR
	local tok=$1
	shift
	CLI_RC=0
	CISHARE_TOKEN=$tok "$CISHARE" "$@" >"$WORK/cli.out" 2>"$WORK/cli.err" || CLI_RC=$?
	CLI_OUT=$(cat "$WORK/cli.out")
	CLI_ERR=$(cat "$WORK/cli.err")
	LAST="cishare $*"
	STATUS="exit $CLI_RC"
	BODY="stdout: ${CLI_OUT:0:300} | stderr: ${CLI_ERR:0:300}"
}
cli "$T_MIN" report disclose "$G" --basis consent --reason $'報告元の了承\n（電話 12/03）' --to "業界団体"
ok "report disclose prints 'disclosure <id> recorded'" '[ "$CLI_RC" == 0 ] && [[ $CLI_OUT =~ ^disclosure\ [0-9]+\ recorded$ ]]'
cli "$T_OP1" report show "$G"
ok "report show lists the disclosures with basis, org, to and the reason's lines" \
    '[ "$CLI_RC" == 0 ] && grep -q "^disclosures" "$WORK/cli.out" && grep -qE "^  $DG  public_interest  .*  by org $NISC  to 一般$" "$WORK/cli.out" && grep -qE "  consent  .*  by org $MIN_F  to 業界団体$" "$WORK/cli.out" && grep -q "^    （電話 12/03）$" "$WORK/cli.out"'
cli "$T_NISC" report disclose "$G" --basis court --reason r --to t
ok "an unknown --basis is a usage error naming the allowed values" \
    '[ "$CLI_RC" == 64 ] && grep -q "law" "$WORK/cli.err" && grep -q "public_interest" "$WORK/cli.err"'
cli "$T_NISC" report disclose "$G" --basis law --to t
ok "--reason is required" '[ "$CLI_RC" == 64 ] && grep -q -- "--reason is required" "$WORK/cli.err"'
cli "$T_OP1" report disclose "$G" --basis law --reason r --to t
ok "the server's 403 exits 1" '[ "$CLI_RC" == 1 ] && grep -q "HTTP 403" "$WORK/cli.err"'
AG=$(mkorg "D IPA" cybersecurity_agency '[]' null false)
cli "$T_NISC" report share "$A" "$AG"
ok "report share outside the range without --disclosure exits 1 (403)" '[ "$CLI_RC" == 1 ] && grep -q "HTTP 403" "$WORK/cli.err"'
cli "$T_NISC" report share "$A" "$AG" --disclosure "$DL"
ok "report share --disclosure shares outside the range" '[ "$CLI_RC" == 0 ] && [ "$CLI_OUT" == "report $A shared with $AG" ]'

