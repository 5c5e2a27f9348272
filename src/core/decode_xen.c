/* decode_xen.c - Xen's leaves.
 *
 * Layout: xen-project/xen xen/include/public/arch-x86/cpuid.h
 * (XEN_CPUID_LEAF(n) = base + n). */
#include "decode.h"

/* base+4 EAX, XEN_HVM_CPUID_* */
static const struct bitname xen_hvm_bits[] = {
	{ 0, "apic_access_virt" },   /* XEN_HVM_CPUID_APIC_ACCESS_VIRT */
	{ 1, "x2apic_virt" },        /* XEN_HVM_CPUID_X2APIC_VIRT */
	{ 2, "iommu_mappings" },     /* XEN_HVM_CPUID_IOMMU_MAPPINGS */
	{ 3, "vcpu_id_present" },    /* XEN_HVM_CPUID_VCPU_ID_PRESENT */
	{ 4, "domid_present" },      /* XEN_HVM_CPUID_DOMID_PRESENT */
	{ 5, "ext_dest_id" },        /* XEN_HVM_CPUID_EXT_DEST_ID */
	{ 6, "upcall_vector" },      /* XEN_HVM_CPUID_UPCALL_VECTOR */
};

/* base+2 ECX, XEN_CPUID_FEAT1_* */
static const struct bitname xen_feat1_bits[] = {
	{ 0, "mmu_pt_update_preserve_ad" },
};

/* base+3 subleaf 0 EAX, XEN_CPUID_TSC_* */
static const struct bitname xen_tsc_bits[] = {
	{ 0, "tsc_emulated" },
	{ 1, "host_tsc_reliable" },
	{ 2, "rdtscp_instr" },
};

void decode_xen(struct leaftab *t, uint32_t base, uint32_t last, struct fields *out)
{
	if (last >= base + 1) {
		struct cpuid_regs r = lt_get(t, base + 1, 0);
		fields_uint(out, "version_major", base + 1, r.eax >> 16);
		fields_uint(out, "version_minor", base + 1, r.eax & 0xffff);
	}
	if (last >= base + 2) {
		struct cpuid_regs r = lt_get(t, base + 2, 0);
		fields_uint(out, "hypercall_pages", base + 2, r.eax);
		fields_hex(out, "hypercall_msr", base + 2, r.ebx);
		fields_flags(out, "features", base + 2, r.ecx, xen_feat1_bits, ARRAY_SIZE(xen_feat1_bits));
	}
	if (last >= base + 3) {
		struct cpuid_regs r = lt_get(t, base + 3, 0);
		fields_flags(out, "tsc_flags", base + 3, r.eax, xen_tsc_bits, ARRAY_SIZE(xen_tsc_bits));
		fields_uint(out, "tsc_mode", base + 3, r.ebx);
		fields_uint(out, "tsc_khz", base + 3, r.ecx);
	}
	if (last >= base + 4) {
		struct cpuid_regs r = lt_get(t, base + 4, 0);
		fields_flags(out, "hvm_features", base + 4, r.eax, xen_hvm_bits, ARRAY_SIZE(xen_hvm_bits));
		if (r.eax & (1u << 3))
			fields_uint(out, "vcpu_id", base + 4, r.ebx);
		if (r.eax & (1u << 4))
			fields_uint(out, "domid", base + 4, r.ecx & 0xffff);
	}
	if (last >= base + 5) {
		struct cpuid_regs r = lt_get(t, base + 5, 0);
		/* PV-only leaf; EBX[7:0] is the machine address width. */
		fields_uint(out, "pv_max_machine_address_bits", base + 5, r.ebx & 0xff);
	}
}
