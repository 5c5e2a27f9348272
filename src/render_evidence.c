/* render_evidence.c - the evidence section and the verdict, for the text
 * and JSON renderers (render_text.c and render_json.c call these). Every
 * string read from sysfs or firmware tables is untrusted and escaped.
 * Every object key here is pvhprobe's own ASCII (a literal, a decoder's
 * field name, a model name, an ACPI table name), never input: keys are
 * set with json_object_set_new_nocheck(), without jansson's UTF-8 scan. */
#include "render.h"

#include <errno.h>
#include <string.h>

#include "render_escape.h"
#include "render_json_value.h"

/* ---- helpers ---- */

static void esc(const uint8_t *b, size_t n, char *out, size_t len)
{
	escape_c(b, n, out, len);
}

static size_t trimmed(const uint8_t *b, size_t n)
{
	while (n && (b[n - 1] == ' ' || b[n - 1] == '\0'))
		n--;
	return n;
}

static json_t *jsbuf(const struct sbuf *s)
{
	return s->err ? json_null() : json_bytes(s->b, s->n);
}

static json_t *jerr(int err)
{
	if (!err)
		return json_null();
	if (err == -EACCES || err == -EPERM)
		return json_string("needs root");
	return json_string(strerror(-err));
}

static json_t *jexists(int r)
{
	return r < 0 ? json_null() : json_boolean(r == 1);
}

/* ---- text ---- */

static const char *entry_words(enum entry_protocol e)
{
	switch (e) {
	case ENTRY_PVH_XEN: return "entered through PVH, Xen path";
	case ENTRY_PVH: return "entered through PVH, non-Xen path";
	case ENTRY_LINUX_BOOT: return "entered through the Linux boot protocol, not PVH";
	case ENTRY_XEN_PV: return "is a Xen PV guest (Xen PV entry, not PVH)";
	default: return "entry path unknown";
	}
}

/* The two summary lines: how this kernel was entered, and the VMM. */
void render_evidence_summary(FILE *f, const struct report *r)
{
	const struct evidence *ev = r->ev;
	if (!ev)
		return;
	fprintf(f, "this kernel: %s (%s)", entry_words(ev->entry), ev->entry_why);
	for (unsigned i = 0; i < r->nmodels; i++) {
		const struct model_verdict *v = &r->verdicts[i];
		if (v->v == VERDICT_AGREE)
			fprintf(f, "; matches the %s model", r->models[i].desc->name);
		else if (v->v == VERDICT_DISAGREE)
			fprintf(f, "; CONTRADICTS the %s model", r->models[i].desc->name);
	}
	fputc('\n', f);
	const struct vmm_evidence *v = &ev->vmm;
	if (v->vmm && v->hardware)
		fprintf(f, "VMM: %s (%s); underneath: %s (%s)\n", v->vmm->name, v->how,
			v->hardware == v->vmm ? "Xen's own firmware tables" : v->hardware->name, v->hardware_how);
	else if (v->vmm)
		fprintf(f, "VMM: %s (%s)\n", v->vmm->name, v->how);
	else
		fprintf(f, "VMM: not identified (%s%s)\n", v->dmi ? "DMI names none we know" : "no DMI",
			v->acpi_needs_root ? "; the ACPI tables need root" : "");
}

