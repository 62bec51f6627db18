#!/usr/bin/env bash
# cishared check-config (issue 16, item 5): checks the serve options and
# environment without serving — listen address, database, key file (it
# must open this database's seals), TLS files, URLs — a line per check,
# exit 0 when all pass, 1 when any fails.
. "$(dirname "$0")/lib.sh"
init_db
db_keyargs "$DB"
OUT=$("$CISHARED" check-config --db "$(db_url "$DB")" "${KEYARGS[@]}" --listen 127.0.0.1:8080 2>&1); RC=$?
eq "a good configuration: exit 0" "$RC" 0
ok "it checks the database and the key against it" 'grep -q "^ok   --db" <<<"$OUT" && grep -q "^ok   the key file opens this database" <<<"$OUT" && grep -q "^config ok$" <<<"$OUT"'
OUT=$(CISHARED_LISTEN=127.0.0.1:99999 "$CISHARED" check-config --db "$(db_url "$DB")" "${KEYARGS[@]}" 2>&1); RC=$?
ok "a bad listen port from the environment: exit 1, named" '[ $RC == 1 ] && grep -q "^FAIL --listen: bad port" <<<"$OUT"'
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WORK/other.key"
OUT=$("$CISHARED" check-config --db "$(db_url "$DB")" --key-file "$WORK/other.key" 2>&1); RC=$?
ok "another deployment's key: the seals check fails" '[ $RC == 1 ] && grep -q "^FAIL the key file opens this database" <<<"$OUT"'
echo "not pem" >"$WORK/c.pem"
OUT=$("$CISHARED" check-config --db "$(db_url "$DB")" "${KEYARGS[@]}" --tls-cert "$WORK/c.pem" \
    --public-url "ftp://x" --smtp "http://mail" 2>&1); RC=$?
ok "TLS without a key, a cert that is not PEM, bad URLs: each named" \
    '[ $RC == 1 ] && grep -q "^FAIL --tls-cert and --tls-key" <<<"$OUT" && grep -q "^FAIL --tls-cert: .*no \"BEGIN CERTIFICATE\" block" <<<"$OUT" && grep -q "^FAIL --public-url" <<<"$OUT" && grep -q "^FAIL --smtp" <<<"$OUT" && grep -q "^config has 4 problem(s)$" <<<"$OUT"'
if [ "$CS_STORE" != pg ]; then
	OUT=$("$CISHARED" check-config --db "$WORK/none.db" --key-file "$WORK/other.key" 2>&1); RC=$?
	ok "a database that is not there: exit 1" '[ $RC == 1 ] && grep -q "^FAIL --db" <<<"$OUT"'
	ok "and check-config created nothing" '[ ! -e "$WORK/none.db" ]'
fi
