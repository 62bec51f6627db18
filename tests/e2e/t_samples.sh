#!/usr/bin/env bash
# Samples on request (検体) (issue 15 item 2; API.md "Disclosure basis,
# sample requests, inquiries"): NISC requests a sample on a report it holds
# (POST /reports/{id}/sample-requests {"what", "reason"} -> 201 {"id"}); the
# source — for an anonymised report its CEPTOAR secretariat, never the
# source — sees it in GET /sample-requests and answers POST
# /sample-requests/{id}/answer with {"attachment": <id of an attachment it
# added to the report>} (marked as the sample) or {"decline": "<reason>"};
# NISC sees the answer; the ministry on the path reads them (the 手引書's
# 調整 with the ministry, seed 001 2.3) but does not answer; everyone else
# 404.
# Bad bodies name the field and write nothing; all of it is audited; the
# CLI's sample request|list|answer|decline.
. "$(dirname "$0")/lib.sh"
start_server

orgs "S " <<'EOF'
NISC	nisc			[]		-	NISC
MIN_F	ci_ministry		["finance"]	-	金融庁
MIN_E	ci_ministry		["electricity"]	-	経済産業省
EOF
sector_population "S "
tokens <<'EOF'
T_NISC	NISC	s-nisc		analyst
T_NISC_M	NISC	s-nisc-m	member
T_MIN	MIN_F	s-fsa		liaison
T_CEP	CEP_F	s-cep		poc
T_OP1	OP1	s-op1		member
T_OP2	OP2	s-op2		member
EOF

