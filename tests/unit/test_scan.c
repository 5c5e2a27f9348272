/* test_scan.c - the 256-base scan, its classes, and the decoders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/scan.h"
#include "scenarios.h"

static struct scan s;



static void scan_rows(struct tcpu *cpu, const struct trow *rows)
{
	tcpu_load(cpu, rows);
	scan_run(&cpu->lt, &s);
}

static void test_viridian_layering(void **state)
{
	(void)state;
	struct tcpu cpu;
	scan_rows(&cpu, sc_xen_viridian);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.nhyp, 2);
	assert_int_equal(s.ranges[0].base, 0x40000000);
	assert_int_equal(s.ranges[0].known->vendor, HV_HYPERV);
	assert_int_equal(s.ranges[1].base, 0x40000100);
	assert_int_equal(s.ranges[1].known->vendor, HV_XEN);
	const struct field *msr = range_field(&s.ranges[1], "hypercall_msr");
	assert_non_null(msr);
	assert_int_equal(msr->u, 0x40000200);
	const struct field *maj = range_field(&s.ranges[1], "version_major");
	assert_non_null(maj);
	assert_int_equal(maj->u, 4);
	assert_int_equal(range_field(&s.ranges[1], "version_minor")->u, 14);
	assert_int_equal(s.not_recorded, 254); /* a hand-made table records two bases */
	tcpu_free(&cpu);
}

static void test_baremetal_echo(void **state)
{
	(void)state;
	struct trow rows[ECHO_ROWS];
	sc_fill_echo(rows, 0, false);
	struct tcpu cpu;
	scan_rows(&cpu, rows);
	assert_int_equal(s.n, 256);
	assert_int_equal(s.nhyp, 0);
	for (unsigned i = 0; i < s.n; i++)
		assert_int_equal(s.ranges[i].cls, RANGE_ECHO);
	tcpu_free(&cpu);
}

static void test_tcg_echo(void **state)
{
	(void)state;
	struct trow rows[ECHO_ROWS];
	sc_fill_echo(rows, 1, true);
	struct tcpu cpu;
	scan_rows(&cpu, rows);
	assert_int_equal(s.nhyp, 1);
	assert_int_equal(s.ranges[0].known->vendor, HV_TCG);
	for (unsigned i = 1; i < s.n; i++)
		assert_int_equal(s.ranges[i].cls, RANGE_ECHO);
	tcpu_free(&cpu);
}

static void test_bhyve_repeat(void **state)
{
	(void)state;
	struct trow rows[BHYVE_ROWS];
	sc_fill_bhyve(rows);
	struct tcpu cpu;
	scan_rows(&cpu, rows);
	assert_int_equal(s.nhyp, 1);
	assert_int_equal(s.ranges[0].known->vendor, HV_BHYVE);
	for (unsigned i = 1; i < s.n; i++) {
		assert_int_equal(s.ranges[i].cls, RANGE_REPEAT);
		assert_int_equal(s.ranges[i].repeat_of, 0x40000000);
	}
	tcpu_free(&cpu);
}

/* Reports show a run of bases answering alike as one entry: consecutive
 * bases, same class and registers. A gap, a hypervisor or other values end
 * the run. */
