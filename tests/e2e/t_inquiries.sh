#!/usr/bin/env bash
# Inquiries (問合せ) about an advisory (issue 15 item 3; API.md
# "Disclosure basis, sample requests, inquiries"): the 情報提供様式 names NISC
# as the contact for inquiries from CI ministries only.  A ministry liaison
# of an organisation the advisory reached asks NISC (201); operators and
# CEPTOARs get 403, a ministry it never reached 404, like a missing id;
# NISC reads every inquiry, a ministry its own; NISC answers once.  An
# operator's question reaches NISC through its ministry: the operator asks
# the ministry that received the advisory for its sector, which answers it
# or forwards it as its own inquiry (NISC never learns who asked) and the
# asker sees NISC's answer.  Bad input names the field; every step is
# audited and tells the other side (inbox events); the CLI does the same.
. "$(dirname "$0")/lib.sh"
start_server

ref_orgs NISC=nisc FSA=ci_ministry:finance METI=ci_ministry:electricity \
    MIC=ci_ministry:ict
orgs "Q " <<'EOF2'
CEP	ceptoar_secretariat	["finance"]	-	銀行等セプターQ
B1	ci_operator		["finance"]	CEP	みなと銀行Q
B2	ci_operator		["finance"]	-	さくら銀行Q
EOF2
tokens <<'EOF2'
T_NISC	NISC	q-nisc		analyst
T_NISC2	NISC	q-nisc-m	member
T_FSA	FSA	q-fsa		liaison
T_FSAM	FSA	q-fsa-m		member
T_METI	METI	q-meti		liaison
T_MIC	MIC	q-mic		liaison
T_CEP	CEP	q-cep		poc
T_B1	B1	q-b1		member
T_B2	B2	q-b2		member
EOF2

A=$(adv_issue "$T_NISC" "$(mkadv amber)")
api POST "/advisories/$A/relay" "{\"to\": [$CEP]}" "$T_FSA"
expect_status 200 "setup: the ministry relays to the CEPTOAR"
api POST "/advisories/$A/relay" "{\"to\": [$B1]}" "$T_CEP"
expect_status 200 "setup: the CEPTOAR relays to its member"

# ---- who may send an inquiry ----
api POST "/advisories/$A/inquiries" '{"text": "対象製品の版数を教えてください"}' "$T_FSA"
expect_status 201 "a ministry liaison the advisory reached sends NISC an inquiry"
I1=$(jqv .id)
api POST "/advisories/$A/inquiries" '{"text": "電力分野への影響は"}' "$T_METI"
expect_status 201 "the other ministry it reached sends one too"
I2=$(jqv .id)
api POST "/advisories/$A/inquiries" '{"text": "x"}' "$T_B1"
expect_error "" 403 "an operator the advisory reached -> 403 (it asks its ministry)"
api POST "/advisories/$A/inquiries" '{"text": "x"}' "$T_CEP"
expect_error "" 403 "a CEPTOAR the advisory reached -> 403"
api POST "/advisories/$A/inquiries" '{"text": "x"}' "$T_FSAM"
expect_error "" 403 "a ministry user without the liaison role -> 403"
api POST "/advisories/$A/inquiries" '{"text": "x"}' "$T_NISC"
expect_error "" 403 "NISC does not ask itself -> 403"
api POST "/advisories/$A/inquiries" '{"text": "x"}' "$T_MIC"
expect_error "" 404 "a ministry the advisory never reached -> 404"
MIC_404=$BODY
api POST "/advisories/999999/inquiries" '{"text": "x"}' "$T_MIC"
expect_error "" 404 "a missing advisory -> 404"
eq "never reached and missing answer alike" "$(jq -c .error <<<"$MIC_404")" "$(jq -c .error <<<"$BODY")"
api POST "/advisories/$A/inquiries" '{"text": "x"}' "$T_B2"
expect_error "" 404 "an operator it never reached -> 404 (not 403: no existence leak)"

