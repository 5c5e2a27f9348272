/* leafset.h - a set of CPUID results keyed by (leaf, subleaf).
 *
 * Used for recorded dumps and as the cache of the live sources. Lookups are
 * O(1) (open addressing); iteration is in insertion order (renderers sort
 * with leafset_sorted(), src/render_leaves.c). Never prints. */
#ifndef PVHPROBE_LEAFSET_H
#define PVHPROBE_LEAFSET_H

#include "regs.h"

struct leaf_entry {
	uint32_t leaf;
	uint32_t subleaf;
	struct cpuid_regs r;
	bool recorded; /* false: read from a dump that did not record it (zeros) */
};

struct leafset {
	const struct core_alloc *alloc; /* where v and slot live */
	struct leaf_entry *v; /* entries, insertion order */
	size_t n, cap;
	uint32_t *slot;       /* hash slots: index+1 into v, 0 = empty */
	size_t nslots;
};

/* Hard cap on entries: a dump with more leaves than this is refused, so that
 * untrusted input cannot make pvhprobe grow without bound. */
#define LEAFSET_MAX 65536u

/* An empty set whose memory comes from alloc (kept, not copied). */
void leafset_init(struct leafset *s, const struct core_alloc *alloc);
void leafset_free(struct leafset *s);
void leafset_clear(struct leafset *s);

/* Returns the entry, or NULL. */
const struct leaf_entry *leafset_find(const struct leafset *s, uint32_t leaf, uint32_t subleaf);

/* Adds or replaces. Returns 0, -CORE_ENOMEM, or -CORE_E2BIG past LEAFSET_MAX.
 * *replaced (may be NULL) tells whether the key was present already. */
_warn_unused_result_ int leafset_put(struct leafset *s, const struct leaf_entry *e, bool *replaced);

/* Makes room for n entries without growing again (best effort: on
 * failure the set grows as it fills). */
void leafset_reserve(struct leafset *s, size_t n);

#endif
