#!/usr/bin/env bash
# Anonymity of the via_ceptoar route: after the report reached NISC, neither
# the database dump nor anything NISC, the ministry or the admin can read
# about the report (GET, lists, search, /audit) holds the operator's org
# name, login, display name, e-mail (or phone, department), and nothing in
# the database links the report to the operator's org or user.  The CEPTOAR
# secretariat sees them in `submitter`; the operator still reads its report
# and files a 第2報.
. "$(dirname "$0")/lib.sh"
start_server

ORGNAME="Zq7北辰銀行Hokushin"
LOGIN="zq7-secret-login"
DISPLAY="Zq7Display 山田花子"
EMAIL="zq7.yamada@zq7-hokushin.example"
PHONE="03-7777-0101"
DEPT="Zq7システム企画部"
NEEDLES=("$ORGNAME" "$LOGIN" "$DISPLAY" "$EMAIL" "$PHONE" "$DEPT" "zq7-hokushin.example")
MARK="zq7marker-clear-summary"

orgs "A " <<'EOF'
NISC	nisc			[]		-	NISC
MIN	ci_ministry		["finance"]	-	金融庁
CEP	ceptoar_secretariat	["finance"]	-	銀行等CEPTOAR
EOF
OP=$(mkorg "$ORGNAME" ci_operator '["finance"]' "$CEP")
tokens <<'EOF'
T_NISC	NISC	a-nisc	analyst
T_MIN	MIN	a-fsa	liaison
T_CEP	CEP	a-cep	poc
EOF
OP_UID=$(mkuser "$OP" "$LOGIN" member false \
    "$(jq -nc --arg d "$DISPLAY" --arg e "$EMAIL" --arg p "$PHONE" --arg dp "$DEPT" \
      '{display_name: $d, email: $e, phone: $p, department: $dp}')")
T_OP=$(mktoken "$OP_UID")

# leaks TEXT -> prints the needles TEXT contains (none: empty)
leaks() {
	local n
	for n in "${NEEDLES[@]}"; do
		grep -qF -- "$n" <<<"$1" && printf '[%s] ' "$n"
	done
	return 0
}
# no_leak DESC TEXT
no_leak() {
	local l
	l=$(leaks "$2")
	if [ -z "$l" ]; then pass "$1"; else fail "$1" "contains $l; $(last_req)"; fi
}

