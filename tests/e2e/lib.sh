# tests/e2e/lib.sh — shared helpers for the end-to-end tests (bash).
#
# Source it from a t_*.sh script:
#
#	. "$(dirname "$0")/lib.sh"
#	start_server
#	api GET /me "" "$ADMIN"; expect_status 200
#
# Environment: CISHARED and CISHARE name the binaries under test (the runner
# sets them from its BUILD_DIR argument; default ../../build/).
# CS_STORE=pg runs the daemon on PostgreSQL instead of a SQLite file: each
# script gets a fresh database cs_<script>_<pid> (one more per extra file
# name, see db_url) in the cluster of CS_PG_URL (tests/e2e/run starts one;
# a script run on its own starts its own with tests/pg/start.sh), and the
# master key goes to --key-file DB.key in the script's temp dir.  Scripts
# look into the database only through db_dump, dump_hash, db_sql, db_copy
# and db_tamper, which work on both backends; a script that cannot run on
# one says so with require_backend.
#
# Every assertion prints exactly one line, "PASS: desc" or "FAIL: desc (details)",
# on the script's original stdout (fd 3, so helpers used inside $(...) still
# report) and appends P or F to $WORK/results, so assertions made in
# subshells and background jobs are counted too.  At exit the script prints
# "<name>: N passed, N failed" and exits 1 if anything failed.  The server's
# logs and the request transcript of a failing script are kept in
# tests/e2e/logs/<name>/ (gitignored).

set -u
set -o pipefail

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${CISHARED:=$E2E_DIR/../../build/cishared}"
: "${CISHARE:=$E2E_DIR/../../build/cishare}"
export CISHARED CISHARE
# Leak checking stays on (a leak is a finding); reports go to the server log.
: "${ASAN_OPTIONS:=detect_leaks=1:abort_on_error=0:allocator_may_return_null=0}"
: "${UBSAN_OPTIONS:=print_stacktrace=1:halt_on_error=1}"
export ASAN_OPTIONS UBSAN_OPTIONS
# The per-client rate limit (429) is not under test here; the scripts send
# bursts from one address, so switch it off unless the caller sets it.
: "${CISHARED_RATE_LIMIT:=0}"
export CISHARED_RATE_LIMIT

TEST_NAME=$(basename "$0" .sh)
: "${CS_STORE:=sqlite}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cishare-e2e-$TEST_NAME.XXXXXX")
LOGDIR=$E2E_DIR/logs/$TEST_NAME
[ "$CS_STORE" == sqlite ] || LOGDIR=$LOGDIR-$CS_STORE
RESULTS=$WORK/results
: >"$RESULTS"
: >"$WORK/requests.log"
rm -rf "$LOGDIR"
exec 3>&1

for _bin in "$CISHARED" "$CISHARE"; do
	if [ ! -x "$_bin" ]; then
		echo "FAIL: binary $_bin is missing (build with make O=DIR all)" >&3
		exit 1
	fi
done
for _tool in curl jq sha256sum; do
	command -v "$_tool" >/dev/null || { echo "FAIL: $_tool is not installed" >&3; exit 1; }
done

# ---- the store backend (CS_STORE) -----------------------------------------

PG_BIN=
PG_CLUSTER=
case $CS_STORE in
sqlite)
	command -v sqlite3 >/dev/null || { echo "FAIL: sqlite3 is not installed" >&3; exit 1; }
	;;
pg)
	. "$E2E_DIR/../pg/lib.sh"
	if ! PG_BIN=$(pg_bindir psql pg_dump); then
		echo "FAIL: CS_STORE=pg: no psql/pg_dump in /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&3
		exit 1
	fi
	if [ -z "${CS_PG_URL:-}" ]; then
		# run on its own: a cluster of our own, stopped by e2e_exit
		PG_CLUSTER=$(mktemp -d /tmp/cishare-pg.XXXXXX)
		if ! CS_PG_URL=$("$E2E_DIR/../pg/start.sh" "$PG_CLUSTER"); then
			"$E2E_DIR/../pg/stop.sh" "$PG_CLUSTER" 2>/dev/null
			rm -rf "$PG_CLUSTER" "$WORK"
			echo "FAIL: CS_STORE=pg: cannot start a PostgreSQL cluster" >&3
			exit 1
		fi
	fi
	export CS_PG_URL
	: >"$WORK/pg.dbs"
	;;
*)
	echo "FAIL: CS_STORE=$CS_STORE (sqlite or pg)" >&3
	rm -rf "$WORK"
	exit 1
	;;
esac

SERVER_PID=
SERVER_N=0
PORT=
URL=
DB=
ADMIN=
STATUS=
BODY=
LAST=

# ---- assertions ---------------------------------------------------------

pass() {
	echo P >>"$RESULTS"
	printf 'PASS: %s\n' "$1" >&3
}

