/* fuzz_leaves.c - the whole analysis on an arbitrary leaf table.
 *
 * The input is a sequence of 24-byte records, each one leaf:
 *
 *   bytes 0-3   L, the leaf    read as F0 bits 4-5 say:
 *                              0, 1: a hypervisor leaf 0x40000000 +
 *                                 0x100*base + off, base = L1 (L1 & 1 when
 *                                 L0 & 4: the two bases where layering
 *                                 happens), off = 0 when L2 & 0x80 (the
 *                                 base leaf), else L2 % 0x11 (base..base+0x10);
 *                              2: one of 0, 1, 7, 0xd, 0x80000000,
 *                                 0x80000001..4, 0x80000007, or the basic
 *                                 leaf L2 (an echo candidate), by L1;
 *                              3: L as it is (little-endian);
 *   bytes 4-7   F, flags       F0 & 3: subleaf 0 (0), F3 (1), the 32-bit
 *                                 value F (2, 3);
 *                              F0 & 4: EAX = leaf + (int8_t)F1 (a range's
 *                                 highest leaf near its base, below it too);
 *                              F0 & 8: EBX, ECX, EDX = signature of row
 *                                 F2 & 3 (Xen, KVM, Hyper-V, KVM's Hyper-V:
 *                                 the decoded ones) when F2 & 0x40, else of
 *                                 row (F2 & 0x3f) % n, of the signature table
 *                                 (its other spelling when F2 & 0x80 and it
 *                                 has one);
 *   bytes 8-23  EAX, EBX, ECX, EDX (little-endian), unless replaced above.
 *
 * A later record for the same (leaf, subleaf) replaces the earlier. The
 * size % 24 trailing bytes, when present, choose the models: byte 0 is the
 * model mask (bit i: models_all()[i]; 0: all), byte 1 the "named" mask.
 *
 * Besides the invariants of analyse.h: the analysis reads at most
 * FUZZ_LEAVES_MAX distinct leaves (default 256 + 16*6 + 12 = 364; set
 * FUZZ_LEAVES_MAX=0 to disable): the 256 bases, the decoders' leaves and a
 * few basic and extended leaves, so that no decoder loops on a hostile
 * EAX. */
#include <stdint.h>
#include <string.h>

#include "alloc_libc.h"
#include "analyse.h"
#include "core/leafset.h"
#include "core/scan.h"
#include "core/sigtab.h"

#define REC 24
/* 256 bases; at most SCAN_DETAILED_MAX decoded ranges, each reading at most
 * 6 leaves past its base (Hyper-V: base+1..5 and base+0xc); 12 others (CPU
 * identity 0, 1, 7, 0x80000000..4, the echo check's top basic leaf, and
 * Linux's 0x40000003). Bounded by the scan's rules, not by any EAX. */
#define DEFAULT_MAX_LEAVES (256 + SCAN_DETAILED_MAX * 6 + 12)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v)); /* x86: little-endian, as CPUID registers */
	return v;
}

static const uint32_t basic_ext[] = {
	0, 1, 7, 0xd, 0x80000000u, 0x80000001u, 0x80000002u, 0x80000003u, 0x80000004u, 0x80000007u,
};
#define N_BASIC_EXT (ARRAY_SIZE(basic_ext))

static uint32_t pick_leaf(const uint8_t *l, uint8_t kind)
{
	switch (kind & 3) {
	case 0:
	case 1: {
		unsigned base = l[0] & 4 ? l[1] & 1u : l[1];
		return HV_BASE_FIRST + base * HV_BASE_STEP + (l[2] & 0x80 ? 0 : l[2] % 0x11u);
	}
	case 2: {
		unsigned k = l[1] % (N_BASIC_EXT + 1);
		return k < N_BASIC_EXT ? basic_ext[k] : l[2];
	}
	default:
		return rd32(l);
	}
}

static void put_sig(struct leaf_entry *e, uint8_t which)
{
	unsigned n = sigtab_n();
	if (n == 0)
		return;
	unsigned k = which & 0x40 ? which & 3u : (which & 0x3fu) % n;
	const struct hv_sig *row = &sigtab_rows()[k % n];
	static const uint8_t zero[CPUID_SIG_LEN];
	const uint8_t *s = (which & 0x80) && memcmp(row->alt, zero, CPUID_SIG_LEN) != 0 ? row->alt : row->sig;
	memcpy(&e->r.ebx, s, 4);
	memcpy(&e->r.ecx, s + 4, 4);
	memcpy(&e->r.edx, s + 8, 4);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static size_t max_leaves = (size_t)-1;
	if (max_leaves == (size_t)-1)
		max_leaves = fz_env_size("FUZZ_LEAVES_MAX", DEFAULT_MAX_LEAVES);

	struct leafset set;
	leafset_init(&set, &alloc_libc);
	size_t nrec = size / REC;
	for (size_t i = 0; i < nrec; i++) {
		const uint8_t *p = data + i * REC;
		const uint8_t *f = p + 4;
		struct leaf_entry e = { .recorded = true };
		e.leaf = pick_leaf(p, f[0] >> 4);
		switch (f[0] & 3) {
		case 0: e.subleaf = 0; break;
		case 1: e.subleaf = f[3]; break;
		default: e.subleaf = rd32(f); break;
		}
		e.r.eax = rd32(p + 8);
		e.r.ebx = rd32(p + 12);
		e.r.ecx = rd32(p + 16);
		e.r.edx = rd32(p + 20);
		if (f[0] & 4)
			e.r.eax = e.leaf + (uint32_t)(int32_t)(int8_t)f[1];
		if (f[0] & 8)
			put_sig(&e, f[2]);
		if (leafset_put(&set, &e, NULL) < 0)
			break;
	}
	struct fz_opts o = { .max_leaves = max_leaves };
	size_t tail = size % REC;
	if (tail >= 1)
		o.model_mask = data[nrec * REC];
	if (tail >= 2)
		o.named_mask = data[nrec * REC + 1];
	fz_analyse(&set, 0, NULL, DUMP_CPUID_R, &o);
	leafset_free(&set);
	return 0;
}
