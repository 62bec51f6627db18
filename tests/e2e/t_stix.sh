#!/usr/bin/env bash
# STIX 2.1 per item (API.md "STIX 2.1 and TAXII 2.1"): GET /reports/{id}/stix
# and GET /advisories/{id}/stix for each kind of reader (404 exactly as on
# the item for a caller that may not read it), the media type, the same ids
# on a second GET, a 第2報 as a new `modified` of the same incident, an
# anonymised report whose bundles name no part of the operator's identity,
# indicators for the advisory's (defanged) observables — and every bundle
# validated with ajv against the OASIS STIX 2.1 schemas
# (tests/stix/validate.mjs; $STIX_SCHEMAS or ../shared beside the clone).
. "$(dirname "$0")/lib.sh"
start_server

ROOT=$(cd "$E2E_DIR/../.." && pwd)
SCHEMAS=${STIX_SCHEMAS:-$ROOT/../shared/stix2-json-schemas/schemas}
export STIX_SCHEMAS=$SCHEMAS

ref_orgs NISC=nisc FSA=ci_ministry:finance METI=ci_ministry:electricity
ORGNAME="Zq8北辰銀行Hokushin"
LOGIN="zq8-secret-login"
DISPLAY="Zq8Display 山田花子"
EMAIL="zq8.yamada@zq8-hokushin.example"
NEEDLES=("$ORGNAME" "$LOGIN" "$DISPLAY" "$EMAIL" "zq8-hokushin")
orgs "X " <<'EOF2'
CEP	ceptoar_secretariat	["finance"]	-	銀行等CEPTOAR
OPF	ci_operator		["finance"]	CEP	みなと銀行
OPE	ci_operator		["electricity"]	-	東都電力
EOF2
OPA=$(mkorg "$ORGNAME" ci_operator '["finance"]' "$CEP")
tokens <<'EOF2'
T_NISC	NISC	x-nisc	analyst
T_FSA	FSA	x-fsa	liaison
T_METI	METI	x-meti	liaison
T_CEP	CEP	x-cep	poc
T_OPF	OPF	x-opf	member
T_OPE	OPE	x-ope	member
EOF2
OPA_UID=$(mkuser "$OPA" "$LOGIN" member false \
    "$(jq -nc --arg d "$DISPLAY" --arg e "$EMAIL" '{display_name: $d, email: $e}')")
T_OPA=$(mktoken "$OPA_UID")

NB=0
# stix TOKEN PATH — GET with curl; sets STATUS, CTYPE, BODY and, on a 200,
# keeps the body as $WORK/bundle.N.json for the schema check at the end.
stix() {
	local out=$WORK/stix.out hdr=$WORK/stix.hdr w
	rm -f "$out" "$hdr"
	w=$(curl -s --max-time 60 -D "$hdr" -o "$out" -H "Authorization: Bearer $1" \
	    -w '%{http_code}' "$URL$2" 2>/dev/null) || true
	STATUS=${w:-000}
	CTYPE=$(sed -n 's/^[Cc]ontent-[Tt]ype: *\([^\r]*\).*/\1/p' "$hdr" | head -1)
	BODY=
	[ -f "$out" ] && IFS= read -r -d '' BODY <"$out"
	LAST="GET $2"
	printf 'GET %s -> %s %s\n' "$2" "$STATUS" "${BODY:0:300}" >>"$WORK/requests.log"
	if [ "$STATUS" == 200 ]; then
		NB=$((NB + 1))
		cp "$out" "$WORK/bundle.$NB.json"
	fi
}
# ids — the sorted "id modified" of the last bundle's objects
ids() { jqv '[.objects[] | "\(.id) \(.modified // "")"] | sort | join(" ")'; }
obj() { jqv "[.objects[] | select(.type == \"$1\")][0]$2"; }

# ---- a direct report: submitter, ministry, NISC; not another sector -------
R=$(submit "$T_OPF" direct "$(mkform amber finance \
    '.overview.event_summary = "不審メール 198.51.100.23 から"')")
stix "$T_OPF" "/reports/$R/stix"
expect_status 200 "the submitter gets its report as STIX"
eq "media type" "$CTYPE" "application/stix+json;version=2.1"
eq "a bundle" "$(jqv .type)" bundle
eq "the report is an incident" "$(obj incident .type)" incident
eq "TLP:AMBER marking referenced" "$(obj incident '.object_marking_refs[0]')" \
    marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421
eq "the marking-definition is in the bundle" \
    "$(jqv '[.objects[] | select(.type == "marking-definition")][0].extensions["extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"].tlp_2_0')" amber
