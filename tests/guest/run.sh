#!/bin/sh
# run.sh ELF - boot the probe guest under QEMU (TCG) and check its report.
#
# For each machine (pc, q35, microvm with and without ACPI, with qboot and
# with SeaBIOS) and each CPU (-cpu max, max with tcg-cpuid=off, qemu64
# without the hypervisor bit): the probe boots through PVH, its frame is
# complete with the right line count and CRC-32 on both COM1 and port
# 0xE9, start_info has the magic, version 1 and a memory map, the entry
# state was checked with no ABI error, the hypervisor leaves are what TCG
# shows, and QEMU exits by itself (isa-debug-exit: status 1) within
# $TIMEOUT seconds. Then, without isa-debug-exit, the probe must power
# off through ACPI S5 where the machine has ACPI (QEMU status 0).
#
# Prints "ok - NAME" / "not ok - NAME" and "N passed, M failed"; the wall
# time of each boot (QEMU start to exit) goes to $GUEST_TIMES when set
# (docs/probe-guest.md lists them). Fails when QEMU is missing.
set -u
ELF=${1:-./pvhprobe.elf}
QEMU=${QEMU:-qemu-system-x86_64}
TIMEOUT=${TIMEOUT:-60}
HERE=$(dirname "$0")
. "$HERE/../lib/tap.sh"

if ! command -v "$QEMU" >/dev/null 2>&1; then
	notok "$QEMU is not installed (Debian: apt-get install qemu-system-x86)"
	finish
fi
if ! command -v python3 >/dev/null 2>&1; then
	notok "python3 is not installed (tests/guest/frame.py checks the frame)"
	finish
fi
if [ ! -f "$ELF" ]; then
	notok "$ELF does not exist (make guest)"
	finish
fi
SEABIOS_MICROVM=/usr/share/seabios/bios-microvm.bin
ACCEL=tcg
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# file name for a test name
key() {
	echo "$1" | tr '/,=' '__-'
}

# boot NAME EXPECTED_STATUS QEMU-ARGS...: runs QEMU; leaves $TMP/KEY.{serial,debugcon,out}
boot() {
	_name=$(key "$1")
	_disp=$1
	_want=$2
	shift 2
	_t0=$(now_ms)
	timeout "$TIMEOUT" "$QEMU" -accel "$ACCEL" -m 256 -nographic -no-reboot -monitor none \
		-kernel "$ELF" -serial "file:$TMP/$_name.serial" -debugcon "file:$TMP/$_name.debugcon" \
		"$@" >"$TMP/$_name.out" 2>&1
	_st=$?
	_ms=$(($(now_ms) - _t0))
	[ -n "${GUEST_TIMES:-}" ] && echo "$_disp $_ms ms, exit $_st" >>"$GUEST_TIMES"
	if [ "$_st" -eq 124 ] && [ "$_want" -ne 124 ]; then
		notok "$_disp: QEMU still running after ${TIMEOUT}s (killed)"
	elif [ "$_st" -ne "$_want" ]; then
		notok "$_disp: QEMU exit status $_st, expected $_want"
		diag "$TMP/$_name.out"
	elif [ "$_st" -eq 124 ]; then
		ok "$_disp: still running after ${TIMEOUT}s, as expected (killed)"
	else
		ok "$_disp: exits by itself (status $_st) in $_ms ms"
	fi
}

