#!/bin/sh
# install.sh [SRCDIR] - does `make install` / `make uninstall` put exactly our
# files where they belong, and take them away again?
#
# SRCDIR defaults to the checkout this script is in; it must hold a built
# ./pvhprobe (`make install` builds it otherwise). MAKE is honoured.
# For PREFIX=/usr (as a Debian package does), the default PREFIX (/usr/local)
# and PREFIX=/opt/pvhprobe, each into a fresh temporary DESTDIR, checks (each
# counted as one test):
#  - `make install` succeeds;
#  - every file is there, with its mode (binary 0755, the rest 0644; the
#    probe guest lib/pvhprobe/pvhprobe.elf 0644, when it was built),
#    identical to its source (the binary: runs and prints its version);
#    directories are 0755;
#  - nothing else was installed, and nothing outside PREFIX;
#  - `make uninstall` succeeds and leaves none of our files (empty
#    directories shared with other packages may stay; share/pvhprobe goes).
# The bash completion directory is bash-completion's pkg-config
# completionsdir under the prefix, or share/bash-completion/completions; zsh:
# share/zsh/vendor-completions for /usr, share/zsh/site-functions otherwise;
# fish: share/fish/vendor_completions.d. The systemd units
# (contrib/systemd): systemd's pkg-config systemdsystemunitdir under the
# prefix, or lib/systemd/system; the service naming PREFIX/bin/pvhprobe.
# The last line of output is "N passed, M failed"; the exit status is 1 if
# anything failed, 2 on a usage error.
set -u

