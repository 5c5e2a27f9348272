/* leafset.c - open-addressing set of CPUID results. */
#include "leafset.h"

void leafset_init(struct leafset *s, const struct core_alloc *alloc)
{
	*s = (struct leafset){ .alloc = alloc };
}

void leafset_free(struct leafset *s)
{
	if (s->v)
		s->alloc->resize(s->alloc->ctx, s->v, 0);
	if (s->slot)
		s->alloc->resize(s->alloc->ctx, s->slot, 0);
	leafset_init(s, s->alloc);
}

static void *resize(struct leafset *s, void *p, size_t n, size_t size)
{
	if (n > SIZE_MAX / size)
		return NULL;
	return s->alloc->resize(s->alloc->ctx, p, n * size);
}

void leafset_clear(struct leafset *s)
{
	s->n = 0;
	if (s->slot)
		memset(s->slot, 0, s->nslots * sizeof(*s->slot));
}

/* splitmix64's finaliser: every input bit reaches the low bits, which
 * matters here because hypervisor leaves differ only above bit 8. */
static size_t hash(uint32_t leaf, uint32_t subleaf, size_t nslots)
{
	uint64_t k = (uint64_t)leaf << 32 | subleaf;
	k = (k ^ (k >> 30)) * 0xbf58476d1ce4e5b9ull;
	k = (k ^ (k >> 27)) * 0x94d049bb133111ebull;
	k ^= k >> 31;
	return (size_t)k & (nslots - 1);
}

static size_t find_slot(const struct leafset *s, uint32_t leaf, uint32_t subleaf)
{
	size_t i = hash(leaf, subleaf, s->nslots);
	for (;;) {
		uint32_t idx = s->slot[i];
		if (idx == 0)
			return i;
		const struct leaf_entry *e = &s->v[idx - 1];
		if (e->leaf == leaf && e->subleaf == subleaf)
			return i;
		i = (i + 1) & (s->nslots - 1);
	}
}

const struct leaf_entry *leafset_find(const struct leafset *s, uint32_t leaf, uint32_t subleaf)
{
	if (s->nslots == 0)
		return NULL;
	uint32_t idx = s->slot[find_slot(s, leaf, subleaf)];
	return idx ? &s->v[idx - 1] : NULL;
}

static int rehash(struct leafset *s, size_t nslots)
{
	uint32_t *slot = resize(s, NULL, nslots, sizeof(*slot));
	if (!slot)
		return -CORE_ENOMEM;
	memset(slot, 0, nslots * sizeof(*slot));
	if (s->slot)
		s->alloc->resize(s->alloc->ctx, s->slot, 0);
	s->slot = slot;
	s->nslots = nslots;
	for (size_t k = 0; k < s->n; k++)
		s->slot[find_slot(s, s->v[k].leaf, s->v[k].subleaf)] = (uint32_t)(k + 1);
	return 0;
}

void leafset_reserve(struct leafset *s, size_t n)
{
	if (n > LEAFSET_MAX)
		n = LEAFSET_MAX;
	if (n > s->cap) {
		struct leaf_entry *v = resize(s, s->v, n, sizeof(*v));
		if (!v)
			return;
		s->v = v;
		s->cap = n;
	}
	size_t nslots = s->nslots ? s->nslots : 512;
	while ((n + 1) * 2 > nslots)
		nslots *= 2;
	if (nslots != s->nslots)
		rehash(s, nslots);
}

int leafset_put(struct leafset *s, const struct leaf_entry *e, bool *replaced)
{
	if (s->nslots == 0 || (s->n + 1) * 2 > s->nslots) {
		int r = rehash(s, s->nslots ? s->nslots * 2 : 512);
		if (r < 0)
			return r;
	}
	size_t i = find_slot(s, e->leaf, e->subleaf);
	if (s->slot[i]) {
		s->v[s->slot[i] - 1] = *e;
		if (replaced)
			*replaced = true;
		return 0;
	}
	if (replaced)
		*replaced = false;
	if (s->n >= LEAFSET_MAX)
		return -CORE_E2BIG;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct leaf_entry *v = resize(s, s->v, cap, sizeof(*v));
		if (!v)
			return -CORE_ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n] = *e;
	s->slot[i] = (uint32_t)(++s->n);
	return 0;
}
