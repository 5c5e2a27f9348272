/* test_models.c - each kernel model on each scenario, against the kernel
 * rules (docs/rules-linux.md, docs/rules-freebsd.md, docs/rules-netbsd.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/model.h"
#include "core/model_freebsd_identcpu.h"
#include "core/scan.h"
#include "report.h"
#include "scenarios.h"

struct want {
	const char *model;
	enum pvh_path path;
	enum outcome outcome;
	const char *hypervisor; /* vendor id, or NULL for none */
	uint32_t hypervisor_base;
};

struct mcase {
	const char *name;
	const struct trow *rows;
	void (*fill)(struct trow *rows);
	struct want want[8];
	const char *hazard;  /* a hazard id some model must raise, or NULL */
	const char *finding; /* a report finding id that must be present, or NULL */
};

static void fill_baremetal(struct trow *rows) { sc_fill_echo(rows, 0, false); }
static void fill_tcg(struct trow *rows) { sc_fill_echo(rows, 1, true); }

#define G PATH_GENERIC
#define X PATH_XEN
#define BOOTS OUTCOME_BOOTS
#define CRASH OUTCOME_CRASH
#define DEGR OUTCOME_DEGRADED

static const struct mcase cases[] = {
	{ "xen hvm", sc_xen_hvm, NULL,
	  { { "freebsd", X, BOOTS, "xen", 0x40000000 }, { "freebsd-14.0", X, BOOTS, "xen", 0x40000000 },
	    { "freebsd-legacy", X, BOOTS, "xen", 0x40000000 }, { "linux", X, BOOTS, "xen", 0x40000000 },
	    { "linux-5.0", X, BOOTS, "xen", 0x40000000 }, { "linux-4.11", X, BOOTS, "xen", 0x40000000 },
	    { "netbsd", X, BOOTS, "xen", 0x40000000 } } },
	/* Viridian: FreeBSD 14.0's identcpu stops at Hyper-V; D43508 scans on. */
	{ "xen behind viridian", sc_xen_viridian, NULL,
	  { { "freebsd", X, BOOTS, "xen", 0x40000100 }, { "freebsd-14.0", X, BOOTS, "hyperv", 0x40000000 },
	    { "freebsd-legacy", X, BOOTS, "hyperv", 0x40000000 }, { "linux", X, BOOTS, "xen", 0x40000100 },
	    { "linux-5.0", X, BOOTS, "xen", 0x40000100 }, { "linux-4.11", X, BOOTS, "xen", 0x40000100 },
	    { "netbsd", G, DEGR, NULL, 0 } } },
	{ "kvm behind hyper-v enlightenments", sc_kvm_hyperv, NULL,
	  { { "freebsd", G, BOOTS, "kvm", 0x40000100 }, { "freebsd-14.0", G, BOOTS, "hyperv", 0x40000000 },
	    { "freebsd-legacy", X, CRASH, "xen", 0 }, { "linux", G, BOOTS, "kvm", 0x40000100 },
	    { "linux-5.0", G, BOOTS, "kvm", 0x40000100 }, { "linux-4.11", X, CRASH, "xen", 0 },
	    { "netbsd", G, BOOTS, NULL, 0 } },
	  NULL, "legacy_kernel_crashes" },
	/* Linux takes the Xen PVH path but KVM's larger base wins the platform. */
	{ "qemu xen emulation", sc_qemu_xen_emu, NULL,
	  { { "freebsd", X, BOOTS, "xen", 0x40000000 }, { "freebsd-14.0", X, BOOTS, "xen", 0x40000000 },
	    { "freebsd-legacy", X, BOOTS, "xen", 0x40000000 }, { "linux", X, BOOTS, "kvm", 0x40000100 },
	    { "linux-5.0", X, BOOTS, "kvm", 0x40000100 }, { "linux-4.11", X, BOOTS, "kvm", 0x40000100 },
	    { "netbsd", X, BOOTS, "xen", 0x40000000 } },
	  "xen_path_other_platform", NULL },
	/* The divergence D35801 left: isxen() ignores EAX, Linux does not. */
	{ "xen eax=base+1", sc_xen_eax_plus1, NULL,
	  { { "freebsd", X, DEGR, "xen", 0x40000000 }, { "freebsd-14.0", X, CRASH, "xen", 0x40000000 },
	    { "freebsd-legacy", X, CRASH, "xen", 0 }, { "linux", G, BOOTS, NULL, 0 },
	    { "linux-5.0", G, BOOTS, NULL, 0 }, { "linux-4.11", X, CRASH, "xen", 0 },
	    { "netbsd", X, CRASH, "xen", 0x40000000 } },
	  "xen_signature_too_few_leaves", "models_disagree" },
	/* The boundary itself: base+2 is enough for Linux (a model needing
	 * base+3 passed every other case). */
	{ "xen eax=base+2", sc_xen_eax_plus2, NULL, { { "linux", X, BOOTS, "xen", 0x40000000 } } },
	{ "xen base+2 eax=2", sc_xen_pages2, NULL,
	  { { "freebsd", G, DEGR, NULL, 0 }, { "freebsd-14.0", X, CRASH, "xen", 0x40000000 },
	    { "freebsd-legacy", X, CRASH, "xen", 0 }, { "linux", X, BOOTS, "xen", 0x40000000 },
	    { "linux-5.0", X, BOOTS, "xen", 0x40000000 }, { "linux-4.11", X, BOOTS, "xen", 0x40000000 },
	    { "netbsd", X, BOOTS, "xen", 0x40000000 } },
	  "xen_hypercall_pages_not_1", "models_disagree" },
	{ "xen only at 0x4000ff00", sc_xen_last_base, NULL,
	  { { "freebsd", X, BOOTS, "xen", 0x4000ff00 }, { "freebsd-14.0", X, BOOTS, "xen", 0x4000ff00 },
	    { "freebsd-legacy", X, BOOTS, "xen", 0x4000ff00 }, { "linux", X, BOOTS, "xen", 0x4000ff00 },
	    { "linux-5.0", X, BOOTS, "xen", 0x4000ff00 }, { "linux-4.11", X, BOOTS, "xen", 0x4000ff00 },
	    { "netbsd", G, DEGR, NULL, 0 } } },
	{ "xen at 0x40010000, outside the scan", sc_outside_scan, NULL,
	  { { "freebsd", G, BOOTS, NULL, 0 }, { "freebsd-14.0", G, BOOTS, NULL, 0 },
	    { "freebsd-legacy", X, CRASH, "xen", 0 }, { "linux", G, BOOTS, NULL, 0 },
	    { "linux-5.0", G, BOOTS, NULL, 0 }, { "linux-4.11", X, CRASH, "xen", 0 },
	    { "netbsd", G, BOOTS, NULL, 0 } } },
	{ "bare-metal intel echo", NULL, fill_baremetal,
	  { { "freebsd", G, BOOTS, NULL, 0 }, { "freebsd-14.0", G, BOOTS, NULL, 0 },
	    { "freebsd-legacy", X, CRASH, "xen", 0 }, { "linux", G, BOOTS, NULL, 0 },
	    { "linux-5.0", G, BOOTS, NULL, 0 }, { "linux-4.11", X, CRASH, "xen", 0 },
	    { "netbsd", G, BOOTS, NULL, 0 } },
	  NULL, "scan_echo" },
	{ "old bhyve repetition", NULL, sc_fill_bhyve,
	  { { "freebsd", G, BOOTS, "bhyve", 0x40000000 }, { "freebsd-14.0", G, BOOTS, "bhyve", 0x40000000 },
	    { "freebsd-legacy", X, CRASH, "xen", 0 }, { "linux", G, BOOTS, "bhyve", 0x40000000 },
	    { "linux-5.0", G, BOOTS, "bhyve", 0x40000000 }, { "linux-4.11", X, CRASH, "xen", 0 },
	    { "netbsd", G, BOOTS, NULL, 0 } },
	  NULL, "scan_repeat" },
	{ "old kvm eax=0", sc_old_kvm, NULL,
	  { { "freebsd", G, BOOTS, "kvm", 0x40000000 }, { "freebsd-14.0", G, BOOTS, "kvm", 0x40000000 },
	    { "freebsd-legacy", X, CRASH, "xen", 0 }, { "linux", G, BOOTS, "kvm", 0x40000000 },
	    { "linux-5.0", G, BOOTS, "kvm", 0x40000000 }, { "linux-4.11", X, CRASH, "xen", 0 },
	    { "netbsd", G, BOOTS, NULL, 0 } } },
	{ "hostile signature", sc_hostile, NULL,
	  { { "freebsd", G, BOOTS, NULL, 0 }, { "freebsd-14.0", G, BOOTS, NULL, 0 },
	    { "freebsd-legacy", X, CRASH, "xen", 0 }, { "linux", G, BOOTS, NULL, 0 },
	    { "linux-5.0", G, BOOTS, NULL, 0 }, { "linux-4.11", X, CRASH, "xen", 0 },
	    { "netbsd", G, BOOTS, NULL, 0 } },
	  NULL, "unknown_signature" },
	/* Linux's u32 EAX-base wraps and accepts; FreeBSD's identcpu skips the
	 * base (EAX < base), so the newest FreeBSD never sets Xen up. */
	{ "xen eax below base", sc_xen_eax_below, NULL,
	  { { "freebsd", G, BOOTS, NULL, 0 }, { "freebsd-14.0", X, BOOTS, NULL, 0 },
	    { "freebsd-legacy", X, BOOTS, NULL, 0 }, { "linux", X, BOOTS, "xen", 0x40000100 },
	    { "linux-5.0", X, BOOTS, "xen", 0x40000100 }, { "linux-4.11", X, BOOTS, "xen", 0x40000100 },
	    { "netbsd", G, DEGR, NULL, 0 } },
	  NULL, "models_disagree" },
	{ "xen with the hypervisor bit clear", sc_xen_hvbit_clear, NULL,
	  { { "freebsd", G, BOOTS, NULL, 0 }, { "freebsd-14.0", X, BOOTS, NULL, 0 },
	    { "freebsd-legacy", X, BOOTS, NULL, 0 }, { "linux", X, BOOTS, "xen", 0x40000000 },
	    { "linux-5.0", X, BOOTS, "xen", 0x40000000 }, { "linux-4.11", X, BOOTS, "xen", 0x40000000 },
	    { "netbsd", G, DEGR, NULL, 0 } },
	  "xen_signature_hypervisor_bit_clear", "hypervisor_bit_clear" },
	{ "qemu tcg -cpu max", NULL, fill_tcg,
	  { { "freebsd", G, BOOTS, NULL, 0 }, { "freebsd-14.0", G, BOOTS, NULL, 0 },
	    { "freebsd-legacy", X, CRASH, "xen", 0 }, { "linux", G, BOOTS, NULL, 0 },
	    { "linux-5.0", G, BOOTS, NULL, 0 }, { "linux-4.11", X, CRASH, "xen", 0 },
	    { "netbsd", G, BOOTS, NULL, 0 } },
	  NULL, "scan_echo" },
	{ "hyper-v without the required MSRs", sc_hyperv_no_msrs, NULL,
	  { { "freebsd", G, BOOTS, "hyperv", 0x40000000 }, { "freebsd-14.0", G, BOOTS, "hyperv", 0x40000000 },
	    { "freebsd-legacy", X, CRASH, "xen", 0 }, { "linux", G, BOOTS, NULL, 0 },
	    { "linux-5.0", G, BOOTS, NULL, 0 }, { "linux-4.11", X, CRASH, "xen", 0 },
	    { "netbsd", G, BOOTS, NULL, 0 } } },
	{ "kvm (firecracker)", sc_kvm, NULL,
	  { { "freebsd", G, BOOTS, "kvm", 0x40000000 }, { "freebsd-14.0", G, BOOTS, "kvm", 0x40000000 },
	    { "freebsd-legacy", X, CRASH, "xen", 0 }, { "linux", G, BOOTS, "kvm", 0x40000000 },
	    { "linux-5.0", G, BOOTS, "kvm", 0x40000000 }, { "linux-4.11", X, CRASH, "xen", 0 },
	    { "netbsd", G, BOOTS, NULL, 0 } } },
	/* Linux before XSA-466 writes the hypercall page to base+2 EBX's MSR
	 * before any IDT: a non-Xen MSR triple-faults; 6.13+ does not read it.
	 * FreeBSD's hammer_time_xen() (14.0, legacy) does the same with a
	 * plain wrmsr, and so does xen_early_init() (15.0) from
	 * identify_hypervisor(), which hammer_time() runs before its lidt(). */
	{ "xen base+2 ebx not xen's msr", sc_xen_bad_msr, NULL,
	  { { "linux", X, BOOTS, "xen", 0x40000000 }, { "linux-5.0", X, CRASH, "xen", 0x40000000 },
	    { "linux-4.11", X, CRASH, "xen", 0x40000000 }, { "freebsd-14.0", X, CRASH, "xen", 0x40000000 },
	    { "freebsd", X, CRASH, "xen", 0x40000000 },
	    { "freebsd-legacy", X, CRASH, "xen", 0x40000000 },
	    { "netbsd", X, CRASH, "xen", 0x40000000 } },
	  "xen_hypercall_msr_unusual", "models_disagree" },
	/* Linux 4.11-4.20 on a non-Xen VMM: leaf 2 EBX as the MSR index. */
	{ "linux 4.11 on kvm, intel leaf 2", sc_kvm_leaf2, NULL,
	  { { "linux", G, BOOTS, "kvm", 0x40000000 }, { "linux-5.0", G, BOOTS, "kvm", 0x40000000 },
	    { "linux-4.11", X, CRASH, "xen", 0 },
	    { "netbsd", G, BOOTS, NULL, 0 } },
	  NULL, "legacy_kernel_crashes" },
	/* ... and when that WRMSR happens to work, the hypercall still kills it. */
	{ "linux 4.11, leaf 2 ebx = xen's msr", sc_kvm_leaf2_xen_msr, NULL,
	  { { "linux", G, BOOTS, "kvm", 0x40000000 }, { "linux-4.11", X, CRASH, "xen", 0 } },
	  NULL, "legacy_kernel_crashes" },
	/* NetBSD compares EBX of 0x40000000 only: "XenV" is enough for its
	 * Xen path, and base+2 EBX (0 here) is its hypercall MSR. */
	{ "xenv in ebx only", sc_xenv_ebx_only, NULL,
	  { { "netbsd", X, CRASH, "xen", 0x40000000 }, { "linux", G, BOOTS, NULL, 0 },
	    { "freebsd-14.0", G, BOOTS, NULL, 0 } },
	  "xen_signature_ebx_only", "models_disagree" },
	/* No leaf 1: NetBSD's entry stops before the hypervisor leaves. */
	{ "xen without leaf 1", sc_xen_no_leaf1, NULL, { { "netbsd", G, DEGR, NULL, 0 } },
	  "xen_signature_hypervisor_bit_clear", NULL },
};

