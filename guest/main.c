/* main.c - the probe guest: collect, decide, render, power off.
 *
 * guest/entry.S has saved the entry state and installed the probe's GDT
 * and stack. Here: the IDT, the console, the ABI check of the entry state
 * (src/core/pvh_entry_state.c), start_info and what it points to
 * (pvh_start_info.c, pvh_acpi.c), then the analysis core on the CPUID
 * instruction itself: the 256-base scan with the decoders and every kernel
 * model. All of it is collected first, then written as one framed report
 * (docs/probe-guest.md), then the VM is powered off. */
#include "guest.h"

#include "console.h"
#include "core/cpuid_source.h"
#include "core/fields.h"
#include "core/fmt.h"
#include "core/leaftab.h"
#include "core/model.h"
#include "core/pvh_acpi.h"
#include "core/pvh_entry_state.h"
#include "core/pvh_start_info.h"
#include "core/scan.h"
#include "core/sigtab.h"
#include "io.h"
#include "physmem.h"
#include "version.h"

extern struct pvh_entry_raw entry_raw;

/* entry.S writes struct pvh_entry_raw by offset. */
_Static_assert(offsetof(struct pvh_entry_raw, efer_valid) == 24, "entry.S OFF_EFER_VALID");
_Static_assert(offsetof(struct pvh_entry_raw, idtr_base) == 48, "entry.S OFF_IDTR_BASE");
_Static_assert(offsetof(struct pvh_entry_raw, seg) == 52, "entry.S OFF_SEG");
_Static_assert(sizeof(struct pvh_seg_raw) == 20, "entry.S SEG_SIZE");
_Static_assert(offsetof(struct pvh_seg_raw, limit) == 16, "entry.S SEG_LIMIT");

struct poweroff_ctx poweroff_state;
volatile int in_poweroff;

/* ---- the core's allocator: a bump allocator over a static area ---- */

static uint8_t heap[512 * 1024] __attribute__((aligned(16)));
static size_t heap_used;

/* Each block is preceded by its size (16 bytes, to keep alignment). */
static void *bump_resize(void *ctx, void *p, size_t n)
{
	(void)ctx;
	if (n == 0)
		return NULL; /* freeing: nothing is reused */
	size_t old = p ? *(size_t *)((uint8_t *)p - 16) : 0;
	if (p && n <= old)
		return p;
	size_t need = (n + 15) & ~(size_t)15;
	if (need + 16 > sizeof(heap) - heap_used)
		return NULL;
	uint8_t *b = heap + heap_used + 16;
	*(size_t *)(b - 16) = n;
	heap_used += need + 16;
	if (p)
		memcpy(b, p, old);
	return b;
}

static const struct core_alloc bump = { .resize = bump_resize };

/* ---- the core's CPUID source: the instruction ---- */

static int insn_exec(struct cpuid_source *s, uint32_t leaf, uint32_t subleaf, struct leaf_entry *out)
{
	(void)s;
	uint32_t r[4];
	cpuid_insn(leaf, subleaf, r);
	out->r = (struct cpuid_regs){ r[0], r[1], r[2], r[3] };
	out->recorded = true;
	return 0;
}

static struct cpuid_source insn_source = { .kind = SOURCE_INSN, .exec = insn_exec, .cpu = -1, .fd = -1 };

/* ---- everything collected before anything is written ---- */

static struct pvh_entry_state entry;
static struct pvh_start_info si;
static struct pvh_acpi acpi;
static struct leaftab lt;
static struct scan sc;
#define MODELS_MAX 8
static struct model_result results[MODELS_MAX];
static unsigned nmodels, models_dropped;
static const struct leaf_entry *sorted[4096];

static char buf[1200];
static bool lar_ran;

/* b as a quoted, escaped string (escape_c), in a buffer the next call
 * reuses. */
static const char *quoted(const uint8_t *b, size_t n)
{
	buf[0] = 0;
	con_quote(buf, sizeof(buf), b, n);
	return buf;
}

/* The path every counted model predicts, or "mixed" (report.c's rule:
 * models that predate the Xen/non-Xen split do not count). */
static const char *headline_path(void)
{
	int path = -1;
	bool only_legacy = true;
	for (unsigned i = 0; i < nmodels; i++)
		only_legacy &= results[i].desc->always_xen;
	for (unsigned i = 0; i < nmodels; i++) {
		if (results[i].desc->always_xen && !only_legacy)
			continue;
		if (path == -1)
			path = (int)results[i].path;
		else if (path != (int)results[i].path)
			return "mixed";
	}
	return path == -1 ? "unknown" : pvh_path_name((enum pvh_path)path);
}

