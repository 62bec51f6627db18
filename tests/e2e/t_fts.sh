#!/usr/bin/env bash
# GET /search (issue 12 item 5): full-text search over every version the
# caller may read, reports and advisories, from the index (SQLite FTS5
# trigram, PostgreSQL pg_trgm: run with CS_STORE=pg too, the expectations
# are the same).  A word only in a 第1報; Japanese words of 2 and 3+
# characters; half-width katakana and full-width Latin; highlights in code
# points; ranking (versions that match, then the newest); paging; a hit in
# an invisible report changes nothing; an anonymised report's source text
# is never found by the ministry or NISC; GET /reports?q= agrees.  On
# SQLite all of it while nothing is in the trigram index yet (the indexer
# held back by a test hook: every row found by the scan of the pending
# list); then a kill -9 with every row pending, and after the restart the
# indexer has indexed them all and the answers are the same throughout.
. "$(dirname "$0")/lib.sh"
export CISHARED_TEST_INDEX_DELAY_MS=3600000
start_server

orgs "F " <<'EOF2'
NISC	nisc			[]		-	NISC
MIN	ci_ministry		["finance"]	-	金融庁
CEP	ceptoar_secretariat	["finance"]	-	銀行等CEPTOAR
BANK	ci_operator		["finance"]	-	みなと銀行
BANK2	ci_operator		["finance"]	-	さくら銀行
EOF2
ORGNAME="Zq9北辰銀行"
OP=$(mkorg "$ORGNAME" ci_operator '["finance"]' "$CEP")
tokens <<'EOF2'
T_NISC	NISC	f-nisc	analyst
T_MIN	MIN	f-fsa	liaison
T_CEP	CEP	f-cep	poc
T_BANK	BANK	f-bank	member
T_BANK2	BANK2	f-bank2	member
T_OP	OP	f-op	member
EOF2

uri() { jq -rn --arg s "$1" '$s|@uri'; }
# s TOKEN TEXT [EXTRA_QUERY] -> the /search body in $BODY
s() { api GET "/search?q=$(uri "$2")${3:+&$3}" "" "$1"; }
# ids TOKEN TEXT [EXTRA_QUERY] -> "type:id,..." in rank order
ids() {
	s "$@"
	[ "$STATUS" == 200 ] || { echo "HTTP$STATUS"; return; }
	jqv '[.items[] | "\(.type):\(.id)"] | join(",")'
}

# R: the word ランサムウェア only in its 第1報
R=$(submit "$T_BANK" direct "$(mkform amber finance '.overview.event_summary = "ランサムウェアによりＶＰＮ装置が停止"')")
followup "$T_BANK" "$R" "$(mkform amber finance '.overview.event_summary = "復旧作業中。障害の影響範囲を調査"')" >/dev/null

eq "a word only in the 第1報 finds the series" "$(ids "$T_BANK" ランサムウェア)" "report:$R"
s "$T_BANK" ランサムウェア
eq "its snippet is from version 1" "$(jqv '.items[0].snippets[0].version')" 1
eq "the snippet names the field" "$(jqv '.items[0].snippets[0].field')" form.overview.event_summary
eq "the snippet's text is the field's" "$(jqv '.items[0].snippets[0].text')" "ランサムウェアによりＶＰＮ装置が停止"
eq "the match is highlighted in code points" "$(jqv '.items[0].snippets[0].highlights | map("\(.start)-\(.end)") | join(",")')" 0-7
eq "the item shows the newest version's summary" "$(jqv '.items[0].summary')" "復旧作業中。障害の影響範囲を調査"
eq "the item is version 2, rank 1" "$(jqv '"\(.items[0].version) \(.items[0].rank)"')" "2 1"
eq "no HTML in the answer" "$(grep -c '<' <<<"$BODY")" 0
eq "a two-character Japanese word (障害)" "$(ids "$T_BANK" 障害)" "report:$R"
eq "a three-character word (装置が)" "$(ids "$T_BANK" 装置が)" "report:$R"
eq "half-width katakana finds it (NFKC)" "$(ids "$T_BANK" ﾗﾝｻﾑｳｪｱ)" "report:$R"
s "$T_BANK" ﾗﾝｻﾑｳｪｱ
eq "  and highlights the full-width original" "$(jqv '.items[0].snippets[0].highlights | map("\(.start)-\(.end)") | join(",")')" 0-7
eq "lower-case Latin finds full-width ＶＰＮ" "$(ids "$T_BANK" vpn)" "report:$R"
s "$T_BANK" vpn
eq "  highlighted where it stands" "$(jqv '.items[0].snippets[0].highlights | map("\(.start)-\(.end)") | join(",")')" 10-13
eq "full-width Latin finds it too" "$(ids "$T_BANK" ＶＰＮ)" "report:$R"
eq "one character" "$(ids "$T_BANK" 停)" "report:$R"
eq "nothing matches a word in no version" "$(ids "$T_BANK" 地震)" ""
s "$T_BANK" 地震
eq "  and the answer has no next cursor" "$(jqv '.next_cursor')" null

