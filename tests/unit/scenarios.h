/* scenarios.h - the CPUs every model test and scan test runs on.
 *
 * Each is a leaf table built by hand to the VMMs' documented behaviour;
 * the expected answers live in the tests, derived from the kernel rules in
 * docs/rules-linux.md, docs/rules-freebsd.md and docs/rules-netbsd.md. */
#ifndef PVHPROBE_TEST_SCENARIOS_H
#define PVHPROBE_TEST_SCENARIOS_H

#include "leaves.h"

#define XEN "XenVMMXenVMM"
#define KVM "KVMKVMKVM\0\0\0"
#define HV "Microsoft Hv"

/* Hyper-V's 0x40000003 EAX with HV_MSR_HYPERCALL_AVAILABLE (5) and
 * HV_MSR_VP_INDEX_AVAILABLE (6), as Azure shows it. */
#define HV_FEATURES_OK 0x00002e7fu

/* Xen at 0x40000000, the usual HVM/PVH shape (EC2 t2). */
static const struct trow sc_xen_hvm[] = {
	CPU_INTEL(1),
	SIGROW(0x40000000, 0x40000005, XEN),
	LEAF(0x40000001, 0x0004000b, 0, 0, 0),
	LEAF(0x40000002, 1, 0x40000000, 0, 0),
	LEAF(0x40000004, 0x1c, 0, 0x762b, 0),
	END_ROWS,
};

/* Xen with Viridian: Hyper-V at 0x40000000, Xen at 0x40000100. */
static const struct trow sc_xen_viridian[] = {
	CPU_INTEL(1),
	SIGROW(0x40000000, 0x40000006, HV),
	LEAF(0x40000001, 0x31237648, 0, 0, 0),
	LEAF(0x40000003, HV_FEATURES_OK, 0, 0, 0),
	SIGROW(0x40000100, 0x40000105, XEN),
	LEAF(0x40000101, 0x0004000e, 0, 0, 0),
	LEAF(0x40000102, 1, 0x40000200, 0, 0),
	END_ROWS,
};

/* QEMU/KVM with hv-* enlightenments: Hyper-V at 0x40000000, KVM at 0x40000100. */
static const struct trow sc_kvm_hyperv[] = {
	CPU_INTEL(1),
	SIGROW(0x40000000, 0x4000000a, HV),
	LEAF(0x40000003, HV_FEATURES_OK, 0, 0, 0),
	SIGROW(0x40000100, 0x40000101, KVM),
	LEAF(0x40000101, 0x01007afb, 0, 0, 0),
	END_ROWS,
};

/* QEMU's Xen emulation over KVM: Xen at 0x40000000, KVM at 0x40000100. */
static const struct trow sc_qemu_xen_emu[] = {
	CPU_INTEL(1),
	SIGROW(0x40000000, 0x40000005, XEN),
	LEAF(0x40000002, 1, 0x40000000, 0, 0),
	SIGROW(0x40000100, 0x40000101, KVM),
	END_ROWS,
};

/* The Xen signature with EAX = base+1: one leaf too few for Linux. */
static const struct trow sc_xen_eax_plus1[] = {
	CPU_INTEL(1),
	SIGROW(0x40000000, 0x40000001, XEN),
	LEAF(0x40000001, 0x0004000b, 0, 0, 0),
	END_ROWS,
};

/* Xen with exactly the leaves Linux asks for: EAX = base+2, the boundary
 * of xen_cpuid_base()'s "EAX - base >= 2". */
static const struct trow sc_xen_eax_plus2[] = {
	CPU_INTEL(1),
	SIGROW(0x40000000, 0x40000002, XEN),
	LEAF(0x40000001, 0x0004000b, 0, 0, 0),
	LEAF(0x40000002, 1, 0x40000000, 0, 0),
	END_ROWS,
};

/* Xen whose base+2 claims 2 hypercall pages. */
static const struct trow sc_xen_pages2[] = {
	CPU_INTEL(1),
	SIGROW(0x40000000, 0x40000005, XEN),
	LEAF(0x40000002, 2, 0x40000000, 0, 0),
	END_ROWS,
};

/* Xen only at the last base the kernels scan. */
static const struct trow sc_xen_last_base[] = {
	CPU_INTEL(1),
	SIGROW(0x4000ff00, 0x4000ff05, XEN),
	LEAF(0x4000ff02, 1, 0x40000000, 0, 0),
	END_ROWS,
};

/* Xen one step past the scan: no kernel looks there. */
static const struct trow sc_outside_scan[] = {
	CPU_INTEL(1),
	SIGROW(0x40010000, 0x40010005, XEN),
	LEAF(0x40010002, 1, 0x40000000, 0, 0),
	END_ROWS,
};

/* Bare-metal Intel: no hypervisor bit; every leaf past the basic maximum
 * (0xd) returns leaf 0xd's values, at all 256 bases. Filled in by
 * sc_fill_echo(). */
#define ECHO_ROWS (3 + 256 + 1)

/* Old bhyve: its base leaf (EAX 0x40000000) answers at every base. */
#define BHYVE_ROWS (3 + 256 + 1)

/* Old KVM: EAX 0 at its base (Linux before 57c22e5f35aa). */
static const struct trow sc_old_kvm[] = {
	CPU_INTEL(1),
	SIGROW(0x40000000, 0, KVM),
	LEAF(0x40000001, 0x0000001b, 0, 0, 0),
	END_ROWS,
};

