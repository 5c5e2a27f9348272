#!/bin/sh
# unprivileged.sh PVHPROBE - pvhprobe run by an unprivileged user (issue 7
# part 5): what needs root is reported as "needs root", the rest works.
#
# Run as root: the binary and a copy of tests/ and schema/ are put in a
# directory that `nobody` can read, and every run below is done as nobody
# through `setpriv --reuid=nobody --regid=nogroup --clear-groups`:
#   - the live run (-j) exits 0 with nothing on stderr, validates against the
#     schema, reads the CPUID instruction, and reports the ACPI tables as
#     needing root (.evidence.vmm.acpi_needs_root true, and
#     .evidence.vmm.acpi.FACP.error "needs root" where this machine has
#     /sys/firmware/acpi/tables/FACP readable by root only); the same run as
#     root does not (a control); -v says so in text;
#   - --cpu=N on the last CPU and --all-cpus still work (pvhprobe pins itself
#     to one CPU: sched_setaffinity needs no privilege for one's own thread);
#   - --source=dev exits 4 with a message saying reading the cpuid driver
#     needs root (where /dev/cpu/0/cpuid exists: modprobe cpuid);
#   - xenstore (built with libxenstore): on the live run, a xenstored socket
#     only root may connect to is reported as "needs root"
#     (tests/xenstore/fake-xenstored.py in a mode-0700 directory, named by
#     XENSTORED_PATH);
#   - tests/live/smoke.sh passes as nobody;
#   - the golden CLI suite (tests/cli/run-golden.sh on the copy) run as
#     nobody gives exactly the results it gives as root, and each golden
#     case's stdout, stderr and exit status are the same for both users.
#
# One line per check, "ok - ..." / "not ok - ...", then "N passed, M
# failed". Exit 0 when all passed, 1 otherwise; not root: a note and exit 0
# (skipped), or a failure when CI=true (CI runs as root).
#
# Environment: RUNAS_USER (nobody), RUNAS_GROUP (nogroup, else the user's
# group), PYTHON (/usr/bin/python3, with the jsonschema module).
set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 PVHPROBE" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
src_bin=$1
PYTHON=${PYTHON:-/usr/bin/python3}
RUNAS_USER=${RUNAS_USER:-nobody}

. "$top/tests/lib/tap.sh"

if [ "$(id -u)" != 0 ]; then
	if [ "${CI:-}" = true ]; then
		notok "unprivileged.sh must run as root (it drops to $RUNAS_USER itself); CI runs as root"
		finish
	fi
	echo "# not root: skipped (run as root; the script drops to $RUNAS_USER itself)"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
if [ ! -x "$src_bin" ]; then
	echo "$0: $src_bin: not an executable" >&2
	exit 2
fi
if ! command -v setpriv >/dev/null 2>&1; then
	notok "setpriv not found (util-linux)"
	finish
fi
uid=$(id -u "$RUNAS_USER" 2>/dev/null) || { notok "no user $RUNAS_USER"; finish; }
if [ -z "${RUNAS_GROUP:-}" ]; then
	RUNAS_GROUP=nogroup
	getent group nogroup >/dev/null 2>&1 || RUNAS_GROUP=$(id -g "$RUNAS_USER")
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pvhprobe-unpriv.XXXXXX") || exit 1
cleanup() {
	[ -n "${srv:-}" ] && kill "$srv" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
chmod 0755 "$tmp"
mkdir "$tmp/out" # root's files: results, written by this shell's redirections

# A copy readable by nobody: the binary, tests/ (cp -R keeps the empty
# directories the bundles need) and schema/ for the validator.
mkdir "$tmp/tree" "$tmp/bin"
cp "$src_bin" "$tmp/bin/pvhprobe"
cp -R "$top/tests" "$top/schema" "$tmp/tree/"
chmod -R a+rX "$tmp/tree" "$tmp/bin"
bin=$tmp/bin/pvhprobe

# as_nobody CMD...: CMD as the unprivileged user, no supplementary groups,
# HOME and TMPDIR it can use (root's HOME is not readable).
as_nobody() {
	HOME=/ TMPDIR=/tmp setpriv --reuid="$RUNAS_USER" --regid="$RUNAS_GROUP" --clear-groups -- "$@"
}

# jval FILE EXPR: a Python expression over the document d, printed as JSON
# (strings raw).
jval() {
	"$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
try:
    v = eval(sys.argv[2], {"d": d})
except (KeyError, IndexError, TypeError):
    v = "<absent>"
print(v if isinstance(v, str) else json.dumps(v))
' "$1" "$2" 2>/dev/null || echo "<not JSON>"
}

gid=$(getent group "$RUNAS_GROUP" | cut -d: -f3)
[ "$(as_nobody id -u)" = "$uid" ] && [ "$(as_nobody id -G)" = "${gid:-$RUNAS_GROUP}" ]
check "setpriv runs commands as $RUNAS_USER (uid $uid), group $RUNAS_GROUP only" || finish

case $(uname -m) in
x86_64 | amd64 | i[3-6]86) x86=1 ;;
*) x86=0 ;;
esac

