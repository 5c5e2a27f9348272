/* compare.h - what differs between two reports, grouped the way a person
 * asks: does any kernel model decide differently, which hypervisor ranges
 * and decoded features changed, which CPU and feature flags changed, how
 * many raw leaves differ. Builds a diff model; renderers print it. */
#ifndef PVHPROBE_COMPARE_H
#define PVHPROBE_COMPARE_H

#include "report.h"

#define CMP_MAX 64
#define CMP_TEXT 200

struct cmp_model {
	const char *name;
	enum pvh_path path_a, path_b;
	enum outcome outcome_a, outcome_b;
	bool differs;
};

enum cmp_change {
	CMP_ONLY_A,
	CMP_ONLY_B,
	CMP_CHANGED,
};

struct cmp_range {
	enum cmp_change change;
	uint32_t base;
	const struct hv_range *a, *b;
};

struct cmp_field {
	uint32_t base;
	const char *vendor;
	const char *key;
	char a[CMP_TEXT], b[CMP_TEXT];      /* the values (escaped text) */
	char added[CMP_TEXT], removed[CMP_TEXT]; /* flag words: names */
};

struct cmp_cpu {
	const char *what;                   /* "vendor", "brand", "family", ... */
	char a[CMP_TEXT], b[CMP_TEXT];
};

struct comparison {
	const struct report *a, *b;
	struct cmp_model models[REPORT_MODELS_MAX];
	unsigned nmodels;
	bool paths_differ;                  /* a model's path or outcome differs */
	struct cmp_range ranges[CMP_MAX];
	unsigned nranges;
	struct cmp_field fields[CMP_MAX];
	unsigned nfields;
	struct cmp_cpu cpu[8];
	unsigned ncpu;
	char features_added[1024], features_removed[1024]; /* libcpuid flag names */
	unsigned leaves_differ, leaves_only_a, leaves_only_b;
	char entry_a[32], entry_b[32], vmm_a[32], vmm_b[32];
	/* Probe guest captures (report.entry): what the VMM handed the probe,
	 * where the two differ; "-" for a side that is no capture. */
	struct cmp_cpu entry[16];
	unsigned nentry;
};

void compare_reports(const struct report *a, const struct report *b, struct comparison *c);

#endif
