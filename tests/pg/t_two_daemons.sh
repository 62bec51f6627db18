#!/usr/bin/env bash
# t_two_daemons.sh [BUILD_DIR]: two `cishared serve` processes on one
# PostgreSQL database.  40 direct reports are forwarded by 8 ministries at
# once, half through each daemon: the R-numbers must be exactly R1..R40.
# Then 4 reports are each forwarded through both daemons at the same
# moment (one 200, one 409, each numbered once: R41..R44); then 48 reports
# are filed through both daemons at once (intake is not serialised across
# daemons: store_begin_add), and the audit hash chain must verify on both
# daemons.
#
# The database: $CS_PG_URL if set (it is emptied first with reset.sh),
# else a throwaway cluster from start.sh, stopped at the end.
# Uses the helpers of tests/e2e/lib.sh; prints PASS/FAIL lines and a count.
PG_DIR=$(cd "$(dirname "$0")" && pwd)
. "$PG_DIR/lib.sh"
pg_use_build "${1:-$PG_DIR/../../build}"
. "$PG_DIR/../e2e/lib.sh"

CLUSTER=
if [ -z "${CS_PG_URL:-}" ]; then
	CLUSTER=$(mktemp -d /tmp/cishare-pg.XXXXXX)
	CS_PG_URL=$("$PG_DIR/start.sh" "$CLUSTER") || { fail "start a PostgreSQL cluster"; exit 1; }
fi
S1_PID=
pg_exit() {
	local rc=$?
	if [ -n "$S1_PID" ]; then
		local keep_pid=$SERVER_PID keep_err=$SERVER_ERR keep_n=$SERVER_N
		SERVER_PID=$S1_PID SERVER_ERR=$S1_ERR SERVER_N=1
		S1_PID=
		stop_server
		SERVER_PID=$keep_pid SERVER_ERR=$keep_err SERVER_N=$keep_n
	fi
	stop_server
	if [ -n "$CLUSTER" ]; then
		"$PG_DIR/stop.sh" "$CLUSTER"
		rm -rf "$CLUSTER"
	fi
	(exit "$rc")
	e2e_exit
}
trap pg_exit EXIT

# wait_clients — like wait_jobs, but neither daemon is waited for.
wait_clients() {
	local p
	for p in $(jobs -p); do
		[ "$p" == "$SERVER_PID" ] || [ "$p" == "$S1_PID" ] || wait "$p"
	done
}

"$PG_DIR/reset.sh" "$CS_PG_URL" || { fail "reset the database"; exit 1; }
export CISHARED_KEY_FILE=$WORK/master.key
init_db "$CS_PG_URL"
ok "cishared init on PostgreSQL prints an admin token" '[ "$INIT_RC" = 0 ] && [ -n "$ADMIN" ]'
[ -n "$ADMIN" ] || exit 1
serve_db "$CS_PG_URL"
S1_PID=$SERVER_PID S1_ERR=$SERVER_ERR U1=$URL
serve_db "$CS_PG_URL"
U2=$URL
ok "two daemons on two ports" '[ "$U1" != "$U2" ]'

URL=$U1
SECTORS=(finance electricity gas railway aviation medical water logistics)
declare -a T_LIA T_OPR
sector_parties PG pg- "${SECTORS[@]}"
NISC=$(mkorg "PG NISC" nisc '[]')
T_NISC=$(principal "$NISC" pg-nisc-analyst analyst)

# 5 direct reports per sector, filed alternately through each daemon
declare -a REPS
for i in "${!SECTORS[@]}"; do
	for k in 0 1 2 3 4; do
		n=$((i * 5 + k))
		if [ $((n % 2)) = 0 ]; then URL=$U1; else URL=$U2; fi
		REPS[$n]=$(submit "${T_OPR[$i]}" direct "$(mkform amber "${SECTORS[$i]}")")
	done
done
eq "40 direct reports filed through two daemons" \
    "$(printf '%s\n' "${REPS[@]}" | grep -c '^[1-9][0-9]*$')" 40

# 8 processes, one per ministry; even reports through daemon 1, odd through 2
: >"$WORK/fwd.txt"
for i in "${!SECTORS[@]}"; do
	(
		for k in 0 1 2 3 4; do
			n=$((i * 5 + k))
			if [ $((n % 2)) = 0 ]; then URL=$U1; d=1; else URL=$U2; d=2; fi
			api POST "/reports/${REPS[$n]}/forward" "" "${T_LIA[$i]}"
			echo "${REPS[$n]} $STATUS $(jqv '.identification_number // "none"') $d" >>"$WORK/fwd.txt"
		done
	) &
done
wait_clients
forwards_numbered "$WORK/fwd.txt" 40
eq "20 forwards through each daemon" "$(awk '$2 == 200 {print $4}' "$WORK/fwd.txt" | sort | uniq -c | awk '{print $1}' | paste -sd,)" "20,20"

# NISC reads the same numbers back through the other daemon
: >"$WORK/nisc.txt"
for n in "${!REPS[@]}"; do
	if [ $((n % 2)) = 0 ]; then URL=$U2; else URL=$U1; fi
	api GET "/reports/${REPS[$n]}" "" "$T_NISC"
	echo "${REPS[$n]} $(jqv .identification_number)" >>"$WORK/nisc.txt"
done
eq "each report keeps the R-number its forward answered" \
    "$(sort "$WORK/nisc.txt")" "$(awk '{print $1, $3}' "$WORK/fwd.txt" | sort)"

# Racing double forwards: the same report through both daemons at once
URL=$U1
race_forwards "$U1" "$U2"
eq "each raced report: one 200 and one 409" \
    "$(awk '{print $1, $2}' "$WORK/race.txt" | sort | uniq | awk '{print $2}' | sort | uniq -c | awk '{print $1 "x" $2}' | paste -sd,)" "4x200,4x409"
eq "raced reports take R41..R44, each once" \
    "$(awk '$2 == 200 {print $3}' "$WORK/race.txt" | sort -V | paste -sd,)" "$(seq -f 'R%g' 41 44 | paste -sd,)"

# Intake through both daemons at once: POST /reports runs beside the other
# daemon's transactions (store_begin_add) and waits only for its audit
# append; every report is filed and the chain below holds all of them.
: >"$WORK/intake.txt"
for i in "${!SECTORS[@]}"; do
	(
		for k in 0 1 2 3 4 5; do
			if [ $(((i + k) % 2)) = 0 ]; then URL=$U1; else URL=$U2; fi
			api POST /reports "$(jq -nc --argjson f "$(mkform green "${SECTORS[$i]}")" \
			    '{route: "direct", legal_duty: false, form: $f}')" "${T_OPR[$i]}"
			echo "$STATUS $(jqv .id)" >>"$WORK/intake.txt"
		done
	) &
done
wait_clients
eq "48 reports filed through both daemons at once" \
    "$(awk '$1 == 201 && $2 ~ /^[0-9]+$/ {print $2}' "$WORK/intake.txt" | sort -u | wc -l)" 48

# The audit chain, verified through each daemon
for u in "$U1" "$U2"; do
	URL=$u
	api GET /audit/verify "" "$ADMIN"
	expect_status 200 "GET /audit/verify through $u -> 200"
	eq "the audit chain verifies through $u" "$(jqv .ok)" true
	echo "$(jqv .entries)" >>"$WORK/entries.txt"
done
eq "both daemons see the same chain" "$(sort -u "$WORK/entries.txt" | wc -l)" 1
ok "the chain holds every forward and report" '[ "$(head -1 "$WORK/entries.txt")" -gt 92 ]'
