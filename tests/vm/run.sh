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

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 PVHPROBE_STATIC [PVHPROBE]" >&2
	exit 2
fi
abspath() { # abspath FILE: FILE as an absolute path (the file must exist)
	(cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")")
}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
PYTHON=${PYTHON:-/usr/bin/python3}
VALIDATE=$TOP/tests/schema/validate.py
TIMEOUT=${PVHPROBE_VM_TIMEOUT:-180}
ONLY=${PVHPROBE_VM_ONLY:-}
ART=${PVHPROBE_VM_ARTIFACTS:-$HERE/artifacts}
if [ "$(id -u)" = 0 ]; then
	CACHE=${PVHPROBE_VM_CACHE:-/var/cache/pvhprobe-vm}
else
	CACHE=${PVHPROBE_VM_CACHE:-${HOME:-/tmp}/.cache/pvhprobe-vm}
fi

START=$(date +%s)
NGUESTS=9

# die MESSAGE: a set-up failure. Loud, and counted as every guest failing, so
# that nobody reads it as a skip.
die() {
	echo "run.sh: FAIL: $*" >&2
	echo "not ok - end-to-end VM tests could not run: $*"
	echo "0 passed, $NGUESTS failed"
	exit 1
}
note() {
	echo "# $*"
}

[ -f "$1" ] || die "$1: no such file (build it with: make static)"
STATIC=$(abspath "$1")
HOST=
if [ $# -eq 2 ] && [ -x "$2" ]; then
	HOST=$(abspath "$2")
fi
[ -x "$STATIC" ] || die "$STATIC is not executable"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/pvhprobe-vm.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM HUP

# ---- packages on this machine ------------------------------------------------

installed() { # installed PKG
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}
APT_UPDATED=0
apt_update() {
	[ "$APT_UPDATED" = 1 ] && return 0
	note "apt-get update"
	DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$TMP/apt-update.log" 2>&1 ||
		{
			sed 's/^/#   /' "$TMP/apt-update.log"
			die "apt-get update failed"
		}
	APT_UPDATED=1
}

command -v dpkg-query >/dev/null 2>&1 || die "not a Debian system (no dpkg-query): cannot fetch QEMU and the kernel"
PKGS="qemu-system-x86 cpio xz-utils zstd gzip binutils jq python3 python3-jsonschema"
missing=
for p in $PKGS; do
	installed "$p" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	[ "$(id -u)" = 0 ] || die "packages missing and installing them needs root:$missing"
	apt_update
	note "apt-get install$missing"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing \
		>"$TMP/apt-install.log" 2>&1 ||
		{
			sed 's/^/#   /' "$TMP/apt-install.log" | tail -n 20
			die "apt-get install$missing failed"
		}
fi
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

mkdir -p "$CACHE/debs" || die "cannot create the cache $CACHE"

# candidate PKG: the version apt would fetch (empty when unknown).
candidate() {
	apt-cache show --no-all-versions "$1" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1
}
# fetch PKG: sets FETCHED to the path of PKG's .deb in the cache, downloaded
# when absent, and FETCHED_VERSION to its version.
fetch() {
	_ver=$(candidate "$1")
	if [ -z "$_ver" ]; then
		apt_update
		_ver=$(candidate "$1")
	fi
	[ -n "$_ver" ] || die "apt knows no package $1"
	_deb=$CACHE/debs/$1_$(printf '%s' "$_ver" | sed 's/:/%3a/g')_amd64.deb
	if [ ! -s "$_deb" ]; then
		note "apt-get download $1=$_ver"
		# apt-get download as root warns that _apt cannot write there; the
		# download is done all the same.
		(cd "$CACHE/debs" && apt-get download -q "$1=$_ver") >"$TMP/download.log" 2>&1 ||
			{
				sed 's/^/#   /' "$TMP/download.log"
				die "apt-get download $1=$_ver failed"
			}
		[ -s "$_deb" ] || die "apt-get download $1=$_ver did not leave $_deb"
	fi
	FETCHED=$_deb
	FETCHED_VERSION=$_ver
}
# unpack DEB DIR [MEMBER...]: dpkg -x DEB into DIR, once; with MEMBERs (tar
# patterns), only those, through the same tar stream dpkg -x unpacks (the
# kernel package's modules are 400 MB the guests do not need).
unpack() {
	_deb=$1 _dir=$2
	shift 2
	if [ ! -f "$_dir/.unpacked" ]; then
		rm -rf "$_dir"
		mkdir -p "$_dir"
		if [ $# -eq 0 ]; then
			dpkg -x "$_deb" "$_dir" || die "dpkg -x $_deb failed"
		else
			dpkg-deb --fsys-tarfile "$_deb" | tar -x -C "$_dir" --wildcards "$@" ||
				die "unpacking $* from $_deb failed"
		fi
		: >"$_dir/.unpacked"
	fi
}

fetch busybox-static
BB_DEB=$FETCHED
BB_DIR=$CACHE/$(basename "$BB_DEB" .deb)
unpack "$BB_DEB" "$BB_DIR"
BUSYBOX=$BB_DIR/bin/busybox
[ -x "$BUSYBOX" ] || die "busybox-static has no bin/busybox"

if [ -n "${PVHPROBE_VM_KERNEL:-}" ]; then
	[ -f "$PVHPROBE_VM_KERNEL" ] || die "PVHPROBE_VM_KERNEL=$PVHPROBE_VM_KERNEL: no such file"
	KPKG="(PVHPROBE_VM_KERNEL)"
	KVER=
	KDIR=$CACHE/local-$(sha256sum "$PVHPROBE_VM_KERNEL" | cut -c1-16)
	mkdir -p "$KDIR"
	cp "$PVHPROBE_VM_KERNEL" "$KDIR/vmlinuz"
	VMLINUZ=$KDIR/vmlinuz
else
	# The package name changes with the kernel ABI: ask linux-image-amd64.
	KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[^ ]*-amd64\)$/\1/p' | head -n 1)
	if [ -z "$KPKG" ]; then
		apt_update
		KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[^ ]*-amd64\)$/\1/p' | head -n 1)
	fi
	[ -n "$KPKG" ] || die "cannot resolve the kernel package: linux-image-amd64 depends on no linux-image-*-amd64"
	fetch "$KPKG"
	KDEB=$FETCHED
	KVER=$FETCHED_VERSION
	KDIR=$CACHE/$(basename "$KDEB" .deb)
	unpack "$KDEB" "$KDIR/root" './boot/vmlinuz-*'
	VMLINUZ=$(find "$KDIR/root/boot" -name 'vmlinuz-*' -type f 2>/dev/null | head -n 1)
	[ -n "$VMLINUZ" ] || die "$KPKG has no /boot/vmlinuz-*"
