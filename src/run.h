/* run.h - the runs: what the program does after option parsing (cli.h),
 * tying the stages together, and the exit status each ends with. Messages
 * go to stderr here, once, with the program name. */
#ifndef PVHPROBE_RUN_H
#define PVHPROBE_RUN_H

#include "core/base.h"

#include <stdbool.h>

#include "cli.h"

/* The whole program after option parsing; returns the exit status. */
_warn_unused_result_ int pvhprobe_run(const struct options *o);

/* `pvhprobe kernel FILE...` (run_kernel.c). */
_warn_unused_result_ int run_kernel(const struct options *o);

/* Several -i, or a directory of dumps (run_batch.c). */
_warn_unused_result_ int run_batch(const struct options *o);
bool batch_is_dump_directory(const char *path);

/* `pvhprobe compare A B` (run_compare.c). */
_warn_unused_result_ int run_compare(const struct options *o);

/* `pvhprobe boot -- VMM-COMMAND...` (run_boot.c). */
_warn_unused_result_ int run_boot(const struct options *o);

struct analysis;
/* Renders a built analysis as o asks, frees it, and turns the outcome
 * into an exit status. */
_warn_unused_result_ int run_render(const struct options *o, struct analysis *a);

/* After writing to stdout: flushes it, and when that or an earlier write
 * failed, or failed says a renderer could not build its output (out of
 * memory, nothing written), says so once on stderr and returns
 * EXIT_OUTPUT in place of EXIT_OK or EXIT_CHECK_FAILED (usage, input and
 * CPUID errors keep their status: they say why). Else rc. */
_warn_unused_result_ int run_output_status(int rc, bool failed);

/* At exit: closes stdout (the last buffered bytes are written now) and
 * applies run_output_status() to what that reports. */
_warn_unused_result_ int run_close_output(int rc);

#endif
