/* analysis.c - opening a source and building a report from it. */
#include "alloc_libc.h"
#include "run_analysis.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump_bundle.h"
#include "input.h"

struct analysis *analysis_new(void)
{
	return calloc(1, sizeof(struct analysis));
}

static int open_source(struct analysis *a, const struct options *o, const char *input, struct report_source *rs)
{
	char msg[DUMP_ERRMSG];
	memset(rs, 0, sizeof(*rs));
	if (input) {
		if (a->buf ? dump_parse(input, a->buf, a->len, &a->dump, msg, sizeof(msg)) < 0
			   : dump_load(input, &a->dump, msg, sizeof(msg)) < 0) {
			fprintf(stderr, "pvhprobe: %s\n", msg);
			return EXIT_INPUT;
		}
		const struct dump_cpu *c = dump_cpu(&a->dump, o->cpu);
		if (!c) {
			fprintf(stderr, "pvhprobe: %s: no CPU %d in this dump (it has %zu CPU%s, the first is CPU %d)\n",
				input, o->cpu, a->dump.ncpus, a->dump.ncpus == 1 ? "" : "s", a->dump.cpus[0].id);
			return EXIT_INPUT;
		}
		source_dump_open(&a->src, &c->leaves, c->id);
		rs->kind = SOURCE_DUMP;
		rs->file = input_name(input);
		rs->format = a->dump.format;
		rs->cpu = c->id;
		rs->dump = &a->dump;
		return EXIT_OK;
	}
	/* In a Xen PV guest the plain instruction may show the hardware's
	 * leaves: the models run on Xen's view (source_xen_pv.c), unless
	 * --source says otherwise; the plain view is reported beside it. */
	enum source_kind kind = o->source;
	if (!o->source_set && source_xen_pv_guest())
		kind = SOURCE_XEN_PV;
	int r = kind == SOURCE_DEV	  ? source_dev_open(&a->src, o->sysroot, o->cpu, msg, sizeof(msg))
		: kind == SOURCE_XEN_PV ? source_xen_pv_open(&a->src, o->cpu, msg, sizeof(msg))
					  : source_insn_open(&a->src, o->cpu, msg, sizeof(msg));
	if (r < 0) {
		fprintf(stderr, "pvhprobe: %s\n", msg);
		return r == -EINVAL ? EXIT_USAGE : EXIT_NO_CPUID;
	}
	rs->kind = a->src.kind;
	rs->cpu = a->src.cpu;
	return EXIT_OK;
}

/* A Xen PV guest: what the plain CPUID instruction shows, scanned as the
 * kernels scan, beside Xen's view the report is built on. */
static void add_plain_view(struct analysis *a, const struct options *o)
{
	char msg[SOURCE_ERRMSG];
	struct cpuid_source plain;
	struct leaftab lt;
	struct scan *sc = malloc(sizeof(*sc));
	if (!sc)
		return;
	if (source_insn_open(&plain, o->cpu, msg, sizeof(msg)) == 0) {
		lt_init(&lt, &plain, &alloc_libc);
		scan_run(&lt, sc);
		report_add_plain_view(&a->rep, sc);
		lt_free(&lt);
		source_close(&plain);
	}
	free(sc);
}

int analysis_open(struct analysis *a, const struct options *o, const char *input)
{
	/* -i DIR: a bug-report bundle, its dump and its evidence tree. */
	const char *sysroot = o->sysroot, *label = input;
	if (input && !a->buf && bundle_detect(input, &a->bundle_dump) == 1) {
		if (!sysroot)
			sysroot = input;
		input = a->bundle_dump;
	}
	sysroot_init(&a->sr, sysroot ? sysroot : "/");
	a->open = true;
	struct report_source rs;
	int rc = open_source(a, o, input, &rs);
	if (rc != EXIT_OK)
		return rc;
	if (label && strcmp(label, "-") != 0)
		rs.file = label; /* a bundle is named by its directory */
	/* -q with --expect=xen|generic shows nothing and decides by the models
	 * alone: no evidence, no CPU identity (a gate in boot scripts wants the
	 * cost of the kernels' own scan, issue 8). */
	bool lean = o->quiet && o->cmd == CMD_REPORT && expect_path(o->expect) != _PATH_INVALID &&
		    !o->all_cpus && !o->timing;
	/* Evidence describes the machine it is read on: read it for live runs,
	 * and for a dump only from a tree named with --sysroot (or a bundle). */
	if ((!input || sysroot) && !lean)
		evidence_collect(&a->sr, &a->ev);
	lt_init(&a->lt, &a->src, &alloc_libc);
	report_build(&a->rep, &a->lt, &rs, o->models, o->nmodels, o->named, &a->ev, lean);
	if (rs.kind == SOURCE_XEN_PV && !lean)
		add_plain_view(a, o);
	if (o->timing && !input && timing_measure(&a->src, HV_BASE_FIRST, &a->timing) == 0)
		a->rep.timing = &a->timing;
	if (o->all_cpus) {
		if (input)
			vcpus_probe_dump(&a->lt, &a->rep.scan, rs.cpu, &a->dump, &a->vcpus);
		else
			vcpus_probe_live(&a->lt, &a->rep.scan, rs.cpu, rs.kind, o->sysroot, &a->vcpus);
		report_add_vcpus(&a->rep, &a->vcpus);
	}
	return EXIT_OK;
}

int analysis_expect(const struct options *o, const struct report *rep)
{
	if (o->expect == EXPECT_NONE)
		return EXIT_OK;
	bool observed = o->expect == EXPECT_OBSERVED;
	enum pvh_path want = expect_path(o->expect);
	if (observed) {
		want = rep->ev ? rep->ev->observed_path : _PATH_INVALID;
		if (want == _PATH_INVALID) {
			if (!o->quiet)
				fprintf(stderr, "pvhprobe: --expect=observed: %s\n",
					!rep->ev ? "no evidence was read (a dump without --sysroot)"
						 : "this kernel did not enter through PVH, or the evidence does not say");
			return EXIT_CHECK_FAILED;
		}
	}
	unsigned checked = 0;
	for (unsigned i = 0; i < rep->nmodels; i++) {
		const struct model_result *m = &rep->models[i];
		if (!m->counted || (observed && m->desc->os != OS_LINUX))
			continue;
		checked++;
		if (m->path != want)
			return EXIT_CHECK_FAILED;
	}
	if (observed && !checked) {
		if (!o->quiet)
			fprintf(stderr, "pvhprobe: --expect=observed: no linux model selected to check\n");
		return EXIT_CHECK_FAILED;
	}
	return EXIT_OK;
}

void analysis_free(struct analysis *a)
{
	if (!a)
		return;
	if (a->open) {
		lt_free(&a->lt);
		source_close(&a->src);
		dump_free(&a->dump);
		sysroot_free(&a->sr);
	}
	free(a->bundle_dump);
	free(a);
}
