#!/usr/bin/env bash
# The live inbox at scale (issue 17, item 3): 400 streams open at once
# (sse_many.py, one process).  The daemon keeps to its pool of threads
# (< 100) and answers ordinary requests at once while they are open;
# heartbeats reach every (suspended) stream; a new advisory reaches every
# stream that may read it exactly once and is audited, while a principal
# who may not read it (an nda_contractor user of the same organisation at
# AMBER+STRICT, an operator of another sector) never receives it;
# Last-Event-ID (and ?last_event_id=) resumes after a given event; streams
# whose client left are closed; the daemon stops cleanly with streams open.
. "$(dirname "$0")/lib.sh"
export CISHARED_SSE_HEARTBEAT=1
start_server
command -v python3 >/dev/null || { fail "python3 is installed" "needed for sse_many.py"; exit 1; }
BASE=http://127.0.0.1:$PORT
MANY_PID=
cleanup_many() {
	[ -n "$MANY_PID" ] && kill "$MANY_PID" 2>/dev/null && wait "$MANY_PID" 2>/dev/null
	MANY_PID=
}
trap 'rc_=$?; cleanup_many; (exit $rc_); e2e_exit' EXIT

threads() { awk '/^Threads:/ { print $2 }' "/proc/$SERVER_PID/status"; }
gauge() { curl -s -m 10 "$BASE/metrics" | awk '$1 == "cishare_sse_clients" { print $2 }'; }
# many JQ — evaluate JQ over sse_many's last summary
many() { jq -r "$1" "$WORK/many.json" 2>/dev/null; }
# wait_many SECONDS JQ — until JQ over the summary prints true
wait_many() {
	local i
	for i in $(seq 1 $(($1 * 10))); do
		[ "$(many "$2")" == true ] && return 0
		sleep 0.1
	done
	return 1
}

ref_orgs NISC=nisc
orgs "S " <<'EOF'
CEP_F	ceptoar_secretariat	["finance"]	-	銀行等CEPTOAR
CEP_E	ceptoar_secretariat	["electricity"]	-	電力CEPTOAR
F1	ci_operator		["finance"]	CEP_F	みなと銀行
E1	ci_operator		["electricity"]	CEP_E	東都電力
EOF
tokens <<'EOF'
T_NISC	NISC	s-nisc	analyst
T_F1	F1	s-f1	member
T_F1N	F1	s-f1-nda	member	true
T_E1	E1	s-e1	member
EOF
THREADS0=$(threads)

# ---- 400 streams ----
python3 "$E2E_DIR/sse_many.py" --port "$PORT" --out "$WORK/many.json" \
    "f=$T_F1:300" "n=$T_F1N:50" "e=$T_E1:50" 2>"$WORK/many.err" &
MANY_PID=$!
wait_many 90 '.f.connected == 300 and .n.connected == 50 and .e.connected == 50'
eq "400 streams connected (300 + 50 + 50), none refused" \
    "$(many '"\(.f.connected) \(.n.connected) \(.e.connected) \(.f.failed + .n.failed + .e.failed)"')" "300 50 50 0"
eq "the gauge counts them" "$(gauge)" 400
T=$(threads)
ok "400 streams open: the daemon runs $T threads (< 100; $THREADS0 before)" '[ "$T" -lt 100 ]'

# ordinary requests while they are open
MAX=0
CODES=
for i in $(seq 1 20); do
	w=$(curl -s -o /dev/null -m 30 -w '%{http_code} %{time_total}' -H "Authorization: Bearer $T_F1" "$URL/me")
	CODES="$CODES ${w%% *}"
	MAX=$(awk -v a="${w##* }" -v b="$MAX" 'BEGIN { print (a > b) ? a : b }')
done
eq "GET /me 20 times with 400 streams open: all 200" "$(tr ' ' '\n' <<<"$CODES" | grep -c '^200$')" 20
echo "MEASURE: GET /me with 400 streams open: slowest of 20 took ${MAX} s (sanitizer build)" >&3
ok "GET /me answered at once with 400 streams open (slowest of 20: ${MAX} s < 1 s)" \
    "awk -v a=$MAX 'BEGIN { exit !(a < 1) }'"
api GET /inbox "" "$T_F1"
expect_status 200 "GET /inbox with 400 streams open"

# heartbeats (every second here) reach suspended streams
wait_many 20 '[.[].streams[].heartbeats] | min >= 2'
HB=$(many '[.[].streams[].heartbeats] | min')
ok "every stream had heartbeats while idle (at least $HB each)" '[ "$HB" -ge 2 ]'

