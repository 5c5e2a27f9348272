/* dump_report_json.c - reading a pvhprobe JSON report back as a dump.
 *
 * Only what the analysis needs is read: "schema" ("pvhprobe/2", or
 * "pvhprobe/1" of pvhprobe 0.1: the leaves are written alike but for the
 * [first, last] runs, which 0.1 never wrote),
 * "source.cpu" (the CPU number, optional) and "leaves", every leaf the
 * report's run read: {"leaf", "subleaf", "eax", "ebx", "ecx", "edx",
 * "recorded"}, a bare leaf number for a recorded subleaf 0 whose four
 * registers are zero, [first, last] for a run of such base leaves
 * (0x40000000 + 0x100 * n), or [first, last, eax, ebx, ecx, edx] for a run
 * of base leaves with those registers. Everything else in the report is derived and recomputed,
 * except the "dump_note" findings: they describe the original dump file,
 * which the report no longer has, so they are carried over as they are. */
#include "dump.h"
#include "input.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

_printf_(4, 5) static int jfail(char *err, size_t errlen, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = input_fail_v(err, errlen, name, 0, "", fmt, ap);
	va_end(ap);
	return r;
}

static bool get_u32(json_t *o, const char *key, uint32_t *out)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		return false;
	json_int_t i = json_integer_value(v);
	if (i < 0 || i > 0xffffffffLL)
		return false;
	*out = (uint32_t)i;
	return true;
}

/* Adds leaves[i]'s leaf; a (leaf, subleaf) given twice is an error. */
static int put_leaf(struct dump_cpu *c, const struct leaf_entry *le, size_t i, const char *name, char *err,
		    size_t errlen)
{
	if (leafset_find(&c->leaves, le->leaf, le->subleaf))
		return jfail(err, errlen, name, "leaves[%zu]: leaf 0x%08x subleaf %#x given twice", i, le->leaf,
			     le->subleaf);
	if (leafset_put(&c->leaves, le, NULL) < 0)
		return jfail(err, errlen, name, "out of memory");
	return 0;
}

/* jansson builds the whole document before we see it, at tens of bytes per
 * value: bound the number of values first (a report of a few hundred leaves
 * has a few thousand), so that hostile JSON cannot take gigabytes. */
#define REPORT_VALUES_MAX 300000u
#define REPORT_LEAVES_MAX 16384u

