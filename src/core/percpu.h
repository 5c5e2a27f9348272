/* percpu.h - CPUID bits that legitimately differ from one CPU to the next
 * (APIC ids, Xen's vCPU id), so that comparing CPUs or machines does not
 * report them as differences. */
#ifndef PVHPROBE_PERCPU_H
#define PVHPROBE_PERCPU_H

#include "scan.h"

/* Mask of the bits of register reg (0 EAX .. 3 EDX) of leaf that are the
 * same on every CPU of one machine. s (may be NULL) locates Xen ranges. */
uint32_t percpu_stable_mask(const struct scan *s, uint32_t leaf, int reg);

/* a and b equal once per-CPU bits are masked. */
bool percpu_equal(const struct scan *s, uint32_t leaf, const struct cpuid_regs *a, const struct cpuid_regs *b);

#endif
