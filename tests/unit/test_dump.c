/* test_dump.c - the dump readers: formats accepted, errors named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc_libc.h"
#include "dump.h"
#include "core/leaftab.h"
#include "source.h"

struct good {
	const char *name;
	const char *text;
	enum dump_format format;
	size_t ncpus;
	uint32_t leaf, sub, eax; /* one leaf that must be there */
};

static const struct good goods[] = {
	{ "cpuid -1 -r", "CPU:\n   0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n",
	  DUMP_CPUID_R, 1, 0, 0, 0xd },
	{ "cpuid -r two cpus",
	  "CPU 0:\n   0x40000000 0x00: eax=0x40000001 ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d\n"
	  "CPU 1:\n   0x40000000 0x00: eax=0x40000001 ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d\n",
	  DUMP_CPUID_R, 2, 0x40000000, 0, 0x40000001 },
	{ "old form without subleaf", "CPU 0:\n   0x00000004: eax=0x1c004121 ebx=0x01c0003f ecx=0x0000003f edx=0x00000000\n",
	  DUMP_CPUID_R, 1, 4, 0, 0x1c004121 },
	{ "subleaf and CRLF", "CPU:\r\n   0x0000000d 0x01: eax=0x0000000f ebx=0x0 ecx=0x0 edx=0x0\r\n", DUMP_CPUID_R, 1, 0xd, 1,
	  0xf },
	{ "no header", "0x00000001 0x00: eax=0x000306f2 ebx=0x00010800 ecx=0xfffa3203 edx=0x178bfbff\n", DUMP_CPUID_R, 1, 1,
	  0, 0x306f2 },
	{ "aida64",
	  "------[ CPUID Registers / Logical CPU #0 ]------\n\nallcpu: Package 0: Valid\n\n"
	  "CPUID 00000000: 0000001B-756E6547-6C65746E-49656E69 [GenuineIntel]\n"
	  "CPUID 00000004: 3C004121-02C0003F-0000003F-00000000 [SL 00] [L1D: 48 KB]\n"
	  "CPUID 00000004: 3C004122-01C0003F-0000003F-00000000 [SL 01] [L1I: 32 KB]\n"
	  "CPUID 40000000: 4000000C-7263694D-666F736F-76482074 [Microsoft Hv]\n"
	  "L1 Data Cache: 48 KB\n",
	  DUMP_AIDA64, 1, 4, 1, 0x3c004122 },
	{ "aida64 repeated leaf without SL",
	  "CPUID 00000007: 00000000-F3BFBFB9-00415F46-BC000410\nCPUID 00000007: 00000001-00000000-00000000-00000000\n",
	  DUMP_AIDA64, 1, 7, 1, 1 },
	{ "json report",
	  "{\"schema\": \"pvhprobe/1\", \"source\": {\"cpu\": 3}, \"leaves\": [{\"leaf\": 1073741824, \"subleaf\": 0, "
	  "\"eax\": 1073741825, \"ebx\": 1263359563, \"ecx\": 1447775574, \"edx\": 77, \"recorded\": true}]}",
	  DUMP_JSON, 1, 0x40000000, 0, 0x40000001 },
};

static void test_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(goods); i++) {
		const struct good *g = &goods[i];
		struct dump d;
		char err[DUMP_ERRMSG] = "";
		int r = dump_parse("t", g->text, strlen(g->text), &d, err, sizeof(err));
		if (r != 0)
			fail_msg("%s: %s", g->name, err);
		assert_int_equal(d.format, g->format);
		assert_int_equal(d.ncpus, g->ncpus);
		const struct leaf_entry *e = leafset_find(&d.cpus[0].leaves, g->leaf, g->sub);
		if (!e)
			fail_msg("%s: leaf %#x/%#x missing", g->name, g->leaf, g->sub);
		assert_int_equal(e->r.eax, g->eax);
		dump_free(&d);
	}
}

struct bad {
	const char *name;
	const char *text;
	size_t len;         /* 0: strlen */
	const char *expect; /* substring of the message */
};

