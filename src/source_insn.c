/* source_insn.c - CPUID through the instruction itself, via libcpuid.
 *
 * libcpuid's cpu_exec_cpuid_ext() loads EAX..EDX from regs[] and executes
 * CPUID. Before the first execution we make sure it can run: the build is
 * x86, libcpuid says CPUID is present, and CPUID faulting is off
 * (arch_prctl(ARCH_GET_CPUID) returns 0 when a CPUID would raise SIGSEGV).
 * The process is pinned to one CPU so that every leaf comes from the same
 * one. */
#include "source.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#if (defined(__x86_64__) || defined(__i386__)) && defined(HAVE_LIBCPUID)
#define PVHPROBE_X86 1
#include <asm/prctl.h>
#include <libcpuid.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#ifdef PVHPROBE_X86
static int insn_exec(struct cpuid_source *s, uint32_t leaf, uint32_t subleaf, struct leaf_entry *out)
{
	(void)s;
	uint32_t regs[4] = { leaf, 0, subleaf, 0 };
	cpu_exec_cpuid_ext(regs);
	out->leaf = leaf;
	out->subleaf = subleaf;
	out->r = (struct cpuid_regs){ regs[0], regs[1], regs[2], regs[3] };
	out->recorded = true;
	return 0;
}

/* 1: CPUID runs; 0: CPUID faulting is on for this process. */
static int cpuid_allowed(void)
{
#ifdef ARCH_GET_CPUID
	long r = syscall(SYS_arch_prctl, ARCH_GET_CPUID, 0);
	if (r == 0)
		return 0;
#endif
	return 1; /* enabled, or a kernel without ARCH_GET_CPUID (< 4.12) */
}
#endif

int source_insn_open(struct cpuid_source *s, int cpu, char *msg, size_t msglen)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->cpu = -1;
#ifndef PVHPROBE_X86
	(void)cpu;
#if defined(__x86_64__) || defined(__i386__)
	snprintf(msg, msglen, "this build has no libcpuid, which pvhprobe executes CPUID with (use -i FILE to analyse a recorded dump)");
#else
	snprintf(msg, msglen, "the CPUID instruction exists only on x86; this is a non-x86 build (use -i FILE to analyse a recorded dump)");
#endif
	return -ENOTSUP;
#else
	if (!cpuid_present()) {
		snprintf(msg, msglen, "this processor has no CPUID instruction (use -i FILE to analyse a recorded dump)");
		return -ENOTSUP;
	}
	if (!cpuid_allowed()) {
		snprintf(msg, msglen, "CPUID faulting is enabled for this process (arch_prctl ARCH_SET_CPUID): CPUID cannot be executed here (use -i FILE, or --source=dev)");
		return -ENOTSUP;
	}
	cpu_set_t set;
	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set) == 0) {
		for (int c = 0; c < CPU_SETSIZE && c < 1024; c++)
			if (CPU_ISSET(c, &set))
				s->allowed[c / 64] |= 1ull << (c % 64);
		s->have_allowed = true;
	}
	if (cpu < 0) {
		cpu = sched_getcpu();
		if (cpu < 0)
			cpu = -1;
	}
	if (cpu >= 0) {
		if (cpu >= CPU_SETSIZE) {
			snprintf(msg, msglen, "CPU %d: no such CPU", cpu);
			return -EINVAL;
		}
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0) {
			int e = errno;
			snprintf(msg, msglen, "cannot run on CPU %d: %s (offline, or outside this process's cpuset)", cpu, strerror(e));
			return -e;
		}
	}
	s->kind = SOURCE_INSN;
	s->exec = insn_exec;
	s->cpu = cpu;
	return 0;
#endif
}
