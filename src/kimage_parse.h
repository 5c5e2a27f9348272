/* kimage_parse.h - what the kernel image readers share (kimage.c the
 * names and the dispatch, kimage_elf.c ELF and note streams,
 * kimage_bzimage.c the bzImage header, kimage_decompress.c its payload's
 * decompressors). Private to them: the public interface is kimage.h. */
#ifndef PVHPROBE_KIMAGE_PARSE_H
#define PVHPROBE_KIMAGE_PARSE_H

#include "kimage.h"
#include "core/base.h"
#include "core/unaligned.h"

/* Note types (the note type table in kimage.c names them). */
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

#define XLF_KERNEL_64 (1u << 0) /* bootparam.h: a 64-bit entry at 0x200 */

/* [off, off+size) lies inside a buffer of len bytes (no overflow: off is
 * compared first). */
static inline bool in_file(uint64_t off, uint64_t size, size_t len)
{
	return off <= len && size <= len - off;
}

static inline uint64_t align_up(uint64_t v, uint64_t a)
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

/* Writes "NAME: WHAT" and the message to c->err; returns -EINVAL. */
_printf_(2, 3) int kimage_fail(const struct ctx *c, const char *fmt, ...);

/* kimage_elf.c: an ELF image (e zeroed first), a bare note stream such as
 * /sys/kernel/notes, and the test for one. Return 0 or kimage_fail(). */
_warn_unused_result_ int kimage_elf_parse(const struct ctx *c, const uint8_t *b, size_t len, struct kimage_elf *e);
bool kimage_is_note_stream(const uint8_t *b, size_t len);
_warn_unused_result_ int kimage_notes_parse(const struct ctx *c, const uint8_t *b, size_t len, struct kimage_elf *e);

/* kimage_bzimage.c: "HdrS" at 0x202, and the header and payload of one. */
bool kimage_is_bzimage(const uint8_t *b, size_t len);
_warn_unused_result_ int kimage_bzimage_parse(const struct ctx *c, const uint8_t *b, size_t len, struct kimage *k);

/* kimage_decompress.c: decodes the payload when this build can; 0 with *out
 * NULL when the payload is the ELF itself (no copy), else *out (*outlen
 * bytes, at most KIMAGE_MAX_BYTES) is the caller's to free(). Returns
 * -errno with msg set on failure, -ENOTSUP without a decoder. */
_warn_unused_result_ int kimage_payload_decode(enum kimage_comp comp, const uint8_t *in, size_t inlen, uint8_t **out, size_t *outlen,
			  char *msg, size_t msglen);

#endif
