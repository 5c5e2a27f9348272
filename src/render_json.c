/* render_json.c - the JSON report (schema "pvhprobe/2", schema/pvhprobe-2.json).
 *
 * Keys are snake_case; unknown values are null; register values are
 * integers, with "_hex" strings beside the ones people read. Strings made
 * from CPUID bytes map each byte to the code point of the same value
 * (U+0000..U+00FF), so nothing is lost and the output is valid UTF-8;
 * jansson escapes control characters.
 * Every object key here is pvhprobe's own ASCII (a literal, a decoder's
 * field name, a model name, an ACPI table name), never input: keys are
 * set with json_object_set_new_nocheck(), without jansson's UTF-8 scan. */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_json_arena.h"
#include "render_escape.h"
#include "render_json_value.h"

static json_t *u32_or_null(bool have, uint32_t v)
{
	return have ? json_integer(v) : json_null();
}

static json_t *fields_json(const struct fields *fl)
{
	json_t *o = json_object();
	for (unsigned i = 0; fl && i < fl->n; i++) {
		const struct field *f = &fl->f[i];
		char key[80];
		switch (f->type) {
		case FT_UINT:
			json_object_set_new_nocheck(o, f->key, json_integer((json_int_t)f->u));
			break;
		case FT_HEX:
			json_object_set_new_nocheck(o, f->key, json_integer((json_int_t)f->u));
			snprintf(key, sizeof(key), "%s_hex", f->key);
			json_object_set_new_nocheck(o, key, json_hex((uint32_t)f->u));
			break;
		case FT_BOOL:
			json_object_set_new_nocheck(o, f->key, json_boolean(f->u));
			break;
		case FT_BYTES:
			json_object_set_new_nocheck(o, f->key, json_bytes(f->bytes, f->nbytes));
			break;
		case FT_TEXT:
			json_object_set_new_nocheck(o, f->key, json_string(f->text));
			break;
		case FT_FLAGS: {
			json_t *a = json_array();
			for (unsigned b = 0; b < 32; b++) {
				if (!(f->u >> b & 1))
					continue;
				const char *nm = field_bit_name(f, b);
				char unk[16];
				if (!nm)
					snprintf(unk, sizeof(unk), "bit%u", b);
				json_array_append_new(a, json_string(nm ? nm : unk));
			}
			json_object_set_new_nocheck(o, f->key, a);
			snprintf(key, sizeof(key), "%s_raw", f->key);
			json_object_set_new_nocheck(o, key, json_integer((json_int_t)f->u));
			break;
		}
		}
	}
	return o;
}

/* A recorded base leaf (0x40000000 + 0x100 * n, subleaf 0). */
static bool is_base(const struct leaf_entry *e)
{
	return e->recorded && e->subleaf == 0 && hv_is_base(e->leaf);
}

static json_t *range_json(const struct hv_range *hr)
{
	char hex[32];
	bytes_to_hex(hr->sig, sizeof(hr->sig), hex, sizeof(hex));
	json_t *o = json_object();
	json_object_set_new_nocheck(o, "base", json_integer(hr->base));
	json_object_set_new_nocheck(o, "base_hex", json_hex(hr->base));
	json_object_set_new_nocheck(o, "max_leaf", json_integer(hr->r.eax));
	json_object_set_new_nocheck(o, "max_leaf_hex", json_hex(hr->r.eax));
	json_object_set_new_nocheck(o, "signature", json_bytes(hr->sig, sizeof(hr->sig)));
	json_object_set_new_nocheck(o, "signature_hex", json_string(hex));
	json_object_set_new_nocheck(o, "vendor", json_string(hr->known ? hr->known->id : "unknown"));
	json_object_set_new_nocheck(o, "name", hr->known ? json_string(hr->known->name) : json_null());
	json_object_set_new_nocheck(o, "class", json_string(range_class_name(hr->cls)));
	json_object_set_new_nocheck(o, "eax_in_range", json_boolean(hr->eax_in_range));
	json_object_set_new_nocheck(o, "repeat_of", u32_or_null(hr->cls == RANGE_REPEAT, hr->repeat_of));
	if (hr->cls == RANGE_HYPERVISOR) {
		json_object_set_new_nocheck(o, "last_leaf", json_integer(hr->last_leaf));
		json_object_set_new_nocheck(o, "details", fields_json(hr->details));
	}
	return o;
}

