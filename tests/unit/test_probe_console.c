/* test_probe_console.c - the probe guest's console capture reader
 * (src/dump_probe_console.c): framing, Xen prefixes, escapes, and hostile
 * captures, each refused with a message naming the line and what was
 * expected. Frames are built here with their count and CRC-32 computed as
 * guest/console.c does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "dump_probe_console.h"

static uint32_t crc32_of(const char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= (uint8_t)p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
	}
	return c ^ 0xffffffffu;
}

#define CPUID1 "cpuid=40000000 00000000 40000001 54474354 43544743 47435447\n"
#define BODY                                                                                    \
	"PVH path: generic; tcg at 0x40000000; start_info v1, 1 memmap entries; no RSDP; 0 ABI errors\n" \
	"probe.version=0.1 format=1 uart=yes\n"                                                      \
	"entry.ebx=0x000f31e0\n"                                                                     \
	"entry.cs=sel=0x0008 lar=0x00c09b00 limit=0xffffffff base=0x00000000\n"                      \
	"entry.tr=sel=0x0000 lar=none limit=none base=unknown\n"                                     \
	"start_info.paddr=0x000f31e0\n"                                                              \
	"start_info.magic=0x336ec578 ok\n"                                                           \
	"start_info.version=1\n"                                                                     \
	"start_info.cmdline=\"console=ttyS0 \\\"q\\\" \\x01\"\n"                                     \
	"memmap.0=addr=0x0000000000000000 size=0x000000000009fc00 type=1 RAM reserved=0x0\n"         \
	"acpi.rsdp=none\n"                                                                           \
	"finding=entry.tr.unverifiable severity=info value=0x0 text=\"TR null\"\n"                   \
	"model.linux=path=generic outcome=boots hypervisor=none base=0x00000000 xen_base=0x00000000 platform=none\n" \
	"cpuid.count=1 executions=1\n" CPUID1

/* BEGIN + body + END with the right count and CRC (or the given ones). */
static char *frame(const char *body, long lines, long crc)
{
	size_t n = strlen(body) + 64;
	char *f = malloc(n * 2);
	int k = snprintf(f, n, "PVHPROBE BEGIN format=1\n%s", body);
	unsigned nl = 0;
	for (const char *p = f; *p; p++)
		nl += *p == '\n';
	uint32_t c = crc32_of(f, (size_t)k);
	snprintf(f + k, n, "PVHPROBE END lines=%lu crc32=%08lx\n", lines >= 0 ? (unsigned long)lines : nl,
		 crc >= 0 ? (unsigned long)crc : (unsigned long)c);
	return f;
}

/* Every line of text prefixed with pre. */
static char *prefixed(const char *pre, const char *text)
{
	char *out = malloc(strlen(text) * 2 + 4096);
	size_t k = 0;
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		k += (size_t)sprintf(out + k, "%s%.*s", pre, (int)n, p);
		p += n;
	}
	out[k] = 0;
	return out;
}

static int parse(const char *text, struct dump *d, char *err)
{
	return dump_parse("cap", text, strlen(text), d, err, DUMP_ERRMSG);
}

static void expect_good(const char *text)
{
	struct dump d;
	char err[DUMP_ERRMSG] = "";
	int rc = parse(text, &d, err);
	if (rc != 0)
		fail_msg("%s", err);
	assert_int_equal(d.format, DUMP_PROBE_CONSOLE);
	assert_non_null(d.entry);
	assert_int_equal(d.ncpus, 1);
	assert_non_null(leafset_find(&d.cpus[0].leaves, 0x40000000, 0));
	const struct probe_entry *e = d.entry;
	assert_true(e->magic_ok);
	assert_int_equal(e->version, 1);
	assert_int_equal(e->nmemmap, 1);
	assert_int_equal(e->memmap[0].size, 0x9fc00);
	assert_string_equal(e->memmap[0].type_name, "RAM");
	assert_int_equal(e->cmdline.n, 19);
	assert_memory_equal(e->cmdline.b, "console=ttyS0 \"q\" \x01", 19);
	assert_true(e->seg[PROBE_SEG_CS].lar_ok);
	assert_false(e->seg[PROBE_SEG_TR].lar_ok);
	assert_int_equal(e->nfindings, 1);
	assert_string_equal(e->findings[0].id, "entry.tr.unverifiable");
	assert_string_equal(e->models[0].path, "generic");
	dump_free(&d);
}