fail() {
	echo F >>"$RESULTS"
	printf 'FAIL: %s (%s)\n' "$1" "${2:-}" >&3
	printf 'FAIL: %s (%s)\n' "$1" "${2:-}" >>"$WORK/requests.log"
}

# What the last request did, for failure details.
last_req() {
	local b=${BODY:0:400}
	printf 'last: %s -> %s %s' "$LAST" "$STATUS" "${b//$'\n'/ }"
}

# ok DESC CONDITION — CONDITION is one string (eval'd) or a command with args.
ok() {
	local desc=$1
	shift
	if [ $# -eq 1 ]; then
		if eval "$1"; then pass "$desc"; else fail "$desc" "condition: $1; $(last_req)"; fi
	else
		if "$@"; then pass "$desc"; else fail "$desc" "condition: $*; $(last_req)"; fi
	fi
}

# eq DESC ACTUAL EXPECTED
eq() {
	if [ "$2" == "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected '$(printf '%s' "$3" | head -c 300)', got '$(printf '%s' "$2" | head -c 300)'; $(last_req)"
	fi
}

# expect_status CODE [DESC]
expect_status() {
	local desc=${2:-"$LAST -> $1"}
	if [ "$STATUS" == "$1" ]; then
		pass "$desc"
	else
		fail "$desc" "expected HTTP $1; $(last_req)"
	fi
}

# expect_error FIELD [STATUS] [DESC] — a 4xx (or exactly STATUS) with
# {"error": {"code": "...", "field": FIELD, "message": "..."}}.
expect_error() {
	local field=$1 want=${2:-4xx} desc=${3:-}
	local why=
	[ -n "$desc" ] || desc="$LAST -> $want field='$field'"
	if [ "$want" == 4xx ]; then
		case $STATUS in 4??) ;; *) why="status $STATUS is not 4xx" ;; esac
	elif [ "$STATUS" != "$want" ]; then
		why="status $STATUS, expected $want"
	fi
	if [ -z "$why" ]; then
		local got
		got=$(jq -r 'if (.error|type)=="object" and (.error.code|type)=="string"
		    and (.error.message|type)=="string" and (.error.field|type)=="string"
		    then "=" + .error.field else "!" end' 2>/dev/null <<<"$BODY")
		if [ "${got:0:1}" != "=" ]; then
			why="body is not a JSON error object"
		elif [ "${got:1}" != "$field" ]; then
			why="error.field is '${got:1}', expected '$field'"
		fi
	fi
	if [ -z "$why" ]; then pass "$desc"; else fail "$desc" "$why; $(last_req)"; fi
}

# bad DESC STATUS FIELD METHOD PATH TOKEN [BODY] — the request answers STATUS
# with a JSON error naming FIELD.
bad() {
	api "$4" "$5" "${7-}" "$6"
	expect_error "$3" "$2" "$1 -> $2 field '$3'"
}

# setup_201 WHAT [FALLBACK] — for a setup step that should have made
# something: status 0 if the last request answered 201; otherwise fails
# "setup: WHAT", prints FALLBACK (default 0) and returns 1.
setup_201() {
	[ "$STATUS" == 201 ] && return 0
	fail "setup: $1" "$(last_req)"
	echo "${2:-0}"
	return 1
}

# created WHAT KEY — like setup_201, and then prints the value of KEY (a
# number or a string; its first occurrence) in the answer, without jq.
created() {
	setup_201 "$1" || return 1
	if ! [[ $BODY =~ \"$2\":(\"([^\"]*)\"|([0-9]+)) ]]; then
		fail "setup: $1" "no $2 in the answer; $(last_req)"
		echo 0
		return 1
	fi
	echo "${BASH_REMATCH[2]}${BASH_REMATCH[3]}"
}

# jqv FILTER [JSON] — jq -r FILTER over the last response (or JSON).
jqv() {
	jq -r "$1" <<<"${2-$BODY}" 2>/dev/null
}

# ---- HTTP ---------------------------------------------------------------

# api METHOD PATH [BODY] [TOKEN] — sets STATUS and BODY.  BODY "" sends no
# body; "@FILE" sends FILE.  TOKEN "" sends no Authorization header.
api() {
	local method=$1 path=$2 body=${3-} tok=${4-}
	local out=$WORK/resp.$BASHPID
	local -a args=(-s -o "$out" -X "$method" --max-time 60
	    -H 'Accept: application/json')
	[ -n "$tok" ] && args+=(-H "Authorization: Bearer $tok")
	if [ -n "$body" ]; then
		if [ "${body:0:1}" == @ ]; then
			args+=(--data-binary "$body")
		else
			printf '%s' "$body" >"$out.req"
			args+=(--data-binary "@$out.req")
		fi
		args+=(-H 'Content-Type: application/json; charset=utf-8')
	fi
	local w b1 b2
	w=$(curl "${args[@]}" -w '%{http_code} %{time_total}' "$URL$path" 2>/dev/null) || true
	STATUS=${w%% *}
	[ -n "$STATUS" ] || STATUS=000
	BODY=
	[ -f "$out" ] && IFS= read -r -d '' BODY <"$out"
	LAST="$method $path"
	b1=${body:0:200}
	b2=${BODY:0:300}
	printf '%s %s %s [%s] -> %s %s\n' "${w##* }s" "$method" "$path" \
	    "${b1//$'\n'/ }" "$STATUS" "${b2//$'\n'/ }" >>"$WORK/requests.log"
	rm -f "$out"
}

# ---- server lifecycle ---------------------------------------------------

# db_url DB — what --db gets for DB (a file path, or a postgres(ql):// URL
# used as it is).  SQLite: the path.  CS_STORE=pg: this script's database
# standing for that file: cs_<script>_<pid> for $WORK/t.db,
# cs_<script>_<pid>_<name> for any other <name>.db, in CS_PG_URL's cluster
# (the passfile= parameter and the rest of that URL kept).
db_url() {
	local p=$1 b name
	if [ "$CS_STORE" != pg ] || [[ $p == postgres://* || $p == postgresql://* ]]; then
		printf '%s\n' "$p"
		return 0
	fi
	b=$(basename "$p")
	b=${b%.db}
	name=cs_${TEST_NAME}_$$
	[ "$b" == t ] || name+=_$b
	name=${name,,}
	name=${name//[^a-z0-9_]/_}
	name=${name:0:63}
	[[ $CS_PG_URL =~ ^(postgres(ql)?://[^/?]*)(/[^?]*)?(\?.*)?$ ]] || return 1
	printf '%s/%s%s\n' "${BASH_REMATCH[1]}" "$name" "${BASH_REMATCH[4]}"
}

# db_name DB — the PostgreSQL database name in db_url DB
db_name() {
	local u
	u=$(db_url "$1") || return 1
	u=${u%%\?*}
	printf '%s\n' "${u##*/}"
}

# db_keyargs DB — the --key-file argument for DB on PostgreSQL, where there
# is no database file for the key to sit beside: DB.key, as SQLite would
# use (for a URL: CISHARED_KEY_FILE, else $WORK/master.key).  Sets KEYARGS.
db_keyargs() {
	KEYARGS=()
	if [[ $1 == postgres://* || $1 == postgresql://* ]]; then
		[ -n "${CISHARED_KEY_FILE:-}" ] || KEYARGS=(--key-file "$WORK/master.key")
	elif [ "$CS_STORE" == pg ]; then
		KEYARGS=(--key-file "$1.key")
	fi
}

# pg_admin SQL — runs SQL on CS_PG_URL's database (the cluster's maintenance
# connection, password from its passfile).
pg_admin() {
	"$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$CS_PG_URL" \
	    -c 'SET client_min_messages = warning' -c "$1"
}

# db_create DB [TEMPLATE_DB] — on PostgreSQL, a fresh database for DB
# (dropped first if a previous run left one), optionally a copy of
# TEMPLATE_DB's; remembered, and dropped at exit.  Nothing on SQLite.
db_create() {
	[ "$CS_STORE" == pg ] || return 0
	local name tmpl="" i
	[[ $1 == postgres://* || $1 == postgresql://* ]] && return 0
	name=$(db_name "$1") || return 1
	[ -z "${2:-}" ] || tmpl=" TEMPLATE $(db_name "$2")"
	pg_admin "DROP DATABASE IF EXISTS $name WITH (FORCE)" >>"$WORK/pg.log" 2>&1 || return 1
	# CREATE ... TEMPLATE needs the template's last backend gone: retry
	for i in 1 2 3 4 5; do
		if pg_admin "CREATE DATABASE $name$tmpl" >>"$WORK/pg.log" 2>&1; then
			grep -qxF "$name" "$WORK/pg.dbs" || echo "$name" >>"$WORK/pg.dbs"
			return 0
		fi
		sleep 1
	done
	return 1
}

# db_dump [DB] — a logical dump of DB (default $DB) on stdout, the same for
# the same content: sqlite3 .dump, or pg_dump --data-only --inserts with the
# rows of each table sorted and pg_dump's random \restrict lines left out.
# On PostgreSQL the sequence positions (setval lines) are left out too: a
# sequence is not transactional, so a request that inserts a row and is
# then refused (rolled back) moves it on although no row changed (a share
# whose second org is unknown, a forward whose patch is refused, ...).
db_dump() {
	local db=${1:-$DB}
	if [ "$CS_STORE" != pg ]; then
		# The full-text indexer writes behind the requests (migration
		# 27): a dump is of a database whose pending rows are indexed,
		# so two dumps differ only by what the requests wrote.
		local i
		for i in $(seq 1 100); do
			[ "$(sqlite3 "$db" "SELECT count(*) FROM search_pending" \
			    2>/dev/null || echo 0)" = 0 ] && break
			sleep 0.1
		done
		sqlite3 "$db" .dump
		return
	fi
	# every INSERT statement (possibly several lines) on one line, tagged
	# with the number of its run of INSERTs; everything else in place
	"$PG_BIN/pg_dump" --data-only --inserts --no-owner --no-privileges \
	    -d "$(db_url "$db")" 2>>"$WORK/pg.log" \
	| awk '
		/^\\(un)?restrict / || /^SELECT pg_catalog\.setval\(/ { next }
		cont { stmt = stmt "\001" $0; if ($0 ~ /\);$/) { print blk "\t" stmt; cont = 0 }; next }
		/^INSERT INTO / {
			if (!ins) { blk++; ins = 1 }
			stmt = $0
			if ($0 ~ /\);$/) print blk "\t" stmt; else cont = 1
			next
		}
		{ ins = 0; blk++; print blk "\t" $0 }' \
	| LC_ALL=C sort -t "$(printf '\t')" -k1,1n -k2 \
	| cut -f2- | tr '\001' '\n'
	if [ "${PIPESTATUS[0]}" != 0 ]; then
		fail "db_dump $db (pg_dump)" "$(tail -3 "$WORK/pg.log")"
		return 1
	fi
}

# dump_hash [DB] — sha256 of db_dump DB
dump_hash() {
	db_dump "${1:-$DB}" | sha256sum | cut -d' ' -f1
}

# dump_mark — remembers the hash of the database dump (DUMP_MARK) and
# asserts that it could be read; dump_unchanged DESC then asserts that the
# dump still hashes the same (for a batch of requests that must change
# nothing: no successful request in between, since reads are audited).
dump_mark() {
	DUMP_MARK=$(dump_hash)
	ok "the database dump is readable" '[ -n "$DUMP_MARK" ]'
}
dump_unchanged() {
	eq "$1" "$(dump_hash)" "$DUMP_MARK"
}

# db_sql SQL [DB] — runs SQL on DB (default $DB); rows on stdout, columns
# separated by |, as sqlite3 and psql -At print them; exit status non-zero
# and the error on stderr when it fails.  Write SQL both accept: quote
# "user" (a reserved word in PostgreSQL), booleans are integers 0/1.
db_sql() {
	local db=${2:-$DB}
	if [ "$CS_STORE" == pg ]; then
		"$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$(db_url "$db")" -c "$1"
	else
		sqlite3 "$db" "$1"
	fi
}

# db_copy DB COPY — COPY becomes a copy of DB (a file name like DB's; the
# server must be stopped).  The key file is not copied.
db_copy() {
	if [ "$CS_STORE" == pg ]; then
		db_create "$2" "$1" || fail "db_copy $1 $2" "$(tail -3 "$WORK/pg.log")"
	else
		sqlite3 "$1" ".backup '$2'"
	fi
}

# db_tamper DB TABLE SQL — runs SQL on DB with TABLE's protective triggers
# out of the way (dropped on SQLite, disabled on PostgreSQL): for tests
# that forge a tampered copy.
db_tamper() {
	local drops=
	if [ "$CS_STORE" == pg ]; then
		db_sql "ALTER TABLE $2 DISABLE TRIGGER USER; $3" "$1"
	else
		drops=$(sqlite3 "$1" "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '$2'")
		sqlite3 "$1" "$drops $3"
	fi
}

# require_backend sqlite|pg [REASON] — ends the script here, passing
# nothing and failing nothing, unless it runs on that backend.
require_backend() {
	[ "$CS_STORE" == "$1" ] && return 0
	printf 'SKIP: %s needs CS_STORE=%s, not %s%s\n' "$TEST_NAME" "$1" "$CS_STORE" "${2:+ ($2)}" >&3
	exit 0
}

# init_db [PATH] [ARGS...] — cishared init; sets DB, INIT_OUT, INIT_RC and
# (when printed) ADMIN.  With CS_STORE=pg, PATH names a database (db_url),
# created on the first init.
init_db() {
	DB=${1:-$WORK/t.db}
	[ $# -gt 0 ] && shift
	INIT_RC=0
	: >"$WORK/init.out"
	if [ "$CS_STORE" == pg ] && ! grep -qxF "$(db_name "$DB")" "$WORK/pg.dbs"; then
		db_create "$DB" || { echo "db_create $DB failed: $(tail -3 "$WORK/pg.log")" >>"$WORK/init.err"; INIT_RC=1; }
	fi
	db_keyargs "$DB"
	[ "$INIT_RC" == 0 ] &&
	"$CISHARED" init --db "$(db_url "$DB")" "${KEYARGS[@]}" "$@" >"$WORK/init.out" 2>>"$WORK/init.err" || INIT_RC=$?
	INIT_OUT=$(cat "$WORK/init.out")
	local t
	t=$(sed -n 's/^admin-token: //p' "$WORK/init.out")
	[ -n "$t" ] && ADMIN=$t
	return 0
}

# serve_db [PATH] — starts cishared serve on 127.0.0.1:0 for PATH (default
# $DB) and waits until it answers; sets SERVER_PID, PORT, URL.
serve_db() {
	local db=${1:-$DB} i line
	SERVER_N=$((SERVER_N + 1))
	SERVER_OUT=$WORK/server.$SERVER_N.out
	SERVER_ERR=$WORK/server.$SERVER_N.err
	db_keyargs "$db"
	"$CISHARED" serve --db "$(db_url "$db")" "${KEYARGS[@]}" --listen 127.0.0.1:0 \
	    --allow-loopback-webhooks \
	    >"$SERVER_OUT" 2>"$SERVER_ERR" &
	SERVER_PID=$!
	PORT=
	for i in $(seq 1 200); do
		line=$(grep -m1 '^listening on ' "$SERVER_OUT" 2>/dev/null || true)
		if [ -n "$line" ]; then
			PORT=${line##*:}
			break
		fi
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.05
	done
	if [ -z "$PORT" ]; then
		fail "server $SERVER_N starts and prints its port" "$(tail -5 "$SERVER_ERR")"
		exit 1
	fi
	URL=http://127.0.0.1:$PORT/api/v1
	for i in $(seq 1 200); do
		if [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/me")" != 000 ]; then
			return 0
		fi
		sleep 0.05
	done
	fail "server $SERVER_N answers on port $PORT" "$(tail -5 "$SERVER_ERR")"
	exit 1
}

start_server() {
	init_db "$@"
	if [ "$INIT_RC" != 0 ] || [ -z "$ADMIN" ]; then
		fail "cishared init prints an admin token" "rc=$INIT_RC out=$INIT_OUT err=$(tail -3 "$WORK/init.err")"
		exit 1
	fi
	serve_db
}

# stop_server — SIGTERM, wait, and assert a clean exit without sanitizer
# reports (each server stopped is one assertion).
stop_server() {
	local pid=$SERVER_PID rc=0 i
	[ -n "$pid" ] || return 0
	SERVER_PID=
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 1 200); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		fail "server $SERVER_N stops on SIGTERM" "still running after 10 s"
		return 0
	fi
	wait "$pid" 2>/dev/null || rc=$?
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: ' "$SERVER_ERR"; then
		fail "server $SERVER_N exits cleanly without sanitizer reports" \
		    "rc=$rc; $(grep -m3 -E 'ERROR:|runtime error:|SUMMARY:' "$SERVER_ERR" | tr '\n' ' ')"
	elif [ "$rc" != 0 ]; then
		fail "server $SERVER_N exits cleanly without sanitizer reports" "exit status $rc"
	else
		pass "server $SERVER_N exits cleanly without sanitizer reports"
	fi
}

e2e_exit() {
	local rc=$? p f
	stop_server
	p=$(grep -c '^P' "$RESULTS" || true)
	f=$(grep -c '^F' "$RESULTS" || true)
	if [ "$rc" != 0 ] && [ "$f" == 0 ]; then
		printf 'FAIL: %s exited with status %s\n' "$TEST_NAME" "$rc" >&3
		f=1
	fi
	if [ "$f" != 0 ] || [ -n "${E2E_KEEP:-}" ]; then
		mkdir -p "$LOGDIR"
		cp "$WORK"/*.log "$WORK"/*.out "$WORK"/*.err "$LOGDIR"/ 2>/dev/null
	fi
	printf '%s: %d passed, %d failed\n' "$TEST_NAME" "$p" "$f" >&3
	if [ "$CS_STORE" == pg ]; then
		if [ -n "$PG_CLUSTER" ]; then
			"$E2E_DIR/../pg/stop.sh" "$PG_CLUSTER" >/dev/null 2>&1
			rm -rf "$PG_CLUSTER"
		elif [ -z "${E2E_KEEP:-}" ]; then
			while read -r _n; do
				pg_admin "DROP DATABASE IF EXISTS $_n WITH (FORCE)" >/dev/null 2>&1
			done <"$WORK/pg.dbs"
		fi
	fi
	rm -rf "$WORK"
	[ "$f" == 0 ]
	exit $?
}
trap e2e_exit EXIT
trap 'fail "$TEST_NAME interrupted by a signal" "timeout?"; exit 1' TERM INT HUP

# wait_jobs — wait for this script's background jobs, but not the server.
wait_jobs() {
	local p
	for p in $(jobs -p); do
		[ "$p" == "$SERVER_PID" ] || wait "$p"
	done
}

# ---- directory helpers (admin) -------------------------------------------

# mkorg NAME TYPE SECTORS_JSON [CEPTOAR_ID] [PRE_ARRANGED] -> prints the id
mkorg() {
	local body
	body=$(jq -nc --arg n "$1" --arg t "$2" --argjson s "${3:-[]}" \
	    --argjson c "${4:-null}" --argjson p "${5:-false}" \
	    '{name: $n, type: $t, sectors: $s, ceptoar: $c}
	     + (if $t == "cybersecurity_agency" then {pre_arranged: $p} else {} end)')
	api POST /orgs "$body" "$ADMIN"
	setup_201 "create org $1 ($2)" || return 1
	jqv .id
}

# mkuser ORG LOGIN ROLES_CSV [NDA] [EXTRA_JSON_OBJECT] -> prints the user id
mkuser() {
	local body extra=${5:-'{}'}
	body=$(jq -nc --argjson o "$1" --arg l "$2" --arg r "$3" \
	    --argjson nda "${4:-false}" --argjson x "$extra" \
	    '{org: $o, login: $l, display_name: ("user " + $l),
	      roles: ($r | split(",")), nda_contractor: $nda} + $x')
	api POST /users "$body" "$ADMIN"
	setup_201 "create user $2" || return 1
	jqv .id
}

# mktoken USER_ID -> prints a new token
mktoken() {
	api POST "/users/$1/tokens" '{"label":"e2e"}' "$ADMIN"
	setup_201 "token for user $1" invalid || return 1
	jqv .token
}

# principal ORG LOGIN ROLES_CSV [NDA] [EXTRA] -> prints a token for a new user
principal() {
	local uid
	uid=$(mkuser "$@") || { echo invalid; return 1; }
	mktoken "$uid"
}

# new_party VAR NAME TYPE SECTORS_JSON ROLES_CSV [CEPTOAR_ID] [PRE_ARRANGED]
# — an org with one user and a token in one call; sets ${VAR}_ORG,
# ${VAR}_UID and ${VAR}_TOKEN (call it directly, not inside $(...)).
new_party() {
	local var=$1 org uid tok
	org=$(mkorg "$2" "$3" "$4" "${6:-null}" "${7:-false}") || return 1
	uid=$(mkuser "$org" "$(printf '%s' "$var" | tr 'A-Z_' 'a-z-')-$org" "$5") || return 1
	tok=$(mktoken "$uid") || return 1
	printf -v "${var}_ORG" '%s' "$org"
	printf -v "${var}_UID" '%s' "$uid"
	printf -v "${var}_TOKEN" '%s' "$tok"
}

# ---- report helpers -------------------------------------------------------

# mkform TLP SECTOR [JQ_UPDATE] -> a report_form
mkform() {
	jq -nc --arg t "$1" --arg s "$2" \
	    "{tlp: \$t, sector: \$s, has_attachment: \"no\",
	      event_type: \"event_malware_infection\", importance: \"caution\",
	      cause_types: [\"cause_suspicious_email_received\"],
	      overview: {discovered_at: \"2026-11-21T09:00:00+09:00\",
	                 event_summary: \"e2e test event\"}} | ${3:-.}"
}

# submit TOKEN ROUTE FORM [LEGAL_DUTY] [EXTRA_RECIPIENTS_JSON] -> prints the id
submit() {
	local body
	body=$(jq -nc --arg r "$2" --argjson f "$3" --argjson l "${4:-false}" \
	    --argjson x "${5:-null}" \
	    '{route: $r, legal_duty: $l, form: $f}
	     + (if $x == null then {} else {extra_recipients: $x} end)')
	api POST /reports "$body" "$1"
	setup_201 "submit a $2 report" || return 1
	jqv .id
}

# followup TOKEN ID FORM -> prints the version
followup() {
	api POST "/reports/$2/followups" "$(jq -nc --argjson f "$3" '{form: $f}')" "$1"
	setup_201 "follow-up to report $2" || return 1
	jqv .version
}

# forward TOKEN ID [BODY] — asserts 200
forward() {
	api POST "/reports/$2/forward" "${3-}" "$1"
	if [ "$STATUS" != 200 ]; then
		fail "setup: forward report $2" "$(last_req)"
		return 1
	fi
}

# list_ids TOKEN [QUERY] -> every report id GET /reports returns, one a line
# (follows next_cursor)
list_ids() {
	local q=${2:-} cursor= qs
	while :; do
		qs="limit=500${q:+&$q}${cursor:+&cursor=$cursor}"
		api GET "/reports?$qs" "" "$1"
		[ "$STATUS" == 200 ] || { echo "HTTP$STATUS"; return 1; }
		jqv '.items[].id'
		cursor=$(jqv '.next_cursor // empty')
		[ -n "$cursor" ] || break
	done
}

# ---- advisory helpers (t_adv_*) -------------------------------------------

# mkadv TLP [JQ_UPDATE] -> an advisory_form to finance + electricity (jq
# only when JQ_UPDATE is given)
mkadv() {
	local f
	f="{\"tlp\":\"$1\",\"has_attachment\":\"no\",\"importance\":\"caution\","
	f+="\"recipients\":[{\"sector\":\"finance\"},{\"sector\":\"electricity\"}],"
	f+="\"threat_content\":{\"summary\":\"e2e advisory $1\",\"target\":\"e2e systems\"},"
	f+="\"countermeasures\":\"apply the vendor patch\"}"
	if [ -n "${2:-}" ]; then jq -c "$2" <<<"$f"; else echo "$f"; fi
}

# adv_issue TOKEN FORM [URGENT] [BODY_JQ] -> prints the id (201 expected)
adv_issue() {
	local body="{\"urgent\":${3:-false},\"form\":$2}"
	[ -n "${4:-}" ] && body=$(jq -c "$4" <<<"$body")
	api POST /advisories "$body" "$1"
	created "issue an advisory" id
}

# multi_get TOKEN PATH... — one curl (one connection) for several GETs;
# prints one status a line; body k (from 1) in $WORK/mg.k
multi_get() {
	local tok=$1 k=0 pth
	shift
	local -a args=(-s --max-time 60 -H 'Accept: application/json')
	[ -n "$tok" ] && args+=(-H "Authorization: Bearer $tok")
	for pth in "$@"; do
		k=$((k + 1))
		rm -f "$WORK/mg.$k"
		args+=(-o "$WORK/mg.$k" "$URL$pth")
	done
	curl "${args[@]}" -w '%{http_code}\n' 2>/dev/null || true
	printf 'multi GET %s\n' "$*" >>"$WORK/requests.log"
}

# fast_org NAME TYPE [SECTORS_JSON] [CEPTOAR_ID] -> the id.  Like mkorg
# without jq (slow to start on a loaded machine): NAME must need no JSON
# escaping.
fast_org() {
	api POST /orgs "{\"name\":\"$1\",\"type\":\"$2\",\"sectors\":${3:-[]},\"ceptoar\":${4:-null}}" "$ADMIN"
	created "create org $1 ($2)" id
}

# fast_principal ORG LOGIN ROLES_CSV [NDA] -> a token for a new user (no jq)
fast_principal() {
	local uid
	api POST /users "{\"org\":$1,\"login\":\"$2\",\"display_name\":\"user $2\",\"roles\":[\"${3//,/\",\"}\"],\"nda_contractor\":${4:-false}}" "$ADMIN"
	uid=$(created "create user $2" id) || { echo invalid; return 1; }
	api POST "/users/$uid/tokens" '{"label":"e2e"}' "$ADMIN"
	created "token for user $2" token || { echo invalid; return 1; }
}

# ---- a directory from a table ----------------------------------------------

# orgs PREFIX <<'EOF' — one organisation a line, "VAR TYPE SECTORS_JSON
# CEPTOAR NAME...": creates the organisation "PREFIX NAME..." and sets VAR to
# its id (0 after a reported failure).  CEPTOAR names the variable holding
# its CEPTOAR secretariat's id, or is - for none.  Blank lines and lines
# starting with # are skipped.
orgs() {
	local prefix=$1 row var type sectors cep name
	local -a rows
	mapfile -t rows
	for row in "${rows[@]}"; do
		read -r var type sectors cep name <<<"$row"
		[ -n "$var" ] && [ "${var:0:1}" != "#" ] || continue
		if [ "$cep" == - ]; then cep=null; else cep=${!cep}; fi
		if [[ $prefix$name == *[\\\"]* ]]; then
			printf -v "$var" '%s' "$(mkorg "$prefix$name" "$type" "$sectors" "$cep")"
		else
			printf -v "$var" '%s' "$(fast_org "$prefix$name" "$type" "$sectors" "$cep")"
		fi
	done
}

# tokens <<'EOF' — one user a line, "VAR ORG LOGIN ROLES_CSV [NDA]": creates
# the user in the organisation whose id the variable ORG holds and sets VAR
# (a name or an array element such as TOK[nisc]) to a token for it
# ("invalid" after a reported failure).  Blank lines and # lines skipped.
tokens() {
	local row var org login roles nda
	local -a rows
	mapfile -t rows
	for row in "${rows[@]}"; do
		read -r var org login roles nda <<<"$row"
		[ -n "$var" ] && [ "${var:0:1}" != "#" ] || continue
		printf -v "$var" '%s' "$(fast_principal "${!org}" "$login" "$roles" "${nda:-false}")"
	done
}

# ref_orgs VAR=TYPE[:SECTOR[:NAME_PART]]... — sets each VAR to the id of the
# first organisation of TYPE (serving SECTOR, its name containing NAME_PART),
# 0 if there is none: the reference ministries and agencies `cishared init`
# creates.  One GET /orgs for all.
ref_orgs() {
	local spec var t s n
	api GET "/orgs?limit=500" "" "$ADMIN"
	for spec in "$@"; do
		var=${spec%%=*}
		IFS=: read -r t s n <<<"${spec#*=}"
		printf -v "$var" '%s' "$(jq -r --arg t "$t" --arg s "${s:-}" --arg n "${n:-}" \
		    '[.items[] | select(.type == $t and ($s == "" or (.sectors | index($s)))
		      and ($n == "" or (.name | contains($n))))][0].id // 0' <<<"$BODY")"
	done
}

# sector_parties NAME_PREFIX LOGIN_PREFIX SECTOR... — for the i-th SECTOR, a
# ministry "NAME_PREFIX ministry SECTOR" with a liaison (token in T_LIA[i],
# login LOGIN_PREFIXliaison-SECTOR) and an operator "NAME_PREFIX operator
# SECTOR" with a member (T_OPR[i], LOGIN_PREFIXop-SECTOR).
sector_parties() {
	local np=$1 lp=$2 i=0 s m o
	shift 2
	for s in "$@"; do
		m=$(fast_org "$np ministry $s" ci_ministry "[\"$s\"]")
		o=$(fast_org "$np operator $s" ci_operator "[\"$s\"]")
		T_LIA[$i]=$(fast_principal "$m" "${lp}liaison-$s" liaison)
		T_OPR[$i]=$(fast_principal "$o" "${lp}op-$s" member)
		i=$((i + 1))
	done
}

# sector_population PREFIX — the CEPTOAR secretariats and operators of two
# sectors: CEP_F (銀行等CEPTOAR, finance) with its banks OP1 (みなと銀行) and
# OP2 (さくら信金), CEP_E (電力CEPTOAR, electricity) with OPE (東都電力).
sector_population() {
	orgs "$1" <<'EOF'
CEP_F	ceptoar_secretariat	["finance"]	-	銀行等CEPTOAR
CEP_E	ceptoar_secretariat	["electricity"]	-	電力CEPTOAR
OP1	ci_operator		["finance"]	CEP_F	みなと銀行
OP2	ci_operator		["finance"]	CEP_F	さくら信金
OPE	ci_operator		["electricity"]	CEP_E	東都電力
EOF
}

# forwards_numbered FILE N — the N concurrent forwards FILE records (a line
# each: "ID STATUS R-NUMBER ...") were all answered, each 200, and carry
# R1..RN, each once.
forwards_numbered() {
	eq "$2 concurrent forwards answered" "$(wc -l <"$1")" "$2"
	eq "every concurrent forward -> 200" "$(awk '$2 != 200' "$1" | wc -l)" 0
	eq "the forward answers carry R1..R$2, each once" \
	    "$(awk '{print $3}' "$1" | sort -V | paste -sd,)" "$(seq -f 'R%g' 1 "$2" | paste -sd,)"
}

# race_forwards URL_A URL_B — four new direct finance reports of T_OPR[0]
# (ids in RACE), each forwarded by T_LIA[0] twice at the same moment, once
# through each URL (give one URL twice for one daemon).  One line per
# forward in $WORK/race.txt: "ID STATUS R-NUMBER", or the error code for
# R-NUMBER when refused.
race_forwards() {
	local k u
	local -a pids=()
	RACE=()
	for k in 0 1 2 3; do
		RACE[$k]=$(submit "${T_OPR[0]}" direct "$(mkform amber finance)")
	done
	: >"$WORK/race.txt"
	for k in 0 1 2 3; do
		for u in "$1" "$2"; do
			(
				URL=$u
				api POST "/reports/${RACE[$k]}/forward" "" "${T_LIA[0]}"
				echo "${RACE[$k]} $STATUS $(jqv '.identification_number // .error.code')" >>"$WORK/race.txt"
			) &
			pids+=("$!")
		done
	done
	wait "${pids[@]}"
}

# ---- paging ---------------------------------------------------------------

# pages TOKEN PATH LIMIT FILTER [MAX_PAGES] — GET PATH?limit=LIMIT, then
# every next_cursor after it (MAX_PAGES pages at most, default 1000);
# prints jq -r FILTER of each page.  Returns 1 at the first page that is not
# 200.
pages() {
	local cursor= n=0
	while :; do
		api GET "$2?limit=$3${cursor:+&cursor=$cursor}" "" "$1"
		[ "$STATUS" == 200 ] || return 1
		jqv "$4"
		cursor=$(jqv '.next_cursor // empty')
		n=$((n + 1))
		[ -n "$cursor" ] && [ "$n" -lt "${5:-1000}" ] || break
	done
}

# audit_all TOKEN [LIMIT] -> every audit entry over all pages (LIMIT a page,
# default 500) as one JSON array; [] and status 1 if a page is refused.
audit_all() {
	local out
	out=$(pages "$1" /audit "${2:-500}" '.items[]') || { echo "[]"; return 1; }
	jq -sc . <<<"$out"
}
