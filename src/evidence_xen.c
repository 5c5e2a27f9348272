/* evidence_xen.c - what Xen leaves in a Linux guest.
 *
 * torvalds/linux drivers/xen/sys-hypervisor.c: /sys/hypervisor/type "xen",
 * guest_type "PV" | "HVM" | "PVH" (4.13+), version/{major,minor,extra},
 * properties/features (hex), uuid. /proc/xen is xenfs, /dev/xen/xenbus the
 * xenbus device. guest_type is the strongest observation there is. */
#include "evidence.h"

void evidence_xen(struct sysroot *s, struct xen_evidence *x)
{
	static const char *const names[] = { "type", "guest_type", "version/major", "version/minor",
					     "version/extra", "properties/features", "uuid" };
	struct sbuf *const out[] = { &x->type, &x->guest_type, &x->major, &x->minor, &x->extra, &x->features, &x->uuid };
	sysroot_attrs(s, "/sys/hypervisor", sysroot_exists(s, "/sys/hypervisor"), names, out, ARRAY_SIZE(out));
	x->sys_hypervisor = x->type.err == 0;
	x->proc_xen = sysroot_exists(s, "/proc/xen");
	x->xenbus = sysroot_exists(s, "/dev/xen/xenbus");
}
