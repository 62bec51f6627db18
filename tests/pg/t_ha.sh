#!/usr/bin/env bash
# t_ha.sh [BUILD_DIR]: fail-over to a synchronous standby loses no
# acknowledged write (issue #5 item 3; docs/operations.md "High
# availability").
#
# A PostgreSQL primary (wal_level=replica, synchronous_standby_names =
# 'standby1', synchronous_commit=on) and a streaming standby made with
# pg_basebackup -R (application_name=standby1), both on 127.0.0.1, both as
# the postgres user when root (like start.sh), each a throwaway cluster of
# its own.  cishared init, then two `cishared serve`: D1 on the primary's
# URL, D2 on a URL naming both hosts with target_session_attrs=read-write.
#
# First, every cishared connection is dropped 100 times (pg_terminate_backend)
# under reads and writes: each daemon must answer again afterwards, and no
# valid token may be refused with 401 meanwhile.  Then, with the standby
# stopped for a moment, a write must not be acknowledged at all (the commit waits for the standby): that is what
# makes every acknowledged write the standby's too.  Then operators file
# reports and ministries forward them (R-numbers), one after the other and
# then from three clients through both daemons at once, and the primary is
# killed (pg_ctl stop -m immediate) while those are in flight.  The standby
# is promoted (pg_ctl promote), D1 is restarted on the standby's URL with
# the same key file, D2 follows by itself, and every write that was
# acknowledged (201 report, 200 forward) must be there: each report
# readable by its submitter (through D1), each forward's R-number on its
# report as NISC reads it (through D2), the audit chain verifies, and the
# next forward gets an R-number above all of them.  Prints "N acknowledged
# writes, N found after fail-over".  About 40 s; HA_SECONDS (default 3)
# sets how long the three clients write before the kill.
PG_DIR=$(cd "$(dirname "$0")" && pwd)
. "$PG_DIR/lib.sh"
pg_use_build "${1:-$PG_DIR/../../build}"
CS_STORE=sqlite		# lib.sh makes no database of its own: we pass URLs
. "$PG_DIR/../e2e/lib.sh"

HA_SECONDS=${HA_SECONDS:-3}	# how long the three clients write before the kill

bindir=$(pg_bindir initdb pg_ctl pg_basebackup) ||
    { fail "a PostgreSQL server is installed" "no /usr/lib/postgresql/*/bin (apt-get install postgresql)"; exit 1; }

HA=$(mktemp -d /tmp/cishare-ha.XXXXXX)
pg_owner "$HA" || { fail "a postgres user exists" "apt-get install postgresql"; exit 1; }
PGUSER_=$user
chmod 700 "$HA"

