/* report.c - building the report and its findings. */
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/escape.h"
#include "dump_probe_console.h"
#include "report_entry.h"

__attribute__((format(printf, 4, 5))) static void finding(struct report *r, const char *id, enum severity sev,
							  const char *fmt, ...)
{
	if (r->nfindings >= FINDINGS_MAX) {
		r->findings_dropped++;
		return;
	}
	struct finding *f = &r->findings[r->nfindings++];
	f->id = id;
	f->sev = sev;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
}

/* Where models differ in path or outcome: the finding users most need.
 * Models that predate the Xen/non-Xen split take the Xen path everywhere;
 * their crash on a non-Xen VMM is a finding of its own. */
static void find_disagreement(struct report *r)
{
	const struct model_result *first = NULL;
	bool differ = false;
	for (unsigned i = 0; i < r->nmodels; i++) {
		const struct model_result *m = &r->models[i];
		if (!m->counted) {
			if (m->outcome == OUTCOME_CRASH)
				finding(r, "legacy_kernel_crashes", SEV_INFO, "%s (%s) treats every PVH boot as Xen and would crash here",
					m->desc->name, m->desc->kernels);
			continue;
		}
		if (!first)
			first = m;
		else if (m->path != first->path || m->outcome != first->outcome)
			differ = true;
	}
	if (!differ)
		return;
	char buf[TEXT_MAX];
	size_t k = 0;
	bool crash = false;
	for (unsigned i = 0; i < r->nmodels && k < sizeof(buf); i++) {
		const struct model_result *m = &r->models[i];
		if (!m->counted)
			continue;
		crash |= m->outcome == OUTCOME_CRASH;
		int n = snprintf(buf + k, sizeof(buf) - k, "%s%s %s/%s", k ? ", " : "", m->desc->name,
				 pvh_path_name(m->path), outcome_name(m->outcome));
		if (n < 0)
			break;
		k += (size_t)n;
	}
	finding(r, "models_disagree", crash ? SEV_CRITICAL : SEV_WARNING, "kernels decide differently: %s", buf);
}

static const char *const verdict_names[_VERDICT_MAX] = {
	[VERDICT_AGREE] = "agree",
	[VERDICT_DISAGREE] = "disagree",
	[VERDICT_NOT_APPLICABLE] = "not_applicable",
	[VERDICT_UNKNOWN] = "unknown",
};

const char *verdict_name(enum verdict v)
{
	return (unsigned)v < _VERDICT_MAX ? verdict_names[v] : "unknown";
}

/* Does the kernel's own evidence confirm the model's prediction? Only the
 * Linux model can be checked: the evidence is what a Linux kernel leaves. */
