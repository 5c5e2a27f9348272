/* model.c - the vocabulary and helpers shared by the kernel models. */
#include "model.h"

#include "escape.h"
#include "fmt.h"
#include "strtab.h"


static const char *const path_names[_PATH_MAX] = {
	[PATH_XEN] = "xen",
	[PATH_GENERIC] = "generic",
};

static const char *const os_family_names[_OS_FAMILY_MAX] = {
	[OS_LINUX] = "linux",
	[OS_FREEBSD] = "freebsd",
	[OS_NETBSD] = "netbsd",
};

static const char *const outcome_names[_OUTCOME_MAX] = {
	[OUTCOME_BOOTS] = "boots",
	[OUTCOME_DEGRADED] = "degraded",
	[OUTCOME_CRASH] = "crash",
};

static const char *const severity_names[_SEV_MAX] = {
	[SEV_INFO] = "info",
	[SEV_WARNING] = "warning",
	[SEV_CRITICAL] = "critical",
};

DEFINE_STRTAB(pvh_path, enum pvh_path, path_names)
DEFINE_STRTAB(os_family, enum os_family, os_family_names)
DEFINE_STRTAB(outcome, enum outcome, outcome_names)
DEFINE_STRTAB(severity, enum severity, severity_names)

_printf_(5, 0) static void vtrace(struct model_result *m, bool has_leaf, uint32_t first,
							 uint32_t last, const char *fmt, va_list ap)
{
	if (!m)
		return; /* a quiet scan */
	if (m->ntrace >= TRACE_MAX) {
		m->trace_dropped++;
		return;
	}
	struct trace_step *s = &m->trace[m->ntrace++];
	s->has_leaf = has_leaf;
	s->leaf = first;
	s->leaf_last = last;
	fmt_v(s->text, sizeof(s->text), fmt, ap);
}

void trace_add(struct model_result *m, bool has_leaf, uint32_t leaf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vtrace(m, has_leaf, leaf, leaf, fmt, ap);
	va_end(ap);
}

void trace_add_run(struct model_result *m, uint32_t first, uint32_t last, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vtrace(m, true, first, last, fmt, ap);
	va_end(ap);
}

void hazard_add(struct model_result *m, const char *id, enum severity sev, const char *fmt, ...)
{
	if (m->nhazards >= HAZARD_MAX) {
		m->hazards_dropped++;
		return;
	}
	struct hazard *h = &m->hazards[m->nhazards++];
	h->id = id;
	h->sev = sev;
	va_list ap;
	va_start(ap, fmt);
	fmt_v(h->text, sizeof(h->text), fmt, ap);
	va_end(ap);
}

static const char *const condition_names[_COND_MAX] = {
	[COND_START_INFO_MAGIC] = "start_info_magic",
	[COND_MEMMAP_ENTRIES] = "start_info_memmap_entries",
	[COND_MEMMAP_PADDR] = "start_info_memmap_paddr",
	[COND_MODLIST] = "start_info_modlist",
	[COND_XEN_PHYSMAP] = "xen_add_to_physmap",
	[COND_XEN_MEMORY_MAP] = "xen_memory_map_hypercall",
	[COND_WRMSR_GP] = "wrmsr_gp",
	[COND_XEN_VERSION] = "xen_version_hypercall",
};
DEFINE_STRTAB(pvh_condition, enum pvh_condition, condition_names)

static const char *const cond_state_names[_COND_STATE_MAX] = {
	[COND_UNKNOWN] = "unknown",
	[COND_HOLDS] = "holds",
	[COND_FAILS] = "fails",
};
DEFINE_STRTAB(cond_state, enum cond_state, cond_state_names)

void condition_add(struct model_result *m, enum pvh_condition id, const char *fmt, ...)
{
	if (m->nconditions >= CONDITION_MAX) {
		m->conditions_dropped++;
		return;
	}
	struct model_condition *c = &m->conditions[m->nconditions++];
	c->id = id;
	c->state = COND_UNKNOWN;
	va_list ap;
	va_start(ap, fmt);
	fmt_v(c->text, sizeof(c->text), fmt, ap);
	va_end(ap);
}

/* The kernels' own tests: Linux arch/x86/platform/pvh/enlighten.c
 * xen_prepare_pvh() (magic) and init_pvh_bootparams() ("version > 0 &&
 * memmap_entries"); FreeBSD sys/x86/xen/pv.c hammer_time_xen() (magic;
 * "modlist_paddr != 0 && nr_modules == 0" halts) and xen_pvh_parse_memmap()
 * / pvh_parse_memmap() ("version >= 1 && memmap_paddr != 0"). */
