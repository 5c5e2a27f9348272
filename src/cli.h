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
	EXIT_OUTPUT = 5,         /* the output could not be written: a write error
				  * (EPIPE, ENOSPC, ...) or out of memory */
};

/* --format (and -j). */
enum out_format {
	FMT_TEXT,
	FMT_JSON,
	FMT_ENV,
	FMT_PROMETHEUS,
	_FMT_MAX,
	_FMT_INVALID = -1,
};

/* The commands; CMD_REPORT (none given) and CMD_LIST (--list) have no
 * name on the command line. */
enum command {
	CMD_REPORT,
	CMD_DUMP,
	CMD_LIST,
	CMD_KERNEL,   /* pvhprobe kernel FILE... */
	CMD_COMPARE,  /* pvhprobe compare A B */
	CMD_BOOT,     /* pvhprobe boot -- VMM-COMMAND... */
	_CMD_MAX,
	_CMD_INVALID = -1,
};

/* --expect: nothing, a path every counted model must predict, or the path
 * this kernel took (the evidence's). */
enum expect {
	EXPECT_NONE,
	EXPECT_XEN,
	EXPECT_GENERIC,
	EXPECT_OBSERVED,
	_EXPECT_MAX,
	_EXPECT_INVALID = -1,
};

/* Names both ways (core/strtab.h); _from_name() gives _INVALID for an
 * unknown name (and for the unnamed EXPECT_NONE, CMD_REPORT, CMD_LIST). */
const char *out_format_name(enum out_format f);
enum out_format out_format_from_name(const char *s);
const char *command_name(enum command c);
enum command command_from_name(const char *s);
const char *expect_name(enum expect e);
enum expect expect_from_name(const char *s);

/* The path EXPECT_XEN and EXPECT_GENERIC ask for; _PATH_INVALID otherwise. */
enum pvh_path expect_path(enum expect e);

#define CLI_MODELS_MAX 8

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
	enum expect expect;
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

#endif
