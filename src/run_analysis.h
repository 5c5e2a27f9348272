/* analysis.h - one complete analysis: a source (live CPU or dump), its leaf
 * table, the evidence, and the report built from them. run.c makes one,
 * compare makes two, batch replay one per file. */
#ifndef PVHPROBE_ANALYSIS_H
#define PVHPROBE_ANALYSIS_H

#include "core/base.h"

#include "cli.h"
#include "dump.h"
#include "evidence.h"
#include "core/leaftab.h"
#include "report.h"
#include "evidence_sysroot.h"

struct analysis {
	struct dump dump;
	struct cpuid_source src;
	struct leaftab lt;
	struct sysroot sr;
	struct evidence ev;
	struct report rep;
	struct vcpus vcpus;
	struct timing timing;
	char *bundle_dump;
	bool open;
	/* Set before analysis_open: parse this capture (pvhprobe boot) instead
	 * of reading input; input then only names it in messages. */
	const char *buf;
	size_t len;
};

/* input: a dump file, a JSON report, a bundle directory, "-" for standard
 * input, or NULL for this machine. Messages go to stderr here (main's
 * layer); returns an exit status. The analysis must be freed either way.
 * Large: allocate it (analysis_new). */
struct analysis *analysis_new(void);
_warn_unused_result_ int analysis_open(struct analysis *a, const struct options *o, const char *input);
void analysis_free(struct analysis *a);

/* --expect: EXIT_OK when every counted model predicts the path, else
 * EXIT_CHECK_FAILED. --expect=observed compares the models of the OS the
 * evidence comes from (Linux) with the path that kernel took, and fails
 * with a message (unless -q) when no PVH entry was observed. */
_warn_unused_result_ int analysis_expect(const struct options *o, const struct report *rep);

#endif
