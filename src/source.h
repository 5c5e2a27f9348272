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

#include <stddef.h>

#include "leafset.h"

enum source_kind {
	SOURCE_INSN,
	SOURCE_DEV,
	SOURCE_DUMP,
	_SOURCE_KIND_MAX,
};

const char *source_kind_name(enum source_kind k);

struct cpuid_source {
	enum source_kind kind;
	/* Fills out->r and out->recorded. Returns 0 or -errno. */
	int (*exec)(struct cpuid_source *s, uint32_t leaf, uint32_t subleaf, struct leaf_entry *out);
	void (*close)(struct cpuid_source *s);
	int cpu;                  /* CPU the values come from; -1 when unknown */
	int fd;                   /* /dev/cpu/N/cpuid */
	const struct leafset *set; /* recorded dump */
	/* The CPUs the process was allowed to run on before the instruction
	 * source pinned it (a cpu_set_t's bits; --all-cpus probes these). */
	uint64_t allowed[16];
	bool have_allowed;
};

#define SOURCE_ERRMSG 256

/* The CPUID instruction. cpu < 0: wherever the scheduler runs us (the
 * process is pinned to the CPU it is on, so that every leaf comes from one
 * CPU); otherwise pinned to that CPU. Returns -ENOTSUP where CPUID cannot be
 * executed (not x86, CPUID faulting), -EINVAL for a CPU not in our affinity
 * mask. */
int source_insn_open(struct cpuid_source *s, int cpu, char *msg, size_t msglen);

/* /dev/cpu/N/cpuid under sysroot (NULL or "" for /). */
int source_dev_open(struct cpuid_source *s, const char *sysroot, int cpu, char *msg, size_t msglen);

/* A recorded dump: leaves absent from set read as zero, recorded = false. */
void source_dump_open(struct cpuid_source *s, const struct leafset *set, int cpu);

void source_close(struct cpuid_source *s);

#endif