static bool hazard_in(const struct model_result *m, const char *id)
{
	for (unsigned k = 0; k < m->nhazards; k++)
		if (strcmp(m->hazards[k].id, id) == 0)
			return true;
	return false;
}

static bool has_hazard(const struct report *r, const char *id)
{
	for (unsigned i = 0; i < r->nmodels; i++)
		if (hazard_in(&r->models[i], id))
			return true;
	return false;
}

static bool has_finding(const struct report *r, const char *id)
{
	for (unsigned i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].id, id) == 0)
			return true;
	return false;
}

static struct report rep;

static void run_case(const struct mcase *c)
{
	struct trow big[ECHO_ROWS > BHYVE_ROWS ? ECHO_ROWS : BHYVE_ROWS];
	const struct trow *rows = c->rows;
	if (c->fill) {
		c->fill(big);
		rows = big;
	}
	struct tcpu cpu;
	tcpu_load(&cpu, rows);
	unsigned n;
	const struct model_desc *all = models_all(&n);
	const struct model_desc *sel[8];
	assert_true(n <= ARRAY_SIZE(sel));
	for (unsigned i = 0; i < n; i++)
		sel[i] = &all[i];
	struct report_source rs = { .kind = SOURCE_DUMP, .cpu = 0 };
	report_build(&rep, &cpu.lt, &rs, sel, n, NULL, NULL, false);
	for (unsigned w = 0; w < ARRAY_SIZE(c->want) && c->want[w].model; w++) {
		const struct want *want = &c->want[w];
		const struct model_result *m = NULL;
		for (unsigned i = 0; i < rep.nmodels; i++)
			if (strcmp(rep.models[i].desc->name, want->model) == 0)
				m = &rep.models[i];
		if (!m)
			fail_msg("%s: model %s missing", c->name, want->model);
		if (m->path != want->path || m->outcome != want->outcome)
			fail_msg("%s: %s: got %s/%s (%s), want %s/%s", c->name, want->model, pvh_path_name(m->path),
				 outcome_name(m->outcome), m->reason, pvh_path_name(want->path), outcome_name(want->outcome));
		const char *hv = m->hypervisor == _HV_VENDOR_INVALID ? NULL : hv_vendor_id(m->hypervisor);
		if ((hv == NULL) != (want->hypervisor == NULL) || (hv && strcmp(hv, want->hypervisor) != 0))
			fail_msg("%s: %s: believes %s, want %s", c->name, want->model, hv ? hv : "none",
				 want->hypervisor ? want->hypervisor : "none");
		if (want->hypervisor_base && m->hypervisor_base != want->hypervisor_base)
			fail_msg("%s: %s: hypervisor base %#x, want %#x", c->name, want->model, m->hypervisor_base,
				 want->hypervisor_base);
		if (m->ntrace == 0)
			fail_msg("%s: %s: empty trace", c->name, want->model);
	}
	if (c->hazard && !has_hazard(&rep, c->hazard))
		fail_msg("%s: no model raised hazard %s", c->name, c->hazard);
	if (c->finding && !has_finding(&rep, c->finding))
		fail_msg("%s: no finding %s", c->name, c->finding);
	/* Each (leaf, subleaf) reached the source once, whatever the models read. */
	assert_int_equal(cpu.lt.executions, cpu.lt.cache.n);
	tcpu_free(&cpu);
}

