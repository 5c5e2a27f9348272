/* dump_probe_console.h - a captured console of the probe guest (pvhprobe.elf).
 *
 * The guest writes one framed report (guest/console.c, docs/probe-guest.md):
 *
 *   PVHPROBE BEGIN format=1
 *   PVH path: ...                      the guest's one-line answer
 *   KEY=VALUE ...                      entry.*, start_info.*, acpi.*, ...
 *   cpuid=LEAF SUBLEAF EAX EBX ECX EDX every leaf the guest read, in hex
 *   PVHPROBE END lines=N crc32=XXXXXXXX
 *
 * N counts the physical lines from BEGIN (included) to END (excluded); the
 * CRC-32 (IEEE, as zlib's crc32) covers those lines, each with its "\n".
 * A logical line longer than 150 bytes continues on lines starting "+ ".
 *
 * A capture is whatever a VMM's console gave: firmware noise before and
 * after, CR/LF, terminal escape sequences, Xen's "(XEN) " lines and its
 * "(d0) " prefix on the guest's port 0xE9 text, text before BEGIN on the
 * same line (a constant per-line prefix when the following lines carry it
 * too), two copies one after the other (serial and debugcon): the first
 * frame that verifies is taken. A frame that does not verify, when no
 * later one does, is an input error naming the line and what was expected.
 *
 * The cpuid= lines become the dump's leaves (one CPU, id 0), so the whole
 * analysis runs on the probe's own leaves; the rest is parsed into struct
 * probe_entry (d->entry). Parsers never print. */
#ifndef PVHPROBE_DUMP_PROBE_CONSOLE_H
#define PVHPROBE_DUMP_PROBE_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dump.h"

#define PROBE_FORMAT_READ 1   /* the frame format this reader knows */
#define PROBE_MEMMAP_MAX 128
#define PROBE_MODULES_MAX 16
#define PROBE_FINDINGS_MAX 64
#define PROBE_TABLES_MAX 32
#define PROBE_MODELS_MAX 8
#define PROBE_BYTES_MAX 1024
#define PROBE_FRAME_LINES_MAX 100000u

/* Bytes the guest printed quoted and C-escaped (escape_c), unescaped. */
struct probe_bytes {
	bool present;
	bool unterminated;  /* the guest found no NUL within its bound */
	bool truncated;     /* longer than PROBE_BYTES_MAX here */
	size_t n;
	uint8_t b[PROBE_BYTES_MAX];
};

enum probe_seg {
	PROBE_SEG_CS,
	PROBE_SEG_DS,
	PROBE_SEG_ES,
	PROBE_SEG_SS,
	PROBE_SEG_FS,
	PROBE_SEG_GS,
	PROBE_SEG_TR,
	_PROBE_SEG_MAX,
};

const char *probe_seg_name(enum probe_seg s);

struct probe_segment {
	bool present;
	uint16_t sel;
	bool lar_ok, limit_ok, base_known;
	uint32_t lar, limit, base;
};

struct probe_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
	char type_name[16];
};

struct probe_module {
	uint64_t paddr, size, cmdline_paddr, reserved;
	struct probe_bytes cmdline;
};

struct probe_acpi_table {
	uint8_t sig[4], oem_id[6], oem_table_id[8], creator_id[4];
	uint64_t paddr;
	uint32_t length, revision, oem_revision;
	bool checksum_ok;
};

struct probe_finding {
	char id[48];
	char severity[8];   /* info, warn, error (the guest's words) */
	uint64_t value;
	char text[240];
};

struct probe_model {
	char name[24], path[16], outcome[32], hypervisor[24], platform[32];
	uint32_t base, xen_base;
	char reason[240];
};

struct probe_entry {
	/* the frame */
	unsigned format;
	unsigned begin_line, end_line;   /* physical lines of the capture */
	unsigned frame_lines;
	uint32_t crc32;
	char probe_version[16];
	bool uart;
	char answer[400];                /* the "PVH path: ..." line, without "PVH path: " */

	/* entry state */
	bool have_regs;
	uint32_t ebx, esp, eflags, cr0, cr3, cr4;
	bool efer_valid;
	uint64_t efer;
	uint32_t gdtr_base, idtr_base;
	uint16_t gdtr_limit, idtr_limit;
	struct probe_segment seg[_PROBE_SEG_MAX];

	/* start_info: si_read false when the guest printed only its address;
	 * si_v1 once either version-1 field (memmap_paddr, memmap_entries) was
	 * read, which the JSON report then carries */
	uint32_t si_paddr;
	bool si_read, magic_ok, si_v1;
	uint32_t magic, version, flags, nr_modules, memmap_entries, si_reserved;
	char flag_names[96];
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
	struct probe_bytes cmdline;
	struct probe_module modules[PROBE_MODULES_MAX];
	unsigned nmodules;
	struct probe_memmap_entry memmap[PROBE_MEMMAP_MAX];
	unsigned nmemmap;
	bool have_ram_bytes;
	uint64_t ram_bytes;

	/* ACPI, as the guest found it from start_info's RSDP */
	bool rsdp_present, rsdp_ok, rsdp_scanned;
	uint64_t acpi_rsdp_paddr;
	uint32_t rsdp_revision;
	uint8_t rsdp_oem_id[6];
	struct probe_acpi_table tables[PROBE_TABLES_MAX];
	unsigned ntables;
	bool have_dsdt;
	struct probe_acpi_table dsdt;
	bool fadt_found, hw_reduced, has_hv_vendor;
	uint32_t fadt_flags;
	uint8_t hv_vendor[8];

	struct probe_finding findings[PROBE_FINDINGS_MAX];
	unsigned nfindings, findings_dropped;
	unsigned errors, warnings;       /* findings by severity */

	struct probe_model models[PROBE_MODELS_MAX];
	unsigned nmodels;

	bool have_refused;
	uint32_t refused_reads;
	uint32_t cpuid_count;            /* the count line: checked against the cpuid= lines */
	unsigned ncpuid;
};

/* Whether buf holds a probe guest's frame (the BEGIN marker). */
bool probe_console_detect(const char *buf, size_t len);

/* Parses a capture into d (format DUMP_PROBE_CONSOLE, d->entry malloc'd).
 * Returns 0, or -EINVAL with err "NAME:LINE: what was expected". */
int probe_console_parse(const char *name, const char *buf, size_t len, struct dump *d, char *err,
			size_t errlen);

/* Index just past the END line of the first frame that verifies in
 * buf[0..len), or 0 when there is none yet (pvhprobe boot stops the VMM
 * there). */
size_t probe_console_complete(const char *buf, size_t len);

#endif
