#!/usr/bin/env python3
"""mkseeds_pvh.py - seeds for fuzz_pvh_entry: guest memory images.

Writes corpus/fuzz_pvh_entry/*.bin. Each image is mapped by the fuzzer at
0, 0xE0000 and 0x100000; its first bytes are also the entry state (EBX at
offset 0). Layouts after what VMMs hand over (docs/probe-guest.md, FACTS.md
section 6): Firecracker's start_info at 0x6000 with a module list and a
memory map at 0x7000; QEMU pc's at 0x21e0 with a revision-0 RSDP found in
the BIOS area; a Xen-dom0-like version 0 with a revision-2 RSDP and an XSDT
whose signature is wrong."""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "fuzz_pvh_entry")


def fix(b, start, n, at):
    b[at] = 0
    b[at] = (-sum(b[start:start + n])) & 0xFF


def header(b, at, sig, length, oem=b"PVHFZZ"):
    b[at:at + 36] = struct.pack("<4sIBB6s8sI4sI", sig, length, 2, 0, oem, b"FUZZTBL ", 1, b"FZZC", 1)


def seal(b, at):
    n = struct.unpack_from("<I", b, at + 4)[0]
    fix(b, at, n, at + 9)


AML = bytes([0x08, 0x5C]) + b"_S5_" + bytes([0x12, 0x06, 0x04, 0x0A, 0x05, 0x00, 0x00, 0x00])


def acpi(b, rsdp, root, fadt, dsdt, rev=2, root_sig=b"XSDT", hv=b"FIRECKVM"):
    b[rsdp:rsdp + 8] = b"RSD PTR "
    b[rsdp + 9:rsdp + 15] = b"PVHFZZ"
    b[rsdp + 15] = rev
    if rev >= 2:
        struct.pack_into("<IIQ", b, rsdp + 16, 0, 36, root)
        fix(b, rsdp, 20, rsdp + 8)
        fix(b, rsdp, 36, rsdp + 32)
        header(b, root, root_sig, 36 + 8)
        struct.pack_into("<Q", b, root + 36, fadt)
    else:
        struct.pack_into("<I", b, rsdp + 16, root)
        fix(b, rsdp, 20, rsdp + 8)
        header(b, root, b"RSDT", 36 + 4)
        struct.pack_into("<I", b, root + 36, fadt)
    seal(b, root)
    header(b, fadt, b"FACP", 276)
    struct.pack_into("<I", b, fadt + 40, dsdt)
    struct.pack_into("<I", b, fadt + 64, 0x604)
    b[fadt + 268:fadt + 276] = hv
    seal(b, fadt)
    header(b, dsdt, b"DSDT", 36 + len(AML))
    b[dsdt + 36:dsdt + 36 + len(AML)] = AML
    seal(b, dsdt)


def memmap(b, at, entries):
    for i, (addr, size, typ) in enumerate(entries):
        struct.pack_into("<QQII", b, at + 24 * i, addr, size, typ, 0)


def firecracker():
    b = bytearray(0x10000)
    struct.pack_into("<I", b, 0, 0x6000)
    struct.pack_into("<IIIIQQQQII", b, 0x6000, 0x336EC578, 1, 0, 1, 0x6040, 0x8000, 0x9000, 0x7000, 3, 0)
    struct.pack_into("<QQQQ", b, 0x6040, 0x100000, 0x1000, 0x8100, 0)
    b[0x8000:0x8020] = b"console=ttyS0 reboot=k panic=1\0"
    b[0x8100:0x8108] = b"initrd\0\0"
    memmap(b, 0x7000, [(0, 0x9FC00, 1), (0x9FC00, 0x400, 2), (0x100000, 0x7FF00000, 1)])
    acpi(b, 0x9000, 0x9100, 0x9200, 0x9400)
    return b


def qemu_pc():
    b = bytearray(0x20000)
    struct.pack_into("<I", b, 0, 0x21E0)
    struct.pack_into("<H", b, 0x40E, 0x9FC0)
    struct.pack_into("<IIIIQQQQII", b, 0x21E0, 0x336EC578, 1, 0, 0, 0, 0x11C0, 0, 0x5A8, 4, 0)
    memmap(b, 0x5A8, [(0, 0x9FC00, 1), (0x9FC00, 0x400, 2), (0xF0000, 0x10000, 2), (0x100000, 0xFEE0000, 1)])
    # RSDP in the BIOS area: image offset 0x15A40 is 0xF5A40 in the 0xE0000 mapping
    acpi(b, 0x15A40, 0xA000, 0xA100, 0xA300, rev=0)
    return b


def xen_dom0():
    b = bytearray(0x10000)
    struct.pack_into("<I", b, 0, 0x3004)
    struct.pack_into("<IIIIQQQ", b, 0x3004, 0x336EC578, 0, 3, 0, 0, 0x3000, 0x4000)
    acpi(b, 0x4000, 0x4030, 0x4100, 0x4300, root_sig=b"S\xff\x00\xf0", hv=b"\0" * 8)
    return b


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, img in (("firecracker-like", firecracker()), ("qemu-pc-like", qemu_pc()), ("xen-dom0-like", xen_dom0())):
        with open(os.path.join(OUT, name + ".bin"), "wb") as f:
            f.write(bytes(img))
        print("  " + os.path.join("corpus", "fuzz_pvh_entry", name + ".bin"))


if __name__ == "__main__":
    main()
