/* render_dump.c - every leaf read, in Todd Allen's `cpuid -r` form, which
 * `cpuid -f FILE` and `pvhprobe -i FILE` both read back. */
#include "render.h"

#include <stdlib.h>

void render_dump(FILE *f, const struct report *r)
{
	const struct leafset *ls = &r->lt->cache;
	const struct leaf_entry **sorted = ls->n ? malloc(ls->n * sizeof(*sorted)) : NULL;
	if (r->src.cpu >= 0)
		fprintf(f, "CPU %d:\n", r->src.cpu);
	else
		fprintf(f, "CPU:\n");
	if (!sorted)
		return;
	leafset_sorted(ls, sorted);
	for (size_t i = 0; i < ls->n; i++) {
		const struct leaf_entry *e = sorted[i];
		if (!e->recorded)
			continue; /* a dump that never had it: don't invent it */
		fprintf(f, "   0x%08x 0x%02x: eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x\n", e->leaf, e->subleaf, e->r.eax,
			e->r.ebx, e->r.ecx, e->r.edx);
	}
	free(sorted);
}
