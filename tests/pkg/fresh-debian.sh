#!/bin/sh
# tests/pkg/fresh-debian.sh [DEB]: the Debian package on a fresh Debian.
#
# Builds the package (make deb) unless a .deb is named, makes a fresh root of
# this machine's release with debootstrap (the base system plus man-db, as
# the installer's "standard system utilities" leave it; cached as a tarball
# under /var/cache/cishare-fresh), boots it with systemd-nspawn -b (its own
# systemd, no network) and, inside it, checks what a user sees: apt installs
# the package with its dependencies from the Debian mirror, the postinst
# enables and starts cishared.service, /healthz answers, the admin token
# works, the man pages and the client are there, the state directory is the
# service user's; remove keeps the data, purge removes the service, the
# configuration, the database and the user; a reinstall works again.
#
# Root, debootstrap, systemd-container and the mirror are needed, so this is
# not part of make check: make deb-fresh.  About 2.5 minutes with the build
# and a cached root (the first run adds about 3 minutes of debootstrap).
# Prints a PASS or FAIL line per check and "N passed, N failed"; exits 1 if
# any failed.  The container has no network once booted: apt downloads the
# package's dependencies (and curl) into the root first, then installs from
# there.  nspawn runs with --register=no --keep-unit, so the host needs
# neither systemd-machined nor systemd as PID 1; commands enter the booted
# container with nsenter.
#
# Environment: MIRROR (default http://deb.debian.org/debian), SECURITY
# (default http://deb.debian.org/debian-security), SUITE (default this
# machine's VERSION_CODENAME), CACHE (default /var/cache/cishare-fresh),
# REFRESH=1 makes the cached root again, KEEP=1 leaves the container running
# (the script prints how to enter it and how to stop it).
set -eu
DEB=${1:+$(realpath "$1")}
cd "$(dirname "$0")/../.."

SUITE=${SUITE:-$(. /etc/os-release && echo "$VERSION_CODENAME")}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY=${SECURITY:-http://deb.debian.org/debian-security}
CACHE=${CACHE:-/var/cache/cishare-fresh}
ARCH=$(dpkg --print-architecture)
WORK=/var/tmp/cishare-fresh
ROOT=$WORK/root
LOG=$WORK/log
PIDFILE=$WORK/nspawn.pid
PORT=8080 # the package's default (dist/cishared.service)

npass=0
nfail=0
pass() { npass=$((npass + 1)); echo "PASS: $*"; }
fail() { nfail=$((nfail + 1)); echo "FAIL: $*"; }
check() { # check DESCRIPTION COMMAND...: PASS when the command succeeds
	d=$1
	shift
	echo "== $d" >>"$LOG/checks.log"
	if "$@" >>"$LOG/checks.log" 2>&1; then pass "$d"; else fail "$d"; fi
}
die() {
	echo "FAIL: $*"
	nfail=$((nfail + 1))
	echo "$npass passed, $nfail failed"
	exit 1
}

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, systemd-nspawn)"
for t in debootstrap systemd-nspawn nsenter; do
	command -v $t >/dev/null || die "no $t (apt-get install debootstrap systemd-container)"
done

# The container of an earlier run, if any, and its root.
stop_container() {
	if [ -s "$PIDFILE" ]; then
		p=$(cat "$PIDFILE")
		if kill -0 "$p" 2>/dev/null; then
			kill "$p" # nspawn powers the container off
			i=0
			while kill -0 "$p" 2>/dev/null && [ $i -lt 30 ]; do
				sleep 1
				i=$((i + 1))
			done
			kill -9 "$p" 2>/dev/null || true
		fi
		rm -f "$PIDFILE"
	fi
}
cleanup() {
	if [ "${KEEP:-}" = 1 ] && [ -s "$PIDFILE" ]; then
		echo "KEEP=1: the container runs; enter it with: nsenter -t $(leader) -a bash;" \
		    "stop it with: kill $(cat "$PIDFILE"); then rm -rf $ROOT"
		return
	fi
	stop_container
	rm -rf "$ROOT"
}
stop_container
rm -rf "$ROOT" "$LOG"
mkdir -p "$WORK" "$LOG" "$CACHE"
trap cleanup EXIT
trap 'exit 1' INT TERM
start=$(date +%s)

# 1. The package.
if [ -z "$DEB" ]; then
	VER=$(dpkg-parsechangelog -S Version)
	make deb >"$LOG/build.log" 2>&1 || die "make deb (see $LOG/build.log)"
	DEB=../cishare_${VER}_$ARCH.deb
fi
[ -f "$DEB" ] || die "no package $DEB"
echo "package: $DEB"

