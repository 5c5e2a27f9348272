/* vcpus.h - --all-cpus: the same leaves on every CPU, and where they differ.
 *
 * The report's leaf table comes from one CPU; every other CPU this process
 * may run on (its affinity mask: a container's cpuset restricts it) is
 * probed for exactly those leaves, through the same kind of source, or, for
 * a multi-CPU dump, looked up in each CPU's records. Per-CPU fields (APIC
 * and vCPU ids, percpu.h) are not differences. */
#ifndef PVHPROBE_VCPUS_H
#define PVHPROBE_VCPUS_H

#include "core/leaftab.h"
#include "source.h"
#include "core/scan.h"

#define VCPUS_MAX 1024
#define VCPU_DIFFS_MAX 64

struct vcpu_diff {
	int cpu;
	uint32_t leaf, subleaf;
	struct cpuid_regs want, got; /* the reference CPU's values, this CPU's */
};

struct vcpus {
	bool requested;
	int ref_cpu;                 /* the CPU the report's leaves come from */
	int cpus[VCPUS_MAX];         /* CPUs compared, the reference first */
	unsigned ncpus;
	unsigned online;             /* CPUs online (live), or in the dump */
	bool restricted;             /* the affinity mask leaves some out */
	int failed_cpu;              /* a CPU that could not be probed, -1 */
	char failed_why[SOURCE_ERRMSG];
	struct vcpu_diff diffs[VCPU_DIFFS_MAX];
	unsigned ndiffs, ndiffs_total;
	unsigned long executions;    /* CPUID executions on the other CPUs */
};

struct dump;

/* Live: kind SOURCE_INSN or SOURCE_DEV, sysroot for /dev. */
void vcpus_probe_live(const struct leaftab *ref, const struct scan *s, int ref_cpu, int kind, const char *sysroot,
		      struct vcpus *v);
void vcpus_probe_dump(const struct leaftab *ref, const struct scan *s, int ref_cpu, const struct dump *d,
		      struct vcpus *v);

#endif
