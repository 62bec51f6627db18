#!/usr/bin/env bash
# The three routes end to end (direct, via_ceptoar, urgent) with follow-ups
# (第2報, 第3報): states, paths, R-numbers, per-version identification
# numbers, 409 on a double forward, and who sees what at each step.
. "$(dirname "$0")/lib.sh"
start_server

orgs "E2E " <<'EOF'
NISC	nisc			[]			-	NISC
MIN	ci_ministry		["finance"]		-	金融庁
MIN_E	ci_ministry		["electricity","gas"]	-	経済産業省
CEP	ceptoar_secretariat	["finance"]		-	銀行等CEPTOAR
OP	ci_operator		["finance"]		CEP	みなと銀行
EOF
tokens <<'EOF'
T_NISC	NISC	nisc-analyst	analyst
T_MIN	MIN	fsa-liaison	liaison
T_MIN_E	MIN_E	meti-liaison	liaison
T_CEP	CEP	cep-poc		poc
T_OP	OP	bank-member	member
EOF

# The expected paths are computed from the directory, so they stay right
# if init ever pre-loads ministries or NISC (API.md Bootstrap).
# orgs_of TYPE [SECTOR] -> sorted ids, comma-separated
orgs_of() {
	api GET "/orgs?limit=500" "" "$ADMIN"
	jqv "[.items[] | select(.type == \"$1\") | select(\"${2:-}\" == \"\" or (.sectors | index(\"${2:-}\")))
	    | .id] | sort | join(\",\")"
}
# union of comma lists, sorted numerically
union() { printf '%s\n' "$@" | tr ',' '\n' | grep . | sort -n | paste -sd,; }
MINS_F=$(orgs_of ci_ministry finance)
NISCS=$(orgs_of nisc)
ok "setup: our finance ministry is among the finance ministries" '[[ ,$MINS_F, == *,$MIN,* ]]'

# sees TOKEN ID -> prints the HTTP status of GET /reports/ID
sees() { api GET "/reports/$2" "" "$1"; echo "$STATUS"; }
# listed TOKEN ID -> yes/no: ID is in GET /reports
listed() { if list_ids "$1" | grep -qx "$2"; then echo yes; else echo no; fi; }

# visibility LABEL ID OP CEP MIN MIN_E NISC — expected GET statuses
visibility() {
	local label=$1 id=$2
	eq "$label: operator GET -> $3" "$(sees "$T_OP" "$id")" "$3"
	eq "$label: CEPTOAR GET -> $4" "$(sees "$T_CEP" "$id")" "$4"
	eq "$label: ministry GET -> $5" "$(sees "$T_MIN" "$id")" "$5"
	eq "$label: other-sector ministry GET -> $6" "$(sees "$T_MIN_E" "$id")" "$6"
	eq "$label: NISC GET -> $7" "$(sees "$T_NISC" "$id")" "$7"
	local want
	want=$([ "$7" == 200 ] && echo yes || echo no)
	eq "$label: NISC list shows it: $want" "$(listed "$T_NISC" "$id")" "$want"
	want=$([ "$5" == 200 ] && echo yes || echo no)
	eq "$label: ministry list shows it: $want" "$(listed "$T_MIN" "$id")" "$want"
}

# ======================================================================
# direct
# ======================================================================
F1=$(mkform amber finance '.overview.event_summary = "direct 第1報"')
api POST /reports "$(jq -nc --argjson f "$F1" '{route: "direct", legal_duty: true, form: $f}')" "$T_OP"
expect_status 201 "direct: POST /reports -> 201"
D=$(jqv .id)
eq "direct: created as version 1" "$(jqv .version)" 1
eq "direct: state at_ministry" "$(jqv .state)" at_ministry
eq "direct: no identification number yet" "$(jqv '.identification_number // "none"')" none

