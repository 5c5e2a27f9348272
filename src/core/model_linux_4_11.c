/* model_linux_4_11.c - Linux 4.11 to 4.20, PVH entry: Xen only.
 *
 * torvalds/linux arch/x86/xen/xen-pvh.S pvh_start_xen (commit 7243b93345f7
 * "xen/pvh: Bootstrap PVH guest", 4.11; the file's last version before the
 * 5.0 move: 062360465516) loads its own GDT and page tables but no IDT, then
 * calls xen_prepare_pvh() (arch/x86/xen/enlighten_pvh.c), which in order:
 *  1. checks the start_info magic (xen_raw_printk + BUG otherwise);
 *  2. sets xen_pvh = 1 (4.19/4.20 also xen_start_flags): every PVH boot is
 *     Xen, no CPUID decides;
 *  3. wrmsr_safe(cpuid_ebx(xen_cpuid_base() + 2), __pa(hypercall_page)) with
 *     no check that a Xen base was found: without one that is basic leaf 2's
 *     EBX as the MSR index (model_linux_hcall.c);
 *  4. init_pvh_bootparams(): the memory map only through
 *     HYPERVISOR_memory_op(XENMEM_memory_map) (start_info had no map fields
 *     yet); rc != 0 -> BUG. Off Xen the hypercall page is the build-time one
 *     (zero-filled in 4.x, arch/x86/xen/xen-head.S): no clean error.
 *  5. type_of_loader 0x90 always; hdr.version 0x0212 in 4.11-4.19, 0x020c
 *     from 4.20 (357d291 "x86/xen: Fix boot loader version reported for PVH
 *     guests").
 * Maran Wilson's series (a43fb7da5300 and neighbours, Linux 5.0) moved the
 * entry to arch/x86/platform/pvh/ and added the generic path: linux-5.0.
 * docs/rules-linux.md section 2.6. */
#include "models.h"

#include "model_linux_hcall.h"
#include "model_linux_platform.h"


static void believes_xen(struct model_result *m, uint32_t base)
{
	m->hypervisor = HV_XEN;
	m->hypervisor_base = base;
	m->platform = "xen_pvh";
}

void model_linux_4_11_run(struct leaftab *t, struct model_result *m)
{
	m->path = PATH_XEN;
	trace_add(m, false, 0,
		  "xen_prepare_pvh(): start_info magic checked first (BUG otherwise), then xen_pvh = 1: every PVH boot is Xen, no CPUID decides");
	condition_add(m, COND_START_INFO_MAGIC, "start_info magic 0x336ec578 (else BUG)");
	uint32_t xb = model_sig_scan(m, t, "xen_cpuid_base()", sigtab_vendor(HV_XEN)->sig, 2);
	m->xen_base = xb;
	uint32_t msr;
	bool ok = linux_hypercall_msr(t, m, xb, "xen_prepare_pvh()", &msr);
	if (!xb) {
		m->outcome = OUTCOME_CRASH;
		believes_xen(m, 0);
		trace_add(m, false, 0,
			  "init_pvh_bootparams(): memory map only by the XENMEM_memory_map hypercall (start_info's map is not read) through a hypercall page nobody filled: crash");
		reason_set(m, "every PVH boot is Xen, but no Xen range: leaf 2 EBX %#x used as the hypercall MSR %s, then a hypercall with no hypercall page: crash",
			   msr, ok ? "(accepted only by chance)" : "(#GP before any IDT: triple fault)");
		return;
	}
	if (!ok) {
		m->outcome = OUTCOME_CRASH;
		believes_xen(m, xb);
		reason_set(m, "Xen at %#x, but base+2 EBX names MSR %#x, not Xen's hypercall MSR: wrmsr_safe() faults before any IDT exists: triple fault",
			   xb, msr);
		hazard_add(m, "xen_hypercall_msr_unusual", SEV_CRITICAL,
			   "cpuid(%#x) EBX = %#x: Linux 4.11-4.20 writes the hypercall page to that MSR at entry and triple-faults unless the VMM accepts it",
			   xb + 2, msr);
		return;
	}
	m->outcome = OUTCOME_BOOTS;
	trace_add(m, false, 0,
		  "init_pvh_bootparams(): memory map by the XENMEM_memory_map hypercall (start_info's map is not read); type_of_loader = 0x90; hdr.version = 0x0212 (4.11-4.19) or 0x020c (4.20)");
	reason_set(m, "every PVH boot is Xen; Xen at %#x with Xen's hypercall MSR %#x in base+2 EBX: Xen PVH path", xb, msr);
	condition_add(m, COND_XEN_MEMORY_MAP, "the VMM answers the XENMEM_memory_map hypercall (real Xen); start_info's memory map is ignored");
	linux_detect_platform(t, m);
	if (m->hypervisor != HV_XEN)
		hazard_add(m, "xen_path_other_platform", SEV_INFO,
			   "PVH entry takes the Xen path, but detect_hypervisor_vendor() then picks %s (as with QEMU's Xen emulation over KVM)",
			   m->platform);
}