static void test_case(void **state)
{
	run_case(*state);
}

/* A model is a pure function of the leaf table: same table, same answer. */
static void test_models_deterministic(void **state)
{
	(void)state;
	struct tcpu cpu;
	tcpu_load(&cpu, sc_xen_viridian);
	unsigned n;
	const struct model_desc *all = models_all(&n);
	for (unsigned i = 0; i < n; i++) {
		struct model_result a, b;
		model_run(&all[i], &cpu.lt, &a);
		model_run(&all[i], &cpu.lt, &b);
		assert_int_equal(a.path, b.path);
		assert_int_equal(a.outcome, b.outcome);
		assert_string_equal(a.reason, b.reason);
		assert_int_equal(a.ntrace, b.ntrace);
	}
	tcpu_free(&cpu);
}

/* Linux's hypervisor_cpuid_base(): first match wins, u32 EAX-base. */
static void test_sig_scan_rules(void **state)
{
	(void)state;
	static const struct trow rows[] = {
		CPU_INTEL(1),
		SIGROW(0x40000000, 0x40000000, XEN), /* EAX = base: 0 leaves, skipped */
		SIGROW(0x40000100, 0x40000101, XEN), /* base+1: skipped */
		SIGROW(0x40000200, 0x40000202, XEN), /* base+2: the first that counts */
		SIGROW(0x40000300, 0x40000305, XEN),
		END_ROWS,
	};
	struct tcpu cpu;
	tcpu_load(&cpu, rows);
	const uint8_t *xen = (const uint8_t *)XEN;
	assert_int_equal(model_sig_scan(NULL, &cpu.lt, "t", xen, 2), 0x40000200);
	assert_int_equal(model_sig_scan(NULL, &cpu.lt, "t", xen, 0), 0x40000000);
	assert_int_equal(model_sig_scan(NULL, &cpu.lt, "t", (const uint8_t *)KVM, 0), 0);
	tcpu_free(&cpu);
}

#define NCASES (ARRAY_SIZE(cases))

static const struct model_result *run_one(struct tcpu *cpu, const struct trow *rows, const char *name,
					  struct model_result *m)
{
	tcpu_load(cpu, rows);
	const struct model_desc *d = model_find(name);
	assert_non_null(d);
	model_run(d, &cpu->lt, m);
	return m;
}

static bool trace_has(const struct model_result *m, const char *text)
{
	for (unsigned i = 0; i < m->ntrace; i++)
		if (strstr(m->trace[i].text, text))
			return true;
	return false;
}

static bool trace_reads(const struct model_result *m, uint32_t leaf)
{
	for (unsigned i = 0; i < m->ntrace; i++)
		if (m->trace[i].has_leaf && m->trace[i].leaf <= leaf && leaf <= m->trace[i].leaf_last)
			return true;
	return false;
}

/* linux-4.11 without Xen: the trace names leaf 2's EBX as the MSR index,
 * and the reason says why it dies. */