api GET "/reports/$D" "" "$T_OP"
expect_status 200 "direct: the operator reads its report"
eq "direct: route direct" "$(jqv .route)" direct
eq "direct: tlp amber" "$(jqv .tlp)" amber
eq "direct: sector finance" "$(jqv .sector)" finance
eq "direct: not anonymised" "$(jqv .anonymised)" false
eq "direct: path is every finance ministry, no NISC yet" "$(jqv '[.path[].org] | sort | join(",")')" "$MINS_F"
eq "direct: path entry type ci_ministry" "$(jqv '.path[0].type')" ci_ministry
eq "direct: version 1 state at_ministry" "$(jqv '.versions[0].state')" at_ministry
eq "direct: version 1 has no identification number" "$(jqv '.versions[0].identification_number // "none"')" none
eq "direct: form report_sequence_number 1" "$(jqv '.versions[0].form.report_sequence_number')" 1
eq "direct: form identification_number blank" "$(jqv '.versions[0].form.identification_number')" ""
ok "direct: server set form.reported_at" '[ -n "$(jqv ".versions[0].form.reported_at // empty")" ]'
eq "direct: server set form.reporter.ministry_name to the operator's org" \
    "$(jqv '.versions[0].form.reporter.ministry_name')" "E2E みなと銀行"
ok "direct: submitted_at is RFC 3339 with offset" \
    '[[ $(jqv ".versions[0].submitted_at") =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}(Z|[+-][0-9]{2}:[0-9]{2})$ ]]'
eq "direct: submitter shown to the operator" "$(jqv '.submitter.org')" "$OP"

visibility "direct 第1報 at ministry" "$D" 200 404 200 404 404

# 第2報 before the ministry forwarded anything
V=$(followup "$T_OP" "$D" "$(mkform amber finance '.overview.event_summary = "direct 第2報"')")
eq "direct: follow-up is version 2" "$V" 2
api POST "/reports/$D/forward" "" "$T_NISC"
expect_error "" 404 "direct: NISC cannot forward (it cannot even see the report) -> 404"
api POST "/reports/$D/forward" "" "$T_OP"
expect_error "" 403 "direct: the operator cannot forward its own report -> 403"

api POST "/reports/$D/forward" '{"form": {"impact": {"supplementary_info": "所管省庁で補足"}}}' "$T_MIN"
expect_status 200 "direct: the ministry liaison forwards to NISC -> 200"
eq "direct: forward answers state at_nisc" "$(jqv .state)" at_nisc
eq "direct: forward answers R1 (first series to reach NISC)" "$(jqv .identification_number)" R1
eq "direct: forward carried versions 1 and 2" "$(jqv '.forwarded_versions | join(",")')" "1,2"

api POST "/reports/$D/forward" "" "$T_MIN"
expect_error "" 409 "direct: a second forward with nothing new -> 409"

api GET "/reports/$D" "" "$T_NISC"
expect_status 200 "direct: NISC reads it after the ministry forwarded it"
eq "direct: state at_nisc" "$(jqv .state)" at_nisc
eq "direct: identification_number R1" "$(jqv .identification_number)" R1
eq "direct: path now has the ministries and NISC" "$(jqv '[.path[].org] | sort | join(",")')" \
    "$(union "$MINS_F" "$NISCS")"
eq "direct: NISC sees versions 1 and 2" "$(jqv '[.versions[].version] | join(",")')" "1,2"
eq "direct: version 1 is R1" "$(jqv '.versions[0].identification_number')" R1
eq "direct: version 2 is R1-2" "$(jqv '.versions[1].identification_number')" R1-2
eq "direct: version 1 form says R1" "$(jqv '.versions[0].form.identification_number')" R1
eq "direct: version 2 form says R1-2" "$(jqv '.versions[1].form.identification_number')" R1-2
eq "direct: version 2 form report_sequence_number 2" "$(jqv '.versions[1].form.report_sequence_number')" 2
eq "direct: both versions at_nisc" "$(jqv '[.versions[].state] | join(",")')" "at_nisc,at_nisc"
eq "direct: the ministry's completion (merge patch) is in the last version NISC reads" \
    "$(jqv '.versions[1].form.impact.supplementary_info')" "所管省庁で補足"
eq "direct: version 1 keeps the operator's summary" "$(jqv '.versions[0].form.overview.event_summary')" "direct 第1報"
eq "direct: NISC sees who submitted a non-anonymised report" "$(jqv '.submitter.org')" "$OP"
visibility "direct at NISC" "$D" 200 404 200 404 200

api GET "/reports/$D" "" "$T_OP"
eq "direct: the operator sees R1 on version 1 too" "$(jqv '.versions[0].identification_number')" R1

