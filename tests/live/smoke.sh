#!/bin/sh
# smoke.sh - run pvhprobe on the machine running the tests.
#
#   sh tests/live/smoke.sh PVHPROBE
#
# Asserts only what holds on any machine, guest or bare metal:
#   - `pvhprobe -j` exits 0 on x86, or 4 where CPUID cannot be executed
#     (non-x86, CPUID faulting) with an explanation on stderr; in that case
#     `-i` on a small inline dump must still work, and the run ends there;
#   - the JSON validates against schema/pvhprobe-1.json;
#   - each leaf is executed at most once: stats.cpuid_executions ==
#     stats.distinct_leaves == the number of leaves, at least 256 (the scan),
#     no (leaf, subleaf) twice, and each of the 256 bases 0x40000000..0x4000ff00
#     (subleaf 0) is among the leaves;
#   - `-q --expect=P` exits 0 for P = .path and 1 for the other path (both 1
#     when .path is null), printing nothing;
#   - `--format=env` passes `sh -n` and eval'd in sh gives PVHPROBE_PATH = .path
#     ("mixed" when null).
#
# One line per check, "ok - ..." or "not ok - ...", then "N passed, M failed".
# Exit status 0 when every check passed, 1 otherwise.
#
# Environment: PYTHON, the python3 that has the jsonschema module (default
# /usr/bin/python3); JQ (default jq; required, tests/lib/tap.sh).
set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 PVHPROBE" >&2
	exit 2