static unsigned count_sev(const struct pvh_findings *fs, enum pvh_severity s)
{
	unsigned n = 0;
	for (size_t i = 0; i < fs->n; i++)
		n += pvh_finding_info(fs->f[i].id)->severity == s;
	return n;
}

static void answer(void)
{
	char si_text[96], acpi_text[64], hv[64];
	if (!si.read)
		fmt(si_text, sizeof(si_text), "no start_info at 0x%08x", (unsigned)si.paddr);
	else if (!si.magic_ok)
		fmt(si_text, sizeof(si_text), "start_info magic 0x%08x wrong", (unsigned)si.magic);
	else if (si.version == 0)
		fmt(si_text, sizeof(si_text), "start_info v0, no memmap");
	else
		fmt(si_text, sizeof(si_text), "start_info v%u, %u memmap entries", (unsigned)si.version,
		    (unsigned)si.memmap_read);
	if (si.magic_ok && si.rsdp_paddr)
		fmt(acpi_text, sizeof(acpi_text), "RSDP at 0x%llx%s", (unsigned long long)si.rsdp_paddr,
		    acpi.rsdp_ok ? "" : " (bad)");
	else if (acpi.rsdp_ok)
		fmt(acpi_text, sizeof(acpi_text), "no RSDP (found one at 0x%llx by scanning)",
		    (unsigned long long)acpi.rsdp_paddr);
	else
		fmt(acpi_text, sizeof(acpi_text), "no RSDP");
	const struct hv_range *first = NULL;
	for (unsigned i = 0; i < sc.n && !first; i++)
		if (sc.ranges[i].cls == RANGE_HYPERVISOR)
			first = &sc.ranges[i];
	if (first)
		fmt(hv, sizeof(hv), "%s at 0x%08x", first->known ? first->known->id : "unknown",
		    (unsigned)first->base);
	else
		fmt(hv, sizeof(hv), "no hypervisor leaves");
	unsigned errors = count_sev(&entry.findings, PVH_SEV_ERROR) + count_sev(&si.findings, PVH_SEV_ERROR) +
			  count_sev(&acpi.findings, PVH_SEV_ERROR);
	unsigned warns = count_sev(&entry.findings, PVH_SEV_WARN) + count_sev(&si.findings, PVH_SEV_WARN) +
			 count_sev(&acpi.findings, PVH_SEV_WARN);
	con_line("PVH path: %s; %s; %s; %s; %u error%s, %u warning%s", headline_path(), hv, si_text, acpi_text,
		 errors, errors == 1 ? "" : "s", warns, warns == 1 ? "" : "s");
}

static void report_entry(void)
{
	const struct pvh_entry_raw *r = &entry.raw;
	con_line("entry.ebx=0x%08x", (unsigned)r->ebx);
	con_line("entry.esp=0x%08x", (unsigned)r->esp);
	con_line("entry.eflags=0x%08x", (unsigned)r->eflags);
	con_line("entry.cr0=0x%08x", (unsigned)r->cr0);
	con_line("entry.cr3=0x%08x", (unsigned)r->cr3);
	con_line("entry.cr4=0x%08x", (unsigned)r->cr4);
	if (r->efer_valid)
		con_line("entry.efer=0x%016llx", (unsigned long long)entry.efer);
	else
		con_line("entry.efer=none");
	con_line("entry.gdtr=base=0x%08x limit=0x%04x lar_lsl=%s", (unsigned)r->gdtr_base, (unsigned)r->gdtr_limit,
		 lar_ran ? "ran" : "skipped");
	con_line("entry.idtr=base=0x%08x limit=0x%04x", (unsigned)r->idtr_base, (unsigned)r->idtr_limit);
	for (int i = 0; i < _PVH_SEG_MAX; i++) {
		const struct pvh_seg_raw *s = &r->seg[i];
		const struct pvh_seg_view *v = &entry.seg[i];
		char lar[16] = "none", lim[16] = "none", base[16] = "unknown";
		if (v->known) {
			fmt(lar, sizeof(lar), "0x%08x", (unsigned)v->lar);
			fmt(lim, sizeof(lim), "0x%08x", (unsigned)v->limit);
		}
		if (v->desc_read)
			fmt(base, sizeof(base), "0x%08x", (unsigned)v->base);
		con_line("entry.%s=sel=0x%04x lar=%s limit=%s base=%s from=%s", pvh_seg_name((enum pvh_seg_reg)i),
			 (unsigned)s->sel, lar, lim, base,
			 !v->known ? "none" : v->from_gdt ? "gdt" : "lar");
	}
}

