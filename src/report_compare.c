/* compare.c - building the comparison of two reports. */
#include "report_compare.h"

#include <stdio.h>
#include <string.h>

#include "core/escape.h"
#include "core/percpu.h"
#include "dump_probe_console.h"

static void append(char *buf, size_t len, const char *word)
{
	size_t k = strlen(buf);
	snprintf(buf + k, len - k, "%s%s", k ? " " : "", word);
}

static void models_diff(struct comparison *c)
{
	for (unsigned i = 0; i < c->a->nmodels && c->nmodels < REPORT_MODELS_MAX; i++) {
		const struct model_result *ma = &c->a->models[i];
		for (unsigned k = 0; k < c->b->nmodels; k++) {
			const struct model_result *mb = &c->b->models[k];
			if (ma->desc != mb->desc)
				continue;
			struct cmp_model *m = &c->models[c->nmodels++];
			m->name = ma->desc->name;
			m->path_a = ma->path;
			m->path_b = mb->path;
			m->outcome_a = ma->outcome;
			m->outcome_b = mb->outcome;
			m->differs = ma->path != mb->path || ma->outcome != mb->outcome;
			c->paths_differ |= m->differs;
		}
	}
}

static const struct hv_range *find_base(const struct scan *s, uint32_t base)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->ranges[i].cls == RANGE_HYPERVISOR && s->ranges[i].base == base)
			return &s->ranges[i];
	return NULL;
}

static void field_diff(struct comparison *c, const struct hv_range *ra, const struct hv_range *rb)
{
	/* Fields of a, matched by key in b; then fields only b has. */
	for (int pass = 0; pass < 2; pass++) {
		const struct hv_range *x = pass ? rb : ra, *y = pass ? ra : rb;
		for (unsigned i = 0; x->details && i < x->details->n && c->nfields < CMP_MAX; i++) {
			const struct field *fx = &x->details->f[i];
			const struct field *fy = range_field(y, fx->key);
			if (pass && fy)
				continue; /* seen in the first pass */
			const struct field *fa = pass ? fy : fx, *fb = pass ? fx : fy;
			char va[CMP_TEXT] = "-", vb[CMP_TEXT] = "-";
			if (fa)
				fields_value_text(fa, va, sizeof(va));
			if (fb)
				fields_value_text(fb, vb, sizeof(vb));
			if (strcmp(va, vb) == 0)
				continue;
			struct cmp_field *d = &c->fields[c->nfields++];
			memset(d, 0, sizeof(*d));
			d->base = ra->base;
			d->vendor = ra->known ? ra->known->id : "unknown";
			d->key = fx->key;
			snprintf(d->a, sizeof(d->a), "%s", va);
			snprintf(d->b, sizeof(d->b), "%s", vb);
			if (fa && fb && fa->type == FT_FLAGS) {
				for (unsigned bit = 0; bit < 32; bit++) {
					bool ia = fa->u >> bit & 1, ib = fb->u >> bit & 1;
					if (ia == ib)
						continue;
					char name[32];
					const char *nm = field_bit_name(fa, bit);
					if (!nm)
						snprintf(name, sizeof(name), "bit%u", bit);
					append(ib ? d->added : d->removed, CMP_TEXT, nm ? nm : name);
				}
			}
		}
	}
}

static void ranges_diff(struct comparison *c)
{
	const struct scan *sa = &c->a->scan, *sb = &c->b->scan;
	for (unsigned i = 0; i < sa->n && c->nranges < CMP_MAX; i++) {
		const struct hv_range *ra = &sa->ranges[i];
		if (ra->cls != RANGE_HYPERVISOR)
			continue;
		const struct hv_range *rb = find_base(sb, ra->base);
		if (!rb) {
			c->ranges[c->nranges++] = (struct cmp_range){ CMP_ONLY_A, ra->base, ra, NULL };
			continue;
		}
		if (memcmp(ra->sig, rb->sig, CPUID_SIG_LEN) != 0 || ra->r.eax != rb->r.eax)
			c->ranges[c->nranges++] = (struct cmp_range){ CMP_CHANGED, ra->base, ra, rb };
		if (ra->known && rb->known && ra->known == rb->known)
			field_diff(c, ra, rb);
	}
	for (unsigned i = 0; i < sb->n && c->nranges < CMP_MAX; i++) {
		const struct hv_range *rb = &sb->ranges[i];
		if (rb->cls == RANGE_HYPERVISOR && !find_base(sa, rb->base))
			c->ranges[c->nranges++] = (struct cmp_range){ CMP_ONLY_B, rb->base, NULL, rb };
	}
}

static void cpu_item(struct comparison *c, const char *what, const char *a, const char *b)
{
	if (strcmp(a, b) == 0 || c->ncpu >= ARRAY_SIZE(c->cpu))
		return;
	struct cmp_cpu *d = &c->cpu[c->ncpu++];
	d->what = what;
	snprintf(d->a, sizeof(d->a), "%s", a);
	snprintf(d->b, sizeof(d->b), "%s", b);
}

static bool has_feature(const struct cpuinfo *ci, const char *name)
{
	for (unsigned i = 0; i < ci->nfeatures; i++)
		if (strcmp(ci->features[i], name) == 0)
			return true;
	return false;
}