static void judge(struct report *r)
{
	const struct evidence *ev = r->ev;
	for (unsigned i = 0; i < r->nmodels; i++) {
		const struct model_result *m = &r->models[i];
		struct model_verdict *v = &r->verdicts[i];
		if (m->desc->os != OS_LINUX) {
			v->v = VERDICT_NOT_APPLICABLE;
			snprintf(v->text, sizeof(v->text), "the evidence comes from a Linux kernel; it cannot check a %s model",
				 os_family_name(m->desc->os));
			continue;
		}
		switch (ev->entry) {
		case ENTRY_PVH:
		case ENTRY_PVH_XEN:
			/* A model that predates the Xen/non-Xen split (linux-4.11)
			 * cannot be this kernel when it took the generic path:
			 * those releases have none (docs/rules-linux.md 2.6). */
			if (m->desc->always_xen && ev->observed_path == PATH_GENERIC) {
				v->v = VERDICT_NOT_APPLICABLE;
				snprintf(v->text, sizeof(v->text),
					 "this kernel took the generic path, which %s (%.120s) does not have: it is a later kernel",
					 m->desc->name, m->desc->kernels);
				break;
			}
			v->v = m->path == ev->observed_path ? VERDICT_AGREE : VERDICT_DISAGREE;
			snprintf(v->text, sizeof(v->text), "predicted %s, the kernel took the %s path (%.150s)",
				 pvh_path_name(m->path), pvh_path_name(ev->observed_path), ev->entry_why);
			break;
		case ENTRY_LINUX_BOOT:
		case ENTRY_XEN_PV:
			v->v = VERDICT_NOT_APPLICABLE;
			snprintf(v->text, sizeof(v->text), "this kernel did not enter through PVH (%.180s)", ev->entry_why);
			break;
		default:
			v->v = VERDICT_UNKNOWN;
			snprintf(v->text, sizeof(v->text), "the entry path is unknown (%.190s)", ev->entry_why);
			break;
		}
		if (v->v == VERDICT_DISAGREE)
			finding(r, "verdict_disagree", SEV_CRITICAL,
				"the %s model predicts the %s path, but this kernel took the %s path: the model or the evidence is wrong, please report it",
				m->desc->name, pvh_path_name(m->path), pvh_path_name(ev->observed_path));
	}
	if (ev->contradiction)
		finding(r, "evidence_contradiction", SEV_WARNING, "%s", ev->contradiction_text);
	if (ev->vmm.acpi_needs_root && !ev->vmm.vmm)
		finding(r, "acpi_needs_root", SEV_INFO, "the ACPI table headers that name the VMM are readable by root only");
}

/* A probe console capture: the VMM its ACPI names, the ABI errors the
 * probe found, and whether the probe's own models (the core it was built
 * with) agree with this build's. */
static void entry_findings(struct report *r)
{
	const struct probe_entry *e = r->entry;
	uint32_t xen_base = 0;
	for (unsigned i = 0; i < r->scan.n && !xen_base; i++) {
		const struct hv_range *hr = &r->scan.ranges[i];
		if (hr->cls == RANGE_HYPERVISOR && hr->known && strcmp(hr->known->id, "xen") == 0)
			xen_base = hr->base;
	}
	struct vmm_evidence v;
	report_entry_vmm(e, xen_base, &v);
	r->entry_vmm = v.vmm;
	snprintf(r->entry_vmm_how, sizeof(r->entry_vmm_how), "%s", v.how);
	r->entry_hardware = v.hardware;
	snprintf(r->entry_hardware_how, sizeof(r->entry_hardware_how), "%s", v.hardware_how);
	if (e->errors)
		finding(r, "probe_abi_errors", SEV_WARNING,
			"the probe guest found %u PVH ABI error%s at its entry (see entry)", e->errors,
			e->errors == 1 ? "" : "s");
	for (unsigned i = 0; i < e->nmodels; i++) {
		const struct probe_model *pm = &e->models[i];
		for (unsigned k = 0; k < r->nmodels; k++) {
			const struct model_result *m = &r->models[k];
			if (strcmp(m->desc->name, pm->name) != 0)
				continue;
			if (strcmp(pvh_path_name(m->path), pm->path) != 0 || strcmp(outcome_name(m->outcome), pm->outcome) != 0)
				finding(r, "probe_model_differs", SEV_WARNING,
					"the probe guest's %s model predicted %s/%s, this pvhprobe predicts %s/%s from the same leaves: the probe was built from another version",
					pm->name, pm->path, pm->outcome, pvh_path_name(m->path), outcome_name(m->outcome));
		}
	}
}

