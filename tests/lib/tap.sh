# tap.sh - the helpers every test script shares; source it
# (". tests/lib/tap.sh"). Two styles of script use it: those that print an
# "ok -" line per check (formats.sh, xenstore.sh, smoke.sh, run-corpus.sh,
# the hardening scripts), and those that print only what fails
# (completions.sh, debian.sh, install.sh, manpage.sh). Both count into the
# same pass/fail/skip and end with the line "N passed, M failed".
#
#   ok [TEXT]          count a passed check; with TEXT print "ok - TEXT",
#                      without it count silently
#   notok TEXT         count a failed check, print "not ok - TEXT"
#   bad TEXT           count a failed check, print "FAIL: TEXT"
#   check TEXT         ok or notok TEXT by the previous command's status
#   missing TEXT       a tool is not there: under CI=true a failure ("FAIL:
#                      TEXT (CI=true: $CI_REQUIRES)"), else a skip ("SKIP:
#                      TEXT"); CI_REQUIRES defaults to "this must be
#                      available"
#   diag FILE          the first 10 lines of FILE as "#   " diagnostics
#   summary            "(N skipped...)" when any, then "N passed, M failed";
#                      status 0 when nothing failed. SKIP_HINT, when set,
#                      follows the skip count: "(2 skipped: SKIP_HINT)"
#   finish             print "N passed, M failed" and exit 0 or 1
#   need_jq            for scripts that read JSON: jq must be there (with
#                      CI=true a missing jq fails the run; elsewhere the
#                      caller is told to install it). Sets JQ.
#   jvals FILE PATH    the values a jq PATH selects in JSON FILE, one per
#                      line: strings raw, everything else as JSON
pass=0
fail=0
skip=0
ok() {
	pass=$((pass + 1))
	if [ $# -gt 0 ]; then echo "ok - $*"; fi
}
notok() {
	fail=$((fail + 1))
	echo "not ok - $*"
}
bad() {
	fail=$((fail + 1))
	echo "FAIL: $*"
}
check() {
	_st=$?
	if [ "$_st" -eq 0 ]; then ok "$1"; else notok "$1"; fi
	return "$_st"
}
missing() {
	if [ "${CI:-}" = true ]; then
		bad "$* (CI=true: ${CI_REQUIRES:-this must be available})"
	else
		skip=$((skip + 1))
		echo "SKIP: $*"
	fi
}
diag() {
	sed -n '1,10s/^/#   /p' "$1"
}
summary() {
	[ "$skip" -gt 0 ] && echo "($skip skipped${SKIP_HINT:+: $SKIP_HINT})"
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}
need_jq() {
	JQ=${JQ:-jq}
	if ! command -v "$JQ" >/dev/null 2>&1; then
		echo "not ok - $JQ is not installed (sh scripts/install-deps.sh --test installs it)"
		echo "0 passed, 1 failed"
		exit 1
	fi
}
jvals() {
	"$JQ" -r "[$2] | .[] | if type == \"string\" then . else tojson end" "$1"
}
