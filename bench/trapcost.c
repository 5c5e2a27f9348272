/* trapcost.c - what one CPUID costs here: in a VM every CPUID exits to the
 * hypervisor, so this is the price of a trap and a return.
 *
 *   trapcost [-n N] [LEAF...]     default: N=500, leaves 0x40000000 0x0 0x4000ff00
 *
 * For each leaf: N times (after 50 unmeasured warm-up executions),
 * clock_gettime(CLOCK_MONOTONIC), one CPUID, clock_gettime; the median of
 * those N differences, less the median of N empty clock_gettime pairs (printed
 * as overhead_ns), is the cost of one CPUID. Then the 256-base scan once more,
 * timed as a whole (scan256_ns, median of 21 scans). Output: one
 * `key value` line each, machine-readable. A benchmark helper: never part of
 * the test suite. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static inline void cpuid(uint32_t leaf, uint32_t subleaf)
{
	uint32_t a = leaf, b, c = subleaf, d;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
}

static inline int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int64_t median(int64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp64);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	int n = 500, opt;
	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt == 'n')
			n = atoi(optarg);
		else {
			fprintf(stderr, "usage: trapcost [-n N] [LEAF...]\n");
			return 2;
		}
	}
	if (n < 1)
		n = 1;
	uint32_t leaves[16] = { 0x40000000u, 0x0u, 0x4000ff00u };
	int nleaves = 3;
	if (optind < argc) {
		nleaves = 0;
		for (int i = optind; i < argc && nleaves < 16; i++)
			leaves[nleaves++] = (uint32_t)strtoul(argv[i], NULL, 0);
	}
	int64_t *d = malloc((size_t)n * sizeof(*d));
	if (!d)
		return 1;

	for (int i = 0; i < 50; i++)
		(void)now_ns();
	for (int i = 0; i < n; i++) {
		int64_t t0 = now_ns();
		int64_t t1 = now_ns();
		d[i] = t1 - t0;
	}
	int64_t overhead = median(d, n);
	printf("samples %d\n", n);
	printf("overhead_ns %lld\n", (long long)overhead);

	for (int l = 0; l < nleaves; l++) {
		for (int i = 0; i < 50; i++)
			cpuid(leaves[l], 0);
		for (int i = 0; i < n; i++) {
			int64_t t0 = now_ns();
			cpuid(leaves[l], 0);
			int64_t t1 = now_ns();
			d[i] = t1 - t0;
		}
		int64_t m = median(d, n);
		printf("leaf_0x%08x_ns %lld\n", leaves[l], (long long)(m - overhead));
	}

	int64_t scans[21];
	for (int s = 0; s < 21; s++) {
		int64_t t0 = now_ns();
		for (uint32_t base = 0x40000000u; base < 0x40010000u; base += 0x100u)
			cpuid(base, 0);
		scans[s] = now_ns() - t0;
	}
	printf("scan256_ns %lld\n", (long long)median(scans, 21));
	free(d);
	return 0;
}
