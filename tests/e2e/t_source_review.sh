#!/usr/bin/env bash
# No oracle for NISC (issue 10 item 1, policy.md "No oracle"): an advisory
# related to an anonymised report is held `pending_source_review` whatever
# its text, and NISC's answers are the same for a text naming the source
# (full-width name, phone without hyphens, a registered identifier in
# another case, the department) and for a clean one.  Only the secretariat
# that anonymised the report sees the hits, with their code point spans;
# another CEPTOAR and the ministry get 404; approve delivers, refuse
# returns (NISC reads the decision and comment only); two anonymised
# sources: delivered when both approve; four eyes and the review in either
# order; a held follow-up of an issued advisory stays unseen by its holders
# until approved.  Item 3: ids in related_reports and consented_sources
# that NISC cannot read answer exactly as missing ones.
. "$(dirname "$0")/lib.sh"
start_server

ref_orgs NISC=nisc FSA=ci_ministry:finance
orgs "V " <<'EOF'
CEP_A	ceptoar_secretariat	["finance"]	-	銀行等CEPTOAR甲
CEP_B	ceptoar_secretariat	["finance"]	-	銀行等CEPTOAR乙
OPB	ci_operator		["finance"]	CEP_B	南海信金Rv9
OPD	ci_operator		["finance"]	-	直接報告銀行Rv9
EOF
OPA=$(mkorg "北星銀行Rv9" ci_operator '["finance"]' "$CEP_A")
tokens <<'EOF'
T_NISC		NISC	v-nisc		analyst
T_DRAFT		NISC	v-nisc-drafter	analyst,approver
T_AP		NISC	v-nisc-ap	approver
T_FSA		FSA	v-fsa		liaison
T_CEPA		CEP_A	v-cep-a		poc
T_CEPB		CEP_B	v-cep-b		poc
T_OPB		OPB	v-opb		member
T_OPD		OPD	v-opd		member
EOF
OPA_UID=$(mkuser "$OPA" v-opa-user member false \
    '{"phone": "03-5555-0199", "department": "Rv9情報システム部"}')
T_OPA=$(mktoken "$OPA_UID")
api PATCH "/orgs/$OPA" '{"identifiers": ["HOKUSEI-RV9"]}' "$ADMIN"
expect_status 200 "setup: the source's registered identifier"

RA=$(submit "$T_OPA" via_ceptoar "$(mkform amber finance)")
forward "$T_CEPA" "$RA"
forward "$T_FSA" "$RA"
RB=$(submit "$T_OPB" via_ceptoar "$(mkform amber finance)")
forward "$T_CEPB" "$RB"
forward "$T_FSA" "$RB"

# adv FORM RELATED_CSV [TOKEN] [EXTRA_JQ] — POST /advisories (sets BODY)
adv() {
	local b
	b=$(jq -nc --argjson f "$1" --argjson r "[$2]" '{form: $f, related_reports: $r}')
	[ -n "${4:-}" ] && b=$(jq -c "$4" <<<"$b")
	api POST /advisories "$b" "${3:-$T_NISC}"
}
fin() { mkadv amber ".recipients = [{sector: \"finance\"}]${1:+ | $1}"; }
# What NISC can compare: the answer without its ids and numbers.
shape() { jq -cS 'del(.id, .identification_number)' <<<"$1"; }

NAMING='.threat_content.summary = "被害は北星銀行Ｒｖ９（電話0355550199）" | .countermeasures = "hokusei-rv9 の rv9情報システム部 に確認"'

# ---- the hold: the same answer whatever the text -------------------------
adv "$(fin "$NAMING")" "$RA"
expect_status 201 "hold: an advisory naming the anonymised source -> 201"
A1=$(jqv .id)
R1=$BODY
adv "$(fin)" "$RA"
expect_status 201 "hold: a clean advisory on the same source -> 201"
A2=$(jqv .id)
R2=$BODY
eq "hold: both pending_source_review" "$(jqv .state "$R1") $(jqv .state "$R2")" \
    "pending_source_review pending_source_review"
eq "hold: NISC's two answers are identical but for ids and numbers" "$(shape "$R1")" "$(shape "$R2")"
ok "hold: ... and carry no span or error" '[[ $R1 != *characters* && $R1 != *error* && $R1 != *start* ]]'

