/* percpu.c - per-CPU CPUID fields.
 *
 *  - leaf 1 EBX[31:24]: initial APIC id (Intel SDM vol. 2A, CPUID);
 *  - leaves 0xB and 0x1F EDX: x2APIC id of this logical processor;
 *  - leaf 0x8000001E EAX: extended APIC id (AMD APM vol. 3);
 *  - Xen base+4 EBX: this vCPU's id, when XEN_HVM_CPUID_VCPU_ID_PRESENT
 *    (xen-project/xen xen/include/public/arch-x86/cpuid.h).
 * Everything else should be identical on every CPU of a VM; a VMM that
 * differs elsewhere has a bug worth seeing. */
#include "percpu.h"

uint32_t percpu_stable_mask(const struct scan *s, uint32_t leaf, int reg)
{
	if (leaf == 1 && reg == 1)
		return 0x00ffffffu;
	if ((leaf == 0xb || leaf == 0x1f) && reg == 3)
		return 0;
	if (leaf == 0x8000001eu && reg == 0)
		return 0;
	if (s && reg == 1) {
		for (unsigned i = 0; i < s->n; i++) {
			const struct hv_range *hr = &s->ranges[i];
			if (hr->cls == RANGE_HYPERVISOR && hr->known && hr->known->vendor == HV_XEN && leaf == hr->base + 4)
				return 0;
		}
	}
	return 0xffffffffu;
}

bool percpu_equal(const struct scan *s, uint32_t leaf, const struct cpuid_regs *a, const struct cpuid_regs *b)
{
	const uint32_t x[4] = { a->eax, a->ebx, a->ecx, a->edx };
	const uint32_t y[4] = { b->eax, b->ebx, b->ecx, b->edx };
	for (int r = 0; r < 4; r++) {
		uint32_t m = percpu_stable_mask(s, leaf, r);
		if ((x[r] & m) != (y[r] & m))
			return false;
	}
	return true;
}