# checks NAME HV: the report's content; HV is tcg, kvm or none
checks() {
	_disp=$1
	_name=$(key "$1")
	_hv=$2
	_r=$TMP/$_name.report
	if python3 "$HERE/frame.py" "$TMP/$_name.debugcon" >"$_r" 2>"$TMP/$_name.err"; then
		ok "$_disp: port 0xE9 frame complete, line count and CRC-32 right"
	else
		notok "$_disp: port 0xE9 frame: $(cat "$TMP/$_name.err")"
		return
	fi
	python3 "$HERE/frame.py" "$TMP/$_name.serial" >"$TMP/$_name.serial.report" 2>"$TMP/$_name.err" &&
		cmp -s "$_r" "$TMP/$_name.serial.report"
	check "$_disp: COM1 frame complete and identical to port 0xE9" || diag "$TMP/$_name.err"
	sed -n 2p "$_r" | grep -q '^PVH path: generic; '
	check "$_disp: answer line first: $(sed -n 2p "$_r")"
	grep -qx 'start_info.magic=0x336ec578 ok' "$_r" && grep -qx 'start_info.version=1' "$_r" &&
		grep -q '^memmap\.[0-9]*=.* type=1 RAM ' "$_r"
	check "$_disp: start_info magic, version 1, a memory map with RAM"
	grep -q '^entry.cr0=0x' "$_r" && grep -q '^entry.cs=sel=' "$_r" &&
		! grep -q '^finding=entry\.[^ ]* severity=error' "$_r"
	check "$_disp: entry state recorded and within the PVH ABI" || grep '^finding=entry' "$_r" | sed 's/^/#   /'
	grep -q '^model.linux=path=generic outcome=boots' "$_r" && grep -q '^cpuid=40000000 00000000 ' "$_r"
	check "$_disp: models run (linux: generic, boots), leaves listed"
	case $_hv in
	tcg)
		grep -q '^scan.range=base=0x40000000 .* class=hypervisor .*sig="TCGTCGTCGTCG" vendor=tcg$' "$_r"
		check "$_disp: TCGTCGTCGTCG at 0x40000000"
		;;
	kvm)
		grep -q '^scan.range=base=0x40000000 .* class=hypervisor .*sig="KVMKVMKVM\\0\\0\\0" vendor=kvm$' "$_r"
		check "$_disp: KVMKVMKVM at 0x40000000"
		;;
	none)
		! grep -q '^scan.range=.* class=hypervisor ' "$_r"
		check "$_disp: no hypervisor leaves"
		;;
	esac
}

for m in pc q35 microvm,acpi=off microvm,acpi=on seabios-microvm,acpi=off seabios-microvm,acpi=on; do
	machine=$m
	bios=
	case $m in
	seabios-*)
		machine=${m#seabios-}
		if [ ! -f "$SEABIOS_MICROVM" ]; then
			notok "$m: $SEABIOS_MICROVM missing (Debian: seabios)"
			continue
		fi
		bios="-bios $SEABIOS_MICROVM"
		;;
	esac
	for c in max max,tcg-cpuid=off qemu64,-hypervisor; do
		name="$m -cpu $c"
		# shellcheck disable=SC2086
		boot "$name" 1 -M "$machine" -cpu "$c" $bios -device isa-debug-exit
		# TCG answers 0x40000000 whatever the hypervisor bit says
		# (QEMU 7.2); tcg-cpuid=off removes the leaves.
		case $c in
		*tcg-cpuid=off) hv=none ;;
		*) hv=tcg ;;
		esac
		checks "$name" "$hv"
		case $c in
		*-hypervisor)
			# The bit is clear but TCG still answers 0x40000000:
			# FreeBSD's identcpu does not scan, Linux sees no platform.
			r=$TMP/$(key "$name").report
			grep -q '^model.freebsd=.* platform=VM_GUEST_NO$' "$r" &&
				grep -q '^model.linux=.* platform=X86_HYPER_NATIVE$' "$r"
			check "$name: hypervisor bit clear: freebsd VM_GUEST_NO, linux native"
			;;
		esac
	done
done

# No isa-debug-exit: ACPI S5 (PM1a_CNT on pc and q35, the sleep control
# register on microvm's hardware-reduced ACPI) makes QEMU exit with 0.
for m in pc q35 microvm,acpi=on; do
	name="$m, no isa-debug-exit"
	k=$(key "$name")
	boot "$name" 0 -M "$m" -cpu max
	grep -q '^pvhprobe: poweroff: ACPI ' "$TMP/$k.debugcon"
	check "$name: powered off through ACPI S5 ($(grep -a '^pvhprobe: poweroff: ACPI ' "$TMP/$k.debugcon" | head -1))"
done

# Under KVM, when /dev/kvm can be opened (nested under Firecracker on the
# development machine; -cpu max and host, and Hyper-V enlightenments, make
# QEMU 7.2 abort there on an MSR KVM refuses, so qemu64).
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	ACCEL=kvm
	name="q35 -accel kvm -cpu qemu64"
	boot "$name" 1 -M q35 -cpu qemu64 -device isa-debug-exit
	checks "$name" kvm
	name="microvm,acpi=on -accel kvm -cpu qemu64,kvm=off"
	boot "$name" 1 -M microvm,acpi=on -cpu qemu64,kvm=off -device isa-debug-exit
	checks "$name" none
	ACCEL=tcg
