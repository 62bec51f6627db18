#!/usr/bin/env bash
# Existence (issue 10 item 3, API.md "Source protection"): for every route
# with an id in its path, and for the ids inside bodies, an item that exists
# but that the caller may not read answers exactly as an id that does not
# exist: the same status and a byte-identical body (curl -o files, cmp).
# Then GET /audit filtered by the policy: NISC lists no entry about a
# report still at the ministry, no entry names an anonymised report's
# source, other organisations' directory entries stay hidden, paging still
# reaches every visible entry; operators and ministries get 403.
. "$(dirname "$0")/lib.sh"
start_server

MISSING=999999

orgs "X " <<'EOF'
NISC	nisc			[]		-	NISC
MIN_F	ci_ministry		["finance"]	-	金融庁
MIN_E	ci_ministry		["electricity"]	-	経済産業省
EOF
sector_population "X "
tokens <<'EOF'
T_NISC	NISC	x-nisc		analyst
T_AP	NISC	x-nisc-ap	approver
T_MIN	MIN_F	x-fsa		liaison
T_MINE	MIN_E	x-meti		liaison
T_CEP	CEP_F	x-cep-f		poc
T_CEPE	CEP_E	x-cep-e		poc
T_OP1	OP1	x-op1		member
T_OP2	OP2	x-op2		member
T_OPE	OPE	x-ope		member
EOF
OP1_ADM_UID=$(mkuser "$OP1" x-op1-adm org_admin)
T_OP1_ADM=$(mktoken "$OP1_ADM_UID")
OP2_UID=$(mkuser "$OP2" x-op2-other member)
T_OP2_OTHER=$(mktoken "$OP2_UID")
OP2_ADM_UID=$(mkuser "$OP2" x-op2-adm org_admin)
T_OP2_ADM=$(mktoken "$OP2_ADM_UID")

# probe NAME METHOD PATH TOKEN [BODY] — the answer in $WORK/probe.NAME.{status,body}
probe() {
	local f=$WORK/probe.$1
	local -a args=(-s -o "$f.body" -X "$2" --max-time 60 -H 'Accept: application/json')
	[ -n "$4" ] && args+=(-H "Authorization: Bearer $4")
	if [ -n "${5-}" ]; then
		args+=(--data-binary "$5" -H 'Content-Type: application/json; charset=utf-8')
	fi
	rm -f "$f.body"
	: >"$f.body"
	curl "${args[@]}" -w '%{http_code}' "$URL$3" >"$f.status" 2>/dev/null || true
	printf 'probe %s %s [%s] -> %s %s\n' "$2" "$3" "${5-}" "$(cat "$f.status")" \
	    "$(head -c 300 "$f.body")" >>"$WORK/requests.log"
}

# same DESC WANT METHOD PATH_INVISIBLE PATH_MISSING TOKEN [BODY_INVISIBLE
# [BODY_MISSING]] — both answer WANT with byte-identical bodies.
same() {
	local desc=$1 want=$2 sa sb
	probe a "$3" "$4" "$6" "${7-}"
	probe b "$3" "$5" "$6" "${8-${7-}}"
	sa=$(cat "$WORK/probe.a.status")
	sb=$(cat "$WORK/probe.b.status")
	if [ "$sa" == "$want" ] && [ "$sb" == "$want" ] &&
	    cmp -s "$WORK/probe.a.body" "$WORK/probe.b.body"; then
		pass "$desc: invisible = missing ($want)"
	else
		fail "$desc: invisible = missing ($want)" "invisible $3 $4 -> $sa $(head -c 200 "$WORK/probe.a.body"); missing $5 -> $sb $(head -c 200 "$WORK/probe.b.body")"
	fi
}

# path_same DESC WANT METHOD PATTERN ID TOKEN [BODY] — PATTERN with {} for
# the id, compared with the same path for $MISSING.
path_same() {
	same "$1" "$2" "$3" "${4//\{\}/$5}" "${4//\{\}/$MISSING}" "$6" "${7-}"
}

