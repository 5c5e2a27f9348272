# debcache.sh - Debian packages for the guest tests (tests/vm/run.sh,
# tests/xen/run.sh): install what is missing on this machine, and fetch
# packages into a cache with `apt-get download` and unpack them there
# (nothing installed). Source it; the caller defines
#
#   die MESSAGE   fail loudly (never a skip)
#   note TEXT     print "# TEXT"
#   TMP           a scratch directory
#   PYTHON        python3
# shellcheck disable=SC2034 # KVER, KHOW: set for the caller
#
# and gets
#
#   CACHE                  the cache the guest tests share (.debs in
#                          $CACHE/debs): PVHPROBE_VM_CACHE, else
#                          /var/cache/pvhprobe-vm as root and
#                          ~/.cache/pvhprobe-vm otherwise
#   installed PKG, apt_update
#   need_packages PKG...   apt-get install those missing (as root), or die
#   candidate PKG          the version apt would fetch
#   fetch PKG              FETCHED (the .deb in the cache), FETCHED_VERSION
#   unpack DEB DIR [MEMBER...]
#   debian_kernel          KPKG KVER KDEB KDIR VMLINUZ VMLINUX KHOW: the
#                          kernel package linux-image-amd64 depends on today
#                          (or the bzImage PVHPROBE_VM_KERNEL), and the ELF
#                          vmlinux extracted from it

if [ "$(id -u)" = 0 ]; then
	CACHE=${PVHPROBE_VM_CACHE:-/var/cache/pvhprobe-vm}
else
	CACHE=${PVHPROBE_VM_CACHE:-${HOME:-/tmp}/.cache/pvhprobe-vm}
fi

installed() { # installed PKG
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}
APT_UPDATED=0
apt_update() {
	[ "$APT_UPDATED" = 1 ] && return 0
	note "apt-get update"
	DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$TMP/apt-update.log" 2>&1 ||
		{
			sed 's/^/#   /' "$TMP/apt-update.log"
			die "apt-get update failed"
		}
	APT_UPDATED=1
}

# need_packages PKG...: install with apt those of PKG... that are missing.
need_packages() {
	command -v dpkg-query >/dev/null 2>&1 || die "not a Debian system (no dpkg-query): cannot fetch QEMU and the kernel"
	missing=
	for p in "$@"; do
		installed "$p" || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		[ "$(id -u)" = 0 ] || die "packages missing and installing them needs root:$missing"
		apt_update
		note "apt-get install$missing"
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing \
			>"$TMP/apt-install.log" 2>&1 ||
			{
				sed 's/^/#   /' "$TMP/apt-install.log" | tail -n 20
				die "apt-get install$missing failed"
			}
	fi
}

