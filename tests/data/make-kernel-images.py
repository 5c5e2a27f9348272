#!/usr/bin/python3
"""make-kernel-images.py - the small kernel images of the `pvhprobe kernel` tests.

    /usr/bin/python3 tests/data/make-kernel-images.py [DIR]   (default: beside this script)

Writes tests/data/kernel-* deterministically (run it again: no diff). None is
a real kernel: each is the few headers and ELF notes pvhprobe reads, laid out
as the real ones are (Linux arch/x86/platform/pvh/head.S and
arch/x86/xen/xen-head.S emit the Xen notes into .notes, one PT_NOTE segment,
4-byte aligned; note types from xen/include/public/elfnote.h; the bzImage
header from Linux Documentation/arch/x86/boot.rst).

  kernel-pvh64.elf      ELF64 x86_64 Linux-like: Xen notes with PHYS32_ENTRY
                        (8 bytes) and PHYS32_RELOC, Linux and GNU notes; one
                        PT_NOTE segment and a .notes SHT_NOTE section over the
                        same bytes (each note is listed once)
  kernel-nopvh64.elf    ELF64 x86_64 with Linux and GNU notes, no Xen note
  kernel-pvh32.elf      ELF32 i386 with PHYS32_ENTRY (4 bytes), PT_NOTE only
  kernel-freebsd.elf    ELF64 x86_64 FreeBSD-like: FreeBSD ABI note and Xen
                        notes in SHT_NOTE sections only (no program headers)
  kernel-hostile.elf    ELF64 whose note strings and a note name hold control
                        bytes and terminal escapes
  kernel-bz-gzip.bzimage  bzImage, boot protocol 2.15, gzip payload
  kernel-bz-elf.bzimage   bzImage whose payload is an uncompressed ELF
                        (CONFIG_KERNEL_UNCOMPRESSED): kernel-pvh64.elf
  kernel-truncated.elf  kernel-pvh64.elf cut short: its section header table
                        runs past the end
  kernel-bad-note.elf   ELF64 whose note claims a 4 GiB descriptor
  kernel-bigendian.elf  an ELF64 header with ELFDATA2MSB
  kernel-text.txt       not a kernel image at all
  kernel-notes.bin      a bare note stream as /sys/kernel/notes shows it (kernel/
                        ksysfs.c: the running kernel's .notes), from a Linux
                        6.1 guest with PHYS32_RELOC: GNU build-id, Linux
                        LTO_INFO and BUILD_SALT, Xen PHYS32_RELOC, PHYS32_ENTRY
"""

import os
import struct
import sys
import zlib

# <elf.h>
ET_EXEC, EM_386, EM_X86_64 = 2, 3, 62
PT_LOAD, PT_NOTE = 1, 4
SHT_STRTAB, SHT_NOTE = 3, 7
# xen/include/public/elfnote.h
XEN_ENTRY, XEN_VIRT_BASE, XEN_XEN_VERSION, XEN_GUEST_OS = 1, 3, 5, 6
XEN_FEATURES, XEN_PHYS32_ENTRY, XEN_PHYS32_RELOC = 10, 18, 19
# include/linux/build-salt.h; <elf.h>; FreeBSD sys/sys/elf_common.h
LINUX_BUILD_SALT, NT_GNU_BUILD_ID, NT_FREEBSD_ABI_TAG = 0x100, 3, 1


def pad(b, a=4):
    return b + b"\0" * (-len(b) % a)


def note(name, ntype, desc, align=4):
    """One note: name is bytes without the NUL (added, as the gABI says)."""
    n = name + b"\0"
    return struct.pack("<III", len(n), len(desc), ntype) + pad(n, align) + pad(desc, align)


def u32(v):
    return struct.pack("<I", v)


def u64(v):
    return struct.pack("<Q", v)


