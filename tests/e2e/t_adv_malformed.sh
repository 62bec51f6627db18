#!/usr/bin/env bash
# Malformed and refused requests on the advisory endpoints (POST
# /advisories, relay, ack, approve, follow-ups, widening requests,
# notification channels, inbox, stream): each answers 4xx with a JSON error
# naming the field at fault, and the whole batch leaves the database
# unchanged (sha256 of the database dump, db_dump; no successful request in between,
# since successful reads are audited).
. "$(dirname "$0")/lib.sh"
start_server

ref_orgs NISC=nisc CAS=cas_crisis_management FSA=ci_ministry:finance METI=ci_ministry:electricity
sector_population "X "
tokens <<'EOF'
T_NISC		NISC	x-nisc		analyst
T_AP		NISC	x-nisc-ap	approver
T_NMEM		NISC	x-nisc-member	member
T_FSA		FSA	x-fsa		liaison
T_FSAM		FSA	x-fsa-member	member
T_CEP		CEP_F	x-cep		poc
T_CEPLIA	CEP_F	x-cep-liaison	liaison
T_OP		OP1	x-op		member
T_OPADM		OP1	x-op-admin	org_admin
T_OP2		OP2	x-op2		member
T_OP2ADM	OP2	x-op2-admin	org_admin
T_OPE		OPE	x-ope		member
EOF
api GET /me "" "$T_OP2"
OP2_UID=$(jqv .id)
api GET /me "" "$T_OP2ADM"
OP2ADM_UID=$(jqv .id)

# fixtures, all made before the snapshot
A=$(adv_issue "$T_NISC" "$(mkadv amber)")                     # AMBER finance+electricity
api POST "/advisories/$A/relay" "{\"to\": [$CEP_F]}" "$T_FSA"; expect_status 200 "setup: FSA relays AMBER to its CEPTOAR"
api POST "/advisories/$A/relay" "{\"to\": [$OP1]}" "$T_CEP"; expect_status 200 "setup: the CEPTOAR relays AMBER to a member"
AR=$(adv_issue "$T_NISC" "$(mkadv red)")                      # RED
api POST /advisories "{\"form\": $(mkadv amber '.importance = "alert"')}" "$T_NISC"
expect_status 201 "setup: a 警報 draft"
AP=$(jqv .id)                                                 # pending_approval
RA=$(submit "$T_OP" direct "$(mkform amber finance)")
forward "$T_FSA" "$RA"                                        # at NISC
RN=$(submit "$T_OP" direct "$(mkform amber finance)")         # at the ministry
api POST "/reports/$RA/widening-requests" '{"tlp": "green"}' "$T_NISC"
expect_status 201 "setup: a pending widening request"
W=$(jqv .id)

F0=$(mkadv amber)
B0="{\"urgent\":false,\"form\":$F0}"
rb() { jq -c "$1" <<<"$B0"; }    # the valid body B0 changed by JQ

dump_mark

# --- POST /advisories: syntax and shape ---
bad "advisory: truncated JSON" 400 "" POST /advisories "$T_NISC" '{"form":'
bad "advisory: body an array" 400 "" POST /advisories "$T_NISC" '[]'
bad "advisory: empty body" 400 "" POST /advisories "$T_NISC" ''
bad "advisory: duplicate key" 400 "" POST /advisories "$T_NISC" "{\"urgent\":false,\"urgent\":true,\"form\":$F0}"
bad "advisory: unknown top-level field" 400 bogus POST /advisories "$T_NISC" "$(rb '.bogus = 1')"
bad "advisory: unknown form field" 400 form.bogus POST /advisories "$T_NISC" "$(rb '.form.bogus = 1')"
bad "advisory: unknown field in threat_content" 400 form.threat_content.bogus POST /advisories "$T_NISC" "$(rb '.form.threat_content.bogus = "x"')"
bad "advisory: form missing" 400 form POST /advisories "$T_NISC" '{"urgent": false}'
bad "advisory: form a string" 400 form POST /advisories "$T_NISC" '{"form": "x"}'
# --- recipients ---
bad "advisory: recipients missing" 400 form.recipients POST /advisories "$T_NISC" "$(rb 'del(.form.recipients)')"
bad "advisory: recipients empty" 400 form.recipients POST /advisories "$T_NISC" "$(rb '.form.recipients = []')"
bad "advisory: recipients an object" 400 form.recipients POST /advisories "$T_NISC" "$(rb '.form.recipients = {sector: "finance"}')"
bad "advisory: recipient sector unknown" 400 form.recipients.0.sector POST /advisories "$T_NISC" "$(rb '.form.recipients[0].sector = "banking"')"
bad "advisory: second recipient's sector unknown" 400 form.recipients.1.sector POST /advisories "$T_NISC" "$(rb '.form.recipients[1].sector = "Finance"')"
bad "advisory: recipient without sector" 400 form.recipients.0.sector POST /advisories "$T_NISC" "$(rb ".form.recipients = [{ministry: $FSA}]")"
bad "advisory: recipient with an unknown field" 400 form.recipients.0.bogus POST /advisories "$T_NISC" "$(rb '.form.recipients[0].bogus = 1')"
bad "advisory: ministry not the sector's (METI for finance)" 400 form.recipients.0.ministry POST /advisories "$T_NISC" \
    "$(rb ".form.recipients[0].ministry = $METI")"