api GET "/advisories/$A1" "" "$T_NISC"
G1=$BODY
api GET "/advisories/$A2" "" "$T_NISC"
G2=$BODY
eq "NISC: the hold and the pending review" "$(jqv '"\(.state) \(.source_review.state) \(.source_review.reviews | length)"' "$G1")" \
    "pending_source_review pending 1"
ok "NISC: no hits (nor any kind or span)" \
    '[ "$(jqv "[.source_review | has(\"hits\"), (.. | objects | has(\"kind\"))] | any" "$G1")" == false ]'
eq "NISC: the two source_review answers are identical but for ids" \
    "$(jq -cS '.source_review | del(.reviews[].advisory, .reviews[].requested_at)' <<<"$G1")" \
    "$(jq -cS '.source_review | del(.reviews[].advisory, .reviews[].requested_at)' <<<"$G2")"
eq "NISC: the review names the report and the secretariat" \
    "$(jqv '.source_review.reviews[0] | "\(.report) \(.org) \(.decision)"' "$G1")" "$RA $CEP_A pending"

# ---- who sees the review ---------------------------------------------------
api GET "/advisories/$A1" "" "$T_FSA"
expect_error "" 404 "ministry: the held advisory -> 404"
api GET "/advisories/$A1" "" "$T_CEPB"
expect_error "" 404 "another CEPTOAR: the held advisory -> 404"
NF=$BODY
api GET "/advisories/999999" "" "$T_CEPB"
eq "another CEPTOAR: the same 404 as a missing advisory" "$BODY" "$NF"
api POST "/advisories/$A1/source-review" '{"decision": "approve"}' "$T_CEPB"
expect_error "" 404 "another CEPTOAR: review -> 404"
api POST "/advisories/$A1/source-review" '{"decision": "approve"}' "$T_FSA"
expect_error "" 404 "ministry: review -> 404"
api POST "/advisories/$A1/source-review" '{"decision": "approve"}' "$T_NISC"
expect_error "" 403 "NISC (reads it, no review of its own) -> 403"
api POST "/advisories/$A1/source-review" '{"decision": "maybe"}' "$T_CEPA"
expect_error decision 400 "secretariat: a decision other than approve/refuse -> 400"
api POST "/advisories/$A1/source-review" '{"comment": "x"}' "$T_CEPA"
expect_error decision 400 "secretariat: no decision -> 400"
api POST "/advisories/$A1/source-review" '{"decision": "approve", "who": 1}' "$T_CEPA"
expect_error who 400 "secretariat: an unknown key -> 400"

api GET /source-reviews "" "$T_CEPA"
eq "secretariat: both pending reviews listed" "$(jqv '[.items[].advisory] | sort | map(tostring) | join(",")')" \
    "$(printf '%s\n' "$A1" "$A2" | sort -n | paste -sd,)"
api GET /source-reviews "" "$T_CEPB"
eq "another CEPTOAR: none listed" "$(jqv '.items | length')" 0
api GET /source-reviews "" "$T_FSA"
expect_error "" 403 "ministry: GET /source-reviews -> 403"

api GET "/advisories/$A1" "" "$T_CEPA"
expect_status 200 "secretariat: reads the held advisory"
H=$BODY
eq "secretariat: its review, pending" "$(jqv '"\(.state) \(.source_review.state)"' "$H")" "pending_source_review pending"
eq "secretariat: the hits' kinds" "$(jqv '[.source_review.hits[].kind] | sort | unique | join(",")' "$H")" \
    "department,identifier,org_name,phone"
eq "secretariat: every hit's span is its text in the advisory" \
    "$(jq -r '. as $d | [.source_review.hits[] | . as $h
        | ($h.field | ltrimstr("form.") | split(".")) as $p
        | ($d.form | getpath($p)) as $s | ($s[$h.start:$h.end] == $h.text)] | all' <<<"$H")" true
eq "secretariat: the full-width name at 3-10" \
    "$(jqv '.source_review.hits[] | select(.kind == "org_name") | "\(.field) \(.start)-\(.end) \(.text)"' "$H")" \
    "form.threat_content.summary 3-10 北星銀行Ｒｖ９"
eq "secretariat: the phone without hyphens at 13-23" \
    "$(jqv '.source_review.hits[] | select(.kind == "phone") | "\(.start)-\(.end) \(.text)"' "$H")" "13-23 0355550199"