EXT=$(obj extension-definition .id)
eq "the x-cishare-report extension-definition is in the bundle" "$(obj extension-definition .name)" x-cishare-report
eq "the incident carries the 様式 fields in it" \
    "$(obj incident ".extensions[\"$EXT\"].form.event_type")" event_malware_infection
eq "the creator is the submitting organisation" \
    "$(jq -r --arg c "$(obj incident .created_by_ref)" '.objects[] | select(.id == $c) | .name' <<<"$BODY")" "X みなと銀行"
IDS1=$(ids)
INC=$(obj incident .id)
MOD1=$(obj incident .modified)
stix "$T_OPF" "/reports/$R/stix"
eq "the same item twice: the same ids and versions" "$(ids)" "$IDS1"
stix "$T_FSA" "/reports/$R/stix"
expect_status 200 "the ministry gets the report as STIX"
eq "the ministry's incident has the same id" "$(obj incident .id)" "$INC"
stix "$T_NISC" "/reports/$R/stix"
expect_status 404 "NISC before the forward: 404 as on GET"
api GET "/reports/$R" "" "$T_NISC"
expect_status 404 "(GET /reports/{id} answers 404 too)"
forward "$T_FSA" "$R"
stix "$T_NISC" "/reports/$R/stix"
expect_status 200 "NISC after the forward"
eq "NISC's incident has the same id" "$(obj incident .id)" "$INC"
for t in T_METI T_OPE T_CEP; do
	stix "${!t}" "/reports/$R/stix"
	expect_status 404 "$t may not read the report: 404"
	expect_error "" 404 "$t: the JSON error of GET"
done
stix "$T_OPF" "/reports/999999/stix"
expect_status 404 "no such report: 404"
stix "" "/reports/$R/stix"
expect_status 401 "no credentials: 401"

# ---- 第2報: a new version of the same incident ----
followup "$T_OPF" "$R" "$(mkform amber finance '.overview.event_summary = "第2報 復旧"')" >/dev/null
stix "$T_OPF" "/reports/$R/stix"
eq "第2報: the same incident id" "$(obj incident .id)" "$INC"
ok "第2報: modified moves on" '[[ "$(obj incident .modified)" > "$MOD1" ]]'
eq "第2報: the extension says version 2" "$(obj incident ".extensions[\"$EXT\"].report_version")" 2

# ---- an anonymised report: no part of the operator's identity ----
FORM=$(mkform amber_strict finance "
	.affected_operator_name = \"$ORGNAME\"
	| .overview.event_summary = \"弊社（$ORGNAME）の $LOGIN で感染。担当 $DISPLAY $EMAIL\"")
api POST /reports "$(jq -nc --argjson f "$FORM" '{route: "via_ceptoar", legal_duty: false, form: $f}')" "$T_OPA"
expect_status 201 "the operator files via_ceptoar"
A=$(jqv .id)
no_leak() { # DESC
	local n l=
	for n in "${NEEDLES[@]}"; do
		grep -qF -- "$n" <<<"$BODY" && l+="[$n] "
	done
	if [ -z "$l" ]; then pass "$1"; else fail "$1" "contains $l; $(last_req)"; fi
}
stix "$T_CEP" "/reports/$A/stix"
expect_status 200 "the secretariat gets the anonymised report as STIX"
no_leak "the secretariat's bundle names no part of the operator"
eq "its creator is the secretariat's anonymous source" \
    "$(jq -r --arg c "$(obj incident .created_by_ref)" '.objects[] | select(.id == $c) | .name' <<<"$BODY")" \
    "匿名の報告元（X 銀行等CEPTOAR）"
eq "TLP:AMBER+STRICT marking" "$(obj incident '.object_marking_refs[0]')" \
    marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003
AINC=$(obj incident .id)
stix "$T_OPA" "/reports/$A/stix"
expect_status 200 "the operator gets its anonymised report as STIX"
no_leak "the operator's own bundle names no part of it either"
eq "the same incident id for the operator" "$(obj incident .id)" "$AINC"
forward "$T_CEP" "$A"
stix "$T_FSA" "/reports/$A/stix"
expect_status 200 "the ministry gets the anonymised report as STIX"
no_leak "the ministry's bundle names no part of the operator"
eq "the same incident id for the ministry" "$(obj incident .id)" "$AINC"
forward "$T_FSA" "$A"
stix "$T_NISC" "/reports/$A/stix"
expect_status 200 "NISC gets the anonymised report as STIX"
no_leak "NISC's bundle names no part of the operator"

