/* decode_hyperv.c - Hyper-V's leaves (also Xen Viridian, QEMU hv-*, and
 * KVM's own Hyper-V emulation, which share the layout).
 *
 * Layout: Microsoft Hypervisor Top-Level Functional Specification (TLFS),
 * as transcribed in torvalds/linux include/hyperv/hvgdk_mini.h (formerly
 * arch/x86/include/asm/hyperv-tlfs.h). Leaf numbers are relative to the
 * range's base. */
#include "decode.h"

/* Bit names: the ones Linux defines (include/hyperv/hvgdk_mini.h), in
 * snake_case without the HV_/_AVAILABLE decoration; bits Linux does not name
 * are reported as "bitN". docs/leaf-layouts.md has the table with sources. */

/* base+3 EAX: partition privilege mask, low word. */
static const struct bitname hv_priv_eax[] = {
	{ 0, "vp_runtime_msr" },
	{ 1, "time_ref_count_msr" },
	{ 2, "synic_msrs" },
	{ 3, "syntimer_msrs" },
	{ 4, "apic_access_msrs" },
	{ 5, "hypercall_msrs" },
	{ 6, "vp_index_msr" },
	{ 7, "reset_msr" },
	{ 8, "stat_pages_msrs" },
	{ 9, "reference_tsc_msr" },
	{ 10, "guest_idle_msr" },
	{ 11, "frequency_msrs" },
	{ 13, "reenlightenment" },
	{ 15, "tsc_invariant" },
};

/* base+3 EBX: partition privilege mask, high word. */
static const struct bitname hv_priv_ebx[] = {
	{ 0, "create_partitions" },
	{ 1, "access_partition_id" },
	{ 2, "access_memory_pool" },
	{ 3, "adjust_message_buffers" },
	{ 4, "post_messages" },
	{ 5, "signal_events" },
	{ 6, "create_port" },
	{ 7, "connect_port" },
	{ 8, "access_stats" },
	{ 11, "debugging" },
	{ 12, "cpu_management" },
	{ 20, "enable_extended_hypercalls" },
	{ 22, "isolation" },
};

/* base+3 EDX: miscellaneous features (HV_X64_*_AVAILABLE, HV_FEATURE_*). */
static const struct bitname hv_feat_edx[] = {
	{ 0, "mwait" },
	{ 1, "guest_debugging" },
	{ 2, "perf_monitor" },
	{ 3, "cpu_dynamic_partitioning" },
	{ 4, "hypercall_xmm_input" },
	{ 5, "guest_idle_state" },
	{ 8, "frequency_msrs" },
	{ 10, "guest_crash_msr" },
	{ 11, "debug_msrs" },
	{ 14, "ext_gva_ranges_flush" },
	{ 15, "hypercall_xmm_output" },
	{ 19, "stimer_direct_mode" },
};

/* base+4 EAX: implementation recommendations (HV_X64_*_RECOMMENDED). */
static const struct bitname hv_recommend_eax[] = {
	{ 0, "as_switch" },
	{ 1, "local_tlb_flush" },
	{ 2, "remote_tlb_flush" },
	{ 3, "apic_access" },
	{ 4, "system_reset" },
	{ 5, "relaxed_timing" },
	{ 9, "deprecating_aeoi" },
	{ 10, "cluster_ipi" },
	{ 11, "ex_processor_masks" },
	{ 12, "hyperv_nested" },
	{ 14, "enlightened_vmcs" },
	{ 18, "no_nonarch_coresharing" },
	{ 21, "use_mmio_hypercalls" },
};

/* base+0xC EBX[3:0]: isolation type (HV_ISOLATION_TYPE_*). */
static const char *const hv_isolation_types[16] = {
	"none", "vbs", "snp", "tdx", "type_4", "type_5", "type_6", "type_7", "type_8",
	"type_9", "type_10", "type_11", "type_12", "type_13", "type_14", "type_15",
};

void decode_hyperv(struct leaftab *t, uint32_t base, uint32_t last, struct fields *out)
{
	if (last >= base + 1) {
		struct cpuid_regs r = lt_get(t, base + 1, 0);
		uint8_t iface[4] = { (uint8_t)r.eax, (uint8_t)(r.eax >> 8), (uint8_t)(r.eax >> 16),
				     (uint8_t)(r.eax >> 24) };
		fields_bytes(out, "interface", base + 1, iface, 4);
	}
	if (last >= base + 2) {
		struct cpuid_regs r = lt_get(t, base + 2, 0);
		fields_uint(out, "build", base + 2, r.eax);
		fields_uint(out, "version_major", base + 2, r.ebx >> 16);
		fields_uint(out, "version_minor", base + 2, r.ebx & 0xffff);
		fields_uint(out, "service_pack", base + 2, r.ecx);
		fields_uint(out, "service_branch", base + 2, r.edx >> 24);
		fields_uint(out, "service_number", base + 2, r.edx & 0xffffff);
	}
	if (last >= base + 3) {
		struct cpuid_regs r = lt_get(t, base + 3, 0);
		fields_flags(out, "privileges", base + 3, r.eax, hv_priv_eax, ARRAY_SIZE(hv_priv_eax));
		fields_flags(out, "partition_privileges", base + 3, r.ebx, hv_priv_ebx, ARRAY_SIZE(hv_priv_ebx));
		fields_flags(out, "features", base + 3, r.edx, hv_feat_edx, ARRAY_SIZE(hv_feat_edx));
		/* CreatePartitions is granted to the root partition only: this
		 * is the host's own view, not a guest's. */
		fields_bool(out, "root_partition", base + 3, r.ebx & 1);
	}
	if (last >= base + 4) {
		struct cpuid_regs r = lt_get(t, base + 4, 0);
		fields_flags(out, "recommendations", base + 4, r.eax, hv_recommend_eax, ARRAY_SIZE(hv_recommend_eax));
		fields_hex(out, "spinlock_retries", base + 4, r.ebx);
	}
	if (last >= base + 5) {
		struct cpuid_regs r = lt_get(t, base + 5, 0);
		fields_uint(out, "max_virtual_processors", base + 5, r.eax);
		fields_uint(out, "max_logical_processors", base + 5, r.ebx);
	}
	if (last >= base + 0xc) {
		struct cpuid_regs r = lt_get(t, base + 0xc, 0);
		unsigned type = r.ebx & 0xf;
		fields_bool(out, "paravisor_present", base + 0xc, r.eax & 1);
		fields_text(out, "isolation_type", base + 0xc, hv_isolation_types[type]);
	}
}
