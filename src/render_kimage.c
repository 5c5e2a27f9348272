/* render_kimage.c - `pvhprobe kernel`: text, JSON and env output.
 *
 * The answer comes first, one block per image. Bytes that came from the
 * image (note names, string notes, the bzImage version string) and the
 * file names go through escape.h: escape_c() for text and env,
 * bytes_to_utf8() for JSON (U+0000..U+00FF, nothing lost, valid UTF-8). */
#include "kimage.h"

#include <inttypes.h>
#include <string.h>

#include <jansson.h>

#include "core/unaligned.h"
#include "render.h"
#include "render_escape.h"
#include "render_json_value.h"

#define TXT 1200

/* ---- shared wording ---- */

/* A stable id for why the file can or cannot be PVH-booted. */
static const char *pvh_reason_id(const struct kimage *k)
{
	if (!k->ok)
		return "error";
	if (k->format == KIMAGE_BZIMAGE)
		return "bzimage";
	switch (k->elf.pvh) {
	case PVH_YES:
		return "phys32_entry";
	case PVH_BAD_SIZE:
		return "phys32_entry_bad_size";
	case PVH_ABOVE_4G:
		return "phys32_entry_above_4g";
	default:
		return "no_phys32_entry_note";
	}
}

static void esc(const void *b, size_t n, char *out, size_t outlen)
{
	escape_c(b, n, out, outlen);
}

static void esc_str(const char *s, char *out, size_t outlen)
{
	escape_c((const uint8_t *)s, strlen(s), out, outlen);
}

/* Xen's note names without the common prefix, for the short listing. */
static const char *short_name(const struct note_type *t)
{
	static const char xp[] = "XEN_ELFNOTE_";
	return strncmp(t->name, xp, sizeof(xp) - 1) == 0 ? t->name + sizeof(xp) - 1 : t->name;
}

static bool note_is_xen(const struct kimage_note *n)
{
	return n->namelen == 3 && memcmp(n->name, "Xen", 3) == 0 && !n->name_truncated;
}

/* A note's value as text: numbers in hex, strings quoted and escaped,
 * PHYS32_RELOC by field, anything else as hex bytes. */
static void note_value_text(const struct kimage_note *n, char *out, size_t len)
{
	const enum note_kind kind = n->known ? n->known->kind : NK_BYTES;
	if (kind == NK_NUMERIC && n->has_num) {
		snprintf(out, len, n->known->decimal ? "%" PRIu64 : "0x%" PRIx64, n->num);
		return;
	}
	if (kind == NK_STRING) {
		char s[4 * KIMAGE_DESC_MAX + 1];
		esc(n->desc, n->strlen, s, sizeof(s));
		snprintf(out, len, "\"%s\"%s", s,
			 n->str_unterminated ? " (no NUL)" : n->strlen == n->ndesc && n->ndesc < n->descsz ? "..." : "");
		return;
	}
	if (kind == NK_RELOC && n->descsz >= 4) {
		size_t k = 0;
		static const char *const fld[3] = { "align", "min", "max" };
		out[0] = '\0';
		for (unsigned i = 0; i < 3 && (i + 1) * 4 <= n->descsz; i++) {
			uint32_t v = get_le32(n->desc + i * 4);
			int w = snprintf(out + k, len - k, "%s%s 0x%x", i ? ", " : "", fld[i], v);
			if (w < 0 || (size_t)w >= len - k)
				break;
			k += (size_t)w;
		}
		return;
	}
	if (n->descsz == 0) {
		snprintf(out, len, "(empty)");
		return;
	}
	char hex[2 * 32 + 1];
	size_t show = n->ndesc < 32 ? n->ndesc : 32;
	bytes_to_hex(n->desc, show, hex, sizeof(hex));
	snprintf(out, len, "%s%s (%" PRIu32 " bytes)", hex, n->descsz > show ? "..." : "", n->descsz);
	if (kind == NK_NUMERIC) {
		size_t k = strlen(out);
		snprintf(out + k, len - k, ", expected 4 or 8");
	}
}

