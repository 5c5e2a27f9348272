/* kimage_bzimage.c - an x86 bzImage: its real-mode header and the payload
 * it carries (decompressed by kimage_decompress.c, read by kimage_elf.c).
 *
 * bzImage header: Linux Documentation/arch/x86/boot.rst ("The Linux/x86
 * Boot Protocol") and arch/x86/include/uapi/asm/bootparam.h; payload
 * magics: Linux scripts/extract-vmlinux. Nothing here prints. */
#include "kimage_parse.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

bool kimage_is_bzimage(const uint8_t *b, size_t len)
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
	for (size_t i = 0; i < ARRAY_SIZE(comp_magics); i++)
		if (n >= comp_magics[i].len && memcmp(p, comp_magics[i].magic, comp_magics[i].len) == 0)
			return comp_magics[i].comp;
	return COMP_UNKNOWN;
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
	if (kimage_payload_decode(bz->comp, p, plen, &dec, &declen, msg, sizeof(msg)) < 0) {
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
	} else if (kimage_elf_parse(&ic, elf, elflen, &k->elf) < 0) {
		bz->payload = PAYLOAD_BAD;
		snprintf(bz->payload_err, sizeof(bz->payload_err), "the ELF inside: %s", msg);
	} else {
		bz->payload = PAYLOAD_ANALYSED;
		k->has_elf = true;
	}
	free(dec);
}

int kimage_bzimage_parse(const struct ctx *c, const uint8_t *b, size_t len, struct kimage *k)
{
	struct kimage_bzimage *bz = &k->bz;
	if (len < BZ_VERSION + 2)
		return kimage_fail(c, "truncated bzImage header (%zu bytes, the boot protocol version is at 0x%x)", len,
			    BZ_VERSION);
	bz->version = get_le16(b + BZ_VERSION);
	bz->setup_sects = b[BZ_SETUP_SECTS];
	if (len > BZ_LOADFLAGS)
		bz->loadflags = b[BZ_LOADFLAGS];
	if (len >= BZ_KERNEL_VERSION + 2) {
		uint16_t kv = get_le16(b + BZ_KERNEL_VERSION);
		uint64_t at = (uint64_t)kv + 0x200;
		if (kv && at < len) {
			size_t max = len - at < sizeof(bz->kver) ? len - at : sizeof(bz->kver);
			bz->kver_len = strnlen((const char *)b + at, max);
			memcpy(bz->kver, b + at, bz->kver_len);
		}
	}
	if (bz->version >= 0x020c) {
		if (len < BZ_XLOADFLAGS + 2)
			return kimage_fail(c, "truncated bzImage header (%zu bytes, boot protocol %u.%02u needs 0x%x)", len,
				    bz->version >> 8, bz->version & 0xff, BZ_HEADER_END);
		bz->has_xloadflags = true;
		bz->xloadflags = get_le16(b + BZ_XLOADFLAGS);
	}
	bz->payload = PAYLOAD_NOT_TRIED;
	if (bz->version < 0x0208)
		return 0;
	if (len < BZ_HEADER_END)
		return kimage_fail(c, "truncated bzImage header (%zu bytes, boot protocol %u.%02u needs 0x%x)", len,
			    bz->version >> 8, bz->version & 0xff, BZ_HEADER_END);
	bz->has_payload = true;
	bz->payload_offset = get_le32(b + BZ_PAYLOAD_OFFSET);
	bz->payload_length = get_le32(b + BZ_PAYLOAD_LENGTH);
	/* The protected-mode code starts after the boot sector and the setup
	 * sectors; payload_offset counts from there (boot.rst). */
	uint64_t pm = ((uint64_t)(bz->setup_sects ? bz->setup_sects : 4) + 1) * 512;
	bz->payload_file_offset = pm + bz->payload_offset;
	if (!in_file(bz->payload_file_offset, bz->payload_length, len))
		return kimage_fail(c, "bzImage payload at 0x%llx (%u bytes) runs past the end of the file (%zu bytes): truncated?",
			    (unsigned long long)bz->payload_file_offset, bz->payload_length, len);
	const uint8_t *p = b + bz->payload_file_offset;
	bz->comp = detect_comp(p, bz->payload_length);
	payload_analyse(p, bz->payload_length, k);
	return 0;
}