# ---- an advisory: report + indicators for its observables ----
F=$(mkadv green '.recipients = [{sector: "finance"}]
    | .threat_content.summary = "C2サーバ 203.0.113[.]9 と hxxps://bad[.]example[.]com/dl?id=1 を確認"
    | .countermeasures = "送信元 phish@bad-mail.example.org をブロック。ハッシュ d41d8cd98f00b204e9800998ecf8427e。版 1.2.3.4.5 は無関係"')
ADV=$(adv_issue "$T_NISC" "$F")
stix "$T_NISC" "/advisories/$ADV/stix"
expect_status 200 "NISC gets its advisory as STIX"
eq "media type" "$CTYPE" "application/stix+json;version=2.1"
eq "the advisory is a report object" "$(jqv '.objects[0].type')" report
eq "TLP:GREEN marking" "$(obj report '.object_marking_refs[0]')" \
    marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb
PATS=$(jqv '[.objects[] | select(.type == "indicator") | .pattern] | sort | join("|")')
eq "an indicator per observable, refanged, no version number" "$PATS" \
    "[email-addr:value = 'phish@bad-mail.example.org']|[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']|[ipv4-addr:value = '203.0.113.9']|[url:value = 'https://bad.example.com/dl?id=1']"
eq "every SCO the report refers to is in the bundle" \
    "$(jqv '[.objects[] | .id] as $all | [.objects[0].object_refs[] | select(. as $r | $all | index($r) | not)] | length')" 0
AIDS=$(ids)
stix "$T_FSA" "/advisories/$ADV/stix"
expect_status 200 "the ministry gets the advisory as STIX"
eq "the same ids for the ministry" "$(ids)" "$AIDS"
stix "$T_METI" "/advisories/$ADV/stix"
expect_status 404 "another sector's ministry: 404 as on GET"
api GET "/advisories/$ADV" "" "$T_METI"
expect_status 404 "(GET /advisories/{id} answers 404 too)"
api POST "/advisories/$ADV/followups" "$(jq -nc --argjson f "$F" '{form: $f}')" "$T_NISC"
expect_status 201 "the advisory's 第2報"
stix "$T_NISC" "/advisories/$ADV/stix"
eq "第2報: the same report id" "$(obj report .id)" "$(jq -r '.objects[0].id' "$WORK/bundle.$((NB - 2)).json")"
ok "第2報: modified moves on" \
    '[[ "$(obj report .modified)" > "$(jq -r ".objects[0].modified" "$WORK/bundle.$((NB - 2)).json")" ]]'

# ---- the audit entry is the read's ----
reads() {
	api GET "/audit?limit=500" "" "$ADMIN"
	jqv "[.items[] | select(.action == \"report.read\")] | length"
}
N1=$(reads)
stix "$T_FSA" "/reports/$R/stix"
eq "reading the STIX form is audited as report.read" "$(reads)" "$((N1 + 1))"

# ---- the CLI: cishare report stix / advisory stix ----
export HOME=$WORK/home CISHARE_URL=${URL%/api/v1}
NB=$((NB + 1))
CISHARE_TOKEN=$T_OPF "$CISHARE" report stix "$R" -o "$WORK/bundle.$NB.json" >"$WORK/o" 2>"$WORK/e"; RC=$?
eq "cishare report stix ID -o FILE exits 0" "$RC" 0
eq "the file holds the same incident" "$(jq -r '[.objects[] | select(.type == "incident")][0].id' "$WORK/bundle.$NB.json")" "$INC"
NB=$((NB + 1))
CISHARE_TOKEN=$T_FSA "$CISHARE" advisory stix "$ADV" >"$WORK/bundle.$NB.json" 2>"$WORK/e"; RC=$?
eq "cishare advisory stix ID to standard output exits 0" "$RC" 0
eq "standard output holds the advisory's report object" "$(jq -r '.objects[0].type' "$WORK/bundle.$NB.json")" report
CISHARE_TOKEN=$T_OPE "$CISHARE" report stix "$R" >"$WORK/o" 2>"$WORK/e"; RC=$?
eq "cishare report stix for a non-reader fails (exit 1)" "$RC" 1
ok "and says not found" 'grep -qi "not found\|no such" "$WORK/e"'

# ---- every bundle against the OASIS schemas ----
if [ ! -d "$SCHEMAS" ]; then
	fail "the OASIS STIX 2.1 schemas are at $SCHEMAS" "missing"
elif ! command -v node >/dev/null 2>&1 || [ ! -d "$ROOT/node_modules/ajv" ]; then
	fail "ajv is installed (scripts/install-deps)" "node or node_modules/ajv missing"
else
	if node "$ROOT/tests/stix/validate.mjs" "$WORK"/bundle.*.json >"$WORK/validate.out" 2>&1; then
		pass "all $NB bundles and their $(grep -c 'objects\[' "$WORK/validate.out") objects validate against the OASIS schemas"
	else
		fail "every bundle validates against the OASIS schemas" "$(grep -v ': ok$' "$WORK/validate.out" | grep -v '^note:' | head -5 | cut -c1-600)"
	fi
fi
