#!/bin/sh
# debian.sh [SRCDIR] - does debian/ build a package that installs, runs and
# passes lintian? Slow (a full package build): CI runs it, `make check` does
# not.
#
# SRCDIR defaults to the checkout this script is in. Its files (those git
# tracks or would track; without git, all but .git, build/ and ./pvhprobe)
# are copied to a temporary directory, where, each step timed and counted as
# one test:
#  - dpkg-checkbuilddeps: the Build-Depends are installed;
#  - dpkg-buildpackage -us -uc -b builds (running `make check-unit`), giving
#    one pvhprobe_VERSION_ARCH.deb and a .changes;
#  - the .deb holds the binary, the man page, the three completions, every
#    schema/*.json, the copyright file and (amd64, i386) the probe guest, and the binary is hardened
#    (hardening-check, when devscripts is installed: PIE, stack protector,
#    fortify, RELRO, BIND_NOW);
#  - as root: `apt-get install ./pvhprobe_*.deb` installs it, `pvhprobe
#    --version` prints the changelog's version and `pvhprobe -i
#    tests/data/xen-hvm.cpuid` finds the Xen path; the package is removed
#    again unless it was installed before;
#  - lintian reports no errors on the .deb and the .changes (warnings are
#    printed, not counted);
#  - dpkg-buildpackage -S builds the source package and lintian reports no
#    errors on the .dsc.
# Missing tools (dpkg-dev, debhelper, lintian) or not being root: a failure
# under CI=true, else skipped with a note. DEB_BUILD_OPTIONS is honoured
# (default parallel=$(nproc)).
# The last line of output is "N passed, M failed"; the exit status is 1 if
# anything failed, 2 on a usage error.
set -u

if [ $# -gt 1 ]; then
	echo "usage: $0 [SRCDIR]" >&2
	exit 2
fi
src=$(cd "${1:-$(dirname "$0")/../..}" && pwd) || exit 2
start=$(date +%s)
# The build is debian/rules' alone: not a calling make's flags or overrides.
unset MAKEFLAGS MFLAGS MAKEOVERRIDES MAKELEVEL PREFIX BINDIR MANDIR DATADIR DESTDIR

. "$(dirname "$0")/../lib/tap.sh" # ok, bad, missing, summary
finish() {
	echo "== debian.sh done in $(($(date +%s) - start)) s"
	summary
	exit
}
# step NAME: print the step with the time since the start.
step() {
	echo "== [$(($(date +%s) - start)) s] $*"
}

for t in dpkg-buildpackage dpkg-checkbuilddeps dpkg-parsechangelog dh; do
	if ! command -v $t >/dev/null 2>&1; then
		missing "$t is not installed (apt-get install dpkg-dev debhelper lintian)"
		finish
	fi
done
if [ ! -f "$src/debian/control" ]; then
	bad "no debian/control in $src"
	finish
fi

tmp=$(mktemp -d) || exit 1
installed_here=
cleanup() {
	if [ -n "$installed_here" ]; then
		dpkg -r pvhprobe >"$tmp/remove.log" 2>&1 ||
			echo "note: could not remove the pvhprobe package: $(tail -n 5 "$tmp/remove.log")"
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

step "copying $src"
work=$tmp/pvhprobe
mkdir "$work"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$src" && git ls-files -z -c -o --exclude-standard |
		xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
		tar --null -T - -cf -) | tar -C "$work" -xf -
else
	(cd "$src" && tar --exclude=./.git --exclude=./build --exclude=./pvhprobe -cf - .) |
		tar -C "$work" -xf -
fi
if [ -f "$work/debian/rules" ] && [ -x "$work/debian/rules" ]; then
	ok
else
	bad "debian/rules missing or not executable in the copy"
	finish
fi
version=$(cd "$work" && dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)
deb=$tmp/pvhprobe_${version}_$arch.deb
changes=$tmp/pvhprobe_${version}_$arch.changes
echo "version $version, architecture $arch"

step "dpkg-checkbuilddeps"
if (cd "$work" && dpkg-checkbuilddeps) >"$tmp/out" 2>&1; then
	ok
else
	bad "build dependencies missing: $(cat "$tmp/out")"
	finish
fi

step "dpkg-buildpackage -us -uc -b"
export DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-parallel=$(nproc 2>/dev/null || echo 1)}"
if (cd "$work" && dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1; then
	ok
else
	bad "dpkg-buildpackage -b failed; the end of its log:"
	tail -n 40 "$tmp/build.log"
	finish
fi
if grep -q 'PASSED' "$tmp/build.log"; then
	ok
else
	nocheck=
	case " $DEB_BUILD_OPTIONS " in *" nocheck "*) nocheck=1 ;; esac
	if [ -n "$nocheck" ]; then ok; else bad "the build did not run the unit tests"; fi
fi
for f in "$deb" "$changes"; do
	if [ -f "$f" ]; then ok; else bad "$(basename "$f") was not built"; fi
done
[ -f "$deb" ] || finish

