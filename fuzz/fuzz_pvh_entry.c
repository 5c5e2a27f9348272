/* fuzz_pvh_entry.c - the PVH entry parsers on an arbitrary guest memory.
 *
 * The input is guest-physical memory, mapped three times: at 0 (so the
 * BDA's EBDA pointer at 0x40E and a start_info in low memory are in it),
 * at 0xE0000 (the BIOS area the RSDP scan reads) and at 0x100000. Its
 * first bytes double as the entry state: struct pvh_entry_raw is copied
 * from offset 0, and start_info is looked for at its EBX masked to 20
 * bits (so that it usually lands inside a mapping). Every address inside
 * start_info and the ACPI tables is the input's own.
 *
 * Then: pvh_start_info_parse, pvh_acpi_parse (with the RSDP scan),
 * pvh_entry_check, pvh_aml_find_s5 on the whole input. Invariants, besides
 * the sanitizers: every bounded array stays within its bound, no read asks
 * for more than 4096 bytes at once, and the whole run makes at most
 * 300,000 reads (the parsers' own bounds allow about 110,000: 24 tables and
 * a DSDT of up to 1 MiB checksummed in 256-byte reads, the RSDP scan). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pvh_acpi.h"
#include "core/pvh_entry_state.h"
#include "core/pvh_start_info.h"

static const uint8_t *img;
static size_t img_len;
static unsigned long reads;

static const uint64_t bases[] = { 0, 0xe0000, 0x100000 };

#define FAIL(...)                                                \
	do {                                                     \
		fprintf(stderr, "INVARIANT VIOLATED: " __VA_ARGS__); \
		fputc('\n', stderr);                             \
		abort();                                         \
	} while (0)

static int mem_read(void *ctx, uint64_t paddr, void *buf, size_t len)
{
	(void)ctx;
	if (len > 4096)
		FAIL("a read of %zu bytes at 0x%llx", len, (unsigned long long)paddr);
	if (++reads > 300000)
		FAIL("more than 300000 reads");
	for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		if (paddr >= bases[i] && paddr - bases[i] <= img_len && len <= img_len - (paddr - bases[i])) {
			memcpy(buf, img + (paddr - bases[i]), len);
			return 0;
		}
	}
	return -1;
}

static struct pvh_start_info si;
static struct pvh_acpi acpi;
static struct pvh_entry_state st;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	img = data;
	img_len = size;
	reads = 0;
	struct pvh_mem mem = { .read = mem_read };
	struct pvh_entry_raw raw = { 0 };
	memcpy(&raw, data, size < sizeof(raw) ? size : sizeof(raw));

	pvh_start_info_parse(&mem, raw.ebx & 0xfffffu, &si);
	if (si.memmap_read > PVH_MEMMAP_MAX || si.modules_read > PVH_MODULES_MAX ||
	    si.cmdline.len > PVH_CMDLINE_MAX || si.low_holes_n > PVH_LOW_HOLES_MAX ||
	    si.findings.n > PVH_FINDINGS_MAX)
		FAIL("start_info bounds: memmap %u modules %u cmdline %u holes %u findings %zu", si.memmap_read,
		     si.modules_read, si.cmdline.len, si.low_holes_n, si.findings.n);
	for (uint32_t i = 0; i < si.modules_read; i++)
		if (si.modules[i].cmdline_len > PVH_MOD_CMDLINE_MAX)
			FAIL("module %u cmdline length %u", i, si.modules[i].cmdline_len);
	if (si.magic_ok != (si.read && si.magic == PVH_START_MAGIC))
		FAIL("magic_ok disagrees with the magic");

	pvh_acpi_parse(&mem, si.magic_ok ? si.rsdp_paddr : 0, true, &acpi);
	if (acpi.ntables > PVH_ACPI_TABLES_MAX || acpi.findings.n > PVH_FINDINGS_MAX)
		FAIL("ACPI bounds: %u tables, %zu findings", acpi.ntables, acpi.findings.n);
	if (acpi.s5_found && !acpi.fadt_found)
		FAIL("an S5 sleep type without a FADT");

	pvh_entry_check(&raw, &mem, &st);
	if (st.findings.n > PVH_FINDINGS_MAX)
		FAIL("entry findings %zu", st.findings.n);
	for (size_t i = 0; i < st.findings.n; i++)
		if (!pvh_finding_info(st.findings.f[i].id))
			FAIL("a finding without a table row");

	uint8_t a, b;
	pvh_aml_find_s5(data, size, &a, &b);
	return 0;
}
