/* render_entry.c - the "entry" part of the report: what the VMM handed the
 * probe guest at its PVH entry, from a console capture (report->entry).
 * Text, JSON and env. Bytes from the capture (command lines, ACPI ids)
 * are escaped here like CPUID bytes. */
#include "render.h"

#include <string.h>

#include "dump_probe_console.h"
#include "render_escape.h"

/* ---- text ---- */

static const char *esc(const uint8_t *b, size_t n, char *out, size_t len)
{
	escape_c(b, n, out, len);
	return out;
}

static void print_finding(FILE *f, const struct probe_finding *pf)
{
	fprintf(f, "    %-5s %s: %s (0x%llx)\n", pf->severity, pf->id, pf->text, (unsigned long long)pf->value);
}

void render_entry_text(FILE *f, const struct report *r, bool verbose)
{
	const struct probe_entry *e = r->entry;
	if (!e)
		return;
	char a[160], b[160];
	fprintf(f, "entry: probe guest %s, frame of %u lines at lines %u-%u of the capture\n",
		e->probe_version[0] ? e->probe_version : "?", e->frame_lines, e->begin_line, e->end_line);
	if (!e->si_read)
		fprintf(f, "  start_info   not readable at 0x%08x\n", e->si_paddr);
	else if (!e->magic_ok)
		fprintf(f, "  start_info   at 0x%08x, magic 0x%08x wrong\n", e->si_paddr, e->magic);
	else
		fprintf(f, "  start_info   v%u at 0x%08x, flags %s, %u memmap entr%s, %u module%s, cmdline \"%s\"%s\n",
			e->version, e->si_paddr, e->flag_names[0] ? e->flag_names : "?", e->nmemmap,
			e->nmemmap == 1 ? "y" : "ies", e->nr_modules, e->nr_modules == 1 ? "" : "s",
			e->cmdline.present ? esc(e->cmdline.b, e->cmdline.n, a, sizeof(a)) : "",
			e->cmdline.truncated ? "..." : "");
	if (e->have_ram_bytes)
		fprintf(f, "  memory       %llu MiB of RAM in the memory map\n", (unsigned long long)(e->ram_bytes >> 20));
	if (!e->rsdp_present)
		fprintf(f, "  rsdp         none\n");
	else
		fprintf(f, "  rsdp         0x%08llx (%s, revision %u%s)\n", (unsigned long long)e->acpi_rsdp_paddr,
			e->rsdp_ok ? "ok" : "bad", e->rsdp_revision, e->rsdp_scanned ? ", found by scanning" : "");
	if (e->rsdp_ok)
		fprintf(f, "  acpi         OEM \"%s\", FADT hypervisor vendor %s%s%s, %u tables%s\n",
			esc(e->rsdp_oem_id, sizeof(e->rsdp_oem_id), a, sizeof(a)), e->has_hv_vendor ? "\"" : "",
			e->has_hv_vendor ? esc(e->hv_vendor, sizeof(e->hv_vendor), b, sizeof(b)) : "none",
			e->has_hv_vendor ? "\"" : "", e->ntables, e->fadt_found && e->hw_reduced ? ", hardware-reduced" : "");
	if (r->entry_vmm)
		fprintf(f, "  vmm          %s (%s)\n", r->entry_vmm->name, r->entry_vmm_how);
	else
		fprintf(f, "  vmm          not named by the ACPI tables\n");
	if (r->entry_hardware)
		fprintf(f, "  hardware     %s, underneath Xen (%s)\n", r->entry_hardware->name, r->entry_hardware_how);
	fprintf(f, "  registers    cr0 0x%08x cr4 0x%08x eflags 0x%08x ebx 0x%08x", e->cr0, e->cr4, e->eflags, e->ebx);
	if (e->efer_valid)
		fprintf(f, " efer 0x%llx", (unsigned long long)e->efer);
	fprintf(f, "\n");
	fprintf(f, "  abi          %u error%s, %u warning%s\n", e->errors, e->errors == 1 ? "" : "s", e->warnings,
		e->warnings == 1 ? "" : "s");
	for (unsigned i = 0; i < e->nfindings; i++)
		if (verbose || strcmp(e->findings[i].severity, "info") != 0)
			print_finding(f, &e->findings[i]);
	if (e->findings_dropped)
		fprintf(f, "    %u more findings not kept\n", e->findings_dropped);
	if (!verbose)
		return;
	fprintf(f, "  gdtr         base 0x%08x limit 0x%04x; idtr base 0x%08x limit 0x%04x; cr3 0x%08x esp 0x%08x\n",
		e->gdtr_base, e->gdtr_limit, e->idtr_base, e->idtr_limit, e->cr3, e->esp);
	for (int i = 0; i < _PROBE_SEG_MAX; i++) {
		const struct probe_segment *s = &e->seg[i];
		if (!s->present)
			continue;
		fprintf(f, "  %-12s sel 0x%04x", probe_seg_name((enum probe_seg)i), s->sel);
		if (s->lar_ok)
			fprintf(f, " lar 0x%08x", s->lar);
		if (s->limit_ok)
			fprintf(f, " limit 0x%08x", s->limit);
		if (s->base_known)
			fprintf(f, " base 0x%08x", s->base);
		fprintf(f, "\n");
	}
	for (unsigned i = 0; i < e->nmemmap; i++) {
		const struct probe_memmap_entry *m = &e->memmap[i];
		fprintf(f, "  memmap %-5u 0x%016llx-0x%016llx %s (%u)\n", i, (unsigned long long)m->addr,
			(unsigned long long)(m->addr + m->size), m->type_name[0] ? m->type_name : "?", m->type);
	}
	for (unsigned i = 0; i < e->nmodules; i++) {
		const struct probe_module *m = &e->modules[i];
		fprintf(f, "  module %-5u 0x%016llx size 0x%llx cmdline \"%s\"\n", i, (unsigned long long)m->paddr,
			(unsigned long long)m->size, m->cmdline.present ? esc(m->cmdline.b, m->cmdline.n, a, sizeof(a)) : "");
	}
	for (unsigned i = 0; i < e->ntables; i++) {
		const struct probe_acpi_table *t = &e->tables[i];
		char s4[24], oem[40], tid[48];
		fprintf(f, "  acpi table   %s at 0x%08llx, %u bytes, OEM \"%s\" \"%s\", checksum %s\n",
			esc(t->sig, 4, s4, sizeof(s4)), (unsigned long long)t->paddr, t->length,
			esc(t->oem_id, 6, oem, sizeof(oem)), esc(t->oem_table_id, 8, tid, sizeof(tid)),
			t->checksum_ok ? "ok" : "bad");
	}
	for (unsigned i = 0; i < e->nmodels; i++)
		fprintf(f, "  probe model  %-15s %s %s\n", e->models[i].name, e->models[i].path, e->models[i].outcome);
}