else
	echo "# skipped: the KVM cases (no usable /dev/kvm)"
fi

# As a Xen PVH dom0: Debian's Xen 4.17 (the gunzipped hypervisor that
# tests/xen/run.sh fetches into its cache, or $PVHPROBE_XEN) loaded by
# QEMU's multiboot loader with pvhprobe.elf as the dom0 kernel, the way
# tests/xen boots Linux. The report comes out of Xen's console as "(d0) "
# lines; the probe powers off with SCHEDOP_shutdown, after which Xen halts
# the machine ("Hardware Dom0 halted") and QEMU is stopped.
XEN=${PVHPROBE_XEN:-}
if [ -z "$XEN" ]; then
	for x in "${PVHPROBE_VM_CACHE:-/var/cache/pvhprobe-vm}"/xen-hypervisor-*/xen "$HOME"/.cache/pvhprobe-vm/xen-hypervisor-*/xen; do
		[ -s "$x" ] && XEN=$x
	done
fi
if [ -n "$XEN" ] && [ -s "$XEN" ]; then
	name="Xen PVH dom0 ($(basename "$(dirname "$XEN")" | cut -d_ -f1-2))"
	k=xen-dom0
	: >"$TMP/$k.serial"
	_t0=$(now_ms)
	"$QEMU" -M pc -accel tcg -cpu max,-rdtscp -m 1024 -smp 1 -nodefaults -no-reboot -display none \
		-serial "file:$TMP/$k.serial" -kernel "$XEN" \
		-append "console=com1 noreboot dom0=pvh dom0-iommu=none dom0_mem=512M guest_loglvl=all" \
		-initrd "$ELF" </dev/null >"$TMP/$k.out" 2>&1 &
	qpid=$!
	halted=
	i=0
	while [ $i -lt $((TIMEOUT * 5)) ] && kill -0 $qpid 2>/dev/null; do
		if grep -q -a -E 'Hardware Dom0 (halted|shutdown|crashed|rebooted)|Panic on CPU' "$TMP/$k.serial"; then
			halted=$(grep -a -o -m 1 -E 'Hardware Dom0 (halted|shutdown|crashed|rebooted)|Panic on CPU' "$TMP/$k.serial")
			break
		fi
		sleep 0.2
		i=$((i + 1))
	done
	_ms=$(($(now_ms) - _t0))
	kill $qpid 2>/dev/null
	wait $qpid 2>/dev/null
	[ -n "${GUEST_TIMES:-}" ] && echo "$name $_ms ms to \"$halted\"" >>"$GUEST_TIMES"
	[ "$halted" = "Hardware Dom0 halted" ]
	check "$name: the probe powered off through SCHEDOP_shutdown, Xen halted the machine (\"${halted:-nothing}\" after $_ms ms)"
	grep -q -a '^(d0) pvhprobe: poweroff: Xen SCHEDOP_shutdown' "$TMP/$k.serial"
	check "$name: SCHEDOP_shutdown through the hypercall page"
	r=$TMP/$k.report
	python3 "$HERE/frame.py" "$TMP/$k.serial" >"$r" 2>"$TMP/$k.err"
	check "$name: frame complete through Xen's console (\"(d0) \" lines), count and CRC-32 right" || diag "$TMP/$k.err"
	sed -n 2p "$r" | grep -q '^PVH path: xen; xen at 0x40000000; start_info v0, no memmap; '
	check "$name: answer: $(sed -n 2p "$r")"
	grep -qx 'start_info.magic=0x336ec578 ok' "$r" && grep -qx 'start_info.version=0' "$r" &&
		grep -qx 'start_info.flags=0x00000003 PRIVILEGED,INITDOMAIN' "$r" && grep -q '^acpi.rsdp=paddr=0x[0-9a-f]* ok ' "$r"
	check "$name: start_info v0, PRIVILEGED|INITDOMAIN, an RSDP patched in"
	grep -q '^scan.range=base=0x40000000 .* class=hypervisor .*sig="XenVMMXenVMM" vendor=xen$' "$r" &&
		grep -q '^model.linux=path=xen outcome=boots ' "$r" && grep -q '^model.freebsd=path=xen ' "$r"
	check "$name: XenVMMXenVMM at 0x40000000, the models on the Xen path"
	! grep -q '^finding=entry\.[^ ]* severity=error' "$r"
	check "$name: entry state within the PVH ABI"
