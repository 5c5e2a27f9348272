#!/bin/sh
# cpuid-faulting.sh PVHPROBE - pvhprobe in a process with CPUID faulting
# enabled (issue 7 part 4): a clear message and exit 4, not a SIGSEGV.
#
# arch_prctl(ARCH_SET_CPUID, 0) is reset by execve, so it is set inside the
# pvhprobe process by an LD_PRELOAD constructor (built here with cc), after
# the dynamic loader and glibc have run their own CPUID. Then:
#   - pvhprobe, -j and --all-cpus exit 4 (not killed by a signal) with a
#     message naming CPUID faulting;
#   - -i DUMP still works (exit 0): analysing a dump executes no CPUID;
#   - --source=dev still works where /dev/cpu/0/cpuid is readable.
# CPUID faulting needs the processor (or the hypervisor) to support it
# (the cpuid_fault flag in /proc/cpuinfo): elsewhere arch_prctl fails with
# ENODEV and the script skips (exit 0), CI or not - a hardware feature, not
# a missing package. Non-x86: skipped too (arm64.sh covers it).
#
# One line per check, then "N passed, M failed".
set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 PVHPROBE" >&2
	exit 2
fi
bin=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
CC=${CC:-cc}

case $(uname -m) in
x86_64 | amd64 | i[3-6]86) ;;
*)
	echo "# $(uname -m): no CPUID at all; see tests/hardening/arm64.sh"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
	;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pvhprobe-cpuidfault.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

cat >"$tmp/shim.c" <<'EOF'
#include <asm/prctl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifndef ARCH_SET_CPUID
#define ARCH_SET_CPUID 0x1012
#endif
__attribute__((constructor)) static void cpuid_fault(void)
{
	if (syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0) != 0) {
		perror("arch_prctl(ARCH_SET_CPUID, 0)");
		_exit(77);
	}
}
EOF
if ! "$CC" -shared -fPIC -o "$tmp/shim.so" "$tmp/shim.c" 2>"$tmp/cc.err"; then
	echo "not ok - building the LD_PRELOAD shim with $CC: $(head -n 3 "$tmp/cc.err")"
	echo "0 passed, 1 failed"
	exit 1
fi
LD_PRELOAD=$tmp/shim.so env true 2>"$tmp/probe.err"
if [ $? -eq 77 ]; then
	echo "# CPUID faulting is not available here ($(head -n 1 "$tmp/probe.err"); no cpuid_fault in /proc/cpuinfo): skipped"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi

pass=0
fail=0
faulted() { LD_PRELOAD=$tmp/shim.so "$bin" "$@" </dev/null; }
for a in "" "-j" "--all-cpus"; do
	# shellcheck disable=SC2086
	faulted $a >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 4 ] && grep -qi 'faulting' "$tmp/err" && [ ! -s "$tmp/out" ]; then
		pass=$((pass + 1))
		echo "ok - 'pvhprobe $a' with CPUID faulting exits 4: $(head -n 1 "$tmp/err")"
	else
		fail=$((fail + 1))
		echo "not ok - 'pvhprobe $a' with CPUID faulting exits $rc (want 4; >128 is a signal, 139 SIGSEGV): $(head -c 200 "$tmp/err")"
	fi
done
faulted -i "$top/tests/data/xen-hvm.cpuid" -q --expect=xen >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 0 ]; then
	pass=$((pass + 1))
	echo "ok - -i DUMP still works with CPUID faulting"
else
	fail=$((fail + 1))
	echo "not ok - -i DUMP with CPUID faulting exits $rc: $(head -c 200 "$tmp/err")"
fi
if [ -r /dev/cpu/0/cpuid ]; then
	faulted --source=dev -j >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok - --source=dev still works with CPUID faulting"
	else
		fail=$((fail + 1))
		echo "not ok - --source=dev with CPUID faulting exits $rc: $(head -c 200 "$tmp/err")"
	fi
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