/* ---- JSON ---- */

static json_t *hex(uint64_t v, int digits)
{
	char b[24];
	snprintf(b, sizeof(b), "0x%0*llx", digits, (unsigned long long)v);
	return json_string(b);
}

static void set_num(json_t *o, const char *key, uint64_t v, int digits)
{
	char k[64];
	json_object_set_new_nocheck(o, key, json_integer((json_int_t)v));
	if (digits) {
		snprintf(k, sizeof(k), "%s_hex", key);
		json_object_set_new_nocheck(o, k, hex(v, digits));
	}
}

static json_t *bytes_json(const uint8_t *b, size_t n)
{
	char buf[PROBE_BYTES_MAX * 2 + 8];
	size_t k = bytes_to_utf8(b, n, buf, sizeof(buf));
	return json_stringn(buf, k < sizeof(buf) ? k : sizeof(buf) - 1);
}

static json_t *pbytes_json(const struct probe_bytes *pb)
{
	return pb->present ? bytes_json(pb->b, pb->n) : json_null();
}

static json_t *table_json(const struct probe_acpi_table *t)
{
	json_t *o = json_object();
	json_object_set_new_nocheck(o, "signature", bytes_json(t->sig, 4));
	json_object_set_new_nocheck(o, "oem_id", bytes_json(t->oem_id, 6));
	json_object_set_new_nocheck(o, "oem_table_id", bytes_json(t->oem_table_id, 8));
	json_object_set_new_nocheck(o, "creator_id", bytes_json(t->creator_id, 4));
	set_num(o, "paddr", t->paddr, 8);
	json_object_set_new_nocheck(o, "length", json_integer(t->length));
	json_object_set_new_nocheck(o, "revision", json_integer(t->revision));
	json_object_set_new_nocheck(o, "checksum_ok", json_boolean(t->checksum_ok));
	return o;
}

