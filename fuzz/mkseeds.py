#!/usr/bin/env python3
"""mkseeds.py - writes the hand-made seeds of fuzz/corpus (run from fuzz/).

corpus/fuzz_leaves/: the first CPU of every ../tests/data/*.cpuid as
fuzz_leaves records (raw leaf, 8-bit subleaf), plus hand-built hostile
tables that use the record's signature-table and relative-EAX shortcuts.
corpus/fuzz_dump_text/: small hand-written cpuid -r and AIDA64 variants.
corpus/fuzz_kimage/: bzImages
whose payload is kernel-pvh64.elf compressed with xz, legacy lzma and zstd
and a bare note stream (built with ../tests/data/make-kernel-images.py's
own helpers; zstd through the zstd command when it is installed).
The test fixtures themselves (../tests/data/*.cpuid, kernel-*, *.json) are
kept once, in tests/data: run.sh hands them to the fuzzers as a second seed
directory (build/seeds/NAME), so they are not copied here.
The JSON report seeds come from `make seeds` (pvhprobe -j on the dumps).
The record layout is documented in fuzz_leaves.c."""
import glob
import importlib.util
import lzma
import os
import re
import shutil
import struct
import subprocess

OUT_L = "corpus/fuzz_leaves"
OUT_T = "corpus/fuzz_dump_text"

# Row indexes of src/sigtab.c (enum hv_vendor order).
XEN, KVM, HYPERV, KVM_HYPERV, VMWARE, VBOX, TCG, BHYVE = range(8)


def raw(leaf, sub, eax, ebx, ecx, edx):
    """Kind 3 (leaf as it is), subleaf mode 1 (8-bit)."""
    return struct.pack("<I4BIIII", leaf, 0x31, 0, 0, sub & 0xff, eax, ebx, ecx, edx)


def hv(base, off, eax=0, ebx=0, ecx=0, edx=0, sig=None, rel=None):
    """Kind 0: hypervisor leaf base*0x100+off; sig: signature row; rel: EAX = leaf+rel."""
    f0 = 0x00 | (8 if sig is not None else 0) | (4 if rel is not None else 0)
    return struct.pack("<4B4BIIII", 0, base, off, 0, f0, (rel or 0) & 0xff, sig or 0, 0,
                       eax, ebx, ecx, edx)


def intel(hvbit=True):
    return (raw(0, 0, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69) +
            raw(1, 0, 0x000306f2, 0x00010800, 0x7ffa3203 | (0x80000000 if hvbit else 0), 0x178bfbff) +
            raw(0xd, 0, 7, 0x340, 0x340, 0))


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def parse_cpuid_r(path):
    recs = []
    for line in open(path, errors="replace"):
        if re.match(r"\s*CPU\s*\d*:", line) and recs:
            break  # first CPU only
        m = re.match(r"\s*0x([0-9a-f]+) 0x([0-9a-f]+): eax=0x([0-9a-f]+) ebx=0x([0-9a-f]+) ecx=0x([0-9a-f]+) edx=0x([0-9a-f]+)", line)
        if m:
            recs.append([int(x, 16) for x in m.groups()])
    return recs


