#!/bin/sh
# run-corpus.sh - run pvhprobe over the real CPUID dumps and check what it says.
#
#   sh tests/corpus/run-corpus.sh PVHPROBE DUMPS_DIR
#
# For every DUMPS_DIR/*.cpuid:
#   - the text, -v, json and env formats exit 0 and write nothing to stderr;
#   - the JSON validates against schema/pvhprobe-1.json (tests/schema/validate.py);
#   - the env output passes `sh -n`, and eval'd in sh gives PVHPROBE_PATH equal
#     to the JSON's .path ("mixed" when it is null);
#   - round trips: `-i dump -j > a.json; -i a.json -j` equals a.json except
#     "source", "stats" and dump_note findings (see ROUND TRIP 1 below), and
#     `-i dump dump | -i - -j` gives the same "models" and "hypervisors";
# then the per-dump expectations in the EXPECTATIONS table below.
#
# One line per check, "ok - ..." or "not ok - ...", then "N passed, M failed".
# Exit status 0 when every check passed, 1 otherwise. When DUMPS_DIR does not
# exist the run is skipped (exit 0), unless CI=true (exit 1).
#
# Environment: PYTHON, the python3 that has the jsonschema module (default
# /usr/bin/python3); JQ (default jq; required, tests/lib/tap.sh).
set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 PVHPROBE DUMPS_DIR" >&2
	exit 2
