#!/usr/bin/env bash
# Cross-sector exercises (issue 13, item 4; API.md "Operating modes",
# Exercises): NISC writes timed injects addressed to actor types and runs
# the clock sixty times faster; participants read only the injects
# released to their organisation's type and answer them, and log issues
# (課題); NISC's facilitator view and after-action report give each
# participant's responses with their delays and what it left unanswered.
. "$(dirname "$0")/lib.sh"
start_server

orgs "E " <<'EOF2'
NISC	nisc			[]		-	NISC
FSA	ci_ministry		["finance"]	-	金融庁
CEP	ceptoar_secretariat	["finance"]	-	銀行等セプター
B1	ci_operator		["finance"]	-	みなと銀行
B2	ci_operator		["finance"]	-	さくら銀行
EOF2
tokens <<'EOF2'
T_NISC	NISC	e-nisc	analyst
T_FSA	FSA	e-fsa	liaison
T_CEP	CEP	e-cep	poc
T_B1	B1	e-b1	member
T_B2	B2	e-b2	member
EOF2

SCEN=$(jq -nc --argjson p "[$FSA,$CEP,$B1]" '{name: "分野横断的演習 2026", participants: $p, injects: [
  {at_s: 0, to: ["ci_operator"], title: "不審メール", text: "職員が不審メールを開封した。第1報を作成せよ。"},
  {at_s: 120, to: ["ci_ministry", "ceptoar_secretariat"], title: "複数行で同様事象", text: "他行でも同様事象。情報共有の要否を判断せよ。"},
  {at_s: 3600, to: ["ci_operator"], title: "翌朝", text: "復旧状況を報告せよ。"}]}')
api POST /exercises "$(jq -c '.injects[0].at_s = -1' <<<"$SCEN")" "$T_NISC"
expect_error injects.0.at_s 400 "a negative time -> 400 injects.0.at_s"
api POST /exercises "$(jq -c '.injects[1].to = ["pirates"]' <<<"$SCEN")" "$T_NISC"
expect_error injects.1.to.0 400 "an unknown actor type -> 400 injects.1.to.0"
api POST /exercises "$SCEN" "$T_FSA"
expect_error "" 403 "a ministry cannot create an exercise"
api POST /exercises "$SCEN" "$T_NISC"
expect_status 201 "NISC writes an exercise with three timed injects"
X=$(jqv .id)

api GET "/exercises/$X/injects" "" "$T_B1"
eq "before the start nothing is released" "$(jqv '.injects | length')" 0
api GET "/exercises/$X" "" "$T_B2"
expect_error "" 404 "a non-participant does not see the exercise"
api POST "/exercises/$X/start" '{"speed": 61}' "$T_NISC"
expect_error speed 400 "speed above 60 -> 400"
api POST "/exercises/$X/start" '{"speed": 0}' "$T_NISC"
expect_error speed 400 "speed 0 -> 400"
api POST "/exercises/$X/start" '{"speed": 60}' "$T_NISC"
expect_status 200 "NISC starts the clock at x60"
api POST "/exercises/$X/start" '{"speed": 60}' "$T_NISC"
expect_error "" 409 "starting twice -> 409"

api GET "/exercises/$X/injects" "" "$T_B1"
eq "the operator sees the first inject at once" "$(jqv '[.injects[].title] | join(",")')" "不審メール"
api GET "/exercises/$X/injects" "" "$T_FSA"
eq "the ministry sees nothing yet (its inject is at 2 min = 2 s)" "$(jqv '.injects | length')" 0
api POST "/exercises/$X/injects/2/responses" '{"text": "早すぎる"}' "$T_FSA"
expect_error "" 409 "answering before the release -> 409"
api POST "/exercises/$X/injects/1/responses" '{"text": "第1報を作成し所管省庁へ送信"}' "$T_B1"
expect_status 201 "the operator answers the first inject"
api POST "/exercises/$X/injects/1/responses" '{"text": "x"}' "$T_FSA"
expect_error "" 404 "an inject not addressed to you -> 404"
sleep 2.2
api GET "/exercises/$X/injects" "" "$T_FSA"
eq "two seconds later the ministry sees its inject" "$(jqv '[.injects[].title] | join(",")')" "複数行で同様事象"
api POST "/exercises/$X/injects/2/responses" '{"text": "セプターへ注意喚起を依頼"}' "$T_FSA"
expect_status 201 "the ministry answers"
api POST "/exercises/$X/issues" '{"text": "夜間の連絡先一覧が古かった"}' "$T_CEP"
expect_status 201 "the CEPTOAR logs an issue (課題)"
api POST "/exercises/$X/issues" '{"text": "x"}' "$T_B2"
expect_error "" 404 "a non-participant cannot log issues"