else
	CI_REQUIRES="make check-xen first (CI runs it before check-guest)" \
		missing "Xen PVH dom0: no gunzipped Xen in the tests/xen cache (make check-xen fetches it; PVHPROBE_XEN=FILE names one)"
fi

# The exception path: a fault on purpose (pvhprobe.trap= on the command
# line) is printed with vector, error code, EIP and CR2, then the probe
# powers off with isa-debug-exit 1 (QEMU status 3).
for t in ud:6:#UD gp:13:#GP; do
	name="pc, pvhprobe.trap=${t%%:*}"
	k=$(key "$name")
	vec=${t#*:}
	boot "$name" 3 -M pc -cpu max -device isa-debug-exit -append "pvhprobe.trap=${t%%:*}"
	grep -q "^PVHPROBE TRAP vector=${vec%%:*} (${vec#*:}) error=0x[0-9a-f]* eip=0x[0-9a-f]* .* cr2=0x" "$TMP/$k.debugcon" &&
		grep -q "PVHPROBE TRAP vector=${vec%%:*} " "$TMP/$k.serial"
	check "$name: the trap is reported on both consoles: $(head -1 "$TMP/$k.debugcon")"
done

# Nothing to power off with (microvm without ACPI or isa-debug-exit): the
# probe says so and halts; QEMU is stopped after 5 seconds.
name="microvm,acpi=off, no isa-debug-exit"
k=$(key "$name")
TIMEOUT=5 boot "$name" 124 -M microvm,acpi=off -cpu max >/dev/null
python3 "$HERE/frame.py" "$TMP/$k.debugcon" >/dev/null 2>&1 &&
	grep -q '^pvhprobe: no power-off method worked; halting' "$TMP/$k.debugcon"
check "$name: report complete, then \"no power-off method worked\" and a halt"

# The recorded captures (tests/guest/captures) still read as complete frames,
# and a truncated one is refused.
for f in "$HERE"/captures/*.log; do
	python3 "$HERE/frame.py" "$f" >/dev/null 2>"$TMP/cap.err"
	check "recorded capture $(basename "$f"): frame complete, count and CRC-32 right" || diag "$TMP/cap.err"
done
f=$HERE/captures/qemu-pc-tcg.com1.log
head -c $(($(wc -c <"$f") / 2)) "$f" >"$TMP/half.log"
! python3 "$HERE/frame.py" "$TMP/half.log" >/dev/null 2>&1
check "a capture cut in half is refused as truncated"
sed 's/^start_info.version=1$/start_info.version=2/' "$f" >"$TMP/edited.log"
! python3 "$HERE/frame.py" "$TMP/edited.log" >/dev/null 2>&1
check "a capture with one line changed is refused (CRC-32)"

# Every VMM's loader takes the image (pvhprobe kernel knows their rules;
# the rust-vmm linux-loader of Firecracker and Cloud Hypervisor wants an
# ELF64), when ./pvhprobe is built.
if [ -x "$HERE/../../pvhprobe" ]; then
	"$HERE/../../pvhprobe" kernel "$ELF" >"$TMP/kernel.txt" 2>&1
	grep -q 'PVH entry at 0x200100' "$TMP/kernel.txt" && ! grep -q ' refused: ' "$TMP/kernel.txt" &&
		[ "$(grep -c ' loads: ' "$TMP/kernel.txt")" -ge 4 ]
	check "pvhprobe kernel: every VMM's loader takes pvhprobe.elf (PVH entry 0x200100)" || diag "$TMP/kernel.txt"
	grep -q '^  os: pvhprobe-guest (pvhprobe note)$' "$TMP/kernel.txt"
	check "pvhprobe kernel: pvhprobe.elf is recognised by its pvhprobe note" || diag "$TMP/kernel.txt"
else
	echo "# skipped: pvhprobe kernel pvhprobe.elf (./pvhprobe not built)"
fi

size=$(wc -c <"$ELF")
[ "$size" -le 65536 ]
check "pvhprobe.elf is $size bytes (target: 64 KiB)"
finish
