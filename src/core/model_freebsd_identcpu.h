/* freebsd_identcpu.h - FreeBSD's hypervisor classification (vm_guest). */
#ifndef PVHPROBE_FREEBSD_IDENTCPU_H
#define PVHPROBE_FREEBSD_IDENTCPU_H

#include "model.h"

enum fb_vm_guest {
	VM_GUEST_NO,
	VM_GUEST_VM,
	VM_GUEST_XEN,
	VM_GUEST_HV,
	VM_GUEST_VMWARE,
	VM_GUEST_KVM,
	VM_GUEST_BHYVE,
	VM_GUEST_VBOX,
	VM_GUEST_NVMM,
	_VM_GUEST_MAX,
	_VM_GUEST_INVALID = -1,
};

enum fb_identcpu_version {
	FB_IDENTCPU_PRE_D43508, /* 2022-2023: Hyper-V stops the scan too */
	FB_IDENTCPU_D43508,     /* 2024 on: keeps scanning past Hyper-V */
};

struct fb_identcpu {
	enum fb_vm_guest guest;
	uint32_t hv_base, hv_high;
	bool init_xen; /* the stopping match was Xen: xen_early_init() runs */
};

const char *fb_vm_guest_name(enum fb_vm_guest g);
enum fb_vm_guest fb_vm_guest_from_name(const char *s);
enum hv_vendor fb_vm_guest_vendor(enum fb_vm_guest g);

/* identify_hypervisor() / identify_hypervisor_cpuid_base(); traces into m. */
void freebsd_identcpu(struct leaftab *t, struct model_result *m, enum fb_identcpu_version v,
		      struct fb_identcpu *out);

/* Sets m->hypervisor, hypervisor_base and platform from a vm_guest. */
void freebsd_believes(struct model_result *m, enum fb_vm_guest g, uint32_t base);

/* The Xen set-up the PVH entry ran before D43764:
 * sys/x86/xen/hvm.c xen_hvm_init_hypercall_stubs(): xen_hvm_cpuid_base()
 * (signature and EAX-base >= 2, unsigned), then base+2 EAX must be 1, the
 * page address goes to the MSR in base+2 EBX, and base+1 gives the version.
 * Returns 0, CORE_ENXIO or CORE_EINVAL, like the kernel function, or
 * CORE_EFAULT where its wrmsr() to base+2 EBX would raise #GP (not Xen's
 * hypercall MSR) before any IDT exists. */
int freebsd_hypercall_stubs(struct leaftab *t, struct model_result *m, uint32_t *base);

#endif