static void test_linux_4_11_leaf2_msr(void **state)
{
	(void)state;
	struct tcpu cpu;
	struct model_result m;
	run_one(&cpu, sc_kvm_leaf2, "linux-4.11", &m);
	assert_int_equal(m.path, PATH_XEN);
	assert_int_equal(m.outcome, OUTCOME_CRASH);
	assert_int_equal(m.xen_base, 0);
	assert_true(trace_reads(&m, 2));
	assert_true(trace_has(&m, "basic leaf 2: EBX = 0xf0b5ff is the MSR index"));
	assert_true(trace_has(&m, "MSR 0xf0b5ff is not Xen's hypercall MSR"));
	assert_non_null(strstr(m.reason, "leaf 2 EBX 0xf0b5ff"));
	assert_non_null(strstr(m.reason, "triple fault"));
	tcpu_free(&cpu);
	/* Xen's own MSR by chance: the hypercall, not the WRMSR, kills it. */
	run_one(&cpu, sc_kvm_leaf2_xen_msr, "linux-4.11", &m);
	assert_int_equal(m.outcome, OUTCOME_CRASH);
	assert_non_null(strstr(m.reason, "accepted only by chance"));
	tcpu_free(&cpu);
}

/* On Xen the pre-XSA-466 models read base+2 (EBX, the MSR); the linux
 * model (6.13+) does not read it at all. */
static void test_linux_base2_read(void **state)
{
	(void)state;
	static const char *const pre[] = { "linux-5.0", "linux-4.11" };
	struct tcpu cpu;
	struct model_result m;
	for (unsigned i = 0; i < 2; i++) {
		run_one(&cpu, sc_xen_viridian, pre[i], &m);
		assert_int_equal(m.outcome, OUTCOME_BOOTS);
		assert_true(trace_reads(&m, 0x40000102));
		assert_true(trace_has(&m, "MSR 0x40000200 is Xen's hypercall MSR"));
		tcpu_free(&cpu);
	}
	run_one(&cpu, sc_xen_viridian, "linux", &m);
	assert_false(trace_reads(&m, 0x40000102));
	assert_true(trace_has(&m, "no hypercall-page MSR write"));
	tcpu_free(&cpu);
	/* Only the two MSRs Xen hands out pass; their neighbours do not. */
	static const uint32_t msrs[] = { 0x40000000, 0x40000200, 0x3fffffff, 0x40000001, 0x400001ff, 0x40000201, 0 };
	for (unsigned i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++) {
		const struct trow rows[] = {
			CPU_INTEL(1),
			SIGROW(0x40000000, 0x40000005, XEN),
			LEAF(0x40000002, 1, msrs[i], 0, 0),
			END_ROWS,
		};
		run_one(&cpu, rows, "linux-5.0", &m);
		assert_int_equal(m.outcome, i < 2 ? OUTCOME_BOOTS : OUTCOME_CRASH);
		assert_int_equal(m.path, PATH_XEN);
		tcpu_free(&cpu);
	}
}

/* What does not fit is counted, never dropped silently: exactly the
 * arrays' sizes are kept (model.h). */
static void test_overflow_counted(void **state)
{
	(void)state;
	struct model_result m = { 0 };
	for (unsigned i = 0; i < TRACE_MAX + 2; i++)
		trace_add(&m, false, 0, "step %u", i);
	assert_int_equal(m.ntrace, TRACE_MAX);
	assert_int_equal(m.trace_dropped, 2);
	assert_string_equal(m.trace[TRACE_MAX - 1].text, "step 39");
	for (unsigned i = 0; i < HAZARD_MAX + 1; i++)
		hazard_add(&m, "h", SEV_INFO, "hazard %u", i);
	assert_int_equal(m.nhazards, HAZARD_MAX);
	assert_int_equal(m.hazards_dropped, 1);
	assert_string_equal(m.hazards[HAZARD_MAX - 1].text, "hazard 7");
	for (unsigned i = 0; i < CONDITION_MAX + 1; i++)
		condition_add(&m, COND_WRMSR_GP, "condition %u", i);
	assert_int_equal(m.nconditions, CONDITION_MAX);
	assert_int_equal(m.conditions_dropped, 1);
	assert_string_equal(m.conditions[CONDITION_MAX - 1].text, "condition 3");
}

/* model_sig_scan()'s trace: a single quiet base is one step, a run of them
 * one step with its first and last base, each run's "all zero" or "no
 * signature from the table" its own. */
static void test_sig_scan_trace(void **state)
{
	(void)state;
	static const struct trow rows[] = {
		CPU_INTEL(1),
		LEAF(0x40000000, 0x1234, 0x5678, 0, 0), /* noise: no known signature */
		SIGROW(0x40000100, 0x40000101, KVM),
		END_ROWS,
	};
	struct tcpu cpu;
	tcpu_load(&cpu, rows);
	struct model_result m = { 0 };
	assert_int_equal(model_sig_scan(&m, &cpu.lt, "t", (const uint8_t *)XEN, 2), 0);
	assert_int_equal(m.ntrace, 4);
	assert_string_equal(m.trace[0].text, "cpuid(0x40000000): no signature from the table, no \"XenVMMXenVMM\"");
	assert_true(m.trace[0].has_leaf);
	assert_int_equal(m.trace[0].leaf, 0x40000000);
	assert_int_equal(m.trace[0].leaf_last, 0x40000000);
	assert_string_equal(m.trace[1].text,
			    "cpuid(0x40000100): \"KVMKVMKVM\\0\\0\\0\" (EAX 0x40000101), not the signature t looks for");
	assert_string_equal(m.trace[2].text,
			    "cpuid(0x40000200..0x4000ff00): 254 bases, all zero, no \"XenVMMXenVMM\"");
	assert_int_equal(m.trace[2].leaf, 0x40000200);
	assert_int_equal(m.trace[2].leaf_last, 0x4000ff00);
	assert_false(m.trace[3].has_leaf);
	assert_string_equal(m.trace[3].text, "t: no match in the 256 bases");
	tcpu_free(&cpu);
}

/* freebsd_identcpu() itself, both versions: the vm_cpuids[] rows, the
 * strncmp semantics ("KVMKVMKVM" stops at its NUL), what is recorded, and
 * init_xen (the stopping match was Xen). */