static void note_type_text(const struct kimage_note *n, char *out, size_t len)
{
	if (n->known) {
		snprintf(out, len, "%s", n->known->name);
		return;
	}
	char nm[4 * KIMAGE_NAME_MAX + 1];
	esc(n->name, n->namelen, nm, sizeof(nm));
	snprintf(out, len, "%s%s type 0x%" PRIx32, nm, n->name_truncated ? "..." : "", n->type);
}

/* ---- text ---- */

static void text_answer(FILE *f, const char *file, const struct kimage *k)
{
	const struct kimage_elf *e = &k->elf;
	if (k->format == KIMAGE_BZIMAGE) {
		const struct kimage_bzimage *bz = &k->bz;
		fprintf(f, "%s: bzImage, boot protocol %u.%02u", file, bz->version >> 8, bz->version & 0xff);
		if (bz->has_payload)
			fprintf(f, ", %s payload", bz->comp == COMP_NONE ? "uncompressed" : kimage_comp_name(bz->comp));
		fprintf(f, ": PVH VMMs need the ELF vmlinux inside it\n");
		return;
	}
	switch (e->pvh) {
	case PVH_YES:
		fprintf(f, "%s: PVH entry at 0x%" PRIx64 " (XEN_ELFNOTE_PHYS32_ENTRY), ", file, e->phys32_entry);
		if (e->has_reloc)
			fprintf(f, "relocatable (align 0x%x, min 0x%x, max 0x%x)\n", e->reloc.align, e->reloc.min,
				e->reloc.max);
		else
			fprintf(f, "not relocatable (loads at its ELF physical addresses)\n");
		break;
	case PVH_BAD_SIZE:
		fprintf(f,
			"%s: XEN_ELFNOTE_PHYS32_ENTRY has a %" PRIu32
			"-byte value, expected 4 or 8: cannot be PVH-booted\n",
			file, e->phys32_descsz);
		break;
	case PVH_ABOVE_4G:
		fprintf(f,
			"%s: XEN_ELFNOTE_PHYS32_ENTRY 0x%" PRIx64
			" is above 4 GiB, out of reach of a 32-bit entry: cannot be PVH-booted\n",
			file, e->phys32_entry);
		break;
	default:
		fprintf(f, "%s: no PVH entry note: cannot be PVH-booted\n", file);
		break;
	}
}

static void text_elf(FILE *f, const struct kimage_elf *e, const char *indent, bool verbose)
{
	const char *m = kimage_machine_name(e->machine);
	if (e->cls == KIMAGE_NOTES) {
		fprintf(f, "%simage: bare ELF notes (/sys/kernel/notes holds the running kernel's)\n", indent);
	} else {
		fprintf(f, "%simage: %s, ", indent, kimage_format_name(e->cls));
		if (m)
			fprintf(f, "%s", m);
		else
			fprintf(f, "machine %u (not x86)", e->machine);
		fprintf(f, ", entry point 0x%" PRIx64 "\n", e->entry);
	}
	fprintf(f, "%sos: %s", indent, kimage_os_name(e->os));
	if (e->os_evidence)
		fprintf(f, " (%s)", e->os_evidence);
	fputc('\n', f);
	if (e->pvh == PVH_YES && e->cls != KIMAGE_NOTES) {
		struct kimage_layout lay;
		struct kimage_loader_result lr[_LOADER_MAX];
		kimage_loaders(e, &lay, lr);
		fprintf(f, "%sloaders:\n", indent);
		for (int l = 0; l < _LOADER_MAX; l++)
			fprintf(f, "%s  %-29s %s: %s\n", indent, kimage_loader_name(lr[l].loader),
				loader_verdict_name(lr[l].verdict), lr[l].why);
		for (int i = 0; i < _LAYOUT_ISSUE_MAX; i++)
			if (lay.issue[i])
				fprintf(f, "%slayout: %s\n", indent, lay.text[i]);
	}

	unsigned nxen = 0;
	for (unsigned i = 0; i < e->nnotes; i++)
		nxen += note_is_xen(&e->notes[i]);
	char val[TXT], ty[192];
	if (!verbose) {
		if (nxen == 0) {
			fprintf(f, "%sxen notes: none\n", indent);
			return;
		}
		fprintf(f, "%sxen notes:\n", indent);
		for (unsigned i = 0; i < e->nnotes; i++) {
			const struct kimage_note *n = &e->notes[i];
			if (!note_is_xen(n))
				continue;
			note_value_text(n, val, sizeof(val));
			if (n->known)
				fprintf(f, "%s  %-22s %s\n", indent, short_name(n->known), val);
			else
				fprintf(f, "%s  type %-17" PRIu32 " %s\n", indent, n->type, val);
		}
		if (e->notes_truncated)
			fprintf(f, "%s  ... (more notes than %u; not listed)\n", indent, KIMAGE_NOTES_MAX);
		return;
	}
	if (e->cls == KIMAGE_NOTES)
		fprintf(f, "%snotes: %u (%u Xen)\n", indent, e->nnotes, nxen);
	else
		fprintf(f, "%snotes: %u (%u Xen) in %u PT_NOTE segment%s and %u SHT_NOTE section%s\n", indent,
			e->nnotes, nxen, e->nsegments, e->nsegments == 1 ? "" : "s", e->nsections,
			e->nsections == 1 ? "" : "s");
	for (unsigned i = 0; i < e->nnotes; i++) {
		const struct kimage_note *n = &e->notes[i];
		note_type_text(n, ty, sizeof(ty));
		note_value_text(n, val, sizeof(val));
		const char *where = n->in_segment && n->in_section ? "  [segment, section]"
				    : n->in_segment		   ? "  [segment]"
				    : n->in_section		   ? "  [section]"
								   : "";
		fprintf(f, "%s  0x%08" PRIx64 "  %-32s %s%s\n", indent, n->offset, ty, val, where);
	}
	if (e->notes_truncated)
		fprintf(f, "%s  ... (more notes than %u; not listed)\n", indent, KIMAGE_NOTES_MAX);
}