static enum cond_state condition_eval(enum pvh_condition id, const struct pvh_facts *f)
{
	switch (id) {
	case COND_START_INFO_MAGIC:
		return f->magic == 0x336ec578u ? COND_HOLDS : COND_FAILS;
	case COND_MEMMAP_ENTRIES:
		return f->version >= 1 && f->memmap_entries != 0 ? COND_HOLDS : COND_FAILS;
	case COND_MEMMAP_PADDR:
		return f->version >= 1 && f->memmap_paddr != 0 ? COND_HOLDS : COND_FAILS;
	case COND_MODLIST:
		return f->modlist_paddr != 0 && f->nr_modules == 0 ? COND_FAILS : COND_HOLDS;
	default:
		return COND_UNKNOWN;
	}
}

void model_apply_facts(struct model_result *m, const struct pvh_facts *f)
{
	m->facts_applied = true;
	const struct model_condition *failed = NULL;
	for (unsigned i = 0; i < m->nconditions; i++) {
		struct model_condition *c = &m->conditions[i];
		c->state = condition_eval(c->id, f);
		if (c->state == COND_FAILS && !failed)
			failed = c;
	}
	if (!failed || m->outcome == OUTCOME_CRASH)
		return;
	m->outcome = OUTCOME_CRASH;
	char was[TEXT_MAX];
	memcpy(was, m->reason, sizeof(was));
	fmt(m->reason, sizeof(m->reason), "start_info fails %s: crash; %s", pvh_condition_name(failed->id), was);
}

void reason_set(struct model_result *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fmt_v(m->reason, sizeof(m->reason), fmt, ap);
	va_end(ap);
}

void sig_text(const struct cpuid_regs *r, char *out, size_t outlen)
{
	uint8_t sig[CPUID_SIG_LEN];
	regs_signature(r, sig);
	escape_c(sig, sizeof(sig), out, outlen);
}

static void flush_run(struct model_result *m, uint32_t *first, uint32_t last, unsigned *nonzero,
		      const uint8_t sig[CPUID_SIG_LEN])
{
	if (!*first)
		return;
	char want[64];
	escape_c(sig, CPUID_SIG_LEN, want, sizeof(want));
	unsigned n = (last - *first) / HV_BASE_STEP + 1;
	if (n == 1)
		trace_add(m, true, *first, "cpuid(%#x): %s, no \"%s\"", *first,
			  *nonzero ? "no signature from the table" : "all zero", want);
	else
		trace_add_run(m, *first, last, "cpuid(%#x..%#x): %u bases, %s, no \"%s\"", *first, last, n,
			      *nonzero ? "none with a signature from the table" : "all zero", want);
	*first = 0;
	*nonzero = 0;
}

uint32_t model_sig_scan(struct model_result *m, struct leaftab *t, const char *what,
			const uint8_t sig[CPUID_SIG_LEN], uint32_t min_leaves)
{
	uint32_t run_first = 0, run_last = 0;
	unsigned nonzero = 0;
	char got[64];
	for (unsigned i = 0; i < HV_NBASES; i++) {
		uint32_t base = hv_base(i);
		struct cpuid_regs r = lt_get(t, base, 0);
		if (regs_zero(&r)) { /* no signature is all zero: a quiet base */
			if (!run_first)
				run_first = base;
			run_last = base;
			continue;
		}
		uint8_t s[CPUID_SIG_LEN];
		regs_signature(&r, s);
		bool sig_ok = memcmp(s, sig, CPUID_SIG_LEN) == 0;
		if (!sig_ok && !sigtab_match(s)) {
			if (!run_first)
				run_first = base;
			run_last = base;
			nonzero += !regs_zero(&r);
			continue;
		}
		flush_run(m, &run_first, run_last, &nonzero, sig);
		escape_c(s, sizeof(s), got, sizeof(got));
		if (!sig_ok) {
			trace_add(m, true, base, "cpuid(%#x): \"%s\" (EAX %#x), not the signature %s looks for",
				  base, got, r.eax, what);
			continue;
		}
		if (min_leaves == 0) {
			trace_add(m, true, base, "cpuid(%#x): \"%s\" (EAX %#x ignored) -> %s: found at %#x", base,
				  got, r.eax, what, base);
			return base;
		}
		uint32_t span = r.eax - base; /* u32, as in the kernels */
		if (span >= min_leaves) {
			trace_add(m, true, base, "cpuid(%#x): \"%s\", EAX %#x: EAX-base = %#x >= %u%s -> %s: found at %#x",
				  base, got, r.eax, span, min_leaves,
				  r.eax < base ? " (EAX below base: the unsigned difference wraps)" : "", what, base);
			return base;
		}
		trace_add(m, true, base, "cpuid(%#x): \"%s\", EAX %#x: EAX-base = %u < %u, skipped by %s", base,
			  got, r.eax, span, min_leaves, what);
	}
	flush_run(m, &run_first, run_last, &nonzero, sig);
	trace_add(m, false, 0, "%s: no match in the 256 bases", what);
	return 0;
}

bool cpuid_hypervisor_bit(struct leaftab *t)
{
	return lt_get(t, 1, 0).ecx >> 31;
}
