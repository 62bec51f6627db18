#!/bin/sh
# pg.sh start|stop DIR: a local PostgreSQL cluster for the benchmarks.
#
# Like tests/pg/start.sh, but durable (fsync, synchronous_commit and
# full_page_writes stay on, as in production) and kept across runs: DIR/data
# survives `stop`, so a generated data set is reused.  `start` prints the
# URI (postgresql://USER@127.0.0.1:PORT/cishare_bench?passfile=DIR/pgpass).
# As root the server runs as the `postgres` user (initdb refuses root).
set -eu

die() { echo "pg.sh: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: pg.sh start|stop DIR"
cmd=$1
# shellcheck source=tests/pg/lib.sh
. "$(dirname "$0")/../tests/pg/lib.sh"
bindir=$(pg_bindir initdb pg_ctl) || die "no PostgreSQL server (apt-get install postgresql)"
mkdir -p "$2"
dir=$(cd "$2" && pwd)
pg_owner "$dir" || die "no postgres user (apt-get install postgresql)"

case $cmd in
stop)
	[ -e "$dir/data/postmaster.pid" ] || exit 0
	# shellcheck disable=SC2086
	$as "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	exit 0
	;;
start) ;;
*) die "usage: pg.sh start|stop DIR" ;;
esac

if [ ! -e "$dir/data" ]; then
	umask 077
	pw=$(pg_initdb "$bindir" "$dir/data" "$dir") ||
		{ cat "$dir/initdb.log" >&2; die "initdb failed"; }
	echo "$pw" >"$dir/pw"
	[ -z "$as" ] || chown postgres: "$dir/pw"
	port=$(pg_random_port)
	echo "$port" >"$dir/port"
	[ -z "$as" ] || chown postgres: "$dir/port"
	fresh=1
else
	fresh=""
fi
port=$(cat "$dir/port")
pw=$(cat "$dir/pw")
if [ ! -e "$dir/data/postmaster.pid" ]; then
	# shellcheck disable=SC2086
	$as "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
	    -o "-c listen_addresses=127.0.0.1 -c port=$port \
	    -c unix_socket_directories=$dir -c max_connections=200 \
	    -c shared_buffers=256MB" start >/dev/null 2>&1 ||
		{ tail -n 20 "$dir/server.log" >&2; die "server did not start"; }
fi
if [ -n "$fresh" ]; then
	# shellcheck disable=SC2086
	$as "$bindir/createdb" -h "$dir" -p "$port" -U "$user" -E UTF8 \
		cishare_bench || die "createdb failed"
fi
printf '127.0.0.1:%s:*:%s:%s\n' "$port" "$user" "$pw" >"$dir/pgpass.$(id -u)"
chmod 600 "$dir/pgpass.$(id -u)"
echo "postgresql://$user@127.0.0.1:$port/cishare_bench?passfile=$dir/pgpass.$(id -u)"
