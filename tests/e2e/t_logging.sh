#!/usr/bin/env bash
# Logging (issue 16, item 5): cishared writes one JSON object a line
# (--log-format json, the default; text gives key=value), and a stuck
# stderr — a log pipe nobody reads — never stalls the daemon: requests go
# on being answered while the pipe is full, and the log resumes once it is
# read again.
. "$(dirname "$0")/lib.sh"
start_server
for i in 1 2 3; do curl -s -o /dev/null "$URL/me"; done
curl -s -o /dev/null -H "Authorization: Bearer $ADMIN" "$URL/me"
ADMIN_ID=$(curl -s -H "Authorization: Bearer $ADMIN" "$URL/me" | jq .id)
stop_server
L=$(grep -v -E '^(=|  |SUMMARY|    #|Direct|Indirect)' "$SERVER_ERR" | grep -v '^$')
ok "every log line is a JSON object with ts and level" \
    '[ -n "$L" ] && jq -e -s "all(.[]; type == \"object\" and has(\"ts\") and has(\"level\"))" <<<"$L" >/dev/null'
eq "a request line: its method, path and status (a number)" \
    "$(jq -r -s '[.[] | select(.event == "request" and .path == "/me")][0] | [.method, .path, (.status | type), (.dur_us | type)] | join(",")' <<<"$L")" \
    "GET,/me,number,number"
eq "an unauthenticated request line: user 0" \
    "$(jq -r -s '[.[] | select(.event == "request" and .path == "/me" and .status == 401)][0].user' <<<"$L")" 0
eq "an authenticated one names the user (ASVS 7.2.2), never the token" \
    "$(jq -r -s '[.[] | select(.event == "request" and .path == "/me" and .status == 200)][0].user | tostring' <<<"$L"),$(grep -c "${ADMIN#cst_}" <<<"$L")" "${ADMIN_ID:-?},0"
eq "the start line names the schema" "$(jq -r -s '[.[] | select(.event == "start")][0].schema | type' <<<"$L")" number

# --log-format text: the old key=value lines.
"$CISHARED" serve --db "$(db_url "$DB")" "${KEYARGS[@]}" --listen 127.0.0.1:0 --log-format text \
    >"$WORK/t.out" 2>"$WORK/t.err" &
P=$!
for i in $(seq 1 200); do grep -q '^listening on ' "$WORK/t.out" 2>/dev/null && break; sleep 0.05; done
TP=$(sed -n 's/^listening on .*://p' "$WORK/t.out")
curl -s -o /dev/null "http://127.0.0.1:$TP/api/v1/me"
kill -TERM "$P"; wait "$P"
ok "--log-format text: key=value lines" 'grep -q "^ts=.* level=info event=request .*path=/me status=401" "$WORK/t.err"'
"$CISHARED" serve --db "$(db_url "$DB")" "${KEYARGS[@]}" --log-format xml >/dev/null 2>"$WORK/x.err"
RC=$?
ok "--log-format xml: refused" '[ $RC != 0 ] && grep -q "json or text" "$WORK/x.err"'

# A stuck log pipe: held open, never read.
mkfifo "$WORK/log.fifo"
exec 7<>"$WORK/log.fifo"
"$CISHARED" serve --db "$(db_url "$DB")" "${KEYARGS[@]}" --listen 127.0.0.1:0 \
    >"$WORK/s.out" 2>"$WORK/log.fifo" &
P=$!
for i in $(seq 1 200); do grep -q '^listening on ' "$WORK/s.out" 2>/dev/null && break; sleep 0.05; done
TP=$(sed -n 's/^listening on .*://p' "$WORK/s.out")
N=3000
ARGS=()
for i in $(seq 1 $N); do ARGS+=(-o /dev/null "http://127.0.0.1:$TP/api/v1/me?n=$i"); done
T0=$(date +%s)
CODES=$(timeout 120 curl -s -w '%{http_code}\n' "${ARGS[@]}" | sort | uniq -c | awk '{ print $2 ":" $1 }' | tr '\n' ' ')
T1=$(date +%s)
eq "$N requests answered while nobody reads the log (~$((N * 150 / 1024)) KiB of lines, the pipe holds 64)" "$CODES" "401:$N "
ok "in reasonable time ($((T1 - T0)) s)" '[ $((T1 - T0)) -lt 100 ]'
CODE=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$TP/healthz")
eq "the daemon still answers at once" "$CODE" 200
# Read the pipe again: the log resumes, and the daemon stops cleanly.
timeout 20 cat <&7 >"$WORK/drained" &
CAT=$!
sleep 2
kill -TERM "$P"; wait "$P"; RC=$?
sleep 1
kill "$CAT" 2>/dev/null; wait "$CAT" 2>/dev/null
exec 7<&-
eq "it stops cleanly" "$RC" 0
ok "the log resumed: request lines came through once read" '[ "$(grep -c "\"event\":\"request\"" "$WORK/drained")" -gt 100 ]'
ok "and the stop line is there" 'grep -q "\"event\":\"stop\"" "$WORK/drained"'