static void test_freebsd_identcpu(void **state)
{
	(void)state;
	static const struct {
		const char *sig;      /* at 0x40000000, EAX 0x40000005 */
		const char *sig2;     /* at 0x40000100, EAX 0x40000101, or NULL */
		enum fb_vm_guest want;
		uint32_t want_base;
		bool init_xen;
	} idcases[] = {
		{ "VMwareVMware", NULL, VM_GUEST_VMWARE, 0x40000000, false },
		{ "VBoxVBoxVBox", NULL, VM_GUEST_VBOX, 0x40000000, false },
		{ "___ NVMM ___", NULL, VM_GUEST_NVMM, 0x40000000, false },
		{ "bhyve bhyve ", NULL, VM_GUEST_BHYVE, 0x40000000, false },
		{ "XenVMMXenVMM", NULL, VM_GUEST_XEN, 0x40000000, true },
		{ "YenVMMXenVMM", NULL, VM_GUEST_VM, 0x40000000, false },  /* byte 0 differs */
		{ "XXXXXXXXXXXX", NULL, VM_GUEST_VM, 0x40000000, false },  /* byte 0 equals Xen's only */
		{ "KVMKVMKVMXYZ", NULL, VM_GUEST_VM, 0x40000000, false },  /* byte 9 must be NUL */
		{ "KVMKVMKVM\0ab", NULL, VM_GUEST_KVM, 0x40000000, false }, /* bytes 10-11 not compared */
		/* Hyper-V, then a range no row names: Hyper-V stays recorded. */
		{ "Microsoft Hv", "unknown sig!", VM_GUEST_HV, 0x40000000, false },
	};
	for (unsigned v = 0; v < 2; v++) {
		for (unsigned i = 0; i < sizeof(idcases) / sizeof(idcases[0]); i++) {
			struct trow rows[] = {
				CPU_INTEL(1),
				SIGROW(0x40000000, 0x40000005, idcases[i].sig),
				idcases[i].sig2 ? (struct trow)SIGROW(0x40000100, 0x40000101, idcases[i].sig2)
					      : (struct trow)END_ROWS,
				END_ROWS,
			};
			struct tcpu cpu;
			tcpu_load(&cpu, rows);
			struct model_result m = { 0 };
			struct fb_identcpu id;
			freebsd_identcpu(&cpu.lt, &m, v ? FB_IDENTCPU_D43508 : FB_IDENTCPU_PRE_D43508, &id);
			if (id.guest != idcases[i].want || id.hv_base != idcases[i].want_base || id.init_xen != idcases[i].init_xen)
				fail_msg("%s (version %u): vm_guest %s at %#x init_xen %d, want %s at %#x init_xen %d",
					 idcases[i].sig, v, fb_vm_guest_name(id.guest), id.hv_base, id.init_xen,
					 fb_vm_guest_name(idcases[i].want), idcases[i].want_base, idcases[i].init_xen);
			/* Only recorded or changing bases are traced; nothing was skipped. */
			for (unsigned k = 0; k < m.ntrace; k++) {
				if (idcases[i].sig2 && strstr(m.trace[k].text, "0x40000100"))
					fail_msg("%s (version %u): traces the unrecorded 0x40000100: %s", idcases[i].sig, v,
						 m.trace[k].text);
				if (strstr(m.trace[k].text, "skipped"))
					fail_msg("%s (version %u): %s", idcases[i].sig, v, m.trace[k].text);
			}
			tcpu_free(&cpu);
		}
	}
	/* Bases answering with EAX below their base are skipped, and counted. */
	struct tcpu cpu;
	static const struct trow echo[] = {
		CPU_INTEL(1),
		LEAF(0x40000000, 0x7, 0x340, 0x340, 0),
		LEAF(0x40000100, 0x7, 0x340, 0x340, 0),
		END_ROWS,
	};
	tcpu_load(&cpu, echo);
	struct model_result m = { 0 };
	struct fb_identcpu id;
	freebsd_identcpu(&cpu.lt, &m, FB_IDENTCPU_D43508, &id);
	assert_int_equal(id.guest, VM_GUEST_VM);
	assert_true(trace_has(&m, "2 non-zero bases skipped: EAX below their base"));
	tcpu_free(&cpu);
	assert_int_equal(fb_vm_guest_vendor(_VM_GUEST_MAX), _HV_VENDOR_INVALID);
	assert_int_equal(fb_vm_guest_vendor(VM_GUEST_NVMM), HV_NVMM);
}

/* The freebsd model names why it ignores a Xen signature. */
static void test_freebsd_xen_signature_hazards(void **state)
{
	(void)state;
	static const struct trow below[] = { /* hypervisor bit set, EAX below base */
		CPU_INTEL(1),
		SIGROW(0x40000100, 0x40000003, XEN),
		END_ROWS,
	};
	static const struct trow bit_clear_eax_base[] = { /* bit clear, EAX = base */
		CPU_INTEL(0),
		SIGROW(0x40000000, 0x40000000, XEN),
		END_ROWS,
	};
	const struct model_desc *d = model_find("freebsd");
	struct tcpu cpu;
	struct model_result m;
	tcpu_load(&cpu, below);
	model_run(d, &cpu.lt, &m);
	assert_int_equal(m.nhazards, 1);
	assert_string_equal(m.hazards[0].id, "xen_signature_not_chosen");
	tcpu_free(&cpu);
	tcpu_load(&cpu, bit_clear_eax_base);
	model_run(d, &cpu.lt, &m);
	assert_int_equal(m.nhazards, 1);
	assert_string_equal(m.hazards[0].id, "xen_signature_hypervisor_bit_clear");
	tcpu_free(&cpu);

	/* Each failure of the hypercall set-up has its own reason and hazard
	 * in the model that meets it (other models raise the same ids). */
	static const struct {
		const struct trow *rows;
		const char *model, *hazard, *reason; /* reason: a part of it */
	} failures[] = {
		{ sc_xen_eax_plus1, "freebsd-14.0", "xen_signature_too_few_leaves", "EAX-base >= 2" },
		{ sc_xen_bad_msr, "freebsd-14.0", "xen_hypercall_msr_unusual", "MSR 0x12345" },
		{ sc_xen_pages2, "freebsd-14.0", "xen_hypercall_pages_not_1", "EAX is not 1" },
		{ sc_xen_bad_msr, "freebsd", "xen_hypercall_msr_unusual", "MSR 0x12345" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(failures); i++) {
		run_one(&cpu, failures[i].rows, failures[i].model, &m);
		assert_int_equal(m.nhazards, 1);
		assert_string_equal(m.hazards[0].id, failures[i].hazard);
		assert_non_null(strstr(m.reason, failures[i].reason));
		tcpu_free(&cpu);
	}
}

/* detect_hypervisor_vendor() (model_linux_platform.c) on the edges of each
 * detect(): Hyper-V's EAX range and required MSR bits, VMware's signature,
 * Xen's EAX-base >= 2. Through the linux model, which runs it. */
static void test_linux_platform_edges(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		const char *sig;   /* at 0x40000000 */
		uint32_t eax;      /* its EAX */
		uint32_t feat;     /* 0x40000003 EAX */
		const char *want;  /* vendor id, or NULL */
	} pcases[] = {
		{ "hyper-v, lowest EAX", HV, 0x40000005, HV_FEATURES_OK, "hyperv" },
		{ "hyper-v, EAX too low", HV, 0x40000004, HV_FEATURES_OK, NULL },
		{ "hyper-v, highest EAX", HV, 0x4000ffff, HV_FEATURES_OK, "hyperv" },
		{ "hyper-v, EAX too high", HV, 0x40010000, HV_FEATURES_OK, NULL },
		{ "hyper-v, only bits 5 and 6", HV, 0x40000005, 0x60, "hyperv" },
		{ "hyper-v, no VP index MSR", HV, 0x40000005, 0x20, NULL },
		{ "hyper-v, no hypercall MSR", HV, 0x40000005, 0x40, NULL },
		{ "not quite hyper-v", "Microsoft Hw", 0x40000005, HV_FEATURES_OK, NULL },
		{ "kvm with hyper-v's feature bits", KVM, 0x40000005, HV_FEATURES_OK, "kvm" },
		{ "vmware", "VMwareVMware", 0x40000010, 0, "vmware" },
		{ "not quite vmware", "VMwareVMwarf", 0x40000010, 0, NULL },
		{ "xen, EAX = base+2", XEN, 0x40000002, 0, "xen" },
		/* The detects that ignore EAX (hypervisor_cpuid_base(sig, 0)). */
		{ "kvm, EAX = base", KVM, 0x40000000, 0, "kvm" },
		{ "jailhouse, EAX = base", "Jailhouse\0\0\0", 0x40000000, 0, "jailhouse" },
		{ "acrn, EAX = base", "ACRNACRNACRN", 0x40000000, 0, "acrn" },
		/* bhyve returns its EAX: 1 still wins over nothing. */
		{ "bhyve, EAX = 1", "bhyve bhyve ", 1, 0, "bhyve" },
	};
	const struct model_desc *d = model_find("linux");
	for (unsigned i = 0; i < sizeof(pcases) / sizeof(pcases[0]); i++) {
		const struct trow rows[] = {
			CPU_INTEL(1),
			SIGROW(0x40000000, pcases[i].eax, pcases[i].sig),
			LEAF(0x40000003, pcases[i].feat, 0, 0, 0),
			END_ROWS,
		};
		struct tcpu cpu;
		tcpu_load(&cpu, rows);
		struct model_result m;
		model_run(d, &cpu.lt, &m);
		const char *hv = m.hypervisor == _HV_VENDOR_INVALID ? NULL : hv_vendor_id(m.hypervisor);
		if ((hv == NULL) != (pcases[i].want == NULL) || (hv && strcmp(hv, pcases[i].want) != 0))
			fail_msg("%s: linux believes %s, want %s", pcases[i].name, hv ? hv : "none",
				 pcases[i].want ? pcases[i].want : "none");
		assert_int_equal(m.hypervisor_base, hv ? 0x40000000 : 0);
		tcpu_free(&cpu);
	}
	/* A tie goes to the earlier entry: Xen HVM's 0x40000000 against bhyve's
	 * EAX 0x40000000 (bhyve at 0x40000100). */
	static const struct trow tie[] = {
		CPU_INTEL(1),
		SIGROW(0x40000000, 0x40000005, XEN),
		LEAF(0x40000002, 1, 0x40000000, 0, 0),
		SIGROW(0x40000100, 0x40000000, "bhyve bhyve "),
		END_ROWS,
	};
	struct tcpu cpu;
	struct model_result m;
	tcpu_load(&cpu, tie);
	model_run(d, &cpu.lt, &m);
	assert_int_equal(m.hypervisor, HV_XEN);
	assert_true(trace_has(&m, "bhyve_detect() = 0x40000000, not higher than the winner so far"));
	tcpu_free(&cpu);
}

