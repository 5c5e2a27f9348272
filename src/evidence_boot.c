/* evidence_boot.c - how this Linux kernel was entered, from boot_params.
 *
 * torvalds/linux arch/x86/platform/pvh/enlighten.c init_pvh_bootparams()
 * leaves hdr.header 0 (no "HdrS"), hdr.version 0x020c and type_of_loader
 * 0x90 (Xen) or 0xB0 (not Xen). A boot through the Linux/x86 boot protocol
 * keeps the image's setup header, "HdrS" at 0x202 and the image's version;
 * QEMU's bzImage loader also writes 0xB0 (hw/i386/x86.c), Firecracker's
 * 0xFF: so the loader byte alone proves nothing, the header decides. */
#include "evidence.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/unaligned.h"

#define BP_HEADER 0x202
#define BP_VERSION 0x206
#define BP_LOADER 0x210
#define BP_SUBARCH 0x23c
#define BP_NEEDED (BP_SUBARCH + 4)
#define HDRS 0x53726448u /* "HdrS" little-endian */

/* type_of_loader high nibble, Documentation/arch/x86/boot.rst. */
static const char *const loader_names[16] = {
	"LILO", "Loadlin", "bootsect-loader", "Syslinux", "Etherboot/gPXE/iPXE", "ELILO", NULL, "GRUB",
	"U-Boot", "Xen", "Gujin", "QEMU", "Arcturus uCbootloader", "kexec-tools", "extended", "special",
};

void boot_decide(struct boot_evidence *b)
{
	b->loader_name = b->loader == 0xff ? "undefined (0xff)" : loader_names[b->loader >> 4];
	if (b->err) {
		b->entry = ENTRY_UNKNOWN;
		snprintf(b->why, sizeof(b->why), "/sys/kernel/boot_params/data: %s", strerror(-b->err));
		return;
	}
	if (!b->complete) {
		b->entry = ENTRY_UNKNOWN;
		snprintf(b->why, sizeof(b->why), "/sys/kernel/boot_params/data is truncated (%zu bytes, need %d)", b->size,
			 BP_NEEDED);
		return;
	}
	if (b->header == HDRS) {
		b->entry = ENTRY_LINUX_BOOT;
		snprintf(b->why, sizeof(b->why), "boot_params: header \"HdrS\", version 0x%04x, loader 0x%02x (%s)",
			 b->version, b->loader, b->loader_name ? b->loader_name : "unassigned");
		return;
	}
	if (b->header == 0 && b->version == 0x020c && (b->loader == 0x90 || b->loader == 0xb0)) {
		b->entry = b->loader == 0x90 ? ENTRY_PVH_XEN : ENTRY_PVH;
		snprintf(b->why, sizeof(b->why), "boot_params: no \"HdrS\", version 0x020c, loader 0x%02x", b->loader);
		return;
	}
	b->entry = ENTRY_UNKNOWN;
	snprintf(b->why, sizeof(b->why), "boot_params: header 0x%08x, version 0x%04x, loader 0x%02x: no known entry pattern",
		 b->header, b->version, b->loader);
}

void evidence_boot(struct sysroot *s, struct boot_evidence *b)
{
	uint8_t buf[BP_NEEDED];
	memset(b, 0, sizeof(*b));
	b->bootloader_type = -1;
	size_t len = 0;
	b->err = sysroot_read(s, "/sys/kernel/boot_params/data", buf, sizeof(buf), &len);
	b->size = len;
	if (!b->err && len >= BP_NEEDED) {
		b->complete = true;
		b->header = get_le32(buf + BP_HEADER);
		b->version = get_le16(buf + BP_VERSION);
		b->loader = buf[BP_LOADER];
		b->subarch = get_le32(buf + BP_SUBARCH);
	}
	struct sbuf t;
	sysroot_attr(s, "/proc/sys/kernel/bootloader_type", &t);
	if (!t.err && t.n > 0 && t.n < 12) {
		char num[16];
		memcpy(num, t.b, t.n);
		num[t.n] = '\0';
		char *end;
		long v = strtol(num, &end, 10);
		if (*end == '\0' && v >= 0 && v <= 0xffff)
			b->bootloader_type = (int)v;
	}
	boot_decide(b);
}