static json_t *model_json(const struct model_result *m, bool verbose)
{
	json_t *o = json_object();
	json_object_set_new_nocheck(o, "kernels", json_string(m->desc->kernels));
	json_object_set_new_nocheck(o, "source", json_string(m->desc->source));
	json_object_set_new_nocheck(o, "path", json_string(pvh_path_name(m->path)));
	json_object_set_new_nocheck(o, "outcome", json_string(outcome_name(m->outcome)));
	json_object_set_new_nocheck(o, "reason", json_string(m->reason));
	json_t *c = json_array();
	json_t *cc = json_array();
	for (unsigned i = 0; i < m->nconditions; i++) {
		const struct model_condition *k = &m->conditions[i];
		json_array_append_new(c, json_string(k->text));
		json_t *x = json_object();
		json_object_set_new_nocheck(x, "id", json_string(pvh_condition_name(k->id)));
		json_object_set_new_nocheck(x, "state", json_string(cond_state_name(k->state)));
		json_array_append_new(cc, x);
	}
	json_object_set_new_nocheck(o, "conditions", c);
	json_object_set_new_nocheck(o, "condition_checks", cc);
	json_object_set_new_nocheck(o, "hypervisor",
			    m->hypervisor == _HV_VENDOR_INVALID ? json_null() : json_string(hv_vendor_id(m->hypervisor)));
	json_object_set_new_nocheck(o, "hypervisor_base", u32_or_null(m->hypervisor_base != 0, m->hypervisor_base));
	json_object_set_new_nocheck(o, "platform", m->platform ? json_string(m->platform) : json_null());
	json_object_set_new_nocheck(o, "xen_base", u32_or_null(m->xen_base != 0, m->xen_base));
	json_t *hz = json_array();
	for (unsigned i = 0; i < m->nhazards; i++) {
		json_t *h = json_object();
		json_object_set_new_nocheck(h, "id", json_string(m->hazards[i].id));
		json_object_set_new_nocheck(h, "severity", json_string(severity_name(m->hazards[i].sev)));
		json_object_set_new_nocheck(h, "text", json_string(m->hazards[i].text));
		json_array_append_new(hz, h);
	}
	json_object_set_new_nocheck(o, "hazards", hz);
	/* The trace only with -v, as in the text report: it is a third of the
	 * document and what scripts read is path, outcome and reason. */
	json_t *tr = verbose ? json_array() : json_null();
	for (unsigned i = 0; verbose && i < m->ntrace; i++) {
		const struct trace_step *s = &m->trace[i];
		json_t *t = json_object();
		json_object_set_new_nocheck(t, "leaf", u32_or_null(s->has_leaf, s->leaf));
		json_object_set_new_nocheck(t, "leaf_last", u32_or_null(s->has_leaf, s->leaf_last));
		json_object_set_new_nocheck(t, "text", json_string(s->text));
		json_array_append_new(tr, t);
	}
	json_object_set_new_nocheck(o, "trace", tr);
	json_object_set_new_nocheck(o, "trace_truncated", json_boolean(m->trace_dropped != 0));
	json_t *dr = json_object();
	json_object_set_new_nocheck(dr, "trace", json_integer(m->trace_dropped));
	json_object_set_new_nocheck(dr, "hazards", json_integer(m->hazards_dropped));
	json_object_set_new_nocheck(dr, "conditions", json_integer(m->conditions_dropped));
	json_object_set_new_nocheck(o, "dropped", dr);
	return o;
}

