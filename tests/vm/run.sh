#!/bin/sh
# run.sh - real guests end to end (issue 5, docs/e2e-vm.md).
#
#   sh tests/vm/run.sh PVHPROBE_STATIC [PVHPROBE]
#
# Boots Debian's own kernel under QEMU (TCG: no KVM needed, none used) with a
# busybox initramfs whose /init (tests/vm/init) runs PVHPROBE_STATIC (`make
# static`) on the live CPU and sysfs, and checks the report against what QEMU
# and the guest kernel did. The matrix, 9 guests:
#
#   PVH entry (-kernel vmlinux) on -M pc and on -M microvm, and the Linux boot
#   protocol (-kernel vmlinuz, the bzImage) on -M pc; each with -cpu max,
#   -cpu max,tcg-cpuid=off and -cpu qemu64,-hypervisor.
#
# Steps: installs with apt what is missing (qemu-system-x86, cpio, xz-utils,
# zstd, binutils, jq, python3-jsonschema); fetches the kernel package that
# linux-image-amd64 depends on today, and busybox-static, with `apt-get
# download` into the cache (reused between runs), unpacks them with `dpkg -x`
# (nothing is installed on this machine); extracts the ELF vmlinux from the
# bzImage (the compressed payload, found by its magic, as the kernel's
# scripts/extract-vmlinux does); checks that the vmlinux carries the PVH note
# (XEN_ELFNOTE_PHYS32_ENTRY, with readelf, and with `PVHPROBE kernel` when
# that works); builds the initramfs; boots each guest under `timeout`.
#
# Each guest must show, in its JSON report (validated against the schema):
# pvhprobe exit 0; the CPU's hypervisor bit as QEMU sets it; TCG's signature
# "TCGTCGTCGTCG" at 0x40000000 as the only hypervisor, or none with
# tcg-cpuid=off; every other non-zero base classified echo (255 of them with
# -cpu max, whose answers above 0x40000001 repeat the highest basic leaf, 0xd);
# the linux model predicting the generic path and a boot; the evidence's
# entry "pvh" (PVH boots: no "HdrS", version 0x020c, loader 0xB0) or
# "linux-boot" (bzImage: "HdrS", loader 0xB0); the linux verdict "agree"
# (PVH) or "not_applicable" (bzImage); the VMM identified as QEMU; and the
# guest's `pvhprobe dump`, replayed here with -i, giving the same hypervisors
# and linux path.
#
# One line per guest, "ok - GUEST: summary" or "not ok - GUEST: summary"
# followed by the failed checks, then "N passed, M failed" (guests). Exit 0
# when every guest passed; 1 otherwise, and also (loudly, never a skip) when
# QEMU, the kernel or busybox cannot be had; 2 usage error.
#
# Artefacts, under tests/vm/artifacts/ (emptied at each run): per guest
# console.log (the whole serial console), report.json, report.txt (-v),
# dump.cpuid, dmesg.txt, cmdline.txt, qemu.args, qemu.stderr, replay.json,
# checks.txt; summary.txt (the guest lines and timings) and kernel.txt.
#
# Environment:
#   PVHPROBE_VM_CACHE    download and extraction cache (default
#                        /var/cache/pvhprobe-vm as root, else
#                        ~/.cache/pvhprobe-vm)
#   PVHPROBE_VM_ONLY     run only the guests whose name matches this
#                        extended regular expression (debugging)
#   PVHPROBE_VM_TIMEOUT  seconds one guest may take (default 180)
#   PVHPROBE_VM_KERNEL   a bzImage to use instead of Debian's package
#   PVHPROBE_VM_ARTIFACTS  artefact directory (default tests/vm/artifacts)
#   PYTHON               the python3 with jsonschema (default /usr/bin/python3)
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
PYTHON=${PYTHON:-/usr/bin/python3}
VALIDATE=$TOP/tests/schema/validate.py
TIMEOUT=${PVHPROBE_VM_TIMEOUT:-180}
ONLY=${PVHPROBE_VM_ONLY:-}
ART=${PVHPROBE_VM_ARTIFACTS:-$HERE/artifacts}

START=$(date +%s)
NGUESTS=9

WHAT=VM
STATIC_HOW="make static"
. "$TOP/tests/lib/guestrun.sh"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/pvhprobe-vm.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM HUP

# ---- packages on this machine ------------------------------------------------

