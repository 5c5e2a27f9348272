/* decode_kvm.c - KVM's feature leaf.
 *
 * Layout: torvalds/linux Documentation/virt/kvm/x86/cpuid.rst and
 * arch/x86/include/uapi/asm/kvm_para.h (KVM_CPUID_FEATURES = base+1), and
 * the timing leaf base+0x10 when the range reaches it. */
#include "decode.h"

static const struct bitname kvm_feature_bits[] = {
	{ 0, "clocksource" },
	{ 1, "nop_io_delay" },
	{ 2, "mmu_op" },
	{ 3, "clocksource2" },
	{ 4, "async_pf" },
	{ 5, "steal_time" },
	{ 6, "pv_eoi" },
	{ 7, "pv_unhalt" },
	{ 9, "pv_tlb_flush" },
	{ 10, "async_pf_vmexit" },
	{ 11, "pv_send_ipi" },
	{ 12, "poll_control" },
	{ 13, "pv_sched_yield" },
	{ 14, "async_pf_int" },
	{ 15, "msi_ext_dest_id" },
	{ 16, "hc_map_gpa_range" },
	{ 17, "migration_control" },
	{ 24, "clocksource_stable" },
};

static const struct bitname kvm_hint_bits[] = {
	{ 0, "realtime" },
};

void decode_kvm(struct leaftab *t, uint32_t base, uint32_t last, struct fields *out)
{
	if (last < base + 1)
		return;
	struct cpuid_regs r = lt_get(t, base + 1, 0);
	fields_flags(out, "features", base + 1, r.eax, kvm_feature_bits, ARRAY_SIZE(kvm_feature_bits));
	fields_flags(out, "hints", base + 1, r.edx, kvm_hint_bits, ARRAY_SIZE(kvm_hint_bits));
	/* QEMU's vmware-cpuid-freq (qemu target/i386/kvm/kvm.c) raises the KVM
	 * range to base+0x10 and puts VMware's timing leaf there. */
	if (last >= base + 0x10)
		decode_vmware(t, base, last, out);
}