D1_PID=
D2_PID=
ha_exit() {
	local rc=$? p
	for p in $D1_PID $D2_PID $SERVER_PID; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	SERVER_PID=
	local c
	for c in primary standby; do
		[ -f "$HA/$c/postmaster.pid" ] &&
		    $as "$bindir/pg_ctl" -D "$HA/$c" -m immediate -w stop >/dev/null 2>&1
	done
	if [ -n "${E2E_KEEP:-}" ] || grep -q '^F' "$RESULTS"; then
		mkdir -p "$LOGDIR"
		cp "$HA"/*.log "$LOGDIR"/ 2>/dev/null
	fi
	rm -rf "$HA"
	(exit "$rc")
	e2e_exit
}
trap ha_exit EXIT

# pgc_start DATADIR PORT [OPTIONS] — starts a server on 127.0.0.1:PORT
pgc_start() {
	$as "$bindir/pg_ctl" -D "$1" -l "$HA/$(basename "$1").log" -w -t 30 \
	    -o "-c listen_addresses=127.0.0.1 -c port=$2 -c unix_socket_directories=$HA ${3:-}" \
	    start >/dev/null 2>&1
}
# psql_at PORT SQL — as the superuser over the socket (given up after 30 s)
psql_at() {
	timeout 30 $as "$bindir/psql" -X -q -At -h "$HA" -p "$1" -U "$PGUSER_" -d postgres -c "$2"
}

# ---- the primary ----------------------------------------------------------
T0=$(date +%s)
if ! PW=$(pg_initdb "$bindir" "$HA/primary" "$HA"); then
	fail "initdb the primary" "$(tail -3 "$HA/initdb.log")"
	exit 1
fi
# initdb's pg_hba.conf already lets 127.0.0.1 connect for replication
# (scram-sha-256).  synchronous_standby_names comes once the standby is
# there: until then every commit would wait for it.
cat >>"$HA/primary/postgresql.conf" <<EOF
wal_level = replica
max_wal_senders = 4
wal_keep_size = 64MB
synchronous_commit = on
max_connections = 50
EOF
started=
for _ in 1 2 3 4 5; do
	P1=$(pg_random_port)
	if pgc_start "$HA/primary" "$P1"; then started=1; break; fi
done
[ -n "$started" ] || { fail "the primary starts" "$(tail -5 "$HA/primary.log")"; exit 1; }
psql_at "$P1" 'CREATE DATABASE cishare' || { fail "create the database cishare on the primary"; exit 1; }

# Two password files, one for the tests (cishared, psql), one the postgres
# user reads (pg_basebackup, then the standby's WAL receiver).
printf '127.0.0.1:*:*:%s:%s\n' "$PGUSER_" "$PW" >"$WORK/pgpass"
chmod 600 "$WORK/pgpass"
cp "$WORK/pgpass" "$HA/pgpass"
[ -z "$as" ] || chown postgres: "$HA/pgpass"
chmod 600 "$HA/pgpass"

# ---- the standby ----------------------------------------------------------
if ! $as env PGPASSFILE="$HA/pgpass" "$bindir/pg_basebackup" -D "$HA/standby" \
    -d "host=127.0.0.1 port=$P1 user=$PGUSER_ application_name=standby1 passfile=$HA/pgpass" \
    -R -X stream -c fast >"$HA/basebackup.log" 2>&1; then
	fail "pg_basebackup -R makes the standby" "$(tail -3 "$HA/basebackup.log")"
	exit 1
fi
ok "pg_basebackup -R wrote primary_conninfo with application_name=standby1" \
    'grep -q "application_name=.\?standby1" "$HA/standby/postgresql.auto.conf"'
started=
for _ in 1 2 3 4 5; do
	P2=$(pg_random_port)
	[ "$P2" != "$P1" ] || continue
	if pgc_start "$HA/standby" "$P2"; then started=1; break; fi
done
[ -n "$started" ] || { fail "the standby starts" "$(tail -5 "$HA/standby.log")"; exit 1; }
# Now commits on the primary wait until standby1 has the WAL on disk.
psql_at "$P1" "ALTER SYSTEM SET synchronous_standby_names = 'standby1'" &&
    psql_at "$P1" 'SELECT pg_reload_conf()' >/dev/null ||
    { fail "make standby1 synchronous on the primary"; exit 1; }
st=
for _ in $(seq 1 100); do
	st=$(psql_at "$P1" "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby1'" 2>/dev/null)
	[ "$st" == sync ] && break
	sleep 0.1
done
eq "the standby streams from the primary as the synchronous standby" "$st" sync
eq "the primary waits for it on commit (synchronous_commit)" "$(psql_at "$P1" 'SHOW synchronous_commit')" on

URL1="postgresql://$PGUSER_@127.0.0.1:$P1/cishare?passfile=$WORK/pgpass"
URL2="postgresql://$PGUSER_@127.0.0.1:$P2/cishare?passfile=$WORK/pgpass"
URLM="postgresql://$PGUSER_@127.0.0.1:$P1,127.0.0.1:$P2/cishare?target_session_attrs=read-write&passfile=$WORK/pgpass"
echo "INFO: primary 127.0.0.1:$P1, synchronous standby 127.0.0.1:$P2 ($(($(date +%s) - T0))s)"

# ---- two cishared on the primary ------------------------------------------
# D1 on the primary's URL: repointed to the standby's after the fail-over.
# D2 on a URL naming both hosts with target_session_attrs=read-write: it
# follows the promotion by itself (it reconnects at the next transaction).
export CISHARED_KEY_FILE=$WORK/master.key
init_db "$URL1"
ok "cishared init on the primary prints an admin token" '[ "$INIT_RC" = 0 ] && [ -n "$ADMIN" ]'
[ -n "$ADMIN" ] || exit 1
serve_db "$URL1"
D1_PID=$SERVER_PID D1_ERR=$SERVER_ERR D1_N=$SERVER_N U1=$URL
serve_db "$URLM"
D2_PID=$SERVER_PID D2_ERR=$SERVER_ERR D2_N=$SERVER_N U2=$URL
SERVER_PID=
# stop_daemon 1|2 — stop_server for D1 or D2
stop_daemon() {
	local n=$SERVER_N pid=D$1_PID err=D$1_ERR num=D$1_N
	SERVER_PID=${!pid} SERVER_ERR=${!err} SERVER_N=${!num}
	printf -v "$pid" '%s' ""
	stop_server
	SERVER_N=$n
}
URL=$U1

SECTORS=(finance electricity gas)
NISC=$(fast_org "HA NISC" nisc)
T_NISC=$(fast_principal "$NISC" ha-nisc analyst)
declare -a T_OPR T_LIA
sector_parties HA ha- "${SECTORS[@]}"
for i in "${!SECTORS[@]}"; do
	s=${SECTORS[$i]}
	mkform amber "$s" '.overview.event_summary = "fail-over test report"' |
	    jq -c '{route: "direct", legal_duty: false, form: .}' >"$WORK/direct.$i.json"
done
ok "setup: three operators, their ministries and NISC" \
    '! grep -q invalid <<<"${T_OPR[*]} ${T_LIA[*]} $T_NISC"'

# writer K — operator K files reports and its ministry forwards every other
# one, until $WORK/stop exists, alternating between the two daemons (a load
# balancer).  One line per acknowledged write in $WORK/acks.K: "report ID",
# "forward ID RN".
writer() {
	local k=$1 n=0 st id rn out=$WORK/w.$1 u
	while [ ! -e "$WORK/stop" ]; do
		if [ $((n % 2)) = 0 ]; then u=$U1; else u=$U2; fi
		st=$(curl -s -o "$out" -w '%{http_code}' --max-time 20 -X POST \
		    -H "Authorization: Bearer ${T_OPR[$k]}" -H 'Content-Type: application/json' \
		    --data-binary "@$WORK/direct.$k.json" "$u/reports" 2>/dev/null)
		if [ "$st" != 201 ]; then
			echo "$st $(jq -r '.error.message // empty' "$out" 2>/dev/null)" >>"$WORK/refused.$k"
			sleep 0.05
			continue
		fi
		id=$(sed -n 's/^{"id":\([0-9]*\).*/\1/p' "$out")
		[ -n "$id" ] || id=$(jq -r .id "$out")
		echo "report $id" >>"$WORK/acks.$k"
		n=$((n + 1))
		[ $((n % 2)) = 0 ] || continue
		st=$(curl -s -o "$out" -w '%{http_code}' --max-time 20 -X POST \
		    -H "Authorization: Bearer ${T_LIA[$k]}" "$u/reports/$id/forward" 2>/dev/null)
		if [ "$st" != 200 ]; then
			echo "$st $(jq -r '.error.message // empty' "$out" 2>/dev/null)" >>"$WORK/refused.$k"
			continue
		fi
		rn=$(jq -r .identification_number "$out")
		echo "forward $id $rn" >>"$WORK/acks.$k"
	done
}