fi
PVHPROBE=$1
case $PVHPROBE in
*/*) ;;
*) [ -x "./$PVHPROBE" ] && PVHPROBE=./$PVHPROBE ;; # a bare name: the file here, else PATH
esac

HERE=$(cd "$(dirname "$0")" && pwd)
VALIDATE=$HERE/../schema/validate.py
PYTHON=${PYTHON:-/usr/bin/python3}

. "$HERE/../lib/tap.sh"
need_jq

TMP=$(mktemp -d "${TMPDIR:-/tmp}/pvhprobe-live.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM HUP

validate() { # validate FILE
	"$PYTHON" "$VALIDATE" "$1" >"$TMP/validate.out" 2>&1
	check "$2 validates against the schema" || diag "$TMP/validate.out"
}

case $(uname -m) in
x86_64 | amd64 | i[3-6]86 | x86) x86=1 ;;
*) x86=0 ;;
esac

"$PVHPROBE" -j >"$TMP/live.json" 2>"$TMP/live.err"
rc=$?

if [ "$rc" -eq 4 ]; then
	# Non-x86, or CPUID faulting: the exit status is documented, and the
	# message must say why.
	if [ -s "$TMP/live.err" ]; then
		ok "pvhprobe -j exits 4 (CPUID cannot be executed here: $(head -n 1 "$TMP/live.err"))"
	else
		notok "pvhprobe -j exits 4 without a message on stderr"
	fi
	# Dumps must still work.
	cat >"$TMP/small.cpuid" <<'EOF'
CPU 0:
   0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69
   0x00000001 0x00: eax=0x000306f2 ebx=0x00010800 ecx=0xfffa3203 edx=0x178bfbff
   0x40000000 0x00: eax=0x40000001 ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d
   0x40000001 0x00: eax=0x01007afb ebx=0x00000000 ecx=0x00000000 edx=0x00000000
EOF
	"$PVHPROBE" -i "$TMP/small.cpuid" -j >"$TMP/small.json" 2>"$TMP/small.err"
	rc=$?
	[ "$rc" -eq 0 ] && [ ! -s "$TMP/small.err" ]
	check "pvhprobe -i DUMP -j still works here (exit $rc, stderr $(wc -c <"$TMP/small.err") bytes)"
	if [ "$rc" -eq 0 ]; then
		validate "$TMP/small.json" "the inline dump's report"
		[ "$(jvals "$TMP/small.json" .hypervisors[0].vendor)" = kvm ] &&
			[ "$(jvals "$TMP/small.json" .path)" = generic ]
		check "the inline KVM dump reads as kvm, generic path"
	fi
	finish
fi

if [ "$rc" -ne 0 ]; then
	notok "pvhprobe -j exits $rc (want 0, or 4 where CPUID cannot be executed)"
	diag "$TMP/live.err"
	finish
fi
if [ "$x86" = 1 ]; then
	ok "pvhprobe -j exits 0 on $(uname -m)"
else
	notok "pvhprobe -j exits 0 on $(uname -m), a non-x86 machine (want 4)"
fi
[ ! -s "$TMP/live.err" ]
check "pvhprobe -j writes nothing to stderr" || diag "$TMP/live.err"

validate "$TMP/live.json" "the live report"

[ "$(jvals "$TMP/live.json" .source.kind)" = insn ]
check "source.kind is insn"

path=$(jvals "$TMP/live.json" .path)
echo "# this machine: path $path, hypervisors: $(jvals "$TMP/live.json" '.hypervisors[].vendor' | tr '\n' ' ')"

if [ "$x86" = 1 ]; then
	exe=$(jvals "$TMP/live.json" .stats.cpuid_executions)
	dist=$(jvals "$TMP/live.json" .stats.distinct_leaves)
	# A leaf is an object, a bare number (an all-zero base) or [first,
	# last, ...] (a run of bases answering alike, step 0x100): expanded.
	jvals "$TMP/live.json" '.leaves[] | if type == "number" then . elif type == "array" then range(.[0]; .[1] + 1; 256) else .leaf end' >"$TMP/leaf"
	jvals "$TMP/live.json" '.leaves[] | if type == "number" then 0 elif type == "array" then (range(.[0]; .[1] + 1; 256) | 0) else .subleaf end' >"$TMP/subleaf"
	nleaves=$(wc -l <"$TMP/leaf" | tr -d ' ')
	[ "$exe" = "$dist" ] && [ "$dist" = "$nleaves" ]
	check "each leaf executed at most once: cpuid_executions $exe == distinct_leaves $dist == leaves $nleaves"
	[ "$nleaves" -ge 256 ] 2>/dev/null
	check "at least 256 leaves read (the full scan): $nleaves"

	paste -d ' ' "$TMP/leaf" "$TMP/subleaf" >"$TMP/pairs"
	dups=$(sort "$TMP/pairs" | uniq -d | wc -l | tr -d ' ')
	[ "$dups" -eq 0 ]
	check "no (leaf, subleaf) listed twice ($dups duplicates)"

	# The 256 bases, as decimal "leaf 0" pairs.
	awk 'BEGIN { for (i = 0; i < 256; i++) printf "%d 0\n", 1073741824 + 256 * i }' | sort >"$TMP/bases"
	sort "$TMP/pairs" >"$TMP/pairs.sorted"
	missing=$(comm -13 "$TMP/pairs.sorted" "$TMP/bases" | wc -l | tr -d ' ')
	[ "$missing" -eq 0 ]
	check "all 256 bases 0x40000000..0x4000ff00 (subleaf 0) are among the leaves ($missing missing)"
fi

# --expect, quietly.
expect() { # expect PATH WANT_RC
	"$PVHPROBE" -q --expect="$1" >"$TMP/q.out" 2>"$TMP/q.err"
	_rc=$?
	[ "$_rc" -eq "$2" ] && [ ! -s "$TMP/q.out" ] && [ ! -s "$TMP/q.err" ]
	check "pvhprobe -q --expect=$1 exits $_rc (want $2), prints nothing" ||
		cat "$TMP/q.out" "$TMP/q.err" | sed -n '1,10s/^/#   /p'
}
case $path in
xen) expect xen 0; expect generic 1 ;;
generic) expect generic 0; expect xen 1 ;;
null) expect xen 1; expect generic 1 ;;
*) notok "unexpected .path '$path'" ;;
esac

# Prediction against evidence (issue 5 part 4): wherever this machine's own
# evidence shows a PVH entry, the linux model must have predicted the path
# the kernel took; elsewhere the verdict must say why it cannot judge.
entry=$(jvals "$TMP/live.json" .evidence.entry)
verdict=$(jvals "$TMP/live.json" .verdict.linux.status)
case $entry in
pvh | pvh-xen)
	[ "$verdict" = agree ]
	check "this kernel entered through PVH ($entry): the linux model agrees ($verdict)"
	observed=$(jvals "$TMP/live.json" .evidence.observed_path)
	expect observed 0
	;;
*)
	[ "$verdict" = not_applicable ] || [ "$verdict" = unknown ]
	check "no PVH entry observed ($entry): the verdict is $verdict, not agree/disagree"
	;;
esac

# --all-cpus: every CPU this process may run on is compared (nproc counts
# exactly those); whether they differ is the machine's business.
"$PVHPROBE" -a -j >"$TMP/all.json" 2>"$TMP/all.err"
rc=$?
[ "$rc" -eq 0 ] && [ ! -s "$TMP/all.err" ]
check "pvhprobe -a -j exits $rc (want 0), no stderr" || diag "$TMP/all.err"
validate "$TMP/all.json" "the --all-cpus report"
ncmp=$(jvals "$TMP/all.json" '.vcpus.compared | length')
[ "$ncmp" = "$(nproc)" ]
check "--all-cpus compared $ncmp CPUs, nproc says $(nproc)"

# env.
"$PVHPROBE" --format=env >"$TMP/env" 2>"$TMP/env.err"
rc=$?
[ "$rc" -eq 0 ] && [ ! -s "$TMP/env.err" ]
check "pvhprobe --format=env exits $rc (want 0), no stderr" || diag "$TMP/env.err"
sh -n "$TMP/env" 2>"$TMP/shn.err"
check "env output passes sh -n" || diag "$TMP/shn.err"
want=$path
[ "$want" = null ] && want=mixed
got=$(sh -c 'eval "$(cat "$1")" && printf "%s\n" "$PVHPROBE_PATH"' sh "$TMP/env" 2>"$TMP/eval.err")
[ "$got" = "$want" ] && [ ! -s "$TMP/eval.err" ]
check "env evals in sh: PVHPROBE_PATH='$got' (JSON .path: $want)" || diag "$TMP/eval.err"

finish