static void flag_names(char *out, size_t n, uint32_t flags)
{
	out[0] = 0;
	size_t k = 0;
	for (uint32_t b = 0; b < 8; b++) {
		if (!(flags & (1u << b)))
			continue;
		const char *nm = pvh_sif_name(b);
		k += fmt(out + k, k < n ? n - k : 0, "%s%s", k ? "," : "", nm ? nm : "?");
	}
	if (flags & PVH_SIF_PM_MASK)
		k += fmt(out + k, k < n ? n - k : 0, "%sPM=0x%x", k ? "," : "", (unsigned)((flags >> 8) & 0xff));
	if (k == 0)
		fmt(out, n, "none");
}

static void report_start_info(void)
{
	con_line("start_info.paddr=0x%08x", (unsigned)si.paddr);
	if (!si.read)
		return;
	con_line("start_info.magic=0x%08x %s", (unsigned)si.magic, si.magic_ok ? "ok" : "bad");
	if (!si.magic_ok)
		return;
	char names[96];
	flag_names(names, sizeof(names), si.flags);
	con_line("start_info.version=%u", (unsigned)si.version);
	con_line("start_info.flags=0x%08x %s", (unsigned)si.flags, names);
	con_line("start_info.nr_modules=%u", (unsigned)si.nr_modules);
	con_line("start_info.modlist_paddr=0x%016llx", (unsigned long long)si.modlist_paddr);
	con_line("start_info.cmdline_paddr=0x%016llx", (unsigned long long)si.cmdline_paddr);
	if (si.cmdline.read)
		con_line("start_info.cmdline=%s%s", quoted(si.cmdline.bytes, si.cmdline.len),
			 si.cmdline.terminated ? "" : " unterminated");
	con_line("start_info.rsdp_paddr=0x%016llx", (unsigned long long)si.rsdp_paddr);
	if (si.v1_read) {
		con_line("start_info.memmap_paddr=0x%016llx", (unsigned long long)si.memmap_paddr);
		con_line("start_info.memmap_entries=%u", (unsigned)si.memmap_entries);
		con_line("start_info.reserved=0x%08x", (unsigned)si.reserved);
	}
	for (uint32_t i = 0; i < si.modules_read; i++) {
		const struct pvh_module *m = &si.modules[i];
		con_line("module.%u=paddr=0x%016llx size=0x%016llx cmdline_paddr=0x%016llx reserved=0x%016llx",
			 (unsigned)i, (unsigned long long)m->paddr, (unsigned long long)m->size,
			 (unsigned long long)m->cmdline_paddr, (unsigned long long)m->reserved);
		if (m->cmdline_read)
			con_line("module.%u.cmdline=%s%s", (unsigned)i, quoted(m->cmdline, m->cmdline_len),
				 m->cmdline_terminated ? "" : " unterminated");
	}
	for (uint32_t i = 0; i < si.memmap_read; i++) {
		const struct pvh_memmap_entry *e = &si.memmap[i];
		const char *t = pvh_memmap_type_name(e->type);
		con_line("memmap.%u=addr=0x%016llx size=0x%016llx type=%u %s reserved=0x%x", (unsigned)i,
			 (unsigned long long)e->addr, (unsigned long long)e->size, (unsigned)e->type,
			 t ? t : "UNKNOWN", (unsigned)e->reserved);
	}
	if (si.memmap_read) {
		con_line("memmap.ram_bytes=0x%016llx", (unsigned long long)si.ram_bytes);
		for (uint32_t i = 0; i < si.low_holes_n; i++)
			con_line("memmap.low_hole.%u=0x%05x-0x%05x", (unsigned)i, (unsigned)si.low_holes[i].start,
				 (unsigned)si.low_holes[i].end);
	}
}

static void report_header(const char *key, const struct pvh_acpi_header *h)
{
	char q[160] = "";
	con_quote(q, sizeof(q), h->signature, 4);
	size_t k = strlen(q);
	fmt(q + k, sizeof(q) - k, " oem=");
	con_quote(q, sizeof(q), h->oem_id, 6);
	k = strlen(q);
	fmt(q + k, sizeof(q) - k, " table_id=");
	con_quote(q, sizeof(q), h->oem_table_id, 8);
	k = strlen(q);
	fmt(q + k, sizeof(q) - k, " creator=");
	con_quote(q, sizeof(q), h->creator_id, 4);
	con_line("%s=sig=%s paddr=0x%08llx length=%u revision=%u oem_revision=0x%x checksum=%s", key, q,
		 (unsigned long long)h->paddr, (unsigned)h->length, (unsigned)h->revision,
		 (unsigned)h->oem_revision, h->checksum_ok ? "ok" : "bad");
}

