#!/usr/bin/env bash
# The risk-management workspace (issue 14, item 4; API.md "Survey and
# risk"): an operator configures its likelihood × impact matrix, keeps a
# register scored on it, checks the five improvement viewpoints (行動計画
# IV 4.1) and the CP/IT-BCP readiness items, and reads the improvement plan
# ordered by score.  Private to the operator: another operator, its ministry
# and NISC get 404 until it shares; bad input → 400 naming the field with
# nothing written.
. "$(dirname "$0")/lib.sh"
start_server

orgs "K " <<'EOF2'
NISC	nisc			[]		-	NISC
FSA	ci_ministry		["finance"]	-	金融庁
MIC	ci_ministry		["ict"]		-	総務省
B1	ci_operator		["finance"]	-	みなと銀行
B2	ci_operator		["finance"]	-	さくら銀行
TEL	ci_operator		["ict"]		-	みなと通信
EOF2
tokens <<'EOF2'
T_NISC	NISC	k-nisc	analyst
T_FSA	FSA	k-fsa	liaison
T_B1	B1	k-b1	member
T_B2	B2	k-b2	member
T_TEL	TEL	k-tel	member
EOF2

# ---- the matrix ------------------------------------------------------------
api GET /risks/workspace "" "$T_B1"
expect_status 200 "the operator opens its workspace"
eq "the default matrix is 5×5" "$(jqv '[.matrix.likelihood, .matrix.impact] | map(length) | join("x")')" "5x5"
eq "the five viewpoints of IV 4.1 are listed" "$(jqv '[.viewpoints[].id] | join(",")')" "i,ii,iii,iv,v"
eq "the readiness checklist cites the 手引書" "$(jqv '.readiness[0].citation | test("25725")')" true

M4=$(jq -nc '{likelihood: [{ja:"低",en:"Low"},{ja:"中",en:"Medium"},{ja:"高",en:"High"},{ja:"極高",en:"Very high"}],
  impact: [{ja:"小",en:"Minor"},{ja:"中",en:"Moderate"},{ja:"大",en:"Major"},{ja:"甚大",en:"Severe"}],
  bands: [{id:"low",max:3},{id:"medium",max:8},{id:"high",max:12},{id:"critical",max:16}], appetite: 3}')
bad "a band above the highest score" 400 bands.3.max PUT /risks/matrix "$T_B1" "$(jq -c '.bands[3].max = 17' <<<"$M4")"
bad "bands not ascending" 400 bands.1.max PUT /risks/matrix "$T_B1" "$(jq -c '.bands[1].max = 2' <<<"$M4")"
bad "one likelihood level" 400 likelihood PUT /risks/matrix "$T_B1" "$(jq -c '.likelihood = [.likelihood[0]]' <<<"$M4")"
bad "a ministry cannot set an operator's matrix" 403 "" PUT /risks/matrix "$T_FSA" "$M4"
api PUT /risks/matrix "$M4" "$T_B1"
expect_status 200 "the operator configures a 4×4 matrix with appetite 3"
eq "the heat map is 4×4" "$(jqv '[(.heatmap.cells | length), (.heatmap.cells[0] | length)] | join("x")')" "4x4"

# ---- reports to link -------------------------------------------------------------
R1=$(submit "$T_B1" direct "$(mkform amber finance)")
R2=$(submit "$T_B2" direct "$(mkform amber finance)")

# ---- bad input: 400 naming the field, nothing written -------------------------
RISK=$(jq -nc --argjson r "$R1" '{title: "インターネットバンキングへのDDoS", source: "外部の攻撃者",
  event: "大量アクセスによりサービス停止", service: "finance.g01.s01", sml_breach: true,
  likelihood: 3, impact: 4, owner: "システム部長", treatment: "reduce",
  residual_likelihood: 2, residual_impact: 2, viewpoint: "iii",
  reports: [$r], controls: ["shishin2023:4.3.1"], notes: "CDN 契約を検討"}')
