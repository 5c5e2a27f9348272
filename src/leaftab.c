/* leaftab.c - memoising reader over a CPUID source. */
#include "leaftab.h"

#include <errno.h>
#include <string.h>

void lt_init(struct leaftab *t, struct cpuid_source *src)
{
	memset(t, 0, sizeof(*t));
	t->src = src;
	leafset_init(&t->cache);
}

void lt_free(struct leaftab *t)
{
	leafset_free(&t->cache);
}

static const struct leaf_entry *lt_entry(struct leaftab *t, uint32_t leaf, uint32_t subleaf)
{
	t->lookups++;
	const struct leaf_entry *e = leafset_find(&t->cache, leaf, subleaf);
	if (e)
		return e;
	struct leaf_entry ne = { .leaf = leaf, .subleaf = subleaf };
	t->executions++;
	int r = t->src->exec(t->src, leaf, subleaf, &ne);
	if (r < 0) {
		memset(&ne.r, 0, sizeof(ne.r));
		ne.recorded = false;
		if (!t->err) {
			t->err = r;
			t->err_leaf = leaf;
			t->err_subleaf = subleaf;
		}
	}
	if (leafset_put(&t->cache, &ne, NULL) < 0) {
		static struct leaf_entry spill; /* out of memory: serve, don't cache */
		if (!t->err)
			t->err = -ENOMEM;
		spill = ne;
		return &spill;
	}
	return leafset_find(&t->cache, leaf, subleaf);
}

struct cpuid_regs lt_get(struct leaftab *t, uint32_t leaf, uint32_t subleaf)
{
	return lt_entry(t, leaf, subleaf)->r;
}

bool lt_recorded(struct leaftab *t, uint32_t leaf, uint32_t subleaf)
{
	return lt_entry(t, leaf, subleaf)->recorded;
}
