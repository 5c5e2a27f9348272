/* test_render.c - every renderer on hostile input: text without raw
 * control bytes, JSON that parses and keeps every byte, env that sh reads
 * back; the JSON report replays to the same analysis. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc_libc.h"
#include "render_json_arena.h"
#include "render.h"
#include "report.h"
#include "scenarios.h"

static struct report rep;
static struct tcpu cpu;
static const struct render_opts ro = { .verbose = true, .version = "test" };

static void build(const struct trow *rows)
{
	tcpu_load(&cpu, rows);
	unsigned n;
	const struct model_desc *all = models_all(&n);
	const struct model_desc *sel[8];
	for (unsigned i = 0; i < n; i++)
		sel[i] = &all[i];
	struct report_source rs = { .kind = SOURCE_DUMP, .cpu = 0, .file = "t" };
	report_build(&rep, &cpu.lt, &rs, sel, n, NULL, NULL, false);
}

static char *render(int which, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (which == 0)
		render_text(f, &rep, &ro);
	else if (which == 1)
		assert_int_equal(render_json(f, &rep, &ro), 0);
	else if (which == 2)
		render_env(f, &rep, &ro);
	else
		render_dump(f, &rep);
	fclose(f);
	return buf;
}

static void test_text_no_control_bytes(void **state)
{
	(void)state;
	build(sc_hostile);
	size_t len;
	char *t = render(0, &len);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)t[i] < 0x20 && t[i] != '\n')
			fail_msg("raw control byte %#x at %zu", (unsigned char)t[i], i);
		else if ((unsigned char)t[i] >= 0x7f)
			fail_msg("raw byte %#x at %zu", (unsigned char)t[i], i);
	assert_non_null(strstr(t, "\\x1b[2J\\\"'\\\\\\n\\xff\\x80$\\0"));
	free(t);
	tcpu_free(&cpu);
}

static void test_json_keeps_bytes(void **state)
{
	(void)state;
	build(sc_hostile);
	size_t len;
	char *t = render(1, &len);
	json_error_t je;
	json_t *doc = json_loadb(t, len, JSON_ALLOW_NUL, &je);
	if (!doc)
		fail_msg("invalid JSON: %s", je.text);
	assert_string_equal(json_string_value(json_object_get(doc, "schema")), "pvhprobe/2");
	json_t *h = json_array_get(json_object_get(doc, "hypervisors"), 0);
	assert_string_equal(json_string_value(json_object_get(h, "vendor")), "unknown");
	json_t *sig = json_object_get(h, "signature");
	/* 12 code points, each equal to the byte. */
	const unsigned char *u = (const unsigned char *)json_string_value(sig);
	size_t ulen = json_string_length(sig);
	unsigned cps = 0;
	for (size_t i = 0; i < ulen; cps++) {
		unsigned cp = u[i] < 0x80 ? u[i] : (unsigned)((u[i] & 0x1f) << 6 | (u[i + 1] & 0x3f));
		assert_int_equal(cp, (unsigned char)HOSTILE_SIG[cps]);
		i += u[i] < 0x80 ? 1 : 2;
	}
	assert_int_equal(cps, 12);
	assert_string_equal(json_string_value(json_object_get(h, "signature_hex")), "1b5b324a22275c0aff802400");
	json_decref(doc);
	free(t);
	tcpu_free(&cpu);
}

/* The models' traces are in the JSON with -v only, as in the text; the
 * rest of the model is there either way. The arena and the plain build
 * write the same document. */
static void test_json_trace_verbose(void **state)
{
	(void)state;
	build(sc_xen_hvm);
	char *out[3] = { NULL };
	size_t len[3];
	for (int k = 0; k < 3; k++) {
		struct arena arena = { 0 };
		struct render_opts o = { .verbose = k != 0, .version = "test", .arena = k == 2 ? &arena : NULL };
		FILE *f = open_memstream(&out[k], &len[k]);
		assert_int_equal(render_json(f, &rep, &o), 0);
		fclose(f);
		arena_free(&arena);
	}
	json_error_t je;
	json_t *quiet = json_loadb(out[0], len[0], 0, &je), *verbose = json_loadb(out[1], len[1], 0, &je);
	assert_non_null(quiet);
	assert_non_null(verbose);
	json_t *mq = json_object_get(json_object_get(quiet, "models"), "linux");
	json_t *mv = json_object_get(json_object_get(verbose, "models"), "linux");
	assert_true(json_is_null(json_object_get(mq, "trace")));
	assert_true(json_array_size(json_object_get(mv, "trace")) > 0);
	assert_string_equal(json_string_value(json_object_get(mq, "path")), "xen");
	assert_string_equal(json_string_value(json_object_get(mq, "reason")),
			    json_string_value(json_object_get(mv, "reason")));
	assert_int_equal(len[1], len[2]);
	assert_memory_equal(out[1], out[2], len[1]);
	json_decref(quiet);
	json_decref(verbose);
	for (int k = 0; k < 3; k++)
		free(out[k]);
	tcpu_free(&cpu);
}