static void test_runs(void **state)
{
	(void)state;
	struct trow rows[ECHO_ROWS];
	sc_fill_echo(rows, 1, true); /* TCG at 0x40000000, 255 echoes above */
	struct tcpu cpu;
	scan_rows(&cpu, rows);
	assert_int_equal(scan_run_end(&s, 0), 1); /* a hypervisor stands alone */
	assert_int_equal(scan_run_end(&s, 1), 256);
	assert_int_equal(scan_run_end(&s, 200), 256);
	tcpu_free(&cpu);

	static const struct trow mixed[] = {
		CPU_INTEL(1),
		LEAF(0x40000100, 5, 6, 7, 8),
		LEAF(0x40000200, 5, 6, 7, 8),
		LEAF(0x40000300, 5, 6, 7, 9), /* other values */
		LEAF(0x40000500, 5, 6, 7, 9), /* after a gap (0x40000400 is zero) */
		LEAF(0x40000600, 5, 6, 7, 9),
		END_ROWS,
	};
	scan_rows(&cpu, mixed);
	assert_int_equal(s.n, 5);
	assert_int_equal(s.ranges[0].cls, RANGE_NOISE);
	assert_int_equal(scan_run_end(&s, 0), 2);
	assert_int_equal(scan_run_end(&s, 2), 3);
	assert_int_equal(scan_run_end(&s, 3), 5);
	tcpu_free(&cpu);
}

/* The arrays are not zeroed between scans (scan.h): entries past n are
 * stale, and nothing may read them. A second, smaller scan into the same
 * struct leaves a stale entry at ranges[n] that would extend the last run
 * or answer scan_find() if either looked one entry too far. */
static void test_stale_entries_unread(void **state)
{
	(void)state;
	static const struct trow three[] = {
		CPU_INTEL(1),
		LEAF(0x40000100, 5, 6, 7, 8),
		LEAF(0x40000200, 5, 6, 7, 8),
		SIGROW(0x40000300, 0x40000301, KVM),
		END_ROWS,
	};
	static const struct trow two[] = {
		CPU_INTEL(1),
		LEAF(0x40000100, 5, 6, 7, 8),
		LEAF(0x40000200, 5, 6, 7, 8),
		END_ROWS,
	};
	struct tcpu cpu;
	scan_rows(&cpu, three);
	assert_int_equal(s.n, 3);
	assert_non_null(scan_find(&s, HV_KVM));
	tcpu_free(&cpu);
	/* Now ranges[2] still holds KVM at 0x40000300 from the first scan. */
	static const struct trow echo3[] = {
		CPU_INTEL(1),
		LEAF(0x40000100, 5, 6, 7, 8),
		LEAF(0x40000200, 5, 6, 7, 8),
		LEAF(0x40000300, 5, 6, 7, 8),
		END_ROWS,
	};
	scan_rows(&cpu, echo3);
	tcpu_free(&cpu);
	/* ... and now ranges[2] is a third base like the first two. */
	scan_rows(&cpu, two);
	assert_int_equal(s.n, 2);
	assert_int_equal(scan_run_end(&s, 0), 2);
	tcpu_free(&cpu);
	scan_rows(&cpu, three);
	tcpu_free(&cpu);
	scan_rows(&cpu, two);
	assert_null(scan_find(&s, HV_KVM));
	tcpu_free(&cpu);
}

static void test_old_kvm(void **state)
{
	(void)state;
	struct tcpu cpu;
	scan_rows(&cpu, sc_old_kvm);
	assert_int_equal(s.nhyp, 1);
	assert_false(s.ranges[0].eax_in_range);
	assert_int_equal(s.ranges[0].last_leaf, 0x40000001); /* FreeBSD's fix-up */
	const struct field *f = range_field(&s.ranges[0], "features");
	assert_non_null(f);
	assert_int_equal(f->u, 0x1b);
	assert_string_equal(field_bit_name(f, 0), "clocksource");
	tcpu_free(&cpu);
}

static void test_outside_scan(void **state)
{
	(void)state;
	struct tcpu cpu;
	scan_rows(&cpu, sc_outside_scan);
	assert_int_equal(s.n, 0);
	/* The scan never asked for anything at or past 0x40010000. */
	assert_null(leafset_find(&cpu.lt.cache, 0x40010000, 0));
	tcpu_free(&cpu);
}

static void test_hostile_unknown(void **state)
{
	(void)state;
	struct tcpu cpu;
	scan_rows(&cpu, sc_hostile);
	assert_int_equal(s.nhyp, 1);
	assert_null(s.ranges[0].known);
	assert_memory_equal(s.ranges[0].sig, HOSTILE_SIG, 12);
	tcpu_free(&cpu);
}

