/* leaftab.h - the leaf table: every (leaf, subleaf) pvhprobe reads, read
 * through a source at most once and remembered.
 *
 * All later stages (scan, decoders, models, CPU identity) read CPUID only
 * through lt_get(), so the table ends up holding exactly the leaves the
 * analysis used, which is what the JSON report lists and what `pvhprobe dump`
 * prints. A source error is latched (first one kept) and the leaf reads as
 * zero; callers check lt->err once at the end. */
#ifndef PVHPROBE_LEAFTAB_H
#define PVHPROBE_LEAFTAB_H

#include "leafset.h"
#include "cpuid_source.h"

struct leaftab {
	struct cpuid_source *src;
	struct leafset cache;
	unsigned long executions; /* calls into the source */
	unsigned long lookups;    /* calls to lt_get */
	int err;                  /* first source error (-errno), 0 if none */
	uint32_t err_leaf, err_subleaf;
	/* The 256 bases (subleaf 0) are read by the scan and again by every
	 * model: their cache entries (index + 1, 0 = not read yet) are kept
	 * here so that those lookups skip the hash. */
	uint32_t base_slot[HV_NBASES];
	/* Out of memory, a leaf is served from here and not cached. */
	struct leaf_entry spill;
};

/* The cache's memory comes from alloc. */
void lt_init(struct leaftab *t, struct cpuid_source *src, const struct core_alloc *alloc);
void lt_free(struct leaftab *t);

const struct leaf_entry *lt_entry_slow(struct leaftab *t, uint32_t leaf, uint32_t subleaf);

/* The value of a leaf, executed (or looked up) the first time only. The
 * bases, read over a thousand times per report, are an array index away. */
static inline struct cpuid_regs lt_get(struct leaftab *t, uint32_t leaf, uint32_t subleaf)
{
	if (subleaf == 0 && hv_is_base(leaf)) {
		uint32_t k = t->base_slot[(leaf - HV_BASE_FIRST) / HV_BASE_STEP];
		if (k) {
			t->lookups++;
			return t->cache.v[k - 1].r;
		}
	}
	return lt_entry_slow(t, leaf, subleaf)->r;
}

/* Reads the 256 base leaves not read yet, in base order, back to back.
 * The values are the ones lt_get() would return; only the timing differs
 * (the scan calls this first). */
void lt_read_bases(struct leaftab *t);

/* Whether the value came from the source (false: a dump without this leaf). */
bool lt_recorded(struct leaftab *t, uint32_t leaf, uint32_t subleaf);

#endif