# 第3報 after NISC received the series
V=$(followup "$T_OP" "$D" "$(mkform amber finance '.overview.event_summary = "direct 第3報" | .next_steps = "response_completed"')")
eq "direct: next follow-up is version 3" "$V" 3
api GET "/reports/$D" "" "$T_OP"
eq "direct: report state stays at_nisc after 第3報 (never goes backwards)" "$(jqv .state)" at_nisc
eq "direct: version 3 itself is at_ministry until forwarded" "$(jqv '.versions[2].state')" at_ministry
eq "direct: version 3 has no identification number before NISC has it" \
    "$(jqv '.versions[2].identification_number // "none"')" none
api GET "/reports/$D" "" "$T_NISC"
eq "direct: NISC does not see version 3 before the ministry forwards it" \
    "$(jqv '[.versions[].version] | join(",")')" "1,2"
api GET "/reports/$D" "" "$T_MIN"
eq "direct: the ministry sees version 3" "$(jqv '[.versions[].version] | join(",")')" "1,2,3"
api POST "/reports/$D/forward" "" "$T_MIN"
expect_status 200 "direct: the ministry forwards 第3報 -> 200"
eq "direct: only version 3 was forwarded" "$(jqv '.forwarded_versions | join(",")')" 3
eq "direct: the series keeps R1" "$(jqv .identification_number)" R1
api GET "/reports/$D" "" "$T_NISC"
eq "direct: NISC now sees versions 1-3" "$(jqv '[.versions[].version] | join(",")')" "1,2,3"
eq "direct: version 3 is R1-3" "$(jqv '.versions[2].identification_number')" R1-3
eq "direct: version 3 form says R1-3" "$(jqv '.versions[2].form.identification_number')" R1-3
eq "direct: version 3 state at_nisc" "$(jqv '.versions[2].state')" at_nisc
api POST "/reports/$D/forward" "" "$T_MIN"
expect_error "" 409 "direct: forwarding again after 第3報 -> 409"

# follow-up rules
api POST "/reports/$D/followups" "$(jq -nc --argjson f "$(mkform green finance)" '{form: $f}')" "$T_OP"
expect_error form.tlp 400 "direct: a follow-up may not widen the TLP (amber -> green) -> 400 form.tlp"
api POST "/reports/$D/followups" "$(jq -nc --argjson f "$(mkform amber electricity)" '{form: $f}')" "$T_OP"
expect_error form.sector 400 "direct: a follow-up may not change the sector -> 400 form.sector"
api POST "/reports/$D/followups" "$(jq -nc --argjson f "$(mkform amber finance)" '{form: $f}')" "$T_MIN"
expect_error "" 403 "direct: the ministry may not file a follow-up -> 403"
api GET "/reports/$D" "" "$T_OP"
eq "direct: refused follow-ups added no version" "$(jqv '.version_count')" 3

# ======================================================================
# via_ceptoar
# ======================================================================
api POST /reports "$(jq -nc --argjson f "$(mkform green finance)" '{route: "via_ceptoar", legal_duty: true, form: $f}')" "$T_OP"
expect_error route 400 "via_ceptoar with legal_duty true -> 400 field route"

FV=$(mkform green finance '.overview.event_summary = "via 第1報 E2E みなと銀行 で感染" | .affected_operator_name = "E2E みなと銀行"')
api POST /reports "$(jq -nc --argjson f "$FV" '{route: "via_ceptoar", legal_duty: false, form: $f}')" "$T_OP"
expect_status 201 "via_ceptoar: POST /reports -> 201"
C=$(jqv .id)
eq "via_ceptoar: state at_ceptoar" "$(jqv .state)" at_ceptoar
visibility "via_ceptoar 第1報 at CEPTOAR" "$C" 200 200 404 404 404

api GET "/reports/$C" "" "$T_CEP"
eq "via_ceptoar: anonymised" "$(jqv .anonymised)" true
eq "via_ceptoar: path is the operator's CEPTOAR" "$(jqv '[.path[].org] | join(",")')" "$CEP"
eq "via_ceptoar: the secretariat sees the submitter's org name" "$(jqv .submitter.org_name)" "E2E みなと銀行"
eq "via_ceptoar: the secretariat sees the original summary" \
    "$(jqv '.versions[0].form.overview.event_summary')" "via 第1報 E2E みなと銀行 で感染"
