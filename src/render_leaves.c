/* render_leaves.c - a leaf set in (leaf, subleaf) order, for the renderers
 * that list leaves (JSON reports, `pvhprobe dump`). Sorting is output's
 * concern: the core keeps insertion order and has no qsort. */
#include "render.h"

#include <stdlib.h>

static int cmp_entry(const void *a, const void *b)
{
	const struct leaf_entry *x = *(const struct leaf_entry *const *)a;
	const struct leaf_entry *y = *(const struct leaf_entry *const *)b;
	if (x->leaf != y->leaf)
		return x->leaf < y->leaf ? -1 : 1;
	if (x->subleaf != y->subleaf)
		return x->subleaf < y->subleaf ? -1 : 1;
	return 0;
}

void leafset_sorted(const struct leafset *s, const struct leaf_entry **out)
{
	for (size_t k = 0; k < s->n; k++)
		out[k] = &s->v[k];
	if (s->n > 1)
		qsort(out, s->n, sizeof(*out), cmp_entry);
}
