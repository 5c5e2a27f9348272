/* model_freebsd_14.c - FreeBSD's PVH entry after D35801 and before D43764
 * (14.0; 14.1-14.3 and 13.2+ unless the 2024 change was merged, which is
 * unverified).
 *
 * freebsd/freebsd-src sys/x86/xen/pv.c @eb5956fdfb17 hammer_time_xen():
 * isxen() scans for "XenVMMXenVMM" and ignores EAX; if it says Xen, the
 * hypercall stubs are set up (sys/x86/xen/hvm.c
 * xen_hvm_init_hypercall_stubs(), which does check EAX-base >= 2 and base+2
 * EAX == 1) and failure crashes. Otherwise CRASH() would halt, and the
 * generic path needs a start_info memory map.
 * vm_guest: identcpu before D43508 (Hyper-V also stops the scan).
 * docs/rules-freebsd.md, FB-PVH-v2 and section 3.5. */
#include "models.h"

#include "model_freebsd_identcpu.h"

void model_freebsd_14_run(struct leaftab *t, struct model_result *m)
{
	uint32_t isxen = model_sig_scan(m, t, "isxen()", sigtab_vendor(HV_XEN)->sig, 0);
	if (!isxen) {
		m->path = PATH_GENERIC;
		m->outcome = OUTCOME_BOOTS;
		reason_set(m, "isxen() finds no Xen signature: generic PVH path");
		condition_add(m, COND_MEMMAP_PADDR, "start_info version >= 1 with memmap_paddr != 0 (else the XENMEM_memory_map hypercall without a page: crash)");
		condition_add(m, COND_START_INFO_MAGIC, "start_info magic 0x336ec578 (else a silent halt)");
		condition_add(m, COND_MODLIST, "start_info: modules whenever modlist_paddr is set (modlist_paddr != 0 with nr_modules 0 halts)");
		struct fb_identcpu id;
		freebsd_identcpu(t, m, FB_IDENTCPU_PRE_D43508, &id);
		freebsd_believes(m, id.guest, id.hv_base);
		return;
	}
	m->path = PATH_XEN;
	uint32_t base;
	int rc = freebsd_hypercall_stubs(t, m, &base);
	m->xen_base = base;
	if (rc) {
		m->outcome = OUTCOME_CRASH;
		freebsd_believes(m, VM_GUEST_XEN, isxen);
		trace_add(m, false, 0, "\"ERROR: failed to initialize hypercall page: %d\" via xc_printf, then HYPERVISOR_shutdown: hypercalls without a page -> crash", rc);
		if (rc == CORE_ENXIO) {
			struct cpuid_regs r = lt_get(t, isxen, 0);
			reason_set(m, "isxen() sees the Xen signature at %#x (EAX %#x ignored), but no base has EAX-base >= 2: hypercall set-up fails, crash", isxen, r.eax);
			hazard_add(m, "xen_signature_too_few_leaves", SEV_CRITICAL,
				   "Xen signature with fewer than 2 leaves (EAX %#x at %#x): isxen() says Xen, the hypercall set-up fails and the guest dies silently; Linux would take its generic path",
				   r.eax, isxen);
		} else if (rc == CORE_EFAULT) {
			struct cpuid_regs r2 = lt_get(t, base + 2, 0);
			reason_set(m, "Xen at %#x, but base+2 EBX names MSR %#x, not Xen's hypercall MSR: wrmsr faults before any IDT exists: triple fault",
				   base, r2.ebx);
			hazard_add(m, "xen_hypercall_msr_unusual", SEV_CRITICAL,
				   "cpuid(%#x) EBX = %#x: FreeBSD writes the hypercall page to that MSR with a plain wrmsr in hammer_time_xen() and triple-faults unless the VMM accepts it",
				   base + 2, r2.ebx);
		} else {
			reason_set(m, "Xen at %#x but base+2 EAX is not 1 hypercall page: set-up fails (EINVAL), crash", base);
			hazard_add(m, "xen_hypercall_pages_not_1", SEV_CRITICAL,
				   "cpuid(%#x) EAX = %u hypercall pages; FreeBSD requires exactly 1 and crashes otherwise",
				   base + 2, lt_get(t, base + 2, 0).eax);
		}
		return;
	}
	m->outcome = OUTCOME_BOOTS;
	reason_set(m, "Xen signature at %#x, hypercall page set up from %#x: Xen PVH path", isxen, base);
	condition_add(m, COND_START_INFO_MAGIC, "start_info magic 0x336ec578 (else a halt)");
	condition_add(m, COND_MODLIST, "start_info: modules whenever modlist_paddr is set (modlist_paddr != 0 with nr_modules 0 halts)");
	condition_add(m, COND_XEN_PHYSMAP, "a working XENMEM_add_to_physmap (real Xen)");
	struct fb_identcpu id;
	freebsd_identcpu(t, m, FB_IDENTCPU_PRE_D43508, &id);
	freebsd_believes(m, id.guest, id.hv_base);
}