static void text_bzimage(FILE *f, const char *file, const struct kimage *k, bool verbose)
{
	const struct kimage_bzimage *bz = &k->bz;
	char kv[4 * KIMAGE_KVER_MAX + 1];
	if (bz->kver_len) {
		esc(bz->kver, bz->kver_len, kv, sizeof(kv));
		fprintf(f, "  kernel: %s\n", kv);
	}
	const char *m = kimage_machine(k);
	if (m)
		fprintf(f, "  machine: %s (xloadflags 0x%x)\n", m, bz->xloadflags);
	if (verbose)
		fprintf(f, "  setup: %u sector%s, loadflags 0x%x\n", bz->setup_sects ? bz->setup_sects : 4,
			bz->setup_sects == 1 ? "" : "s", bz->loadflags);
	if (!bz->has_payload) {
		fprintf(f, "  payload: not described (boot protocol before 2.08)\n");
	} else {
		fprintf(f, "  payload: %s, %" PRIu32 " bytes at file offset 0x%" PRIx64 " (payload_offset 0x%" PRIx32 ")\n",
			bz->comp == COMP_NONE ? "uncompressed ELF" : kimage_comp_name(bz->comp), bz->payload_length,
			bz->payload_file_offset, bz->payload_offset);
	}
	switch (bz->payload) {
	case PAYLOAD_ANALYSED: {
		const struct kimage_elf *e = &k->elf;
		fprintf(f, "  inside: ");
		if (e->pvh == PVH_YES)
			fprintf(f, "an ELF vmlinux with a PVH entry at 0x%" PRIx64 " (XEN_ELFNOTE_PHYS32_ENTRY)%s\n",
				e->phys32_entry, e->has_reloc ? ", relocatable" : "");
		else
			fprintf(f, "an ELF vmlinux without a usable PVH entry note: it cannot be PVH-booted either\n");
		text_elf(f, e, "    ", verbose);
		break;
	}
	case PAYLOAD_NO_DECODER:
		fprintf(f, "  inside: not examined (this pvhprobe cannot decompress %s)\n", kimage_comp_name(bz->comp));
		break;
	case PAYLOAD_UNKNOWN_COMP:
		fprintf(f, "  inside: not examined (the payload's first bytes match no known compression)\n");
		break;
	case PAYLOAD_BAD: {
		char msg[2 * KIMAGE_ERRMSG];
		esc_str(bz->payload_err, msg, sizeof(msg));
		fprintf(f, "  inside: not examined: %s\n", msg);
		break;
	}
	default:
		break;
	}
	fprintf(f, "  PVH-booting VMMs (QEMU -kernel with an ELF, Firecracker, Cloud Hypervisor) load the ELF vmlinux;\n"
		   "  the Linux tree's scripts/extract-vmlinux gets it: extract-vmlinux %s > vmlinux\n",
		file);
}

