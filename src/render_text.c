/* render_text.c - the human report: the answer first.
 *
 * Default: findings of warning severity and above, the source line, the
 * hypervisors, and one line per model. -v adds every decoded field, each
 * model's reason, conditions, hazards and decision trace, and info
 * findings. Every byte that came from CPUID goes through escape_c(). */
#include "render.h"

#include <string.h>

#include "render_escape.h"
#include "core/model.h"

static const char *source_desc(const struct report *r, char *buf, size_t len)
{
	switch (r->src.kind) {
	case SOURCE_INSN:
		snprintf(buf, len, "the CPUID instruction on CPU %d", r->src.cpu);
		break;
	case SOURCE_DEV:
		snprintf(buf, len, "/dev/cpu/%d/cpuid", r->src.cpu);
		break;
	case SOURCE_XEN_PV:
		snprintf(buf, len, "Xen's CPUID view on CPU %d (a Xen PV guest: the forced-emulation prefix)", r->src.cpu);
		break;
	default: {
		/* A file name can hold any byte but NUL and '/'. */
		char name[256];
		snprintf(buf, len, "%s (%s dump, CPU %d)", escape_name(r->src.file ? r->src.file : "?", name, sizeof(name)),
			 dump_format_name(r->src.format), r->src.cpu);
		break;
	}
	}
	return buf;
}

/* notes: false prints warnings and worse, true prints the info ones. */
static void print_findings(FILE *f, const struct report *r, bool notes)
{
	for (unsigned i = 0; i < r->nfindings; i++) {
		const struct finding *fd = &r->findings[i];
		if ((fd->sev == SEV_INFO) != notes)
			continue;
		fprintf(f, "%s: %s\n", fd->sev == SEV_CRITICAL ? "CRITICAL" : fd->sev == SEV_WARNING ? "warning" : "note",
			fd->text);
	}
	if (!notes && r->findings_dropped)
		fprintf(f, "warning: %u more findings not kept (the report keeps %u)\n", r->findings_dropped,
			FINDINGS_MAX);
}

static void print_range(FILE *f, const struct hv_range *hr, bool verbose)
{
	char sig[64];
	escape_c(hr->sig, sizeof(hr->sig), sig, sizeof(sig));
	fprintf(f, "  0x%08x  %-26s \"%s\"  max leaf 0x%08x%s\n", hr->base,
		hr->known ? hr->known->name : "unknown hypervisor", sig, hr->r.eax,
		hr->eax_in_range ? "" : " (outside its range)");
	for (unsigned i = 0; hr->details && i < hr->details->n; i++) {
		const struct field *fd = &hr->details->f[i];
		/* Short form: the fields people look for first. */
		if (!verbose && fd->type == FT_FLAGS && strcmp(fd->key, "features") != 0 &&
		    strcmp(fd->key, "hvm_features") != 0)
			continue;
		char val[512];
		fields_value_text(fd, val, sizeof(val));
		fprintf(f, "              %-22s %s\n", fd->key, val);
	}
}

