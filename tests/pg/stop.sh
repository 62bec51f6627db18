#!/bin/sh
# stop.sh DIR: stops the cluster start.sh made in DIR (files are kept;
# remove DIR afterwards to discard it).
set -eu

[ $# -eq 1 ] || { echo "usage: stop.sh DIR" >&2; exit 1; }
dir=$(cd "$1" && pwd)
[ -f "$dir/data/postmaster.pid" ] || exit 0
# shellcheck source=tests/pg/lib.sh
. "$(dirname "$0")/lib.sh"
bindir=$(pg_bindir pg_ctl) || { echo "stop.sh: no pg_ctl" >&2; exit 1; }
as=""
[ "$(id -u)" != 0 ] || as="runuser -u postgres --"
# shellcheck disable=SC2086
$as "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