bad "likelihood outside the 4×4 matrix" 400 likelihood POST /risks "$T_B1" "$(jq -c '.likelihood = 5' <<<"$RISK")"
bad "impact 0" 400 impact POST /risks "$T_B1" "$(jq -c '.impact = 0' <<<"$RISK")"
bad "a treatment outside the enum" 400 treatment POST /risks "$T_B1" "$(jq -c '.treatment = "ignore"' <<<"$RISK")"
bad "another operator's report" 400 reports.0 POST /risks "$T_B1" "$(jq -c --argjson r "$R2" '.reports = [$r]' <<<"$RISK")"
bad "a report that does not exist" 400 reports.0 POST /risks "$T_B1" "$(jq -c '.reports = [987654]' <<<"$RISK")"
bad "an unknown control id" 400 controls.1 POST /risks "$T_B1" "$(jq -c '.controls = ["shishin2023:4.3.1", "shishin2023:99.9"]' <<<"$RISK")"
bad "a service of another sector" 400 service POST /risks "$T_B1" "$(jq -c '.service = "ict.g01.s01"' <<<"$RISK")"
bad "a viewpoint outside i–v" 400 viewpoint POST /risks "$T_B1" "$(jq -c '.viewpoint = "vi"' <<<"$RISK")"
bad "a review date that is no date" 400 review_date POST /risks "$T_B1" "$(jq -c '.review_date = "2026-02-30"' <<<"$RISK")"
bad "a residual likelihood without impact" 400 residual_impact POST /risks "$T_B1" "$(jq -c 'del(.residual_impact)' <<<"$RISK")"
bad "the event is missing" 400 event POST /risks "$T_B1" "$(jq -c 'del(.event)' <<<"$RISK")"
bad "an unknown member" 400 colour POST /risks "$T_B1" "$(jq -c '.colour = "red"' <<<"$RISK")"
bad "malformed JSON" 400 "" POST /risks "$T_B1" '{"title": '
bad "a ministry cannot add a risk" 403 "" POST /risks "$T_FSA" "$RISK"
api GET /risks "" "$T_B1"
eq "nothing was written by the refused requests" "$(jqv '.items | length')" 0

# ---- the register, scored on the configured matrix ---------------------------
api POST /risks "$RISK" "$T_B1"
A=$(created "risk A" id)
eq "score = likelihood × impact (3×4)" "$(jqv .score)" 12
eq "12 is in the band 'high' of this matrix" "$(jqv .level)" high
eq "the residual risk 2×2 is low" "$(jqv '[.residual_score, .residual_level] | join(",")')" "4,medium"
eq "the service-maintenance level of the service is shown" "$(jqv '.service_level.text_ja | length > 0')" true
eq "deposits have a text level, no numeric rule" "$(jqv '[.service_level.numeric, (.service_level.rules | length)] | join(",")')" "false,0"
api POST /risks '{"title": "基地局の停止", "event": "コアネットワーク障害", "service": "ict.g01.s01", "likelihood": 2, "impact": 5}' "$T_TEL"
expect_status 201 "a telecom operator's risk on its service"
eq "telecommunications: a numeric level with its rule's conditions (別紙２)" "$(jqv '[.service_level.numeric, (.service_level.rules[0].conditions | map(.metric) | sort | join("+"))] | join(",")')" "true,affected_users+duration_s"
api POST /risks "$(jq -nc '{title: "委託先での情報漏えい", event: "委託先から顧客情報が流出",
  likelihood: 2, impact: 2, treatment: "accept", viewpoint: "i"}')" "$T_B1"
B=$(created "risk B" id)
eq "2×2 = 4, medium" "$(jqv '[.score, .level] | join(",")')" "4,medium"
api POST /risks "$(jq -nc '{title: "停電", event: "データセンターの停電", likelihood: 1, impact: 2,
  treatment: "accept", viewpoint: "v"}')" "$T_B1"
C=$(created "risk C" id)
eq "1×2 = 2, low, within the appetite" "$(jqv '[.score, .level, .above_appetite] | join(",")')" "2,low,false"
api POST /risks "$(jq -nc '{title: "ランサムウェア", source: "攻撃者", event: "勘定系サーバの暗号化",
  likelihood: 4, impact: 4, treatment: "transfer", viewpoint: "iv", review_date: "2020-01-01",
  owner: "CISO"}')" "$T_B1"
D=$(created "risk D" id)
eq "4×4 = 16, critical, review overdue" "$(jqv '[.score, .level, .overdue] | join(",")')" "16,critical,true"

api PATCH "/risks/$A" '{"likelihood": 4, "notes": null}' "$T_B1"
expect_status 200 "the operator raises A's likelihood"
eq "A is rescored 4×4 = 16" "$(jqv '[.score, .level] | join(",")')" "16,critical"
eq "null removes an optional member" "$(jqv 'has("notes")')" false
api PATCH "/risks/$A" '{"treatment": "share"}' "$T_B1"
expect_error treatment 400 "PATCH with a treatment outside the enum -> 400 treatment"
api GET "/risks/$A" "" "$T_B1"
eq "the refused PATCH changed nothing" "$(jqv '[.treatment, .score] | join(",")')" "reduce,16"

api GET /risks "" "$T_B1"
eq "the register: highest score first" "$(jqv '[.items[].id] | join(",")')" "$A,$D,$B,$C"
api GET /risks/workspace "" "$T_B1"
eq "heat map: A and D in likelihood 4 × impact 4" "$(jqv '.heatmap.cells[0][3] | sort | join(",")')" "$(printf '%s\n' "$A" "$D" | sort | paste -sd,)"
eq "heat map: C in likelihood 1 × impact 2" "$(jqv '.heatmap.cells[3][1] | join(",")')" "$C"
eq "one review overdue, three above the appetite" "$(jqv '[.counts.overdue, .counts.above_appetite] | join(",")')" "1,3"

