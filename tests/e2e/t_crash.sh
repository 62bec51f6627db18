#!/usr/bin/env bash
# Durability under SIGKILL (issue #5 item 2): six intake loops file
# reports, follow-ups and forwards while the daemon is killed with SIGKILL
# every 3-5 s and restarted on the same database, for CRASH_SECONDS
# (default 45).  Afterwards every acknowledged write must be there: each
# 201'd report readable by its submitter with at least the acknowledged
# number of versions, each 200'd forward's R-number in place, the R-numbers
# NISC lists exactly 1..N (no gap, no duplicate, none on a report NISC has
# not received), PRAGMA integrity_check ok after every crash and at the
# end, and the audit chain verifies.
. "$(dirname "$0")/lib.sh"
start_server

DURATION=${CRASH_SECONDS:-45}
LOOPS=6
SECTORS=(finance electricity gas railway aviation medical)

NISC=$(fast_org "E2E NISC" nisc)
T_NISC=$(fast_principal "$NISC" crash-nisc analyst)
declare -a T_OPR T_LIA
sector_parties E2E crash- "${SECTORS[@]:0:LOOPS}"
for i in $(seq 0 $((LOOPS - 1))); do
	s=${SECTORS[$i]}
	mkform amber "$s" '.overview.event_summary = "crash test report"' |
	    jq -c '{route: "direct", legal_duty: false, form: .}' >"$WORK/direct.$i.json"
	mkform red "$s" |
	    jq -c '{route: "urgent", legal_duty: true, form: .}' >"$WORK/urgent.$i.json"
	mkform amber "$s" '.overview.event_summary = "crash test follow-up"' |
	    jq -c '{form: .}' >"$WORK/followup.$i.json"
done
ok "setup: $LOOPS operators and liaisons" '! grep -q invalid <<<"${T_OPR[*]} ${T_LIA[*]} $T_NISC"'

# The loops read the server's URL from this file before every request.
publish_url() {
	printf '%s\n' "$URL" >"$WORK/url.tmp"
	mv "$WORK/url.tmp" "$WORK/url"
}
publish_url

# post PATH BODY_FILE TOKEN — sets ST (000 when the server is down or died
# mid-request) and RB.
post() {
	local url out=$WORK/loop.$BASHPID.resp rc=0
	IFS= read -r url <"$WORK/url" || url=
	rm -f "$out"
	ST=$(curl -s -o "$out" -w '%{http_code}' --max-time 30 -X POST \
	    -H "Authorization: Bearer $3" -H 'Content-Type: application/json' \
	    ${2:+--data-binary "@$2"} "$url$1" 2>/dev/null) || rc=$?
	[ -n "$ST" ] || ST=000
	# 52 empty reply, 56 connection reset: a kill cut this request off
	[ "$rc" == 52 ] || [ "$rc" == 56 ] && echo "$1" >>"$WORK/cut.$BASHPID"
	RB=
	[ -f "$out" ] && IFS= read -r -d '' RB <"$out"
	return 0
}

