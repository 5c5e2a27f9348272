/* render_compare.c - a comparison as text (the answer first: do the kernel
 * models decide differently?) and as JSON (schema "pvhprobe-compare/1"). */
#include "render.h"

#include <string.h>

#include "report_compare.h"
#include "render_escape.h"

static const char *label(const struct report *r, char *buf, size_t len)
{
	return r->src.file ? escape_name(r->src.file, buf, len) : "this machine";
}

static void range_line(FILE *f, const char *tag, const struct hv_range *hr)
{
	char sig[64];
	escape_c(hr->sig, sizeof(hr->sig), sig, sizeof(sig));
	fprintf(f, "  %s 0x%08x %s \"%s\" max leaf 0x%08x\n", tag, hr->base, hr->known ? hr->known->id : "unknown", sig,
		hr->r.eax);
}

void render_compare_text(FILE *f, const struct comparison *c)
{
	char la[256], lb[256];
	fprintf(f, "A: %s\nB: %s\n", label(c->a, la, sizeof(la)), label(c->b, lb, sizeof(lb)));
	if (c->paths_differ) {
		fprintf(f, "PVH PATHS DIFFER:");
		for (unsigned i = 0; i < c->nmodels; i++) {
			const struct cmp_model *m = &c->models[i];
			if (m->differs)
				fprintf(f, " %s %s/%s -> %s/%s;", m->name, pvh_path_name(m->path_a), outcome_name(m->outcome_a),
					pvh_path_name(m->path_b), outcome_name(m->outcome_b));
		}
		fputc('\n', f);
	} else {
		enum pvh_path p = report_common_path(c->a);
		fprintf(f, "same PVH path and outcome on every model%s%s\n", p == _PATH_MAX ? "" : ": ",
			p == _PATH_MAX ? "" : pvh_path_name(p));
	}
	fprintf(f, "models:\n");
	for (unsigned i = 0; i < c->nmodels; i++) {
		const struct cmp_model *m = &c->models[i];
		fprintf(f, "  %-15s %s/%s%s", m->name, pvh_path_name(m->path_a), outcome_name(m->outcome_a),
			m->differs ? " -> " : "  (same)\n");
		if (m->differs)
			fprintf(f, "%s/%s\n", pvh_path_name(m->path_b), outcome_name(m->outcome_b));
	}
	fprintf(f, "hypervisors:%s\n", c->nranges ? "" : " same signatures at the same bases");
	for (unsigned i = 0; i < c->nranges; i++) {
		const struct cmp_range *r = &c->ranges[i];
		if (r->change == CMP_ONLY_A)
			range_line(f, "only A:", r->a);
		else if (r->change == CMP_ONLY_B)
			range_line(f, "only B:", r->b);
		else {
			range_line(f, "A:     ", r->a);
			range_line(f, "B:     ", r->b);
		}
	}
	if (c->nfields) {
		fprintf(f, "hypervisor features:\n");
		for (unsigned i = 0; i < c->nfields; i++) {
			const struct cmp_field *d = &c->fields[i];
			if (d->added[0] || d->removed[0])
				fprintf(f, "  0x%08x %s %s:%s%s%s%s\n", d->base, d->vendor, d->key, d->added[0] ? " added " : "",
					d->added, d->removed[0] ? " removed " : "", d->removed);
			else
				fprintf(f, "  0x%08x %s %s: %s -> %s\n", d->base, d->vendor, d->key, d->a, d->b);
		}
	}
	if (c->ncpu || c->features_added[0] || c->features_removed[0]) {
		fprintf(f, "cpu:\n");
		for (unsigned i = 0; i < c->ncpu; i++)
			fprintf(f, "  %s: %s -> %s\n", c->cpu[i].what, c->cpu[i].a, c->cpu[i].b);
		if (c->features_added[0])
			fprintf(f, "  features added: %s\n", c->features_added);
		if (c->features_removed[0])
			fprintf(f, "  features removed: %s\n", c->features_removed);
	}
	if (c->nentry) {
		fprintf(f, "probe entry:\n");
		for (unsigned i = 0; i < c->nentry; i++)
			fprintf(f, "  %s: %s -> %s\n", c->entry[i].what, c->entry[i].a, c->entry[i].b);
	}
	if (strcmp(c->entry_a, c->entry_b) != 0 || strcmp(c->vmm_a, c->vmm_b) != 0)
		fprintf(f, "evidence: entry %s -> %s, VMM %s -> %s\n", c->entry_a, c->entry_b, c->vmm_a, c->vmm_b);
	fprintf(f, "leaves: %u differ, %u only in A, %u only in B\n", c->leaves_differ, c->leaves_only_a, c->leaves_only_b);
}

static json_t *range_json(const struct hv_range *hr)
{
	if (!hr)
		return json_null();
	char sig[64], hex[32];
	size_t k = bytes_to_utf8(hr->sig, sizeof(hr->sig), sig, sizeof(sig));
	bytes_to_hex(hr->sig, sizeof(hr->sig), hex, sizeof(hex));
	json_t *o = json_object();
	json_object_set_new(o, "vendor", json_string(hr->known ? hr->known->id : "unknown"));
	json_object_set_new(o, "signature", json_stringn(sig, k));
	json_object_set_new(o, "signature_hex", json_string(hex));
	json_object_set_new(o, "max_leaf", json_integer(hr->r.eax));
	return o;
}