static const struct bad bads[] = {
	{ "empty", "", 0, "t:1: empty file" },
	{ "blank", "\n\n  \n", 0, "empty file" },
	{ "binary", "CPU:\n\x7f" "ELF\x02\x01\x01\0\0\0", 14, "t:2: NUL byte" },
	{ "junk", "hello world\n", 0, "t:1: expected \"CPU n:\"" },
	{ "truncated", "CPU:\n   0x00000000 0x00: eax=0x0000000d ebx=0x756e", 0, "t:2: expected \"ecx=0x\"" },
	{ "truncated register", "CPU:\n   0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=", 0, "(the line is truncated)" },
	{ "absurd leaf", "0x1234567890 0x00: eax=0x0 ebx=0x0 ecx=0x0 edx=0x0\n", 0, "t:1: expected" },
	{ "absurd register", "0x00000000 0x00: eax=0x123456789 ebx=0x0 ecx=0x0 edx=0x0\n", 0, "t:1: expected \"eax=0x\"" },
	{ "trailing text", "0x00000000 0x00: eax=0x0 ebx=0x0 ecx=0x0 edx=0x0 rm -rf\n", 0, "unexpected text after edx" },
	{ "cpu twice", "CPU 1:\n0x0 0x0: eax=0x0 ebx=0x0 ecx=0x0 edx=0x0\nCPU 1:\n", 0, "t:3: CPU 1 appears twice" },
	{ "no leaves", "CPU:\n", 0, "no CPUID leaves found" },
	{ "json syntax", "{\"schema\": ", 0, "t: line 1" },
	{ "json schema", "{\"schema\": \"other/2\", \"leaves\": []}", 0, "\"schema\": expected \"pvhprobe/2\" (or \"pvhprobe/1\")" },
	{ "json leaves", "{\"schema\": \"pvhprobe/1\", \"leaves\": [{\"leaf\": -1}]}", 0, "leaves[0].leaf" },
	{ "json register", "{\"schema\": \"pvhprobe/1\", \"leaves\": [{\"leaf\": 0, \"subleaf\": 0, \"eax\": 4294967296, \"ebx\": 0, \"ecx\": 0, \"edx\": 0}]}", 0, "leaves[0].eax" },
	{ "json run not a pair", "{\"schema\": \"pvhprobe/2\", \"leaves\": [[1073741824]]}", 0, "leaves[0]: expected [first, last] or [first, last, eax, ebx, ecx, edx]" },
	{ "json run not bases", "{\"schema\": \"pvhprobe/2\", \"leaves\": [[1073741824, 1073741825]]}", 0, "leaves[0]: expected [first, last] or" },
	{ "json run register", "{\"schema\": \"pvhprobe/2\", \"leaves\": [[1073741824, 1073742080, 1, 2, 3, 4294967296]]}", 0, "registers 0..4294967295" },
	{ "json run five", "{\"schema\": \"pvhprobe/2\", \"leaves\": [[1073741824, 1073742080, 1, 2, 3]]}", 0, "leaves[0]: expected [first, last] or" },
	{ "json run reversed", "{\"schema\": \"pvhprobe/2\", \"leaves\": [[1073742080, 1073741824]]}", 0, "with first <= last" },
	{ "json run overlaps", "{\"schema\": \"pvhprobe/2\", \"leaves\": [[1073741824, 1073742336], 1073742080]}", 0, "leaves[1]: leaf 0x40000100 subleaf 0 given twice" },
	{ "json leaves not an array", "{\"schema\": \"pvhprobe/2\", \"leaves\": {}}", 0, "\"leaves\": expected an array of leaves" },
	{ "json duplicate", "{\"schema\": \"pvhprobe/1\", \"leaves\": [{\"leaf\": 0, \"subleaf\": 0, \"eax\": 0, \"ebx\": 0, \"ecx\": 0, \"edx\": 0}, {\"leaf\": 0, \"subleaf\": 0, \"eax\": 0, \"ebx\": 0, \"ecx\": 0, \"edx\": 0}]}", 0, "leaves[1]: leaf 0x00000000 subleaf 0 given twice" },
};

static void test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bads); i++) {
		const struct bad *b = &bads[i];
		struct dump d;
		char err[DUMP_ERRMSG] = "";
		size_t len = b->len ? b->len : strlen(b->text);
		int r = dump_parse("t", b->text, len, &d, err, sizeof(err));
		if (r == 0)
			fail_msg("%s: accepted", b->name);
		assert_int_equal(r, -EINVAL);
		if (!strstr(err, b->expect))
			fail_msg("%s: message \"%s\" lacks \"%s\"", b->name, err, b->expect);
	}
}

/* Published dumps carry typos: a repeated leaf keeps its first value and
 * leaves a note naming the line. */
