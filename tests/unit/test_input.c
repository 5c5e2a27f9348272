/* test_input.c - the one bounded reader: the timeout's meaning, the limits
 * and the refusals, for every kind of file it is given. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"

static void test_timeout(void **state)
{
	(void)state;
	static const struct {
		const char *env; /* NULL: unset */
		int ms;
	} cases[] = {
		{ NULL, 10000 }, { "", 10000 },	 { "0", -1 },	    { "1", 1000 },     { "3600", 3600000 },
		{ "3601", 10000 }, { "-1", 10000 }, { "5s", 10000 }, { "junk", 10000 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		if (cases[i].env)
			setenv("PVHPROBE_INPUT_TIMEOUT", cases[i].env, 1);
		else
			unsetenv("PVHPROBE_INPUT_TIMEOUT");
		assert_int_equal(input_timeout_ms(), cases[i].ms);
	}
	unsetenv("PVHPROBE_INPUT_TIMEOUT");
}

static const struct input_kind small = {
	.max_bytes = 1u << 20,
	.expected = "something small",
	.directory = "is a directory, expected something small",
};

static void test_read(void **state)
{
	(void)state;
	char dir[] = "/tmp/pvhprobe-input-XXXXXX", path[256], err[256], *buf;
	size_t len;
	assert_non_null(mkdtemp(dir));
	/* A regular file: read whole, NUL-terminated. */
	snprintf(path, sizeof(path), "%s/f", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("hello", f);
	fclose(f);
	assert_int_equal(input_read(path, &small, &buf, &len, err, sizeof(err)), 0);
	assert_int_equal(len, 5);
	assert_string_equal(buf, "hello");
	free(buf);
	/* Larger than the limit: a regular file refused unread, a device read
	 * up to the limit. */
	assert_int_equal(truncate(path, (off_t)small.max_bytes + 1), 0);
	assert_int_equal(input_read(path, &small, &buf, &len, err, sizeof(err)), -EFBIG);
	assert_non_null(strstr(err, "larger than 1 MiB, expected something small"));
	assert_int_equal(input_read("/dev/zero", &small, &buf, &len, err, sizeof(err)), -EFBIG);
	unlink(path);
	/* Devices refused when the kind says files only. */
	struct input_kind files = small;
	files.files_only = true;
	assert_int_equal(input_read("/dev/zero", &files, &buf, &len, err, sizeof(err)), -ENODEV);
	assert_non_null(strstr(err, "/dev/zero: is a device"));
	/* A directory; a missing file. */
	assert_int_equal(input_read(dir, &small, &buf, &len, err, sizeof(err)), -EISDIR);
	assert_non_null(strstr(err, "is a directory, expected something small"));
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(input_read(path, &small, &buf, &len, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "missing: "));
	assert_null(buf);
	/* A FIFO nobody writes to: opening does not block, reading gives up. */
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	setenv("PVHPROBE_INPUT_TIMEOUT", "1", 1);
	assert_int_equal(input_read(path, &small, &buf, &len, err, sizeof(err)), -ETIMEDOUT);
	unsetenv("PVHPROBE_INPUT_TIMEOUT");
	assert_non_null(strstr(err, "no data for 1 s"));
	unlink(path);
	rmdir(dir);
	assert_string_equal(input_name("-"), "<stdin>");
	assert_string_equal(input_name("x"), "x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