# candidate PKG: the version apt would fetch (empty when unknown).
candidate() {
	apt-cache show --no-all-versions "$1" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1
}
# fetch PKG: sets FETCHED to the path of PKG's .deb in the cache, downloaded
# when absent, and FETCHED_VERSION to its version.
fetch() {
	mkdir -p "$CACHE/debs" || die "cannot create the cache $CACHE"
	_ver=$(candidate "$1")
	if [ -z "$_ver" ]; then
		apt_update
		_ver=$(candidate "$1")
	fi
	[ -n "$_ver" ] || die "apt knows no package $1"
	_deb=$CACHE/debs/$1_$(printf '%s' "$_ver" | sed 's/:/%3a/g')_amd64.deb
	if [ ! -s "$_deb" ]; then
		note "apt-get download $1=$_ver"
		# apt-get download as root warns that _apt cannot write there; the
		# download is done all the same.
		(cd "$CACHE/debs" && apt-get download -q "$1=$_ver") >"$TMP/download.log" 2>&1 ||
			{
				sed 's/^/#   /' "$TMP/download.log"
				die "apt-get download $1=$_ver failed"
			}
		[ -s "$_deb" ] || die "apt-get download $1=$_ver did not leave $_deb"
	fi
	FETCHED=$_deb
	FETCHED_VERSION=$_ver
}
# unpack DEB DIR [MEMBER...]: dpkg -x DEB into DIR, once; with MEMBERs (tar
# patterns), only those, through the same tar stream dpkg -x unpacks (the
# kernel package's modules are 400 MB the guests do not need).
unpack() {
	_deb=$1 _dir=$2
	shift 2
	if [ ! -f "$_dir/.unpacked" ]; then
		rm -rf "$_dir"
		mkdir -p "$_dir"
		if [ $# -eq 0 ]; then
			dpkg -x "$_deb" "$_dir" || die "dpkg -x $_deb failed"
		else
			dpkg-deb --fsys-tarfile "$_deb" | tar -x -C "$_dir" --wildcards "$@" ||
				die "unpacking $* from $_deb failed"
		fi
		: >"$_dir/.unpacked"
	fi
}

# debian_kernel: the kernel, see above.
debian_kernel() {
	if [ -n "${PVHPROBE_VM_KERNEL:-}" ]; then
		[ -f "$PVHPROBE_VM_KERNEL" ] || die "PVHPROBE_VM_KERNEL=$PVHPROBE_VM_KERNEL: no such file"
		KPKG="(PVHPROBE_VM_KERNEL)"
		KVER=
		KDIR=$CACHE/local-$(sha256sum "$PVHPROBE_VM_KERNEL" | cut -c1-16)
		mkdir -p "$KDIR"
		cp "$PVHPROBE_VM_KERNEL" "$KDIR/vmlinuz"
		VMLINUZ=$KDIR/vmlinuz
	else
		# The package name changes with the kernel ABI: ask linux-image-amd64.
		KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[^ ]*-amd64\)$/\1/p' | head -n 1)
		if [ -z "$KPKG" ]; then
			apt_update
			KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[^ ]*-amd64\)$/\1/p' | head -n 1)
		fi
		[ -n "$KPKG" ] || die "cannot resolve the kernel package: linux-image-amd64 depends on no linux-image-*-amd64"
		fetch "$KPKG"
		KDEB=$FETCHED
		KVER=$FETCHED_VERSION
		KDIR=$CACHE/$(basename "$KDEB" .deb)
		unpack "$KDEB" "$KDIR/root" './boot/vmlinuz-*'
		VMLINUZ=$(find "$KDIR/root/boot" -name 'vmlinuz-*' -type f 2>/dev/null | head -n 1)
		[ -n "$VMLINUZ" ] || die "$KPKG has no /boot/vmlinuz-*"
	fi

	# The ELF vmlinux inside the bzImage: try every offset where a compressor's
	# magic appears, keep the first that decompresses to an ELF file (the logic
	# of the kernel's scripts/extract-vmlinux).
	VMLINUX=$KDIR/vmlinux
	if [ ! -s "$VMLINUX" ]; then
		note "extracting the ELF vmlinux from $(basename "$VMLINUZ")"
		"$PYTHON" - "$VMLINUZ" >"$TMP/magics" <<'EOF' || die "cannot read $VMLINUZ"
import sys
data = open(sys.argv[1], "rb").read()
found = []
for name, magic in (("xz", b"\xfd7zXZ\x00"), ("zstd", b"\x28\xb5\x2f\xfd"), ("gzip", b"\x1f\x8b\x08")):
    i = data.find(magic)
    while i >= 0:
        found.append((i, name))
        i = data.find(magic, i + 1)
for off, name in sorted(found):
    print(off, name)
EOF
		ok=0
		while read -r off comp; do
			case $comp in
			xz) dec="xz -dcq --single-stream" ;;
			zstd) dec="zstd -dcq" ;;
			gzip) dec="gzip -dcq" ;;
			esac
			# A compressor stops with an error at the data after its stream;
			# what it wrote by then is the image.
			tail -c +"$((off + 1))" "$VMLINUZ" | $dec >"$TMP/vmlinux" 2>/dev/null
			if [ "$(head -c 4 "$TMP/vmlinux" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]; then
				ok=1
				echo "$comp payload at offset $off" >"$KDIR/vmlinux.how"
				break
			fi
		done <"$TMP/magics"
		[ "$ok" = 1 ] || die "no xz, zstd or gzip payload in $VMLINUZ decompresses to an ELF vmlinux"
		mv "$TMP/vmlinux" "$VMLINUX"
	fi
	KHOW=$(cat "$KDIR/vmlinux.how" 2>/dev/null)
}