void render_kimage_text(FILE *f, const struct kimage *const *ks, size_t n, const struct kimage_render_opts *o)
{
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		const struct kimage *k = ks[i];
		if (!k->ok)
			continue; /* run_kernel reports it on stderr */
		char file[4 * 256 + 1];
		esc_str(k->file, file, sizeof(file));
		if (shown++)
			fputc('\n', f);
		text_answer(f, file, k);
		if (k->format == KIMAGE_BZIMAGE)
			text_bzimage(f, file, k, o->verbose);
		else
			text_elf(f, &k->elf, "  ", o->verbose);
	}
}

/* ---- JSON (schema/pvhprobe-kernel-1.json) ---- */

/* Text that is usually UTF-8 already (file names, messages holding them):
 * as is when it is valid UTF-8, else byte by byte like json_bytes(). */
static json_t *str_json(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	return j ? j : json_bytes((const uint8_t *)s, strlen(s));
}

/* 64-bit values: an integer when it fits json_int_t, else null (the
 * "_hex" string beside it always holds the value). */
static json_t *u64_json(uint64_t v)
{
	return v <= (uint64_t)INT64_MAX ? json_integer((json_int_t)v) : json_null();
}

static json_t *note_json(const struct kimage_note *n)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_bytes(n->name, n->namelen));
	json_object_set_new(o, "name_truncated", json_boolean(n->name_truncated));
	json_object_set_new(o, "type", json_integer(n->type));
	json_object_set_new(o, "type_name", n->known ? json_string(n->known->name) : json_null());
	json_object_set_new(o, "offset", json_integer((json_int_t)n->offset));
	json_object_set_new(o, "desc_size", json_integer(n->descsz));
	char hex[2 * KIMAGE_DESC_MAX + 1];
	bytes_to_hex(n->desc, n->ndesc, hex, sizeof(hex));
	json_object_set_new(o, "desc_hex", json_string(hex));
	json_object_set_new(o, "desc_truncated", json_boolean(n->ndesc < n->descsz));
	const enum note_kind kind = n->known ? n->known->kind : NK_BYTES;
	json_t *val = json_null(), *vhex = json_null();
	if (kind == NK_NUMERIC && n->has_num) {
		json_decref(val);
		json_decref(vhex);
		val = u64_json(n->num);
		vhex = json_hex(n->num);
	} else if (kind == NK_STRING) {
		json_decref(val);
		val = json_bytes(n->desc, n->strlen);
	} else if (kind == NK_RELOC) {
		json_decref(val);
		val = json_object();
		static const char *const fld[3] = { "align", "min", "max" };
		for (unsigned i = 0; i < 3; i++) {
			if ((i + 1) * 4 <= n->descsz) {
				json_object_set_new(val, fld[i], json_integer(get_le32(n->desc + i * 4)));
			} else {
				json_object_set_new(val, fld[i], json_null());
			}
		}
	}
	json_object_set_new(o, "value", val);
	json_object_set_new(o, "value_hex", vhex);
	json_t *where = json_array();
	if (n->in_segment)
		json_array_append_new(where, json_string("segment"));
	if (n->in_section)
		json_array_append_new(where, json_string("section"));
	if (!n->in_segment && !n->in_section)
		json_array_append_new(where, json_string("stream"));
	json_object_set_new(o, "found_in", where);
	return o;
}

