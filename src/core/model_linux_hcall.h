/* model_linux_hcall.h - Linux's PVH hypercall-page MSR write before XSA-466
 * (shared by the linux-5.0 and linux-4.11 models). */
#ifndef PVHPROBE_MODEL_LINUX_HCALL_H
#define PVHPROBE_MODEL_LINUX_HCALL_H

#include "model.h"


/* wrmsr_safe(cpuid_ebx(xen_base + 2), __pa(hypercall_page)) as
 * xen_prepare_pvh() (4.11-4.20) and xen_pvh_init() (5.0 until XSA-466) run
 * it: before any IDT exists, so a #GP cannot be fixed up. xen_base 0 (no Xen
 * range, possible only in 4.11-4.20) reads basic leaf 2. fn names the
 * kernel function for the trace. Reads that one leaf, traces, and returns
 * the MSR index in *msr. True when the index is one of Xen's two hypercall
 * MSRs (the write is then expected to work); false when it is anything
 * else (a #GP, hence a triple fault, unless the VMM accepts that MSR). */
bool linux_hypercall_msr(struct leaftab *t, struct model_result *m, uint32_t xen_base, const char *fn,
			 uint32_t *msr);

#endif
