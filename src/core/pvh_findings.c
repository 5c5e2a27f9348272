/* pvh_findings.c - the finding table: stable ids, severities, one-line texts. */
#include "pvh_findings.h"

/* Sources: the entry state rules are xen-project/xen docs/misc/pvh.pandoc;
 * the start_info layout is xen/include/public/arch-x86/hvm/start_info.h;
 * what a kernel does on each is read from FreeBSD sys/x86/xen/pv.c and
 * Linux arch/x86/platform/pvh/enlighten.c (FACTS.md sections 2 and 6). */
static const struct pvh_finding_info table[_PF_MAX] = {
	[PF_ENTRY_CR0_PE_CLEAR] = { "entry.cr0.pe_clear", PVH_SEV_ERROR, "CR0.PE clear: not in protected mode" },
	[PF_ENTRY_CR0_EXTRA] = { "entry.cr0.extra_bits", PVH_SEV_ERROR, "CR0 writable bits other than PE set (value: those bits; ET ignored)" },
	[PF_ENTRY_CR4_NONZERO] = { "entry.cr4.nonzero", PVH_SEV_ERROR, "CR4 not 0" },
	[PF_ENTRY_EFLAGS_VM] = { "entry.eflags.vm", PVH_SEV_ERROR, "EFLAGS.VM set" },
	[PF_ENTRY_EFLAGS_IF] = { "entry.eflags.if", PVH_SEV_ERROR, "EFLAGS.IF set" },
	[PF_ENTRY_EFLAGS_TF] = { "entry.eflags.tf", PVH_SEV_ERROR, "EFLAGS.TF set" },
	[PF_ENTRY_CS_UNVERIFIABLE] = { "entry.cs.unverifiable", PVH_SEV_INFO, "CS descriptor not readable: null selector, outside the GDT, or the GDT out of reach" },
	[PF_ENTRY_CS_NOT_FLAT] = { "entry.cs.not_flat", PVH_SEV_ERROR, "CS base not 0 or limit not 4 GiB (value: limit)" },
	[PF_ENTRY_CS_TYPE] = { "entry.cs.type", PVH_SEV_ERROR, "CS not a present execute/read code segment (value: LAR)" },
	[PF_ENTRY_CS_NOT_32BIT] = { "entry.cs.not_32bit", PVH_SEV_ERROR, "CS not a 32-bit segment (D clear or L set; value: LAR)" },
	[PF_ENTRY_DS_UNVERIFIABLE] = { "entry.ds.unverifiable", PVH_SEV_INFO, "DS descriptor not readable through GDTR" },
	[PF_ENTRY_DS_NOT_FLAT] = { "entry.ds.not_flat", PVH_SEV_ERROR, "DS base not 0 or limit not 4 GiB (value: limit)" },
	[PF_ENTRY_DS_TYPE] = { "entry.ds.type", PVH_SEV_ERROR, "DS not a present read/write data segment (value: LAR)" },
	[PF_ENTRY_ES_UNVERIFIABLE] = { "entry.es.unverifiable", PVH_SEV_INFO, "ES descriptor not readable through GDTR" },
	[PF_ENTRY_ES_NOT_FLAT] = { "entry.es.not_flat", PVH_SEV_ERROR, "ES base not 0 or limit not 4 GiB (value: limit)" },
	[PF_ENTRY_ES_TYPE] = { "entry.es.type", PVH_SEV_ERROR, "ES not a present read/write data segment (value: LAR)" },
	[PF_ENTRY_SS_UNVERIFIABLE] = { "entry.ss.unverifiable", PVH_SEV_INFO, "SS descriptor not readable through GDTR" },
	[PF_ENTRY_SS_NOT_FLAT] = { "entry.ss.not_flat", PVH_SEV_ERROR, "SS base not 0 or limit not 4 GiB (value: limit)" },
	[PF_ENTRY_SS_TYPE] = { "entry.ss.type", PVH_SEV_ERROR, "SS not a present read/write data segment (value: LAR)" },
	[PF_ENTRY_TR_UNVERIFIABLE] = { "entry.tr.unverifiable", PVH_SEV_INFO, "TR selector null or its descriptor not readable (the hidden TR state cannot be read back)" },
	[PF_ENTRY_TR_TYPE] = { "entry.tr.type", PVH_SEV_ERROR, "TR not a 32-bit TSS (value: LAR)" },
	[PF_ENTRY_TR_BASE] = { "entry.tr.base", PVH_SEV_ERROR, "TR base not 0 (value: base)" },
	[PF_ENTRY_TR_LIMIT] = { "entry.tr.limit", PVH_SEV_ERROR, "TR limit not 0x67 (value: limit)" },
	[PF_ENTRY_EFER_LME] = { "entry.efer.lme", PVH_SEV_WARN, "EFER.LME set at a 32-bit entry (EFER is unspecified; value: EFER)" },

	[PF_SI_ABSENT] = { "start_info.absent", PVH_SEV_ERROR, "EBX is 0: no start_info" },
	[PF_SI_UNREADABLE] = { "start_info.unreadable", PVH_SEV_ERROR, "start_info out of reach (value: EBX)" },
	[PF_SI_MAGIC] = { "start_info.magic", PVH_SEV_ERROR, "magic not 0x336ec578: Linux BUG()s, FreeBSD halts (value: magic)" },
	[PF_SI_VERSION_NEWER] = { "start_info.version_newer", PVH_SEV_INFO, "version above 1: fields beyond v1 not decoded (value: version)" },
	[PF_SI_VERSION0] = { "start_info.version0", PVH_SEV_WARN, "version 0: no memory map; Linux BUG()s off Xen, FreeBSD needs the XENMEM_memory_map hypercall" },
	[PF_SI_FLAGS_UNKNOWN] = { "start_info.flags_unknown", PVH_SEV_INFO, "flags outside SIF_* (value: those bits)" },
	[PF_SI_MODLIST_NO_MODULES] = { "start_info.modlist_without_modules", PVH_SEV_WARN, "modlist_paddr set with nr_modules 0: FreeBSD's PVH entry crashes" },
	[PF_SI_MODULES_NO_MODLIST] = { "start_info.modules_without_modlist", PVH_SEV_ERROR, "nr_modules set with modlist_paddr 0 (value: nr_modules)" },
	[PF_SI_MODULES_TRUNCATED] = { "start_info.modules_truncated", PVH_SEV_WARN, "more modules than the probe reads (value: nr_modules)" },
	[PF_SI_MODULE_UNREADABLE] = { "start_info.module_unreadable", PVH_SEV_ERROR, "a module list entry out of reach (value: its address)" },
	[PF_SI_MODULE_CMDLINE_UNREADABLE] = { "start_info.module_cmdline_unreadable", PVH_SEV_WARN, "a module command line out of reach (value: its address)" },
	[PF_SI_CMDLINE_UNREADABLE] = { "start_info.cmdline_unreadable", PVH_SEV_ERROR, "cmdline_paddr out of reach (value: address)" },
	[PF_SI_CMDLINE_UNTERMINATED] = { "start_info.cmdline_unterminated", PVH_SEV_WARN, "no NUL within the bytes read (value: bytes read)" },
	[PF_SI_MEMMAP_ABSENT] = { "start_info.memmap_absent", PVH_SEV_ERROR, "version 1 with memmap_paddr 0: Linux off Xen BUG()s" },
	[PF_SI_MEMMAP_NO_ENTRIES] = { "start_info.memmap_no_entries", PVH_SEV_ERROR, "version 1 with memmap_entries 0: Linux off Xen BUG()s" },
	[PF_SI_MEMMAP_TRUNCATED] = { "start_info.memmap_truncated", PVH_SEV_WARN, "more entries than the probe reads (value: memmap_entries)" },
	[PF_SI_MEMMAP_UNREADABLE] = { "start_info.memmap_unreadable", PVH_SEV_ERROR, "a memory map entry out of reach (value: its address)" },
	[PF_SI_MEMMAP_TYPE_UNKNOWN] = { "start_info.memmap_type_unknown", PVH_SEV_INFO, "an entry type outside 1-7 (value: type)" },
	[PF_SI_MEMMAP_EMPTY_ENTRY] = { "start_info.memmap_empty_entry", PVH_SEV_INFO, "an entry of size 0 or wrapping past 2^64 (value: index)" },
	[PF_SI_MEMMAP_OVERLAP] = { "start_info.memmap_overlap", PVH_SEV_WARN, "two entries overlap (value: index of the later one)" },
	[PF_SI_MEMMAP_NO_RAM] = { "start_info.memmap_no_ram", PVH_SEV_ERROR, "no RAM entry in the memory map" },
	[PF_SI_MEMMAP_LOW_HOLE] = { "start_info.memmap_low_hole", PVH_SEV_INFO, "part of the first MiB is not RAM (value: start << 32 | end)" },
	[PF_SI_RESERVED_NONZERO] = { "start_info.reserved_nonzero", PVH_SEV_WARN, "the v1 reserved field is not 0 (value: it)" },
	[PF_SI_RSDP_ABSENT] = { "start_info.rsdp_absent", PVH_SEV_INFO, "rsdp_paddr 0: the kernel must find the RSDP itself" },

	[PF_ACPI_RSDP_SCANNED] = { "acpi.rsdp_scanned", PVH_SEV_INFO, "RSDP found by scanning the EBDA and 0xE0000-0xFFFFF (value: address)" },
	[PF_ACPI_RSDP_NOT_FOUND] = { "acpi.rsdp_not_found", PVH_SEV_INFO, "no RSDP handed over nor found in the BIOS areas" },
	[PF_ACPI_RSDP_UNREADABLE] = { "acpi.rsdp_unreadable", PVH_SEV_ERROR, "rsdp_paddr out of reach (value: address)" },
	[PF_ACPI_RSDP_SIGNATURE] = { "acpi.rsdp_signature", PVH_SEV_ERROR, "no \"RSD PTR \" at rsdp_paddr (value: address)" },
	[PF_ACPI_RSDP_CHECKSUM] = { "acpi.rsdp_checksum", PVH_SEV_ERROR, "RSDP checksum of the first 20 bytes wrong (value: byte sum)" },
	[PF_ACPI_RSDP_EXT_CHECKSUM] = { "acpi.rsdp_ext_checksum", PVH_SEV_ERROR, "RSDP extended checksum wrong or length bad (value: length)" },
	[PF_ACPI_XSDT_UNREADABLE] = { "acpi.xsdt_unreadable", PVH_SEV_WARN, "XSDT out of reach or bad; RSDT used (value: address)" },
	[PF_ACPI_RSDT_UNREADABLE] = { "acpi.rsdt_unreadable", PVH_SEV_ERROR, "RSDT out of reach or bad (value: address)" },
	[PF_ACPI_ROOT_SIGNATURE] = { "acpi.root_signature", PVH_SEV_ERROR, "root table signature not RSDT/XSDT; its entries are read all the same (value: address)" },
	[PF_ACPI_TABLE_UNREADABLE] = { "acpi.table_unreadable", PVH_SEV_ERROR, "a table out of reach (value: address)" },
	[PF_ACPI_TABLE_LENGTH] = { "acpi.table_length", PVH_SEV_ERROR, "a table length below 36 or above the probe's bound (value: address)" },
	[PF_ACPI_TABLE_CHECKSUM] = { "acpi.table_checksum", PVH_SEV_ERROR, "a table checksum wrong (value: address)" },
	[PF_ACPI_TABLES_TRUNCATED] = { "acpi.tables_truncated", PVH_SEV_WARN, "more tables than the probe reads (value: entries)" },
	[PF_ACPI_FADT_ABSENT] = { "acpi.fadt_absent", PVH_SEV_WARN, "no FACP table: no ACPI power-off" },
	[PF_ACPI_FADT_SHORT] = { "acpi.fadt_short", PVH_SEV_WARN, "FACP shorter than the fields the probe reads (value: length)" },
	[PF_ACPI_DSDT_UNREADABLE] = { "acpi.dsdt_unreadable", PVH_SEV_WARN, "DSDT out of reach or bad (value: address)" },
	[PF_ACPI_S5_ABSENT] = { "acpi.s5_absent", PVH_SEV_INFO, "no \\_S5_ package in the DSDT: no S5 sleep type" },
};

static const char *const sev_names[_PVH_SEV_MAX] = {
	[PVH_SEV_INFO] = "info",
	[PVH_SEV_WARN] = "warn",
	[PVH_SEV_ERROR] = "error",
};

const struct pvh_finding_info *pvh_finding_info(enum pvh_finding_id id)
{
	if ((unsigned)id >= _PF_MAX)
		return NULL;
	return &table[id];
}

const char *pvh_severity_name(enum pvh_severity s)
{
	return (unsigned)s < _PVH_SEV_MAX ? sev_names[s] : "?";
}

void pvh_findings_add(struct pvh_findings *fs, enum pvh_finding_id id, uint64_t value)
{
	if (fs->n >= PVH_FINDINGS_MAX) {
		fs->dropped++;
		return;
	}
	fs->f[fs->n].id = id;
	fs->f[fs->n].value = value;
	fs->n++;
}

bool pvh_findings_has(const struct pvh_findings *fs, enum pvh_finding_id id)
{
	for (size_t i = 0; i < fs->n; i++)
		if (fs->f[i].id == id)
			return true;
	return false;
}
