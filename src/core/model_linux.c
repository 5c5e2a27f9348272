/* model_linux.c - Linux 6.13 and later, and the stable releases that carry
 * the XSA-466 change (6.12.6, 6.6.67, 6.1.121, 5.15.175, 5.10.232 and later
 * on their branches), PVH entry.
 *
 * torvalds/linux arch/x86/platform/pvh/enlighten.c xen_prepare_pvh() and
 * init_pvh_bootparams(); arch/x86/xen/enlighten_pvh.c xen_pvh_init(), which
 * since 7fa0da537368 "x86/xen: remove hypercall page" (XSA-466,
 * CVE-2024-53241) writes no hypercall-page MSR and reads no base+2 leaf:
 * hypercalls go through VMCALL or VMMCALL chosen by the CPU vendor;
 * xen_cpuid_base() in arch/x86/include/asm/xen/hypervisor.h. Procedure and
 * citations: docs/rules-linux.md sections 2.5 and 2.7. */
#include "models.h"

#include "model_linux_platform.h"

/* The generic path, shared with linux-5.0 (the same code before and after
 * XSA-466). */
void linux_generic_path(struct leaftab *t, struct model_result *m)
{
	m->path = PATH_GENERIC;
	m->outcome = OUTCOME_BOOTS;
	trace_add(m, false, 0,
		  "init_pvh_bootparams(): not Xen: the memory map must come from start_info (version > 0, memmap_entries != 0), else BUG() with no message; type_of_loader = 0xB0");
	reason_set(m, "no base has the Xen signature with EAX-base >= 2: generic PVH path");
	condition_add(m, COND_MEMMAP_ENTRIES, "start_info version >= 1 with memmap_entries != 0, as every non-Xen PVH VMM passes (else a silent BUG)");
	condition_add(m, COND_START_INFO_MAGIC, "start_info magic 0x336ec578 (else a silent BUG)");
	uint32_t any = model_sig_scan(NULL, t, "", sigtab_vendor(HV_XEN)->sig, 0);
	if (any) {
		struct cpuid_regs r = lt_get(t, any, 0);
		hazard_add(m, "xen_signature_too_few_leaves", SEV_WARNING,
			   "the Xen signature is at %#x but EAX = %#x (fewer than 2 leaves): Linux ignores it and takes the generic path; on real Xen handing over start_info version 0 (PVH dom0) that is a silent BUG()",
			   any, r.eax);
	}
}

void model_linux_run(struct leaftab *t, struct model_result *m)
{
	/* 1. xen_prepare_pvh(): xen_guest = xen_cpuid_base() != 0, before
	 * anything else (even the start_info magic check). */
	uint32_t xb = model_sig_scan(m, t, "xen_cpuid_base()", sigtab_vendor(HV_XEN)->sig, 2);
	m->xen_base = xb;
	if (xb) {
		m->path = PATH_XEN;
		m->outcome = OUTCOME_BOOTS;
		trace_add(m, false, 0,
			  "xen_pvh_init(): no hypercall-page MSR write and no base+2 read (XSA-466): hypercalls use VMCALL, or VMMCALL on AMD/Hygon (CPUID leaf 0 vendor)");
		trace_add(m, false, 0,
			  "init_pvh_bootparams(): memory map from start_info if version > 0 and memmap_entries != 0, else XENMEM_memory_map hypercall; type_of_loader = 0x90");
		reason_set(m, "Xen signature at %#x with EAX-base >= 2: xen_cpuid_base() = %#x, Xen PVH path", xb, xb);
		condition_add(m, COND_START_INFO_MAGIC, "start_info magic 0x336ec578 (else BUG)");
	} else {
		linux_generic_path(t, m);
	}
	linux_detect_platform(t, m);
	if (m->path == PATH_XEN && m->hypervisor != HV_XEN)
		hazard_add(m, "xen_path_other_platform", SEV_INFO,
			   "PVH entry takes the Xen path, but detect_hypervisor_vendor() then picks %s (as with QEMU's Xen emulation over KVM)",
			   m->platform);
}
