/* report_entry.c - what the report makes of a probe console capture's
 * entry facts: the VMM its ACPI tables name (the same rule table as the
 * evidence of a running system, evidence_vmm.c). */
#include "report_entry.h"

#include <errno.h>
#include <stdio.h>
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

void report_entry_vmm(const struct probe_entry *e, uint32_t xen_base, struct vmm_evidence *v)
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
	if (!xen_base) {
		vmm_identify(v, NULL);
		return;
	}
	/* Xen's presence as a guest sees it, in the form vmm_identify()
	 * takes; the "how" is then the probe's own. */
	struct xen_evidence x;
	memset(&x, 0, sizeof(x));
	struct sbuf *const xs[] = { &x.guest_type, &x.major, &x.minor, &x.extra, &x.features, &x.uuid,
				    &x.xs_domid, &x.xs_name, &x.xs_vm };
	for (size_t i = 0; i < sizeof(xs) / sizeof(xs[0]); i++)
		xs[i]->err = -ENOENT;
	memcpy(x.type.b, "xen", 3);
	x.type.n = 3;
	vmm_identify(v, &x);
	snprintf(v->how, sizeof(v->how), "the probe's CPUID: the Xen signature at %#x", xen_base);
}
