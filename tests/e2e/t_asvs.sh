#!/usr/bin/env bash
# Authentication and sessions (issue 16, item 3; ASVS 4.0 V2, V3, V13):
# passwords of 12 to 128 characters without the login and not in the
# configured breached list; API tokens expire (a year by default, or
# expires_in_days) and may be read-only; a web session ends after its idle
# limit or 12 hours; a new password ends every session of the user.
. "$(dirname "$0")/lib.sh"
printf '%s\n' "correct horse battery staple" "password1234567" "qwertyuiopasdf" >"$WORK/breached.txt"
init_db
db_keyargs "$DB"
SERVER_N=1
"$CISHARED" serve --db "$(db_url "$DB")" "${KEYARGS[@]}" --listen 127.0.0.1:0 \
    --breached-passwords "$WORK/breached.txt" --session-idle 30 \
    >"$WORK/s.out" 2>"$WORK/s.err" &
SERVER_PID=$!
SERVER_ERR=$WORK/s.err
for i in $(seq 1 200); do grep -q '^listening on ' "$WORK/s.out" 2>/dev/null && break; sleep 0.05; done
PORT=$(sed -n 's/^listening on .*://p' "$WORK/s.out")
URL=http://127.0.0.1:$PORT/api/v1
for i in $(seq 1 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")" == 200 ] && break; sleep 0.05; done

orgs "A " <<'EOF2'
B1	ci_operator	["finance"]	-	一の銀行
EOF2
user() { # LOGIN PASSWORD -> STATUS
	api POST /users "$(jq -nc --argjson o "$B1" --arg l "$1" --arg p "$2" \
	    '{org: $o, login: $l, display_name: $l, roles: ["member"], nda_contractor: false, password: $p}')" "$ADMIN"
}
user u-short "elevenchars"
expect_error password 400 "11 characters: 400 password"
user u-login "my u-login password"
expect_error password 400 "a password holding the login: 400 password"
user u-breach "correct horse battery staple"
expect_error password 400 "a password from the breached list: 400 password"
ok "the refusal says why" 'jqv .error.message | grep -q breached'
user u-ja "パスワードは十二文字ですよ"
expect_status 201 "12 Japanese characters (36 bytes) are enough"
P128=$(printf 'x%.0s' $(seq 1 127))Z
user u-128 "$P128"
expect_status 201 "128 characters are allowed (ASVS 2.1.2)"
user u-129 "${P128}Z"
expect_error password 400 "129 characters: 400 password"
user u-emoji "🔐 月曜日の朝 ☕ and spaces 🙂"
expect_status 201 "emoji, spaces and kanji are allowed (ASVS 2.1.4)"
api POST /login "$(jq -nc --arg p "${P128%Z}" '{login: "u-128", password: $p}')"
expect_error password 401 "no truncation: the first 127 of 128 characters do not log in (ASVS 2.1.3)"
api POST /login "$(jq -nc --arg p "$P128" '{login: "u-128", password: $p}')"
expect_status 201 "all 128 do"
api POST /login '{"login": "u-emoji", "password": "🔐 月曜日の朝 ☕ and spaces 🙂"}'
expect_status 201 "the emoji password logs in"
user alice "a long and unusual passphrase"
expect_status 201 "a good password: 201"
ALICE=$(jqv .id)

# API tokens: expiry and scope.
api POST "/users/$ALICE/tokens" '{"label": "ci", "scope": "maybe"}' "$ADMIN"
expect_error scope 400 "scope outside read|write: 400 scope"
api POST "/users/$ALICE/tokens" '{"label": "ci", "expires_in_days": 0}' "$ADMIN"
expect_error expires_in_days 400 "expires_in_days 0: 400"
api POST "/users/$ALICE/tokens" '{"label": "feed", "scope": "read", "expires_in_days": 7}' "$ADMIN"
expect_status 201 "a read-only token for a week"
RO=$(jqv .token)
eq "its scope" "$(jqv .scope)" read
api POST "/users/$ALICE/tokens" '{"label": "default"}' "$ADMIN"
expect_status 201 "a token with the default expiry"
RW=$(jqv .token)
ok "the default expiry is about a year" '[ $(( $(date -d "$(jqv .expires_at)" +%s) - $(date +%s) )) -gt $((360 * 86400)) ]'
api GET /me "" "$RO"
expect_status 200 "the read-only token reads"
api POST "/users/$ALICE/tokens" '{"label": "x"}' "$RO"
expect_error "" 403 "the read-only token may not write: 403"
ok "and says so" 'jqv .error.message | grep -q "only read"'
api GET "/users/$ALICE/tokens" "" "$ADMIN"
eq "the token list shows scope, expiry and last use" \
    "$(jqv '[.items[] | select(.label == "feed") | .scope, (.expires_at != null), (.last_used_at != null)] | map(tostring) | join(",")')" "read,true,true"