static void report_acpi(void)
{
	if (acpi.rsdp_paddr == 0) {
		con_line("acpi.rsdp=none");
		return;
	}
	con_line("acpi.rsdp=paddr=0x%08llx %s revision=%u scanned=%s oem=%s", (unsigned long long)acpi.rsdp_paddr,
		 acpi.rsdp_ok ? "ok" : "bad", (unsigned)acpi.rsdp_revision, acpi.rsdp_scanned ? "yes" : "no",
		 quoted(acpi.rsdp_oem_id, 6));
	if (!acpi.rsdp_ok)
		return;
	con_line("acpi.rsdt=0x%08x", (unsigned)acpi.rsdt_paddr);
	con_line("acpi.xsdt=0x%016llx", (unsigned long long)acpi.xsdt_paddr);
	/* the root table as read, also when it was not usable */
	if (acpi.root.paddr)
		report_header(acpi.root_ok ? "acpi.root" : "acpi.root_unusable", &acpi.root);
	for (uint32_t i = 0; i < acpi.ntables; i++) {
		char key[32];
		fmt(key, sizeof(key), "acpi.table.%u", (unsigned)i);
		report_header(key, &acpi.tables[i]);
	}
	if (!acpi.fadt_found)
		return;
	con_line("acpi.fadt.flags=0x%08x hw_reduced=%d", (unsigned)acpi.fadt_flags, acpi.hw_reduced);
	con_line("acpi.fadt.pm1a_cnt=0x%x pm1b_cnt=0x%x", (unsigned)acpi.pm1a_cnt, (unsigned)acpi.pm1b_cnt);
	if (acpi.has_x_pm1)
		con_line("acpi.fadt.x_pm1a_cnt=space=%u address=0x%llx", acpi.x_pm1a_cnt.space,
			 (unsigned long long)acpi.x_pm1a_cnt.address);
	if (acpi.has_sleep_control)
		con_line("acpi.fadt.sleep_control=space=%u address=0x%llx", acpi.sleep_control.space,
			 (unsigned long long)acpi.sleep_control.address);
	if (acpi.has_hv_vendor)
		con_line("acpi.fadt.hypervisor_vendor=%s", quoted(acpi.hv_vendor, 8));
	else
		con_line("acpi.fadt.hypervisor_vendor=none");
	if (acpi.dsdt_paddr)
		report_header("acpi.dsdt", &acpi.dsdt);
	if (acpi.s5_found)
		con_line("acpi.s5=slp_typ_a=%u slp_typ_b=%u", acpi.s5_typ_a, acpi.s5_typ_b);
	else
		con_line("acpi.s5=none");
}

static void report_findings(const struct pvh_findings *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		const struct pvh_finding_info *f = pvh_finding_info(fs->f[i].id);
		con_line("finding=%s severity=%s value=0x%llx text=\"%s\"", f->name, pvh_severity_name(f->severity),
			 (unsigned long long)fs->f[i].value, f->text);
	}
	if (fs->dropped)
		con_line("finding=findings.dropped severity=warn value=0x%x text=\"findings that did not fit\"",
			 (unsigned)fs->dropped);
}

static void report_field(uint32_t base, const struct field *f)
{
	switch (f->type) {
	case FT_UINT:
		con_line("hv.0x%08x.%s=%llu", (unsigned)base, f->key, (unsigned long long)f->u);
		break;
	case FT_HEX:
	case FT_FLAGS:
		con_line("hv.0x%08x.%s=0x%llx", (unsigned)base, f->key, (unsigned long long)f->u);
		break;
	case FT_BOOL:
		con_line("hv.0x%08x.%s=%s", (unsigned)base, f->key, f->u ? "true" : "false");
		break;
	case FT_BYTES:
		con_line("hv.0x%08x.%s=%s", (unsigned)base, f->key, quoted(f->bytes, f->nbytes));
		break;
	case FT_TEXT:
		con_line("hv.0x%08x.%s=%s", (unsigned)base, f->key,
			 quoted((const uint8_t *)f->text, strlen(f->text)));
		break;
	}
}

