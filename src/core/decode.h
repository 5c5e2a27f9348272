/* decode.h - per-vendor decoders of a hypervisor range's leaves.
 *
 * Each decoder turns the leaves of one range (base+1 .. hr->last_leaf) into
 * named fields. Decoders read only through the leaf table, never past the
 * range's own highest leaf nor past the last leaf their vendor defines (so a
 * VMM claiming EAX = 0xffffffff costs nothing), and never print. */
#ifndef PVHPROBE_DECODE_H
#define PVHPROBE_DECODE_H

#include "leaftab.h"
#include "scan.h"

/* Sets hr->last_leaf and fills hr->details. */
void decode_range(struct leaftab *t, struct hv_range *hr);

/* Vendor decoders: base is the range's base leaf, last the highest leaf they
 * may read (already clamped by decode_range). */
void decode_xen(struct leaftab *t, uint32_t base, uint32_t last, struct fields *out);
void decode_kvm(struct leaftab *t, uint32_t base, uint32_t last, struct fields *out);
void decode_hyperv(struct leaftab *t, uint32_t base, uint32_t last, struct fields *out);
void decode_vmware(struct leaftab *t, uint32_t base, uint32_t last, struct fields *out);
void decode_bhyve(struct leaftab *t, uint32_t base, uint32_t last, struct fields *out);

#endif
