/* render_env.c - shell variables for provisioning scripts.
 *
 * Every line is NAME=VALUE with VALUE single-quoted by shell_quote(), so
 * `eval "$(pvhprobe --format=env)"` is safe whatever bytes the CPUID leaves
 * hold. Names are stable and documented in pvhprobe(1). */
#include "render.h"

#include <ctype.h>
#include <string.h>

#include "render_escape.h"

void render_env_var(FILE *f, const char *name, const char *value)
{
	char q[4 * RENDER_ENV_VALUE_MAX + 3];
	shell_quote(value, q, sizeof(q));
	fprintf(f, "PVHPROBE_%s=%s\n", name, q);
}

static void varu(FILE *f, const char *name, unsigned long v)
{
	char b[32];
	snprintf(b, sizeof(b), "%lu", v);
	render_env_var(f, name, b);
}

static void varx(FILE *f, const char *name, uint32_t v)
{
	char b[32];
	snprintf(b, sizeof(b), "0x%08x", v);
	render_env_var(f, name, b);
}

/* "freebsd-14.0" -> "FREEBSD_14_0" */
static void env_name(const char *in, char *out, size_t len)
{
	size_t k = 0;
	for (; *in && k + 1 < len; in++)
		out[k++] = isalnum((unsigned char)*in) ? (char)toupper((unsigned char)*in) : '_';
	out[k] = '\0';
}

void render_env(FILE *f, const struct report *r, const struct render_opts *o)
{
	(void)o;
	char name[96], val[512];
	render_env_var(f, "SCHEMA", "pvhprobe/2");
	render_env_var(f, "SOURCE", source_kind_name(r->src.kind));
	render_env_var(f, "HYPERVISOR_BIT", r->cpu.hypervisor_bit ? "1" : "0");
	enum pvh_path cp = report_common_path(r);
	render_env_var(f, "PATH", cp == _PATH_MAX ? "mixed" : pvh_path_name(cp));

	const struct scan *s = &r->scan;
	const struct hv_range *first = NULL;
	size_t k = 0;
	val[0] = '\0';
	unsigned idx = 0;
	for (unsigned i = 0; i < s->n; i++) {
		const struct hv_range *hr = &s->ranges[i];
		if (hr->cls != RANGE_HYPERVISOR)
			continue;
		if (!first)
			first = hr;
		const char *id = hr->known ? hr->known->id : "unknown";
		int n = snprintf(val + k, sizeof(val) - k, "%s%s", k ? " " : "", id);
		if (n > 0 && (size_t)n < sizeof(val) - k)
			k += (size_t)n;
		char sig[64];
		escape_c(hr->sig, sizeof(hr->sig), sig, sizeof(sig));
		snprintf(name, sizeof(name), "HV%u_BASE", idx);
		varx(f, name, hr->base);
		snprintf(name, sizeof(name), "HV%u_MAX_LEAF", idx);
		varx(f, name, hr->r.eax);
		snprintf(name, sizeof(name), "HV%u_VENDOR", idx);
		render_env_var(f, name, id);
		snprintf(name, sizeof(name), "HV%u_SIGNATURE", idx);
		render_env_var(f, name, sig);
		idx++;
	}
	varu(f, "HV_COUNT", idx);
	render_env_var(f, "HYPERVISORS", val);
	render_env_var(f, "HYPERVISOR", first ? (first->known ? first->known->id : "unknown") : "");

	k = 0;
	val[0] = '\0';
	for (unsigned i = 0; i < r->nmodels; i++) {
		const struct model_result *m = &r->models[i];
		int n = snprintf(val + k, sizeof(val) - k, "%s%s", k ? " " : "", m->desc->name);
		if (n > 0 && (size_t)n < sizeof(val) - k)
			k += (size_t)n;
		char up[64];
		env_name(m->desc->name, up, sizeof(up));
		snprintf(name, sizeof(name), "MODEL_%s_PATH", up);
		render_env_var(f, name, pvh_path_name(m->path));
		snprintf(name, sizeof(name), "MODEL_%s_OUTCOME", up);
		render_env_var(f, name, outcome_name(m->outcome));
		snprintf(name, sizeof(name), "MODEL_%s_HYPERVISOR", up);
		render_env_var(f, name, m->hypervisor == _HV_VENDOR_INVALID ? "" : hv_vendor_id(m->hypervisor));
	}
	render_env_var(f, "MODELS", val);
	const struct evidence *ev = r->ev;
	render_env_var(f, "ENTRY", ev ? entry_protocol_name(ev->entry) : "");
	render_env_var(f, "OBSERVED_PATH", ev && ev->observed_path != _PATH_INVALID ? pvh_path_name(ev->observed_path) : "");
	render_env_var(f, "VMM", ev && ev->vmm.vmm ? ev->vmm.vmm->id : "");
	render_env_var(f, "VMM_HARDWARE", ev && ev->vmm.hardware ? ev->vmm.hardware->id : "");
	for (unsigned i = 0; ev && i < r->nmodels; i++) {
		char up[64];
		env_name(r->models[i].desc->name, up, sizeof(up));
		snprintf(name, sizeof(name), "VERDICT_%s", up);
		render_env_var(f, name, verdict_name(r->verdicts[i].v));
	}
	if (r->vcpus) {
		varu(f, "VCPUS_COMPARED", r->vcpus->ncpus);
		varu(f, "VCPU_DIFFERENCES", r->vcpus->ndiffs_total);
	}
	int sev = report_max_severity(r);
	render_env_var(f, "MAX_SEVERITY", sev < 0 ? "" : severity_name((enum severity)sev));
	varu(f, "CPUID_EXECUTIONS", r->lt->executions);
	if (r->timing)
		varu(f, "CPUID_MEDIAN_NS", (unsigned long)r->timing->median_ns);
	render_entry_env(f, r);
}
