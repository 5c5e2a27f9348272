/* timing.c - the cost of one CPUID: the median of TIMING_SAMPLES timed
 * executions of one leaf, each timed alone with CLOCK_MONOTONIC (the clock
 * read costs tens of ns, small next to a VM exit of microseconds). */
#include "source_timing.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int timing_measure(struct cpuid_source *s, uint32_t leaf, struct timing *t)
{
	memset(t, 0, sizeof(*t));
	if (s->kind == SOURCE_DUMP)
		return -ENOTSUP;
	uint64_t v[TIMING_SAMPLES];
	struct leaf_entry e;
	s->exec(s, leaf, 0, &e); /* warm: page in the code path once */
	for (unsigned i = 0; i < TIMING_SAMPLES; i++) {
		uint64_t a = now_ns();
		int r = s->exec(s, leaf, 0, &e);
		uint64_t b = now_ns();
		if (r < 0)
			return r;
		v[i] = b - a;
	}
	qsort(v, TIMING_SAMPLES, sizeof(v[0]), cmp_u64);
	t->measured = true;
	t->leaf = leaf;
	t->samples = TIMING_SAMPLES;
	t->min_ns = v[0];
	t->median_ns = v[TIMING_SAMPLES / 2];
	t->p90_ns = v[TIMING_SAMPLES * 9 / 10];
	return 0;
}
