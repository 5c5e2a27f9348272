/* test_pvh_start_info.c - hvm_start_info parsing, honest and hostile. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/pvh_start_info.h"
#include "memimg.h"

/* A low-memory image laid out as Firecracker does (FACTS.md section 6):
 * start_info at 0x6000, modlist at 0x6040, memmap at 0x7000, plus a
 * command line at 0x8000. */
#define SI_AT 0x6000u
#define MOD_AT 0x6040u
#define MAP_AT 0x7000u
#define CMD_AT 0x8000u
#define LOW_BASE 0x6000u

struct img {
	uint8_t low[0x3000]; /* 0x6000-0x8fff */
	struct memimg m;
	struct pvh_mem mem;
};

static uint8_t *at(struct img *im, uint32_t paddr)
{
	return im->low + (paddr - LOW_BASE);
}

static void img_init(struct img *im, uint32_t version)
{
	memset(im, 0, sizeof(*im));
	memimg_add(&im->m, LOW_BASE, im->low, sizeof(im->low));
	im->mem = memimg_mem(&im->m);
	uint8_t *si = at(im, SI_AT);
	put32(si, PVH_START_MAGIC);
	put32(si + 4, version);
	put64(si + 24, CMD_AT);
	strcpy((char *)at(im, CMD_AT), "console=ttyS0 \x1b[2J");
	if (version >= 1) {
		put64(si + 40, MAP_AT);
		put32(si + 48, 3);
		static const struct { uint64_t a, s; uint32_t t; } map[] = {
			{ 0, 0x9fc00, 1 }, { 0xf0000, 0x10000, 2 }, { 0x100000, 0x7ff00000, 1 },
		};
		for (int i = 0; i < 3; i++) {
			uint8_t *e = at(im, MAP_AT + 24 * (uint32_t)i);
			put64(e, map[i].a);
			put64(e + 8, map[i].s);
			put32(e + 16, map[i].t);
		}
	}
}

static struct pvh_start_info si;

static void test_firecracker_like(void **state)
{
	(void)state;
	static struct img im;
	img_init(&im, 1);
	uint8_t *s = at(&im, SI_AT);
	put32(s + 12, 1);
	put64(s + 16, MOD_AT);
	put64(at(&im, MOD_AT), 0x1000000);
	put64(at(&im, MOD_AT) + 8, 0x200000);
	assert_true(pvh_start_info_parse(&im.mem, SI_AT, &si));
	assert_true(si.magic_ok);
	assert_int_equal(si.version, 1);
	assert_true(si.v1_read);
	assert_int_equal(si.memmap_read, 3);
	assert_int_equal(si.memmap[2].type, PVH_MEM_RAM);
	assert_int_equal(si.ram_bytes, 0x9fc00 + 0x7ff00000ull);
	assert_int_equal(si.modules_read, 1);
	assert_int_equal(si.modules[0].size, 0x200000);
	assert_true(si.cmdline.terminated);
	assert_int_equal(si.cmdline.len, strlen("console=ttyS0 \x1b[2J"));
	/* the hole 0x9fc00-0x100000 below 1 MiB */
	assert_int_equal(si.low_holes_n, 1);
	assert_int_equal(si.low_holes[0].start, 0x9fc00);
	assert_int_equal(si.low_holes[0].end, 0x100000);
	assert_true(pvh_findings_has(&si.findings, PF_SI_RSDP_ABSENT));
	assert_false(pvh_findings_has(&si.findings, PF_SI_MEMMAP_OVERLAP));
	assert_true(pvh_memmap_covers(&si, 0x100000, 0x1000));
	assert_false(pvh_memmap_covers(&si, 0xa0000, 16));
}

static void test_version0(void **state)
{
	(void)state;
	static struct img im;
	img_init(&im, 0);
	assert_true(pvh_start_info_parse(&im.mem, SI_AT, &si));
	assert_false(si.v1_read);
	assert_true(pvh_findings_has(&si.findings, PF_SI_VERSION0));
	assert_int_equal(si.memmap_read, 0);
}

