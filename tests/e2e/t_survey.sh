#!/usr/bin/env bash
# The yearly self-assessment survey (安全基準等の浸透状況調査; issue 14,
# API.md "Survey and risk"): NISC opens a campaign for two sectors; twelve
# operators draft and submit their answers to every control of the pinned
# edition; ministries see who submitted in their own sectors only, never
# the answers unless shared; operators get scores per category, ranked
# gaps and the trend against last year; NISC and the ministries get the
# sector aggregates with cells of fewer than k = 3 respondents suppressed.
. "$(dirname "$0")/lib.sh"
start_server

orgs "S " <<'EOF2'
NISC	nisc		[]		-	NISC
FSA	ci_ministry	["finance"]	-	金融庁
METI	ci_ministry	["electricity"]	-	経済産業省
F1	ci_operator	["finance"]	-	銀行1
F2	ci_operator	["finance"]	-	銀行2
F3	ci_operator	["finance"]	-	銀行3
F4	ci_operator	["finance"]	-	銀行4
F5	ci_operator	["finance"]	-	銀行5
F6	ci_operator	["finance"]	-	銀行6
F7	ci_operator	["finance"]	-	銀行7
F8	ci_operator	["finance"]	-	銀行8
E1	ci_operator	["electricity"]	-	電力1
E2	ci_operator	["electricity"]	-	電力2
E3	ci_operator	["electricity"]	-	電力3
E4	ci_operator	["electricity"]	-	電力4
G1	ci_operator	["gas"]		-	ガス1
EOF2
tokens <<'EOF2'
T_NISC	NISC	s-nisc	analyst
T_FSA	FSA	s-fsa	liaison
T_METI	METI	s-meti	liaison
T_G1	G1	s-g1	member,org_admin
EOF2
OPS=(F1 F2 F3 F4 F5 F6 F7 F8 E1 E2 E3 E4)
declare -A TM TA
for o in "${OPS[@]}"; do
	TM[$o]=$(fast_principal "${!o}" "s-m-${o,,}" member false)
	TA[$o]=$(fast_principal "${!o}" "s-a-${o,,}" org_admin false)
done

# ---- the catalogue ------------------------------------------------------
api GET "/controls?edition=2023" "" "${TM[F1]}"
expect_status 200 "GET /controls?edition=2023"
C23=$BODY
eq "edition 2023: 77 items (51 指針 + 26 手引書 11.x)" "$(jqv '.items | length')" 77
eq "every item carries its citation" "$(jqv '[.items[] | select(.citation.file == null)] | length')" 0
api GET "/controls?edition=2015" "" "${TM[F1]}"
eq "edition 2015: the 25 superseded items" "$(jqv '.items | length')" 25
C15=$BODY
bad "an unknown edition" 400 edition GET "/controls?edition=1999" "${TM[F1]}"

# items <json of /controls> <n> — answers to every item, statuses varying by n
items() {
	jq -c --argjson n "$2" '[.items | to_entries[] | {key: .value.id, value: (
	    ["implemented", "partial", "planned", "not_applicable", "not_implemented",
	     "implemented", "implemented"][(.key * ($n + 1) + $n) % 7] as $s |
	    {status: $s, note: (if $s == "not_applicable" then "対象システムなし" else "規程第\(.key)条" end),
	     owner: "CISO室"})}] | from_entries | {items: .}' <<<"$1"
}

# ---- last year's campaign (for the trend), finance only ------------------
api POST /surveys '{"fiscal_year": 2025, "sectors": ["finance"], "edition": "2023"}' "$T_NISC"
S25=$(created "FY2025 campaign" id)
api PUT "/surveys/$S25/answers" "$(items "$C23" 0 | jq -c '.items |= with_entries(.value.status = "not_implemented")')" "${TM[F1]}"
expect_status 200 "F1 answers FY2025 (all not implemented)"
api POST "/surveys/$S25/submit" "" "${TA[F1]}"
expect_status 200 "F1's org_admin submits FY2025"