step "contents of $(basename "$deb")"
dpkg-deb -c "$deb" | awk '{ print $1, $NF }' | sed 's| \./| /|' >"$tmp/contents"
want() {
	if grep -qxF -- "$1 $2" "$tmp/contents"; then
		ok
	else
		bad "$(basename "$deb") has no $2 with mode $1"
	fi
}
bashdir=/usr/share/bash-completion/completions
if pkg-config --exists bash-completion 2>/dev/null; then
	bashdir=$(pkg-config --define-variable=prefix=/usr --define-variable=datadir=/usr/share \
		--variable=completionsdir bash-completion)
fi
want -rwxr-xr-x /usr/bin/pvhprobe
want -rw-r--r-- /usr/share/man/man1/pvhprobe.1.gz
want -rw-r--r-- "$bashdir/pvhprobe"
want -rw-r--r-- /usr/share/zsh/vendor-completions/_pvhprobe
want -rw-r--r-- /usr/share/fish/vendor_completions.d/pvhprobe.fish
want -rw-r--r-- /usr/share/doc/pvhprobe/copyright
case $(dpkg --print-architecture) in
amd64 | i386) want -rw-r--r-- /usr/lib/pvhprobe/pvhprobe.elf ;; # the probe guest
esac
want -rw-r--r-- /lib/systemd/system/pvhprobe-textfile.service
want -rw-r--r-- /lib/systemd/system/pvhprobe-textfile.timer
# The units are installed disabled: dh_installsystemd --no-enable --no-start
# writes the snippet that re-enables a unit only where the admin had enabled
# it (debian-installed, was-enabled), and starts nothing.
mkdir "$tmp/ctl"
dpkg-deb -e "$deb" "$tmp/ctl"
# (The service has no [Install] section: there is nothing to enable.)
if grep -qF "deb-systemd-helper debian-installed 'pvhprobe-textfile.timer'" "$tmp/ctl/postinst" 2>/dev/null; then
	ok
else
	bad "the postinst must not enable pvhprobe-textfile.timer: $(grep -n 'pvhprobe-textfile' "$tmp/ctl/postinst" 2>/dev/null | head -n 5)"
fi
if ! grep -F 'pvhprobe-textfile' "$tmp/ctl/postinst" 2>/dev/null | grep -q 'deb-systemd-invoke'; then
	ok
else
	bad "the postinst must start no pvhprobe-textfile unit"
fi

if command -v hardening-check >/dev/null 2>&1; then
	mkdir "$tmp/x"
	dpkg-deb -x "$deb" "$tmp/x"
	# -fcf-protection is not among bookworm's dpkg-buildflags.
	if hardening-check --nocfprotection "$tmp/x/usr/bin/pvhprobe" >"$tmp/out" 2>&1; then
		ok
	else
		bad "the binary is not hardened: $(cat "$tmp/out")"
	fi
else
	missing "hardening-check (devscripts) is not installed: hardening not checked"
fi

step "installing $(basename "$deb")"
if [ "$(id -u)" != 0 ]; then
	missing "not root: the package is not installed and run"
else
	dpkg-query -W -f='${Status}' pvhprobe 2>/dev/null | grep -q 'install ok installed' ||
		installed_here=1
	if DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb" >"$tmp/out" 2>&1; then
		ok
	else
		bad "apt-get install $(basename "$deb") failed: $(tail -n 20 "$tmp/out")"
	fi
	v=$(/usr/bin/pvhprobe --version 2>&1)
	if [ "$v" = "pvhprobe ${version%%-*}" ]; then
		ok
	else
		bad "/usr/bin/pvhprobe --version printed '$v', expected 'pvhprobe ${version%%-*}'"
	fi
	if [ ! -e /etc/systemd/system/timers.target.wants/pvhprobe-textfile.timer ]; then
		ok
	else
		bad "installing the package enabled pvhprobe-textfile.timer"
	fi
	if /usr/bin/pvhprobe -i "$work/tests/data/xen-hvm.cpuid" >"$tmp/out" 2>&1 &&
		grep -q '^PVH path: xen' "$tmp/out"; then
		ok
	else
		bad "/usr/bin/pvhprobe -i tests/data/xen-hvm.cpuid: $(head -n 5 "$tmp/out")"
	fi
fi

# lintian_check WHAT FILE...: no E: tags; W: tags shown.
lintian_check() {
	what=$1
	shift
	lintian --pedantic -I "$@" 2>&1 | grep -v '^running with root privileges' >"$tmp/lintian"
	sed 's/^/  /' "$tmp/lintian"
	if grep -q '^E: ' "$tmp/lintian"; then
		bad "lintian reports errors on $what"
	else
		ok
		n=$(grep -c '^W: ' "$tmp/lintian")
		[ "$n" -gt 0 ] && echo "note: lintian: $n warning(s) on $what"
	fi
}

if command -v lintian >/dev/null 2>&1; then
	step "lintian $(basename "$deb") $(basename "$changes")"
	lintian_check "the binary package" "$deb" "$changes"
	step "dpkg-buildpackage -us -uc -S"
	if (cd "$work" && dpkg-buildpackage -us -uc -S) >"$tmp/source.log" 2>&1; then
		ok
		step "lintian pvhprobe_$version.dsc"
		lintian_check "the source package" "$tmp/pvhprobe_$version.dsc"
	else
		bad "dpkg-buildpackage -S failed; the end of its log:"
		tail -n 20 "$tmp/source.log"
	fi
else
	missing "lintian is not installed"
fi

finish