# ---- the live run ----
as_nobody "$bin" -j >"$tmp/out/live.json" 2>"$tmp/out/live.err" </dev/null
rc=$?
if [ "$x86" = 0 ]; then
	[ "$rc" -eq 4 ]
	check "live run as $RUNAS_USER on $(uname -m) exits $rc (want 4: CPUID is x86-only)" || diag "$tmp/out/live.err"
else
	[ "$rc" -eq 0 ] && [ ! -s "$tmp/out/live.err" ]
	check "live run (-j) as $RUNAS_USER exits $rc (want 0), nothing on stderr" || diag "$tmp/out/live.err"
fi
if [ "$x86" = 1 ] && [ "$rc" -eq 0 ]; then
	"$PYTHON" "$top/tests/schema/validate.py" "$tmp/out/live.json" >"$tmp/out/v" 2>&1
	check "the unprivileged report validates against the schema" || diag "$tmp/out/v"
	k=$(jval "$tmp/out/live.json" 'd["source"]["kind"]')
	[ "$k" = insn ]
	check "it read the CPUID instruction (source.kind $k)"

	# ACPI: which tables exist, and which nobody cannot read.
	unreadable=0
	for t in /sys/firmware/acpi/tables/*; do
		[ -f "$t" ] || continue
		as_nobody test -r "$t" || unreadable=1
	done
	nr=$(jval "$tmp/out/live.json" 'd["evidence"]["vmm"]["acpi_needs_root"]')
	if [ "$unreadable" = 1 ]; then
		[ "$nr" = true ]
		check "ACPI tables reported as needing root (.evidence.vmm.acpi_needs_root = $nr)"
	else
		echo "# no ACPI table here is root-only: acpi_needs_root is $nr"
	fi
	if [ -f /sys/firmware/acpi/tables/FACP ] && ! as_nobody test -r /sys/firmware/acpi/tables/FACP; then
		e=$(jval "$tmp/out/live.json" 'd["evidence"]["vmm"]["acpi"]["FACP"]["error"]')
		[ "$e" = "needs root" ]
		check ".evidence.vmm.acpi.FACP.error is \"$e\" (want \"needs root\")"
		"$bin" -j >"$tmp/out/root.json" 2>/dev/null </dev/null
		e=$(jval "$tmp/out/root.json" 'd["evidence"]["vmm"]["acpi"]["FACP"]["error"]')
		nr=$(jval "$tmp/out/root.json" 'd["evidence"]["vmm"]["acpi_needs_root"]')
		[ "$e" = null ] && [ "$nr" = false ]
		check "control: as root FACP reads (error $e, acpi_needs_root $nr)"
	else
		echo "# no root-only /sys/firmware/acpi/tables/FACP here: the FACP check is skipped"
	fi
	as_nobody "$bin" -v >"$tmp/out/live.txt" 2>"$tmp/out/live.err" </dev/null
	rc=$?
	if [ "$unreadable" = 1 ]; then
		[ "$rc" -eq 0 ] && grep -q 'need root' "$tmp/out/live.txt"
		check "text report (-v) as $RUNAS_USER exits $rc and says the ACPI tables need root" ||
			grep -i 'acpi' "$tmp/out/live.txt" | sed -n '1,5s/^/#   /p'
	fi

	# Pinning to a CPU needs no privilege.
	last=$(as_nobody "$PYTHON" -c 'import os; print(max(os.sched_getaffinity(0)))' 2>/dev/null || echo 0)
	as_nobody "$bin" --cpu="$last" -j >"$tmp/out/cpu.json" 2>"$tmp/out/cpu.err" </dev/null
	rc=$?
	c=$(jval "$tmp/out/cpu.json" 'd["source"]["cpu"]')
	[ "$rc" -eq 0 ] && [ "$c" = "$last" ]
	check "--cpu=$last as $RUNAS_USER exits $rc, source.cpu $c" || diag "$tmp/out/cpu.err"
	as_nobody "$bin" --all-cpus -j >"$tmp/out/all.json" 2>"$tmp/out/all.err" </dev/null
	rc=$?
	[ "$rc" -eq 0 ]
	check "--all-cpus as $RUNAS_USER exits $rc" || diag "$tmp/out/all.err"
fi

# ---- /dev/cpu/N/cpuid ----
if [ -e /dev/cpu/0/cpuid ]; then
	as_nobody "$bin" --source=dev -j >"$tmp/out/dev.out" 2>"$tmp/out/dev.err" </dev/null
	rc=$?
	[ "$rc" -eq 4 ] && grep -q 'needs root' "$tmp/out/dev.err" && [ ! -s "$tmp/out/dev.out" ]
	check "--source=dev as $RUNAS_USER exits $rc (want 4) saying it needs root: $(head -n 1 "$tmp/out/dev.err")"
else
	echo "# /dev/cpu/0/cpuid absent (modprobe cpuid): the --source=dev check is skipped"
fi

# ---- xenstore ----
# The live run, with XENSTORED_PATH (libxenstore's override) naming a socket
# in a directory only root may enter.
if "$bin" -j 2>/dev/null | "$PYTHON" -c 'import json, sys; sys.exit(not json.load(sys.stdin)["evidence"]["xen"]["xenstore"]["built"])' 2>/dev/null; then
	mkdir -m 0700 "$tmp/xs"
	"$PYTHON" "$top/tests/xenstore/fake-xenstored.py" "$tmp/xs/sock" ok >"$tmp/out/xs.log" 2>&1 &
	srv=$!
	i=0
	while [ ! -S "$tmp/xs/sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	XENSTORED_PATH=$tmp/xs/sock "$bin" -j >"$tmp/out/xsr.json" 2>/dev/null </dev/null
	d=$(jval "$tmp/out/xsr.json" 'd["evidence"]["xen"]["xenstore"]["domid"]')
	[ "$d" = 7 ]
	check "control: as root the xenstored socket answers (domid $d)"
	XENSTORED_PATH=$tmp/xs/sock as_nobody "$bin" -j >"$tmp/out/xsn.json" 2>"$tmp/out/xsn.err" </dev/null
	rc=$?
	e=$(jval "$tmp/out/xsn.json" 'd["evidence"]["xen"]["xenstore"]["error"]')
	[ "$rc" -eq 0 ] && [ "$e" = "needs root" ]
	check "xenstore as $RUNAS_USER (a socket only root may connect to): exit $rc, error \"$e\" (want \"needs root\")"
	XENSTORED_PATH=$tmp/xs/sock as_nobody "$bin" -v 2>/dev/null </dev/null | grep 'xenstore:' >"$tmp/out/xsn.txt"
	grep -Eq 'need(s)? root|Permission denied' "$tmp/out/xsn.txt"
	check "and the text report says so (needs root, or Permission denied):$(sed 's/^ */ /' "$tmp/out/xsn.txt")"
	kill "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null
	srv=