# ---- two advisories to finance, urgent: straight to the operators ----
T1=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sleep 1.1
t0=$(date +%s.%N)
G=$(adv_issue "$T_NISC" "$(mkadv green '.recipients = [{"sector":"finance"}]')" true)
AS=$(adv_issue "$T_NISC" "$(mkadv amber_strict '.recipients = [{"sector":"finance"}]')" true)
wait_many 30 '([.f.streams[].events | map(select(.[1] == "delivered")) | length] | min) == 2 and
    ([.n.streams[].events | length] | min) >= 1'
t1=$(date +%s.%N)
echo "MEASURE: two advisories issued and received by all 350 streams that read them: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s" >&3
eq "F1's 300 streams: the GREEN and the AMBER+STRICT, each exactly once" \
    "$(many "[.f.streams[] | [.events[] | select(.[1] == \"delivered\") | .[2]] | sort | map(tostring) | join(\",\")] | unique | join(\" \")")" \
    "$(printf '%s\n' "$G" "$AS" | sort | paste -sd,)"
sleep 1
eq "F1's nda_contractor user's 50 streams: the GREEN only, never the AMBER+STRICT" \
    "$(many "[.n.streams[] | [.events[] | .[2]] | map(tostring) | join(\",\")] | unique | join(\" \")")" "$G"
eq "E1's 50 streams (electricity): nothing" "$(many '[.e.streams[].events | length] | add')" 0
eq "every stream still open" \
    "$(many '"\(.f.connected) \(.n.connected) \(.e.connected) \(.f.failed + .n.failed + .e.failed)"')" "300 50 50 0"

# audited: one inbox.stream entry per user and pass, naming its streams
api GET "/audit?limit=500&since=$T1" "" "$ADMIN"
eq "inbox.stream audit of F1's user: both advisories" \
    "$(jqv "[.items[] | select(.action == \"inbox.stream\" and .user != null) | select(.detail.streams == 300) | .detail.advisories[]] | sort | map(tostring) | join(\",\")")" \
    "$(printf '%s\n' "$G" "$AS" | sort | paste -sd,)"
eq "... of the nda user (50 streams): the GREEN only" \
    "$(jqv "[.items[] | select(.action == \"inbox.stream\" and .detail.streams == 50) | .detail.advisories[]] | map(tostring) | join(\",\")")" "$G"

# ---- resume: after the GREEN's event, then from before both ----
ID_G=$(many "[.f.streams[0].events[] | select(.[2] == $G) | .[0]][0]")
FIRST_N=$(many '.n.streams[0].first_id')
curl -sN --max-time 3 -H "Authorization: Bearer $T_F1" -H "Last-Event-ID: $ID_G" \
    "$URL/inbox/stream" >"$WORK/resume.f" 2>/dev/null
eq "Last-Event-ID: (the GREEN's event): F1 gets the AMBER+STRICT only" \
    "$(sed -n 's/^data: {"id":\([0-9]*\).*/\1/p' "$WORK/resume.f" | paste -sd,)" "$AS"
curl -sN --max-time 3 -H "Authorization: Bearer $T_F1N" "$URL/inbox/stream?last_event_id=$FIRST_N" \
    >"$WORK/resume.n" 2>/dev/null
eq "?last_event_id= (before both): the nda user gets the GREEN only" \
    "$(sed -n 's/^data: {"id":\([0-9]*\).*/\1/p' "$WORK/resume.n" | paste -sd,)" "$G"
ok "a resumed stream starts with the connected comment and the id it resumes after" \
    "grep -q '^id: $ID_G\$' '$WORK/resume.f' && grep -q '^: connected' '$WORK/resume.f'"

# ---- the clients leave: their streams are closed at the next heartbeat ----
cleanup_many
for i in $(seq 1 150); do
	[ "$(gauge)" == 0 ] && break
	sleep 0.1
done
eq "all 400 streams closed once their client left" "$(gauge)" 0
T=$(threads)
ok "threads after they left: $T (< 100)" '[ "$T" -lt 100 ]'
api GET /me "" "$T_F1"
expect_status 200 "the daemon answers after they left"

# ---- stop with streams open (suspended ones must not hold the stop) ----
python3 "$E2E_DIR/sse_many.py" --port "$PORT" --out "$WORK/many.json" "f=$T_F1:100" \
    2>"$WORK/many.err" &
MANY_PID=$!
wait_many 60 '.f.connected == 100'
eq "100 streams open again" "$(many .f.connected)" 100
stop_server
cleanup_many
