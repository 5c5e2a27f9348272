/* source_dev.c - CPUID through the kernel's cpuid driver, /dev/cpu/N/cpuid.
 *
 * The driver (arch/x86/kernel/cpuid.c, cpuid_read()) takes the file offset
 * as the request: low 32 bits = leaf (EAX), high 32 bits = subleaf (ECX),
 * and returns 16 bytes: EAX, EBX, ECX, EDX. Opening needs CAP_SYS_RAWIO. */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int dev_exec(struct cpuid_source *s, uint32_t leaf, uint32_t subleaf, struct leaf_entry *out)
{
	uint32_t buf[4];
	off_t off = (off_t)((uint64_t)subleaf << 32 | leaf);
	ssize_t n = pread(s->fd, buf, sizeof(buf), off);
	if (n < 0)
		return -errno;
	if (n != (ssize_t)sizeof(buf))
		return -EIO;
	out->leaf = leaf;
	out->subleaf = subleaf;
	out->r = (struct cpuid_regs){ buf[0], buf[1], buf[2], buf[3] };
	out->recorded = true;
	return 0;
}

static void dev_close(struct cpuid_source *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

int source_dev_open(struct cpuid_source *s, const char *sysroot, int cpu, char *msg, size_t msglen)
{
	char path[4096];
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	if (cpu < 0)
		cpu = 0;
	snprintf(path, sizeof(path), "%s/dev/cpu/%d/cpuid", sysroot && *sysroot ? sysroot : "", cpu);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		if (e == ENOENT)
			snprintf(msg, msglen, "%s: no such file (is the cpuid module loaded? try 'modprobe cpuid'; or is CPU %d offline?)", path, cpu);
		else if (e == EACCES || e == EPERM)
			snprintf(msg, msglen, "%s: %s (reading the cpuid driver needs root)", path, strerror(e));
		else
			snprintf(msg, msglen, "%s: %s", path, strerror(e));
		return -e;
	}
	s->kind = SOURCE_DEV;
	s->exec = dev_exec;
	s->close = dev_close;
	s->fd = fd;
	s->cpu = cpu;
	return 0;
}
