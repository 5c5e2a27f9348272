/* model.h - kernel models: what a kernel's PVH entry would decide.
 *
 * A model is a pure function of the leaf table: it reads leaves in the
 * kernel's own order (through lt_get, so the leaves it reads are in the
 * report) and returns the path, the outcome, a decision trace, hazards and
 * the hypervisor that kernel then believes it runs on. One file per model;
 * models.c holds the table. Models never print. */
#ifndef PVHPROBE_MODEL_H
#define PVHPROBE_MODEL_H

#include "leaftab.h"
#include "path.h"
#include "sigtab.h"

enum outcome {
	OUTCOME_BOOTS,          /* the PVH entry completes on this path */
	OUTCOME_DEGRADED,       /* boots, without what the path promised */
	OUTCOME_CRASH,          /* dies in the PVH entry code */
	_OUTCOME_MAX,
	_OUTCOME_INVALID = -1,
};

enum severity {
	SEV_INFO,
	SEV_WARNING,
	SEV_CRITICAL,
	_SEV_MAX,
	_SEV_INVALID = -1,
};

/* The kernel family a model belongs to: whose evidence can check it. */
enum os_family {
	OS_LINUX,
	OS_FREEBSD,
	OS_NETBSD,
	_OS_FAMILY_MAX,
	_OS_FAMILY_INVALID = -1,
};

/* Names both ways (strtab.h); _from_name() gives _INVALID for an unknown name. */
const char *os_family_name(enum os_family f);
enum os_family os_family_from_name(const char *s);
const char *outcome_name(enum outcome o);
enum outcome outcome_from_name(const char *s);
const char *severity_name(enum severity s);
enum severity severity_from_name(const char *s);

/* The MSRs Xen hands out in base+2 EBX for its hypercall page: 0x40000000,
 * or 0x40000200 when Viridian's MSRs occupy 0x40000000 (xen-project/xen
 * xen/include/public/arch-x86/cpuid.h; QEMU's Xen emulation over KVM uses
 * the same two). The Linux, FreeBSD and NetBSD models treat any other value as an
 * MSR the VMM does not implement: the WRMSR raises #GP. */
#define XEN_HYPERCALL_MSR 0x40000000u
#define XEN_HYPERCALL_MSR_VIRIDIAN 0x40000200u

static inline bool is_xen_hypercall_msr(uint32_t msr)
{
	return msr == XEN_HYPERCALL_MSR || msr == XEN_HYPERCALL_MSR_VIRIDIAN;
}

#define TRACE_MAX 40
#define HAZARD_MAX 8
#define CONDITION_MAX 4

struct trace_step {
	bool has_leaf;
	uint32_t leaf;       /* first leaf read at this step */
	uint32_t leaf_last;  /* last leaf of a run of bases (== leaf if one) */
	char text[TEXT_MAX];
};

/* What a model's outcome assumes and CPUID cannot show, each with a stable
 * id. Those about start_info are decided when the facts are known (the
 * probe guest reads them at the entry; model_apply_facts()); the others
 * stay unknown. */
enum pvh_condition {
	COND_START_INFO_MAGIC,   /* magic 0x336ec578: every kernel BUG()s or halts otherwise */
	COND_MEMMAP_ENTRIES,     /* version >= 1 and memmap_entries != 0: Linux's generic path */
	COND_MEMMAP_PADDR,       /* version >= 1 and memmap_paddr != 0: FreeBSD without hypercalls */
	COND_MODLIST,            /* not (modlist_paddr != 0 and nr_modules == 0): FreeBSD */
	COND_XEN_PHYSMAP,        /* XENMEM_add_to_physmap maps shared_info (real Xen) */
	COND_XEN_MEMORY_MAP,     /* the XENMEM_memory_map hypercall answers (real Xen) */
	COND_WRMSR_GP,           /* a WRMSR to an unimplemented MSR raises #GP */
	COND_XEN_VERSION,        /* the xen_version hypercall answers (real Xen): NetBSD */
	_COND_MAX,
	_COND_INVALID = -1,
};

enum cond_state {
	COND_UNKNOWN,            /* not decided: userland reports, or not about start_info */
	COND_HOLDS,
	COND_FAILS,
	_COND_STATE_MAX,
	_COND_STATE_INVALID = -1,
};

const char *pvh_condition_name(enum pvh_condition c);
enum pvh_condition pvh_condition_from_name(const char *s);
const char *cond_state_name(enum cond_state s);
enum cond_state cond_state_from_name(const char *s);