static void test_bad_magic(void **state)
{
	(void)state;
	static struct img im;
	img_init(&im, 1);
	put32(at(&im, SI_AT), 0x336ec579);
	assert_false(pvh_start_info_parse(&im.mem, SI_AT, &si));
	assert_true(si.read);
	assert_false(si.magic_ok);
	assert_true(pvh_findings_has(&si.findings, PF_SI_MAGIC));
	/* nothing beyond the header was followed */
	assert_int_equal(si.memmap_read, 0);
	assert_false(si.cmdline.read);
}

static void test_absurd_addresses(void **state)
{
	(void)state;
	static struct img im;
	img_init(&im, 1);
	static const uint32_t where[] = { 0, 0xfffffff0u, 0xdead0000u, SI_AT + 0x2ff0u };
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		assert_false(pvh_start_info_parse(&im.mem, where[i], &si));
		assert_true(pvh_findings_has(&si.findings, where[i] ? PF_SI_UNREADABLE : PF_SI_ABSENT));
	}
}

static void test_memmap_entries_huge(void **state)
{
	(void)state;
	static struct img im;
	img_init(&im, 1);
	put32(at(&im, SI_AT) + 48, 0xffffffffu);
	im.m.reads = 0;
	assert_true(pvh_start_info_parse(&im.mem, SI_AT, &si));
	assert_true(pvh_findings_has(&si.findings, PF_SI_MEMMAP_TRUNCATED));
	assert_true(si.memmap_read <= PVH_MEMMAP_MAX);
	assert_true(im.m.reads < 1000);
	/* entries past the image are refused, with a finding, not a fault */
	put64(at(&im, SI_AT) + 40, 0x8ff0);
	assert_true(pvh_start_info_parse(&im.mem, SI_AT, &si));
	assert_true(pvh_findings_has(&si.findings, PF_SI_MEMMAP_UNREADABLE));
	/* memmap_paddr near 2^64: the address arithmetic must not wrap */
	put64(at(&im, SI_AT) + 40, 0xfffffffffffffff0ull);
	assert_true(pvh_start_info_parse(&im.mem, SI_AT, &si));
	assert_int_equal(si.memmap_read, 0);
	assert_true(pvh_findings_has(&si.findings, PF_SI_MEMMAP_UNREADABLE));
}

static void test_memmap_absent_or_empty(void **state)
{
	(void)state;
	static struct img im;
	img_init(&im, 1);
	put32(at(&im, SI_AT) + 48, 0);
	pvh_start_info_parse(&im.mem, SI_AT, &si);
	assert_true(pvh_findings_has(&si.findings, PF_SI_MEMMAP_NO_ENTRIES));
	put64(at(&im, SI_AT) + 40, 0);
	pvh_start_info_parse(&im.mem, SI_AT, &si);
	assert_true(pvh_findings_has(&si.findings, PF_SI_MEMMAP_ABSENT));
}

static void test_memmap_overlap_types(void **state)
{
	(void)state;
	static struct img im;
	img_init(&im, 1);
	uint8_t *e = at(&im, MAP_AT + 24);
	put64(e, 0x9f000); /* overlaps the first RAM entry */
	put32(e + 16, 0x99);
	put32(at(&im, SI_AT) + 52, 7);
	pvh_start_info_parse(&im.mem, SI_AT, &si);
	assert_true(pvh_findings_has(&si.findings, PF_SI_MEMMAP_OVERLAP));
	assert_true(pvh_findings_has(&si.findings, PF_SI_MEMMAP_TYPE_UNKNOWN));
	assert_true(pvh_findings_has(&si.findings, PF_SI_RESERVED_NONZERO));
	assert_string_equal(pvh_memmap_type_name(7), "PMEM");
	assert_string_equal(pvh_memmap_type_name(0xf0000002u), "XEN_OEM");
	assert_null(pvh_memmap_type_name(0));
}

