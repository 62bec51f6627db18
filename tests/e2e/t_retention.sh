#!/usr/bin/env bash
# Retention (issue 16 item 6; docs/internals/retention.md, docs/api.md
# "Retention"): legal holds (PUT/DELETE /reports|advisories/{id}/hold, NISC
# analysts or an admin, audited); GET /retention (admins); `cishared purge
# --dry-run|--now` removes exactly the expired unheld items and every row
# that referred to them (checked in the raw database), keeps held ones and
# the hash-chained audit log; the worker purges on its schedule; the erasure
# of an anonymised source (POST /reports/{id}/erase-source, by the source or
# its CEPTOAR secretariat) leaves nothing that names the source — not the
# secretariat's view, not NISC's, not the raw database, not anything the
# keys open — and the report readable otherwise.
. "$(dirname "$0")/lib.sh"
start_server

ORGNAME="Rt9北辰銀行Erase"
MARK="rt9-marker-clear-summary"
DAY_US=86400000000

orgs "R " <<'EOF2'
NISC	nisc			[]		-	NISC
MIN	ci_ministry		["finance"]	-	金融庁
CEP	ceptoar_secretariat	["finance"]	-	銀行等CEPTOAR
OP2	ci_operator		["finance"]	-	さくら信金
EOF2
OP=$(mkorg "$ORGNAME" ci_operator '["finance"]' "$CEP")
tokens <<'EOF2'
T_NISC	NISC	r-nisc	analyst
T_MIN	MIN	r-fsa	liaison
T_CEP	CEP	r-cep	poc
T_OP2	OP2	r-op2	member
EOF2
T_OP=$(principal "$OP" r-op member)

# purge ARGS... — cishared purge on the test database; output in $PURGE
purge() {
	PURGE=$("$CISHARED" purge --db "$(db_url "$DB")" "$@" 2>"$WORK/purge.err") || PURGE="rc=$? $PURGE $(tail -3 "$WORK/purge.err")"
}
# rows_of_report ID -> the rows of every table that refers to report ID
rows_of_report() {
	db_sql "SELECT (SELECT count(*) FROM reports WHERE id = $1)
	  + (SELECT count(*) FROM report_path WHERE report = $1)
	  + (SELECT count(*) FROM report_shares WHERE report = $1)
	  + (SELECT count(*) FROM report_extra WHERE report = $1)
	  + (SELECT count(*) FROM report_versions WHERE report = $1)
	  + (SELECT count(*) FROM report_disclosures WHERE report = $1)
	  + (SELECT count(*) FROM report_triage WHERE report = $1)
	  + (SELECT count(*) FROM widening_requests WHERE report = $1)
	  + (SELECT count(*) FROM advisory_related WHERE report = $1)
	  + (SELECT count(*) FROM advisory_reviews WHERE report = $1)
	  + (SELECT count(*) FROM attachments WHERE report = $1)
	  + (SELECT count(*) FROM sample_requests WHERE report = $1)
	  + (SELECT count(*) FROM item_observables WHERE item_kind = 0 AND item_id = $1)
	  + (SELECT count(*) FROM search_docs WHERE kind = 0 AND item = $1)
	  + (SELECT count(*) FROM drill_items WHERE kind = 0 AND item = $1)
	  + (SELECT count(*) FROM item_notes WHERE kind = 2 AND item = $1)"
}
rows_of_advisory() {
	db_sql "SELECT (SELECT count(*) FROM advisories WHERE id = $1)
	  + (SELECT count(*) FROM advisory_versions WHERE advisory = $1)
	  + (SELECT count(*) FROM advisory_related WHERE advisory = $1)
	  + (SELECT count(*) FROM advisory_reviews WHERE advisory = $1)
	  + (SELECT count(*) FROM deliveries WHERE advisory = $1)
	  + (SELECT count(*) FROM inbox_events WHERE advisory = $1)
	  + (SELECT count(*) FROM notifications WHERE advisory = $1)
	  + (SELECT count(*) FROM inquiries WHERE advisory = $1)
	  + (SELECT count(*) FROM adv_questions WHERE advisory = $1)
	  + (SELECT count(*) FROM attachments WHERE advisory = $1)
	  + (SELECT count(*) FROM item_observables WHERE item_kind = 1 AND item_id = $1)
	  + (SELECT count(*) FROM search_docs WHERE kind = 1 AND item = $1)
	  + (SELECT count(*) FROM drill_items WHERE kind = 1 AND item = $1)
	  + (SELECT count(*) FROM item_notes WHERE kind IN (1, 3) AND item = $1)"
}
age() {	# age TABLE ID DAYS
	db_sql "UPDATE $1 SET updated_us = updated_us - $3 * $DAY_US WHERE id = $2"
}

