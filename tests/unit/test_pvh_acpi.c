/* test_pvh_acpi.c - RSDP, root tables, FADT, \_S5_: honest and hostile. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/pvh_acpi.h"
#include "memimg.h"

/* 0xE0000-0xFFFFF (BIOS area, RSDP) and 0x7fff0000- (tables) */
#define BIOS_BASE 0xe0000u
#define TAB_BASE 0x7fff0000u
#define RSDP_AT 0xf5a40u
#define XSDT_AT 0x7fff0000u
#define RSDT_AT 0x7fff0100u
#define FADT_AT 0x7fff0200u
#define DSDT_AT 0x7fff0400u
#define APIC_AT 0x7fff1000u

struct img {
	uint8_t bios[0x20000];
	uint8_t tab[0x2000];
	uint8_t bda[0x500];
	struct memimg m;
	struct pvh_mem mem;
};

static uint8_t *at(struct img *im, uint32_t p)
{
	return p >= TAB_BASE ? im->tab + (p - TAB_BASE) : im->bios + (p - BIOS_BASE);
}

static void fix_sum(uint8_t *b, size_t n, size_t sum_at)
{
	b[sum_at] = 0;
	uint8_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + b[i]);
	b[sum_at] = (uint8_t)-s;
}

static void header(struct img *im, uint32_t p, const char *sig, uint32_t len, const char *oem)
{
	uint8_t *h = at(im, p);
	memcpy(h, sig, 4);
	put32(h + 4, len);
	h[8] = 2;
	memcpy(h + 10, oem, 6);
	memcpy(h + 16, "FCVMTEST", 8);
	memcpy(h + 28, "FCAT", 4);
}

static void seal(struct img *im, uint32_t p)
{
	fix_sum(at(im, p), pvh_le32(at(im, p) + 4), 9);
}

/* AML of Name (\_S5_, Package (4) { 5, Zero, Zero, Zero }) after some
 * unrelated bytes that contain "_S5_" without a package. */
static const uint8_t aml[] = {
	0x10, 0x0a, '_', 'S', '5', '_', 0x00, 0x00, 0x00, 0x00,
	0x08, '\\', '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a, 0x05, 0x00, 0x00, 0x00,
};

static void img_init(struct img *im, bool hv_vendor)
{
	memset(im, 0, sizeof(*im));
	memimg_add(&im->m, 0, im->bda, sizeof(im->bda));
	memimg_add(&im->m, BIOS_BASE, im->bios, sizeof(im->bios));
	memimg_add(&im->m, TAB_BASE, im->tab, sizeof(im->tab));
	im->mem = memimg_mem(&im->m);
	uint8_t *r = at(im, RSDP_AT);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "FIRECK", 6);
	r[15] = 2;
	put32(r + 16, RSDT_AT);
	put32(r + 20, 36);
	put64(r + 24, XSDT_AT);
	fix_sum(r, 20, 8);
	fix_sum(r, 36, 32);
	header(im, XSDT_AT, "XSDT", 36 + 16, "FIRECK");
	put64(at(im, XSDT_AT) + 36, FADT_AT);
	put64(at(im, XSDT_AT) + 44, APIC_AT);
	seal(im, XSDT_AT);
	header(im, RSDT_AT, "RSDT", 36 + 4, "FIRECK");
	put32(at(im, RSDT_AT) + 36, FADT_AT);
	seal(im, RSDT_AT);
	uint32_t flen = hv_vendor ? 276 : 244;
	header(im, FADT_AT, "FACP", flen, "FIRECK");
	uint8_t *f = at(im, FADT_AT);
	put32(f + 40, DSDT_AT);
	put32(f + 64, 0x604);
	put32(f + 112, 1u << 20);
	if (hv_vendor) {
		f[244] = 1; /* SLEEP_CONTROL_REG: I/O 0x3c0 */
		f[245] = 8;
		put64(f + 248, 0x3c0);
		memcpy(f + 268, "FIRECKVM", 8);
	}
	seal(im, FADT_AT);
	header(im, DSDT_AT, "DSDT", 36 + sizeof(aml), "FIRECK");
	memcpy(at(im, DSDT_AT) + 36, aml, sizeof(aml));
	seal(im, DSDT_AT);
	header(im, APIC_AT, "APIC", 44, "FIRECK");
	seal(im, APIC_AT);
}