bad "advisory: ministry id of a CEPTOAR" 400 form.recipients.0.ministry POST /advisories "$T_NISC" "$(rb ".form.recipients[0].ministry = $CEP_F")"
bad "advisory: ministry id unknown" 400 form.recipients.0.ministry POST /advisories "$T_NISC" "$(rb '.form.recipients[0].ministry = 999999')"
bad "advisory: ministry id 0" 400 form.recipients.0.ministry POST /advisories "$T_NISC" "$(rb '.form.recipients[0].ministry = 0')"
bad "advisory: ministry a boolean" 400 form.recipients.0.ministry POST /advisories "$T_NISC" "$(rb '.form.recipients[0].ministry = true')"
# --- enums and values ---
bad "advisory: tlp not a level" 400 form.tlp POST /advisories "$T_NISC" "$(rb '.form.tlp = "purple"')"
bad "advisory: tlp 'white'" 400 form.tlp POST /advisories "$T_NISC" "$(rb '.form.tlp = "white"')"
bad "advisory: tlp missing" 400 form.tlp POST /advisories "$T_NISC" "$(rb 'del(.form.tlp)')"
bad "advisory: importance unknown" 400 form.importance POST /advisories "$T_NISC" "$(rb '.form.importance = "critical"')"
bad "advisory: has_attachment missing" 400 form.has_attachment POST /advisories "$T_NISC" "$(rb 'del(.form.has_attachment)')"
bad "advisory: urgent a string" 400 urgent POST /advisories "$T_NISC" "$(rb '.urgent = "yes"')"
bad "advisory: urgent a number" 400 urgent POST /advisories "$T_NISC" "$(rb '.urgent = 1')"
bad "advisory: identification_number set" 400 form.identification_number POST /advisories "$T_NISC" "$(rb '.form.identification_number = "T99"')"
bad "advisory: provided_at not RFC 3339" 400 form.provided_at POST /advisories "$T_NISC" "$(rb '.form.provided_at = "2026/11/21"')"
bad "advisory: advisory_sequence_number 0" 400 form.advisory_sequence_number POST /advisories "$T_NISC" "$(rb '.form.advisory_sequence_number = 0')"
bad "advisory: summary a number" 400 form.threat_content.summary POST /advisories "$T_NISC" "$(rb '.form.threat_content.summary = 5')"
bad "advisory: countermeasures over 8000 characters" 400 form.countermeasures POST /advisories "$T_NISC" \
    "$(rb ".form.countermeasures = \"$(printf 'x%.0s' $(seq 1 8001))\"")"
# --- related reports ---
bad "advisory: related_reports forged id" 400 related_reports.0 POST /advisories "$T_NISC" "$(rb '.related_reports = [999999]')"
bad "advisory: related_reports second id forged" 400 related_reports.1 POST /advisories "$T_NISC" "$(rb ".related_reports = [$RA, 999999]")"
bad "advisory: related report still at the ministry" 400 related_reports.0 POST /advisories "$T_NISC" "$(rb ".related_reports = [$RN]")"
bad "advisory: related_reports not an array" 400 related_reports POST /advisories "$T_NISC" "$(rb ".related_reports = $RA")"
bad "advisory: related_reports id as a string" 400 related_reports.0 POST /advisories "$T_NISC" "$(rb ".related_reports = [\"$RA\"]")"
bad "advisory: consented_sources not an array" 400 consented_sources POST /advisories "$T_NISC" "$(rb '.consented_sources = "all"')"
bad "advisory: consented_sources id -1" 400 consented_sources.0 POST /advisories "$T_NISC" "$(rb '.consented_sources = [-1]')"
# --- who issues ---
bad "advisory: by a ministry" 403 "" POST /advisories "$T_FSA" "$B0"
bad "advisory: by an operator" 403 "" POST /advisories "$T_OP" "$B0"
bad "advisory: by a NISC member (not analyst)" 403 "" POST /advisories "$T_NMEM" "$B0"
bad "advisory: by the platform admin" 403 "" POST /advisories "$ADMIN" "$B0"
bad "advisory: without a token" 401 "" POST /advisories "" "$B0"