# every report route with an id, for one caller and one report it may not read
report_routes() {
	local who=$1 id=$2 tok=$3
	path_same "$who: GET /reports/{id}" 404 GET "/reports/{}" "$id" "$tok"
	path_same "$who: followups" 404 POST "/reports/{}/followups" "$id" "$tok" \
	    "{\"form\": $(mkform amber finance)}"
	path_same "$who: forward" 404 POST "/reports/{}/forward" "$id" "$tok" '{}'
	path_same "$who: forward?dry_run=1" 404 POST "/reports/{}/forward?dry_run=1" "$id" "$tok" '{}'
	path_same "$who: share" 404 POST "/reports/{}/share" "$id" "$tok" "{\"to\": [$MIN_E]}"
	path_same "$who: widening-requests" 404 POST "/reports/{}/widening-requests" "$id" "$tok" \
	    '{"tlp": "green", "sectors": ["electricity"]}'
}

# ---- reports -------------------------------------------------------------
D=$(submit "$T_OP1" direct "$(mkform amber finance)")		# at the ministry
F=$(submit "$T_OP1" direct "$(mkform amber finance)")
forward "$T_MIN" "$F"						# at NISC
A=$(submit "$T_OP2" via_ceptoar "$(mkform amber finance)")	# anonymised
forward "$T_CEP" "$A" '{}'
forward "$T_MIN" "$A"

report_routes "NISC, a direct report still at the ministry" "$D" "$T_NISC"
report_routes "NISC approver, a direct report still at the ministry" "$D" "$T_AP"
report_routes "another operator, an operator's report" "$D" "$T_OP2"
report_routes "another sector's operator, a report at NISC" "$F" "$T_OPE"
report_routes "another sector's ministry, a report at NISC" "$F" "$T_MINE"
report_routes "the sector's CEPTOAR, a direct report" "$F" "$T_CEP"
report_routes "another CEPTOAR, an anonymised report" "$A" "$T_CEPE"
report_routes "another bank, an anonymised report of its sector" "$A" "$T_OP1"
report_routes "the admin, a report" "$F" "$ADMIN"

# ---- widening requests ----------------------------------------------------
api POST "/reports/$F/widening-requests" '{"tlp": "amber", "sectors": ["electricity"]}' "$T_NISC"
W=$(created "widening request on a direct report" id)
api POST "/reports/$A/widening-requests" '{"tlp": "amber", "sectors": ["electricity"]}' "$T_NISC"
WA=$(created "widening request on an anonymised report" id)
# the ministry shares F with another bank: it reads the report, not the request
api POST "/reports/$F/share" "{\"to\": [$OP2]}" "$T_MIN"
expect_status 200 "the ministry shares the report with another bank"
api GET "/reports/$F" "" "$T_OP2"
expect_status 200 "the other bank reads the shared report"

widening_routes() {
	local who=$1 id=$2 tok=$3 d
	for d in approve refuse; do
		path_same "$who: widening $d" 404 POST "/widening-requests/{}/$d" "$id" "$tok" '{}'
	done
	api GET /widening-requests "" "$tok"
	eq "$who: the list does not show it" "$(jqv "[.items[].id] | index($id)")" null
}
widening_routes "the ministry on the path (reads the report)" "$W" "$T_MIN"
widening_routes "another bank the report was shared with" "$W" "$T_OP2"
widening_routes "another sector's operator" "$W" "$T_OPE"
widening_routes "the CEPTOAR (not on a direct report's path)" "$W" "$T_CEP"
widening_routes "another CEPTOAR, anonymised report" "$WA" "$T_CEPE"
widening_routes "another bank, anonymised report" "$WA" "$T_OP1"
widening_routes "the anonymised report's ministry" "$WA" "$T_MIN"
# NISC sees its own requests: it may be told it does not answer them (403)
api POST "/widening-requests/$W/approve" '{}' "$T_NISC"
expect_error "" 403 "NISC answering its own request -> 403 (it reads the request)"