def elf(cls, machine, entry, notes, phdr=True, shdr=True, base=0x1000000, notes2=None):
    """An ELF image: header, program headers (a PT_LOAD of the whole file at
    physical address base, readable and executable, 16 KiB in memory so that
    it holds the PVH entry as a kernel's text does, and a PT_NOTE; with
    notes2 a second PT_NOTE after the first), the notes, a .shstrtab, and
    section headers (null, .notes, .shstrtab)."""
    is64 = cls == 64
    ehsize, phsize, shsize = (64, 56, 64) if is64 else (52, 32, 40)
    nph = (3 if notes2 else 2) if phdr else 0
    phoff = ehsize if phdr else 0
    notes_off = 0x100
    blob1 = b"".join(notes)
    blob2 = b"".join(notes2 or [])
    blob = blob1 + blob2
    strtab = b"\0.notes\0.shstrtab\0"
    str_off = notes_off + len(pad(blob, 8))
    sh_off = str_off + len(pad(strtab, 8))
    nsh = 3 if shdr else 0
    total = sh_off + nsh * shsize

    def ph(ptype, off, size, align, flags=4, memsz=None):
        memsz = size if memsz is None else memsz
        if is64:
            return struct.pack("<IIQQQQQQ", ptype, flags, off, base + off, base + off, size, memsz, align)
        return struct.pack("<IIIIIIII", ptype, off, base + off, base + off, size, memsz, flags, align)

    def sh(name, stype, off, size, align):
        if is64:
            return struct.pack("<IIQQQQIIQQ", name, stype, 2 if stype == SHT_NOTE else 0, 0, off, size, 0, 0, align, 0)
        return struct.pack("<IIIIIIIIII", name, stype, 2 if stype == SHT_NOTE else 0, 0, off, size, 0, 0, align, 0)

    ident = b"\x7fELF" + bytes([2 if is64 else 1, 1, 1, 0]) + b"\0" * 8
    if is64:
        eh = ident + struct.pack("<HHIQQQIHHHHHH", ET_EXEC, machine, 1, entry, phoff, sh_off if shdr else 0, 0,
                                 ehsize, phsize, nph, shsize, nsh, 2 if shdr else 0)
    else:
        eh = ident + struct.pack("<HHIIIIIHHHHHH", ET_EXEC, machine, 1, entry, phoff, sh_off if shdr else 0, 0,
                                 ehsize, phsize, nph, shsize, nsh, 2 if shdr else 0)
    out = bytearray(total)
    out[0:len(eh)] = eh
    if phdr:
        out[phoff:phoff + phsize] = ph(PT_LOAD, 0, total, 0x200000, flags=5, memsz=max(total, 0x4000))
        out[phoff + phsize:phoff + 2 * phsize] = ph(PT_NOTE, notes_off, len(blob1), 4)
        if notes2:
            out[phoff + 2 * phsize:phoff + 3 * phsize] = ph(PT_NOTE, notes_off + len(blob1), len(blob2), 4)
    out[notes_off:notes_off + len(blob)] = blob
    out[str_off:str_off + len(strtab)] = strtab
    if shdr:
        out[sh_off + shsize:sh_off + 2 * shsize] = sh(1, SHT_NOTE, notes_off, len(blob), 4)
        out[sh_off + 2 * shsize:sh_off + 3 * shsize] = sh(8, SHT_STRTAB, str_off, len(strtab), 1)
    return bytes(out)


def bzimage(payload, version=0x020F, xloadflags=0x7F, kver=b"6.1.0-test (pvhprobe test data) #1 SMP"):
    """A bzImage: boot sector, one setup sector holding the header and the
    kernel_version string, then the protected-mode part with the payload
    16 bytes in."""
    setup_sects = 1
    pm = (setup_sects + 1) * 512
    payload_offset = 0x10
    out = bytearray(pm + payload_offset + len(payload) + 0x20)
    out[0x1F1] = setup_sects
    out[0x1FE:0x200] = b"\x55\xaa"
    out[0x202:0x206] = b"HdrS"
    out[0x206:0x208] = struct.pack("<H", version)
    out[0x20E:0x210] = struct.pack("<H", 0x300 - 0x200)  # kernel_version: string at +0x200
    out[0x211] = 0x01  # LOADED_HIGH
    out[0x236:0x238] = struct.pack("<H", xloadflags)
    out[0x248:0x24C] = struct.pack("<I", payload_offset)
    out[0x24C:0x250] = struct.pack("<I", len(payload))
    out[0x300:0x300 + len(kver) + 1] = kver + b"\0"
    out[pm + payload_offset:pm + payload_offset + len(payload)] = payload
    return bytes(out)


def gzip_stored(data):
    """A gzip member (RFC 1952) holding one stored deflate block (RFC 1951):
    valid gzip, the same bytes with any zlib."""
    assert len(data) < 65536
    return (b"\x1f\x8b\x08\x00\0\0\0\0\x00\xff" + b"\x01" + struct.pack("<HH", len(data), len(data) ^ 0xFFFF) + data
            + struct.pack("<II", zlib.crc32(data), len(data)))


def build_id(seed):
    return bytes((seed * 37 + i * 11) & 0xFF for i in range(20))


