/* physmem.c - bounded reads of physical memory (physmem.h). */
#include "physmem.h"

extern char __image_start[], __image_end[];

static const struct pvh_start_info *map;
static unsigned long refused;

static int phys_read(void *ctx, uint64_t paddr, void *buf, size_t len)
{
	(void)ctx;
	uint64_t end = paddr + len;
	uint64_t img0 = (uint32_t)(uintptr_t)__image_start, img1 = (uint32_t)(uintptr_t)__image_end;
	if (end < paddr || end > 0x100000000ull || (paddr < img1 && img0 < end))
		goto refuse;
	if (map && end > 0x100000 && !pvh_memmap_covers(map, paddr, len))
		goto refuse;
	const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)paddr;
	uint8_t *d = buf;
	for (size_t i = 0; i < len; i++)
		d[i] = p[i];
	return 0;
refuse:
	refused++;
	return -1;
}

const struct pvh_mem physmem = { .read = phys_read, .ctx = 0 };

void physmem_set_map(const struct pvh_start_info *si)
{
	map = si->memmap_read ? si : 0;
}

unsigned long physmem_refused(void)
{
	return refused;
}
