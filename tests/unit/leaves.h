/* leaves.h - hand-built leaf tables for the unit tests.
 *
 * A test describes a CPU as rows: plain leaves with four registers, or
 * signature rows (base, EAX, 12 signature bytes) that are turned into
 * EBX/ECX/EDX exactly as a hypervisor would return them. */
#ifndef PVHPROBE_TEST_LEAVES_H
#define PVHPROBE_TEST_LEAVES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_libc.h"
#include "core/leafset.h"
#include "core/leaftab.h"
#include "source.h"

struct trow {
	uint32_t leaf, sub;
	uint32_t eax, ebx, ecx, edx;
	const char *sig; /* non-NULL: 12 bytes for EBX, ECX, EDX (ebx..edx ignored) */
};

#define END_ROWS { 0xffffffffu, 0xffffffffu, 0, 0, 0, 0, NULL }
#define SIGROW(base, eax, s) { (base), 0, (eax), 0, 0, 0, (s) }
#define LEAF(l, a, b, c, d) { (l), 0, (a), (b), (c), (d), NULL }

static inline uint32_t le32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

/* Common CPU leaves: Intel, max basic leaf 0xd, hypervisor bit as given. */
#define CPU_INTEL(hvbit)                                                                       \
	LEAF(0, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69),                                     \
		LEAF(1, 0x000306f2, 0x00010800, 0x7ffa3203u | ((hvbit) ? 0x80000000u : 0), 0x178bfbff), \
		LEAF(0xd, 0x7, 0x340, 0x340, 0)

struct tcpu {
	struct leafset set;
	struct cpuid_source src;
	struct leaftab lt;
};

static inline void tcpu_load(struct tcpu *c, const struct trow *rows)
{
	leafset_init(&c->set, &alloc_libc);
	for (const struct trow *r = rows; !(r->leaf == 0xffffffffu && r->sub == 0xffffffffu); r++) {
		struct leaf_entry e = { .leaf = r->leaf, .subleaf = r->sub, .recorded = true };
		e.r.eax = r->eax;
		if (r->sig) {
			e.r.ebx = le32(r->sig);
			e.r.ecx = le32(r->sig + 4);
			e.r.edx = le32(r->sig + 8);
		} else {
			e.r.ebx = r->ebx;
			e.r.ecx = r->ecx;
			e.r.edx = r->edx;
		}
		if (leafset_put(&c->set, &e, NULL) < 0)
			abort();
	}
	source_dump_open(&c->src, &c->set, 0);
	lt_init(&c->lt, &c->src, &alloc_libc);
}

static inline void tcpu_free(struct tcpu *c)
{
	lt_free(&c->lt);
	leafset_free(&c->set);
}

#endif
