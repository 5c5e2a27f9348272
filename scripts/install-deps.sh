#!/bin/sh
# install-deps.sh [--test] - install the Debian 12 packages pvhprobe needs.
#
#   sh scripts/install-deps.sh          what building and running need
#                                       (the README's first command)
#   sh scripts/install-deps.sh --test   that, and what `make check` and CI's
#                                       other checks use (the README's test
#                                       command)
#
# Idempotent: installs only what is missing, and runs `apt-get update` only
# when it has something to install. Needs root when anything is missing.
# Packages are installed without their Recommends, so each list names what
# a fresh Debian 12 machine lacks (libc6-dev, for one, is only a Recommends
# of gcc).
set -eu

usage() {
	echo "usage: sh scripts/install-deps.sh [--test]" >&2
	exit 2
}
test=
case $# in
0) ;;
1) [ "$1" = --test ] || usage; test=1 ;;
*) usage ;;
esac
arch=$(dpkg --print-architecture 2>/dev/null || echo unknown)

# Build: the compiler and libc headers, make, pkg-config, the libraries
# (libxen-dev brings the optional libxenstore; liblzma-dev and libzstd-dev
# let `pvhprobe kernel` look inside a bzImage). libcpuid exists for x86
# only. Running ./pvhprobe needs nothing more: it is linked statically when
# these -dev packages' archives allow it, against their shared libraries
# otherwise.
pkgs="gcc libc6-dev make pkg-config libjansson-dev libxen-dev liblzma-dev libzstd-dev"
case $arch in
amd64 | i386) pkgs="$pkgs libcpuid-dev" ;;
esac

if [ -n "$test" ]; then
	# Tests: cmocka for the unit tests; python3 with jsonschema (schema
	# validation) and the fake xenstored; jq; the man page linter mandoc;
	# systemd for systemd-analyze (tests/cli/systemd.sh checks the units);
	# prometheus for promtool check metrics; Todd Allen's cpuid (x86 only:
	# `pvhprobe dump` output must be accepted by cpuid -f); clang (CI's
	# second compiler, and libFuzzer with libclang-rt-14-dev); valgrind and
	# time (the hardening checks); qemu-user-static and the aarch64 cross
	# compiler (the arm64 build under qemu-user).
	pkgs="$pkgs libcmocka-dev python3 python3-jsonschema jq mandoc systemd prometheus clang libclang-rt-14-dev"
	pkgs="$pkgs valgrind time qemu-user-static gcc-aarch64-linux-gnu"
	case $arch in
	amd64 | i386) pkgs="$pkgs cpuid" ;;
	esac
	# The arm64 build of the tests (tests/hardening/arm64.sh) links Debian's
	# arm64 libraries, installed beside the amd64 ones (multiarch).
	if [ "$arch" = amd64 ]; then
		pkgs="$pkgs libc6-dev:arm64 libjansson-dev:arm64 libcmocka-dev:arm64 liblzma-dev:arm64 libzstd-dev:arm64 pkgconf:arm64"
	fi
	# The completions' tests load them in each shell; the package test
	# builds and lints the .deb (dpkg-buildpackage insists on
	# build-essential; devscripts brings hardening-check).
	pkgs="$pkgs zsh fish bash-completion build-essential dpkg-dev debhelper lintian devscripts"
fi

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	echo "install-deps: all packages present${test:+ (--test)}"
	exit 0
fi
echo "install-deps: installing:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: these packages are missing and installing them needs root:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
case "$missing" in
*:arm64*) dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64 ;;
esac
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