# ---- advisories ----------------------------------------------------------
# electricity only: never delivered to the finance side
AE=$(adv_issue "$T_NISC" "$(mkadv amber '.recipients = [{sector: "electricity"}]')")
# an alert waiting for its second approver: delivered to no one yet
AP=$(adv_issue "$T_NISC" "$(mkadv amber '.recipients = [{sector: "finance"}] | .importance = "alert"')")
adv_routes() {
	local who=$1 id=$2 tok=$3
	path_same "$who: GET /advisories/{id}" 404 GET "/advisories/{}" "$id" "$tok"
	path_same "$who: ack" 404 POST "/advisories/{}/ack" "$id" "$tok" '{}'
	path_same "$who: relay" 404 POST "/advisories/{}/relay" "$id" "$tok" "{\"to\": [$OP1]}"
	path_same "$who: approve" 404 POST "/advisories/{}/approve" "$id" "$tok" '{}'
	path_same "$who: followups" 404 POST "/advisories/{}/followups" "$id" "$tok" \
	    "{\"form\": $(mkadv amber)}"
}
adv_routes "finance ministry, an electricity advisory" "$AE" "$T_MIN"
adv_routes "finance CEPTOAR, an electricity advisory" "$AE" "$T_CEP"
adv_routes "a bank, an electricity advisory" "$AE" "$T_OP1"
adv_routes "the finance ministry, an alert not yet approved" "$AP" "$T_MIN"
adv_routes "a bank, an alert not yet approved" "$AP" "$T_OP1"

# ---- users and tokens -----------------------------------------------------
api GET "/users/$OP2_UID/tokens" "" "$ADMIN"
expect_status 200 "the admin lists the other bank user's tokens"
OP2_TOKEN_ID=$(jqv '.items[0].id')
user_routes() {
	local who=$1 tok=$2
	path_same "$who: GET /users/{id}/tokens" 404 GET "/users/{}/tokens" "$OP2_UID" "$tok"
	path_same "$who: POST /users/{id}/tokens" 404 POST "/users/{}/tokens" "$OP2_UID" "$tok" '{"label": "x"}'
	path_same "$who: PATCH /users/{id}" 404 PATCH "/users/{}" "$OP2_UID" "$tok" '{"display_name": "x"}'
	path_same "$who: PATCH /users/{id} (roles)" 404 PATCH "/users/{}" "$OP2_UID" "$tok" '{"roles": ["member"]}'
	path_same "$who: DELETE /tokens/{id}" 404 DELETE "/tokens/{}" "$OP2_TOKEN_ID" "$tok"
}
user_routes "org_admin of bank A, a user of bank B" "$T_OP1_ADM"
user_routes "a member of bank A, a user of bank B" "$T_OP1"
user_routes "a colleague of the user (not org_admin)" "$T_OP2"
user_routes "NISC, a bank's user" "$T_NISC"
# what a reader of the user may be told: 403 (org_admin on its org's admin)
ADM_UID=$(jqv .id "$(curl -s -H "Authorization: Bearer $ADMIN" "$URL/me")")
api GET "/users/$ADM_UID/tokens" "" "$T_OP1_ADM"
expect_error "" 404 "an org_admin on the platform admin's tokens -> 404"
api PATCH "/users/$OP1_ADM_UID" '{"display_name": "x"}' "$T_OP1"
expect_error "" 404 "a member changing its org_admin (whom it may not read) -> 404"
api GET "/users/$OP1_ADM_UID/tokens" "" "$T_OP1_ADM"
expect_status 200 "a user lists its own tokens"

# ---- organisations ----------------------------------------------------------
api GET "/orgs?limit=500" "" "$ADMIN"
PLATFORM=$(jqv '[.items[] | select(.type == "platform")][0].id')
ok "the platform organisation exists" '[ -n "$PLATFORM" ] && [ "$PLATFORM" != null ]'
path_same "a bank, GET /orgs/{platform}" 404 GET "/orgs/{}" "$PLATFORM" "$T_OP1"
path_same "a bank's org_admin, PATCH /orgs/{platform}" 404 PATCH "/orgs/{}" "$PLATFORM" "$T_OP1_ADM" \
    '{"identifiers": ["abc"]}'
path_same "a bank's member, PATCH /orgs/{platform}" 404 PATCH "/orgs/{}" "$PLATFORM" "$T_OP1" \
    '{"identifiers": ["abc"]}'
path_same "NISC, PATCH /orgs/{platform}" 404 PATCH "/orgs/{}" "$PLATFORM" "$T_NISC" '{"name": "x"}'

# ---- notification channels ----------------------------------------------------
api POST /notification-channels '{"kind": "email", "target": "ops@op2.example"}' "$T_OP2_ADM"
CH=$(created "a channel of bank B" id)
for d in enable disable; do
	path_same "org_admin of bank A, channel $d" 404 POST "/notification-channels/{}/$d" "$CH" "$T_OP1_ADM" '{}'
	path_same "a member of bank B, its org's channel $d" 404 POST "/notification-channels/{}/$d" "$CH" "$T_OP2" '{}'