# --- relay ---
bad "relay: to missing" 400 to POST "/advisories/$A/relay" "$T_FSA" '{}'
bad "relay: to empty" 400 to POST "/advisories/$A/relay" "$T_FSA" '{"to": []}'
bad "relay: to not an array" 400 to POST "/advisories/$A/relay" "$T_FSA" "{\"to\": $CEP_F}"
bad "relay: forged org id" 400 to.0 POST "/advisories/$A/relay" "$T_FSA" '{"to": [999999]}'
bad "relay: second org unknown" 400 to.1 POST "/advisories/$A/relay" "$T_FSA" "{\"to\": [$OP2, 999999]}"
bad "relay: org id as a string" 400 to.0 POST "/advisories/$A/relay" "$T_FSA" "{\"to\": [\"$OP2\"]}"
bad "relay: unknown field" 400 bogus POST "/advisories/$A/relay" "$T_FSA" "{\"to\": [$OP2], \"bogus\": 1}"
bad "relay: by a non-holder (nothing delivered to it)" 404 "" POST "/advisories/$A/relay" "$T_OPE" "{\"to\": [$OPE]}"
bad "relay: by an operator that holds it" 403 "" POST "/advisories/$A/relay" "$T_OP" "{\"to\": [$OP2]}"
bad "relay: by a ministry member (not liaison)" 403 "" POST "/advisories/$A/relay" "$T_FSAM" "{\"to\": [$OP2]}"
bad "relay: by a CEPTOAR liaison (not poc)" 403 "" POST "/advisories/$A/relay" "$T_CEPLIA" "{\"to\": [$OP2]}"
bad "relay: ministry to a ※1 party" 403 to.0 POST "/advisories/$A/relay" "$T_FSA" "{\"to\": [$CAS]}"
bad "relay: ministry to NISC" 403 to.0 POST "/advisories/$A/relay" "$T_FSA" "{\"to\": [$NISC]}"
bad "relay: CEPTOAR to a non-member" 403 to.0 POST "/advisories/$A/relay" "$T_CEP" "{\"to\": [$OPE]}"
bad "relay: CEPTOAR to a member after a non-member" 403 to.1 POST "/advisories/$A/relay" "$T_CEP" "{\"to\": [$OP2, $OPE]}"
bad "relay: RED by the ministry" 403 to.0 POST "/advisories/$AR/relay" "$T_FSA" "{\"to\": [$CEP_F]}"
bad "relay: NISC to a ministry" 403 to.0 POST "/advisories/$A/relay" "$T_NISC" "{\"to\": [$FSA]}"
bad "relay: a draft awaiting approval" 409 "" POST "/advisories/$AP/relay" "$T_NISC" "{\"to\": [$CAS]}"
bad "relay: unknown advisory" 404 "" POST /advisories/999999/relay "$T_FSA" "{\"to\": [$CEP_F]}"

# --- ack ---
bad "ack: by NISC (not delivered to it)" 409 "" POST "/advisories/$A/ack" "$T_NISC"
bad "ack: by an org that cannot see it" 404 "" POST "/advisories/$A/ack" "$T_OPE"
bad "ack: RED by an operator" 404 "" POST "/advisories/$AR/ack" "$T_OP"
bad "ack: a draft by the ministry" 404 "" POST "/advisories/$AP/ack" "$T_FSA"
bad "ack: unknown advisory" 404 "" POST /advisories/999999/ack "$T_OP"
bad "ack: malformed id" 404 "" POST /advisories/abc/ack "$T_OP"
bad "ack: with a non-JSON body" 400 "" POST "/advisories/$A/ack" "$T_OP" 'ack!'

# --- approve ---
bad "approve: already issued" 409 "" POST "/advisories/$A/approve" "$T_AP"
bad "approve: by the drafter's colleague without approver" 403 "" POST "/advisories/$AP/approve" "$T_NMEM"
bad "approve: by the drafter" 403 "" POST "/advisories/$AP/approve" "$T_NISC"
bad "approve: by a ministry (cannot see a draft)" 404 "" POST "/advisories/$AP/approve" "$T_FSA"
bad "approve: unknown advisory" 404 "" POST /advisories/999999/approve "$T_AP"

