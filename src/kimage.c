/* kimage.c - reading kernel images: ELF notes and the bzImage header.
 *
 * Sources, cited beside what they define:
 *  - ELF layouts and constants: glibc <elf.h> (the System V gABI); every
 *    field is read little-endian through its offsetof() in glibc's structs,
 *    so the code is right on any host.
 *  - Xen note types: xen-project/xen xen/include/public/elfnote.h.
 *  - Linux note types: include/linux/elfnote.h, include/linux/build-salt.h,
 *    include/linux/elfnote-lto.h.
 *  - FreeBSD note types: sys/sys/elf_common.h.
 *  - bzImage header: Linux Documentation/arch/x86/boot.rst ("The Linux/x86
 *    Boot Protocol") and arch/x86/include/uapi/asm/bootparam.h.
 *  - payload magics: Linux scripts/extract-vmlinux.
 *
 * Nothing here prints. Every size and offset from the file is checked with
 * in_file() (64-bit arithmetic, no overflow: the file is below 2^30 bytes,
 * sizes below 2^32 or checked against the file size before multiplying)
 * before a byte is read. */
#include "kimage.h"
#include "input.h"

#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_LIBLZMA
#include <lzma.h>
#endif
#ifdef HAVE_LIBZSTD
#include <zstd.h>
#endif

/* ---- names ---- */

static const char *const format_names[_KIMAGE_FORMAT_MAX] = {
	[KIMAGE_UNKNOWN] = "unknown",
	[KIMAGE_ELF32] = "elf32",
	[KIMAGE_ELF64] = "elf64",
	[KIMAGE_BZIMAGE] = "bzimage",
	[KIMAGE_NOTES] = "notes",
};

const char *kimage_format_name(enum kimage_format f)
{
	return (unsigned)f < _KIMAGE_FORMAT_MAX ? format_names[f] : "unknown";
}

static const char *const os_names[_KOS_MAX] = {
	[KOS_UNKNOWN] = "unknown",
	[KOS_LINUX] = "linux",
	[KOS_FREEBSD] = "freebsd",
};

const char *kimage_os_name(enum kimage_os os)
{
	return (unsigned)os < _KOS_MAX ? os_names[os] : "unknown";
}

static const char *const comp_names[_COMP_MAX] = {
	[COMP_UNKNOWN] = "unknown", [COMP_NONE] = "none", [COMP_GZIP] = "gzip",
	[COMP_XZ] = "xz",           [COMP_ZSTD] = "zstd", [COMP_LZMA] = "lzma",
	[COMP_BZIP2] = "bzip2",     [COMP_LZ4] = "lz4",   [COMP_LZO] = "lzo",
};

const char *kimage_comp_name(enum kimage_comp c)
{
	return (unsigned)c < _COMP_MAX ? comp_names[c] : "unknown";
}

const char *kimage_machine_name(uint16_t machine)
{
	switch (machine) {
	case EM_X86_64: /* 62, <elf.h> */
		return "x86_64";
	case EM_386: /* 3 */
		return "i386";
	default:
		return NULL;
	}
}

/* ---- the note type table ---- */

/* Xen: xen-project/xen xen/include/public/elfnote.h ("The notes should live
 * in a PT_NOTE segment and have "Xen" in the name field. Numeric types are
 * either 4 or 8 bytes depending on the content of the desc field."). */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define XEN_ELFNOTE_PHYS32_RELOC 19
#define XEN_ELFNOTE_GUEST_OS 6
/* Linux: include/linux/build-salt.h, include/linux/elfnote-lto.h. */
#define LINUX_ELFNOTE_BUILD_SALT 0x100
#define LINUX_ELFNOTE_LTO_INFO 0x101
/* FreeBSD: sys/sys/elf_common.h. */
#define NT_FREEBSD_ABI_TAG 1
#define NT_FREEBSD_NOINIT_TAG 2
#define NT_FREEBSD_ARCH_TAG 3
#define NT_FREEBSD_FEATURE_CTL 4

