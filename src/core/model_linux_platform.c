/* linux_platform.c - which hypervisor platform Linux believes in.
 *
 * torvalds/linux arch/x86/kernel/cpu/hypervisor.c detect_hypervisor_vendor():
 * every entry of hypervisors[] is probed in table order and the one whose
 * detect() returns the largest value wins ("pri > max_pri", so a tie keeps
 * the earlier entry and 0 never wins). init_hypervisor_platform() adds no
 * hypervisor-bit check of its own; each detect() decides. Without "nopv".
 * See docs/rules-linux.md section 3 for each detect() and its source. */
#include "model_linux_platform.h"

typedef uint32_t detect_fn(struct leaftab *t, bool hvbit, uint32_t *base);

/* hypervisor_cpuid_base(sig, leaves), quietly. */
static uint32_t cpuid_base(struct leaftab *t, const char *sig12, uint32_t leaves)
{
	return model_sig_scan(NULL, t, "", (const uint8_t *)sig12, leaves);
}

/* arch/x86/xen/enlighten_pv.c xen_platform_pv(): only when already a PV
 * domain, which a PVH entry never is. */
static uint32_t detect_xen_pv(struct leaftab *t, bool hvbit, uint32_t *base)
{
	(void)t, (void)hvbit, (void)base;
	return 0;
}

/* arch/x86/xen/enlighten_hvm.c xen_platform_hvm(): xen_cpuid_base(), i.e.
 * hypervisor_cpuid_base("XenVMMXenVMM", 2); no hypervisor-bit check. */
static uint32_t detect_xen_hvm(struct leaftab *t, bool hvbit, uint32_t *base)
{
	(void)hvbit;
	*base = cpuid_base(t, (const char *)sigtab_vendor(HV_XEN)->sig, 2);
	return *base;
}

/* arch/x86/kernel/cpu/vmware.c vmware_platform(): with the hypervisor bit,
 * "VMwareVMware" at 0x40000000 only, any EAX -> CPUID_VMWARE_INFO_LEAF.
 * (Without the bit a DMI serial + backdoor path exists; not CPUID.) */
static uint32_t detect_vmware(struct leaftab *t, bool hvbit, uint32_t *base)
{
	if (!hvbit)
		return 0;
	uint8_t s[CPUID_SIG_LEN];
	struct cpuid_regs r = lt_get(t, HV_BASE_FIRST, 0);
	regs_signature(&r, s);
	if (memcmp(s, "VMwareVMware", CPUID_SIG_LEN) != 0)
		return 0;
	*base = HV_BASE_FIRST;
	return HV_BASE_FIRST;
}

/* arch/x86/kernel/cpu/mshyperv.c ms_hyperv_platform(): hypervisor bit;
 * 0x40000000 EAX in [HYPERV_CPUID_MIN 0x40000005, HYPERV_CPUID_MAX
 * 0x4000ffff] and "Microsoft Hv"; then 0x40000003 EAX must have
 * HV_MSR_HYPERCALL_AVAILABLE (bit 5) and HV_MSR_VP_INDEX_AVAILABLE (bit 6)
 * (checked since about v5.16) -> HYPERV_CPUID_VENDOR_AND_MAX_FUNCTIONS. */
static uint32_t detect_hyperv(struct leaftab *t, bool hvbit, uint32_t *base)
{
	if (!hvbit)
		return 0;
	uint8_t s[CPUID_SIG_LEN];
	struct cpuid_regs r = lt_get(t, HV_BASE_FIRST, 0);
	regs_signature(&r, s);
	if (r.eax < 0x40000005u || r.eax > 0x4000ffffu || memcmp(s, "Microsoft Hv", CPUID_SIG_LEN) != 0)
		return 0;
	uint32_t feat = lt_get(t, 0x40000003u, 0).eax;
	if (!(feat & (1u << 5)) || !(feat & (1u << 6)))
		return 0;
	*base = HV_BASE_FIRST;
	return HV_BASE_FIRST;
}

/* arch/x86/kernel/kvm.c kvm_detect() -> kvm_cpuid_base(): hypervisor bit,
 * then hypervisor_cpuid_base("KVMKVMKVM\0\0\0", 0): any EAX. */
