#!/usr/bin/env bash
# Observables and correlation (issue 12, item 2; API.md "Analysis"): a
# railway's 第1報 and two banks' reports name the same IP, each spelled its
# own way (full-width, defanged, plain); NISC's queue lists it with 2
# sectors, GET /observables finds the three reports.  A bank sees the
# correlation to the other bank's report only once it may read it, and an
# item it may not read changes nothing it sees.  An anonymised report's
# source text is never indexed: only what the secretariat forwarded.
. "$(dirname "$0")/lib.sh"
start_server

orgs "O " <<'EOF2'
NISC	nisc			[]			-	NISC
MLIT	ci_ministry		["railway"]		-	国土交通省
FSA	ci_ministry		["finance"]		-	金融庁
CEP	ceptoar_secretariat	["finance"]		-	銀行等CEPTOAR
RW	ci_operator		["railway"]		-	みなと鉄道
PW	ci_operator		["electricity"]		-	みなと電力
B1	ci_operator		["finance"]		CEP	みなと銀行
B2	ci_operator		["finance"]		CEP	さくら信金
EOF2
tokens <<'EOF2'
T_NISC	NISC	o-nisc	analyst
T_MLIT	MLIT	o-mlit	liaison
T_FSA	FSA	o-fsa	liaison
T_CEP	CEP	o-cep	poc
T_RW	RW	o-rw	member
T_PW	PW	o-pw	member
T_B1	B1	o-b1	member
T_B2	B2	o-b2	member
EOF2

filed() { # TOKEN MINISTRY_TOKEN SECTOR SUMMARY -> id, forwarded to NISC
	local id
	id=$(submit "$1" direct "$(mkform amber "$3" ".overview.event_summary = \"$4\"")")
	forward "$2" "$id" >/dev/null
	echo "$id"
}

# the railway's 第1報: the address in full-width digits
RW1=$(filed "$T_RW" "$T_MLIT" railway "不審な通信先 ２０３．０．１１３．５０ を確認")
# bank 1: plain, with a CVE and a URL
B1R=$(filed "$T_B1" "$T_FSA" finance "C2 203.0.113.50、CVE-2024-3400、hxxps://evil[.]example[.]com:443/a/../dl")

api GET "/reports/$B1R/correlations" "" "$T_B1"
expect_status 200 "a bank asks for its report's correlations"
eq "its report's observables, normalised" "$(jqv '[.observables[] | .kind + ":" + .value] | sort | join(" ")')" \
    "cve:CVE-2024-3400 ipv4:203.0.113.50 url:https://evil.example.com/dl"
eq "the railway's report is not the bank's to read: nothing correlated" "$(jqv '.items | length')" 0
BEFORE=$BODY

# bank 2: defanged; not shared with bank 1
B2R=$(filed "$T_B2" "$T_FSA" finance "接続元 203[.]0[.]113[.]50 より攻撃")
api GET "/reports/$B1R/correlations" "" "$T_B1"
eq "bank 2's report, invisible to bank 1, changes nothing bank 1 sees" "$BODY" "$BEFORE"

api GET "/reports/$B1R/correlations" "" "$T_NISC"
expect_status 200 "NISC reads the correlations of bank 1's report"
eq "NISC sees both other reports" "$(jqv '[.items[] | .type + ":" + (.id | tostring)] | sort | join(" ")')" \
    "$(printf 'report:%s\nreport:%s\n' "$RW1" "$B2R" | sort | tr '\n' ' ' | sed 's/ $//')"
eq "with the observable they share and their sectors" \
    "$(jqv "[.items[] | select(.id == $RW1) | .sector, .shared[0].value] | join(\",\")")" "railway,203.0.113.50"

# the NISC queue
api GET "/correlations?min_sectors=2&days=7" "" "$T_NISC"
expect_status 200 "NISC reads the observables seen in 2 sectors this week"
eq "the shared IP, in 2 sectors" "$(jqv '[.observables[] | .value + "=" + (.sectors | sort | join("+"))] | join(" ")')" \
    "203.0.113.50=finance+railway"