/* scan.c: the echo test's bound on the basic maximum, the hypervisor
 * class's EAX window, the details kept, scan_find(). */
static void test_scan_edges(void **state)
{
	(void)state;
	struct tcpu cpu;
	static struct scan sc;
	/* Leaf 0 says 0xff: leaf 0xff is read, and a base equal to it is an echo. */
	static const struct trow echo_ff[] = {
		LEAF(0, 0xff, 0x756e6547, 0x6c65746e, 0x49656e69),
		LEAF(1, 0x000306f2, 0x00010800, 0xfffa3203u, 0x178bfbff),
		LEAF(0xff, 0x7, 0x340, 0x340, 0),
		LEAF(0x40000000, 0x7, 0x340, 0x340, 0),
		END_ROWS,
	};
	tcpu_load(&cpu, echo_ff);
	scan_run(&cpu.lt, &sc);
	assert_int_equal(sc.n, 1);
	assert_int_equal(sc.ranges[0].cls, RANGE_ECHO);
	tcpu_free(&cpu);
	/* A maximum of 0x100 is garbage: not chased, so noise. */
	static const struct trow echo_100[] = {
		LEAF(0, 0x100, 0x756e6547, 0x6c65746e, 0x49656e69),
		LEAF(1, 0x000306f2, 0x00010800, 0xfffa3203u, 0x178bfbff),
		LEAF(0x100, 0x7, 0x340, 0x340, 0),
		LEAF(0x40000000, 0x7, 0x340, 0x340, 0),
		END_ROWS,
	};
	tcpu_load(&cpu, echo_100);
	scan_run(&cpu.lt, &sc);
	assert_int_equal(sc.ranges[0].cls, RANGE_NOISE);
	tcpu_free(&cpu);
	/* EAX up to base+0xff is a range; base+0x100 is not (unknown signature). */
	static const struct trow window[] = {
		CPU_INTEL(1),
		SIGROW(0x40000000, 0x400000ff, "abcdefghijkl"),
		SIGROW(0x40000100, 0x40000200, "mnopqrstuvwx"),
		END_ROWS,
	};
	tcpu_load(&cpu, window);
	scan_run(&cpu.lt, &sc);
	assert_int_equal(sc.n, 2);
	assert_true(sc.ranges[0].eax_in_range);
	assert_int_equal(sc.ranges[0].cls, RANGE_HYPERVISOR);
	assert_false(sc.ranges[1].eax_in_range);
	assert_int_equal(sc.ranges[1].cls, RANGE_NOISE);
	tcpu_free(&cpu);
	/* scan_find(): the first hypervisor range of that vendor, known
	 * signatures only. */
	static const struct trow several[] = {
		CPU_INTEL(1),
		SIGROW(0x40000000, 0x40000001, "abcdefghijkl"),
		SIGROW(0x40000100, 0x40000101, KVM),
		SIGROW(0x40000200, 0x40000205, XEN),
		SIGROW(0x40000300, 0x40000301, KVM),
		END_ROWS,
	};
	tcpu_load(&cpu, several);
	scan_run(&cpu.lt, &sc);
	assert_int_equal(sc.nhyp, 4);
	assert_non_null(scan_find(&sc, HV_KVM));
	assert_int_equal(scan_find(&sc, HV_KVM)->base, 0x40000100);
	assert_int_equal(scan_find(&sc, HV_XEN)->base, 0x40000200);
	assert_null(scan_find(&sc, HV_HYPERV));
	tcpu_free(&cpu);
	tcpu_load(&cpu, sc_kvm); /* the first range is the one */
	scan_run(&cpu.lt, &sc);
	assert_int_equal(scan_find(&sc, HV_KVM)->base, 0x40000000);
	tcpu_free(&cpu);
	/* More hypervisor ranges than SCAN_DETAILED_MAX: the rest undecoded. */
	struct trow many[3 + SCAN_DETAILED_MAX + 2 + 1];
	const struct trow head[] = { CPU_INTEL(1) };
	unsigned k = 0;
	for (unsigned i = 0; i < 3; i++)
		many[k++] = head[i];
	for (unsigned i = 0; i < SCAN_DETAILED_MAX + 2; i++) {
		uint32_t base = 0x40000000u + i * 0x100u;
		many[k++] = (struct trow)SIGROW(base, base + 1 + i, KVM); /* EAX differs: no repeats */
	}
	many[k++] = (struct trow)END_ROWS;
	tcpu_load(&cpu, many);
	scan_run(&cpu.lt, &sc);
	assert_int_equal(sc.nhyp, SCAN_DETAILED_MAX + 2);
	assert_int_equal(sc.ndetails, SCAN_DETAILED_MAX);
	assert_non_null(sc.ranges[SCAN_DETAILED_MAX - 1].details);
	assert_null(sc.ranges[SCAN_DETAILED_MAX].details);
	tcpu_free(&cpu);
}

