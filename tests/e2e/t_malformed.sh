#!/usr/bin/env bash
# Malformed and refused requests: each answers 4xx with a JSON error naming
# the field at fault, and the whole batch leaves the database unchanged
# (sha256 of the database dump, db_dump, before and after; no successful request in
# between, since successful reads are audited).
. "$(dirname "$0")/lib.sh"
start_server

orgs "M " <<'EOF'
NISC	nisc			[]		-	NISC
CAS	cas_crisis_management	[]		-	CAS
MIN	ci_ministry		["finance"]	-	金融庁
CEP	ceptoar_secretariat	["finance"]	-	CEPTOAR
OP	ci_operator		["finance"]	CEP	みなと銀行
OP2	ci_operator		["finance"]	CEP	さくら信金
CB	cyberspace_business	[]		-	cyber business
EOF
tokens <<'EOF'
T_NISC		NISC	m-nisc		analyst
T_LIA		MIN	m-liaison	liaison
T_MMEM		MIN	m-min-member	member
T_CEP		CEP	m-cep		poc
T_OP		OP	m-op		member
T_OP2		OP2	m-op2		member
T_NMEM		NISC	m-nisc-member	member
T_CEPLIA	CEP	m-cep-liaison	liaison
T_OPADM		OP	m-op-admin	org_admin
EOF

F0=$(mkform amber finance)
B0=$(jq -nc --argjson f "$F0" '{route: "direct", legal_duty: false, form: $f}')
# rb JQ -> the valid body B0 changed by JQ
rb() { jq -c "$1" <<<"$B0"; }

# fixtures, all made before the snapshot
D=$(submit "$T_OP" direct "$F0")               # forwarded to NISC
forward "$T_LIA" "$D"
D2=$(submit "$T_OP" direct "$F0")              # still at the ministry
V=$(submit "$T_OP" via_ceptoar "$(mkform green finance)")
forward "$T_CEP" "$V"                          # at the ministry
# boundaries that must be accepted
LONG8000=$(printf 'あ%.0s' $(seq 1 8000))
api POST /reports "$(rb ".form.overview.event_summary = \"$LONG8000\"")" "$T_OP"
expect_status 201 "boundary: an 8000-character summary is accepted"
api POST /reports "$(rb '.form.cause_types = ["cause_other", "cause_unknown"] | .form.event_type = null')" "$T_OP"
expect_status 201 "boundary: two cause types and a null optional field are accepted"

# the oversize and binary bodies
{ printf '{"route":"direct","legal_duty":false,"form":{"tlp":"amber","sector":"finance","has_attachment":"no","overview":{"event_summary":"'
  head -c 270000 /dev/zero | tr '\0' 'a'
  printf '"}}}'; } >"$WORK/big.json"
printf '{"route":"direct","legal_duty":false,"form":{"tlp":"amber","sector":"finance","has_attachment":"no","overview":{"event_summary":"\xff\xfe bad utf-8"}}}' >"$WORK/badutf8.json"