# ---- checklists and the plan ---------------------------------------------------
bad "a status outside the enum" 400 viewpoints.iv.status PUT /risks/checklists "$T_B1" '{"viewpoints": {"iv": {"status": "maybe"}}}'
bad "an unknown readiness item" 400 readiness.zz PUT /risks/checklists "$T_B1" '{"readiness": {"zz": {"status": "gap"}}}'
api PUT /risks/checklists '{"viewpoints": {"iv": {"status": "gap", "note": "初動手順が未整備"}, "iii": {"status": "partial"}, "i": {"status": "done"}},
  "readiness": {"cp": {"status": "gap"}, "bcp": {"status": "done"}}}' "$T_B1"
expect_status 200 "the operator answers the checklists"
eq "the answers are kept" "$(jqv '[.viewpoints[] | select(.id == "iv") | .status, .note] | join(",")')" "gap,初動手順が未整備"

api GET /risks/plan "" "$T_B1"
expect_status 200 "the operator reads its improvement plan"
# D and A score 16 (D's review is overdue); the viewpoint gaps iv and iii and
# the readiness gap cp (viewpoint iv) take 16 from D and A; B (4 > appetite
# 3) follows; C (2, accepted within the appetite) is not in the plan.
eq "the plan ordered by score, overdue first, risks before checklist gaps" \
  "$(jqv '[.items[] | (.risk // .check | tostring)] | join(",")')" "$D,$A,iv,iii,cp,$B"
eq "the plan ranks from 1" "$(jqv '[.items[].rank] | join(",")')" "1,2,3,4,5,6"
eq "a gap carries its viewpoint's highest score" "$(jqv '.items[2].score')" 16
eq "a risk of the plan carries its evidence: reports and 指針 controls" "$(jqv '.items[1] | [(.reports | length), .controls[0]] | join(",")')" "1,shishin2023:4.3.1"

# ---- privacy: 404 until shared -----------------------------------------------------
for who in B2 FSA NISC; do
	tok=T_$who
	api GET "/risks/$A" "" "${!tok}"
	expect_error "" 404 "$who cannot read the operator's risk (404)"
	api GET "/risks?org=$B1" "" "${!tok}"
	expect_error "" 404 "$who cannot list the operator's register (404)"
	api GET "/risks/plan?org=$B1" "" "${!tok}"
	expect_error "" 404 "$who cannot read the operator's plan (404)"
done
api PATCH "/risks/$A" '{"likelihood": 1}' "$T_B2"
expect_error "" 404 "another operator's PATCH -> 404, as for a missing risk"
api GET "/risks/987654" "" "$T_B1"
expect_error "" 404 "a missing risk -> the same 404"
api GET "/risks/plan?org=$B1" "" "$T_B1"
expect_status 200 "the operator names its own workspace"

bad "sharing with another operator" 400 to.0 PUT /risks/sharing "$T_B1" "{\"to\": [$B2]}"
bad "sharing with a ministry of another sector" 400 to.1 PUT /risks/sharing "$T_B1" "{\"to\": [$FSA, $MIC]}"
api GET "/risks/$A" "" "$T_FSA"
expect_error "" 404 "a refused share shares nothing"
api PUT /risks/sharing "{\"to\": [$FSA, $NISC]}" "$T_B1"
expect_status 200 "the operator shares its workspace with its ministry and NISC"
api GET "/risks/$A" "" "$T_FSA"
expect_status 200 "its ministry reads the shared risk"
api GET "/risks?org=$B1" "" "$T_NISC"
eq "NISC lists the shared register" "$(jqv '.items | length')" 4
api GET /risks/workspaces "" "$T_FSA"
eq "the ministry finds the workspaces shared with it" "$(jqv "[.items[].org] | index($B1) != null")" true
api GET "/risks/$A" "" "$T_B2"
expect_error "" 404 "another operator still gets 404"
api PATCH "/risks/$A" '{"likelihood": 1}' "$T_FSA"
expect_error "" 403 "reading is not writing: the ministry cannot change it"

# ---- archive, matrix changes, export ---------------------------------------------
api DELETE "/risks/$C" "" "$T_B1"
expect_status 200 "the operator archives C"
eq "C is archived" "$(jqv .archived)" true
api GET /risks "" "$T_B1"
eq "archived risks leave the register" "$(jqv '.items | length')" 3
api GET "/risks?archived=1" "" "$T_B1"
eq "and come back with ?archived=1" "$(jqv '.items | length')" 4
api PUT /risks/matrix "$(jq -c '.likelihood |= .[0:3] | .bands = [{id:"low",max:3},{id:"high",max:12}]' <<<"$M4")" "$T_B1"
expect_error likelihood 409 "shrinking the matrix below a risk -> 409 likelihood"

