#!/usr/bin/env bash
# No truncated matches (API.md "Source protection"): a NUL byte or a control
# character in a token, an id, a path segment or a query value makes the
# request malformed — never "the part before the NUL".  And every kind of
# response, the live stream included, carries the security headers.
. "$(dirname "$0")/lib.sh"
start_server

orgs "P " <<'EOF2'
MIN	ci_ministry		["finance"]	-	金融庁
OP	ci_operator		["finance"]	-	みなと銀行
EOF2
tokens <<'EOF2'
T_OP		OP	p-op		member
EOF2
R=$(submit "$T_OP" direct "$(mkform amber finance)")

# raw REQUEST-BYTES -> the status line's code (python: curl cannot send a NUL in a header)
raw() {
	python3 - "$PORT" "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(sys.argv[2].encode("utf-8", "surrogateescape").replace(b"\\0", b"\0")
          .replace(b"\\r\\n", b"\r\n"))
data = b""
while b"\r\n" not in data:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
print(data.split(b" ")[1].decode() if data.count(b" ") else "000")
PY
}

# the token through a raw request (the helper the header cases will use)
eq "a valid bearer token authenticates" \
    "$(raw "GET /api/v1/me HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer $T_OP\r\nConnection: close\r\n\r\n")" 200
# A NUL inside the Authorization header: never the token before it.
R1="GET /api/v1/me HTTP/1.1\r\nHost: t\r\n"
eq "Bearer <valid>\\0x as the last header -> 401" \
    "$(raw "${R1}Authorization: Bearer $T_OP\0x\r\nConnection: close\r\n\r\n" | tail -1)" 401
eq "Bearer <valid>\\0x before another header -> 401" \
    "$(raw "${R1}Authorization: Bearer $T_OP\0x\r\nX-Other: 1\r\nConnection: close\r\n\r\n")" 401
eq "Bearer <valid>\\0\\0\\0x -> 401" \
    "$(raw "${R1}Connection: close\r\nAuthorization: Bearer $T_OP\0\0\0x\r\n\r\n")" 401
eq "Bearer <valid> followed by another header still authenticates" \
    "$(raw "${R1}Authorization: Bearer $T_OP\r\nX-Other: 1\r\nConnection: close\r\n\r\n")" 200
eq "a token as the session cookie authenticates (the control for the next case)" \
    "$(raw "${R1}Cookie: cishare_session=$T_OP\r\nConnection: close\r\n\r\n")" 200
eq "the session cookie with a NUL inside the Cookie header -> 401" \
    "$(raw "${R1}Cookie: cishare_session=$T_OP\0x\r\nConnection: close\r\n\r\n")" 401
# The session cookie is read from the Cookie header by http_cookie_find()
# (src/http/parse.c): among other cookies, with white space, in quotes.
eq "the session cookie among others, spaced and quoted, authenticates" \
    "$(raw "${R1}Cookie: theme=dark;  cishare_session = \"$T_OP\" ; lang=ja\r\nConnection: close\r\n\r\n")" 200
eq "a cookie whose name only ends in cishare_session is not the session -> 401" \
    "$(raw "${R1}Cookie: xcishare_session=$T_OP\r\nConnection: close\r\n\r\n")" 401
# Twice (one set for another path or a parent domain beside ours): neither.
eq "two session cookies, even both valid -> 401" \
    "$(raw "${R1}Cookie: cishare_session=$T_OP; cishare_session=$T_OP\r\nConnection: close\r\n\r\n")" 401
eq "an empty session cookie is no credential -> 401" \
    "$(raw "${R1}Cookie: cishare_session=\r\nConnection: close\r\n\r\n")" 401

# ids and path segments
api GET "/reports/$R" "" "$T_OP"
expect_status 200 "GET /reports/$R reads the report"
for suffix in %00 %00x %0a %09 %7f %1f; do
	api GET "/reports/$R$suffix" "" "$T_OP"
	expect_error "" 404 "GET /reports/$R$suffix -> 404 (not report $R)"