# 0: connections dropped under load.  While clients read and write through
# both daemons, the primary terminates every cishared connection 100 times
# (pg_terminate_backend, what a restart or a network cut does to them).
# Requests caught by a drop fail (500, never 401: the token is valid); each
# daemon must reconnect and answer again.
: >"$WORK/storm.st"
rm -f "$WORK/stop"
STORM=()
for d in 1 2; do
	if [ $d = 1 ]; then u=$U1; else u=$U2; fi
	(
		while [ ! -e "$WORK/stop" ]; do
			curl -s -w '%{http_code}\n' --max-time 10 \
			    -H "Authorization: Bearer $T_NISC" -o /dev/null "$u/me" \
			    -o /dev/null "$u/reports?limit=5" -o /dev/null "$u/inbox?limit=5" 2>/dev/null
			curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 -X POST \
			    -H "Authorization: Bearer ${T_OPR[2]}" -H 'Content-Type: application/json' \
			    --data-binary "@$WORK/direct.2.json" "$u/reports" 2>/dev/null
		done >>"$WORK/storm.st"
	) &
	STORM+=($!)
done
for _ in $(seq 1 100); do
	psql_at "$P1" "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
	    WHERE application_name = 'cishared' AND pid <> pg_backend_pid()" >/dev/null 2>&1
	sleep 0.02
done
touch "$WORK/stop"
wait "${STORM[@]}"
rm -f "$WORK/stop"
echo "INFO: during 100 connection drops:" \
    "$(sort "$WORK/storm.st" | uniq -c | awk '{print $1 "x" $2}' | paste -sd' ')"
