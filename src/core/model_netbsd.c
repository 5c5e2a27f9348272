/* model_netbsd.c - NetBSD's PVH entry (NetBSD 11.0 and -current, kernels
 * built with options XEN and XENPVHVM, such as MICROVM): one entry for Xen
 * and for other VMMs, decided at run time by CPUID.
 *
 * The entry decision was read in Emile Heitor's microVM tree, the source of
 * the upstream MICROVM work (NetBSDfr/NetBSD-src sys/arch/amd64/amd64/locore.S
 * @058b032ba645, ENTRY(start_genpvh)); upstream locore.S of 2025 was not
 * readable here (docs/rules-netbsd.md section 2 says what is verified where):
 *  1. cpuid(0): EAX < 1 -> generic (VM_GUEST_GENPVH);
 *  2. cpuid(1): ECX bit 31 (hypervisor present) clear -> generic;
 *  3. cpuid(0x40000000): EBX == XEN_CPUID_SIGNATURE_EBX ("XenV") -> Xen
 *     (VM_GUEST_XENPVH), else generic. Only EBX of that one leaf: no EAX
 *     check, no ECX/EDX, no scan of 0x40000100 and up; no start_info magic
 *     check on either path.
 * Then (same tree, sys/arch/xen/xen/hypervisor.c @0cc6d904081b
 * init_xen_early(), called from locore's start before init_x86_64() loads
 * an IDT): on Xen, xen_init_hypercall_page(): cpuid(0x40000002) (fixed leaf:
 * XEN_CPUID_LEAF(2)), KASSERT(EAX == 1) (DIAGNOSTIC kernels only), plain
 * wrmsr(EBX, hypercall page); xen_hvm_init() later panics "hvm_init failed"
 * when the xen_version hypercall fails. Memory map
 * (sys/arch/x86/x86/x86_machdep.c @b134754ac0bb x86_add_xen_clusters()):
 * start_info's when memmap_entries > 0, else the XENMEM_memory_map
 * hypercall, which on the generic path goes through the placeholder page
 * (every slot up to xen_version returns -1): panic.
 * Upstream NetBSD/src sys/arch/x86/x86/identcpu.c (1.136)
 * identify_hypervisor() keeps whatever vm_guest the entry set. */
#include "models.h"

/* "XenV", EBX of Xen's signature leaf (xen-project/xen
 * xen/include/public/arch-x86/cpuid.h XEN_CPUID_SIGNATURE_EBX). */
#define NETBSD_XEN_EBX 0x566e6558u
#define NETBSD_XEN_LEAF 0x40000000u

static void believes(struct model_result *m, bool xen)
{
	m->hypervisor = xen ? HV_XEN : _HV_VENDOR_INVALID;
	m->hypervisor_base = xen ? NETBSD_XEN_LEAF : 0;
	m->platform = xen ? "VM_GUEST_XENPVH" : "VM_GUEST_GENPVH";
}

/* Which of the three tests sends the entry to the generic path; 0 if
 * none (Xen). */
enum nb_generic_why {
	NB_XEN,
	NB_NO_LEAF_1,
	NB_NO_HV_BIT,
	NB_NOT_XENV,
};

static enum nb_generic_why entry_decision(struct leaftab *t, struct model_result *m)
{
	struct cpuid_regs r0 = lt_get(t, 0, 0);
	if (r0.eax < 1) {
		trace_add(m, true, 0, "start_genpvh: cpuid(0) EAX = %#x < 1: no leaf 1 -> VM_GUEST_GENPVH", r0.eax);
		return NB_NO_LEAF_1;
	}
	trace_add(m, true, 0, "start_genpvh: cpuid(0) EAX = %#x >= 1: leaf 1 can be read", r0.eax);
	struct cpuid_regs r1 = lt_get(t, 1, 0);
	if (!(r1.ecx >> 31)) {
		trace_add(m, true, 1, "start_genpvh: cpuid(1) ECX = %#x, bit 31 (hypervisor) clear -> VM_GUEST_GENPVH",
			  r1.ecx);
		return NB_NO_HV_BIT;
	}
	trace_add(m, true, 1, "start_genpvh: cpuid(1) ECX bit 31 (hypervisor) set");
	struct cpuid_regs r = lt_get(t, NETBSD_XEN_LEAF, 0);
	char got[64];
	sig_text(&r, got, sizeof(got));
	if (r.ebx != NETBSD_XEN_EBX) {
		trace_add(m, true, NETBSD_XEN_LEAF,
			  "start_genpvh: cpuid(0x40000000) = \"%s\": EBX %#x is not \"XenV\" -> VM_GUEST_GENPVH (no other base is read)",
			  got, r.ebx);
		return NB_NOT_XENV;
	}
	trace_add(m, true, NETBSD_XEN_LEAF,
		  "start_genpvh: cpuid(0x40000000) = \"%s\": EBX is \"XenV\" (EAX %#x, ECX and EDX not compared) -> VM_GUEST_XENPVH",
		  got, r.eax);
	return NB_XEN;
}