# --- follow-ups ---
bad "followup: form missing" 400 form POST "/advisories/$A/followups" "$T_NISC" '{}'
bad "followup: urgent is not a follow-up field" 400 urgent POST "/advisories/$A/followups" "$T_NISC" "{\"form\": $F0, \"urgent\": true}"
bad "followup: form without recipients" 400 form.recipients POST "/advisories/$A/followups" "$T_NISC" \
    "{\"form\": $(mkadv amber 'del(.recipients)')}"
bad "followup: advisory_sequence_number not an integer" 400 form.advisory_sequence_number POST "/advisories/$A/followups" "$T_NISC" \
    "{\"form\": $(mkadv amber '.advisory_sequence_number = "2"')}"
bad "followup: related_reports forged" 400 related_reports.0 POST "/advisories/$A/followups" "$T_NISC" \
    "{\"form\": $F0, \"related_reports\": [999999]}"
bad "followup: by a ministry" 403 "" POST "/advisories/$A/followups" "$T_FSA" "{\"form\": $F0}"
bad "followup: unknown advisory" 404 "" POST /advisories/999999/followups "$T_NISC" "{\"form\": $F0}"

# --- widening requests ---
bad "widening: tlp unknown" 400 tlp POST "/reports/$RA/widening-requests" "$T_NISC" '{"tlp": "white"}'
bad "widening: tlp missing" 400 tlp POST "/reports/$RA/widening-requests" "$T_NISC" '{"sectors": ["gas"]}'
bad "widening: tlp a number" 400 tlp POST "/reports/$RA/widening-requests" "$T_NISC" '{"tlp": 3}'
bad "widening: sectors not an array" 400 sectors POST "/reports/$RA/widening-requests" "$T_NISC" '{"tlp": "amber", "sectors": "gas"}'
bad "widening: sector unknown" 400 sectors.1 POST "/reports/$RA/widening-requests" "$T_NISC" '{"tlp": "amber", "sectors": ["gas", "banking"]}'
bad "widening: unknown field" 400 bogus POST "/reports/$RA/widening-requests" "$T_NISC" '{"tlp": "green", "bogus": 1}'
bad "widening: reason a number" 400 reason POST "/reports/$RA/widening-requests" "$T_NISC" '{"tlp": "green", "reason": 5}'
bad "widening: nothing wider" 400 tlp POST "/reports/$RA/widening-requests" "$T_NISC" '{"tlp": "red"}'
bad "widening: unknown report" 404 "" POST /reports/999999/widening-requests "$T_NISC" '{"tlp": "green"}'
bad "widening: report not at NISC" 404 "" POST "/reports/$RN/widening-requests" "$T_NISC" '{"tlp": "green"}'
bad "widening: by the ministry" 403 "" POST "/reports/$RA/widening-requests" "$T_FSA" '{"tlp": "green"}'
bad "widening approve: by NISC" 403 "" POST "/widening-requests/$W/approve" "$T_NISC"
# issue 10: the ministry does not see the request: absent (404)
bad "widening refuse: by the ministry" 404 "" POST "/widening-requests/$W/refuse" "$T_FSA"
bad "widening approve: by another operator" 404 "" POST "/widening-requests/$W/approve" "$T_OP2"
bad "widening refuse: by the CEPTOAR (direct report)" 404 "" POST "/widening-requests/$W/refuse" "$T_CEP"
bad "widening approve: unknown request" 404 "" POST /widening-requests/999999/approve "$T_OP"
bad "widening list: limit 0" 400 limit GET "/widening-requests?limit=0" "$T_NISC"

