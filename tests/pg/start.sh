#!/bin/sh
# start.sh DIR: a throwaway PostgreSQL cluster for tests.
#
# Creates DIR/data with Debian's server binaries (/usr/lib/postgresql/N/bin,
# the newest N), starts it on 127.0.0.1 with a free port and its socket in
# DIR, creates the database cishare_test, and prints its URI on stdout:
#
#	postgresql://USER@127.0.0.1:PORT/cishare_test?passfile=DIR/pgpass
#
# The socket is trusted; TCP needs the password (scram-sha-256), which is in
# DIR/pgpass (mode 600) and never in the URI: libpq reads it through the
# passfile parameter, just as cishared takes it from PGPASSFILE/PGPASSWORD.
#
# As root (CI), initdb and the server run as the `postgres` system user
# (initdb refuses root), so DIR becomes owned by postgres and its parent
# must be reachable by it (/tmp is); as anyone else they run as that user.
# Tuned for tests, not durability (fsync off).  Stop with stop.sh DIR.
set -eu

die() { echo "start.sh: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: start.sh DIR"
# shellcheck source=tests/pg/lib.sh
. "$(dirname "$0")/lib.sh"
bindir=$(pg_bindir initdb pg_ctl) || die "no PostgreSQL server (apt-get install postgresql)"

mkdir -p "$1"
dir=$(cd "$1" && pwd)
[ ! -e "$dir/data" ] || die "$dir/data exists: stop.sh it and remove it first"

pg_owner "$dir" || die "no postgres user (apt-get install postgresql)"
# shellcheck disable=SC2086
$as test -w "$dir" || die "$dir is not writable by $user"

umask 077
pw=$(pg_initdb "$bindir" "$dir/data" "$dir") || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

# A free port: try random ones until the server binds.
started=""
for _ in 1 2 3 4 5 6 7 8 9 10; do
	port=$(pg_random_port)
	# shellcheck disable=SC2086
	if $as "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
	    -o "-c listen_addresses=127.0.0.1 -c port=$port \
	    -c unix_socket_directories=$dir -c fsync=off \
	    -c synchronous_commit=off -c full_page_writes=off \
	    -c max_connections=200" start >/dev/null 2>&1; then
		started=1
		break
	fi
done
[ -n "$started" ] || { tail -n 20 "$dir/server.log" >&2; die "server did not start"; }
echo "$port" >"$dir/port"

# shellcheck disable=SC2086
$as "$bindir/createdb" -h "$dir" -p "$port" -U "$user" -E UTF8 cishare_test \
	|| die "createdb failed"

# The password file for TCP clients, owned by whoever runs the tests.
printf '127.0.0.1:%s:*:%s:%s\n' "$port" "$user" "$pw" >"$dir/pgpass"
chmod 600 "$dir/pgpass"
echo "postgresql://$user@127.0.0.1:$port/cishare_test?passfile=$dir/pgpass"
