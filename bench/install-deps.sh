#!/bin/sh
# bench/install-deps.sh - install what bench/run.sh compares against (Debian 12,
# as root). bench/run.sh itself installs nothing and skips whatever is missing.
#
#   hyperfine   the timer
#   virt-what   peer (Red Hat's shell script + virt-what-cpuid-helper)
#   cpuid       peer (Todd Allen's cpuid; also a test dependency of pvhprobe)
#   time        GNU time, for peak RSS (/usr/bin/time -f %M)
#   gcc make    to build bench/floor etc.
#   (util-linux's lscpu and systemd's systemd-detect-virt come with the base
#   system and are not installed here.)
#
# xen-detect ships in xen-utils-common (checked with `dpkg -c` on the .deb:
# /usr/bin/xen-detect, 14 kB, needs only libc). Installing that package is NOT
# done by default: it depends on udev (a daemon) and xenstore-utils, and its
# postinst registers two boot services (`update-rc.d xen defaults`,
# `update-rc.d xendomains defaults`). It pulls in no hypervisor. Instead this
# script downloads the .deb with `apt-get download` and extracts only
# usr/bin/xen-detect into bench/.deps/bin/ (no maintainer scripts run, nothing
# registered); bench/run.sh looks there after $PATH.
#   --no-xen-detect      skip that step
#   --xen-utils-common   install the full package instead (services and udev!)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
xen=extract
for a in "$@"; do
	case "$a" in
	--no-xen-detect) xen=no ;;
	--xen-utils-common) xen=package ;;
	-h | --help) sed -n '2,24p' "$0"; exit 0 ;;
	*) echo "install-deps: unknown option $a" >&2; exit 2 ;;
	esac
done

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: needs root (apt-get)" >&2
	exit 1
fi

pkgs="hyperfine virt-what cpuid time gcc make libc6-dev"
[ "$xen" = package ] && pkgs="$pkgs xen-utils-common"

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done

export DEBIAN_FRONTEND=noninteractive
updated=no
if [ -n "$missing" ]; then
	echo "install-deps: installing:$missing"
	apt-get update -qq
	updated=yes
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing
else
	echo "install-deps: all packages present"
fi

if [ "$xen" = extract ] && ! command -v xen-detect >/dev/null 2>&1 &&
	[ ! -x "$here/.deps/bin/xen-detect" ]; then
	[ "$updated" = yes ] || apt-get update -qq
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	# apt's _apt user must be able to write the download directory.
	chmod 0777 "$tmp"
	(cd "$tmp" && apt-get download -qq xen-utils-common)
	dpkg-deb -x "$tmp"/xen-utils-common_*.deb "$tmp/root"
	mkdir -p "$here/.deps/bin"
	install -m 0755 "$tmp/root/usr/bin/xen-detect" "$here/.deps/bin/xen-detect"
	echo "install-deps: xen-detect extracted to bench/.deps/bin/xen-detect (xen-utils-common not installed)"
fi