static json_t *words(const char *s)
{
	json_t *a = json_array();
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s", s);
	char *save = NULL;
	for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		json_array_append_new(a, json_string(w));
	return a;
}

static json_t *side(const struct report *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "source", json_string(source_kind_name(r->src.kind)));
	json_object_set_new(o, "file", r->src.file ? json_string(r->src.file) : json_null());
	enum pvh_path p = report_common_path(r);
	json_object_set_new(o, "path", p == _PATH_MAX ? json_null() : json_string(pvh_path_name(p)));
	return o;
}

int render_compare_json(FILE *f, const struct comparison *c)
{
	static const char *const change_names[] = { "only_a", "only_b", "changed" };
	json_t *doc = json_object();
	json_object_set_new(doc, "schema", json_string("pvhprobe-compare/1"));
	json_object_set_new(doc, "a", side(c->a));
	json_object_set_new(doc, "b", side(c->b));
	json_object_set_new(doc, "paths_differ", json_boolean(c->paths_differ));
	json_t *models = json_object();
	for (unsigned i = 0; i < c->nmodels; i++) {
		const struct cmp_model *m = &c->models[i];
		json_t *o = json_object();
		json_object_set_new(o, "path_a", json_string(pvh_path_name(m->path_a)));
		json_object_set_new(o, "path_b", json_string(pvh_path_name(m->path_b)));
		json_object_set_new(o, "outcome_a", json_string(outcome_name(m->outcome_a)));
		json_object_set_new(o, "outcome_b", json_string(outcome_name(m->outcome_b)));
		json_object_set_new(o, "differs", json_boolean(m->differs));
		json_object_set_new(models, m->name, o);
	}
	json_object_set_new(doc, "models", models);
	json_t *ranges = json_array();
	for (unsigned i = 0; i < c->nranges; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "change", json_string(change_names[c->ranges[i].change]));
		json_object_set_new(o, "base", json_integer(c->ranges[i].base));
		json_object_set_new(o, "a", range_json(c->ranges[i].a));
		json_object_set_new(o, "b", range_json(c->ranges[i].b));
		json_array_append_new(ranges, o);
	}
	json_object_set_new(doc, "hypervisors", ranges);
	json_t *fields = json_array();
	for (unsigned i = 0; i < c->nfields; i++) {
		const struct cmp_field *d = &c->fields[i];
		json_t *o = json_object();
		json_object_set_new(o, "base", json_integer(d->base));
		json_object_set_new(o, "vendor", json_string(d->vendor));
		json_object_set_new(o, "key", json_string(d->key));
		json_object_set_new(o, "a", json_string(d->a));
		json_object_set_new(o, "b", json_string(d->b));
		json_object_set_new(o, "added", words(d->added));
		json_object_set_new(o, "removed", words(d->removed));
		json_array_append_new(fields, o);
	}
	json_object_set_new(doc, "hypervisor_features", fields);
	json_t *cpu = json_array();
	for (unsigned i = 0; i < c->ncpu; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "what", json_string(c->cpu[i].what));
		json_object_set_new(o, "a", json_string(c->cpu[i].a));
		json_object_set_new(o, "b", json_string(c->cpu[i].b));
		json_array_append_new(cpu, o);
	}
	json_object_set_new(doc, "cpu", cpu);
	json_object_set_new(doc, "cpu_features_added", words(c->features_added));
	json_object_set_new(doc, "cpu_features_removed", words(c->features_removed));
	json_t *ev = json_object();
	json_object_set_new(ev, "entry_a", json_string(c->entry_a));
	json_object_set_new(ev, "entry_b", json_string(c->entry_b));
	json_object_set_new(ev, "vmm_a", json_string(c->vmm_a));
	json_object_set_new(ev, "vmm_b", json_string(c->vmm_b));
	json_object_set_new(doc, "evidence", ev);
	if (c->a->entry || c->b->entry) {
		json_t *pe = json_array();
		for (unsigned i = 0; i < c->nentry; i++) {
			json_t *o = json_object();
			json_object_set_new(o, "what", json_string(c->entry[i].what));
			json_object_set_new(o, "a", json_string(c->entry[i].a));
			json_object_set_new(o, "b", json_string(c->entry[i].b));
			json_array_append_new(pe, o);
		}
		json_object_set_new(doc, "probe_entry", pe);
	}
	json_t *lv = json_object();
	json_object_set_new(lv, "differ", json_integer(c->leaves_differ));
	json_object_set_new(lv, "only_a", json_integer(c->leaves_only_a));
	json_object_set_new(lv, "only_b", json_integer(c->leaves_only_b));
	json_object_set_new(doc, "leaves", lv);
	int rc = json_dumpf(doc, f, JSON_INDENT(2));
	fputc('\n', f);
	json_decref(doc);
	return rc;
}
