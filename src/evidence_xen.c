/* evidence_xen.c - what Xen leaves in a Linux guest.
 *
 * torvalds/linux drivers/xen/sys-hypervisor.c: /sys/hypervisor/type "xen",
 * guest_type "PV" | "HVM" | "PVH" (4.13+), version/{major,minor,extra},
 * properties/features (hex), uuid. /proc/xen is xenfs, /dev/xen/xenbus the
 * xenbus device. guest_type is the strongest observation there is. */
#include "evidence.h"

void evidence_xen(struct sysroot *s, struct xen_evidence *x)
{
	sysroot_attr(s, "/sys/hypervisor/type", &x->type);
	x->sys_hypervisor = x->type.err == 0;
	sysroot_attr(s, "/sys/hypervisor/guest_type", &x->guest_type);
	sysroot_attr(s, "/sys/hypervisor/version/major", &x->major);
	sysroot_attr(s, "/sys/hypervisor/version/minor", &x->minor);
	sysroot_attr(s, "/sys/hypervisor/version/extra", &x->extra);
	sysroot_attr(s, "/sys/hypervisor/properties/features", &x->features);
	sysroot_attr(s, "/sys/hypervisor/uuid", &x->uuid);
	x->proc_xen = sysroot_exists(s, "/proc/xen");
	x->xenbus = sysroot_exists(s, "/dev/xen/xenbus");
}
