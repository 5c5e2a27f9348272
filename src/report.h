/* report.h - the one data model every renderer reads.
 *
 * report_build() runs the stages in order (CPU identity, scan and decoders,
 * the selected models, findings) over one leaf table. Renderers only read a
 * built report. */
#ifndef PVHPROBE_REPORT_H
#define PVHPROBE_REPORT_H

#include "report_cpuinfo.h"
#include "dump.h"
#include "evidence.h"
#include "source_timing.h"
#include "source_vcpus.h"
#include "core/model.h"
#include "core/scan.h"

#define REPORT_MODELS_MAX 8
#define FINDINGS_MAX 32

struct finding {
	const char *id;
	enum severity sev;
	char text[TEXT_MAX];
};

struct report_source {
	enum source_kind kind;
	const char *file;          /* dump path, NULL for live sources */
	enum dump_format format;   /* for SOURCE_DUMP */
	int cpu;                   /* CPU number, -1 unknown */
	const struct dump *dump;   /* for its notes; NULL for live sources */
};

enum verdict {
	VERDICT_AGREE,          /* the model predicted the path the kernel took */
	VERDICT_DISAGREE,
	VERDICT_NOT_APPLICABLE, /* no PVH entry here, or another OS's model */
	VERDICT_UNKNOWN,        /* the evidence does not say */
	_VERDICT_MAX,
};

const char *verdict_name(enum verdict v);

struct model_verdict {
	enum verdict v;
	char text[TEXT_MAX];
};

struct report {
	struct report_source src;
	const struct evidence *ev;  /* NULL: no evidence read (a dump without --sysroot) */
	const struct vcpus *vcpus;  /* NULL unless --all-cpus */
	const struct timing *timing; /* NULL unless --timing on a live source */
	struct model_verdict verdicts[REPORT_MODELS_MAX];
	struct cpuinfo cpu;
	struct scan scan;
	struct model_result models[REPORT_MODELS_MAX];
	unsigned nmodels;
	struct finding findings[FINDINGS_MAX];
	unsigned nfindings;
	unsigned findings_dropped; /* past FINDINGS_MAX: counted, shown */
	struct leaftab *lt;        /* every leaf read */
	/* A probe guest's console capture (-i CONSOLE.LOG): what the VMM
	 * handed the probe at its PVH entry; NULL for other inputs. */
	const struct probe_entry *entry;
	const struct vmm_row *entry_vmm;   /* named by its ACPI facts (Xen under Xen), or NULL */
	char entry_vmm_how[TEXT_MAX];
	const struct vmm_row *entry_hardware; /* under Xen: what the ACPI facts name, or NULL */
	char entry_hardware_how[TEXT_MAX];
};

/* models: the selection, in the order given. named[i] (may be NULL) says
 * model i was asked for by name: a model that predates the Xen/non-Xen split
 * (always_xen) counts for the headline path, the disagreement finding and
 * --expect only then, or when it is the only kind selected. lean: nothing
 * will be shown (-q with --expect=xen|generic), so the CPU is not identified
 * beyond the hypervisor bit. */
void report_build(struct report *r, struct leaftab *t, const struct report_source *src,
		  const struct model_desc *const *models, unsigned nmodels, const bool *named,
		  const struct evidence *ev, bool lean);

/* A Xen PV guest: plain is the scan of what the plain CPUID instruction
 * shows; a finding compares it with Xen's view the report is built on. */
void report_add_plain_view(struct report *r, const struct scan *plain);

/* Attaches the --all-cpus result and its findings. */
void report_add_vcpus(struct report *r, const struct vcpus *v);

/* The path every counted model takes, or _PATH_MAX when they differ. */
enum pvh_path report_common_path(const struct report *r);

/* Highest finding severity, or -1 with none. */
int report_max_severity(const struct report *r);

#endif
