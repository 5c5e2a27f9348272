/* test_escape.c - untrusted bytes never reach output raw. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_escape.h"

/* Every byte value: the C escape prints only printable ASCII, and reading
 * the escape back gives the byte again. */
static void test_escape_c_all_bytes(void **state)
{
	(void)state;
	for (int c = 0; c < 256; c++) {
		uint8_t b = (uint8_t)c;
		char out[8];
		size_t n = escape_c(&b, 1, out, sizeof(out));
		assert_int_equal(n, strlen(out));
		for (size_t i = 0; i < n; i++)
			assert_true(out[i] >= 0x20 && out[i] < 0x7f);
		/* decode */
		int back;
		if (n == 1)
			back = (unsigned char)out[0];
		else if (out[1] == 'x')
			back = (int)strtol(out + 2, NULL, 16);
		else if (out[1] == '0')
			back = 0;
		else if (out[1] == 't')
			back = '\t';
		else if (out[1] == 'n')
			back = '\n';
		else if (out[1] == 'r')
			back = '\r';
		else
			back = (unsigned char)out[1];
		assert_int_equal(back, c);
	}
}

static void test_escape_c_truncates_safely(void **state)
{
	(void)state;
	const uint8_t sig[12] = { 0x1b, '[', '2', 'J', '"', '\'', '\\', '\n', 0xff, 0x80, '$', 0 };
	char small[5];
	size_t need = escape_c(sig, sizeof(sig), small, sizeof(small));
	assert_true(need > sizeof(small));
	assert_int_equal(strlen(small), sizeof(small) - 1);
	char big[64];
	escape_c(sig, sizeof(sig), big, sizeof(big));
	assert_string_equal(big, "\\x1b[2J\\\"'\\\\\\n\\xff\\x80$\\0");
}

static void test_utf8(void **state)
{
	(void)state;
	const uint8_t b[4] = { 'A', 0x00, 0x80, 0xff };
	char out[16];
	size_t n = bytes_to_utf8(b, 4, out, sizeof(out));
	assert_int_equal(n, 6);
	assert_memory_equal(out, "A\0\xc2\x80\xc3\xbf", 6);
}

/* What sh reads back from shell_quote() is the string itself. */
static void test_shell_quote_roundtrip(void **state)
{
	(void)state;
	const char *vals[] = { "", "plain", "it's", "$(touch /tmp/pwned)", "`id`", "a\"b\\c", "'''", "\n;\t|&" };
	for (size_t i = 0; i < ARRAY_SIZE(vals); i++) {
		char q[256], cmd[512], got[256] = "";
		shell_quote(vals[i], q, sizeof(q));
		snprintf(cmd, sizeof(cmd), "v=%s; printf '%%s' \"$v\"", q);
		FILE *p = popen(cmd, "r");
		assert_non_null(p);
		size_t n = fread(got, 1, sizeof(got) - 1, p);
		got[n] = '\0';
		assert_int_equal(pclose(p), 0);
		assert_string_equal(got, vals[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_c_all_bytes),
		cmocka_unit_test(test_escape_c_truncates_safely),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_shell_quote_roundtrip),
	};
	return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
