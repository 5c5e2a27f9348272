/* model_linux_5_0.c - Linux 5.0 to 6.12.5 (and the stable lines before
 * their XSA-466 backport: 6.6.66, 6.1.120, 5.15.174, 5.10.231), PVH entry.
 *
 * The decision is the one of the linux model (torvalds/linux
 * arch/x86/platform/pvh/enlighten.c xen_prepare_pvh(), from Maran Wilson's
 * 5.0 series, e.g. a43fb7da5300 "xen/pvh: Move Xen code for getting mem map
 * via hcall out of common file"); on the Xen path xen_pvh_init()
 * (arch/x86/xen/enlighten_pvh.c, before 7fa0da537368) then writes the
 * hypercall page to the MSR named by base+2 EBX, before any IDT exists:
 * model_linux_hcall.c. An MSR index other than Xen's faults: crash.
 * docs/rules-linux.md sections 2.5 and 2.7. */
#include "models.h"

#include "model_linux_hcall.h"
#include "model_linux_platform.h"


void model_linux_5_0_run(struct leaftab *t, struct model_result *m)
{
	uint32_t xb = model_sig_scan(m, t, "xen_cpuid_base()", sigtab_vendor(HV_XEN)->sig, 2);
	m->xen_base = xb;
	if (!xb) {
		linux_generic_path(t, m);
		linux_detect_platform(t, m);
		return;
	}
	m->path = PATH_XEN;
	condition_add(m, COND_START_INFO_MAGIC, "start_info magic 0x336ec578 (else BUG)");
	uint32_t msr;
	bool ok = linux_hypercall_msr(t, m, xb, "xen_pvh_init()", &msr);
	struct cpuid_regs r2 = lt_get(t, xb + 2, 0);
	if (!ok) {
		m->outcome = OUTCOME_CRASH;
		m->hypervisor = HV_XEN;
		m->hypervisor_base = xb;
		m->platform = "xen_pvh";
		reason_set(m, "Xen at %#x, but base+2 EBX names MSR %#x, not Xen's hypercall MSR: wrmsr_safe() faults before any IDT exists: triple fault",
			   xb, msr);
		hazard_add(m, "xen_hypercall_msr_unusual", SEV_CRITICAL,
			   "cpuid(%#x) EBX = %#x: Linux before XSA-466 (5.0-6.12.5 and the older stable lines) writes the hypercall page to that MSR at entry and triple-faults unless the VMM accepts it; 6.13+ no longer reads it",
			   xb + 2, msr);
		condition_add(m, COND_WRMSR_GP, "the VMM raises #GP for a WRMSR to an MSR it does not implement (KVM does unless kvm.ignore_msrs=1)");
		return;
	}
	if (r2.eax != 1)
		hazard_add(m, "xen_hypercall_pages_not_1", SEV_WARNING,
			   "cpuid(%#x) EAX = %u hypercall pages: Linux does not check it and writes one page to MSR %#x anyway",
			   xb + 2, r2.eax, msr);
	m->outcome = OUTCOME_BOOTS;
	trace_add(m, false, 0,
		  "init_pvh_bootparams(): memory map from start_info if version > 0 and memmap_entries != 0, else XENMEM_memory_map hypercall; type_of_loader = 0x90");
	reason_set(m, "Xen signature at %#x with EAX-base >= 2 and Xen's hypercall MSR %#x in base+2 EBX: Xen PVH path", xb, msr);
	linux_detect_platform(t, m);
	if (m->hypervisor != HV_XEN)
		hazard_add(m, "xen_path_other_platform", SEV_INFO,
			   "PVH entry takes the Xen path, but detect_hypervisor_vendor() then picks %s (as with QEMU's Xen emulation over KVM)",
			   m->platform);
}
