/* evidence.c - collecting the evidence and combining it into one observed
 * entry protocol. /sys/hypervisor/guest_type (Xen's own word) outranks
 * boot_params; where they disagree the report says so. */
#include "evidence.h"

#include <stdio.h>
#include <string.h>

static const char *const entry_names[_ENTRY_MAX] = {
	[ENTRY_UNKNOWN] = "unknown",
	[ENTRY_PVH_XEN] = "pvh-xen",
	[ENTRY_PVH] = "pvh",
	[ENTRY_LINUX_BOOT] = "linux-boot",
	[ENTRY_XEN_PV] = "xen-pv",
};

const char *entry_protocol_name(enum entry_protocol e)
{
	return (unsigned)e < _ENTRY_MAX ? entry_names[e] : "unknown";
}

void evidence_collect(struct sysroot *s, struct evidence *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->collected = true;
	evidence_boot(s, &ev->boot);
	evidence_xen(s, &ev->xen);
	evidence_xenstore(&ev->xen, s->root[0] == '\0');
	evidence_vmm(s, &ev->vmm);
	vmm_identify(&ev->vmm, &ev->xen);

	ev->entry = ev->boot.entry;
	snprintf(ev->entry_why, sizeof(ev->entry_why), "%s", ev->boot.why);
	const struct xen_evidence *x = &ev->xen;
	if (sbuf_eq(&x->type, "xen") && !x->guest_type.err) {
		enum entry_protocol xe = ENTRY_UNKNOWN;
		if (sbuf_eq(&x->guest_type, "PVH"))
			xe = ENTRY_PVH_XEN;
		else if (sbuf_eq(&x->guest_type, "PV"))
			xe = ENTRY_XEN_PV;
		else if (sbuf_eq(&x->guest_type, "HVM"))
			xe = ENTRY_LINUX_BOOT; /* firmware, then a boot loader */
		if (xe != ENTRY_UNKNOWN) {
			if (ev->entry != ENTRY_UNKNOWN && ev->entry != xe) {
				ev->contradiction = true;
				snprintf(ev->contradiction_text, sizeof(ev->contradiction_text),
					 "/sys/hypervisor/guest_type says %s, but %.180s", entry_protocol_name(xe), ev->boot.why);
			}
			ev->entry = xe;
			snprintf(ev->entry_why, sizeof(ev->entry_why), "/sys/hypervisor/guest_type \"%.*s\"%s%.180s",
				 (int)(x->guest_type.n > 8 ? 8 : x->guest_type.n), (const char *)x->guest_type.b, ev->boot.err ? "" : "; ",
				 ev->boot.err ? "" : ev->boot.why);
		}
	}
	ev->observed_path = ev->entry == ENTRY_PVH_XEN ? PATH_XEN : ev->entry == ENTRY_PVH ? PATH_GENERIC : _PATH_INVALID;
}
