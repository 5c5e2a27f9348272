#!/bin/sh
# install-deps.sh - install the Debian 12 packages pvhprobe needs to build
# and to run its tests. Idempotent: installs only what is missing, and runs
# `apt-get update` only when it has something to install. Needs root when
# anything is missing.
set -eu

# Build: compiler, pkg-config, the libraries (libxen-dev brings the optional
# libxenstore; liblzma-dev and libzstd-dev let `pvhprobe kernel` look inside
# a bzImage). libcpuid exists for x86 only.
pkgs="gcc make pkg-config libjansson-dev libcmocka-dev libxen-dev liblzma-dev libzstd-dev"
case "$(dpkg --print-architecture 2>/dev/null || echo unknown)" in
amd64 | i386) pkgs="$pkgs libcpuid-dev" ;;
esac
# Tests: the JSON Schema validator, jq, the man page linter, Todd Allen's
# cpuid (to check that `pvhprobe dump` output is accepted by cpuid -f), clang
# (the second compiler CI builds with), prometheus (for promtool check metrics)
pkgs="$pkgs python3 python3-jsonschema jq mandoc cpuid clang prometheus valgrind time qemu-user-static gcc-aarch64-linux-gnu libclang-rt-14-dev"
# The arm64 build of the tests (tests/hardening/arm64.sh) links Debian's arm64
# libraries, installed beside the amd64 ones (multiarch).
if [ "$(dpkg --print-architecture 2>/dev/null)" = amd64 ]; then
	pkgs="$pkgs libjansson-dev:arm64 libcmocka-dev:arm64 liblzma-dev:arm64 libzstd-dev:arm64 pkgconf:arm64"
fi
# The completions' tests load them in each shell; the package test builds and
# lints the .deb (devscripts brings hardening-check).
pkgs="$pkgs zsh fish bash-completion dpkg-dev debhelper lintian devscripts"

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
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
