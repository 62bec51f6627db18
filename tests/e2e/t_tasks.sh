#!/usr/bin/env bash
# Tasks (issue 15 item 4): GET /tasks gives each user one to-do count and
# list — reports waiting for its forward (CEPTOAR secretariat, ministry),
# NISC's received reports not yet done (未処理, or 担当 = assigned to the
# caller) with POST /reports/{id}/triage, consents (widening requests)
# waiting for the source, advisories waiting for approval (another
# approver), relay or acknowledgement, overdue acknowledgements, and the
# inquiries and questions to answer.  Every item is labelled with its R-
# or T-number (never an internal id) and links to its page; a task goes
# away when it is done; nobody sees another's; the CLI prints the list.
. "$(dirname "$0")/lib.sh"
export CISHARED_REMINDER_INTERVAL=2
start_server

ref_orgs NISC=nisc FSA=ci_ministry:finance
orgs "K " <<'EOF2'
CEP	ceptoar_secretariat	["finance"]	-	銀行等セプターK
B1	ci_operator		["finance"]	CEP	みなと銀行K
B2	ci_operator		["finance"]	-	さくら銀行K
EOF2
tokens <<'EOF2'
T_NISC	NISC	k-nisc		analyst
T_NISC2	NISC	k-nisc2		analyst
T_AP	NISC	k-nisc-ap	approver
T_FSA	FSA	k-fsa		liaison
T_CEP	CEP	k-cep		poc
T_B1	B1	k-b1		member
T_B2	B2	k-b2		member
EOF2

# kinds TOKEN -> "kind:label" of every task, sorted, comma-separated
kinds() {
	api GET /tasks "" "$1"
	jqv '[.items[] | "\(.kind):\(.label)"] | sort | join(",")'
}

api GET /tasks "" "$T_B1"
expect_status 200 "GET /tasks answers an operator"
eq "an empty list counts 0" "$(jqv .count)" 0

# ---- reports waiting for a forward, then NISC's handling state ----
R=$(submit "$T_B1" via_ceptoar "$(mkform amber finance)")
eq "the CEPTOAR has the anonymised report to forward (not numbered yet)" "$(kinds "$T_CEP")" "report_forward:"
api GET /tasks "" "$T_CEP"
eq "its link is the report's page" "$(jqv '.items[0].link')" "/reports/$R"
eq "the ministry has nothing yet" "$(kinds "$T_FSA")" ""
forward "$T_CEP" "$R"
eq "forwarded: gone from the CEPTOAR's list" "$(kinds "$T_CEP")" ""
eq "the ministry now has it to forward" "$(kinds "$T_FSA")" "report_forward:"
forward "$T_FSA" "$R"
api GET "/reports/$R" "" "$T_NISC"
RN=$(jqv .identification_number)
eq "the ministry's list is empty again" "$(kinds "$T_FSA")" ""
eq "NISC's analyst has the received report, by its R-number, 未処理" "$(kinds "$T_NISC")" "report_triage:$RN"
api GET /tasks "" "$T_NISC"
eq "its state is open" "$(jqv '.items[0].state')" open
bad "a triage state that does not exist" 400 state POST "/reports/$R/triage" "$T_NISC" '{"state": "later"}'
bad "a triage without state" 400 state POST "/reports/$R/triage" "$T_NISC" '{}'
bad "a ministry cannot set NISC's handling state" 403 "" POST "/reports/$R/triage" "$T_FSA" '{"state": "done"}'
bad "an invisible report is missing" 404 "" POST "/reports/$R/triage" "$T_B2" '{"state": "done"}'
bad "a missing report" 404 "" POST "/reports/999999/triage" "$T_NISC" '{"state": "done"}'
api POST "/reports/$R/triage" '{"state": "assigned"}' "$T_NISC"
expect_status 200 "an analyst takes the report (担当)"
eq "assigned to the caller" "$(jqv '"\(.state) \(.identification_number)"')" "assigned $RN"
eq "still on the assignee's list, as assigned" "$(kinds "$T_NISC")" "report_triage:$RN"
eq "gone from the other analyst's list" "$(kinds "$T_NISC2")" ""
api GET /triage "" "$T_NISC2"
eq "GET /triage shows who handles it" "$(jqv ".items[] | select(.report == $R) | \"\(.state) \(.assignee_name)\"")" "assigned user k-nisc"
api POST "/reports/$R/triage" '{"state": "done"}' "$T_NISC"
expect_status 200 "the analyst marks it done (処理済)"
eq "done: on nobody's list" "$(kinds "$T_NISC")$(kinds "$T_NISC2")" ""
R2=$(submit "$T_B2" direct "$(mkform amber finance)")
api POST "/reports/$R2/triage" '{"state": "open"}' "$T_NISC"
expect_error "" 404 "a direct report the ministry has not forwarded is not NISC's to handle -> 404"
forward "$T_FSA" "$R2"
api GET "/reports/$R2" "" "$T_NISC"
RN2=$(jqv .identification_number)

