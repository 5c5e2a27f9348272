/* scan.h - the 256-base hypervisor scan, as every modelled kernel runs it.
 *
 * Reads each base leaf 0x40000000..0x4000ff00 once (subleaf 0) and sorts every
 * non-zero answer into one of four classes. Kernels do not classify; this is
 * pvhprobe's own reading, so that a report can tell a hypervisor from noise:
 *  - hypervisor: EAX (the range's highest leaf) in [base, base+0xff], or a
 *    signature from the table whatever EAX says (old KVM returned EAX=0);
 *  - repeat: the same four registers as a lower base (old bhyve answered
 *    every leaf above its range with its own values);
 *  - echo: the same four registers as the highest basic leaf (Intel returns
 *    that leaf for any leaf above the basic maximum, on bare metal and under
 *    QEMU TCG above its 0x40000001 limit);
 *  - noise: anything else. */
#ifndef PVHPROBE_SCAN_H
#define PVHPROBE_SCAN_H

#include "fields.h"
#include "leaftab.h"
#include "sigtab.h"

enum range_class {
	RANGE_HYPERVISOR,
	RANGE_REPEAT,
	RANGE_ECHO,
	RANGE_NOISE,
	_RANGE_CLASS_MAX,
	_RANGE_CLASS_INVALID = -1,
};

const char *range_class_name(enum range_class c);
enum range_class range_class_from_name(const char *s);

struct hv_range {
	uint32_t base;
	struct cpuid_regs r;         /* the base leaf */
	uint8_t sig[CPUID_SIG_LEN];
	const struct hv_sig *known;  /* NULL: not in the table */
	enum range_class cls;
	bool eax_in_range;           /* base <= EAX <= base + 0xff */
	uint32_t last_leaf;          /* highest leaf decoders may read */
	uint32_t repeat_of;          /* RANGE_REPEAT: the lower base */
	struct fields *details;      /* decoded leaves, or NULL (not a hypervisor
				      * range, or past SCAN_DETAILED_MAX) */
};

/* Decoded field lists are kept for this many hypervisor ranges; a VMM
 * answering at more bases than that gets its ranges listed undecoded. */
#define SCAN_DETAILED_MAX 16

struct scan {
	unsigned n;
	unsigned nhyp;                     /* of them, class hypervisor */
	unsigned not_recorded;             /* bases absent from a dump */
	bool have_echo_leaf;               /* the highest basic leaf was read */
	unsigned ndetails;
	uint32_t max_basic;                /* CPUID.0:EAX, when read */
	/* From here on only the two arrays (scan.c asserts it): scan_run()
	 * zeroes every member above and fills the arrays entry by entry, each
	 * entry whole; they are read only up to n and ndetails. */
	struct hv_range ranges[HV_NBASES]; /* non-zero bases, in base order */
	struct fields details[SCAN_DETAILED_MAX];
};

/* Runs the scan and the decoders. */
void scan_run(struct leaftab *t, struct scan *s);

/* A decoded field of a range by key, or NULL. */
const struct field *range_field(const struct hv_range *hr, const char *key);

/* The end (one past the last index) of the run of ranges starting at
 * index i: consecutive bases (step 0x100) of the same class, none of them a
 * hypervisor, with the same four registers (hence the same repeat_of) and
 * the same eax_in_range. i + 1 for a hypervisor range. Reports show such a
 * run (TCG's 255 echoes, old bhyve's repeats) as one entry. */
unsigned scan_run_end(const struct scan *s, unsigned i);

/* First range of class hypervisor with this vendor, or NULL. */
const struct hv_range *scan_find(const struct scan *s, enum hv_vendor v);

#endif