done
api GET "/reports%00/$R" "" "$T_OP"
expect_error "" 404 "a NUL inside a fixed path segment -> 404"
api GET "/me%00" "" "$T_OP"
expect_error "" 404 "GET /me%00 -> 404 (not /me)"

# query values
api GET "/reports?limit=1" "" "$T_OP"
expect_status 200 "?limit=1 is accepted"
for v in 1%00 1%00x 1%0a %001; do
	api GET "/reports?limit=$v" "" "$T_OP"
	expect_error limit 400 "?limit=$v -> 400 naming limit"
done
api GET "/reports?sector=finance%00x" "" "$T_OP"
expect_error sector 400 "?sector=finance%00x -> 400 naming sector"
api GET "/reports?q=a%0ab" "" "$T_OP"
expect_error q 400 "?q with a newline -> 400 naming q"
api GET "/reports?cursor=c$R%00" "" "$T_OP"
expect_error cursor 400 "?cursor with a NUL -> 400 naming cursor"
# Found by fuzz_query: the audit viewer's item filter took the marker.
api GET "/audit?item=report:$R%00" "" "$ADMIN"
expect_error item 400 "/audit?item= with a NUL -> 400 naming item"
api GET "/audit?item=report:$R" "" "$ADMIN"
expect_status 200 "/audit?item=report:N is accepted"
# A filter at the epoch is a filter (it was read as "none": 0 meant absent).
api GET "/reports?until=1970-01-01T00:00:00Z" "" "$T_OP"
expect_status 200 "?until=1970-01-01T00:00:00Z is accepted"
eq "?until=1970-01-01T00:00:00Z lists nothing" "$(jq '.items | length' <<<"$BODY")" 0
api GET "/reports?until=2999-01-01T00:00:00Z" "" "$T_OP"
eq "?until=2999-01-01T00:00:00Z lists the report" "$(jq '.items | length' <<<"$BODY")" 1

# security headers on every kind of response
hdrs() { # URL-PATH [TOKEN] [CURL-ARGS...] -> the response headers
	local p=$1 t=${2-}
	shift 2 2>/dev/null || shift
	curl -s -D - -o /dev/null --max-time 3 ${t:+-H "Authorization: Bearer $t"} "$@" \
	    "http://127.0.0.1:$PORT$p" 2>/dev/null | tr -d '\r'
}
has_all() { # HEADERS
	grep -qi '^x-content-type-options: nosniff' <<<"$1" &&
	grep -qi '^x-frame-options: deny' <<<"$1" &&
	grep -qi "^content-security-policy: default-src 'self'" <<<"$1" &&
	grep -qi '^referrer-policy: no-referrer' <<<"$1"
}
ok "security headers: a JSON answer" has_all "$(hdrs /api/v1/me "$T_OP")"
ok "security headers: a JSON error (404)" has_all "$(hdrs /api/v1/nothing "$T_OP")"
ok "security headers: 401" has_all "$(hdrs /api/v1/me "")"
ok "security headers: 405" has_all "$(hdrs /api/v1/me "$T_OP" -X DELETE)"
ok "security headers: the web UI" has_all "$(hdrs / "")"
ok "security headers: the live stream (GET /inbox/stream)" \
    has_all "$(hdrs /api/v1/inbox/stream "$T_OP")"
# ASVS 8.1.1, 8.2.1, 14.4.7: API answers are never cached; framing is refused by CSP too.
ok "API answers say Cache-Control: no-store (a JSON answer and an error)" \
    'grep -qi "^cache-control: no-store" <<<"$(hdrs /api/v1/me "$T_OP")" && grep -qi "^cache-control: no-store" <<<"$(hdrs /api/v1/me "")"'
ok "the CSP forbids framing (frame-ancestors 'none')" \
    'grep -qi "^content-security-policy:.*frame-ancestors '"'"'none'"'"'" <<<"$(hdrs / "")"' 
