/* analyse.h - what every fuzzer does with a leaf table it got: the whole
 * analysis (report_build with the chosen models), every renderer, and the
 * output invariants. A violated invariant prints what and where on stderr
 * and abort()s, so libFuzzer saves the input as a crash.
 *
 * Invariants (fuzz/README.md lists them with the reasons):
 *  - stats: one source execution per distinct leaf (lt.executions ==
 *    lt.cache.n), lookups >= executions, no source error;
 *  - optionally (fz_opts.max_leaves) at most that many distinct leaves;
 *  - text (terse and verbose): no NUL, no byte < 0x20 but '\n', no byte
 *    >= 0x7f, ends with '\n';
 *  - env: every line ^PVHPROBE_[A-Z0-9_]+='...'$ where the value is a
 *    shell_quote() word ('...' pieces joined by \'), names unique;
 *  - JSON: parses with json_loadb(JSON_ALLOW_NUL), schema "pvhprobe/2",
 *    every finding/hazard/trace/reason text present as a string,
 *    "leaves" and "stats" agree with the leaf table;
 *  - replay: the JSON report, read back with dump_parse(), gives the same
 *    analysis (scan, CPU identity, every model's decision and trace) and
 *    reads the same number of leaves; the same for `pvhprobe dump` output
 *    (render_dump) when every leaf the analysis read was recorded. */
#ifndef PVHPROBE_FUZZ_ANALYSE_H
#define PVHPROBE_FUZZ_ANALYSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "dump.h"
#include "core/leafset.h"

struct fz_opts {
	/* Models: bit i selects models_all()[i]; 0 means all. named: bit i
	 * marks model i as asked for by name (report_build's named[]). */
	unsigned model_mask, named_mask;
	/* 0: no bound; else abort when the analysis reads more distinct leaves. */
	size_t max_leaves;
};

/* Analyse one CPU's leaves. d (may be NULL) is the dump they come from
 * (for its notes), fmt its format, cpu its CPU number. */
void fz_analyse(const struct leafset *set, int cpu, const struct dump *d, enum dump_format fmt,
		const struct fz_opts *o);

/* The output checks, for other renderers too (fuzz_kimage). what names
 * the output in messages. fz_check_json() returns the parsed document
 * (caller json_decref()s) after checking its "schema". */
void fz_check_text(const char *what, const char *buf, size_t len);
void fz_check_env(const char *buf, size_t len);
json_t *fz_check_json(const char *buf, size_t len, const char *schema);

/* Report an invariant violation and abort(). */
void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* fz_opts.max_leaves for fuzz_leaves: FUZZ_LEAVES_MAX from the
 * environment when set (0 disables the check), else def. */
size_t fz_env_size(const char *name, size_t def);

#endif
