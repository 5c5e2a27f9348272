/* run_compare.c - `pvhprobe compare A B`: exit 0 when every kernel model
 * takes the same path with the same outcome on both, 1 when any differs
 * (a VMM's CI can gate on it), 3 when an input cannot be read, 5 when the
 * comparison could not be written. */
#include "run.h"

#include <stdio.h>
#include <string.h>

#include "run_analysis.h"
#include "report_compare.h"
#include "render.h"

int run_compare(const struct options *o)
{
	struct analysis *a[2] = { analysis_new(), analysis_new() };
	int rc = EXIT_OK;
	if (!a[0] || !a[1]) {
		fprintf(stderr, "pvhprobe: out of memory\n");
		rc = EXIT_INPUT;
	}
	for (int i = 0; i < 2 && rc == EXIT_OK; i++) {
		const char *in = o->files[i];
		rc = analysis_open(a[i], o, strcmp(in, "-") == 0 ? NULL : in);
	}
	if (rc == EXIT_OK) {
		static struct comparison c;
		compare_reports(&a[0]->rep, &a[1]->rep, &c);
		bool failed = false;
		if (!o->quiet) {
			if (o->format == FMT_JSON)
				failed = render_compare_json(stdout, &c) < 0;
			else
				render_compare_text(stdout, &c);
		}
		rc = run_output_status(c.paths_differ ? EXIT_CHECK_FAILED : EXIT_OK, failed);
	}
	analysis_free(a[0]);
	analysis_free(a[1]);
	return rc;
}
