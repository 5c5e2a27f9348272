/* kimage_elf.c - an ELF kernel image's notes, and a bare note stream
 * (/sys/kernel/notes).
 *
 * ELF layouts and constants: glibc <elf.h> (the System V gABI); every field
 * is read little-endian through its offsetof() in glibc's structs, so the
 * code is right on any host. Every size and offset from the file is checked
 * with in_file() (64-bit arithmetic, no overflow: the file is below 2^30
 * bytes, sizes below 2^32 or checked against the file size before
 * multiplying) before a byte is read. Nothing here prints. */
#include "kimage_parse.h"

#include <elf.h>
#include <errno.h>
#include <string.h>

/* ---- notes ---- */

/* Evidence of the OS, strongest first: an ABI note of the OS's own, then
 * the Xen GUEST_OS string. (A GNU build-id is no evidence: any GNU linker
 * output has one.) */
enum os_rank {
	OS_RANK_NONE,
	OS_RANK_GUEST_OS,
	OS_RANK_OWN_NOTE,
};

struct walker {
	int segment;          /* the PT_NOTE program header being walked, or -1 */
	struct ctx c;
	const uint8_t *b;
	size_t len;
	struct kimage_elf *e;
	unsigned headers;     /* note headers walked, both ways */
	enum os_rank os_rank;
};

static bool name_is(const uint8_t *name, uint32_t namesz, const char *owner)
{
	size_t n = strnlen((const char *)name, namesz);
	return n == strlen(owner) && memcmp(name, owner, n) == 0;
}

static void set_os(struct walker *w, enum os_rank rank, enum kimage_os os, const char *evidence)
{
	if (rank <= w->os_rank)
		return;
	w->os_rank = rank;
	w->e->os = os;
	w->e->os_evidence = evidence;
}

static bool ascii_ieq(const uint8_t *s, size_t n, const char *lit)
{
	if (n != strlen(lit))
		return false;
	for (size_t i = 0; i < n; i++) {
		uint8_t a = s[i], b = (uint8_t)lit[i];
		if (a >= 'A' && a <= 'Z')
			a = (uint8_t)(a + 32);
		if (b >= 'A' && b <= 'Z')
			b = (uint8_t)(b + 32);
		if (a != b)
			return false;
	}
	return true;
}

/* What every note tells the verdict (run for every note, kept or not, so
 * the answer never depends on KIMAGE_NOTES_MAX). */
static void note_facts(struct walker *w, const uint8_t *name, uint32_t namesz, uint32_t type, const uint8_t *desc,
		       uint32_t descsz)
{
	struct kimage_elf *e = w->e;
	if (name_is(name, namesz, "Xen")) {
		if (type == XEN_ELFNOTE_PHYS32_ENTRY && !e->has_phys32) {
			/* The first one counts; a second (the same note
			 * reached through a section) is the same bytes. */
			e->has_phys32 = true;
			e->phys32_segment = w->segment;
			e->phys32_descsz = descsz;
			if (descsz == 4)
				e->phys32_entry = get_le32(desc);
			else if (descsz == 8)
				e->phys32_entry = get_le64(desc);
		} else if (type == XEN_ELFNOTE_PHYS32_RELOC && !e->has_reloc) {
			e->has_reloc = true;
			struct kimage_reloc *r = &e->reloc;
			r->nfields = descsz / 4 > 3 ? 3 : descsz / 4;
			r->align = r->nfields > 0 ? get_le32(desc) : KIMAGE_RELOC_ALIGN_DEFAULT;
			r->min = r->nfields > 1 ? get_le32(desc + 4) : KIMAGE_RELOC_MIN_DEFAULT;
			r->max = r->nfields > 2 ? get_le32(desc + 8) : KIMAGE_RELOC_MAX_DEFAULT;
		} else if (type == XEN_ELFNOTE_GUEST_OS) {
			size_t n = strnlen((const char *)desc, descsz);
			if (ascii_ieq(desc, n, "linux"))
				set_os(w, OS_RANK_GUEST_OS, KOS_LINUX, "Xen GUEST_OS note");
			else if (ascii_ieq(desc, n, "freebsd"))
				set_os(w, OS_RANK_GUEST_OS, KOS_FREEBSD, "Xen GUEST_OS note");
			else if (ascii_ieq(desc, n, "netbsd"))
				set_os(w, OS_RANK_GUEST_OS, KOS_NETBSD, "Xen GUEST_OS note");
		}
	} else if (name_is(name, namesz, "FreeBSD")) {
		set_os(w, OS_RANK_OWN_NOTE, KOS_FREEBSD, "FreeBSD note");
	} else if (name_is(name, namesz, "NetBSD")) {
		set_os(w, OS_RANK_OWN_NOTE, KOS_NETBSD, "NetBSD note");
	} else if (name_is(name, namesz, "Linux")) {
		set_os(w, OS_RANK_OWN_NOTE, KOS_LINUX, "Linux note");
	} else if (name_is(name, namesz, "pvhprobe")) {
		set_os(w, OS_RANK_OWN_NOTE, KOS_PVHPROBE, "pvhprobe note");
	}
	/* A GNU build-id says only that a GNU linker made the file (Xen's own
	 * hypervisor image has one, as any such ELF): no OS. */
}