fi

# The ELF vmlinux inside the bzImage: try every offset where a compressor's
# magic appears, keep the first that decompresses to an ELF file (the logic
# of the kernel's scripts/extract-vmlinux).
VMLINUX=$KDIR/vmlinux
if [ ! -s "$VMLINUX" ]; then
	note "extracting the ELF vmlinux from $(basename "$VMLINUZ")"
	"$PYTHON" - "$VMLINUZ" >"$TMP/magics" <<'EOF' || die "cannot read $VMLINUZ"
import sys
data = open(sys.argv[1], "rb").read()
found = []
for name, magic in (("xz", b"\xfd7zXZ\x00"), ("zstd", b"\x28\xb5\x2f\xfd"), ("gzip", b"\x1f\x8b\x08")):
    i = data.find(magic)
    while i >= 0:
        found.append((i, name))
        i = data.find(magic, i + 1)
for off, name in sorted(found):
    print(off, name)
EOF
	ok=0
	while read -r off comp; do
		case $comp in
		xz) dec="xz -dcq --single-stream" ;;
		zstd) dec="zstd -dcq" ;;
		gzip) dec="gzip -dcq" ;;
		esac
		# A compressor stops with an error at the data after its stream;
		# what it wrote by then is the image.
		tail -c +"$((off + 1))" "$VMLINUZ" | $dec >"$TMP/vmlinux" 2>/dev/null
		if [ "$(head -c 4 "$TMP/vmlinux" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]; then
			ok=1
			echo "$comp payload at offset $off" >"$KDIR/vmlinux.how"
			break
		fi
	done <"$TMP/magics"
	[ "$ok" = 1 ] || die "no xz, zstd or gzip payload in $VMLINUZ decompresses to an ELF vmlinux"
	mv "$TMP/vmlinux" "$VMLINUX"
fi
KHOW=$(cat "$KDIR/vmlinux.how" 2>/dev/null)
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

# section LOG NAME: the lines of section NAME of a console log, without the
# carriage returns of the serial line.
section() {
	tr -d '\r' <"$1" | awk -v b="===PVHPROBE-$2-BEGIN===" -v e="===PVHPROBE-$2-END===" '
		$0 == b { on = 1; next }
		index($0, e) == 1 { on = 0; exit }
		on { print }'
}
section_rc() {
	tr -d '\r' <"$1" | sed -n "s/^===PVHPROBE-$2-END=== rc=\([0-9]*\)\$/\1/p" | head -n 1
}

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
	is "pvhprobe -j exit status in the guest" "${jrc:-none}" 0
	is "pvhprobe dump exit status in the guest" "${drc:-none}" 0
	[ -s "$G/report.stderr" ] && bad "pvhprobe -j wrote to stderr: $(head -n 2 "$G/report.stderr" | tr '\n' ' ')"

	if [ "$(jq -r type "$G/report.json" 2>/dev/null)" != object ]; then
		bad "no JSON report between the markers (see console.log)"
	else
		if "$PYTHON" "$VALIDATE" "$G/report.json" >"$G/validate.out" 2>&1; then
			good "report.json validates against the schema"
		else
			bad "report.json does not validate: $(head -n 3 "$G/validate.out" | tr '\n' ' ')"
		fi
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
