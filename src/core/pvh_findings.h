/* pvh_findings.h - what the probe guest found wrong or noteworthy at the
 * PVH entry: one enum, one name table, stable ids.
 *
 * A finding is an id (its name, such as "entry.cr4.nonzero", never changes
 * meaning once released: the host side and scripts match on it), a
 * severity and one value (the register, address or count it is about).
 * The parsers append findings to a bounded list and never print. */
#ifndef PVHPROBE_CORE_PVH_FINDINGS_H
#define PVHPROBE_CORE_PVH_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pvh_severity {
	PVH_SEV_INFO,   /* worth knowing; the ABI allows it */
	PVH_SEV_WARN,   /* some kernel misbehaves or the VMM differs from the others */
	PVH_SEV_ERROR,  /* the PVH ABI is broken, or a kernel would stop here */
	_PVH_SEV_MAX,
};

enum pvh_finding_id {
	/* entry state (pvh_entry_state.c), checked against docs/misc/pvh.pandoc */
	PF_ENTRY_CR0_PE_CLEAR,
	PF_ENTRY_CR0_EXTRA,
	PF_ENTRY_CR4_NONZERO,
	PF_ENTRY_EFLAGS_VM,
	PF_ENTRY_EFLAGS_IF,
	PF_ENTRY_EFLAGS_TF,
	PF_ENTRY_CS_UNVERIFIABLE,
	PF_ENTRY_CS_NOT_FLAT,
	PF_ENTRY_CS_TYPE,
	PF_ENTRY_CS_NOT_32BIT,
	PF_ENTRY_DS_UNVERIFIABLE,
	PF_ENTRY_DS_NOT_FLAT,
	PF_ENTRY_DS_TYPE,
	PF_ENTRY_ES_UNVERIFIABLE,
	PF_ENTRY_ES_NOT_FLAT,
	PF_ENTRY_ES_TYPE,
	PF_ENTRY_SS_UNVERIFIABLE,
	PF_ENTRY_SS_NOT_FLAT,
	PF_ENTRY_SS_TYPE,
	PF_ENTRY_TR_UNVERIFIABLE,
	PF_ENTRY_TR_TYPE,
	PF_ENTRY_TR_BASE,
	PF_ENTRY_TR_LIMIT,
	PF_ENTRY_EFER_LME,
	/* start_info (pvh_start_info.c) */
	PF_SI_ABSENT,
	PF_SI_UNREADABLE,
	PF_SI_MAGIC,
	PF_SI_VERSION_NEWER,
	PF_SI_VERSION0,
	PF_SI_FLAGS_UNKNOWN,
	PF_SI_MODLIST_NO_MODULES,
	PF_SI_MODULES_NO_MODLIST,
	PF_SI_MODULES_TRUNCATED,
	PF_SI_MODULE_UNREADABLE,
	PF_SI_MODULE_CMDLINE_UNREADABLE,
	PF_SI_CMDLINE_UNREADABLE,
	PF_SI_CMDLINE_UNTERMINATED,
	PF_SI_MEMMAP_ABSENT,
	PF_SI_MEMMAP_NO_ENTRIES,
	PF_SI_MEMMAP_TRUNCATED,
	PF_SI_MEMMAP_UNREADABLE,
	PF_SI_MEMMAP_TYPE_UNKNOWN,
	PF_SI_MEMMAP_EMPTY_ENTRY,
	PF_SI_MEMMAP_OVERLAP,
	PF_SI_MEMMAP_NO_RAM,
	PF_SI_MEMMAP_LOW_HOLE,
	PF_SI_RESERVED_NONZERO,
	PF_SI_RSDP_ABSENT,
	/* ACPI (pvh_acpi.c) */
	PF_ACPI_RSDP_SCANNED,
	PF_ACPI_RSDP_NOT_FOUND,
	PF_ACPI_RSDP_UNREADABLE,
	PF_ACPI_RSDP_SIGNATURE,
	PF_ACPI_RSDP_CHECKSUM,
	PF_ACPI_RSDP_EXT_CHECKSUM,
	PF_ACPI_XSDT_UNREADABLE,
	PF_ACPI_RSDT_UNREADABLE,
	PF_ACPI_ROOT_SIGNATURE,
	PF_ACPI_TABLE_UNREADABLE,
	PF_ACPI_TABLE_LENGTH,
	PF_ACPI_TABLE_CHECKSUM,
	PF_ACPI_TABLES_TRUNCATED,
	PF_ACPI_FADT_ABSENT,
	PF_ACPI_FADT_SHORT,
	PF_ACPI_DSDT_UNREADABLE,
	PF_ACPI_S5_ABSENT,
	_PF_MAX,
};

struct pvh_finding_info {
	const char *name;          /* stable id, dotted lowercase */
	enum pvh_severity severity;
	const char *text;          /* one line of explanation, ASCII */
};

const struct pvh_finding_info *pvh_finding_info(enum pvh_finding_id id);
const char *pvh_severity_name(enum pvh_severity s);

#define PVH_FINDINGS_MAX 48

struct pvh_finding {
	enum pvh_finding_id id;
	uint64_t value;
};

struct pvh_findings {
	struct pvh_finding f[PVH_FINDINGS_MAX];
	size_t n;
	size_t dropped;  /* findings that did not fit */
};

void pvh_findings_add(struct pvh_findings *fs, enum pvh_finding_id id, uint64_t value);
bool pvh_findings_has(const struct pvh_findings *fs, enum pvh_finding_id id);

#endif