/* A VMM claiming 0xffffffff leaves (or 0xff past a known base) costs the
 * decoders nothing beyond their vendor's own leaves. */
static void test_decoder_bounds(void **state)
{
	(void)state;
	static const struct trow rows[] = {
		CPU_INTEL(1),
		SIGROW(0x40000000, 0xffffffff, XEN), /* out of range: no decoding */
		SIGROW(0x40000100, 0x400001ff, XEN), /* in range: Xen's 5 leaves at most */
		SIGROW(0x40000200, 0x400002ff, HV),
		SIGROW(0x40000300, 0x400003ff, "VMwareVMware"),
		END_ROWS,
	};
	struct tcpu cpu;
	scan_rows(&cpu, rows);
	assert_int_equal(s.nhyp, 4);
	assert_true(!s.ranges[0].details || s.ranges[0].details->n == 0);
	assert_true(s.ranges[1].details && s.ranges[1].details->n > 0);
	for (uint32_t l = 0x40000106; l <= 0x400001ff; l++)
		assert_null(leafset_find(&cpu.lt.cache, l, 0));
	for (uint32_t l = 0x4000020d; l <= 0x400002ff; l++)
		assert_null(leafset_find(&cpu.lt.cache, l, 0));
	assert_non_null(leafset_find(&cpu.lt.cache, 0x40000310, 0)); /* VMware timing leaf */
	assert_true(cpu.lt.executions < 256 + 32);
	tcpu_free(&cpu);
}

static void test_hyperv_root_and_isolation(void **state)
{
	(void)state;
	static const struct trow rows[] = {
		CPU_INTEL(1),
		SIGROW(0x40000000, 0x4000000c, HV),
		LEAF(0x40000001, 0x31237648, 0, 0, 0),
		LEAF(0x40000002, 0x4f7c, 0x000a0000, 1, 0x04aa),
		LEAF(0x40000003, 0xbfff, 0x002bb9ff, 0x22, 0x71fffbf6),
		LEAF(0x4000000c, 1, 0x2, 0, 0),
		END_ROWS,
	};
	struct tcpu cpu;
	scan_rows(&cpu, rows);
	const struct hv_range *hr = &s.ranges[0];
	assert_int_equal(range_field(hr, "root_partition")->u, 1);
	assert_int_equal(range_field(hr, "build")->u, 0x4f7c);
	assert_int_equal(range_field(hr, "version_major")->u, 10);
	assert_memory_equal(range_field(hr, "interface")->bytes, "Hv#1", 4);
	assert_string_equal(range_field(hr, "isolation_type")->text, "snp");
	assert_int_equal(range_field(hr, "paravisor_present")->u, 1);
	tcpu_free(&cpu);
}

static void test_dump_not_recorded(void **state)
{
	(void)state;
	static const struct trow rows[] = {
		CPU_INTEL(1),
		SIGROW(0x40000000, 0x40000001, KVM),
		END_ROWS,
	};
	struct tcpu cpu;
	scan_rows(&cpu, rows);
	assert_int_equal(s.not_recorded, 255);
	tcpu_free(&cpu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_viridian_layering),
		cmocka_unit_test(test_baremetal_echo),
		cmocka_unit_test(test_tcg_echo),
		cmocka_unit_test(test_bhyve_repeat),
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_old_kvm),
		cmocka_unit_test(test_outside_scan),
		cmocka_unit_test(test_hostile_unknown),
		cmocka_unit_test(test_decoder_bounds),
		cmocka_unit_test(test_hyperv_root_and_isolation),
		cmocka_unit_test(test_dump_not_recorded),
		cmocka_unit_test(test_stale_entries_unread),
	};
	return cmocka_run_group_tests_name("scan", tests, NULL, NULL);
}
