/* regs.h - CPUID register values and the hypervisor leaf range.
 *
 * The scan constants are the ones every modelled kernel uses: Linux
 * for_each_possible_hypervisor_cpuid_base() (arch/x86/include/asm/cpuid*.h),
 * FreeBSD isxen() (sys/x86/xen/pv.c) and identify_hypervisor_cpuid_base()
 * (sys/x86/x86/identcpu.c): 0x40000000..0x4000ff00 in steps of 0x100. */
#ifndef PVHPROBE_REGS_H
#define PVHPROBE_REGS_H

#include "base.h"

#define HV_BASE_FIRST 0x40000000u
#define HV_BASE_LAST  0x4000ff00u
#define HV_BASE_STEP  0x100u
#define HV_NBASES     256u

#define CPUID_SIG_LEN 12

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline bool regs_zero(const struct cpuid_regs *r)
{
	return (r->eax | r->ebx | r->ecx | r->edx) == 0;
}

static inline bool regs_equal(const struct cpuid_regs *a, const struct cpuid_regs *b)
{
	return a->eax == b->eax && a->ebx == b->ebx && a->ecx == b->ecx && a->edx == b->edx;
}

/* The 12 signature bytes of a base leaf: EBX, ECX, EDX, each little-endian. */
void regs_signature(const struct cpuid_regs *r, uint8_t sig[CPUID_SIG_LEN]);

static inline uint32_t hv_base(unsigned i)
{
	return HV_BASE_FIRST + i * HV_BASE_STEP;
}

/* Whether leaf is one of the 256 bases 0x40000000, 0x40000100, ...,
 * 0x4000ff00; its index is then (leaf - HV_BASE_FIRST) / HV_BASE_STEP. */
static inline bool hv_is_base(uint32_t leaf)
{
	return (leaf & 0xffff00ffu) == HV_BASE_FIRST;
}

#endif