static void test_plain(void **state)
{
	(void)state;
	char *f = frame(BODY, -1, -1);
	expect_good(f);
	assert_true(probe_console_complete(f, strlen(f)) == strlen(f));
	assert_true(probe_console_complete(f, strlen(f) - 1) == 0); /* END's "\n" not there yet */
	free(f);
}

static void test_noise_crlf_escapes(void **state)
{
	(void)state;
	char *f = frame(BODY, -1, -1);
	/* CRLF and an escape sequence on every line, noise before and after,
	 * firmware text before BEGIN on its line. */
	char *g = prefixed("\033[0m\033]0;title\a", f);
	size_t n = strlen(g) * 2 + 256;
	char *h = malloc(n), *o = h;
	static const char noise[] = "\033c\033[?7lSeaBIOS\r\n\0binary\n\nBooting from ROM..";
	memcpy(o, noise, sizeof(noise) - 1);
	o += sizeof(noise) - 1;
	for (const char *p = g; *p; p++) {
		if (*p == '\n')
			*o++ = '\r';
		*o++ = *p;
	}
	o += sprintf(o, "pvhprobe: poweroff\r\n");
	struct dump d;
	char err[DUMP_ERRMSG];
	assert_int_equal(dump_parse("cap", h, (size_t)(o - h), &d, err, sizeof(err)), 0);
	assert_int_equal(d.entry->nmemmap, 1);
	dump_free(&d);
	free(f);
	free(g);
	free(h);
}

static void test_xen(void **state)
{
	(void)state;
	char *f = frame(BODY, -1, -1);
	char *g = prefixed("(d0) ", f);
	char *h = malloc(strlen(g) + 256);
	/* Xen's own lines before and inside the frame */
	char *mid = strstr(g, "(d0) memmap.0");
	sprintf(h, "(XEN) Xen version 4.17\n%.*s(XEN) [  12.345] d0v0 something\n%s", (int)(mid - g), g, mid);
	expect_good(h);
	free(g);
	g = prefixed("(XEN) [2026-12-03 11:00:00] (d1v0) ", f);
	expect_good(g);
	free(g);
	g = prefixed("guest| ", f); /* a constant per-line prefix */
	expect_good(g);
	free(g);
	free(f);
	free(h);
}

static void test_continuation(void **state)
{
	(void)state;
	char body[4096];
	snprintf(body, sizeof(body), "%s",
		 BODY "model.linux.reason=\"first part of a long reason, \n+ continued here\"\n");
	char *f = frame(body, -1, -1);
	struct dump d;
	char err[DUMP_ERRMSG];
	assert_int_equal(parse(f, &d, err), 0);
	assert_string_equal(d.entry->models[0].reason, "first part of a long reason, continued here");
	dump_free(&d);
	free(f);
}

static void test_two_copies(void **state)
{
	(void)state;
	char *f = frame(BODY, -1, -1);
	char *t = malloc(strlen(f) * 2 + 1);
	size_t half = (size_t)(strstr(f, "memmap.0") - f);
	memcpy(t, f, half);
	strcpy(t + half, f);
	struct dump d;
	char err[DUMP_ERRMSG];
	assert_int_equal(parse(t, &d, err), 0);
	assert_int_equal(d.nnotes, 1);
	assert_non_null(strstr(d.notes[0].text, "truncated"));
	assert_int_equal(d.entry->begin_line, 11);
	dump_free(&d);
	free(f);
	free(t);
}

struct bad {
	const char *name;
	const char *body;   /* NULL: the text is given whole in raw */
	long lines, crc;    /* -1: right */
	const char *raw;
	const char *want;   /* in the message */
};