# ---- items ------------------------------------------------------------------
F_OLD=$(mkform green finance '.overview.event_summary = "rt9 old 198.51.100.77 evil-rt9.example"')
R_OLD=$(submit "$T_OP2" direct "$F_OLD")
forward "$T_MIN" "$R_OLD" && pass "the ministry forwards the old report to NISC"
printf 'old evidence\n' >"$WORK/att.txt"
curl -s -o /dev/null -X POST -H "Authorization: Bearer $T_OP2" \
    -H "Content-Type: text/plain" --data-binary "@$WORK/att.txt" \
    "$URL/reports/$R_OLD/attachments?name=old.txt"
R_HELD=$(submit "$T_OP2" direct "$(mkform green finance '.overview.event_summary = "rt9 held"')")
forward "$T_MIN" "$R_HELD" && pass "the ministry forwards the held report"
R_NEW=$(submit "$T_OP2" direct "$(mkform green finance)")
ADV_OLD=$(adv_issue "$T_NISC" "$(mkadv green '.threat_content.summary = "rt9 old advisory"')")
api POST "/reports/$R_OLD/share" "{\"to\": [$CEP]}" "$T_NISC"
ADV_HELD=$(adv_issue "$T_NISC" "$(mkadv green)")
ADV_NEW=$(adv_issue "$T_NISC" "$(mkadv green)")
ok "the old report has rows in the index tables before the purge" \
    '[ "$(db_sql "SELECT count(*) FROM search_docs WHERE kind = 0 AND item = $R_OLD")" -gt 0 ] &&
     [ "$(db_sql "SELECT count(*) FROM item_observables WHERE item_kind = 0 AND item_id = $R_OLD")" -gt 0 ] &&
     [ "$(db_sql "SELECT count(*) FROM attachments WHERE report = $R_OLD")" -gt 0 ]'
ok "the old advisory has deliveries and inbox events" \
    '[ "$(db_sql "SELECT count(*) FROM deliveries WHERE advisory = $ADV_OLD")" -gt 0 ]'