api GET /risks.csv "" "$T_B1"
expect_status 200 "the register as CSV"
eq "a header and three rows" "$(printf '%s' "$BODY" | tr -d '\r' | grep -c .)" 4
eq "the CSV header" "$(printf '%s' "$BODY" | head -1 | cut -d, -f1-3 | tr -d '\r')" "id,title,source"
api GET "/risks.csv?lang=ja" "" "$T_B1"
eq "Japanese headers" "$(printf '%s' "$BODY" | head -1 | cut -d, -f2)" "リスク名"
api GET "/risks.csv?org=$B1" "" "$T_B2"
expect_error "" 404 "another operator's CSV -> 404"

# ---- the profile -------------------------------------------------------------
PROF='{"services": ["finance.g01.s01"], "critical_systems": [{"name": "勘定系", "services": ["finance.g01.s01"]}],
  "dependencies": [{"name": "IaaS", "kind": "cloud", "provider": "クラウド事業者A"}, {"name": "保守ベンダ", "kind": "supply_chain"}],
  "as_is": "EDR 未導入", "to_be": "全端末に EDR"}'
bad "a dependency kind outside the list" 400 dependencies.1.kind PUT /risks/profile "$T_B1" "$(jq -c '.dependencies[1].kind = "friend"' <<<"$PROF")"
bad "a service of another sector" 400 services.0 PUT /risks/profile "$T_B1" "$(jq -c '.services = ["ict.g01.s01"]' <<<"$PROF")"
api PUT /risks/profile "$PROF" "$T_B1"
expect_status 200 "the operator writes its profile (As-Is, To-Be)"
eq "the profile is kept" "$(jqv '[.profile.dependencies[].kind] | join(",")')" "cloud,supply_chain"

# ---- the CLI ------------------------------------------------------------------
cli() { CISHARE_URL=http://127.0.0.1:$PORT CISHARE_TOKEN=$1 "$CISHARE" "${@:2}"; }
RF=$(mktemp)
printf '{"title": "CLIで登録したリスク", "event": "標的型メール", "likelihood": 2, "impact": 3, "treatment": "reduce"}' >"$RF"
OUT=$(cli "$T_B1" risk add "$RF")
ok "cishare risk add scores on the matrix" 'grep -qE "^risk [0-9]+ score 6 \(medium\)$" <<<"$OUT"'
E=$(grep -oE '^risk [0-9]+' <<<"$OUT" | cut -d' ' -f2)
printf '{"likelihood": 9}' >"$RF"
OUT=$(cli "$T_B1" risk update "$E" "$RF" 2>&1); RC=$?
ok "cishare risk update names the refused field" '[ "$RC" != 0 ] && grep -q likelihood <<<"$OUT"'
printf '{"impact": 4, "owner": "情報セキュリティ室"}' >"$RF"
OUT=$(cli "$T_B1" risk update "$E" "$RF")
ok "cishare risk update rescores" 'grep -qE "^risk $E score 8 \(medium\)$" <<<"$OUT"'
OUT=$(cli "$T_B1" risk show "$E")
eq "cishare risk show" "$(jq -r .owner <<<"$OUT")" "情報セキュリティ室"
OUT=$(cli "$T_B1" risk list)
ok "cishare risk list: the overdue review is marked" 'grep -qE "^$D +16 +critical +4x4 +transfer +CISO +2020-01-01!" <<<"$OUT"'
OUT=$(cli "$T_B1" risk plan)
ok "cishare risk plan: the overdue critical risk first" 'sed -n 2p <<<"$OUT" | grep -qE "^1 +16 +risk +$D "'
OUT=$(cli "$T_NISC" risk plan --org "$B1")
ok "cishare risk plan --org: NISC reads the shared plan" 'grep -q "ランサムウェア" <<<"$OUT"'
OUT=$(cli "$T_B2" risk list --org "$B1" 2>&1); RC=$?
ok "cishare risk list --org: another operator is refused" '[ "$RC" != 0 ]'
cli "$T_B1" risk export --output "$RF"
eq "cishare risk export writes the CSV" "$(tr -d '\r' <"$RF" | grep -c .)" 5
rm -f "$RF"

# ---- audit ------------------------------------------------------------------
AUD=$(audit_all "$ADMIN")
for act in risk.create risk.update risk.read risk.list risk.share risk.plan.read risk.archive risk.export; do
	ok "$act is audited" "jq -e 'any(.[]; .action == \"$act\")' <<<\"\$AUD\" >/dev/null"
done
ok "the ministry's read of the shared risk is audited" "jq -e 'any(.[]; .action == \"risk.read\" and .org == $FSA and .item == \"risk:$A\")' <<<\"\$AUD\" >/dev/null"

stop_server
