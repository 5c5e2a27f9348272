/* decode.c - which decoder serves which vendor, and how far it may read. */
#include "decode.h"

typedef void decoder_fn(struct leaftab *, uint32_t, uint32_t, struct fields *);

/* span: the number of leaves past the base that the vendor defines (the
 * decoder's own bound, whatever EAX claims). */
static const struct {
	decoder_fn *fn;
	uint32_t span;
} decoders[_HV_VENDOR_MAX] = {
	[HV_XEN] = { decode_xen, 5 },           /* base+1..base+5, cpuid.h */
	[HV_KVM] = { decode_kvm, 0x10 },        /* features; QEMU's timing leaf */
	[HV_HYPERV] = { decode_hyperv, 0xc },   /* up to isolation config */
	[HV_KVM_HYPERV] = { decode_hyperv, 0xc },
	[HV_VMWARE] = { decode_vmware, 0x10 },  /* timing leaf */
	[HV_BHYVE] = { decode_bhyve, 1 },
};

void decode_range(struct leaftab *t, struct hv_range *hr)
{
	uint32_t base = hr->base;
	uint32_t last = base; /* nothing past the base leaf */
	if (hr->eax_in_range)
		last = hr->r.eax;
	else if (hr->known && hr->known->vendor == HV_KVM && hr->r.eax == 0)
		last = base + 1; /* KVM before Linux 57c22e5f35aa left EAX 0;
				  * FreeBSD identcpu and Linux both read base+1 */
	hr->last_leaf = last;
	if (!hr->known)
		return;
	enum hv_vendor v = hr->known->vendor;
	if (!decoders[v].fn || last == base || !hr->details)
		return;
	if (last - base > decoders[v].span)
		last = base + decoders[v].span;
	decoders[v].fn(t, base, last, hr->details);
}
