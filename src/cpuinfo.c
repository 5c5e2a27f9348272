/* cpuinfo.c - processor identity through libcpuid's cpu_identify().
 *
 * libcpuid 0.6.2 cpu_identify(raw, data) with a non-NULL raw executes no
 * CPUID itself (docs/leaf-layouts.md section 6); we hand it only the leaves
 * it needs for vendor, brand, family/model and flags, read through the leaf
 * table: 0, 1, 7, 0x80000000, 0x80000001, 0x80000002..4, 0x80000007. Others
 * stay zero (libcpuid then reports no caches, which we do not use).
 * cpuid_get_hypervisor() is not used: it reads only 0x40000000 and crashes
 * with NULL arguments in 0.6.2. */
#include "cpuinfo.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <libcpuid.h>
#define HAVE_LIBCPUID 1
#endif

static void set_raw(uint32_t dst[4], struct cpuid_regs r)
{
	dst[0] = r.eax;
	dst[1] = r.ebx;
	dst[2] = r.ecx;
	dst[3] = r.edx;
}

#ifdef HAVE_LIBCPUID
static void quiet(const char *msg)
{
	(void)msg; /* libcpuid's warnings would go to stderr unasked */
}

static const char *vendor_id(cpu_vendor_t v)
{
	switch (v) {
	case VENDOR_INTEL: return "intel";
	case VENDOR_AMD: return "amd";
	case VENDOR_CYRIX: return "cyrix";
	case VENDOR_NEXGEN: return "nexgen";
	case VENDOR_TRANSMETA: return "transmeta";
	case VENDOR_UMC: return "umc";
	case VENDOR_CENTAUR: return "centaur";
	case VENDOR_RISE: return "rise";
	case VENDOR_SIS: return "sis";
	case VENDOR_NSC: return "nsc";
	case VENDOR_HYGON: return "hygon";
	default: return NULL;
	}
}
#endif

void cpuinfo_read(struct leaftab *t, struct cpuinfo *ci)
{
	memset(ci, 0, sizeof(*ci));
	struct cpuid_regs l0 = lt_get(t, 0, 0);
	struct cpuid_regs l1 = l0.eax >= 1 ? lt_get(t, 1, 0) : (struct cpuid_regs){ 0 };
	ci->max_basic = l0.eax;
	ci->hypervisor_bit = l1.ecx >> 31;
	/* Vendor bytes are EBX, EDX, ECX. */
	const uint32_t vw[3] = { l0.ebx, l0.edx, l0.ecx };
	for (int i = 0; i < 12; i++)
		ci->vendor[i] = (uint8_t)(vw[i / 4] >> (8 * (i % 4)));
	struct cpuid_regs e0 = lt_get(t, 0x80000000u, 0);
	ci->max_ext = e0.eax;
	bool have_brand = e0.eax >= 0x80000004u && e0.eax <= 0x800000ffu;
	if (have_brand) {
		for (unsigned k = 0; k < 3; k++) {
			struct cpuid_regs r = lt_get(t, 0x80000002u + k, 0);
			const uint32_t w[4] = { r.eax, r.ebx, r.ecx, r.edx };
			for (int i = 0; i < 16; i++)
				ci->brand[k * 16 + i] = (uint8_t)(w[i / 4] >> (8 * (i % 4)));
		}
		/* Leading and trailing spaces are padding (Intel right-justifies). */
		unsigned start = 0;
		while (start < 48 && ci->brand[start] == ' ')
			start++;
		unsigned n = 0;
		while (start + n < 48 && ci->brand[start + n])
			n++;
		while (n && ci->brand[start + n - 1] == ' ')
			n--;
		memmove(ci->brand, ci->brand + start, n);
		ci->brand_len = n;
	}
#ifdef HAVE_LIBCPUID
	struct cpu_raw_data_t raw;
	struct cpu_id_t id;
	memset(&raw, 0, sizeof(raw));
	set_raw(raw.basic_cpuid[0], l0);
	set_raw(raw.basic_cpuid[1], l1);
	if (l0.eax >= 7 && l0.eax < MAX_CPUID_LEVEL)
		set_raw(raw.basic_cpuid[7], lt_get(t, 7, 0));
	if (e0.eax >= 0x80000000u && e0.eax <= 0x800000ffu) {
		set_raw(raw.ext_cpuid[0], e0);
		if (e0.eax >= 0x80000001u)
			set_raw(raw.ext_cpuid[1], lt_get(t, 0x80000001u, 0));
		if (have_brand)
			for (unsigned k = 0; k < 3; k++)
				set_raw(raw.ext_cpuid[2 + k], lt_get(t, 0x80000002u + k, 0));
	}
	cpuid_set_warn_function(quiet);
	if (cpu_identify(&raw, &id) == 0) {
		ci->identified = true;
		ci->family = id.ext_family;
		ci->model = id.ext_model;
		ci->stepping = id.stepping;
		ci->vendor_id = vendor_id(id.vendor);
		for (int f = 0; f < NUM_CPU_FEATURES && f < CPU_FLAGS_MAX; f++)
			if (id.flags[f] && ci->nfeatures < CPUINFO_FEATURES_MAX)
				ci->features[ci->nfeatures++] = cpu_feature_str((cpu_feature_t)f);
	}
#else
	(void)set_raw;
#endif
}
