#!/bin/sh
# boot.sh PVHPROBE ELF - `pvhprobe boot` on the real probe guest under QEMU
# (TCG, microvm and pc): the report comes out, the capture replays with -i
# to the same JSON, a command that never prints a frame is stopped at
# --timeout with exit status 3. Fails when QEMU is missing.
set -u
BIN=${1:-./pvhprobe}
ELF=${2:-./pvhprobe.elf}
QEMU=${QEMU:-qemu-system-x86_64}
HERE=$(dirname "$0")
. "$HERE/../lib/tap.sh"
if ! command -v "$QEMU" >/dev/null 2>&1; then
	notok "$QEMU is not installed (Debian: apt-get install qemu-system-x86)"
	finish
fi
if [ ! -f "$ELF" ]; then
	notok "$ELF does not exist (make guest)"
	finish
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
for m in microvm pc; do
	"$BIN" boot --timeout=60 --capture="$TMP/$m.log" -j -- "$QEMU" -M $m -accel tcg -m 128 -nographic \
		-no-reboot -kernel "$ELF" -device isa-debug-exit >"$TMP/$m.json" 2>"$TMP/$m.err"
	st=$?
	if [ $st -eq 0 ] && grep -q '"format": "probe-console"' "$TMP/$m.json" &&
		grep -q '"magic_ok": true' "$TMP/$m.json"; then
		ok "boot -M $m: a probe-console report with start_info"
	else
		notok "boot -M $m: status $st"
		diag "$TMP/$m.err"
	fi
	"$BIN" -i "$TMP/$m.log" -j | sed 's|"file": "[^"]*"||' >"$TMP/$m.replay"
	sed 's|"file": "[^"]*"||' "$TMP/$m.json" >"$TMP/$m.orig"
	if cmp -s "$TMP/$m.orig" "$TMP/$m.replay"; then
		ok "boot -M $m: --capture replays with -i to the same report"
	else
		notok "boot -M $m: -i on the capture differs"
	fi
done
# microvm without ACPI and without isa-debug-exit: the probe halts after
# its report; boot must stop QEMU itself, long before the timeout.
t0=$(date +%s)
"$BIN" boot --timeout=60 -q -- "$QEMU" -M microvm,acpi=off -accel tcg -m 128 -nographic -no-reboot -kernel "$ELF"
st=$?
t=$(($(date +%s) - t0))
if [ $st -eq 0 ] && [ $t -lt 30 ]; then
	ok "boot stops a VMM that does not exit, once the frame has ended (${t}s)"
else
	notok "boot on a halting probe: status $st after ${t}s"
fi
"$BIN" boot --timeout=1 -- sh -c 'echo firmware noise; sleep 30' >/dev/null 2>"$TMP/to.err"
st=$?
if [ $st -eq 3 ] && grep -q "no complete probe report within 1 s" "$TMP/to.err"; then
	ok "boot: timeout with no frame is exit status 3"
else
	notok "boot: timeout: status $st"
	diag "$TMP/to.err"
fi
finish
