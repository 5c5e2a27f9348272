/* decode_vmware.c - VMware's timing leaf.
 *
 * torvalds/linux arch/x86/kernel/cpu/vmware.c: CPUID_VMWARE_INFO_LEAF
 * 0x40000000, the timing leaf 0x40000010 (EAX TSC kHz, EBX APIC bus kHz). */
#include "decode.h"

void decode_vmware(struct leaftab *t, uint32_t base, uint32_t last, struct fields *out)
{
	if (last < base + 0x10)
		return;
	struct cpuid_regs r = lt_get(t, base + 0x10, 0);
	fields_uint(out, "tsc_khz", base + 0x10, r.eax);
	fields_uint(out, "apic_bus_khz", base + 0x10, r.ebx);
}