# ---- legal holds -------------------------------------------------------------
api PUT "/reports/$R_HELD/hold" "" "$T_MIN"
expect_error "" 403 "a ministry cannot place a legal hold"
api PUT "/reports/$R_NEW/hold" "" "$T_NISC"
expect_error "" 404 "NISC cannot hold a report it does not read (404, as absent)"
api PUT "/reports/999999/hold" "" "$T_NISC"
expect_error "" 404 "a missing report -> 404"
api PUT "/advisories/999999/hold" "" "$ADMIN"
expect_error "" 404 "a missing advisory -> 404 (admin)"
api PUT "/reports/$R_HELD/hold" "" "$T_NISC"
expect_status 200 "a NISC analyst places a legal hold on a report"
eq "the answer says held" "$(jqv '[.kind, .id, .held] | map(tostring) | join(",")')" "report,$R_HELD,true"
ok "held_at is a time" '[ -n "$(jqv ".held_at // empty")" ]'
api PUT "/reports/$R_HELD/hold" "" "$T_NISC"
expect_status 200 "holding again is idempotent"
api GET "/reports/$R_HELD" "" "$T_NISC"
eq "NISC's GET of the report shows the hold" "$(jqv .held)" true
api GET "/reports/$R_HELD" "" "$T_OP2"
eq "the source's GET does not show whether it is held" "$(jqv 'has("held")')" false
api GET "/reports/$R_HELD" "" "$T_MIN"
eq "nor the ministry's" "$(jqv 'has("held")')" false
api PUT "/advisories/$ADV_HELD/hold" "" "$ADMIN"
expect_status 200 "an admin places a legal hold on an advisory"
api GET "/advisories/$ADV_HELD" "" "$T_NISC"
eq "NISC's GET of the advisory shows the hold" "$(jqv .held)" true
api PUT "/advisories/$ADV_NEW/hold" "" "$T_NISC"
expect_status 200 "NISC holds another advisory"
api DELETE "/advisories/$ADV_NEW/hold" "" "$T_NISC"
expect_status 200 "NISC lifts the hold"
eq "the answer says not held" "$(jqv .held)" false
eq "holds and lifts are audited (one entry per change)" \
    "$(db_sql "SELECT count(*) FROM audit WHERE action IN ('retention.hold', 'retention.unhold')")" 4

# ---- the policy ---------------------------------------------------------------
api GET /retention "" "$T_NISC"
expect_error "" 403 "the retention policy is for admins"
api GET /retention "" "$ADMIN"
expect_status 200 "an admin reads the retention policy"
eq "by default everything is kept (0 days)" "$(jqv '[.policy[]] | add')" 0
eq "five classes" "$(jqv '[.classes[].class] | join(",")')" "reports,advisories,stix,notifications,exercises"
eq "the holds are counted" "$(jqv '[.held.reports, .held.advisories] | map(tostring) | join(",")')" "1,1"
eq "the audit log is kept" "$(jqv .audit)" kept

# ---- purge --------------------------------------------------------------------
age reports "$R_OLD" 40
age reports "$R_HELD" 40
age advisories "$ADV_OLD" 40
age advisories "$ADV_HELD" 40
purge --dry-run
ok "purge without --retain-* purges nothing (dry run: days=0)" 'grep -qE "^reports +days=0 +due=0" <<<"$PURGE"'
purge --dry-run --now
ok "purge needs exactly one of --dry-run and --now" 'grep -q "^rc=64" <<<"$PURGE"'
purge --dry-run --retain-reports 30 --retain-advisories 30
ok "the dry run finds one report due (the held one is not)" 'grep -qE "^reports +days=30 +due=1 " <<<"$PURGE"'
ok "the dry run finds one advisory due" 'grep -qE "^advisories +days=30 +due=1 " <<<"$PURGE"'
ok "the dry run lists the holds" 'grep -qE "^held +reports=1 advisories=1" <<<"$PURGE"'
eq "the dry run removed nothing" "$(rows_of_report "$R_OLD" | tr -d ' ')" "$(rows_of_report "$R_OLD" | tr -d ' ')"
[ "$(db_sql "SELECT count(*) FROM reports WHERE id = $R_OLD")" == 1 ] && pass "the dry run left the old report" || fail "the dry run left the old report"
purge --now --retain-reports 30 --retain-advisories 30
ok "purge --now purges one report and one advisory" \
    'grep -qE "^reports +purged=1$" <<<"$PURGE" && grep -qE "^advisories +purged=1$" <<<"$PURGE"'
eq "no row refers to the purged report any more" "$(rows_of_report "$R_OLD")" 0
eq "no row refers to the purged advisory any more" "$(rows_of_advisory "$ADV_OLD")" 0
ok "the attachment chunks went with it" \
    '[ "$(db_sql "SELECT count(*) FROM attachment_chunks WHERE att NOT IN (SELECT id FROM attachments)")" == 0 ]'
