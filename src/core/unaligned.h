/* unaligned.h - little-endian integers at any byte address.
 *
 * Every reader of a recorded byte layout uses these: kernel images (ELF,
 * bzImage), boot_params, ACPI table headers, and the probe guest's
 * start_info parser. They assemble the value from its bytes, so they are
 * right on any host, need no alignment and call nothing (freestanding-safe:
 * no memcpy, no libc header). The caller checks that the bytes exist. */
#ifndef PVHPROBE_CORE_UNALIGNED_H
#define PVHPROBE_CORE_UNALIGNED_H

#include "base.h"

static inline uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] | (uint16_t)p[1] << 8);
}

static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

#endif