/* The JSON document of a report. */
static json_t *render_json_doc(const struct report *r, const struct render_opts *o)
{
	json_t *doc = json_object();
	json_object_set_new_nocheck(doc, "schema", json_string("pvhprobe/2"));
	json_t *tool = json_object();
	json_object_set_new_nocheck(tool, "name", json_string("pvhprobe"));
	json_object_set_new_nocheck(tool, "version", json_string(o->version));
	json_object_set_new_nocheck(doc, "tool", tool);

	json_t *src = json_object();
	json_object_set_new_nocheck(src, "kind", json_string(source_kind_name(r->src.kind)));
	json_object_set_new_nocheck(src, "file", r->src.file ? json_string(r->src.file) : json_null());
	json_object_set_new_nocheck(src, "format",
			    r->src.kind == SOURCE_DUMP ? json_string(dump_format_name(r->src.format)) : json_null());
	json_object_set_new_nocheck(src, "cpu", r->src.cpu >= 0 ? json_integer(r->src.cpu) : json_null());
	json_object_set_new_nocheck(doc, "source", src);

	const struct cpuinfo *ci = &r->cpu;
	json_t *cpu = json_object();
	json_object_set_new_nocheck(cpu, "vendor", json_bytes(ci->vendor, sizeof(ci->vendor)));
	json_object_set_new_nocheck(cpu, "vendor_id", ci->vendor_id ? json_string(ci->vendor_id) : json_null());
	json_object_set_new_nocheck(cpu, "brand", ci->brand_len ? json_bytes(ci->brand, ci->brand_len) : json_null());
	json_object_set_new_nocheck(cpu, "family", ci->identified ? json_integer(ci->family) : json_null());
	json_object_set_new_nocheck(cpu, "model", ci->identified ? json_integer(ci->model) : json_null());
	json_object_set_new_nocheck(cpu, "stepping", ci->identified ? json_integer(ci->stepping) : json_null());
	json_object_set_new_nocheck(cpu, "max_basic_leaf", json_integer(ci->max_basic));
	json_object_set_new_nocheck(cpu, "max_extended_leaf", json_integer(ci->max_ext));
	json_object_set_new_nocheck(cpu, "hypervisor_bit", json_boolean(ci->hypervisor_bit));
	json_object_set_new_nocheck(doc, "cpu", cpu);

	const struct scan *s = &r->scan;
	json_t *hyps = json_array(), *nz = json_array();
	for (unsigned i = 0, j; i < s->n; i = j) {
		j = scan_run_end(s, i);
		json_t *ro = range_json(&s->ranges[i]);
		if (s->ranges[i].cls == RANGE_HYPERVISOR) {
			json_array_append_new(hyps, ro);
			continue;
		}
		/* A run of bases answering alike is one entry (TCG echoes 255). */
		json_object_set_new_nocheck(ro, "last_base", json_integer(s->ranges[j - 1].base));
		json_object_set_new_nocheck(ro, "count", json_integer(j - i));
		json_array_append_new(nz, ro);
	}
	json_object_set_new_nocheck(doc, "hypervisors", hyps);
	json_t *scan = json_object();
	json_object_set_new_nocheck(scan, "bases", json_integer(HV_NBASES));
	json_object_set_new_nocheck(scan, "first_base", json_integer(HV_BASE_FIRST));
	json_object_set_new_nocheck(scan, "last_base", json_integer(HV_BASE_LAST));
	json_object_set_new_nocheck(scan, "nonzero_bases", json_integer(s->n));
	json_object_set_new_nocheck(scan, "not_recorded", json_integer(s->not_recorded));
	json_object_set_new_nocheck(scan, "other_bases", nz);
	json_object_set_new_nocheck(doc, "scan", scan);

	json_t *models = json_object();
	for (unsigned i = 0; i < r->nmodels; i++)
		json_object_set_new_nocheck(models, r->models[i].desc->name, model_json(&r->models[i], o->verbose));
	json_object_set_new_nocheck(doc, "models", models);
	enum pvh_path cp = report_common_path(r);
	json_object_set_new_nocheck(doc, "path", cp == _PATH_MAX ? json_null() : json_string(pvh_path_name(cp)));

	json_t *fa = json_array();
	for (unsigned i = 0; i < r->nfindings; i++) {
		json_t *f = json_object();
		json_object_set_new_nocheck(f, "id", json_string(r->findings[i].id));
		json_object_set_new_nocheck(f, "severity", json_string(severity_name(r->findings[i].sev)));
		json_object_set_new_nocheck(f, "text", json_string(r->findings[i].text));
		json_array_append_new(fa, f);
	}
	json_object_set_new_nocheck(doc, "findings", fa);
	json_object_set_new_nocheck(doc, "findings_dropped", json_integer(r->findings_dropped));
	json_object_set_new_nocheck(doc, "evidence", render_evidence_json(r));
	json_object_set_new_nocheck(doc, "verdict", render_verdict_json(r));
	json_object_set_new_nocheck(doc, "vcpus", render_vcpus_json(r));
	json_object_set_new_nocheck(doc, "entry", render_entry_json(r));

	const struct leafset *ls = &r->lt->cache;
	const struct leaf_entry **sorted = ls->n ? malloc(ls->n * sizeof(*sorted)) : NULL;
	json_t *leaves = json_array();
	if (sorted) {
		leafset_sorted(ls, sorted);
		for (size_t i = 0; i < ls->n; i++) {
			const struct leaf_entry *e = sorted[i];
			/* A leaf the dump did not record is left out: reading
			 * the report back, an absent leaf is again a zero,
			 * unrecorded one (scan.not_recorded counts the bases).
			 * Two or more consecutive recorded bases with the same
			 * registers are one array: [first, last] when they are
			 * zero (the 254 quiet bases of a KVM guest), else
			 * [first, last, eax, ebx, ecx, edx] (TCG's 255 echoes).
			 * A lone recorded all-zero subleaf-0 leaf is its bare
			 * number. The report stays complete at a fraction of
			 * the size and cost. */
			if (!e->recorded)
				continue;
			size_t j = i;
			while (is_base(sorted[j]) && j + 1 < ls->n && is_base(sorted[j + 1]) &&
			       sorted[j + 1]->leaf == sorted[j]->leaf + HV_BASE_STEP && regs_equal(&sorted[j + 1]->r, &e->r))
				j++;
			if (j > i) {
				json_t *run = json_array();
				json_array_append_new(run, json_integer(e->leaf));
				json_array_append_new(run, json_integer(sorted[j]->leaf));
				if (!regs_zero(&e->r)) {
					json_array_append_new(run, json_integer(e->r.eax));
					json_array_append_new(run, json_integer(e->r.ebx));
					json_array_append_new(run, json_integer(e->r.ecx));
					json_array_append_new(run, json_integer(e->r.edx));
				}
				json_array_append_new(leaves, run);
				i = j;
				continue;
			}
			if (e->subleaf == 0 && regs_zero(&e->r)) {
				json_array_append_new(leaves, json_integer(e->leaf));
				continue;
			}
			json_t *l = json_object();
			json_object_set_new_nocheck(l, "leaf", json_integer(e->leaf));
			json_object_set_new_nocheck(l, "subleaf", json_integer(e->subleaf));
			json_object_set_new_nocheck(l, "eax", json_integer(e->r.eax));
			json_object_set_new_nocheck(l, "ebx", json_integer(e->r.ebx));
			json_object_set_new_nocheck(l, "ecx", json_integer(e->r.ecx));
			json_object_set_new_nocheck(l, "edx", json_integer(e->r.edx));
			json_object_set_new_nocheck(l, "recorded", json_boolean(e->recorded));
			json_array_append_new(leaves, l);
		}
		free(sorted);
	}
	json_object_set_new_nocheck(doc, "leaves", leaves);

	json_t *stats = json_object();
	json_object_set_new_nocheck(stats, "cpuid_executions", json_integer((json_int_t)r->lt->executions));
	json_object_set_new_nocheck(stats, "distinct_leaves", json_integer((json_int_t)ls->n));
	json_object_set_new_nocheck(stats, "lookups", json_integer((json_int_t)r->lt->lookups));
	json_t *tm = json_null();
	if (r->timing) {
		tm = json_object();
		json_object_set_new_nocheck(tm, "leaf", json_integer(r->timing->leaf));
		json_object_set_new_nocheck(tm, "samples", json_integer(r->timing->samples));
		json_object_set_new_nocheck(tm, "median_ns", json_integer((json_int_t)r->timing->median_ns));
		json_object_set_new_nocheck(tm, "min_ns", json_integer((json_int_t)r->timing->min_ns));
		json_object_set_new_nocheck(tm, "p90_ns", json_integer((json_int_t)r->timing->p90_ns));
	}
	json_object_set_new_nocheck(stats, "cpuid_timing", tm);
	json_object_set_new_nocheck(doc, "stats", stats);
	return doc;
}