ok "no purging mark is left" '[ "$(db_sql "SELECT count(*) FROM purging")" == 0 ]'
ok "the held report is whole" '[ "$(db_sql "SELECT count(*) FROM report_versions WHERE report = $R_HELD")" -gt 0 ]'
ok "the held advisory is whole" '[ "$(db_sql "SELECT count(*) FROM advisory_versions WHERE advisory = $ADV_HELD")" -gt 0 ]'
ok "the new items are untouched" \
    '[ "$(db_sql "SELECT count(*) FROM reports WHERE id = $R_NEW")" == 1 ] && [ "$(db_sql "SELECT count(*) FROM advisories WHERE id = $ADV_NEW")" == 1 ]'
if [ "$CS_STORE" == pg ]; then
	ok "the search index has no row of the purged report" \
	    '[ "$(db_sql "SELECT count(*) FROM search_docs WHERE body LIKE '"'"'%rt9 old%'"'"'")" == 0 ]'
else
	ok "the full-text index has no row of the purged report" \
	    '[ "$(db_sql "SELECT count(*) FROM search_fts WHERE search_fts MATCH '"'"'\"rt9 old\"'"'"'")" == 0 ]'
fi
api GET "/reports/$R_OLD" "" "$T_NISC"
expect_error "" 404 "the purged report is gone (404)"
api GET "/search?q=rt9%20old" "" "$T_NISC"
ok "search finds nothing of it" '[ "$STATUS" == 200 ] && ! grep -q "\"id\": *$R_OLD\b" <<<"$BODY"'
api GET "/reports/$R_HELD" "" "$T_NISC"
expect_status 200 "the held report is still read"
eq "the purge is audited, one entry per class batch" \
    "$(db_sql "SELECT count(*) FROM audit WHERE action = 'retention.purge'")" 2
api GET /audit/verify "" "$ADMIN"
expect_status 200 "the audit chain still verifies after the purge"
ok "the audit chain is intact" 'grep -q "true" <<<"$(jqv ".ok // .valid // .intact")"'
ok "outside a purge the versions stay immutable" \
    '! db_sql "DELETE FROM report_versions WHERE report = $R_HELD" 2>/dev/null'
ok "outside a purge the audit log stays append-only" \
    '! db_sql "DELETE FROM audit WHERE seq = 1" 2>/dev/null'
purge --now --retain-reports 30 --retain-advisories 30
ok "a second run purges nothing" 'grep -qE "^total +purged=0$" <<<"$PURGE"'

# the other classes: STIX contributions, sent notifications, exercises
api POST /notification-channels "{\"kind\": \"email\", \"target\": \"soc@rt9.example\", \"user\": null, \"org\": $OP2}" "$ADMIN"
expect_status 201 "a notification channel"
CH=$(jqv .id)
NOW_US=$(( $(date +%s) * 1000000 ))
OLD_US=$(( NOW_US - 40 * DAY_US ))
FAR_US=$(( NOW_US + 3650 * DAY_US ))
for st in "1 $OLD_US old-sent" "0 $OLD_US old-pending" "2 $NOW_US new-failed"; do
	set -- $st
	db_sql "INSERT INTO notifications(channel, advisory, event, subject, body, attempts, next_us, state, created_us)
	  VALUES ($CH, $ADV_NEW, 'issued', '$3', 'rt9', 1, $FAR_US, $1, $2)"
done
for st in "$OLD_US old" "$NOW_US new"; do
	set -- $st
	db_sql "INSERT INTO stix_objects(collection, stix_id, type, spec_version, modified, added_us, tlp, org, status, json)
	  VALUES ('contributions', 'indicator--rt9-$2', 'indicator', '2.1', '2026-01-01T00:00:00.000Z', $1, 3, $NISC, 'ok', '{}')"
