/* test_sigtab.c - the signature table is consistent and matches exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/sigtab.h"

static void test_rows(void **state)
{
	(void)state;
	const struct hv_sig *rows = sigtab_rows();
	for (unsigned i = 0; i < sigtab_n(); i++) {
		assert_int_equal(rows[i].vendor, (enum hv_vendor)i);
		assert_ptr_equal(sigtab_match(rows[i].sig), &rows[i]);
		assert_string_equal(hv_vendor_id(rows[i].vendor), rows[i].id);
		for (const char *p = rows[i].id; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || *p == '-');
		for (unsigned k = 0; k < i; k++) {
			assert_memory_not_equal(rows[i].sig, rows[k].sig, CPUID_SIG_LEN);
			assert_string_not_equal(rows[i].id, rows[k].id);
		}
	}
	assert_string_equal(hv_vendor_id(_HV_VENDOR_INVALID), "unknown");
}

static void test_exact(void **state)
{
	(void)state;
	/* strncmp-style prefixes do not match: all 12 bytes count. */
	assert_null(sigtab_match((const uint8_t *)"KVMKVMKVM\0XY"));
	assert_null(sigtab_match((const uint8_t *)"XenVMMXenVMm"));
	assert_null(sigtab_match((const uint8_t *)"\0\0\0\0\0\0\0\0\0\0\0\0"));
	assert_int_equal(sigtab_match((const uint8_t *)" lrpepyh  vr")->vendor, HV_PARALLELS);
	assert_int_equal(sigtab_match((const uint8_t *)"prl hyperv  ")->vendor, HV_PARALLELS);
	assert_int_equal(sigtab_match((const uint8_t *)"bhyve bhyve ")->vendor, HV_BHYVE);
	assert_null(sigtab_match((const uint8_t *)"bhyve bhyve\0"));
}

/* Every row, both spellings: changing any one of the 12 bytes, the last one
 * included, no longer matches that row. (Only the first spelling's
 * prefixes were tried above: an alt compared on 11 bytes passed.) */
static void test_every_byte(void **state)
{
	(void)state;
	static const uint8_t none[CPUID_SIG_LEN];
	const struct hv_sig *rows = sigtab_rows();
	unsigned nalt = 0;
	for (unsigned i = 0; i < sigtab_n(); i++) {
		const uint8_t *spell[2] = { rows[i].sig, rows[i].alt };
		for (int a = 0; a < 2; a++) {
			if (memcmp(spell[a], none, CPUID_SIG_LEN) == 0)
				continue; /* no such spelling */
			nalt += a;
			assert_ptr_equal(sigtab_match(spell[a]), &rows[i]);
			for (unsigned j = 0; j < CPUID_SIG_LEN; j++) {
				uint8_t t[CPUID_SIG_LEN];
				memcpy(t, spell[a], CPUID_SIG_LEN);
				t[j] ^= 0x01;
				if (sigtab_match(t) == &rows[i])
					fail_msg("row %u (%s) spelling %d matches with byte %u changed", i, rows[i].id, a, j);
			}
		}
	}
	assert_true(nalt > 0); /* the table has second spellings to test */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_every_byte),
	};
	return cmocka_run_group_tests_name("sigtab", tests, NULL, NULL);
}