eq "no valid token is refused (401) because a connection dropped" "$(grep -c '^401' "$WORK/storm.st")" 0
for d in 1 2; do
	if [ $d = 1 ]; then URL=$U1; else URL=$U2; fi
	for _ in 1 2 3; do
		STATUS=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
		    -H "Authorization: Bearer $T_NISC" "$URL/me" 2>/dev/null)
		[ "$STATUS" == 200 ] && break
	done
	LAST="GET /me through D$d"
	expect_status 200 "D$d answers again after its connections were dropped 100 times"
	# a daemon that does not will hang every request below
	[ "$STATUS" == 200 ] || exit 1
done
URL=$U1

# 1: one after the other, 40 reports and 20 forwards, half through each daemon
: >"$WORK/acks.0"
: >"$WORK/acks.1"
: >"$WORK/acks.2"
for n in $(seq 1 40); do
	if [ $((n % 4)) -lt 2 ]; then URL=$U1; else URL=$U2; fi
	api POST /reports "@$WORK/direct.0.json" "${T_OPR[0]}"
	[ "$STATUS" == 201 ] || continue
	id=$(jqv .id)
	echo "report $id" >>"$WORK/acks.0"
	[ $((n % 2)) = 0 ] || continue
	api POST "/reports/$id/forward" "" "${T_LIA[0]}"
	[ "$STATUS" == 200 ] && echo "forward $id $(jqv .identification_number)" >>"$WORK/acks.0"
done
eq "one after the other: 40 reports and 20 forwards acknowledged" \
    "$(grep -c '^report ' "$WORK/acks.0") $(grep -c '^forward ' "$WORK/acks.0")" "40 20"

# Synchronous: with the standby down, a write is not acknowledged (its
# commit waits for the standby), and goes through once it is back.
URL=$U1
$as "$bindir/pg_ctl" -D "$HA/standby" -m fast -w stop >/dev/null 2>&1
st=$(curl -s -o "$WORK/held" -w '%{http_code}' --max-time 3 -X POST \
    -H "Authorization: Bearer ${T_OPR[1]}" -H 'Content-Type: application/json' \
    --data-binary "@$WORK/direct.1.json" "$URL/reports" 2>/dev/null)
eq "with the standby down, a report is not acknowledged (the commit waits for it)" "${st:-000}" 000
pgc_start "$HA/standby" "$P2" || { fail "the standby starts again" "$(tail -5 "$HA/standby.log")"; exit 1; }
api POST /reports "@$WORK/direct.1.json" "${T_OPR[1]}"
expect_status 201 "with the standby back, a report is acknowledged again"
[ "$STATUS" == 201 ] && echo "report $(jqv .id)" >>"$WORK/acks.1"

# 2: three clients at once through both daemons, and the primary dies
rm -f "$WORK/stop"
WRITERS=()
for k in 0 1 2; do
	writer "$k" &
	WRITERS+=($!)
done
sleep "$HA_SECONDS"
BEFORE_KILL=$(cat "$WORK"/acks.* | wc -l)
$as "$bindir/pg_ctl" -D "$HA/primary" -m immediate -w stop >/dev/null 2>&1
ok "the primary is killed (pg_ctl stop -m immediate) while the clients write" \
    '! $as "$bindir/pg_ctl" -D "$HA/primary" status >/dev/null 2>&1'
sleep 0.5
touch "$WORK/stop"
wait "${WRITERS[@]}"
ok "writes were acknowledged up to the kill ($BEFORE_KILL before it)" '[ "$BEFORE_KILL" -gt 60 ]'
echo "INFO: $(cat "$WORK"/refused.* 2>/dev/null | wc -l) writes refused after the kill:" \
    "$(cat "$WORK"/refused.* 2>/dev/null | sort | uniq -c | sed 's/^ *\([0-9]*\) /\1 x /' | paste -sd';')"
for d in 1 2; do
	if [ $d = 1 ]; then URL=$U1; else URL=$U2; fi
	api POST /reports "@$WORK/direct.2.json" "${T_OPR[2]}"
	ok "D$d acknowledges no write while there is no primary" '[ "$STATUS" != 201 ]'
done
stop_daemon 1

# ---- fail-over --------------------------------------------------------------
T1=$(date +%s%N)
if ! $as "$bindir/pg_ctl" -D "$HA/standby" -w -t 30 promote >"$HA/promote.log" 2>&1; then
	fail "pg_ctl promote the standby" "$(cat "$HA/promote.log")"
	exit 1
