/* pvh_acpi.h - the ACPI tables a PVH kernel finds from rsdp_paddr: RSDP,
 * RSDT/XSDT, table headers (OEM ids, as VMMs fingerprint themselves, see
 * FACTS.md section 8), the FADT's power-off registers and hypervisor
 * vendor identity, and the DSDT's \_S5_ sleep type.
 *
 * Offsets from the ACPI specification (6.x): RSDP "RSD PTR " @0, checksum
 * over 20 bytes, revision @15, rsdt u32 @16, length u32 @20, xsdt u64 @24,
 * extended checksum over length. Table header (36 bytes): signature @0,
 * length @4, revision @8, checksum @9, OEM id @10 (6), OEM table id @16
 * (8), OEM revision @24, creator id @28 (4), creator revision @32. FADT:
 * DSDT u32 @40, PM1a_CNT_BLK u32 @64, PM1b_CNT_BLK @68, Flags @112
 * (HW_REDUCED_ACPI bit 20), X_DSDT u64 @140, X_PM1a_CNT_BLK GAS @172,
 * X_PM1b_CNT_BLK GAS @184, SLEEP_CONTROL_REG GAS @244, hypervisor vendor
 * identity u64 @268 (length >= 276).
 *
 * All reads go through pvh_mem and every length is capped; a table that
 * claims to run past memory gives a finding, not a fault. */
#ifndef PVHPROBE_CORE_PVH_ACPI_H
#define PVHPROBE_CORE_PVH_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvh_findings.h"
#include "pvh_mem.h"

#define PVH_ACPI_TABLES_MAX 24
#define PVH_ACPI_TABLE_LEN_MAX (1u << 20)   /* checksums and the AML scan stop here */

struct pvh_acpi_header {
	uint64_t paddr;
	uint8_t signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t oem_id[6];
	uint8_t oem_table_id[8];
	uint32_t oem_revision;
	uint8_t creator_id[4];
	uint32_t creator_revision;
	bool checksum_ok;         /* false also when not checked (length out of bounds) */
};

/* Generic Address Structure: space 0 memory, 1 I/O port. */
struct pvh_acpi_gas {
	uint8_t space, bit_width, bit_offset, access_size;
	uint64_t address;
};

struct pvh_acpi {
	uint64_t rsdp_paddr;      /* handed over, or found by the scan; 0 none */
	bool rsdp_scanned;
	bool rsdp_ok;             /* signature and checksum right */
	uint8_t rsdp_revision;
	uint8_t rsdp_oem_id[6];
	uint32_t rsdt_paddr;
	uint64_t xsdt_paddr;
	bool root_ok;
	struct pvh_acpi_header root;     /* the RSDT or XSDT used */

	struct pvh_acpi_header tables[PVH_ACPI_TABLES_MAX];
	uint32_t ntables;

	bool fadt_found;
	struct pvh_acpi_header fadt;
	uint32_t fadt_flags;
	bool hw_reduced;
	uint32_t pm1a_cnt, pm1b_cnt;     /* I/O ports, 0 none */
	struct pvh_acpi_gas x_pm1a_cnt, x_pm1b_cnt, sleep_control;
	bool has_x_pm1, has_sleep_control;
	bool has_hv_vendor;
	uint8_t hv_vendor[8];            /* FADT hypervisor vendor identity */

	uint64_t dsdt_paddr;
	bool dsdt_ok;
	struct pvh_acpi_header dsdt;
	bool s5_found;
	uint8_t s5_typ_a, s5_typ_b;

	struct pvh_findings findings;
};

/* Reads the tables from rsdp_paddr. With rsdp_paddr 0 and scan set, looks
 * for the RSDP where a legacy BIOS keeps it: the first KiB of the EBDA
 * (segment at 0x40E) and 0xE0000-0xFFFFF, on 16-byte boundaries. Fills *a
 * (zeroed first). Returns true when an RSDP with a right checksum was
 * found. */
bool pvh_acpi_parse(const struct pvh_mem *mem, uint64_t rsdp_paddr, bool scan, struct pvh_acpi *a);

/* Finds the \_S5_ package in AML bytes: NameOp (0x08) "_S5_" PackageOp
 * (0x12) PkgLength NumElements, then SLP_TYPa and SLP_TYPb, each a
 * ZeroOp, OneOp, or BytePrefix (0x0A) value. Returns true and the two
 * values when found. Pure, bounded by n. */
bool pvh_aml_find_s5(const uint8_t *aml, size_t n, uint8_t *typ_a, uint8_t *typ_b);

#endif
