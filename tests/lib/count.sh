# count.sh - the counting helpers of the test scripts that print only what
# fails (completions.sh, debian.sh, install.sh, manpage.sh); source it.
# tap.sh is the other style, an "ok -" line per check.
#
#   ok                 count a passed check, silently
#   bad TEXT           count a failed check, print "FAIL: TEXT"
#   missing TEXT       a tool is not there: under CI=true a failure ("FAIL:
#                      TEXT (CI=true: $CI_REQUIRES)"), else a skip ("SKIP:
#                      TEXT"); CI_REQUIRES defaults to "this must be
#                      available"
#   summary            "(N skipped...)" when any, then "N passed, M failed";
#                      status 0 when nothing failed. SKIP_HINT, when set,
#                      follows the skip count: "(2 skipped: SKIP_HINT)"
pass=0
fail=0
skip=0
ok() {
	pass=$((pass + 1))
}
bad() {
	fail=$((fail + 1))
	echo "FAIL: $*"
}
missing() {
	if [ "${CI:-}" = true ]; then
		bad "$* (CI=true: ${CI_REQUIRES:-this must be available})"
	else
		skip=$((skip + 1))
		echo "SKIP: $*"
	fi
}
summary() {
	[ "$skip" -gt 0 ] && echo "($skip skipped${SKIP_HINT:+: $SKIP_HINT})"
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