eq "with its 3 reports" "$(jqv '.observables[0].items | length')" 3
QBEFORE=$BODY
# a third sector's report, still at its ministry: NISC may not read it yet
PWR=$(submit "$T_PW" direct "$(mkform amber electricity '.overview.event_summary = "203.0.113.50 から不正アクセス"')")
api GET "/correlations?min_sectors=2&days=7" "" "$T_NISC"
eq "a report NISC may not read yet changes nothing in its queue" "$BODY" "$QBEFORE"
api GET "/reports/$PWR/correlations" "" "$T_PW"
eq "the power company sees no correlation (it reads none of the others)" "$(jqv '[(.observables | length), (.items | length)] | map(tostring) | join(",")')" "1,0"
api GET "/correlations?min_sectors=3&days=7" "" "$T_NISC"
eq "none in 3 sectors" "$(jqv '.observables | length')" 0
api GET "/correlations" "" "$T_NISC"
eq "the defaults are 2 sectors, 7 days" "$(jqv '[.min_sectors, .days] | map(tostring) | join(",")')" "2,7"
for q in "min_sectors=0" "min_sectors=x" "days=0" "days=99999"; do
	api GET "/correlations?$q" "" "$T_NISC"
	expect_error "${q%%=*}" 400 "GET /correlations?$q -> 400 naming ${q%%=*}"
done
api GET "/correlations" "" "$T_FSA"
expect_error "" 403 "a ministry does not read NISC's queue"
api GET "/observables?value=203.0.113.50" "" "$T_B1"
expect_error "" 403 "a bank does not look up observables"

# lookup
api GET "/observables?value=203%5B.%5D0%5B.%5D113%5B.%5D50" "" "$T_NISC"
expect_status 200 "NISC looks up the defanged address"
eq "normalised" "$(jqv '[.kind, .value] | join(" ")')" "ipv4 203.0.113.50"
eq "three reports in two sectors" "$(jqv '[(.items | length), (.sectors | sort | join("+"))] | map(tostring) | join(" ")')" "3 finance+railway"
api GET "/observables?value=HXXPS://Evil%5B.%5Dexample.com/a/../dl%23frag" "" "$T_NISC"
eq "a URL normalised by curl_url, with its registrable domain" \
    "$(jqv '[.value, .registrable_domain, (.items | length | tostring)] | join(" ")')" "https://evil.example.com/dl example.com 1"
api GET "/observables?value=%EF%BC%A3%EF%BC%B6%EF%BC%A5-2024-3400" "" "$T_NISC"
eq "a full-width CVE id" "$(jqv '[.kind, .value, (.items | length | tostring)] | join(" ")')" "cve CVE-2024-3400 1"
for v in "" "report.pdf" "1.2.3.4%202.3.4.5" "%E3%81%AA%E3%81%97"; do
	api GET "/observables?value=$v" "" "$T_NISC"
	expect_error value 400 "GET /observables?value=$v -> 400 naming value"
done
api GET "/observables?value=198.51.100.250" "" "$T_NISC"
eq "an address nobody reported: no items" "$(jqv '[(.items | length), (.sectors | length)] | map(tostring) | join(",")')" "0,0"

# bank 1 may read bank 2's report once NISC shares it
api POST "/reports/$B2R/share" "{\"to\": [$B1]}" "$T_NISC"
expect_status 200 "NISC shares bank 2's report with bank 1"
api GET "/reports/$B1R/correlations" "" "$T_B1"
eq "now bank 1 sees the correlation to bank 2's report only" "$(jqv '[.items[].id] | map(tostring) | join(",")')" "$B2R"
eq "through the shared address" "$(jqv '.items[0].shared | map(.value) | join(",")')" "203.0.113.50"
api GET "/reports/$RW1/correlations" "" "$T_B1"
A=$BODY
api GET "/reports/999999/correlations" "" "$T_B1"
eq "the railway's report: the same 404 as a missing one" "$A" "$BODY"

