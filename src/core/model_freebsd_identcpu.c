/* freebsd_identcpu.c - FreeBSD's vm_guest, from
 * freebsd/freebsd-src sys/x86/x86/identcpu.c identify_hypervisor() and
 * identify_hypervisor_cpuid_base(), and the hypercall stub set-up of
 * sys/x86/xen/hvm.c. Procedures and sources: docs/rules-freebsd.md. */
#include "model_freebsd_identcpu.h"

#include "strtab.h"

static const char *const guest_names[_VM_GUEST_MAX] = {
	[VM_GUEST_NO] = "VM_GUEST_NO",
	[VM_GUEST_VM] = "VM_GUEST_VM",
	[VM_GUEST_XEN] = "VM_GUEST_XEN",
	[VM_GUEST_HV] = "VM_GUEST_HV",
	[VM_GUEST_VMWARE] = "VM_GUEST_VMWARE",
	[VM_GUEST_KVM] = "VM_GUEST_KVM",
	[VM_GUEST_BHYVE] = "VM_GUEST_BHYVE",
	[VM_GUEST_VBOX] = "VM_GUEST_VBOX",
	[VM_GUEST_NVMM] = "VM_GUEST_NVMM",
};

static const enum hv_vendor guest_vendor[_VM_GUEST_MAX] = {
	[VM_GUEST_NO] = _HV_VENDOR_INVALID,
	[VM_GUEST_VM] = _HV_VENDOR_INVALID,
	[VM_GUEST_XEN] = HV_XEN,
	[VM_GUEST_HV] = HV_HYPERV,
	[VM_GUEST_VMWARE] = HV_VMWARE,
	[VM_GUEST_KVM] = HV_KVM,
	[VM_GUEST_BHYVE] = HV_BHYVE,
	[VM_GUEST_VBOX] = HV_VIRTUALBOX,
	[VM_GUEST_NVMM] = HV_NVMM,
};

DEFINE_STRTAB(fb_vm_guest, enum fb_vm_guest, guest_names)

enum hv_vendor fb_vm_guest_vendor(enum fb_vm_guest g)
{
	return (unsigned)g < _VM_GUEST_MAX ? guest_vendor[g] : _HV_VENDOR_INVALID;
}

void freebsd_believes(struct model_result *m, enum fb_vm_guest g, uint32_t base)
{
	m->hypervisor = fb_vm_guest_vendor(g);
	m->hypervisor_base = m->hypervisor == _HV_VENDOR_INVALID ? 0 : base;
	m->platform = fb_vm_guest_name(g);
}

/* vm_cpuids[], in table order. "KVMKVMKVM" is 9 characters: strncmp stops at
 * its NUL, so byte 9 must be NUL and bytes 10-11 are not compared. */
static const struct {
	const char *sig;
	enum fb_vm_guest guest;
} vm_cpuids[] = {
	{ "XenVMMXenVMM", VM_GUEST_XEN },
	{ "Microsoft Hv", VM_GUEST_HV },
	{ "VMwareVMware", VM_GUEST_VMWARE },
	{ "KVMKVMKVM", VM_GUEST_KVM },
	{ "bhyve bhyve ", VM_GUEST_BHYVE },
	{ "VBoxVBoxVBox", VM_GUEST_VBOX },
	{ "___ NVMM ___", VM_GUEST_NVMM },
};

/* strncmp(sig, s, 12) == 0, with sig being register bytes. */
static bool strncmp12_eq(const uint8_t sig[CPUID_SIG_LEN], const char *s)
{
	for (unsigned i = 0; i < CPUID_SIG_LEN; i++) {
		if (sig[i] != (uint8_t)s[i])
			return false;
		if (s[i] == '\0')
			return true;
	}
	return true;
}

