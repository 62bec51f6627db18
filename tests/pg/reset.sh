#!/bin/sh
# reset.sh URI: empties a test database (drops and recreates the public
# schema, with every cishare table, sequence and function in it), so the
# next store_open(..., create) migrates from scratch.  The store interface
# has no "drop everything" operation, by design.
set -eu

[ $# -eq 1 ] || { echo "usage: reset.sh URI" >&2; exit 1; }
# shellcheck source=tests/pg/lib.sh
. "$(dirname "$0")/lib.sh"
psql=psql
if d=$(pg_bindir psql); then
	psql=$d/psql
fi
"$psql" "$1" -q -v ON_ERROR_STOP=1 -c 'SET client_min_messages = warning' \
	-c 'DROP SCHEMA IF EXISTS public CASCADE' \
	-c 'CREATE SCHEMA public' >/dev/null
