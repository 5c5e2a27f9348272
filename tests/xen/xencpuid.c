/* xencpuid.c - Xen's CPUID view in a PV guest, for the record (tests/xen).
 *
 * A PV guest's plain CPUID instruction runs on the CPU (or on what emulates
 * it, QEMU's TCG here) unless the hardware can fault it; Linux therefore
 * reads CPUID through Xen's forced-emulation prefix, `ud2a; .ascii "xen";
 * cpuid` (XEN_EMULATE_PREFIX in arch/x86/include/asm/xen/interface.h, used
 * by xen_cpuid() in arch/x86/xen/enlighten_pv.c), which Xen traps and
 * answers from the domain's CPUID policy. This program prints those answers
 * in `cpuid -r` form (what `pvhprobe dump` prints), so `pvhprobe -i` reads
 * them. Outside a PV guest the prefix is an invalid opcode (SIGILL), unless
 * Xen runs with hvm_fep (debug builds).
 *
 * Built by tests/xen/run.sh with `cc -static`; not part of pvhprobe. */
#include <stdint.h>
#include <stdio.h>

static void xcpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("ud2a; .ascii \"xen\"; cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static void put(uint32_t leaf, uint32_t sub)
{
	uint32_t r[4];
	xcpuid(leaf, sub, r);
	printf("   0x%08x 0x%02x: eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x\n", leaf, sub, r[0], r[1],
	       r[2], r[3]);
}

int main(void)
{
	uint32_t r[4];
	printf("CPU 0:\n");
	xcpuid(0, 0, r);
	uint32_t max = r[0] > 0x20 ? 0x20 : r[0];
	for (uint32_t l = 0; l <= max; l++) {
		unsigned subs = (l == 4 || l == 7 || l == 0xb || l == 0xd) ? 3 : 1;
		for (uint32_t s = 0; s < subs; s++)
			put(l, s);
	}
	for (uint32_t base = 0x40000000; base <= 0x4000ff00; base += 0x100) {
		xcpuid(base, 0, r);
		if (!r[0] && !r[1] && !r[2] && !r[3])
			continue;
		put(base, 0);
		uint32_t top = r[0] >= base && r[0] - base < 0x10 ? r[0] : base;
		for (uint32_t l = base + 1; l <= top; l++) {
			unsigned subs = (l == base + 3) ? 3 : 1; /* Xen's time leaf */
			for (uint32_t s = 0; s < subs; s++)
				put(l, s);
		}
	}
	xcpuid(0x80000000, 0, r);
	uint32_t emax = r[0] >= 0x80000000 && r[0] <= 0x80000028 ? r[0] : 0x80000000;
	for (uint32_t l = 0x80000000; l <= emax; l++)
		put(l, 0);
	return 0;
}
