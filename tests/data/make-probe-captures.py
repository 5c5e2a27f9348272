#!/usr/bin/env python3
"""make-probe-captures.py - the derived probe-guest console captures.

Real captures (run once, then kept; QEMU 7.2, TCG, pvhprobe.elf format 1):
  probe-qemu-microvm.log  qemu-system-x86_64 -M microvm -accel tcg -nographic
                          -no-reboot -kernel pvhprobe.elf -device isa-debug-exit -m 128
  probe-qemu-pc.log       the same with -M pc (SeaBIOS and iPXE noise, escape
                          sequences and CRs before the frame, "Booting from
                          ROM.." on the BEGIN line)
  probe-xen-dom0-real.log Debian's Xen 4.17.7 under QEMU TCG, the probe as its
                          PVH dom0 (Xen's "(XEN)" lines, the probe's "(d0) " ones):
                          pvhprobe boot --capture=FILE -- qemu-system-x86_64 -M pc
                          -accel tcg -cpu max,-rdtscp -m 1024 -smp 1 -nodefaults
                          -no-reboot -display none -serial stdio -kernel xen
                          -append "console=com1 noreboot dom0=pvh dom0-iommu=none
                          dom0_mem=512M guest_loglvl=all/all loglvl=all"
                          -initrd pvhprobe.elf   (xen: boot/xen-4.17-amd64.gz gunzipped)
Derived here from probe-qemu-microvm.log (run from tests/data):
  probe-xen-d0.log        every line "(d0) "-prefixed as Xen prints a PVH
                          dom0's port 0xE9 output (guest_loglvl=all), with
                          "(XEN) " lines of Xen's own before and inside the frame
  probe-two-copies.log    a truncated copy (serial) then a whole one (debugcon),
                          CRLF line ends and an escape sequence on each line
  probe-truncated.log     the first 120 lines: no END
  probe-bad-crc.log       one cpuid= value changed: the CRC-32 does not match
  probe-fireckvm.log      SYNTHETIC: the FADT hypervisor vendor line rewritten
                          to "FIRECKVM" (as Firecracker's FADT has it) and the
                          END line's CRC-32 recomputed; no Firecracker run
"""
import re
import zlib

src = open("probe-qemu-microvm.log", "rb").read()
lines = src.split(b"\n")


def write(name, data):
    open(name, "wb").write(data)


def reframe(ls):
    """Recompute the END line of a frame in ls (BEGIN .. END)."""
    b = next(i for i, l in enumerate(ls) if l.startswith(b"PVHPROBE BEGIN "))
    e = next(i for i, l in enumerate(ls) if l.startswith(b"PVHPROBE END "))
    body = ls[b:e]
    crc = zlib.crc32(b"".join(l + b"\n" for l in body)) & 0xFFFFFFFF
    ls[e] = b"PVHPROBE END lines=%d crc32=%08x" % (len(body), crc)
    return ls


xen = [b"(XEN) Xen version 4.17.3 (Debian 4.17.3+10-g091466ba55-1~deb12u1)",
       b"(XEN) Dom0 has maximum 1 VCPUs"]
for i, l in enumerate(lines):
    if l == b"" and i == len(lines) - 1:
        break
    xen.append(b"(d0) " + l)
    if i == 40:
        xen.append(b"(XEN) [2026-12-03 11:00:00.123] d0v0 a line of Xen's own inside the frame")
write("probe-xen-d0.log", b"\n".join(xen) + b"\n")

crlf = [b"\x1b[0m" + l + b"\r" for l in lines[:-1]]
write("probe-two-copies.log", b"\n".join(crlf[:150] + crlf) + b"\n")

write("probe-truncated.log", b"\n".join(lines[:120]) + b"\n")

bad = [re.sub(rb"^(cpuid=40000000 00000000 )40000001", rb"\g<1>40000002", l) for l in lines]
assert bad != lines
write("probe-bad-crc.log", b"\n".join(bad))

fc = [b'acpi.fadt.hypervisor_vendor="FIRECKVM"' if l == b"acpi.fadt.hypervisor_vendor=none" else l
      for l in lines]
assert fc != lines
write("probe-fireckvm.log", b"\n".join(reframe(fc)))
