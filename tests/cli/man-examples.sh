#!/bin/sh
# man-examples.sh PVHPROBE MANPAGE - every example in the man page's
# EXAMPLES section runs.
#
# Commands are the lines of .Dl macros and of .Bd -literal blocks that start
# with a prompt ("$ ", "# ", "vm$ ", "laptop$ "); a literal block without
# prompts is a script and runs whole. They run in order, in one scratch
# directory holding the files the examples name (old.json, new.json,
# xen-guest.json, reports/, vmlinux, vmlinuz; the others the examples make
# themselves), with this build's pvhprobe first in PATH. Substitutions, each
# for a reason: the node_exporter directory becomes a scratch one; "-c 2"
# becomes "-c 0" (this machine may have fewer CPUs); "modprobe" lines are
# skipped (loading modules is not a test's business), and examples that need
# what this machine lacks (/dev/cpu/0/cpuid, /sys/kernel/notes, cpuid(1)
# outside CI) too.
# Every command must exit 0, or 1 where the example is a check (--expect,
# compare, "|| exit 1"); never 2 (usage), 3 (input) or a signal.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
man=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/bin" "$tmp/scratch/reports" "$tmp/textfile"
ln -s "$bin" "$tmp/bin/pvhprobe"
PATH="$tmp/bin:$PATH"
export PATH
cd "$tmp/scratch" || exit 1
pvhprobe -i "$top/tests/data/kvm-older-host.cpuid" -j >old.json
pvhprobe -i "$top/tests/data/kvm-2cpu.cpuid" -j >new.json
pvhprobe -i "$top/tests/data/xen-hvm.cpuid" -j >xen-guest.json
cp old.json new.json reports/
cp "$top/tests/data/kernel-pvh64.elf" vmlinux
cp "$top/tests/data/kernel-bz-gzip.bzimage" vmlinuz

/usr/bin/python3 - "$man" "$tmp/textfile" >"$tmp/examples" <<'PY'
import re, sys
man, textfile = sys.argv[1], sys.argv[2]
lines = open(man).read().split("\n")
start = lines.index(".Sh EXAMPLES")
ex = []
for l in lines[start + 1:]:
    if l.startswith(".Sh "):
        break
    ex.append(l)
def clean(t):
    return t.replace("\\e", "\\").replace("\\&", "").replace("\\-", "-")
prompt = re.compile(r"^(\$|#|vm\$|laptop\$) ")
out, i = [], 0
while i < len(ex):
    l = ex[i]
    if l.startswith(".Dl "):
        c = clean(l[4:])
        out.append(prompt.sub("", c))
    elif l.startswith(".Bd -literal"):
        block = []
        i += 1
        while not ex[i].startswith(".Ed"):
            block.append(clean(ex[i]))
            i += 1
        cmds = [b for b in block if prompt.match(b)]
        if cmds:
            out.extend(prompt.sub("", b) for b in cmds)
        else:
            out.append("\n".join(block).replace("/var/lib/prometheus/node-exporter", textfile))
    i += 1
for c in out:
    c = c.replace("-c 2", "-c 0")
    print(c.replace("\n", "\\n"))
PY
pass=0
fail=0
while IFS= read -r ex; do
	cmd=$(printf '%b' "$ex")
	case $cmd in *modprobe*) echo "# skipped (loads a module): $cmd"; continue ;; esac
	case $cmd in *--source=dev*) [ -e /dev/cpu/0/cpuid ] || { echo "# skipped (no /dev/cpu/0/cpuid): $cmd"; continue; } ;; esac
	case $cmd in */sys/kernel/notes*) [ -r /sys/kernel/notes ] || { echo "# skipped (no /sys/kernel/notes): $cmd"; continue; } ;; esac
	case $cmd in cpuid*) command -v cpuid >/dev/null || [ "${CI:-}" = true ] || { echo "# skipped (no cpuid(1)): $cmd"; continue; } ;; esac
	sh -c "$cmd" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	allowed=0
	case $cmd in *--expect* | *compare* | *"exit 1"*) allowed="0 1" ;; esac
	ok=0
	for a in $allowed; do [ "$rc" = "$a" ] && ok=1; done
	first=$(printf '%s' "$cmd" | head -n 1)
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
		echo "ok - $first (exit $rc)"
	else
		fail=$((fail + 1))
		echo "not ok - $first: exit $rc"
		sed 's/^/#   /' "$tmp/err" | head -5
	fi
done <"$tmp/examples"
[ -s textfile/pvhprobe.prom ] 2>/dev/null || [ -s "$tmp/textfile/pvhprobe.prom" ] || { fail=$((fail + 1)); echo "not ok - the node_exporter example wrote no pvhprobe.prom"; }
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