FORM=$(mkform green finance "
	.affected_operator_name = \"$ORGNAME\"
	| .overview.event_summary = \"弊社（$ORGNAME）の $LOGIN アカウントで感染。担当 $DISPLAY $EMAIL $PHONE $MARK\"
	| .overview.affected_system_or_contractor = \"$ORGNAME 勘定系\"
	| .impact.external_response.other_contacts_besides_nisc = \"連絡先 $EMAIL\"
	| .timeline = [{at: \"2026-11-21 09:00\", description: \"$DISPLAY が検知\"}]
	| .other_lessons_learned = \"$ORGNAME として教訓\"")

# another bank's identified report, shared with our operator by the ministry,
# so that the operator's report list mixes identified and anonymised items
OPB=$(mkorg "A さくら信金" ci_operator '["finance"]' "$CEP")
T_OPB=$(principal "$OPB" a-opb member)
OTHER=$(submit "$T_OPB" direct "$(mkform amber finance)")
api POST "/reports/$OTHER/share" "{\"to\": [$OP]}" "$T_MIN"
expect_status 200 "the ministry shares another bank's report with the operator"

api POST /reports "$(jq -nc --argjson f "$FORM" '{route: "via_ceptoar", legal_duty: false, form: $f}')" "$T_OP"
expect_status 201 "the operator files via_ceptoar"
C=$(jqv .id)
eq "the report is at the CEPTOAR" "$(jqv .state)" at_ceptoar

# the secretariat sees who it is
api GET "/reports/$C" "" "$T_CEP"
expect_status 200 "the secretariat reads the report"
eq "the secretariat sees submitter.org_name" "$(jqv .submitter.org_name)" "$ORGNAME"
eq "the secretariat sees submitter.login" "$(jqv .submitter.login)" "$LOGIN"
eq "the secretariat sees submitter.display_name" "$(jqv .submitter.display_name)" "$DISPLAY"
eq "the secretariat sees submitter.email" "$(jqv .submitter.email)" "$EMAIL"
eq "the secretariat sees submitter.org (id)" "$(jqv .submitter.org)" "$OP"
eq "the secretariat sees the original form" "$(jqv '.versions[0].form.affected_operator_name')" "$ORGNAME"

# Shared before the forward: the share reads nothing until a version left
# the anonymising hop (the property test's finding: it read an empty report)
api POST "/reports/$C/share" "{\"to\": [$OPB]}" "$T_CEP"
expect_status 200 "the secretariat shares the report with another member bank before the forward"
api GET "/reports/999999999" "" "$T_OPB"
MISSING=$BODY
api GET "/reports/$C" "" "$T_OPB"
expect_error "" 404 "before the forward the shared bank does not read the anonymised report"
eq "... the same 404 as a missing report" "$BODY" "$MISSING"
forward "$T_CEP" "$C" "$(jq -nc --arg n "$ORGNAME" --arg l "$LOGIN" \
    '{form: {tlp_special_notes: ("事業者 " + $n + " (" + $l + ") の了承済み")}}')" &&
    pass "the secretariat forwards the anonymised report (with a patch naming the operator)"
api GET "/reports/$C" "" "$T_OPB"
expect_status 200 "after the forward the shared bank reads what left the anonymising hop"
no_leak "the shared bank's GET holds no operator identity" "$BODY"
api GET "/reports/$C" "" "$T_MIN"
expect_status 200 "the ministry reads the anonymised report"
no_leak "the ministry's GET holds no operator identity" "$BODY"
eq "the ministry's GET has no submitter" "$(jqv 'has("submitter")')" false
ok "the ministry's GET keeps the non-identifying text" 'grep -qF "$MARK" <<<"$BODY"'
ok "the ministry's GET shows the redaction mark" 'grep -qF "［匿名化］" <<<"$BODY"'
eq "the ministry's GET has no affected_operator_name" "$(jqv '[.versions[].form | has("affected_operator_name")] | any')" false
ok "no hop of the ministry's GET names the operator's org" \
    '! jq -e --argjson op "$OP" "[.path[].org, .versions[].hops[].by_org] | index(\$op)" <<<"$BODY" >/dev/null'
forward "$T_MIN" "$C" && pass "the ministry forwards to NISC"
eq "the report got an R-number" "$(jqv .identification_number)" R1

# the operator: its own report, a 第2報, and the list (anonymised + identified)
api GET "/reports/$C" "" "$T_OP"
expect_status 200 "the operator reads its own anonymised report"
eq "the operator's relation is submitter" "$(jqv .relation)" submitter
FORM2=$(jq -c ".overview.event_summary = \"第2報 $ORGNAME $MARK-2\" | del(.timeline)" <<<"$FORM")
V=$(followup "$T_OP" "$C" "$FORM2")
eq "the operator files 第2報 (version 2)" "$V" 2
ok "the operator's list holds the shared report, not its anonymised one" \
    '[ "$(list_ids "$T_OP" | grep -cxE "$C|$OTHER")" == 1 ] && list_ids "$T_OP" | grep -qx "$OTHER"'
ok "?anonymised=mine lists the operator's own anonymised report only" \
    '[ "$(list_ids "$T_OP" anonymised=mine | tr "\n" " ")" == "$C " ]'
forward "$T_CEP" "$C" && pass "the secretariat forwards 第2報"
forward "$T_MIN" "$C" && pass "the ministry forwards 第2報"
CAS=$(mkorg "A CAS" cas_crisis_management '[]')
T_CAS=$(principal "$CAS" a-cas member)
api POST "/reports/$C/share" "{\"to\": [$CAS]}" "$T_NISC"
expect_status 200 "NISC shares the report with CAS (※1)"
api GET "/reports/$C" "" "$T_CAS"
expect_status 200 "CAS reads the shared report"
no_leak "CAS's GET holds no operator identity" "$BODY"
eq "CAS's GET has no submitter" "$(jqv 'has("submitter")')" false
eq "the secretariat's patch was anonymised too" "$(jqv '.versions[0].form.tlp_special_notes')" "事業者 ［匿名化］ (［匿名化］) の了承済み"

# ---- the database ----
DUMP=$(db_dump)
ok "the dump holds the reports (sanity: the clear marker is there)" 'grep -qF "$MARK" <<<"$DUMP"'
for n in "${NEEDLES[@]}"; do
	ok "the database dump does not contain '$n'" '! grep -qF -- "$n" <<<"$DUMP"'
done
ok "the database dump has no case-folded org name either" '! grep -qiF -- "Hokushin" <<<"$DUMP"'
eq "reports.submitter_org is not the operator for the anonymised report" \
    "$(db_sql "SELECT count(*) FROM reports WHERE id = $C AND submitter_org = $OP")" 0
eq "no version row of the anonymised report is attributed to the operator" \
    "$(db_sql "SELECT count(*) FROM report_versions WHERE report = $C AND (by_org = $OP OR by_user = $OP_UID)")" 0
eq "no audit row about the anonymised report names the operator's org or user" \
    "$(db_sql "SELECT count(*) FROM audit WHERE (item = 'report:$C' OR detail LIKE '%$C%') AND (org = $OP OR \"user\" = $OP_UID)")" 0
eq "no audit row that carries the anonymised report shares its microsecond time with an entry by the operator" \
    "$(db_sql "SELECT count(*) FROM audit a JOIN audit b ON a.at_us = b.at_us AND a.seq <> b.seq
        WHERE (a.item = 'report:$C' OR a.detail LIKE '%[$C]%' OR a.detail LIKE '%[$C,%' OR a.detail LIKE '%,$C]%' OR a.detail LIKE '%,$C,%')
          AND (b.org = $OP OR b.\"user\" = $OP_UID)")" 0

# ---- NISC ----
api GET "/reports/$C" "" "$T_NISC"
expect_status 200 "NISC reads the report"
no_leak "NISC's GET holds no operator identity" "$BODY"
eq "NISC's GET has no submitter" "$(jqv 'has("submitter")')" false
eq "NISC sees R1 and R1-2" "$(jqv '[.versions[].identification_number] | join(",")')" "R1,R1-2"
ok "no path or hop in NISC's GET names the operator's org" \
    '! jq -e --argjson op "$OP" "[.path[].org, .versions[].hops[].by_org] | index(\$op)" <<<"$BODY" >/dev/null'
api GET "/reports?limit=500" "" "$T_NISC"
expect_status 200 "NISC lists reports"
ok "NISC's list has the report" 'jq -e --argjson c "$C" "[.items[].id] | index(\$c)" <<<"$BODY" >/dev/null'
no_leak "NISC's list holds no operator identity" "$BODY"
api GET "/reports?q=$(jq -rn --arg s "$ORGNAME" '$s|@uri')" "" "$T_NISC"
eq "NISC searching for the org name finds nothing" "$(jqv '.items | length')" 0
api GET "/reports?q=$LOGIN" "" "$T_NISC"
eq "NISC searching for the login finds nothing" "$(jqv '.items | length')" 0
api GET "/reports?q=$MARK" "" "$T_NISC"
eq "NISC searching for clear text finds the report" "$(jqv '[.items[].id] | join(",")')" "$C"
AUD=$(audit_all "$T_NISC")
ok "NISC reads the audit log" '[ "$(jq length <<<"$AUD")" -gt 10 ]'
no_leak "NISC's /audit holds no operator identity" "$AUD"

# ---- the ministry ----
api GET "/reports?limit=500" "" "$T_MIN"
no_leak "the ministry's list holds no operator identity" "$BODY"
api GET "/reports/$C" "" "$T_MIN"
no_leak "the ministry's GET after 第2報 holds no operator identity" "$BODY"
eq "the ministry's GET has no submitter after 第2報" "$(jqv 'has("submitter")')" false

# ---- the admin ----
api GET "/reports/$C" "" "$ADMIN"
expect_error "" 404 "the admin cannot read the report -> 404"
no_leak "the admin's 404 holds no operator identity" "$BODY"
api GET "/reports?limit=500" "" "$ADMIN"
eq "the admin's report list is empty" "$(jqv '.items | length')" 0
AUD=$(audit_all "$ADMIN")
no_leak "the admin's /audit holds no operator identity" "$AUD"
ok "in /audit, no entry about the report names the operator's org or user" \
    '[ "$(jq --arg it "report:$C" --argjson op "$OP" --argjson u "$OP_UID" \
        "[.[] | select(.item == \$it) | select(.org == \$op or .user == \$u)] | length" <<<"$AUD")" == 0 ]'

# ---- the secretariat, after all that ----
api GET "/reports/$C" "" "$T_CEP"
eq "the secretariat still sees the submitter after NISC got it" "$(jqv .submitter.login)" "$LOGIN"
eq "the secretariat still sees the submitter's org name" "$(jqv .submitter.org_name)" "$ORGNAME"
