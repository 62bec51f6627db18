# shellcheck shell=sh
# tests/pg/lib.sh — what the PostgreSQL scripts share (tests/pg/*.sh,
# bench/pg.sh, tests/e2e/lib.sh): finding Debian's server binaries, running
# them as the right user, and initdb.  POSIX sh; source it.

# pg_use_build BUILD_DIR — the binaries under test: exports CISHARED and
# CISHARE from BUILD_DIR.
pg_use_build() {
	CISHARED=$(cd "$1" && pwd)/cishared || return 1
	CISHARE=${CISHARED%/cishared}/cishare
	export CISHARED CISHARE
}

# pg_bindir TOOL... — prints the newest /usr/lib/postgresql/N/bin that has
# every TOOL; status 1 when there is none.
pg_bindir() {
	for _d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5n -r); do
		_ok=1
		for _t in "$@"; do
			[ -x "$_d/$_t" ] || _ok=""
		done
		if [ -n "$_ok" ]; then
			echo "$_d"
			return 0
		fi
	done
	return 1
}

# pg_owner DIR — who runs a cluster kept in DIR.  As root (CI) the postgres
# system user, since initdb refuses root: DIR is handed to it (mode 700),
# so its parent must be reachable by it (/tmp is).  Otherwise whoever runs
# this.  Sets as (the command prefix: "runuser -u postgres --" or empty)
# and user; status 1 when root has no postgres user.
pg_owner() {
	as=""
	user=$(id -un)
	[ "$(id -u)" = 0 ] || return 0
	id postgres >/dev/null 2>&1 || return 1
	chown postgres: "$1"
	chmod 700 "$1"
	as="runuser -u postgres --"
	user=postgres
}

# pg_initdb BINDIR DATADIR WORKDIR — initdb DATADIR as pg_owner's user
# (UTF8, C.UTF-8; the socket trusted, TCP with scram-sha-256).  The
# superuser's password is a random one, handed to initdb in a file only
# it reads and printed on stdout; initdb's output goes to
# WORKDIR/initdb.log.  Set umask 077 first if the caller keeps the password.
pg_initdb() {
	_pw=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
	(umask 077 && printf '%s\n' "$_pw" >"$3/pwfile") || return 1
	[ -z "$as" ] || chown postgres: "$3/pwfile"
	# shellcheck disable=SC2086
	if ! $as "$1/initdb" -D "$2" -U "$user" --pwfile="$3/pwfile" \
	    -E UTF8 --locale=C.UTF-8 --auth-local=trust \
	    --auth-host=scram-sha-256 >"$3/initdb.log" 2>&1; then
		rm -f "$3/pwfile"
		return 1
	fi
	rm -f "$3/pwfile"
	echo "$_pw"
}

# pg_random_port — a port in 20000..49999 that nothing listens on (as far
# as ss(8), when installed, can tell).
pg_random_port() {
	while :; do
		_p=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 + 20000 ))
		if command -v ss >/dev/null 2>&1 && ss -ltnH "sport = :$_p" 2>/dev/null | grep -q .; then
			continue
		fi
		echo "$_p"
		return 0
	done
}
