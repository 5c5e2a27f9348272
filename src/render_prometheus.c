/* render_prometheus.c - the report as Prometheus text exposition format
 * (version 0.0.4), for node_exporter's textfile collector: write it to
 * /var/lib/prometheus/node-exporter/pvhprobe.prom (atomically: a temporary
 * file, then mv) and a fleet reports through the Prometheus stack.
 *
 * Label values from CPUID or firmware go through escape_c() (printable
 * ASCII), then the format's own escaping of backslash and double quote. */
#include "render.h"

#include <string.h>

#include "render_escape.h"

/* A label value: prom-escaped copy of an already printable string. */
static void lv(char *out, size_t len, const char *s)
{
	size_t k = 0;
	for (; *s && k + 3 < len; s++) {
		if (*s == '\\' || *s == '"')
			out[k++] = '\\';
		if (*s == '\n') {
			out[k++] = '\\';
			out[k++] = 'n';
			continue;
		}
		out[k++] = *s;
	}
	out[k] = '\0';
}

static void help(FILE *f, const char *name, const char *text)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, text, name);
}

void render_prometheus(FILE *f, const struct report *r, const struct render_opts *o)
{
	char a[256], b[256], c[256];
	enum pvh_path cp = report_common_path(r);
	const struct evidence *ev = r->ev;
	const struct hv_range *first = NULL;
	for (unsigned i = 0; i < r->scan.n && !first; i++)
		if (r->scan.ranges[i].cls == RANGE_HYPERVISOR)
			first = &r->scan.ranges[i];

	help(f, "pvhprobe_info",
	     "pvhprobe's answer: the PVH path every counted kernel model predicts (mixed when they differ), the first hypervisor, the VMM (under Xen: Xen, with the hardware underneath) and how this kernel was entered.");
	fprintf(f, "pvhprobe_info{path=\"%s\",hypervisor=\"%s\",vmm=\"%s\",hardware=\"%s\",entry=\"%s\",source=\"%s\",version=\"%s\"} 1\n",
		cp == _PATH_MAX ? "mixed" : pvh_path_name(cp), first ? (first->known ? first->known->id : "unknown") : "",
		ev && ev->vmm.vmm ? ev->vmm.vmm->id : "", ev && ev->vmm.hardware ? ev->vmm.hardware->id : "",
		ev ? entry_protocol_name(ev->entry) : "",
		source_kind_name(r->src.kind), o->version);

	help(f, "pvhprobe_model_path", "The PVH path and outcome a kernel model predicts here: one series per model, value 1.");
	for (unsigned i = 0; i < r->nmodels; i++) {
		const struct model_result *m = &r->models[i];
		fprintf(f, "pvhprobe_model_path{model=\"%s\",path=\"%s\",outcome=\"%s\",hypervisor=\"%s\"} 1\n", m->desc->name,
			pvh_path_name(m->path), outcome_name(m->outcome),
			m->hypervisor == _HV_VENDOR_INVALID ? "" : hv_vendor_id(m->hypervisor));
	}
	if (ev) {
		help(f, "pvhprobe_model_verdict",
		     "Whether this kernel's own boot evidence confirms a model's prediction (agree, disagree, not_applicable, unknown).");
		for (unsigned i = 0; i < r->nmodels; i++)
			fprintf(f, "pvhprobe_model_verdict{model=\"%s\",status=\"%s\"} 1\n", r->models[i].desc->name,
				verdict_name(r->verdicts[i].v));
	}
	help(f, "pvhprobe_hypervisor_range", "A hypervisor range found by the 256-base CPUID scan: one series per base.");
	for (unsigned i = 0; i < r->scan.n; i++) {
		const struct hv_range *hr = &r->scan.ranges[i];
		if (hr->cls != RANGE_HYPERVISOR)
			continue;
		char sig[64];
		escape_c(hr->sig, sizeof(hr->sig), sig, sizeof(sig));
		lv(a, sizeof(a), sig);
		snprintf(b, sizeof(b), "0x%08x", hr->base);
		snprintf(c, sizeof(c), "0x%08x", hr->r.eax);
		fprintf(f, "pvhprobe_hypervisor_range{base=\"%s\",vendor=\"%s\",signature=\"%s\",max_leaf=\"%s\"} 1\n", b,
			hr->known ? hr->known->id : "unknown", a, c);
	}
	help(f, "pvhprobe_findings", "Findings of this report by severity.");
	for (int sev = 0; sev < _SEV_MAX; sev++) {
		unsigned n = 0;
		for (unsigned i = 0; i < r->nfindings; i++)
			n += (int)r->findings[i].sev == sev;
		fprintf(f, "pvhprobe_findings{severity=\"%s\"} %u\n", severity_name((enum severity)sev), n);
	}
	help(f, "pvhprobe_hypervisor_bit", "CPUID.1:ECX[31], the hypervisor-present bit.");
	fprintf(f, "pvhprobe_hypervisor_bit %d\n", r->cpu.hypervisor_bit);
	help(f, "pvhprobe_cpuid_executions", "CPUID executions this run made (each leaf at most once).");
	fprintf(f, "pvhprobe_cpuid_executions %lu\n", r->lt->executions);
	if (r->timing) {
		help(f, "pvhprobe_cpuid_seconds", "Median cost of one CPUID here (a VM exit in a guest), from --timing.");
		fprintf(f, "pvhprobe_cpuid_seconds %.9f\n", (double)r->timing->median_ns / 1e9);
	}
}
