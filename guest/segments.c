/* segments.c - LAR and LSL of the entry selectors, against the VMM's GDT.
 *
 * Only when that GDT lies in RAM according to the memory map. QEMU's
 * pvh.bin keeps its GDT inside the option ROM (0xcb118 on pc and q35, in
 * the e820 hole below 1 MiB); under KVM (seen on AMD, nested under
 * Firecracker) the descriptor read of LAR there became an instruction KVM
 * had to emulate, and KVM's emulator has no LAR: QEMU stopped with
 * "KVM internal error. Suberror: 1 / emulation failure". Without LAR/LSL
 * src/core/pvh_entry_state.c decodes the same bits from the descriptor
 * bytes, read with plain loads (which KVM does emulate). */
#include "guest.h"

#include "core/pvh_entry_state.h"
#include "core/pvh_start_info.h"

extern const uint8_t vmm_gdtr[6];
extern const uint8_t gdt_desc[6];

static bool in_ram(const struct pvh_start_info *si, uint64_t addr, uint64_t len)
{
	for (uint32_t i = 0; i < si->memmap_read; i++) {
		const struct pvh_memmap_entry *e = &si->memmap[i];
		if (e->type == PVH_MEM_RAM && addr >= e->addr && addr + len <= e->addr + e->size &&
		    e->addr + e->size >= e->addr)
			return true;
	}
	return false;
}

bool entry_lar_lsl(struct pvh_entry_raw *r, const struct pvh_start_info *si)
{
	if (!in_ram(si, r->gdtr_base, (uint64_t)r->gdtr_limit + 1))
		return false;
	/* The VMM's GDTR again, for LAR and LSL only: no segment register is
	 * loaded meanwhile, interrupts are off and neither instruction faults
	 * (a bad selector clears ZF). */
	__asm__ volatile("lgdt %0" : : "m"(*(const uint8_t(*)[6])vmm_gdtr) : "memory");
	for (int i = 0; i < _PVH_SEG_MAX; i++) {
		struct pvh_seg_raw *s = &r->seg[i];
		uint32_t v = 0;
		uint8_t ok;
		__asm__ volatile("larl %2, %0\n\tsetz %1" : "+r"(v), "=q"(ok) : "r"(s->sel) : "cc");
		s->lar_ok = ok;
		s->lar = ok ? v : 0;
		v = 0;
		__asm__ volatile("lsll %2, %0\n\tsetz %1" : "+r"(v), "=q"(ok) : "r"(s->sel) : "cc");
		s->lsl_ok = ok;
		s->limit = ok ? v : 0;
	}
	__asm__ volatile("lgdt %0" : : "m"(*(const uint8_t(*)[6])gdt_desc) : "memory");
	return true;
}
