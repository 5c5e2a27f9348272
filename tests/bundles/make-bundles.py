#!/usr/bin/python3
"""make-bundles.py - build the synthetic evidence bundles used by the golden
cases (tests/golden/bundle-*). Each bundle is a directory laid out like /,
holding only what a Linux guest of that kind exposes, plus cpuid.txt.

The layouts follow the sources named in docs/vmm-fingerprints.md and
../shared/FACTS.md section 5: boot_params offsets 0x202 (header), 0x206
(version), 0x210 (type_of_loader), 0x23c (hardware_subarch); ACPI headers
OEM ID at 10, OEM table id at 16, creator id at 28, FACP hypervisor vendor
identity at 268. Run it from anywhere; it rewrites tests/bundles/<name>/
for every synthetic bundle (firecracker-live is a real capture and is left
alone).
"""
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")


def boot_params(header, version, loader, size=4096):
    b = bytearray(size)
    if size >= 0x240:
        struct.pack_into("<I", b, 0x202, header)
        struct.pack_into("<H", b, 0x206, version)
        b[0x210] = loader
    return bytes(b)


HDRS = 0x53726448


def acpi(sig, oem, table_id, creator, length=None, hv_vendor=None, pad=b" "):
    n = 276 if sig == b"FACP" else 36
    b = bytearray(n)
    b[0:4] = sig
    struct.pack_into("<I", b, 4, length if length is not None else n)
    b[10:16] = oem.ljust(6, pad)[:6]
    b[16:24] = table_id.ljust(8, pad)[:8]
    b[28:32] = creator.ljust(4, pad)[:4]
    if hv_vendor is not None:
        b[268:276] = hv_vendor.ljust(8, pad)[:8]
    return bytes(b)


def write(root, path, data, mode=0o644):
    p = os.path.join(root, path.lstrip("/"))
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    os.chmod(p, mode)


def mkdir(root, path):
    os.makedirs(os.path.join(root, path.lstrip("/")), exist_ok=True)


def cpuid(root, name, comment):
    with open(os.path.join(DATA, name)) as f:
        body = f.read()
    write(root, "/cpuid.txt", "# " + comment + " (CPUID from tests/data/" + name + ")\n" + body)


def dmi(root, **kv):
    for k, v in kv.items():
        write(root, "/sys/class/dmi/id/" + k, v + "\n")


def tables(root, oem, ids, creator, hv_vendor=None, pad=b" "):
    for sig, tid in zip((b"FACP", b"DSDT", b"APIC"), ids):
        write(root, "/sys/firmware/acpi/tables/" + sig.decode(),
              acpi(sig, oem, tid, creator, hv_vendor=hv_vendor if sig == b"FACP" else None, pad=pad), 0o400)


def xen_sys(root, guest_type, major="4", minor="17", extra=".2"):
    write(root, "/sys/hypervisor/type", "xen\n")
    write(root, "/sys/hypervisor/guest_type", guest_type + "\n")
    write(root, "/sys/hypervisor/version/major", major + "\n")
    write(root, "/sys/hypervisor/version/minor", minor + "\n")
    write(root, "/sys/hypervisor/version/extra", extra + "\n")
    write(root, "/sys/hypervisor/properties/features", "00000000000028ec\n")
    write(root, "/sys/hypervisor/uuid", "9f1b4b3e-2c55-4d0e-8d5a-7d1c0e6a1f00\n")
    write(root, "/proc/xen/capabilities", "")  # git keeps no empty directory
    write(root, "/dev/xen/xenbus", b"")


def bundle(name):
    root = os.path.join(HERE, name)
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    return root


# Xen PVH domU: Xen's own libacpi tables ("Xen", "HVM", NUL-padded), no SMBIOS.
r = bundle("xen-pvh-domu")
cpuid(r, "xen-hvm.cpuid", "a Xen PVH domU")
write(r, "/sys/kernel/boot_params/data", boot_params(0, 0x020C, 0x90))
write(r, "/proc/sys/kernel/bootloader_type", "144\n")
xen_sys(r, "PVH")
tables(r, b"Xen", (b"HVM", b"HVM", b"HVM"), b"HVML", pad=b"\0")

