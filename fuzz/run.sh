#!/bin/sh
# run.sh - run every fuzzer for SECONDS each and summarise.
#
#   sh fuzz/run.sh SECONDS          from the repository root or from fuzz/
#
# Builds the fuzzers first (make -C fuzz, a no-op when up to date). Each
# fuzzer runs with its seeds (fuzz/corpus/NAME, read only; and the test
# fixtures of tests/data it takes, copied into fuzz/build/seeds/NAME at each
# run so that they are kept once, in tests/data) and a working
# corpus that grows from run to run (fuzz/build/corpus/NAME), its dictionary
# (fuzz/dict/NAME.dict) and its options below. Per fuzzer it prints the
# executions, libFuzzer's final coverage (cov: edges, ft: features), the
# corpus size and whether it found a crash; a crash leaves its input in
# fuzz/build/crashes/ and its log in fuzz/build/logs/NAME.log.
#
# Environment:
#   FUZZERS="fuzz_leaves ..."  run only these (default: every fuzzer built)
#   JOBS=N                     run N fuzzers at a time (default 1)
#   FUZZ_ARGS="..."            more libFuzzer options for every fuzzer
#   FUZZ_LEAVES_MAX=N          fuzz_leaves' bound on distinct leaves (see
#                              fuzz_leaves.c; 0 disables the check)
#   FORK=1                     keep fuzzing after a crash, timeout or OOM
#                              (libFuzzer -fork=1 -ignore_crashes=1 ...):
#                              every finding is kept in fuzz/build/crashes/;
#                              cov/ft then come from a replay of the final
#                              corpus (-runs=0), so that they compare with
#                              runs without FORK
#
# Exit status: 0 when no fuzzer crashed, 1 when one did (or an invariant
# was violated, a timeout or out-of-memory was hit), 2 on a usage or build
# error.
set -u

usage() {
	echo "usage: sh fuzz/run.sh SECONDS" >&2
	exit 2
}
[ $# -eq 1 ] || usage
secs=$1
case $secs in '' | *[!0-9]*) usage ;; esac
[ "$secs" -gt 0 ] || usage

here=$(cd "$(dirname "$0")" && pwd)
cd "$here" || exit 2
mkdir -p build
# One build at a time: two run.sh started together share fuzz/build/.
if command -v flock >/dev/null 2>&1; then
	lock="flock build/.make.lock"
else
	lock=
fi
$lock make -s -C "$here" >/dev/null || {
	echo "run.sh: building the fuzzers failed (make -C fuzz)" >&2
	exit 2
}
fuzzers=${FUZZERS:-$(make -s --no-print-directory -C "$here" list)}
jobs=${JOBS:-1}
mkdir -p build/logs build/crashes
# A smaller quarantine than ASan's 256 MiB: the analysis allocates a few MB
# per input, and fresh pages for each cost more than the analysis itself.
ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=32}
export ASAN_OPTIONS

# Options per fuzzer: fuzz_leaves and fuzz_kimage may grow inputs past their
# seeds (a table of ~340 leaves; a small kernel image with payload).
opts_for() {
	case $1 in
	fuzz_leaves) echo "-max_len=8192" ;;
	fuzz_kimage) echo "-max_len=16384" ;;
	*) echo "" ;;
	esac
}

