#!/usr/bin/env bash
# Hostile input must get a 4xx JSON error and must not take the server down:
# multi-byte text cut by the server's fixed-size error buffers (field path
# 96 bytes, '%.60s' in messages), deep nesting, lone surrogates, huge
# numbers, oversized headers.  After each request the server must still
# answer; if it died, that is a failure and a fresh server is started on the
# same database so the remaining cases still run.
. "$(dirname "$0")/lib.sh"
start_server

new_party OPR "R みなと銀行" ci_operator '["finance"]' member
new_party NISCR "R NISC" nisc '[]' analyst
new_party MINR "R 金融庁" ci_ministry '["finance"]' liaison
T_OP=$OPR_TOKEN
T_NISC=$NISCR_TOKEN
api GET /me "" "$T_OP"
eq "new_party made an operator user in its org" "$(jqv .org.id) $(jqv .id)" "$OPR_ORG $OPR_UID"
D=$(submit "$T_OP" direct "$(mkform amber finance)")

# alive — the server still answers; restarts it if not
alive() {
	local desc=$1 st
	st=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "Authorization: Bearer $ADMIN" "$URL/me")
	if [ "$st" == 200 ]; then
		pass "server still answers after: $desc"
	else
		fail "server still answers after: $desc" "GET /me -> $st; $(grep -m1 -E 'runtime error|ERROR: AddressSanitizer|SEGV' "$SERVER_ERR")"
		stop_server      # records the crash (sanitizer report / exit status)
		serve_db
	fi
}
# hostile DESC STATUS FIELD|* METHOD PATH TOKEN [BODY] — FIELD * accepts any field
hostile() {
	local desc=$1 want=$2 field=$3
	api "$4" "$5" "${7-}" "$6"
	if [ "$field" == "*" ]; then
		field=$(jqv '.error.field // "?"')
	fi
	expect_error "$field" "$want" "$desc -> $want JSON error"
	if [ "$STATUS" != 000 ]; then
		ok "$desc: the error JSON is valid UTF-8" 'jq -e . >/dev/null 2>&1 <<<"$BODY"'
	fi
	alive "$desc"
}

KEY94=$(printf 'k%.0s' $(seq 1 94))
MB30=$(printf 'あ%.0s' $(seq 1 30))
MB100=$(printf 'あ%.0s' $(seq 1 100))

# --- error field path truncated inside a multi-byte character (96-byte buffer) ---
hostile "unauthenticated POST /login with a 97-byte unknown key ending in a multi-byte char" 400 "*" \
    POST /login "" "{\"${KEY94}あ\": 1}"
hostile "POST /reports with a long multi-byte unknown top-level key" 400 "*" \
    POST /reports "$T_OP" "{\"route\": \"direct\", \"${KEY94}あ\": 1}"
hostile "POST /reports with a long multi-byte unknown key in form.overview" 400 "*" \
    POST /reports "$T_OP" "{\"route\": \"direct\", \"form\": {\"overview\": {\"$MB100\": 1}}}"
hostile "POST /reports/{id}/share with a long multi-byte unknown key" 400 "*" \
    POST "/reports/$D/share" "$T_NISC" "{\"$MB100\": 1}"
hostile "POST /orgs with a long multi-byte unknown key" 400 "*" \
    POST /orgs "$ADMIN" "{\"$MB100\": 1}"

# --- '%.60s' in messages cutting a multi-byte value ---
hostile "form.tlp = x + 30 multi-byte chars" 400 form.tlp \
    POST /reports "$T_OP" "{\"route\":\"direct\",\"form\":{\"tlp\":\"x$MB30\",\"sector\":\"finance\",\"has_attachment\":\"no\"}}"
hostile "form.sector = x + 30 multi-byte chars" 400 form.sector \
    POST /reports "$T_OP" "{\"route\":\"direct\",\"form\":{\"tlp\":\"red\",\"sector\":\"x$MB30\",\"has_attachment\":\"no\"}}"
hostile "form.cause_types.0 = x + 30 multi-byte chars" 400 form.cause_types.0 \
    POST /reports "$T_OP" "{\"route\":\"direct\",\"form\":{\"tlp\":\"red\",\"sector\":\"finance\",\"has_attachment\":\"no\",\"cause_types\":[\"x$MB30\"]}}"
hostile "form.importance = x + 30 multi-byte chars" 400 form.importance \
    POST /reports "$T_OP" "{\"route\":\"direct\",\"form\":{\"tlp\":\"red\",\"sector\":\"finance\",\"has_attachment\":\"no\",\"importance\":\"x$MB30\"}}"

# --- parser limits ---
DEEP=$(printf '[%.0s' $(seq 1 5000))
hostile "5000 nested arrays" 400 "" POST /reports "$T_OP" "{\"route\": $DEEP"
hostile "a lone surrogate escape" 400 "" POST /reports "$T_OP" '{"route": "\ud800"}'
hostile "a number too large for a double" 400 "*" POST /reports "$T_OP" '{"route": "direct", "legal_duty": 1e400}'
hostile "an id larger than int64 in share" 400 "*" POST "/reports/$D/share" "$T_NISC" '{"to": [99999999999999999999999]}'
hostile "limit larger than int64" 400 limit GET "/reports?limit=99999999999999999999999" "$T_OP"
hostile "cursor larger than int64" 400 cursor GET "/reports?cursor=c99999999999999999999999" "$T_OP"
hostile "q with invalid UTF-8" 400 q GET "/reports?q=%FF%FE" "$T_OP"
hostile "sector filter with multi-byte text" 400 sector GET "/reports?sector=$(jq -rn --arg s "$MB30" '$s|@uri')" "$T_OP"

# --- headers ---
LONGTOK=$(printf 't%.0s' $(seq 1 8000))
hostile "an 8000-byte bearer token" 401 "" GET /me "$LONGTOK"
HUGETOK=$(printf 't%.0s' $(seq 1 20000))
CODE=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $HUGETOK" "$URL/me")
eq "20,000 bytes of headers are over the connection's pool (431)" "$CODE" 431
hostile "a bearer token with multi-byte text" 401 "" GET /me "cst_1_$MB30"