api GET "/advisories/$A2" "" "$T_CEPA"
eq "secretariat: the clean advisory has no hits" "$(jqv '.source_review.hits | length')" 0

# ---- approve delivers, refuse returns ---------------------------------------
api POST "/advisories/$A2/source-review" '{"decision": "approve", "comment": "問題ありません"}' "$T_CEPA"
expect_status 200 "approve -> 200"
eq "approve: issued" "$(jqv '"\(.state) \(.decision)"')" "issued approved"
api GET "/advisories/$A2" "" "$T_FSA"
expect_status 200 "approve: the ministry reads it"
api GET "/inbox" "" "$T_FSA"
eq "approve: in the ministry's inbox" "$(jqv "[.items[].id] | index($A2) != null")" true
api POST "/advisories/$A2/source-review" '{"decision": "refuse"}' "$T_CEPA"
expect_error "" 409 "a second decision -> 409"

api POST "/advisories/$A1/source-review" '{"decision": "refuse", "comment": "部署名と電話番号を削除してください"}' "$T_CEPA"
expect_status 200 "refuse -> 200"
eq "refuse: returned" "$(jqv .state)" returned
api GET "/advisories/$A1" "" "$T_FSA"
expect_error "" 404 "refuse: the ministry still gets 404"
api GET "/advisories/$A1" "" "$T_NISC"
eq "refuse: NISC reads the decision and the comment" \
    "$(jqv '"\(.state) \(.source_review.state) \(.source_review.reviews[0].comment)"')" \
    "returned refused 部署名と電話番号を削除してください"
ok "refuse: NISC still sees no hits" '[ "$(jqv ".source_review | has(\"hits\")")" == false ]'
api POST "/advisories/$A1/approve" "" "$T_AP"
expect_error "" 409 "refuse: a returned advisory cannot be approved"

# A follow-up of the returned advisory is reviewed again.
api POST "/advisories/$A1/followups" "$(jq -nc --argjson f "$(fin)" '{form: $f}')" "$T_NISC"
expect_status 201 "returned: a corrected follow-up -> 201"
eq "returned: the follow-up is held again" "$(jqv '"\(.state) \(.version)"')" "pending_source_review 2"
api POST "/advisories/$A1/source-review" '{"decision": "approve"}' "$T_CEPA"
eq "returned: approved, issued" "$(jqv .state)" issued
api GET "/advisories/$A1" "" "$T_FSA"
eq "returned: the ministry reads only the approved version" \
    "$(jqv '"\(.identification_number) \(.versions | length) \(.versions[0].version)"')" "$(jqv .identification_number) 1 2"
ok "returned: nothing of the refused text" '[[ $BODY != *0355550199* && $BODY != *Ｒｖ９* ]]'

# ---- a held follow-up of an issued advisory ---------------------------------
api POST "/advisories/$A2/followups" "$(jq -nc --argjson f "$(fin "$NAMING")" '{form: $f}')" "$T_NISC"
expect_status 201 "issued: a follow-up -> 201"
eq "issued: the follow-up is held" "$(jqv '"\(.state) \(.version)"')" "pending_source_review 2"
api GET "/advisories/$A2" "" "$T_FSA"
eq "issued: the ministry still reads version 1 only" "$(jqv '"\(.version) \(.versions | length)"')" "1 1"
ok "issued: nothing of the held text" '[[ $BODY != *0355550199* ]]'
api GET "/inbox" "" "$T_FSA"
eq "issued: the inbox shows version 1" "$(jqv ".items[] | select(.id == $A2) | .version")" 1
api GET "/advisories/$A2" "" "$T_NISC"
eq "issued: NISC sees version 2 and the pending review" \
    "$(jqv '"\(.state) \(.version) \(.source_review.state) \(.source_review.version)"')" "issued 2 pending 2"
api POST "/advisories/$A2/source-review" '{"decision": "approve"}' "$T_CEPA"
expect_status 200 "issued: the follow-up approved"
api GET "/advisories/$A2" "" "$T_FSA"
eq "issued: now the ministry reads version 2" "$(jqv '"\(.version) \(.versions | length)"')" "2 2"
# Two follow-ups pending at once: one decision covers both, so the hits of both show.
api POST "/advisories/$A2/followups" "$(jq -nc --argjson f "$(fin "$NAMING")" '{form: $f}')" "$T_NISC"
api POST "/advisories/$A2/followups" "$(jq -nc --argjson f "$(fin)" '{form: $f}')" "$T_NISC"
eq "issued: two held follow-ups" "$(jqv '"\(.state) \(.version)"')" "pending_source_review 4"
api GET "/advisories/$A2" "" "$T_CEPA"
eq "issued: the hits of every pending version (3 names the source, 4 does not)" \
    "$(jqv '[.source_review.hits[].version] | unique | map(tostring) | join(",")')" 3