static uint32_t detect_kvm(struct leaftab *t, bool hvbit, uint32_t *base)
{
	if (!hvbit)
		return 0;
	*base = cpuid_base(t, "KVMKVMKVM\0\0\0", 0);
	return *base;
}

/* arch/x86/kernel/jailhouse.c jailhouse_detect(): hypervisor bit, then
 * hypervisor_cpuid_base("Jailhouse\0\0\0", 0). */
static uint32_t detect_jailhouse(struct leaftab *t, bool hvbit, uint32_t *base)
{
	if (!hvbit)
		return 0;
	*base = cpuid_base(t, "Jailhouse\0\0\0", 0);
	return *base;
}

/* arch/x86/kernel/cpu/acrn.c acrn_detect() -> acrn_cpuid_base(): hypervisor
 * bit (since about v5.12), then hypervisor_cpuid_base("ACRNACRNACRN", 0). */
static uint32_t detect_acrn(struct leaftab *t, bool hvbit, uint32_t *base)
{
	if (!hvbit)
		return 0;
	*base = cpuid_base(t, "ACRNACRNACRN", 0);
	return *base;
}

/* arch/x86/kernel/cpu/bhyve.c bhyve_detect() (commit 215596ddc33f, 2025):
 * hypervisor bit, cpuid_base_hypervisor("bhyve bhyve ", 0), and returns the
 * EAX found at that base (its highest leaf), not the base. */
static uint32_t detect_bhyve(struct leaftab *t, bool hvbit, uint32_t *base)
{
	if (!hvbit)
		return 0;
	*base = cpuid_base(t, "bhyve bhyve ", 0);
	if (!*base)
		return 0;
	return lt_get(t, *base, 0).eax;
}

static const struct {
	const char *name;      /* x86_hyper_type */
	const char *fn;        /* detect function, for the trace */
	enum hv_vendor vendor;
	detect_fn *detect;
} hypervisors[] = {
	{ "X86_HYPER_XEN_PV", "xen_platform_pv", HV_XEN, detect_xen_pv },
	{ "X86_HYPER_XEN_HVM", "xen_platform_hvm", HV_XEN, detect_xen_hvm },
	{ "X86_HYPER_VMWARE", "vmware_platform", HV_VMWARE, detect_vmware },
	{ "X86_HYPER_MS_HYPERV", "ms_hyperv_platform", HV_HYPERV, detect_hyperv },
	{ "X86_HYPER_KVM", "kvm_detect", HV_KVM, detect_kvm },
	{ "X86_HYPER_JAILHOUSE", "jailhouse_detect", HV_JAILHOUSE, detect_jailhouse },
	{ "X86_HYPER_ACRN", "acrn_detect", HV_ACRN, detect_acrn },
	{ "X86_HYPER_BHYVE", "bhyve_detect", HV_BHYVE, detect_bhyve },
};

void linux_detect_platform(struct leaftab *t, struct model_result *m)
{
	bool hvbit = cpuid_hypervisor_bit(t);
	uint32_t max_pri = 0;
	m->hypervisor = _HV_VENDOR_INVALID;
	m->hypervisor_base = 0;
	m->platform = "X86_HYPER_NATIVE";
	trace_add(m, true, 1, "detect_hypervisor_vendor(): CPUID.1:ECX[31] (hypervisor bit) = %d", hvbit);
	for (size_t i = 0; i < ARRAY_SIZE(hypervisors); i++) {
		uint32_t base = 0;
		uint32_t pri = hypervisors[i].detect(t, hvbit, &base);
		if (pri == 0)
			continue;
		trace_add(m, base != 0, base, "%s() = %#x%s", hypervisors[i].fn, pri,
			  pri > max_pri ? (max_pri ? ", higher: wins so far" : ", wins so far")
					: ", not higher than the winner so far");
		if (pri > max_pri) {
			max_pri = pri;
			m->hypervisor = hypervisors[i].vendor;
			m->hypervisor_base = base;
			m->platform = hypervisors[i].name;
		}
	}
	if (max_pri == 0)
		trace_add(m, false, 0, "every detect() returned 0: no hypervisor platform (native)");
	else
		trace_add(m, false, 0, "x86_hyper_type = %s", m->platform);
}