static const struct bad bads[] = {
	{ "missing END", NULL, 0, 0, "PVHPROBE BEGIN format=1\nPVH path: x\n" CPUID1, "truncated" },
	{ "bad checksum", BODY, -1, 0x12345678, NULL, "CRC-32 12345678 in the END line" },
	{ "count off", BODY, 3, -1, NULL, "says 3 lines" },
	{ "count 0xFFFFFFFF", BODY, 4294967295, -1, NULL, "says 4294967295 lines" },
	{ "malformed END", NULL, 0, 0, "PVHPROBE BEGIN format=1\nPVHPROBE END lines=x\n", "malformed END" },
	{ "non-hex cpuid", "PVH path: x\ncpuid.count=1\ncpuid=4000000g 00000000 0 0 0 0\n", -1, -1, NULL,
	  "cap:4: expected \"cpuid=LEAF SUBLEAF EAX EBX ECX EDX\", each 8 hex digits (word 1)" },
	{ "short cpuid", "PVH path: x\ncpuid.count=1\ncpuid=40000000 00000000 00000000\n", -1, -1, NULL, "(word 4)" },
	{ "cpuid trailing text", "PVH path: x\ncpuid.count=1\n" "cpuid=40000000 00000000 40000001 54474354 43544743 47435447 x\n",
	  -1, -1, NULL, "unexpected text" },
	{ "cpuid twice", "PVH path: x\ncpuid.count=2\n" CPUID1 CPUID1, -1, -1, NULL, "given twice" },
	{ "cpuid.count 0xFFFFFFFF", "PVH path: x\ncpuid.count=4294967295\n" CPUID1, -1, -1, NULL,
	  "1 cpuid= lines, the cpuid.count line says 4294967295" },
	{ "cpuid.count too big", "PVH path: x\ncpuid.count=4294967296\n" CPUID1, -1, -1, NULL, "cpuid.count=N" },
	{ "no cpuid", "PVH path: x\ncpuid.count=0\n", -1, -1, NULL, "no cpuid= line" },
	{ "no answer", "cpuid.count=1\n" CPUID1, -1, -1, NULL, "answer line" },
	{ "memmap out of order", "PVH path: x\nmemmap.1=addr=0 size=0 type=1 RAM reserved=0x0\ncpuid.count=1\n" CPUID1, -1,
	  -1, NULL, "memmap 1 out of order, expected memmap 0" },
	{ "memmap index huge", "PVH path: x\nmemmap.4294967295=addr=0 size=0 type=1 RAM reserved=0x0\n", -1, -1, NULL,
	  "memmap" },
	{ "memmap bad number", "PVH path: x\nmemmap.0=addr=0xzz size=0 type=1 RAM reserved=0x0\n", -1, -1, NULL,
	  "expected addr=NUMBER" },
	{ "version past 32 bits", "PVH path: x\nstart_info.version=4294967296\n", -1, -1, NULL, "at most 32 bits" },
	{ "hex past 64 bits", "PVH path: x\nstart_info.rsdp_paddr=0x10000000000000000\n", -1, -1, NULL,
	  "start_info.rsdp_paddr=NUMBER" },
	{ "unterminated quote", "PVH path: x\nstart_info.cmdline=\"abc\n", -1, -1, NULL, "C escapes" },
	{ "bad escape", "PVH path: x\nstart_info.cmdline=\"a\\q\"\n", -1, -1, NULL, "C escapes" },
	{ "bad severity", "PVH path: x\nfinding=x severity=fatal value=0x0 text=\"\"\n", -1, -1, NULL, "severity=info|warn|error" },
	{ "no key", "PVH path: x\njust words\n", -1, -1, NULL, "cap:3: expected KEY=VALUE" },
	{ "trap", NULL, 0, 0, "PVHPROBE BEGIN format=1\nPVH path: x\nPVHPROBE TRAP vector=6 (#UD) error=0 eip=0x1\n", "faulted" },
	{ "no END", NULL, 0, 0, "PVHPROBE BEGIN  format=1 and nothing else\n", "cap:1: no PVHPROBE END line after the BEGIN at line 1" },
};

static void test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct bad *b = &bads[i];
		char *f = b->body ? frame(b->body, b->lines, b->crc) : strdup(b->raw);
		struct dump d;
		char err[DUMP_ERRMSG] = "";
		int rc = parse(f, &d, err);
		if (rc != -EINVAL || !strstr(err, b->want) || strncmp(err, "cap:", 4) != 0)
			fail_msg("%s: rc %d, message \"%s\", expected \"%s\"", b->name, rc, err, b->want);
		assert_null(d.entry);
		assert_int_equal(d.ncpus, 0);
		free(f);
	}
}