# 2. A fresh root: debootstrap once into a cached tarball, then unpack it.
TARBALL=$CACHE/$SUITE-$ARCH-root.tar.gz
if [ "${REFRESH:-}" = 1 ] || [ ! -s "$TARBALL" ]; then
	rm -rf "$ROOT"
	debootstrap --arch="$ARCH" --include=man-db "$SUITE" "$ROOT" "$MIRROR" \
	    >"$LOG/debootstrap.log" 2>&1 || die "debootstrap $SUITE $MIRROR (see $LOG/debootstrap.log)"
	rm -rf "$ROOT/var/cache/apt/archives/"*.deb "$ROOT/var/lib/apt/lists/"*_Packages
	tar -C "$ROOT" --numeric-owner --xattrs -czf "$TARBALL.new" . &&
	    mv "$TARBALL.new" "$TARBALL" || die "caching the root in $TARBALL"
	rm -rf "$ROOT"
fi
mkdir -p "$ROOT"
tar -C "$ROOT" --numeric-owner --xattrs -xzf "$TARBALL" || die "unpacking $TARBALL"
echo "cishare-fresh" >"$ROOT/etc/hostname"
cat >"$ROOT/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SECURITY $SUITE-security main
EOF
cp "$DEB" "$ROOT/root/"
PKG=/root/$(basename "$DEB")

# 3. Fetch from the mirror (the container has no network once booted): the
# indices, then what apt resolves for the package, and curl for the checks.
nspawn_run() {
	systemd-nspawn -q -D "$ROOT" --register=no --keep-unit -E DEBIAN_FRONTEND=noninteractive "$@"
}
nspawn_run apt-get -q update >"$LOG/apt-update.log" 2>&1 ||
	die "apt-get update from $MIRROR (see $LOG/apt-update.log)"
nspawn_run apt-get -q -y --download-only install "$PKG" >"$LOG/apt-download.log" 2>&1 ||
	die "apt resolves and downloads the package's dependencies (see $LOG/apt-download.log)"
nspawn_run apt-get -q -y --download-only install curl >>"$LOG/apt-download.log" 2>&1 ||
	die "apt downloads curl (see $LOG/apt-download.log)"

# 4. Boot it.
systemd-nspawn -D "$ROOT" -b --register=no --keep-unit --private-network \
    -M cishare-fresh --console=passive >"$LOG/nspawn.log" 2>&1 &
echo $! >"$PIDFILE"
leader() { pgrep -P "$(cat "$PIDFILE")" | head -1; }
ct() { # ct COMMAND...: run it inside the booted container
	nsenter -t "$(leader)" -a -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	    LANG=C.UTF-8 HOME=/root DEBIAN_FRONTEND=noninteractive "$@"
}
i=0
state=
while [ $i -lt 60 ]; do
	if [ -n "$(leader)" ]; then
		state=$(ct systemctl is-system-running 2>/dev/null || true)
		case $state in running | degraded) break ;; esac
	fi
	sleep 1
	i=$((i + 1))
done
case $state in
running | degraded) echo "booted: systemd in the container is $state" ;;
*) die "the container does not boot (state '$state'; see $LOG/nspawn.log)" ;;
esac

# The service's checks; $1 names the moment (after install, ...).
wait_active() {
	i=0
	while [ $i -lt 15 ]; do
		[ "$(ct systemctl is-active cishared 2>/dev/null)" = active ] &&
		    ct curl -sf -o /dev/null http://127.0.0.1:$PORT/healthz && return 0
		sleep 1
		i=$((i + 1))
	done
	return 1
}
healthz_ok() { # docs/api.md: 200, "ok", text/plain
	r=$(ct curl -s -o /dev/null -w '%{http_code} %{content_type}' http://127.0.0.1:$PORT/healthz) || return 1
	b=$(ct curl -s http://127.0.0.1:$PORT/healthz) || return 1
	echo "healthz: $r: $b"
	case $r in "200 text/plain"*) [ "$b" = ok ] ;; *) return 1 ;; esac
}
token_ok() {
	[ "$(ct stat -c %a:%U /etc/cishare/admin-token)" = 600:root ] || return 1
	tok=$(ct sed -n 's/^admin-token: //p' /etc/cishare/admin-token)
	[ -n "$tok" ] || return 1
	ct curl -sf -H "Authorization: Bearer $tok" http://127.0.0.1:$PORT/api/v1/me
}
cli_ok() { # the client, pointed at the service as a user would
	tok=$(ct sed -n 's/^admin-token: //p' /etc/cishare/admin-token)
	ct env CISHARE_URL=http://127.0.0.1:$PORT CISHARE_TOKEN="$tok" cishare me >"$LOG/cli.out" &&
	    grep -q '"login": *"admin"' "$LOG/cli.out"
}
not() { ! "$@"; }
is() { # is VALUE COMMAND...: the command prints VALUE
	v=$1
	shift
	out=$("$@") || true
	echo "$* -> $out"
	[ "$out" = "$v" ]
}
main_user() { ct ps -o user= -p "$(ct systemctl show -P MainPID cishared)"; }
service_checks() {
	wait_active || true
	check "$1: cishared.service is enabled" is enabled ct systemctl is-enabled cishared
	check "$1: cishared.service is active" is active ct systemctl is-active cishared
	check "$1: the daemon runs as the user cishare" is cishare main_user
	check "$1: GET http://127.0.0.1:$PORT/healthz answers 200 ok (text/plain)" healthz_ok
	check "$1: the admin token in /etc/cishare/admin-token (0600 root) is accepted" token_ok
}
installed() {
	[ "$(ct dpkg-query -W -f '${db:Status-Status}' cishare)" = installed ] && ct apt-get -q check
}
man_ok() { ct env MANPAGER=cat man "$1" | grep -q "$1"; }
help_ok() { ct cishare --help | grep -qi usage; }
token_sum() { ct sha256sum /etc/cishare/admin-token; }