# ---- opening ---------------------------------------------------------------
bad "a ministry cannot open a campaign" 403 "" POST /surveys "$T_FSA" '{"fiscal_year": 2026, "sectors": ["finance"]}'
bad "an unknown sector" 400 sectors.1 POST /surveys "$T_NISC" '{"fiscal_year": 2026, "sectors": ["finance", "pirates"]}'
bad "an unknown edition" 400 edition POST /surveys "$T_NISC" '{"fiscal_year": 2026, "sectors": ["finance"], "edition": "2099"}'
bad "a missing fiscal year" 400 fiscal_year POST /surveys "$T_NISC" '{"sectors": ["finance"]}'
bad "an unknown member" 400 year POST /surveys "$T_NISC" '{"year": 2026, "sectors": ["finance"]}'
api POST /surveys '{"fiscal_year": 2026, "sectors": ["finance", "electricity"], "edition": "2023"}' "$T_NISC"
S=$(created "FY2026 campaign" id)
eq "the campaign is pinned to edition 2023" "$(jqv '.edition + " " + (.items|tostring) + " " + .state')" "2023 77 open"
bad "a second FY2026 campaign for finance" 409 sectors POST /surveys "$T_NISC" '{"fiscal_year": 2026, "sectors": ["finance"]}'
api POST /surveys '{"fiscal_year": 2024, "sectors": ["finance"], "edition": "2015"}' "$T_NISC"
S15=$(created "a FY2024 campaign on the 2015 edition" id)

# ---- visibility --------------------------------------------------------------
api GET "/surveys/$S" "" "$T_G1"
expect_error "" 404 "a gas operator does not see a finance/electricity campaign"
bad "a gas operator cannot answer it (404, not 403)" 404 "" PUT "/surveys/$S/answers" "$T_G1" '{"items": {}}'
api GET /surveys "" "${TM[E1]}"
eq "an electricity operator lists only the FY2026 campaign" "$(jqv '[.items[].id] | join(",")')" "$S"

# ---- bad answers: 4xx naming the field, nothing written ------------------------
bad "an unknown control id" 400 "items.shishin2023:9.9" PUT "/surveys/$S/answers" "${TM[F1]}" \
    '{"items": {"shishin2023:2.1": {"status": "implemented"}, "shishin2023:9.9": {"status": "implemented"}}}'
bad "a status outside the enum" 400 "items.shishin2023:2.1.status" PUT "/surveys/$S/answers" "${TM[F1]}" \
    '{"items": {"shishin2023:2.1": {"status": "done"}}}'
bad "a missing status" 400 "items.shishin2023:2.1.status" PUT "/surveys/$S/answers" "${TM[F1]}" \
    '{"items": {"shishin2023:2.1": {"note": "x"}}}'
bad "not applicable without a reason" 400 "items.shishin2023:2.2.note" PUT "/surveys/$S/answers" "${TM[F1]}" \
    '{"items": {"shishin2023:2.1": {"status": "implemented"}, "shishin2023:2.2": {"status": "not_applicable"}}}'
bad "an unknown member of an answer" 400 "items.shishin2023:2.1.score" PUT "/surveys/$S/answers" "${TM[F1]}" \
    '{"items": {"shishin2023:2.1": {"status": "implemented", "score": 3}}}'
bad "an owner that is not a string" 400 "items.shishin2023:2.1.owner" PUT "/surveys/$S/answers" "${TM[F1]}" \
    '{"items": {"shishin2023:2.1": {"status": "implemented", "owner": 7}}}'
bad "items not an object" 400 items PUT "/surveys/$S/answers" "${TM[F1]}" '{"items": []}'
bad "malformed JSON" 400 "" PUT "/surveys/$S/answers" "${TM[F1]}" '{"items": {'
api GET "/surveys/$S" "" "${TM[F1]}"
eq "nothing half-written: F1 has no answers and no draft" "$(jqv '.mine.state + " " + (.mine.answers | length | tostring)')" "not_started 0"
bad "a 2023 control id in the 2015 campaign (edition pinning)" 400 "items.shishin2023:2.1" PUT "/surveys/$S15/answers" "${TM[F1]}" \
    '{"items": {"shishin2023:2.1": {"status": "implemented"}}}'
api PUT "/surveys/$S15/answers" '{"items": {"shishin2015:6.3.2": {"status": "partial"}}}' "${TM[F1]}"
expect_status 200 "a 2015 control id in the 2015 campaign"
bad "a ministry cannot answer" 403 "" PUT "/surveys/$S/answers" "$T_FSA" '{"items": {"shishin2023:2.1": {"status": "implemented"}}}'