if [ $# -gt 1 ]; then
	echo "usage: $0 [SRCDIR]" >&2
	exit 2
fi
src=$(cd "${1:-$(dirname "$0")/../..}" && pwd) || exit 2
make=${MAKE:-make}
# Only the command lines below choose the directories: not a calling make's
# flags or overrides, nor the environment.
unset MAKEFLAGS MFLAGS MAKEOVERRIDES MAKELEVEL PREFIX BINDIR MANDIR DATADIR LIBDIR \
	BASHCOMPDIR ZSHCOMPDIR FISHCOMPDIR SYSTEMDUNITDIR DESTDIR
. "$(dirname "$0")/../lib/tap.sh" # ok, bad, summary

umask 022
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

schemas=$(cd "$src" && ls schema/*.json 2>/dev/null)
if [ -n "$schemas" ]; then ok; else bad "no schema/*.json in $src"; fi
version=$("$src/pvhprobe" --version 2>/dev/null | head -n 1)

# check_file DESTDIR PATH MODE [SOURCE]
check_file() {
	f=$1$2
	if [ ! -f "$f" ]; then
		bad "$2 was not installed"
		return
	fi
	m=$(stat -c %a "$f")
	if [ "$m" = "$3" ]; then ok; else bad "$2 has mode $m, expected $3"; fi
	if [ $# -ge 4 ]; then
		if cmp -s "$4" "$f"; then ok; else bad "$2 differs from $4"; fi
	fi
}

# run PREFIX ZSHDIR [MAKE ARGS...]: one install/uninstall round. PREFIX "" is
# the Makefile's default, /usr/local.
run() {
	prefix=$1
	zshsub=$2
	shift 2
	name=${prefix:-default}
	dest=$tmp/dest-$(echo "$name" | tr / _)
	mkdir "$dest"
	p=${prefix:-/usr/local}
	if [ -n "$prefix" ]; then
		set -- "PREFIX=$prefix" "$@"
	fi
	echo "== make install $* DESTDIR=$dest"
	if (cd "$src" && $make -s install DESTDIR="$dest" "$@") >"$tmp/out" 2>&1; then
		ok
	else
		bad "make install $* failed: $(head -c 2000 "$tmp/out")"
		return
	fi

	bashdir=$p/share/bash-completion/completions
	if pkg-config --exists bash-completion 2>/dev/null; then
		bashdir=$(pkg-config --define-variable=prefix="$p" \
			--define-variable=datadir="$p/share" --variable=completionsdir bash-completion)
	fi
	unitdir=$p/lib/systemd/system
	if pkg-config --exists systemd 2>/dev/null; then
		unitdir=$(pkg-config --define-variable=prefix="$p" --define-variable=rootprefix="$p" \
			--variable=systemdsystemunitdir systemd)
	fi
	sed "s|/usr/bin/pvhprobe|$p/bin/pvhprobe|g" "$src/contrib/systemd/pvhprobe-textfile.service" \
		>"$tmp/pvhprobe-textfile.service"
	: >"$tmp/expected"
	expect() {
		printf '%s\n' "$1" >>"$tmp/expected"
		check_file "$dest" "$@"
	}
	expect "$p/bin/pvhprobe" 755
	expect "$p/share/man/man1/pvhprobe.1" 644 "$src/man/pvhprobe.1"
	for s in $schemas; do
		expect "$p/share/pvhprobe/$(basename "$s")" 644 "$src/$s"
	done
	expect "$bashdir/pvhprobe" 644 "$src/completions/pvhprobe.bash"
	expect "$p/share/zsh/$zshsub/_pvhprobe" 644 "$src/completions/_pvhprobe"
	expect "$p/share/fish/vendor_completions.d/pvhprobe.fish" 644 "$src/completions/pvhprobe.fish"
	# The probe guest, when `make guest` built it.
	if [ -f "$src/pvhprobe.elf" ]; then
		expect "$p/lib/pvhprobe/pvhprobe.elf" 644 "$src/pvhprobe.elf"
	fi
	expect "$unitdir/pvhprobe-textfile.service" 644 "$tmp/pvhprobe-textfile.service"
	expect "$unitdir/pvhprobe-textfile.timer" 644 "$src/contrib/systemd/pvhprobe-textfile.timer"
	if grep -q "ExecStart=.* $p/bin/pvhprobe -f prometheus" "$dest$unitdir/pvhprobe-textfile.service" 2>/dev/null; then
		ok
	else
		bad "the installed service does not run $p/bin/pvhprobe"
	fi

	if [ -x "$dest$p/bin/pvhprobe" ]; then
		v=$("$dest$p/bin/pvhprobe" --version 2>&1 | head -n 1)
		if [ -n "$v" ] && [ "$v" = "$version" ]; then
			ok
		else
			bad "installed $p/bin/pvhprobe --version printed '$v', expected '$version'"
		fi
	fi

	# Nothing else, nothing outside PREFIX.
	(cd "$dest" && find . ! -type d | sed 's/^\.//' | sort) >"$tmp/found"
	sort "$tmp/expected" >"$tmp/expected.sorted"
	extra=$(comm -13 "$tmp/expected.sorted" "$tmp/found")
	if [ -z "$extra" ]; then ok; else bad "unexpected files installed:" $extra; fi
	outside=$(grep -v "^$p/" "$tmp/found")
	if [ -z "$outside" ]; then ok; else bad "installed outside $p:" $outside; fi
	baddirs=$(cd "$dest" && find . -type d ! -perm 0755 | sed 's/^\.//')
	if [ -z "$baddirs" ]; then ok; else bad "directories not 0755:" $baddirs; fi

	echo "== make uninstall $* DESTDIR=$dest"
	if (cd "$src" && $make -s uninstall DESTDIR="$dest" "$@") >"$tmp/out" 2>&1; then
		ok
	else
		bad "make uninstall $* failed: $(head -c 2000 "$tmp/out")"
	fi
	left=$(cd "$dest" && find . ! -type d | sed 's/^\.//')
	if [ -z "$left" ]; then ok; else bad "left after make uninstall $*:" $left; fi
	if [ ! -e "$dest$p/share/pvhprobe" ] && [ ! -e "$dest$p/lib/pvhprobe" ]; then
		ok
	else
		bad "$p/share/pvhprobe or $p/lib/pvhprobe is still there after make uninstall $*"
	fi
}

run /usr vendor-completions
run "" site-functions
run /opt/pvhprobe site-functions

summary