# --- notification channels ---
HOOK=http://127.0.0.1:9/hook
bad "channel: kind unknown" 400 kind POST /notification-channels "$T_OPADM" "{\"kind\": \"sms\", \"target\": \"$HOOK\"}"
bad "channel: kind missing" 400 kind POST /notification-channels "$T_OPADM" "{\"target\": \"$HOOK\"}"
bad "channel: target missing" 400 target POST /notification-channels "$T_OPADM" '{"kind": "webhook"}'
bad "channel: http to a non-loopback host" 400 target POST /notification-channels "$T_OPADM" '{"kind": "webhook", "target": "http://example.com/hook"}'
bad "channel: ftp URL" 400 target POST /notification-channels "$T_OPADM" '{"kind": "webhook", "target": "ftp://127.0.0.1/x"}'
bad "channel: target with a space" 400 target POST /notification-channels "$T_OPADM" '{"kind": "webhook", "target": "https://a b/"}'
bad "channel: e-mail without @" 400 target POST /notification-channels "$T_OPADM" '{"kind": "email", "target": "soc.minato.example"}'
bad "channel: target a number" 400 target POST /notification-channels "$T_OPADM" '{"kind": "email", "target": 5}'
bad "channel: unknown field" 400 bogus POST /notification-channels "$T_OPADM" "{\"kind\": \"webhook\", \"target\": \"$HOOK\", \"bogus\": 1}"
bad "channel: user of another org" 400 user POST /notification-channels "$T_OPADM" "{\"kind\": \"webhook\", \"target\": \"$HOOK\", \"user\": $OP2_UID}"
bad "channel: user unknown" 400 user POST /notification-channels "$T_OPADM" "{\"kind\": \"webhook\", \"target\": \"$HOOK\", \"user\": 999999}"
bad "channel: org not an integer" 400 org POST /notification-channels "$T_OPADM" "{\"kind\": \"webhook\", \"target\": \"$HOOK\", \"org\": \"$OP1\"}"
bad "channel: a member sets up its org's channel" 403 "" POST /notification-channels "$T_OP" "{\"kind\": \"webhook\", \"target\": \"$HOOK\"}"
bad "channel: an org_admin sets up another org's" 403 "" POST /notification-channels "$T_OPADM" "{\"kind\": \"webhook\", \"target\": \"$HOOK\", \"org\": $OP2}"
bad "channel: a user sets up another user's" 403 "" POST /notification-channels "$T_OP2" "{\"kind\": \"webhook\", \"target\": \"$HOOK\", \"org\": $OP2, \"user\": $OP2ADM_UID}"
bad "channel: enable an unknown channel" 404 "" POST /notification-channels/999999/enable "$T_OPADM"
bad "notifications: status unknown" 400 status GET "/notifications?status=bogus" "$T_OPADM"
bad "notifications: by a member" 403 "" GET /notifications "$T_OP"
bad "notifications: limit 501" 400 limit GET "/notifications?limit=501" "$T_OPADM"

# --- reading ---
bad "inbox: filter unknown" 400 filter GET "/inbox?filter=bogus" "$T_OP"
bad "inbox: limit 0" 400 limit GET "/inbox?limit=0" "$T_OP"
bad "inbox: cursor garbage" 400 cursor GET "/inbox?cursor=zzz" "$T_OP"
bad "inbox: without a token" 401 "" GET /inbox ""
bad "advisories list: limit 501" 400 limit GET "/advisories?limit=501" "$T_NISC"
bad "public: limit 0" 400 limit GET "/public/advisories?limit=0" ""
bad "GET /advisories/abc" 404 "" GET /advisories/abc "$T_NISC"
bad "GET /advisories/999999" 404 "" GET /advisories/999999 "$T_NISC"
bad "GET an AMBER advisory from another sector's operator" 404 "" GET "/advisories/$A" "$T_OP2"
bad "GET a draft as the ministry" 404 "" GET "/advisories/$AP" "$T_FSA"
bad "GET by the platform admin" 404 "" GET "/advisories/$A" "$ADMIN"
bad "PUT /advisories" 405 "" PUT /advisories "$T_NISC" "$B0"
bad "DELETE /advisories/{id}" 405 "" DELETE "/advisories/$A" "$T_NISC"
# the stream refuses before it starts
for v in "Last-Event-ID: abc" "Last-Event-ID: -5"; do
	STATUS=$(curl -s --max-time 10 -o "$WORK/st.out" -w '%{http_code}' -H "Authorization: Bearer $T_OP" -H "$v" "$URL/inbox/stream")
	BODY=$(cat "$WORK/st.out"); LAST="GET /inbox/stream ($v)"
	expect_error Last-Event-ID 400 "stream: $v -> 400 field 'Last-Event-ID'"
done
STATUS=$(curl -s --max-time 10 -o "$WORK/st.out" -w '%{http_code}' "$URL/inbox/stream")
BODY=$(cat "$WORK/st.out"); LAST="GET /inbox/stream (no token)"
expect_error "" 401 "stream: without a token -> 401"

dump_unchanged "the malformed advisory batch left the database unchanged (sha256 of the database dump)"
api GET "/advisories/$A" "" "$T_OP"
expect_status 200 "the server still answers after the batch"

# After the snapshot: refusals the server does not make yet (each would
# change the database, so they stay out of the unchanged-dump batch).
# "plain http:// only to loopback" is checked as a string prefix.
bad "channel: http to a host named localhost.<domain> (not loopback)" 400 target POST /notification-channels "$T_OPADM" \
    '{"kind": "webhook", "target": "http://localhost.example.com/hook"}'
bad "channel: http with userinfo 127.0.0.1@ (host is example.com)" 400 target POST /notification-channels "$T_OPADM" \
    '{"kind": "webhook", "target": "http://127.0.0.1@example.com/hook"}'
