/* source_xen_pv.c - Xen's own CPUID view in a Xen PV guest.
 *
 * A PV guest runs its kernel and user space unvirtualised: the CPUID
 * instruction traps to Xen only with CPUID faulting, which not every CPU
 * offers, so a plain CPUID can show the hardware's leaves (or the leaves of
 * the VMM Xen itself runs under). Linux reads Xen's view through the
 * forced-emulation prefix: ud2a followed by the bytes "xen", then CPUID
 * (XEN_EMULATE_PREFIX, torvalds/linux arch/x86/include/asm/xen/interface.h,
 * used by xen_cpuid() in arch/x86/xen/enlighten_pv.c). Xen's #UD handler
 * recognises the prefix in a PV guest, emulates the CPUID with the guest's
 * policy and skips the prefix (xen-project/xen xen/arch/x86/pv/emul-inv-op.c
 * emulate_forced_invalid_op()). Anywhere else the prefix is a #UD: SIGILL.
 * So this source opens only where /sys/hypervisor says a PV guest, on the
 * machine itself (never under a --sysroot tree), and refuses otherwise.
 * That is the view a PVH kernel of this domain's configuration would get
 * from Xen, and the one the models are run on. */
#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "evidence_sysroot.h"

bool source_xen_pv_guest(void)
{
	struct sysroot root;
	struct sbuf type, guest_type;
	sysroot_init(&root, "/");
	sysroot_attr(&root, "/sys/hypervisor/type", &type);
	sysroot_attr(&root, "/sys/hypervisor/guest_type", &guest_type);
	sysroot_free(&root);
	return !type.err && sbuf_eq(&type, "xen") && !guest_type.err && sbuf_eq(&guest_type, "PV");
}

#if defined(__x86_64__) || defined(__i386__)
static int xen_pv_exec(struct cpuid_source *s, uint32_t leaf, uint32_t subleaf, struct leaf_entry *out)
{
	(void)s;
	uint32_t a = leaf, b, c = subleaf, d;
	/* ud2a; .ascii "xen"; cpuid */
	__asm__ volatile(".byte 0x0f, 0x0b, 0x78, 0x65, 0x6e\n\tcpuid"
			 : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	out->leaf = leaf;
	out->subleaf = subleaf;
	out->r = (struct cpuid_regs){ a, b, c, d };
	out->recorded = true;
	return 0;
}
#endif

int source_xen_pv_open(struct cpuid_source *s, int cpu, char *msg, size_t msglen)
{
#if defined(__x86_64__) || defined(__i386__)
	if (!source_xen_pv_guest()) {
		memset(s, 0, sizeof(*s));
		s->fd = -1;
		snprintf(msg, msglen,
			 "--source=xen-pv: /sys/hypervisor does not say this is a Xen PV guest; the forced-emulation prefix would be an invalid instruction here");
		return -ENOTSUP;
	}
	/* The instruction source's checks and CPU pinning, then Xen's view. */
	int r = source_insn_open(s, cpu, msg, msglen);
	if (r < 0)
		return r;
	s->kind = SOURCE_XEN_PV;
	s->exec = xen_pv_exec;
	return 0;
#else
	(void)cpu;
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	snprintf(msg, msglen, "--source=xen-pv: Xen PV guests are x86");
	return -ENOTSUP;
#endif
}
