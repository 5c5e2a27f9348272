/* sigtab.h - the hypervisor signature table: one row per hypervisor.
 *
 * The enum, the id strings and the display names come from one table
 * (sigtab.c); `pvhprobe --list` prints that table. */
#ifndef PVHPROBE_SIGTAB_H
#define PVHPROBE_SIGTAB_H

#include "regs.h"

enum hv_vendor {
	HV_XEN,
	HV_KVM,
	HV_HYPERV,
	HV_KVM_HYPERV,
	HV_VMWARE,
	HV_VIRTUALBOX,
	HV_TCG,
	HV_BHYVE,
	HV_ACRN,
	HV_QNX,
	HV_SRE,
	HV_APPLE,
	HV_JAILHOUSE,
	HV_HAXM,
	HV_NVMM,
	HV_OPENBSD,
	HV_UNISYS,
	HV_PARALLELS,
	HV_FEX,
	_HV_VENDOR_MAX,
	_HV_VENDOR_INVALID = -1,
};

struct hv_sig {
	enum hv_vendor vendor;
	const char *id;          /* short id: "xen", "kvm", ... (JSON, env, --list) */
	const char *name;        /* display name */
	uint8_t sig[CPUID_SIG_LEN];
	const char *note;        /* where it is seen, caveats */
	uint8_t alt[CPUID_SIG_LEN]; /* a second spelling seen in the wild, or all zero */
};

/* Rows in table order; sigtab_n() of them. */
const struct hv_sig *sigtab_rows(void);
unsigned sigtab_n(void);

/* Row for an exact 12-byte match, or NULL. */
const struct hv_sig *sigtab_match(const uint8_t sig[CPUID_SIG_LEN]);

/* Row for a vendor, or NULL for _HV_VENDOR_INVALID. */
const struct hv_sig *sigtab_vendor(enum hv_vendor v);

/* "unknown" for _HV_VENDOR_INVALID. */
const char *hv_vendor_id(enum hv_vendor v);

#endif