static const struct note_type note_types[] = {
	/* xen/include/public/elfnote.h */
	{ "Xen", 0, "XEN_ELFNOTE_INFO", NK_STRING },
	{ "Xen", 1, "XEN_ELFNOTE_ENTRY", NK_NUMERIC },
	{ "Xen", 2, "XEN_ELFNOTE_HYPERCALL_PAGE", NK_NUMERIC },
	{ "Xen", 3, "XEN_ELFNOTE_VIRT_BASE", NK_NUMERIC },
	{ "Xen", 4, "XEN_ELFNOTE_PADDR_OFFSET", NK_NUMERIC },
	{ "Xen", 5, "XEN_ELFNOTE_XEN_VERSION", NK_STRING },
	{ "Xen", XEN_ELFNOTE_GUEST_OS, "XEN_ELFNOTE_GUEST_OS", NK_STRING },
	{ "Xen", 7, "XEN_ELFNOTE_GUEST_VERSION", NK_STRING },
	{ "Xen", 8, "XEN_ELFNOTE_LOADER", NK_STRING },
	{ "Xen", 9, "XEN_ELFNOTE_PAE_MODE", NK_STRING },
	{ "Xen", 10, "XEN_ELFNOTE_FEATURES", NK_STRING },
	{ "Xen", 11, "XEN_ELFNOTE_BSD_SYMTAB", NK_STRING },
	{ "Xen", 12, "XEN_ELFNOTE_HV_START_LOW", NK_NUMERIC },
	{ "Xen", 13, "XEN_ELFNOTE_L1_MFN_VALID", NK_BYTES }, /* mask/value pairs */
	{ "Xen", 14, "XEN_ELFNOTE_SUSPEND_CANCEL", NK_NUMERIC },
	{ "Xen", 15, "XEN_ELFNOTE_INIT_P2M", NK_NUMERIC },
	{ "Xen", 16, "XEN_ELFNOTE_MOD_START_PFN", NK_NUMERIC },
	{ "Xen", 17, "XEN_ELFNOTE_SUPPORTED_FEATURES", NK_NUMERIC },
	{ "Xen", XEN_ELFNOTE_PHYS32_ENTRY, "XEN_ELFNOTE_PHYS32_ENTRY", NK_NUMERIC },
	{ "Xen", XEN_ELFNOTE_PHYS32_RELOC, "XEN_ELFNOTE_PHYS32_RELOC", NK_RELOC },
	{ "Xen", 0x1000001, "XEN_ELFNOTE_CRASH_INFO", NK_BYTES },
	{ "Xen", 0x1000002, "XEN_ELFNOTE_CRASH_REGS", NK_BYTES },
	{ "Xen", 0x2000000, "XEN_ELFNOTE_DUMPCORE_NONE", NK_BYTES },
	{ "Xen", 0x2000001, "XEN_ELFNOTE_DUMPCORE_HEADER", NK_BYTES },
	{ "Xen", 0x2000002, "XEN_ELFNOTE_DUMPCORE_XEN_VERSION", NK_BYTES },
	{ "Xen", 0x2000003, "XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION", NK_BYTES },
	/* include/linux/build-salt.h, include/linux/elfnote-lto.h */
	{ "Linux", LINUX_ELFNOTE_BUILD_SALT, "LINUX_ELFNOTE_BUILD_SALT", NK_STRING },
	{ "Linux", LINUX_ELFNOTE_LTO_INFO, "LINUX_ELFNOTE_LTO_INFO", NK_NUMERIC, true },
	/* glibc <elf.h> */
	{ "GNU", NT_GNU_ABI_TAG, "NT_GNU_ABI_TAG", NK_BYTES },
	{ "GNU", NT_GNU_BUILD_ID, "NT_GNU_BUILD_ID", NK_BYTES },
	{ "GNU", NT_GNU_PROPERTY_TYPE_0, "NT_GNU_PROPERTY_TYPE_0", NK_BYTES },
	/* FreeBSD sys/sys/elf_common.h */
	{ "FreeBSD", NT_FREEBSD_ABI_TAG, "NT_FREEBSD_ABI_TAG", NK_NUMERIC, true }, /* __FreeBSD_version */
	{ "FreeBSD", NT_FREEBSD_NOINIT_TAG, "NT_FREEBSD_NOINIT_TAG", NK_BYTES },
	{ "FreeBSD", NT_FREEBSD_ARCH_TAG, "NT_FREEBSD_ARCH_TAG", NK_STRING },
	{ "FreeBSD", NT_FREEBSD_FEATURE_CTL, "NT_FREEBSD_FEATURE_CTL", NK_NUMERIC },
};

const struct note_type *kimage_note_types(size_t *n)
{
	*n = sizeof(note_types) / sizeof(note_types[0]);
	return note_types;
}

const struct note_type *kimage_note_type(const char *owner, uint32_t type)
{
	for (size_t i = 0; i < sizeof(note_types) / sizeof(note_types[0]); i++)
		if (note_types[i].type == type && strcmp(note_types[i].owner, owner) == 0)
			return &note_types[i];
	return NULL;
}