def main():
    os.makedirs(OUT_L, exist_ok=True)
    os.makedirs(OUT_T, exist_ok=True)
    for p in sorted(glob.glob("../tests/data/*.cpuid")):
        name = os.path.basename(p)[:-len(".cpuid")]
        recs = parse_cpuid_r(p)
        if recs:
            write(os.path.join(OUT_L, name + ".bin"), b"".join(raw(*r) for r in recs))

    seeds = {
        # Hyper-V (Viridian) at 0x40000000 hiding Xen at 0x40000100.
        "viridian-xen": intel() + hv(0, 0, sig=HYPERV, rel=6) + hv(0, 3, eax=0x2e7f) +
        hv(1, 0, sig=XEN, rel=5) + hv(1, 2, eax=1, ebx=0x40000000),
        # Xen with EAX = base+1 (Linux skips it) and EAX below the base (wraps).
        "xen-eax-plus1": intel() + hv(0, 0, sig=XEN, rel=1),
        "xen-eax-below": intel() + hv(0, 0, sig=XEN, rel=-1) + hv(0, 2, eax=1),
        # Old KVM: EAX 0.
        "old-kvm": intel() + hv(0, 0, sig=KVM) + hv(0, 1, eax=0x7fb),
        # KVM with QEMU's timing leaf at base+0x10.
        "kvm-timing": intel() + hv(0, 0, sig=KVM, rel=0x10) + hv(0, 1, eax=0x1007efb) +
        hv(0, 0x10, eax=2000000, ebx=1000000),
        # VMware, Hyper-V root, bhyve, VirtualBox.
        "vmware": intel() + hv(0, 0, sig=VMWARE, rel=0x10) + hv(0, 0x10, eax=3000000),
        "hyperv-root": intel() + hv(0, 0, sig=HYPERV, rel=0xc) + hv(0, 3, eax=0x2e7f, ebx=1) +
        hv(0, 0xc, eax=1, ebx=2),
        "bhyve-repeat": intel() + hv(0, 0, sig=BHYVE, rel=1) + hv(0, 1, eax=1) + hv(1, 0, sig=BHYVE, rel=-0xff),
        # Hostile bytes in a signature, hypervisor bit clear.
        "hostile": intel(False) + hv(0, 0, eax=0x40000001, ebx=0x4a325b1b, ecx=0x0a5c2722, edx=0x002480ff),
        # Four decoded ranges layered: Hyper-V, Xen, KVM with its timing leaf, VMware.
        "four-ranges": intel() + hv(0, 0, sig=HYPERV, rel=0xc) + hv(0, 3, eax=0x2e7f) +
        hv(1, 0, sig=XEN, rel=5) + hv(1, 2, eax=1) + hv(2, 0, sig=KVM, rel=0x10) + hv(2, 0x10, eax=1000) +
        hv(3, 0, sig=VMWARE, rel=0x10) + hv(3, 0x10, eax=2000),
        # Xen at the last base, KVM Hyper-V emulation first.
        "xen-last": intel() + hv(0, 0, sig=KVM_HYPERV, rel=5) + hv(255, 0, sig=XEN, rel=3) + hv(255, 2, eax=1),
    }
    for name, data in seeds.items():
        write(os.path.join(OUT_L, name + ".bin"), data)

    text = {
        "aida64-hyperv.txt":
            "------[ CPUID Registers / Logical CPU #0 ]------\n\nallcpu: Package 0: Valid\n\n"
            "CPUID 00000000: 0000001B-756E6547-6C65746E-49656E69 [GenuineIntel]\n"
            "CPUID 00000001: 000606C1-00200800-FFFAF387-BFEBFBFF\n"
            "CPUID 00000004: 3C004121-02C0003F-0000003F-00000000 [SL 00] [L1D: 48 KB]\n"
            "CPUID 00000004: 3C004122-01C0003F-0000003F-00000000 [SL 01] [L1I: 32 KB]\n"
            "CPUID 00000007: 00000000-F3BFBFB9-00415F46-BC000410\n"
            "CPUID 00000007: 00000001-00000000-00000000-00000000\n"
            "CPUID 40000000: 4000000C-7263694D-666F736F-76482074 [Microsoft Hv]\n"
            "CPUID 40000003: 00002E7F-00000001-00000000-00000000\n"
            "CPUID 4000000C: 00000001-00000002-00000000-00000000\n"
            "CPUID 80000000: 80000008-00000000-00000000-00000000\n"
            "CPUID 80000002: 65746E49-2952286C-6F655820-2952286E\n"
            "\n------[ CPUID Registers / Logical CPU #1 ]------\n\n"
            "CPUID 00000000: 0000001B-756E6547-6C65746E-49656E69\n",
        "aida64-xen-crlf.txt":
            "------[ Logical CPU #3 ]------\r\n"
            "CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69\r\n"
            "CPUID 00000001: 000306F2-00010800-FFFA3203-178BFBFF\r\n"
            "CPUID 40000000: 40000005-566E6558-65584D4D-4D4D566E [XenVMMXenVMM]\r\n"
            "CPUID 40000002: 00000001-40000000-00000000-00000000\r\n",
        "cpuid-r-old-form.cpuid":
            "CPU:\n   0x00000000: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n"
            "   0x00000001: eax=0x000306f2 ebx=0x00010800 ecx=0xfffa3203 edx=0x178bfbff\n"
            "   0x40000000: eax=0x40000001 ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d\n",
        "cpuid-r-dup-leaf.cpuid":
            "# duplicated leaves: the first value is kept, with a note\nCPU 7:\n"
            "   0x40000000 0x00: eax=0x40000005 ebx=0x566e6558 ecx=0x65584d4d edx=0x4d4d566e\n"
            "   0x40000000 0x00: eax=0x40000001 ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d\n"
            "\t0x40000002 0x0: eax=0x1 ebx=0x40000000 ecx=0x0 edx=0x0\r\n",
        "cpuid-r-viridian-xen.cpuid":
            "CPU 0:\n"
            "   0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n"
            "   0x00000001 0x00: eax=0x000306f2 ebx=0x00010800 ecx=0xfffa3203 edx=0x178bfbff\n"
            "   0x40000000 0x00: eax=0x40000006 ebx=0x7263694d ecx=0x666f736f edx=0x76482074\n"
            "   0x40000003 0x00: eax=0x00002e7f ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
            "   0x40000100 0x00: eax=0x40000105 ebx=0x566e6558 ecx=0x65584d4d edx=0x4d4d566e\n"
            "   0x40000102 0x00: eax=0x00000001 ebx=0x40000200 ecx=0x00000000 edx=0x00000000\n"
            "CPU 1:\n"
            "   0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n",
    }
    for name, data in text.items():
        write(os.path.join(OUT_T, name), data.encode())

    # Small JSON reports: only what report_parse() reads.
    def leaf(l, s, a, b, c, d, rec=None):
        r = '{"leaf":%d,"subleaf":%d,"eax":%d,"ebx":%d,"ecx":%d,"edx":%d' % (l, s, a, b, c, d)
        return r + (',"recorded":%s}' % rec if rec else "}")
    basic = [leaf(0, 0, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69), leaf(1, 0, 0x306f2, 0x10800, 0xfffa3203, 0x178bfbff)]
    js = {
        "mini-xen.json": '{"schema":"pvhprobe/1","source":{"cpu":3},"leaves":[%s]}' % ",".join(
            basic + [leaf(0x40000000, 0, 0x40000005, 0x566e6558, 0x65584d4d, 0x4d4d566e),
                     leaf(0x40000002, 0, 1, 0x40000000, 0, 0)]),
        "mini-notes.json": '{"schema":"pvhprobe/1","leaves":[%s],"findings":[%s]}' % (
            ",".join(basic + [leaf(0x40000100, 0, 0, 0x4b4d564b, 0x564b4d56, 0x4d, "true"),
                              leaf(0x40000000, 0, 0, 0, 0, 0, "false")]),
            ",".join(['{"id":"dump_note","severity":"warning","text":"x.cpuid:3: leaf given again"}',
                      '{"id":"other","text":"ignored"}'])),
        # More notes than DUMP_NOTES_MAX, texts near TEXT_NOTE_MAX.
        "mini-many-notes.json": '{"schema":"pvhprobe/1","leaves":[%s],"findings":[%s]}' % (
            ",".join(basic), ",".join(
                '{"id":"dump_note","severity":"warning","text":"dump.cpuid:%d: leaf 0x4000%02x00 subleaf 0 given '
                'again for CPU 0; the first value is used %s"}' % (i, i, "." * (150 + 9 * i)) for i in range(10))),
        "mini-hostile.json": '{"schema":"pvhprobe/1","leaves":[%s]}' % ",".join(
            basic + [leaf(0x40000000, 0, 0x40000001, 0x4a325b1b, 0x0a5c2722, 0x002480ff)]),
    }
    for name, data in js.items():
        write(os.path.join("corpus/fuzz_report_json", name), data.encode())

    kimage_seeds()


def kimage_seeds():
    out = "corpus/fuzz_kimage"
    os.makedirs(out, exist_ok=True)
    spec = importlib.util.spec_from_file_location("mki", "../tests/data/make-kernel-images.py")
    mki = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mki)
    with open("../tests/data/kernel-pvh64.elf", "rb") as f:
        elf = f.read()
    write(os.path.join(out, "bz-xz.bzimage"),
          mki.bzimage(lzma.compress(elf, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC32)))
    write(os.path.join(out, "bz-lzma.bzimage"), mki.bzimage(lzma.compress(elf, format=lzma.FORMAT_ALONE)))
    # A bare note stream, as /sys/kernel/notes shows a running kernel's.
    write(os.path.join(out, "notes-stream.bin"),
          mki.note(b"Xen", 18, mki.u32(0x1000000)) + mki.note(b"GNU", 3, mki.build_id(5)) +
          mki.note(b"Linux", 0x100, b"6.1.0\0"))
    if shutil.which("zstd"):
        z = subprocess.run(["zstd", "-q", "-c", "-19"], input=elf, stdout=subprocess.PIPE, check=True).stdout
        write(os.path.join(out, "bz-zstd.bzimage"), mki.bzimage(z))


if __name__ == "__main__":
    main()
