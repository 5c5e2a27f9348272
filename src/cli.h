/* cli.h - command-line options (glibc argp) and the exit statuses. */
#ifndef PVHPROBE_CLI_H
#define PVHPROBE_CLI_H

#include <stdbool.h>

#include "core/model.h"
#include "source.h"

/* Exit statuses, documented in pvhprobe(1) EXIT STATUS. */
enum exit_status {
	EXIT_OK = 0,
	EXIT_CHECK_FAILED = 1,   /* --expect did not hold */
	EXIT_USAGE = 2,          /* bad options or arguments */
	EXIT_INPUT = 3,          /* input that cannot be read or parsed */
	EXIT_NO_CPUID = 4,       /* CPUID cannot be executed here, no input given */
};

enum out_format {
	FMT_TEXT,
	FMT_JSON,
	FMT_ENV,
	FMT_PROMETHEUS,
	_FMT_MAX,
};

enum command {
	CMD_REPORT,
	CMD_DUMP,
	CMD_LIST,
	CMD_KERNEL,   /* pvhprobe kernel FILE... */
	CMD_COMPARE,  /* pvhprobe compare A B */
	CMD_BOOT,     /* pvhprobe boot -- VMM-COMMAND... */
};

#define CLI_MODELS_MAX 8
#define EXPECT_OBSERVED 100  /* --expect=observed: the path this kernel took */

struct options {
	enum command cmd;
	enum out_format format;
	bool format_set;         /* -f or -j given */
	const char *input;       /* the first -i */
	const char **inputs;     /* every -i, in order (batch replay when > 1) */
	unsigned ninputs;
	const struct model_desc *models[CLI_MODELS_MAX];
	unsigned nmodels;
	bool named[CLI_MODELS_MAX]; /* given by name, not through "all" */
	int cpu;                 /* -1: default */
	enum source_kind source; /* SOURCE_INSN, SOURCE_DEV or SOURCE_XEN_PV */
	bool source_set;         /* --source given: no automatic choice */
	const char *sysroot;     /* NULL: / for live runs, none with -i */
	const char *sysroot_out; /* dump --sysroot-out=DIR: a bug-report bundle */
	int expect;              /* -1, an enum pvh_path, or EXPECT_OBSERVED */
	bool quiet, verbose;
	bool all_cpus;           /* -a: compare the leaves on every CPU */
	bool timing;             /* --timing: measure the cost of one CPUID */
	char **files;            /* CMD_KERNEL: the images; CMD_COMPARE: A and B; CMD_BOOT: the VMM command */
	int nfiles;
	unsigned timeout;        /* boot: seconds until the VMM is stopped */
	const char *capture;     /* boot --capture=FILE: the raw console */
};

extern const char *const pvhprobe_version;

/* Parses argv into o. Usage errors exit with EXIT_USAGE (argp's way). */
void cli_parse(int argc, char **argv, struct options *o);

/* The whole program after option parsing. */
int pvhprobe_run(const struct options *o);

/* `pvhprobe kernel FILE...` (run_kernel.c). */
int run_kernel(const struct options *o);

/* Several -i, or a directory of dumps (run_batch.c). */
int run_batch(const struct options *o);
bool batch_is_dump_directory(const char *path);

/* `pvhprobe boot -- VMM-COMMAND...` (run_boot.c). */
int run_boot(const struct options *o);

/* `pvhprobe compare A B` (run_compare.c). */
int run_compare(const struct options *o);

#endif