void report_build(struct report *r, struct leaftab *t, const struct report_source *src,
		  const struct model_desc *const *models, unsigned nmodels, const bool *named,
		  const struct evidence *ev, bool lean)
{
	/* Not memset(r): scan, models[] and findings[] (180 kB) are initialised
	 * by scan_run(), model_run() and finding() as far as they are used, so
	 * pages nothing writes are never faulted in. */
	r->src = *src;
	r->lt = t;
	r->ev = ev && ev->collected ? ev : NULL;
	r->vcpus = NULL;
	r->timing = NULL;
	memset(r->verdicts, 0, sizeof(r->verdicts));
	r->nmodels = 0;
	r->nfindings = 0;
	r->entry = src->dump ? src->dump->entry : NULL;
	r->entry_vmm = NULL;
	r->entry_vmm_how[0] = '\0';
	r->entry_hardware = NULL;
	cpuinfo_read(t, &r->cpu, !lean);
	scan_run(t, &r->scan);
	if (nmodels > REPORT_MODELS_MAX)
		nmodels = REPORT_MODELS_MAX;
	bool only_legacy = true;
	for (unsigned i = 0; i < nmodels; i++)
		only_legacy &= models[i]->always_xen;
	/* A probe capture knows the start_info the VMM handed over: the
	 * models' conditions on it are decided, and a failed one is a crash. */
	const struct dump *dp = src->dump;
	for (unsigned i = 0; i < nmodels; i++) {
		model_run(models[i], t, &r->models[i]);
		if (dp && dp->have_facts)
			model_apply_facts(&r->models[i], &dp->facts);
		r->models[i].counted = !models[i]->always_xen || only_legacy || (named && named[i]);
	}
	r->nmodels = nmodels;

	find_disagreement(r);
	if (r->ev)
		judge(r);
	const struct scan *s = &r->scan;
	for (unsigned i = 0; i < s->n; i++) {
		const struct hv_range *hr = &s->ranges[i];
		if (hr->cls != RANGE_HYPERVISOR)
			continue;
		const struct field *root = range_field(hr, "root_partition");
		if (root && root->u)
			finding(r, "hyperv_root_partition", SEV_WARNING,
				"the Hyper-V range at %#x grants CreatePartitions: this is the root partition (the host's own view), not a guest",
				hr->base);
		if (!hr->known) {
			char esc[64];
			escape_c(hr->sig, sizeof(hr->sig), esc, sizeof(esc));
			finding(r, "unknown_signature", SEV_INFO, "unknown hypervisor signature \"%s\" at %#x", esc, hr->base);
		}
	}
	if (s->nhyp && !r->cpu.hypervisor_bit)
		finding(r, "hypervisor_bit_clear", SEV_WARNING,
			"a hypervisor range answers but CPUID.1:ECX[31] is clear: the kernels' PVH scans still see it, FreeBSD's identcpu and Linux's platform detection mostly do not");
	if (!s->nhyp && r->cpu.hypervisor_bit)
		finding(r, "hypervisor_bit_without_range", SEV_WARNING,
			"CPUID.1:ECX[31] is set but no base answers with a hypervisor range: a Xen PV guest (user-space CPUID is not intercepted) or a VMM hiding its signature");
	unsigned echo = 0, noise = 0, rep = 0;
	for (unsigned i = 0; i < s->n; i++) {
		echo += s->ranges[i].cls == RANGE_ECHO;
		noise += s->ranges[i].cls == RANGE_NOISE;
		rep += s->ranges[i].cls == RANGE_REPEAT;
	}
	if (echo)
		finding(r, "scan_echo", SEV_INFO,
			"%u base%s answer with the highest basic leaf's values (Intel's rule past the maximum leaf; QEMU TCG does the same): not hypervisors",
			echo, echo == 1 ? "" : "s");
	if (rep)
		finding(r, "scan_repeat", SEV_INFO, "%u base%s repeat a lower hypervisor range (old bhyve did this): not further hypervisors", rep,
			rep == 1 ? "" : "s");
	if (noise)
		finding(r, "scan_noise", SEV_INFO, "%u base%s hold non-zero values that are no hypervisor range", noise,
			noise == 1 ? "" : "s");
	if (r->entry)
		entry_findings(r);
	if (r->src.dump) {
		const struct dump *d = r->src.dump;
		for (unsigned i = 0; i < d->nnotes; i++) {
			if (d->notes[i].line == 0) /* carried over from a JSON report */
				finding(r, "dump_note", SEV_WARNING, "%s", d->notes[i].text);
			else
				finding(r, "dump_note", SEV_WARNING, "%s:%u: %s", r->src.file ? r->src.file : "input",
					d->notes[i].line, d->notes[i].text);
		}
		if (d->notes_dropped)
			finding(r, "dump_note", SEV_WARNING, "%u more such notes", d->notes_dropped);
	}
	if (s->not_recorded)
		finding(r, "bases_not_recorded", r->cpu.hypervisor_bit ? SEV_WARNING : SEV_INFO,
			"the dump did not record %u of the 256 bases; they read as zero, so a hypervisor there cannot be seen",
			s->not_recorded);
	if (t->err)
		finding(r, "source_error", SEV_CRITICAL, "reading CPUID failed at leaf %#x subleaf %#x (%s); such leaves read as zero",
			t->err_leaf, t->err_subleaf, strerror(-t->err));
}

