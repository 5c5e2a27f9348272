/* test_strtab.c - src/core/strtab.h: the name of a value, the value of a
 * name, in both directions over tables with and without holes, and what
 * an unknown value, an unknown name and NULL give. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/strtab.h"

enum colour { COLOUR_RED, COLOUR_GREEN, COLOUR_BLUE, COLOUR__MAX, COLOUR__INVALID = -1 };
static const char *const colour_names[] = {
	[COLOUR_RED] = "red",
	[COLOUR_GREEN] = "green",
	[COLOUR_BLUE] = "blue",
};

/* A hole: 2 has no name, and the table ends in a named value past it. */
enum holey { HOLEY_A, HOLEY_B, HOLEY_GAP, HOLEY_D, HOLEY__INVALID = -1 };
static const char *const holey_names[] = {
	[HOLEY_A] = "a",
	[HOLEY_B] = "b",
	[HOLEY_D] = "d",
};

/* The macro defines both functions, as the renderers and the CLI use it. */
static const char *colour_name(enum colour v);
static enum colour colour_from_name(const char *s);
DEFINE_STRTAB(colour, enum colour, colour_names)

struct name_case {
	int v;
	const char *name;
};

static void test_name(void **state)
{
	(void)state;
	static const struct name_case cases[] = {
		{ 0, "red" }, { 1, "green" }, { 2, "blue" },
		{ 3, "unknown" },       /* one past the end */
		{ -1, "unknown" },      /* _INVALID */
		{ 1000, "unknown" },    /* far out of range */
		{ INT32_MIN, "unknown" },
		{ INT32_MAX, "unknown" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *got = strtab_name(colour_names, ARRAY_SIZE(colour_names), cases[i].v);
		if (strcmp(got, cases[i].name) != 0)
			fail_msg("strtab_name(%d) = \"%s\", want \"%s\"", cases[i].v, got, cases[i].name);
		assert_string_equal(colour_name((enum colour)cases[i].v), cases[i].name);
	}
	/* the table's own string, not a copy */
	assert_ptr_equal(strtab_name(colour_names, ARRAY_SIZE(colour_names), 2), colour_names[2]);
	/* n limits the table: the last entry is out of range with n - 1 */
	assert_string_equal(strtab_name(colour_names, 2, COLOUR_BLUE), "unknown");
	assert_string_equal(strtab_name(colour_names, 0, COLOUR_RED), "unknown");
}

static void test_find(void **state)
{
	(void)state;
	static const struct name_case cases[] = {
		{ 0, "red" }, { 1, "green" }, { 2, "blue" },
		{ -1, "Red" },     /* case matters */
		{ -1, "re" },      /* a prefix is not a name */
		{ -1, "redd" },    /* nor a longer string */
		{ -1, "" },
		{ -1, "unknown" }, /* the name of no value is not a name */
		{ -1, "purple" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int got = strtab_find(colour_names, ARRAY_SIZE(colour_names), cases[i].name);
		if (got != cases[i].v)
			fail_msg("strtab_find(\"%s\") = %d, want %d", cases[i].name, got, cases[i].v);
		assert_int_equal(colour_from_name(cases[i].name), cases[i].v);
	}
	assert_int_equal(strtab_find(colour_names, ARRAY_SIZE(colour_names), NULL), -1);
	assert_int_equal(colour_from_name(NULL), COLOUR__INVALID);
	assert_int_equal(strtab_find(colour_names, 2, "blue"), -1); /* past n */
	assert_int_equal(strtab_find(colour_names, 0, "red"), -1);
}

static void test_hole(void **state)
{
	(void)state;
	size_t n = ARRAY_SIZE(holey_names);
	assert_int_equal(n, 4);
	assert_string_equal(strtab_name(holey_names, n, HOLEY_A), "a");
	assert_string_equal(strtab_name(holey_names, n, HOLEY_B), "b");
	assert_string_equal(strtab_name(holey_names, n, HOLEY_GAP), "unknown");
	assert_string_equal(strtab_name(holey_names, n, HOLEY_D), "d");
	assert_int_equal(strtab_find(holey_names, n, "d"), HOLEY_D); /* found past the hole */
	assert_int_equal(strtab_find(holey_names, n, "a"), HOLEY_A);
	assert_int_equal(strtab_find(holey_names, n, "unknown"), HOLEY__INVALID);
	assert_int_equal(strtab_find(holey_names, n, ""), HOLEY__INVALID);
}

/* Both directions agree on every named value. */
static void test_roundtrip(void **state)
{
	(void)state;
	for (int v = 0; v < COLOUR__MAX; v++)
		assert_int_equal(colour_from_name(colour_name((enum colour)v)), v);
	for (int v = 0; v < (int)ARRAY_SIZE(holey_names); v++)
		if (holey_names[v])
			assert_int_equal(strtab_find(holey_names, ARRAY_SIZE(holey_names),
						     strtab_name(holey_names, ARRAY_SIZE(holey_names), v)),
					 v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_hole),
		cmocka_unit_test(test_roundtrip),
	};
	return cmocka_run_group_tests_name("strtab", tests, NULL, NULL);
}