api POST "/reports/$C/forward" "" "$T_MIN"
expect_error "" 404 "via_ceptoar: the ministry cannot forward before the CEPTOAR did -> 404"

api POST "/reports/$C/forward" "" "$T_CEP"
expect_status 200 "via_ceptoar: the secretariat forwards to the ministry -> 200"
eq "via_ceptoar: now at_ministry" "$(jqv .state)" at_ministry
api POST "/reports/$C/forward" "" "$T_CEP"
expect_error "" 409 "via_ceptoar: the secretariat forwarding twice -> 409"
visibility "via_ceptoar at ministry" "$C" 200 200 200 404 404

api GET "/reports/$C" "" "$T_MIN"
eq "via_ceptoar: the ministry sees no submitter" "$(jqv 'has("submitter")')" false
eq "via_ceptoar: the ministry's form has no affected_operator_name" \
    "$(jqv '.versions[0].form | has("affected_operator_name")')" false
eq "via_ceptoar: the operator's name is redacted in the summary" \
    "$(jqv '.versions[0].form.overview.event_summary')" "via 第1報 ［匿名化］ で感染"
ok "via_ceptoar: the ministry's view mentions no operator identity" \
    '! grep -qE "みなと銀行|bank-member|user bank-member" <<<"$BODY"'
eq "via_ceptoar: version 1 state at_ministry" "$(jqv '.versions[0].state')" at_ministry

api POST "/reports/$C/forward" "" "$T_MIN"
expect_status 200 "via_ceptoar: the ministry forwards to NISC -> 200"
eq "via_ceptoar: second series at NISC gets R2" "$(jqv .identification_number)" R2
api POST "/reports/$C/forward" "" "$T_MIN"
expect_error "" 409 "via_ceptoar: the ministry forwarding twice -> 409"
visibility "via_ceptoar at NISC" "$C" 200 200 200 404 200
api GET "/reports/$C" "" "$T_NISC"
eq "via_ceptoar: NISC sees R2 on version 1" "$(jqv '.versions[0].identification_number')" R2
eq "via_ceptoar: version 1 form says R2" "$(jqv '.versions[0].form.identification_number')" R2
eq "via_ceptoar: NISC sees no submitter" "$(jqv 'has("submitter")')" false
eq "via_ceptoar: path is CEPTOAR, ministries and NISC" "$(jqv '[.path[].org] | sort | join(",")')" \
    "$(union "$CEP" "$MINS_F" "$NISCS")"

V=$(followup "$T_OP" "$C" "$(mkform green finance '.overview.event_summary = "via 第2報"')")
eq "via_ceptoar: the operator files 第2報 -> version 2" "$V" 2
api GET "/reports/$C" "" "$T_OP"
eq "via_ceptoar: the series stays at_nisc" "$(jqv .state)" at_nisc
eq "via_ceptoar: version 2 is at_ceptoar" "$(jqv '.versions[1].state')" at_ceptoar
api POST "/reports/$C/forward" "" "$T_MIN"
expect_error "" 409 "via_ceptoar: the ministry has nothing to forward before the CEPTOAR forwards 第2報 -> 409"
api GET "/reports/$C" "" "$T_MIN"
eq "via_ceptoar: the ministry does not see version 2 yet" "$(jqv '[.versions[].version] | join(",")')" 1
forward "$T_CEP" "$C" && pass "via_ceptoar: the secretariat forwards 第2報"
eq "via_ceptoar: the secretariat forwarded version 2 only" "$(jqv '.forwarded_versions | join(",")')" 2
api GET "/reports/$C" "" "$T_NISC"
eq "via_ceptoar: NISC does not see version 2 before the ministry forwards it" \
    "$(jqv '[.versions[].version] | join(",")')" 1
forward "$T_MIN" "$C" && pass "via_ceptoar: the ministry forwards 第2報"
api GET "/reports/$C" "" "$T_NISC"
eq "via_ceptoar: NISC sees versions 1,2" "$(jqv '[.versions[].version] | join(",")')" "1,2"
eq "via_ceptoar: version 2 is R2-2" "$(jqv '.versions[1].identification_number')" R2-2
eq "via_ceptoar: version 2 form says R2-2" "$(jqv '.versions[1].form.identification_number')" R2-2