/* "Xen at 0x40000000, KVM at 0x40000100" or "no hypervisor range". */
static void ranges_text(const struct scan *s, char *out, size_t outlen)
{
	size_t k = 0;
	out[0] = '\0';
	for (unsigned i = 0; i < s->n && k < outlen; i++) {
		const struct hv_range *hr = &s->ranges[i];
		if (hr->cls != RANGE_HYPERVISOR)
			continue;
		char esc[64];
		escape_c(hr->sig, sizeof(hr->sig), esc, sizeof(esc));
		int w = snprintf(out + k, outlen - k, "%s\"%s\" at %#x", k ? ", " : "", esc, hr->base);
		if (w < 0)
			break;
		k += (size_t)w;
	}
	if (!out[0])
		snprintf(out, outlen, "no hypervisor range");
}

void report_add_plain_view(struct report *r, const struct scan *plain)
{
	char emu[200], pl[200];
	ranges_text(&r->scan, emu, sizeof(emu));
	ranges_text(plain, pl, sizeof(pl));
	bool same = plain->n == r->scan.n;
	for (unsigned i = 0; same && i < plain->n; i++)
		same = plain->ranges[i].base == r->scan.ranges[i].base &&
		       regs_equal(&plain->ranges[i].r, &r->scan.ranges[i].r);
	finding(r, "xen_pv_cpuid_views", same ? SEV_INFO : SEV_WARNING,
		"Xen PV guest: the models use Xen's CPUID view (forced emulation, as xen_cpuid(): %s); "
		"the plain CPUID instruction shows %s%s",
		emu, pl, same ? " (the same bases)" : "");
}

void report_add_vcpus(struct report *r, const struct vcpus *v)
{
	r->vcpus = v;
	if (v->ndiffs_total)
		finding(r, "vcpu_leaves_differ", SEV_WARNING,
			"%u leaf value%s between CPUs (APIC and vCPU ids aside): a VMM bug, or a guest that sees different CPUs",
			v->ndiffs_total, v->ndiffs_total == 1 ? " differs" : "s differ");
	if (v->restricted)
		finding(r, "cpuset_restricted", SEV_INFO,
			"this process may run on %u of the %u online CPUs (a cpuset or affinity mask): the others were not probed",
			v->ncpus, v->online);
	if (v->failed_cpu >= 0)
		finding(r, "vcpu_probe_failed", SEV_WARNING, "CPU %d could not be probed: %s", v->failed_cpu, v->failed_why);
}

enum pvh_path report_common_path(const struct report *r)
{
	enum pvh_path p = _PATH_MAX;
	for (unsigned i = 0; i < r->nmodels; i++) {
		if (!r->models[i].counted)
			continue;
		if (p == _PATH_MAX)
			p = r->models[i].path;
		else if (r->models[i].path != p)
			return _PATH_MAX;
	}
	return p;
}

int report_max_severity(const struct report *r)
{
	int m = -1;
	for (unsigned i = 0; i < r->nfindings; i++)
		if ((int)r->findings[i].sev > m)
			m = (int)r->findings[i].sev;
	return m;
}