static void report_scan(void)
{
	con_line("scan.ranges=%u hypervisors=%u max_basic=0x%08x", sc.n, sc.nhyp, (unsigned)sc.max_basic);
	for (unsigned i = 0; i < sc.n;) {
		unsigned end = scan_run_end(&sc, i);
		const struct hv_range *hr = &sc.ranges[i];
		char sig[64];
		sig_text(&hr->r, sig, sizeof(sig));
		con_line("scan.range=base=0x%08x last=0x%08x count=%u class=%s eax=0x%08x sig=\"%s\" vendor=%s",
			 (unsigned)hr->base, (unsigned)sc.ranges[end - 1].base, end - i, range_class_name(hr->cls),
			 (unsigned)hr->r.eax, sig, hr->known ? hr->known->id : "unknown");
		if (hr->details)
			for (unsigned k = 0; k < hr->details->n; k++)
				report_field(hr->base, &hr->details->f[k]);
		i = end;
	}
}

static void report_models(void)
{
	if (models_dropped)
		con_line("models.dropped=%u", models_dropped);
	for (unsigned i = 0; i < nmodels; i++) {
		const struct model_result *m = &results[i];
		const char *nm = m->desc->name;
		con_line("model.%s=path=%s outcome=%s hypervisor=%s base=0x%08x xen_base=0x%08x platform=%s", nm,
			 pvh_path_name(m->path), outcome_name(m->outcome),
			 m->hypervisor == _HV_VENDOR_INVALID ? "none" : hv_vendor_id(m->hypervisor),
			 (unsigned)m->hypervisor_base, (unsigned)m->xen_base, m->platform ? m->platform : "none");
		con_line("model.%s.reason=%s", nm, quoted((const uint8_t *)m->reason, strlen(m->reason)));
		for (unsigned k = 0; k < m->ntrace; k++) {
			const struct trace_step *t = &m->trace[k];
			char leaf[32] = "-";
			if (t->has_leaf)
				fmt(leaf, sizeof(leaf), t->leaf_last != t->leaf ? "0x%08x-0x%08x" : "0x%08x",
				    (unsigned)t->leaf, (unsigned)t->leaf_last);
			con_line("model.%s.trace.%u=%s %s", nm, k, leaf,
				 quoted((const uint8_t *)t->text, strlen(t->text)));
		}
		for (unsigned k = 0; k < m->nhazards; k++)
			con_line("model.%s.hazard.%u=%s %s %s", nm, k, m->hazards[k].id, severity_name(m->hazards[k].sev),
				 quoted((const uint8_t *)m->hazards[k].text, strlen(m->hazards[k].text)));
		for (unsigned k = 0; k < m->nconditions; k++)
			con_line("model.%s.condition.%u=%s %s %s", nm, k, pvh_condition_name(m->conditions[k].id),
				 cond_state_name(m->conditions[k].state),
				 quoted((const uint8_t *)m->conditions[k].text, strlen(m->conditions[k].text)));
		if (m->trace_dropped | m->hazards_dropped | m->conditions_dropped)
			con_line("model.%s.dropped=trace=%u hazards=%u conditions=%u", nm, m->trace_dropped,
				 m->hazards_dropped, m->conditions_dropped);
	}
}

static bool leaf_before(const struct leaf_entry *a, const struct leaf_entry *b)
{
	return a->leaf < b->leaf || (a->leaf == b->leaf && a->subleaf < b->subleaf);
}

/* The leaves by (leaf, subleaf). Sorting is the renderers' concern (the
 * core keeps insertion order; the hosted renderers use qsort): here an
 * insertion sort, as the table is small and mostly in order already. */
static void report_leaves(void)
{
	size_t n = lt.cache.n;
	if (n > sizeof(sorted) / sizeof(sorted[0]))
		n = sizeof(sorted) / sizeof(sorted[0]); /* the analysis reads a few hundred */
	for (size_t i = 0; i < n; i++) {
		const struct leaf_entry *e = &lt.cache.v[i];
		size_t j = i;
		for (; j > 0 && leaf_before(e, sorted[j - 1]); j--)
			sorted[j] = sorted[j - 1];
		sorted[j] = e;
	}
	con_line("cpuid.count=%u executions=%lu", (unsigned)n, lt.executions);
	for (size_t i = 0; i < n; i++) {
		const struct leaf_entry *e = sorted[i];
		con_line("cpuid=%08x %08x %08x %08x %08x %08x", (unsigned)e->leaf, (unsigned)e->subleaf,
			 (unsigned)e->r.eax, (unsigned)e->r.ebx, (unsigned)e->r.ecx, (unsigned)e->r.edx);
	}
}

