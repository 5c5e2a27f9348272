/* pvh_entry_state.h - the CPU state a VMM hands a PVH entry, and its check
 * against the PVH ABI (xen-project/xen docs/misc/pvh.pandoc, FACTS.md
 * section 6):
 *  - EBX: the physical address of hvm_start_info;
 *  - CR0: PE set, every other writable bit clear (ET is fixed to 1 on
 *    every CPU since the 486DX and is not flagged: Firecracker and Xen
 *    write PE|ET);
 *  - CR4: 0;
 *  - CS: flat (base 0, limit 4 GiB) 32-bit execute/read;
 *  - DS, ES, SS: flat read/write (SS since Xen 4.14, commit b25fb1a04e);
 *  - TR: a 32-bit TSS, base 0, limit 0x67;
 *  - EFLAGS: VM, IF and TF clear.
 * Selector values, EFER, ESP, GDTR, IDTR, FS and GS are unspecified and
 * only reported.
 *
 * The probe's entry code records what can be read back: the selectors
 * and the GDTR; the probe adds LAR access rights and LSL limits when it
 * could run them safely (guest/segments.c). Here each selector's 8-byte
 * descriptor is read from the VMM's GDT through pvh_mem: its base always
 * comes from there, and its access rights and limit too when LAR or LSL
 * did not run (the same bits LAR and LSL return, decoded from the bytes).
 * The hidden part of a segment register cannot be read back in protected
 * mode: a null selector or a GDTR that does not describe the loaded
 * segments gives an "unverifiable" finding, not an error. */
#ifndef PVHPROBE_CORE_PVH_ENTRY_STATE_H
#define PVHPROBE_CORE_PVH_ENTRY_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvh_findings.h"
#include "pvh_mem.h"

enum pvh_seg_reg {
	PVH_SEG_CS,
	PVH_SEG_DS,
	PVH_SEG_ES,
	PVH_SEG_SS,
	PVH_SEG_FS,
	PVH_SEG_GS,
	PVH_SEG_TR,
	_PVH_SEG_MAX,
};

/* "cs", "ds", "es", "ss", "fs", "gs", "tr" */
const char *pvh_seg_name(enum pvh_seg_reg r);

/* As the entry code stores it (guest/entry.S writes this layout: keep the
 * two in step; every field is 32 bits, in this order). */
struct pvh_seg_raw {
	uint32_t sel;
	uint32_t lar_ok;   /* LAR set ZF */
	uint32_t lar;      /* access rights, bits 8-23 of the descriptor's high dword */
	uint32_t lsl_ok;
	uint32_t limit;    /* LSL: the limit in bytes (granularity applied) */
};

struct pvh_entry_raw {
	uint32_t ebx, esp, eflags, cr0, cr3, cr4;
	uint32_t efer_valid, efer_lo, efer_hi;
	uint32_t gdtr_limit, gdtr_base, idtr_limit, idtr_base;
	struct pvh_seg_raw seg[_PVH_SEG_MAX];
};

struct pvh_seg_view {
	bool desc_read;    /* the descriptor was read from the VMM's GDT */
	bool from_gdt;     /* lar and limit decoded from it (no LAR/LSL) */
	bool known;        /* lar and limit known, from either */
	uint32_t base;     /* from the descriptor */
	uint32_t limit;    /* from LSL, else from the descriptor */
	uint32_t lar;      /* from LAR, else from the descriptor */
	bool checked;      /* enough was known to check it */
};

struct pvh_entry_state {
	struct pvh_entry_raw raw;
	uint64_t efer;
	struct pvh_seg_view seg[_PVH_SEG_MAX];
	struct pvh_findings findings;
};

/* Checks raw against the ABI, reading segment descriptors from the GDT at
 * raw->gdtr_base through mem (may be NULL: bases unknown). Fills *st. */
void pvh_entry_check(const struct pvh_entry_raw *raw, const struct pvh_mem *mem,
		     struct pvh_entry_state *st);

/* CR0 bits: the writable ones besides PE (MP EM TS NE WP AM NW CD PG). */
#define PVH_CR0_PE 0x00000001u
#define PVH_CR0_ET 0x00000010u
#define PVH_CR0_WRITABLE_NOT_PE 0xe005002eu

#endif
