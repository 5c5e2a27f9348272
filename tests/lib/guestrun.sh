# guestrun.sh - the set-up tests/vm/run.sh and tests/xen/run.sh share: the
# arguments, the loud failure, the console's marked sections. Source it
# after setting
#
#   WHAT      what the guests are, for the failure line ("VM", "Xen")
#   NGUESTS   how many guests a set-up failure counts as failed
#   STATIC_HOW  how to build the static binary, for the missing-file message
#
# with the script's "$@"; it sets STATIC (the static pvhprobe, absolute),
# HOST (the regular build, absolute, or empty) and defines
#
#   abspath FILE      FILE as an absolute path (the file must exist)
#   die MESSAGE       a set-up failure: loud, counted as every guest failing
#                     (so that nobody reads it as a skip), exit 1
#   note TEXT         "# TEXT"
#   section LOG NAME  the lines between a console log's ===PVHPROBE-NAME-BEGIN===
#                     and -END=== markers, without the serial line's CRs
#   section_rc LOG NAME  the rc= of that section's END marker
#   report_checks WHERE  inside a guest's checks (the caller's is, good and
#                     bad; $G, $jrc, $drc, $PYTHON, $VALIDATE): pvhprobe -j
#                     and dump exited 0 WHERE, -j wrote nothing to stderr,
#                     report.json is a schema-valid object; false when there
#                     is no JSON object to check further
# shellcheck shell=sh disable=SC2034 # STATIC and HOST are for the sourcing script

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 PVHPROBE_STATIC [PVHPROBE]" >&2
	exit 2
fi
abspath() {
	(cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")")
}
die() {
	echo "run.sh: FAIL: $*" >&2
	echo "not ok - end-to-end $WHAT tests could not run: $*"
	echo "0 passed, $NGUESTS failed"
	exit 1
}
note() {
	echo "# $*"
}
section() {
	tr -d '\r' <"$1" | awk -v b="===PVHPROBE-$2-BEGIN===" -v e="===PVHPROBE-$2-END===" '
		$0 == b { on = 1; next }
		index($0, e) == 1 { on = 0; exit }
		on { print }'
}
section_rc() {
	tr -d '\r' <"$1" | sed -n "s/^===PVHPROBE-$2-END=== rc=\([0-9]*\)\$/\1/p" | head -n 1
}

report_checks() {
	is "pvhprobe -j exit status $1" "${jrc:-none}" 0
	is "pvhprobe dump exit status $1" "${drc:-none}" 0
	[ -s "$G/report.stderr" ] && bad "pvhprobe -j wrote to stderr: $(head -n 2 "$G/report.stderr" | tr '\n' ' ')"
	if [ "$(jq -r type "$G/report.json" 2>/dev/null)" != object ]; then
		bad "no JSON report between the markers (see console.log)"
		return 1
	fi
	if "$PYTHON" "$VALIDATE" "$G/report.json" >"$G/validate.out" 2>&1; then
		good "report.json validates against the schema"
	else
		bad "report.json does not validate: $(head -n 3 "$G/validate.out" | tr '\n' ' ')"
	fi
	return 0
}

[ -f "$1" ] || die "$1: no such file (build it with: $STATIC_HOW)"
STATIC=$(abspath "$1")
HOST=
if [ $# -eq 2 ] && [ -x "$2" ]; then
	HOST=$(abspath "$2")
fi
[ -x "$STATIC" ] || die "$STATIC is not executable"