# invisibility: BANK's answer is byte for byte the same once BANK2 files
# reports (more matches, in more versions) it may not read
BEFORE=$(s "$T_BANK" ランサムウェア && echo "$BODY")
O1=$(submit "$T_BANK2" direct "$(mkform amber finance '.overview.event_summary = "ランサムウェア感染の疑い"')")
followup "$T_BANK2" "$O1" "$(mkform amber finance '.overview.event_summary = "ランサムウェア駆除中"')" >/dev/null
AFTER=$(s "$T_BANK" ランサムウェア && echo "$BODY")
eq "a hit in an invisible report changes nothing" "$AFTER" "$BEFORE"
eq "  nor a page of one" "$(ids "$T_BANK" ランサムウェア limit=1)" "report:$R"
s "$T_BANK" ランサムウェア limit=1
eq "  nor its cursor" "$(jqv '.next_cursor')" null
eq "another bank never finds a report it may not read" "$(ids "$T_BANK2" VPN)" ""

# ranking: two matching versions first, then the newest
R3=$(submit "$T_BANK" direct "$(mkform amber finance '.overview.event_summary = "ランサムウェア検知"')")
followup "$T_BANK" "$R3" "$(mkform amber finance '.overview.event_summary = "ランサムウェア駆除完了"')" >/dev/null
R4=$(submit "$T_BANK" direct "$(mkform amber finance '.overview.event_summary = "別件：ランサムウェアの予兆"')")
eq "ranked: versions that match, then the newest" "$(ids "$T_MIN" ランサムウェア)" "report:$R3,report:$O1,report:$R4,report:$R"
s "$T_MIN" ランサムウェア
eq "  with their ranks" "$(jqv '[.items[].rank] | join(",")')" "2,2,1,1"
P1=$(ids "$T_MIN" ランサムウェア limit=3)
s "$T_MIN" ランサムウェア limit=3
C1=$(jqv .next_cursor)
P2=$(ids "$T_MIN" ランサムウェア "limit=3&cursor=$C1")
eq "pages follow the same order" "$P1,$P2" "report:$R3,report:$O1,report:$R4,report:$R"
s "$T_MIN" ランサムウェア "limit=3&cursor=$C1"
eq "  and the last page has no cursor" "$(jqv .next_cursor)" null
eq "GET /reports?q= agrees (same reports)" \
    "$(api GET "/reports?q=$(uri ランサムウェア)" "" "$T_MIN"; jqv '[.items[].id] | sort | join(",")')" \
    "$(printf '%s\n' "$R" "$O1" "$R3" "$R4" | sort -n | paste -sd,)"

# an anonymised report: its source text (sealed) is never found
C=$(submit "$T_OP" via_ceptoar "$(mkform green finance ".affected_operator_name = \"$ORGNAME\"
    | .overview.event_summary = \"弊社（$ORGNAME）でランサムウェア zq9clear\"")")
forward "$T_CEP" "$C" && forward "$T_MIN" "$C"
for who in T_MIN T_NISC; do
	eq "$who does not find the operator's name" "$(ids "${!who}" "$ORGNAME")" ""
	eq "$who does not find it folded either" "$(ids "${!who}" "zq9北辰")" ""
	eq "$who finds the report by its clear text" "$(ids "${!who}" zq9clear)" "report:$C"
	s "${!who}" zq9clear
	ok "$who's snippet holds no identity" '! grep -qF "北辰" <<<"$BODY" && grep -qF "［匿名化］" <<<"$BODY"'
