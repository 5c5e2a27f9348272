/* floor.c - the cost floor for pvhprobe: execute the 256 hypervisor base
 * leaves 0x40000000, 0x40000100, ..., 0x4000FF00 (subleaf 0) with the CPUID
 * instruction, exactly once each, and exit. Nothing is printed and nothing is
 * decided: this is what the kernels' own scan costs, plus the cheapest process
 * start glibc offers (a static binary: no dynamic loader, no shared libraries).
 *
 * Built with `cc -O2 -static` (bench/Makefile). glibc's start-up code runs its
 * own CPUIDs before main() (init_cpu_features, cache info: 30 on the machine
 * of bench/README.md, counted with bench/cpuidtrace); every glibc program,
 * pvhprobe and the peers included, pays those as well. */
#include <stdint.h>

int main(void)
{
	for (uint32_t base = 0x40000000u; base < 0x40010000u; base += 0x100u) {
		uint32_t a = base, b, c = 0, d;
		__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	}
	return 0;
}
