#!/usr/bin/env bash
# CSV exports (API.md "STIX 2.1 and TAXII 2.1", last item; docs/interop.md
# "CSV"): GET /reports.csv, /advisories.csv, /indicators.csv.  Each kind of
# reader gets exactly its JSON list's items as rows (an invisible report
# never in a row), the list filters and their 400s, ?bom=1, ?lang=ja,
# RFC 4180 quoting of commas, quotes, newlines and Japanese, the formula
# guard, the indicators of the advisories the caller reads, the audit entry,
# cishare export, and a 10,000-row export streamed with the daemon's memory
# bounded.
# ASan's quarantine keeps freed memory up to 256 MiB by default, which would
# hide what the daemon holds: keep it small so the RSS measure means something.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:allocator_may_return_null=0}:quarantine_size_mb=8"
. "$(dirname "$0")/lib.sh"
start_server

ref_orgs NISC=nisc FSA=ci_ministry:finance METI=ci_ministry:electricity
orgs "C " <<'EOF2'
CEP	ceptoar_secretariat	["finance"]	-	銀行等CEPTOAR
OPF	ci_operator		["finance"]	CEP	みなと銀行
OPE	ci_operator		["electricity"]	-	東都電力
EOF2
tokens <<'EOF2'
T_NISC	NISC	c-nisc	analyst
T_FSA	FSA	c-fsa	liaison
T_METI	METI	c-meti	liaison
T_CEP	CEP	c-cep	poc
T_OPF	OPF	c-opf	member
T_OPE	OPE	c-ope	member
EOF2