else
	echo "# pvhprobe built without libxenstore: the xenstore check is skipped"
fi

# ---- the live smoke test ----
as_nobody sh "$tmp/tree/tests/live/smoke.sh" "$bin" >"$tmp/out/smoke.out" 2>&1 </dev/null
check "tests/live/smoke.sh as $RUNAS_USER: $(tail -n 1 "$tmp/out/smoke.out")" ||
	grep -v '^ok' "$tmp/out/smoke.out" | sed -n '1,10s/^/#   /p'

# ---- the golden suite: the same as root ----
(cd "$tmp/tree" && as_nobody sh tests/cli/run-golden.sh "$bin" tests/golden) >"$tmp/out/g.nobody" 2>/dev/null </dev/null
(cd "$tmp/tree" && sh tests/cli/run-golden.sh "$bin" tests/golden) >"$tmp/out/g.root" 2>/dev/null </dev/null
cmp -s "$tmp/out/g.nobody" "$tmp/out/g.root"
check "run-golden.sh as $RUNAS_USER: $(tail -n 1 "$tmp/out/g.nobody") (as root: $(tail -n 1 "$tmp/out/g.root"))" ||
	diff "$tmp/out/g.root" "$tmp/out/g.nobody" | sed -n '1,10s/^/#   /p'
grep -q '^not ok' "$tmp/out/g.root" && grep '^not ok' "$tmp/out/g.root" | sed 's/^/# (fails as root too) /'

same=0
differ=0
for c in "$tmp/tree/tests/golden"/*/; do
	c=${c%/}
	[ -f "$c/args" ] || continue
	args=$(cat "$c/args")
	(cd "$c" && eval "as_nobody \"\$bin\" $args" >"$tmp/out/n.out" 2>"$tmp/out/n.err" </dev/null)
	echo $? >"$tmp/out/n.st"
	(cd "$c" && eval "\"\$bin\" $args" >"$tmp/out/r.out" 2>"$tmp/out/r.err" </dev/null)
	echo $? >"$tmp/out/r.st"
	if cmp -s "$tmp/out/n.out" "$tmp/out/r.out" && cmp -s "$tmp/out/n.err" "$tmp/out/r.err" &&
		cmp -s "$tmp/out/n.st" "$tmp/out/r.st"; then
		same=$((same + 1))
	else
		differ=$((differ + 1))
		echo "# golden $(basename "$c"): $RUNAS_USER exit $(cat "$tmp/out/n.st"), root exit $(cat "$tmp/out/r.st")"
		diff "$tmp/out/r.out" "$tmp/out/n.out" | sed -n '1,6s/^/#   /p'
		diff "$tmp/out/r.err" "$tmp/out/n.err" | sed -n '1,4s/^/#   /p'
	fi
done
[ "$differ" -eq 0 ]
check "every golden case gives $RUNAS_USER the same stdout, stderr and exit status as root ($same the same, $differ different)"

finish