static json_t *bzimage_json(const struct kimage *k)
{
	const struct kimage_bzimage *bz = &k->bz;
	static const char *const states[_PAYLOAD_STATE_MAX] = {
		[PAYLOAD_NOT_TRIED] = "not_described",     [PAYLOAD_ANALYSED] = "analysed",
		[PAYLOAD_NO_DECODER] = "no_decoder",       [PAYLOAD_UNKNOWN_COMP] = "unknown_compression",
		[PAYLOAD_BAD] = "bad",
	};
	json_t *o = json_object();
	char ver[16];
	snprintf(ver, sizeof(ver), "%u.%02u", bz->version >> 8, bz->version & 0xff);
	json_object_set_new(o, "boot_protocol", json_string(ver));
	json_object_set_new(o, "boot_protocol_raw", json_integer(bz->version));
	json_object_set_new(o, "kernel_version", bz->kver_len ? json_bytes(bz->kver, bz->kver_len) : json_null());
	json_object_set_new(o, "setup_sects", json_integer(bz->setup_sects));
	json_object_set_new(o, "loadflags", json_integer(bz->loadflags));
	json_object_set_new(o, "xloadflags", bz->has_xloadflags ? json_integer(bz->xloadflags) : json_null());
	json_object_set_new(o, "payload_offset", bz->has_payload ? json_integer(bz->payload_offset) : json_null());
	json_object_set_new(o, "payload_length", bz->has_payload ? json_integer(bz->payload_length) : json_null());
	json_object_set_new(o, "payload_file_offset",
			    bz->has_payload ? json_integer((json_int_t)bz->payload_file_offset) : json_null());
	json_object_set_new(o, "compression", bz->has_payload ? json_string(kimage_comp_name(bz->comp)) : json_null());
	json_object_set_new(o, "payload_elf", json_string(states[bz->payload]));
	json_object_set_new(o, "payload_error", bz->payload == PAYLOAD_BAD ? str_json(bz->payload_err) : json_null());
	json_object_set_new(o, "payload_pvh",
			    bz->payload == PAYLOAD_ANALYSED ? json_boolean(k->elf.pvh == PVH_YES) : json_null());
	return o;
}

static json_t *image_json(const struct kimage *k)
{
	const struct kimage_elf *e = &k->elf;
	const bool elf = k->ok && k->has_elf;
	json_t *o = json_object();
	json_object_set_new(o, "file", str_json(k->file));
	json_object_set_new(o, "format", json_string(kimage_format_name(k->format)));
	json_object_set_new(o, "error", k->ok ? json_null() : str_json(k->err));
	json_object_set_new(o, "pvh", json_boolean(kimage_pvh(k)));
	json_object_set_new(o, "pvh_reason", json_string(pvh_reason_id(k)));
	const bool p32 = elf && e->has_phys32 && (e->phys32_descsz == 4 || e->phys32_descsz == 8);
	json_object_set_new(o, "phys32_entry", p32 ? u64_json(e->phys32_entry) : json_null());
	json_object_set_new(o, "phys32_entry_hex", p32 ? json_hex(e->phys32_entry) : json_null());
	if (elf && e->has_reloc) {
		json_t *r = json_object();
		json_object_set_new(r, "align", json_integer(e->reloc.align));
		json_object_set_new(r, "min", json_integer(e->reloc.min));
		json_object_set_new(r, "max", json_integer(e->reloc.max));
		json_object_set_new(r, "fields_given", json_integer(e->reloc.nfields));
		json_object_set_new(o, "phys32_reloc", r);
	} else {
		json_object_set_new(o, "phys32_reloc", json_null());
	}
	const char *m = kimage_machine(k);
	json_object_set_new(o, "machine", m ? json_string(m) : json_null());
	const bool hdr = elf && e->cls != KIMAGE_NOTES; /* an ELF header was read */
	json_object_set_new(o, "machine_number", hdr ? json_integer(e->machine) : json_null());
	json_object_set_new(o, "os", elf ? json_string(kimage_os_name(e->os)) : json_null());
	json_object_set_new(o, "os_evidence", elf && e->os_evidence ? json_string(e->os_evidence) : json_null());
	json_object_set_new(o, "entry", hdr ? u64_json(e->entry) : json_null());
	json_object_set_new(o, "entry_hex", hdr ? json_hex(e->entry) : json_null());
	json_t *notes = json_array();
	for (unsigned i = 0; elf && i < e->nnotes; i++)
		json_array_append_new(notes, note_json(&e->notes[i]));
	json_object_set_new(o, "notes", notes);
	json_object_set_new(o, "notes_truncated", json_boolean(elf && e->notes_truncated));
	json_object_set_new(o, "bzimage", k->ok && k->format == KIMAGE_BZIMAGE ? bzimage_json(k) : json_null());
	json_t *loaders = json_null(), *issues = json_null();
	if (elf && e->pvh == PVH_YES && e->cls != KIMAGE_NOTES) {
		struct kimage_layout lay;
		struct kimage_loader_result lr[_LOADER_MAX];
		kimage_loaders(e, &lay, lr);
		loaders = json_array();
		for (int l = 0; l < _LOADER_MAX; l++) {
			json_t *x = json_object();
			json_object_set_new(x, "loader", json_string(kimage_loader_name(lr[l].loader)));
			json_object_set_new(x, "verdict", json_string(loader_verdict_name(lr[l].verdict)));
			json_object_set_new(x, "why", str_json(lr[l].why));
			json_array_append_new(loaders, x);
		}
		issues = json_array();
		for (int i = 0; i < _LAYOUT_ISSUE_MAX; i++) {
			if (!lay.issue[i])
				continue;
			json_t *x = json_object();
			json_object_set_new(x, "id", json_string(kimage_layout_issue_name((enum kimage_layout_issue)i)));
			json_object_set_new(x, "text", str_json(lay.text[i]));
			json_array_append_new(issues, x);
		}
	}
	json_object_set_new(o, "loaders", loaders);
	json_object_set_new(o, "layout_issues", issues);
	return o;
}

