#!/bin/sh
# io.sh PVHPROBE - input and output failures, as each command meets them.
#  - The one bounded reader (src/input.c): `-i -`, `kernel -` and `compare`
#    (whose `-` is this machine, so it reads a FIFO here) give up on a
#    stalled pipe after PVHPROBE_INPUT_TIMEOUT seconds and refuse input past
#    their size limit, with status 3 and a message;
#    PVHPROBE_INPUT_TIMEOUT=0 waits as long as it takes.
#  - Output that cannot be written (/dev/full: ENOSPC; a bundle directory
#    that cannot be made) gives status 5 and a message, on every command.
set -u
bin=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
data="$top/tests/data"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$top/tests/lib/tap.sh"

# expect NAME STATUS PATTERN MAXSECONDS FEED ARGS...: with FEED's output
# (sh) on its standard input, pvhprobe ARGS exits STATUS within MAXSECONDS
# of starting and its stderr matches PATTERN (empty: stderr is empty). The
# time is pvhprobe's own: taken when it ends, not when FEED does.
expect() {
	name=$1 want=$2 pat=$3 max=$4 feed=$5
	shift 5
	t0=$(date +%s)
	sh -c "$feed" | {
		"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
		echo $? >"$tmp/st"
		date +%s >"$tmp/t1"
	}
	st=$(cat "$tmp/st")
	dt=$(($(cat "$tmp/t1") - t0))
	if [ -n "$pat" ]; then grep -q -- "$pat" "$tmp/err"; else [ ! -s "$tmp/err" ]; fi
	if [ $? = 0 ] && [ "$st" = "$want" ] && [ "$dt" -le "$max" ]; then
		ok "$name"
	else
		notok "$name (status $st, ${dt} s)"
		diag "$tmp/err"
	fi
}

export PVHPROBE_INPUT_TIMEOUT=1
expect "-i - on a stalled pipe: status 3 after 1 s" 3 '<stdin>: no data for 1 s' 2 'sleep 4' -i -
expect "kernel - on a stalled pipe: status 3 after 1 s" 3 '<stdin>: no data for 1 s' 2 'sleep 4' kernel -
# A FIFO whose writer stalls (opened and held by the feed).
mkfifo "$tmp/fifo"
expect "compare FIFO FILE on a stalled FIFO: status 3 after 1 s" 3 "$tmp/fifo: no data for 1 s" 2 \
	"exec 3>'$tmp/fifo'; sleep 4" compare "$tmp/fifo" "$data/xen-hvm.cpuid"

# Over the limit: 16 MiB for dumps and reports, 512 MiB for kernel images.
expect "-i - past 16 MiB: status 3" 3 'larger than 16 MiB, expected a CPUID dump' 30 \
	'head -c 17000000 /dev/zero' -i -
expect "compare FIFO FILE past 16 MiB: status 3" 3 'larger than 16 MiB' 30 \
	"head -c 17000000 /dev/zero >'$tmp/fifo'" compare "$tmp/fifo" "$data/xen-hvm.cpuid"
expect "kernel - past 512 MiB: status 3" 3 'larger than 512 MiB, expected a kernel image' 60 \
	'head -c 537000000 /dev/zero' kernel -

# 0: no limit. A writer that pauses 2 s is waited for, on every command.
export PVHPROBE_INPUT_TIMEOUT=0
expect "PVHPROBE_INPUT_TIMEOUT=0 waits for -i -" 0 '' 10 "sleep 2; cat '$data/xen-hvm.cpuid'" -i - -q
expect "PVHPROBE_INPUT_TIMEOUT=0 waits for kernel -" 0 '' 10 "sleep 2; cat '$data/kernel-pvh64.elf'" kernel - -q
expect "PVHPROBE_INPUT_TIMEOUT=0 waits for compare FIFO FILE" 0 '' 10 \
	"sleep 2; cat '$data/xen-hvm.cpuid' >'$tmp/fifo'" compare "$tmp/fifo" "$data/xen-hvm.cpuid" -q
# Anything but a whole number from 0 to 3600 is ignored: the default, 10 s.
export PVHPROBE_INPUT_TIMEOUT=junk
expect "PVHPROBE_INPUT_TIMEOUT=junk keeps the default" 0 '' 10 "sleep 2; cat '$data/xen-hvm.cpuid'" -i - -q
unset PVHPROBE_INPUT_TIMEOUT

# full NAME ARGS...: pvhprobe ARGS writing to /dev/full exits 5 and says so.
full() {
	name=$1
	shift
	"$bin" "$@" >/dev/full 2>"$tmp/err" </dev/null
	st=$?
	if [ "$st" = 5 ] && grep -q 'writing the output failed: No space left on device' "$tmp/err" &&
		[ "$(wc -l <"$tmp/err")" = 1 ]; then
		ok "$name to /dev/full: status 5 and one message"
	else
		notok "$name to /dev/full (status $st)"
		diag "$tmp/err"
	fi
}
x="$data/xen-hvm.cpuid"
full "text report" -i "$x"
full "JSON report" -i "$x" -j
full "env report" -i "$x" -f env
full "prometheus report" -i "$x" -f prometheus
full "dump" -i "$x" dump
full "--expect that fails" -i "$x" --expect=generic
full "batch replay" -i "$x" -i "$data/kvm-2cpu.cpuid" -j
full "compare" compare "$x" "$data/kvm-2cpu.cpuid"
full "kernel" kernel "$data/kernel-pvh64.elf"
full "kernel JSON" kernel "$data/kernel-pvh64.elf" -j
full "--list" --list
# A bundle that cannot be written.
"$bin" -i "$x" dump --sysroot-out=/proc/no-such-dir/bundle --sysroot="$top/tests/bundles/xen-pvh-domu" >/dev/null 2>"$tmp/err"
st=$?
[ "$st" = 5 ] && [ -s "$tmp/err" ] && ok "a bundle that cannot be written: status 5" ||
	{ notok "a bundle that cannot be written (status $st)"; diag "$tmp/err"; }
finish
