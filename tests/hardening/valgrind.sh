#!/bin/sh
# valgrind.sh PVHPROBE [GOLDEN_DIR] - every golden CLI case, and live runs,
# under valgrind memcheck (issue 7 part 2).
#
# Each case of GOLDEN_DIR (default tests/golden beside this script) is run
# the way tests/cli/run-golden.sh runs it (cd into the case directory, eval
# the args line, stdin from /dev/null) but under
#
#   valgrind --error-exitcode=99 --leak-check=full \
#            --errors-for-leak-kinds=definite,indirect --track-fds=no
#
# and must (1) report no memcheck error and no definite or indirect leak
# (exit status 99, or a non-zero ERROR SUMMARY in valgrind's log), (2) still
# give the case's expected stdout, stderr and exit status (valgrind's own
# report goes to a log file, not to stderr). Then the live runs (the CPUID
# instruction: under valgrind it returns valgrind's synthetic CPU, which is
# fine for memcheck) -j, -v, --format=env and --all-cpus must exit 0 (or 4
# where CPUID cannot be executed) with no error or leak.
#
# One line per run, "ok - ..." or "not ok - ...: why" followed by the first
# valgrind error stacks; last line "N passed, M failed". Exit 0 when all
# passed, 1 otherwise, 0 with a "skipped" note when valgrind is missing and CI is
# not "true" (under CI=true a missing valgrind is a failure).
#
# Environment: VALGRIND (default valgrind), VALGRIND_OPTS_EXTRA (more
# options, e.g. --gen-suppressions=all), KEEP=1 keeps the logs (printed).
set -u

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 PVHPROBE [GOLDEN_DIR]" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=${2:-$here/../golden}
VALGRIND=${VALGRIND:-valgrind}

if ! command -v "$VALGRIND" >/dev/null 2>&1; then
	if [ "${CI:-}" = true ]; then
		echo "not ok - valgrind not found (install Debian's valgrind package: sh scripts/install-deps.sh --test)"
		echo "0 passed, 1 failed"
		exit 1
	fi
	echo "# valgrind not found: skipped (apt-get install valgrind)"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
if [ ! -x "$bin" ]; then
	echo "$0: $1: not an executable" >&2
	exit 2
fi
# A sanitizer build cannot run under valgrind (ASan reserves the shadow
# memory valgrind needs).
if grep -q __asan_init "$bin" 2>/dev/null; then
	echo "$0: $1 is an AddressSanitizer build; valgrind needs a plain build (make, not make SANITIZE=1)" >&2
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pvhprobe-vg.XXXXXX") || exit 1
if [ "${KEEP:-0}" = 1 ]; then
	echo "# logs kept in $tmp"
else
	trap 'rm -rf "$tmp"' EXIT
fi
trap 'exit 130' INT TERM HUP

# --run-libc-freeres=no: by default valgrind calls glibc's __libc_freeres()
# when a process ends, which flushes stdio (_IO_cleanup) even on _exit(): the
# xenstore child (src/evidence_xenstore.c forks and ends with _exit) would
# then write the parent's unflushed stdout a second time, a valgrind-only
# artefact. glibc's own buffers are then "still reachable", not errors.
vg="$VALGRIND -q --error-exitcode=99 --run-libc-freeres=no --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --track-fds=no --num-callers=30 ${VALGRIND_OPTS_EXTRA:-}"

pass=0
fail=0
n=0

# vgcheck LOGPREFIX: 0 when every log LOGPREFIX.* is free of errors and of
# definite/indirect leaks; prints a summary of what it found to $tmp/why.
vgcheck() {
	: >"$tmp/why"
	_bad=0
	for _l in "$1".*; do
		[ -f "$_l" ] || continue
		# -q: valgrind writes only errors and the definite/indirect leak
		# records to the log; a clean run leaves it empty.
		if [ -s "$_l" ]; then
			_bad=1
			{
				grep -E '^==[0-9]+== (Invalid|Conditional|Use of uninit|Syscall param|Mismatched|Source and destination|Argument|[0-9,]+ (\([0-9,]+ direct, [0-9,]+ indirect\) )?bytes in [0-9,]+ blocks are (definitely|indirectly) lost)' "$_l" | sed 's/^==[0-9]*== //' | sort | uniq -c | head -5
				echo "--- $(basename "$_l"), first error:"
				sed -n '1,40p' "$_l"
			} >>"$tmp/why"
		fi
	done
	return $_bad
}

report() { # report NAME OK WHY
	if [ "$2" = 1 ]; then
		pass=$((pass + 1))
		echo "ok - $1"
	else
		fail=$((fail + 1))
		echo "not ok - $1:$3"
		[ -s "$tmp/why" ] && sed 's/^/#   /' "$tmp/why"
	fi
}

for c in "$dir"/*/; do
	c=${c%/}
	name=$(basename "$c")
	[ -f "$c/args" ] || continue
	[ -f "$c/expected.status" ] || { echo "# $name: no expected.status, skipped"; continue; }
	n=$((n + 1))
	args=$(cat "$c/args")
	log="$tmp/$name.vg"
	(cd "$c" && eval "$vg --log-file=\"\$log.%p\" \"\$bin\" $args" >"$tmp/out" 2>"$tmp/err" </dev/null)
	st=$?
	ok=1
	why=""
	if ! vgcheck "$log"; then
		ok=0
		why="$why valgrind errors or leaks (exit $st);"
	elif [ "$st" = 99 ]; then
		ok=0
		why="$why valgrind exit status 99;"
	fi
	if [ "$st" != "$(cat "$c/expected.status")" ] && [ "$st" != 99 ]; then
		ok=0
		why="$why status $st != $(cat "$c/expected.status");"
	fi
	cmp -s "$tmp/out" "$c/expected.stdout" || { ok=0; why="$why stdout differs;"; }
	if [ -f "$c/expected.stderr" ]; then
		cmp -s "$tmp/err" "$c/expected.stderr" || { ok=0; why="$why stderr differs;"; }
	elif [ -s "$tmp/err" ]; then
		ok=0
		why="$why unexpected stderr: $(head -c 200 "$tmp/err");"
	fi
	report "$name" "$ok" "$why"
done

# Live runs: the CPUID instruction (valgrind emulates it), the machine's own
# sysfs evidence, and every CPU for --all-cpus.
for live in "-j" "-v" "--format=env" "--all-cpus -j" "--source=dev -j"; do
	log="$tmp/live.vg"
	rm -f "$log".*
	# shellcheck disable=SC2086
	$vg --log-file="$log.%p" "$bin" $live >"$tmp/out" 2>"$tmp/err" </dev/null
	st=$?
	ok=1
	why=""
	vgcheck "$log" || { ok=0; why="$why valgrind errors or leaks (exit $st);"; }
	case "$live:$st" in
	*:0 | *:4) ;; # 4: CPUID cannot be executed here (non-x86, faulting)
	--source=dev*:3 | --source=dev*:4) ;; # no cpuid driver (modprobe cpuid), not root
	*) ok=0; why="$why exit status $st (want 0 or 4): $(head -c 200 "$tmp/err");" ;;
	esac
	[ "$st" = 0 ] && [ ! -s "$tmp/out" ] && { ok=0; why="$why no output;"; }
	report "live: pvhprobe $live (exit $st)" "$ok" "$why"
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
