#!/usr/bin/env bash
# A webhook's host name is looked up outside any transaction: with a resolver
# that takes 4 s (CISHARED_TEST_RESOLVE_DELAY_MS, a test hook in
# src/util/net.c), registering a webhook must not hold the writer, so an
# operator's report filed meanwhile is answered at once; a caller refused
# (no token, a member who may not register channels) makes the daemon look
# nothing up; the registration itself still checks the addresses.
export CISHARED_TEST_RESOLVE_DELAY_MS=4000
. "$(dirname "$0")/lib.sh"
start_server

orgs "R " <<'EOF2'
OP	ci_operator		["finance"]	-	みなと銀行
EOF2
T_ADM=$(mktoken "$(mkuser "$OP" r-admin org_admin)")
T_MEM=$(mktoken "$(mkuser "$OP" r-member member)")
HOOK='{"kind":"webhook","target":"http://localhost:9/hook"}'

ms() { date +%s%3N; }
# a webhook registration in the background (4 s of lookup) ...
t0=$(ms)
curl -s -o "$WORK/hook.out" -w '%{http_code}' -X POST -H "Authorization: Bearer $T_ADM" \
    -H 'Content-Type: application/json' --data "$HOOK" "$URL/notification-channels" \
    >"$WORK/hook.code" &
HPID=$!
sleep 0.5
# ... while an operator files a report: a write, so it needs the writer
t1=$(ms)
R=$(submit "$T_ADM" direct "$(mkform green finance)")
t2=$(ms)
ok "a report filed during a webhook's slow lookup is answered at once ($((t2 - t1)) ms, under 2,500)" \
    '[ -n "$R" ] && [ $((t2 - t1)) -lt 2500 ]'
wait "$HPID"
t3=$(ms)
eq "the webhook registration then succeeds" "$(cat "$WORK/hook.code")" 201
ok "and it did look the name up (took $((t3 - t0)) ms, at least 4,000)" '[ $((t3 - t0)) -ge 4000 ]'

# refusals before any lookup
t0=$(ms)
api POST /notification-channels "$HOOK" ""
t1=$(ms)
expect_status 401 "no credential: 401"
ok "... without a lookup ($((t1 - t0)) ms)" '[ $((t1 - t0)) -lt 2500 ]'
t0=$(ms)
api POST /notification-channels "$HOOK" "$T_MEM"
t1=$(ms)
ok "a member may not register a channel for the organisation (4xx: $STATUS)" '[ "$STATUS" -ge 400 ] && [ "$STATUS" -lt 500 ]'
ok "... without a lookup ($((t1 - t0)) ms)" '[ $((t1 - t0)) -lt 2500 ]'

# the check itself still refuses a private address after the lookup
api POST /notification-channels '{"kind":"webhook","target":"https://10.0.0.1/hook"}' "$T_ADM"
expect_error target 400 "a private address is still refused"
api POST /notification-channels '{"kind":"webhook","target":"not a url"}' "$T_ADM"
expect_error target 400 "a malformed target is refused naming target"
api GET /notification-channels "" "$T_ADM"
eq "exactly the one good channel was written" "$(jqv '.items | length')" 1

stop_server