# installed, need_packages, fetch, unpack, debian_kernel (shared with tests/xen)
. "$TOP/tests/lib/debcache.sh"

need_packages qemu-system-x86 cpio xz-utils zstd gzip binutils jq python3 python3-jsonschema
QEMU=$(command -v qemu-system-x86_64) || die "qemu-system-x86_64 not found after installing qemu-system-x86"
"$QEMU" --version >"$TMP/qemu-version" 2>&1 || die "$QEMU --version fails: $(head -n 1 "$TMP/qemu-version")"
QEMU_VERSION=$(head -n 1 "$TMP/qemu-version")
for t in jq readelf cpio gzip xz zstd timeout; do
	command -v "$t" >/dev/null 2>&1 || die "$t not found"
done

# ---- the static binary -------------------------------------------------------

if readelf -lW "$STATIC" 2>/dev/null | grep -q 'INTERP'; then
	die "$STATIC is dynamically linked (it needs a program interpreter): build it with make static"
fi
readelf -hW "$STATIC" 2>/dev/null | grep -q 'Advanced Micro Devices X86-64' ||
	die "$STATIC is not an x86-64 ELF executable"

# ---- kernel and busybox, from Debian's archive -------------------------------

fetch busybox-static
BB_DEB=$FETCHED
BB_DIR=$CACHE/$(basename "$BB_DEB" .deb)
unpack "$BB_DEB" "$BB_DIR"
BUSYBOX=$BB_DIR/bin/busybox
[ -x "$BUSYBOX" ] || die "busybox-static has no bin/busybox"

debian_kernel

# The boot protocol version in the bzImage's setup header (u16 at 0x206),
# which a kernel entered through it keeps in boot_params.
BZ_VERSION=$(od -An -tu2 -j 518 -N 2 "$VMLINUZ" | tr -d ' ')
[ "$(od -An -c -j 514 -N 4 "$VMLINUZ" | tr -d ' ')" = HdrS ] || die "$VMLINUZ has no \"HdrS\" setup header: not a bzImage"

# The PVH entry note: owner "Xen", type 18 (XEN_ELFNOTE_PHYS32_ENTRY).
readelf -nW "$VMLINUX" >"$TMP/notes" 2>&1 || die "readelf -n $VMLINUX failed"
# binutils 2.40 names no Xen note: "Unknown note type: (0x00000012)
# description data: 50 08 00 01 00 00 00 00", the value's bytes little-endian.
PHYS32=$(awk '$1 == "Xen" && /\(0x00000012\)|PHYS32_ENTRY/ {
		if ($0 !~ /description data:/) getline
		sub(/.*description data: */, "")
		n = split($0, b, " ")
		v = ""
		for (i = n; i >= 1; i--) v = v b[i]
		if (v ~ /^[0-9a-f]+$/) print "0x" v
		exit
	}' "$TMP/notes")
[ -n "$PHYS32" ] || {
	sed 's/^/#   /' "$TMP/notes" | head -n 40
	die "$VMLINUX has no Xen PHYS32_ENTRY note (type 0x12): QEMU would not PVH-boot it"
}
KCHECK="readelf: Xen note type 0x12 (PHYS32_ENTRY) = $PHYS32"
# pvhprobe's own kernel command, when it is built: it must agree.
if [ -n "$HOST" ] && "$HOST" kernel -j "$VMLINUX" >"$TMP/kernel.json" 2>"$TMP/kernel.err"; then
	kp=$(jq -r '.images[0].pvh' "$TMP/kernel.json" 2>/dev/null)
	ke=$(jq -r '.images[0].phys32_entry // empty' "$TMP/kernel.json" 2>/dev/null)
	case $ke in
	'' | *[!0-9]*) ke=none ;;
	esac
	if [ "$kp" != true ] || [ "$ke" = none ] || [ "$ke" -ne "$((PHYS32))" ]; then
		die "pvhprobe kernel disagrees with readelf on $VMLINUX: pvh=$kp phys32_entry=$ke (readelf: $PHYS32)"
	fi
	KCHECK="$KCHECK; pvhprobe kernel: pvh=true, phys32_entry=$ke"
	# And on the bzImage: not PVH-bootable itself, the payload where the
	# extraction found it, the setup header's version.
	if "$HOST" kernel -j "$VMLINUZ" >"$TMP/bz.json" 2>"$TMP/bz.err"; then
		got=$(jq -r '.images[0] | "\(.pvh) \(.bzimage.compression) \(.bzimage.payload_file_offset) \(.bzimage.boot_protocol_raw)"' "$TMP/bz.json" 2>&1)
		want="false $(printf '%s\n' "$KHOW" | sed -n 's/^\([a-z]*\) payload at offset \([0-9]*\)$/\1 \2/p') $BZ_VERSION"
		[ "$got" = "$want" ] ||
			die "pvhprobe kernel on $VMLINUZ: pvh, compression, payload offset, boot protocol = $got; want $want"
		KCHECK="$KCHECK; on the bzImage: pvh=false, payload $(printf '%s' "$got" | cut -d' ' -f2-3) as extracted"
	else
		die "pvhprobe kernel -j $VMLINUZ failed: $(head -n 1 "$TMP/bz.err")"
	fi