/* Where a region of notes comes from. */
enum region {
	REGION_SEGMENT, /* PT_NOTE */
	REGION_SECTION, /* SHT_NOTE */
	REGION_STREAM,  /* the whole file is notes */
};

static void note_keep(struct walker *w, uint64_t offset, const uint8_t *name, uint32_t namesz, uint32_t type,
		      const uint8_t *desc, uint32_t descsz, enum region from)
{
	struct kimage_elf *e = w->e;
	for (unsigned i = 0; i < e->nnotes; i++) {
		if (e->notes[i].offset == offset) {
			/* The same bytes, reached the other way. */
			if (from == REGION_SEGMENT)
				e->notes[i].in_segment = true;
			else if (from == REGION_SECTION)
				e->notes[i].in_section = true;
			return;
		}
	}
	if (e->nnotes == KIMAGE_NOTES_MAX) {
		e->notes_truncated = true;
		return;
	}
	struct kimage_note *n = &e->notes[e->nnotes++];
	memset(n, 0, sizeof(*n));
	size_t nl = strnlen((const char *)name, namesz);
	n->name_truncated = nl > sizeof(n->name);
	n->namelen = n->name_truncated ? sizeof(n->name) : nl;
	memcpy(n->name, name, n->namelen);
	n->type = type;
	n->offset = offset;
	n->descsz = descsz;
	n->ndesc = descsz < sizeof(n->desc) ? descsz : sizeof(n->desc);
	memcpy(n->desc, desc, n->ndesc);
	n->in_segment = from == REGION_SEGMENT;
	n->in_section = from == REGION_SECTION;
	char owner[KIMAGE_NAME_MAX + 1];
	memcpy(owner, n->name, n->namelen);
	owner[n->namelen] = '\0';
	n->known = n->name_truncated ? NULL : kimage_note_type(owner, type);
	if (n->known && n->known->kind == NK_NUMERIC && (descsz == 4 || descsz == 8)) {
		n->has_num = true;
		n->num = descsz == 4 ? get_le32(desc) : get_le64(desc);
	} else if (n->known && n->known->kind == NK_STRING) {
		n->strlen = strnlen((const char *)n->desc, n->ndesc);
		n->str_unterminated = n->strlen == n->ndesc && n->ndesc == descsz;
	}
}

/* Walks the notes of one region [off, off+size) that the caller has
 * checked lies inside the file. align: the region's p_align/sh_addralign;
 * notes are 8-byte aligned when it is 8, else 4 (as binutils readelf
 * reads them). */
