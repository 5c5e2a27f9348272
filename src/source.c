/* source.c - the dump source and the shared parts of the source interface. */
#include "source.h"

#include <string.h>

#include "core/strtab.h"

static const char *const source_kind_names[_SOURCE_KIND_MAX] = {
	[SOURCE_INSN] = "insn",
	[SOURCE_DEV] = "dev",
	[SOURCE_DUMP] = "dump",
	[SOURCE_XEN_PV] = "xen-pv-emulated",
};

DEFINE_STRTAB(source_kind, enum source_kind, source_kind_names)

static int dump_exec(struct cpuid_source *s, uint32_t leaf, uint32_t subleaf, struct leaf_entry *out)
{
	const struct leaf_entry *e = leafset_find(s->set, leaf, subleaf);
	out->leaf = leaf;
	out->subleaf = subleaf;
	if (e) {
		out->r = e->r;
		out->recorded = e->recorded;
	} else {
		memset(&out->r, 0, sizeof(out->r));
		out->recorded = false;
	}
	return 0;
}

void source_dump_open(struct cpuid_source *s, const struct leafset *set, int cpu)
{
	memset(s, 0, sizeof(*s));
	s->kind = SOURCE_DUMP;
	s->exec = dump_exec;
	s->set = set;
	s->cpu = cpu;
	s->fd = -1;
}

void source_close(struct cpuid_source *s)
{
	if (s->close)
		s->close(s);
	s->close = NULL;
}
