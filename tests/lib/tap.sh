# tap.sh - helpers the test scripts share; source it (". tests/lib/tap.sh").
#
#   ok TEXT / notok TEXT     count and print "ok - TEXT" / "not ok - TEXT"
#   check TEXT               ok or not ok by the previous command's status
#   diag FILE                the first 10 lines of FILE as "#   " diagnostics
#   finish                   print "N passed, M failed" and exit 0 or 1
#   jvals FILE PATH          the values a jq PATH selects in JSON FILE, one per
#                            line: strings raw, everything else as JSON
#
# jq is required (scripts/install-deps.sh installs it): with CI=true a
# missing jq fails the run; elsewhere the caller is told to install it.
pass=0
fail=0
ok() {
	pass=$((pass + 1))
	echo "ok - $*"
}
notok() {
	fail=$((fail + 1))
	echo "not ok - $*"
}
diag() {
	sed -n '1,10s/^/#   /p' "$1"
}
check() {
	_st=$?
	if [ "$_st" -eq 0 ]; then ok "$1"; else notok "$1"; fi
	return "$_st"
}
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}
JQ=${JQ:-jq}
if ! command -v "$JQ" >/dev/null 2>&1; then
	echo "not ok - $JQ is not installed (sh scripts/install-deps.sh installs it)"
	echo "0 passed, 1 failed"
	exit 1
fi
jvals() {
	"$JQ" -r "[$2] | .[] | if type == \"string\" then . else tojson end" "$1"
}