static json_t *start_info_json(const struct probe_entry *e)
{
	json_t *o = json_object();
	set_num(o, "paddr", e->si_paddr, 8);
	json_object_set_new_nocheck(o, "read", json_boolean(e->si_read));
	json_object_set_new_nocheck(o, "magic", e->si_read ? json_integer(e->magic) : json_null());
	json_object_set_new_nocheck(o, "magic_ok", json_boolean(e->magic_ok));
	bool ok = e->magic_ok;
	json_object_set_new_nocheck(o, "version", ok ? json_integer(e->version) : json_null());
	json_object_set_new_nocheck(o, "flags", ok ? json_integer(e->flags) : json_null());
	json_object_set_new_nocheck(o, "nr_modules", ok ? json_integer(e->nr_modules) : json_null());
	json_object_set_new_nocheck(o, "modlist_paddr", ok ? json_integer((json_int_t)e->modlist_paddr) : json_null());
	json_object_set_new_nocheck(o, "cmdline", pbytes_json(&e->cmdline));
	json_object_set_new_nocheck(o, "rsdp_paddr", ok ? json_integer((json_int_t)e->rsdp_paddr) : json_null());
	json_object_set_new_nocheck(o, "memmap_paddr", e->si_v1 ? json_integer((json_int_t)e->memmap_paddr) : json_null());
	json_object_set_new_nocheck(o, "memmap_entries", e->si_v1 ? json_integer(e->memmap_entries) : json_null());
	json_t *mm = json_array();
	for (unsigned i = 0; i < e->nmemmap; i++) {
		const struct probe_memmap_entry *m = &e->memmap[i];
		json_t *x = json_object();
		set_num(x, "addr", m->addr, 16);
		set_num(x, "size", m->size, 16);
		json_object_set_new_nocheck(x, "type", json_integer(m->type));
		json_object_set_new_nocheck(x, "type_name", m->type_name[0] ? json_string(m->type_name) : json_null());
		json_array_append_new(mm, x);
	}
	json_object_set_new_nocheck(o, "memmap", mm);
	json_object_set_new_nocheck(o, "ram_bytes", e->have_ram_bytes ? json_integer((json_int_t)e->ram_bytes) : json_null());
	json_t *mods = json_array();
	for (unsigned i = 0; i < e->nmodules; i++) {
		const struct probe_module *m = &e->modules[i];
		json_t *x = json_object();
		set_num(x, "paddr", m->paddr, 16);
		json_object_set_new_nocheck(x, "size", json_integer((json_int_t)m->size));
		json_object_set_new_nocheck(x, "cmdline_paddr", json_integer((json_int_t)m->cmdline_paddr));
		json_object_set_new_nocheck(x, "cmdline", pbytes_json(&m->cmdline));
		json_array_append_new(mods, x);
	}
	json_object_set_new_nocheck(o, "modules", mods);
	return o;
}

