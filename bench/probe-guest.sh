#!/bin/sh
# bench/probe-guest.sh - what the probe guest costs: wall time from starting
# QEMU (TCG) to its exit, per machine, the median of RUNS boots (default 7);
# the ELF's size; the CPUID instructions it executes (its own count,
# cpuid.count in the capture: the kernels' scan and models, then the CPU's
# identity). Never part of the tests. Needs ./pvhprobe.elf (make guest) and
# qemu-system-x86_64.
#
#   sh bench/probe-guest.sh [RUNS]
set -eu
RUNS=${1:-7}
ELF=${ELF:-./pvhprobe.elf}
QEMU=${QEMU:-qemu-system-x86_64}
[ -f "$ELF" ] || { echo "probe-guest.sh: $ELF missing (make guest)" >&2; exit 1; }
command -v "$QEMU" >/dev/null || { echo "probe-guest.sh: $QEMU missing" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
echo "| machine (-cpu max, TCG, -device isa-debug-exit) | median wall time, QEMU start to exit | min | max | CPUID executed |"
echo "|---|---|---|---|---|"
for m in "pc" "q35" "microvm" "microvm,acpi=on"; do
	: >"$TMP/t"
	for i in $(seq "$RUNS"); do
		t0=$(date +%s%N)
		timeout 60 "$QEMU" -M "$m" -accel tcg -cpu max -m 128 -display none -no-reboot -nodefaults \
			-kernel "$ELF" -device isa-debug-exit -serial "file:$TMP/c.log" </dev/null >/dev/null 2>&1 || true
		t1=$(date +%s%N)
		echo $(((t1 - t0) / 1000000)) >>"$TMP/t"
	done
	n=$(sed -n 's/^cpuid.count=[0-9]* executions=\([0-9]*\).*/\1/p' "$TMP/c.log" | head -n 1)
	sort -n "$TMP/t" >"$TMP/s"
	med=$(sed -n "$(((RUNS + 1) / 2))p" "$TMP/s")
	echo "| $m | $med ms | $(head -n 1 "$TMP/s") ms | $(tail -n 1 "$TMP/s") ms | ${n:-?} |"
done
echo
echo "pvhprobe.elf: $(wc -c <"$ELF") bytes ($(size -A "$ELF" 2>/dev/null | awk '$1 == ".text" {print $2}') bytes of text)"
