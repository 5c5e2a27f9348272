/* fuzz_kimage.c - kimage_parse() (kernel images: ELF32/ELF64 notes, the
 * x86 bzImage header and its payload, decompressed with liblzma/libzstd
 * when the build has them, and bare note streams such as /sys/kernel/notes)
 * on arbitrary bytes, then every `pvhprobe kernel` renderer.
 *
 * Invariants: the return value and k.ok agree; a refused image has a
 * NUL-terminated message naming the input and no ELF; an accepted one keeps
 * its bounds (KIMAGE_NOTES_MAX notes, KIMAGE_NAME_MAX / KIMAGE_DESC_MAX
 * bytes per note, no more descriptor bytes than the note declares, enums in
 * range, every note of an ELF reached through PT_NOTE or SHT_NOTE and none
 * of a note stream) and kimage_pvh() means an ELF whose PHYS32_ENTRY note was found;
 * the text output (terse and verbose) has no raw control or high bytes,
 * the JSON parses with schema "pvhprobe-kernel/1" and one image, and every
 * env line is PVHPROBE_NAME='single-quoted'. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse.h"
#include "kimage.h"

#define NAME "fuzz.img"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct kimage k; /* large: static */

static char *render(int which, size_t *len)
{
	static const struct kimage_render_opts terse = { .verbose = false, .version = "fuzz" };
	static const struct kimage_render_opts verbose = { .verbose = true, .version = "fuzz" };
	const struct kimage *ks[1] = { &k };
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f)
		fz_fail("open_memstream failed");
	switch (which) {
	case 0: render_kimage_text(f, ks, 1, &terse); break;
	case 1: render_kimage_text(f, ks, 1, &verbose); break;
	case 2:
		if (render_kimage_json(f, ks, 1, &verbose) != 0)
			fz_fail("render_kimage_json() failed");
		break;
	default: render_kimage_env(f, ks, 1, &verbose); break;
	}
	fclose(f);
	return buf;
}

static void check_elf(const struct kimage_elf *e)
{
	if (e->cls != KIMAGE_ELF32 && e->cls != KIMAGE_ELF64 && e->cls != KIMAGE_NOTES)
		fz_fail("ELF class %d", (int)e->cls);
	if (e->nnotes > KIMAGE_NOTES_MAX)
		fz_fail("%u notes > KIMAGE_NOTES_MAX", e->nnotes);
	if ((unsigned)e->pvh >= _PVH_VERDICT_MAX || (unsigned)e->os >= _KOS_MAX)
		fz_fail("verdict %d / os %d out of range", (int)e->pvh, (int)e->os);
	if (e->pvh == PVH_YES && !e->has_phys32)
		fz_fail("PVH_YES without a PHYS32_ENTRY note");
	if (e->has_reloc && e->reloc.nfields > 3)
		fz_fail("PHYS32_RELOC with %u fields", e->reloc.nfields);
	for (unsigned i = 0; i < e->nnotes; i++) {
		const struct kimage_note *n = &e->notes[i];
		if (n->namelen > KIMAGE_NAME_MAX || n->ndesc > KIMAGE_DESC_MAX || n->ndesc > n->descsz)
			fz_fail("note %u: %zu name bytes, %zu of %u descriptor bytes kept", i, n->namelen, n->ndesc,
				n->descsz);
		if ((e->cls == KIMAGE_NOTES) != (!n->in_segment && !n->in_section))
			fz_fail("note %u: in_segment %d, in_section %d in a %s", i, n->in_segment, n->in_section,
				kimage_format_name(e->cls));
		if (n->known && n->known->kind == NK_STRING && !n->str_unterminated && n->strlen >= n->ndesc)
			fz_fail("note %u: string of %zu bytes in %zu descriptor bytes", i, n->strlen, n->ndesc);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	k.file = NULL;
	int rc = kimage_parse(NAME, data, size, &k);
	if ((rc == 0) != k.ok)
		fz_fail("kimage_parse returned %d with ok = %d", rc, k.ok);
	if (rc > 0)
		fz_fail("kimage_parse returned %d, expected 0 or -errno", rc);
	if ((unsigned)k.format >= _KIMAGE_FORMAT_MAX)
		fz_fail("format %d", (int)k.format);
	if (rc < 0) {
		if (!memchr(k.err, '\0', sizeof(k.err)))
			fz_fail("error message not NUL-terminated");
		if (strncmp(k.err, NAME ":", strlen(NAME) + 1) != 0)
			fz_fail("error message does not name the input: %s", k.err);
		if (k.has_elf || kimage_pvh(&k))
			fz_fail("refused image with has_elf/pvh set");
	} else {
		if (k.format == KIMAGE_UNKNOWN)
			fz_fail("accepted image of unknown format");
		if (k.has_elf)
			check_elf(&k.elf);
		if (k.format == KIMAGE_BZIMAGE) {
			if ((unsigned)k.bz.comp >= _COMP_MAX || (unsigned)k.bz.payload >= _PAYLOAD_STATE_MAX)
				fz_fail("bzImage comp %d / payload %d out of range", (int)k.bz.comp, (int)k.bz.payload);
			if (k.bz.kver_len > KIMAGE_KVER_MAX)
				fz_fail("bzImage version string of %zu bytes", k.bz.kver_len);
			if (k.bz.payload == PAYLOAD_ANALYSED && !k.has_elf)
				fz_fail("payload analysed but no ELF kept");
			if (kimage_pvh(&k))
				fz_fail("a bzImage said to be PVH-bootable as it is");
		}
	}

	size_t len;
	char *out;
	if (k.ok) {
		out = render(0, &len);
		fz_check_text("kernel text", out, len);
		free(out);
		out = render(1, &len);
		fz_check_text("kernel text -v", out, len);
		free(out);
	}
	out = render(2, &len);
	json_t *doc = fz_check_json(out, len, "pvhprobe-kernel/1");
	json_t *imgs = json_object_get(doc, "images");
	if (!json_is_array(imgs) || json_array_size(imgs) != 1)
		fz_fail("JSON images: expected an array of 1");
	json_decref(doc);
	free(out);
	out = render(3, &len);
	fz_check_env(out, len);
	free(out);
	return 0;
}