static void test_newer_format(void **state)
{
	(void)state;
	char text[256];
	int k = snprintf(text, sizeof(text), "PVHPROBE BEGIN format=2\nPVH path: x\n");
	snprintf(text + k, sizeof(text) - (size_t)k, "PVHPROBE END lines=2 crc32=%08x\n", crc32_of(text, (size_t)k));
	struct dump d;
	char err[DUMP_ERRMSG];
	assert_int_equal(parse(text, &d, err), -EINVAL);
	assert_string_equal(err, "cap:1: frame format 2, this pvhprobe reads format 1 (a newer probe guest?)");
}

static void test_overlong(void **state)
{
	(void)state;
	size_t n = DUMP_MAX_LINE + 100;
	char *body = malloc(n + 64);
	strcpy(body, "PVH path: x\nfinding=");
	size_t k = strlen(body);
	memset(body + k, 'A', n);
	strcpy(body + k + n, "\n");
	char *f = frame(body, -1, -1);
	struct dump d;
	char err[DUMP_ERRMSG];
	assert_int_equal(parse(f, &d, err), -EINVAL);
	assert_non_null(strstr(err, "cap:3: line longer than"));
	/* outside the frame, an overlong line is only noise */
	char *g = malloc(strlen(f) + n + 8);
	memset(g, 'B', n);
	g[n] = '\n';
	char *ok = frame(BODY, -1, -1);
	strcpy(g + n + 1, ok);
	assert_int_equal(parse(g, &d, err), 0);
	dump_free(&d);
	free(body);
	free(f);
	free(g);
	free(ok);
}

/* A line the CRC vouches for can still carry bytes the guest never prints
 * (a forged or corrupted capture): every text taken from it comes out as
 * printable ASCII, '?' for the rest (found by fuzz_probe_console: a raw
 * 0xff in a finding id reached the text output). */
static void test_unprintable_bytes(void **state)
{
	(void)state;
	char *f = frame("PVH path: gen\xff\x01\n"
			"finding=start_info.memmap_low\xff\xff_hole severity=info value=0x1 text=\"a\\x01b\"\n"
			"model.linux=path=gen\x80ric outcome=boots hypervisor=none base=0x00000000 xen_base=0x00000000 platform=n\x7fne\n"
			"cpuid.count=1 executions=1\n" CPUID1,
			-1, -1);
	struct dump d;
	char err[DUMP_ERRMSG] = "";
	if (parse(f, &d, err) != 0)
		fail_msg("%s", err);
	const struct probe_entry *e = d.entry;
	assert_string_equal(e->answer, "gen??");
	assert_int_equal(e->nfindings, 1);
	assert_string_equal(e->findings[0].id, "start_info.memmap_low??_hole");
	assert_string_equal(e->findings[0].text, "a?b");
	assert_string_equal(e->models[0].path, "gen?ric");
	assert_string_equal(e->models[0].platform, "n?ne");
	dump_free(&d);
	free(f);
}

/* Either version-1 line makes the start_info a v1 one: a capture whose
 * memmap_paddr line is unreadable still has its memmap_entries, which the
 * models' conditions read and the JSON report must carry (found by
 * fuzz_probe_console: the JSON replay lost memmap_entries). */
static void test_v1_fields(void **state)
{
	(void)state;
	char *f = frame("PVH path: x\nstart_info.paddr=0x000f31e0\nstart_info.magic=0x336ec578 ok\n"
			"start_info.version=1\nstart_info.memmap_entries=6\n"
			"cpuid.count=1 executions=1\n" CPUID1,
			-1, -1);
	struct dump d;
	char err[DUMP_ERRMSG] = "";
	if (parse(f, &d, err) != 0)
		fail_msg("%s", err);
	assert_true(d.entry->si_v1);
	assert_int_equal(d.entry->memmap_entries, 6);
	assert_true(d.have_facts);
	assert_int_equal(d.facts.memmap_entries, 6);
	dump_free(&d);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),          cmocka_unit_test(test_noise_crlf_escapes),
		cmocka_unit_test(test_xen),            cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_two_copies),     cmocka_unit_test(test_bad),
		cmocka_unit_test(test_overlong),       cmocka_unit_test(test_newer_format),
		cmocka_unit_test(test_unprintable_bytes), cmocka_unit_test(test_v1_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
