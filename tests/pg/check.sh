#!/bin/sh
# check.sh BUILD_DIR: the PostgreSQL checks against a throwaway cluster:
# the store contract (BUILD_DIR/tests/test_store and test_store_tx with
# CS_TEST_STORE_URL)
# and two daemons on one database (t_two_daemons.sh).  Uses $CS_PG_URL
# instead of a new cluster when set.  Exits 1 if anything failed.
set -u

[ $# -eq 1 ] || { echo "usage: check.sh BUILD_DIR" >&2; exit 64; }
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
cluster=""
rc=0
if [ -z "${CS_PG_URL:-}" ]; then
	cluster=$(mktemp -d /tmp/cishare-pg.XXXXXX)
	CS_PG_URL=$("$here/start.sh" "$cluster") || { rm -rf "$cluster"; exit 1; }
fi
export CS_PG_URL
trap '[ -z "$cluster" ] || { "$here/stop.sh" "$cluster"; rm -rf "$cluster"; }' EXIT

"$here/reset.sh" "$CS_PG_URL" || exit 1
for t in test_store test_store_tx; do
	echo "== $t on PostgreSQL"
	CS_TEST_STORE_URL=$CS_PG_URL "$build/tests/$t" || rc=1
done
echo "== two daemons on one database"
"$here/t_two_daemons.sh" "$build" || rc=1
exit $rc