api GET "/advisories/$A2" "" "$T_FSA"
eq "issued: the ministry still reads version 2" "$(jqv .version)" 2
api POST "/advisories/$A2/source-review" '{"decision": "approve"}' "$T_CEPA"
api GET "/advisories/$A2" "" "$T_FSA"
eq "issued: both released by the one decision" "$(jqv '"\(.version) \(.versions | length)"')" "4 4"
# A refused follow-up of an issued advisory: returned, the holders keep version 4.
api POST "/advisories/$A2/followups" "$(jq -nc --argjson f "$(fin "$NAMING")" '{form: $f}')" "$T_NISC"
api POST "/advisories/$A2/source-review" '{"decision": "refuse", "comment": "名前"}' "$T_CEPA"
eq "issued: the refused follow-up is returned" "$(jqv '"\(.state) \(.version)"')" "returned 5"
api GET "/advisories/$A2" "" "$T_NISC"
eq "issued: NISC: the advisory stays issued, its follow-up refused" \
    "$(jqv '"\(.state) \(.source_review.state) \(.source_review.version)"')" "issued refused 5"
api GET "/advisories/$A2" "" "$T_FSA"
eq "issued: the ministry keeps version 4" "$(jqv '"\(.version) \(.versions | length)"')" "4 4"

# ---- two anonymised sources -------------------------------------------------
adv "$(fin)" "$RA,$RB"
A3=$(jqv .id)
eq "two sources: held" "$(jqv .state)" pending_source_review
api POST "/advisories/$A3/source-review" '{"decision": "approve"}' "$T_CEPA"
eq "two sources: one approval, still held" "$(jqv .state)" pending_source_review
api GET "/advisories/$A3" "" "$T_FSA"
expect_error "" 404 "two sources: not delivered yet"
api GET "/advisories/$A3" "" "$T_CEPB"
eq "two sources: the second secretariat sees only its own review" \
    "$(jqv '"\(.source_review.reviews | length) \(.source_review.reviews[0].org)"')" "1 $CEP_B"
api POST "/advisories/$A3/source-review" '{"decision": "approve"}' "$T_CEPB"
eq "two sources: both approved, issued" "$(jqv .state)" issued
api GET "/advisories/$A3" "" "$T_FSA"
expect_status 200 "two sources: delivered"
adv "$(fin)" "$RA,$RB"
A3B=$(jqv .id)
api POST "/advisories/$A3B/source-review" '{"decision": "approve"}' "$T_CEPA"
api POST "/advisories/$A3B/source-review" '{"decision": "refuse", "comment": "no"}' "$T_CEPB"
eq "two sources: one refusal returns it" "$(jqv .state)" returned

# ---- four eyes ----------------------------------------------------------------
ALERT='.importance = "alert"'
adv "$(fin "$ALERT")" "$RA" "$T_DRAFT"
A4=$(jqv .id)
eq "four eyes: an alert is held for the review first" "$(jqv .state)" pending_source_review
api POST "/advisories/$A4/approve" "" "$T_AP"
expect_status 200 "four eyes: approved during the review"
eq "four eyes: still held for the review" "$(jqv .state)" pending_source_review
api POST "/advisories/$A4/approve" "" "$T_AP"
expect_error "" 409 "four eyes: approving twice -> 409"
api POST "/advisories/$A4/source-review" '{"decision": "approve"}' "$T_CEPA"
eq "four eyes: review then approval done, issued" "$(jqv .state)" issued
api GET "/advisories/$A4" "" "$T_FSA"
expect_status 200 "four eyes: delivered"
adv "$(fin "$ALERT")" "$RA" "$T_DRAFT"
A5=$(jqv .id)
api POST "/advisories/$A5/source-review" '{"decision": "approve"}' "$T_CEPA"
eq "four eyes: reviewed first, it waits for the approver" "$(jqv .state)" pending_approval
api GET "/advisories/$A5" "" "$T_FSA"
expect_error "" 404 "four eyes: not delivered yet"
api POST "/advisories/$A5/approve" "" "$T_AP"
eq "four eyes: approved, issued" "$(jqv .state)" issued
api GET "/advisories/$A5" "" "$T_FSA"
expect_status 200 "four eyes: delivered"