# ---- drafts -------------------------------------------------------------------------
api PUT "/surveys/$S/answers" '{"items": {"shishin2023:2.1": {"status": "partial", "note": "草案", "owner": "情報システム部"}}}' "${TM[F1]}"
expect_status 200 "F1 saves a draft answer"
eq "the draft is kept" "$(jqv '.state + " " + (.answered|tostring)')" "draft 1"
api POST "/surveys/$S/submit" "" "${TA[F1]}"
expect_error "items.shishin2023:2.2" 400 "submitting an incomplete draft names the first unanswered item"
api POST "/surveys/$S/submit" "" "${TM[F1]}"
expect_error "" 403 "a member cannot submit (the org_admin is the responsible person)"
api GET "/surveys/$S" "" "${TM[F1]}"
eq "the draft answer reads back" "$(jqv '.mine.answers["shishin2023:2.1"] | .status + " " + .note + " " + .owner')" "partial 草案 情報システム部"

# ---- everyone answers; F1..F8 and E1, E2 submit; F8 stays a draft ------------------
for i in "${!OPS[@]}"; do
	o=${OPS[$i]}
	api PUT "/surveys/$S/answers" "$(items "$C23" "$i")" "${TM[$o]}"
	[ "$STATUS" == 200 ] || fail "setup: $o answers" "$(last_req)"
done
pass "twelve operators answer all 77 items"
for o in F1 F2 F3 F4 F5 F6 F7 E1 E2; do
	api POST "/surveys/$S/submit" "" "${TA[$o]}"
	[ "$STATUS" == 200 ] || fail "setup: $o submits" "$(last_req)"
done
pass "seven finance and two electricity operators submit"
api POST "/surveys/$S/submit" "" "${TA[F1]}"
expect_error state 409 "submitting twice -> 409"
bad "answers after the submission" 409 items PUT "/surveys/$S/answers" "${TM[F1]}" '{"items": {"shishin2023:2.1": {"status": "implemented"}}}'

# ---- progress ---------------------------------------------------------------------------
api GET "/surveys/$S/progress" "" "$T_FSA"
expect_status 200 "FSA reads the progress"
eq "FSA sees only its sector" "$(jqv '[.sectors[].sector] | join(",")')" "finance"
eq "finance: 8 operators, 7 submitted, 1 draft" "$(jqv '.sectors[0] | "\(.operators) \(.submitted) \(.draft)"')" "8 7 1"
eq "FSA sees only finance operators" "$(jqv '[.respondents[] | select(.sectors != ["finance"])] | length')" 0
ok "progress never carries answers" '! grep -q "answers\|status\|note" <<<"$BODY"'
api GET "/surveys/$S/progress" "" "$T_METI"
eq "METI: electricity, 4 operators, 2 submitted, 2 drafts" "$(jqv '.sectors | map("\(.sector) \(.operators) \(.submitted) \(.draft)") | join(",")')" "electricity 4 2 2"
api GET "/surveys/$S/progress" "" "$T_NISC"
eq "NISC sees both sectors" "$(jqv '[.sectors[].sector] | join(",")')" "finance,electricity"
api GET "/surveys/$S/progress" "" "${TM[F1]}"
expect_error "" 403 "an operator cannot read the progress"
api GET "/surveys/$S/respondents/$F2" "" "$T_FSA"
expect_error "" 404 "FSA does not see F2's answers (not shared)"
api POST "/surveys/$S/share" '{"shared": true}' "${TA[F2]}"
expect_status 200 "F2 shares its answers"
api GET "/surveys/$S/respondents/$F2" "" "$T_FSA"
eq "then FSA reads them" "$(jqv '.answers | length')" 77
api GET "/surveys/$S/respondents/$F2" "" "$T_METI"
expect_error "" 404 "METI (another sector) still does not"
api GET "/surveys/$S/respondents/$F3" "" "${TM[F2]}"
expect_error "" 404 "an operator does not read another's answers"

# ---- results ------------------------------------------------------------------------------
api GET "/surveys/$S/results" "" "${TM[F1]}"
expect_status 200 "F1 reads its results"
eq "scores per catalogue category" "$(jqv '[.categories[].category] | join(",")')" \
    "general,organisational_governance,risk_management,crisis_management,security_measures"
eq "the overall score is a percentage" "$(jqv '.overall.percent | . >= 0 and . <= 100')" true
eq "the trend against FY2025 (all not implemented then: 0%)" "$(jqv '.overall.trend == .overall.percent and .previous.survey.fiscal_year == 2025')" true
eq "gaps ranked 1..n" "$(jqv '[.gaps[].rank] == [range(1; (.gaps|length)+1)]')" true
eq "mandatory items come before mixed ones" "$(jqv '[.gaps[].requirement_level] | (index("mixed") // 1e9) > (rindex("mandatory") // -1)')" true
eq "implemented and not applicable items are no gaps" "$(jqv '[.gaps[] | select(.status == "implemented" or .status == "not_applicable")] | length')" 0
eq "each gap carries last year's status" "$(jqv '[.gaps[].previous_status] | unique | join(",")')" "not_implemented"