# ======================================================================
# urgent
# ======================================================================
api POST /reports "$(jq -nc --argjson f "$(mkform amber_strict finance '.importance = "alert"')" '{route: "urgent", legal_duty: true, form: $f}')" "$T_OP"
expect_status 201 "urgent: POST /reports -> 201"
U=$(jqv .id)
eq "urgent: state at_nisc at once" "$(jqv .state)" at_nisc
eq "urgent: R3 assigned at once" "$(jqv .identification_number)" R3
visibility "urgent 第1報" "$U" 200 404 200 404 200
api GET "/reports/$U" "" "$T_NISC"
eq "urgent: path is the ministries and all NISC orgs" "$(jqv '[.path[].org] | sort | join(",")')" \
    "$(union "$MINS_F" "$NISCS")"
eq "urgent: version 1 is R3" "$(jqv '.versions[0].identification_number')" R3
eq "urgent: version 1 form says R3" "$(jqv '.versions[0].form.identification_number')" R3
eq "urgent: version 1 at_nisc" "$(jqv '.versions[0].state')" at_nisc
V=$(followup "$T_OP" "$U" "$(mkform amber_strict finance '.overview.event_summary = "urgent 第2報"')")
eq "urgent: 第2報 is version 2" "$V" 2
api GET "/reports/$U" "" "$T_NISC"
eq "urgent: NISC sees 第2報 at once" "$(jqv '[.versions[].version] | join(",")')" "1,2"
eq "urgent: version 2 is R3-2" "$(jqv '.versions[1].identification_number')" R3-2
eq "urgent: version 2 form says R3-2" "$(jqv '.versions[1].form.identification_number')" R3-2
V=$(followup "$T_OP" "$U" "$(mkform red finance '.overview.event_summary = "urgent 第3報"')")
eq "urgent: 第3報 (narrowed to red) is version 3" "$V" 3
api GET "/reports/$U" "" "$T_NISC"
eq "urgent: version 3 is R3-3" "$(jqv '.versions[2].identification_number')" R3-3
eq "urgent: the report's TLP narrowed to red" "$(jqv .tlp)" red

# R-numbers are per series: the direct series kept R1, via kept R2.
api GET "/reports/$D" "" "$T_NISC"
eq "direct series still R1 after later series" "$(jqv .identification_number)" R1

# ======================================================================
# a 第2報 that narrows the TLP before the hop has forwarded the 第1報
# ======================================================================
N1=$(submit "$T_OP" direct "$(mkform amber finance)")
V=$(followup "$T_OP" "$N1" "$(mkform red finance '.overview.event_summary = "narrowed to red"')")
eq "narrowing: 第2報 (amber -> red) filed while 第1報 is still at the ministry" "$V" 2
api POST "/reports/$N1/forward" "" "$T_MIN"
expect_status 200 "narrowing: the ministry can still forward the series (versions 1 and 2) -> 200"
if [ "$STATUS" == 200 ]; then   # (no cascade of failures when the forward is refused)
	api GET "/reports/$N1" "" "$T_NISC"
	eq "narrowing: NISC reads both versions" "$(jqv '[.versions[].version] | join(",")')" "1,2"
	eq "narrowing: the series is red" "$(jqv .tlp)" red
fi

N2=$(submit "$T_OP" via_ceptoar "$(mkform green finance)")
V=$(followup "$T_OP" "$N2" "$(mkform amber finance)")
eq "narrowing via CEPTOAR: 第2報 (green -> amber) filed while at the CEPTOAR" "$V" 2
api POST "/reports/$N2/forward" "" "$T_CEP"
expect_status 200 "narrowing via CEPTOAR: the secretariat can still forward versions 1 and 2 -> 200"