/* -v: every file read and what it said, then the verdict per model. */
void render_evidence_details(FILE *f, const struct report *r)
{
	const struct evidence *ev = r->ev;
	if (!ev)
		return;
	const struct vmm_evidence *v = &ev->vmm;
	char a[256], b[256];
	fprintf(f, "evidence:\n");
	const struct boot_evidence *bp = &ev->boot;
	if (bp->err)
		fprintf(f, "  boot_params: %s\n", strerror(-bp->err));
	else if (!bp->complete)
		fprintf(f, "  boot_params: truncated, %zu bytes\n", bp->size);
	else
		fprintf(f, "  boot_params: header 0x%08x%s, version 0x%04x, type_of_loader 0x%02x (%s), hardware_subarch %u\n",
			bp->header, bp->header == 0x53726448u ? " (\"HdrS\")" : "", bp->version, bp->loader,
			ev->boot.entry == ENTRY_PVH || ev->boot.entry == ENTRY_PVH_XEN
				? "written by the kernel's own PVH entry code"
				: bp->loader_name ? bp->loader_name : "unassigned",
			bp->subarch);
	if (bp->bootloader_type >= 0)
		fprintf(f, "  /proc/sys/kernel/bootloader_type: %d (0x%02x)\n", bp->bootloader_type, bp->bootloader_type);
	const struct xen_evidence *x = &ev->xen;
	if (x->sys_hypervisor) {
		esc(x->type.b, x->type.n, a, sizeof(a));
		esc(x->guest_type.b, x->guest_type.n, b, sizeof(b));
		fprintf(f, "  /sys/hypervisor: type \"%s\", guest_type \"%s\"", a, x->guest_type.err ? "-" : b);
		if (!x->major.err && !x->minor.err) {
			char mj[32], mn[32], ex[64];
			esc(x->major.b, x->major.n, mj, sizeof(mj));
			esc(x->minor.b, x->minor.n, mn, sizeof(mn));
			esc(x->extra.b, x->extra.n, ex, sizeof(ex));
			fprintf(f, ", version %s.%s%s", mj, mn, x->extra.err ? "" : ex);
		}
		fputc('\n', f);
	} else {
		fprintf(f, "  /sys/hypervisor: absent\n");
	}
	fprintf(f, "  /proc/xen %s, /dev/xen/xenbus %s\n", x->proc_xen == 1 ? "present" : "absent",
		x->xenbus == 1 ? "present" : "absent");
	if (!x->xenstore_built)
		fprintf(f, "  xenstore: not built in (no libxenstore at build time)\n");
	else if (x->xs_err == -ENODEV)
		fprintf(f, "  xenstore: not tried (not on Xen)\n");
	else if (x->xs_err == -EXDEV)
		fprintf(f, "  xenstore: not read (a replayed tree, not this machine)\n");
	else if (x->xs_err)
		fprintf(f, "  xenstore: %s\n", strerror(-x->xs_err));
	else {
		esc(x->xs_domid.b, x->xs_domid.n, a, sizeof(a));
		esc(x->xs_name.b, x->xs_name.n, b, sizeof(b));
		fprintf(f, "  xenstore: domid %s, name \"%s\"\n", a, b);
	}
	const struct { const char *k; const struct sbuf *s; } dmi[] = {
		{ "sys_vendor", &v->sys_vendor }, { "product_name", &v->product_name }, { "bios_vendor", &v->bios_vendor },
		{ "bios_version", &v->bios_version }, { "board_vendor", &v->board_vendor },
	};
	if (!v->dmi)
		fprintf(f, "  DMI: absent\n");
	for (size_t i = 0; v->dmi && i < ARRAY_SIZE(dmi); i++) {
		if (dmi[i].s->err)
			continue;
		esc(dmi[i].s->b, dmi[i].s->n, a, sizeof(a));
		fprintf(f, "  DMI %s: \"%s\"\n", dmi[i].k, a);
	}
	for (unsigned i = 0; i < ACPI_TABLES; i++) {
		const struct acpi_table *t = &v->acpi[i];
		if (t->err) {
			fprintf(f, "  ACPI %s: %s\n", t->sig,
				t->err == -EACCES || t->err == -EPERM ? "needs root" : strerror(-t->err));
			continue;
		}
		char oem[32], tid[48], cre[24], hv[48];
		esc(t->oem_id, trimmed(t->oem_id, 6), oem, sizeof(oem));
		esc(t->oem_table_id, trimmed(t->oem_table_id, 8), tid, sizeof(tid));
		esc(t->creator_id, trimmed(t->creator_id, 4), cre, sizeof(cre));
		fprintf(f, "  ACPI %s: OEM \"%s\", table id \"%s\", creator \"%s\"", t->sig, oem, tid, cre);
		if (t->have_hv_vendor) {
			esc(t->hv_vendor, trimmed(t->hv_vendor, 8), hv, sizeof(hv));
			fprintf(f, ", hypervisor vendor \"%s\"", hv);
		}
		fputc('\n', f);
	}
	for (unsigned i = 0; i < r->nmodels; i++)
		fprintf(f, "  verdict %s: %s: %s\n", r->models[i].desc->name, verdict_name(r->verdicts[i].v),
			r->verdicts[i].text);
}

