/* cpuidtrace.c - count the CPUID instructions a command executes.
 *
 * strace cannot see CPUID (it is an instruction, not a system call), and
 * CPUID faulting (arch_prctl ARCH_SET_CPUID) is often unavailable in guests.
 * So this single-steps the command with ptrace and, before every instruction,
 * looks at the two bytes at RIP: 0F A2 is CPUID, and EAX/ECX then hold the
 * leaf and subleaf. Slow (a few microseconds per instruction), exact, and it
 * sees everything: the dynamic loader's and libc's start-up CPUIDs as well as
 * the program's own. Children (fork, vfork, clone) are followed.
 *
 *   cpuidtrace [-v] [-o FILE] COMMAND [ARG...]
 *
 * Prints to stderr (or FILE): the total, the number of distinct
 * (leaf, subleaf) pairs (ECX as it was, also for leaves that ignore it), how
 * many executions repeated a pair, and per object (from /proc/PID/maps) that
 * holds the instruction its executions and distinct pairs: ld-linux-x86-64.so.2
 * is the dynamic loader's start-up (glibc's init_cpu_features), the rest is
 * the program's own. -v lists every execution. Exit status: the command's. x86-64 Linux only.
 * A benchmark helper: never part of the test suite. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

struct exec_rec {
	pid_t pid;
	uint32_t leaf, subleaf;
	char obj[96];
};

static struct exec_rec *recs;
static size_t nrecs, caprecs;
static unsigned long long steps;

static void object_of(pid_t pid, unsigned long ip, char *out, size_t outlen)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	snprintf(out, outlen, "?");
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		int off = 0;
		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %n", &lo, &hi, &off) < 2)
			continue;
		if (ip < lo || ip >= hi)
			continue;
		char *name = line + off;
		name[strcspn(name, "\n")] = 0;
		const char *slash = strrchr(name, '/');
		snprintf(out, outlen, "%s", *name ? (slash ? slash + 1 : name) : "[anon]");
		break;
	}
	fclose(f);
}

static void record(pid_t pid, const struct user_regs_struct *r)
{
	if (nrecs == caprecs) {
		caprecs = caprecs ? caprecs * 2 : 1024;
		recs = realloc(recs, caprecs * sizeof(*recs));
		if (!recs) {
			perror("cpuidtrace");
			exit(125);
		}
	}
	struct exec_rec *e = &recs[nrecs++];
	e->pid = pid;
	e->leaf = (uint32_t)r->rax;
	e->subleaf = (uint32_t)r->rcx;
	object_of(pid, r->rip, e->obj, sizeof(e->obj));
}

static int cmp_pair(const void *a, const void *b)
{
	const struct exec_rec *x = a, *y = b;
	if (x->leaf != y->leaf)
		return x->leaf < y->leaf ? -1 : 1;
	if (x->subleaf != y->subleaf)
		return x->subleaf < y->subleaf ? -1 : 1;
	return 0;
}

int main(int argc, char **argv)
{
	int verbose = 0, opt;
	FILE *out = stderr;
	while ((opt = getopt(argc, argv, "+vo:")) != -1) {
		switch (opt) {
		case 'v': verbose = 1; break;
		case 'o':
			out = fopen(optarg, "w");
			if (!out) {
				perror(optarg);
				return 125;
			}
			break;
		default:
			fprintf(stderr, "usage: cpuidtrace [-v] [-o FILE] COMMAND [ARG...]\n");
			return 125;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: cpuidtrace [-v] [-o FILE] COMMAND [ARG...]\n");
		return 125;
	}
	pid_t child = fork();
	if (child < 0) {
		perror("fork");
		return 125;
	}
	if (child == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		execvp(argv[optind], argv + optind);
		perror(argv[optind]);
		_exit(127);
	}
	int st;
	if (waitpid(child, &st, 0) < 0 || !WIFSTOPPED(st)) {
		fprintf(stderr, "cpuidtrace: child did not stop\n");
		return 125;
	}
	ptrace(PTRACE_SETOPTIONS, child, 0,
	       PTRACE_O_EXITKILL | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
		       PTRACE_O_TRACEEXEC);
	ptrace(PTRACE_SINGLESTEP, child, 0, 0);
	int status = 0;
	for (;;) {
		pid_t p = waitpid(-1, &st, __WALL);
		if (p < 0) {
			if (errno == EINTR)
				continue;
			break; /* ECHILD: everyone is gone */
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (p == child)
				status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			continue;
		}
		if (!WIFSTOPPED(st))
			continue;
		int sig = WSTOPSIG(st);
		int deliver = 0;
		if (sig == SIGTRAP || sig == (SIGTRAP | 0x80)) {
			/* single-step trap or a ptrace event: not for the tracee */
		} else if (sig == SIGSTOP && (st >> 16) == 0) {
			/* the initial stop of a new child, or a real SIGSTOP: swallow */
		} else if ((st >> 16) == PTRACE_EVENT_STOP) {
		} else {
			deliver = sig;
		}
		steps++;
		errno = 0;
		long rip = ptrace(PTRACE_PEEKUSER, p, offsetof(struct user, regs.rip), 0);
		if (errno == 0) {
			errno = 0;
			long word = ptrace(PTRACE_PEEKTEXT, p, rip, 0);
			if (errno == 0 && (word & 0xffff) == 0xa20f) {
				struct user_regs_struct r;
				if (ptrace(PTRACE_GETREGS, p, 0, &r) == 0)
					record(p, &r);
			}
		}
		ptrace(PTRACE_SINGLESTEP, p, 0, deliver);
	}

	size_t distinct = 0;
	struct exec_rec *sorted = malloc((nrecs ? nrecs : 1) * sizeof(*sorted));
	memcpy(sorted, recs, nrecs * sizeof(*sorted));
	qsort(sorted, nrecs, sizeof(*sorted), cmp_pair);
	for (size_t i = 0; i < nrecs; i++)
		if (i == 0 || cmp_pair(&sorted[i - 1], &sorted[i]) != 0)
			distinct++;
	fprintf(out, "cpuid_executions %zu\n", nrecs);
	fprintf(out, "distinct_pairs %zu\n", distinct);
	fprintf(out, "repeated %zu\n", nrecs - distinct);
	fprintf(out, "instructions_stepped %llu\n", steps);
	/* per object, in order of first appearance */
	for (size_t i = 0; i < nrecs; i++) {
		int seen = 0;
		for (size_t j = 0; j < i; j++)
			if (strcmp(recs[j].obj, recs[i].obj) == 0)
				seen = 1;
		if (seen)
			continue;
		size_t n = 0, d = 0;
		for (size_t j = i; j < nrecs; j++) {
			if (strcmp(recs[j].obj, recs[i].obj) != 0)
				continue;
			n++;
			int dup = 0;
			for (size_t k = i; k < j && !dup; k++)
				dup = strcmp(recs[k].obj, recs[i].obj) == 0 && cmp_pair(&recs[k], &recs[j]) == 0;
			d += !dup;
		}
		fprintf(out, "object %s executions %zu distinct %zu\n", recs[i].obj, n, d);
	}
	if (verbose)
		for (size_t i = 0; i < nrecs; i++)
			fprintf(out, "exec pid=%d leaf=0x%08x subleaf=0x%x in %s\n", (int)recs[i].pid,
				recs[i].leaf, recs[i].subleaf, recs[i].obj);
	if (out != stderr)
		fclose(out);
	free(sorted);
	free(recs);
	return status;
}