# the trend across editions: F2's previous campaign is FY2024 on the 2015 edition
api PUT "/surveys/$S15/answers" "$(items "$C15" 0 | jq -c '.items |= with_entries(.value.status = "not_implemented")')" "${TM[F2]}"
api POST "/surveys/$S15/submit" "" "${TA[F2]}"
expect_status 200 "F2 submits the FY2024 campaign (edition 2015)"
api GET "/surveys/$S/results" "" "${TM[F2]}"
eq "F2's previous campaign is FY2024, edition 2015" "$(jqv '.previous.survey | "\(.fiscal_year) \(.edition)"')" "2024 2015"
eq "its 2023 gaps carry the status of their 2015 counterparts" \
    "$(jqv '[.gaps[] | select(.control == "shishin2023:2.1" or .control == "shishin2023:3.4") | .previous_status] | unique | join(",")')" "not_implemented"

api GET "/surveys/$S/results" "" "$T_NISC"
expect_status 200 "NISC reads the aggregates"
eq "k is 3" "$(jqv .k)" 3
eq "finance (7 respondents) is shown" "$(jqv '.sectors[] | select(.sector == "finance") | "\(.suppressed) \(.respondents)"')" "false 7"
eq "electricity (2 respondents < k) is suppressed" "$(jqv '.sectors[] | select(.sector == "electricity") | "\(.suppressed) \(.respondents)"')" "true null"
eq "one suppressed cell" "$(jqv .suppressed)" 1
eq "the distribution covers the respondents of both sectors" "$(jqv '.overall.distribution | add')" 9
eq "the items most often not implemented" "$(jqv '.top_not_implemented | length > 0 and (.[0].not_implemented >= .[-1].not_implemented)')" true
ok "no respondent's identity in the aggregates" '! grep -q "銀行\|電力1\|\"org\"" <<<"$BODY"'
api GET "/surveys/$S/results" "" "$T_METI"
eq "METI: only electricity, suppressed" "$(jqv '[.sectors[] | "\(.sector) \(.suppressed)"] | join(",")')" "electricity true"
eq "METI: the overall cell is suppressed too" "$(jqv .overall.suppressed)" true
api GET "/surveys/$S/results" "" "$T_FSA"
eq "FSA: finance mean score present" "$(jqv '.sectors[0].mean_percent | type')" number

# submitting one more electricity operator lifts the suppression
api POST "/surveys/$S/submit" "" "${TA[E3]}"
api GET "/surveys/$S/results" "" "$T_METI"
eq "at k = 3 electricity is shown" "$(jqv '.sectors[0] | "\(.suppressed) \(.respondents)"')" "false 3"

# ---- CSV -------------------------------------------------------------------------------------------
api GET "/surveys/$S/results.csv" "" "$T_NISC"
expect_status 200 "GET /surveys/{id}/results.csv (NISC)"
ok "the CSV has a header and sector rows" 'grep -q "^sector,category,respondents" <<<"$BODY" && grep -q "^finance,all,7," <<<"$BODY"'
api GET "/surveys/$S/results.csv" "" "${TM[F1]}"
ok "the operator's CSV lists its gaps in priority order" 'head -1 <<<"$BODY" | grep -q "^control,category,status,priority" && sed -n 2p <<<"$BODY" | grep -q ",1,"'
api GET "/surveys/$S/results.csv?lang=ja" "" "$T_NISC"
ok "?lang=ja: Japanese headers, sector and the overall row" 'head -1 <<<"$BODY" | grep -q "^分野,分類,回答数,平均実施率(%)," && grep -q "^金融,全体,7," <<<"$BODY" && grep -q "^全体,全体," <<<"$BODY"'
ok "?lang=ja: no English status or category id left" '! grep -q -E "organisational_governance|,false$|^finance," <<<"$BODY"'
api GET "/surveys/$S/results.csv?lang=ja" "" "${TM[F1]}"
ok "?lang=ja for the operator: Japanese headers and statuses" 'head -1 <<<"$BODY" | grep -q "^項目,分類,状況,優先順位" && grep -q ",未実施," <<<"$BODY" && ! grep -q ",not_implemented," <<<"$BODY"'
bad "a CSV language other than ja or en" 400 lang GET "/surveys/$S/results.csv?lang=fr" "$T_NISC"

