#!/bin/sh
# limits.sh PVHPROBE - huge, endless and silent inputs are bounded in time
# and memory, with a clear error (issue 7 part 6).
#
# Each case gives pvhprobe one hostile input and must end with exit status 3
# and a message on stderr naming the input, within LIMIT_SECONDS (default 5)
# of wall time, with a peak resident set (GNU time's %M) under LIMIT_RSS_KB
# (default 65536, 64 MiB). The inputs are generated under $TMPDIR:
#   - a 100 MB dump (a valid cpuid -r line repeated), from a file and on stdin
#   - /dev/zero, as a file and on stdin; `yes` piped in (a pipe that never
#     ends)
#   - a FIFO nobody writes to, and one held open by a writer that never
#     writes, with PVHPROBE_INPUT_TIMEOUT=2 (seconds)
#   - a 5 MB single line
#   - a dump with 70000 distinct leaves (one CPU may have 65536)
#   - a JSON report with 100000 nested '[' (jansson's depth limit)
#   - a JSON report with 70000 leaves
#   - a 16 MB JSON document of empty objects (the parser's memory per byte)
#   - `pvhprobe kernel` on /dev/zero and on a silent FIFO (the kernel image
#     reader has its own bound, KIMAGE_MAX_BYTES)
# One line per case, "ok - NAME: exit 3 in T s, peak RSS N KiB: message" or
# "not ok - ...", then "N passed, M failed". Exit 0 when all passed.
#
# Needs GNU time (/usr/bin/time, Debian package time), mkfifo, timeout.
set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 PVHPROBE" >&2
	exit 2
fi
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
LIMIT_SECONDS=${LIMIT_SECONDS:-5}
LIMIT_RSS_KB=${LIMIT_RSS_KB:-65536}
GNU_TIME=${GNU_TIME:-/usr/bin/time}
if [ ! -x "$GNU_TIME" ] || ! "$GNU_TIME" -f %M true >/dev/null 2>&1; then
	if [ "${CI:-}" = true ]; then
		echo "not ok - GNU time not found at $GNU_TIME (Debian package time)"
		echo "0 passed, 1 failed"
		exit 1
	fi
	echo "# GNU time not found at $GNU_TIME (apt-get install time): skipped"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pvhprobe-limits.XXXXXX") || exit 1
holder=
cleanup() {
	[ -n "$holder" ] && kill "$holder" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

pass=0
fail=0
line='   0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69'

# ---- the inputs ----
yes "$line" | head -c 100000000 >"$tmp/huge.cpuid"
head -c 5000000 /dev/zero | tr '\0' 'x' >"$tmp/longline.cpuid"
awk 'BEGIN { print "CPU 0:"; for (i = 0; i < 70000; i++)
	printf "   0x%08x 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n", 1073741824 + i }' >"$tmp/leaves.cpuid"
awk 'BEGIN { printf "{\"schema\":\"pvhprobe/1\",\"leaves\":"; for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]"; print "}" }' >"$tmp/deep.json"
awk 'BEGIN { printf "{\"schema\":\"pvhprobe/1\",\"source\":{\"kind\":\"dump\",\"cpu\":0},\"leaves\":[";
	for (i = 0; i < 70000; i++)
		printf "%s{\"leaf\":%d,\"subleaf\":0,\"eax\":0,\"ebx\":0,\"ecx\":0,\"edx\":0,\"recorded\":true}", (i ? "," : ""), 1073741824 + i
	print "]}" }' >"$tmp/leaves.json"
# 16 MB (just under the 16 MiB input cap) of {} - as many JSON values as
# such a file can hold.
{
	printf '{"schema":"pvhprobe/1","leaves":['
	yes '{},' | head -n 5592000 | tr -d '\n'
	printf '{}]}\n'
} >"$tmp/objects.json"
mkfifo "$tmp/silent.fifo" "$tmp/held.fifo" "$tmp/ksilent.fifo"
# A writer that holds the FIFO open and never writes: O_RDWR does not wait.
sleep 300 3<>"$tmp/held.fifo" &
holder=$!