# ---- bad input ----
bad "no text" 400 text POST "/advisories/$A/inquiries" "$T_FSA" '{}'
bad "empty text" 400 text POST "/advisories/$A/inquiries" "$T_FSA" '{"text": ""}'
bad "text not a string" 400 text POST "/advisories/$A/inquiries" "$T_FSA" '{"text": 12}'
bad "an unknown member" 400 to POST "/advisories/$A/inquiries" "$T_FSA" '{"text": "x", "to": 1}'
LONG=$(head -c 4001 /dev/zero | tr '\0' 'a')
bad "text over 4000 characters" 400 text POST "/advisories/$A/inquiries" "$T_FSA" "{\"text\": \"$LONG\"}"
api POST "/advisories/$A/inquiries" '{"text": ' "$T_FSA"
expect_error "" 400 "malformed JSON -> 400"
api GET "/advisories/$A/inquiries" "" "$T_NISC"
eq "nothing half-written: NISC sees exactly the two inquiries" "$(jqv '.items | length')" 2

# ---- who reads them ----
eq "NISC reads every inquiry with the asking ministry" \
    "$(jqv '[.items[].org] | sort | join(",")')" "$(printf '%s\n' "$FSA" "$METI" | sort -n | paste -sd,)"
eq "an inquiry is open until answered" "$(jqv '[.items[].state] | unique | join(",")')" open
api GET "/advisories/$A/inquiries" "" "$T_FSA"
eq "a ministry reads its own only" "$(jqv '[.items[].id] | join(",")')" "$I1"
api GET "/advisories/$A/inquiries" "" "$T_B1"
eq "an operator reads none" "$(jqv '.items | length')" 0
api GET "/advisories/$A/inquiries" "" "$T_MIC"
expect_error "" 404 "a ministry it never reached cannot list them -> 404"

# ---- answers ----
api POST "/inquiries/$I1/answer" '{"text": "v2.3 以前が対象です"}' "$T_FSA"
expect_error "" 403 "a ministry does not answer -> 403"
api POST "/inquiries/$I1/answer" '{"text": "x"}' "$T_NISC2"
expect_error "" 403 "a NISC member without the analyst role -> 403"
api POST "/inquiries/$I1/answer" '{"text": "x"}' "$T_B2"
expect_error "" 404 "an outsider answering -> 404"
bad "an answer without text" 400 text POST "/inquiries/$I1/answer" "$T_NISC" '{}'
bad "an answer to a missing inquiry" 404 "" POST "/inquiries/999999/answer" "$T_NISC" '{"text": "x"}'
api POST "/inquiries/$I1/answer" '{"text": "v2.3 以前が対象です"}' "$T_NISC"
expect_status 200 "NISC answers the ministry's inquiry"
eq "the answer is in the reply" "$(jqv .answer)" "v2.3 以前が対象です"
api POST "/inquiries/$I1/answer" '{"text": "again"}' "$T_NISC"
expect_error "" 409 "answering twice -> 409"
api GET "/advisories/$A/inquiries" "" "$T_FSA"
eq "the ministry reads NISC's answer" "$(jqv '.items[0].state + " " + .items[0].answer')" "answered v2.3 以前が対象です"

# ---- an operator's question reaches NISC through its ministry ----
api POST "/advisories/$A/questions" '{"text": "当行の勘定系は対象か"}' "$T_B1"
expect_status 201 "the operator asks its ministry about the advisory"
Q1=$(jqv .id)
api POST "/advisories/$A/questions" '{"text": "x"}' "$T_B2"
expect_error "" 404 "an operator the advisory never reached cannot ask -> 404"
api POST "/advisories/$A/questions" '{"text": "x"}' "$T_FSA"
expect_error "" 403 "a ministry sends an inquiry instead -> 403"
bad "a question without text" 400 text POST "/advisories/$A/questions" "$T_B1" '{}'
api GET "/advisories/$A/questions" "" "$T_FSA"
eq "the finance ministry (which received it for the bank's sector) has the question" \
    "$(jqv '[.items[] | "\(.id) \(.ministry) \(.state)"] | join(",")')" "$Q1 $FSA open"
