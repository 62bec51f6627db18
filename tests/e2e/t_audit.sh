#!/usr/bin/env bash
# Audit: every write and read of a report is logged (report.create, .read,
# .list, .forward, .share, .followup) with who and which item; the chain is
# visible and verifies; only admins and NISC read it; the database refuses
# updates and deletes; a tampered copy fails verification at the right entry.
. "$(dirname "$0")/lib.sh"
start_server

orgs "Au " <<'EOF'
NISC	nisc			[]		-	NISC
CAS	cas_crisis_management	[]		-	CAS
MIN	ci_ministry		["finance"]	-	金融庁
OP	ci_operator		["finance"]	-	みなと銀行
OP2	ci_operator		["finance"]	-	さくら信金
EOF
NISC_UID=$(mkuser "$NISC" au-nisc analyst); T_NISC=$(mktoken "$NISC_UID")
MIN_UID=$(mkuser "$MIN" au-fsa liaison); T_MIN=$(mktoken "$MIN_UID")
OP_UID=$(mkuser "$OP" au-op member); T_OP=$(mktoken "$OP_UID")
tokens <<'EOF'
T_OP2	OP2	au-op2	member
T_CAS	CAS	au-cas	member
EOF

# has_entry DESC JQ_SELECT — an entry of $AUD matches
has_entry() {
	local n
	n=$(jq "[.[] | select($2)] | length" <<<"$AUD")
	if [ "${n:-0}" -ge 1 ]; then pass "$1"; else fail "$1" "no entry matches: $2"; fi
}

D=$(submit "$T_OP" direct "$(mkform amber finance)")
api GET "/reports/$D" "" "$T_MIN"; expect_status 200 "the ministry reads the report"
api GET "/reports?limit=10" "" "$T_MIN"; expect_status 200 "the ministry lists reports"
forward "$T_MIN" "$D" && pass "the ministry forwards"
api POST "/reports/$D/share" "{\"to\": [$CAS]}" "$T_NISC"; expect_status 200 "NISC shares with CAS"
V=$(followup "$T_OP" "$D" "$(mkform amber finance)")
eq "the operator files 第2報" "$V" 2
api GET "/reports/$D" "" "$T_OP2"; expect_status 404 "another operator's GET is refused (404)"

AUD=$(audit_all "$ADMIN")
ok "the admin reads the audit log" '[ "$(jq length <<<"$AUD")" -gt 0 ]'
IT="report:$D"
has_entry "report.create by the operator's user and org, item report:$D" \
    ".action == \"report.create\" and .item == \"$IT\" and .user == $OP_UID and .org == $OP"
has_entry "report.read by the ministry liaison" \
    ".action == \"report.read\" and .item == \"$IT\" and .user == $MIN_UID and .org == $MIN"
has_entry "report.list by the ministry naming the report" \
    ".action == \"report.list\" and .user == $MIN_UID and ((.detail.reports // []) | index($D) != null)"
has_entry "report.forward by the ministry with hop and versions" \
    ".action == \"report.forward\" and .item == \"$IT\" and .user == $MIN_UID and .detail.versions == [1]"
has_entry "report.share by NISC naming the target" \
    ".action == \"report.share\" and .item == \"$IT\" and .user == $NISC_UID and .org == $NISC and .detail.to == [$CAS]"
has_entry "report.followup by the operator, version 2" \
    ".action == \"report.followup\" and .item == \"$IT\" and .user == $OP_UID and .detail.version == 2"
