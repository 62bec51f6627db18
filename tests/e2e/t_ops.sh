#!/usr/bin/env bash
# Operations (issue 16, item 5; API.md "Operations"): GET /healthz answers
# "ok" with no login while the store answers; GET /metrics is Prometheus
# text for the loopback or an admin token — requests by route and status, a
# latency histogram per route, the intake and fan-out counters, live inbox
# clients and the store's commit times — and moves with what the daemon
# does; an operator's token from elsewhere gets 403, no token 401.
. "$(dirname "$0")/lib.sh"
export CISHARED_SSE_HEARTBEAT=1	# a client that left is noticed within a second
start_server
BASE=http://127.0.0.1:$PORT

get() { # URL [TOKEN] -> $CODE, $OUT
	local auth=()
	[ -n "${2:-}" ] && auth=(-H "Authorization: Bearer $2")
	OUT=$(curl -s -D "$WORK/ops.h" -w '\n%{http_code}' "${auth[@]}" "$1")
	CODE=${OUT##*$'\n'}
	OUT=${OUT%$'\n'*}
	OUT=${OUT%$'\n'}
}
metric() { # NAME_WITH_LABELS -> its value in $OUT (0 when absent)
	awk -v k="$1 " 'index($0, k) == 1 { print $NF; f = 1; exit } END { if (!f) print 0 }' <<<"$OUT"
}

get "$BASE/healthz"
eq "GET /healthz with no login: 200" "$CODE" 200
eq "GET /healthz says ok" "$OUT" ok
ok "it is text/plain and not cached" 'grep -qi "^content-type: text/plain" "$WORK/ops.h" && grep -qi "^cache-control: no-store" "$WORK/ops.h"'
get "$URL/healthz"
eq "GET /api/v1/healthz is the same" "$CODE/$OUT" "200/ok"
CODE=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE/healthz")
eq "POST /healthz: 405" "$CODE" 405

# The OpenAPI description: served with no login, the router's own routes.
get "$URL/openapi.json"
eq "GET /api/v1/openapi.json with no login: 200" "$CODE" 200
eq "it is OpenAPI 3.1" "$(jq -r .openapi <<<"$OUT")" 3.1.0
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
eq "it is docs/openapi.json (committed, kept current by make lint)" \
    "$(jq -cS . <<<"$OUT" | sha256sum)" "$(jq -cS . "$ROOT/docs/openapi.json" | sha256sum)"
MISSING=$("$CISHARED" routes | awk 'NR > 1 { print $1, $2 }' | while read -r m p; do
	k=$(sed -E 's#:id#{id}#; s#:id#{id2}#; s#:id#{id3}#; s#\*#{p1}#; s#\*#{p2}#' <<<"$p")
	jq -e --arg k "$k" --arg m "${m,,}" '.paths[$k][$m] != null' <<<"$OUT" >/dev/null || echo "$m $p"
done)
eq "every route the router has is described" "$MISSING" ""
eq "no operationId twice" "$(jq '[.paths[][] | .operationId] | (length - (unique | length))' <<<"$OUT")" 0
eq "the error shape is the contract's" "$(jq -c '.components.schemas.Error.properties.error.required' <<<"$OUT")" '["code","field","message"]'
eq "login needs no credential" "$(jq -c '.paths["/api/v1/login"].post.security' <<<"$OUT")" '[]'

orgs "O " <<'EOF2'
NISC	nisc			[]		-	NISC
FSA	ci_ministry		["finance"]	-	金融庁
CEP	ceptoar_secretariat	["finance"]	-	銀行等CEPTOAR
B1	ci_operator		["finance"]	-	一の銀行
B2	ci_operator		["finance"]	-	二の銀行
EOF2
tokens <<'EOF2'
T_NISC	NISC	o-nisc	analyst
T_FSA	FSA	o-fsa	liaison
T_B1	B1	o-b1	member
EOF2

get "$BASE/metrics"
eq "GET /metrics from the loopback: 200" "$CODE" 200
ok "Prometheus text 0.0.4" 'grep -qi "^content-type: text/plain; version=0.0.4" "$WORK/ops.h"'
ok "every family has HELP and TYPE" 'grep -q "^# TYPE cishare_http_requests_total counter" <<<"$OUT" && grep -q "^# TYPE cishare_http_request_duration_seconds histogram" <<<"$OUT" && grep -q "^# TYPE cishare_store_commit_seconds histogram" <<<"$OUT" && grep -q "^# TYPE cishare_sse_clients gauge" <<<"$OUT"'
R0=$(metric cishare_intake_reports_total)
F0=$(metric cishare_fanout_deliveries_total)
C0=$(metric cishare_store_commit_seconds_count)

# A 第1報, a bad request and an advisory to the finance sector.
submit "$T_B1" direct "$(mkform amber finance)" >/dev/null
api POST /reports '{"route": "direct"' "$T_B1"
expect_status 400 "a malformed body: 400"
ADV=$(adv_issue "$T_NISC" "$(mkadv green)")
api GET "/advisories/$ADV" "" "$T_FSA"
expect_status 200 "the ministry reads the advisory"

get "$BASE/metrics"
eq "the intake counter counts the 第1報" "$(metric cishare_intake_reports_total)" $((R0 + 1))
ok "the fan-out counter counts the advisory's deliveries" '[ "$(metric cishare_fanout_deliveries_total)" -ge $((F0 + 1)) ]'
ok "commits are timed" '[ "$(metric cishare_store_commit_seconds_count)" -gt "$C0" ]'
eq "POST /reports answered 201 once" "$(metric 'cishare_http_requests_total{route="POST /api/v1/reports",status="201"}')" 1
eq "and 400 once" "$(metric 'cishare_http_requests_total{route="POST /api/v1/reports",status="400"}')" 1
eq "GET /advisories/:id answered 200" "$(metric 'cishare_http_requests_total{route="GET /api/v1/advisories/:id",status="200"}')" 1
ok "its latency histogram ends in +Inf with the count" \
    '[ "$(metric "cishare_http_request_duration_seconds_bucket{route=\"GET /api/v1/advisories/:id\",le=\"+Inf\"}")" == "$(metric "cishare_http_request_duration_seconds_count{route=\"GET /api/v1/advisories/:id\"}")" ]'
ok "buckets are cumulative" '[ "$(grep -F "duration_seconds_bucket{route=\"POST /api/v1/reports\"" <<<"$OUT" | awk "{ if (\$NF < p) bad = 1; p = \$NF } END { print bad + 0 }")" == 0 ]'

# A live inbox client is counted while it is open.
curl -s -N -H "Authorization: Bearer $T_B1" "$URL/inbox/stream" >/dev/null &
SSE=$!
for i in $(seq 1 50); do
	get "$BASE/metrics"
	[ "$(metric cishare_sse_clients)" == 1 ] && break
	sleep 0.1
done
eq "one live inbox client" "$(metric cishare_sse_clients)" 1
kill "$SSE" 2>/dev/null; wait "$SSE" 2>/dev/null
for i in $(seq 1 100); do
	get "$BASE/metrics"
	[ "$(metric cishare_sse_clients)" == 0 ] && break
	sleep 0.1
done
eq "and none once it left" "$(metric cishare_sse_clients)" 0
stop_server

# From another address than the loopback: an admin's token, else 401/403.
IP=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9]+(\.[0-9]+){3}$' | grep -v '^127\.' | head -1)
if [ -n "$IP" ]; then
	"$CISHARED" serve --db "$(db_url "$DB")" "${KEYARGS[@]}" --listen "$IP:0" >"$WORK/ext.out" 2>"$WORK/ext.err" &
	EXT=$!
	for i in $(seq 1 200); do
		line=$(grep -m1 '^listening on ' "$WORK/ext.out" 2>/dev/null || true)
		[ -n "$line" ] && break
		sleep 0.05
	done
	EPORT=${line##*:}
	for i in $(seq 1 100); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' "http://$IP:$EPORT/healthz")" == 200 ] && break
		sleep 0.05
	done
	get "http://$IP:$EPORT/metrics"
	eq "from $IP without a token: 401" "$CODE" 401
	get "http://$IP:$EPORT/metrics" "$T_B1"
	eq "from $IP with an operator's token: 403" "$CODE" 403
	get "http://$IP:$EPORT/metrics" "$ADMIN"
	eq "from $IP with the admin token: 200" "$CODE" 200
	get "http://$IP:$EPORT/healthz"
	eq "from $IP /healthz needs no login" "$CODE/$OUT" "200/ok"
	kill -TERM "$EXT"; wait "$EXT"
	eq "that daemon stops cleanly" "$?" 0
else
	echo "note: no non-loopback IPv4 address here; the admin check ran on the loopback only"
fi