static struct pvh_acpi a;

static void test_firecracker_like(void **state)
{
	(void)state;
	static struct img im;
	img_init(&im, true);
	assert_true(pvh_acpi_parse(&im.mem, RSDP_AT, false, &a));
	assert_true(a.rsdp_ok);
	assert_int_equal(a.rsdp_revision, 2);
	assert_true(a.root_ok);
	assert_memory_equal(a.root.signature, "XSDT", 4);
	assert_int_equal(a.ntables, 2);
	assert_memory_equal(a.tables[1].signature, "APIC", 4);
	assert_true(a.tables[1].checksum_ok);
	assert_true(a.fadt_found);
	assert_true(a.hw_reduced);
	assert_int_equal(a.pm1a_cnt, 0x604);
	assert_true(a.has_sleep_control);
	assert_int_equal(a.sleep_control.space, 1);
	assert_int_equal(a.sleep_control.address, 0x3c0);
	assert_true(a.has_hv_vendor);
	assert_memory_equal(a.hv_vendor, "FIRECKVM", 8);
	assert_true(a.dsdt_ok);
	assert_true(a.s5_found);
	assert_int_equal(a.s5_typ_a, 5);
	assert_int_equal(a.s5_typ_b, 0);
	assert_int_equal(a.findings.n, 0);
}

static void test_short_fadt_no_vendor(void **state)
{
	(void)state;
	static struct img im;
	img_init(&im, false);
	assert_true(pvh_acpi_parse(&im.mem, RSDP_AT, false, &a));
	assert_false(a.has_hv_vendor);
	assert_false(a.has_sleep_control);
	assert_true(a.s5_found);
}

static void test_scan(void **state)
{
	(void)state;
	static struct img im;
	img_init(&im, true);
	assert_true(pvh_acpi_parse(&im.mem, 0, true, &a));
	assert_true(a.rsdp_scanned);
	assert_int_equal(a.rsdp_paddr, RSDP_AT);
	assert_true(pvh_findings_has(&a.findings, PF_ACPI_RSDP_SCANNED));
	assert_false(pvh_acpi_parse(&im.mem, 0, false, &a));
	assert_true(pvh_findings_has(&a.findings, PF_ACPI_RSDP_NOT_FOUND));
}

static void test_rsdp_hostile(void **state)
{
	(void)state;
	static struct img im;
	img_init(&im, true);
	at(&im, RSDP_AT)[19] ^= 1;
	assert_false(pvh_acpi_parse(&im.mem, RSDP_AT, false, &a));
	assert_true(pvh_findings_has(&a.findings, PF_ACPI_RSDP_CHECKSUM));
	assert_false(pvh_acpi_parse(&im.mem, RSDP_AT + 16, false, &a));
	assert_true(pvh_findings_has(&a.findings, PF_ACPI_RSDP_SIGNATURE));
	assert_false(pvh_acpi_parse(&im.mem, 0xfffffff8u, false, &a));
	assert_true(pvh_findings_has(&a.findings, PF_ACPI_RSDP_UNREADABLE));
	assert_false(pvh_acpi_parse(&im.mem, 0x123456789ull, false, &a));
	/* a broken extended checksum: the XSDT is not trusted, the RSDT is used */
	img_init(&im, true);
	at(&im, RSDP_AT)[33] ^= 1;
	assert_true(pvh_acpi_parse(&im.mem, RSDP_AT, false, &a));
	assert_true(pvh_findings_has(&a.findings, PF_ACPI_RSDP_EXT_CHECKSUM));
	assert_memory_equal(a.root.signature, "RSDT", 4);
	assert_true(a.fadt_found);
}