fi
PVHPROBE=$1
DUMPS=$2
case $PVHPROBE in
*/*) ;;
*) [ -x "./$PVHPROBE" ] && PVHPROBE=./$PVHPROBE ;; # a bare name: the file here, else PATH
esac

HERE=$(cd "$(dirname "$0")" && pwd)
VALIDATE=$HERE/../schema/validate.py
PYTHON=${PYTHON:-/usr/bin/python3}

if [ ! -d "$DUMPS" ]; then
	if [ "${CI:-}" = true ]; then
		echo "error: dump directory $DUMPS does not exist (CI=true: the corpus must run)" >&2
		echo "not ok - dump directory $DUMPS does not exist"
		echo "0 passed, 1 failed"
		exit 1
	fi
	echo "SKIP: dump directory $DUMPS does not exist; corpus tests not run"
	echo "0 passed, 0 failed"
	exit 0
fi

. "$HERE/../lib/tap.sh"
need_jq

TMP=$(mktemp -d "${TMPDIR:-/tmp}/pvhprobe-corpus.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM HUP

# jnorm MODE FILE: FILE normalised for comparison (sorted keys):
#   report: without "source" and "stats";
#   analysis: only "models" and "hypervisors".
jnorm() {
	case $1 in
	report) "$JQ" -S 'del(.source, .stats)' "$2" ;;
	analysis) "$JQ" -S '{models, hypervisors}' "$2" ;;
	esac
}

# run NAME LABEL OUT ERR ARGS...: runs pvhprobe ARGS, checks exit 0 and empty
# stderr; LABEL shows the arguments in the check's line.
run() {
	_name=$1 _label=$2 _out=$3 _err=$4
	shift 4
	"$PVHPROBE" "$@" >"$_out" 2>"$_err"
	_rc=$?
	if [ "$_rc" -eq 0 ] && [ ! -s "$_err" ]; then
		ok "$_name: pvhprobe $_label exits 0, no stderr"
		return 0
	fi
	notok "$_name: pvhprobe $_label exits $_rc (want 0), stderr $(wc -c <"$_err") bytes (want 0)"
	diag "$_err"
	return 1
}

# validate NAME FILE...: one check per file.
validate() {
	_name=$1
	shift
	"$PYTHON" "$VALIDATE" "$@" >"$TMP/validate.out" 2>&1
	for _f in "$@"; do
		if grep -Fqx "$_f: OK" "$TMP/validate.out"; then
			ok "$_name: $(basename "$_f") validates against the schema"
		else
			notok "$_name: $(basename "$_f") does not validate against the schema"
			grep -F "$_f" "$TMP/validate.out" >"$TMP/validate.err" || cp "$TMP/validate.out" "$TMP/validate.err"
			diag "$TMP/validate.err"
		fi
	done
}

# same NAME WHAT A B: A and B (normalised files) are equal.
same() {
	if cmp -s "$3" "$4"; then
		ok "$1: $2"
	else
		notok "$1: $2"
		diff "$3" "$4" >"$TMP/diff" 2>&1
		diag "$TMP/diff"
	fi
}

set -- "$DUMPS"/*.cpuid
if [ ! -e "$1" ]; then
	notok "no *.cpuid dump in $DUMPS"
	echo "$pass passed, $fail failed"
	exit 1
fi

for dump in "$@"; do
	name=$(basename "$dump" .cpuid)
	d=$TMP/$name
	mkdir "$d"

	run "$name" "-i DUMP" "$d/text" "$d/text.err" -i "$dump"
	if [ -s "$d/text" ]; then
		ok "$name: text report is not empty"
	else
		notok "$name: text report is empty"
	fi
	run "$name" "-i DUMP -v" "$d/verbose" "$d/verbose.err" -i "$dump" -v
	run "$name" "-i DUMP -j" "$d/a.json" "$d/a.err" -i "$dump" -j

	# Env: syntax, then the value of PVHPROBE_PATH when eval'd.
	if run "$name" "-i DUMP --format=env" "$d/env" "$d/env.err" -i "$dump" --format=env; then
		if sh -n "$d/env" 2>"$d/shn.err"; then
			ok "$name: env output passes sh -n"
		else
			notok "$name: env output fails sh -n"
			diag "$d/shn.err"
		fi
		want=$(jvals "$d/a.json" .path)
		[ "$want" = null ] && want=mixed
		got=$(sh -c 'eval "$(cat "$1")" && printf "%s\n" "$PVHPROBE_PATH"' sh "$d/env" 2>"$d/eval.err")
		if [ "$got" = "$want" ] && [ ! -s "$d/eval.err" ]; then
			ok "$name: env PVHPROBE_PATH=$got matches the JSON .path"
		else
			notok "$name: env PVHPROBE_PATH='$got', JSON .path gives '$want'"
			diag "$d/eval.err"
		fi
	fi

	# ROUND TRIP 1: the report read back gives the same report. "source" (the
	# input) and "stats" (counters of the run) differ by design. dump_note
	# findings describe the original file's lines; the report carries them.
	if run "$name" "-i a.json -j" "$d/b.json" "$d/b.err" -i "$d/a.json" -j; then
		jnorm report "$d/a.json" >"$d/a.norm"
		jnorm report "$d/b.json" >"$d/b.norm"
		same "$name" "-i a.json -j reproduces a.json (source and stats aside)" "$d/a.norm" "$d/b.norm"
	fi

	# ROUND TRIP 2: `dump` output piped back in gives the same analysis.
	{
		"$PVHPROBE" -i "$dump" dump 2>"$d/dump.err"
		echo $? >"$d/dump.rc"
	} | "$PVHPROBE" -i - -j >"$d/c.json" 2>"$d/c.err"
	rc=$?
	if [ "$(cat "$d/dump.rc")" -eq 0 ] && [ ! -s "$d/dump.err" ] && [ "$rc" -eq 0 ] && [ ! -s "$d/c.err" ]; then
		jnorm analysis "$d/a.json" >"$d/a.ana"
		jnorm analysis "$d/c.json" >"$d/c.ana"
		same "$name" "dump | -i - -j gives the same models and hypervisors" "$d/a.ana" "$d/c.ana"
	else
		notok "$name: dump | -i - -j: exit $(cat "$d/dump.rc") and $rc (want 0, 0), or stderr"
		cat "$d/dump.err" "$d/c.err" >"$d/pipe.err"
		diag "$d/pipe.err"
	fi

	set --
	for f in a.json b.json c.json; do
		[ -s "$d/$f" ] && set -- "$@" "$d/$f"
	done
	[ $# -gt 0 ] && validate "$name" "$@"
done

# EXPECTATIONS, from the kernel rules (docs/rules-*.md) and the dumps' README.
# One check per row: DUMP-PREFIX PATH OP VALUE # reason. A row applies to every
# dump whose name starts with DUMP-PREFIX (at least one must). PATH is a jq
# path (.key ["key"] [N] []); OP is
#   =      every value PATH selects (at least one) equals VALUE
#   has    some value equals VALUE        lacks  no value equals VALUE
#   has~   some value contains VALUE      count  PATH selects VALUE values
# Values are compared as text: strings raw, others as JSON (4, true, null).
EXPECTATIONS=$(cat <<'EOF'
# Xen HVM (Xen 4.11): "XenVMMXenVMM" at 0x40000000, EAX 0x40000005 (EAX-base 5 >= 2): every kernel takes the Xen path and boots
xen-aws-ec2 .models[].path = xen # every model finds the Xen signature with enough leaves
xen-aws-ec2 .models[].outcome = boots # Xen path on real Xen with a hypercall page leaf: boots
xen-aws-ec2 .path = xen # all models agree on xen
xen-aws-ec2 .models.linux.hypervisor = xen # Linux detect_hypervisor_vendor picks Xen from the same signature
xen-aws-ec2 .models["linux-5.0"].outcome = boots # base+2 EBX = 0x40000000, Xen's hypercall MSR: the pre-XSA-466 wrmsr_safe works
xen-aws-ec2 .models["linux-4.11"].outcome = boots # Xen-only entry on real Xen: MSR from base+2 EBX, memory map by hypercall
xen-aws-ec2 .models["linux-4.11"].hypervisor = xen # detect_hypervisor_vendor() after the Xen entry
xen-aws-ec2 .hypervisors[0].vendor = xen # the only range is Xen's
xen-aws-ec2 .hypervisors[0].details.version_major = 4 # 0x40000001 EAX=0x0004000b: Xen 4.11
xen-aws-ec2 .hypervisors[0].details.version_minor = 11 # 0x40000001 EAX=0x0004000b: Xen 4.11
# Firecracker (KVM): "KVMKVMKVM" at 0x40000000 and no Xen signature: generic path, KVM platform
firecracker-t2a .models.linux.path = generic # xen_prepare_pvh only on a Xen signature; there is none
firecracker-t2a .models.freebsd.path = generic # FreeBSD 15 identify_hypervisor: VM_GUEST_KVM, no Xen set-up
firecracker-t2a .models["freebsd-14.0"].path = generic # FreeBSD 14.0 isxen() finds no Xen signature
firecracker-t2a .models.linux.hypervisor = kvm # Linux detects KVM from its signature
firecracker-t2a .path = generic # all current models agree
firecracker-t2a .hypervisors[0].vendor = kvm # the one range is KVM's
firecracker-t2a .models["freebsd-legacy"].outcome = crash # pre-D35801 FreeBSD treats every PVH boot as Xen and finds no hypercall leaves
firecracker-t2a .models["linux-5.0"].path = generic # 5.0's xen_cpuid_base() split: no Xen signature
firecracker-t2a .models["linux-5.0"].outcome = boots # the generic path has no MSR write
firecracker-t2a .models["linux-4.11"].path = xen # 4.11-4.20 PVH entry is Xen-only
firecracker-t2a .models["linux-4.11"].outcome = crash # leaf 2 EBX as the hypercall MSR, then a hypercall with no page
firecracker-t2a .models["linux-4.11"].reason has~ leaf 2 EBX 0 used as the hypercall MSR # AMD host: leaf 2 reads 0 (recorded in the dump)
firecracker-t2a .findings[].id has legacy_kernel_crashes # freebsd-legacy and linux-4.11 crash, reported apart
# QEMU/KVM -cpu host: KVM signature, generic path
kvm-qemu-cpuhost .path = generic # no Xen signature in any base
kvm-qemu-cpuhost .models.linux.path = generic # xen_prepare_pvh not called
kvm-qemu-cpuhost .models.linux.hypervisor = kvm # KVM signature at 0x40000000
kvm-qemu-cpuhost .hypervisors[0].vendor = kvm # KVM signature at 0x40000000
# VirtualBox with its KVM paravirtualisation provider shows KVM's signature: kernels treat it as KVM
virtualbox-kvm-paravirt .path = generic # no Xen signature
virtualbox-kvm-paravirt .models.linux.path = generic # xen_prepare_pvh not called
virtualbox-kvm-paravirt .models.linux.hypervisor = kvm # VirtualBox's KVM provider presents "KVMKVMKVM"
virtualbox-kvm-paravirt .hypervisors[0].vendor = kvm # signature table: KVM, not VirtualBox
# Azure Hyper-V guest: "Microsoft Hv" at 0x40000000, 0x40000100 not recorded
hyperv-azure .path = generic # no Xen signature among the recorded bases
hyperv-azure .models.linux.path = generic # xen_prepare_pvh not called
hyperv-azure .models.linux.hypervisor = hyperv # Linux detects Hyper-V (ms_hyperv) from the signature
hyperv-azure .findings[].id has bases_not_recorded # the dump lacks 0x40000100, so a hypervisor behind Hyper-V cannot be seen
hyperv-azure .hypervisors[0].details.root_partition = false # a guest: no CreatePartitions privilege in 0x40000003
hyperv-azure .findings[].id lacks hyperv_root_partition # a guest, not the root partition
# Windows hosts with Hyper-V on: "Microsoft Hv" although they are the root partition (CreatePartitions in 0x40000003 EBX)
hyperv-root .findings[].id has hyperv_root_partition # 0x40000003 EBX bit 0 (CreatePartitions) set: the host, not a guest
hyperv-root .hypervisors[0].details.root_partition = true # CreatePartitions privilege decoded
hyperv-root .hypervisors[0].vendor = hyperv # the signature is still "Microsoft Hv"
# QEMU/KVM with hv_* enlightenments: Hyper-V's signature at 0x40000000 hides KVM at 0x40000100, which was not recorded
kvm-hyperv-enlightened .hypervisors[0].vendor = hyperv # "Microsoft Hv" at the first base
kvm-hyperv-enlightened .hypervisors[0].base_hex = 0x40000000 # the Hyper-V range sits at the first base
kvm-hyperv-enlightened .hypervisors[] count 1 # KVM at 0x40000100 was not recorded, so only Hyper-V shows
kvm-hyperv-enlightened .findings[].id has bases_not_recorded # 0x40000100 missing from the dump
# Xen PV dom0: user-space CPUID is not intercepted, so the hypervisor bit is set but 0x40000000 is zero
xen-pv-dom0 .hypervisors[] count 0 # no base answers
xen-pv-dom0 .cpu.hypervisor_bit = true # CPUID.1:ECX[31] set by the PV CPUID mask
xen-pv-dom0 .findings[].id has hypervisor_bit_without_range # bit set, no range: the PV trap the README names
xen-pv-dom0 .findings[].id has dump_note # line 54 gives leaf 0x80000001 a second time
xen-pv-dom0 .findings[].text has~ :54: leaf 0x80000001 # the note names the line and the leaf
# Bare metal Intel: no hypervisor bit, no range (leaves past the maximum echo the highest basic leaf)
baremetal-intel .hypervisors[] count 0 # no hypervisor
baremetal-intel .cpu.hypervisor_bit = false # CPUID.1:ECX[31] clear on bare metal
baremetal-intel .path = generic # no Xen signature
baremetal-intel .models.linux.hypervisor = null # Linux finds no hypervisor
baremetal-intel .models["linux-4.11"].reason has~ leaf 2 EBX 0xf0b5ff used as the hypercall MSR # Intel leaf 2 EBX (cache descriptors 0x00f0b5ff) as the MSR index
EOF
)

printf '%s\n' "$EXPECTATIONS" | while IFS= read -r line; do
	case $line in
	'#'* | '') continue ;;
	esac
	# Split "PREFIX PATH OP VALUE # reason"; VALUE may contain spaces.
	prefix=${line%%" "*}
	rest=${line#*" "}
	path=${rest%%" "*}
	rest=${rest#*" "}
	op=${rest%%" "*}
	rest=${rest#*" "}
	value=${rest%%" # "*}
	reason=${rest#*" # "}
	[ "$reason" = "$rest" ] && reason=
	echo "$prefix|$path|$op|$value|$reason"
done >"$TMP/expect"

# holds OP VALUE FILE N: whether the N values in FILE satisfy OP VALUE.
holds() {
	case $1 in
	=) [ "$4" -gt 0 ] && ! grep -Fqvx -- "$2" "$3" ;;
	has) grep -Fqx -- "$2" "$3" ;;
	lacks) ! grep -Fqx -- "$2" "$3" ;;
	has~) grep -Fq -- "$2" "$3" ;;
	count) [ "$4" -eq "$2" ] ;;
	*) return 2 ;;
	esac
}

while IFS='|' read -r prefix path op value reason; do
	matched=0
	for d in "$TMP/$prefix"*/; do
		[ -d "$d" ] || continue
		[ -s "$d/a.json" ] || continue
		matched=1
		name=$(basename "$d")
		desc="$name: $path $op $value"
		jvals "$d/a.json" "$path" >"$TMP/vals" 2>"$TMP/vals.err" || {
			notok "$desc (cannot evaluate $path)"
			diag "$TMP/vals.err"
			continue
		}
		n=$(wc -l <"$TMP/vals" | tr -d ' ')
		if holds "$op" "$value" "$TMP/vals" "$n"; then
			ok "$desc"
		else
			notok "$desc ($reason)"
			echo "#   got $n value(s):"
			diag "$TMP/vals"
		fi
	done
	if [ "$matched" = 0 ]; then
		notok "$prefix*: no JSON report for a dump of this name in $DUMPS ($path $op $value)"
	fi
done <"$TMP/expect"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
