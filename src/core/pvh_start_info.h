/* pvh_start_info.h - the hvm_start_info a PVH entry finds at EBX.
 *
 * Layout: xen-project/xen xen/include/public/arch-x86/hvm/start_info.h
 * (FACTS.md section 6). v0: magic u32 @0, version @4, flags @8,
 * nr_modules @12, modlist_paddr u64 @16, cmdline_paddr u64 @24,
 * rsdp_paddr u64 @32 (40 bytes). v1 adds memmap_paddr u64 @40,
 * memmap_entries u32 @48, reserved u32 @52 (56 bytes).
 * hvm_modlist_entry (32 bytes): paddr @0, size @8, cmdline_paddr @16,
 * reserved @24. hvm_memmap_table_entry (24 bytes): addr @0, size @8,
 * type u32 @16, reserved u32 @20.
 *
 * Every read is bounded: module and memory map counts are capped, command
 * lines are read up to a fixed length, and all memory comes through the
 * caller's pvh_mem. Nothing is printed; bytes are kept raw (the console
 * escapes them). */
#ifndef PVHPROBE_CORE_PVH_START_INFO_H
#define PVHPROBE_CORE_PVH_START_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvh_findings.h"
#include "pvh_mem.h"

#define PVH_START_MAGIC 0x336ec578u
#define PVH_START_INFO_V0_SIZE 40
#define PVH_START_INFO_V1_SIZE 56
#define PVH_MODLIST_ENTRY_SIZE 32
#define PVH_MEMMAP_ENTRY_SIZE 24

/* SIF_* (xen/include/public/xen.h) */
#define PVH_SIF_PRIVILEGED      (1u << 0)
#define PVH_SIF_INITDOMAIN      (1u << 1)
#define PVH_SIF_MULTIBOOT_MOD   (1u << 2)
#define PVH_SIF_MOD_START_PFN   (1u << 3)
#define PVH_SIF_VIRT_P2M_4TOOLS (1u << 4)
#define PVH_SIF_PM_MASK         (0xffu << 8)

/* The name of SIF flag bit (a single bit below 8), or NULL. */
const char *pvh_sif_name(uint32_t bit);

/* hvm_memmap_table_entry types 1-7 (the e820 numbering). */
enum pvh_memmap_type {
	PVH_MEM_RAM = 1,
	PVH_MEM_RESERVED = 2,
	PVH_MEM_ACPI = 3,
	PVH_MEM_NVS = 4,
	PVH_MEM_UNUSABLE = 5,
	PVH_MEM_DISABLED = 6,
	PVH_MEM_PMEM = 7,
};

/* "RAM", "RESERVED", "ACPI", "NVS", "UNUSABLE", "DISABLED", "PMEM";
 * "XEN_OEM" for 0xF0000001-0xF0000004; NULL otherwise. */
const char *pvh_memmap_type_name(uint32_t type);

#define PVH_CMDLINE_MAX 256      /* bytes read of a command line */
#define PVH_MOD_CMDLINE_MAX 64   /* bytes read of a module's command line */
#define PVH_MODULES_MAX 8
#define PVH_MEMMAP_MAX 128       /* QEMU's pvh.bin hands over at most 128 */
#define PVH_LOW_HOLES_MAX 8

struct pvh_cmdline {
	uint64_t paddr;
	bool read;                /* bytes below were read */
	bool terminated;          /* a NUL within the bytes read */
	uint16_t len;             /* bytes before the NUL (or read) */
	uint8_t bytes[PVH_CMDLINE_MAX];
};

struct pvh_module {
	uint64_t paddr, size, cmdline_paddr, reserved;
	bool read;                /* the entry was read */
	bool cmdline_read, cmdline_terminated;
	uint16_t cmdline_len;
	uint8_t cmdline[PVH_MOD_CMDLINE_MAX];
};

struct pvh_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

struct pvh_start_info {
	uint32_t paddr;           /* EBX */
	bool read;                /* the v0 part was read */
	bool magic_ok;
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
	bool v1_read;             /* version >= 1 and the v1 part was read */
	uint64_t memmap_paddr;
	uint32_t memmap_entries, reserved;

	struct pvh_cmdline cmdline;
	struct pvh_module modules[PVH_MODULES_MAX];
	uint32_t modules_read;    /* entries in modules[] */
	struct pvh_memmap_entry memmap[PVH_MEMMAP_MAX];
	uint32_t memmap_read;     /* entries in memmap[] */
	uint64_t ram_bytes;       /* sum of RAM entries */
	/* Parts of [0, 1 MiB) that no RAM entry covers, ascending. */
	struct { uint32_t start, end; } low_holes[PVH_LOW_HOLES_MAX];
	uint32_t low_holes_n;

	struct pvh_findings findings;
};

/* Reads and checks the start_info at paddr (the EBX of the entry) through
 * mem. Fills *si (zeroed first) and its findings; reads only after the
 * magic matched. Returns true when the magic matched. */
bool pvh_start_info_parse(const struct pvh_mem *mem, uint32_t paddr, struct pvh_start_info *si);

/* Whether [addr, addr + len) lies within one entry of the parsed memory
 * map (any type). False when no map was read. */
bool pvh_memmap_covers(const struct pvh_start_info *si, uint64_t addr, uint64_t len);

#endif
