/* model_linux.c - Linux 5.0 and later, PVH entry.
 *
 * torvalds/linux arch/x86/platform/pvh/enlighten.c xen_prepare_pvh() and
 * init_pvh_bootparams(); arch/x86/xen/enlighten_pvh.c xen_pvh_init();
 * xen_cpuid_base() in arch/x86/include/asm/xen/hypervisor.h. Procedure and
 * citations: docs/rules-linux.md section 2.5. */
#include "models.h"

#include "model_linux_platform.h"

void model_linux_run(struct leaftab *t, struct model_result *m)
{
	/* 1. xen_prepare_pvh(): xen_guest = xen_cpuid_base() != 0, before
	 * anything else (even the start_info magic check). */
	uint32_t xb = model_sig_scan(m, t, "xen_cpuid_base()", sigtab_vendor(HV_XEN)->sig, 2);
	m->xen_base = xb;
	if (xb) {
		m->path = PATH_XEN;
		m->outcome = OUTCOME_BOOTS;
		/* xen_pvh_init(): before XSA-466 (commit 7fa0da537368, v6.13 and
		 * 6.12.y) wrmsr_safe(cpuid_ebx(base + 2), hypercall page); base+2
		 * EAX is not checked. After it: VMCALL/VMMCALL by CPU vendor. */
		struct cpuid_regs r2 = lt_get(t, xb + 2, 0);
		trace_add(m, true, xb + 2,
			  "xen_pvh_init(): kernels before XSA-466 write the hypercall page to MSR %#x (EBX of %#x); 6.13+/6.12.y use VMCALL/VMMCALL by CPU vendor",
			  r2.ebx, xb + 2);
		if (r2.ebx != 0x40000000u && r2.ebx != 0x40000200u)
			hazard_add(m, "xen_hypercall_msr_unusual", SEV_WARNING,
				   "base+2 EBX names MSR %#x, not Xen's 0x40000000 (0x40000200 with Viridian): kernels before XSA-466 write the hypercall page there and fault if it is not Xen's",
				   r2.ebx);
		trace_add(m, false, 0,
			  "init_pvh_bootparams(): memory map from start_info if version > 0 and memmap_entries != 0, else XENMEM_memory_map hypercall; type_of_loader = 0x90");
		reason_set(m, "Xen signature at %#x with EAX-base >= 2: xen_cpuid_base() = %#x, Xen PVH path", xb, xb);
		condition_add(m, "start_info magic 0x336ec578 (else BUG)");
	} else {
		m->path = PATH_GENERIC;
		m->outcome = OUTCOME_BOOTS;
		trace_add(m, false, 0,
			  "init_pvh_bootparams(): not Xen: the memory map must come from start_info (version > 0, memmap_entries != 0), else BUG() with no message; type_of_loader = 0xB0");
		reason_set(m, "no base has the Xen signature with EAX-base >= 2: generic PVH path");
		condition_add(m, "start_info version >= 1 with memmap_entries != 0, as every non-Xen PVH VMM passes (else a silent BUG)");
		condition_add(m, "start_info magic 0x336ec578 (else a silent BUG)");
		uint32_t any = model_sig_scan(NULL, t, "", sigtab_vendor(HV_XEN)->sig, 0);
		if (any) {
			struct cpuid_regs r = lt_get(t, any, 0);
			hazard_add(m, "xen_signature_too_few_leaves", SEV_WARNING,
				   "the Xen signature is at %#x but EAX = %#x (fewer than 2 leaves): Linux ignores it and takes the generic path; on real Xen handing over start_info version 0 (PVH dom0) that is a silent BUG()",
				   any, r.eax);
		}
	}
	linux_detect_platform(t, m);
	if (m->path == PATH_XEN && m->hypervisor != HV_XEN)
		hazard_add(m, "xen_path_other_platform", SEV_INFO,
			   "PVH entry takes the Xen path, but detect_hypervisor_vendor() then picks %s (as with QEMU's Xen emulation over KVM)",
			   m->platform);
}
