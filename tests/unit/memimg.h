/* memimg.h - guest-physical memory images for the PVH parsers' tests.
 *
 * A test places byte buffers at physical addresses; memimg_read() is the
 * pvh_mem accessor the parsers get, and it refuses (like the probe guest
 * does) any byte outside the placed regions, and anything at or above
 * 4 GiB. It also counts the reads, so a test can see that a hostile count
 * did not turn into billions of reads. */
#ifndef PVHPROBE_TEST_MEMIMG_H
#define PVHPROBE_TEST_MEMIMG_H

#include <stdint.h>
#include <string.h>

#include "core/pvh_mem.h"

#define MEMIMG_REGIONS 8

struct memimg {
	struct {
		uint64_t base;
		uint8_t *buf;
		size_t len;
	} r[MEMIMG_REGIONS];
	int n;
	unsigned long reads, refused;
};

static inline int memimg_read(void *ctx, uint64_t paddr, void *buf, size_t len)
{
	struct memimg *m = ctx;
	m->reads++;
	if (paddr >= 0x100000000ull || len > 0x100000000ull - paddr)
		goto refuse;
	for (int i = 0; i < m->n; i++) {
		if (paddr >= m->r[i].base && paddr - m->r[i].base + len <= m->r[i].len) {
			memcpy(buf, m->r[i].buf + (paddr - m->r[i].base), len);
			return 0;
		}
	}
refuse:
	m->refused++;
	return -1;
}

/* Places buf (not copied, the test keeps it) at base. */
static inline void memimg_add(struct memimg *m, uint64_t base, void *buf, size_t len)
{
	m->r[m->n].base = base;
	m->r[m->n].buf = buf;
	m->r[m->n].len = len;
	m->n++;
}

static inline struct pvh_mem memimg_mem(struct memimg *m)
{
	return (struct pvh_mem){ .read = memimg_read, .ctx = m };
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

#endif