def main(argv):
    d = argv[1] if len(argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    files = {}

    linux_notes = [
        note(b"Xen", XEN_GUEST_OS, b"linux\0"),
        note(b"Xen", XEN_XEN_VERSION, b"xen-3.0\0"),
        note(b"Xen", XEN_VIRT_BASE, u64(0xFFFFFFFF80000000)),
        note(b"Xen", XEN_ENTRY, u64(0xFFFFFFFF830791C0)),
        note(b"Xen", XEN_FEATURES, b"!writable_page_tables|pae_pgdir_above_4gb"),  # .ascii, no NUL
        note(b"GNU", NT_GNU_BUILD_ID, build_id(1)),
        note(b"Linux", LINUX_BUILD_SALT, b"6.1.0-test\0"),
        note(b"Xen", XEN_PHYS32_RELOC, u32(0x200000) + u32(0x1000000) + u32(0xFFFFFFFF)),
        note(b"Xen", XEN_PHYS32_ENTRY, u64(0x1000850)),
    ]
    pvh64 = elf(64, EM_X86_64, 0x1000000, linux_notes)
    files["kernel-pvh64.elf"] = pvh64
    files["kernel-nopvh64.elf"] = elf(64, EM_X86_64, 0x1000000, [
        note(b"GNU", NT_GNU_BUILD_ID, build_id(2)),
        note(b"Linux", LINUX_BUILD_SALT, b"6.1.0-nopvh\0"),
    ])
    files["kernel-pvh32.elf"] = elf(32, EM_386, 0xC1000000, [
        note(b"Xen", XEN_GUEST_OS, b"linux\0"),
        note(b"Xen", XEN_VIRT_BASE, u32(0xC0000000)),
        note(b"Xen", XEN_PHYS32_ENTRY, u32(0x1000a00)),
    ], shdr=False)
    files["kernel-freebsd.elf"] = elf(64, EM_X86_64, 0xFFFFFFFF80300000, [
        note(b"FreeBSD", NT_FREEBSD_ABI_TAG, u32(1500000)),
        note(b"Xen", XEN_GUEST_OS, b"FreeBSD\0"),
        note(b"Xen", XEN_XEN_VERSION, b"xen-3.0\0"),
        note(b"Xen", XEN_PHYS32_ENTRY, u32(0x2c3000)),
    ], phdr=False)
    files["kernel-hostile.elf"] = elf(64, EM_X86_64, 0x1000000, [
        note(b"Xen", XEN_GUEST_OS, b"lin\x1b[2J\x1b]0;owned\x07ux\n'$(id)\"\\\xff\0"),
        note(b"X\x1b[31m\x07", 7, b"\x1b[5m"),
        note(b"Xen", XEN_PHYS32_ENTRY, u32(0x1000000)),
    ])
    files["kernel-bz-gzip.bzimage"] = bzimage(gzip_stored(b"not really a vmlinux\n" * 8))
    files["kernel-bz-elf.bzimage"] = bzimage(pvh64)
    # Cut inside the section header table (the last bytes of the file).
    files["kernel-truncated.elf"] = pvh64[:len(pvh64) - 70]
    files["kernel-bad-note.elf"] = elf(64, EM_X86_64, 0x1000000, [
        struct.pack("<III", 4, 0xFFFFFFF0, XEN_PHYS32_ENTRY) + b"Xen\0" + u64(0x1000000),
    ])
    be = bytearray(elf(64, EM_X86_64, 0x1000000, [note(b"Xen", XEN_PHYS32_ENTRY, u64(0x1000000))]))
    be[5] = 2  # EI_DATA = ELFDATA2MSB
    files["kernel-bigendian.elf"] = bytes(be)
    files["kernel-text.txt"] = b"This is not a kernel image.\n"
    # Linked at 1 MiB with its ELF headers in a load segment at 0xff000:
    # Xen's PVH dom0 builder refused such an image ("Failed to load kernel:
    # -1", seen with Debian's Xen 4.17); at 2 MiB it booted.
    files["kernel-low-segment.elf"] = elf(64, EM_X86_64, 0x100100, [
        note(b"Xen", XEN_PHYS32_ENTRY, u32(0x100100)),
    ], base=0xff000)
    # The PVH note in the first of two PT_NOTE segments: rust-vmm's
    # linux-loader keeps the last segment's answer and finds no PVH entry.
    files["kernel-notes-split.elf"] = elf(64, EM_X86_64, 0x1000000, [
        note(b"Xen", XEN_PHYS32_ENTRY, u32(0x1000200)),
    ], notes2=[note(b"GNU", NT_GNU_BUILD_ID, build_id(4))])
    files["kernel-notes.bin"] = b"".join([
        note(b"GNU", NT_GNU_BUILD_ID, build_id(3)),
        note(b"Linux", 0x101, u32(0)),  # LINUX_ELFNOTE_LTO_INFO
        note(b"Linux", LINUX_BUILD_SALT, b"6.1.102-test.x86_64\0"),
        note(b"Xen", XEN_PHYS32_RELOC, u32(0x1000000) + u32(0x1000000) + u32(0x3FFFFFFF)),
        note(b"Xen", XEN_PHYS32_ENTRY, u64(0x378FE00)),
    ])

    for name, data in sorted(files.items()):
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