json_t *render_entry_json(const struct report *r)
{
	const struct probe_entry *e = r->entry;
	if (!e)
		return json_null();
	json_t *o = json_object();
	json_object_set_new_nocheck(o, "probe_version", e->probe_version[0] ? json_string(e->probe_version) : json_null());
	json_object_set_new_nocheck(o, "format", json_integer(e->format));
	json_object_set_new_nocheck(o, "answer", json_string(e->answer));
	json_t *fr = json_object();
	json_object_set_new_nocheck(fr, "begin_line", json_integer(e->begin_line));
	json_object_set_new_nocheck(fr, "end_line", json_integer(e->end_line));
	json_object_set_new_nocheck(fr, "lines", json_integer(e->frame_lines));
	json_object_set_new_nocheck(o, "frame", fr);

	json_t *regs = json_object();
	static const char *const names[] = { "ebx", "esp", "eflags", "cr0", "cr3", "cr4" };
	const uint32_t vals[] = { e->ebx, e->esp, e->eflags, e->cr0, e->cr3, e->cr4 };
	for (int i = 0; i < 6; i++)
		set_num(regs, names[i], vals[i], 8);
	json_object_set_new_nocheck(regs, "efer", e->efer_valid ? json_integer((json_int_t)e->efer) : json_null());
	json_object_set_new_nocheck(o, "registers", regs);
	json_t *g = json_object(), *id = json_object();
	set_num(g, "base", e->gdtr_base, 8);
	json_object_set_new_nocheck(g, "limit", json_integer(e->gdtr_limit));
	set_num(id, "base", e->idtr_base, 8);
	json_object_set_new_nocheck(id, "limit", json_integer(e->idtr_limit));
	json_object_set_new_nocheck(o, "gdtr", g);
	json_object_set_new_nocheck(o, "idtr", id);
	json_t *segs = json_object();
	for (int i = 0; i < _PROBE_SEG_MAX; i++) {
		const struct probe_segment *s = &e->seg[i];
		if (!s->present)
			continue;
		json_t *x = json_object();
		json_object_set_new_nocheck(x, "selector", json_integer(s->sel));
		json_object_set_new_nocheck(x, "lar", s->lar_ok ? json_integer(s->lar) : json_null());
		json_object_set_new_nocheck(x, "limit", s->limit_ok ? json_integer(s->limit) : json_null());
		json_object_set_new_nocheck(x, "base", s->base_known ? json_integer(s->base) : json_null());
		json_object_set_new_nocheck(segs, probe_seg_name((enum probe_seg)i), x);
	}
	json_object_set_new_nocheck(o, "segments", segs);
	json_object_set_new_nocheck(o, "start_info", start_info_json(e));

	json_t *acpi = json_object();
	json_object_set_new_nocheck(acpi, "rsdp_paddr", e->rsdp_present ? json_integer((json_int_t)e->acpi_rsdp_paddr) : json_null());
	json_object_set_new_nocheck(acpi, "rsdp_ok", json_boolean(e->rsdp_ok));
	json_object_set_new_nocheck(acpi, "oem_id", e->rsdp_present ? bytes_json(e->rsdp_oem_id, 6) : json_null());
	json_object_set_new_nocheck(acpi, "hypervisor_vendor", e->has_hv_vendor ? bytes_json(e->hv_vendor, 8) : json_null());
	json_object_set_new_nocheck(acpi, "hw_reduced", e->fadt_found ? json_boolean(e->hw_reduced) : json_null());
	json_t *tabs = json_array();
	for (unsigned i = 0; i < e->ntables; i++)
		json_array_append_new(tabs, table_json(&e->tables[i]));
	json_object_set_new_nocheck(acpi, "tables", tabs);
	json_object_set_new_nocheck(o, "acpi", acpi);

	json_t *vmm = json_null();
	if (r->entry_vmm) {
		vmm = json_object();
		json_object_set_new_nocheck(vmm, "id", json_string(r->entry_vmm->id));
		json_object_set_new_nocheck(vmm, "name", json_string(r->entry_vmm->name));
		json_object_set_new_nocheck(vmm, "how", json_string(r->entry_vmm_how));
		json_t *hw = json_null();
		if (r->entry_hardware) {
			hw = json_object();
			json_object_set_new_nocheck(hw, "id", json_string(r->entry_hardware->id));
			json_object_set_new_nocheck(hw, "name", json_string(r->entry_hardware->name));
			json_object_set_new_nocheck(hw, "how", json_string(r->entry_hardware_how));
		}
		json_object_set_new_nocheck(vmm, "hardware", hw);
	}
	json_object_set_new_nocheck(o, "vmm", vmm);

	json_t *fa = json_array();
	for (unsigned i = 0; i < e->nfindings; i++) {
		const struct probe_finding *pf = &e->findings[i];
		json_t *x = json_object();
		json_object_set_new_nocheck(x, "id", json_string(pf->id));
		json_object_set_new_nocheck(x, "severity", json_string(pf->severity));
		json_object_set_new_nocheck(x, "value", json_integer((json_int_t)pf->value));
		json_object_set_new_nocheck(x, "text", json_string(pf->text));
		json_array_append_new(fa, x);
	}
	json_object_set_new_nocheck(o, "findings", fa);
	json_object_set_new_nocheck(o, "abi_errors", json_integer(e->errors));
	json_object_set_new_nocheck(o, "abi_warnings", json_integer(e->warnings));
	json_t *ma = json_array();
	for (unsigned i = 0; i < e->nmodels; i++) {
		const struct probe_model *m = &e->models[i];
		json_t *x = json_object();
		json_object_set_new_nocheck(x, "name", json_string(m->name));
		json_object_set_new_nocheck(x, "path", json_string(m->path));
		json_object_set_new_nocheck(x, "outcome", json_string(m->outcome));
		json_array_append_new(ma, x);
	}
	json_object_set_new_nocheck(o, "probe_models", ma);
	return o;
}

/* ---- env ---- */

static void var(FILE *f, const char *name, const char *value)
{
	char q[1024];
	shell_quote(value, q, sizeof(q));
	fprintf(f, "PVHPROBE_ENTRY_%s=%s\n", name, q);
}

void render_entry_env(FILE *f, const struct report *r)
{
	const struct probe_entry *e = r->entry;
	if (!e)
		return;
	char b[160];
	snprintf(b, sizeof(b), "%u", e->magic_ok ? e->version : 0);
	var(f, "START_INFO_VERSION", e->magic_ok ? b : "");
	var(f, "START_INFO_MAGIC_OK", e->magic_ok ? "1" : "0");
	snprintf(b, sizeof(b), "%u", e->nmemmap);
	var(f, "MEMMAP_ENTRIES", b);
	snprintf(b, sizeof(b), "%u", e->nr_modules);
	var(f, "MODULES", e->magic_ok ? b : "");
	snprintf(b, sizeof(b), "0x%llx", (unsigned long long)e->acpi_rsdp_paddr);
	var(f, "RSDP", e->rsdp_present ? b : "");
	escape_c(e->hv_vendor, sizeof(e->hv_vendor), b, sizeof(b));
	var(f, "ACPI_HYPERVISOR_VENDOR", e->has_hv_vendor ? b : "");
	var(f, "VMM", r->entry_vmm ? r->entry_vmm->id : "");
	snprintf(b, sizeof(b), "%u", e->errors);
	var(f, "ABI_ERRORS", b);
	snprintf(b, sizeof(b), "%u", e->warnings);
	var(f, "ABI_WARNINGS", b);
}
