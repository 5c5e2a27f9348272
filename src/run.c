/* run.c - the program after option parsing: open the source, build the
 * report, render it, and turn the outcome into an exit status. Errors are
 * reported here, once, with the program name. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "dump.h"
#include "evidence.h"
#include "leaftab.h"
#include "render.h"
#include "report.h"

static int open_source(const struct options *o, const char *input, struct dump *d, struct cpuid_source *src,
		       struct report_source *rs)
{
	char msg[DUMP_ERRMSG];
	memset(rs, 0, sizeof(*rs));
	if (input) {
		if (dump_load(input, d, msg, sizeof(msg)) < 0) {
			fprintf(stderr, "pvhprobe: %s\n", msg);
			return EXIT_INPUT;
		}
		const struct dump_cpu *c = dump_cpu(d, o->cpu);
		if (!c) {
			fprintf(stderr, "pvhprobe: %s: no CPU %d in this dump (it has %zu CPU%s, the first is CPU %d)\n",
				input, o->cpu, d->ncpus, d->ncpus == 1 ? "" : "s", d->cpus[0].id);
			return EXIT_INPUT;
		}
		source_dump_open(src, &c->leaves, c->id);
		rs->kind = SOURCE_DUMP;
		rs->file = strcmp(input, "-") == 0 ? "<stdin>" : input;
		rs->format = d->format;
		rs->cpu = c->id;
		rs->dump = d;
		return EXIT_OK;
	}
	int r = o->source == SOURCE_DEV ? source_dev_open(src, o->sysroot, o->cpu, msg, sizeof(msg))
					: source_insn_open(src, o->cpu, msg, sizeof(msg));
	if (r < 0) {
		fprintf(stderr, "pvhprobe: %s\n", msg);
		return r == -EINVAL ? EXIT_USAGE : EXIT_NO_CPUID;
	}
	rs->kind = src->kind;
	rs->cpu = src->cpu;
	return EXIT_OK;
}

int pvhprobe_run(const struct options *o)
{
	if (o->cmd == CMD_LIST) {
		render_list(stdout);
		return EXIT_OK;
	}
	if (o->cmd == CMD_KERNEL)
		return run_kernel(o);
	/* -i DIR: a bug-report bundle, its dump and its evidence tree. */
	const char *input = o->input, *sysroot = o->sysroot;
	char *bundle_dump = NULL;
	if (input && bundle_detect(input, &bundle_dump) == 1) {
		if (!sysroot)
			sysroot = input;
		input = bundle_dump;
	}
	struct dump d = { 0 };
	struct cpuid_source src;
	struct report_source rs;
	int rc = open_source(o, input, &d, &src, &rs);
	if (rc != EXIT_OK) {
		dump_free(&d);
		free(bundle_dump);
		return rc;
	}
	/* Evidence describes the machine it is read on: read it for live runs,
	 * and for a dump only from a tree named with --sysroot (or a bundle). */
	static struct evidence ev;
	struct sysroot sr;
	sysroot_init(&sr, sysroot ? sysroot : "/");
	if (!input || sysroot)
		evidence_collect(&sr, &ev);
	struct leaftab lt;
	lt_init(&lt, &src);
	static struct report rep; /* large; one per run */
	report_build(&rep, &lt, &rs, o->models, o->nmodels, o->named, &ev);
	struct render_opts ro = { .verbose = o->verbose, .version = pvhprobe_version };
	if (o->sysroot_out) {
		char msg[512];
		if (bundle_write(o->sysroot_out, &rep, &sr, msg, sizeof(msg)) < 0) {
			fprintf(stderr, "pvhprobe: %s\n", msg);
			rc = EXIT_INPUT;
		}
	}
	if (!o->quiet && !o->sysroot_out) {
		if (o->cmd == CMD_DUMP)
			render_dump(stdout, &rep);
		else if (o->format == FMT_JSON)
			render_json(stdout, &rep, &ro);
		else if (o->format == FMT_ENV)
			render_env(stdout, &rep, &ro);
		else
			render_text(stdout, &rep, &ro);
	}
	if (lt.err && rs.kind != SOURCE_DUMP) {
		fprintf(stderr, "pvhprobe: reading CPUID leaf %#x failed: %s\n", lt.err_leaf, strerror(-lt.err));
		rc = EXIT_NO_CPUID;
	} else if (o->expect >= 0 && rc == EXIT_OK) {
		int want = o->expect;
		if (want == EXPECT_OBSERVED)
			want = rep.ev ? rep.ev->observed_path : -1;
		if (want < 0)
			rc = EXIT_CHECK_FAILED; /* no PVH entry observed */
		for (unsigned i = 0; i < rep.nmodels; i++)
			if (rep.models[i].counted && (int)rep.models[i].path != want)
				rc = EXIT_CHECK_FAILED;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "pvhprobe: writing the report failed: %s\n", strerror(errno));
		rc = rc ? rc : EXIT_INPUT;
	}
	lt_free(&lt);
	source_close(&src);
	dump_free(&d);
	sysroot_free(&sr);
	free(bundle_dump);
	return rc;
}