static void generic_path(struct leaftab *t, struct model_result *m, enum nb_generic_why why)
{
	m->path = PATH_GENERIC;
	believes(m, false);
	condition_add(m, COND_MEMMAP_ENTRIES,
		      "start_info memmap_entries != 0 (read whatever the version; else XENMEM_memory_map through the placeholder hypercall page returns -1: panic)");
	trace_add(m, false, 0,
		  "init_xen_early(): command line and flags from start_info, no hypercall page; identify_hypervisor() keeps VM_GUEST_GENPVH; x86_add_xen_clusters(): start_info's memory map");
	/* Is there a Xen NetBSD did not see? The kernel's own test is above;
	 * this quiet scan only tells the user what the generic path misses. */
	uint32_t xb = model_sig_scan(NULL, t, "xen", sigtab_vendor(HV_XEN)->sig, 2);
	if (!xb) {
		m->outcome = OUTCOME_BOOTS;
		reason_set(m, "%s: generic PVH path (VM_GUEST_GENPVH)",
			   why == NB_NOT_XENV	? "cpuid(0x40000000) EBX is not \"XenV\""
			   : why == NB_NO_HV_BIT ? "CPUID.1:ECX[31] clear"
						 : "cpuid(0) EAX < 1");
		return;
	}
	m->outcome = OUTCOME_DEGRADED;
	if (why == NB_NOT_XENV) {
		reason_set(m, "Xen at %#x, but NetBSD reads only 0x40000000: generic PVH path on Xen, no Xen devices (hypervisor0 does not attach)",
			   xb);
		hazard_add(m, "xen_not_at_first_base", SEV_WARNING,
			   "Xen's signature is at %#x (another hypervisor's at 0x40000000, as with Viridian): NetBSD's PVH entry looks only at 0x40000000 and boots as a generic PVH guest without Xen's PV devices",
			   xb);
	} else {
		reason_set(m, "Xen at %#x, but %s: generic PVH path on Xen, no Xen devices (hypervisor0 does not attach)", xb,
			   why == NB_NO_HV_BIT ? "CPUID.1:ECX[31] is clear" : "cpuid(0) EAX < 1");
		hazard_add(m, "xen_signature_hypervisor_bit_clear", SEV_WARNING,
			   "Xen's signature is at %#x but the entry stops before it (%s): generic PVH path on Xen", xb,
			   why == NB_NO_HV_BIT ? "CPUID.1:ECX[31] clear" : "no leaf 1");
	}
}

void model_netbsd_run(struct leaftab *t, struct model_result *m)
{
	enum nb_generic_why why = entry_decision(t, m);
	if (why != NB_XEN) {
		generic_path(t, m, why);
		return;
	}
	m->path = PATH_XEN;
	m->xen_base = NETBSD_XEN_LEAF;
	believes(m, true);
	struct cpuid_regs r = lt_get(t, NETBSD_XEN_LEAF, 0);
	uint8_t s[CPUID_SIG_LEN];
	regs_signature(&r, s);
	if (memcmp(s, sigtab_vendor(HV_XEN)->sig, CPUID_SIG_LEN) != 0)
		hazard_add(m, "xen_signature_ebx_only", SEV_CRITICAL,
			   "cpuid(0x40000000) EBX is \"XenV\" but ECX/EDX are not \"MMXenVMM\": NetBSD compares EBX only and takes the Xen path");
	uint32_t leaf = NETBSD_XEN_LEAF + 2;
	struct cpuid_regs r2 = lt_get(t, leaf, 0);
	trace_add(m, true, leaf,
		  "init_xen_early() -> xen_init_hypercall_page(): cpuid(%#x) EAX = %u (KASSERT == 1, DIAGNOSTIC kernels only), wrmsr(EBX %#x, hypercall page) before any IDT exists",
		  leaf, r2.eax, r2.ebx);
	if (!lt_recorded(t, leaf, 0))
		trace_add(m, true, leaf, "cpuid(%#x) is not recorded in this dump: it reads as zero here, the real CPU may differ",
			  leaf);
	if (r2.eax != 1)
		hazard_add(m, "xen_hypercall_pages_not_1", SEV_WARNING,
			   "cpuid(%#x) EAX = %u hypercall pages: a DIAGNOSTIC NetBSD kernel panics on its KASSERT(EAX == 1); a release kernel goes on",
			   leaf, r2.eax);
	if (!is_xen_hypercall_msr(r2.ebx)) {
		m->outcome = OUTCOME_CRASH;
		reason_set(m, "EBX \"XenV\" at 0x40000000, but cpuid(%#x) EBX names MSR %#x, not Xen's hypercall MSR: a plain wrmsr faults before any IDT exists: triple fault",
			   leaf, r2.ebx);
		hazard_add(m, "xen_hypercall_msr_unusual", SEV_CRITICAL,
			   "cpuid(%#x) EBX = %#x: NetBSD writes the hypercall page to that MSR with a plain wrmsr in init_xen_early() and triple-faults unless the VMM accepts it",
			   leaf, r2.ebx);
		return;
	}
	m->outcome = OUTCOME_BOOTS;
	trace_add(m, false, 0,
		  "MSR %#x is Xen's hypercall MSR; shared_info by XENMEM_add_to_physmap (a failure is only printed); xen_hvm_init(): the xen_version hypercall must answer, else panic",
		  r2.ebx);
	reason_set(m, "EBX \"XenV\" at 0x40000000, hypercall page from MSR %#x: Xen PVH path (VM_GUEST_XENPVH)", r2.ebx);
	condition_add(m, COND_XEN_VERSION, "the xen_version hypercall answers (real Xen): xen_hvm_init() panics \"hvm_init failed\" otherwise");
}