/* Hazards the Linux models raise themselves. */
static void test_linux_hazards(void **state)
{
	(void)state;
	static const struct trow xen_eax_base[] = { /* the Xen signature, EAX = base: 0 leaves */
		CPU_INTEL(1),
		SIGROW(0x40000000, 0x40000000, XEN),
		END_ROWS,
	};
	struct tcpu cpu;
	struct model_result m;
	static const char *const generic[] = { "linux", "linux-5.0" };
	for (unsigned i = 0; i < 2; i++) {
		tcpu_load(&cpu, xen_eax_base);
		model_run(model_find(generic[i]), &cpu.lt, &m);
		assert_int_equal(m.path, PATH_GENERIC);
		assert_int_equal(m.nhazards, 1);
		assert_string_equal(m.hazards[0].id, "xen_signature_too_few_leaves");
		tcpu_free(&cpu);
	}
	/* 2 hypercall pages: linux-5.0 notes it (and boots), linux does not read it. */
	tcpu_load(&cpu, sc_xen_pages2);
	model_run(model_find("linux-5.0"), &cpu.lt, &m);
	assert_int_equal(m.outcome, OUTCOME_BOOTS);
	assert_int_equal(m.nhazards, 1);
	assert_string_equal(m.hazards[0].id, "xen_hypercall_pages_not_1");
	model_run(model_find("linux"), &cpu.lt, &m);
	assert_int_equal(m.nhazards, 0);
	tcpu_free(&cpu);
}

/* NetBSD's entry reads leaves 0, 1 and 0x40000000 and nothing past that
 * base; on Xen it reads the fixed leaf 0x40000002 for the hypercall MSR. */
static void test_netbsd_entry(void **state)
{
	(void)state;
	struct tcpu cpu;
	struct model_result m;
	run_one(&cpu, sc_kvm, "netbsd", &m);
	assert_true(trace_reads(&m, 0) && trace_reads(&m, 1) && trace_reads(&m, 0x40000000));
	assert_false(trace_reads(&m, 0x40000001) || trace_reads(&m, 0x40000100) || trace_reads(&m, 0x40000002));
	assert_string_equal(m.platform, "VM_GUEST_GENPVH");
	assert_int_equal(m.nconditions, 1);
	assert_int_equal(m.conditions[0].id, COND_MEMMAP_ENTRIES);
	tcpu_free(&cpu);

	run_one(&cpu, sc_xen_hvm, "netbsd", &m);
	assert_string_equal(m.platform, "VM_GUEST_XENPVH");
	assert_int_equal(m.xen_base, 0x40000000);
	assert_true(trace_reads(&m, 0x40000002));
	assert_true(trace_has(&m, "wrmsr(EBX 0x40000000, hypercall page)"));
	assert_int_equal(m.nhazards, 0);
	assert_int_equal(m.conditions[0].id, COND_XEN_VERSION);
	tcpu_free(&cpu);

	/* Viridian's MSR at 0x40000200 is Xen's too: boots. */
	static const struct trow xen_msr_viridian[] = {
		CPU_INTEL(1),
		SIGROW(0x40000000, 0x40000005, XEN),
		LEAF(0x40000002, 1, 0x40000200, 0, 0),
		END_ROWS,
	};
	run_one(&cpu, xen_msr_viridian, "netbsd", &m);
	assert_int_equal(m.outcome, OUTCOME_BOOTS);
	tcpu_free(&cpu);

	run_one(&cpu, sc_xen_pages2, "netbsd", &m);
	assert_int_equal(m.outcome, OUTCOME_BOOTS);
	assert_true(hazard_in(&m, "xen_hypercall_pages_not_1"));
	tcpu_free(&cpu);

	run_one(&cpu, sc_xen_bad_msr, "netbsd", &m);
	assert_int_equal(m.outcome, OUTCOME_CRASH);
	assert_true(hazard_in(&m, "xen_hypercall_msr_unusual"));
	assert_non_null(strstr(m.reason, "MSR 0x12345"));
	assert_false(hazard_in(&m, "xen_signature_ebx_only"));
	tcpu_free(&cpu);

	run_one(&cpu, sc_xen_viridian, "netbsd", &m);
	assert_true(hazard_in(&m, "xen_not_at_first_base"));
	assert_non_null(strstr(m.reason, "Xen at 0x40000100"));
	assert_false(trace_reads(&m, 0x40000100)); /* the kernel never reads it */
	tcpu_free(&cpu);

	run_one(&cpu, sc_xen_hvbit_clear, "netbsd", &m);
	assert_false(trace_reads(&m, 0x40000000));
	assert_non_null(strstr(m.reason, "CPUID.1:ECX[31] is clear"));
	tcpu_free(&cpu);

	run_one(&cpu, sc_xen_no_leaf1, "netbsd", &m);
	assert_false(trace_reads(&m, 1));
	assert_non_null(strstr(m.reason, "cpuid(0) EAX < 1"));
	tcpu_free(&cpu);

	/* cpuid(0) EAX = 1 is enough for leaf 1. */
	run_one(&cpu, sc_xen_max_leaf1, "netbsd", &m);
	assert_int_equal(m.path, PATH_XEN);
	tcpu_free(&cpu);

	/* The Xen range the generic path reports as missed is one Linux would
	 * use: EAX-base >= 2 (base+2 counts, base+1 does not). */
	static const struct trow viridian_xen_plus2[] = {
		CPU_INTEL(1),
		SIGROW(0x40000000, 0x40000006, HV),
		SIGROW(0x40000100, 0x40000102, XEN),
		END_ROWS,
	};
	static const struct trow viridian_xen_plus1[] = {
		CPU_INTEL(1),
		SIGROW(0x40000000, 0x40000006, HV),
		SIGROW(0x40000100, 0x40000101, XEN),
		END_ROWS,
	};
	run_one(&cpu, viridian_xen_plus2, "netbsd", &m);
	assert_int_equal(m.outcome, OUTCOME_DEGRADED);
	tcpu_free(&cpu);
	run_one(&cpu, viridian_xen_plus1, "netbsd", &m);
	assert_int_equal(m.outcome, OUTCOME_BOOTS);
	assert_int_equal(m.nhazards, 0);
	tcpu_free(&cpu);

	run_one(&cpu, sc_xenv_ebx_only, "netbsd", &m);
	assert_true(hazard_in(&m, "xen_signature_ebx_only"));
	assert_true(trace_has(&m, "is not recorded in this dump"));
	tcpu_free(&cpu);
}

/* The start_info facts decide the conditions (the probe guest's capture):
 * a failed one is a crash; what start_info cannot show stays unknown. */