int dump_report_json_parse(const char *name, const char *buf, size_t len, struct dump *d, char *err, size_t errlen)
{
	memset(d, 0, sizeof(*d));
	d->format = DUMP_JSON;
	size_t values = 0;
	for (size_t i = 0; i < len; i++)
		values += buf[i] == '{' || buf[i] == '[' || buf[i] == ',';
	if (values > REPORT_VALUES_MAX)
		return jfail(err, errlen, name, "about %zu JSON values, more than the %u a pvhprobe report can have", values,
			     REPORT_VALUES_MAX);
	json_error_t je;
	json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
	if (!root)
		return jfail(err, errlen, name, "line %d, column %d: %s (expected a pvhprobe JSON report)", je.line,
			     je.column, je.text);
	int rc = 0;
	if (!json_is_object(root)) {
		rc = jfail(err, errlen, name, "the top level is not an object, expected a pvhprobe JSON report");
		goto out;
	}
	json_t *schema = json_object_get(root, "schema");
	if (!json_is_string(schema) || (strcmp(json_string_value(schema), "pvhprobe/2") != 0 &&
					strcmp(json_string_value(schema), "pvhprobe/1") != 0)) {
		rc = jfail(err, errlen, name, "\"schema\": expected \"pvhprobe/2\" (or \"pvhprobe/1\")");
		goto out;
	}
	int cpu_id = 0;
	json_t *src = json_object_get(root, "source");
	json_t *cpu = json_is_object(src) ? json_object_get(src, "cpu") : NULL;
	if (json_is_integer(cpu) && json_integer_value(cpu) >= 0 && json_integer_value(cpu) < (1 << 20))
		cpu_id = (int)json_integer_value(cpu);
	json_t *leaves = json_object_get(root, "leaves");
	if (!json_is_array(leaves)) { /* empty: the input recorded none of the leaves read */
		rc = jfail(err, errlen, name, "\"leaves\": expected an array of leaves");
		goto out;
	}
	if (json_array_size(leaves) > REPORT_LEAVES_MAX) {
		rc = jfail(err, errlen, name, "\"leaves\": more than %u leaves", REPORT_LEAVES_MAX);
		goto out;
	}
	struct dump_cpu *c = dump_add_cpu(d, cpu_id);
	if (!c) {
		rc = jfail(err, errlen, name, "out of memory");
		goto out;
	}
	size_t i;
	json_t *e;
	json_array_foreach(leaves, i, e) {
		struct leaf_entry le = { .recorded = true };
		if (json_is_array(e)) {
			/* [first, last]: a run of all-zero bases; [first, last,
			 * eax, ebx, ecx, edx]: a run of bases answering alike. */
			size_t n = json_array_size(e);
			uint32_t v[6] = { 0 };
			for (size_t k = 0; k < n && k < 6; k++) {
				json_t *x = json_array_get(e, k);
				json_int_t xi = json_is_integer(x) ? json_integer_value(x) : -1;
				if (xi < 0 || xi > 0xffffffffLL)
					n = 0;
				v[k] = (uint32_t)xi;
			}
			if ((n != 2 && n != 6) || !hv_is_base(v[0]) || !hv_is_base(v[1])) {
				rc = jfail(err, errlen, name,
					   "leaves[%zu]: expected [first, last] or [first, last, eax, ebx, ecx, edx], first and last base leaves 0x40000000..0x4000ff00, registers 0..4294967295",
					   i);
				goto out;
			}
			if (v[0] > v[1]) {
				rc = jfail(err, errlen, name, "leaves[%zu]: expected [first, last, ...] with first <= last", i);
				goto out;
			}
			le.r = (struct cpuid_regs){ v[2], v[3], v[4], v[5] };
			for (uint64_t b = v[0]; b <= v[1]; b += HV_BASE_STEP) {
				le.leaf = (uint32_t)b;
				if ((rc = put_leaf(c, &le, i, name, err, errlen)) < 0)
					goto out;
			}
			continue;
		}
		if (json_is_integer(e)) { /* the compact form of an all-zero leaf */
			json_int_t v = json_integer_value(e);
			if (v < 0 || v > 0xffffffffLL) {
				rc = jfail(err, errlen, name, "leaves[%zu]: expected a leaf number 0..4294967295", i);
				goto out;
			}
			le.leaf = (uint32_t)v;
		} else if (!json_is_object(e)) {
			rc = jfail(err, errlen, name, "leaves[%zu]: expected an object, a leaf number or [first, last]", i);
			goto out;
		}
		static const char *const keys[6] = { "leaf", "subleaf", "eax", "ebx", "ecx", "edx" };
		uint32_t *dst[6] = { &le.leaf, &le.subleaf, &le.r.eax, &le.r.ebx, &le.r.ecx, &le.r.edx };
		for (int k = 0; json_is_object(e) && k < 6; k++) {
			if (!get_u32(e, keys[k], dst[k])) {
				rc = jfail(err, errlen, name, "leaves[%zu].%s: expected an integer 0..4294967295", i, keys[k]);
				goto out;
			}
		}
		json_t *rec = json_is_object(e) ? json_object_get(e, "recorded") : NULL;
		if (rec && !json_is_boolean(rec)) {
			rc = jfail(err, errlen, name, "leaves[%zu].recorded: expected true or false", i);
			goto out;
		}
		/* A leaf the dump did not record has no value: 0.1 wrote such
		 * leaves with recorded false and zero registers; they read as
		 * absent, which is what they were (whatever registers a hand-made
		 * report gives them). */
		if (rec && !json_is_true(rec))
			continue;
		if ((rc = put_leaf(c, &le, i, name, err, errlen)) < 0)
			goto out;
	}
	/* A report made of a probe guest's capture: the start_info facts its
	 * models' conditions were decided by (render_entry.c writes them). */
	json_t *si = json_object_get(json_object_get(root, "entry"), "start_info");
	if (json_is_true(json_object_get(si, "read"))) {
		struct pvh_facts *pf = &d->facts;
		uint64_t modlist = 0, memmap = 0;
		json_t *ml = json_object_get(si, "modlist_paddr"), *mp = json_object_get(si, "memmap_paddr");
		if (json_is_integer(ml) && json_integer_value(ml) >= 0)
			modlist = (uint64_t)json_integer_value(ml);
		if (json_is_integer(mp) && json_integer_value(mp) >= 0)
			memmap = (uint64_t)json_integer_value(mp);
		*pf = (struct pvh_facts){ .modlist_paddr = modlist, .memmap_paddr = memmap };
		d->have_facts = get_u32(si, "magic", &pf->magic);
		(void)get_u32(si, "version", &pf->version);
		(void)get_u32(si, "nr_modules", &pf->nr_modules);
		(void)get_u32(si, "memmap_entries", &pf->memmap_entries);
	}
	json_t *findings = json_object_get(root, "findings");
	json_t *f;
	json_array_foreach(findings, i, f) {
		json_t *id = json_object_get(f, "id"), *text = json_object_get(f, "text");
		if (!json_is_string(id) || strcmp(json_string_value(id), "dump_note") != 0 || !json_is_string(text))
			continue;
		unsigned kept = d->nnotes;
		dump_note(d, 0, "%s", json_string_value(text));
		if (d->nnotes == kept)
			continue; /* full: counted in notes_dropped */
		/* Untrusted text that every renderer prints: printable ASCII only
		 * ('?' for anything else, which keeps a round trip stable). */
		for (char *ch = d->notes[kept].text; *ch; ch++)
			if ((unsigned char)*ch < 0x20 || (unsigned char)*ch >= 0x7f)
				*ch = '?';
	}
out:
	json_decref(root);
	if (rc)
		dump_free(d);
	return rc;
}