# intake K — loop K's log $WORK/acks.K gets one line per acknowledged write:
#   S id route [R]	POST /reports -> 201 (urgent: with its R-number)
#   V id version	POST /reports/id/followups -> 201
#   F id R		POST /reports/id/forward -> 200
intake() {
	local k=$1 n=0 id last='' route
	local log=$WORK/acks.$k
	: >"$log"
	# (a script that dies early removes $WORK, and the loops end with it)
	while [ ! -e "$WORK/stop" ] && [ -e "$WORK/url" ]; do
		n=$((n + 1))
		route=direct
		[ $((n % 5)) == 0 ] && route=urgent
		post /reports "$WORK/$route.$k.json" "${T_OPR[$k]}"
		if [ "$ST" == 201 ] && [[ $RB =~ \"id\":([0-9]+) ]]; then
			id=${BASH_REMATCH[1]}
			[ "$route" == direct ] && last=$id	# urgent ones are RED
			if [ "$route" == urgent ] && [[ $RB =~ \"identification_number\":\"(R[0-9]+)\" ]]; then
				echo "S $id urgent ${BASH_REMATCH[1]}" >>"$log"
			else
				echo "S $id $route" >>"$log"
			fi
			if [ "$route" == direct ] && [ $((n % 2)) == 1 ]; then
				post "/reports/$id/forward" "" "${T_LIA[$k]}"
				if [ "$ST" == 200 ] && [[ $RB =~ \"identification_number\":\"(R[0-9]+)\" ]]; then
					echo "F $id ${BASH_REMATCH[1]}" >>"$log"
				fi
			fi
		elif [ "$ST" == 000 ]; then
			sleep 0.1	# the server is down: wait for the restart
			continue
		else
			echo "E $ST ${RB:0:200}" >>"$WORK/errors.$k"
		fi
		if [ -n "$last" ] && [ $((n % 3)) == 0 ]; then
			post "/reports/$last/followups" "$WORK/followup.$k.json" "${T_OPR[$k]}"
			if [ "$ST" == 201 ] && [[ $RB =~ \"version\":([0-9]+) ]]; then
				echo "V $last ${BASH_REMATCH[1]}" >>"$log"
			elif [ "$ST" != 000 ]; then
				echo "E $ST ${RB:0:200}" >>"$WORK/errors.$k"
			fi
		fi
	done
}

for k in $(seq 0 $((LOOPS - 1))); do
	intake "$k" &
	echo $! >>"$WORK/loop.pids"
done

# sanitizer reports in a killed server's log are findings too
check_killed_log() {
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$1"; then
		fail "killed server ($1) had no sanitizer reports" \
		    "$(grep -m3 -E 'ERROR:|runtime error:' "$1" | tr '\n' ' ')"
		return 1
	fi
}

KILLS=0
BAD_INTEGRITY=0
SAN_BAD=0
END=$((SECONDS + DURATION))
while [ "$SECONDS" -lt "$END" ]; do
	sleep "$((3 + RANDOM % 3)).$((RANDOM % 10))"
	kill -KILL "$SERVER_PID" 2>/dev/null
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=
	KILLS=$((KILLS + 1))
	check_killed_log "$SERVER_ERR" || SAN_BAD=$((SAN_BAD + 1))
	if [ "$CS_STORE" == sqlite ]; then
		# what a restart finds on disk: the database plus a hot WAL
		ic=$(sqlite3 "$DB" 'PRAGMA integrity_check' 2>&1)
		if [ "$ic" != ok ]; then
			BAD_INTEGRITY=$((BAD_INTEGRITY + 1))
			fail "integrity_check after kill $KILLS" "$ic"
		fi
	fi
	serve_db
	publish_url
done
touch "$WORK/stop"
while read -r p; do wait "$p"; done <"$WORK/loop.pids"
eq "no killed server logged a sanitizer report" "$SAN_BAD" 0
[ "$CS_STORE" == sqlite ] &&
    eq "PRAGMA integrity_check ok after each of the $KILLS kills" "$BAD_INTEGRITY" 0
ok "the daemon was killed at least $((DURATION / 8)) times in ${DURATION}s" '[ "$KILLS" -ge $((DURATION / 8)) ]'
CUT=$(cat "$WORK"/cut.* 2>/dev/null | wc -l)

cat "$WORK"/acks.* >"$WORK/acks"
cat "$WORK"/errors.* >"$WORK/errors" 2>/dev/null || : >"$WORK/errors"
eq "no request got an answer other than success (or none, while the server was down)" \
    "$(head -c 300 "$WORK/errors")" ""
NS=$(grep -c '^S ' "$WORK/acks")
NV=$(grep -c '^V ' "$WORK/acks")
NF=$(grep -c '^F ' "$WORK/acks")
ok "the loops got writes acknowledged ($NS reports, $NV follow-ups, $NF forwards)" \
    '[ "$NS" -ge 50 ] && [ "$NV" -ge 10 ] && [ "$NF" -ge 10 ]'

# ---- every acknowledged report and version, read by its submitter ---------

# expected: "id min_versions" (the highest acknowledged version of each)
awk '$1 == "S" { if (!($2 in v)) v[$2] = 1 }
     $1 == "V" { if (!($2 in v) || $3 > v[$2]) v[$2] = $3 }
     END { for (id in v) print id, v[id] }' "$WORK/acks" | sort -n >"$WORK/expected"
# read_back K — GET /reports/{id} for each of loop K's reports as its
# submitter, 100 to a connection: "id status" lines to $WORK/st.K and, from
# the bodies, "id version_count" lines to $WORK/vc.K.  The loops'
# operators read in parallel.
read_back() {
	local k=$1 id j
	local -a ids batch args
	mapfile -t ids < <(awk '$1 == "S" {print $2}' "$WORK/acks.$k" | sort -un)
	: >"$WORK/st.$k"
	for ((j = 0; j < ${#ids[@]}; j += 100)); do
		batch=("${ids[@]:j:100}")
		args=(-s --max-time 120 -H "Authorization: Bearer ${T_OPR[$k]}" -w '%{http_code}\n')
		for id in "${batch[@]}"; do
			args+=(-o "$WORK/rb.$k.$id" "$URL/reports/$id")
		done
		paste -d' ' <(printf '%s\n' "${batch[@]}") <(curl "${args[@]}" 2>/dev/null) >>"$WORK/st.$k"
	done
	cat "$WORK/rb.$k".* 2>/dev/null | jq -r 'select(.id != null) | "\(.id) \(.version_count)"' >"$WORK/vc.$k"
}
for k in $(seq 0 $((LOOPS - 1))); do
	read_back "$k" &
done
wait_jobs
cat "$WORK"/st.* | sort -k1,1 >"$WORK/st"
cat "$WORK"/vc.* | sort -k1,1 >"$WORK/vc"
eq "each of the $NS acknowledged reports is read back by its submitter (200)" \
    "$(awk '$2 != 200' "$WORK/st" | head -5)" ""
eq "each has at least its acknowledged versions ($NV follow-ups)" \
    "$(join -a2 -e none -o 0,1.2,2.2 "$WORK/vc" <(sort -k1,1 "$WORK/expected") |
       awk '$2 == "none" || $2 < $3' | head -5)" ""
eq "every acknowledged report was checked" "$(wc -l <"$WORK/vc")" "$(wc -l <"$WORK/expected")"

# ---- R-numbers ---------------------------------------------------------------

: >"$WORK/nisc"
cursor=
while :; do
	api GET "/reports?limit=500${cursor:+&cursor=$cursor}" "" "$T_NISC"
	[ "$STATUS" == 200 ] || { fail "NISC lists its reports" "$(last_req)"; break; }
	jqv '.items[] | "\(.id) \(.identification_number // "-")"' >>"$WORK/nisc"
	cursor=$(jqv '.next_cursor // empty')
	[ -n "$cursor" ] || break
done
NR=$(awk '$2 != "-"' "$WORK/nisc" | wc -l)
eq "the R-numbers NISC lists are R1..R$NR, each once" \
    "$(awk '$2 != "-" {print $2}' "$WORK/nisc" | sort -V | paste -sd,)" \
    "$(seq -f 'R%g' 1 "$NR" | paste -sd,)"
eq "the database numbers no report NISC does not list" \
    "$(db_sql 'SELECT r_number FROM reports WHERE r_number IS NOT NULL ORDER BY r_number' | paste -sd,)" \
    "$(seq 1 "$NR" | paste -sd,)"
eq "each acknowledged forward and urgent report has the R-number it was answered with" \
    "$(awk '$1 == "F" {print $2, $3} $1 == "S" && $3 == "urgent" {print $2, $4}' "$WORK/acks" |
       sort | join - <(sort "$WORK/nisc") | awk '$2 != $3' | head -5)" ""
eq "and NISC lists every one of them" \
    "$(awk '$1 == "F" {print $2} $1 == "S" && $3 == "urgent" {print $2}' "$WORK/acks" | sort -u |
       join -v1 - <(awk '{print $1}' "$WORK/nisc" | sort -u) | head -5)" ""
NUM=$(awk '$1 == "F" || ($1 == "S" && $3 == "urgent")' "$WORK/acks" | wc -l)

# ---- audit chain and file integrity --------------------------------------------

api GET /audit/verify "" "$ADMIN"
eq "the audit chain verifies after $KILLS crashes" "$(jqv .ok)" true
stop_server
if [ "$CS_STORE" == sqlite ]; then
	eq "PRAGMA integrity_check after the last stop" "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok
fi
printf 'INFO: %s: %d kills in %ds, %d requests cut off mid-flight; checked %d acknowledged writes (%d reports, %d follow-ups, %d forwards; %d R-numbers answered, R1..R%d present)\n' \
    "$TEST_NAME" "$KILLS" "$DURATION" "$CUT" "$((NS + NV + NF))" "$NS" "$NV" "$NF" "$NUM" "$NR" >&3
