/* models.c - the table of kernel models (FreeBSD, then Linux, then NetBSD,
 * each newest first).
 * Release attributions: docs/rules-freebsd.md section 5. */
#include "models.h"

static const struct model_desc models[] = {
	{
		.name = "freebsd",
		.kernels = "FreeBSD 15.0 and main (D43764, 2024)",
		.source = "freebsd-src sys/x86/xen/pv.c hammer_time_xen, sys/x86/x86/identcpu.c identify_hypervisor_cpuid_base, sys/x86/xen/hvm.c xen_early_init",
		.os = OS_FREEBSD,
		.run = model_freebsd_run,
	},
	{
		.name = "freebsd-14.0",
		.kernels = "FreeBSD 14.0 (D35801, 2022); 14.1-14.3 this or freebsd, unverified",
		.source = "freebsd-src sys/x86/xen/pv.c hammer_time_xen, isxen; sys/x86/xen/hvm.c xen_hvm_init_hypercall_stubs",
		.os = OS_FREEBSD,
		.run = model_freebsd_14_run,
	},
	{
		.name = "freebsd-legacy",
		.kernels = "FreeBSD 13.1 and earlier, before D35801 (13.0 read; 13.2-13.5 likely, unverified)",
		.source = "freebsd-src sys/x86/xen/pv.c hammer_time_xen; sys/x86/xen/hvm.c xen_hvm_init_hypercall_stubs",
		.os = OS_FREEBSD,
		.run = model_freebsd_legacy_run,
		.always_xen = true,
	},
	{
		.name = "linux",
		.kernels = "Linux 6.13 and later; stable 6.12.6+, 6.6.67+, 6.1.121+, 5.15.175+, 5.10.232+ (XSA-466)",
		.source = "linux arch/x86/platform/pvh/enlighten.c xen_prepare_pvh; arch/x86/xen/enlighten_pvh.c xen_pvh_init after 7fa0da537368; arch/x86/kernel/cpu/hypervisor.c detect_hypervisor_vendor",
		.os = OS_LINUX,
		.run = model_linux_run,
	},
	{
		.name = "linux-5.0",
		.kernels = "Linux 5.0 to 6.12.5; stable up to 6.6.66, 6.1.120, 5.15.174, 5.10.231 (before XSA-466)",
		.source = "linux arch/x86/platform/pvh/enlighten.c xen_prepare_pvh; arch/x86/xen/enlighten_pvh.c xen_pvh_init before 7fa0da537368; arch/x86/kernel/cpu/hypervisor.c detect_hypervisor_vendor",
		.os = OS_LINUX,
		.run = model_linux_5_0_run,
	},
	{
		.name = "linux-4.11",
		.kernels = "Linux 4.11 to 4.20 (Xen-only PVH entry)",
		.source = "linux arch/x86/xen/xen-pvh.S pvh_start_xen, arch/x86/xen/enlighten_pvh.c xen_prepare_pvh (7243b93345f7)",
		.os = OS_LINUX,
		.run = model_linux_4_11_run,
		.always_xen = true,
	},
	{
		.name = "netbsd",
		.kernels = "NetBSD 11.0 and -current, kernels with options XEN and XENPVHVM (MICROVM)",
		.source = "NetBSD sys/arch/amd64/amd64/locore.S start_genpvh (read in NetBSDfr/NetBSD-src 058b032ba645), sys/arch/xen/xen/hypervisor.c init_xen_early, sys/arch/x86/x86/identcpu.c identify_hypervisor",
		.os = OS_NETBSD,
		.run = model_netbsd_run,
	},
};

const struct model_desc *models_all(unsigned *n)
{
	*n = ARRAY_SIZE(models);
	return models;
}

const struct model_desc *model_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(models); i++)
		if (strcmp(models[i].name, name) == 0)
			return &models[i];
	return NULL;
}

void model_run(const struct model_desc *d, struct leaftab *t, struct model_result *m)
{
	/* Every member before the text arrays is zeroed, whatever members are
	 * added there: the asserts keep the arrays last and alone. The arrays
	 * (13 kB a model) are written as far as they are used and read only
	 * up to their counts; zeroing them too costs 5 % of a run's
	 * instructions (bench/README.md, "Zeroing"). */
	_Static_assert(MEMBER_FOLLOWS(struct model_result, reason, conditions) &&
			       MEMBER_FOLLOWS(struct model_result, conditions, hazards) &&
			       MEMBER_FOLLOWS(struct model_result, hazards, trace) &&
			       MEMBER_IS_LAST(struct model_result, trace),
		       "model_result: only the text arrays may follow reason");
	memset(m, 0, offsetof(struct model_result, reason));
	m->reason[0] = '\0';
	m->desc = d;
	m->hypervisor = _HV_VENDOR_INVALID;
	d->run(t, m);
}
