#!/bin/sh
# run-golden.sh PVHPROBE DIR - the golden CLI cases.
#
# Each case is a directory under DIR holding:
#   args             the arguments, one sh line (evaluated in the case dir, so
#                    quoting and "< file" work); inputs live in tests/data
#   expected.stdout  what pvhprobe prints on stdout
#   expected.stderr  what it prints on stderr (absent: nothing)
#   expected.status  its exit status
# JSON output is also validated against its schema (schema/*.json, picked by
# the document's "schema" value); a case dir holding a file named jsonlines
# has one document per line.
# UPDATE=1 rewrites the expected files from what the binary does now; review
# the diff before committing it.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
validate="$top/tests/schema/validate.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
for c in "$dir"/*/; do
	c=${c%/}
	name=$(basename "$c")
	[ -f "$c/args" ] || continue
	args=$(cat "$c/args")
	(cd "$c" && eval "\"\$bin\" $args" >"$tmp/out" 2>"$tmp/err" </dev/null)
	echo $? >"$tmp/status"
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$tmp/out" "$c/expected.stdout"
		cp "$tmp/status" "$c/expected.status"
		if [ -s "$tmp/err" ]; then cp "$tmp/err" "$c/expected.stderr"; else rm -f "$c/expected.stderr"; fi
	fi
	ok=1
	why=""
	if ! cmp -s "$tmp/status" "$c/expected.status"; then
		ok=0
		why="$why status $(cat "$tmp/status") != $(cat "$c/expected.status");"
	fi
	if ! cmp -s "$tmp/out" "$c/expected.stdout"; then
		ok=0
		why="$why stdout differs;"
		diff -u "$c/expected.stdout" "$tmp/out" | head -20 >&2
	fi
	if [ -f "$c/expected.stderr" ]; then
		cmp -s "$tmp/err" "$c/expected.stderr" || { ok=0; why="$why stderr differs;"; diff -u "$c/expected.stderr" "$tmp/err" | head -10 >&2; }
	elif [ -s "$tmp/err" ]; then
		ok=0
		why="$why unexpected stderr: $(head -c 200 "$tmp/err");"
	fi
	if [ "$(head -c 1 "$tmp/out")" = "{" ]; then
		if [ -f "$validate" ]; then
			lines=
			[ -f "$c/jsonlines" ] && lines=--lines
			/usr/bin/python3 "$validate" $lines "$tmp/out" >"$tmp/v" 2>&1 || { ok=0; why="$why schema: $(head -3 "$tmp/v");"; }
		else
			ok=0
			why="$why no schema validator at $validate;"
		fi
	fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
		echo "ok - $name"
	else
		fail=$((fail + 1))
		echo "not ok - $name:$why"
	fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
