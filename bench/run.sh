#!/usr/bin/env bash
# bench/run.sh - time pvhprobe against the floor and its peers, side by side
# in ONE hyperfine run, and report medians, ratios, CPUID counts, the cost of
# one CPUID here and peak RSS. Installs nothing: a peer that is not installed
# is left out and named (bench/install-deps.sh installs them). Never part of
# the test suite (issue 8).
#
#   bench/run.sh [OPTION...]
#     --runs N         timed runs per command (default 200)
#     --warmup N       warm-up runs per command (default 20)
#     --trace          also count every command's CPUID executions exactly by
#                      single-stepping it (bench/build/cpuidtrace; slow: about
#                      40 us per instruction here, minutes for pvhprobe -j)
#     --extra 'NAME=COMMAND'
#                      one more command in the same hyperfine run (repeatable),
#                      e.g. --extra 'static -j=/tmp/pvhprobe-static -j'
#     --pairs N        afterwards, N more hyperfine runs of just the floor and
#                      `pvhprobe -j` (default 5, 0 to skip): the spread of
#                      their ratio says how far one run's ratio can be trusted
#     --readme         rewrite the results section of bench/README.md
#                      (between its bench:begin and bench:end markers)
#   PVHPROBE=PATH      the binary to measure (default ./pvhprobe, built with
#                      `make` at the top level if missing; static when the
#                      libraries' archives are installed)
#   PVHPROBE_DYNAMIC=PATH  its shared twin, also timed (default
#                      build/dynamic/pvhprobe beside it, when it exists)
#   BATCH_FILES=N      batch replay: at least N files (default 2000)
#
# Output: a markdown report on stdout, also saved as
# bench/results/report-<UTC time>.md and bench/results/latest.md, beside the
# hyperfine JSON (hyperfine-<UTC time>.json, hyperfine-latest.json).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
runs=200
warmup=20
trace=no
readme=no
pairs=5
extra=()
while [ $# -gt 0 ]; do
	case "$1" in
	--runs) runs=$2; shift 2 ;;
	--warmup) warmup=$2; shift 2 ;;
	--trace) trace=yes; shift ;;
	--extra) extra+=("$2"); shift 2 ;;
	--readme) readme=yes; shift ;;
	--pairs) pairs=$2; shift 2 ;;
	-h | --help) sed -n '2,25p' "$0"; exit 0 ;;
	*) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
	esac
done

cd "$root"
say() { printf 'run.sh: %s\n' "$*" >&2; }

if ! command -v hyperfine >/dev/null 2>&1; then
	say "hyperfine is not installed: run bench/install-deps.sh (as root) first"
	exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
	say "python3 is needed to read hyperfine's JSON"
	exit 1
fi

make -s -C bench >/dev/null
pv=${PVHPROBE:-./pvhprobe}
if [ -z "${PVHPROBE:-}" ] && [ ! -x ./pvhprobe ]; then
	say "building ./pvhprobe"
	make -s pvhprobe >/dev/null
fi
if [ ! -x "$pv" ]; then
	say "$pv: no such executable"
	exit 1
fi

# name|command, in table order. A peer is included only when installed.
cmds=()
missing=()
cmds+=("floor|bench/build/floor")
cmds+=("pvhprobe|$pv")
cmds+=("pvhprobe -j|$pv -j")
cmds+=("pvhprobe -q --expect=generic|$pv -q --expect=generic")
# The shared build (`make build/dynamic/pvhprobe`, as LINK=dynamic and the
# Debian package link it), when there is one beside the binary.
pvd=${PVHPROBE_DYNAMIC:-$(dirname "$pv")/build/dynamic/pvhprobe}
if [ -x "$pvd" ]; then
	cmds+=("pvhprobe (shared) -j|$pvd -j")
