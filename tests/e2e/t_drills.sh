#!/usr/bin/env bash
# CEPTOAR drills (issue 13, item 3; API.md "Operating modes", Drills): NISC
# creates a drill and issues an advisory marked with it; three ministries
# relay it to five CEPTOARs and they to their fifty members, of whom some
# never acknowledge.  The drill report gives every hop's latency and the
# list of those that never responded, without a spreadsheet; drill items are
# marked "drill" everywhere, never appear in production inboxes, and drill
# reports never count in statistics.
. "$(dirname "$0")/lib.sh"
start_server

orgs "X " <<'EOF2'
NISC	nisc		[]			-	NISC
MF	ci_ministry	["finance"]		-	金融庁
ME	ci_ministry	["electricity","gas"]	-	経済産業省
MR	ci_ministry	["railway"]		-	国土交通省
EOF2
tokens <<'EOF2'
T_NISC	NISC	x-nisc	analyst
T_MF	MF	x-mf	liaison
T_ME	ME	x-me	liaison
T_MR	MR	x-mr	liaison
EOF2
# five CEPTOARs: finance, electricity, gas, railway x2; ten members each
declare -A CEP_TOKEN CEP_MIN MEMBERS
i=0
for spec in "finance MF" "electricity ME" "gas ME" "railway MR" "railway MR"; do
	set -- $spec
	i=$((i + 1))
	c=$(mkorg "X セプター$i" ceptoar_secretariat "[\"$1\"]")
	CEP_TOKEN[$c]=$(principal "$c" "x-cep$i" poc)
	CEP_MIN[$c]=$2
	m=""
	for k in $(seq 1 10); do
		o=$(mkorg "X 事業者$i-$k" ci_operator "[\"$1\"]" "$c")
		t=$(principal "$o" "x-op$i-$k" member)
		m+="$o:$t "
	done
	MEMBERS[$c]=$m
done
CEPS=$(printf '%s\n' "${!CEP_TOKEN[@]}" | sort -n | paste -sd,)

api POST /drills "{\"name\": \"x\", \"targets\": [999999]}" "$T_NISC"
expect_error targets.0 400 "an unknown target -> 400 targets.0"
api POST /drills "{\"name\": \"令和8年度 セプター訓練\", \"scenario\": \"ランサムウェアの情報提供の伝達訓練\", \"targets\": [$CEPS]}" "${CEP_TOKEN[${CEPS%%,*}]}"
expect_error "" 403 "a CEPTOAR cannot create a drill"
api POST /drills "{\"name\": \"令和8年度 セプター訓練\", \"scenario\": \"ランサムウェアの情報提供の伝達訓練\", \"targets\": [$CEPS]}" "$T_NISC"
expect_status 201 "NISC creates a drill for five CEPTOARs"
DRILL=$(jqv .id)

