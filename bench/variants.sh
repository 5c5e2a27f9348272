#!/usr/bin/env bash
# bench/variants.sh - measure the build and code changes that bench/README.md
# recommends, against the floor, in ONE hyperfine run. Works on a private
# copy of the committed tree (git archive HEAD into a temporary directory):
# the checkout is not touched. Installs nothing.
#
#   bench/variants.sh [--runs N] [--warmup N] [--readme]
#
# Variants (each built with the project's own Makefile):
#   head        HEAD as it is, `make` (dynamic: libjansson, libcpuid, libxenstore)
#   head-static HEAD, `make static STATIC_XENSTORE=1` (same features, static)
#   fixed       HEAD + bench/patches/0*.diff (no behaviour change), dynamic
#   fixed-static  the same, static
#   exp-static  fixed-static + bench/patches/90-*.diff (zero bases as bare
#               integers in "leaves": a schema change, measured, not proposed
#               as it is)
#   all-static  exp-static + every other bench/patches/9*.diff (-q
#               --expect=xen|generic skips evidence and CPU identity; JSON
#               traces only with -v, compact, no free before exit)
# Instruction counts come from valgrind (callgrind) on `-i DUMP`, a dump of
# this machine, when valgrind is installed: deterministic, unlike times.
#
# Output: a markdown table on stdout, also bench/results/variants-<UTC>.md,
# bench/results/variants-latest.md and the hyperfine JSON beside them.
# --readme rewrites bench/README.md between <!-- variants:begin --> and
# <!-- variants:end -->.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
runs=200
warmup=20
readme=no
while [ $# -gt 0 ]; do
	case "$1" in
	--runs) runs=$2; shift 2 ;;
	--warmup) warmup=$2; shift 2 ;;
	--readme) readme=yes; shift ;;
	-h | --help) sed -n '2,24p' "$0"; exit 0 ;;
	*) echo "variants.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
say() { printf 'variants.sh: %s\n' "$*" >&2; }
command -v hyperfine >/dev/null || { say "hyperfine is not installed (bench/install-deps.sh)"; exit 1; }

cd "$root"
make -s -C bench >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rev=$(git rev-parse --short HEAD)
git archive HEAD | tar -x -C "$work" --one-top-level=head
static_args=()
if pkg-config --exists xenstore 2>/dev/null && [ -e "$(pkg-config --variable=libdir xenstore)/libxenstore.a" ]; then
	static_args=(STATIC_XENSTORE=1)
fi

build() { # dir, patches...
	local dir=$1
	shift
	if [ "$dir" != head ]; then
		cp -r "$work/head" "$work/$dir"
		for p in "$@"; do
			if ! patch -d "$work/$dir" -p1 -s --dry-run <"$p" >/dev/null; then
				say "$(basename "$p") no longer applies to HEAD $rev: skipping variant $dir"
				return 1
			fi
			patch -d "$work/$dir" -p1 -s <"$p"
		done
	fi
	rm -rf "$work/$dir/build" "$work/$dir/pvhprobe" "$work/$dir/pvhprobe-static"
	make -s -C "$work/$dir" pvhprobe >/dev/null 2>&1
	make -s -C "$work/$dir" static ${static_args[@]+"${static_args[@]}"} >/dev/null 2>&1
}
say "building HEAD $rev and its variants in $work"
build head
fixed_ok=no exp_ok=no all_ok=no
build fixed "$here"/patches/0*.diff && fixed_ok=yes
if [ "$fixed_ok" = yes ]; then
	build exp "$here"/patches/0*.diff "$here"/patches/90-*.diff && exp_ok=yes
	build all "$here"/patches/0*.diff "$here"/patches/9*.diff && all_ok=yes
fi

names=() cmdl=()
add() { names+=("$1"); cmdl+=("$2"); }
add "floor" "bench/build/floor"
add "head -j" "$work/head/pvhprobe -j"
add "head-static -j" "$work/head/pvhprobe-static -j"
add "head -q --expect=generic" "$work/head/pvhprobe -q --expect=generic"
add "head-static -q --expect=generic" "$work/head/pvhprobe-static -q --expect=generic"
if [ "$fixed_ok" = yes ]; then
	add "fixed -j" "$work/fixed/pvhprobe -j"
	add "fixed-static -j" "$work/fixed/pvhprobe-static -j"
	add "fixed-static -q --expect=generic" "$work/fixed/pvhprobe-static -q --expect=generic"
	add "fixed-static (text)" "$work/fixed/pvhprobe-static"