static int walk_notes(struct walker *w, uint64_t off, uint64_t size, uint64_t align, enum region from,
		      const char *what, unsigned idx)
{
	const uint64_t a = align == 8 ? 8 : 4;
	uint64_t pos = 0;
	while (pos < size) {
		uint64_t rem = size - pos;
		const uint8_t *h = w->b + off + pos;
		if (rem < 12) {
			/* Padding after the last note is tolerated. */
			for (uint64_t i = 0; i < rem; i++)
				if (h[i])
					return kimage_fail(&w->c,
						    "%s %u (at 0x%llx) ends with %llu stray bytes, expected a 12-byte note header",
						    what, idx, (unsigned long long)off, (unsigned long long)rem);
			break;
		}
		if (++w->headers > KIMAGE_NOTE_WALK_MAX)
			return kimage_fail(&w->c, "more than %u ELF notes: not a kernel image", KIMAGE_NOTE_WALK_MAX);
		uint32_t namesz = get_le32(h), descsz = get_le32(h + 4), type = get_le32(h + 8);
		uint64_t name_end = pos + 12 + namesz;
		uint64_t desc_off = align_up(name_end, a);
		uint64_t desc_end = desc_off + descsz;
		if (name_end > size || desc_end > size)
			return kimage_fail(&w->c,
				    "note at 0x%llx (name size %u, descriptor size %u) runs past the end of %s %u "
				    "(0x%llx..0x%llx): corrupt notes",
				    (unsigned long long)(off + pos), namesz, descsz, what, idx, (unsigned long long)off,
				    (unsigned long long)(off + size));
		const uint8_t *name = h + 12, *desc = w->b + off + desc_off;
		note_facts(w, name, namesz, type, desc, descsz);
		note_keep(w, off + pos, name, namesz, type, desc, descsz, from);
		pos = align_up(desc_end, a);
	}
	return 0;
}

/* ---- ELF ---- */

/* Header sizes by class. */
struct elf_layout {
	size_t ehsize, phsize, shsize;
};

/* A header field: at off64 with width64 bytes in ELF64, at off32 in ELF32. */
static uint64_t rd(const uint8_t *p, bool is64, size_t off64, size_t off32, unsigned width64)
{
	if (is64)
		return width64 == 8 ? get_le64(p + off64) : width64 == 4 ? get_le32(p + off64) : get_le16(p + off64);
	/* ELF32 fields of "address or offset" width are 4 bytes; the others keep
	 * their width. */
	return width64 == 8 ? get_le32(p + off32) : width64 == 4 ? get_le32(p + off32) : get_le16(p + off32);
}

#define EH(field, p, is64) \
	rd((p), (is64), offsetof(Elf64_Ehdr, field), offsetof(Elf32_Ehdr, field), sizeof(((Elf64_Ehdr *)0)->field))
#define PH(field, p, is64) \
	rd((p), (is64), offsetof(Elf64_Phdr, field), offsetof(Elf32_Phdr, field), sizeof(((Elf64_Phdr *)0)->field))
#define SH(field, p, is64) \
	rd((p), (is64), offsetof(Elf64_Shdr, field), offsetof(Elf32_Shdr, field), sizeof(((Elf64_Shdr *)0)->field))

static void finish_verdict(struct kimage_elf *e)
{
	if (!e->has_phys32)
		e->pvh = PVH_NO_NOTE;
	else if (e->phys32_descsz != 4 && e->phys32_descsz != 8)
		e->pvh = PVH_BAD_SIZE;
	else if (e->phys32_entry > UINT32_MAX)
		e->pvh = PVH_ABOVE_4G;
	else
		e->pvh = PVH_YES;
}

/* A header table (program or section headers: num entries of ent bytes at
 * off) has entries of at least min bytes and lies inside the file. */
static int check_table(const struct ctx *c, const char *kind, const char *entsize_field, uint64_t off, uint64_t num,
		       uint64_t ent, size_t min, size_t len)
{
	if (ent < min)
		return kimage_fail(c, "%s %llu, expected at least %zu", entsize_field, (unsigned long long)ent, min);
	if (num > len / ent || !in_file(off, num * ent, len))
		return kimage_fail(c,
				   "%s header table at 0x%llx (%llu entries of %llu bytes) runs past the end of the file "
				   "(%zu bytes): truncated?",
				   kind, (unsigned long long)off, (unsigned long long)num, (unsigned long long)ent, len);
	return 0;
}

