#!/usr/bin/env bash
# Identity variants on the anonymised route (issue 10, items 2 and 9): the
# CEPTOAR secretariat's forward removes the source's identity however it is
# spelled — full-width, another case, a number without or with other
# separators, a registered identifier (brand), a department, another user
# of the same organisation, a fax number — from what the ministry and NISC
# read and from the raw database; forward?dry_run=1 shows exactly what the
# ministry would receive, with the redactions marked, and keeps nothing;
# a secretariat learns how small its anonymity set is.
. "$(dirname "$0")/lib.sh"
start_server

ORGNAME="Kx9北辰電力"
IDENT1="HKDNPWR"	# long enough never to turn up by chance in sealed base64
IDENT2="北辰パワー"
LOGIN="kx9-soc-login"
DISPLAY="鈴木 一郎"
DEPT="Kx9情報システム部"
EMAIL="soc@kx9-hokushin.example"
PHONE="03-5555-0199"
FAX="03-5555-0198"
DISPLAY2="佐藤 次郎"
PHONE2="090-1111-2222"
MARK="kx9-clear-marker"

# What the operator writes: every identity, spelled otherwise.
VARIANTS=(
	"Ｋｘ９北辰電力"		# the name in full-width characters
	"KX9北辰電力"		# the name in another case
	"hkdnpwr"		# a registered identifier, lower case
	"北辰パワー"		# another registered identifier
	"0355550199"		# the phone without hyphens
	"03 5555 0199"		# the phone with spaces
	"０３－５５５５－０１９８"	# the fax in full-width digits and dashes
	"kx9情報システム部"	# the department, another case
	"SOC@KX9-HOKUSHIN.EXAMPLE"	# the e-mail address, upper case
	"佐藤次郎"		# another user of the organisation, without the space
	"09011112222"		# that user's phone without hyphens
	"鈴木　一郎"		# the filer with an ideographic space
)
# What must never appear, as written or as registered.
NEEDLES=("${VARIANTS[@]}" "$ORGNAME" "$IDENT1" "$DEPT" "$EMAIL" "$PHONE" "$FAX"
    "$DISPLAY2" "$PHONE2" "$LOGIN" "kx9-hokushin.example" "5555-0199" "55550199")

leaks() {
	local n
	for n in "${NEEDLES[@]}"; do
		grep -qiF -- "$n" <<<"$1" && printf '[%s] ' "$n"
	done
	return 0
}
no_leak() {
	local l
	l=$(leaks "$2")
	if [ -z "$l" ]; then pass "$1"; else fail "$1" "contains $l; $(last_req)"; fi
}

orgs "R " <<'EOF'
NISC	nisc			[]		-	NISC
MIN	ci_ministry		["electricity"]	-	経済産業省
CEP	ceptoar_secretariat	["electricity"]	-	電力CEPTOAR
EOF
OP=$(mkorg "$ORGNAME" ci_operator '["electricity"]' "$CEP")
tokens <<'EOF'
T_NISC	NISC	r-nisc	analyst
T_MIN	MIN	r-meti	liaison
T_CEP	CEP	r-cep	poc
EOF
api PATCH "/orgs/$OP" "$(jq -nc --arg a "$IDENT1" --arg b "$IDENT2" '{identifiers: [$a, $b]}')" "$ADMIN"
expect_status 200 "the operator's registered identifiers are recorded"
OP_UID=$(mkuser "$OP" "$LOGIN" member false \
    "$(jq -nc --arg d "$DISPLAY" --arg e "$EMAIL" --arg p "$PHONE" --arg f "$FAX" --arg dp "$DEPT" \
      '{display_name: $d, email: $e, phone: $p, fax: $f, department: $dp}')")
T_OP=$(mktoken "$OP_UID")
mkuser "$OP" kx9-other member false \
    "$(jq -nc --arg d "$DISPLAY2" --arg p "$PHONE2" '{display_name: $d, phone: $p}')" >/dev/null
api GET "/users?org=$OP" "" "$ADMIN"
eq "a user's fax number is kept and shown to the admin" "$(jqv ".items[] | select(.id == $OP_UID) | .fax")" "$FAX"