upload() { # TOKEN PATH FILE
	local out=$WORK/up.out w
	rm -f "$out"
	w=$(curl -s -o "$out" -w '%{http_code}' -X POST --max-time 60 \
	    -H "Authorization: Bearer $1" -H "Content-Type: application/octet-stream" \
	    --data-binary "@$3" "$URL$2" 2>/dev/null) || true
	STATUS=${w:-000}
	BODY=$(cat "$out" 2>/dev/null)
	LAST="POST $2 <$3>"
}
nsamples() { db_sql "SELECT count(*) FROM sample_requests"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
printf 'MZ\x90\x00 suspicious.exe bytes\n' >"$WORK/sample.bin"

# D: direct, at NISC.  P: direct, still at the ministry.  N: anonymised, at NISC.
D=$(submit "$T_OP1" direct "$(mkform amber finance)")
forward "$T_MIN" "$D"
P=$(submit "$T_OP1" direct "$(mkform amber finance)")
N=$(submit "$T_OP2" via_ceptoar "$(mkform amber finance)")
forward "$T_CEP" "$N" '{}'
forward "$T_MIN" "$N"

req() { api POST "/reports/$2/sample-requests" "$(jq -nc --arg w "$3" --arg r "$4" '{what: $w, reason: $r}')" "$1"; }

# ---- NISC requests ----
req "$T_NISC" "$D" "添付ファイル invoice.exe（検体）" $'C2 通信先の特定のため\n解析後に削除します'
expect_status 201 "NISC requests a sample on a report it holds -> 201"
SD=$(jqv .id)
ok "the answer is {\"id\"}" '[ "$(jqv "keys | join(\",\")")" == id ] && [ "$SD" -gt 0 ]'
req "$T_NISC" "$N" "マルウェア検体" "亜種の判定"
SN=$(created "a sample request on the anonymised report" id)

# ---- refusals, nothing written ----
N0=$(nsamples)
bad "NISC on a report it does not hold yet" 404 "" POST "/reports/$P/sample-requests" "$T_NISC" '{"what":"w","reason":"r"}'
bad "a NISC member (no analyst)" 403 "" POST "/reports/$D/sample-requests" "$T_NISC_M" '{"what":"w","reason":"r"}'
bad "the ministry liaison (reads it)" 403 "" POST "/reports/$D/sample-requests" "$T_MIN" '{"what":"w","reason":"r"}'
bad "another operator (does not read it)" 404 "" POST "/reports/$D/sample-requests" "$T_OP2" '{"what":"w","reason":"r"}'
bad "a missing report" 404 "" POST "/reports/999999/sample-requests" "$T_NISC" '{"what":"w","reason":"r"}'
bad "no what" 400 what POST "/reports/$D/sample-requests" "$T_NISC" '{"reason":"r"}'
bad "empty what" 400 what POST "/reports/$D/sample-requests" "$T_NISC" '{"what":"  ","reason":"r"}'
bad "what with a line break" 400 what POST "/reports/$D/sample-requests" "$T_NISC" '{"what":"a\nb","reason":"r"}'
bad "what not a string" 400 what POST "/reports/$D/sample-requests" "$T_NISC" '{"what":1,"reason":"r"}'
bad "no reason" 400 reason POST "/reports/$D/sample-requests" "$T_NISC" '{"what":"w"}'
bad "an unknown member" 400 extra POST "/reports/$D/sample-requests" "$T_NISC" '{"what":"w","reason":"r","extra":1}'
bad "malformed JSON" 400 "" POST "/reports/$D/sample-requests" "$T_NISC" '{"what":'
eq "nothing was written by the refusals" "$(nsamples)" "$N0"

# ---- who sees them ----
api GET /sample-requests "" "$T_OP1"
eq "the direct report's source sees its request" "$(jqv '[.items[].id] | join(",")')" "$SD"
eq "... with what, reason, state open, the R-number" \
    "$(jqv '.items[0] | [.what, .state, .report, .identification_number] | map(tostring) | join("|")')" \
    "添付ファイル invoice.exe（検体）|open|$D|$(api GET "/reports/$D" "" "$T_OP1"; jqv .identification_number)"
api GET /sample-requests "" "$T_CEP"
eq "the anonymised report's secretariat sees that one only" "$(jqv '[.items[].id] | join(",")')" "$SN"
api GET /sample-requests "" "$T_OP2"
eq "the anonymised report's source does not see it (the secretariat answers)" "$(jqv '.items | length')" 0
api GET /sample-requests "" "$T_MIN"
eq "the ministry on the path sees both (coordination, 手引書 2.3)" "$(jqv '[.items[].id] | join(",")')" "$SN,$SD"
api GET /sample-requests "" "$(fast_principal "$MIN_E" s-meti liaison)"
eq "a ministry off the path sees none" "$(jqv '.items | length')" 0
api GET /sample-requests "" "$T_NISC"
eq "NISC sees both, newest first" "$(jqv '[.items[].id] | join(",")')" "$SN,$SD"

api GET "/sample-requests/$SD" "" "$T_OP1"
expect_status 200 "the source reads its request"

# ---- answering ----
bad "the ministry liaison may not answer (its type never does)" 403 "" POST "/sample-requests/$SD/answer" "$T_MIN" '{"decline":"x"}'
bad "NISC may not answer" 403 "" POST "/sample-requests/$SD/answer" "$T_NISC" '{"decline":"x"}'
bad "another operator may not answer" 404 "" POST "/sample-requests/$SD/answer" "$T_OP2" '{"decline":"x"}'
bad "the anonymised report's source may not answer" 404 "" POST "/sample-requests/$SN/answer" "$T_OP2" '{"decline":"x"}'
bad "both attachment and decline" 400 decline POST "/sample-requests/$SD/answer" "$T_OP1" '{"attachment":1,"decline":"x"}'
bad "neither" 400 attachment POST "/sample-requests/$SD/answer" "$T_OP1" '{}'
bad "an attachment that is not an id" 400 attachment POST "/sample-requests/$SD/answer" "$T_OP1" '{"attachment":"x"}'
bad "an empty decline" 400 decline POST "/sample-requests/$SD/answer" "$T_OP1" '{"decline":""}'
upload "$T_OP2" "/reports/$N/attachments?name=own.bin" "$WORK/sample.bin"
OTHER=$(created "the anonymised source's own (sealed) file" id)
bad "an attachment of another report" 400 attachment POST "/sample-requests/$SD/answer" "$T_OP1" "{\"attachment\": $OTHER}"
upload "$T_OP1" "/reports/$D/attachments?name=invoice.exe.bin" "$WORK/sample.bin"
AS=$(created "the source uploads the sample" id)
api POST "/sample-requests/$SD/answer" "{\"attachment\": $AS}" "$T_OP1"
expect_status 200 "the source answers with its attachment -> 200"
eq "... answered, the attachment named" "$(jqv '[.state, .attachment] | map(tostring) | join("|")')" "answered|$AS"
bad "a second answer" 409 "" POST "/sample-requests/$SD/answer" "$T_OP1" '{"decline":"x"}'
api GET "/reports/$D" "" "$T_NISC"
eq "NISC sees the attachment marked as the sample" \
    "$(jqv "[.attachments[] | select(.id == $AS) | .sample] | map(tostring) | join(\",\")")" "$SD"
api GET "/attachments/$AS" "" "$T_NISC"
expect_status 200 "NISC downloads the sample"
api GET "/sample-requests/$SD" "" "$T_NISC"
eq "NISC sees the answer" "$(jqv '[.state, .attachment] | map(tostring) | join("|")')" "answered|$AS"

# the secretariat answers for the anonymised source: its own file at its hop
bad "the secretariat names the source's sealed file" 400 attachment POST "/sample-requests/$SN/answer" "$T_CEP" "{\"attachment\": $OTHER}"
api POST "/sample-requests/$SN/answer" '{"decline": "報告元と調整の結果、検体は提供できません"}' "$T_CEP"
expect_status 200 "the secretariat declines with a reason -> 200"
api GET "/sample-requests/$SN" "" "$T_NISC"
eq "NISC sees the decline and its reason" "$(jqv '[.state, .decline] | join("|")')" "declined|報告元と調整の結果、検体は提供できません"
ok "... and no organisation of the source" '! grep -q "\"answered_by_org\"" <<<"$BODY" && ! grep -q "\"$OP2\"" <<<"$(jqv "[.by_org]|tojson")"'
req "$T_NISC" "$N" "別の検体" "再解析"
SN2=$(created "a second request on the anonymised report" id)
upload "$T_CEP" "/reports/$N/attachments?name=from-cep.bin" "$WORK/sample.bin"
expect_status 201 "the secretariat adds the sample to the anonymised report"
AC=$(jqv .id)
api POST "/sample-requests/$SN2/answer" "{\"attachment\": $AC}" "$T_CEP"
expect_status 200 "the secretariat answers with it"
api GET "/attachments/$AC" "" "$T_NISC"
expect_status 200 "NISC downloads the secretariat's sample"
api GET "/attachments/$AC" "" "$T_OP1"
expect_status 404 "an operator off the path: 404"

# ---- audit ----
api GET "/audit?limit=500" "" "$ADMIN"
for a in sample.request sample.answer sample.decline sample.list sample.read; do
	ok "the audit log records $a" '[ "$(jqv "[.items[] | select(.action == \"$a\")] | length")" -gt 0 ]'
done

# ---- the CLI ----
export CISHARE_URL=${URL%/api/v1}
cli() { local tok=$1; shift; CLI_RC=0; CLI_OUT=$(CISHARE_TOKEN=$tok "$CISHARE" "$@" 2>&1) || CLI_RC=$?; }
cli "$T_NISC" sample request "$D" --what "memory dump" --reason "forensics"
ok "cishare sample request ID --what --reason prints the id" '[ "$CLI_RC" == 0 ] && [[ "$CLI_OUT" =~ ^[0-9]+ ]]'
SC=$(grep -o '^[0-9]*' <<<"$CLI_OUT" | head -1)
cli "$T_OP1" sample list
ok "cishare sample list shows it" '[ "$CLI_RC" == 0 ] && [[ "$CLI_OUT" == *"memory dump"* ]]'
cli "$T_OP1" sample answer "$SC" "$AS"
ok "cishare sample answer ID ATTACHMENT" '[ "$CLI_RC" == 0 ] && [[ "$CLI_OUT" == *answered* ]]'
cli "$T_NISC" sample request "$D" --what "another" --reason "r"
SC2=$(grep -o '^[0-9]*' <<<"$CLI_OUT" | head -1)
cli "$T_OP1" sample decline "$SC2" "not available"
ok "cishare sample decline ID REASON" '[ "$CLI_RC" == 0 ] && [[ "$CLI_OUT" == *declined* ]]'
cli "$T_MIN" sample decline "$SC2" "x"
ok "cishare sample decline by the ministry fails" '[ "$CLI_RC" != 0 ]'