api GET "/exercises/$X" "" "$T_NISC"
eq "the facilitator view: inject 1 answered by the bank" "$(jqv '.injects[0].responses[0].org')" "$B1"
eq "the facilitator view: inject 3 (at 1 h = 60 s) not released yet" "$(jqv '.injects[2].released')" false
api GET "/exercises/$X/after-action" "" "$T_NISC"
expect_status 200 "NISC reads the after-action report"
eq "the bank answered inject 1 within seconds" "$(jqv ".participants[] | select(.org == $B1) | .responses[0].delay_s < 5")" true
eq "the CEPTOAR left inject 2 unanswered" "$(jqv ".participants[] | select(.org == $CEP) | .unanswered | join(\",\")")" "2"
eq "the CEPTOAR's issue is in the report" "$(jqv ".participants[] | select(.org == $CEP) | .issues[0].text")" "夜間の連絡先一覧が古かった"
api GET "/exercises/$X/after-action" "" "$T_CEP"
expect_error "" 403 "a participant does not read the after-action report"
AUD=$(audit_all "$ADMIN")
eq "the exercise's steps are audited" \
    "$(jq -c '[.[] | select(.action | startswith("exercise.")) | .action] | unique' <<<"$AUD")" \
    '["exercise.create","exercise.issue","exercise.respond","exercise.start"]'

# The CLI: a scenario file, the clock at x60, a response, the report.
cli() { CISHARE_URL=http://127.0.0.1:$PORT CISHARE_TOKEN=$1 "$CISHARE" "${@:2}"; }
SCEN=$(mktemp)
printf '{"name": "CLI演習", "participants": [%s], "injects": [{"at_s": 0, "to": ["ci_operator"], "title": "停電", "text": "変電所が停止した"}]}' "$B1" >"$SCEN"
OUT=$(cli "$T_NISC" exercise create "$SCEN")
ok "cishare exercise create reads the scenario file" 'grep -qE "^exercise [0-9]+$" <<<"$OUT"'
X2=${OUT#exercise }
OUT=$(cli "$T_NISC" exercise start "$X2" --speed 99 2>&1); RC=$?
eq "cishare exercise start refuses --speed 99 (usage error)" "$RC" 64
OUT=$(cli "$T_NISC" exercise start "$X2" --speed 60)
ok "cishare exercise start" 'grep -qE "^exercise $X2 started .* speed 60$" <<<"$OUT"'
OUT=$(cli "$T_B1" exercise injects "$X2")
ok "cishare exercise injects shows the released inject" 'grep -q "停電" <<<"$OUT"'
OUT=$(cli "$T_B1" exercise respond "$X2" 1 "BCPを発動")
ok "cishare exercise respond" 'grep -qE "^response [0-9]+$" <<<"$OUT"'
OUT=$(cli "$T_B1" exercise issue "$X2" "連絡網の不備")
ok "cishare exercise issue" 'grep -qE "^issue [0-9]+$" <<<"$OUT"'
OUT=$(cli "$T_B1" exercise list)
ok "cishare exercise list shows the participant its exercises" 'grep -q "CLI演習" <<<"$OUT"'
OUT=$(cli "$T_B2" exercise list)
eq "cishare exercise list shows a non-participant nothing" "$OUT" ""
OUT=$(cli "$T_NISC" exercise after-action "$X2")
ok "cishare exercise after-action: the bank answered inject 1" 'grep -qE "^$B1 +#1\([0-9]+s\) +1$" <<<"$OUT"'
rm -f "$SCEN"
stop_server
