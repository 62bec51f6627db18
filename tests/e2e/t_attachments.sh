#!/usr/bin/env bash
# Attachments (別紙) (issue 15 item 1; API.md "Attachments (別紙) and samples
# (検体)"): POST /reports/{id}/attachments?name=&version= and POST
# /advisories/{id}/attachments?name= with the raw file as the body -> 201
# {"id","name","size","sha256","content_type"}; only who may write the item
# (the source, NISC for advisories); --max-attachment (20 MiB) -> 413;
# names without separators or controls; GET /attachments/{id} -> the bytes
# with Content-Disposition: attachment (RFC 6266 filename*), nosniff and a
# safe Content-Type; 404 for whoever may not read the item, as for a missing
# id; an attachment has the readers of its version (TLP included); an
# anonymised source's file is sealed in the database (no marker in the
# dump) and reaches the ministry only when the secretariat's forward keeps
# it ("attachments": [ids]); GET /reports/{id} and /advisories/{id} list
# them; every write and read is audited; the CLI attaches and downloads.
. "$(dirname "$0")/lib.sh"
start_server

orgs "A " <<'EOF'
NISC	nisc			[]		-	NISC
MIN_F	ci_ministry		["finance"]	-	金融庁
MIN_E	ci_ministry		["electricity"]	-	経済産業省
EOF
sector_population "A "
tokens <<'EOF'
T_NISC	NISC	a-nisc		analyst
T_NISC_NDA	NISC	a-nisc-nda	analyst	true
T_MIN	MIN_F	a-fsa		liaison
T_MIN_E	MIN_E	a-meti		liaison
T_CEP	CEP_F	a-cep		poc
T_OP1	OP1	a-op1		member
T_OP2	OP2	a-op2		member
EOF