static void test_lengths_past_memory(void **state)
{
	(void)state;
	static struct img im;
	img_init(&im, true);
	/* the APIC table claims 1 MiB - 1: past the image, checksum unreadable */
	put32(at(&im, APIC_AT) + 4, 0xfffff);
	/* the XSDT claims 0xffffffff: above the bound */
	im.m.reads = 0;
	assert_true(pvh_acpi_parse(&im.mem, RSDP_AT, false, &a));
	assert_true(pvh_findings_has(&a.findings, PF_ACPI_TABLE_UNREADABLE));
	put32(at(&im, XSDT_AT) + 4, 0xffffffffu);
	assert_true(pvh_acpi_parse(&im.mem, RSDP_AT, false, &a));
	assert_true(pvh_findings_has(&a.findings, PF_ACPI_XSDT_UNREADABLE));
	assert_memory_equal(a.root.signature, "RSDT", 4);
	/* the RSDT too: no root, no FADT, no fault */
	put32(at(&im, RSDT_AT) + 4, 0xffffffffu);
	assert_true(pvh_acpi_parse(&im.mem, RSDP_AT, false, &a));
	assert_false(a.root_ok);
	assert_true(pvh_findings_has(&a.findings, PF_ACPI_RSDT_UNREADABLE));
	assert_true(im.m.reads < 20000);
	/* a DSDT running past memory, a bad table checksum */
	img_init(&im, true);
	put32(at(&im, DSDT_AT) + 4, 0x80000);
	at(&im, APIC_AT)[40] = 1;
	assert_true(pvh_acpi_parse(&im.mem, RSDP_AT, false, &a));
	assert_true(pvh_findings_has(&a.findings, PF_ACPI_TABLE_CHECKSUM));
	assert_false(a.dsdt_ok);
	assert_true(pvh_findings_has(&a.findings, PF_ACPI_TABLE_UNREADABLE));
}

/* Xen 4.17's PVH dom0 XSDT on ACPI 1.0 firmware: the header copied from
 * address 0 (the real-mode IVT), its own entries and checksum. The
 * signature is a finding; the entries are still read. */
static void test_xsdt_wrong_signature(void **state)
{
	(void)state;
	static struct img im;
	img_init(&im, true);
	memcpy(at(&im, XSDT_AT), "S\xff\0\xf0", 4);
	seal(&im, XSDT_AT);
	assert_true(pvh_acpi_parse(&im.mem, RSDP_AT, false, &a));
	assert_true(pvh_findings_has(&a.findings, PF_ACPI_ROOT_SIGNATURE));
	assert_false(pvh_findings_has(&a.findings, PF_ACPI_XSDT_UNREADABLE));
	assert_true(a.root_ok);
	assert_true(a.fadt_found);
	assert_int_equal(a.ntables, 2);
}

/* \\_S5_ far into a long DSDT: found in a later window, whose read (with
 * the two bytes before it) stays within the window's buffer (fuzz_pvh_entry
 * found a 2-byte overflow there). */
static void test_s5_in_later_window(void **state)
{
	(void)state;
	static struct img im;
	img_init(&im, true);
	uint8_t *d = at(&im, DSDT_AT);
	uint32_t len = 36 + 1000;
	put32(d + 4, len);
	/* at many offsets: found wherever the package starts */
	for (uint32_t k = 36; k + sizeof(aml) <= len; k += 37) {
		memset(d + 36, 0xa3, 1000); /* NoopOp */
		memcpy(d + k, aml, sizeof(aml));
		seal(&im, DSDT_AT);
		assert_true(pvh_acpi_parse(&im.mem, RSDP_AT, false, &a));
		assert_true(a.dsdt_ok);
		assert_true(a.s5_found);
		assert_int_equal(a.s5_typ_a, 5);
	}
}

static void test_aml_s5(void **state)
{
	(void)state;
	uint8_t ta, tb;
	assert_true(pvh_aml_find_s5(aml, sizeof(aml), &ta, &tb));
	assert_int_equal(ta, 5);
	/* Zero/One opcodes, no root prefix, two-byte PkgLength */
	static const uint8_t b[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x40, 0x00, 0x02, 0x01, 0x00 };
	assert_true(pvh_aml_find_s5(b, sizeof(b), &ta, &tb));
	assert_int_equal(ta, 1);
	assert_int_equal(tb, 0);
	/* cut short at every length: never a read past n, never a match */
	for (size_t n = 0; n < sizeof(b); n++)
		assert_false(pvh_aml_find_s5(b, n, &ta, &tb));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_firecracker_like),
		cmocka_unit_test(test_short_fadt_no_vendor),
		cmocka_unit_test(test_scan),
		cmocka_unit_test(test_rsdp_hostile),
		cmocka_unit_test(test_lengths_past_memory),
		cmocka_unit_test(test_xsdt_wrong_signature),
		cmocka_unit_test(test_s5_in_later_window),
		cmocka_unit_test(test_aml_s5),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
