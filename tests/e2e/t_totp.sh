#!/usr/bin/env bash
# The TOTP second factor (issue 16, item 3; RFC 6238; docs/security.md
# "Second factor"): a user enrolls (secret + otpauth:// URI, sealed at
# rest), confirms with a code (10 recovery codes, shown once); then POST
# /login and POST /session need "otp": 6 digits within one 30 s step of
# now, each step accepted once, or an unused recovery code.  Missing,
# wrong and replayed codes count towards the lockout and are audited.
# The user disables it with a code, an admin or org_admin without one.
# --require-totp approver: an approver without TOTP may only enroll.
# The codes here come from Python's hmac (RFC 6238), not from liboath.
. "$(dirname "$0")/lib.sh"
init_db
db_keyargs "$DB"
SERVER_N=1
"$CISHARED" serve --db "$(db_url "$DB")" "${KEYARGS[@]}" --listen 127.0.0.1:0 \
    --require-totp approver >"$WORK/s.out" 2>"$WORK/s.err" &
SERVER_PID=$!
SERVER_ERR=$WORK/s.err
for i in $(seq 1 200); do grep -q '^listening on ' "$WORK/s.out" 2>/dev/null && break; sleep 0.05; done
PORT=$(sed -n 's/^listening on .*://p' "$WORK/s.out")
URL=http://127.0.0.1:$PORT/api/v1
for i in $(seq 1 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")" == 200 ] && break; sleep 0.05; done

