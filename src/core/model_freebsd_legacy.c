/* model_freebsd_legacy.c - FreeBSD before D35801 (13.1 and earlier; 13.2-13.5
 * unless D35800/D35801 were merged to stable/13, which is unverified).
 *
 * freebsd/freebsd-src sys/x86/xen/pv.c hammer_time_xen() before commit
 * eb5956fdfb17 (D35801): every PVH boot is Xen. It calls
 * xen_hvm_init_hypercall_stubs() (sys/x86/xen/hvm.c) first; on failure
 * xc_printf() and HYPERVISOR_shutdown() are themselves hypercalls through a
 * page that was never installed: a crash with no reliable message.
 * docs/rules-freebsd.md, FB-PVH-v0/v1. */
#include "models.h"

#include "model_freebsd_identcpu.h"

void model_freebsd_legacy_run(struct leaftab *t, struct model_result *m)
{
	m->path = PATH_XEN;
	trace_add(m, false, 0, "hammer_time_xen(): every PVH boot is Xen: vm_guest = VM_GUEST_XEN");
	uint32_t base;
	int rc = freebsd_hypercall_stubs(t, m, &base);
	m->xen_base = base;
	if (rc) {
		m->outcome = OUTCOME_CRASH;
		freebsd_believes(m, VM_GUEST_XEN, base);
		trace_add(m, false, 0, "\"ERROR: failed to initialize hypercall page: %d\" via xc_printf, then HYPERVISOR_shutdown: both hypercalls without a page -> crash", rc);
		reason_set(m, rc == CORE_ENXIO	 ? "every PVH boot is Xen, but no base has the Xen signature with EAX-base >= 2: hypercall set-up fails (ENXIO), crash"
			      : rc == CORE_EFAULT ? "every PVH boot is Xen; the Xen range's base+2 EBX is not Xen's hypercall MSR: wrmsr faults before any IDT exists: triple fault"
						  : "every PVH boot is Xen; the Xen range's base+2 EAX is not 1 hypercall page: set-up fails (EINVAL), crash");
		return;
	}
	m->outcome = OUTCOME_BOOTS;
	reason_set(m, "every PVH boot is Xen; Xen at %#x with 1 hypercall page: Xen PVH path", base);
	condition_add(m, COND_START_INFO_MAGIC, "start_info magic 0x336ec578 (else a halt)");
	condition_add(m, COND_MODLIST, "start_info: modules whenever modlist_paddr is set (modlist_paddr != 0 with nr_modules 0 halts)");
	condition_add(m, COND_XEN_PHYSMAP, "a working XENMEM_add_to_physmap (real Xen)");
	struct fb_identcpu id;
	freebsd_identcpu(t, m, FB_IDENTCPU_PRE_D43508, &id);
	freebsd_believes(m, id.guest, id.hv_base);
}
