/* pvh_mem.h - bounded reads of guest-physical memory for the PVH parsers.
 *
 * The start_info, ACPI and entry-state parsers never dereference an
 * address they were handed: every byte comes through a read callback that
 * the caller owns. In the probe guest it copies from physical memory and
 * refuses what is out of reach (at or above 4 GiB, outside a known memory
 * map, inside the probe's own image); in the unit tests it copies from a
 * memory image. Whatever the VMM put in start_info, a parser can then only
 * get a refusal, never a fault.
 *
 * Freestanding: only <stdint.h>, <stdbool.h> and <stddef.h>. */
#ifndef PVHPROBE_CORE_PVH_MEM_H
#define PVHPROBE_CORE_PVH_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copies len bytes at physical address paddr to buf. Returns 0, or a
 * negative value (nothing defined in buf) when any byte of
 * [paddr, paddr + len) is refused. */
typedef int (*pvh_read_fn)(void *ctx, uint64_t paddr, void *buf, size_t len);

struct pvh_mem {
	pvh_read_fn read;
	void *ctx;
};

/* A read that also refuses a range wrapping past 2^64. */
static inline bool pvh_mem_get(const struct pvh_mem *m, uint64_t paddr, void *buf, size_t len)
{
	if (!m || !m->read || len == 0 || paddr + len < paddr)
		return false;
	return m->read(m->ctx, paddr, buf, len) == 0;
}

/* Little-endian fields of a byte buffer, assembled from bytes: no casts,
 * no alignment assumed. */
static inline uint16_t pvh_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (uint16_t)p[1] << 8);
}

static inline uint32_t pvh_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t pvh_le64(const uint8_t *p)
{
	return (uint64_t)pvh_le32(p) | (uint64_t)pvh_le32(p + 4) << 32;
}

static inline void pvh_copy(uint8_t *dst, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i];
}

static inline bool pvh_bytes_eq(const uint8_t *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != (uint8_t)b[i])
			return false;
	return true;
}

#endif
