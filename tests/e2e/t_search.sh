#!/usr/bin/env bash
# GET /reports?q= searches every version the caller may read (a word of the
# 第1報 still finds the series after a 第2報 without it), after NFKC and case
# folding (half-width katakana, full-width Latin), and never an item the
# caller may not read.
. "$(dirname "$0")/lib.sh"
start_server

orgs "Q " <<'EOF2'
FSA	ci_ministry	["finance"]	-	金融庁
BANK	ci_operator	["finance"]	-	みなと銀行
BANK2	ci_operator	["finance"]	-	さくら銀行
EOF2
tokens <<'EOF2'
T_FSA	FSA	q-fsa	liaison
T_BANK	BANK	q-bank	member
T_BANK2	BANK2	q-bank2	member
EOF2

F1=$(mkform amber finance '.overview.event_summary = "ランサムウェアによりVPN装置が停止"')
R=$(submit "$T_BANK" direct "$F1")
F2=$(mkform amber finance '.overview.event_summary = "復旧作業中。影響範囲を調査"')
followup "$T_BANK" "$R" "$F2" >/dev/null
OTHER=$(submit "$T_BANK2" direct "$(mkform amber finance '.overview.event_summary = "ランサムウェア感染の疑い"')")

q() { # TOKEN TEXT -> ids
	api GET "/reports?q=$(jq -rn --arg s "$2" '$s|@uri')" "" "$1"
	jqv '[.items[].id] | sort | join(",")'
}
eq "a word only in the 第1報 finds the series" "$(q "$T_BANK" ランサムウェア)" "$R"
eq "half-width katakana finds it (NFKC)" "$(q "$T_BANK" ﾗﾝｻﾑｳｪｱ)" "$R"
eq "full-width Latin finds VPN" "$(q "$T_BANK" ＶＰＮ)" "$R"
eq "lower case finds VPN" "$(q "$T_BANK" vpn)" "$R"
eq "the 第2報's words find it too" "$(q "$T_BANK" 影響範囲)" "$R"
eq "a one-character search still works" "$(q "$T_BANK" 停)" "$R"
eq "the ministry finds both banks' reports" "$(q "$T_FSA" ランサムウェア)" "$(printf '%s\n' "$R" "$OTHER" | sort -n | paste -sd,)"
eq "another bank never finds a report it may not read" "$(q "$T_BANK2" VPN)" ""
eq "nothing matches a word in no version" "$(q "$T_BANK" 地震)" ""
stop_server
