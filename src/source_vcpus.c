/* vcpus.c - probing every CPU for the report's leaves. */
#include "source_vcpus.h"

#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dump.h"
#include "core/percpu.h"

static void note_diff(struct vcpus *v, int cpu, const struct leaf_entry *ref, const struct cpuid_regs *got)
{
	v->ndiffs_total++;
	if (v->ndiffs >= VCPU_DIFFS_MAX)
		return;
	v->diffs[v->ndiffs++] = (struct vcpu_diff){ cpu, ref->leaf, ref->subleaf, ref->r, *got };
}

static void start(struct vcpus *v, int ref_cpu)
{
	memset(v, 0, sizeof(*v));
	v->requested = true;
	v->ref_cpu = ref_cpu;
	v->failed_cpu = -1;
	v->cpus[v->ncpus++] = ref_cpu;
}

void vcpus_probe_live(const struct leaftab *ref, const struct scan *s, int ref_cpu, int kind, const char *sysroot,
		      struct vcpus *v)
{
	const struct cpuid_source *rs = ref->src;
	start(v, ref_cpu);
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	v->online = online > 0 ? (unsigned)online : 1;
	/* The mask the process had before the instruction source pinned it:
	 * a cpuset or taskset restriction is honoured, not widened. */
	cpu_set_t allowed;
	CPU_ZERO(&allowed);
	if (rs->have_allowed) {
		for (int c = 0; c < CPU_SETSIZE && c < 1024; c++)
			if (rs->allowed[c / 64] >> (c % 64) & 1)
				CPU_SET(c, &allowed);
	} else if (sched_getaffinity(0, sizeof(allowed), &allowed) < 0) {
		CPU_SET(ref_cpu < 0 ? 0 : ref_cpu, &allowed);
	}
	v->restricted = (unsigned)CPU_COUNT(&allowed) < v->online;
	const struct leafset *ls = &ref->cache;
	for (int cpu = 0; cpu < CPU_SETSIZE && v->ncpus < VCPUS_MAX; cpu++) {
		if (!CPU_ISSET(cpu, &allowed) || cpu == ref_cpu)
			continue;
		struct cpuid_source src;
		char msg[SOURCE_ERRMSG];
		int r = kind == SOURCE_DEV ? source_dev_open(&src, sysroot, cpu, msg, sizeof(msg))
					   : source_insn_open(&src, cpu, msg, sizeof(msg));
		if (r < 0) {
			if (v->failed_cpu < 0) {
				v->failed_cpu = cpu;
				snprintf(v->failed_why, sizeof(v->failed_why), "%s", msg);
			}
			continue;
		}
		v->cpus[v->ncpus++] = cpu;
		for (size_t i = 0; i < ls->n; i++) {
			const struct leaf_entry *e = &ls->v[i];
			if (!e->recorded)
				continue;
			struct leaf_entry got = { 0 };
			v->executions++;
			if (src.exec(&src, e->leaf, e->subleaf, &got) < 0)
				continue;
			if (!percpu_equal(s, e->leaf, &e->r, &got.r))
				note_diff(v, cpu, e, &got.r);
		}
		source_close(&src);
	}
}

void vcpus_probe_dump(const struct leaftab *ref, const struct scan *s, int ref_cpu, const struct dump *d,
		      struct vcpus *v)
{
	start(v, ref_cpu);
	v->online = (unsigned)d->ncpus;
	const struct leafset *ls = &ref->cache;
	for (size_t k = 0; k < d->ncpus && v->ncpus < VCPUS_MAX; k++) {
		const struct dump_cpu *c = &d->cpus[k];
		if (c->id == ref_cpu)
			continue;
		v->cpus[v->ncpus++] = c->id;
		for (size_t i = 0; i < ls->n; i++) {
			const struct leaf_entry *e = &ls->v[i];
			const struct leaf_entry *o = leafset_find(&c->leaves, e->leaf, e->subleaf);
			if (!e->recorded || !o || !o->recorded)
				continue; /* not recorded for one of them: nothing to compare */
			if (!percpu_equal(s, e->leaf, &e->r, &o->r))
				note_diff(v, c->id, e, &o->r);
		}
	}
}