else
	KCHECK="$KCHECK; pvhprobe kernel: not available ($(head -n 1 "$TMP/kernel.err" 2>/dev/null))"
fi

# ---- the initramfs -----------------------------------------------------------

INITRD=$TMP/initramfs.cpio.gz
mkdir -p "$TMP/root/bin" "$TMP/root/dev"
cp "$BUSYBOX" "$TMP/root/bin/busybox"
cp "$STATIC" "$TMP/root/bin/pvhprobe"
cp "$HERE/init" "$TMP/root/init"
chmod 0755 "$TMP/root/init" "$TMP/root/bin/busybox" "$TMP/root/bin/pvhprobe"
(cd "$TMP/root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -1) >"$INITRD" ||
	die "building the initramfs failed"

# ---- artefacts ---------------------------------------------------------------

# Emptied at each run, but only when it is what a run leaves.
if [ -d "$ART" ] && [ -n "$(ls -A "$ART")" ] && [ ! -f "$ART/kernel.txt" ]; then
	die "$ART is not empty and holds no kernel.txt: not an artefact directory of this script, left alone"
fi
rm -rf "$ART"
mkdir -p "$ART" || die "cannot create $ART"
{
	echo "kernel package: $KPKG $KVER"
	echo "bzImage: $VMLINUZ ($(wc -c <"$VMLINUZ") bytes, boot protocol $(printf '0x%04x' "$BZ_VERSION"))"
	echo "vmlinux: $VMLINUX ($(wc -c <"$VMLINUX") bytes), $KHOW"
	echo "PVH note: $KCHECK"
	echo "busybox: $(basename "$BB_DEB")"
	echo "qemu: $QEMU_VERSION"
	echo "pvhprobe-static: $STATIC ($(wc -c <"$STATIC") bytes)"
} >"$ART/kernel.txt"
sed 's/^/# /' "$ART/kernel.txt"
SETUP_END=$(date +%s)
note "set-up took $((SETUP_END - START)) s"

# ---- one guest ---------------------------------------------------------------

pass=0
fail=0
nrun=0

# guest NAME KIND MACHINE CPU
#   KIND: pvh (-kernel vmlinux) or bzimage (-kernel vmlinuz)
guest() {
	name=$1 kind=$2 machine=$3 cpu=$4
	if [ -n "$ONLY" ] && ! printf '%s\n' "$name" | grep -Eq -- "$ONLY"; then
		return 0
	fi
	nrun=$((nrun + 1))
	G=$ART/$name
	mkdir -p "$G"
	: >"$G/checks.txt"

	append="console=ttyS0 panic=-1 quiet"
	case $machine in
	microvm) append="$append tsc_early_khz=2000000" ;;
	esac
	case $kind in
	pvh) image=$VMLINUX ;;
	bzimage) image=$VMLINUZ ;;
	esac
	set -- -M "$machine" -accel tcg -cpu "$cpu" -m 512 -smp 1 -nodefaults -no-reboot \
		-display none -serial "file:$G/console.log" \
		-kernel "$image" -initrd "$INITRD" -append "$append"
	printf '%s\n' "$QEMU" "$@" >"$G/qemu.args"

	t0=$(date +%s.%N)
	timeout -k 5 "$TIMEOUT" "$QEMU" "$@" </dev/null >"$G/qemu.stderr" 2>&1
	qrc=$?
	t1=$(date +%s.%N)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')

	gfail=0
	bad() {
		gfail=$((gfail + 1))
		echo "not ok - $*" >>"$G/checks.txt"
	}
	good() {
		echo "ok - $*" >>"$G/checks.txt"
	}
	is() { # is DESCRIPTION GOT WANT
		if [ "$2" = "$3" ]; then
			good "$1: ${2:-(none)}"
		else
			bad "$1: got ${2:-(none)}, want ${3:-(none)}"
		fi
	}

	# QEMU: exits 0 on the guest's power-off; 124 is the timeout.
	if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
		bad "QEMU still running after ${TIMEOUT} s: killed (the guest hung)"
	elif [ "$qrc" != 0 ]; then
		bad "QEMU exited $qrc: $(head -n 3 "$G/qemu.stderr" | tr '\n' ' ')"
	else
		good "QEMU exited 0 after ${secs} s"
	fi
	[ -f "$G/console.log" ] || : >"$G/console.log"
	tr -d '\r' <"$G/console.log" | grep -q '^===PVHPROBE-GUEST-DONE===$' ||
		bad "the guest did not reach the end of /init (see console.log)"

	section "$G/console.log" JSON >"$G/report.json"
	section "$G/console.log" TEXT >"$G/report.txt"
	section "$G/console.log" DUMP >"$G/dump.cpuid"
	section "$G/console.log" DMESG >"$G/dmesg.txt"
	section "$G/console.log" CMDLINE >"$G/cmdline.txt"
	section "$G/console.log" JSON-STDERR >"$G/report.stderr"
	section "$G/console.log" DUMP-STDERR >"$G/dump.stderr"

	summary="(no report)"
	jrc=$(section_rc "$G/console.log" JSON)
	drc=$(section_rc "$G/console.log" DUMP)
	if report_checks "in the guest"; then
		J() { jq -r "$1" "$G/report.json" 2>&1; }

		is "source.kind" "$(J .source.kind)" insn
		case $cpu in
		*-hypervisor*) want_bit=false ;;
		*) want_bit=true ;;
		esac
		is "cpu.hypervisor_bit" "$(J .cpu.hypervisor_bit)" "$want_bit"

		# The signature: QEMU's TCG exposes "TCGTCGTCGTCG" (EAX 0x40000001)
		# at 0x40000000 unless tcg-cpuid=off, hypervisor bit or not.
		case $cpu in
		*tcg-cpuid=off*) want_hv="" nhv=0 ;;
		*) want_hv="0x40000000 tcg TCGTCGTCGTCG 0x40000001" nhv=1 ;;
		esac
		is "hypervisors found" "$(J '[.hypervisors[] | "\(.base_hex) \(.vendor) \(.signature) \(.max_leaf_hex)"] | join(", ")')" "$want_hv"

		# The noise: above its 0x40000001 limit TCG answers with the
		# highest basic leaf, 0xd for both CPU models (target/i386/cpu.c
		# cpu_x86_cpuid): with -cpu max the XSAVE leaf (EAX 0x21f), non-zero,
		# at the 255 bases 0x40000100..0x4000ff00; qemu64 has no XSAVE and
		# reads zeros there. Each non-zero one must be classified echo.
		case $cpu in
		max*) want_other=255 ;;
		qemu64*) want_other=0 ;;
		esac
		is "other non-zero bases" "$(J '[.scan.other_bases[].count] | add // 0')" "$want_other"
		is "other bases classified other than echo" "$(J '[.scan.other_bases[] | select(.class != "echo") | .base_hex] | join(",")')" ""
		is "scan.nonzero_bases" "$(J .scan.nonzero_bases)" "$((want_other + nhv))"

		is "models.linux.path" "$(J .models.linux.path)" generic
		is "models.linux.outcome (the guest did boot)" "$(J .models.linux.outcome)" boots
		# The guest kernel's own detect_hypervisor_vendor(): Linux knows no
		# TCG, prints no "Hypervisor detected" and runs "on bare hardware";
		# the model must name the same platform.
		kdet=$(grep -o 'Hypervisor detected: .*' "$G/dmesg.txt" | head -n 1)
		kbare=$(grep -c 'Booting paravirtualized kernel on bare hardware' "$G/dmesg.txt")
		if [ -z "$kdet" ] && [ "$kbare" -ge 1 ]; then
			is "models.linux.platform (dmesg: no hypervisor detected, bare hardware)" \
				"$(J .models.linux.platform)" X86_HYPER_NATIVE
		else
			bad "dmesg: '${kdet:-no Hypervisor detected line}', bare hardware lines: $kbare;" \
				"models.linux.platform: $(J .models.linux.platform)"
		fi

		# The evidence: what the kernel left in boot_params.
		case $kind in
		pvh)
			is "evidence.entry" "$(J .evidence.entry)" pvh
			is "evidence.observed_path" "$(J .evidence.observed_path)" generic
			is "boot_params: HdrS" "$(J .evidence.boot_params.header_hdrs)" false
			is "boot_params: version" "$(J '.evidence.boot_params.version')" 524
			is "boot_params: type_of_loader" "$(J .evidence.boot_params.type_of_loader)" 176
			is "verdict.linux.status" "$(J .verdict.linux.status)" agree
			;;
		bzimage)
			is "evidence.entry" "$(J .evidence.entry)" linux-boot
			is "evidence.observed_path" "$(J .evidence.observed_path)" null
			is "boot_params: HdrS" "$(J .evidence.boot_params.header_hdrs)" true
			is "boot_params: version (the bzImage's own, at 0x206)" "$(J .evidence.boot_params.version)" "$BZ_VERSION"
			is "boot_params: type_of_loader" "$(J .evidence.boot_params.type_of_loader)" 176
			is "verdict.linux.status" "$(J .verdict.linux.status)" not_applicable
			;;
		esac
		is "boot_params: hardware_subarch (X86_SUBARCH_PC)" "$(J .evidence.boot_params.hardware_subarch)" 0
		is "evidence.vmm.id" "$(J .evidence.vmm.id)" qemu

		# The guest's dump, replayed here: the same reading.
		if [ ! -s "$G/dump.cpuid" ]; then
			bad "no dump between the markers"
		elif "$STATIC" -i "$G/dump.cpuid" -j >"$G/replay.json" 2>"$G/replay.stderr"; then
			q='[.path, .models.linux.path, ([.hypervisors[] | "\(.base_hex) \(.vendor)"] | join(",")), ([.scan.other_bases[].count] | add // 0)] | map(tostring) | join(" ")'
			is "the dump replayed with -i gives the same path, linux path, hypervisors and other bases" \
				"$(jq -r "$q" "$G/replay.json" 2>&1)" "$(jq -r "$q" "$G/report.json" 2>&1)"
		else
			bad "pvhprobe -i dump.cpuid failed: $(head -n 2 "$G/replay.stderr" | tr '\n' ' ')"
		fi

		hv=$(J '[.hypervisors[] | "\(.vendor)@\(.base_hex)"] | join(",")')
		bp=$(printf 'HdrS=%s version=0x%04x loader=0x%02x' "$(J .evidence.boot_params.header_hdrs)" \
			"$(J '.evidence.boot_params.version // 0')" "$(J '.evidence.boot_params.type_of_loader // 0')")
		summary="hypervisors=[${hv}] other=$(J '[.scan.other_bases[] | {class, count}] | group_by(.class) | map("\(map(.count) | add) \(.[0].class)") | join(",") | if . == "" then "none" else . end') entry=$(J .evidence.entry) linux=$(J .models.linux.path) verdict=$(J .verdict.linux.status) vmm=$(J .evidence.vmm.id) $bp"
	fi

	line="$name: $summary ${secs}s"
	if [ "$gfail" -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok - $line" | tee -a "$ART/summary.txt"
	else
		fail=$((fail + 1))
		echo "not ok - $line" | tee -a "$ART/summary.txt"
		grep '^not ok' "$G/checks.txt" | sed 's/^/#   /' | tee -a "$ART/summary.txt"
	fi
}

for kind_machine in pvh:pc pvh:microvm bzimage:pc; do
	kind=${kind_machine%%:*}
	machine=${kind_machine#*:}
	for cpu in max max,tcg-cpuid=off qemu64,-hypervisor; do
		case $cpu in
		max) c=max ;;
		max,tcg-cpuid=off) c=max-notcg ;;
		qemu64,-hypervisor) c=qemu64-nohv ;;
		esac
		guest "$kind-$machine-$c" "$kind" "$machine" "$cpu"
	done
done

END=$(date +%s)
note "set-up $((SETUP_END - START)) s, guests $((END - SETUP_END)) s, total $((END - START)) s" |
	tee -a "$ART/summary.txt"
[ "$nrun" -gt 0 ] || die "PVHPROBE_VM_ONLY='$ONLY' matches no guest"
echo "$pass passed, $fail failed" | tee -a "$ART/summary.txt"
[ "$fail" -eq 0 ]