/* A hostile VMM: control bytes, quotes, backslash, bytes >= 0x80, NUL. */
#define HOSTILE_SIG "\x1b[2J\"'\\\n\xff\x80$\0"
static const struct trow sc_hostile[] = {
	CPU_INTEL(1),
	SIGROW(0x40000000, 0x40000001, HOSTILE_SIG),
	END_ROWS,
};

/* The Xen signature with EAX below its base: the unsigned EAX-base wraps. */
static const struct trow sc_xen_eax_below[] = {
	CPU_INTEL(1),
	SIGROW(0x40000100, 0x40000003, XEN),
	LEAF(0x40000102, 1, 0x40000000, 0, 0),
	END_ROWS,
};

/* Real Xen leaves, but CPUID.1:ECX[31] clear. */
static const struct trow sc_xen_hvbit_clear[] = {
	CPU_INTEL(0),
	SIGROW(0x40000000, 0x40000005, XEN),
	LEAF(0x40000002, 1, 0x40000000, 0, 0),
	END_ROWS,
};

/* Hyper-V signature without the hypercall/VP-index MSRs Linux requires. */
static const struct trow sc_hyperv_no_msrs[] = {
	CPU_INTEL(1),
	SIGROW(0x40000000, 0x40000005, HV),
	LEAF(0x40000003, 0x00000001, 0, 0, 0),
	END_ROWS,
};

/* Firecracker / plain KVM. */
static const struct trow sc_kvm[] = {
	CPU_INTEL(1),
	SIGROW(0x40000000, 0x40000001, KVM),
	LEAF(0x40000001, 0x01007efb, 0, 0, 0),
	END_ROWS,
};

/* Xen whose base+2 EBX names an MSR that is not Xen's hypercall MSR
 * (0x40000000, 0x40000200 with Viridian): Linux before XSA-466 writes the
 * hypercall page there before any IDT exists. */
static const struct trow sc_xen_bad_msr[] = {
	CPU_INTEL(1),
	SIGROW(0x40000000, 0x40000005, XEN),
	LEAF(0x40000002, 1, 0x00012345, 0, 0),
	END_ROWS,
};

/* Firecracker on an Intel host whose basic leaf 2 holds cache descriptors
 * (EBX 0x00f0b5ff, as a Broadwell/Skylake shows): the MSR index Linux
 * 4.11-4.20 writes when there is no Xen range. */
static const struct trow sc_kvm_leaf2[] = {
	CPU_INTEL(1),
	LEAF(2, 0x76036301, 0x00f0b5ff, 0, 0x00c30000),
	SIGROW(0x40000000, 0x40000001, KVM),
	LEAF(0x40000001, 0x01007efb, 0, 0, 0),
	END_ROWS,
};

/* A non-Xen VMM whose leaf 2 EBX happens to be Xen's MSR: Linux 4.11-4.20
 * survives the WRMSR and dies at the memory-map hypercall. */
static const struct trow sc_kvm_leaf2_xen_msr[] = {
	CPU_INTEL(1),
	LEAF(2, 0, 0x40000000, 0, 0),
	SIGROW(0x40000000, 0x40000001, KVM),
	END_ROWS,
};

/* "XenV" in EBX of 0x40000000, but not Xen's ECX/EDX: NetBSD compares EBX
 * only; no base+2 leaf, so its EBX (the MSR index) reads 0. */
static const struct trow sc_xenv_ebx_only[] = {
	CPU_INTEL(1),
	SIGROW(0x40000000, 0x40000001, "XenVOtherVMM"),
	END_ROWS,
};

/* Xen at 0x40000000 and the hypervisor bit, on a CPU whose cpuid(0) EAX
 * (the maximum basic leaf) is max (NetBSD's entry checks it first). */
#define XEN_MAX_BASIC(max)                                                  \
	LEAF(0, (max), 0x756e6547, 0x6c65746e, 0x49656e69),                  \
		LEAF(1, 0x000306f2, 0x00010800, 0xfffa3203u, 0x178bfbff),    \
		SIGROW(0x40000000, 0x40000005, XEN), LEAF(0x40000002, 1, 0x40000000, 0, 0)

/* ... EAX = 0: no leaf 1 to read. */
static const struct trow sc_xen_no_leaf1[] = { XEN_MAX_BASIC(0), END_ROWS };

/* ... EAX = 1: leaf 1 is there. */
static const struct trow sc_xen_max_leaf1[] = { XEN_MAX_BASIC(1), END_ROWS };

/* A table whose every base echoes leaf 0xd (bare metal Intel, or the
 * bases above 0x40000000 under QEMU TCG when tcg_sig is set). */
static inline void sc_fill_echo(struct trow *rows, int hvbit, bool tcg_sig)
{
	const struct trow head[] = { CPU_INTEL(hvbit) };
	size_t k = 0;
	for (size_t i = 0; i < 3; i++)
		rows[k++] = head[i];
	for (unsigned i = 0; i < 256; i++) {
		struct trow r = LEAF(0x40000000u + i * 0x100u, 0x7, 0x340, 0x340, 0);
		if (i == 0 && tcg_sig)
			r = (struct trow)SIGROW(0x40000000, 0x40000001, "TCGTCGTCGTCG");
		rows[k++] = r;
	}
	rows[k++] = (struct trow)END_ROWS;
}

static inline void sc_fill_bhyve(struct trow *rows)
{
	const struct trow head[] = { CPU_INTEL(1) };
	size_t k = 0;
	for (size_t i = 0; i < 3; i++)
		rows[k++] = head[i];
	for (unsigned i = 0; i < 256; i++)
		rows[k++] = (struct trow)SIGROW(0x40000000u + i * 0x100u, 0x40000000, "bhyve bhyve ");
	rows[k++] = (struct trow)END_ROWS;
}

#endif