done
eq "the secretariat finds it by its clear text" "$(ids "$T_CEP" zq9clear)" "report:$C"
# a report still at the CEPTOAR: its text is only sealed (nothing in the index)
C2=$(submit "$T_OP" via_ceptoar "$(mkform green finance '.overview.event_summary = "zq9pending 不正送金の兆候"')")
eq "the secretariat finds a report still at the CEPTOAR (sealed text, not indexed)" "$(ids "$T_CEP" zq9pending)" "report:$C2"
eq "  folded too" "$(ids "$T_CEP" ＺＱ９ＰＥＮＤＩＮＧ)" "report:$C2"
eq "  and GET /reports?q= agrees" "$(api GET "/reports?q=zq9pending" "" "$T_CEP"; jqv '[.items[].id] | join(",")')" "$C2"
eq "the ministry does not (not on its path)" "$(ids "$T_MIN" zq9pending)" ""
eq "the source finds its own through ?anonymised=mine" "$(api GET "/reports?anonymised=mine&q=zq9pending" "" "$T_OP"; jqv '[.items[].id] | join(",")')" "$C2"
eq "  not through /search (kept apart)" "$(ids "$T_OP" zq9pending)" ""

# advisories
A=$(adv_issue "$T_NISC" "$(mkadv amber '.threat_content.summary = "ランサムウェアの注意喚起"')")
eq "an advisory is found" "$(ids "$T_NISC" 注意喚起)" "advisory:$A"
s "$T_NISC" 注意喚起
eq "  with its summary and sectors" "$(jqv '"\(.items[0].summary) \(.items[0].sectors | join("+"))"')" "ランサムウェアの注意喚起 finance+electricity"
eq "type=advisory keeps the advisories" "$(ids "$T_NISC" ランサムウェア type=advisory)" "advisory:$A"
ok "both kinds without a type" '[ "$(ids "$T_NISC" ランサムウェア | tr , "\n" | cut -d: -f1 | sort -u | paste -sd,)" == advisory,report ]'
eq "type=report keeps the reports" "$(ids "$T_NISC" 注意喚起 type=report)" ""
eq "a bank not delivered the advisory does not find it" "$(ids "$T_BANK2" 注意喚起)" ""