# QEMU/KVM, the same kernel booted as a bzImage by QEMU's -kernel loader.
r = bundle("qemu-bzimage")
cpuid(r, "kvm-2cpu.cpuid", "QEMU/KVM, bzImage through the Linux boot protocol")
write(r, "/sys/kernel/boot_params/data", boot_params(HDRS, 0x020F, 0xB0))
write(r, "/proc/sys/kernel/bootloader_type", "176\n")
dmi(r, sys_vendor="QEMU", product_name="Standard PC (i440FX + PIIX, 1996)", bios_vendor="SeaBIOS",
    bios_version="1.16.2-debian-1.16.2-1")
tables(r, b"BOCHS", (b"BXPC", b"BXPC", b"BXPC"), b"BXPC")

# Firecracker before 1.8 (no ACPI), Linux boot protocol: loader 0xff, no DMI.
r = bundle("firecracker-linux-boot")
cpuid(r, "kvm-2cpu.cpuid", "Firecracker < 1.8, Linux boot protocol")
write(r, "/sys/kernel/boot_params/data", boot_params(HDRS, 0x020F, 0xFF))
write(r, "/proc/sys/kernel/bootloader_type", "255\n")

# Xen HVM guest on EC2 t2: firmware boot, GRUB, Xen's DMI and ACPI.
r = bundle("xen-hvm-ec2")
cpuid(r, "xen-hvm.cpuid", "a Xen HVM guest (EC2 t2 shape)")
write(r, "/sys/kernel/boot_params/data", boot_params(HDRS, 0x020F, 0x72))
write(r, "/proc/sys/kernel/bootloader_type", "114\n")
xen_sys(r, "HVM", minor="11", extra=".amazon")
dmi(r, sys_vendor="Xen", product_name="HVM domU", bios_vendor="Xen", bios_version="4.11.amazon")
tables(r, b"Xen", (b"HVM", b"HVM", b"HVM"), b"HVML", pad=b"\0")

# EC2 Nitro (KVM underneath): DMI names the service.
r = bundle("ec2-nitro")
cpuid(r, "kvm-2cpu.cpuid", "an EC2 Nitro instance")
write(r, "/sys/kernel/boot_params/data", boot_params(HDRS, 0x020F, 0x72))
dmi(r, sys_vendor="Amazon EC2", product_name="m6a.large", bios_vendor="Amazon EC2", bios_version="1.0")
tables(r, b"AMAZON", (b"AMZNFACP", b"AMZNDSDT", b"AMZNAPIC"), b"AMZN")

# Hyper-V generation 2 guest.
r = bundle("hyperv-gen2")
cpuid(r, "xen-viridian.cpuid", "a Hyper-V guest (CPUID borrowed from the Viridian case)")
write(r, "/sys/kernel/boot_params/data", boot_params(HDRS, 0x020F, 0x72))
dmi(r, sys_vendor="Microsoft Corporation", product_name="Virtual Machine", bios_vendor="Microsoft Corporation")
tables(r, b"VRTUAL", (b"MICROSFT", b"MSFTVM", b"MICROSFT"), b"MSFT")

# A container: no /sys at all.
r = bundle("container")
cpuid(r, "kvm-2cpu.cpuid", "a container without /sys")

# A truncated boot_params.
r = bundle("truncated-boot-params")
cpuid(r, "kvm-2cpu.cpuid", "boot_params cut short")
write(r, "/sys/kernel/boot_params/data", boot_params(HDRS, 0x020F, 0xB0)[:100])

# Evidence that contradicts itself: Xen says PVH, boot_params says HdrS.
r = bundle("contradiction")
cpuid(r, "xen-hvm.cpuid", "guest_type PVH but a Linux boot protocol header")
write(r, "/sys/kernel/boot_params/data", boot_params(HDRS, 0x020F, 0x90))
xen_sys(r, "PVH")

# A kernel that took the generic PVH path although CPUID shows a complete
# Xen range: the linux model predicts xen, the evidence says generic.
r = bundle("model-disagrees")
cpuid(r, "xen-hvm.cpuid", "PVH non-Xen entry under a full Xen signature")
write(r, "/sys/kernel/boot_params/data", boot_params(0, 0x020C, 0xB0))