RO_ID=${RO#cst_}; RO_ID=${RO_ID%%_*}
db_sql "UPDATE tokens SET expires_us = 1000000 WHERE id = $RO_ID"
api GET /me "" "$RO"
expect_error "" 401 "an expired token: 401"
ok "it says expired" 'jqv .error.message | grep -q expired'

# Web sessions: the idle limit, and a new password ends them.
S1=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    --data '{"login": "alice", "password": "a long and unusual passphrase"}' "$URL/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\);.*/\1/p' | tr -d '\r')
ok "a session cookie" '[ -n "$S1" ]'
CODE=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $S1" "$URL/session")
eq "the session reads" "$CODE" 200
SID=${S1#*=}; SID=${SID#cst_}; SID=${SID%%_*}
db_sql "UPDATE tokens SET last_used_us = last_used_us - 31 * 60 * 1000000 WHERE id = $SID"
OUT=$(curl -s -w '\n%{http_code}' -H "Cookie: $S1" "$URL/session")
eq "idle for 31 minutes (limit 30): 401" "${OUT##*$'\n'}" 401
ok "it says idle" 'grep -q idle <<<"$OUT"'
S2=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    --data '{"login": "alice", "password": "a long and unusual passphrase"}' "$URL/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\);.*/\1/p' | tr -d '\r')
ok "every login gets a new session token (ASVS 3.2.1)" '[ -n "$S2" ] && [ "$S2" != "$S1" ]'
api PATCH "/users/$ALICE" '{"password": "another long passphrase 2"}' "$ADMIN"
expect_status 200 "the admin sets a new password"
CODE=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $S2" "$URL/session")
eq "the new password ended the open session" "$CODE" 401
api GET /me "" "$RW"
expect_status 200 "API tokens stay (they are not sessions)"
api PATCH "/users/$ALICE" '{"password": "qwertyuiopasdf"}' "$ADMIN"
expect_error password 400 "a breached password is refused on change too"

# ASVS 2.1.5, 2.1.6: a user changes its own password, with the current one.
login_cookie() { # PASSWORD -> the cookie of a new session of alice, or nothing
	curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
	    --data "$(jq -nc --arg p "$1" '{login: "alice", password: $p}')" "$URL/session" |
	    sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\);.*/\1/p' | tr -d '\r'
}
S3=$(login_cookie "another long passphrase 2")
ok "alice logs in with the password the admin set" '[ -n "$S3" ]'
api POST "/users/$ALICE/password" '{"current_password": "not my password at all", "new_password": "my own new secret 7"}' "$RW"
expect_error current_password 400 "a wrong current password: 400 current_password"
api GET "/audit?action=session.login_failed&item=user:$ALICE" "" "$ADMIN"
ok "and it is audited as a failed login (it counts towards the lockout)" '[ "$(jqv ".items | length")" -ge 1 ]'
api POST "/users/$ALICE/password" '{"new_password": "my own new secret 7"}' "$RW"
expect_error current_password 400 "no current password: 400 current_password"
api POST "/users/$ALICE/password" '{"current_password": "another long passphrase 2", "new_password": "qwertyuiopasdf"}' "$RW"
expect_error new_password 400 "a breached new password: 400 new_password"
api POST "/users/$ALICE/password" '{"current_password": "another long passphrase 2", "new_password": "another long passphrase 2"}' "$RW"
expect_error new_password 400 "the same password again: 400 new_password"
api POST "/users/$ALICE/password" '{"current_password": "another long passphrase 2", "new_password": "my own new secret 7"}' "$RW"
expect_status 200 "the right current password and a good new one: 200"
CODE=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $S3" "$URL/session")
eq "the change ended alice's open session (ASVS 3.3.3)" "$CODE" 401
ok "the old password no longer logs in" '[ -z "$(login_cookie "another long passphrase 2")" ]'
ok "the new one does" '[ -n "$(login_cookie "my own new secret 7")" ]'
api GET "/audit?action=user.password_change&item=user:$ALICE" "" "$ADMIN"
eq "audited user.password_change" "$(jqv ".items | length")" 1
user bob "bob has a password too"
BOB=$(jqv .id)
api POST "/users/$BOB/password" '{"current_password": "bob has a password too", "new_password": "taken over by another 1"}' "$RW"
expect_error "" 404 "alice cannot change another user's password (invisible: 404)"
api POST "/users/$BOB/password" '{"current_password": "bob has a password too", "new_password": "the admin cannot either 1"}' "$ADMIN"
expect_error "" 403 "an admin cannot use it for another user (it resets instead): 403"
ADMIN_ID=$(api GET /me "" "$ADMIN" >/dev/null; jqv .id)
api PATCH "/users/$ADMIN_ID" '{"password": "admin sets its own 12345"}' "$ADMIN"
expect_error password 400 "an admin's own password is not set by PATCH (no current password): 400"
stop_server

# ASVS 2.1.7 at login: a password that a newer breached list holds must be replaced.
printf '%s\n' "my own new secret 7" >>"$WORK/breached.txt"
"$CISHARED" serve --db "$(db_url "$DB")" "${KEYARGS[@]}" --listen 127.0.0.1:0 \
    --breached-passwords "$WORK/breached.txt" >"$WORK/s2.out" 2>"$WORK/s2.err" &
SERVER_PID=$!
SERVER_ERR=$WORK/s2.err
for i in $(seq 1 200); do grep -q '^listening on ' "$WORK/s2.out" 2>/dev/null && break; sleep 0.05; done
PORT=$(sed -n 's/^listening on .*://p' "$WORK/s2.out")
URL=http://127.0.0.1:$PORT/api/v1
for i in $(seq 1 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")" == 200 ] && break; sleep 0.05; done
api POST /login '{"login": "alice", "password": "my own new secret 7"}'
expect_error new_password 409 "a breached password logs in only with a new one: 409 new_password"
ok "it says why" 'jqv .error.message | grep -q breached'
api POST /login '{"login": "alice", "password": "my own new secret 7", "new_password": "my own new secret 7"}'
expect_error new_password 400 "the same one again: 400"
api POST /login '{"login": "alice", "password": "my own new secret 7", "new_password": "a fresh unbreached one 8"}'
expect_status 201 "with a new one the login goes on"
api POST /login '{"login": "alice", "password": "a fresh unbreached one 8"}'
expect_status 201 "and the new password is the password"
stop_server