# ======================================================================
# route resolution without an explicit CEPTOAR, and sectors without a hop
# ======================================================================
CEP2=$(mkorg "E2E 電力CEPTOAR" ceptoar_secretariat '["electricity"]')
OPE=$(mkorg "E2E 東都電力 (no ceptoar set)" ci_operator '["electricity"]')
T_OPE=$(principal "$OPE" power-member member)
api POST /reports "$(jq -nc --argjson f "$(mkform green electricity)" '{route: "via_ceptoar", form: $f}')" "$T_OPE"
expect_status 201 "via_ceptoar from an operator without a CEPTOAR -> 201"
E1=$(jqv .id)
api GET "/reports/$E1" "" "$T_OPE"
eq "it goes to the sector's CEPTOAR secretariat" "$(jqv '[.path[].org] | join(",")')" "$CEP2"
api POST /reports "$(jq -nc --argjson f "$(mkform green electricity)" '{route: "direct", form: $f}')" "$T_OPE"
expect_status 201 "direct in electricity -> 201"
E2=$(jqv .id)
MINS_E=$(orgs_of ci_ministry electricity)
api GET "/reports/$E2" "" "$T_OPE"
eq "the path holds every ministry of the sector" "$(jqv '[.path[].org] | sort | join(",")')" "$MINS_E"

# a sector with no ministry / no CEPTOAR (if the directory has one)
for s in ict aviation airport railway gas government medical water logistics chemical credit petroleum port; do
	[ -z "$(orgs_of ci_ministry "$s")" ] && { NOMIN=$s; break; }
done
for s in ict aviation airport railway gas government medical water logistics chemical credit petroleum port; do
	[ -z "$(orgs_of ceptoar_secretariat "$s")" ] && { NOCEP=$s; break; }
done
if [ -n "${NOMIN:-}" ]; then
	OPW=$(mkorg "E2E $NOMIN operator" ci_operator "[\"$NOMIN\"]")
	T_OPW=$(principal "$OPW" nomin-member member)
	api POST /reports "$(jq -nc --argjson f "$(mkform green "$NOMIN")" '{route: "direct", form: $f}')" "$T_OPW"
	expect_error form.sector 409 "direct in a sector without a ministry ($NOMIN) -> 409 form.sector"
fi
if [ -n "${NOCEP:-}" ]; then
	OPC=$(mkorg "E2E $NOCEP operator" ci_operator "[\"$NOCEP\"]")
	T_OPC=$(principal "$OPC" nocep-member member)
	api POST /reports "$(jq -nc --argjson f "$(mkform green "$NOCEP")" '{route: "via_ceptoar", form: $f}')" "$T_OPC"
	expect_error route 409 "via_ceptoar in a sector without a CEPTOAR ($NOCEP) -> 409 route"
fi

# ======================================================================
# list filters
# ======================================================================
api GET "/reports?limit=500&since=2099-01-01T00:00:00Z" "" "$T_NISC"
eq "list since a future time -> nothing" "$(jqv '.items | length')" 0
api GET "/reports?limit=500" "" "$T_NISC"
NISC_ALL=$(jqv '[.items[].id] | sort | join(",")')
ok "NISC holds at least the direct, via_ceptoar and urgent series" '[ "$(jqv ".items | length")" -ge 3 ]'
api GET "/reports?limit=500&since=2000-01-01T00:00:00%2B09:00" "" "$T_NISC"
eq "list since a past time -> everything NISC holds" "$(jqv '[.items[].id] | sort | join(",")')" "$NISC_ALL"
api GET "/reports?limit=500&event_type=event_malware_infection" "" "$T_NISC"
eq "list event_type=event_malware_infection -> every report (all are malware)" "$(jqv '[.items[].id] | sort | join(",")')" "$NISC_ALL"
api GET "/reports?limit=500&event_type=event_information_leak" "" "$T_NISC"
eq "list event_type=event_information_leak finds nothing" "$(jqv '.items | length')" 0
api GET "/reports?limit=500&q=$(jq -rn '"direct 第3報" | @uri')" "" "$T_NISC"
eq "list q= (UTF-8, URL-escaped) finds the report by its latest text" "$(jqv '[.items[].id] | join(",")')" "$D"
api GET "/reports?limit=500&q=DIRECT%20%E7%AC%AC3%E5%A0%B1" "" "$T_NISC"
eq "list q= is case-insensitive for ASCII" "$(jqv '[.items[].id] | join(",")')" "$D"