static const struct {
	const char *name;
	const struct trow *rows;
	const char *model;
	struct pvh_facts facts;
	enum outcome want;
	const char *cond;             /* a condition id ... */
	enum cond_state state;        /* ... and its state */
} fact_cases[] = {
	{ "linux generic, v1 with a map", sc_kvm, "linux", { 0x336ec578, 1, 0, 3, 0, 0x7000 }, OUTCOME_BOOTS,
	  "start_info_memmap_entries", COND_HOLDS },
	{ "linux generic, version 0 (Xen's dom0 builder)", sc_kvm, "linux", { 0x336ec578, 0, 0, 0, 0, 0 },
	  OUTCOME_CRASH, "start_info_memmap_entries", COND_FAILS },
	/* Version 0 has no map fields: whatever lies at their offsets does
	 * not count. */
	{ "linux generic, version 0 with entries", sc_kvm, "linux", { 0x336ec578, 0, 0, 3, 0, 0x7000 },
	  OUTCOME_CRASH, "start_info_memmap_entries", COND_FAILS },
	{ "freebsd generic, version 0 with memmap_paddr", sc_kvm, "freebsd", { 0x336ec578, 0, 0, 3, 0, 0x7000 },
	  OUTCOME_CRASH, "start_info_memmap_paddr", COND_FAILS },
	{ "linux generic, v1 with 0 entries", sc_kvm, "linux", { 0x336ec578, 1, 0, 0, 0, 0x7000 }, OUTCOME_CRASH,
	  "start_info_memmap_entries", COND_FAILS },
	{ "linux generic, bad magic", sc_kvm, "linux", { 0x12345678, 1, 0, 3, 0, 0x7000 }, OUTCOME_CRASH,
	  "start_info_magic", COND_FAILS },
	{ "linux on Xen, version 0: the hypercall map", sc_xen_hvm, "linux", { 0x336ec578, 0, 0, 0, 0, 0 },
	  OUTCOME_BOOTS, "start_info_magic", COND_HOLDS },
	{ "freebsd generic, no memmap_paddr", sc_kvm, "freebsd", { 0x336ec578, 1, 0, 3, 0, 0 }, OUTCOME_CRASH,
	  "start_info_memmap_paddr", COND_FAILS },
	{ "freebsd generic, modlist without modules", sc_kvm, "freebsd", { 0x336ec578, 1, 0, 3, 0x6040, 0x7000 },
	  OUTCOME_CRASH, "start_info_modlist", COND_FAILS },
	{ "freebsd generic, all there", sc_kvm, "freebsd", { 0x336ec578, 1, 1, 3, 0x6040, 0x7000 }, OUTCOME_BOOTS,
	  "start_info_modlist", COND_HOLDS },
	{ "freebsd-legacy on Xen: add_to_physmap stays unknown", sc_xen_hvm, "freebsd-legacy",
	  { 0x336ec578, 1, 0, 3, 0, 0x7000 }, OUTCOME_BOOTS, "xen_add_to_physmap", COND_UNKNOWN },
	{ "linux-5.0 generic, version 0", sc_kvm, "linux-5.0", { 0x336ec578, 0, 0, 0, 0, 0 }, OUTCOME_CRASH,
	  "start_info_memmap_entries", COND_FAILS },
	/* NetBSD checks no magic: a bad one changes nothing. */
	{ "netbsd generic, bad magic", sc_kvm, "netbsd", { 0x12345678, 1, 0, 3, 0, 0x7000 }, OUTCOME_BOOTS,
	  "start_info_memmap_entries", COND_HOLDS },
	{ "netbsd generic, no map", sc_kvm, "netbsd", { 0x336ec578, 1, 0, 0, 0, 0x7000 }, OUTCOME_CRASH,
	  "start_info_memmap_entries", COND_FAILS },
	{ "netbsd on Xen: xen_version stays unknown", sc_xen_hvm, "netbsd", { 0x336ec578, 0, 0, 0, 0, 0 },
	  OUTCOME_BOOTS, "xen_version_hypercall", COND_UNKNOWN },
};

static void test_apply_facts(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(fact_cases); i++) {
		struct tcpu cpu;
		struct model_result m;
		run_one(&cpu, fact_cases[i].rows, fact_cases[i].model, &m);
		enum outcome before = m.outcome;
		for (unsigned k = 0; k < m.nconditions; k++)
			assert_int_equal(m.conditions[k].state, COND_UNKNOWN); /* userland: unknown */
		model_apply_facts(&m, &fact_cases[i].facts);
		assert_true(m.facts_applied);
		if (m.outcome != fact_cases[i].want)
			fail_msg("%s: outcome %s (was %s), want %s; %s", fact_cases[i].name, outcome_name(m.outcome),
				 outcome_name(before), outcome_name(fact_cases[i].want), m.reason);
		bool seen = false;
		for (unsigned k = 0; k < m.nconditions; k++)
			if (strcmp(pvh_condition_name(m.conditions[k].id), fact_cases[i].cond) == 0) {
				seen = true;
				if (m.conditions[k].state != fact_cases[i].state)
					fail_msg("%s: %s is %s", fact_cases[i].name, fact_cases[i].cond,
						 cond_state_name(m.conditions[k].state));
			}
		if (!seen)
			fail_msg("%s: no condition %s", fact_cases[i].name, fact_cases[i].cond);
		if (m.outcome == OUTCOME_CRASH && before != OUTCOME_CRASH)
			assert_non_null(strstr(m.reason, "start_info fails "));
		tcpu_free(&cpu);
	}
	/* Only the model's own conditions are judged: the arrays are not
	 * zeroed between runs, so a stale condition past nconditions (here
	 * freebsd-14.0's magic check) must stay unread. */
	struct tcpu cpu;
	struct model_result m;
	run_one(&cpu, sc_kvm, "freebsd-14.0", &m);
	assert_true(m.nconditions >= 2);
	tcpu_free(&cpu);
	run_one(&cpu, sc_xen_hvm, "netbsd", &m);
	assert_int_equal(m.nconditions, 1);
	const struct pvh_facts bad_magic = { 0x12345678, 1, 0, 3, 0, 0x7000 };
	model_apply_facts(&m, &bad_magic);
	assert_int_equal(m.outcome, OUTCOME_BOOTS);
	tcpu_free(&cpu);

	/* Names both ways. */
	for (int c = 0; c < _COND_MAX; c++)
		assert_int_equal(pvh_condition_from_name(pvh_condition_name((enum pvh_condition)c)), c);
	assert_int_equal(pvh_condition_from_name("nope"), _COND_INVALID);
}

int main(void)
{
	struct CMUnitTest tests[NCASES + 13];
	for (size_t i = 0; i < NCASES; i++)
		tests[i] = (struct CMUnitTest){ .name = cases[i].name, .test_func = test_case,
						.initial_state = (void *)&cases[i] };
	tests[NCASES] = (struct CMUnitTest)cmocka_unit_test(test_models_deterministic);
	tests[NCASES + 1] = (struct CMUnitTest)cmocka_unit_test(test_sig_scan_rules);
	tests[NCASES + 2] = (struct CMUnitTest)cmocka_unit_test(test_linux_4_11_leaf2_msr);
	tests[NCASES + 3] = (struct CMUnitTest)cmocka_unit_test(test_linux_base2_read);
	tests[NCASES + 4] = (struct CMUnitTest)cmocka_unit_test(test_overflow_counted);
	tests[NCASES + 5] = (struct CMUnitTest)cmocka_unit_test(test_sig_scan_trace);
	tests[NCASES + 6] = (struct CMUnitTest)cmocka_unit_test(test_freebsd_identcpu);
	tests[NCASES + 7] = (struct CMUnitTest)cmocka_unit_test(test_freebsd_xen_signature_hazards);
	tests[NCASES + 8] = (struct CMUnitTest)cmocka_unit_test(test_linux_platform_edges);
	tests[NCASES + 9] = (struct CMUnitTest)cmocka_unit_test(test_linux_hazards);
	tests[NCASES + 10] = (struct CMUnitTest)cmocka_unit_test(test_scan_edges);
	tests[NCASES + 11] = (struct CMUnitTest)cmocka_unit_test(test_apply_facts);
	tests[NCASES + 12] = (struct CMUnitTest)cmocka_unit_test(test_netbsd_entry);
	return _cmocka_run_group_tests("models", tests, NCASES + 13, NULL, NULL);
}