/* The start_info facts the conditions read (layout: xen-project/xen
 * xen/include/public/arch-x86/hvm/start_info.h). */
struct pvh_facts {
	uint32_t magic, version, nr_modules, memmap_entries;
	uint64_t modlist_paddr, memmap_paddr;
};

struct model_condition {
	enum pvh_condition id;
	enum cond_state state;
	char text[TEXT_MAX];
};

struct hazard {
	const char *id;      /* stable snake_case id */
	enum severity sev;
	char text[TEXT_MAX];
};

struct model_result {
	const struct model_desc *desc;
	enum pvh_path path;
	enum outcome outcome;
	unsigned ntrace, nhazards, nconditions;
	/* What did not fit in the arrays below, counted (the report shows the
	 * counts): nothing is dropped silently. */
	unsigned trace_dropped, hazards_dropped, conditions_dropped;
	enum hv_vendor hypervisor;     /* the one the kernel believes in; INVALID: none */
	uint32_t hypervisor_base;      /* its base leaf, 0 if none */
	const char *platform;          /* the kernel's own name for it (vm_guest, x86_hyper_type) */
	uint32_t xen_base;             /* the Xen base the path used, 0 if none */
	bool facts_applied;            /* model_apply_facts() decided the conditions */
	bool counted;                  /* counts for the headline path, the
					* disagreement finding and --expect */
	/* From here on only text arrays (models.c asserts it): model_run()
	 * zeroes every member above and leaves these to be written as far as
	 * they are used; they are read only up to their counts. */
	char reason[TEXT_MAX];         /* one line: why this path and outcome */
	struct model_condition conditions[CONDITION_MAX]; /* what the outcome assumes */
	struct hazard hazards[HAZARD_MAX];
	struct trace_step trace[TRACE_MAX];
};

struct model_desc {
	const char *name;     /* "linux", "freebsd", ... */
	const char *kernels;  /* which releases carry this code */
	const char *source;   /* files and functions modelled */
	enum os_family os;    /* whose evidence can check it */
	void (*run)(struct leaftab *t, struct model_result *m);
	bool always_xen;      /* predates the Xen/non-Xen split: left out of
			       * the disagreement finding, reported on its own */
};

/* The model table: FreeBSD, then Linux, each newest first. */
const struct model_desc *models_all(unsigned *n);
const struct model_desc *model_find(const char *name);
void model_run(const struct model_desc *d, struct leaftab *t, struct model_result *m);

/* Helpers for model files. */
/* Helpers for model files; text goes through the core's formatter (fmt.h).
 * A step, hazard or condition past its array's end is counted in *_dropped. */
void trace_add(struct model_result *m, bool has_leaf, uint32_t leaf, const char *fmt, ...) _printf_(4, 5);
void trace_add_run(struct model_result *m, uint32_t first, uint32_t last, const char *fmt, ...) _printf_(4, 5);
void hazard_add(struct model_result *m, const char *id, enum severity sev, const char *fmt, ...) _printf_(4, 5);
void condition_add(struct model_result *m, enum pvh_condition id, const char *fmt, ...) _printf_(3, 4);

/* Decides the model's start_info conditions from the facts: each one holds
 * or fails (the others stay unknown), and a failed one makes the outcome a
 * crash, the reason saying which. Sets facts_applied. */
void model_apply_facts(struct model_result *m, const struct pvh_facts *f);
void reason_set(struct model_result *m, const char *fmt, ...) _printf_(2, 3);

/* Escaped signature of a base leaf, for trace text ("KVMKVMKVM\0\0\0"). */
void sig_text(const struct cpuid_regs *r, char *out, size_t outlen);

/* The scan loop the kernels share: bases 0x40000000..0x4000ff00 in order,
 * first base whose 12 signature bytes equal sig and, when min_leaves != 0,
 * whose (EAX - base) >= min_leaves in unsigned 32-bit arithmetic. Returns the
 * base or 0, and traces the bases it read (runs of non-matching bases are
 * one step; m == NULL scans quietly). what names the kernel function for the
 * trace. */
uint32_t model_sig_scan(struct model_result *m, struct leaftab *t, const char *what,
			const uint8_t sig[CPUID_SIG_LEN], uint32_t min_leaves);

/* CPUID.1:ECX[31], the hypervisor-present bit. */
bool cpuid_hypervisor_bit(struct leaftab *t);

#endif