void render_text(FILE *f, const struct report *r, const struct render_opts *o)
{
	char buf[512];
	enum pvh_path cp = report_common_path(r);
	if (r->nmodels && cp != _PATH_MAX)
		fprintf(f, "PVH path: %s\n", pvh_path_name(cp));
	else if (r->nmodels)
		fprintf(f, "PVH path: kernels differ (see paths)\n");
	print_findings(f, r, false);
	render_evidence_summary(f, r);
	render_entry_text(f, r, o->verbose);
	render_vcpus_text(f, r);
	const struct cpuinfo *ci = &r->cpu;
	char vendor[64], brand[200];
	escape_c(ci->vendor, sizeof(ci->vendor), vendor, sizeof(vendor));
	escape_c(ci->brand, ci->brand_len, brand, sizeof(brand));
	fprintf(f, "source: %s\n", source_desc(r, buf, sizeof(buf)));
	fprintf(f, "cpu: %s%s%s", vendor, ci->brand_len ? ", " : "", brand);
	if (ci->identified)
		fprintf(f, " (family %#x model %#x stepping %d)", ci->family, ci->model, ci->stepping);
	fprintf(f, "; hypervisor bit %s\n", ci->hypervisor_bit ? "set" : "clear");

	const struct scan *s = &r->scan;
	if (s->nhyp == 0) {
		fprintf(f, "hypervisors: none in 0x40000000..0x4000ff00\n");
	} else {
		fprintf(f, "hypervisors:\n");
		for (unsigned i = 0; i < s->n; i++)
			if (s->ranges[i].cls == RANGE_HYPERVISOR)
				print_range(f, &s->ranges[i], o->verbose);
	}
	if (s->n > s->nhyp) {
		unsigned cnt[_RANGE_CLASS_MAX] = { 0 };
		for (unsigned i = 0; i < s->n; i++)
			cnt[s->ranges[i].cls]++;
		fprintf(f, "other bases:");
		const char *sep = " ";
		for (unsigned c = RANGE_REPEAT; c < _RANGE_CLASS_MAX; c++) {
			if (!cnt[c])
				continue;
			fprintf(f, "%s%u %s", sep, cnt[c], range_class_name((enum range_class)c));
			sep = ", ";
		}
		fprintf(f, " (not hypervisor ranges%s)\n", o->verbose ? "" : "; -v lists them");
	}
	if (o->verbose) {
		/* Runs of bases with the same class and values are one line. */
		for (unsigned i = 0; i < s->n;) {
			const struct hv_range *hr = &s->ranges[i];
			if (hr->cls == RANGE_HYPERVISOR) {
				i++;
				continue;
			}
			unsigned j = scan_run_end(s, i);
			char sig[64];
			escape_c(hr->sig, sizeof(hr->sig), sig, sizeof(sig));
			if (j - i == 1)
				fprintf(f, "  0x%08x  ", hr->base);
			else
				fprintf(f, "  0x%08x..0x%08x (%u bases)  ", hr->base, s->ranges[j - 1].base, j - i);
			fprintf(f, "%s eax=0x%08x \"%s\"", range_class_name(hr->cls), hr->r.eax, sig);
			if (hr->cls == RANGE_REPEAT)
				fprintf(f, " (same as 0x%08x)", hr->repeat_of);
			fputc('\n', f);
			i = j;
		}
	}

	fprintf(f, "paths:\n");
	for (unsigned i = 0; i < r->nmodels; i++) {
		const struct model_result *m = &r->models[i];
		fprintf(f, "  %-15s %-8s %-9s %s\n", m->desc->name, pvh_path_name(m->path), outcome_name(m->outcome),
			m->reason);
		if (!o->verbose)
			continue;
		fprintf(f, "      kernels: %s\n", m->desc->kernels);
		fprintf(f, "      believes: %s", m->platform ? m->platform : "-");
		if (m->hypervisor != _HV_VENDOR_INVALID && m->hypervisor_base)
			fprintf(f, " (%s at %#x)", hv_vendor_id(m->hypervisor), m->hypervisor_base);
		fputc('\n', f);
		for (unsigned k = 0; k < m->nconditions; k++) {
			if (m->facts_applied && m->conditions[k].state != COND_UNKNOWN)
				fprintf(f, "      assumes [%s]: %s\n", cond_state_name(m->conditions[k].state),
					m->conditions[k].text);
			else
				fprintf(f, "      assumes: %s\n", m->conditions[k].text);
		}
		if (m->conditions_dropped)
			fprintf(f, "      assumes: ... (%u more conditions not kept)\n", m->conditions_dropped);
		for (unsigned k = 0; k < m->nhazards; k++)
			fprintf(f, "      %s: %s\n", severity_name(m->hazards[k].sev), m->hazards[k].text);
		if (m->hazards_dropped)
			fprintf(f, "      ... (%u more hazards not kept)\n", m->hazards_dropped);
		fprintf(f, "      trace (%s):\n", m->desc->source);
		for (unsigned k = 0; k < m->ntrace; k++)
			fprintf(f, "        %2u. %s\n", k + 1, m->trace[k].text);
		if (m->trace_dropped)
			fprintf(f, "        ... (trace truncated: %u more steps not kept)\n", m->trace_dropped);
	}
	if (r->timing)
		fprintf(f, "cpuid cost: median %llu ns (min %llu, p90 %llu) over %u executions of leaf 0x%08x\n",
			(unsigned long long)r->timing->median_ns, (unsigned long long)r->timing->min_ns,
			(unsigned long long)r->timing->p90_ns, r->timing->samples, r->timing->leaf);
	if (o->verbose) {
		render_evidence_details(f, r);
		print_findings(f, r, true);
		fprintf(f, "cpuid: %lu executions, %zu distinct leaves\n", r->lt->executions, r->lt->cache.n);
	}
}

void render_list(FILE *f)
{
	fprintf(f, "signatures:\n");
	const struct hv_sig *rows = sigtab_rows();
	for (unsigned i = 0; i < sigtab_n(); i++) {
		char sig[64];
		escape_c(rows[i].sig, CPUID_SIG_LEN, sig, sizeof(sig));
		fprintf(f, "  %-11s %-31s \"%s\"\n", rows[i].id, rows[i].name, sig);
	}
	fprintf(f, "models:\n");
	unsigned n;
	const struct model_desc *m = models_all(&n);
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "  %-15s %s\n", m[i].name, m[i].kernels);
}