# 5. Install, from the mirror.
if ct apt-get -q -y install "$PKG" >"$LOG/install.log" 2>&1; then
	n=$(grep -c '^Setting up ' "$LOG/install.log" || true)
	pass "apt-get install $PKG: the package and its dependencies from the mirror ($n packages set up)"
else
	fail "apt-get install $PKG (see $LOG/install.log)"
fi
check "dpkg: cishare is installed, nothing is broken" installed
ct apt-get -q -y install curl >"$LOG/curl.log" 2>&1 || fail "apt-get install curl (see $LOG/curl.log)"
service_checks "after install"
check "the state directory /var/lib/cishare is 0700 cishare:cishare" \
    is 700:cishare:cishare ct stat -c %a:%U:%G /var/lib/cishare
check "the database and its key belong to cishare" \
    is "$(printf 'cishare\ncishare')" ct stat -c %U /var/lib/cishare/cishare.db /var/lib/cishare/cishare.db.key
check "/etc/cishare/cishared.env exists (0640 root:cishare)" \
    is 640:root:cishare ct stat -c %a:%U:%G /etc/cishare/cishared.env
check "man cishared renders cishared(8)" man_ok cishared
check "man cishare renders cishare(1)" man_ok cishare
check "cishare --help works" help_ok
check "cishare me, with the admin token, answers from the service" cli_ok
check "cishared check-config passes as the service user" \
    ct runuser -u cishare -- env CISHARED_DB=/var/lib/cishare/cishare.db /usr/sbin/cishared check-config

# 6. Reinstall over itself: the database and the admin token stay.
sum=$(token_sum)
if ct apt-get -q -y install --reinstall "$PKG" >"$LOG/reinstall.log" 2>&1; then
	pass "apt-get install --reinstall"
else
	fail "apt-get install --reinstall (see $LOG/reinstall.log)"
fi
check "after reinstall: the same admin token, the database kept" is "$sum" token_sum
service_checks "after reinstall"

# 7. Remove keeps the data; purge removes service, configuration, data, user.
if ct apt-get -q -y remove cishare >"$LOG/remove.log" 2>&1; then pass "apt-get remove"; else fail "apt-get remove (see $LOG/remove.log)"; fi
check "after remove: cishared is stopped" not ct systemctl is-active -q cishared
check "after remove: the database and the admin token are kept" \
    ct test -s /var/lib/cishare/cishare.db -a -s /etc/cishare/admin-token
if ct apt-get -q -y purge cishare >"$LOG/purge.log" 2>&1; then pass "apt-get purge"; else fail "apt-get purge (see $LOG/purge.log)"; fi
check "after purge: no cishared unit, not enabled" \
    ct sh -c '! systemctl cat cishared.service && ! test -e /etc/systemd/system/multi-user.target.wants/cishared.service'
check "after purge: no cishared process" not ct pgrep -f /usr/sbin/cishared
check "after purge: /var/lib/cishare and /etc/cishare are gone" \
    ct test ! -e /var/lib/cishare -a ! -e /etc/cishare
check "after purge: the user and group cishare are gone" \
    ct sh -c '! getent passwd cishare && ! getent group cishare'
check "after purge: dpkg forgets cishare" not ct dpkg-query -W cishare

# 8. Install again after the purge: a new database, a new token.
if ct apt-get -q -y install "$PKG" >"$LOG/install2.log" 2>&1; then
	pass "apt-get install after purge"
else
	fail "apt-get install after purge (see $LOG/install2.log)"
fi
check "after purge and install: a new admin token" not is "$sum" token_sum
service_checks "after purge and install"

ct journalctl -u cishared --no-pager >"$LOG/journal.log" 2>&1 || true
echo "logs: $LOG ($(($(date +%s) - start)) s)"
echo "$npass passed, $nfail failed"
[ $nfail = 0 ]