/* ---- bounded little-endian access ---- */

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* [off, off+size) lies inside a buffer of len bytes (no overflow: off is
 * compared first). */
static bool in_file(uint64_t off, uint64_t size, size_t len)
{
	return off <= len && size <= len - off;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* The parse context: where messages go, and their prefix. */
struct ctx {
	const char *name;     /* the file */
	const char *what;     /* "" or "bzImage payload: " */
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3))) static int fail(const struct ctx *c, const char *fmt, ...)
{
	int k = c->name ? snprintf(c->err, c->errlen, "%s: %s", c->name, c->what)
			: snprintf(c->err, c->errlen, "%s", c->what);
	if (k < 0 || (size_t)k >= c->errlen)
		return -EINVAL;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err + k, c->errlen - (size_t)k, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* ---- notes ---- */

/* Evidence of the OS, strongest first: an ABI note of the OS's own, then
 * the Xen GUEST_OS string, then a GNU build-id (any GNU toolchain output;
 * the Linux build links one into vmlinux with --build-id). */
enum os_rank {
	OS_RANK_NONE,
	OS_RANK_BUILD_ID,
	OS_RANK_GUEST_OS,
	OS_RANK_OWN_NOTE,
};

struct walker {
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
			e->phys32_descsz = descsz;
			if (descsz == 4)
				e->phys32_entry = le32(desc);
			else if (descsz == 8)
				e->phys32_entry = le64(desc);
		} else if (type == XEN_ELFNOTE_PHYS32_RELOC && !e->has_reloc) {
			e->has_reloc = true;
			struct kimage_reloc *r = &e->reloc;
			r->nfields = descsz / 4 > 3 ? 3 : descsz / 4;
			r->align = r->nfields > 0 ? le32(desc) : KIMAGE_RELOC_ALIGN_DEFAULT;
			r->min = r->nfields > 1 ? le32(desc + 4) : KIMAGE_RELOC_MIN_DEFAULT;
			r->max = r->nfields > 2 ? le32(desc + 8) : KIMAGE_RELOC_MAX_DEFAULT;
		} else if (type == XEN_ELFNOTE_GUEST_OS) {
			size_t n = strnlen((const char *)desc, descsz);
			if (ascii_ieq(desc, n, "linux"))
				set_os(w, OS_RANK_GUEST_OS, KOS_LINUX, "Xen GUEST_OS note");
			else if (ascii_ieq(desc, n, "freebsd"))
				set_os(w, OS_RANK_GUEST_OS, KOS_FREEBSD, "Xen GUEST_OS note");
		}
	} else if (name_is(name, namesz, "FreeBSD")) {
		set_os(w, OS_RANK_OWN_NOTE, KOS_FREEBSD, "FreeBSD note");
	} else if (name_is(name, namesz, "Linux")) {
		set_os(w, OS_RANK_OWN_NOTE, KOS_LINUX, "Linux note");
	} else if (name_is(name, namesz, "GNU") && type == NT_GNU_BUILD_ID) {
		set_os(w, OS_RANK_BUILD_ID, KOS_LINUX, "GNU build-id note only (weak)");
	}
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
		n->num = descsz == 4 ? le32(desc) : le64(desc);
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
					return fail(&w->c,
						    "%s %u (at 0x%llx) ends with %llu stray bytes, expected a 12-byte note header",
						    what, idx, (unsigned long long)off, (unsigned long long)rem);
			break;
		}
		if (++w->headers > KIMAGE_NOTE_WALK_MAX)
			return fail(&w->c, "more than %u ELF notes: not a kernel image", KIMAGE_NOTE_WALK_MAX);
		uint32_t namesz = le32(h), descsz = le32(h + 4), type = le32(h + 8);
		uint64_t name_end = pos + 12 + namesz;
		uint64_t desc_off = align_up(name_end, a);
		uint64_t desc_end = desc_off + descsz;
		if (name_end > size || desc_end > size)
			return fail(&w->c,
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
		return width64 == 8 ? le64(p + off64) : width64 == 4 ? le32(p + off64) : le16(p + off64);
	/* ELF32 fields of "address or offset" width are 4 bytes; the others keep
	 * their width. */
	return width64 == 8 ? le32(p + off32) : width64 == 4 ? le32(p + off32) : le16(p + off32);
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

static int elf_parse(const struct ctx *c, const uint8_t *b, size_t len, struct kimage_elf *e)
{
	memset(e, 0, sizeof(*e));
	if (len < EI_NIDENT)
		return fail(c, "truncated ELF header (%zu bytes, expected at least %d)", len, EI_NIDENT);
	uint8_t cls = b[EI_CLASS], data = b[EI_DATA];
	if (data == ELFDATA2MSB)
		return fail(c, "big-endian ELF: unsupported (pvhprobe reads little-endian kernel images, as x86 uses)");
	if (data != ELFDATA2LSB)
		return fail(c, "ELF data encoding %u, expected little-endian (%d)", data, ELFDATA2LSB);
	if (cls != ELFCLASS32 && cls != ELFCLASS64)
		return fail(c, "ELF class %u, expected ELF32 (%d) or ELF64 (%d)", cls, ELFCLASS32, ELFCLASS64);
	const bool is64 = cls == ELFCLASS64;
	const struct elf_layout L = is64 ? (struct elf_layout){ sizeof(Elf64_Ehdr), sizeof(Elf64_Phdr), sizeof(Elf64_Shdr) }
					 : (struct elf_layout){ sizeof(Elf32_Ehdr), sizeof(Elf32_Phdr), sizeof(Elf32_Shdr) };
	if (len < L.ehsize)
		return fail(c, "truncated ELF%s header (%zu bytes, expected %zu)", is64 ? "64" : "32", len, L.ehsize);
	e->cls = is64 ? KIMAGE_ELF64 : KIMAGE_ELF32;
	e->type = (uint16_t)EH(e_type, b, is64);
	e->machine = (uint16_t)EH(e_machine, b, is64);
	e->entry = EH(e_entry, b, is64);
	uint64_t phoff = EH(e_phoff, b, is64), shoff = EH(e_shoff, b, is64);
	uint64_t phnum = EH(e_phnum, b, is64), shnum = EH(e_shnum, b, is64);
	uint64_t phent = EH(e_phentsize, b, is64), shent = EH(e_shentsize, b, is64);

	/* Section header 0 holds the real counts when they overflow the ELF
	 * header's 16-bit fields (gABI: PN_XNUM in e_phnum, 0 in e_shnum). */
	if (shoff && (phnum == PN_XNUM || shnum == 0)) {
		if (shent < L.shsize || !in_file(shoff, L.shsize, len))
			return fail(c, "section header 0 at 0x%llx runs past the end of the file (%zu bytes): truncated?",
				    (unsigned long long)shoff, len);
		const uint8_t *s0 = b + shoff;
		if (phnum == PN_XNUM)
			phnum = SH(sh_info, s0, is64);
		if (shnum == 0)
			shnum = SH(sh_size, s0, is64);
	}

	if (phnum) {
		if (phent < L.phsize)
			return fail(c, "e_phentsize %llu, expected at least %zu", (unsigned long long)phent, L.phsize);
		if (phnum > len / phent || !in_file(phoff, phnum * phent, len))
			return fail(c,
				    "program header table at 0x%llx (%llu entries of %llu bytes) runs past the end of the "
				    "file (%zu bytes): truncated?",
				    (unsigned long long)phoff, (unsigned long long)phnum, (unsigned long long)phent, len);
	}
	if (shoff && shnum) {
		if (shent < L.shsize)
			return fail(c, "e_shentsize %llu, expected at least %zu", (unsigned long long)shent, L.shsize);
		if (shnum > len / shent || !in_file(shoff, shnum * shent, len))
			return fail(c,
				    "section header table at 0x%llx (%llu entries of %llu bytes) runs past the end of the "
				    "file (%zu bytes): truncated?",
				    (unsigned long long)shoff, (unsigned long long)shnum, (unsigned long long)shent, len);
	}

	struct walker w = { .c = *c, .b = b, .len = len, .e = e };
	for (uint64_t i = 0; i < phnum; i++) {
		const uint8_t *p = b + phoff + i * phent;
		if (PH(p_type, p, is64) != PT_NOTE)
			continue;
		uint64_t off = PH(p_offset, p, is64), sz = PH(p_filesz, p, is64);
		if (!in_file(off, sz, len))
			return fail(c,
				    "PT_NOTE segment %llu at 0x%llx (%llu bytes) runs past the end of the file (%zu bytes): "
				    "truncated?",
				    (unsigned long long)i, (unsigned long long)off, (unsigned long long)sz, len);
		e->nsegments++;
		int r = walk_notes(&w, off, sz, PH(p_align, p, is64), REGION_SEGMENT, "PT_NOTE segment", (unsigned)i);
		if (r < 0)
			return r;
	}
	for (uint64_t i = 0; shoff && i < shnum; i++) {
		const uint8_t *s = b + shoff + i * shent;
		if (SH(sh_type, s, is64) != SHT_NOTE)
			continue;
		uint64_t off = SH(sh_offset, s, is64), sz = SH(sh_size, s, is64);
		if (!in_file(off, sz, len))
			return fail(c,
				    "SHT_NOTE section %llu at 0x%llx (%llu bytes) runs past the end of the file (%zu bytes): "
				    "truncated?",
				    (unsigned long long)i, (unsigned long long)off, (unsigned long long)sz, len);
		e->nsections++;
		int r = walk_notes(&w, off, sz, SH(sh_addralign, s, is64), REGION_SECTION, "SHT_NOTE section",
				   (unsigned)i);
		if (r < 0)
			return r;
	}
	finish_verdict(e);
	return 0;
}

/* ---- a bare note stream (/sys/kernel/notes) ---- */

/* The whole file is 4-byte aligned notes, each owner name 1..31 bytes of
 * printable ASCII and its NUL (zero padding under 12 bytes may end it):
 * what /sys/kernel/notes holds, and what random data almost never is. */
static bool is_note_stream(const uint8_t *b, size_t len)
{
	size_t pos = 0;
	unsigned n = 0;
	while (len - pos >= 12) {
		uint32_t namesz = le32(b + pos), descsz = le32(b + pos + 4);
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

static int notes_parse(const struct ctx *c, const uint8_t *b, size_t len, struct kimage_elf *e)
{
	memset(e, 0, sizeof(*e));
	e->cls = KIMAGE_NOTES;
	struct walker w = { .c = *c, .b = b, .len = len, .e = e };
	int r = walk_notes(&w, 0, len, 4, REGION_STREAM, "note stream", 0);
	if (r < 0)
		return r;
	finish_verdict(e);
	return 0;
}

/* ---- bzImage ---- */

/* The real-mode header (Documentation/arch/x86/boot.rst, "THE REAL-MODE
 * KERNEL HEADER"; struct setup_header in arch/x86/include/uapi/asm/
 * bootparam.h). Offsets are from the start of the file. */
#define BZ_SETUP_SECTS 0x1f1    /* u8; 0 means 4 */
#define BZ_HEADER 0x202         /* "HdrS", protocol 2.00+ */
#define BZ_VERSION 0x206        /* u16 */
#define BZ_KERNEL_VERSION 0x20e /* u16: string at this + 0x200 */
#define BZ_LOADFLAGS 0x211      /* u8 */
#define BZ_XLOADFLAGS 0x236     /* u16, protocol 2.12+ */
#define BZ_PAYLOAD_OFFSET 0x248 /* u32, protocol 2.08+ */
#define BZ_PAYLOAD_LENGTH 0x24c /* u32 */
#define BZ_HEADER_END 0x250
#define XLF_KERNEL_64 (1u << 0) /* bootparam.h: a 64-bit entry at 0x200 */

static bool is_bzimage(const uint8_t *b, size_t len)
{
	return len >= BZ_HEADER + 4 && memcmp(b + BZ_HEADER, "HdrS", 4) == 0;
}

/* The magics of scripts/extract-vmlinux (and vmlinux.bin, an ELF, when
 * CONFIG_KERNEL_UNCOMPRESSED). */
static const struct {
	enum kimage_comp comp;
	uint8_t len;
	uint8_t magic[6];
} comp_magics[] = {
	{ COMP_NONE, 4, { 0x7f, 'E', 'L', 'F' } },
	{ COMP_GZIP, 2, { 0x1f, 0x8b } },
	{ COMP_XZ, 6, { 0xfd, '7', 'z', 'X', 'Z', 0x00 } },
	{ COMP_ZSTD, 4, { 0x28, 0xb5, 0x2f, 0xfd } },
	{ COMP_LZMA, 3, { 0x5d, 0x00, 0x00 } },
	{ COMP_BZIP2, 3, { 'B', 'Z', 'h' } },
	{ COMP_LZ4, 4, { 0x02, 0x21, 0x4c, 0x18 } },
	{ COMP_LZO, 4, { 0x89, 'L', 'Z', 'O' } },
};

static enum kimage_comp detect_comp(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < sizeof(comp_magics) / sizeof(comp_magics[0]); i++)
		if (n >= comp_magics[i].len && memcmp(p, comp_magics[i].magic, comp_magics[i].len) == 0)
			return comp_magics[i].comp;
	return COMP_UNKNOWN;
}

unsigned kimage_decoders(void)
{
	unsigned m = 1u << COMP_NONE;
#ifdef HAVE_LIBLZMA
	m |= 1u << COMP_XZ | 1u << COMP_LZMA;
#endif
#ifdef HAVE_LIBZSTD
	m |= 1u << COMP_ZSTD;
#endif
	return m;
}

#if defined(HAVE_LIBLZMA) || defined(HAVE_LIBZSTD)
/* Grows *out (capacity *cap) for more output, never past KIMAGE_MAX_BYTES.
 * The first allocation is the size hint when it is plausible: the kernel
 * build appends the uncompressed size to every compressed payload
 * (size_append in arch/x86/boot/compressed/Makefile), untrusted but cheap
 * to use as a first guess. */
static int grow(uint8_t **out, size_t *cap, size_t hint)
{
	if (*cap >= KIMAGE_MAX_BYTES)
		return -EFBIG;
	size_t nc = *cap ? *cap * 2 : (size_t)16 << 20;
	if (!*cap && hint > 0 && hint < KIMAGE_MAX_BYTES - 4096)
		nc = hint + 4096;
	if (nc > KIMAGE_MAX_BYTES)
		nc = KIMAGE_MAX_BYTES;
	uint8_t *n = realloc(*out, nc);
	if (!n)
		return -ENOMEM;
	*out = n;
	*cap = nc;
	return 0;
}
#endif

#ifdef HAVE_LIBLZMA
/* xz (the kernel's "xz --check=crc32 --x86 --lzma2" stream) or the legacy
 * lzma format, through liblzma; output bounded by KIMAGE_MAX_BYTES. */
static int decode_lzma(enum kimage_comp comp, const uint8_t *in, size_t inlen, size_t hint, uint8_t **out,
		       size_t *outlen, char *msg, size_t msglen)
{
	lzma_stream s = LZMA_STREAM_INIT;
	const uint64_t memlimit = (uint64_t)256 << 20;
	lzma_ret r = comp == COMP_XZ ? lzma_stream_decoder(&s, memlimit, 0) : lzma_alone_decoder(&s, memlimit);
	if (r != LZMA_OK) {
		snprintf(msg, msglen, "liblzma could not start (error %d)", (int)r);
		return -EINVAL;
	}
	uint8_t *buf = NULL;
	size_t cap = 0;
	s.next_in = in;
	s.avail_in = inlen;
	for (;;) {
		if (s.avail_out == 0) {
			size_t used = cap;
			int g = grow(&buf, &cap, hint);
			if (g < 0) {
				snprintf(msg, msglen, "%s",
					 g == -EFBIG ? "decompresses to more than 512 MiB" : "out of memory");
				lzma_end(&s);
				free(buf);
				return g;
			}
			s.next_out = buf + used;
			s.avail_out = cap - used;
		}
		r = lzma_code(&s, LZMA_FINISH);
		if (r == LZMA_STREAM_END)
			break;
		if (r != LZMA_OK) {
			snprintf(msg, msglen, "%s data is corrupt or truncated (liblzma error %d)", kimage_comp_name(comp),
				 (int)r);
			lzma_end(&s);
			free(buf);
			return -EINVAL;
		}
	}
	*outlen = cap - s.avail_out;
	*out = buf;
	lzma_end(&s);
	return 0;
}
#endif

#ifdef HAVE_LIBZSTD
static int decode_zstd(const uint8_t *in, size_t inlen, size_t hint, uint8_t **out, size_t *outlen, char *msg,
		       size_t msglen)
{
	ZSTD_DStream *ds = ZSTD_createDStream();
	if (!ds) {
		snprintf(msg, msglen, "out of memory");
		return -ENOMEM;
	}
	ZSTD_initDStream(ds);
	uint8_t *buf = NULL;
	size_t cap = 0;
	ZSTD_inBuffer ib = { in, inlen, 0 };
	ZSTD_outBuffer ob = { NULL, 0, 0 };
	for (;;) {
		if (ob.pos == ob.size) {
			int g = grow(&buf, &cap, hint);
			if (g < 0) {
				snprintf(msg, msglen, "%s",
					 g == -EFBIG ? "decompresses to more than 512 MiB" : "out of memory");
				ZSTD_freeDStream(ds);
				free(buf);
				return g;
			}
			ob.dst = buf;
			ob.size = cap;
		}
		size_t r = ZSTD_decompressStream(ds, &ob, &ib);
		if (ZSTD_isError(r)) {
			snprintf(msg, msglen, "zstd data is corrupt (%s)", ZSTD_getErrorName(r));
			ZSTD_freeDStream(ds);
			free(buf);
			return -EINVAL;
		}
		if (r == 0)
			break; /* a frame is complete: the kernel's payload is one */
		if (ib.pos == ib.size && ob.pos < ob.size) {
			snprintf(msg, msglen, "zstd data is truncated");
			ZSTD_freeDStream(ds);
			free(buf);
			return -EINVAL;
		}
	}
	*out = buf;
	*outlen = ob.pos;
	ZSTD_freeDStream(ds);
	return 0;
}
#endif

/* Decodes the payload when this build can; 0 with *out NULL when the
 * payload is the ELF itself (no copy). */
static int payload_decode(enum kimage_comp comp, const uint8_t *in, size_t inlen, uint8_t **out, size_t *outlen,
			  char *msg, size_t msglen)
{
	*out = NULL;
	*outlen = 0;
	const size_t hint = inlen >= 4 ? le32(in + inlen - 4) : 0;
	(void)hint;
	switch (comp) {
	case COMP_NONE:
		return 0;
#ifdef HAVE_LIBLZMA
	case COMP_XZ:
	case COMP_LZMA:
		return decode_lzma(comp, in, inlen, hint, out, outlen, msg, msglen);
#endif
#ifdef HAVE_LIBZSTD
	case COMP_ZSTD:
		return decode_zstd(in, inlen, hint, out, outlen, msg, msglen);
#endif
	default:
		(void)in;
		(void)inlen;
		snprintf(msg, msglen, "no decoder for %s", kimage_comp_name(comp));
		return -ENOTSUP;
	}
}

static void payload_analyse(const uint8_t *p, size_t plen, struct kimage *k)
{
	struct kimage_bzimage *bz = &k->bz;
	if (bz->comp == COMP_UNKNOWN) {
		bz->payload = PAYLOAD_UNKNOWN_COMP;
		return;
	}
	if (!(kimage_decoders() & 1u << bz->comp)) {
		bz->payload = PAYLOAD_NO_DECODER;
		return;
	}
	uint8_t *dec = NULL;
	size_t declen = 0;
	char msg[KIMAGE_ERRMSG - 64]; /* room for the prefixes below */
	if (payload_decode(bz->comp, p, plen, &dec, &declen, msg, sizeof(msg)) < 0) {
		bz->payload = PAYLOAD_BAD;
		snprintf(bz->payload_err, sizeof(bz->payload_err), "%s payload: %s", kimage_comp_name(bz->comp), msg);
		return;
	}
	const uint8_t *elf = dec ? dec : p;
	size_t elflen = dec ? declen : plen;
	/* Messages without the file name: the renderer says whose payload. */
	struct ctx ic = { .name = NULL, .what = "", .err = msg, .errlen = sizeof(msg) };
	if (elflen < 4 || memcmp(elf, ELFMAG, SELFMAG) != 0) {
		bz->payload = PAYLOAD_BAD;
		snprintf(bz->payload_err, sizeof(bz->payload_err),
			 "the decompressed payload is not an ELF (expected vmlinux, 7f 45 4c 46)");
	} else if (elf_parse(&ic, elf, elflen, &k->elf) < 0) {
		bz->payload = PAYLOAD_BAD;
		snprintf(bz->payload_err, sizeof(bz->payload_err), "the ELF inside: %s", msg);
	} else {
		bz->payload = PAYLOAD_ANALYSED;
		k->has_elf = true;
	}
	free(dec);
}

static int bzimage_parse(const struct ctx *c, const uint8_t *b, size_t len, struct kimage *k)
{
	struct kimage_bzimage *bz = &k->bz;
	if (len < BZ_VERSION + 2)
		return fail(c, "truncated bzImage header (%zu bytes, the boot protocol version is at 0x%x)", len,
			    BZ_VERSION);
	bz->version = le16(b + BZ_VERSION);
	bz->setup_sects = b[BZ_SETUP_SECTS];
	if (len > BZ_LOADFLAGS)
		bz->loadflags = b[BZ_LOADFLAGS];
	if (len >= BZ_KERNEL_VERSION + 2) {
		uint16_t kv = le16(b + BZ_KERNEL_VERSION);
		uint64_t at = (uint64_t)kv + 0x200;
		if (kv && at < len) {
			size_t max = len - at < sizeof(bz->kver) ? len - at : sizeof(bz->kver);
			bz->kver_len = strnlen((const char *)b + at, max);
			memcpy(bz->kver, b + at, bz->kver_len);
		}
	}
	if (bz->version >= 0x020c) {
		if (len < BZ_XLOADFLAGS + 2)
			return fail(c, "truncated bzImage header (%zu bytes, boot protocol %u.%02u needs 0x%x)", len,
				    bz->version >> 8, bz->version & 0xff, BZ_HEADER_END);
		bz->has_xloadflags = true;
		bz->xloadflags = le16(b + BZ_XLOADFLAGS);
	}
	bz->payload = PAYLOAD_NOT_TRIED;
	if (bz->version < 0x0208)
		return 0;
	if (len < BZ_HEADER_END)
		return fail(c, "truncated bzImage header (%zu bytes, boot protocol %u.%02u needs 0x%x)", len,
			    bz->version >> 8, bz->version & 0xff, BZ_HEADER_END);
	bz->has_payload = true;
	bz->payload_offset = le32(b + BZ_PAYLOAD_OFFSET);
	bz->payload_length = le32(b + BZ_PAYLOAD_LENGTH);
	/* The protected-mode code starts after the boot sector and the setup
	 * sectors; payload_offset counts from there (boot.rst). */
	uint64_t pm = ((uint64_t)(bz->setup_sects ? bz->setup_sects : 4) + 1) * 512;
	bz->payload_file_offset = pm + bz->payload_offset;
	if (!in_file(bz->payload_file_offset, bz->payload_length, len))
		return fail(c, "bzImage payload at 0x%llx (%u bytes) runs past the end of the file (%zu bytes): truncated?",
			    (unsigned long long)bz->payload_file_offset, bz->payload_length, len);
	const uint8_t *p = b + bz->payload_file_offset;
	bz->comp = detect_comp(p, bz->payload_length);
	payload_analyse(p, bz->payload_length, k);
	return 0;
}

/* ---- the image ---- */

bool kimage_pvh(const struct kimage *k)
{
	return k->ok && k->format != KIMAGE_BZIMAGE && k->has_elf && k->elf.pvh == PVH_YES;
}

int kimage_parse(const char *name, const uint8_t *buf, size_t len, struct kimage *k)
{
	const char *file = k->file;
	memset(k, 0, sizeof(*k));
	k->file = file ? file : name;
	struct ctx c = { .name = name, .what = "", .err = k->err, .errlen = sizeof(k->err) };
	int r;
	if (len == 0) {
		r = fail(&c, "empty file, expected an ELF kernel image or an x86 bzImage");
	} else if (len >= SELFMAG && memcmp(buf, ELFMAG, SELFMAG) == 0) {
		r = elf_parse(&c, buf, len, &k->elf);
		k->format = k->elf.cls ? k->elf.cls : KIMAGE_UNKNOWN;
		k->has_elf = r == 0;
	} else if (is_bzimage(buf, len)) {
		k->format = KIMAGE_BZIMAGE;
		r = bzimage_parse(&c, buf, len, k);
	} else if (is_note_stream(buf, len)) {
		k->format = KIMAGE_NOTES;
		r = notes_parse(&c, buf, len, &k->elf);
		k->has_elf = r == 0;
	} else {
		r = fail(&c, "not a kernel image: expected an ELF file (7f 45 4c 46 at 0), an x86 bzImage "
			     "(\"HdrS\" at 0x202) or a note stream such as /sys/kernel/notes");
	}
	if (r < 0) {
		k->has_elf = false;
		return r;
	}
	k->ok = true;
	return 0;
}

static const struct input_kind kimage_input = {
	.max_bytes = KIMAGE_MAX_BYTES,
	.expected = "a kernel image",
	.directory = "is a directory, expected a kernel image file",
	.files_only = true,
};

int kimage_load(const char *path, struct kimage *k)
{
	char *buf;
	size_t len;
	int r = input_read(path, &kimage_input, &buf, &len, k->err, sizeof(k->err));
	if (r < 0) {
		char err[KIMAGE_ERRMSG];
		memcpy(err, k->err, sizeof(err));
		memset(k, 0, sizeof(*k));
		k->file = input_name(path);
		memcpy(k->err, err, sizeof(err));
		return r;
	}
	k->file = input_name(path);
	r = kimage_parse(k->file, (const uint8_t *)buf, len, k);
	free(buf);
	return r;
}

const char *kimage_machine(const struct kimage *k)
{
	if (k->has_elf && k->elf.cls != KIMAGE_NOTES) {
		const char *m = kimage_machine_name(k->elf.machine);
		return m ? m : "other";
	}
	if (k->ok && k->format == KIMAGE_BZIMAGE && k->bz.has_xloadflags)
		return k->bz.xloadflags & XLF_KERNEL_64 ? "x86_64" : "i386";
	return NULL;
}
