/* leaftab.c - memoising reader over a CPUID source. */
#include "leaftab.h"

void lt_init(struct leaftab *t, struct cpuid_source *src, const struct core_alloc *alloc)
{
	*t = (struct leaftab){ .src = src };
	leafset_init(&t->cache, alloc);
}

void lt_free(struct leaftab *t)
{
	leafset_free(&t->cache);
}

/* The index of a base leaf in base_slot[], or -1 for any other leaf. */
static int base_index(uint32_t leaf, uint32_t subleaf)
{
	if (subleaf != 0 || !hv_is_base(leaf))
		return -1;
	return (int)((leaf - HV_BASE_FIRST) / HV_BASE_STEP);
}

/* Executes (or looks up) one leaf through the source; a source error is
 * latched and the leaf reads as zero, not recorded. */
static void run_source(struct leaftab *t, uint32_t leaf, uint32_t subleaf, struct leaf_entry *ne)
{
	*ne = (struct leaf_entry){ .leaf = leaf, .subleaf = subleaf };
	t->executions++;
	int r = t->src->exec(t->src, leaf, subleaf, ne);
	if (r < 0) {
		memset(&ne->r, 0, sizeof(ne->r));
		ne->recorded = false;
		if (!t->err) {
			t->err = r;
			t->err_leaf = leaf;
			t->err_subleaf = subleaf;
		}
	}
}

/* Caches a leaf just read; bi: its base index, or -1. */
static const struct leaf_entry *store(struct leaftab *t, const struct leaf_entry *ne, int bi)
{
	if (leafset_put(&t->cache, ne, NULL) < 0) {
		if (!t->err)
			t->err = -CORE_ENOMEM;
		t->spill = *ne; /* out of memory: serve, don't cache */
		return &t->spill;
	}
	const struct leaf_entry *e = leafset_find(&t->cache, ne->leaf, ne->subleaf);
	if (bi >= 0)
		t->base_slot[bi] = (uint32_t)(e - t->cache.v) + 1;
	return e;
}

const struct leaf_entry *lt_entry_slow(struct leaftab *t, uint32_t leaf, uint32_t subleaf)
{
	t->lookups++;
	int bi = base_index(leaf, subleaf);
	if (bi >= 0 && t->base_slot[bi])
		return &t->cache.v[t->base_slot[bi] - 1];
	const struct leaf_entry *e = leafset_find(&t->cache, leaf, subleaf);
	if (e)
		return e;
	struct leaf_entry ne;
	run_source(t, leaf, subleaf, &ne);
	return store(t, &ne, bi);
}

void lt_read_bases(struct leaftab *t)
{
	/* Executed back to back into a local array, then cached: in a VM each
	 * CPUID is an exit, and work between exits runs with cold caches
	 * (here that doubled the cost of the scan's own code). */
	struct leaf_entry got[HV_NBASES];
	unsigned idx[HV_NBASES], n = 0;
	for (unsigned i = 0; i < HV_NBASES; i++) {
		if (t->base_slot[i]) /* every cached base has its slot (store()) */
			continue;
		run_source(t, hv_base(i), 0, &got[n]);
		idx[n++] = i;
	}
	leafset_reserve(&t->cache, t->cache.n + n + 32);
	for (unsigned k = 0; k < n; k++)
		store(t, &got[k], (int)idx[k]);
}

bool lt_recorded(struct leaftab *t, uint32_t leaf, uint32_t subleaf)
{
	return lt_entry_slow(t, leaf, subleaf)->recorded;
}