SUMMARY="$(printf '%s、' "${VARIANTS[@]}")$MARK"
FORM=$(mkform amber electricity "
	.overview.event_summary = $(jq -nc --arg s "$SUMMARY" '$s')
	| .overview.affected_system_or_contractor = \"Ｋｘ９北辰電力 制御系\"
	| .timeline = [{at: \"2026-11-21 09:00\", description: \"佐藤次郎 (09011112222) が検知\"}]")
api POST /reports "$(jq -nc --argjson f "$FORM" '{route: "via_ceptoar", legal_duty: false, form: $f}')" "$T_OP"
expect_status 201 "the operator files through its CEPTOAR"
C=$(jqv .id)

# ---- the dry run ----
api GET "/audit?limit=500" "" "$ADMIN"
AUDIT_BEFORE=$(jqv '.items | length')
api POST "/reports/$C/forward?dry_run=1" '{}' "$T_CEP"
expect_status 200 "forward?dry_run=1 by the secretariat -> 200"
PREVIEW=$BODY
eq "the dry run says so" "$(jqv .dry_run)" true
no_leak "the previewed form holds no identity variant" "$(jq -c .form <<<"$PREVIEW")"
ok "the previewed form keeps the rest of the text" 'jq -e --arg m "$MARK" ".form.overview.event_summary | contains(\$m)" <<<"$PREVIEW" >/dev/null'
N=$(jqv '.redactions | length')
ok "every variant is one redaction ($N in all)" '[ "$N" -ge $(( ${#VARIANTS[@]} + 3 )) ]'
eq "each redaction's span holds the redaction mark" \
    "$(jq -r '. as $r | [.redactions[] as $x | ($r.form | getpath($x.field | split(".")[1:] | map(tonumber? // .)))[$x.start:$x.end]] | unique | join(",")' <<<"$PREVIEW")" "［匿名化］"
ok "redactions name fields under form." '[ "$(jqv "[.redactions[].field | startswith(\"form.\")] | all")" == true ]'
eq "the timeline row's redactions are located" "$(jqv '[.redactions[] | select(.field == "form.timeline.0.description")] | length')" 2
eq "the dry run lists each version that would move" "$(jqv '[.versions[].version] | join(",")')" "1"
eq "the anonymity set: one member operator" "$(jqv .anonymity_set.members)" 1
eq "the default threshold is 5" "$(jqv .anonymity_set.minimum)" 5
eq "one member operator is below it: a warning" "$(jqv .anonymity_set.warning)" true
api GET "/reports/$C" "" "$T_CEP"
eq "after the dry run the report is still at the CEPTOAR" "$(jqv .state)" at_ceptoar
eq "after the dry run there is still one version row (the source's)" "$(jqv '[.versions[0].hops[].hop] | join(",")')" "source"
api GET "/audit?limit=500" "" "$ADMIN"
eq "the dry run wrote nothing to the audit log (the secretariat's read is the only new entry)" \
    "$(jqv "[.items[] | select(.action == \"report.forward\")] | length")" 0
api GET "/reports/$C" "" "$T_MIN"
expect_error "" 404 "after the dry run the ministry still cannot read the report"

# ---- bad dry-run input writes nothing either ----
api POST "/reports/$C/forward?dry_run=maybe" '{}' "$T_CEP"
expect_error dry_run 400 "dry_run=maybe -> 400 naming dry_run"
api POST "/reports/$C/forward" '{"confirm_small_anonymity_set": "yes"}' "$T_CEP"
expect_error confirm_small_anonymity_set 400 "a non-boolean confirmation -> 400 naming it"
api POST "/reports/$C/forward?dry_run=1" '{}' "$T_MIN"
expect_error "" 404 "the ministry cannot preview a report that has not reached it"

# ---- a patch brings the identity back: it goes again ----
PATCH=$(jq -nc '{form: {tlp_special_notes: "ｋｘ９北辰電力 の了承済み（０３５５５５０１９９）"}}')
api POST "/reports/$C/forward?dry_run=1" "$PATCH" "$T_CEP"
expect_status 200 "a dry run with an edited text"
eq "the edit is previewed, its identity removed" "$(jqv .form.tlp_special_notes)" "［匿名化］ の了承済み（［匿名化］）"
api POST "/reports/$C/forward" "$(jq -c '. + {confirm_small_anonymity_set: true}' <<<"$PATCH")" "$T_CEP"
expect_status 200 "the secretariat forwards, confirming the small anonymity set"
AUD=$(audit_all "$ADMIN")
eq "the forward's audit entry records the confirmed small set" \
    "$(jq -cS '[.[] | select(.action == "report.forward") | .detail.small_anonymity_set] | first' <<<"$AUD")" '{"confirmed":true,"members":1}'

# ---- what the ministry and NISC read ----
api GET "/reports/$C" "" "$T_MIN"
expect_status 200 "the ministry reads the anonymised report"
no_leak "the ministry's view holds no identity variant" "$BODY"
ok "the ministry's view keeps the clear text" 'grep -qF "$MARK" <<<"$BODY"'
eq "the ministry received exactly the previewed text (with the edit)" \
    "$(jqv '.versions[0].form.tlp_special_notes')" "［匿名化］ の了承済み（［匿名化］）"
eq "the ministry received the previewed summary" \
    "$(jqv '.versions[0].form.overview.event_summary')" "$(jq -r .form.overview.event_summary <<<"$PREVIEW")"
api POST "/reports/$C/forward?dry_run=1" '{}' "$T_MIN"
expect_status 200 "the ministry previews its own forward"
eq "the ministry's preview has no anonymity set" "$(jqv 'has("anonymity_set")')" false
eq "the ministry's preview numbers nothing for real" "$(jqv .dry_run)" true
forward "$T_MIN" "$C" && pass "the ministry forwards to NISC"
eq "NISC numbering after the ministry's dry run: R1 (the dry run took no number)" "$(jqv .identification_number)" R1
api GET "/reports/$C" "" "$T_NISC"
no_leak "NISC's view holds no identity variant" "$BODY"

# ---- the raw database ----
DUMP=$(db_dump)
ok "the dump holds the report (sanity: the clear marker)" 'grep -qF "$MARK" <<<"$DUMP"'
no_leak "the raw database holds no identity, in any variant" "$DUMP"

# ---- a configured threshold ----
stop_server
CISHARED_MIN_ANONYMITY_SET=1 serve_db
api POST /reports "$(jq -nc --argjson f "$(mkform green electricity)" '{route: "via_ceptoar", legal_duty: false, form: $f}')" "$T_OP"
C2=$(jqv .id)
api POST "/reports/$C2/forward?dry_run=1" '{}' "$T_CEP"
eq "with --min-anonymity-set 1 one member is enough: no warning" "$(jqv .anonymity_set.warning)" false
stop_server
