#!/bin/sh
# systemd.sh PVHPROBE - the systemd units of contrib/systemd.
#
# Checks, one "ok -" line each:
#  - `systemd-analyze verify` accepts both units as they are in the source
#    tree and as `make install` writes them, printing nothing (an unknown
#    key is only a warning there: its message fails the check);
#  - `systemd-analyze security --offline=true` rates the service's exposure
#    at most 2.0 (of 10): the sandbox is there;
#  - the keys the design rests on: ProtectSystem=strict with the textfile
#    directory the one writable path, PrivateTmp, NoNewPrivileges, an empty
#    capability bounding set; the timer is installable (WantedBy=
#    timers.target), the service is not (the timer starts it): both are
#    disabled until someone enables the timer;
#  - the service's command, run with the textfile directory moved to a
#    scratch one and PVHPROBE for the installed binary: it writes
#    pvhprobe.prom (promtool accepts it, when installed), leaves no
#    temporary file, and when pvhprobe fails leaves the previous file as it
#    was.
# systemd-analyze is in the systemd package (scripts/install-deps.sh --test
# installs it); without it the checks are skipped, except under CI=true,
# where that fails.
set -u
if [ $# -ne 1 ]; then
	echo "usage: $0 PVHPROBE" >&2
	exit 2
fi
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/../.." && pwd)
units=$top/contrib/systemd
svc=$units/pvhprobe-textfile.service
tmr=$units/pvhprobe-textfile.timer
dir=/var/lib/prometheus/node-exporter
. "$top/tests/lib/tap.sh"
CI_REQUIRES="systemd-analyze (the systemd package) must be installed"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# verify WHAT FILE...: systemd-analyze verify, silent and successful.
verify() {
	what=$1
	shift
	if systemd-analyze verify --man=no "$@" >"$tmp/v" 2>&1 && [ ! -s "$tmp/v" ]; then
		ok "systemd-analyze verify accepts $what"
	else
		notok "systemd-analyze verify accepts $what"
		diag "$tmp/v"
	fi
}

if command -v systemd-analyze >/dev/null 2>&1; then
	verify "the units in contrib/systemd" "$svc" "$tmr"
	(cd "$top" && ${MAKE:-make} -s install PREFIX=/usr/local DESTDIR="$tmp/dest" SYSTEMDUNITDIR=/usr/local/lib/systemd/system) \
		>"$tmp/i" 2>&1
	check "make install writes the units" || diag "$tmp/i"
	verify "the installed units" "$tmp/dest/usr/local/lib/systemd/system/pvhprobe-textfile.service" \
		"$tmp/dest/usr/local/lib/systemd/system/pvhprobe-textfile.timer"
	if systemd-analyze security --offline=true --threshold=20 --no-pager "$svc" >"$tmp/s" 2>&1; then
		ok "systemd-analyze security: exposure at most 2.0 ($(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$tmp/s"))"
	else
		notok "systemd-analyze security: exposure at most 2.0"
		grep 'Overall exposure' "$tmp/s" | sed 's/^/#   /'
	fi
else
	missing "systemd-analyze is not installed: the units are not verified"
	[ "$fail" -eq 0 ] || finish
fi

# key FILE LINE: FILE has the line LINE.
key() {
	grep -qxF "$2" "$1"
	check "$(basename "$1"): $2"
}
key "$svc" "ProtectSystem=strict"
key "$svc" "ReadWritePaths=$dir"
key "$svc" "PrivateTmp=yes"
key "$svc" "NoNewPrivileges=yes"
key "$svc" "CapabilityBoundingSet="
key "$svc" "Type=oneshot"
key "$tmr" "WantedBy=timers.target"
! grep -q '^\[Install\]' "$svc"
check "the service has no [Install] section: the timer starts it"
[ "$(grep -c '^ReadWritePaths=' "$svc")" = 1 ]
check "the textfile directory is the service's one writable path"

# The command as systemd runs it: "$$" is systemd's escape for "$".
cmd=$(sed -n "s/^ExecStart=\/bin\/sh -c '\(.*\)'\$/\1/p" "$svc")
[ -n "$cmd" ]
check "ExecStart is /bin/sh -c '...'"
run_cmd() { # run_cmd PVHPROBE
	c=$(printf '%s\n' "$cmd" | sed "s/\\\$\\\$/\$/g; s#$dir#$tmp/tf#g; s#/usr/bin/pvhprobe#$1#g")
	sh -c "$c"
}
mkdir "$tmp/tf"
if run_cmd "$bin" && [ -s "$tmp/tf/pvhprobe.prom" ]; then
	ok "the service's command writes pvhprobe.prom"
else
	notok "the service's command writes pvhprobe.prom"
fi
"$bin" -f prometheus >"$tmp/direct"
cmp -s "$tmp/direct" "$tmp/tf/pvhprobe.prom"
check "pvhprobe.prom is what pvhprobe -f prometheus prints"
if command -v promtool >/dev/null 2>&1; then
	promtool check metrics <"$tmp/tf/pvhprobe.prom" >"$tmp/p" 2>&1
	check "promtool accepts pvhprobe.prom" || diag "$tmp/p"
fi
[ "$(ls "$tmp/tf")" = pvhprobe.prom ]
check "no temporary file is left"
cp "$tmp/tf/pvhprobe.prom" "$tmp/before"
printf '#!/bin/sh\necho "# HELP partial" ; exit 3\n' >"$tmp/failing"
chmod +x "$tmp/failing"
! run_cmd "$tmp/failing"
check "the service fails when pvhprobe fails"
cmp -s "$tmp/before" "$tmp/tf/pvhprobe.prom"
check "a failed run leaves the previous pvhprobe.prom as it was"
[ "$(ls "$tmp/tf")" = pvhprobe.prom ]
check "a failed run leaves no temporary file"
finish
