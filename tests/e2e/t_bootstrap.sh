#!/usr/bin/env bash
# Bootstrap: init prints the admin token once and is idempotent; serve on
# port 0; reference data; /me; 401s; --demo population.
. "$(dirname "$0")/lib.sh"

# --- init, twice ---
init_db "$WORK/t.db"
eq "first init exits 0" "$INIT_RC" 0
ok "first init prints exactly one line 'admin-token: <token>'" \
    '[ "$(printf "%s\n" "$INIT_OUT" | wc -l)" -eq 1 ] && [[ $INIT_OUT =~ ^admin-token:\ [[:graph:]]{16,}$ ]]'
FIRST_ADMIN=$ADMIN
ok "init creates the key file DB.key beside the database" '[ -s "$WORK/t.db.key" ]'
eq "the key file is mode 0600" "$(stat -c %a "$WORK/t.db.key")" 600
ok "the admin token is not stored in clear in the database" \
    '! db_dump | grep -qF "$FIRST_ADMIN"'
KEY_BEFORE=$(sha256sum <"$WORK/t.db.key")

init_db "$WORK/t.db"
eq "second init exits 0 (idempotent)" "$INIT_RC" 0
eq "second init prints nothing" "$INIT_OUT" ""
eq "second init keeps the key file" "$(sha256sum <"$WORK/t.db.key")" "$KEY_BEFORE"
eq "second init keeps the first admin token" "$ADMIN" "$FIRST_ADMIN"

# --- serve on port 0 ---
serve_db
ok "serve --listen 127.0.0.1:0 prints 'listening on 127.0.0.1:<port>'" \
    'grep -qE "^listening on 127\.0\.0\.1:[0-9]+$" "$SERVER_OUT"'
ok "the printed port is a real, non-zero port" '[ "$PORT" -gt 0 ] && [ "$PORT" -lt 65536 ]'

# --- /me ---
api GET /me "" "$ADMIN"
expect_status 200 "GET /me with the admin token -> 200"
eq "/me login is admin" "$(jqv .login)" admin
eq "/me roles include admin" "$(jqv '.roles | index("admin") != null')" true
eq "/me org type is platform" "$(jqv .org.type)" platform
ok "/me carries the user object" '[ "$(jqv .user.id)" == "$(jqv .id)" ]'

ct=$(curl -s -o /dev/null -w '%{content_type}' -H "Authorization: Bearer $ADMIN" "$URL/me")
eq "responses are application/json; charset=utf-8" "$ct" "application/json; charset=utf-8"
ct=$(curl -s -o /dev/null -w '%{content_type}' "$URL/me")
eq "error responses are application/json; charset=utf-8 too" "$ct" "application/json; charset=utf-8"

# --- 401 ---
api GET /me "" ""
expect_error "" 401 "GET /me without a token -> 401 JSON error"
api GET /me "" "garbage"
expect_error "" 401 "GET /me with a malformed token -> 401"
BAD=$(printf '%s' "$ADMIN" | sed 's/.$/0/;t' )
[ "$BAD" == "$ADMIN" ] && BAD=${ADMIN%?}1
[ "$BAD" == "$ADMIN" ] && BAD=${ADMIN%?}2
api GET /me "" "$BAD"
expect_error "" 401 "GET /me with a well-formed but wrong token -> 401"
api GET /me "" "cst_999999_$(printf '0%.0s' $(seq 64))"
expect_error "" 401 "GET /me with a token of an unknown id -> 401"
STATUS=$(curl -s -o "$WORK/b" -w '%{http_code}' -H "Authorization: Basic $ADMIN" "$URL/me")
BODY=$(cat "$WORK/b"); LAST="GET /me (Basic scheme)"
expect_error "" 401 "GET /me with a Basic (not Bearer) header -> 401"
api GET /sectors "" ""
expect_error "" 401 "GET /sectors without a token -> 401"
api GET /reports "" ""
expect_error "" 401 "GET /reports without a token -> 401"
api POST /orgs '{"name":"x","type":"nisc"}' ""
expect_error "" 401 "POST /orgs without a token -> 401"

# --- reference data ---
api GET /sectors "" "$ADMIN"
expect_status 200 "GET /sectors -> 200"
eq "/sectors has 15 items" "$(jqv '.items | length')" 15
eq "/sectors ids are the 15 sectors of 行動計画 別紙5" "$(jqv '[.items[].id] | sort | join(",")')" \
    "$(printf '%s\n' ict finance aviation airport railway electricity gas government medical water logistics chemical credit petroleum port | sort | paste -sd,)"
ok "every sector has a Japanese label" '[ "$(jqv "[.items[] | select((.label_ja // \"\") == \"\")] | length")" == 0 ]'
ok "/sectors is a list with next_cursor null" '[ "$(jqv ".next_cursor")" == null ]'

api GET /taxonomy "" "$ADMIN"
expect_status 200 "GET /taxonomy -> 200"
eq "/taxonomy has 8 event types" "$(jqv '.event_types | length')" 8
eq "/taxonomy has 17 cause types" "$(jqv '.cause_types | length')" 17
eq "/taxonomy event type ids" "$(jqv '[.event_types[].id] | join(",")')" \
    "event_precursor_near_miss,event_information_leak,event_information_destruction,event_system_unavailable,event_malware_infection,event_malicious_code_execution,event_system_intrusion,event_other"
