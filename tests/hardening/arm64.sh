#!/bin/sh
# arm64.sh - build pvhprobe and its unit tests for arm64 with Debian's cross
# toolchain and run them under qemu-user (issue 7 part 4: where CPUID cannot
# run).
#
#   sh tests/hardening/arm64.sh
#
# Installs nothing. Needs gcc-aarch64-linux-gnu, qemu-user-static (or
# qemu-user) and the arm64 development packages of the libraries through
# Debian multiarch (dpkg --add-architecture arm64; libjansson-dev:arm64
# libcmocka-dev:arm64, and liblzma-dev:arm64 libzstd-dev:arm64 for the
# optional bzImage decompression; pkgconf:arm64 brings
# aarch64-linux-gnu-pkg-config, else a PKG_CONFIG_LIBDIR wrapper is used).
# libcpuid and libxen-dev have no co-installable arm64 package: the arm64
# build goes without them, as the Makefile allows.
#
# Checks, one line each ("ok - ..." / "not ok - ..."), then "N passed, M
# failed":
#   1. the cross build (make CC=aarch64-linux-gnu-gcc
#      PKG_CONFIG=aarch64-linux-gnu-pkg-config WERROR=1) of pvhprobe and of
#      every unit test, in a private copy under $TMPDIR: the tree's own
#      build/ is never touched; the result is an aarch64 ELF;
#   2. every cmocka unit test passes under qemu;
#   3. a live run (text, -j, --all-cpus) exits 4 and says on stderr that
#      CPUID exists only on x86, with nothing on stdout;
#   4. tests/live/smoke.sh passes with the arm64 binary (it takes its exit-4
#      branch: an inline KVM dump must still be analysed);
#   5. every golden CLI case (tests/golden: -i dumps, JSON reports, bundle
#      directories with their sysfs evidence, compare, kernel images) gives
#      the same stdout, stderr and exit status as a native x86 build with
#      the same optional libraries (so without libxenstore, which only
#      changes the "xenstore: not built in" evidence line): a dump must be
#      analysed the same way whatever machine reads it.
#
# Exit 0 when all passed, 1 otherwise. When a tool or package is missing the
# script says which and exits 0 as skipped ("0 passed, 0 failed, 1 skipped"),
# or fails (exit 1) when CI=true.
#
# Environment: CROSS_CC (aarch64-linux-gnu-gcc), CROSS_PKG_CONFIG
# (aarch64-linux-gnu-pkg-config), QEMU (qemu-aarch64-static, else
# qemu-aarch64), QEMU_LD_PREFIX (/usr/aarch64-linux-gnu), NATIVE_CC (cc),
# KEEP=1 keeps the build directory.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
CROSS_CC=${CROSS_CC:-aarch64-linux-gnu-gcc}
CROSS_PKG_CONFIG=${CROSS_PKG_CONFIG:-aarch64-linux-gnu-pkg-config}
NATIVE_CC=${NATIVE_CC:-cc}
QEMU_LD_PREFIX=${QEMU_LD_PREFIX:-/usr/aarch64-linux-gnu}
export QEMU_LD_PREFIX
if [ -z "${QEMU:-}" ]; then
	QEMU=qemu-aarch64-static
	command -v "$QEMU" >/dev/null 2>&1 || QEMU=qemu-aarch64
fi
MAKE=${MAKE:-make}

