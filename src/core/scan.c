/* scan.c - the 256-base scan and its classification. */
#include "scan.h"

#include "decode.h"
#include "strtab.h"

static const char *const range_class_names[_RANGE_CLASS_MAX] = {
	[RANGE_HYPERVISOR] = "hypervisor",
	[RANGE_REPEAT] = "repeat",
	[RANGE_ECHO] = "echo",
	[RANGE_NOISE] = "noise",
};

DEFINE_STRTAB(range_class, enum range_class, range_class_names)

static void classify(struct leaftab *t, struct scan *s, struct hv_range *hr)
{
	/* The same four registers as a lower base: a repetition. Below a
	 * hypervisor range it is one (old bhyve); below echo or noise it is more
	 * of the same (TCG answers all 255 upper bases alike). */
	for (unsigned i = 0; i < s->n; i++) {
		const struct hv_range *lo = &s->ranges[i];
		if (!regs_equal(&lo->r, &hr->r))
			continue;
		if (lo->cls == RANGE_HYPERVISOR || lo->cls == RANGE_REPEAT) {
			hr->cls = RANGE_REPEAT;
			hr->repeat_of = lo->cls == RANGE_REPEAT ? lo->repeat_of : lo->base;
		} else {
			hr->cls = lo->cls;
		}
		return;
	}
	if (hr->eax_in_range || hr->known) {
		hr->cls = RANGE_HYPERVISOR;
		return;
	}
	/* Only now read the basic leaves: a clean VM never needs them here. */
	struct cpuid_regs l0 = lt_get(t, 0, 0);
	s->max_basic = l0.eax;
	s->have_echo_leaf = true;
	/* A maximum above 0xff is itself garbage; don't chase it. */
	if (l0.eax <= 0xff) {
		struct cpuid_regs top = lt_get(t, l0.eax, 0);
		if (regs_equal(&top, &hr->r)) {
			hr->cls = RANGE_ECHO;
			return;
		}
	}
	hr->cls = RANGE_NOISE;
}

void scan_run(struct leaftab *t, struct scan *s)
{
	/* The counters, zeroed whatever members are added among them; the
	 * arrays (60 kB) are written entry by entry as they are used: zeroing
	 * them costs 4 % of a run's instructions (bench/README.md). */
	_Static_assert(MEMBER_FOLLOWS(struct scan, ranges, details) && MEMBER_IS_LAST(struct scan, details),
		       "scan: only the two arrays may follow the counters");
	memset(s, 0, offsetof(struct scan, ranges));
	lt_read_bases(t);
	for (unsigned i = 0; i < HV_NBASES; i++) {
		uint32_t base = hv_base(i);
		struct cpuid_regs r = lt_get(t, base, 0);
		if (!lt_recorded(t, base, 0))
			s->not_recorded++;
		if (regs_zero(&r))
			continue;
		struct hv_range *hr = &s->ranges[s->n];
		*hr = (struct hv_range){ .base = base, .r = r };
		regs_signature(&r, hr->sig);
		hr->known = sigtab_match(hr->sig);
		hr->eax_in_range = r.eax >= base && r.eax - base <= 0xff;
		classify(t, s, hr);
		s->n++;
	}
	for (unsigned i = 0; i < s->n; i++) {
		struct hv_range *hr = &s->ranges[i];
		if (hr->cls != RANGE_HYPERVISOR)
			continue;
		s->nhyp++;
		if (s->ndetails < SCAN_DETAILED_MAX) {
			hr->details = &s->details[s->ndetails++];
			*hr->details = (struct fields){ .n = 0 };
		}
		decode_range(t, hr);
	}
}

const struct field *range_field(const struct hv_range *hr, const char *key)
{
	for (unsigned i = 0; hr->details && i < hr->details->n; i++)
		if (strcmp(hr->details->f[i].key, key) == 0)
			return &hr->details->f[i];
	return NULL;
}

unsigned scan_run_end(const struct scan *s, unsigned i)
{
	const struct hv_range *hr = &s->ranges[i];
	unsigned j = i + 1;
	if (hr->cls == RANGE_HYPERVISOR)
		return j;
	while (j < s->n && s->ranges[j].cls == hr->cls && s->ranges[j].base == s->ranges[j - 1].base + HV_BASE_STEP &&
	       regs_equal(&s->ranges[j].r, &hr->r) && s->ranges[j].eax_in_range == hr->eax_in_range)
		j++;
	return j;
}

const struct hv_range *scan_find(const struct scan *s, enum hv_vendor v)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->ranges[i].cls == RANGE_HYPERVISOR && s->ranges[i].known &&
		    s->ranges[i].known->vendor == v)
			return &s->ranges[i];
	return NULL;
}
