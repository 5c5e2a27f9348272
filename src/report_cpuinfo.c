/* cpuinfo.c - processor identity through libcpuid's cpu_identify().
 *
 * libcpuid 0.6.2 cpu_identify(raw, data) with a non-NULL raw executes no
 * CPUID itself (docs/leaf-layouts.md section 6); we hand it only the leaves
 * it needs for vendor, brand, family/model and flags, read through the leaf
 * table: 0, 1, 7, 0x80000000, 0x80000001, 0x80000002..4, 0x80000007. Others
 * stay zero (libcpuid then reports no caches, which we do not use).
 * cpuid_get_hypervisor() is not used: it reads only 0x40000000 and crashes
 * with NULL arguments in 0.6.2. */
#include "report_cpuinfo.h"

#include <string.h>

#ifdef HAVE_LIBCPUID /* the Makefile sets it when pkg-config finds libcpuid */
#include <libcpuid.h>
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

void cpuinfo_read(struct leaftab *t, struct cpuinfo *ci, bool full)
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
	if (!full)
		return;
	struct cpuid_regs e0 = lt_get(t, 0x80000000u, 0);
	ci->max_ext = e0.eax;
	bool have_brand = e0.eax >= 0x80000004u && e0.eax <= 0x800000ffu;
	struct cpuid_regs brand[3] = { { 0 } };
	if (have_brand) {
		for (unsigned k = 0; k < 3; k++) {
			struct cpuid_regs r = brand[k] = lt_get(t, 0x80000002u + k, 0);
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
	/* The flag leaves are read whatever the build, so that every build
	 * reads (and a report lists) the same leaves. */
	bool have_ext = e0.eax >= 0x80000000u && e0.eax <= 0x800000ffu;
	struct cpuid_regs l7 = l0.eax >= 7 && l0.eax <= 0xff ? lt_get(t, 7, 0) : (struct cpuid_regs){ 0 };
	struct cpuid_regs e1 = have_ext && e0.eax >= 0x80000001u ? lt_get(t, 0x80000001u, 0) : (struct cpuid_regs){ 0 };
#ifdef HAVE_LIBCPUID
	struct cpu_raw_data_t raw;
	struct cpu_id_t id;
	memset(&raw, 0, sizeof(raw));
	set_raw(raw.basic_cpuid[0], l0);
	set_raw(raw.basic_cpuid[1], l1);
	if (l0.eax >= 7 && l0.eax < MAX_CPUID_LEVEL)
		set_raw(raw.basic_cpuid[7], l7);
	if (have_ext) {
		set_raw(raw.ext_cpuid[0], e0);
		set_raw(raw.ext_cpuid[1], e1);
		if (have_brand)
			for (unsigned k = 0; k < 3; k++)
				set_raw(raw.ext_cpuid[2 + k], brand[k]);
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
	/* No libcpuid (it is x86-only): a dump analysed on another machine
	 * still gets the identity, by the formula libcpuid 0.6.2 applies
	 * (cpuid_main.c cpuid_basic_identify); feature flags stay empty. */
	(void)set_raw, (void)l7, (void)e1, (void)brand;
	static const struct {
		const char *sig, *id;
	} vendors[] = {
		{ "GenuineIntel", "intel" }, { "AuthenticAMD", "amd" }, { "HygonGenuine", "hygon" },
		{ "CentaurHauls", "centaur" }, { "CyrixInstead", "cyrix" }, { "GenuineTMx86", "transmeta" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(vendors); i++)
		if (memcmp(ci->vendor, vendors[i].sig, 12) == 0)
			ci->vendor_id = vendors[i].id;
	if (ci->vendor_id && l0.eax >= 1) {
		unsigned fam = (l1.eax >> 8) & 0xf, xfam = (l1.eax >> 20) & 0xff;
		unsigned mod = (l1.eax >> 4) & 0xf, xmod = (l1.eax >> 16) & 0xf;
		bool amd_old = strcmp(ci->vendor_id, "amd") == 0 && fam < 0xf;
		ci->identified = true;
		ci->family = (int)(amd_old ? fam : fam + xfam);
		ci->model = (int)(mod + (xmod << 4));
		ci->stepping = (int)(l1.eax & 0xf);
	}
#endif
}
