/* timing.h - --timing: what one CPUID costs here. In a VM every CPUID is a
 * trap to the hypervisor, and that cost is itself something people compare
 * between VMMs. Measured outside the leaf table (the same leaf many times),
 * only when asked, and counted apart from the analysis's executions. */
#ifndef PVHPROBE_TIMING_H
#define PVHPROBE_TIMING_H

#include "core/base.h"

#include "source.h"

#define TIMING_SAMPLES 301

struct timing {
	bool measured;
	uint32_t leaf;
	unsigned samples;
	uint64_t median_ns, min_ns, p90_ns;
};

/* Executes leaf TIMING_SAMPLES times through s (a live source). Returns 0,
 * or -ENOTSUP for a recorded dump. */
_warn_unused_result_ int timing_measure(struct cpuid_source *s, uint32_t leaf, struct timing *t);

#endif