# csv TOKEN PATH — GET with curl into $WORK/csv.out; sets STATUS, CTYPE, CDISP.
csv() {
	local hdr=$WORK/csv.hdr w
	rm -f "$WORK/csv.out" "$hdr"
	w=$(curl -s --max-time 300 -D "$hdr" -o "$WORK/csv.out" \
	    -H "Authorization: Bearer $1" -w '%{http_code}' "$URL$2" 2>/dev/null) || true
	STATUS=${w:-000}
	CTYPE=$(sed -n 's/^[Cc]ontent-[Tt]ype: *\([^\r]*\).*/\1/p' "$hdr" | head -1)
	CDISP=$(sed -n 's/^[Cc]ontent-[Dd]isposition: *\([^\r]*\).*/\1/p' "$hdr" | head -1)
	BODY=$(head -c 300 "$WORK/csv.out")
	LAST="GET $2"
	printf 'GET %s -> %s %s\n' "$2" "$STATUS" "$BODY" >>"$WORK/requests.log"
}
# col N [FILE] — column N (from 1) of every data row, parsed as RFC 4180,
# one a line (newlines inside a cell as \n).
col() {
	python3 -c '
import csv, sys
with open(sys.argv[2], newline="", encoding="utf-8-sig") as f:
	rows = list(csv.reader(f))
for r in rows[1:]:
	print(r[int(sys.argv[1]) - 1].replace("\n", "\\n"))
' "$1" "${2:-$WORK/csv.out}"
}
# cell ID N — column N of the row whose first column is ID
cell() {
	python3 -c '
import csv, sys
with open(sys.argv[3], newline="", encoding="utf-8-sig") as f:
	for r in csv.reader(f):
		if r[0] == sys.argv[1]:
			print(r[int(sys.argv[2]) - 1])
' "$1" "$2" "$WORK/csv.out"
}
header() { python3 -c '
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
	print(",".join(next(csv.reader(f))))
' "$WORK/csv.out"; }
sorted() { sort -n | tr '\n' ' '; }
# adv_ids TOKEN [QUERY] — every id GET /advisories lists
adv_ids() {
	local cursor= qs
	while :; do
		qs="limit=500${2:+&$2}${cursor:+&cursor=$cursor}"
		api GET "/advisories?$qs" "" "$1"
		[ "$STATUS" == 200 ] || { echo "HTTP$STATUS"; return 1; }
		jqv '.items[].id'
		cursor=$(jqv '.next_cursor // empty')
		[ -n "$cursor" ] || break
	done
}

# ---- reports: what each reader's list holds, as rows ----------------------
TRICKY=$'東京,大阪で "引用" あり\n第二行 ランサムウェア'
R1=$(submit "$T_OPF" direct "$(mkform amber finance \
    ".overview.event_summary = $(jq -n --arg s "$TRICKY" '$s')")")
R2=$(submit "$T_OPF" direct "$(mkform green finance \
    '.overview.event_summary = "=HYPERLINK(\"http://evil.example\",\"x\")" | .importance = "alert"')")
R3=$(submit "$T_OPE" direct "$(mkform amber electricity \
    '.overview.event_summary = "電力の事象 invisible-zq9"')")
R4=$(submit "$T_OPF" via_ceptoar "$(mkform green finance \
    '.overview.event_summary = "+81 経由"')")
forward "$T_FSA" "$R1"

for t in T_OPF T_FSA T_METI T_NISC T_CEP T_OPE; do
	csv "${!t}" /reports.csv
	expect_status 200 "$t: GET /reports.csv"
	eq "$t: the rows are exactly the items of GET /reports" \
	    "$(col 1 | sorted)" "$(list_ids "${!t}" | sorted)"
done
csv "$T_FSA" /reports.csv
eq "media type" "$CTYPE" "text/csv; charset=utf-8"
eq "a download named reports.csv" "$CDISP" 'attachment; filename="reports.csv"'
eq "the header: the list's member names" "$(header)" \
    "id,identification_number,state,route,tlp,sector,event_type,cause_types,importance,version,anonymised,relation,summary,created_at,updated_at"
ok "no BOM without ?bom=1" '[ "$(head -c 3 "$WORK/csv.out" | od -An -tx1 | tr -d " ")" != efbbbf ]'
ok "rows end in CRLF" '[ "$(head -1 "$WORK/csv.out" | od -An -c | tr -d " " | tail -c 5)" == "\r\n" ]'
eq "commas, quotes, a newline and Japanese come back whole" "$(cell "$R1" 13)" "$TRICKY"
ok "the quoted cell is RFC 4180" 'grep -qF "\"東京,大阪で \"\"引用\"\" あり" "$WORK/csv.out"'
eq "a formula is written as text (leading apostrophe)" "$(cell "$R2" 13)" \
    "'=HYPERLINK(\"http://evil.example\",\"x\")"
eq "cause types joined by ;" "$(cell "$R1" 8)" cause_suspicious_email_received
eq "the identification number" "$(cell "$R1" 2)" \
    "$(api GET "/reports/$R1" "" "$T_FSA"; jqv .identification_number)"
csv "$T_CEP" /reports.csv
eq "+81 guarded for the secretariat" "$(cell "$R4" 13)" "'+81 経由"
csv "$T_METI" /reports.csv
ok "the electricity ministry sees the electricity report" 'grep -q invisible-zq9 "$WORK/csv.out"'
for t in T_OPF T_FSA T_NISC T_CEP; do
	csv "${!t}" /reports.csv
	ok "$t: an invisible report is in no row, no byte of it" \
	    '! grep -q invisible-zq9 "$WORK/csv.out" && ! grep -qx "$R3" <(col 1)'
done

# ---- filters: the list's, and the list's 400s ----
for q in "tlp=amber" "importance=alert" "sector=finance" "q=%E3%83%A9%E3%83%B3%E3%82%B5%E3%83%A0" \
    "event_type=event_malware_infection" "since=2000-01-01T00:00:00Z"; do
	csv "$T_OPF" "/reports.csv?$q"
	eq "filter $q: the rows of GET /reports?$q" "$(col 1 | sorted)" \
	    "$(list_ids "$T_OPF" "$q" | sorted)"
done
csv "$T_OPF" "/reports.csv?tlp=amber"
eq "tlp=amber: just the AMBER report" "$(col 1 | sorted)" "$R1 "
bad "an unknown sector is the list's 400" 400 sector GET "/reports.csv?sector=nope" "$T_OPF"
bad "a bad date is the list's 400" 400 since GET "/reports.csv?since=yesterday" "$T_OPF"
bad "bom must be 0 or 1" 400 bom GET "/reports.csv?bom=2" "$T_OPF"
bad "lang must be ja or en" 400 lang GET "/reports.csv?lang=fr" "$T_OPF"
bad "no credential: 401" 401 "" GET "/reports.csv" ""

# ---- BOM and Japanese headers ----
csv "$T_OPF" "/reports.csv?bom=1&lang=ja"
eq "?bom=1: the UTF-8 BOM first" "$(head -c 3 "$WORK/csv.out" | od -An -tx1 | tr -d ' ')" efbbbf
ok "?lang=ja: Japanese headers" '[[ "$(header)" == ID,識別番号,状態,経路,TLP,分野,* ]]'
eq "?lang=ja: the values stay ids" "$(cell "$R1" 3)" "$(csv "$T_OPF" /reports.csv; cell "$R1" 3)"

# ---- advisories and indicators ----
F=$(mkadv green '.recipients = [{sector: "finance"}]
    | .threat_content.summary = "C2サーバ 203.0.113[.]9 と hxxps://bad[.]example[.]com/dl を確認, \"注意\""')
ADV=$(adv_issue "$T_NISC" "$F" true)
F2=$(mkadv amber '.recipients = [{sector: "electricity"}] | .threat_content.summary = "電力向け 192.0.2.77"')
ADV2=$(adv_issue "$T_NISC" "$F2" true)
for t in T_NISC T_FSA T_METI T_OPF T_OPE T_CEP; do
	csv "${!t}" /advisories.csv
	expect_status 200 "$t: GET /advisories.csv"
	eq "$t: the rows are exactly the items of GET /advisories" \
	    "$(col 1 | sorted)" "$(adv_ids "${!t}" | sorted)"
done
csv "$T_OPF" /advisories.csv
eq "advisories.csv: its name" "$CDISP" 'attachment; filename="advisories.csv"'
eq "the summary with its comma and quotes" "$(cell "$ADV" 8)" \
    'C2サーバ 203.0.113[.]9 と hxxps://bad[.]example[.]com/dl を確認, "注意"'
csv "$T_OPF" "/advisories.csv?filter=unread"
eq "filter=unread: the list's" "$(col 1 | sorted)" "$(adv_ids "$T_OPF" filter=unread | sorted)"
bad "filter: the list's 400" 400 filter GET "/advisories.csv?filter=nope" "$T_OPF"
csv "$T_OPF" "/advisories.csv?since=2999-01-01T00:00:00Z"
eq "since after every issue: no rows" "$(col 1 | wc -l)" 0

csv "$T_OPF" /indicators.csv
expect_status 200 "GET /indicators.csv"
eq "indicators.csv: its name" "$CDISP" 'attachment; filename="indicators.csv"'
eq "the header" "$(header)" "type,value,pattern,advisory,tlp,issued_at,indicator_id"
eq "one row per observable of what the operator reads" "$(col 2 | sort | tr '\n' ' ')" \
    "203.0.113.9 https://bad.example.com/dl "
TN=$(api GET "/advisories/$ADV" "" "$T_NISC"; jqv .identification_number)
eq "the row names the advisory's T-number" "$(col 4 | sort -u)" "$TN"
ok "the pattern is the STIX one" 'grep -qxF "[ipv4-addr:value = '"'"'203.0.113.9'"'"']" <(col 3)'
csv "$T_OPE" /indicators.csv
eq "the electricity operator: its advisory's observable only" "$(col 2 | tr '\n' ' ')" "192.0.2.77 "
csv "$T_METI" /indicators.csv
ok "never an observable of an advisory the caller may not read" '! grep -q 203.0.113.9 "$WORK/csv.out"'

# ---- the audit entry ----
T0=$(date -u +%Y-%m-%dT%H:%M:%SZ)
csv "$T_FSA" "/reports.csv?tlp=amber"
api GET "/audit?limit=500&since=$T0" "" "$ADMIN"
eq "the export is audited once: report.export with its filters and count" \
    "$(jqv '[.items[] | select(.action == "report.export")] | map(.detail | "\(.filters.tlp) \(.rows)") | join(" ")')" "amber 1"
api GET "/audit?limit=500" "" "$ADMIN"
eq "indicator exports are audited too" \
    "$(jqv '[.items[] | select(.action == "indicator.export")] | length')" 3

# ---- cishare export ----
export HOME=$WORK/home CISHARE_URL=${URL%/api/v1}
CISHARE_TOKEN=$T_FSA "$CISHARE" export --format csv --what reports -o "$WORK/cli.csv" >"$WORK/o" 2>"$WORK/e"; RC=$?
eq "cishare export --format csv -o FILE exits 0" "$RC" 0
cp "$WORK/cli.csv" "$WORK/csv.out"
eq "the file holds the same rows" "$(col 1 | sorted)" "$(list_ids "$T_FSA" | sorted)"
CISHARE_TOKEN=$T_OPF "$CISHARE" export --format csv --what indicators --since 2000-01-01T00:00:00Z >"$WORK/csv.out" 2>"$WORK/e"; RC=$?
eq "cishare export --what indicators --since to standard output" "$RC" 0
eq "... with the indicators" "$(col 2 | sort | tr '\n' ' ')" "203.0.113.9 https://bad.example.com/dl "
CISHARE_TOKEN=$T_OPF "$CISHARE" export --format stix --what advisories -o "$WORK/b.json" >"$WORK/o" 2>"$WORK/e"; RC=$?
eq "cishare export --format stix exits 0" "$RC" 0
eq "a bundle with the report object of the advisory it reads" \
    "$(jq -r '[.objects[] | select(.type == "report")] | length' "$WORK/b.json")" 1
eq "... and its indicators" \
    "$(jq -r '[.objects[] | select(.type == "indicator")] | length' "$WORK/b.json")" 2
CISHARE_TOKEN=$T_OPF "$CISHARE" export --format xml --what reports >"$WORK/o" 2>"$WORK/e"; RC=$?
ok "an unknown format is a usage error" '[ "$RC" != 0 ] && grep -q format "$WORK/e"'

# ---- 4,000 rows, streamed, the daemon's memory bounded ----
# rows of about 4 KB (a summary of 1,300 characters): some 16 MB in all,
# twice what the daemon may grow by while it streams them (fewer, longer
# rows than before: filing them is what takes the time under ASan)
LONG=$(printf '大量の行%.0s' $(seq 1 325))
BODY1=$(jq -nc --argjson f "$(mkform green finance ".overview.event_summary = \"bulk, $LONG\"")" \
    '{route: "direct", legal_duty: false, form: $f}')
printf '%s' "$BODY1" >"$WORK/bulk.json"
: >"$WORK/bulk.cfg"
for i in $(seq 1 4000); do
	[ "$i" == 1 ] || echo next >>"$WORK/bulk.cfg"
	printf 'url = "%s/reports"\nrequest = "POST"\ndata-binary = "@%s"\nheader = "Authorization: Bearer %s"\nheader = "Content-Type: application/json"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' \
	    "$URL" "$WORK/bulk.json" "$T_OPF" >>"$WORK/bulk.cfg"
done
curl -s -Z --parallel-max 4 -K "$WORK/bulk.cfg" >"$WORK/bulk.codes" 2>/dev/null
eq "4,000 reports filed" "$(grep -c '^201$' "$WORK/bulk.codes")" 4000
rss() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }
# warm up once (the allocator's first growth), then measure
csv "$T_OPF" "/reports.csv?bom=1"
RSS0=$(rss)
sleep 1.1
T1=$(date -u +%Y-%m-%dT%H:%M:%SZ)
curl -s --max-time 600 --limit-rate 8M -H "Authorization: Bearer $T_OPF" \
    -o "$WORK/big.csv" "$URL/reports.csv" &
CURL_PID=$!
MAX=$RSS0
while kill -0 "$CURL_PID" 2>/dev/null; do
	r=$(rss)
	[ "$r" -gt "$MAX" ] && MAX=$r
	sleep 0.2
done
wait "$CURL_PID"
cp "$WORK/big.csv" "$WORK/csv.out"
NROWS=$(col 1 | wc -l)
eq "every row is there" "$NROWS" "$(list_ids "$T_OPF" | wc -l)"
ok "over 4,000 rows" '[ "$NROWS" -gt 4000 ]'
SIZE=$(stat -c %s "$WORK/big.csv")
ok "the daemon's RSS grew by less than 8 MiB while it streamed $SIZE bytes (before ${RSS0} KiB, peak ${MAX} KiB)" \
    '[ $((MAX - RSS0)) -lt 8192 ]'
api GET "/audit?limit=500&since=$T1" "" "$ADMIN"
eq "the big export audited once with its count" \
    "$(jqv '[.items[] | select(.action == "report.export")] | map(.detail.rows) | join(" ")')" "$NROWS"
# A token last used over a minute ago: the export's pages run on a read
# snapshot, where the token's last use is not written (PostgreSQL refused
# the write there and cut the export after its first pages).
db_sql "UPDATE tokens SET last_used_us = 1 WHERE label IS NULL OR label <> 'session'" >/dev/null
csv "$T_OPF" "/reports.csv"
expect_status 200 "an export by a token idle for a minute"
eq "every row of it is there" "$(col 1 | wc -l)" "$NROWS"
