/* cpuinfo.h - which processor the leaves describe, identified by libcpuid
 * from the leaf table (never by executing CPUID behind the table's back). */
#ifndef PVHPROBE_CPUINFO_H
#define PVHPROBE_CPUINFO_H

#include "core/leaftab.h"

#define CPUINFO_FEATURES_MAX 256

struct cpuinfo {
	bool identified;          /* libcpuid recognised the vendor */
	uint8_t vendor[12];       /* CPUID.0 EBX,EDX,ECX bytes, raw */
	uint8_t brand[48];        /* 0x80000002..4, raw, up to the first NUL */
	unsigned brand_len;
	int family, model, stepping; /* display family/model (libcpuid ext_*) */
	const char *vendor_id;    /* "intel", "amd", ... from libcpuid, or NULL */
	uint32_t max_basic, max_ext;
	bool hypervisor_bit;      /* CPUID.1:ECX[31] */
	/* Feature flags libcpuid recognises in leaves 1, 7 and 0x80000001
	 * (cpu_feature_str() names, static strings), in libcpuid's order. */
	const char *features[CPUINFO_FEATURES_MAX];
	unsigned nfeatures;
};

/* full: also the brand, the flag leaves and libcpuid's identification;
 * without it only the vendor and leaf 1 (the hypervisor bit) are read. */
void cpuinfo_read(struct leaftab *t, struct cpuinfo *ci, bool full);

#endif
