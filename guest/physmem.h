/* physmem.h - the probe's pvh_mem accessor over physical memory.
 *
 * Paging is off, so a physical address is a pointer. Refused: anything at
 * or above 4 GiB (unreachable in 32-bit mode), anything overlapping the
 * probe's own image, and, once a memory map is known (physmem_set_map),
 * anything above 1 MiB that no map entry covers (the first MiB stays
 * readable: the BDA, EBDA and BIOS area where an RSDP may be). */
#ifndef PVHPROBE_GUEST_PHYSMEM_H
#define PVHPROBE_GUEST_PHYSMEM_H

#include "core/pvh_mem.h"
#include "core/pvh_start_info.h"

extern const struct pvh_mem physmem;
void physmem_set_map(const struct pvh_start_info *si);
/* Reads refused so far. */
unsigned long physmem_refused(void);

#endif
