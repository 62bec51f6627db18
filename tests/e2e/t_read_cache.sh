#!/usr/bin/env bash
# The read caches (issue 17 item 2), each keyed by a generation the
# database holds and every change moves in its own transaction:
# - cached principals: every change that affects a token's principal is
#   seen by the very next request: a revoked token, a role changed either
#   way, an organisation's sectors, a password change ending the user's
#   sessions, an expiry set by hand; on a snapshot route too; and through
#   a second daemon on the same database.  A refused change (a rolled-back
#   transaction) leaves the principal as it was.
# - rendered answers (GET /reports/{id}): a follow-up, a forward, a share,
#   a legal hold are in the very next read, by the reader that had it
#   cached, on either daemon; every cached read is still audited.
. "$(dirname "$0")/lib.sh"
start_server

orgs "AC " <<'EOF'
MIN	ci_ministry	["finance"]	-	金融庁
OP	ci_operator	["finance"]	-	みなと銀行
EOF
OP_UID=$(mkuser "$OP" ac-op member)
api POST "/users/$OP_UID/tokens" '{"label": "ci"}' "$ADMIN"
setup_201 "a token for the operator"
T=$(jqv .token)
TID=${T#cst_}; TID=${TID%%_*}

# warm GET PATH TOKEN — the same request three times (the first may record
# the token's use; the later ones are served from the cache).
warm() {
	api GET "$1" "" "$2"
	api GET "$1" "" "$2"
	api GET "$1" "" "$2"
}

warm /me "$T"
expect_status 200 "the operator reads /me"
eq "its roles" "$(jqv '.roles | join(",")')" member
warm /users "$T"
expect_error "" 403 "a member may not list users (403)"

# A role granted, then taken away: the next request sees each.
api PATCH "/users/$OP_UID" '{"roles": ["member", "org_admin"]}' "$ADMIN"
expect_status 200 "the admin makes the operator org_admin"
api GET /users "" "$T"
expect_status 200 "the very next request may list users"
warm /me "$T"
eq "/me says org_admin" "$(jqv '.roles | join(",")')" "member,org_admin"
api PATCH "/users/$OP_UID" '{"roles": ["member"]}' "$ADMIN"
expect_status 200 "the admin takes org_admin away"
api GET /users "" "$T"
expect_error "" 403 "the very next request may not list users any more"

# A refused change is rolled back: nothing to see.
api PATCH "/users/$OP_UID" '{"roles": ["no_such_role"]}' "$ADMIN"
expect_error roles.0 400 "a bad role is refused"
api GET /me "" "$T"
eq "the roles are as they were" "$(jqv '.roles | join(",")')" member

# The organisation changes (its sectors).
warm /me "$T"
eq "the organisation's sectors" "$(jqv '.org.sectors | join(",")')" finance
api PATCH "/orgs/$OP" '{"sectors": ["finance", "gas"]}' "$ADMIN"
expect_status 200 "the admin adds a sector to the organisation"
api GET /me "" "$T"
eq "the very next request sees both sectors" "$(jqv '.org.sectors | join(",")')" finance,gas

# A snapshot route: GET /reports/{id}.
D=$(submit "$T" direct "$(mkform amber finance)")
warm "/reports/$D" "$T"
expect_status 200 "the operator reads its report (snapshot)"

# A second daemon on the same database, its caches warm too.
URL1=$URL PID1=$SERVER_PID ERR1=$SERVER_ERR N1=$SERVER_N
serve_db
URL2=$URL PID2=$SERVER_PID ERR2=$SERVER_ERR N2=$SERVER_N
warm "/reports/$D" "$T"
expect_status 200 "the second daemon serves the report too"
URL=$URL1

# ---- rendered answers ----
NISC=$(fast_org "AC NISC" nisc)
T_NISC=$(fast_principal "$NISC" ac-nisc analyst)
T_MIN=$(fast_principal "$MIN" ac-min liaison)
CAS=$(fast_org "AC CAS" cas_crisis_management)
T_CAS=$(fast_principal "$CAS" ac-cas member)
warm "/reports/$D" "$T"
eq "one version" "$(jqv .version_count)" 1
V=$(followup "$T" "$D" "$(mkform amber finance)")
eq "the operator files 第2報" "$V" 2
api GET "/reports/$D" "" "$T"
eq "the very next read has both versions" "$(jqv .version_count)" 2
URL=$URL2
api GET "/reports/$D" "" "$T"
eq "so does the second daemon's" "$(jqv .version_count)" 2
URL=$URL1
warm "/reports/$D" "$T_MIN"
eq "the ministry holds it" "$(jqv .state)" at_ministry
forward "$T_MIN" "$D" && pass "the ministry forwards it to NISC"
api GET "/reports/$D" "" "$T_MIN"
eq "the very next read says at_nisc" "$(jqv .state)" at_nisc
ok "with its R-number" '[ "$(jqv .identification_number)" != null ]'
warm "/reports/$D" "$T_NISC"
eq "NISC reads it, not held" "$(jqv .held)" false
URL=$URL2
warm "/reports/$D" "$T_NISC"
URL=$URL1
api PUT "/reports/$D/hold" "" "$T_NISC"
expect_status 200 "NISC places a legal hold"
api GET "/reports/$D" "" "$T_NISC"
eq "the very next read says held" "$(jqv .held)" true
URL=$URL2
api GET "/reports/$D" "" "$T_NISC"
eq "on the second daemon too" "$(jqv .held)" true
URL=$URL1
api GET "/reports/$D" "" "$T_CAS"
expect_error "" 404 "CAS may not read it"
api POST "/reports/$D/share" "{\"to\": [$CAS]}" "$T_NISC"
expect_status 200 "NISC shares it with CAS"
api GET "/reports/$D" "" "$T_CAS"
expect_status 200 "CAS reads it at once"
warm "/reports/$D" "$T_NISC"
eq "NISC's read lists the share" "$(jqv "[.shared_with[].org] | index($CAS) != null")" true
# The second daemon's read entries are appended within 50 ms (its queue).
sleep 0.2
AUD=$(audit_all "$ADMIN")
N=$(jq "[.[] | select(.action == \"report.read\" and .item == \"report:$D\" and .org == $NISC)] | length" <<<"$AUD")
eq "every read by NISC is audited, cached or not, on both daemons (3 + 3 + 1 + 1 + 3)" "$N" 11

# The token revoked through the first daemon.
api DELETE "/tokens/$TID" "" "$ADMIN"
expect_status 200 "the admin revokes the token"
api GET "/reports/$D" "" "$T"
expect_error "" 401 "the very next read of the report is refused (401)"
api GET /me "" "$T"
expect_error "" 401 "and /me"
URL=$URL2
api GET "/reports/$D" "" "$T"
expect_error "" 401 "the second daemon refuses it at once too"
URL=$URL1

# An expiry set by hand in the database.
api POST "/users/$OP_UID/tokens" '{"label": "ci2"}' "$ADMIN"
setup_201 "a second token"
T2=$(jqv .token)
T2ID=${T2#cst_}; T2ID=${T2ID%%_*}
warm /me "$T2"
expect_status 200 "the second token reads"
# A burst of reads of one report, one connection: once a read has the
# generations, the next ones may be answered on a cached snapshot (no
# statement) until anything commits — here, another process's write.
burst() {
	local i
	for i in $(seq 1 30); do
		printf 'url = "%s/reports/%s"\noutput = /dev/null\n' "$URL" "$D"
	done | curl -s -K - -H "Authorization: Bearer $2" -w '%{http_code}\n' | sort | uniq -c | awk '{ print $2 ":" $1 }'
}
eq "30 reads with the second token" "$(burst "$D" "$T2")" "200:30"
db_sql "UPDATE tokens SET expires_us = 1000000 WHERE id = $T2ID"
api GET "/reports/$D" "" "$T2"
expect_error "" 401 "expired in the database by another process: the very next read is refused"
api GET /me "" "$T2"
expect_error "" 401 "expired in the database: the next request is refused"

# A password change ends the user's web sessions.
api PATCH "/users/$OP_UID" '{"password": "a long and unusual passphrase"}' "$ADMIN"
expect_status 200 "the operator gets a password"
S=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    --data '{"login": "ac-op", "password": "a long and unusual passphrase"}' "$URL/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\);.*/\1/p' | tr -d '\r')
ok "a session cookie" '[ -n "$S" ]'
for i in 1 2 3; do
	CODE=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $S" "$URL/session")
done
eq "the session reads (and is cached)" "$CODE" 200
URL=$URL2
CODE=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $S" "$URL/me")
eq "the session reads through the second daemon" "$CODE" 200
URL=$URL1
api PATCH "/users/$OP_UID" '{"password": "another long passphrase 2"}' "$ADMIN"
expect_status 200 "the admin sets a new password"
CODE=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $S" "$URL/session")
eq "the very next request of the session is refused" "$CODE" 401
URL=$URL2
CODE=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $S" "$URL/me")
eq "so is the second daemon's" "$CODE" 401
URL=$URL1

eq "30 reads by NISC" "$(burst "$D" "$T_NISC")" "200:30"
SERVER_PID=$PID2 SERVER_ERR=$ERR2 SERVER_N=$N2
stop_server
SERVER_PID=$PID1 SERVER_ERR=$ERR1 SERVER_N=$N1
# Reads answered without a statement (store_begin_cached): SQLite's
# WAL-index tells that nothing was committed; PostgreSQL has no such stamp.
stop_server
CACHED=$(grep -o '"cached":[0-9]*' "$ERR1" | cut -d: -f2)
if [ "$CS_STORE" == pg ]; then
	eq "no cached snapshot on PostgreSQL" "$CACHED" 0
else
	ok "some reads of the bursts were answered on a cached snapshot ($CACHED)" '[ "${CACHED:-0}" -gt 0 ]'
fi