fi
eq "the standby is promoted (no longer in recovery)" "$(psql_at "$P2" 'SELECT pg_is_in_recovery()')" f
serve_db "$URL2"
D1_PID=$SERVER_PID D1_ERR=$SERVER_ERR D1_N=$SERVER_N U1=$URL
SERVER_PID=
echo "INFO: promoted, and D1 serving on the new primary $((($(date +%s%N) - T1) / 1000000)) ms later"

# ---- every acknowledged write is there --------------------------------------
cat "$WORK"/acks.* >"$WORK/acks"
NACK=$(wc -l <"$WORK/acks")
ok "the acknowledged reports are distinct" '[ "$(grep "^report " "$WORK/acks" | sort | uniq -d | wc -l)" = 0 ]'
# each report, read by its submitter through D1 (repointed)
URL=$U1
found=0
for k in 0 1 2; do
	mapfile -t ids < <(awk '$1 == "report" {print $2}' "$WORK/acks.$k")
	[ ${#ids[@]} -gt 0 ] || continue
	paths=()
	for id in "${ids[@]}"; do paths+=("/reports/$id"); done
	mapfile -t sts < <(multi_get "${T_OPR[$k]}" "${paths[@]}")
	for j in "${!ids[@]}"; do
		if [ "${sts[$j]:-}" == 200 ] && [ "$(jq -r .id "$WORK/mg.$((j + 1))")" == "${ids[$j]}" ]; then
			found=$((found + 1))
		else
			fail "acknowledged report ${ids[$j]} is there after fail-over" "GET -> ${sts[$j]:-none}"
		fi
	done
done
# each forward's R-number, as NISC reads it through D2 (which followed the
# promotion by itself; its first request after the outage may still fail)
URL=$U2
for _ in $(seq 1 20); do
	api GET /me "" "$T_NISC"
	[ "$STATUS" == 200 ] && break
	sleep 0.25
done
expect_status 200 "D2 (both hosts, target_session_attrs=read-write) answers again without a restart"
mapfile -t fw < <(awk '$1 == "forward" {print $2, $3}' "$WORK/acks")
paths=()
for l in "${fw[@]}"; do paths+=("/reports/${l%% *}"); done
if [ ${#paths[@]} -gt 0 ]; then
	mapfile -t sts < <(multi_get "$T_NISC" "${paths[@]}")
	for j in "${!fw[@]}"; do
		got=$(jq -r .identification_number "$WORK/mg.$((j + 1))" 2>/dev/null)
		if [ "${sts[$j]:-}" == 200 ] && [ "$got" == "${fw[$j]#* }" ]; then
			found=$((found + 1))
		else
			fail "acknowledged forward of report ${fw[$j]%% *} (${fw[$j]#* }) is there after fail-over" \
			    "GET as NISC -> ${sts[$j]:-none} identification_number $got"
		fi
	done
fi
NREP=$(grep -c '^report ' "$WORK/acks")
NFWD=$(grep -c '^forward ' "$WORK/acks")
eq "every acknowledged write is there after fail-over ($NREP reports, $NFWD forwards)" "$found" "$NACK"
eq "the acknowledged R-numbers are distinct" \
    "$(awk '$1 == "forward" {print $3}' "$WORK/acks" | sort | uniq -d | wc -l)" 0
for d in 1 2; do
	if [ $d = 1 ]; then URL=$U1; else URL=$U2; fi
	api GET /audit/verify "" "$ADMIN"
	eq "the audit chain verifies on the promoted standby (through D$d)" "$(jqv .ok)" true
done
# writing goes on through both, numbering above every number handed out
MAXR=$(awk '$1 == "forward" {sub(/^R/, "", $3); print $3}' "$WORK/acks" | sort -n | tail -1)
URL=$U2
api POST /reports "@$WORK/direct.1.json" "${T_OPR[1]}"
expect_status 201 "a new report through D2 after the fail-over -> 201"
ID=$(jqv .id)
URL=$U1
api POST "/reports/$ID/forward" "" "${T_LIA[1]}"
expect_status 200 "its forward through D1 -> 200"
NEWR=$(jqv .identification_number)
ok "its R-number ($NEWR) is above every acknowledged one (R${MAXR:-0})" '[ "${NEWR#R}" -gt "${MAXR:-0}" ]'
stop_daemon 1
stop_daemon 2
echo "$NACK acknowledged writes, $found found after fail-over"
echo "INFO: t_ha took $(($(date +%s) - T0))s"