fi
peer() { # name, executable (PATH or path), arguments
	local name=$1 exe=$2 args=$3 path
	if path=$(command -v "$exe" 2>/dev/null); then
		cmds+=("$name|$path${args:+ $args}")
	elif [ -x "bench/.deps/bin/$exe" ]; then
		cmds+=("$name|bench/.deps/bin/$exe${args:+ $args}")
	else
		missing+=("$exe")
	fi
}
peer "systemd-detect-virt --vm" systemd-detect-virt "--vm"
peer "lscpu -J" lscpu "-J"
peer "virt-what" virt-what ""
peer "cpuid -1 -r" cpuid "-1 -r"
peer "xen-detect" xen-detect ""
for e in ${extra[@]+"${extra[@]}"}; do
	cmds+=("${e%%=*}|${e#*=}")
done

stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench/results
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One run of each: exit status (a failing peer is still timed, with -i) and
# what is needed for the CPUID counts.
: >"$work/status"
for c in "${cmds[@]}"; do
	name=${c%%|*} cmd=${c#*|}
	set +e
	# shellcheck disable=SC2086
	$cmd >"$work/out.$(printf "%s" "$name" | tr -c 'A-Za-z0-9' _)" 2>/dev/null
	rc=$?
	set -e
	printf '%s\t%s\n' "$name" "$rc" >>"$work/status"
done
"$pv" -j >"$work/pvhprobe.json"

# The cost of one CPUID here.
bench/build/trapcost >"$work/trapcost"

# Peak RSS: /usr/bin/time -f %M, median of 5 runs.
: >"$work/rss"
if [ -x /usr/bin/time ]; then
	for c in "${cmds[@]}"; do
		name=${c%%|*} cmd=${c#*|}
		vals=""
		for _ in 1 2 3 4 5; do
			# shellcheck disable=SC2086
			/usr/bin/time -f %M -o "$work/t" $cmd >/dev/null 2>&1 || true
			vals="$vals $(tail -n 1 "$work/t")"
		done
		# shellcheck disable=SC2086 # one number per word
		printf '%s\t%s\n' "$name" "$(printf '%s\n' $vals | sort -n | sed -n 3p)" >>"$work/rss"
	done
else
	missing+=("/usr/bin/time (GNU time)")
fi

# Exact CPUID counts by single-stepping (--trace); the floor is always traced
# (33k instructions, about a second). virt-what is a shell script that runs
# dozens of programs: its CPUID helper is traced instead.
: >"$work/trace"
for c in "${cmds[@]}"; do
	name=${c%%|*} cmd=${c#*|}
	if [ "$name" = virt-what ]; then
		helper=$(PATH="$PATH:/usr/libexec:/usr/lib/virt-what" command -v virt-what-cpuid-helper || true)
		[ -n "$helper" ] || continue
		cmd=$helper
	fi
	if [ "$trace" = yes ] || [ "$name" = floor ]; then
		say "tracing CPUID executions of: $name"
		# shellcheck disable=SC2086
		bench/build/cpuidtrace -o "$work/tr" $cmd >/dev/null 2>&1 || true
		printf '%s\t%s\n' "$name" "$(tr '\n' ';' <"$work/tr")" >>"$work/trace"
	fi
done

# The side-by-side run.
hf_args=(-N --warmup "$warmup" --runs "$runs" -i --style basic
	--export-json "bench/results/hyperfine-$stamp.json")
for c in "${cmds[@]}"; do
	hf_args+=(-n "${c%%|*}" "${c#*|}")
done
load=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$load" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
	say "warning: load average $load on $(nproc) CPUs: medians will be inflated; rerun on a quiet machine"
fi
say "hyperfine: ${#cmds[@]} commands, $warmup warm-up + $runs runs each"
hyperfine "${hf_args[@]}" >"$work/hyperfine.txt" 2>&1 || {
	cat "$work/hyperfine.txt" >&2
	exit 1
}
cp "bench/results/hyperfine-$stamp.json" bench/results/hyperfine-latest.json

# Batch replay (issue 8): the golden dumps (tests/data/*.cpuid that pvhprobe
# accepts, and ../shared/dumps when it is there), copied until there are at
# least BATCH_FILES files, replayed in one process with -j (JSON Lines);
# reports per second = files / median time (one process: one core). Memory:
# peak RSS over the set and over a set ten times larger.
batch=$work/batch
mkdir -p "$batch/one" "$batch/ten"
set --
for f in tests/data/*.cpuid "${SHARED:-../shared}"/dumps/*.cpuid; do
	[ -f "$f" ] && "$pv" -q -i "$f" >/dev/null 2>&1 && set -- "$@" "$f"
done
nset=$#
want=${BATCH_FILES:-2000}
copies=$(((want + nset - 1) / nset))
for k in $(seq 1 "$copies"); do
	for f in "$@"; do
		cp "$f" "$batch/one/$k-$(basename "$f")"
	done
done
for k in $(seq 1 10); do
	for f in "$batch"/one/*; do
		ln -s "$f" "$batch/ten/$k-$(basename "$f")"
	done
done
nfiles=$(find "$batch/one" -type f | wc -l)
say "batch replay: $nfiles files ($nset golden dumps x $copies)"
hyperfine -N --warmup 2 --runs 10 --style basic --export-json "$work/batch.json" \
	-n "batch -j" "$pv -j -i $batch/one" -n "batch text" "$pv -i $batch/one" >"$work/batch.txt" 2>&1 || {
	cat "$work/batch.txt" >&2
	exit 1
}
for d in one ten; do
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f %M -o "$work/t" "$pv" -j -i "$batch/$d" >"$work/batch-$d.jsonl" 2>/dev/null || true
		echo "$d	$(find "$batch/$d" -type f -o -type l | wc -l)	$(tail -n 1 "$work/t")	$(wc -l <"$work/batch-$d.jsonl")" >>"$work/batchrss"
	fi
done
echo "set	$nset	$copies	$nfiles" >"$work/batchset"

# Paired runs: the floor and `pvhprobe -j` alone, N times.
: >"$work/pairs"
for k in $(seq 1 "$pairs"); do
	hyperfine -N --warmup "$warmup" --runs 100 --style basic --export-json "$work/pair.json" \
		-n floor bench/build/floor -n "pvhprobe -j" "$pv -j" >/dev/null 2>&1 || break
	python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))["results"]; print(r[1]["median"] / r[0]["median"])' \
		"$work/pair.json" >>"$work/pairs"
done

# Machine facts.
{
	echo "nproc	$(nproc)"
	echo "cpu	$(grep -m1 '^model name' /proc/cpuinfo | sed 's/^[^:]*: *//')"
	echo "kernel	$(uname -sr)"
	echo "virt	$(systemd-detect-virt --vm 2>/dev/null || echo unknown)"
	echo "container	$(systemd-detect-virt --container 2>/dev/null || echo none)"
	echo "vmm	$(jq -r '.evidence.vmm.name // empty' "$work/pvhprobe.json" 2>/dev/null || true)"
	echo "hyperfine	$(hyperfine --version | awk '{print $2}')"
	echo "pvhprobe	$("$pv" --version 2>/dev/null | head -n 1) ($pv; checkout $(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown))"
	echo "load	$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "pvtiming	$("$pv" --timing -j 2>/dev/null | jq -r '.stats.cpuid_timing.median_ns // empty' 2>/dev/null || true)"
} >"$work/machine"

python3 - "$work" "bench/results/hyperfine-$stamp.json" "$pv" "$runs" "$warmup" \
	"${missing[*]+${missing[*]}}" "$trace" >"bench/results/report-$stamp.md" <<'PY'
import json, os, re, sys

work, hfjson, pv, runs, warmup, missing, traced = sys.argv[1:8]
res = json.load(open(hfjson))["results"]
status = dict(l.rstrip("\n").split("\t") for l in open(os.path.join(work, "status")))
rss = {}
for l in open(os.path.join(work, "rss")):
    k, v = l.rstrip("\n").split("\t")
    rss[k] = v
trace = {}
for l in open(os.path.join(work, "trace")):
    k, v = l.rstrip("\n").split("\t")
    d = {}
    for item in v.split(";"):
        f = item.split()
        if len(f) == 2:
            d[f[0]] = int(f[1])
        elif len(f) == 6 and f[0] == "object":
            d["object " + f[1]] = (int(f[3]), int(f[5]))
    trace[k] = d
machine = dict(l.rstrip("\n").split("\t", 1) for l in open(os.path.join(work, "machine")))
trapcost = dict(l.split() for l in open(os.path.join(work, "trapcost")))
report = json.load(open(os.path.join(work, "pvhprobe.json")))
pv_cpuid = report.get("stats", {}).get("cpuid_executions")

def outname(name):
    return os.path.join(work, "out." + re.sub(r"[^A-Za-z0-9]", "_", name) + "")

# Own CPUID executions of each command (start-up CPUIDs of glibc excluded).
LIBC_START = None
own, how = {}, {}
for name, d in trace.items():
    objs = {k[7:]: v for k, v in d.items() if k.startswith("object ")}
    ld = objs.get("ld-linux-x86-64.so.2", (0, 0))[0]
    if name == "floor":
        total = d.get("cpuid_executions", 0)
        LIBC_START = total - 256
        own[name] = 256
        how[name] = "traced: %d = 256 + %d of static glibc start-up" % (total, LIBC_START)
    elif ld == 0 and LIBC_START is not None:
        # a static binary: its start-up CPUIDs are the floor's
        own[name] = d.get("cpuid_executions", 0) - LIBC_START
        how[name] = "traced, static (minus the floor's %d start-up CPUIDs)" % LIBC_START
    else:
        own[name] = d.get("cpuid_executions", 0) - ld
        how[name] = "traced (+%d in ld.so)" % ld
for r in res:
    name = r["command"]
    if name in own:
        continue
    if name == "pvhprobe -j" and pv_cpuid is not None:
        own[name] = pv_cpuid
        how[name] = "stats.cpuid_executions"
    elif name.startswith("pvhprobe") and pv_cpuid is not None:
        own[name] = pv_cpuid
        how[name] = "as -j (same scan; not traced)"
    elif name == "cpuid -1 -r":
        try:
            lines = [l for l in open(outname(name)) if re.match(r"\s+0x[0-9a-f]{8} 0x[0-9a-f]{2}:", l)]
            own[name] = len(lines)
            how[name] = "one per output line"
        except OSError:
            pass

by = {r["command"]: r for r in res}
floor = by.get("floor", {}).get("median")
pvj = by.get("pvhprobe -j", {}).get("median")

def ms(x):
    return "%.2f" % (x * 1000)

out = []
p = out.append
p("### Run %s" % os.path.basename(hfjson))
p("")
p("Machine: %s vCPUs, %s, %s, %s guest%s%s; hyperfine %s, `-N --warmup %s --runs %s`; "
  "%s; load average at the start %s." % (
      machine.get("nproc"), machine.get("cpu"), machine.get("kernel"), machine.get("virt"),
      (" (VMM identified by pvhprobe's evidence: %s)" % machine["vmm"]) if machine.get("vmm") else "",
      (", in a %s container" % machine["container"]) if machine.get("container") not in (None, "none") else "",
      machine.get("hyperfine"), warmup, runs, machine.get("pvhprobe"), machine.get("load")))
p("")
p("| command | median ms | mean ± σ ms | min ms | × floor | × `pvhprobe -j` | user+sys ms (× floor) | own CPUIDs | median µs per own CPUID | peak RSS kB | exit |")
p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
fcpu = (by["floor"]["user"] + by["floor"]["system"]) if "floor" in by else None
for r in res:
    name = r["command"]
    med = r["median"]
    n = own.get(name)
    per = ("%.1f" % (med * 1e6 / n)) if n else "–"
    note = ""
    if name == "cpuid -1 -r":
        note = " ²"
    cpu = r["user"] + r["system"]
    p("| `%s`%s | %s | %s ± %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        name, note, ms(med), ms(r["mean"]), ms(r["stddev"] or 0), ms(r["min"]),
        ("%.2f" % (med / floor)) if floor else "–",
        ("%.2f" % (med / pvj)) if pvj else "–",
        ms(cpu) + ((" (%.2f)" % (cpu / fcpu)) if fcpu else ""),
        (str(n) + ("¹" if how.get(name, "").startswith("as -j") else "")) if n is not None else "–",
        per, rss.get(name, "–"), status.get(name, "?")))
p("")
p("Times are wall-clock per run (hyperfine runs each command's runs back to back, so a burst of other "
  "load inflates one command's median); min and user+sys (CPU time of the process, mean) are the "
  "least disturbed on a shared machine.")
p("")
p("Own CPUIDs: executions by the program itself, without the %s that glibc's start-up code "
  "(init_cpu_features, in ld.so or in a static binary's start) runs in every process. How each "
  "was counted: %s." % (LIBC_START if LIBC_START is not None else "ones",
                       "; ".join("%s: %s" % (k, v) for k, v in how.items())))
if any(v.startswith("as -j") for v in how.values()):
    p("¹ not measured for this command: the count of `pvhprobe -j`, which runs the same scan "
      "(`bench/run.sh --trace` counts every command exactly).")
if "virt-what" in how:
    p("virt-what's count is that of its CPUID helper, virt-what-cpuid-helper, which scans the 256 bases "
      "(the script around it runs no CPUID of its own but starts dozens of processes, each paying glibc's start-up CPUIDs).")
p("² `cpuid -1 -r` reads every basic and extended leaf but stops its hypervisor scan at the "
  "first empty base (here 0x40000100, after 0x40000000..0x40000001): not the kernels' rule "
  "(all 256 bases), and it can miss a hypervisor above that base. Compare it per CPUID executed.")
p("")
p("CPUID cost here (bench/build/trapcost, median of %s, clock_gettime overhead %s ns removed): "
  "%s.%s" % (trapcost.get("samples"), trapcost.get("overhead_ns"),
           ", ".join("leaf %s: %s ns" % (k[5:15], v) for k, v in trapcost.items() if k.startswith("leaf_"))
           + "; the 256-base scan in one process: %.0f µs" % (int(trapcost.get("scan256_ns", 0)) / 1000),
           (" `pvhprobe --timing` says %s ns (stats.cpuid_timing.median_ns)." % machine["pvtiming"]) if machine.get("pvtiming") else ""))
if pv_cpuid is not None:
    p("")
    p("pvhprobe's CPUID executions: %d (`stats.cpuid_executions`, one per distinct leaf: %s). "
      "The kernels' rules need 258: the 256 bases, leaf 0 and leaf 1 (CPUID.1:ECX[31])." % (
          pv_cpuid, report["stats"].get("distinct_leaves")))
if missing:
    p("")
    p("Not installed, left out: %s (bench/install-deps.sh installs them)." % missing)
tgt = []
def yn(ok, yes="met", no="NOT met"):
    return yes if ok else no
if floor and pvj:
    rmin = by["pvhprobe -j"]["min"] / by["floor"]["min"]
    tgt.append("`pvhprobe -j` / floor = %.2f by median, %.2f by min (target ≤ 1.25): %s" % (
        pvj / floor, rmin, yn(pvj / floor <= 1.25)))
for peer in ("systemd-detect-virt --vm", "lscpu -J", "virt-what"):
    if pvj and peer in by:
        tgt.append("faster than `%s`: %s by median, %s by min" % (
            peer, yn(pvj < by[peer]["median"], "yes", "NO"),
            yn(by["pvhprobe -j"]["min"] < by[peer]["min"], "yes", "no")))
if "pvhprobe -j" in rss:
    try:
        tgt.append("peak RSS %s kB (target < 4096): %s" % (rss["pvhprobe -j"], "met" if int(rss["pvhprobe -j"]) < 4096 else "NOT met"))
    except ValueError:
        pass
bj = json.load(open(os.path.join(work, "batch.json")))["results"]
bset = open(os.path.join(work, "batchset")).read().split()
nfiles = int(bset[3])
brss = []
try:
    brss = [l.rstrip("\n").split("\t") for l in open(os.path.join(work, "batchrss"))]
except OSError:
    pass
p("")
p("Batch replay (`pvhprobe -j -i DIR`, one process, JSON Lines): %s files, the %s golden dumps "
  "(tests/data and ../shared/dumps, the ones pvhprobe accepts) %s times each; hyperfine `-N --warmup 2 --runs 10`." % (
      nfiles, bset[1], bset[2]))
p("")
p("| command | median s | min s | reports per second (median) | µs per report |")
p("|---|---:|---:|---:|---:|")
rate = None
for r in bj:
    rps = nfiles / r["median"]
    if r["command"] == "batch -j":
        rate = rps
    p("| `pvhprobe %s -i DIR` | %.3f | %.3f | %.0f | %.0f |" % (
        "-j" if r["command"] == "batch -j" else "", r["median"], r["min"], rps, r["median"] * 1e6 / nfiles))
if brss:
    p("")
    p("Memory: " + "; ".join("%s files (%s JSON lines): peak RSS %s kB" % (n, lines, kb) for _, n, kb, lines in brss) + ".")
if rate is not None:
    tgt.append("batch replay %.0f reports/s on one core (target ≥ 5000): %s" % (rate, yn(rate >= 5000)))
if len(brss) == 2:
    a, b = int(brss[0][2]), int(brss[1][2])
    na, nb = int(brss[0][1]), int(brss[1][1])
    per = (b - a) * 1024.0 / max(1, nb - na)
    # A report is some 200 kB of analysis and its JSON: one kept per file
    # would add that much per file. What may grow is the sorted list of
    # the directory's names (about 40 bytes a file).
    tgt.append("batch memory %s kB for %s files, %s kB for %s, %.0f bytes per added file (the sorted list of names; "
               "no report is kept): %s" % (a, na, b, nb, per, yn(per <= 64, "flat per report", "NOT flat")))
pr = sorted(float(l) for l in open(os.path.join(work, "pairs")) if l.strip())
if pr:
    p("")
    p("Paired runs (`--pairs`): %d more hyperfine runs of only the floor and `pvhprobe -j` (`-N --warmup %s --runs 100`); "
      "ratio of medians: min %.3f, median %.3f, max %.3f (%s)." % (
          len(pr), warmup, pr[0], pr[len(pr) // 2], pr[-1], ", ".join("%.3f" % x for x in pr)))
    tgt.append("`pvhprobe -j` / floor in the paired runs: median %.2f, %d of %d at or under 1.25: %s" % (
        pr[len(pr) // 2], sum(1 for x in pr if x <= 1.25), len(pr), yn(pr[len(pr) // 2] <= 1.25)))
if tgt:
    p("")
    p("Targets (issue 8): " + "; ".join(tgt) + ".")
print("\n".join(out))
PY

cp "bench/results/report-$stamp.md" bench/results/latest.md
cat "bench/results/report-$stamp.md"

if [ "$readme" = yes ]; then
	python3 - bench/README.md "bench/results/report-$stamp.md" <<'PY'
import sys
readme, rep = sys.argv[1], open(sys.argv[2]).read().rstrip("\n")
s = open(readme).read()
b, e = "<!-- bench:begin -->", "<!-- bench:end -->"
i, j = s.find(b), s.find(e)
if i < 0 or j < i:
    sys.exit("run.sh: bench/README.md has no %s ... %s section" % (b, e))
open(readme, "w").write(s[: i + len(b)] + "\n" + rep + "\n" + s[j:])
PY
	say "bench/README.md updated"
fi
