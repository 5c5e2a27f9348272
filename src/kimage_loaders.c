/* kimage_loaders.c - would a VMM's loader take this ELF image for a PVH
 * boot, and is its layout sound?
 *
 * The note alone does not make an image bootable: each VMM's loader has
 * rules of its own about the ELF class, where segments may sit and where
 * it looks for the note. Each rule below is read in the loader's source
 * (docs/kernel-images.md, "Will a VMM load it?", has the detail):
 *
 *  - Xen, dom0 and domU: libelf (xen-project/xen xen/common/libelf/
 *    libelf-dominfo.c elf_xen_addr_calc_check()) refuses a PVH entry
 *    outside [lowest p_paddr, highest p_paddr + p_memsz] ("ELF start or
 *    entries are out of bounds"). A PVH dom0 (xen/arch/x86/hvm/
 *    dom0_build.c pvh_load_kernel()) copies the segments to their p_paddr
 *    in dom0's memory, where every page below 1 MiB that is not RAM in the
 *    host's e820 is identity-mapped MMIO (pvh_populate_p2m()): Xen 4.17
 *    and 4.18 fail "Failed to load kernel: -1" on a segment there; 4.19
 *    (commit dfc9fab00378, check_load_address()) wants [lowest, highest)
 *    inside one RAM range and relocates the image when it carries
 *    XEN_ELFNOTE_PHYS32_RELOC ("Address conflict and not relocatable"
 *    otherwise). A domU's loader (tools/libs/guest xg_dom_elfloader.c)
 *    needs the PHYS32_ENTRY note and libelf's check.
 *  - QEMU (qemu/qemu hw/i386/x86-common.c load_elfboot()): ELF32 or
 *    ELF64, e_flags without 0x00010004, the note; segments at p_paddr.
 *    Below 1 MiB, 0xA0000-0xFFFFF holds VGA memory and the BIOS and
 *    option ROMs (pvh.bin among them).
 *  - Firecracker (1.12 and later) and Cloud Hypervisor, through rust-vmm's
 *    linux-loader 0.14 (src/loader/x86_64/elf/mod.rs Elf::load()): reads
 *    an Elf64 header whatever the class (e_phentsize must be 56, so an
 *    ELF32 image is refused), refuses an e_entry below 1 MiB (HIMEM_START;
 *    the ELF entry, not the PVH one), and takes the PVH entry from the
 *    LAST PT_NOTE segment only (each one overwrites the answer; notes in
 *    sections are not read). Both VMMs write their boot structures (GDT
 *    at 0x500, start_info at 0x6000, the memory map at 0x7000, page
 *    tables, the command line) below 0x20000 without checking for the
 *    kernel there.
 * Nothing here prints. */
#include "kimage.h"

#include <stdio.h>
#include <string.h>

#include "core/strtab.h"

static const char *const loader_names[_LOADER_MAX] = {
	[LOADER_XEN_DOM0] = "xen-dom0",
	[LOADER_XEN_DOMU] = "xen-domu",
	[LOADER_QEMU] = "qemu",
	[LOADER_LINUX_LOADER] = "firecracker-cloud-hypervisor",
};
DEFINE_STRTAB(kimage_loader, enum kimage_loader, loader_names)

static const char *const verdict_names[_LOADER_VERDICT_MAX] = {
	[LOADS] = "loads",
	[LOADS_WITH_RISK] = "loads_with_risk",
	[REFUSED] = "refused",
};
const char *loader_verdict_name(enum loader_verdict v)
{
	return strtab_name(verdict_names, ARRAY_SIZE(verdict_names), (int)v);
}

static const char *const layout_names[_LAYOUT_ISSUE_MAX] = {
	[LAYOUT_ENTRY_OUTSIDE] = "entry_outside_segments",
	[LAYOUT_OVERLAP] = "segments_overlap",
	[LAYOUT_RELOC_EXCLUDES] = "reloc_excludes_link_address",
	[LAYOUT_NO_LOADS] = "no_load_segments",
};
const char *kimage_layout_issue_name(enum kimage_layout_issue i)
{
	return strtab_name(layout_names, ARRAY_SIZE(layout_names), (int)i);
}

#define MIB 0x100000u
#define PF_X_BIT 1u        /* <elf.h> PF_X */
#define ROM_HOLE_START 0xa0000u
#define BOOT_AREA_START 0x500u   /* Firecracker / Cloud Hypervisor: the GDT */
#define BOOT_AREA_END 0x20000u   /* ... up to their command line's end */
#define QEMU_BAD_EFLAGS 0x00010004u

static bool overlaps(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
	return a0 < b1 && b0 < a1;
}

