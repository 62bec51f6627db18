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
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cishare-e2e-$TEST_NAME.XXXXXX")
LOGDIR=$E2E_DIR/logs/$TEST_NAME
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
for _tool in curl jq sqlite3 sha256sum; do
	command -v "$_tool" >/dev/null || { echo "FAIL: $_tool is not installed" >&3; exit 1; }
done

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

# init_db [PATH] [ARGS...] — cishared init; sets DB, INIT_OUT, INIT_RC and
# (when printed) ADMIN.
init_db() {
	DB=${1:-$WORK/t.db}
	[ $# -gt 0 ] && shift
	INIT_RC=0
	"$CISHARED" init --db "$DB" "$@" >"$WORK/init.out" 2>>"$WORK/init.err" || INIT_RC=$?
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
	"$CISHARED" serve --db "$db" --listen 127.0.0.1:0 >"$SERVER_OUT" 2>"$SERVER_ERR" &
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
	if [ "$STATUS" != 201 ]; then
		fail "setup: create org $1 ($2)" "$(last_req)"
		echo 0
		return 1
	fi
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
	if [ "$STATUS" != 201 ]; then
		fail "setup: create user $2" "$(last_req)"
		echo 0
		return 1
	fi
	jqv .id
}

# mktoken USER_ID -> prints a new token
mktoken() {
	api POST "/users/$1/tokens" '{"label":"e2e"}' "$ADMIN"
	if [ "$STATUS" != 201 ]; then
		fail "setup: token for user $1" "$(last_req)"
		echo invalid
		return 1
	fi
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
	if [ "$STATUS" != 201 ]; then
		fail "setup: submit a $2 report" "$(last_req)"
		echo 0
		return 1
	fi
	jqv .id
}

# followup TOKEN ID FORM -> prints the version
followup() {
	api POST "/reports/$2/followups" "$(jq -nc --argjson f "$3" '{form: $f}')" "$1"
	if [ "$STATUS" != 201 ]; then
		fail "setup: follow-up to report $2" "$(last_req)"
		echo 0
		return 1
	fi
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

# dump_hash DB — sha256 of the logical SQL dump
dump_hash() {
	sqlite3 "$1" .dump | sha256sum | cut -d' ' -f1
}

# ---- advisory helpers (t_adv_*) -------------------------------------------

# ref_org TYPE [SECTOR] [NAME_PART] -> the id of the first organisation of
# TYPE (serving SECTOR, its name containing NAME_PART) — for the reference
# ministries and agencies `cishared init` creates; 0 if there is none.
ref_org() {
	api GET "/orgs?limit=500" "" "$ADMIN"
	jq -r --arg t "$1" --arg s "${2:-}" --arg n "${3:-}" \
	    '[.items[] | select(.type == $t and ($s == "" or (.sectors | index($s)))
	      and ($n == "" or (.name | contains($n))))][0].id // 0' <<<"$BODY"
}

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
	if [ "$STATUS" != 201 ] || ! [[ $BODY =~ \"id\":([0-9]+) ]]; then
		fail "setup: issue an advisory" "$(last_req)"
		echo 0
		return 1
	fi
	echo "${BASH_REMATCH[1]}"
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
	if [ "$STATUS" != 201 ] || ! [[ $BODY =~ \"id\":([0-9]+) ]]; then
		fail "setup: create org $1 ($2)" "$(last_req)"
		echo 0
		return 1
	fi
	echo "${BASH_REMATCH[1]}"
}

# fast_principal ORG LOGIN ROLES_CSV [NDA] -> a token for a new user (no jq)
fast_principal() {
	local uid
	api POST /users "{\"org\":$1,\"login\":\"$2\",\"display_name\":\"user $2\",\"roles\":[\"${3//,/\",\"}\"],\"nda_contractor\":${4:-false}}" "$ADMIN"
	if [ "$STATUS" != 201 ] || ! [[ $BODY =~ \"id\":([0-9]+) ]]; then
		fail "setup: create user $2" "$(last_req)"
		echo invalid
		return 1
	fi
	uid=${BASH_REMATCH[1]}
	api POST "/users/$uid/tokens" '{"label":"e2e"}' "$ADMIN"
	if [ "$STATUS" != 201 ] || ! [[ $BODY =~ \"token\":\"([^\"]+)\" ]]; then
		fail "setup: token for user $2" "$(last_req)"
		echo invalid
		return 1
	fi
	echo "${BASH_REMATCH[1]}"
}
