/* decode_bhyve.c - bhyve's feature leaf.
 *
 * freebsd/freebsd-src sys/amd64/vmm/x86.c: CPUID_BHYVE_FEATURES = base+1,
 * EAX bit 0 CPUID_BHYVE_FEAT_EXT_DEST_ID (x2APIC/MSI extended destination
 * id). */
#include "decode.h"

static const struct bitname bhyve_feature_bits[] = {
	{ 0, "ext_dest_id" },
};

void decode_bhyve(struct leaftab *t, uint32_t base, uint32_t last, struct fields *out)
{
	if (last < base + 1)
		return;
	struct cpuid_regs r = lt_get(t, base + 1, 0);
	fields_flags(out, "features", base + 1, r.eax, bhyve_feature_bits, ARRAY_SIZE(bhyve_feature_bits));
}