int render_kimage_json(FILE *f, const struct kimage *const *ks, size_t n, const struct kimage_render_opts *o)
{
	json_t *doc = json_object();
	if (!doc)
		return -1;
	json_object_set_new(doc, "schema", json_string("pvhprobe-kernel/1"));
	json_t *tool = json_object();
	json_object_set_new(tool, "name", json_string("pvhprobe"));
	json_object_set_new(tool, "version", json_string(o->version ? o->version : ""));
	json_object_set_new(doc, "tool", tool);
	json_t *imgs = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(imgs, image_json(ks[i]));
	json_object_set_new(doc, "images", imgs);
	int rc = json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	json_decref(doc);
	return rc < 0 ? -1 : 0;
}

/* ---- env ---- */

void render_kimage_env(FILE *f, const struct kimage *const *ks, size_t n, const struct kimage_render_opts *o)
{
	(void)o;
	char name[64], val[TXT];
	bool all = n > 0;
	render_env_var(f, "SCHEMA", "pvhprobe-kernel/1");
	for (size_t i = 0; i < n; i++) {
		const struct kimage *k = ks[i];
		const struct kimage_elf *e = &k->elf;
		const bool elf = k->ok && k->has_elf;
		all &= kimage_pvh(k);
#define KVAR(suffix, value)                                               \
	do {                                                              \
		snprintf(name, sizeof(name), "KERNEL%zu_%s", i, (suffix)); \
		render_env_var(f, name, (value));                                    \
	} while (0)
		esc_str(k->file, val, sizeof(val));
		KVAR("FILE", val);
		KVAR("FORMAT", kimage_format_name(k->format));
		KVAR("PVH", kimage_pvh(k) ? "1" : "0");
		KVAR("PVH_REASON", pvh_reason_id(k));
		val[0] = '\0';
		if (elf && e->has_phys32 && (e->phys32_descsz == 4 || e->phys32_descsz == 8))
			snprintf(val, sizeof(val), "0x%" PRIx64, e->phys32_entry);
		KVAR("PHYS32_ENTRY", val);
		KVAR("RELOCATABLE", elf && e->has_reloc ? "1" : "0");
		const char *m = kimage_machine(k);
		KVAR("MACHINE", m ? m : "");
		KVAR("OS", elf ? kimage_os_name(e->os) : "");
		KVAR("COMPRESSION", k->ok && k->format == KIMAGE_BZIMAGE && k->bz.has_payload ? kimage_comp_name(k->bz.comp)
											       : "");
		if (k->ok)
			val[0] = '\0';
		else
			esc_str(k->err, val, sizeof(val));
		KVAR("ERROR", val);
#undef KVAR
	}
	snprintf(val, sizeof(val), "%zu", n);
	render_env_var(f, "KERNEL_COUNT", val);
	render_env_var(f, "KERNEL_PVH", all ? "1" : "0");
}