static void test_env_eval(void **state)
{
	(void)state;
	build(sc_hostile);
	size_t len;
	char *t = render(2, &len);
	char path[] = "/tmp/pvhprobe-env-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fwrite(t, 1, len, f);
	fclose(f);
	char cmd[256], got[256] = "";
	snprintf(cmd, sizeof(cmd), ". %s && printf '%%s|%%s' \"$PVHPROBE_HV0_SIGNATURE\" \"$PVHPROBE_PATH\"", path);
	FILE *p = popen(cmd, "r");
	size_t n = fread(got, 1, sizeof(got) - 1, p);
	got[n] = '\0';
	assert_int_equal(pclose(p), 0);
	unlink(path);
	assert_string_equal(got, "\\x1b[2J\\\"'\\\\\\n\\xff\\x80$\\0|generic");
	free(t);
	tcpu_free(&cpu);
}

/* The JSON report holds every leaf read: replaying it gives the same models. */
static void test_json_replay(void **state)
{
	(void)state;
	const struct trow *scen[] = { sc_xen_viridian, sc_xen_eax_plus1, sc_hostile, sc_old_kvm };
	for (size_t k = 0; k < ARRAY_SIZE(scen); k++) {
		build(scen[k]);
		size_t len;
		char *t = render(1, &len);
		struct model_result before[REPORT_MODELS_MAX];
		memcpy(before, rep.models, sizeof(before));
		unsigned nm = rep.nmodels;
		unsigned long leaves = cpu.lt.cache.n;
		tcpu_free(&cpu);

		struct dump d;
		char err[DUMP_ERRMSG];
		if (dump_parse("t.json", t, len, &d, err, sizeof(err)) != 0)
			fail_msg("replay: %s", err);
		struct cpuid_source src;
		source_dump_open(&src, &d.cpus[0].leaves, 0);
		struct leaftab lt;
		lt_init(&lt, &src, &alloc_libc);
		unsigned n;
		const struct model_desc *all = models_all(&n);
		const struct model_desc *sel[8];
		for (unsigned i = 0; i < n; i++)
			sel[i] = &all[i];
		struct report_source rs = { .kind = SOURCE_DUMP, .cpu = 0 };
		report_build(&rep, &lt, &rs, sel, n, NULL, NULL, false);
		assert_int_equal(rep.nmodels, nm);
		for (unsigned i = 0; i < nm; i++) {
			assert_int_equal(rep.models[i].path, before[i].path);
			assert_int_equal(rep.models[i].outcome, before[i].outcome);
			assert_string_equal(rep.models[i].reason, before[i].reason);
		}
		assert_int_equal(lt.cache.n, leaves);
		lt_free(&lt);
		dump_free(&d);
		free(t);
	}
}

/* `dump` output reads back through the cpuid -r parser. */
static void test_dump_replay(void **state)
{
	(void)state;
	build(sc_xen_viridian);
	size_t len;
	char *t = render(3, &len);
	struct dump d;
	char err[DUMP_ERRMSG];
	if (dump_parse("t", t, len, &d, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(d.format, DUMP_CPUID_R);
	const struct leaf_entry *e = leafset_find(&d.cpus[0].leaves, 0x40000102, 0);
	assert_non_null(e);
	assert_int_equal(e->r.ebx, 0x40000200);
	dump_free(&d);
	free(t);
	tcpu_free(&cpu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_no_control_bytes),
		cmocka_unit_test(test_json_keeps_bytes),
		cmocka_unit_test(test_json_trace_verbose),
		cmocka_unit_test(test_env_eval),
		cmocka_unit_test(test_json_replay),
		cmocka_unit_test(test_dump_replay),
	};
	return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