void freebsd_identcpu(struct leaftab *t, struct model_result *m, enum fb_identcpu_version v,
		      struct fb_identcpu *out)
{
	memset(out, 0, sizeof(*out));
	out->guest = VM_GUEST_NO;
	if (!cpuid_hypervisor_bit(t)) {
		trace_add(m, true, 1, "identify_hypervisor(): CPUID.1:ECX[31] clear: no CPUID scan, vm_guest = VM_GUEST_NO (only SMBIOS strings can change it)");
		return;
	}
	out->guest = VM_GUEST_VM;
	trace_add(m, true, 1, "identify_hypervisor(): CPUID.1:ECX[31] set: vm_guest = VM_GUEST_VM, scan the bases");
	unsigned skipped = 0;
	char st[64];
	for (unsigned i = 0; i < HV_NBASES; i++) {
		uint32_t base = hv_base(i);
		struct cpuid_regs r = lt_get(t, base, 0);
		uint8_t sig[CPUID_SIG_LEN];
		regs_signature(&r, sig);
		if (r.eax == 0 && memcmp(sig, "KVMKVMKVM\0\0\0", CPUID_SIG_LEN) == 0) {
			r.eax = base + 1;
			trace_add(m, true, base, "cpuid(%#x): KVM signature with EAX 0 (old KVM): EAX taken as %#x", base, r.eax);
		}
		if (r.eax < base) {
			skipped += !regs_zero(&r);
			continue;
		}
		enum fb_vm_guest prev = out->guest;
		bool matched_xen = false;
		for (size_t k = 0; k < ARRAY_SIZE(vm_cpuids); k++) {
			if (strncmp12_eq(sig, vm_cpuids[k].sig)) {
				out->guest = vm_cpuids[k].guest;
				matched_xen = out->guest == VM_GUEST_XEN;
				break;
			}
		}
		sig_text(&r, st, sizeof(st));
		bool record, stop;
		if (v == FB_IDENTCPU_PRE_D43508) {
			record = out->guest != VM_GUEST_VM || base == HV_BASE_FIRST;
			stop = out->guest != VM_GUEST_VM;
		} else {
			record = out->guest != prev || base == HV_BASE_FIRST;
			stop = record && out->guest != VM_GUEST_VM && out->guest != VM_GUEST_HV;
			if (out->guest != prev)
				out->init_xen = matched_xen;
		}
		if (record) {
			out->hv_base = base;
			out->hv_high = r.eax;
		}
		if (record || out->guest != prev)
			trace_add(m, true, base, "cpuid(%#x): \"%s\", EAX %#x >= base: vm_guest = %s%s%s", base, st,
				  r.eax, fb_vm_guest_name(out->guest), record ? ", recorded as hv_base" : "",
				  stop ? ", scan stops" : "");
		if (stop) {
			if (v == FB_IDENTCPU_PRE_D43508)
				out->init_xen = out->guest == VM_GUEST_XEN;
			break;
		}
	}
	if (skipped)
		trace_add(m, false, 0, "%u non-zero bases skipped: EAX below their base", skipped);
	trace_add(m, false, 0, "identify_hypervisor(): vm_guest = %s", fb_vm_guest_name(out->guest));
}

int freebsd_hypercall_stubs(struct leaftab *t, struct model_result *m, uint32_t *base)
{
	*base = model_sig_scan(m, t, "xen_hvm_cpuid_base()", sigtab_vendor(HV_XEN)->sig, 2);
	if (!*base) {
		trace_add(m, false, 0, "xen_hvm_init_hypercall_stubs(): no Xen base -> ENXIO");
		return CORE_ENXIO;
	}
	struct cpuid_regs r2 = lt_get(t, *base + 2, 0);
	if (r2.eax != 1) {
		trace_add(m, true, *base + 2, "cpuid(%#x): EAX = %u hypercall pages, not 1 -> EINVAL", *base + 2, r2.eax);
		return CORE_EINVAL;
	}
	trace_add(m, true, *base + 2, "cpuid(%#x): 1 hypercall page, wrmsr(%#x, hypercall page)", *base + 2, r2.ebx);
	if (!is_xen_hypercall_msr(r2.ebx)) {
		/* A plain wrmsr (FreeBSD's), in hammer_time_xen() before
		 * hammer_time() installs the IDT: the #GP has no handler. */
		trace_add(m, false, 0,
			  "MSR %#x is not Xen's hypercall MSR (0x40000000, 0x40000200 with Viridian): wrmsr raises #GP before any IDT exists: triple fault",
			  r2.ebx);
		return CORE_EFAULT;
	}
	struct cpuid_regs r1 = lt_get(t, *base + 1, 0);
	trace_add(m, true, *base + 1, "cpuid(%#x): \"XEN: Hypervisor version %u.%u detected.\"", *base + 1,
		  r1.eax >> 16, r1.eax & 0xffff);
	return 0;
}
