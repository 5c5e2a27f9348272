/* run.c - the program after option parsing: build the report, render it,
 * and turn the outcome into an exit status. Errors are reported here (and
 * in analysis.c), once, with the program name. */
#include "run.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "run_analysis.h"
#include "render_json_arena.h"
#include "dump_bundle.h"
#include "render.h"

/* The output failure has been reported: say it once. */
static bool output_failed;

int run_output_status(int rc, bool failed)
{
	int e = 0;
	errno = 0; /* an earlier, unrelated errno must not name this failure */
	if (fflush(stdout) != 0 || ferror(stdout))
		e = errno ? errno : EIO;
	else if (failed)
		e = ENOMEM; /* the renderers fail before writing only for memory */
	if (!e)
		return rc;
	if (!output_failed)
		fprintf(stderr, "pvhprobe: writing the output failed: %s\n", strerror(e));
	output_failed = true;
	return rc == EXIT_OK || rc == EXIT_CHECK_FAILED ? EXIT_OUTPUT : rc;
}

int run_close_output(int rc)
{
	bool had_error = ferror(stdout);
	errno = 0;
	if (fclose(stdout) != 0 || had_error) {
		int e = errno ? errno : EIO;
		if (!output_failed)
			fprintf(stderr, "pvhprobe: writing the output failed: %s\n", strerror(e));
		output_failed = true;
		return rc == EXIT_OK || rc == EXIT_CHECK_FAILED ? EXIT_OUTPUT : rc;
	}
	return rc;
}

int pvhprobe_run(const struct options *o)
{
	if (o->cmd == CMD_LIST) {
		render_list(stdout);
		return run_output_status(EXIT_OK, false);
	}
	if (o->cmd == CMD_KERNEL)
		return run_kernel(o);
	if (o->cmd == CMD_COMPARE)
		return run_compare(o);
	if (o->cmd == CMD_BOOT)
		return run_boot(o);
	if (o->cmd == CMD_REPORT && (o->ninputs > 1 || batch_is_dump_directory(o->input)))
		return run_batch(o);
	struct analysis *a = analysis_new();
	if (!a) {
		fprintf(stderr, "pvhprobe: out of memory\n");
		return EXIT_OUTPUT;
	}
	int rc = analysis_open(a, o, o->input);
	if (rc != EXIT_OK) {
		analysis_free(a);
		return rc;
	}
	return run_render(o, a);
}

int run_render(const struct options *o, struct analysis *a)
{
	int rc = EXIT_OK;
	const struct report *rep = &a->rep;
	struct arena arena = { 0 };
	struct render_opts ro = { .verbose = o->verbose, .version = pvhprobe_version };
	bool failed = false, bundle_failed = false;
	if (o->sysroot_out) {
		char msg[512];
		if (bundle_write(o->sysroot_out, rep, &a->sr, msg, sizeof(msg)) < 0) {
			fprintf(stderr, "pvhprobe: %s\n", msg);
			bundle_failed = true;
		}
	} else if (!o->quiet) {
		if (o->cmd == CMD_DUMP) {
			render_dump(stdout, rep);
		} else if (o->format == FMT_JSON) {
			ro.arena = &arena;
			failed = render_json(stdout, rep, &ro) < 0;
		} else if (o->format == FMT_ENV) {
			render_env(stdout, rep, &ro);
		} else if (o->format == FMT_PROMETHEUS) {
			render_prometheus(stdout, rep, &ro);
		} else {
			render_text(stdout, rep, &ro);
		}
	}
	if (a->lt.err && rep->src.kind != SOURCE_DUMP) {
		fprintf(stderr, "pvhprobe: reading CPUID leaf %#x failed: %s\n", a->lt.err_leaf, strerror(-a->lt.err));
		rc = EXIT_NO_CPUID;
	} else if (rc == EXIT_OK) {
		rc = analysis_expect(o, rep);
	}
	if (bundle_failed && (rc == EXIT_OK || rc == EXIT_CHECK_FAILED))
		rc = EXIT_OUTPUT;
	rc = run_output_status(rc, failed);
	arena_free(&arena);
	analysis_free(a);
	return rc;
}
