/* test_kimage_loaders.c - would each VMM's loader take an image? The rules
 * of src/kimage_loaders.c on hand-built ELF descriptions, one row each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "kimage.h"

#define X 5u /* PF_R | PF_X */
#define RW 6u

struct seg {
	uint64_t paddr, memsz;
	uint32_t flags;
};

static const struct {
	const char *name;
	enum kimage_format cls;
	uint64_t e_entry, pvh_entry;
	uint32_t e_flags;
	struct seg segs[3];
	int phys32_segment, last_note_segment;
	bool reloc;
	uint32_t reloc_min, reloc_max;
	enum loader_verdict want[_LOADER_MAX]; /* xen-dom0, xen-domu, qemu, linux-loader */
	int issue;                             /* a layout issue expected, or -1 */
	const char *why;                       /* in some loader's why */
} cases[] = {
	{ "Debian vmlinux: all load", KIMAGE_ELF64, 0x1000000, 0x1000850, 0, { { 0x1000000, 0x2000000, X } }, 1, 1,
	  false, 0, 0, { LOADS, LOADS, LOADS, LOADS }, -1, "libelf's bounds hold" },
	{ "headers in a segment at 0xff000", KIMAGE_ELF64, 0x100100, 0x100100, 0, { { 0xff000, 0x4000, X } }, 1, 1, false,
	  0, 0, { REFUSED, LOADS, LOADS_WITH_RISK, LOADS }, -1, "Failed to load kernel: -1" },
	{ "low but relocatable: 4.19 moves it", KIMAGE_ELF64, 0x100100, 0x100100, 0, { { 0xff000, 0x4000, X } }, 1, 1,
	  true, 0, 0xffffffff, { REFUSED, LOADS, LOADS_WITH_RISK, LOADS }, -1, "as XEN_ELFNOTE_PHYS32_RELOC allows" },
	{ "entry past the last segment", KIMAGE_ELF64, 0x1000000, 0x3000000, 0, { { 0x1000000, 0x1000, X } }, 1, 1, false,
	  0, 0, { REFUSED, REFUSED, LOADS, LOADS }, LAYOUT_ENTRY_OUTSIDE, "out of bounds" },
	{ "entry in a data segment only", KIMAGE_ELF64, 0x1000000, 0x2000100, 0,
	  { { 0x1000000, 0x1000, X }, { 0x2000000, 0x1000, RW } }, 1, 1, false, 0, 0, { LOADS, LOADS, LOADS, LOADS },
	  LAYOUT_ENTRY_OUTSIDE, NULL },
	{ "overlapping segments", KIMAGE_ELF64, 0x1000000, 0x1000100, 0,
	  { { 0x1000000, 0x2000, X }, { 0x1001000, 0x2000, RW } }, 1, 1, false, 0, 0, { LOADS, LOADS, LOADS, LOADS },
	  LAYOUT_OVERLAP, NULL },
	{ "relocation range excludes the link address", KIMAGE_ELF64, 0x1000000, 0x1000100, 0,
	  { { 0x1000000, 0x2000, X } }, 1, 1, true, 0x2000000, 0x3fffffff, { LOADS, LOADS, LOADS, LOADS },
	  LAYOUT_RELOC_EXCLUDES, NULL },
	{ "ELF32: not for linux-loader", KIMAGE_ELF32, 0xc1000000, 0x1000a00, 0, { { 0x1000000, 0x4000, X } }, 1, 1,
	  false, 0, 0, { LOADS, LOADS, LOADS, REFUSED }, -1, "InvalidProgramHeaderSize" },
	{ "e_entry below 1 MiB", KIMAGE_ELF64, 0xff000, 0x1000100, 0, { { 0x1000000, 0x4000, X } }, 1, 1, false, 0, 0,
	  { LOADS, LOADS, LOADS, REFUSED }, -1, "InvalidEntryAddress" },
	{ "note in a section only", KIMAGE_ELF64, 0x1000000, 0x1000100, 0, { { 0x1000000, 0x4000, X } }, -1, -1, false, 0,
	  0, { LOADS, LOADS, LOADS, REFUSED }, -1, "section only" },
	{ "note not in the last PT_NOTE", KIMAGE_ELF64, 0x1000000, 0x1000100, 0, { { 0x1000000, 0x4000, X } }, 1, 2,
	  false, 0, 0, { LOADS, LOADS, LOADS, REFUSED }, -1, "keeps the last PT_NOTE's answer" },
	{ "segment over Firecracker's boot area", KIMAGE_ELF64, 0x1000000, 0x1000100, 0,
	  { { 0x1000000, 0x4000, X }, { 0x8000, 0x1000, RW } }, 1, 1, false, 0, 0,
	  { REFUSED, LOADS, LOADS, LOADS_WITH_RISK }, -1, "0x500..0x20000" },
	{ "QEMU's unsupported e_flags", KIMAGE_ELF64, 0x1000000, 0x1000100, 0x10000, { { 0x1000000, 0x4000, X } }, 1, 1,
	  false, 0, 0, { LOADS, LOADS, REFUSED, LOADS }, -1, "elfboot unsupported flags" },
	{ "no load segment", KIMAGE_ELF64, 0x1000000, 0x1000100, 0, { { 0, 0, 0 } }, 1, 1, false, 0, 0,
	  { REFUSED, REFUSED, REFUSED, REFUSED }, LAYOUT_NO_LOADS, "nothing to load" },
};

static void test_loaders(void **state)
{
	(void)state;
	static struct kimage_elf e;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(&e, 0, sizeof(e));
		e.cls = cases[i].cls;
		e.entry = cases[i].e_entry;
		e.flags = cases[i].e_flags;
		e.pvh = PVH_YES;
		e.has_phys32 = true;
		e.phys32_entry = cases[i].pvh_entry;
		e.phys32_segment = cases[i].phys32_segment;
		e.last_note_segment = cases[i].last_note_segment;
		e.has_reloc = cases[i].reloc;
		e.reloc = (struct kimage_reloc){ 3, 0x200000, cases[i].reloc_min, cases[i].reloc_max };
		for (unsigned s = 0; s < 3 && cases[i].segs[s].memsz; s++)
			e.loads[e.nloads++] = (struct kimage_load){ .paddr = cases[i].segs[s].paddr,
								    .memsz = cases[i].segs[s].memsz,
								    .filesz = cases[i].segs[s].memsz,
								    .flags = cases[i].segs[s].flags };
		struct kimage_layout lay;
		struct kimage_loader_result r[_LOADER_MAX];
		kimage_loaders(&e, &lay, r);
		bool found_why = cases[i].why == NULL;
		for (int l = 0; l < _LOADER_MAX; l++) {
			if (r[l].verdict != cases[i].want[l])
				fail_msg("%s: %s: got %s (%s), want %s", cases[i].name, kimage_loader_name((enum kimage_loader)l),
					 loader_verdict_name(r[l].verdict), r[l].why, loader_verdict_name(cases[i].want[l]));
			assert_true(r[l].why[0] != '\0');
			if (cases[i].why && strstr(r[l].why, cases[i].why))
				found_why = true;
		}
		if (!found_why)
			fail_msg("%s: no loader says \"%s\"", cases[i].name, cases[i].why);
		for (int k = 0; k < _LAYOUT_ISSUE_MAX; k++)
			if (lay.issue[k] != (k == cases[i].issue))
				fail_msg("%s: layout issue %s is %d", cases[i].name,
					 kimage_layout_issue_name((enum kimage_layout_issue)k), lay.issue[k]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loaders),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
