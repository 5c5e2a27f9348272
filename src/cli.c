/* cli.c - the option table (one table: --help, --usage, the man page and the
 * completions follow it; tests/cli/manpage.sh checks they agree). */
#include "cli.h"

#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/models.h"
#include "core/strtab.h"
#include "version.h"

static const char *const out_format_names[_FMT_MAX] = {
	[FMT_TEXT] = "text",
	[FMT_JSON] = "json",
	[FMT_ENV] = "env",
	[FMT_PROMETHEUS] = "prometheus",
};

static const char *const command_names[_CMD_MAX] = {
	[CMD_DUMP] = "dump",
	[CMD_KERNEL] = "kernel",
	[CMD_COMPARE] = "compare",
	[CMD_BOOT] = "boot",
};

static const char *const expect_names[_EXPECT_MAX] = {
	[EXPECT_XEN] = "xen",
	[EXPECT_GENERIC] = "generic",
	[EXPECT_OBSERVED] = "observed",
};

DEFINE_STRTAB(out_format, enum out_format, out_format_names)
DEFINE_STRTAB(command, enum command, command_names)
DEFINE_STRTAB(expect, enum expect, expect_names)

enum pvh_path expect_path(enum expect e)
{
	return e == EXPECT_XEN ? PATH_XEN : e == EXPECT_GENERIC ? PATH_GENERIC : _PATH_INVALID;
}

const char *const pvhprobe_version = PVHPROBE_VERSION;

const char *argp_program_version = "pvhprobe " PVHPROBE_VERSION;
const char *argp_program_bug_address = "the project's issue tracker (attach `pvhprobe dump` output)";

enum {
	OPT_SOURCE = 256,
	OPT_SYSROOT,
	OPT_EXPECT,
	OPT_LIST,
	OPT_SYSROOT_OUT,
	OPT_TIMING,
	OPT_TIMEOUT,
	OPT_CAPTURE,
};

static const struct argp_option options[] = {
	{ NULL, 0, NULL, 0, "Input:", 1 },
	{ "input", 'i', "FILE", 0, "Analyse a recorded dump (cpuid -r, AIDA64, a pvhprobe JSON report, a bundle directory; - for stdin) instead of this CPU. Repeat it, or name a directory of dumps, to replay many: one JSON object per line with -j", 1 },
	{ "cpu", 'c', "N", 0, "Probe CPU N (pin to it), or pick CPU N of a multi-CPU dump (default: the current CPU / the first in the dump)", 1 },
	{ "all-cpus", 'a', NULL, 0, "Also read the same leaves on every CPU this process may run on (or every CPU of a dump) and report where they differ", 1 },
	{ "source", OPT_SOURCE, "SOURCE", 0, "Where live CPUID values come from: insn (the CPUID instruction, default), dev (/dev/cpu/N/cpuid) or xen-pv (Xen's view in a Xen PV guest, through the forced-emulation prefix; the default there)", 1 },
	{ "sysroot", OPT_SYSROOT, "DIR", 0, "Read /sys, /proc and /dev under DIR (default / for this machine; with -i, evidence is read only when this is given)", 1 },
	{ "sysroot-out", OPT_SYSROOT_OUT, "DIR", 0, "With dump: write a bug-report bundle to DIR (cpuid.txt and every evidence file read); replay it with -i DIR", 1 },
	{ "timeout", OPT_TIMEOUT, "SEC", 0, "With boot: stop the VMM after SEC seconds if the probe's report has not ended (default 30)", 1 },
	{ "capture", OPT_CAPTURE, "FILE", 0, "With boot: also save the VMM's raw console output to FILE (replay it with -i FILE)", 1 },
	{ NULL, 0, NULL, 0, "Analysis:", 2 },
	{ "model", 'm', "NAME", 0, "Kernel model(s) to run, comma-separated: freebsd, freebsd-14.0, freebsd-legacy, linux, linux-5.0, linux-4.11, netbsd, or all (default all)", 2 },
	{ "expect", OPT_EXPECT, "PATH", 0, "Exit 1 unless every selected model predicts PATH: xen, generic, or observed (the path this kernel took); freebsd-legacy and linux-4.11 count only when named with -m", 2 },
	{ NULL, 0, NULL, 0, "Output:", 3 },
	{ "format", 'f', "FORMAT", 0, "Output format: text (default), json, env (sh variables) or prometheus (node_exporter textfile)", 3 },
	{ "json", 'j', NULL, 0, "Same as --format=json", 3 },
	{ "verbose", 'v', NULL, 0, "Show decision traces, conditions, hazards and every decoded field", 3 },
	{ "quiet", 'q', NULL, 0, "Print nothing; only the exit status tells (with --expect)", 3 },
	{ "list", OPT_LIST, NULL, 0, "List the known hypervisor signatures and kernel models, and exit", 3 },
	{ "timing", OPT_TIMING, NULL, 0, "Also measure what one CPUID costs here (the median of 301 executions of leaf 0x40000000: a trap to the hypervisor in a VM)", 3 },
	{ NULL, 0, NULL, 0, NULL, 0 },
};