static void test_duplicate_note(void **state)
{
	(void)state;
	const char *t = "CPU:\n0x80000001 0x00: eax=0x1 ebx=0x0 ecx=0x0 edx=0x0\n"
			"0x80000001 0x00: eax=0x2 ebx=0x0 ecx=0x0 edx=0x0\n";
	struct dump d;
	char err[DUMP_ERRMSG];
	assert_int_equal(dump_parse("t", t, strlen(t), &d, err, sizeof(err)), 0);
	assert_int_equal(leafset_find(&d.cpus[0].leaves, 0x80000001, 0)->r.eax, 1);
	assert_int_equal(d.nnotes, 1);
	assert_int_equal(d.notes[0].line, 3);
	dump_free(&d);
}

static void test_cpu_select(void **state)
{
	(void)state;
	const char *t = "CPU 2:\n0x0 0x0: eax=0x2 ebx=0x0 ecx=0x0 edx=0x0\nCPU 5:\n0x0 0x0: eax=0x5 ebx=0x0 ecx=0x0 edx=0x0\n";
	struct dump d;
	char err[DUMP_ERRMSG];
	assert_int_equal(dump_parse("t", t, strlen(t), &d, err, sizeof(err)), 0);
	assert_int_equal(dump_cpu(&d, -1)->id, 2);
	assert_int_equal(leafset_find(&dump_cpu(&d, 5)->leaves, 0, 0)->r.eax, 5);
	assert_null(dump_cpu(&d, 3));
	dump_free(&d);
}

/* A report leaves out the leaves its dump did not record: read back, such a
 * leaf is again zero and unrecorded, and an empty array (a dump that recorded
 * none of the leaves read) is a valid report. */
static void test_json_unrecorded(void **state)
{
	(void)state;
	const char *t = "{\"schema\": \"pvhprobe/2\", \"leaves\": [1073742080, {\"leaf\": 0, \"subleaf\": 0, "
			"\"eax\": 13, \"ebx\": 0, \"ecx\": 0, \"edx\": 0, \"recorded\": true}]}";
	struct dump d;
	char err[DUMP_ERRMSG] = "";
	assert_int_equal(dump_parse("t", t, strlen(t), &d, err, sizeof(err)), 0);
	struct cpuid_source src;
	struct leaftab lt;
	source_dump_open(&src, &dump_cpu(&d, -1)->leaves, 0);
	lt_init(&lt, &src, &alloc_libc);
	assert_true(lt_recorded(&lt, 0x40000100, 0)); /* the bare number: a recorded zero */
	assert_int_equal(lt_get(&lt, 0x40000100, 0).eax, 0);
	assert_false(lt_recorded(&lt, 0x40000000, 0)); /* absent: not recorded */
	assert_int_equal(lt_get(&lt, 0x40000000, 0).ebx, 0);
	assert_int_equal(lt_get(&lt, 0, 0).eax, 13);
	lt_free(&lt);
	dump_free(&d);

	/* [first, last]: every base in between, recorded and zero. */
	const char *run = "{\"schema\": \"pvhprobe/2\", \"leaves\": [[1073742080, 1073807104]]}";
	assert_int_equal(dump_parse("t", run, strlen(run), &d, err, sizeof(err)), 0);
	assert_int_equal(dump_cpu(&d, -1)->leaves.n, 255);
	const struct leaf_entry *le = leafset_find(&dump_cpu(&d, -1)->leaves, 0x40008000, 0);
	assert_non_null(le);
	assert_true(le->recorded);
	assert_null(leafset_find(&dump_cpu(&d, -1)->leaves, 0x40000000, 0));
	assert_null(leafset_find(&dump_cpu(&d, -1)->leaves, 0x40000101, 0));
	dump_free(&d);

	/* [first, last, eax, ebx, ecx, edx]: every base in between holds them. */
	const char *echo = "{\"schema\": \"pvhprobe/2\", \"leaves\": [[1073742080, 1073742592, 7, 832, 832, 0]]}";
	assert_int_equal(dump_parse("t", echo, strlen(echo), &d, err, sizeof(err)), 0);
	assert_int_equal(dump_cpu(&d, -1)->leaves.n, 3);
	le = leafset_find(&dump_cpu(&d, -1)->leaves, 0x40000200, 0);
	assert_non_null(le);
	assert_true(le->recorded);
	assert_int_equal(le->r.eax, 7);
	assert_int_equal(le->r.ecx, 832);
	assert_int_equal(le->r.edx, 0);
	dump_free(&d);

	/* recorded false: no value, whatever registers it claims (fuzz_report_json). */
	const char *unrec = "{\"schema\": \"pvhprobe/1\", \"leaves\": [{\"leaf\": 1073741824, \"subleaf\": 0, \"eax\": 0, "
			    "\"ebx\": 1, \"ecx\": 0, \"edx\": 0, \"recorded\": false}]}";
	assert_int_equal(dump_parse("t", unrec, strlen(unrec), &d, err, sizeof(err)), 0);
	assert_int_equal(dump_cpu(&d, -1)->leaves.n, 0);
	dump_free(&d);

	const char *empty = "{\"schema\": \"pvhprobe/2\", \"leaves\": []}";
	assert_int_equal(dump_parse("t", empty, strlen(empty), &d, err, sizeof(err)), 0);
	assert_int_equal(d.ncpus, 1);
	assert_int_equal(dump_cpu(&d, -1)->leaves.n, 0);
	dump_free(&d);
}