# an anonymised report: the source's text stays sealed, only what the
# secretariat forwarded is indexed
FORM=$(mkform amber finance '.overview.event_summary = "内部メモ 198.51.100.77" | .tlp_special_notes = "通信先 192.0.2.200"')
api POST /reports "$(jq -nc --argjson f "$FORM" '{route: "via_ceptoar", legal_duty: false, form: $f}')" "$T_B1"
expect_status 201 "bank 1 files via its CEPTOAR"
AN=$(jqv .id)
api GET "/observables?value=198.51.100.77" "" "$T_NISC"
eq "the sealed source text is not indexed" "$(jqv '.items | length')" 0
forward "$T_CEP" "$AN" '{"form": {"overview": {"event_summary": "概要のみ"}}}'
forward "$T_FSA" "$AN"
api GET "/observables?value=198.51.100.77" "" "$T_NISC"
eq "what the secretariat removed is never indexed" "$(jqv '.items | length')" 0
eq "not even as a stored observable" "$(db_sql "SELECT COUNT(*) FROM observables WHERE value_norm = '198.51.100.77'")" 0
api GET "/observables?value=192.0.2.200" "" "$T_NISC"
eq "what it forwarded is" "$(jqv '[.items[] | .type + ":" + (.id | tostring) + ":" + .sector] | join(" ")')" "report:$AN:finance"

# advisories are items too
ADV=$(adv_issue "$T_NISC" "$(mkadv amber '.threat_content.summary = "攻撃元 203.0.113.50 を遮断してください"')")
api GET "/observables?value=203.0.113.50" "" "$T_NISC"
eq "NISC's advisory joins the reports" "$(jqv "[.items[] | select(.type == \"advisory\") | .id] | join(\",\")")" "$ADV"
api GET "/correlations?min_sectors=2&days=7" "" "$T_NISC"
eq "an advisory has no sector: still 2 sectors" "$(jqv '.observables[0].sectors | length')" 2
api GET "/reports/$B1R/correlations" "" "$T_NISC"
eq "NISC sees it correlated to bank 1's report" \
    "$(jqv '[.items[] | .type] | sort | join(",")')" "advisory,report,report"
api GET "/reports/$B1R/correlations" "" "$T_B1"
eq "bank 1, not (yet) a reader of the advisory, does not" \
    "$(jqv '[.items[] | .type] | sort | join(",")')" "report"

# the CLI
cli() { CISHARE_URL=http://127.0.0.1:$PORT CISHARE_TOKEN=$1 "$CISHARE" "${@:2}"; }
OUT=$(cli "$T_NISC" observable '２０３［．］０．１１３．５０')
ok "cishare observable normalises and lists the items and sectors" \
    'grep -qx "ipv4 203.0.113.50" <<<"$OUT" && grep -qE "^report $RW1 第1報 +railway" <<<"$OUT" && grep -qE "^4 item\(s\) in 2 sector\(s\): " <<<"$OUT"'
OUT=$(cli "$T_B1" report correlations "$B1R")
ok "cishare report correlations lists what bank 1 may read" \
    'grep -qE "^report $B2R 第1報 +finance .* 203\.0\.113\.50$" <<<"$OUT" && grep -qx "1 correlated item(s) you may read" <<<"$OUT"'
OUT=$(cli "$T_NISC" correlations --min-sectors 2 --days 7)
ok "cishare correlations prints NISC's queue" \
    'grep -qE "^ipv4 +203\.0\.113\.50 +(finance,railway|railway,finance) +4 " <<<"$OUT" && grep -qx "1 observable(s) seen in 2 or more sectors in 7 day(s)" <<<"$OUT"'
OUT=$(cli "$T_NISC" correlations --days 0 2>&1) && fail "cishare correlations --days 0 fails" "$OUT" ||
    ok "cishare correlations --days 0 fails naming days" 'grep -q "days" <<<"$OUT"'

AUD=$(audit_all "$ADMIN")
ok "NISC's look-ups and queue reads are audited" \
    '[ "$(jq "[.[] | select(.action == \"observable.lookup\" or .action == \"correlations.read\")] | length" <<<"$AUD")" -ge 5 ]'
stop_server
