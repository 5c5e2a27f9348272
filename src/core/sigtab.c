/* sigtab.c - hypervisor signatures (EBX, ECX, EDX at the base leaf).
 *
 * Each row: the 12 bytes exactly as the hypervisor returns them, and where
 * the value was read. Unknown signatures are not dropped: the scan reports
 * them with their raw bytes. */
#include "sigtab.h"

/* Signatures are 12-byte arrays initialised from string literals: C drops the
 * terminating NUL where it does not fit, and the explicit \0s are the bytes
 * the hypervisor returns. */
static const struct hv_sig rows[_HV_VENDOR_MAX] = {
	[HV_XEN] = { HV_XEN, "xen", "Xen", "XenVMMXenVMM",
		"xen-project/xen xen/include/public/arch-x86/cpuid.h; at 0x40000100 when Viridian is on" },
	[HV_KVM] = { HV_KVM, "kvm", "KVM", "KVMKVMKVM\0\0\0",
		"torvalds/linux include/uapi/linux/kvm_para.h KVM_SIGNATURE; QEMU, Firecracker, Cloud Hypervisor, crosvm; also VirtualBox's KVM provider" },
	[HV_HYPERV] = { HV_HYPERV, "hyperv", "Microsoft Hyper-V", "Microsoft Hv",
		"Hyper-V TLFS; also Xen's Viridian and QEMU's hv-* enlightenments (default vendor id)" },
	[HV_KVM_HYPERV] = { HV_KVM_HYPERV, "kvm-hyperv", "KVM Hyper-V emulation", "Linux KVM Hv",
		"torvalds/linux arch/x86/kvm/hyperv.c (KVM_GET_SUPPORTED_HV_CPUID, QEMU hv-passthrough)" },
	[HV_VMWARE] = { HV_VMWARE, "vmware", "VMware", "VMwareVMware",
		"torvalds/linux arch/x86/kernel/cpu/vmware.c" },
	[HV_VIRTUALBOX] = { HV_VIRTUALBOX, "virtualbox", "VirtualBox", "VBoxVBoxVBox",
		"VirtualBox GIM; its Minimal provider shows an all-zero signature, its KVM and Hyper-V providers those hypervisors' signatures" },
	[HV_TCG] = { HV_TCG, "tcg", "QEMU TCG", "TCGTCGTCGTCG",
		"qemu/qemu target/i386/cpu.c, cpu property tcg-cpuid" },
	[HV_BHYVE] = { HV_BHYVE, "bhyve", "FreeBSD bhyve", "bhyve bhyve ",
		"freebsd/freebsd-src sys/amd64/vmm/x86.c (note the trailing space)" },
	[HV_ACRN] = { HV_ACRN, "acrn", "Project ACRN", "ACRNACRNACRN",
		"torvalds/linux arch/x86/include/asm/acrn.h" },
	[HV_QNX] = { HV_QNX, "qnx", "QNX Hypervisor", "QNXQVMBSQG\0\0",
		"systemd src/basic/virt.c" },
	[HV_SRE] = { HV_SRE, "sre", "Lockheed Martin SRE", "SRESRESRESRE",
		"systemd src/basic/virt.c" },
	[HV_APPLE] = { HV_APPLE, "apple", "Apple Virtualization.framework", "Apple VZ\0\0\0\0",
		"systemd src/basic/virt.c" },
	[HV_JAILHOUSE] = { HV_JAILHOUSE, "jailhouse", "Jailhouse", "Jailhouse\0\0\0",
		"torvalds/linux arch/x86/include/asm/jailhouse_para.h" },
	[HV_HAXM] = { HV_HAXM, "haxm", "Intel HAXM", "HAXMHAXMHAXM",
		"intel/haxm" },
	[HV_NVMM] = { HV_NVMM, "nvmm", "NetBSD NVMM", "___ NVMM ___",
		"NetBSD sys/dev/nvmm/x86/nvmm_x86_vmx.c; freebsd-src sys/x86/x86/identcpu.c" },
	[HV_OPENBSD] = { HV_OPENBSD, "openbsd", "OpenBSD vmm", "OpenBSDVMM58",
		"OpenBSD sys/arch/amd64/amd64/vmm_machdep.c" },
	[HV_UNISYS] = { HV_UNISYS, "unisys", "Unisys s-Par", "UnisysSpar64",
		"torvalds/linux drivers/visorbus" },
	[HV_PARALLELS] = { HV_PARALLELS, "parallels", "Parallels", "prl hyperv  ",
		"no primary source: \"prl hyperv  \" and systemd/util-linux's \" lrpepyh  vr\" are the same words with their bytes swapped; both match",
		" lrpepyh  vr" },
	[HV_FEX] = { HV_FEX, "fex", "FEX-Emu", "FEXIFEXIEMU\0",
		"FEX-Emu CPUID emulation" },
};

const struct hv_sig *sigtab_rows(void)
{
	return rows;
}

unsigned sigtab_n(void)
{
	return _HV_VENDOR_MAX;
}

const struct hv_sig *sigtab_match(const uint8_t sig[CPUID_SIG_LEN])
{
	static const uint8_t none[CPUID_SIG_LEN];
	if (memcmp(sig, none, CPUID_SIG_LEN) == 0)
		return NULL; /* most bases: no row is all zero */
	/* sig is not all zero, so an unused (all-zero) alt never matches; the
	 * first byte rules out most rows before the memcmp. */
	for (unsigned i = 0; i < _HV_VENDOR_MAX; i++)
		if ((rows[i].sig[0] == sig[0] && memcmp(rows[i].sig, sig, CPUID_SIG_LEN) == 0) ||
		    (rows[i].alt[0] == sig[0] && memcmp(rows[i].alt, sig, CPUID_SIG_LEN) == 0))
			return &rows[i];
	return NULL;
}

const struct hv_sig *sigtab_vendor(enum hv_vendor v)
{
	return (unsigned)v < _HV_VENDOR_MAX ? &rows[v] : NULL;
}

const char *hv_vendor_id(enum hv_vendor v)
{
	return (unsigned)v < _HV_VENDOR_MAX ? rows[v].id : "unknown";
}