done
SCEN=$(jq -nc --argjson p "[$OP2]" '{name: "rt9 演習", participants: $p, injects: [{at_s: 0, to: ["ci_operator"], title: "t", text: "x"}]}')
api POST /exercises "$SCEN" "$T_NISC"
EX_OLD=$(jqv .id)
api POST /exercises "$SCEN" "$T_NISC"
EX_NEW=$(jqv .id)
api POST "/exercises/$EX_OLD/issues" '{"text": "rt9 課題"}' "$T_OP2"
expect_status 201 "a participant logs an issue on the old exercise"
db_sql "UPDATE exercises SET created_us = $OLD_US WHERE id = $EX_OLD; UPDATE exercise_notes SET at_us = $OLD_US WHERE exercise = $EX_OLD"
purge --dry-run --retain-stix 30 --retain-notifications 30 --retain-exercises 30
ok "the dry run finds one STIX object, one notification, one exercise" \
    'grep -qE "^stix +days=30 +due=1 " <<<"$PURGE" && grep -qE "^notifications +days=30 +due=1 " <<<"$PURGE" && grep -qE "^exercises +days=30 +due=1 " <<<"$PURGE"'
purge --now --retain-stix 30 --retain-notifications 30 --retain-exercises 30
ok "purge --now: one of each" \
    'grep -qE "^stix +purged=1$" <<<"$PURGE" && grep -qE "^notifications +purged=1$" <<<"$PURGE" && grep -qE "^exercises +purged=1$" <<<"$PURGE" && grep -qE "^reports +purged=0$" <<<"$PURGE"'
eq "the old sent notification went; the pending and the recent failed one stay" \
    "$(db_sql "SELECT subject FROM notifications WHERE channel = $CH ORDER BY subject" | tr '\n' ' ')" "new-failed old-pending "
eq "the old STIX object went, the new one stays" \
    "$(db_sql "SELECT stix_id FROM stix_objects WHERE stix_id LIKE 'indicator--rt9-%'")" "indicator--rt9-new"
eq "the old exercise went with its notes" \
    "$(db_sql "SELECT (SELECT count(*) FROM exercises WHERE id = $EX_OLD) + (SELECT count(*) FROM exercise_notes WHERE exercise = $EX_OLD)")" 0
eq "the new exercise stays" "$(db_sql "SELECT count(*) FROM exercises WHERE id = $EX_NEW")" 1

# ---- the worker's schedule ---------------------------------------------------------
api DELETE "/reports/$R_HELD/hold" "" "$T_NISC"
expect_status 200 "NISC lifts the report's hold"
stop_server
CISHARED_RETAIN_REPORTS=30 CISHARED_PURGE_INTERVAL=1 serve_db
for i in $(seq 1 100); do
	[ "$(db_sql "SELECT count(*) FROM reports WHERE id = $R_HELD")" == 0 ] && break
	sleep 0.1
done
eq "the worker purges the report once its hold is lifted" "$(rows_of_report "$R_HELD")" 0
eq "the worker kept the new report" "$(db_sql "SELECT count(*) FROM reports WHERE id = $R_NEW")" 1
eq "the worker left the held advisory (advisories are kept forever here)" \
    "$(db_sql "SELECT count(*) FROM advisories WHERE id = $ADV_HELD")" 1

# ---- erasure of an anonymised source ----------------------------------------------
FORM=$(mkform green finance "
	.affected_operator_name = \"$ORGNAME\"
	| .overview.event_summary = \"弊社（$ORGNAME）で感染 $MARK\"")
api POST /reports "$(jq -nc --argjson f "$FORM" '{route: "via_ceptoar", legal_duty: false, form: $f}')" "$T_OP"
expect_status 201 "the operator files anonymised (via_ceptoar)"
A=$(jqv .id)
printf 'sealed evidence %s\n' "$ORGNAME" >"$WORK/sealed.txt"
curl -s -o /dev/null -X POST -H "Authorization: Bearer $T_OP" \
    -H "Content-Type: text/plain" --data-binary "@$WORK/sealed.txt" \
    "$URL/reports/$A/attachments?name=sealed.txt"
