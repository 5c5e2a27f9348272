/* render_vcpus.c - the --all-cpus result, for the text and JSON renderers.
 * Every object key here is pvhprobe's own ASCII (a literal, a decoder's
 * field name, a model name, an ACPI table name), never input: keys are
 * set with json_object_set_new_nocheck(), without jansson's UTF-8 scan. */
#include "render.h"

static const char *const reg_names[4] = { "eax", "ebx", "ecx", "edx" };

void render_vcpus_text(FILE *f, const struct report *r)
{
	const struct vcpus *v = r->vcpus;
	if (!v)
		return;
	fprintf(f, "CPUs compared: %u of %u (", v->ncpus, v->online);
	for (unsigned i = 0; i < v->ncpus && i < 16; i++)
		fprintf(f, "%s%d", i ? "," : "", v->cpus[i]);
	fprintf(f, "%s): %s\n", v->ncpus > 16 ? ",..." : "",
		v->ndiffs_total ? "LEAVES DIFFER" : "the same leaves everywhere (APIC and vCPU ids aside)");
	for (unsigned i = 0; i < v->ndiffs; i++) {
		const struct vcpu_diff *d = &v->diffs[i];
		const uint32_t w[4] = { d->want.eax, d->want.ebx, d->want.ecx, d->want.edx };
		const uint32_t g[4] = { d->got.eax, d->got.ebx, d->got.ecx, d->got.edx };
		for (int k = 0; k < 4; k++)
			if (w[k] != g[k])
				fprintf(f, "  leaf 0x%08x/%#x %s: CPU %d 0x%08x, CPU %d 0x%08x\n", d->leaf, d->subleaf, reg_names[k],
					v->ref_cpu, w[k], d->cpu, g[k]);
	}
	if (v->ndiffs_total > v->ndiffs)
		fprintf(f, "  ... %u more\n", v->ndiffs_total - v->ndiffs);
}

static json_t *regs_json(const struct cpuid_regs *r)
{
	json_t *o = json_object();
	json_object_set_new_nocheck(o, "eax", json_integer(r->eax));
	json_object_set_new_nocheck(o, "ebx", json_integer(r->ebx));
	json_object_set_new_nocheck(o, "ecx", json_integer(r->ecx));
	json_object_set_new_nocheck(o, "edx", json_integer(r->edx));
	return o;
}

json_t *render_vcpus_json(const struct report *r)
{
	const struct vcpus *v = r->vcpus;
	if (!v)
		return json_null();
	json_t *o = json_object();
	json_object_set_new_nocheck(o, "reference_cpu", json_integer(v->ref_cpu));
	json_t *cpus = json_array();
	for (unsigned i = 0; i < v->ncpus; i++)
		json_array_append_new(cpus, json_integer(v->cpus[i]));
	json_object_set_new_nocheck(o, "compared", cpus);
	json_object_set_new_nocheck(o, "online", json_integer(v->online));
	json_object_set_new_nocheck(o, "restricted", json_boolean(v->restricted));
	json_object_set_new_nocheck(o, "differences_total", json_integer(v->ndiffs_total));
	json_t *diffs = json_array();
	for (unsigned i = 0; i < v->ndiffs; i++) {
		const struct vcpu_diff *d = &v->diffs[i];
		json_t *x = json_object();
		json_object_set_new_nocheck(x, "cpu", json_integer(d->cpu));
		json_object_set_new_nocheck(x, "leaf", json_integer(d->leaf));
		json_object_set_new_nocheck(x, "subleaf", json_integer(d->subleaf));
		json_object_set_new_nocheck(x, "reference", regs_json(&d->want));
		json_object_set_new_nocheck(x, "value", regs_json(&d->got));
		json_array_append_new(diffs, x);
	}
	json_object_set_new_nocheck(o, "differences", diffs);
	json_object_set_new_nocheck(o, "cpuid_executions", json_integer((json_int_t)v->executions));
	return o;
}