/* Walks the notes of every PT_NOTE segment (REGION_SEGMENT: the program
 * headers) or SHT_NOTE section (REGION_SECTION: the section headers) of a
 * header table whose place and size the caller has checked; counts them. */
static int walk_note_headers(struct walker *w, bool is64, enum region from, uint64_t tab, uint64_t num, uint64_t ent,
			     unsigned *count)
{
	const bool sect = from == REGION_SECTION;
	const char *what = sect ? "SHT_NOTE section" : "PT_NOTE segment";
	for (uint64_t i = 0; i < num; i++) {
		const uint8_t *h = w->b + tab + i * ent;
		if (sect ? SH(sh_type, h, is64) != SHT_NOTE : PH(p_type, h, is64) != PT_NOTE)
			continue;
		uint64_t off = sect ? SH(sh_offset, h, is64) : PH(p_offset, h, is64);
		uint64_t sz = sect ? SH(sh_size, h, is64) : PH(p_filesz, h, is64);
		uint64_t align = sect ? SH(sh_addralign, h, is64) : PH(p_align, h, is64);
		if (!in_file(off, sz, w->len))
			return kimage_fail(&w->c, "%s %llu at 0x%llx (%llu bytes) runs past the end of the file (%zu bytes): truncated?",
					   what, (unsigned long long)i, (unsigned long long)off, (unsigned long long)sz, w->len);
		(*count)++;
		w->segment = sect ? -1 : (int)i;
		if (!sect)
			w->e->last_note_segment = (int)i;
		int r = walk_notes(w, off, sz, align, from, what, (unsigned)i);
		w->segment = -1;
		if (r < 0)
			return r;
	}
	return 0;
}

int kimage_elf_parse(const struct ctx *c, const uint8_t *b, size_t len, struct kimage_elf *e)
{
	memset(e, 0, sizeof(*e));
	if (len < EI_NIDENT)
		return kimage_fail(c, "truncated ELF header (%zu bytes, expected at least %d)", len, EI_NIDENT);
	uint8_t cls = b[EI_CLASS], data = b[EI_DATA];
	if (data == ELFDATA2MSB)
		return kimage_fail(c, "big-endian ELF: unsupported (pvhprobe reads little-endian kernel images, as x86 uses)");
	if (data != ELFDATA2LSB)
		return kimage_fail(c, "ELF data encoding %u, expected little-endian (%d)", data, ELFDATA2LSB);
	if (cls != ELFCLASS32 && cls != ELFCLASS64)
		return kimage_fail(c, "ELF class %u, expected ELF32 (%d) or ELF64 (%d)", cls, ELFCLASS32, ELFCLASS64);
	const bool is64 = cls == ELFCLASS64;
	const struct elf_layout L = is64 ? (struct elf_layout){ sizeof(Elf64_Ehdr), sizeof(Elf64_Phdr), sizeof(Elf64_Shdr) }
					 : (struct elf_layout){ sizeof(Elf32_Ehdr), sizeof(Elf32_Phdr), sizeof(Elf32_Shdr) };
	if (len < L.ehsize)
		return kimage_fail(c, "truncated ELF%s header (%zu bytes, expected %zu)", is64 ? "64" : "32", len, L.ehsize);
	e->cls = is64 ? KIMAGE_ELF64 : KIMAGE_ELF32;
	e->type = (uint16_t)EH(e_type, b, is64);
	e->machine = (uint16_t)EH(e_machine, b, is64);
	e->entry = EH(e_entry, b, is64);
	e->flags = (uint32_t)EH(e_flags, b, is64);
	uint64_t phoff = EH(e_phoff, b, is64), shoff = EH(e_shoff, b, is64);
	uint64_t phnum = EH(e_phnum, b, is64), shnum = EH(e_shnum, b, is64);
	uint64_t phent = EH(e_phentsize, b, is64), shent = EH(e_shentsize, b, is64);

	/* Section header 0 holds the real counts when they overflow the ELF
	 * header's 16-bit fields (gABI: PN_XNUM in e_phnum, 0 in e_shnum). */
	if (shoff && (phnum == PN_XNUM || shnum == 0)) {
		if (shent < L.shsize || !in_file(shoff, L.shsize, len))
			return kimage_fail(c, "section header 0 at 0x%llx runs past the end of the file (%zu bytes): truncated?",
				    (unsigned long long)shoff, len);
		const uint8_t *s0 = b + shoff;
		if (phnum == PN_XNUM)
			phnum = SH(sh_info, s0, is64);
		if (shnum == 0)
			shnum = SH(sh_size, s0, is64);
	}

	int r = phnum ? check_table(c, "program", "e_phentsize", phoff, phnum, phent, L.phsize, len) : 0;
	if (r == 0 && shoff && shnum)
		r = check_table(c, "section", "e_shentsize", shoff, shnum, shent, L.shsize, len);
	if (r < 0)
		return r;

	e->phys32_segment = e->last_note_segment = -1;
	e->phdr_count = phnum;
	for (uint64_t i = 0; i < phnum; i++) {
		const uint8_t *h = b + phoff + i * phent;
		if (PH(p_type, h, is64) != PT_LOAD)
			continue;
		if (e->nloads == KIMAGE_LOADS_MAX) {
			e->loads_dropped++;
			continue;
		}
		e->loads[e->nloads++] = (struct kimage_load){
			.paddr = PH(p_paddr, h, is64), .vaddr = PH(p_vaddr, h, is64), .filesz = PH(p_filesz, h, is64),
			.memsz = PH(p_memsz, h, is64), .align = PH(p_align, h, is64), .flags = (uint32_t)PH(p_flags, h, is64),
		};
	}
	struct walker w = { .c = *c, .b = b, .len = len, .e = e, .segment = -1 };
	r = walk_note_headers(&w, is64, REGION_SEGMENT, phoff, phnum, phent, &e->nsegments);
	if (r == 0 && shoff)
		r = walk_note_headers(&w, is64, REGION_SECTION, shoff, shnum, shent, &e->nsections);
	if (r < 0)
		return r;
	finish_verdict(e);
	return 0;
}