/* Large and endless inputs are cut off with a message, not read forever. */
static void test_size_limit(void **state)
{
	(void)state;
	char err[DUMP_ERRMSG];
	struct dump d = { 0 };
	int r = dump_load("/dev/zero", &d, err, sizeof(err));
	assert_int_equal(r, -EFBIG);
	assert_non_null(strstr(err, "larger than 16 MiB, expected a CPUID dump"));
	r = dump_load("/nonexistent/dump", &d, err, sizeof(err));
	assert_int_equal(r, -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/dump: "));

	/* The limit itself, on regular files (sparse: no disk used): exactly
	 * DUMP_MAX_BYTES is read, one byte more is refused. /dev/zero alone
	 * passed with any finite limit. */
	char path[] = "/tmp/test_dump.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)DUMP_MAX_BYTES), 0);
	/* dump_load() of a file of NUL bytes: read whole, then refused as
	 * not a dump (-EINVAL), not as too large. */
	r = dump_load(path, &d, err, sizeof(err));
	if (r == -EFBIG)
		fail_msg("a file of DUMP_MAX_BYTES refused as too large: %s", err);
	assert_int_equal(r, -EINVAL);
	assert_int_equal(ftruncate(fd, (off_t)DUMP_MAX_BYTES + 1), 0);
	r = dump_load(path, &d, err, sizeof(err));
	assert_int_equal(r, -EFBIG);
	assert_non_null(strstr(err, "larger than 16 MiB"));
	close(fd);
	unlink(path);
}

/* A line over DUMP_MAX_LINE bytes is refused even where it would otherwise
 * be read: a comment line (skipped when short) between two good leaf lines.
 * Spaces alone would not do: they make an "empty file", limit or not. A
 * line of exactly DUMP_MAX_LINE bytes is still read. */
static char *comment_dump(size_t linelen, size_t *len)
{
	static const char head[] = "CPU:\n0x00000000 0x00: eax=0x0000000d ebx=0x0 ecx=0x0 edx=0x0\n";
	static const char tail[] = "\n0x00000001 0x00: eax=0x00000001 ebx=0x0 ecx=0x0 edx=0x0\n";
	*len = strlen(head) + linelen + strlen(tail);
	char *t = malloc(*len + 1);
	assert_non_null(t);
	char *q = t;
	memcpy(q, head, strlen(head));
	q += strlen(head);
	*q = '#';
	memset(q + 1, 'x', linelen - 1);
	q += linelen;
	memcpy(q, tail, strlen(tail) + 1);
	return t;
}

static void test_line_limit(void **state)
{
	(void)state;
	struct dump d;
	char err[DUMP_ERRMSG] = "";
	size_t len;
	char *t = comment_dump(DUMP_MAX_LINE + 1, &len);
	assert_int_equal(dump_parse("t", t, len, &d, err, sizeof(err)), -EINVAL);
	if (!strstr(err, "t:3: line longer than "))
		fail_msg("message \"%s\"", err);
	free(t);

	t = comment_dump(DUMP_MAX_LINE, &len);
	if (dump_parse("t", t, len, &d, err, sizeof(err)) != 0)
		fail_msg("a line of DUMP_MAX_LINE bytes refused: %s", err);
	assert_int_equal(d.cpus[0].leaves.n, 2);
	dump_free(&d);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_duplicate_note),
		cmocka_unit_test(test_cpu_select),
		cmocka_unit_test(test_json_unrecorded),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_line_limit),
	};
	return cmocka_run_group_tests_name("dump", tests, NULL, NULL);
}
