/* report_entry.h - a probe console capture's entry facts in the report. */
#ifndef PVHPROBE_REPORT_ENTRY_H
#define PVHPROBE_REPORT_ENTRY_H

#include "evidence.h"

struct probe_entry;

/* The VMM named by the capture's ACPI facts (FADT hypervisor vendor
 * identity, FACP/DSDT/APIC OEM IDs) through evidence_vmm.c's rule table;
 * v->vmm is NULL when they name none. xen_base: the base of a Xen range in
 * the probe's CPUID, or 0: then, as for a running kernel under Xen, the
 * VMM is Xen and the ACPI facts name the hardware underneath
 * (v->hardware). */
void report_entry_vmm(const struct probe_entry *e, uint32_t xen_base, struct vmm_evidence *v);

#endif