done

# ---- ids inside bodies ---------------------------------------------------------
same "channel user: a user of another bank" 400 POST /notification-channels /notification-channels \
    "$T_OP1_ADM" "{\"kind\": \"email\", \"target\": \"a@b.example\", \"user\": $OP2_UID}" \
    "{\"kind\": \"email\", \"target\": \"a@b.example\", \"user\": $MISSING}"
same "channel user: a member naming another organisation's user" 403 POST /notification-channels /notification-channels \
    "$T_OP1" "{\"kind\": \"email\", \"target\": \"a@b.example\", \"user\": $OP2_UID}" \
    "{\"kind\": \"email\", \"target\": \"a@b.example\", \"user\": $MISSING}"
same "extra_recipients: the platform organisation" 400 POST /reports /reports "$T_OP1" \
    "{\"route\": \"direct\", \"legal_duty\": false, \"form\": $(mkform amber finance), \"extra_recipients\": [$PLATFORM]}" \
    "{\"route\": \"direct\", \"legal_duty\": false, \"form\": $(mkform amber finance), \"extra_recipients\": [$MISSING]}"
same "share to: the platform organisation" 400 POST "/reports/$F/share" "/reports/$F/share" "$T_NISC" \
    "{\"to\": [$PLATFORM]}" "{\"to\": [$MISSING]}"
AF=$(adv_issue "$T_NISC" "$(mkadv amber '.recipients = [{sector: "finance"}]')")
same "relay to: the platform organisation" 400 POST "/advisories/$AF/relay" "/advisories/$AF/relay" "$T_MIN" \
    "{\"to\": [$PLATFORM]}" "{\"to\": [$MISSING]}"
same "POST /users org: another organisation (org_admin)" 403 POST /users /users "$T_OP1_ADM" \
    "{\"org\": $OP2, \"login\": \"x-new\", \"roles\": [\"member\"]}" \
    "{\"org\": $MISSING, \"login\": \"x-new\", \"roles\": [\"member\"]}"
same "GET /users?org= another organisation (org_admin)" 403 GET "/users?org=$OP2" "/users?org=$MISSING" "$T_OP1_ADM"
# related_reports and consented_sources (the advisory's source check)
FFIN=$(mkadv amber '.recipients = [{sector: "finance"}]')
same "related_reports: a report still at the ministry" 400 POST /advisories /advisories "$T_NISC" \
    "{\"form\": $FFIN, \"related_reports\": [$D]}" "{\"form\": $FFIN, \"related_reports\": [$MISSING]}"
same "consented_sources: a report still at the ministry" 400 POST /advisories /advisories "$T_NISC" \
    "{\"form\": $FFIN, \"related_reports\": [$F], \"consented_sources\": [$D]}" \
    "{\"form\": $FFIN, \"related_reports\": [$F], \"consented_sources\": [$MISSING]}"

# the source answers (an entry NISC may read: it sees the request)
api POST "/widening-requests/$W/refuse" '{}' "$T_OP1"
expect_status 200 "the source refuses the widening request"

# ---- GET /audit -------------------------------------------------------------------
AUD_ADMIN=$(audit_all "$ADMIN")
AUD_NISC=$(audit_all "$T_NISC")
api GET /audit/verify "" "$ADMIN"
eq "the admin sees every entry" "$(jq length <<<"$AUD_ADMIN")" "$(jqv .entries)"
ok "the admin's log holds the creation of the report at the ministry" \
    '[ "$(jq --arg it "report:$D" "[.[] | select(.item == \$it and .action == \"report.create\")] | length" <<<"$AUD_ADMIN")" == 1 ]'
eq "NISC's log holds no entry about the report at the ministry" \
    "$(jq --arg it "report:$D" '[.[] | select(.item == $it)] | length' <<<"$AUD_NISC")" 0
eq "NISC's log holds the creation of the report it received" \
    "$(jq --arg it "report:$F" '[.[] | select(.item == $it and .action == "report.create")] | length' <<<"$AUD_NISC")" 1
eq "NISC's log holds the anonymised report's creation, with no org or user" \
    "$(jq -c --arg it "report:$A" '[.[] | select(.item == $it and .action == "report.create") | [.org, .user]]' <<<"$AUD_NISC")" '[[null,null]]'