static void cpu_diff(struct comparison *c)
{
	const struct cpuinfo *a = &c->a->cpu, *b = &c->b->cpu;
	char x[CMP_TEXT], y[CMP_TEXT];
	escape_c(a->vendor, sizeof(a->vendor), x, sizeof(x));
	escape_c(b->vendor, sizeof(b->vendor), y, sizeof(y));
	cpu_item(c, "vendor", x, y);
	escape_c(a->brand, a->brand_len, x, sizeof(x));
	escape_c(b->brand, b->brand_len, y, sizeof(y));
	cpu_item(c, "brand", x, y);
	snprintf(x, sizeof(x), "%#x/%#x/%d", a->family, a->model, a->stepping);
	snprintf(y, sizeof(y), "%#x/%#x/%d", b->family, b->model, b->stepping);
	cpu_item(c, "family/model/stepping", x, y);
	cpu_item(c, "hypervisor_bit", a->hypervisor_bit ? "set" : "clear", b->hypervisor_bit ? "set" : "clear");
	for (unsigned i = 0; i < b->nfeatures; i++)
		if (!has_feature(a, b->features[i]))
			append(c->features_added, sizeof(c->features_added), b->features[i]);
	for (unsigned i = 0; i < a->nfeatures; i++)
		if (!has_feature(b, a->features[i]))
			append(c->features_removed, sizeof(c->features_removed), a->features[i]);
}

static void leaves_diff(struct comparison *c)
{
	const struct leafset *la = &c->a->lt->cache, *lb = &c->b->lt->cache;
	for (size_t i = 0; i < la->n; i++) {
		const struct leaf_entry *ea = &la->v[i];
		const struct leaf_entry *eb = leafset_find(lb, ea->leaf, ea->subleaf);
		if (!eb)
			c->leaves_only_a++;
		else if (!percpu_equal(&c->a->scan, ea->leaf, &ea->r, &eb->r))
			c->leaves_differ++; /* APIC and vCPU ids aside */
	}
	for (size_t i = 0; i < lb->n; i++)
		if (!leafset_find(la, lb->v[i].leaf, lb->v[i].subleaf))
			c->leaves_only_b++;
}

/* One line of the entry part of the report, as text, or "-". */
static void entry_text(const struct report *r, int item, char *out, size_t n)
{
	const struct probe_entry *e = r->entry;
	if (!e) {
		snprintf(out, n, "-");
		return;
	}
	switch (item) {
	case 0: snprintf(out, n, e->magic_ok ? "%u" : "-", e->version); break;
	case 1: snprintf(out, n, "%u", e->nmemmap); break;
	case 2: snprintf(out, n, "%u", e->nr_modules); break;
	case 3: escape_c(e->cmdline.b, e->cmdline.n, out, n); break;
	case 4: snprintf(out, n, e->rsdp_present ? "0x%llx" : "none", (unsigned long long)e->acpi_rsdp_paddr); break;
	case 5: if (e->rsdp_present) escape_c(e->rsdp_oem_id, sizeof(e->rsdp_oem_id), out, n); else snprintf(out, n, "none"); break;
	case 6: if (e->has_hv_vendor) escape_c(e->hv_vendor, sizeof(e->hv_vendor), out, n); else snprintf(out, n, "none"); break;
	case 7: snprintf(out, n, "%s", r->entry_vmm ? r->entry_vmm->id : "none"); break;
	case 8: snprintf(out, n, "0x%08x", e->cr0); break;
	case 9: snprintf(out, n, "0x%08x", e->cr4); break;
	case 10: snprintf(out, n, "0x%08x", e->eflags); break;
	case 11: snprintf(out, n, e->efer_valid ? "0x%llx" : "none", (unsigned long long)e->efer); break;
	case 12: snprintf(out, n, "%u", e->errors); break;
	case 13: snprintf(out, n, "%u", e->warnings); break;
	default: snprintf(out, n, "?");
	}
}

static void entry_diff(struct comparison *c)
{
	static const char *const what[] = { "start_info version", "memmap entries", "modules", "cmdline", "rsdp",
					    "acpi oem", "fadt hypervisor vendor", "vmm", "cr0", "cr4", "eflags",
					    "efer", "abi errors", "abi warnings" };
	if (!c->a->entry && !c->b->entry)
		return;
	if (!c->a->entry || !c->b->entry) {
		struct cmp_cpu *d = &c->entry[c->nentry++];
		d->what = "probe capture";
		snprintf(d->a, sizeof(d->a), "%s", c->a->entry ? "yes" : "no");
		snprintf(d->b, sizeof(d->b), "%s", c->b->entry ? "yes" : "no");
		return;
	}
	for (int i = 0; i < (int)ARRAY_SIZE(what) && c->nentry < ARRAY_SIZE(c->entry); i++) {
		char x[CMP_TEXT], y[CMP_TEXT];
		entry_text(c->a, i, x, sizeof(x));
		entry_text(c->b, i, y, sizeof(y));
		if (strcmp(x, y) == 0)
			continue;
		struct cmp_cpu *d = &c->entry[c->nentry++];
		d->what = what[i];
		snprintf(d->a, sizeof(d->a), "%s", x);
		snprintf(d->b, sizeof(d->b), "%s", y);
	}
}

static void evidence_names(const struct report *r, char *entry, char *vmm)
{
	snprintf(entry, 32, "%s", r->ev ? entry_protocol_name(r->ev->entry) : "-");
	snprintf(vmm, 32, "%s", r->ev && r->ev->vmm.vmm ? r->ev->vmm.vmm->id : "-");
}

void compare_reports(const struct report *a, const struct report *b, struct comparison *c)
{
	memset(c, 0, sizeof(*c));
	c->a = a;
	c->b = b;
	models_diff(c);
	ranges_diff(c);
	cpu_diff(c);
	leaves_diff(c);
	entry_diff(c);
	evidence_names(a, c->entry_a, c->vmm_a);
	evidence_names(b, c->entry_b, c->vmm_b);
}