forward "$T_CEP" "$A" && pass "the secretariat forwards it (redacted)"
forward "$T_MIN" "$A" && pass "the ministry forwards it to NISC"
api GET "/reports/$A" "" "$T_CEP"
eq "before: the secretariat sees the source" "$(jqv .submitter.org_name)" "$ORGNAME"
ok "before: the database holds the sealed identity" \
    '[ "$(db_sql "SELECT count(*) FROM reports WHERE id = $A AND sealed_identity IS NOT NULL")" == 1 ]'
D=$(submit "$T_OP2" direct "$(mkform green finance)")

api POST "/reports/$A/erase-source" '{}' "$T_OP"
expect_error confirm 400 "erasing needs {\"confirm\": true} -> 400 confirm"
api POST "/reports/$A/erase-source" '{"confirm": "yes"}' "$T_OP"
expect_error confirm 400 "confirm must be true -> 400 confirm"
api POST "/reports/$A/erase-source" '{"confirm": true, "x": 1}' "$T_OP"
expect_error x 400 "an unknown key -> 400 x"
api POST "/reports/$A/erase-source" '{"confirm": true}' "$T_MIN"
expect_error "" 403 "a ministry cannot erase a source"
api POST "/reports/$A/erase-source" '{"confirm": true}' "$T_NISC"
expect_error "" 403 "NISC cannot erase a source"
api POST "/reports/$A/erase-source" '{"confirm": true}' "$T_OP2"
expect_error "" 404 "another operator does not see the report (404)"
api POST "/reports/$D/erase-source" '{"confirm": true}' "$T_OP2"
expect_error "" 409 "an identified report has no sealed source -> 409"
api POST "/reports/$A/erase-source" '{"confirm": true}' "$T_OP"
expect_status 200 "the source erases its sealed identity"
eq "the answer" "$(jqv '[.id, .source_erased] | map(tostring) | join(",")')" "$A,true"
api POST "/reports/$A/erase-source" '{"confirm": true}' "$T_CEP"
expect_error "" 409 "erasing twice -> 409"

api GET "/reports/$A" "" "$T_OP"
expect_error "" 404 "the source itself can no longer find the report"
api GET "/reports/$A" "" "$T_CEP"
expect_status 200 "the secretariat still reads the report"
eq "the secretariat sees no submitter" "$(jqv 'has("submitter")')" false
eq "the secretariat's GET says the source was erased" "$(jqv .source_erased)" true
ok "the secretariat's view names the source nowhere" '! grep -qF "$ORGNAME" <<<"$BODY"'
api GET "/reports/$A" "" "$T_NISC"
expect_status 200 "NISC still reads the report"
ok "NISC's view keeps the forwarded text" 'grep -qF "$MARK" <<<"$BODY"'
ok "NISC's view names the source nowhere" '! grep -qF "$ORGNAME" <<<"$BODY"'
eq "the database holds no sealed identity, source form or sealed attachment of it" \
    "$(db_sql "SELECT (SELECT count(*) FROM reports WHERE id = $A AND sealed_identity IS NOT NULL)
      + (SELECT count(*) FROM report_versions WHERE report = $A AND sealed_form IS NOT NULL)
      + (SELECT count(*) FROM attachments WHERE report = $A AND (sealed_key IS NOT NULL OR sealed_meta IS NOT NULL))
      + (SELECT count(*) FROM attachments WHERE report = $A AND by_org = $OP)")" 0
ok "nothing in the database names the source's org with the report" \
    '[ "$(db_sql "SELECT count(*) FROM report_path WHERE report = $A AND org = $OP")" == 0 ] &&
     [ "$(db_sql "SELECT count(*) FROM report_versions WHERE report = $A AND by_org = $OP")" == 0 ] &&
     [ "$(db_sql "SELECT count(*) FROM audit WHERE item = '"'"'report:$A'"'"' AND org = $OP")" == 0 ]'
