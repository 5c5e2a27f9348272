/* test_report_views.c - a Xen PV guest's two CPUID views: the report is
 * built on Xen's (forced emulation), and a finding names what the plain
 * instruction shows beside it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "report.h"
#include "scenarios.h"

static struct report rep;

static void build(struct tcpu *c, const struct trow *rows)
{
	tcpu_load(c, rows);
	unsigned n;
	const struct model_desc *all = models_all(&n);
	const struct model_desc *sel[8];
	for (unsigned i = 0; i < n; i++)
		sel[i] = &all[i];
	struct report_source rs = { .kind = SOURCE_XEN_PV, .cpu = 0 };
	report_build(&rep, &c->lt, &rs, sel, n, NULL, NULL, false);
}

static const struct finding *find(const char *id)
{
	for (unsigned i = 0; i < rep.nfindings; i++)
		if (strcmp(rep.findings[i].id, id) == 0)
			return &rep.findings[i];
	return NULL;
}

static const struct trow xen_view[] = {
	CPU_INTEL(1),
	SIGROW(0x40000000, 0x40000005, "XenVMMXenVMM"),
	LEAF(0x40000001, 0x0004000b, 0, 0, 0),
	LEAF(0x40000002, 1, 0x40000000, 0, 0),
	END_ROWS,
};

/* The plain instruction on a CPU without CPUID faulting, Xen itself under
 * a KVM host: the host's KVM range. */
static const struct trow plain_kvm[] = {
	CPU_INTEL(1),
	SIGROW(0x40000000, 0x40000001, "KVMKVMKVM\0\0\0"),
	END_ROWS,
};

static void test_views_differ(void **state)
{
	(void)state;
	struct tcpu plain, emu;
	tcpu_load(&plain, plain_kvm);
	struct scan *ps = test_malloc(sizeof(*ps));
	scan_run(&plain.lt, ps);
	build(&emu, xen_view);
	for (unsigned i = 0; i < rep.nmodels; i++)
		assert_int_equal(rep.models[i].path, PATH_XEN); /* Xen's view decides */
	report_add_plain_view(&rep, ps);
	const struct finding *f = find("xen_pv_cpuid_views");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_WARNING);
	assert_non_null(strstr(f->text, "\"XenVMMXenVMM\" at 0x40000000"));
	assert_non_null(strstr(f->text, "shows \"KVMKVMKVM\\0\\0\\0\" at 0x40000000"));
	test_free(ps);
	tcpu_free(&plain);
	tcpu_free(&emu);
}

static void test_views_same(void **state)
{
	(void)state;
	struct tcpu plain, emu;
	tcpu_load(&plain, xen_view);
	struct scan *ps = test_malloc(sizeof(*ps));
	scan_run(&plain.lt, ps);
	build(&emu, xen_view);
	report_add_plain_view(&rep, ps);
	const struct finding *f = find("xen_pv_cpuid_views");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_INFO);
	assert_non_null(strstr(f->text, "(the same bases)"));
	test_free(ps);
	tcpu_free(&plain);
	tcpu_free(&emu);
}

static void test_plain_none(void **state)
{
	(void)state;
	static const struct trow bare[] = { CPU_INTEL(0), END_ROWS };
	struct tcpu plain, emu;
	tcpu_load(&plain, bare);
	struct scan *ps = test_malloc(sizeof(*ps));
	scan_run(&plain.lt, ps);
	build(&emu, xen_view);
	report_add_plain_view(&rep, ps);
	const struct finding *f = find("xen_pv_cpuid_views");
	assert_non_null(f);
	assert_non_null(strstr(f->text, "shows no hypervisor range"));
	test_free(ps);
	tcpu_free(&plain);
	tcpu_free(&emu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_views_differ),
		cmocka_unit_test(test_views_same),
		cmocka_unit_test(test_plain_none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