/* The end of a segment in physical memory, saturated. */
static uint64_t seg_end(const struct kimage_load *l)
{
	return l->memsz > UINT64_MAX - l->paddr ? UINT64_MAX : l->paddr + l->memsz;
}

/* The first load segment overlapping [lo, hi), or NULL. */
static const struct kimage_load *first_in(const struct kimage_elf *e, uint64_t lo, uint64_t hi)
{
	for (unsigned i = 0; i < e->nloads; i++)
		if (e->loads[i].memsz && overlaps(e->loads[i].paddr, seg_end(&e->loads[i]), lo, hi))
			return &e->loads[i];
	return NULL;
}

static void layout_check(const struct kimage_elf *e, struct kimage_layout *lay)
{
	memset(lay, 0, sizeof(*lay));
	lay->low = UINT64_MAX;
	for (unsigned i = 0; i < e->nloads; i++) {
		if (!e->loads[i].memsz)
			continue;
		if (e->loads[i].paddr < lay->low)
			lay->low = e->loads[i].paddr;
		if (seg_end(&e->loads[i]) > lay->high)
			lay->high = seg_end(&e->loads[i]);
	}
	if (lay->low == UINT64_MAX) {
		lay->low = 0;
		lay->issue[LAYOUT_NO_LOADS] = true;
		snprintf(lay->text[LAYOUT_NO_LOADS], KIMAGE_LOADER_WHY, "no PT_LOAD program header with a size: nothing to load");
		return;
	}
	bool in_x = false;
	for (unsigned i = 0; i < e->nloads; i++) {
		const struct kimage_load *l = &e->loads[i];
		if ((l->flags & PF_X_BIT) && e->phys32_entry >= l->paddr && e->phys32_entry < seg_end(l))
			in_x = true;
	}
	if (!in_x) {
		lay->issue[LAYOUT_ENTRY_OUTSIDE] = true;
		snprintf(lay->text[LAYOUT_ENTRY_OUTSIDE], KIMAGE_LOADER_WHY,
			 "the PVH entry 0x%llx lies in no executable load segment: the VMM jumps to bytes the image does not "
			 "provide as code",
			 (unsigned long long)e->phys32_entry);
	}
	for (unsigned i = 0; i < e->nloads && !lay->issue[LAYOUT_OVERLAP]; i++)
		for (unsigned j = i + 1; j < e->nloads; j++) {
			const struct kimage_load *a = &e->loads[i], *b = &e->loads[j];
			if (a->memsz && b->memsz && overlaps(a->paddr, seg_end(a), b->paddr, seg_end(b))) {
				lay->issue[LAYOUT_OVERLAP] = true;
				snprintf(lay->text[LAYOUT_OVERLAP], KIMAGE_LOADER_WHY,
					 "load segments %u (0x%llx..0x%llx) and %u (0x%llx..0x%llx) overlap in physical "
					 "memory: the later copy overwrites the earlier",
					 i, (unsigned long long)a->paddr, (unsigned long long)seg_end(a), j,
					 (unsigned long long)b->paddr, (unsigned long long)seg_end(b));
				break;
			}
		}
	if (e->has_reloc && (lay->low < e->reloc.min || lay->low > e->reloc.max)) {
		lay->issue[LAYOUT_RELOC_EXCLUDES] = true;
		snprintf(lay->text[LAYOUT_RELOC_EXCLUDES], KIMAGE_LOADER_WHY,
			 "XEN_ELFNOTE_PHYS32_RELOC allows 0x%x..0x%x, which excludes the image's own link address 0x%llx",
			 e->reloc.min, e->reloc.max, (unsigned long long)lay->low);
	}
}

static void set(struct kimage_loader_result *r, enum loader_verdict v, const char *fmt, ...) _printf_(3, 4);
static void set(struct kimage_loader_result *r, enum loader_verdict v, const char *fmt, ...)
{
	if (r->verdict >= v && r->why[0])
		return; /* the first rule that decided at this level or worse stands */
	r->verdict = v;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
}

/* libelf's bounds check, dom0 and domU alike. */
static void xen_libelf(const struct kimage_elf *e, const struct kimage_layout *lay, struct kimage_loader_result *r)
{
	if (e->phys32_entry < lay->low || e->phys32_entry > lay->high)
		set(r, REFUSED,
		    "libelf: the PVH entry 0x%llx is outside [0x%llx, 0x%llx], the lowest p_paddr to the highest segment "
		    "end (\"ELF start or entries are out of bounds\")",
		    (unsigned long long)e->phys32_entry, (unsigned long long)lay->low, (unsigned long long)lay->high);
}