# totp SECRET [STEPS] — the code of now's step + STEPS (an independent RFC 6238).
totp() {
	python3 -c 'import sys, hmac, hashlib, base64, struct, time
s = base64.b32decode(sys.argv[1])
t = int(time.time()) // 30 + int(sys.argv[2])
h = hmac.new(s, struct.pack(">Q", t), hashlib.sha1).digest()
o = h[-1] & 15
print("%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7fffffff) % 1000000))' "$1" "${2:-0}"
}
# settle — wait until the step has at least 4 s left and is 2 s old, so a
# code computed here is judged in the same step by the server.
settle() {
	while [ $(( $(date +%s) % 30 )) -gt 25 ] || [ $(( $(date +%s) % 30 )) -lt 2 ]; do
		sleep 0.5
	done
}
PW="a long and unusual passphrase"
# login LOGIN [OTP] — POST /login
login() {
	api POST /login "$(jq -nc --arg l "$1" --arg p "$PW" --arg o "${2-}" \
	    '{login: $l, password: $p} + (if $o == "" then {} else {otp: $o} end)')"
}
user() { # ORG LOGIN ROLES -> id
	mkuser "$1" "$2" "$3" false "$(jq -nc --arg p "$PW" '{password: $p}')"
}

orgs "T " <<'EOF2'
B1	ci_operator	["finance"]	-	一の銀行
B2	ci_operator	["finance"]	-	二の銀行
NISC	nisc		[]		-	NISC
EOF2
ALICE=$(user "$B1" alice member)
BOB=$(user "$B1" bob org_admin)
CAROL=$(user "$B1" carol member)
DAVE=$(user "$B1" dave member)
EVE=$(user "$B2" eve org_admin)
APPR=$(user "$NISC" appr approver)
login alice
expect_status 201 "alice logs in with her password alone (no TOTP yet)"
T_ALICE=$(jqv .token)
login bob; T_BOB=$(jqv .token)
login eve; T_EVE=$(jqv .token)

# ---- enrollment ----
api GET "/users/$ALICE/totp" "" "$T_ALICE"
eq "the status: not enabled, not pending, not required" \
    "$(jqv '[.enabled, .pending, .required] | map(tostring) | join(",")')" "false,false,false"
api POST "/users/$ALICE/totp/confirm" '{"code": "123456"}' "$T_ALICE"
expect_error "" 409 "confirming before enrolling -> 409"
api POST "/users/$ALICE/totp" "" "$T_BOB"
expect_error "" 403 "her org_admin cannot enroll for her -> 403"
api POST "/users/$ALICE/totp" "" "$T_EVE"
expect_error "" 404 "another organisation's org_admin: the user is invisible -> 404"
api POST "/users/999999/totp" "" "$T_ALICE"
expect_error "" 404 "an unknown user -> 404"
api POST "/users/$ALICE/totp" "" "$T_ALICE"
expect_status 201 "alice enrolls"
SECRET=$(jqv .secret)
ok "a 32-character base32 secret" '[[ $SECRET =~ ^[A-Z2-7]{32}$ ]]'
eq "the otpauth URI" "$(jqv .uri)" "otpauth://totp/cishare:alice?secret=$SECRET&issuer=cishare&algorithm=SHA1&digits=6&period=30"
ok "the secret is sealed at rest" '! db_sql "SELECT secret FROM user_totp" | grep -q "$SECRET"'
api GET "/users/$ALICE/totp" "" "$T_ALICE"
eq "pending until confirmed" "$(jqv '[.enabled, .pending] | map(tostring) | join(",")')" "false,true"
login alice
expect_status 201 "a pending secret does not yet guard the login"
api POST "/users/$ALICE/totp/confirm" '{"code": "12a456"}' "$T_ALICE"
expect_error code 400 "a malformed code -> 400 code"
api POST "/users/$ALICE/totp/confirm" '{}' "$T_ALICE"
expect_error code 400 "no code -> 400 code"
api POST "/users/$ALICE/totp/confirm" '{"code": "123456", "extra": 1}' "$T_ALICE"
expect_error extra 400 "an unknown key -> 400 extra"
settle
WRONG=$(printf '%06d' $(( (10#$(totp "$SECRET") + 1) % 1000000 )))
api POST "/users/$ALICE/totp/confirm" "{\"code\": \"$WRONG\"}" "$T_ALICE"
expect_error code 400 "a wrong code does not confirm -> 400 code"
api GET "/users/$ALICE/totp" "" "$T_ALICE"
eq "still pending" "$(jqv .enabled)" false
settle
api POST "/users/$ALICE/totp/confirm" "{\"code\": \"$(totp "$SECRET")\"}" "$T_ALICE"
expect_status 200 "the current code confirms"
eq "ten recovery codes, shown once" "$(jqv '.recovery_codes | length')" 10
RCODES=$BODY
R1=$(jqv '.recovery_codes[0]'); R2=$(jqv '.recovery_codes[1]')
ok "recovery codes look like xxxxx-xxxxx" '[[ $R1 =~ ^[a-z2-9]{5}-[a-z2-9]{5}$ ]]'
ok "no recovery code is stored in clear" '! db_sql "SELECT recovery FROM user_totp" | grep -q "$R1"'
api POST "/users/$ALICE/totp/confirm" "{\"code\": \"$(totp "$SECRET")\"}" "$T_ALICE"
expect_error "" 409 "confirming twice -> 409"
api POST "/users/$ALICE/totp" "" "$T_ALICE"
expect_error "" 409 "enrolling again while active -> 409"
api GET "/users/$ALICE/totp" "" "$T_BOB"
eq "her org_admin reads the status" "$(jqv '[.enabled, .recovery_left] | map(tostring) | join(",")')" "true,10"

# ---- login ----
login alice
expect_error otp 401 "without a code: 401 naming otp"
login alice "$WRONG"
expect_error otp 401 "a wrong code: 401 otp"
settle
NEXT=$(totp "$SECRET" 1)
login alice "$NEXT"
expect_status 201 "the next step's code is inside the window"
T_ALICE=$(jqv .token)
login alice "$NEXT"
expect_error otp 401 "the same code again: refused (replay)"
ok "it says so" 'jqv .error.message | grep -q "already used"'
login alice "$R1"
expect_status 201 "a recovery code logs in"
login alice "$(tr a-z A-Z <<<"$R2")"
expect_status 201 "a recovery code in capitals is the same code"
api GET "/users/$ALICE/totp" "" "$T_ALICE"
eq "eight recovery codes left" "$(jqv .recovery_left)" 8

# ---- the window (dave): confirm with the previous step, log in with now's ----
login dave; T_DAVE=$(jqv .token)
api POST "/users/$DAVE/totp" "" "$T_DAVE"
DSECRET=$(jqv .secret)
settle
api POST "/users/$DAVE/totp/confirm" "{\"code\": \"$(totp "$DSECRET" -1)\"}" "$T_DAVE"
expect_status 200 "the previous step's code is inside the window"
api POST /session "$(jq -nc --arg p "$PW" '{login: "dave", password: $p}')"
expect_error otp 401 "POST /session wants the code too"
api POST /session "$(jq -nc --arg p "$PW" --arg o "$(totp "$DSECRET" -3)" '{login: "dave", password: $p, otp: $o}')"
expect_error otp 401 "a code three steps old is outside the window"
api POST /session "$(jq -nc --arg p "$PW" --arg o "$(totp "$DSECRET" 0)" '{login: "dave", password: $p, otp: $o}')"
expect_status 201 "POST /session with the current code"
ok "the session answer has the CSRF token" '[ -n "$(jqv .csrf)" ]'
api POST /session "$(jq -nc --arg p "$PW" '{login: "dave", password: $p, otp: 123456}')"
expect_error otp 400 "otp as a number -> 400 otp"

# ---- lockout (carol) ----
login carol; T_CAROL=$(jqv .token)
api POST "/users/$CAROL/totp" "" "$T_CAROL"
CSECRET=$(jqv .secret)
settle
CCONF=$(totp "$CSECRET")
api POST "/users/$CAROL/totp/confirm" "{\"code\": \"$CCONF\"}" "$T_CAROL"
expect_status 200 "carol confirms"
login carol
expect_error otp 401 "carol: no code (1)"
login carol 12345
expect_error otp 401 "five digits (2)"
# the very code that confirmed (not now's: a step may have begun since)
CNOW=$CCONF
login carol "$CNOW"
expect_error otp 401 "the code that confirmed, again (3: replay)"
login carol "$(totp "$CSECRET" -2)"
expect_error otp 401 "a code two steps old (4: outside the window)"
login carol "$(printf '%06d' $(( (10#$CNOW + 7) % 1000000 )))"
expect_error otp 401 "a wrong code (5)"
settle
login carol "$(totp "$CSECRET" 1)"
expect_error login 429 "then even the right code is locked out -> 429"
api GET "/audit?limit=500" "" "$ADMIN"
ok "the refused codes are audited" '[ "$(jqv "[.items[] | select(.action == \"session.otp_failed\")] | length")" -ge 8 ]'
ok "a wrong confirmation is audited" '[ "$(jqv "[.items[] | select(.action == \"totp.confirm_failed\")] | length")" -ge 1 ]'
ok "enrolment and confirmation are audited" \
    '[ "$(jqv "[.items[] | select(.action == \"totp.enroll\" or .action == \"totp.confirm\")] | length")" -ge 6 ]'

# ---- disable ----
api DELETE "/users/$ALICE/totp" "" "$T_ALICE"
expect_error code 400 "the user disables only with a code -> 400 code"
api DELETE "/users/$ALICE/totp" '{"code": "aaaaa-bbbbb"}' "$T_ALICE"
expect_error code 400 "a wrong recovery code -> 400 code"
api DELETE "/users/$ALICE/totp" '{"code": 7}' "$T_ALICE"
expect_error code 400 "a code that is not a string -> 400 code"
api DELETE "/users/$ALICE/totp" "{\"code\": \"$R1\"}" "$T_ALICE"
expect_error code 400 "a spent recovery code -> 400 code"
api DELETE "/users/$ALICE/totp" '{}' "$T_EVE"
expect_error "" 404 "another organisation's org_admin -> 404"
api DELETE "/users/$DAVE/totp" "" "$T_ALICE"
expect_error "" 404 "a colleague does not see dave -> 404"
api DELETE "/users/$DAVE/totp" "" "$T_BOB"
expect_status 200 "the org_admin disables dave's without a code"
api GET "/audit?limit=500" "" "$ADMIN"
eq "audited as by a manager" "$(jqv "[.items[] | select(.action == \"totp.disable\")] | last | .detail.by_manager")" true
login dave
expect_status 201 "dave logs in with his password alone again"
api DELETE "/users/$DAVE/totp" "" "$T_BOB"
expect_error "" 409 "nothing left to disable -> 409"
api DELETE "/users/$ALICE/totp" "{\"code\": \"$(jqv '.recovery_codes[3]' "$RCODES")\"}" "$T_ALICE"
expect_status 200 "alice disables hers with an unused recovery code"
login alice
expect_status 201 "and logs in with her password alone"

# ---- --require-totp approver ----
login appr
expect_status 201 "an approver without TOTP logs in with the password"
T_APPR=$(jqv .token)
api GET /reports "" "$T_APPR"
expect_error totp 403 "but may do nothing else -> 403 totp"
api GET /me "" "$T_APPR"
expect_status 200 "except read /me"
api GET "/users/$APPR/totp" "" "$T_APPR"
expect_status 200 "and its status"
eq "which says it is required" "$(jqv .required)" true
api POST "/users/$APPR/totp" "" "$T_APPR"
expect_status 201 "and enroll"
ASECRET=$(jqv .secret)
settle
api POST "/users/$APPR/totp/confirm" "{\"code\": \"$(totp "$ASECRET")\"}" "$T_APPR"
expect_status 200 "and confirm"
api GET /reports "" "$T_APPR"
expect_status 200 "then the approver works"

# ---- the CLI: cishare login --otp, cishare totp ----
cli() { CISHARE_URL=http://127.0.0.1:$PORT CISHARE_TOKEN=$1 "$CISHARE" "${@:2}"; }
FRANK=$(user "$B1" frank member)
T_FRANK=$(printf '%s\n' "$PW" | cli "" login frank 2>"$WORK/e")
ok "cishare login prints a token" '[[ $T_FRANK == cst_* ]]'
OUT=$(cli "$T_FRANK" totp enroll 2>&1)
FSECRET=$(sed -n 's/^secret //p' <<<"$OUT")
ok "cishare totp enroll prints the secret and the URI" \
    '[[ $FSECRET =~ ^[A-Z2-7]{32}$ ]] && grep -q "^uri otpauth://totp/cishare:frank?secret=$FSECRET" <<<"$OUT"'
cli "$T_FRANK" totp confirm 1234567 >"$WORK/o" 2>&1; RC=$?
ok "a malformed code: the CLI fails, naming code" '[ $RC != 0 ] && grep -q code "$WORK/o"'
settle
OUT=$(cli "$T_FRANK" totp confirm "$(totp "$FSECRET")" 2>&1)
eq "cishare totp confirm prints ten recovery codes" "$(grep -cE '^  [a-z2-9]{5}-[a-z2-9]{5}$' <<<"$OUT")" 10
FR1=$(grep -m1 -E '^  [a-z2-9]{5}-' <<<"$OUT" | tr -d ' ')
eq "cishare totp status" "$(cli "$T_FRANK" totp status 2>&1)" "enabled true pending false required false recovery codes left 10"
printf '%s\n' "$PW" | cli "" login frank >"$WORK/o" 2>&1; RC=$?
ok "cishare login without --otp fails and names otp" '[ $RC != 0 ] && grep -q otp "$WORK/o"'
T2=$(printf '%s\n' "$PW" | cli "" login frank --otp "$(totp "$FSECRET" 1)" 2>"$WORK/e")
ok "cishare login --otp CODE prints a token" '[[ $T2 == cst_* ]]'
T3=$(CISHARE_PASSWORD=$PW cli "" login frank --otp "$FR1" 2>"$WORK/e")
ok "cishare login --otp RECOVERY-CODE (password from CISHARE_PASSWORD)" '[[ $T3 == cst_* ]]'
cli "$T_BOB" totp disable "$FRANK" >"$WORK/o" 2>&1; RC=$?
ok "cishare totp disable USERID by the org_admin" '[ $RC == 0 ] && grep -q disabled "$WORK/o"'
eq "frank's is off" "$(cli "$T_FRANK" totp status "$FRANK" 2>&1)" "enabled false pending false required false recovery codes left 0"

# ---- an admin's own second factor: disabling it needs a code too ----
api GET /me "" "$ADMIN"
ME=$(jqv .id)
api POST "/users/$ME/totp" "" "$ADMIN"
expect_status 201 "the admin enrolls its own"
MSECRET=$(jqv .secret)
settle
api POST "/users/$ME/totp/confirm" "{\"code\": \"$(totp "$MSECRET")\"}" "$ADMIN"
expect_status 200 "and confirms it"
api DELETE "/users/$ME/totp" "" "$ADMIN"
expect_error code 400 "an admin disabling its own without a code -> 400 code (a stolen session cannot)"
api DELETE "/users/$ME/totp" "{\"code\": \"$(totp "$MSECRET" 1)\"}" "$ADMIN"
expect_status 200 "with its next code it may"
