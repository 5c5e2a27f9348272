/* model_freebsd.c - FreeBSD after D43764 (8f5406c7, 2024-02-02): 15.0 and
 * main (14.1-14.3 only if the change was merged to stable/14, which is
 * unverified).
 *
 * freebsd/freebsd-src sys/x86/xen/pv.c hammer_time_xen() makes no Xen call
 * any more (isxen() only decides whether CRASH() prints first). The Xen
 * set-up moved to identify_hypervisor() (sys/x86/x86/identcpu.c, the D43508
 * scan that keeps going past Hyper-V): when the stopping match is Xen, its
 * vm_cpuids[] init hook xen_early_init() (sys/x86/xen/hvm.c) runs:
 * xen_hvm_cpuid_base() finds no base -> returns silently, vm_guest stays XEN
 * without a hypercall page; base+2 EAX != 1 -> "Invalid number of hypercall
 * pages", vm_guest = VM_GUEST_VM, boot continues; otherwise a plain wrmsr to
 * base+2 EBX, and hammer_time() (sys/amd64/amd64/machdep.c) runs
 * identify_hypervisor() before its lidt(): an MSR other than Xen's is a
 * triple fault.
 * docs/rules-freebsd.md, FB-PVH-v3 and section 3.4. */
#include "models.h"

#include "model_freebsd_identcpu.h"

void model_freebsd_run(struct leaftab *t, struct model_result *m)
{
	trace_add(m, false, 0, "hammer_time_xen(): no Xen set-up at entry (isxen() is consulted only for CRASH() messages)");
	struct fb_identcpu id;
	freebsd_identcpu(t, m, FB_IDENTCPU_D43508, &id);
	freebsd_believes(m, id.guest, id.hv_base);
	condition_add(m, COND_START_INFO_MAGIC, "start_info magic 0x336ec578 (else a halt)");
	condition_add(m, COND_MODLIST, "start_info: modules whenever modlist_paddr is set (modlist_paddr != 0 with nr_modules 0 halts)");
	if (!id.init_xen) {
		m->path = PATH_GENERIC;
		m->outcome = OUTCOME_BOOTS;
		reason_set(m, "identify_hypervisor() settles on %s, not Xen: no Xen set-up, generic path", fb_vm_guest_name(id.guest));
		condition_add(m, COND_MEMMAP_PADDR, "start_info version >= 1 with memmap_paddr != 0 (else the XENMEM_memory_map hypercall without a page: crash)");
		uint32_t any = model_sig_scan(NULL, t, "", sigtab_vendor(HV_XEN)->sig, 0);
		if (any) {
			if (id.guest == VM_GUEST_NO)
				hazard_add(m, "xen_signature_hypervisor_bit_clear", SEV_WARNING,
					   "the Xen signature is at %#x but CPUID.1:ECX[31] is clear: FreeBSD does no Xen set-up at all, even on real Xen",
					   any);
			else
				hazard_add(m, "xen_signature_not_chosen", SEV_INFO,
					   "the Xen signature at %#x is not the hypervisor identify_hypervisor() settles on (EAX below base, or another one stopped the scan)",
					   any);
		}
		return;
	}
	uint32_t base = model_sig_scan(m, t, "xen_early_init(): xen_hvm_cpuid_base()", sigtab_vendor(HV_XEN)->sig, 2);
	m->xen_base = base;
	m->path = PATH_XEN;
	if (!base) {
		m->outcome = OUTCOME_DEGRADED;
		reason_set(m, "identify_hypervisor() picks Xen at %#x, but no base has EAX-base >= 2: xen_early_init() returns silently, vm_guest stays Xen with no hypercall page", id.hv_base);
		hazard_add(m, "xen_without_hypercall_page", SEV_CRITICAL,
			   "vm_guest = VM_GUEST_XEN with no hypercall page: the first hypercall from a Xen driver jumps into an empty (int3-filled) page");
		return;
	}
	struct cpuid_regs r2 = lt_get(t, base + 2, 0);
	if (r2.eax != 1) {
		m->path = PATH_GENERIC;
		m->outcome = OUTCOME_DEGRADED;
		freebsd_believes(m, VM_GUEST_VM, 0);
		trace_add(m, true, base + 2, "cpuid(%#x): EAX = %u: \"Invalid number of hypercall pages %u\", vm_guest = VM_GUEST_VM", base + 2, r2.eax, r2.eax);
		reason_set(m, "Xen at %#x but base+2 EAX = %u, not 1: demoted to a generic VM, boot continues without Xen", base, r2.eax);
		hazard_add(m, "xen_hypercall_pages_not_1", SEV_WARNING,
			   "cpuid(%#x) EAX = %u hypercall pages; FreeBSD wants exactly 1 and drops Xen support", base + 2, r2.eax);
		condition_add(m, COND_MEMMAP_PADDR, "start_info version >= 1 with memmap_paddr != 0 (else the XENMEM_memory_map hypercall without a page: crash)");
		return;
	}
	trace_add(m, true, base + 2, "cpuid(%#x): 1 hypercall page, wrmsr(%#x, hypercall page), then map shared_info", base + 2, r2.ebx);
	/* hammer_time() (sys/amd64/amd64/machdep.c) calls identify_hypervisor()
	 * before it fills the IDT and runs lidt(): the plain wrmsr's #GP has
	 * no handler of FreeBSD's. */
	if (!is_xen_hypercall_msr(r2.ebx)) {
		m->outcome = OUTCOME_CRASH;
		trace_add(m, false, 0,
			  "MSR %#x is not Xen's hypercall MSR (0x40000000, 0x40000200 with Viridian): wrmsr raises #GP before hammer_time() loads its IDT: triple fault",
			  r2.ebx);
		reason_set(m, "identify_hypervisor() picks Xen at %#x, but base+2 EBX names MSR %#x, not Xen's hypercall MSR: xen_early_init()'s wrmsr faults before any IDT exists: triple fault",
			   base, r2.ebx);
		hazard_add(m, "xen_hypercall_msr_unusual", SEV_CRITICAL,
			   "cpuid(%#x) EBX = %#x: FreeBSD writes the hypercall page to that MSR with a plain wrmsr in xen_early_init(), before hammer_time() loads its IDT, and triple-faults unless the VMM accepts it",
			   base + 2, r2.ebx);
		return;
	}
	m->outcome = OUTCOME_BOOTS;
	reason_set(m, "identify_hypervisor() picks Xen; xen_early_init() sets up the hypercall page from %#x: Xen path", base);
	condition_add(m, COND_XEN_PHYSMAP, "XENMEM_add_to_physmap for shared_info works (else demoted to VM_GUEST_VM)");
}
