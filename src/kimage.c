/* kimage.c - reading kernel images: the names, the note type table, and
 * the dispatch to the format readers (kimage_parse.h): kimage_elf.c,
 * kimage_bzimage.c, kimage_decompress.c.
 *
 * Sources, cited beside what they define:
 *  - Xen note types: xen-project/xen xen/include/public/elfnote.h.
 *  - Linux note types: include/linux/elfnote.h, include/linux/build-salt.h,
 *    include/linux/elfnote-lto.h.
 *  - FreeBSD note types: sys/sys/elf_common.h.
 *
 * Nothing here prints. */
#include "kimage_parse.h"

#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "core/strtab.h"

/* ---- names ---- */

static const char *const format_names[_KIMAGE_FORMAT_MAX] = {
	[KIMAGE_UNKNOWN] = "unknown",
	[KIMAGE_ELF32] = "elf32",
	[KIMAGE_ELF64] = "elf64",
	[KIMAGE_BZIMAGE] = "bzimage",
	[KIMAGE_NOTES] = "notes",
};

DEFINE_STRTAB(kimage_format, enum kimage_format, format_names)

static const char *const os_names[_KOS_MAX] = {
	[KOS_UNKNOWN] = "unknown",
	[KOS_LINUX] = "linux",
	[KOS_FREEBSD] = "freebsd",
	[KOS_PVHPROBE] = "pvhprobe-guest",
	[KOS_NETBSD] = "netbsd",
};

DEFINE_STRTAB(kimage_os, enum kimage_os, os_names)

static const char *const comp_names[_COMP_MAX] = {
	[COMP_UNKNOWN] = "unknown", [COMP_NONE] = "none", [COMP_GZIP] = "gzip",
	[COMP_XZ] = "xz",           [COMP_ZSTD] = "zstd", [COMP_LZMA] = "lzma",
	[COMP_BZIP2] = "bzip2",     [COMP_LZ4] = "lz4",   [COMP_LZO] = "lzo",
};

DEFINE_STRTAB(kimage_comp, enum kimage_comp, comp_names)

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
	/* pvhprobe's probe guest (guest/entry.S): its version */
	{ "pvhprobe", 1, "PVHPROBE_VERSION", NK_STRING },
};

const struct note_type *kimage_note_types(size_t *n)
{
	*n = ARRAY_SIZE(note_types);
	return note_types;
}

const struct note_type *kimage_note_type(const char *owner, uint32_t type)
{
	for (size_t i = 0; i < ARRAY_SIZE(note_types); i++)
		if (note_types[i].type == type && strcmp(note_types[i].owner, owner) == 0)
			return &note_types[i];
	return NULL;
}

/* ---- messages ---- */

int kimage_fail(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = input_fail_v(c->err, c->errlen, c->name, 0, c->what, fmt, ap);
	va_end(ap);
	return r;
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
		r = kimage_fail(&c, "empty file, expected an ELF kernel image or an x86 bzImage");
	} else if (len >= SELFMAG && memcmp(buf, ELFMAG, SELFMAG) == 0) {
		r = kimage_elf_parse(&c, buf, len, &k->elf);
		k->format = k->elf.cls ? k->elf.cls : KIMAGE_UNKNOWN;
		k->has_elf = r == 0;
	} else if (kimage_is_bzimage(buf, len)) {
		k->format = KIMAGE_BZIMAGE;
		r = kimage_bzimage_parse(&c, buf, len, k);
	} else if (kimage_is_note_stream(buf, len)) {
		k->format = KIMAGE_NOTES;
		r = kimage_notes_parse(&c, buf, len, &k->elf);
		k->has_elf = r == 0;
	} else {
		r = kimage_fail(&c, "not a kernel image: expected an ELF file (7f 45 4c 46 at 0), an x86 bzImage "
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
