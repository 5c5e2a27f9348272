/* source.h - where CPUID values come from.
 *
 * Three sources share one interface: the CPUID instruction (libcpuid's
 * cpu_exec_cpuid_ext, pinned to a CPU when asked), the kernel's
 * /dev/cpu/N/cpuid driver, and a recorded dump. Each call executes (or looks
 * up) one (leaf, subleaf); caching and counting live in leaftab.c.
 * Sources never print; errors come back as -errno plus a message in the
 * caller's buffer. */
#ifndef PVHPROBE_SOURCE_H
#define PVHPROBE_SOURCE_H

#include "core/base.h"

#include <stddef.h>

#include "core/cpuid_source.h"

const char *source_kind_name(enum source_kind k);
enum source_kind source_kind_from_name(const char *s);

#define SOURCE_ERRMSG 256

/* The CPUID instruction. cpu < 0: wherever the scheduler runs us (the
 * process is pinned to the CPU it is on, so that every leaf comes from one
 * CPU); otherwise pinned to that CPU. Returns -ENOTSUP where CPUID cannot be
 * executed (not x86, CPUID faulting), -EINVAL for a CPU not in our affinity
 * mask. */
_warn_unused_result_ int source_insn_open(struct cpuid_source *s, int cpu, char *msg, size_t msglen);

/* /dev/cpu/N/cpuid under sysroot (NULL or "" for /). */
_warn_unused_result_ int source_dev_open(struct cpuid_source *s, const char *sysroot, int cpu, char *msg, size_t msglen);

/* A recorded dump: leaves absent from set read as zero, recorded = false. */
void source_dump_open(struct cpuid_source *s, const struct leafset *set, int cpu);

/* Xen's CPUID view in a Xen PV guest, through the forced-emulation prefix
 * (source_xen_pv.c). Refuses (-ENOTSUP) unless the real /sys/hypervisor
 * says this is a PV guest: elsewhere the prefix is an invalid instruction. */
int source_xen_pv_open(struct cpuid_source *s, int cpu, char *msg, size_t msglen);
/* Whether the real /sys/hypervisor says "xen", guest_type "PV". */
bool source_xen_pv_guest(void);

void source_close(struct cpuid_source *s);

#endif