has_entry "org.create is audited" '.action == "org.create"'
has_entry "user.create is audited" '.action == "user.create"'
has_entry "token.create is audited" '.action == "token.create"'
eq "a refused (404) read leaves no report.read entry for that user" \
    "$(jq "[.[] | select(.action == \"report.read\" and .org == $OP2)] | length" <<<"$AUD")" 0
ok "every entry has seq, at (RFC 3339), action and hash" \
    '[ "$(jq "[.[] | select((.seq|type) != \"number\" or (.at|test(\"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}(Z|[+-][0-9]{2}:[0-9]{2})$\")|not) or (.action|type) != \"string\" or (.hash|test(\"^[0-9a-f]{64}$\")|not))] | length" <<<"$AUD")" == 0 ]'
N=$(jq length <<<"$AUD")
eq "seq runs 1..N without gaps" "$(jq -c '[.[].seq] | sort' <<<"$AUD")" "$(seq 1 "$N" | jq -sc .)"
eq "each entry's prev is the previous entry's hash (the chain is visible)" \
    "$(jq '[sort_by(.seq) | . as $a | range(1; length) | select($a[.].prev != $a[. - 1].hash)] | length' <<<"$AUD")" 0
eq "the first entry chains from zero" "$(jq -r 'sort_by(.seq)[0].prev' <<<"$AUD")" "$(printf '0%.0s' $(seq 64))"

api GET /audit/verify "" "$ADMIN"
expect_status 200 "GET /audit/verify -> 200"
eq "the chain verifies ok" "$(jqv .ok)" true
eq "verify counts every entry" "$(jqv .entries)" "$N"

PAGED=$(audit_all "$ADMIN" 7)
eq "paging /audit with limit=7 returns the same entries" "$(jq -c '[.[].seq]' <<<"$PAGED")" "$(jq -c '[.[].seq]' <<<"$AUD")"
api GET "/audit?since=2099-01-01T00:00:00Z" "" "$ADMIN"
eq "since in the future -> no entries" "$(jqv '.items | length')" 0
api GET "/audit?since=2000-01-01T00:00:00%2B09:00&limit=500" "" "$ADMIN"
eq "since in the past -> every entry" "$(jqv '.items | length')" "$N"

# who may read it
api GET "/audit?limit=5" "" "$T_NISC"
expect_status 200 "a NISC analyst reads /audit"
api GET /audit/verify "" "$T_NISC"
expect_status 200 "a NISC analyst runs /audit/verify"
api GET /audit "" "$T_OP"
expect_error "" 403 "an operator reading /audit -> 403"
api GET /audit/verify "" "$T_OP"
expect_error "" 403 "an operator running /audit/verify -> 403"
api GET /audit "" "$T_MIN"
expect_error "" 403 "a ministry liaison reading /audit -> 403"
api GET /audit "" "$T_CAS"
expect_error "" 403 "CAS reading /audit -> 403"
api GET /audit "" ""
expect_error "" 401 "/audit without a token -> 401"

# ---- tampering ----
stop_server
HASH=$(dump_hash)
OUT=$(db_sql "UPDATE audit SET action='x' WHERE seq=1" 2>&1); RC=$?
ok "UPDATE audit is refused by the trigger" '[ "$RC" != 0 ] && grep -qi "append-only" <<<"$OUT"'
OUT=$(db_sql "DELETE FROM audit WHERE seq=1" 2>&1); RC=$?
ok "DELETE FROM audit is refused by the trigger" '[ "$RC" != 0 ] && grep -qi "append-only" <<<"$OUT"'
OUT=$(db_sql "UPDATE report_versions SET form='{}' WHERE report=$D" 2>&1); RC=$?
ok "UPDATE report_versions is refused (versions are immutable)" '[ "$RC" != 0 ] && grep -qi "immutable" <<<"$OUT"'
eq "the refused statements changed nothing" "$(dump_hash)" "$HASH"

# copy 1: drop the update trigger and rewrite entry 3
db_copy "$DB" "$WORK/c1.db"
cp "$DB.key" "$WORK/c1.db.key"
db_tamper "$WORK/c1.db" audit "UPDATE audit SET action='x' WHERE seq=3;"
eq "the copy was tampered with" "$(db_sql 'SELECT action FROM audit WHERE seq=3' "$WORK/c1.db")" x
serve_db "$WORK/c1.db"
api GET /audit/verify "" "$ADMIN"
expect_status 200 "verify on the tampered copy -> 200"
eq "tampered copy: ok false" "$(jqv .ok)" false
eq "tampered copy: broken_at 3" "$(jqv .broken_at)" 3
eq "tampered copy: 2 good entries before the break" "$(jqv .entries)" 2
stop_server

# copy 2: drop the delete trigger and remove entry 5 (a gap)
db_copy "$DB" "$WORK/c2.db"
cp "$DB.key" "$WORK/c2.db.key"
db_tamper "$WORK/c2.db" audit "DELETE FROM audit WHERE seq=5;"
serve_db "$WORK/c2.db"
api GET /audit/verify "" "$ADMIN"
eq "copy with a deleted entry: ok false" "$(jqv .ok)" false
eq "copy with a deleted entry: broken_at 6" "$(jqv .broken_at)" 6
stop_server

# copy 3: rewrite the last entry's detail and re-chain nothing (hash mismatch at the end)
db_copy "$DB" "$WORK/c3.db"
cp "$DB.key" "$WORK/c3.db.key"
db_tamper "$WORK/c3.db" audit 'UPDATE audit SET "user" = NULL WHERE seq = (SELECT max(seq) FROM audit);'
serve_db "$WORK/c3.db"
api GET /audit/verify "" "$ADMIN"
eq "copy with the last entry altered: ok false" "$(jqv .ok)" false
eq "copy with the last entry altered: broken_at the last entry" "$(jqv .broken_at)" "$N"
stop_server

# the original still verifies, unchanged
serve_db "$DB"
api GET /audit/verify "" "$ADMIN"
eq "the original still verifies ok" "$(jqv .ok)" true
eq "the original still has $N entries" "$(jqv .entries)" "$N"