# ---- consent (widening) waiting for the source ----
api POST "/reports/$R2/widening-requests" '{"tlp": "green", "sectors": ["finance", "electricity"], "reason": "電力へも共有"}' "$T_NISC"
expect_status 201 "setup: NISC asks the bank to widen"
W=$(jqv .id)
eq "the source has the consent to decide, by the report's R-number" "$(kinds "$T_B2")" "consent:$RN2"
api GET /tasks "" "$T_B2"
eq "it names the widening request and the report" "$(jqv '"\(.items[0].id) \(.items[0].report)"')" "$W $R2"
eq "another bank has none" "$(kinds "$T_B1")" ""
api POST "/widening-requests/$W/approve" '' "$T_B2"
expect_status 200 "setup: the bank approves"
eq "decided: gone" "$(kinds "$T_B2")" ""

# ---- advisories: approval, relay, acknowledgement ----
A=$(adv_issue "$T_NISC" "$(mkadv amber '.importance = "alert" | .recipients = [{sector: "finance"}]')")
api GET "/advisories/$A" "" "$T_NISC"
TA=$(jqv .identification_number)
eq "the alert waits for a second pair of eyes" "$(jqv .state)" pending_approval
api GET /tasks "" "$T_AP"
eq "the approver has it to approve, by its T-number, marked alert" \
    "$(jqv '[.items[] | select(.kind == "approval") | "\(.label) \(.importance)"] | join(",")')" "$TA alert"
api GET /tasks "" "$T_NISC"
eq "the drafter (not an approver) has no approval task" "$(jqv '[.items[] | select(.kind == "approval")] | length')" 0
api POST "/advisories/$A/approve" '' "$T_AP"
expect_status 200 "setup: approved and delivered"
eq "the ministry has it to relay and to acknowledge" "$(kinds "$T_FSA")" "ack:$TA,relay:$TA"
api POST "/advisories/$A/relay" "{\"to\": [$CEP]}" "$T_FSA"
expect_status 200 "setup: the ministry relays to the CEPTOAR"
# A relay acknowledges for the relaying organisation (issue 15).
eq "relayed, which acknowledges: the ministry's list is empty" "$(kinds "$T_FSA")" ""
eq "the CEPTOAR has it to relay and acknowledge" "$(kinds "$T_CEP")" "ack:$TA,relay:$TA"
sleep 2.2
eq "two seconds later the CEPTOAR's acknowledgement is overdue" "$(kinds "$T_CEP")" "ack_overdue:$TA,relay:$TA"
api GET /tasks "" "$T_NISC"
eq "NISC sees one overdue acknowledgement on the advisory" \
    "$(jqv '[.items[] | select(.kind == "acks_overdue") | "\(.label) \(.count)"] | join(",")')" "$TA 1"

# ---- inquiries and questions ----
api POST "/advisories/$A/relay" "{\"to\": [$B1]}" "$T_CEP"
expect_status 200 "setup: the CEPTOAR relays to its member"
api POST "/advisories/$A/questions" '{"text": "対象は"}' "$T_B1"
Q=$(jqv .id)
api GET /tasks "" "$T_FSA"
eq "the ministry has the bank's question to handle" "$(jqv '[.items[] | select(.kind == "question") | "\(.id) \(.label) \(.link)"] | join(",")')" "$Q $TA /advisories/$A"
api POST "/questions/$Q/forward" '{}' "$T_FSA"
I=$(jqv .inquiry)
api GET /tasks "" "$T_NISC2"
eq "NISC has the inquiry to answer" "$(jqv '[.items[] | select(.kind == "inquiry") | "\(.id) \(.label)"] | join(",")')" "$I $TA"
api POST "/inquiries/$I/answer" '{"text": "全版"}' "$T_NISC2"
api GET /tasks "" "$T_NISC2"
eq "answered: gone" "$(jqv '[.items[] | select(.kind == "inquiry")] | length')" 0
api GET /tasks "" "$T_FSA"
eq "the forwarded question is gone from the ministry's list" "$(jqv '[.items[] | select(.kind == "question")] | length')" 0

# ---- counts, ids, audit, the CLI ----
api GET /tasks "" "$T_CEP"
eq "count is the number of items" "$(jqv '.count == (.items | length)')" true
ok "no label is an internal id (#n)" '! jqv ".items[].label" | grep -q "^#"'
AUD=$(audit_all "$ADMIN")
eq "the handling state changes are audited" "$(jq '[.[] | select(.action == "report.triage")] | length' <<<"$AUD")" 2
ok "reading the list is audited (tasks.read)" '[ "$(jq "[.[] | select(.action == \"tasks.read\")] | length" <<<"$AUD")" -gt 10 ]'
cli() { CISHARE_URL=http://127.0.0.1:$PORT CISHARE_TOKEN=$1 "$CISHARE" "${@:2}"; }
# The bank got it from the CEPTOAR's relay and has not acknowledged: overdue by now.
sleep 2.2
OUT=$(cli "$T_B1" tasks)
ok "cishare tasks prints the count" 'grep -qE "^1 tasks$" <<<"$OUT"'
ok "cishare tasks lists the overdue acknowledgement by T-number" 'grep -qE "^ack_overdue +advisory:$A +$TA " <<<"$OUT"'
stop_server