/* Whether the start_info command line holds word (bounded by what was
 * read; a word ends at a space or the end). */
static bool cmdline_has(const char *word)
{
	size_t wl = strlen(word), n = si.cmdline.read ? si.cmdline.len : 0;
	for (size_t i = 0; i + wl <= n; i++) {
		if ((i == 0 || si.cmdline.bytes[i - 1] == ' ') && memcmp(si.cmdline.bytes + i, word, wl) == 0 &&
		    (i + wl == n || si.cmdline.bytes[i + wl] == ' '))
			return true;
	}
	return false;
}

/* The self-test of the exception path (tests/guest/run.sh): with
 * "pvhprobe.trap=ud" or "pvhprobe.trap=gp" on the command line the probe
 * faults on purpose before writing its report, and must say so and
 * power off. */
static void selftest_trap(void)
{
	if (cmdline_has("pvhprobe.trap=ud"))
		__asm__ volatile("ud2");
	if (cmdline_has("pvhprobe.trap=gp"))
		__asm__ volatile("movw %0, %%ds" : : "r"((uint16_t)0x1238));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

void guest_main(void)
{
	uint64_t t0 = rdtsc();
	idt_init();
	con_init();

	/* collect */
	pvh_start_info_parse(&physmem, entry_raw.ebx, &si);
	physmem_set_map(&si);
	selftest_trap();
	lar_ran = entry_lar_lsl(&entry_raw, &si);
	pvh_entry_check(&entry_raw, &physmem, &entry);
	pvh_acpi_parse(&physmem, si.magic_ok ? si.rsdp_paddr : 0, true, &acpi);
	poweroff_state.acpi = &acpi;

	uint64_t t1 = rdtsc();
	lt_init(&lt, &insn_source, &bump);
	/* the leaves entry.S read to decide on EFER, so the host sees them */
	(void)lt_get(&lt, 0x80000000u, 0);
	(void)lt_get(&lt, 0x80000001u, 0);
	scan_run(&lt, &sc);
	unsigned n;
	const struct model_desc *models = models_all(&n);
	for (unsigned i = 0; i < n; i++) {
		if (nmodels == MODELS_MAX) {
			models_dropped++;
			continue;
		}
		model_run(&models[i], &lt, &results[nmodels]);
		/* The start_info just read decides the models' conditions on it. */
		if (si.read)
			model_apply_facts(&results[nmodels],
					  &(struct pvh_facts){ .magic = si.magic, .version = si.version,
							       .nr_modules = si.nr_modules,
							       .memmap_entries = si.memmap_entries,
							       .modlist_paddr = si.modlist_paddr,
							       .memmap_paddr = si.memmap_paddr });
		nmodels++;
	}
	static const uint8_t xen_sig[CPUID_SIG_LEN] = "XenVMMXenVMM";
	poweroff_state.xen_base = model_sig_scan(NULL, &lt, "probe", xen_sig, 2);
	/* After the kernels' own reads: the CPU's identity for the host's
	 * report (vendor, family and the hypervisor bit, the brand string),
	 * which the scan and the models need not have read. */
	(void)lt_get(&lt, 0, 0);
	(void)lt_get(&lt, 1, 0);
	for (uint32_t l = 0x80000002u; l <= 0x80000004u; l++)
		(void)lt_get(&lt, l, 0);

	uint64_t t2 = rdtsc();

	/* render */
	con_begin();
	answer();
	con_line("probe.version=%s format=%d uart=%s", PVHPROBE_VERSION, PROBE_FORMAT,
		 con_uart_present() ? "yes" : "no");
	report_entry();
	report_start_info();
	report_acpi();
	report_findings(&entry.findings);
	report_findings(&si.findings);
	report_findings(&acpi.findings);
	con_line("probe.refused_reads=%lu", physmem_refused());
	report_scan();
	report_models();
	poweroff_plan(&poweroff_state);
	report_leaves();
	uint64_t t3 = rdtsc();
	/* TSC cycles: entry state, start_info and ACPI; CPUID scan and models;
	 * writing the report up to here */
	con_line("probe.tsc_cycles=collect=%llu analyse=%llu write=%llu", (unsigned long long)(t1 - t0),
		 (unsigned long long)(t2 - t1), (unsigned long long)(t3 - t2));
	con_end();

	poweroff(&poweroff_state, 0);
}