static const char args_doc[] = "\n"
			       "dump\n"
			       "compare A B\n"
			       "kernel FILE...\n"
			       "boot [--timeout=SEC] [--capture=FILE] -- VMM-COMMAND...";

static const char doc[] =
	"Predict and explain the PVH boot path (Xen or generic) that FreeBSD and Linux kernels would take "
	"on this VMM, from the CPUID hypervisor leaves 0x40000000..0x4000FF00."
	"\vCommands:\n"
	"  (none)   report on this CPU, or on the dump given with -i\n"
	"  dump     print every leaf the report reads, in `cpuid -r` form\n"
	"  compare  what differs between two inputs (dumps, reports, bundles; - is\n"
	"           this machine); exit 1 when a kernel model's path or outcome differs\n"
	"  kernel   can these kernel images be PVH-booted? (ELF notes, bzImage header)\n"
	"  boot     run a VMM command that boots the probe guest pvhprobe.elf with its\n"
	"           serial console on stdout, and report on what it printed\n"
	"\n"
	"Exit status: 0 success; 1 an --expect check failed, or compare found paths that differ; 2 usage "
	"error; 3 input cannot be read or parsed; 4 CPUID cannot be executed here and no input was given; 5 the output "
	"could not be written.";

static int add_models(struct options *o, const char *arg, struct argp_state *st)
{
	char buf[256];
	if (strlen(arg) >= sizeof(buf))
		argp_error(st, "--model: argument too long");
	strcpy(buf, arg);
	char *save = NULL;
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "all") == 0) {
			/* Every model, keeping the marks of those already named. */
			unsigned n;
			const struct model_desc *all = models_all(&n);
			bool named[CLI_MODELS_MAX] = { false };
			for (unsigned i = 0; i < n && i < CLI_MODELS_MAX; i++)
				for (unsigned k = 0; k < o->nmodels; k++)
					named[i] |= o->models[k] == &all[i] && o->named[k];
			o->nmodels = 0;
			for (unsigned i = 0; i < n && i < CLI_MODELS_MAX; i++) {
				o->named[o->nmodels] = named[i];
				o->models[o->nmodels++] = &all[i];
			}
			continue;
		}
		const struct model_desc *m = model_find(tok);
		if (!m)
			argp_error(st, "--model: unknown model '%s' (try --list)", tok);
		bool dup = false;
		for (unsigned i = 0; i < o->nmodels; i++)
			dup |= o->models[i] == m;
		for (unsigned i = 0; i < o->nmodels; i++)
			if (o->models[i] == m)
				o->named[i] = true;
		if (!dup && o->nmodels < CLI_MODELS_MAX) {
			o->named[o->nmodels] = true;
			o->models[o->nmodels++] = m;
		}
	}
	return 0;
}