static void xen_dom0(const struct kimage_elf *e, const struct kimage_layout *lay, struct kimage_loader_result *r)
{
	xen_libelf(e, lay, r);
	const struct kimage_load *low = first_in(e, 0, MIB);
	if (low)
		set(r, REFUSED,
		    "a load segment at 0x%llx..0x%llx lies below 1 MiB, where a PVH dom0's non-RAM pages are MMIO: Xen "
		    "4.17 and 4.18 fail \"Failed to load kernel: -1\"; 4.19 and later %s",
		    (unsigned long long)low->paddr, (unsigned long long)seg_end(low),
		    e->has_reloc ? "move it, as XEN_ELFNOTE_PHYS32_RELOC allows"
				 : "refuse it too (\"Address conflict and not relocatable\": no XEN_ELFNOTE_PHYS32_RELOC)");
	if (!r->why[0])
		set(r, LOADS, "libelf's bounds hold and no load segment lies below 1 MiB");
}

static void xen_domu(const struct kimage_elf *e, const struct kimage_layout *lay, struct kimage_loader_result *r)
{
	xen_libelf(e, lay, r);
	if (!r->why[0])
		set(r, LOADS, "the PHYS32_ENTRY note is there and libelf's bounds hold");
}

static void qemu(const struct kimage_elf *e, uint32_t e_flags, struct kimage_loader_result *r)
{
	if (e_flags & QEMU_BAD_EFLAGS)
		set(r, REFUSED, "e_flags 0x%x has bits 0x%x set: QEMU exits \"elfboot unsupported flags\"", e_flags,
		    e_flags & QEMU_BAD_EFLAGS);
	const struct kimage_load *rom = first_in(e, ROM_HOLE_START, MIB);
	if (rom)
		set(r, LOADS_WITH_RISK,
		    "a load segment at 0x%llx..0x%llx overlaps 0xa0000..0x100000, VGA memory and the BIOS and option "
		    "ROMs on pc and q35",
		    (unsigned long long)rom->paddr, (unsigned long long)seg_end(rom));
	if (!r->why[0])
		set(r, LOADS, "an ELF%s with the note; segments go to their p_paddr",
		    e->cls == KIMAGE_ELF64 ? "64" : "32");
}

static void linux_loader(const struct kimage_elf *e, struct kimage_loader_result *r)
{
	if (e->cls != KIMAGE_ELF64)
		set(r, REFUSED,
		    "an ELF32 image: linux-loader reads an Elf64 header and wants e_phentsize 56 (InvalidProgramHeaderSize)");
	else if (e->entry < MIB)
		set(r, REFUSED,
		    "e_entry 0x%llx is below 1 MiB: linux-loader refuses it (InvalidEntryAddress; it checks the ELF entry, "
		    "not the PVH one)",
		    (unsigned long long)e->entry);
	else if (e->phys32_segment < 0)
		set(r, REFUSED,
		    "the PHYS32_ENTRY note is in a section only: linux-loader reads PT_NOTE segments, finds no PVH entry, "
		    "and Firecracker then boots e_entry as a 64-bit Linux kernel");
	else if (e->phys32_segment != e->last_note_segment)
		set(r, REFUSED,
		    "the PHYS32_ENTRY note is in PT_NOTE program header %d, but %d is the last one: linux-loader keeps the "
		    "last PT_NOTE's answer, no PVH entry",
		    e->phys32_segment, e->last_note_segment);
	const struct kimage_load *boot = first_in(e, BOOT_AREA_START, BOOT_AREA_END);
	if (boot)
		set(r, LOADS_WITH_RISK,
		    "a load segment at 0x%llx..0x%llx overlaps 0x500..0x20000, where Firecracker and Cloud Hypervisor "
		    "write the GDT, start_info, the memory map and page tables without checking",
		    (unsigned long long)boot->paddr, (unsigned long long)seg_end(boot));
	if (!r->why[0])
		set(r, LOADS, "an ELF64 with e_entry at or above 1 MiB and the note in the last PT_NOTE segment");
}

void kimage_loaders(const struct kimage_elf *e, struct kimage_layout *lay, struct kimage_loader_result *out)
{
	layout_check(e, lay);
	for (int l = 0; l < _LOADER_MAX; l++)
		out[l] = (struct kimage_loader_result){ .loader = (enum kimage_loader)l, .verdict = LOADS };
	if (lay->issue[LAYOUT_NO_LOADS]) {
		for (int l = 0; l < _LOADER_MAX; l++)
			set(&out[l], REFUSED, "%s", lay->text[LAYOUT_NO_LOADS]);
		return;
	}
	xen_dom0(e, lay, &out[LOADER_XEN_DOM0]);
	xen_domu(e, lay, &out[LOADER_XEN_DOMU]);
	qemu(e, e->flags, &out[LOADER_QEMU]);
	linux_loader(e, &out[LOADER_LINUX_LOADER]);
}