# upload TOKEN PATH FILE [CONTENT_TYPE] — the raw file as the body
upload() {
	local out=$WORK/up.out w
	rm -f "$out"
	w=$(curl -s -o "$out" -w '%{http_code}' -X POST --max-time 120 \
	    -H "Authorization: Bearer $1" -H "Content-Type: ${4:-application/octet-stream}" \
	    --data-binary "@$3" "$URL$2" 2>/dev/null) || true
	STATUS=${w:-000}
	BODY=$(cat "$out" 2>/dev/null)
	LAST="POST $2 <$3>"
	printf 'POST %s <%s> -> %s %s\n' "$2" "$3" "$STATUS" "${BODY:0:300}" >>"$WORK/requests.log"
}
# download TOKEN ID — the bytes to $WORK/dl, the headers to $WORK/dl.h
download() {
	rm -f "$WORK/dl" "$WORK/dl.h"
	STATUS=$(curl -s -D "$WORK/dl.h" -o "$WORK/dl" -w '%{http_code}' --max-time 120 \
	    -H "Authorization: Bearer $1" "$URL/attachments/$2" 2>/dev/null) || STATUS=000
	BODY=$(head -c 2000 "$WORK/dl" | tr -d '\0')
	LAST="GET /attachments/$2"
	printf 'GET /attachments/%s -> %s\n' "$2" "$STATUS" >>"$WORK/requests.log"
}
hdr() { grep -i "^$1:" "$WORK/dl.h" | head -1 | cut -d: -f2- | sed 's/^ //; s/\r$//'; }
natt() { db_sql "SELECT count(*) FROM attachments"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

# ---- a direct report and its file ----
A=$(submit "$T_OP1" direct "$(mkform amber finance '.has_attachment = "yes"')")
F1=$WORK/f1.txt
printf 'Firewall log 2026-11-21\nsrc=203.0.113.9 dst=10.0.0.5\n' >"$F1"
NAME1='ログ 1.txt'
upload "$T_OP1" "/reports/$A/attachments?name=%E3%83%AD%E3%82%B0%201.txt" "$F1" "text/plain; charset=utf-8"
expect_status 201 "the source attaches a file to its report -> 201"
AT1=$(jqv .id)
eq "the answer: name, size, sha256, content_type" \
    "$(jqv '[.name, (.size|tostring), .sha256, .content_type] | join("|")')" \
    "$NAME1|$(stat -c %s "$F1")|$(sha "$F1")|text/plain"
ok "the answer has id, name, size, sha256, content_type" \
    '[ "$(jqv "[\"id\",\"name\",\"size\",\"sha256\",\"content_type\"] - keys | length")" == 0 ]'

api GET "/reports/$A" "" "$T_OP1"
eq "GET /reports/{id} lists it with id, name, size, sha256, version" \
    "$(jqv '.attachments[0] | [.id, .name, .size, .sha256, .version] | map(tostring) | join("|")')" \
    "$AT1|$NAME1|$(stat -c %s "$F1")|$(sha "$F1")|1"

# ---- readers: the version's ----
download "$T_MIN" "$AT1"
expect_status 200 "the ministry on the path downloads it"
eq "the bytes are the file's (SHA-256)" "$(sha "$WORK/dl")" "$(sha "$F1")"
eq "Content-Disposition: attachment with an ASCII fallback and RFC 6266 filename*" \
    "$(hdr Content-Disposition)" "attachment; filename=\"__ 1.txt\"; filename*=UTF-8''%E3%83%AD%E3%82%B0%201.txt"
eq "X-Content-Type-Options: nosniff" "$(hdr X-Content-Type-Options)" nosniff
eq "Content-Type: the safe type sent" "$(hdr Content-Type)" text/plain
eq "Content-Length: the size" "$(hdr Content-Length)" "$(stat -c %s "$F1")"
download "$T_NISC" "$AT1"
expect_status 404 "NISC before the ministry forwards: 404"
download "$T_NISC" 999999
expect_status 404 "a missing attachment: 404"
MISSING_BODY=$BODY
download "$T_OP2" "$AT1"
expect_status 404 "another operator of the sector: 404"
eq "... the same answer as for a missing id" "$BODY" "$MISSING_BODY"
forward "$T_MIN" "$A"
download "$T_NISC" "$AT1"
expect_status 200 "NISC after the forward downloads it"
eq "NISC gets the same bytes" "$(sha "$WORK/dl")" "$(sha "$F1")"

# ---- who may write ----
N0=$(natt)
upload "$T_MIN" "/reports/$A/attachments?name=x.txt" "$F1"
expect_error "" 403 "the ministry liaison (a reader) may not attach -> 403"
upload "$T_OP2" "/reports/$A/attachments?name=x.txt" "$F1"
expect_error "" 404 "another operator (no reader) -> 404"
upload "$T_NISC" "/reports/$A/attachments?name=x.txt" "$F1"
expect_error "" 403 "NISC may not attach to a report -> 403"
upload "$T_OP1" "/reports/999999/attachments?name=x.txt" "$F1"
expect_error "" 404 "a missing report -> 404"

# ---- names and versions ----
LONG=$(printf 'x%.0s' $(seq 256))
for n in "..%2Fx" "a%2Fb.txt" "a%5Cb.txt" "bad%01name" "tab%09.txt" "del%7F.txt" "%C2%85c1.txt" "" ".." "%20lead.txt" "$LONG" "%FF%FE.txt"; do
	upload "$T_OP1" "/reports/$A/attachments?name=$n" "$F1"
	expect_error name 400 "name '${n:0:20}' -> 400 name"
done
upload "$T_OP1" "/reports/$A/attachments" "$F1"
expect_error name 400 "no ?name= -> 400 name"
upload "$T_OP1" "/reports/$A/attachments?name=v.txt&version=2" "$F1"
expect_error version 400 "a version the report does not have -> 400 version"
upload "$T_OP1" "/reports/$A/attachments?name=v.txt&version=x" "$F1"
expect_error version 400 "a version that is not a number -> 400 version"
: >"$WORK/empty"
upload "$T_OP1" "/reports/$A/attachments?name=e.txt" "$WORK/empty"
expect_error body 400 "an empty file -> 400 body"
eq "nothing was written by the refusals" "$(natt)" "$N0"

# ---- the size limit ----
head -c $((20 * 1024 * 1024 + 1)) /dev/urandom >"$WORK/big"
upload "$T_OP1" "/reports/$A/attachments?name=big.bin" "$WORK/big"
expect_error body 413 "20 MiB + 1 byte -> 413 body"
eq "nothing was written by it" "$(natt)" "$N0"
head -c $((20 * 1024 * 1024)) "$WORK/big" >"$WORK/max"
followup "$T_OP1" "$A" "$(mkform amber finance)" >/dev/null
T0=$(date +%s%N)
upload "$T_OP1" "/reports/$A/attachments?name=max.bin&version=2" "$WORK/max"
T1=$(date +%s%N)
expect_status 201 "exactly 20 MiB -> 201"
AT_MAX=$(jqv .id)
eq "... of version 2" "$(jqv .version)" 2
download "$T_OP1" "$AT_MAX"
T2=$(date +%s%N)
eq "the 20 MiB file comes back whole (SHA-256)" "$(sha "$WORK/dl")" "$(sha "$WORK/max")"
echo "MEASURE: 20 MiB upload $(( (T1 - T0) / 1000000 )) ms, download $(( (T2 - T1) / 1000000 )) ms ($CS_STORE, sanitizer build)" >&3
eq "chunks of 256 KiB: 80 rows" "$(db_sql "SELECT count(*) FROM attachment_chunks WHERE att = $AT_MAX")" 80
download "$T_NISC" "$AT_MAX"
expect_status 404 "version 2 has not reached NISC: its attachment is 404 for NISC"
rm -f "$WORK/big" "$WORK/max" "$WORK/dl"
upload "$T_OP1" "/reports/$A/attachments?name=page.html" "$F1" "text/html"
expect_status 201 "an HTML file is accepted"
download "$T_OP1" "$(jqv .id)"
eq "... and served as application/octet-stream" "$(hdr Content-Type)" application/octet-stream

# ---- TLP: AMBER+STRICT excludes NDA contractors ----
S=$(submit "$T_OP1" direct "$(mkform amber_strict finance)")
upload "$T_OP1" "/reports/$S/attachments?name=s.txt" "$F1"
AT_S=$(created "attach to an AMBER+STRICT report" id)
forward "$T_MIN" "$S"
download "$T_NISC" "$AT_S"
expect_status 200 "AMBER+STRICT: a NISC analyst downloads"
download "$T_NISC_NDA" "$AT_S"
expect_status 404 "AMBER+STRICT: a NISC NDA contractor gets 404"
api GET "/reports/$S" "" "$T_NISC_NDA"
expect_status 404 "... who does not read the report either"

# ---- anonymised: sealed, kept or dropped by the secretariat ----
B=$(submit "$T_OP1" via_ceptoar "$(mkform amber finance)")
MARK=QZXMARKERATTACH7
FB=$WORK/fb.txt
printf 'sample %s from the bank\n' "$MARK" >"$FB"
upload "$T_OP1" "/reports/$B/attachments?name=${MARK}NAME.txt" "$FB" text/plain
expect_status 201 "the anonymised source attaches a file -> 201"
BT1=$(jqv .id)
eq "... the answer names it to the source" "$(jqv .name)" "${MARK}NAME.txt"
HEX=$(printf '%s' "$MARK" | od -An -tx1 | tr -d ' \n')
DUMP=$(db_dump)
ok "the database dump holds neither the marker nor the file's name" \
    '! grep -q "$MARK" <<<"$DUMP"'
ok "... nor the marker's bytes as hex" '! grep -qi "$HEX" <<<"$DUMP"'
ok "... nor the file's SHA-256" '! grep -qi "$(sha "$FB")" <<<"$DUMP"'
eq "the row is sealed: no name, no SHA-256 in clear, a sealed meta" \
    "$(db_sql "SELECT count(*) FROM attachments WHERE id = $BT1 AND name = '' AND sealed_meta IS NOT NULL AND sha256 IS NULL")" 1
api GET "/reports/$B" "" "$T_CEP"
eq "the secretariat lists the source's file, sealed" \
    "$(jqv '.attachments[0] | [.id, .name, .sealed] | map(tostring) | join("|")')" "$BT1|${MARK}NAME.txt|true"
download "$T_CEP" "$BT1"
expect_status 200 "the secretariat downloads the sealed file"
eq "... opened: the source's bytes" "$(sha "$WORK/dl")" "$(sha "$FB")"
download "$T_OP1" "$BT1"
expect_status 200 "the source downloads its own"
download "$T_MIN" "$BT1"
expect_status 404 "the ministry (report not forwarded): 404"

# the forward without the file: dropped
forward "$T_CEP" "$B" '{}'
api GET "/reports/$B" "" "$T_MIN"
eq "a forward that keeps nothing: the ministry lists no attachment" "$(jqv '.attachments | length')" 0
download "$T_MIN" "$BT1"
expect_status 404 "... and the source's sealed file is 404 for it"
# a follow-up with a file, kept this time
FB2=$WORK/fb2.txt
printf 'second %s\n' "$MARK" >"$FB2"
followup "$T_OP1" "$B" "$(mkform amber finance)" >/dev/null
upload "$T_OP1" "/reports/$B/attachments?name=second.txt" "$FB2" text/plain
BT2=$(created "attach to version 2 of B" id)
bad "the forward keeps an id that is not the source's" 400 attachments.0 POST "/reports/$B/forward" "$T_CEP" \
    "{\"attachments\": [$AT1]}"
bad "the forward keeps an id twice" 400 attachments.1 POST "/reports/$B/forward" "$T_CEP" \
    "{\"attachments\": [$BT2, $BT2]}"
bad "the forward keeps a string" 400 attachments.0 POST "/reports/$B/forward" "$T_CEP" \
    '{"attachments": ["x"]}'
api POST "/reports/$B/forward?dry_run=1" "{\"attachments\": [$BT2]}" "$T_CEP"
expect_status 200 "a dry run with attachments -> 200"
eq "... copies nothing" "$(db_sql "SELECT count(*) FROM attachments WHERE source = $BT2")" 0
api POST "/reports/$B/forward" "{\"attachments\": [$BT2]}" "$T_CEP"
expect_status 200 "the secretariat's forward keeps the second file"
BC=$(jqv '.attachments[0]')
ok "the forward answers the copy's id" '[ "$BC" -gt "$BT2" ]'
api GET "/reports/$B" "" "$T_MIN"
eq "the ministry lists the kept copy only" \
    "$(jqv '[.attachments[] | [.id, .name, .sha256, .version, .copy_of] | map(tostring) | join("|")] | join(",")')" \
    "$BC|second.txt|$(sha "$FB2")|2|$BT2"
download "$T_MIN" "$BC"
expect_status 200 "the ministry downloads the kept copy"
eq "... the source's bytes" "$(sha "$WORK/dl")" "$(sha "$FB2")"
forward "$T_MIN" "$B"
download "$T_NISC" "$BC"
expect_status 200 "NISC downloads the copy after the ministry's forward"
download "$T_NISC" "$BT2"
expect_status 404 "NISC never reads the source's sealed original"
followup "$T_OP1" "$A" "$(mkform amber finance)" >/dev/null
bad "a ministry's forward keeps nothing itself" 400 attachments POST "/reports/$A/forward" "$T_MIN" \
    "{\"attachments\": [$AT1]}"

# ---- advisories ----
ADV=$(adv_issue "$T_NISC" "$(mkadv green '.has_attachment = "yes"')")
upload "$T_NISC" "/advisories/$ADV/attachments?name=ioc.csv" "$F1" text/csv
expect_status 201 "NISC attaches a file to its advisory -> 201"
AA=$(jqv .id)
upload "$T_NISC" "/advisories/$ADV/attachments?name=ioc.csv&version=1" "$F1" text/csv
expect_error version 400 "an advisory's attachment takes no version -> 400 version"
upload "$T_MIN" "/advisories/$ADV/attachments?name=x.csv" "$F1"
expect_error "" 403 "a ministry (a recipient) may not attach -> 403"
upload "$T_OP2" "/advisories/$ADV/attachments?name=x.csv" "$F1"
expect_error "" 404 "an operator it has not reached -> 404"
api GET "/advisories/$ADV" "" "$T_MIN"
eq "the recipient ministry lists the advisory's attachment" \
    "$(jqv '.attachments[0] | [.id, .name, .version, .sha256] | map(tostring) | join("|")')" "$AA|ioc.csv|1|$(sha "$F1")"
download "$T_MIN" "$AA"
expect_status 200 "the recipient ministry downloads it"
eq "Content-Type text/csv" "$(hdr Content-Type)" text/csv
download "$T_OP2" "$AA"
expect_status 404 "an operator it has not reached: 404"

# ---- audit ----
api GET "/audit?limit=500" "" "$ADMIN"
for a in attachment.add attachment.read attachment.forward; do
	ok "the audit log records $a" '[ "$(jqv "[.items[] | select(.action == \"$a\")] | length")" -gt 0 ]'
done
ok "the anonymised source's attachment.add names no user" \
    '[ "$(jqv "[.items[] | select(.action == \"attachment.add\" and .item == \"report:$B\")][0].user")" == null ]'

# ---- the CLI: attach and get (verifies SHA-256) ----
export CISHARE_URL=${URL%/api/v1}
OUT=$(CISHARE_TOKEN=$T_OP1 "$CISHARE" attach report "$A" "$F1" --version 1 2>&1)
ok "cishare attach report ID FILE --version K prints the SHA-256" '[[ "$OUT" == *"$(sha "$F1")"* ]]'
CID=$(grep -o '^[0-9]*' <<<"$OUT" | head -1)
OUT=$(CISHARE_TOKEN=$T_OP1 "$CISHARE" attachment get "$CID" -o "$WORK/cli.out" 2>&1)
eq "cishare attachment get ID -o FILE writes the bytes" "$(sha "$WORK/cli.out")" "$(sha "$F1")"
ok "... and says the SHA-256 was verified" '[[ "$OUT" == *verified* ]]'
OUT=$(CISHARE_TOKEN=$T_NISC "$CISHARE" attach advisory "$ADV" "$F1" 2>&1)
ok "cishare attach advisory ID FILE (NISC)" '[[ "$OUT" == *"$(sha "$F1")"* ]]'
RC=0
OUT=$(CISHARE_TOKEN=$T_OP2 "$CISHARE" attachment get "$AT1" -o "$WORK/cli2.out" 2>&1) || RC=$?
ok "cishare attachment get of an invisible one fails" '[ "$RC" != 0 ]'