# The fixtures of tests/data each fuzzer takes as seeds (the paths from
# fuzz/). They are not copied into fuzz/corpus: tests/data is their one copy.
fixtures_for() {
	case $1 in
	fuzz_dump_text) echo ../tests/data/*.cpuid ;;
	fuzz_kimage) echo ../tests/data/kernel-*.elf ../tests/data/kernel-*.bzimage ../tests/data/kernel-*.bin \
		../tests/data/kernel-*.txt ;;
	fuzz_report_json) echo ../tests/data/*.json ;;
	fuzz_probe_console) echo ../tests/data/probe-*.log ../tests/guest/captures/*.log ;;
	*) echo "" ;;
	esac
}

# build/seeds/NAME: a fresh copy of those fixtures, read only like corpus/.
fixture_seeds() {
	rm -rf "build/seeds/$1"
	mkdir -p "build/seeds/$1"
	for s in $(fixtures_for "$1"); do
		[ -f "$s" ] && cp "$s" "build/seeds/$1/"
	done
}

nfindings() {
	ls build/crashes 2>/dev/null | grep -c "^$1-" || true
}

run_one() {
	f=$1
	log=build/logs/$f.log
	mkdir -p "build/corpus/$f"
	dict=
	[ -f "dict/$f.dict" ] && dict=-dict=dict/$f.dict
	seeds=
	[ -d "corpus/$f" ] && seeds=corpus/$f
	fixture_seeds "$f"
	seeds="$seeds build/seeds/$f"
	fork=
	[ "${FORK:-0}" = 1 ] && fork="-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1"
	before=$(nfindings "$f")
	# shellcheck disable=SC2086 # word splitting of the option lists is intended
	"build/$f" -max_total_time="$secs" -timeout=30 -rss_limit_mb=2560 -print_final_stats=1 \
		-artifact_prefix="build/crashes/$f-" $dict $(opts_for "$f") $fork ${FUZZ_ARGS:-} \
		"build/corpus/$f" $seeds >"$log" 2>&1
	rc=$?
	found=$(($(nfindings "$f") - before))
	[ "$rc" -eq 0 ] && [ "$found" -gt 0 ] && rc=1
	echo "$rc $found" >"build/logs/$f.rc"
	if [ -n "$fork" ]; then
		# Coverage of the final corpus, as a run without -fork reports it.
		"build/$f" -runs=0 -artifact_prefix="build/logs/$f-replay-" "build/corpus/$f" \
			>"build/logs/$f.cov.log" 2>&1
	fi
}

# Runs the fuzzers, JOBS at a time.
set -- $fuzzers
while [ $# -gt 0 ]; do
	n=0
	while [ $# -gt 0 ] && [ "$n" -lt "$jobs" ]; do
		[ -x "build/$1" ] || {
			echo "run.sh: no fuzzer build/$1" >&2
			exit 2
		}
		run_one "$1" &
		n=$((n + 1))
		shift
	done
	wait
done

status=0
printf '%-18s %7s %10s %7s %7s %9s  %s\n' fuzzer seconds execs cov ft corpus result
for f in $fuzzers; do
	log=build/logs/$f.log
	read -r rc found <"build/logs/$f.rc" 2>/dev/null || { rc=2; found=0; }
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	# The last status line (#N ... cov: X ft: Y corp: C/...): DONE when the
	# run ended normally, the last progress line when it crashed; with
	# FORK=1, "#N: cov: ..." lines, and the coverage from the replay.
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	[ -n "$execs" ] || execs=$(echo "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
	if [ "${FORK:-0}" = 1 ] && [ -f "build/logs/$f.cov.log" ]; then
		inited=$(grep -E '^#[0-9]+.*INITED' "build/logs/$f.cov.log" | tail -n 1)
		[ -n "$inited" ] && last=$inited
	fi
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	if [ "$rc" -eq 0 ]; then
		result=ok
	else
		status=1
		art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		kind=$(grep -Eo 'INVARIANT VIOLATED|ERROR: AddressSanitizer: [a-z-]+|runtime error|ERROR: libFuzzer: [a-z-]+|deadly signal' "$log" | head -n 1)
		if [ "${FORK:-0}" = 1 ]; then
			result="CRASH: $found finding(s) in build/crashes/$f-*"
		else
			result="CRASH (${kind:-exit $rc}) ${art:-see $log}"
		fi
	fi
	printf '%-18s %7s %10s %7s %7s %9s  %s\n' "$f" "$secs" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
done
exit $status
