/* report_entry.c - what the report makes of a probe console capture's
 * entry facts: the VMM its ACPI tables name (the same rule table as the
 * evidence of a running system, evidence_vmm.c). */
#include "report_entry.h"

#include <errno.h>
#include <string.h>

#include "dump_probe_console.h"

static const struct probe_acpi_table *table(const struct probe_entry *e, const char *sig)
{
	for (unsigned i = 0; i < e->ntables; i++)
		if (memcmp(e->tables[i].sig, sig, 4) == 0)
			return &e->tables[i];
	if (strcmp(sig, "DSDT") == 0 && e->have_dsdt)
		return &e->dsdt;
	return NULL;
}

void report_entry_vmm(const struct probe_entry *e, struct vmm_evidence *v)
{
	memset(v, 0, sizeof(*v));
	struct sbuf *const dmi[] = { &v->sys_vendor, &v->product_name, &v->bios_vendor, &v->bios_version,
				     &v->board_vendor };
	for (size_t i = 0; i < sizeof(dmi) / sizeof(dmi[0]); i++)
		dmi[i]->err = -ENOENT; /* a guest without a kernel reads no DMI */
	static const char *const sigs[ACPI_TABLES] = { "FACP", "DSDT", "APIC" };
	for (unsigned i = 0; i < ACPI_TABLES; i++) {
		struct acpi_table *t = &v->acpi[i];
		memcpy(t->sig, sigs[i], 5);
		const struct probe_acpi_table *pt = table(e, sigs[i]);
		if (!pt) {
			t->err = -ENOENT;
			continue;
		}
		memcpy(t->oem_id, pt->oem_id, sizeof(t->oem_id));
		memcpy(t->oem_table_id, pt->oem_table_id, sizeof(t->oem_table_id));
		memcpy(t->creator_id, pt->creator_id, sizeof(t->creator_id));
		if (i == 0 && e->has_hv_vendor) {
			memcpy(t->hv_vendor, e->hv_vendor, sizeof(t->hv_vendor));
			t->have_hv_vendor = true;
		}
	}
	vmm_identify(v, NULL);
}