fi
if [ "$exp_ok" = yes ]; then
	add "exp-static -j" "$work/exp/pvhprobe-static -j"
fi
if [ "$all_ok" = yes ]; then
	add "all-static -j" "$work/all/pvhprobe-static -j"
	add "all-static -q --expect=generic" "$work/all/pvhprobe-static -q --expect=generic"
fi

# Peak RSS (median of 5) and instructions (callgrind on a dump of this machine).
"$work/head/pvhprobe" dump >"$work/here.dump"
declare -A rss insn
for i in "${!names[@]}"; do
	vals=""
	for _ in 1 2 3 4 5; do
		# shellcheck disable=SC2086
		/usr/bin/time -f %M -o "$work/t" ${cmdl[$i]} >/dev/null 2>&1 || true
		vals="$vals $(tail -n 1 "$work/t")"
	done
	# shellcheck disable=SC2086 # one number per word
	rss[$i]=$(printf '%s\n' $vals | sort -n | sed -n 3p)
	insn[$i]="–"
	if command -v valgrind >/dev/null && [ "${names[$i]}" != floor ]; then
		# the same arguments, on the dump instead of this CPU
		# shellcheck disable=SC2086 # the command line, split into words
		set -- ${cmdl[$i]}
		bin=$1
		shift
		valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" -i "$work/here.dump" "$@" \
			>/dev/null 2>"$work/vg" || true
		insn[$i]=$(sed -n 's/.*I *refs: *//p' "$work/vg" | tr -d ,)
	fi
done

stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench/results
hf=(-N --warmup "$warmup" --runs "$runs" -i --style basic --export-json "bench/results/variants-$stamp.json")
for i in "${!names[@]}"; do hf+=(-n "${names[$i]}" "${cmdl[$i]}"); done
say "hyperfine: ${#names[@]} commands, $warmup warm-up + $runs runs each (load $(cut -d' ' -f1 /proc/loadavg))"
hyperfine "${hf[@]}" >"$work/hf.txt" 2>&1 || { cat "$work/hf.txt" >&2; exit 1; }
cp "bench/results/variants-$stamp.json" bench/results/variants-latest.json

for i in "${!names[@]}"; do printf '%s\t%s\t%s\n' "${names[$i]}" "${rss[$i]}" "${insn[$i]}"; done >"$work/extra"
python3 - "bench/results/variants-$stamp.json" "$work/extra" "$rev" "$runs" "$warmup" \
	"$(cut -d' ' -f1-3 /proc/loadavg)" >"bench/results/variants-$stamp.md" <<'PY'
import json, sys
hf, extra, rev, runs, warmup, load = sys.argv[1:7]
res = json.load(open(hf))["results"]
ex = {}
for l in open(extra):
    n, r, i = l.rstrip("\n").split("\t")
    ex[n] = (r, i)
floor = res[0]["median"]
print("### Variants (%s, HEAD %s, `-N --warmup %s --runs %s`, load average %s)" % (hf.split("/")[-1], rev, warmup, runs, load))
print()
fcpu = res[0]["user"] + res[0]["system"]
fmin = res[0]["min"]
print("| variant | median ms | × floor | min ms | × floor (min) | user+sys ms | × floor (user+sys) | peak RSS kB | instructions on `-i` this machine's dump |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in res:
    rs, ins = ex.get(r["command"], ("–", "–"))
    ins = "{:,}".format(int(ins)) if ins.isdigit() else ins
    cpu = r["user"] + r["system"]
    print("| `%s` | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %s |" % (
        r["command"], r["median"] * 1e3, r["median"] / floor, r["min"] * 1e3, r["min"] / fmin,
        cpu * 1e3, cpu / fcpu, rs, ins))
PY
cp "bench/results/variants-$stamp.md" bench/results/variants-latest.md
cat "bench/results/variants-$stamp.md"
if [ "$readme" = yes ]; then
	python3 - bench/README.md "bench/results/variants-$stamp.md" <<'PY'
import sys
readme, rep = sys.argv[1], open(sys.argv[2]).read().rstrip("\n")
s = open(readme).read()
b, e = "<!-- variants:begin -->", "<!-- variants:end -->"
i, j = s.find(b), s.find(e)
if i < 0 or j < i:
    sys.exit("variants.sh: bench/README.md has no %s ... %s section" % (b, e))
open(readme, "w").write(s[: i + len(b)] + "\n" + rep + "\n" + s[j:])
PY
	say "bench/README.md updated"
fi
