/* model_linux_hcall.c - the hypercall-page MSR write of Linux's PVH entry
 * before XSA-466.
 *
 * torvalds/linux arch/x86/xen/enlighten_pvh.c: xen_prepare_pvh() in 4.11-4.20
 * (commit 7243b93345f7 "xen/pvh: Bootstrap PVH guest") and xen_pvh_init()
 * from 5.0 (Maran Wilson's series, a43fb7da5300 and neighbours) until
 * 7fa0da537368 "x86/xen: remove hypercall page" (XSA-466, v6.13; stable
 * 6.12.6, 6.6.67, 6.1.121, 5.15.175, 5.10.232): msr = cpuid_ebx(
 * xen_cpuid_base() + 2); wrmsr_safe(msr, __pa(hypercall_page)). Base+2 EAX
 * (the number of hypercall pages) is not checked, and the return value of
 * wrmsr_safe() is ignored. The PVH entry (arch/x86/xen/xen-pvh.S, later
 * arch/x86/platform/pvh/head.S pvh_start_xen) loads no IDT before this call;
 * the early IDT comes with idt_setup_early_handler() in
 * x86_64_start_kernel(), after startup_64. So wrmsr_safe()'s exception-table
 * fix-up cannot run: a #GP goes through whatever IDTR the VMM left and ends
 * in a triple fault (reasoned from the code, not run: docs/rules-linux.md
 * section 2.7). */
#include "model_linux_hcall.h"

bool linux_hypercall_msr(struct leaftab *t, struct model_result *m, uint32_t xen_base, const char *fn,
			 uint32_t *msr)
{
	uint32_t leaf = xen_base + 2;
	struct cpuid_regs r = lt_get(t, leaf, 0);
	*msr = r.ebx;
	if (xen_base == 0)
		trace_add(m, true, leaf,
			  "%s: xen_cpuid_base() = 0, so cpuid_ebx(0 + 2) reads basic leaf 2: EBX = %#x is the MSR index; wrmsr_safe(%#x, __pa(hypercall_page)) runs before any IDT exists",
			  fn, r.ebx, r.ebx);
	else
		trace_add(m, true, leaf,
			  "%s: cpuid(%#x) EBX = %#x: wrmsr_safe(%#x, __pa(hypercall_page)) before any IDT exists (EAX = %u hypercall pages, not checked)",
			  fn, leaf, r.ebx, r.ebx, r.eax);
	if (!lt_recorded(t, leaf, 0))
		trace_add(m, true, leaf, "cpuid(%#x) is not recorded in this dump: it reads as zero here, the real CPU may differ", leaf);
	bool xen_msr = is_xen_hypercall_msr(r.ebx);
	if (xen_msr)
		trace_add(m, false, 0, "MSR %#x is Xen's hypercall MSR%s: the hypervisor fills the hypercall page", r.ebx,
			  r.ebx == XEN_HYPERCALL_MSR_VIRIDIAN ? " (moved above Viridian's)" : "");
	else
		trace_add(m, false, 0,
			  "MSR %#x is not Xen's hypercall MSR (0x40000000, 0x40000200 with Viridian): a #GP here has no handler (no IDT yet): triple fault",
			  r.ebx);
	return xen_msr;
}