ok "the erasure is audited without naming who asked" \
    '[ "$(db_sql "SELECT count(*) FROM audit WHERE action = '"'"'report.erase_source'"'"' AND item = '"'"'report:$A'"'"' AND \"user\" IS NULL AND org IS NULL")" == 1 ]'
adv_issue "$T_NISC" "$(mkadv green '.threat_content.summary = "rt9 関連の情報提供"')" false '.related_reports = ['"$A"']' >/dev/null
eq "NISC still issues an advisory related to the erased report" "$STATUS" 201
DUMP=$(db_dump "$DB" 2>/dev/null || true)
ok "the raw dump holds no copy of the source's name" '! grep -qF "$ORGNAME" <<<"$DUMP"'
ok "the anonymised list of the source no longer holds it" \
    '! list_ids "$T_OP" anonymised=mine | grep -qx "$A"'
# the master key opens every secretariat key: a list of every report the
# secretariat reads (its key opening every seal) names the source nowhere
api GET "/reports?limit=500" "" "$T_CEP"
ok "the secretariat's list names the source nowhere" '[ "$STATUS" == 200 ] && ! grep -qF "$ORGNAME" <<<"$BODY"'
# ---- the CLI --------------------------------------------------------------------
cli() { CISHARE_URL=http://127.0.0.1:$PORT CISHARE_TOKEN=$1 "$CISHARE" "${@:2}"; }
OUT=$(cli "$ADMIN" hold report "$R_NEW" 2>&1)
eq "cishare hold report (admin)" "$OUT" "report $R_NEW held=true"
OUT=$(cli "$ADMIN" unhold report "$R_NEW" 2>&1)
eq "cishare unhold report" "$OUT" "report $R_NEW held=false"
OUT=$(cli "$T_NISC" hold advisory "$ADV_NEW" 2>&1)
eq "cishare hold advisory (NISC)" "$OUT" "advisory $ADV_NEW held=true"
OUT=$(cli "$T_MIN" hold advisory "$ADV_NEW" 2>&1); RC=$?
ok "cishare hold by a ministry fails" '[ "$RC" != 0 ]'
OUT=$(cli "$T_NISC" unhold advisory "$ADV_NEW" 2>&1)
eq "cishare unhold advisory" "$OUT" "advisory $ADV_NEW held=false"
api POST /reports "$(jq -nc --argjson f "$FORM" '{route: "via_ceptoar", legal_duty: false, form: $f}')" "$T_OP"
B=$(jqv .id)
OUT=$(cli "$T_CEP" erase-source "$B" 2>&1); RC=$?
eq "cishare erase-source without --yes is a usage error" "$RC" 64
ok "the report keeps its sealed identity then" \
    '[ "$(db_sql "SELECT count(*) FROM reports WHERE id = $B AND sealed_identity IS NOT NULL")" == 1 ]'
OUT=$(cli "$T_CEP" erase-source "$B" --yes 2>&1)
ok "cishare erase-source --yes (the secretariat)" 'grep -qE "^report $B: source erased " <<<"$OUT"'
api POST "/reports/$B/forward" "" "$T_CEP"
ok "the secretariat cannot forward a version whose source text is gone (409, not 5xx)" '[ "$STATUS" == 409 ]'
ok "the secretariat's erasure is audited under its name" \
    '[ "$(db_sql "SELECT count(*) FROM audit WHERE action = '"'"'report.erase_source'"'"' AND item = '"'"'report:$B'"'"' AND org = $CEP")" == 1 ]'
OUT=$(cli "$ADMIN" retention 2>&1)
ok "cishare retention prints the classes and the holds" \
    'grep -qE "^reports +30 +[0-9]{4}-[0-9T:+-]+ +0$" <<<"$OUT" && grep -qE "^advisories +0 +- +0$" <<<"$OUT" && grep -q "^held: 0 reports, 1 advisories" <<<"$OUT"'
stop_server
