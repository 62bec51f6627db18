#!/bin/sh
# tests/pkg/check-deb.sh: build the Debian package, install it on THIS
# machine (as root; it adds the system user "cishare"), check the install
# (user, state directory 0700, database and key, admin token 0600, the unit
# enabled, the daemon serving as its user), then purge it.  Not part of
# make check (it takes minutes and changes the machine): run it in a
# throw-away VM or container before a release.
set -eu
cd "$(dirname "$0")/../.."
fail() { echo "FAIL: $*"; exit 1; }
make deb >/tmp/cishare-deb.log 2>&1 || fail "make deb (see /tmp/cishare-deb.log)"
DEB=$(ls -t ../cishare_*_"$(dpkg --print-architecture)".deb | head -1)
dpkg -i "$DEB" >/tmp/cishare-dpkg.log 2>&1 || fail "dpkg -i $DEB"
id cishare >/dev/null || fail "no cishare user"
[ "$(stat -c %a:%U /var/lib/cishare)" = 700:cishare ] || fail "state directory mode"
[ -s /var/lib/cishare/cishare.db ] && [ -s /var/lib/cishare/cishare.db.key ] || fail "no database"
[ "$(stat -c %a /etc/cishare/admin-token)" = 600 ] || fail "admin token mode"
[ -L /etc/systemd/system/multi-user.target.wants/cishared.service ] || fail "unit not enabled"
runuser -u cishare -- env CISHARED_DB=/var/lib/cishare/cishare.db /usr/sbin/cishared check-config >/dev/null ||
	fail "check-config as the service user"
runuser -u cishare -- env CISHARED_DB=/var/lib/cishare/cishare.db CISHARED_LISTEN=127.0.0.1:18099 \
	/usr/sbin/cishared serve >/dev/null 2>&1 &
sleep 2
[ "$(curl -s http://127.0.0.1:18099/healthz)" = ok ] || fail "the daemon does not serve"
TOKEN=$(sed -n 's/^admin-token: //p' /etc/cishare/admin-token)
curl -sf -H "Authorization: Bearer $TOKEN" http://127.0.0.1:18099/api/v1/me >/dev/null || fail "admin token"
pkill -u cishare -f "cishared serve" || true
sleep 1
man -w cishared >/dev/null && man -w cishare >/dev/null || fail "man pages"
dpkg --purge cishare >/dev/null 2>&1 || fail "purge"
[ ! -e /var/lib/cishare ] || fail "purge left /var/lib/cishare"
echo "PASS: $DEB installs, serves as cishare, purges cleanly"