/* ---- JSON ---- */

json_t *render_evidence_json(const struct report *r)
{
	const struct evidence *ev = r->ev;
	if (!ev)
		return json_null();
	json_t *o = json_object();
	json_object_set_new_nocheck(o, "entry", json_string(entry_protocol_name(ev->entry)));
	json_object_set_new_nocheck(o, "entry_reason", json_string(ev->entry_why));
	json_object_set_new_nocheck(o, "observed_path",
			    ev->observed_path == _PATH_INVALID ? json_null() : json_string(pvh_path_name(ev->observed_path)));

	const struct boot_evidence *bp = &ev->boot;
	json_t *b = json_object();
	json_object_set_new_nocheck(b, "error", bp->err ? jerr(bp->err) : bp->complete ? json_null() : json_string("truncated"));
	json_object_set_new_nocheck(b, "size", json_integer((json_int_t)bp->size));
	bool ok = !bp->err && bp->complete;
	json_object_set_new_nocheck(b, "header", ok ? json_integer(bp->header) : json_null());
	json_object_set_new_nocheck(b, "header_hdrs", ok ? json_boolean(bp->header == 0x53726448u) : json_null());
	json_object_set_new_nocheck(b, "version", ok ? json_integer(bp->version) : json_null());
	json_object_set_new_nocheck(b, "type_of_loader", ok ? json_integer(bp->loader) : json_null());
	json_object_set_new_nocheck(b, "loader_name", ok && bp->loader_name ? json_string(bp->loader_name) : json_null());
	json_object_set_new_nocheck(b, "hardware_subarch", ok ? json_integer(bp->subarch) : json_null());
	json_object_set_new_nocheck(b, "bootloader_type", bp->bootloader_type >= 0 ? json_integer(bp->bootloader_type) : json_null());
	json_object_set_new_nocheck(o, "boot_params", b);

	const struct xen_evidence *x = &ev->xen;
	json_t *xj = json_object();
	json_object_set_new_nocheck(xj, "type", jsbuf(&x->type));
	json_object_set_new_nocheck(xj, "guest_type", jsbuf(&x->guest_type));
	json_object_set_new_nocheck(xj, "version_major", jsbuf(&x->major));
	json_object_set_new_nocheck(xj, "version_minor", jsbuf(&x->minor));
	json_object_set_new_nocheck(xj, "version_extra", jsbuf(&x->extra));
	json_object_set_new_nocheck(xj, "features", jsbuf(&x->features));
	json_object_set_new_nocheck(xj, "uuid", jsbuf(&x->uuid));
	json_object_set_new_nocheck(xj, "proc_xen", jexists(x->proc_xen));
	json_object_set_new_nocheck(xj, "xenbus", jexists(x->xenbus));
	json_t *xs = json_object();
	json_object_set_new_nocheck(xs, "built", json_boolean(x->xenstore_built));
	json_object_set_new_nocheck(xs, "error", x->xs_err == -ENODEV   ? json_string("not on Xen")
					 : x->xs_err == -EXDEV  ? json_string("replayed tree")
					 : x->xs_err == -ENOSYS ? json_string("not built with libxenstore")
								: jerr(x->xs_err));
	bool xsok = x->xenstore_built && !x->xs_err;
	json_object_set_new_nocheck(xs, "domid", xsok ? jsbuf(&x->xs_domid) : json_null());
	json_object_set_new_nocheck(xs, "name", xsok ? jsbuf(&x->xs_name) : json_null());
	json_object_set_new_nocheck(xs, "vm", xsok ? jsbuf(&x->xs_vm) : json_null());
	json_object_set_new_nocheck(xj, "xenstore", xs);
	json_object_set_new_nocheck(o, "xen", xj);

	const struct vmm_evidence *v = &ev->vmm;
	json_t *vj = json_object();
	json_object_set_new_nocheck(vj, "id", v->vmm ? json_string(v->vmm->id) : json_null());
	json_object_set_new_nocheck(vj, "name", v->vmm ? json_string(v->vmm->name) : json_null());
	json_object_set_new_nocheck(vj, "how", v->vmm ? json_string(v->how) : json_null());
	json_t *hw = json_null();
	if (v->hardware) {
		hw = json_object();
		json_object_set_new_nocheck(hw, "id", json_string(v->hardware->id));
		json_object_set_new_nocheck(hw, "name", json_string(v->hardware->name));
		json_object_set_new_nocheck(hw, "how", json_string(v->hardware_how));
	}
	json_object_set_new_nocheck(vj, "hardware", hw);
	json_t *dmi = json_object();
	json_object_set_new_nocheck(dmi, "present", json_boolean(v->dmi));
	json_object_set_new_nocheck(dmi, "sys_vendor", jsbuf(&v->sys_vendor));
	json_object_set_new_nocheck(dmi, "product_name", jsbuf(&v->product_name));
	json_object_set_new_nocheck(dmi, "bios_vendor", jsbuf(&v->bios_vendor));
	json_object_set_new_nocheck(dmi, "bios_version", jsbuf(&v->bios_version));
	json_object_set_new_nocheck(dmi, "board_vendor", jsbuf(&v->board_vendor));
	json_object_set_new_nocheck(vj, "dmi", dmi);
	json_t *acpi = json_object();
	for (unsigned i = 0; i < ACPI_TABLES; i++) {
		const struct acpi_table *t = &v->acpi[i];
		json_t *tj = json_object();
		json_object_set_new_nocheck(tj, "error", jerr(t->err));
		json_object_set_new_nocheck(tj, "oem_id", t->err ? json_null() : json_bytes(t->oem_id, trimmed(t->oem_id, 6)));
		json_object_set_new_nocheck(tj, "oem_table_id",
				    t->err ? json_null() : json_bytes(t->oem_table_id, trimmed(t->oem_table_id, 8)));
		json_object_set_new_nocheck(tj, "creator_id", t->err ? json_null() : json_bytes(t->creator_id, trimmed(t->creator_id, 4)));
		json_object_set_new_nocheck(tj, "hypervisor_vendor",
				    !t->err && t->have_hv_vendor ? json_bytes(t->hv_vendor, trimmed(t->hv_vendor, 8)) : json_null());
		json_object_set_new_nocheck(acpi, t->sig, tj);
	}
	json_object_set_new_nocheck(vj, "acpi", acpi);
	json_object_set_new_nocheck(vj, "acpi_needs_root", json_boolean(v->acpi_needs_root));
	json_object_set_new_nocheck(o, "vmm", vj);
	return o;
}

json_t *render_verdict_json(const struct report *r)
{
	if (!r->ev)
		return json_null();
	json_t *o = json_object();
	for (unsigned i = 0; i < r->nmodels; i++) {
		json_t *v = json_object();
		json_object_set_new_nocheck(v, "status", json_string(verdict_name(r->verdicts[i].v)));
		json_object_set_new_nocheck(v, "text", json_string(r->verdicts[i].text));
		json_object_set_new_nocheck(o, r->models[i].desc->name, v);
	}
	return o;
}
