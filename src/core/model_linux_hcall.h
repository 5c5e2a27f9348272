/* model_linux_hcall.h - Linux's PVH hypercall-page MSR write before XSA-466
 * (shared by the linux-5.0 and linux-4.11 models). */
#ifndef PVHPROBE_MODEL_LINUX_HCALL_H
#define PVHPROBE_MODEL_LINUX_HCALL_H

#include "model.h"

/* The MSRs Xen hands out in base+2 EBX for its hypercall page: 0x40000000,
 * or 0x40000200 when Viridian's MSRs occupy 0x40000000 (xen-project/xen
 * xen/include/public/arch-x86/cpuid.h; QEMU's Xen emulation over KVM uses
 * the same two). */
#define XEN_HYPERCALL_MSR 0x40000000u
#define XEN_HYPERCALL_MSR_VIRIDIAN 0x40000200u

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