OP2_SUBMITTER=$(jqv .id "$(curl -s -H "Authorization: Bearer $T_OP2" "$URL/me")")
for who in ADMIN NISC; do
	v=AUD_$who
	eq "$who: no entry about the anonymised report names its source" \
	    "$(jq --arg it "report:$A" --argjson o "$OP2" --argjson u "$OP2_SUBMITTER" \
	      '[.[] | select(.item == $it) | select(.org == $o or .user == $u)] | length' <<<"${!v}")" 0
done
eq "NISC's log shows only NISC's own directory and session entries" \
    "$(jq -c --argjson n "$NISC" '[.[] | select(.item == null and .org != $n)] | length' <<<"$AUD_NISC")" 0
ok "NISC's log holds its own organisation's actions" \
    '[ "$(jq --argjson n "$NISC" "[.[] | select(.org == \$n)] | length" <<<"$AUD_NISC")" -gt 3 ]'
eq "NISC's log holds the source's answer to its widening request" \
    "$(jq --arg it "report:$F" '[.[] | select(.item == $it and .action == "widening.refuse")] | length' <<<"$AUD_NISC")" 1
eq "NISC's log: every entry is about a report, an advisory, a user or nothing" \
    "$(jq '[.[] | select(.item != null) | select(.item | test("^(report|advisory|user):") | not)] | length' <<<"$AUD_NISC")" 0
PAGED=$(audit_all "$T_NISC" 3)
eq "NISC paging with limit=3 returns the same entries" "$(jq -c '[.[].seq]' <<<"$PAGED")" "$(jq -c '[.[].seq]' <<<"$AUD_NISC")"
api GET "/audit?limit=500&since=2000-01-01T00:00:00Z" "" "$T_NISC"
eq "NISC's since= filter still filters by policy" "$(jqv '[.items[].seq] | length')" "$(jq length <<<"$AUD_NISC")"
# the report reaches NISC: its earlier entries become visible
forward "$T_MIN" "$D"
AUD_NISC=$(audit_all "$T_NISC")
eq "after the forward NISC's log holds the creation" \
    "$(jq --arg it "report:$D" '[.[] | select(.item == $it and .action == "report.create")] | length' <<<"$AUD_NISC")" 1
# an entry of its own organisation about a report the reader may not read
# (AMBER+STRICT, the reader an NDA contractor) stays hidden
T_NISC_NDA=$(principal "$NISC" x-nisc-nda analyst true)
S=$(submit "$T_OP1" direct "$(mkform amber_strict finance)")
forward "$T_MIN" "$S"
api GET "/reports/$S" "" "$T_NISC"
expect_status 200 "a NISC analyst reads the AMBER+STRICT report"
api GET "/reports?limit=500" "" "$T_NISC"
expect_status 200 "a NISC analyst lists the reports"
path_same "NISC's NDA contractor, an AMBER+STRICT report" 404 GET "/reports/{}" "$S" "$T_NISC_NDA"
AUD_NDA=$(audit_all "$T_NISC_NDA")
ok "the admin's log holds NISC's list naming the AMBER+STRICT report" \
    '[ "$(audit_all "$ADMIN" | jq --argjson s "$S" "[.[] | select(.action == \"report.list\" and (.detail.reports | index(\$s)))] | length")" -ge 1 ]'
eq "the NDA contractor's log: no entry about the AMBER+STRICT report" \
    "$(jq --arg it "report:$S" '[.[] | select(.item == $it)] | length' <<<"$AUD_NDA")" 0
eq "the NDA contractor's log: no colleague's list naming it" \
    "$(jq --argjson s "$S" '[.[] | select(.action == "report.list" and (.detail.reports | index($s)))] | length' <<<"$AUD_NDA")" 0
ok "the NDA contractor's log holds its colleagues' other actions" \
    '[ "$(jq --argjson n "$NISC" "[.[] | select(.org == \$n)] | length" <<<"$AUD_NDA")" -gt 3 ]'
api GET /audit/verify "" "$T_NISC"
expect_status 200 "a NISC analyst runs /audit/verify"
eq "verify tells NISC only ok and the count" "$(jqv 'keys | join(",")')" "entries,ok"
for t in T_OP1 T_MIN T_CEP T_OP1_ADM; do
	api GET /audit "" "${!t}"
	expect_error "" 403 "$t reading /audit -> 403"
done