/* ---- a bare note stream (/sys/kernel/notes) ---- */

/* The whole file is 4-byte aligned notes, each owner name 1..31 bytes of
 * printable ASCII and its NUL (zero padding under 12 bytes may end it):
 * what /sys/kernel/notes holds, and what random data almost never is. */
bool kimage_is_note_stream(const uint8_t *b, size_t len)
{
	size_t pos = 0;
	unsigned n = 0;
	while (len - pos >= 12) {
		uint32_t namesz = get_le32(b + pos), descsz = get_le32(b + pos + 4);
		if (namesz < 2 || namesz > KIMAGE_NAME_MAX)
			return false;
		uint64_t desc_off = align_up((uint64_t)pos + 12 + namesz, 4);
		uint64_t end = desc_off + descsz;
		if (end > len)
			return false;
		const uint8_t *name = b + pos + 12;
		if (name[namesz - 1] != 0)
			return false;
		for (uint32_t i = 0; i + 1 < namesz; i++)
			if (name[i] < 0x21 || name[i] > 0x7e)
				return false;
		pos = (size_t)align_up(end, 4);
		n++;
		if (pos >= len)
			break;
	}
	for (; pos < len; pos++)
		if (b[pos])
			return false;
	return n > 0;
}

int kimage_notes_parse(const struct ctx *c, const uint8_t *b, size_t len, struct kimage_elf *e)
{
	memset(e, 0, sizeof(*e));
	e->cls = KIMAGE_NOTES;
	e->phys32_segment = e->last_note_segment = -1;
	struct walker w = { .c = *c, .b = b, .len = len, .e = e, .segment = -1 };
	int r = walk_notes(&w, 0, len, 4, REGION_STREAM, "note stream", 0);
	if (r < 0)
		return r;
	finish_verdict(e);
	return 0;
}