# a body of exactly 256 KiB is accepted; one byte more is 413
exact_body() { # BYTES -> a valid report body of exactly BYTES bytes (ASCII)
	local rows base pad row
	row=$(printf 'r%.0s' $(seq 1 6000))
	base=$(jq -nc --argjson f "$F0" --arg row "$row" \
	    '{route: "direct", legal_duty: false, form: ($f + {other_lessons_learned: "",
	      timeline: [range(0; 43) | {at: "09:00", description: $row}]})}')
	pad=$(( $1 - ${#base} ))
	if [ "$pad" -lt 0 ] || [ "$pad" -gt 8000 ]; then
		echo "cannot pad ${#base} to $1" >&2
		return 1
	fi
	jq -c --arg p "$(printf 'p%.0s' $(seq 1 "$pad"))" '.form.other_lessons_learned = $p' <<<"$base" | tr -d '\n'
}
export LC_ALL=C
exact_body 262144 >"$WORK/exact.json"
exact_body 262145 >"$WORK/over.json"
eq "setup: the boundary bodies are 262144 and 262145 bytes" \
    "$(stat -c %s "$WORK/exact.json") $(stat -c %s "$WORK/over.json")" "262144 262145"
api POST /reports "@$WORK/exact.json" "$T_OP"
expect_status 201 "boundary: a body of exactly 256 KiB is accepted"

dump_mark

# --- JSON syntax and shape ---
bad "truncated JSON" 400 "" POST /reports "$T_OP" '{"route":'
bad "not JSON at all" 400 "" POST /reports "$T_OP" 'route=direct'
bad "trailing garbage after JSON" 400 "" POST /reports "$T_OP" "$B0 x"
bad "body is an array" 400 "" POST /reports "$T_OP" '[]'
bad "body is a string" 400 "" POST /reports "$T_OP" '"direct"'
bad "body is a number" 400 "" POST /reports "$T_OP" '42'
bad "body is null" 400 "" POST /reports "$T_OP" 'null'
bad "empty body" 400 "" POST /reports "$T_OP" ''
bad "duplicate top-level key" 400 "" POST /reports "$T_OP" \
    "{\"route\":\"direct\",\"route\":\"urgent\",\"form\":$F0}"
bad "duplicate key inside form" 400 "" POST /reports "$T_OP" \
    '{"route":"direct","form":{"tlp":"amber","tlp":"red","sector":"finance","has_attachment":"no"}}'
bad "invalid UTF-8 in the body" 400 "" POST /reports "$T_OP" "@$WORK/badutf8.json"
bad "body over 256 KiB" 413 "" POST /reports "$T_OP" "@$WORK/big.json"
bad "body of 256 KiB + 1 byte" 413 "" POST /reports "$T_OP" "@$WORK/over.json"
STATUS=$(curl -s -o "$WORK/chunked.out" -w '%{http_code}' -X POST -H "Authorization: Bearer $T_OP" \
    -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' \
    --data-binary "@$WORK/big.json" "$URL/reports")
BODY=$(cat "$WORK/chunked.out"); LAST="POST /reports (chunked, 270 KB)"
expect_error "" 413 "chunked body over 256 KiB -> 413 field ''"

# --- the body's Content-Type (ASVS 13.1.5, 13.2.5): JSON, or a client's default; nothing else ---
ctype() { # DESC CONTENT-TYPE|- EXPECTED-STATUS [BODY]
	local h=()
	[ "$2" != - ] && h=(-H "Content-Type: $2")
	STATUS=$(curl -s -o "$WORK/ct.out" -w '%{http_code}' -X POST -H "Authorization: Bearer $T_OP" \
	    "${h[@]}" --data-binary "${4:-$B0}" "$URL/reports")
	BODY=$(cat "$WORK/ct.out"); LAST="POST /reports (Content-Type: $2)"
	if [ "$3" == 415 ]; then
		expect_error Content-Type 415 "$1"
	else
		eq "$1" "$STATUS" "$3"
	fi
}
ctype "multipart/form-data: 415 Content-Type" "multipart/form-data; boundary=x" 415
ctype "application/xml: 415" application/xml 415
ctype "application/json with another charset: 415" "application/json; charset=iso-8859-1" 415
ctype "application/jsonx: 415" application/jsonx 415
ctype "text/html: 415" text/html 415
# the accepted spellings and client defaults: the body is then judged (a bad one: 400)
ctype "Application/JSON; Charset=UTF-8 is JSON (the body is then judged: 400)" \
    "Application/JSON; Charset=UTF-8" 400 '{"route": 1}'
ctype "curl -d's default (x-www-form-urlencoded): judged as JSON (400)" \
    application/x-www-form-urlencoded 400 '{"route": 1}'
ctype "fetch()'s default (text/plain;charset=UTF-8): judged as JSON (400)" \
    "text/plain;charset=UTF-8" 400 '{"route": 1}'
ctype "no Content-Type: judged as JSON (400)" - 400 '{"route": 1}'
ctype "application/merge-patch+json: judged as JSON (400)" application/merge-patch+json 400 '{"route": 1}'
ctype "a form's body under a lenient type is not JSON: 400" \
    application/x-www-form-urlencoded 400 'route=direct&tlp=red'
# --- enums ---
bad "tlp not a level" 400 form.tlp POST /reports "$T_OP" "$(rb '.form.tlp = "purple"')"
bad "tlp in capitals" 400 form.tlp POST /reports "$T_OP" "$(rb '.form.tlp = "RED"')"
bad "tlp as a number" 400 form.tlp POST /reports "$T_OP" "$(rb '.form.tlp = 1')"
bad "tlp 'white' (TLP 1.0 name)" 400 form.tlp POST /reports "$T_OP" "$(rb '.form.tlp = "white"')"
bad "sector not a sector id" 400 form.sector POST /reports "$T_OP" "$(rb '.form.sector = "banking"')"
bad "sector as an array" 400 form.sector POST /reports "$T_OP" "$(rb '.form.sector = ["finance"]')"
bad "event_type unknown" 400 form.event_type POST /reports "$T_OP" "$(rb '.form.event_type = "event_bogus"')"
bad "two event types (array)" 400 form.event_type POST /reports "$T_OP" \
    "$(rb '.form.event_type = ["event_malware_infection","event_system_intrusion"]')"
bad "cause type unknown" 400 form.cause_types.0 POST /reports "$T_OP" "$(rb '.form.cause_types = ["cause_bogus"]')"
bad "cause type listed twice" 400 form.cause_types.1 POST /reports "$T_OP" \
    "$(rb '.form.cause_types = ["cause_other","cause_other"]')"
bad "cause_types not an array" 400 form.cause_types POST /reports "$T_OP" "$(rb '.form.cause_types = "cause_other"')"
bad "route unknown" 400 route POST /reports "$T_OP" "$(rb '.route = "carrier_pigeon"')"
bad "route not a string" 400 route POST /reports "$T_OP" "$(rb '.route = 1')"
bad "importance unknown" 400 form.importance POST /reports "$T_OP" "$(rb '.form.importance = "critical"')"
bad "has_attachment not yes/no" 400 form.has_attachment POST /reports "$T_OP" "$(rb '.form.has_attachment = "maybe"')"
bad "has_attachment as boolean" 400 form.has_attachment POST /reports "$T_OP" "$(rb '.form.has_attachment = false')"
bad "next_steps unknown" 400 form.next_steps POST /reports "$T_OP" "$(rb '.form.next_steps = "done"')"
bad "impact.system_operation_status unknown" 400 form.impact.system_operation_status POST /reports "$T_OP" \
    "$(rb '.form.impact = {system_operation_status: "on_fire"}')"
bad "legal_duty not a boolean" 400 legal_duty POST /reports "$T_OP" "$(rb '.legal_duty = "yes"')"

# --- missing required ---
bad "route missing" 400 route POST /reports "$T_OP" "$(rb 'del(.route)')"
bad "form missing" 400 form POST /reports "$T_OP" "$(rb 'del(.form)')"
bad "form null" 400 form POST /reports "$T_OP" "$(rb '.form = null')"
bad "form an array" 400 form POST /reports "$T_OP" "$(rb '.form = []')"
bad "form.tlp missing" 400 form.tlp POST /reports "$T_OP" "$(rb 'del(.form.tlp)')"
bad "form.tlp null" 400 form.tlp POST /reports "$T_OP" "$(rb '.form.tlp = null')"
bad "form.sector missing" 400 form.sector POST /reports "$T_OP" "$(rb 'del(.form.sector)')"
bad "form.has_attachment missing" 400 form.has_attachment POST /reports "$T_OP" "$(rb 'del(.form.has_attachment)')"

# --- unknown fields ---
bad "unknown top-level field" 400 bogus POST /reports "$T_OP" "$(rb '.bogus = 1')"
bad "unknown form field" 400 form.bogus POST /reports "$T_OP" "$(rb '.form.bogus = 1')"
bad "unknown nested field" 400 form.overview.bogus POST /reports "$T_OP" "$(rb '.form.overview.bogus = "x"')"
bad "unknown field two levels down" 400 form.impact.external_response.bogus POST /reports "$T_OP" \
    "$(rb '.form.impact = {external_response: {bogus: true}}')"
bad "unknown field in a timeline row" 400 form.timeline.0.bogus POST /reports "$T_OP" \
    "$(rb '.form.timeline = [{at: "09:00", bogus: 1}]')"
bad "timeline not an array" 400 form.timeline POST /reports "$T_OP" "$(rb '.form.timeline = {at: "09:00"}')"
bad "overview not an object" 400 form.overview POST /reports "$T_OP" "$(rb '.form.overview = "x"')"

# --- values ---
bad "datetime not a date" 400 form.overview.discovered_at POST /reports "$T_OP" \
    "$(rb '.form.overview.discovered_at = "yesterday"')"
bad "datetime without offset" 400 form.overview.discovered_at POST /reports "$T_OP" \
    "$(rb '.form.overview.discovered_at = "2026-11-21T13:15:00"')"
bad "datetime out of range" 400 form.overview.occurred_at POST /reports "$T_OP" \
    "$(rb '.form.overview.occurred_at = "2026-13-45T25:61:00+09:00"')"
bad "reported_at not RFC 3339" 400 form.reported_at POST /reports "$T_OP" "$(rb '.form.reported_at = "2026/11/21 13:15"')"
bad "text over 8000 characters" 400 form.overview.event_summary POST /reports "$T_OP" \
    "$(rb ".form.overview.event_summary = \"${LONG8000}あ\"")"
bad "short string over 256 characters" 400 form.overview.occurred_at_remark POST /reports "$T_OP" \
    "$(rb ".form.overview.occurred_at_remark = \"$(printf 'x%.0s' $(seq 1 257))\"")"
bad "NUL inside a string (rejected by the JSON parser)" 400 "" POST /reports "$T_OP" \
    "$(rb '.form.overview.event_summary = "a\u0000b"')"
bad "summary as a number" 400 form.overview.event_summary POST /reports "$T_OP" "$(rb '.form.overview.event_summary = 5')"
bad "report_sequence_number 2 on a 第1報" 400 form.report_sequence_number POST /reports "$T_OP" \
    "$(rb '.form.report_sequence_number = 2')"
bad "identification_number set on a 第1報" 400 form.identification_number POST /reports "$T_OP" \
    "$(rb '.form.identification_number = "R5"')"
bad "via_ceptoar with legal_duty" 400 route POST /reports "$T_OP" "$(rb '.route = "via_ceptoar" | .legal_duty = true')"

# --- forged ids ---
bad "extra_recipients unknown org" 400 extra_recipients.0 POST /reports "$T_OP" "$(rb '.extra_recipients = [999999]')"
bad "extra_recipients second id unknown" 400 extra_recipients.1 POST /reports "$T_OP" \
    "$(rb ".extra_recipients = [$CB, 999999]")"
bad "extra_recipients id 0" 400 extra_recipients.0 POST /reports "$T_OP" "$(rb '.extra_recipients = [0]')"
bad "extra_recipients id as string" 400 extra_recipients.0 POST /reports "$T_OP" "$(rb ".extra_recipients = [\"$CB\"]")"
bad "extra_recipients the platform org" 400 extra_recipients.0 POST /reports "$T_OP" "$(rb '.extra_recipients = [1]')"
bad "extra_recipients not an array" 400 extra_recipients POST /reports "$T_OP" "$(rb ".extra_recipients = $CB")"
bad "share: to missing" 400 to POST "/reports/$D/share" "$T_NISC" '{}'
bad "share: to empty" 400 to POST "/reports/$D/share" "$T_NISC" '{"to": []}'
bad "share: to not an array" 400 to POST "/reports/$D/share" "$T_NISC" "{\"to\": $CAS}"
bad "share: unknown org" 400 to.0 POST "/reports/$D/share" "$T_NISC" '{"to": [999999]}'
bad "share: second org unknown" 400 to.1 POST "/reports/$D/share" "$T_NISC" "{\"to\": [$CAS, 999999]}"
bad "share: negative id" 400 to.0 POST "/reports/$D/share" "$T_NISC" '{"to": [-5]}'
bad "share: id as float" 400 to.0 POST "/reports/$D/share" "$T_NISC" '{"to": [1e30]}'
bad "share: unknown field" 400 bogus POST "/reports/$D/share" "$T_NISC" "{\"to\": [$CAS], \"bogus\": 1}"
bad "share: outside the AMBER ceiling" 403 to.0 POST "/reports/$D/share" "$T_NISC" "{\"to\": [$CB]}"
bad "share: ※1 by a ministry" 403 to.0 POST "/reports/$D/share" "$T_LIA" "{\"to\": [$CAS]}"

# --- ids in the path ---
bad "GET /reports/abc" 404 "" GET /reports/abc "$T_OP"
bad "GET /reports/999999" 404 "" GET /reports/999999 "$T_OP"
bad "GET /reports/0" 404 "" GET /reports/0 "$T_OP"
bad "GET /reports/-1" 404 "" GET /reports/-1 "$T_OP"
bad "GET /reports/1e3" 404 "" GET /reports/1e3 "$T_OP"
bad "GET /reports/ huge id" 404 "" GET /reports/99999999999999999999999 "$T_OP"
bad "forward /reports/abc" 404 "" POST /reports/abc/forward "$T_LIA"
bad "share /reports/999999" 404 "" POST /reports/999999/share "$T_NISC" "{\"to\": [$CAS]}"
bad "followup /reports/999999" 404 "" POST /reports/999999/followups "$T_OP" "{\"form\": $F0}"
bad "GET /orgs/abc" 404 "" GET /orgs/abc "$T_OP"
bad "GET an invisible report" 404 "" GET "/reports/$D" "$T_OP2"
bad "admin GET of a report" 404 "" GET "/reports/$D" "$ADMIN"
bad "PUT /reports" 405 "" PUT /reports "$T_OP" "$B0"
bad "DELETE /reports/{id}" 405 "" DELETE "/reports/$D" "$T_OP"

# --- roles ---
bad "liaison filing a report" 403 "" POST /reports "$T_LIA" "$B0"
bad "NISC filing a report" 403 "" POST /reports "$T_NISC" "$B0"
bad "admin filing a report" 403 "" POST /reports "$ADMIN" "$B0"
bad "ministry member (not liaison) forwarding" 403 "" POST "/reports/$D2/forward" "$T_MMEM"
bad "operator forwarding its own report" 403 "" POST "/reports/$D2/forward" "$T_OP"
bad "operator creating an org" 403 "" POST /orgs "$T_OP" '{"name":"evil","type":"nisc"}'
bad "operator creating a user in another org" 403 org POST /users "$T_OP" \
    "{\"org\": $MIN, \"login\": \"evil\", \"roles\": [\"liaison\"]}"
# issue 10: a user the caller may not see is absent (404)
bad "operator minting a token for another user" 404 "" POST /users/2/tokens "$T_OP" '{"label":"x"}'
bad "operator reading the audit log" 403 "" GET /audit "$T_OP"
bad "follow-up by the ministry" 403 "" POST "/reports/$D/followups" "$T_LIA" "{\"form\": $F0}"
bad "follow-up by the CEPTOAR" 403 "" POST "/reports/$V/followups" "$T_CEP" "{\"form\": $(mkform green finance)}"
bad "follow-up by another operator (invisible)" 404 "" POST "/reports/$D/followups" "$T_OP2" "{\"form\": $F0}"
bad "NISC member (not analyst) sharing" 403 "" POST "/reports/$D/share" "$T_NMEM" "{\"to\": [$CAS]}"
bad "CEPTOAR liaison (not poc/member) forwarding" 403 "" POST "/reports/$V/forward" "$T_CEPLIA"
bad "org_admin granting admin" 403 roles POST /users "$T_OPADM" "{\"org\": $OP, \"login\": \"newadmin\", \"roles\": [\"admin\"]}"
bad "org_admin adding a user to another org" 403 org POST /users "$T_OPADM" "{\"org\": $OP2, \"login\": \"intruder\", \"roles\": [\"member\"]}"
bad "sharing by a non-holder" 404 "" POST "/reports/$D/share" "$T_OP2" "{\"to\": [$OP2]}"

# --- state ---
bad "forward twice (ministry)" 409 "" POST "/reports/$D/forward" "$T_LIA"
bad "forward twice (CEPTOAR)" 409 "" POST "/reports/$V/forward" "$T_CEP"
bad "follow-up widening the TLP" 400 form.tlp POST "/reports/$D/followups" "$T_OP" "{\"form\": $(mkform green finance)}"
bad "follow-up changing the sector" 400 form.sector POST "/reports/$D/followups" "$T_OP" "{\"form\": $(mkform amber electricity)}"
bad "follow-up with the wrong sequence number" 400 form.report_sequence_number POST "/reports/$D/followups" "$T_OP" \
    "{\"form\": $(mkform amber finance '.report_sequence_number = 7')}"
bad "follow-up without form" 400 form POST "/reports/$D/followups" "$T_OP" '{}'
bad "forward with a non-object form" 400 form POST "/reports/$D2/forward" "$T_LIA" '{"form": "x"}'
bad "forward with an unknown field" 400 bogus POST "/reports/$D2/forward" "$T_LIA" '{"bogus": 1}'
bad "forward widening the TLP" 400 form.tlp POST "/reports/$D2/forward" "$T_LIA" '{"form": {"tlp": "clear"}}'
bad "forward changing the sector" 400 form.sector POST "/reports/$D2/forward" "$T_LIA" '{"form": {"sector": "gas"}}'
bad "forward patch with a bad enum" 400 form.importance POST "/reports/$D2/forward" "$T_LIA" '{"form": {"importance": "x"}}'

# --- list parameters ---
bad "limit not an integer" 400 limit GET "/reports?limit=abc" "$T_OP"
bad "limit 0" 400 limit GET "/reports?limit=0" "$T_OP"
bad "limit 501" 400 limit GET "/reports?limit=501" "$T_OP"
bad "limit -1" 400 limit GET "/reports?limit=-1" "$T_OP"
bad "limit 1.5" 400 limit GET "/reports?limit=1.5" "$T_OP"
bad "limit empty" 400 limit GET "/reports?limit=" "$T_OP"
bad "cursor garbage" 400 cursor GET "/reports?cursor=zzz" "$T_OP"
bad "cursor c0" 400 cursor GET "/reports?cursor=c0" "$T_OP"
bad "cursor c-5" 400 cursor GET "/reports?cursor=c-5" "$T_OP"
bad "sector filter unknown" 400 sector GET "/reports?sector=banking" "$T_OP"
bad "event_type filter unknown" 400 event_type GET "/reports?event_type=event_bogus" "$T_OP"
bad "event_type filter not an event" 400 event_type GET "/reports?event_type=cause_other" "$T_OP"
bad "since not a time" 400 since GET "/reports?since=yesterday" "$T_OP"
bad "since without offset" 400 since GET "/reports?since=2026-11-21T00:00:00" "$T_OP"
bad "q over 256 characters" 400 q GET "/reports?q=$(printf 'q%.0s' $(seq 1 300))" "$T_OP"
bad "audit limit not an integer" 400 limit GET "/audit?limit=abc" "$ADMIN"
bad "orgs cursor garbage" 400 cursor GET "/orgs?cursor=x1" "$T_OP"

# --- directory input ---
bad "org type unknown" 400 type POST /orgs "$ADMIN" '{"name":"x","type":"bank"}'
bad "org sector unknown" 400 sectors.0 POST /orgs "$ADMIN" '{"name":"x","type":"ci_operator","sectors":["banking"]}'
bad "org name missing" 400 name POST /orgs "$ADMIN" '{"type":"ci_operator"}'
bad "ministry without sectors" 400 sectors POST /orgs "$ADMIN" '{"name":"x","type":"ci_ministry"}'
bad "org ceptoar not a secretariat" 400 ceptoar POST /orgs "$ADMIN" \
    "{\"name\":\"x\",\"type\":\"ci_operator\",\"sectors\":[\"finance\"],\"ceptoar\":$MIN}"
bad "pre_arranged on a non-agency" 400 pre_arranged POST /orgs "$ADMIN" '{"name":"x","type":"cyberspace_business","pre_arranged":true}'
bad "user role unknown" 400 roles.0 POST /users "$ADMIN" "{\"org\": $OP, \"login\": \"newbie\", \"roles\": [\"boss\"]}"
bad "user password too short" 400 password POST /users "$ADMIN" \
    "{\"org\": $OP, \"login\": \"newbie\", \"roles\": [\"member\"], \"password\": \"short\"}"
bad "user login taken" 409 login POST /users "$ADMIN" "{\"org\": $OP, \"login\": \"m-op\", \"roles\": [\"member\"]}"
bad "user login with a space" 400 login POST /users "$ADMIN" "{\"org\": $OP, \"login\": \"a b\", \"roles\": [\"member\"]}"
bad "user in an unknown org" 400 org POST /users "$ADMIN" '{"org": 999999, "login": "newbie", "roles": ["member"]}'
bad "token for an unknown user" 404 "" POST /users/999999/tokens "$ADMIN" '{}'

# --- auth ---
bad "no token" 401 "" POST /reports "" "$B0"
bad "bad token" 401 "" POST /reports "cst_1_deadbeef" "$B0"

dump_unchanged "the malformed batch left the database unchanged (sha256 of the database dump)"
# (after the batch: this one writes) curl -d's default type with a good body files it
ctype "curl -d's default with a good body: filed (201)" application/x-www-form-urlencoded 201
# A wrong password is the one refusal that is recorded (the lockout counts
# it, the audit log names it: API.md "Source protection"), so it comes after.
bad "login with a wrong password" 401 password POST /login "" '{"login":"m-op","password":"wrong-password"}'
api GET /me "" "$T_OP"
expect_status 200 "the server still answers after the batch"