# run NAME EXPECT_NAME SCRIPT: SCRIPT (sh, with $bin, $tmp and $line in its
# environment) under GNU time and timeout; EXPECT_NAME: text stderr must
# contain. %M is the largest resident set among the processes time waited
# for (pvhprobe; in a pipeline also yes and sh, which stay small).
export bin tmp line
run() {
	name=$1
	want=$2
	PVHPROBE_INPUT_TIMEOUT=2 timeout -s KILL 60 "$GNU_TIME" -f '%e %M' -o "$tmp/time" sh -c "$3" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	st=$?
	secs=$(cut -d' ' -f1 "$tmp/time" 2>/dev/null | tail -n 1)
	rss=$(cut -d' ' -f2 "$tmp/time" 2>/dev/null | tail -n 1)
	# GNU time prints "Command exited with non-zero status N" first.
	grep -v '^Command exited' "$tmp/time" >/dev/null 2>&1 || { secs=?; rss=?; }
	msg=$(grep -v '^Command exited' "$tmp/err" | head -n 1 | cut -c1-160)
	why=""
	[ "$st" -eq 3 ] || why="$why exit $st (want 3);"
	[ "$st" -eq 137 ] && why="$why killed after 60 s;"
	grep -qF -- "$want" "$tmp/err" || why="$why the message does not name $want;"
	case $secs in
	'' | \?) why="$why no timing;" ;;
	*) awk -v s="$secs" -v l="$LIMIT_SECONDS" 'BEGIN { exit !(s <= l) }' || why="$why took $secs s (limit $LIMIT_SECONDS);" ;;
	esac
	case $rss in
	'' | \?) why="$why no RSS;" ;;
	*) [ "$rss" -le "$LIMIT_RSS_KB" ] || why="$why peak RSS $rss KiB (limit $LIMIT_RSS_KB);" ;;
	esac
	[ -s "$tmp/out" ] && why="$why wrote $(wc -c <"$tmp/out" | tr -d ' ') bytes to stdout;"
	if [ -z "$why" ]; then
		pass=$((pass + 1))
		echo "ok - $name: exit 3 in $secs s, peak RSS $rss KiB: $msg"
	else
		fail=$((fail + 1))
		echo "not ok - $name:$why ($secs s, $rss KiB) $msg"
	fi
}

run "100 MB dump (a valid line repeated)" "$tmp/huge.cpuid" 'exec "$bin" -i "$tmp/huge.cpuid"'
run "100 MB dump on stdin" "<stdin>" 'exec "$bin" -i - <"$tmp/huge.cpuid"'
run "/dev/zero" "/dev/zero" 'exec "$bin" -i /dev/zero'
run "/dev/zero on stdin" "<stdin>" 'exec "$bin" -i - </dev/zero'
run "an endless pipe (yes)" "<stdin>" 'yes "$line" | "$bin" -i -'
run "a FIFO nobody writes to (PVHPROBE_INPUT_TIMEOUT=2)" "$tmp/silent.fifo" 'exec "$bin" -i "$tmp/silent.fifo"'
run "a FIFO held open by a writer that never writes" "$tmp/held.fifo" 'exec "$bin" -i "$tmp/held.fifo"'
run "the held FIFO on stdin" "<stdin>" 'exec "$bin" -i - <"$tmp/held.fifo"'
run "a 5 MB single line" "$tmp/longline.cpuid" 'exec "$bin" -i "$tmp/longline.cpuid"'
run "a dump with 70000 distinct leaves" "$tmp/leaves.cpuid" 'exec "$bin" -i "$tmp/leaves.cpuid"'
run "JSON with 100000 nested [" "$tmp/deep.json" 'exec "$bin" -i "$tmp/deep.json"'
run "a JSON report with 70000 leaves" "$tmp/leaves.json" 'exec "$bin" -i "$tmp/leaves.json"'
run "16 MB of JSON empty objects" "$tmp/objects.json" 'exec "$bin" -i "$tmp/objects.json"'
run "compare with /dev/zero" "/dev/zero" 'exec "$bin" compare /dev/zero "$tmp/huge.cpuid"'
run "kernel /dev/zero" "/dev/zero" 'exec "$bin" kernel /dev/zero'
run "kernel on a FIFO nobody writes to" "$tmp/ksilent.fifo" 'exec "$bin" kernel "$tmp/ksilent.fifo"'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