# ---- a named (non-anonymised) source keeps its text check ----------------------
RD=$(submit "$T_OPD" direct "$(mkform amber finance)")
forward "$T_FSA" "$RD"
adv "$(fin '.threat_content.summary = "V 直接報告銀行Rv9 の件"')" "$RD"
expect_error form.threat_content.summary 409 "named source: its name -> 409 (NISC knows it)"
adv "$(fin '.threat_content.summary = "V 直接報告銀行Rv9 の件"')" "$RD" "$T_NISC" ".consented_sources = [$RD]"
expect_status 201 "named source: with its consent -> 201"
eq "named source: no review" "$(jqv .state)" issued

# ---- item 3: ids in the body, missing and invisible alike ----------------------
RN=$(submit "$T_OPD" direct "$(mkform amber finance)")	# at the ministry only
adv "$(fin)" "$RN"
expect_error related_reports.0 400 "related_reports: a report NISC does not hold -> 400"
INV=$BODY
adv "$(fin)" 99999999
eq "related_reports: byte-identical to a missing id" "$BODY" "$INV"
adv "$(fin)" "$RA" "$T_NISC" ".consented_sources = [$RN]"
expect_error consented_sources.0 400 "consented_sources: a report NISC does not hold -> 400"
INV=$BODY
adv "$(fin)" "$RA" "$T_NISC" '.consented_sources = [99999999]'
eq "consented_sources: byte-identical to a missing id" "$BODY" "$INV"
adv "$(fin)" "$RA" "$T_NISC" ".consented_sources = [$RB]"
expect_error consented_sources.0 400 "consented_sources: a report not among the related -> 400"

# ---- the CLI -------------------------------------------------------------------
export HOME=$WORK/home
mkdir -p "$HOME"
unset XDG_CONFIG_HOME CISHARE_CONFIG CISHARE_CACERT
export CISHARE_URL=http://127.0.0.1:$PORT
# cli TOKEN ARGS... -> OUT (stdout and stderr), CLI_RC
cli() {
	local tok=$1
	shift
	CLI_RC=0
	OUT=$(CISHARE_TOKEN=$tok "$CISHARE" "$@" 2>&1) || CLI_RC=$?
	LAST="cishare $*"
	STATUS="exit $CLI_RC"
	BODY=$OUT
}
adv "$(fin "$NAMING")" "$RA"
A6=$(jqv .id)
cli "$T_CEPA" advisory show "$A6"
ok "CLI: show prints the hits for the secretariat" '[[ $CLI_RC == 0 && $OUT == *org_name* && $OUT == *3-10* && $OUT == *北星銀行Ｒｖ９* ]]'
cli "$T_NISC" advisory show "$A6"
ok "CLI: NISC's show: the hold, no hits" '[[ $CLI_RC == 0 && $OUT != *org_name* && $OUT == *pending_source_review* ]]'
cli "$T_CEPA" advisory review "$A6" --approve --refuse
ok "CLI: review with both --approve and --refuse fails" '[[ $CLI_RC != 0 ]]'
cli "$T_CEPA" advisory review "$A6" --refuse --comment "社名が残っています"
ok "CLI: review --refuse" '[[ $CLI_RC == 0 && $OUT == *returned* ]]'
api GET "/advisories/$A6" "" "$T_NISC"
eq "CLI: NISC reads the comment" "$(jqv .source_review.reviews[0].comment)" "社名が残っています"
cli "$T_CEPA" advisory review "$A6" --approve
ok "CLI: a second decision fails" '[[ $CLI_RC != 0 && $OUT == *"already decided"* ]]'

# ---- nothing of the hits at rest -------------------------------------------------
if [ "$CS_STORE" == sqlite ]; then
	DUMP=$(db_dump)
	ok "at rest: the reviews hold no matched text" \
	    '! grep -i "INTO advisory_reviews" <<<"$DUMP" | grep -q "0355550199\|Ｒｖ９\|org_name"'
	ok "at rest: the reviews are there" 'grep -qi "INTO advisory_reviews" <<<"$DUMP"'
fi