api GET "/advisories/$A/questions" "" "$T_METI"
eq "the electricity ministry does not see it" "$(jqv '.items | length')" 0
api GET "/advisories/$A/questions" "" "$T_NISC"
eq "NISC does not see the question itself" "$(jqv '.items | length')" 0
api POST "/questions/$Q1/forward" '{}' "$T_METI"
expect_error "" 404 "another ministry cannot forward it -> 404"
api POST "/questions/$Q1/forward" '{}' "$T_B1"
expect_error "" 403 "the asker cannot forward it -> 403"
api POST "/questions/$Q1/forward" '{"text": "金融機関から: 勘定系は対象か"}' "$T_FSA"
expect_status 201 "the ministry forwards the question to NISC as its inquiry"
I3=$(jqv .inquiry)
api POST "/questions/$Q1/forward" '{}' "$T_FSA"
expect_error "" 409 "forwarding twice -> 409"
api POST "/questions/$Q1/answer" '{"text": "x"}' "$T_FSA"
expect_error "" 409 "a forwarded question is not answered by the ministry -> 409"
api GET "/advisories/$A/inquiries" "" "$T_NISC"
eq "NISC reads the forwarded inquiry as the ministry's" \
    "$(jqv ".items[] | select(.id == $I3) | \"\(.org) \(.question) \(.text)\"")" "$FSA $Q1 金融機関から: 勘定系は対象か"
ok "NISC is not told which bank asked" '! grep -q "みなと銀行Q" <<<"$BODY"'
api POST "/inquiries/$I3/answer" '{"text": "勘定系は対象外です"}' "$T_NISC"
expect_status 200 "NISC answers the forwarded inquiry"
api GET "/advisories/$A/questions" "" "$T_B1"
eq "the bank reads NISC's answer on its question" \
    "$(jqv '.items[0] | "\(.state) \(.answered_by) \(.answer)"')" "answered nisc 勘定系は対象外です"
api POST "/advisories/$A/questions" '{"text": "連絡先は"}' "$T_B1"
Q2=$(jqv .id)
api POST "/questions/$Q2/answer" '{"text": "金融庁の窓口へどうぞ"}' "$T_FSA"
expect_status 200 "the ministry answers a question itself"
eq "answered by the ministry" "$(jqv '.answered_by')" ministry

# ---- audit and events ----
AUD=$(audit_all "$ADMIN")
eq "every step is audited" \
    "$(jq -c '[.[] | select(.action | test("^(inquiry|question)\\.")) | .action] | unique' <<<"$AUD")" \
    '["inquiry.answer","inquiry.list","inquiry.send","question.answer","question.ask","question.forward","question.list"]'

# ---- the CLI ----
cli() { CISHARE_URL=http://127.0.0.1:$PORT CISHARE_TOKEN=$1 "$CISHARE" "${@:2}"; }
OUT=$(cli "$T_FSA" inquiry send "$A" "CLIからの問合せ")
ok "cishare inquiry send" 'grep -qE "^inquiry [0-9]+$" <<<"$OUT"'
I4=${OUT#inquiry }
OUT=$(cli "$T_NISC" inquiry list "$A")
ok "cishare inquiry list shows NISC the open inquiry" 'grep -qE "^$I4 .*open.*CLIからの問合せ" <<<"$OUT"'
OUT=$(cli "$T_NISC" inquiry answer "$I4" "CLIからの回答")
ok "cishare inquiry answer" 'grep -qE "^inquiry $I4 answered$" <<<"$OUT"'
OUT=$(cli "$T_B1" inquiry ask "$A" "CLIからの質問")
ok "cishare inquiry ask (an operator's question to its ministry)" 'grep -qE "^question [0-9]+$" <<<"$OUT"'
Q3=${OUT#question }
OUT=$(cli "$T_FSA" inquiry questions "$A")
ok "cishare inquiry questions shows the ministry the question" 'grep -qE "^$Q3 .*open.*CLIからの質問" <<<"$OUT"'
OUT=$(cli "$T_FSA" inquiry forward "$Q3")
ok "cishare inquiry forward" 'grep -qE "^inquiry [0-9]+$" <<<"$OUT"'
OUT=$(cli "$T_B1" inquiry send "$A" "x" 2>&1); RC=$?
ok "cishare inquiry send by an operator fails (403)" '[ "$RC" != 0 ]'
stop_server
