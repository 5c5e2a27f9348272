/* cpuid_source.h - where CPUID values come from, as the core sees it.
 *
 * The core reads leaves only through this interface (and the leaf table
 * over it). The hosted program implements it three ways (the CPUID
 * instruction, /dev/cpu/N/cpuid, a recorded dump: src/source*.c); the probe
 * guest executes the instruction itself. Each call executes (or looks up)
 * one (leaf, subleaf); caching and counting live in leaftab.c. */
#ifndef PVHPROBE_CORE_CPUID_SOURCE_H
#define PVHPROBE_CORE_CPUID_SOURCE_H

#include "base.h"
#include "leafset.h"

enum source_kind {
	SOURCE_INSN,  /* the CPUID instruction */
	SOURCE_DEV,   /* /dev/cpu/N/cpuid */
	SOURCE_DUMP,  /* a recorded dump */
	SOURCE_XEN_PV, /* Xen's view in a PV guest: the forced-emulation prefix */
	_SOURCE_KIND_MAX,
	_SOURCE_KIND_INVALID = -1,
};

struct cpuid_source {
	enum source_kind kind;
	/* Fills out->r and out->recorded. Returns 0 or -errno. */
	int (*exec)(struct cpuid_source *s, uint32_t leaf, uint32_t subleaf, struct leaf_entry *out);
	void (*close)(struct cpuid_source *s);
	int cpu;                   /* CPU the values come from; -1 when unknown */
	int fd;                    /* /dev/cpu/N/cpuid */
	const struct leafset *set; /* recorded dump */
	/* The CPUs the process was allowed to run on before the instruction
	 * source pinned it (a cpu_set_t's bits; --all-cpus probes these). */
	uint64_t allowed[16];
	bool have_allowed;
};

#endif
