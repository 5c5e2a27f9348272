#!/bin/sh
# formats.sh PVHPROBE - the machine-readable outputs, checked by the tools
# that consume them, on every test input (tests/data dumps, tests/bundles):
#  - prometheus: `promtool check metrics` (Debian's prometheus package);
#  - env: sh evaluates it and the values come back intact;
#  - dump: Todd Allen's `cpuid -f FILE` reads it, and pvhprobe reads it back
#    to the same analysis.
# A missing tool fails the run when CI=true; elsewhere its checks are skipped
# with a note.
set -u
bin=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$top/tests/lib/tap.sh"
need_jq
need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	if [ "${CI:-}" = true ]; then notok "$1 is not installed (scripts/install-deps.sh --test installs it)"; else echo "# SKIP: $1 not installed"; fi
	return 1
}

inputs=""
for f in "$top"/tests/data/*.cpuid; do
	case $f in *empty* | *truncated* | *binary*) continue ;; esac
	inputs="$inputs $f"
done
for d in "$top"/tests/bundles/*/; do inputs="$inputs ${d%/}"; done

if need promtool; then
	for i in $inputs; do
		n=$(basename "$i")
		"$bin" -i "$i" -f prometheus >"$tmp/p" 2>"$tmp/e" && promtool check metrics <"$tmp/p" >"$tmp/c" 2>&1 &&
			ok "promtool accepts the metrics of $n" || { notok "promtool rejects the metrics of $n"; sed 's/^/#   /' "$tmp/e" "$tmp/c" | head -5; }
	done
fi

for i in $inputs; do
	n=$(basename "$i")
	"$bin" -i "$i" -f env >"$tmp/env" && "$bin" -i "$i" -j >"$tmp/j" || { notok "$n: env or json output failed"; continue; }
	got=$(sh -c '. "$1" && printf "%s|%s|%s" "$PVHPROBE_PATH" "$PVHPROBE_HV0_SIGNATURE" "$PVHPROBE_HYPERVISOR"' sh "$tmp/env")
	want=$(jq -r '[(.path // "mixed"), ((.hypervisors[0].signature // "") | explode | map(if . == 92 then "\\\\" elif . == 34 then "\\\"" elif (. >= 32 and . < 127) then ([.] | implode) elif . == 0 then "\\0" elif . == 9 then "\\t" elif . == 10 then "\\n" elif . == 13 then "\\r" else "\\x" + ("0123456789abcdef"[(. / 16 | floor):(. / 16 | floor) + 1]) + ("0123456789abcdef"[(. % 16):(. % 16) + 1]) end) | join("")), (.hypervisors[0].vendor // "")] | join("|")' "$tmp/j")
	[ "$got" = "$want" ] && ok "$n: env evals to the JSON's values" || notok "$n: env gives '$got', JSON says '$want'"
done

if need cpuid; then
	for i in $inputs; do
		n=$(basename "$i")
		"$bin" -i "$i" dump >"$tmp/d" || { notok "$n: dump failed"; continue; }
		cpuid -f "$tmp/d" >"$tmp/cf" 2>&1 && grep -q 'vendor_id' "$tmp/cf" && ok "cpuid -f reads the dump of $n" ||
			{ notok "cpuid -f rejects the dump of $n"; head -3 "$tmp/cf" | sed 's/^/#   /'; }
		"$bin" -i "$tmp/d" -j | jq -S '{models, hypervisors}' >"$tmp/a"
		"$bin" -i "$i" -j | jq -S '{models, hypervisors}' >"$tmp/b"
		cmp -s "$tmp/a" "$tmp/b" && ok "$n: dump read back gives the same analysis" || notok "$n: dump read back differs"
	done
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