struct write_job {
	FILE *f;
	const struct report *r;
	const struct render_opts *o;
	char *buf; /* the text, grown with realloc (outside any arena) */
	size_t len, cap;
};

static int sink(const char *text, size_t n, void *arg)
{
	struct write_job *j = arg;
	if (j->cap - j->len < n) {
		size_t cap = j->cap ? j->cap : 16384;
		while (cap - j->len < n)
			cap *= 2;
		char *b = realloc(j->buf, cap);
		if (!b)
			return -1;
		j->buf = b;
		j->cap = cap;
	}
	memcpy(j->buf + j->len, text, n);
	j->len += n;
	return 0;
}

static int write_doc(void *arg)
{
	struct write_job *j = arg;
	json_t *doc = render_json_doc(j->r, j->o);
	if (!doc)
		return -1;
	/* Into one buffer, then one write: not one stdio call per token. */
	int rc = json_dump_callback(doc, sink, j, j->o->compact ? JSON_COMPACT : JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!j->o->arena)
		json_decref(doc);
	/* Nothing at all rather than part of a document. */
	if (rc == 0 && sink("\n", 1, j) != 0)
		rc = -1;
	if (rc == 0 && fwrite(j->buf, 1, j->len, j->f) != j->len)
		rc = -1;
	free(j->buf);
	return rc;
}

int render_json(FILE *f, const struct report *r, const struct render_opts *o)
{
	struct write_job j = { .f = f, .r = r, .o = o };
	if (!o->arena)
		return write_doc(&j);
	/* In an arena the document is never freed value by value: the reset
	 * takes it back in one go. */
	int rc = arena_json(o->arena, write_doc, &j);
	arena_reset(o->arena);
	return rc;
}