static void test_cmdline_unterminated(void **state)
{
	(void)state;
	static struct img im;
	img_init(&im, 1);
	/* a command line of 'A's running to the end of the image */
	put64(at(&im, SI_AT) + 24, 0x8f00);
	memset(at(&im, 0x8f00), 'A', 0x100);
	pvh_start_info_parse(&im.mem, SI_AT, &si);
	assert_true(si.cmdline.read);
	assert_false(si.cmdline.terminated);
	assert_int_equal(si.cmdline.len, 0x100);
	assert_true(pvh_findings_has(&si.findings, PF_SI_CMDLINE_UNTERMINATED));
	/* longer than the bound: stops at PVH_CMDLINE_MAX */
	put64(at(&im, SI_AT) + 24, 0x8000);
	memset(at(&im, 0x8000), 'B', 0x1000);
	pvh_start_info_parse(&im.mem, SI_AT, &si);
	assert_int_equal(si.cmdline.len, PVH_CMDLINE_MAX);
	/* ends 3 bytes before the image does, terminated: read byte by byte */
	put64(at(&im, SI_AT) + 24, 0x8ff8);
	memcpy(at(&im, 0x8ff8), "abcd", 5);
	pvh_start_info_parse(&im.mem, SI_AT, &si);
	assert_true(si.cmdline.terminated);
	assert_int_equal(si.cmdline.len, 4);
	/* unreadable */
	put64(at(&im, SI_AT) + 24, 0x50000000);
	pvh_start_info_parse(&im.mem, SI_AT, &si);
	assert_true(pvh_findings_has(&si.findings, PF_SI_CMDLINE_UNREADABLE));
}

static void test_modules_hostile(void **state)
{
	(void)state;
	static struct img im;
	img_init(&im, 1);
	uint8_t *s = at(&im, SI_AT);
	put64(s + 16, MOD_AT);
	pvh_start_info_parse(&im.mem, SI_AT, &si);
	assert_true(pvh_findings_has(&si.findings, PF_SI_MODLIST_NO_MODULES));
	put32(s + 12, 0xffffffffu);
	pvh_start_info_parse(&im.mem, SI_AT, &si);
	assert_true(pvh_findings_has(&si.findings, PF_SI_MODULES_TRUNCATED));
	assert_int_equal(si.modules_read, PVH_MODULES_MAX);
	put64(s + 16, 0);
	pvh_start_info_parse(&im.mem, SI_AT, &si);
	assert_true(pvh_findings_has(&si.findings, PF_SI_MODULES_NO_MODLIST));
	put64(s + 16, 0xfffff000u);
	put32(s + 12, 2);
	pvh_start_info_parse(&im.mem, SI_AT, &si);
	assert_true(pvh_findings_has(&si.findings, PF_SI_MODULE_UNREADABLE));
	assert_int_equal(si.modules_read, 0);
}

static void test_flags_names(void **state)
{
	(void)state;
	static struct img im;
	img_init(&im, 0);
	put32(at(&im, SI_AT) + 8, PVH_SIF_PRIVILEGED | PVH_SIF_INITDOMAIN | 0x10000);
	pvh_start_info_parse(&im.mem, SI_AT, &si);
	assert_true(pvh_findings_has(&si.findings, PF_SI_FLAGS_UNKNOWN));
	assert_string_equal(pvh_sif_name(1), "INITDOMAIN");
	assert_null(pvh_sif_name(5));
}

/* Every finding has a unique dotted name and a text. */
static void test_finding_table(void **state)
{
	(void)state;
	for (int i = 0; i < _PF_MAX; i++) {
		const struct pvh_finding_info *f = pvh_finding_info((enum pvh_finding_id)i);
		assert_non_null(f->name);
		assert_non_null(f->text);
		assert_non_null(strchr(f->name, '.'));
		for (int j = 0; j < i; j++)
			assert_string_not_equal(f->name, pvh_finding_info((enum pvh_finding_id)j)->name);
	}
	assert_null(pvh_finding_info(_PF_MAX));
	struct pvh_findings fs = { 0 };
	for (int i = 0; i < PVH_FINDINGS_MAX + 5; i++)
		pvh_findings_add(&fs, PF_SI_MAGIC, 0);
	assert_int_equal(fs.n, PVH_FINDINGS_MAX);
	assert_int_equal(fs.dropped, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_firecracker_like),
		cmocka_unit_test(test_version0),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_absurd_addresses),
		cmocka_unit_test(test_memmap_entries_huge),
		cmocka_unit_test(test_memmap_absent_or_empty),
		cmocka_unit_test(test_memmap_overlap_types),
		cmocka_unit_test(test_cmdline_unterminated),
		cmocka_unit_test(test_modules_hostile),
		cmocka_unit_test(test_flags_names),
		cmocka_unit_test(test_finding_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
