#!/usr/bin/env bash
# Source protection at the door (API.md "Source protection"): a login is
# locked after five failures in fifteen minutes (429 with Retry-After, the
# right password too, other logins untouched, every failure audited), and
# webhooks go to public https:// addresses only (server-side request
# forgery into the deployment's network is refused at registration).
. "$(dirname "$0")/lib.sh"
start_server

orgs "L " <<'EOF2'
OP	ci_operator		["finance"]	-	みなと銀行
OP2	ci_operator		["finance"]	-	さくら信金
EOF2
mkuser "$OP" l-victim member false '{"password": "right-password-1"}' >/dev/null
mkuser "$OP2" l-other member false '{"password": "other-password-1"}' >/dev/null
login() { api POST /login "$(jq -nc --arg l "$1" --arg p "$2" '{login: $l, password: $p}')" ""; }

login l-victim right-password-1
expect_status 201 "the right password logs in"
for i in 1 2 3 4 5; do
	login l-victim "wrong-$i"
	expect_error password 401 "wrong password $i -> 401"
done
login l-victim wrong-6
expect_error login 429 "the sixth attempt within 15 minutes -> 429 naming login"
RA=$(curl -s -D - -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d '{"login":"l-victim","password":"right-password-1"}' "$URL/login" | tr -d '\r' |
    sed -n 's/^[Rr]etry-[Aa]fter: //p')
ok "a locked login answers Retry-After of at most 15 minutes ($RA s)" \
    '[ -n "$RA" ] && [ "$RA" -gt 0 ] && [ "$RA" -le 900 ]'
login l-victim right-password-1
expect_error login 429 "the right password is refused too while locked"
api POST /session '{"login":"l-victim","password":"right-password-1"}' ""
expect_error login 429 "POST /session is locked the same way"
login l-other other-password-1
expect_status 201 "another login is not affected"
# an unknown login is counted the same way (its keyed hash), so locking
# does not tell whether a login exists
for i in 1 2 3 4 5; do login l-nobody "x-$i"; done
login l-nobody x-6
expect_error login 429 "an unknown login locks the same way"
# ASVS 8.1.4: the failures and lockouts show in /metrics, where a monitoring rule alerts
# (docs/operations.md "Alerting").
M=$(curl -s "${URL%/api/v1}/metrics")
ok "/metrics counts the failed logins (401) and the locked ones (429)" \
    'grep -q "^cishare_http_requests_total{route=\"POST /api/v1/login\",status=\"401\"} [1-9]" <<<"$M" && grep -q "^cishare_http_requests_total{route=\"POST /api/v1/login\",status=\"429\"} [1-9]" <<<"$M"'
api GET "/audit?limit=500" "" "$ADMIN"
eq "every failure (not the refusals while locked) is audited as session.login_failed" \
    "$(jqv '[.items[] | select(.action == "session.login_failed")] | length')" 10
eq "a failure on an existing login names the user, not the login text" \
    "$(jqv '[.items[] | select(.action == "session.login_failed") | tostring | test("l-victim|l-nobody")] | any')" false

# webhooks: public https only (this server runs with --allow-loopback-webhooks,
# as every e2e server does, so loopback http is the one exception)
T_ADM=$(mktoken "$(mkuser "$OP" l-admin org_admin)")
hook() { api POST /notification-channels "{\"kind\":\"webhook\",\"target\":\"$1\"}" "$T_ADM"; }
for u in https://10.0.0.1/hook https://172.16.0.5/ https://192.168.1.1/ \
    https://169.254.169.254/latest/meta-data/ "https://[fe80::1]/" \
    "https://[::ffff:10.0.0.1]/" https://100.64.0.1/ https://0.0.0.0/ \
    https://224.0.0.1/ http://8.8.8.8/hook ftp://8.8.8.8/ \
    https://user@8.8.8.8/ https://no-such-host.invalid/; do
	hook "$u"
	expect_error target 400 "webhook $u -> 400 naming target"
done
hook "http://127.0.0.1:9/hook"
expect_status 201 "loopback http is accepted only because this test server allows it"