. "$top/tests/lib/tap.sh"
missing() { # missing WHAT: skip, or fail under CI
	if [ "${CI:-}" = true ]; then
		notok "$* (CI=true: the arm64 check cannot be skipped)"
		echo "# install: gcc-aarch64-linux-gnu qemu-user-static, and after 'dpkg --add-architecture arm64 && apt-get update':"
		echo "#   libjansson-dev:arm64 libcmocka-dev:arm64 liblzma-dev:arm64 libzstd-dev:arm64 pkgconf:arm64"
		finish
	fi
	echo "# skipped: $*"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pvhprobe-arm64.XXXXXX") || exit 1
if [ "${KEEP:-0}" = 1 ]; then
	echo "# build kept in $tmp"
else
	trap 'rm -rf "$tmp"' EXIT
fi
trap 'exit 130' INT TERM HUP

# ---- the toolchain ----
command -v "$CROSS_CC" >/dev/null 2>&1 || missing "$CROSS_CC not found (Debian package gcc-aarch64-linux-gnu)"
command -v "$QEMU" >/dev/null 2>&1 || missing "$QEMU not found (Debian package qemu-user-static)"
if ! command -v "$CROSS_PKG_CONFIG" >/dev/null 2>&1; then
	# pkgconf:arm64 not installed: the same search path by hand.
	CROSS_PKG_CONFIG=$tmp/aarch64-pkg-config
	cat >"$CROSS_PKG_CONFIG" <<'EOF'
#!/bin/sh
PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig
export PKG_CONFIG_LIBDIR
exec pkg-config "$@"
EOF
	chmod +x "$CROSS_PKG_CONFIG"
	echo "# aarch64-linux-gnu-pkg-config not found (pkgconf:arm64): using pkg-config with PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig"
fi
for p in jansson cmocka; do
	"$CROSS_PKG_CONFIG" --exists "$p" 2>/dev/null ||
		missing "no arm64 $p for pkg-config (dpkg --add-architecture arm64; apt-get install lib$p-dev:arm64)"
done
feat=""
for p in libcpuid xenstore liblzma libzstd; do
	"$CROSS_PKG_CONFIG" --exists "$p" 2>/dev/null && feat="$feat $p"
done
echo "# arm64 optional libraries:${feat:- none} ($CROSS_CC, $CROSS_PKG_CONFIG, $QEMU -L $QEMU_LD_PREFIX)"

# ---- 1. the cross build, in private copies ----
copy() { # copy DIR: the sources a build needs, nothing of the tree's build/
	mkdir -p "$1/tests"
	cp -R "$top/Makefile" "$top/src" "$top/guest" "$1/" && cp -R "$top/tests/unit" "$1/tests/"
}
units=$(cd "$top" && for f in tests/unit/*.c; do t=${f#tests/unit/}; printf 'build/tests/%s ' "${t%.c}"; done)
copy "$tmp/arm64" || { notok "copying the sources to $tmp"; finish; }
(cd "$tmp/arm64" && $MAKE -j"$(nproc 2>/dev/null || echo 2)" CC="$CROSS_CC" PKG_CONFIG="$CROSS_PKG_CONFIG" WERROR=1 \
	pvhprobe $units) >"$tmp/build.log" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
	notok "the arm64 build (make CC=$CROSS_CC WERROR=1) failed (exit $rc); first errors:"
	grep -E 'error|undefined reference|No such file' "$tmp/build.log" | head -30 | sed 's/^/#   /'
	finish
fi
bin=$tmp/arm64/pvhprobe
if od -An -tx1 -j18 -N2 "$bin" | grep -q 'b7 00'; then # e_machine EM_AARCH64 (183)
	ok "arm64 build of pvhprobe and $(echo $units | wc -w | tr -d ' ') unit tests (WERROR=1): an aarch64 ELF"
else
	notok "the cross build did not give an aarch64 ELF: $(file "$bin" 2>/dev/null)"
	finish
fi

# The binary under qemu, as a PVHPROBE the test runners can call.
run=$tmp/pvhprobe-arm64
printf '#!/bin/sh\nexec %s -L %s %s "$@"\n' "$QEMU" "$QEMU_LD_PREFIX" "$bin" >"$run"
chmod +x "$run"
if ! "$run" --version >"$tmp/v.out" 2>&1; then
	notok "the arm64 binary does not run under $QEMU: $(head -c 300 "$tmp/v.out")"
	finish
fi

# ---- 2. unit tests under qemu ----
for u in $units; do
	(cd "$tmp/arm64" && "$QEMU" -L "$QEMU_LD_PREFIX" "./$u") >"$tmp/u.out" 2>&1
	rc=$?
	sum=$(grep -E '^\[  (PASSED|FAILED)  \]' "$tmp/u.out" | tr -s ' ' | tr '\n' ' ')
	if [ $rc -eq 0 ]; then
		ok "unit test $(basename "$u") under qemu: $sum"
	else
		notok "unit test $(basename "$u") under qemu exits $rc: $sum"
		grep -E 'FAILED|ERROR|Failure|error' "$tmp/u.out" | head -10 | sed 's/^/#   /'
	fi
done

# ---- 3. live runs: CPUID is x86-only ----
for a in "" "-j" "--all-cpus"; do
	# shellcheck disable=SC2086
	"$run" $a >"$tmp/live.out" 2>"$tmp/live.err" </dev/null
	rc=$?
	if [ $rc -eq 4 ] && grep -q 'x86' "$tmp/live.err" && [ ! -s "$tmp/live.out" ]; then
		ok "live 'pvhprobe $a' exits 4: $(head -n 1 "$tmp/live.err")"
	else
		notok "live 'pvhprobe $a' exits $rc (want 4, a message naming x86 on stderr, nothing on stdout): $(head -c 300 "$tmp/live.err")"
	fi
done

# ---- 4. the live smoke test, through its exit-4 branch ----
sh "$top/tests/live/smoke.sh" "$run" >"$tmp/smoke.out" 2>&1
rc=$?
if [ $rc -eq 0 ]; then
	ok "tests/live/smoke.sh with the arm64 binary: $(tail -n 1 "$tmp/smoke.out")"
else
	notok "tests/live/smoke.sh with the arm64 binary exits $rc:"
	grep -v '^ok' "$tmp/smoke.out" | head -10 | sed 's/^/#   /'
fi

# ---- 5. golden cases: same result as x86 ----
# The reference: a native build with the arm64 build's optional libraries
# (libcpuid aside: it is x86-only, and the output must not depend on it).
ref_flags=""
for p in xenstore:HAVE_XENSTORE liblzma:HAVE_LIBLZMA libzstd:HAVE_LIBZSTD; do
	case " $feat " in
	*" ${p%%:*} "*) ;;
	*) ref_flags="$ref_flags ${p#*:}=" ;;
	esac
done
copy "$tmp/native" || { notok "copying the sources to $tmp"; finish; }
# shellcheck disable=SC2086
(cd "$tmp/native" && $MAKE -j"$(nproc 2>/dev/null || echo 2)" CC="$NATIVE_CC" $ref_flags pvhprobe) >"$tmp/nbuild.log" 2>&1 || {
	notok "the native reference build (make$ref_flags) failed:"
	grep -E 'error' "$tmp/nbuild.log" | head -10 | sed 's/^/#   /'
	finish
}
ref=$tmp/native/pvhprobe
echo "# reference: native build, make${ref_flags:- (all optional libraries)}"

gpass=0
gfail=0
for c in "$top"/tests/golden/*/; do
	c=${c%/}
	name=$(basename "$c")
	[ -f "$c/args" ] || continue
	args=$(cat "$c/args")
	for w in arm ref; do
		if [ $w = arm ]; then b=$run; else b=$ref; fi
		(cd "$c" && eval "\"\$b\" $args" >"$tmp/$w.raw" 2>"$tmp/$w.err" </dev/null)
		echo $? >"$tmp/$w.status"
		# By design the one difference: the CPU feature flags come from
		# libcpuid, which exists for x86 only, so compare lists none there
		# (text: the "features" lines; JSON: cpu_features_added/removed).
		if jq -e . "$tmp/$w.raw" >/dev/null 2>&1; then
			jq 'walk(if type == "object" then del(.cpu_features_added, .cpu_features_removed) else . end)' \
				"$tmp/$w.raw" >"$tmp/$w.out"
		else
			sed -e '/^  features added: /d' -e '/^  features removed: /d' "$tmp/$w.raw" >"$tmp/$w.out"
		fi
	done
	why=""
	cmp -s "$tmp/arm.status" "$tmp/ref.status" || why="$why status $(cat "$tmp/arm.status") (x86: $(cat "$tmp/ref.status"));"
	cmp -s "$tmp/arm.out" "$tmp/ref.out" || why="$why stdout differs;"
	cmp -s "$tmp/arm.err" "$tmp/ref.err" || why="$why stderr differs;"
	if [ -z "$why" ]; then
		gpass=$((gpass + 1))
		ok "golden $name: same as x86 (exit $(cat "$tmp/ref.status"))"
	else
		gfail=$((gfail + 1))
		notok "golden $name ($args):$why"
		[ "$gfail" -le 6 ] && {
			diff -u "$tmp/ref.out" "$tmp/arm.out"
			diff -u "$tmp/ref.err" "$tmp/arm.err"
		} | grep -E '^[-+][^-+]' | cut -c1-160 | head -8 | sed 's/^/#   /'
	fi
done
[ "$gfail" -gt 6 ] && echo "# (differences shown for the first 6 cases only; KEEP=1 keeps the build to rerun them)"
echo "# golden cases under qemu: $gpass the same as x86, $gfail different"

finish