static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	struct options *o = st->input;
	switch (key) {
	case 'i': {
		const char **v = realloc(o->inputs, (o->ninputs + 1) * sizeof(*v));
		if (!v)
			argp_failure(st, EXIT_USAGE, ENOMEM, "-i");
		o->inputs = v;
		o->inputs[o->ninputs++] = arg;
		if (!o->input)
			o->input = arg;
		break;
	}
	case 'c': {
		char *end;
		errno = 0;
		long v = strtol(arg, &end, 10);
		if (errno || *end || end == arg || v < 0 || v > INT_MAX / 2)
			argp_error(st, "--cpu: expected a CPU number, got '%s'", arg);
		o->cpu = (int)v;
		break;
	}
	case OPT_SOURCE:
		o->source = strcmp(arg, "xen-pv") == 0 ? SOURCE_XEN_PV : source_kind_from_name(arg);
		if (o->source != SOURCE_INSN && o->source != SOURCE_DEV && o->source != SOURCE_XEN_PV)
			argp_error(st, "--source: expected %s, %s or xen-pv, got '%s'", source_kind_name(SOURCE_INSN),
				   source_kind_name(SOURCE_DEV), arg);
		o->source_set = true;
		break;
	case OPT_SYSROOT:
		o->sysroot = arg;
		break;
	case OPT_SYSROOT_OUT:
		o->sysroot_out = arg;
		break;
	case 'm':
		return add_models(o, arg, st);
	case OPT_EXPECT:
		o->expect = expect_from_name(arg);
		if (o->expect == _EXPECT_INVALID)
			argp_error(st, "--expect: expected %s, %s or %s, got '%s'", expect_name(EXPECT_XEN),
				   expect_name(EXPECT_GENERIC), expect_name(EXPECT_OBSERVED), arg);
		break;
	case 'f': {
		enum out_format f = out_format_from_name(arg);
		if (f == _FMT_INVALID)
			argp_error(st, "--format: expected %s, %s, %s or %s, got '%s'", out_format_name(FMT_TEXT),
				   out_format_name(FMT_JSON), out_format_name(FMT_ENV), out_format_name(FMT_PROMETHEUS), arg);
		o->format_set = true;
		o->format = f;
		break;
	}
	case 'j':
		o->format_set = true;
		o->format = FMT_JSON;
		break;
	case 'a':
		o->all_cpus = true;
		break;
	case 'v':
		o->verbose = true;
		break;
	case 'q':
		o->quiet = true;
		break;
	case OPT_LIST:
		o->cmd = CMD_LIST;
		break;
	case OPT_TIMING:
		o->timing = true;
		break;
	case OPT_TIMEOUT: {
		char *end;
		errno = 0;
		long v = strtol(arg, &end, 10);
		if (errno || *end || end == arg || v < 1 || v > 86400)
			argp_error(st, "--timeout: expected seconds (1 to 86400), got '%s'", arg);
		o->timeout = (unsigned)v;
		break;
	}
	case OPT_CAPTURE:
		o->capture = arg;
		break;
	case ARGP_KEY_ARG: {
		if (st->arg_num > 0)
			argp_error(st, "unexpected argument '%s'", arg);
		enum command c = command_from_name(arg);
		if (c == CMD_DUMP) {
			o->cmd = o->cmd == CMD_LIST ? CMD_LIST : CMD_DUMP;
		} else if (c == CMD_COMPARE) {
			o->cmd = CMD_COMPARE;
			o->files = &st->argv[st->next];
			o->nfiles = st->argc - st->next;
			st->next = st->argc;
			if (o->nfiles != 2)
				argp_error(st, "compare: expected two inputs (a dump, a JSON report, a bundle directory, or - for this machine)");
		} else if (c == CMD_BOOT) {
			o->cmd = CMD_BOOT;
			o->files = &st->argv[st->next];
			o->nfiles = st->argc - st->next;
			st->next = st->argc;
			if (o->nfiles == 0)
				argp_error(st, "boot: expected a VMM command after -- (e.g. qemu-system-x86_64 -M microvm -nographic -kernel pvhprobe.elf)");
		} else if (c == CMD_KERNEL) {
			o->cmd = CMD_KERNEL;
			/* The rest of the command line is files (options still
			 * parse: argp permutes them to the front). */
			o->files = &st->argv[st->next];
			o->nfiles = st->argc - st->next;
			st->next = st->argc;
			if (o->nfiles == 0)
				argp_error(st, "kernel: expected one or more kernel image files");
		} else {
			argp_error(st, "unknown command '%s'", arg);
		}
		break;
	}
	case ARGP_KEY_END:
		if ((o->timeout || o->capture) && o->cmd != CMD_BOOT)
			argp_error(st, "--timeout and --capture go with the boot command");
		if (o->cmd == CMD_BOOT && (o->ninputs || o->all_cpus || o->timing || o->sysroot))
			argp_error(st, "boot reports on the probe guest's console: no -i, --all-cpus, --timing or --sysroot");
		if (o->quiet && o->verbose)
			argp_error(st, "--quiet and --verbose exclude each other");
		if (o->sysroot_out && o->cmd != CMD_DUMP)
			argp_error(st, "--sysroot-out goes with the dump command");
		if (o->cmd == CMD_DUMP && o->format_set && o->format != FMT_TEXT)
			argp_error(st, "dump prints the cpuid -r form; it takes no --format (the JSON report holds every leaf too)");
		if (o->cmd == CMD_COMPARE && (o->format == FMT_ENV || o->format == FMT_PROMETHEUS))
			argp_error(st, "compare prints text or JSON");
		if (o->cmd == CMD_KERNEL && o->format == FMT_PROMETHEUS)
			argp_error(st, "kernel prints text, JSON or env");
		if (o->timing && (o->input || o->cmd == CMD_KERNEL))
			argp_error(st, "--timing measures this machine's CPUID; it does not go with -i or kernel");
		if (o->ninputs > 1 && (o->cmd != CMD_REPORT || (o->format != FMT_TEXT && o->format != FMT_JSON)))
			argp_error(st, "several -i inputs give one JSON object (-j) or one text line each; not with %s",
				   o->cmd != CMD_REPORT ? "a command" : "this format");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = { options, parse_opt, args_doc, doc, NULL, NULL, NULL };

void cli_parse(int argc, char **argv, struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->cpu = -1;
	o->expect = EXPECT_NONE;
	o->source = SOURCE_INSN;
	o->timeout = 0;
	argp_err_exit_status = EXIT_USAGE;
	argp_parse(&argp, argc, argv, 0, NULL, o);
	if (o->nmodels == 0) {
		unsigned n;
		const struct model_desc *all = models_all(&n);
		for (unsigned i = 0; i < n && i < CLI_MODELS_MAX; i++)
			o->models[o->nmodels++] = &all[i];
	}
}