FORM=$(mkadv amber ".recipients = [{ministry: $MF, sector: \"finance\"}, {ministry: $ME, sector: \"electricity\"},
    {ministry: $ME, sector: \"gas\"}, {ministry: $MR, sector: \"railway\"}]")
api POST /advisories "$(jq -nc --argjson f "$FORM" --argjson d "$DRILL" '{form: $f, drill: $d}')" "$T_NISC"
expect_status 201 "NISC issues the drill's advisory"
A=$(jqv .id)
api GET "/advisories/$A" "" "$T_NISC"
eq "the advisory is marked as the drill's" "$(jqv .drill)" "$DRILL"
api GET "/advisories/$A/stix" "" "$T_NISC"
eq "its STIX report carries the drill label" "$(jqv '[.objects[] | select(.type == "report") | .labels[]] | index("drill") != null')" true

# the relay: each ministry to its CEPTOARs, each CEPTOAR to its members
for min in MF ME MR; do
	tok=T_$min
	to=$(for c in "${!CEP_MIN[@]}"; do [ "${CEP_MIN[$c]}" == "$min" ] && echo "$c"; done | paste -sd,)
	api POST "/advisories/$A/relay" "{\"to\": [$to]}" "${!tok}"
	expect_status 200 "ministry $min relays to its CEPTOARs"
	api POST "/advisories/$A/ack" '{}' "${!tok}" >/dev/null
done
n=0
SILENT=()
for c in $(printf '%s\n' "${!CEP_TOKEN[@]}" | sort -n); do
	to=$(for m in ${MEMBERS[$c]}; do echo "${m%%:*}"; done | paste -sd,)
	api POST "/advisories/$A/relay" "{\"to\": [$to]}" "${CEP_TOKEN[$c]}"
	expect_status 200 "CEPTOAR $c relays to its ten members"
	api POST "/advisories/$A/ack" '{}' "${CEP_TOKEN[$c]}" >/dev/null
	k=0
	for m in ${MEMBERS[$c]}; do
		k=$((k + 1))
		# the last two members of each CEPTOAR never acknowledge
		if [ $k -le 8 ]; then
			api POST "/advisories/$A/ack" '{}' "${m#*:}" >/dev/null
			n=$((n + 1))
		else
			SILENT+=("${m%%:*}")
		fi
	done
done
eq "40 members acknowledged" "$n" 40

# production inboxes never show it
M1=${MEMBERS[${CEPS%%,*}]%% *}
api GET /inbox "" "${M1#*:}"
eq "a member's production inbox does not hold the drill advisory" "$(jqv "[.items[].id] | index($A)")" null
api GET "/inbox?drill=$DRILL" "" "${M1#*:}"
eq "the drill inbox holds it, marked" "$(jqv "[.items[] | select(.id == $A) | .drill] | first")" "$DRILL"

# the drill report
api GET "/drills/$DRILL/report" "" "$T_NISC"
expect_status 200 "NISC reads the drill report"
R=$BODY
eq "every hop delivered: 3 ministries + 5 CEPTOARs + 50 members" "$(jq '.advisories[0].deliveries | length' <<<"$R")" 58
eq "no response: exactly the ten silent members" \
    "$(jq -c '.no_response | sort' <<<"$R")" "$(printf '%s\n' "${SILENT[@]}" | sort -n | jq -sc .)"
eq "each CEPTOAR: 8 of 10 members acknowledged" \
    "$(jq -c '[.advisories[0].ceptoars[] | [.members, .acknowledged, .completion]] | unique' <<<"$R")" "[[10,8,0.8]]"
ok "each CEPTOAR's completion curve rises to 0.8" \
    'jq -e "[.advisories[0].ceptoars[] | (.curve | length == 8 and .[-1].completion == 0.8)] | all" <<<"$R" >/dev/null'
ok "every delivery has its hop latency" 'jq -e "[.advisories[0].deliveries[] | .hop_latency_s != null] | all" <<<"$R" >/dev/null'
eq "every target was reached" "$(jq -c .not_reached <<<"$R")" "[]"
api GET "/drills/$DRILL/report" "" "$T_MF"
expect_error "" 404 "for a ministry no drill exists: 404"
# the same as CSV
CSV=$(curl -s -D "$WORK/csv.h" -H "Authorization: Bearer $T_NISC" "$URL/drills/$DRILL/report.csv?bom=1")
ok "GET /drills/{id}/report.csv: text/csv, an attachment" 'grep -qi "^content-type: text/csv" "$WORK/csv.h" && grep -qi "^content-disposition: attachment" "$WORK/csv.h"'
ok "it starts with the BOM and the header" '[[ "$CSV" == $'"'"'\xef\xbb\xbfadvisory,org,org_type,from,via'"'"'* ]]'
eq "a row per hop (58) and the header" "$(printf '%s\n' "$CSV" | grep -c .)" 59
eq "the silent members are the rows marked no_response" "$(printf '%s' "$CSV" | tr -d '\r' | awk -F, '$NF == "true" { print $2 }' | sort -n | jq -Rsc 'split("\n") | map(select(length > 0) | tonumber)')" "$(printf '%s\n' "${SILENT[@]}" | sort -n | jq -sc .)"
CODE=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $T_MF" "$URL/drills/$DRILL/report.csv")
eq "for a ministry the CSV does not exist either: 404" "$CODE" 404

# the CLI
cli() { CISHARE_URL=http://127.0.0.1:$PORT CISHARE_TOKEN=$1 "$CISHARE" "${@:2}"; }
OUT=$(cli "$T_NISC" drill report "$DRILL")
ok "cishare drill report prints the hops and who never responded" \
    'grep -qE "^ADVISORY +ORG +FROM +VIA +HOP_S +ACK_S$" <<<"$OUT" && grep -q "^no response: $(jq -r ".no_response | join(\" \")" <<<"$R")$" <<<"$OUT"'
OUT=$(cli "$T_NISC" drill list)
ok "cishare drill list" 'grep -qE "^$DRILL +令和8年度 セプター訓練 " <<<"$OUT"'
OUT=$(cli "$T_NISC" drill create "追加訓練" --target "${CEPS%%,*}")
ok "cishare drill create" 'grep -qE "^drill [0-9]+$" <<<"$OUT"'

# drill reports never count in statistics
OPF=${MEMBERS[${CEPS%%,*}]%% *}
IOC='.overview.event_summary = "C2 198.51.100.77 への通信"'
api POST /reports "$(jq -nc --argjson f "$(mkform amber finance "$IOC")" --argjson d "$DRILL" '{route: "direct", legal_duty: false, form: $f, drill: $d}')" "${OPF#*:}"
expect_status 201 "a member files a drill report"
RD=$(jqv .id)
api GET "/stats?group=sector" "" "$T_MF"
eq "the ministry's statistics leave the drill report out (not even a suppressed cell)" "$(jqv '[.total, .suppressed] | join(",")')" "0,0"
# ... and a production report naming the same address: no correlation with the drill's
api POST /reports "$(jq -nc --argjson f "$(mkform amber finance "$IOC")" '{route: "direct", legal_duty: false, form: $f}')" "${OPF#*:}"
expect_status 201 "the member files a production report with the same address"
RP=$(jqv .id)
api GET "/reports/$RP/correlations" "" "${OPF#*:}"
eq "the production report finds its address" "$(jqv '[.observables[].value] | index("198.51.100.77") != null')" true
eq "the drill report never correlates with it" "$(jqv "[.items[].id] | index($RD)")" null
api GET "/reports/$RD/correlations" "" "${OPF#*:}"
eq "nor the production report with the drill's" "$(jqv "[.items[].id] | index($RP)")" null
api GET "/reports/$RD" "" "${OPF#*:}"
eq "the report is marked as the drill's" "$(jqv .drill)" "$DRILL"
api GET "/reports/$RD/stix" "" "${OPF#*:}"
eq "its STIX incident carries the drill label" "$(jqv '[.objects[] | select(.type == "incident") | .labels[]?] | index("drill") != null')" true
api POST /reports "$(jq -nc --argjson f "$(mkform amber finance)" '{route: "direct", legal_duty: false, form: $f, drill: 999999}')" "${OPF#*:}"
expect_error drill 400 "an unknown drill -> 400 drill"
stop_server