# ---- closing ------------------------------------------------------------------------------------------
api POST "/surveys/$S/close" "" "$T_NISC"
expect_status 200 "NISC closes the campaign"
eq "closed" "$(jqv .state)" closed
bad "answers to a closed campaign" 409 items PUT "/surveys/$S/answers" "${TM[F8]}" '{"items": {"shishin2023:2.1": {"status": "implemented"}}}'
bad "a submission to a closed campaign" 409 state POST "/surveys/$S/submit" "${TA[F8]}"
api GET "/surveys/$S" "" "${TM[F8]}"
eq "F8's draft is still there after the close" "$(jqv '.mine.state + " " + (.mine.answered|tostring)')" "draft 77"

# ---- the CLI ---------------------------------------------------------------------------------------------
cli() { CISHARE_URL=http://127.0.0.1:$PORT CISHARE_TOKEN=$1 "$CISHARE" "${@:2}"; }
OUT=$(cli "${TM[E1]}" survey controls --edition 2015)
ok "cishare survey controls --edition 2015 lists the 25 legacy items" '[ "$(grep -c "^shishin2015:" <<<"$OUT")" == 25 ]'
OUT=$(cli "$T_NISC" survey open 2027 --sector electricity --sector finance --edition 2023)
ok "cishare survey open" 'grep -qE "^survey [0-9]+ FY2027 edition 2023 open$" <<<"$OUT"'
S27=$(sed -E 's/^survey ([0-9]+) .*/\1/' <<<"$OUT")
OUT=$(cli "$T_NISC" survey open 2027 --sector gas --edition 1999 2>&1); RC=$?
ok "cishare survey open with an unknown edition fails naming it" '[ $RC != 0 ] && grep -q edition <<<"$OUT"'
ANS=$(mktemp)
items "$C23" 3 | jq '.items' >"$ANS"
OUT=$(cli "${TM[E1]}" survey answer "$S27" "$ANS")
eq "cishare survey answer FILE (the bare object of answers)" "$OUT" "draft 77/77 draft"
OUT=$(cli "${TM[E1]}" survey list)
ok "cishare survey list shows the draft" 'grep -qE "^$S27 +2027 +2023 +open +finance,electricity +draft 77/77" <<<"$OUT"'
OUT=$(cli "${TA[E1]}" survey submit "$S27")
eq "cishare survey submit" "$OUT" "survey $S27 submitted"
OUT=$(cli "${TA[E1]}" survey share "$S27")
eq "cishare survey share" "$OUT" "survey $S27 shared"
OUT=$(cli "$T_METI" survey progress "$S27")
ok "cishare survey progress (METI)" 'grep -q "^electricity: 1/4 submitted, 0 drafts" <<<"$OUT" && grep -qE "^$E1 +S 電力1 +submitted" <<<"$OUT"'
OUT=$(cli "${TM[E1]}" survey results "$S27")
ok "cishare survey results: the operator's overall score and ranked gaps" 'grep -qE "^overall [0-9]+%" <<<"$OUT" && grep -qE "^1 +(shishin|tebiki)2023:" <<<"$OUT" && grep -qE "^overall [0-9]+% \(\+?-?[0-9]+ since FY2026\)" <<<"$OUT"'
OUT=$(cli "$T_NISC" survey results "$S27")
ok "cishare survey results: NISC sees electricity suppressed" 'grep -qE "^electricity +<3 +suppressed" <<<"$OUT"'
CSV=$(mktemp)
cli "$T_NISC" survey csv "$S27" --output "$CSV"
ok "cishare survey csv --output" 'grep -q "^electricity,,,,,,,,,true" "$CSV"'
OUT=$(cli "$T_NISC" survey close "$S27")
eq "cishare survey close" "$OUT" "survey $S27 closed"
rm -f "$ANS" "$CSV"

AUD=$(audit_all "$ADMIN")
eq "every survey step is audited" \
    "$(jq -c '[.[] | select(.action | startswith("survey.")) | .action] | unique' <<<"$AUD")" \
    '["survey.answer","survey.close","survey.list","survey.open","survey.progress","survey.read","survey.respondent","survey.results","survey.share","survey.submit"]'
stop_server