# the CLI
cli() { CISHARE_URL=http://127.0.0.1:$PORT CISHARE_TOKEN=$1 "$CISHARE" "${@:2}"; }
OUT=$(cli "$T_BANK" search ﾗﾝｻﾑｳｪｱ 2>&1)
ok "cishare search lists the report" 'grep -q "^report $R .*TLP:amber finance rank 1" <<<"$OUT"'
ok "  with the match marked in its snippet" 'grep -qF "  v1 form.overview.event_summary: «ランサムウェア»によりＶＰＮ装置が停止" <<<"$OUT"'
ok "  and the count" 'grep -qx "3 result(s)" <<<"$OUT"'
OUT=$(cli "$T_NISC" search ランサムウェア --type advisory 2>&1)
ok "cishare search --type advisory" 'grep -q "^advisory $A " <<<"$OUT" && ! grep -q "^report" <<<"$OUT"'
OUT=$(cli "$T_MIN" search ランサムウェア --limit 1 --all 2>&1)
N=$(ids "$T_MIN" ランサムウェア limit=500 | tr , '\n' | grep -c .)
ok "cishare search --all follows every page ($N)" 'grep -qx "$N result(s)" <<<"$OUT"'
OUT=$(cli "$T_MIN" search ランサムウェア --type share 2>&1)
ok "cishare search --type checks the value" '[ $? -ne 0 ] || grep -q "report" <<<"$OUT"'
OUT=$(cli "$T_MIN" --json search 障害 2>&1)
eq "cishare --json search prints the answer" "$(jq -r '.items[0].id' <<<"$OUT")" "$R"

# bad queries
bad "GET /search without q" 400 q GET "/search" "$T_BANK"
bad "GET /search with an empty q" 400 q GET "/search?q=" "$T_BANK"
bad "GET /search with white space only" 400 q GET "/search?q=%20%20" "$T_BANK"
bad "GET /search with 257 characters" 400 q GET "/search?q=$(printf 'あ%.0s' $(seq 257) | jq -sRr @uri)" "$T_BANK"
api GET "/search?q=$(printf 'あ%.0s' $(seq 256) | jq -sRr @uri)" "" "$T_BANK"
expect_status 200 "256 characters are fine"
bad "GET /search with an unknown type" 400 type GET "/search?q=a&type=share" "$T_BANK"
bad "GET /search with a bad cursor" 400 cursor GET "/search?q=a&cursor=c12" "$T_BANK"
bad "GET /search with a bad limit" 400 limit GET "/search?q=a&limit=0" "$T_BANK"
api GET "/search?q=a" ""
expect_status 401 "GET /search needs a login"

# SQLite's asynchronous indexer: everything above was answered with every
# row still pending; killed with -9 so, the restarted daemon indexes them
# (the answers the same before, during and after)
pending() { db_sql "SELECT count(*) FROM search_pending"; }
answers() {
	for q in ランサムウェア ﾗﾝｻﾑｳｪｱ 障害 停 zq9clear 注意喚起 "$ORGNAME"; do
		ids "$T_MIN" "$q"; ids "$T_BANK" "$q"; ids "$T_NISC" "$q"
	done
}
if [ "$CS_STORE" != pg ]; then
	eq "nothing was indexed yet (every row pending)" "$(pending)" "$(db_sql "SELECT count(*) FROM search_docs")"
	ok "  and the trigram index is empty" '[ "$(db_sql "SELECT count(*) FROM search_fts WHERE search_fts MATCH '"'\"ランサ\"'"'")" == 0 ]'
fi
A0=$(answers)
kill -KILL "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=
unset CISHARED_TEST_INDEX_DELAY_MS
serve_db
eq "after kill -9 and a restart: the same answers at once" "$(answers)" "$A0"
if [ "$CS_STORE" != pg ]; then
	for _ in $(seq 1 100); do [ "$(pending)" == 0 ] && break; sleep 0.1; done
	eq "the indexer indexed what the killed daemon left pending" "$(pending)" 0
	ok "  into the trigram index" '[ "$(db_sql "SELECT count(*) FROM search_fts WHERE search_fts MATCH '"'\"ランサ\"'"'")" -gt 0 ]'
	ok "  whole (FTS5 integrity-check)" 'db_sql "INSERT INTO search_fts(search_fts) VALUES ('"'integrity-check'"')"'
fi
eq "  and the answers are the same from the index" "$(answers)" "$A0"
R5=$(submit "$T_BANK" direct "$(mkform amber finance '.overview.event_summary = "zq9fresh ランサムウェア"')")
eq "a report is found the moment its POST returned" "$(ids "$T_BANK" zq9fresh)" "report:$R5"
stop_server

# migration 12's backfill: an index emptied as a database written before it
# would have it is rebuilt by the next `cishared init`, row for row
N0=$(db_sql "SELECT count(*) FROM search_docs")
if [ "$CS_STORE" == pg ]; then
	db_sql "DELETE FROM search_docs; UPDATE meta SET value = 'pending' WHERE key = 'search_backfill'"
else
	db_sql "DELETE FROM search_docs; INSERT INTO search_fts(search_fts) VALUES('delete-all'); UPDATE meta SET value = 'pending' WHERE key = 'search_backfill'"
fi
eq "the index emptied" "$(db_sql "SELECT count(*) FROM search_docs")" 0
init_db "$DB"
eq "init runs the backfill" "$INIT_RC" 0
eq "  which indexes every version stored in clear again" "$(db_sql "SELECT count(*) FROM search_docs")" "$N0"
eq "  once" "$(db_sql "SELECT value FROM meta WHERE key = 'search_backfill'")" done
serve_db
eq "found again after the backfill (a word of a 第1報)" "$(ids "$T_BANK" ﾗﾝｻﾑｳｪｱ)" "report:$R3,report:$R5,report:$R4,report:$R"
eq "  an advisory too" "$(ids "$T_NISC" 注意喚起)" "advisory:$A"
eq "  and still not an anonymised report's source text" "$(ids "$T_NISC" "$ORGNAME")" ""
stop_server