eq "/taxonomy cause type ids" "$(jqv '[.cause_types[].id] | sort | join(",")')" \
    "$(printf '%s\n' cause_suspicious_email_received cause_user_id_spoofing cause_ddos_mass_access \
      cause_unauthorized_information_acquisition cause_insider_misconduct cause_improper_system_operation \
      cause_user_operation_error cause_user_management_error cause_suspicious_file_execution \
      cause_suspicious_site_browsing cause_contractor_management_error cause_equipment_failure \
      cause_system_vulnerability cause_spillover_from_other_sector cause_disaster_or_disease \
      cause_other cause_unknown | sort | paste -sd,)"

# API.md "Bootstrap": "Reference data (... ministries and agencies of
# actors_and_flows.json) is loaded by init without --demo."
api GET "/orgs?limit=500" "" "$ADMIN"
expect_status 200 "GET /orgs -> 200"
ok "init without --demo loads the NISC organisation (API.md Bootstrap)" \
    '[ "$(jqv "[.items[] | select(.type == \"nisc\")] | length")" -ge 1 ]'
ok "init without --demo loads the CI ministries (API.md Bootstrap)" \
    '[ "$(jqv "[.items[] | select(.type == \"ci_ministry\")] | length")" -ge 5 ]'

# --- unknown paths and methods ---
api GET /nope "" "$ADMIN"
expect_error "" 404 "GET /api/v1/nope -> 404"
api DELETE /me "" "$ADMIN"
expect_error "" 405 "DELETE /me -> 405"
STATUS=$(curl -s -o "$WORK/b" -w '%{http_code}' "http://127.0.0.1:$PORT/")
BODY=$(cat "$WORK/b"); LAST="GET / (outside /api/v1)"
ok "a path outside /api/v1 is not served as the API (no 2xx JSON)" '[ "$STATUS" != 200 ] || ! jq -e .id <<<"$BODY" >/dev/null 2>&1'

# the token survives a restart
stop_server
serve_db
api GET /me "" "$FIRST_ADMIN"
expect_status 200 "the first admin token still works after re-init and restart"
stop_server

# --- --demo ---
ADMIN=
init_db "$WORK/demo.db" --demo
eq "init --demo exits 0" "$INIT_RC" 0
eq "init --demo prints one admin-token line" "$(grep -c '^admin-token: ' "$WORK/init.out")" 1
ok "init --demo prints demo-user lines with login, password, token and org" \
    '[ "$(grep -cE "^demo-user: login=[^ ]+ password=[^ ]+ token=[^ ]+ org=[0-9]+$" "$WORK/init.out")" -ge 5 ]'
DEMO_LINE=$(grep -m1 '^demo-user: login=nisc-analyst ' "$WORK/init.out" || grep -m1 '^demo-user: ' "$WORK/init.out")
DEMO_LOGIN=$(sed -n 's/.*login=\([^ ]*\).*/\1/p' <<<"$DEMO_LINE")
DEMO_PW=$(sed -n 's/.*password=\([^ ]*\).*/\1/p' <<<"$DEMO_LINE")
DEMO_TOK=$(sed -n 's/.*token=\([^ ]*\).*/\1/p' <<<"$DEMO_LINE")
DEMO_ORG=$(sed -n 's/.*org=\([0-9]*\).*/\1/p' <<<"$DEMO_LINE")
init_db "$WORK/demo.db" --demo
eq "second init --demo prints nothing" "$INIT_OUT" ""
eq "second init --demo exits 0" "$INIT_RC" 0
serve_db "$WORK/demo.db"
api GET /me "" "$DEMO_TOK"
expect_status 200 "a demo user's printed token works"
eq "the demo user's /me shows its login" "$(jqv .login)" "$DEMO_LOGIN"
eq "the demo user's /me shows its org" "$(jqv .org.id)" "$DEMO_ORG"
api POST /login "$(jq -nc --arg l "$DEMO_LOGIN" --arg p "$DEMO_PW" '{login: $l, password: $p}')" ""
expect_status 201 "POST /login with the printed demo password -> 201"
LTOK=$(jqv .token)
api GET /me "" "$LTOK"
eq "the login token authenticates the demo user" "$(jqv .login)" "$DEMO_LOGIN"
api POST /login "$(jq -nc --arg l "$DEMO_LOGIN" '{login: $l, password: "wrong-password-123"}')" ""
expect_error password 401 "POST /login with a wrong password -> 401"
api POST /login '{"login":"no-such-user","password":"whatever-123"}' ""
expect_error password 401 "POST /login with an unknown login -> 401 (same answer)"
api GET "/orgs?limit=500" "" "$ADMIN"
ok "the demo population has orgs of type nisc, ci_ministry, ceptoar_secretariat and ci_operator" \
    '[ "$(jqv "[.items[].type] | (index(\"nisc\") != null and index(\"ci_ministry\") != null and index(\"ceptoar_secretariat\") != null and index(\"ci_operator\") != null)")" == true ]'
stop_server
