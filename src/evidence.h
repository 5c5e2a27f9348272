/* evidence.h - what the running Linux system shows about how it booted and
 * what it runs on. Readers only read (under a sysroot) and decide; they
 * never print. Offsets and meanings: Linux arch/x86/include/uapi/asm/
 * bootparam.h and Documentation/arch/x86/boot.rst (boot_params), what each
 * entry writes there in docs/rules-linux.md section 2, the DMI and ACPI
 * identities in docs/vmm-fingerprints.md. */
#ifndef PVHPROBE_EVIDENCE_H
#define PVHPROBE_EVIDENCE_H

#include "core/base.h"
#include "core/path.h"
#include "evidence_sysroot.h"

enum entry_protocol {
	ENTRY_UNKNOWN,
	ENTRY_PVH_XEN,     /* PVH entry, Xen path (loader 0x90) */
	ENTRY_PVH,         /* PVH entry, generic path (loader 0xB0, no HdrS) */
	ENTRY_LINUX_BOOT,  /* the Linux/x86 boot protocol (HdrS present) */
	ENTRY_XEN_PV,      /* Xen PV entry (/sys/hypervisor guest_type PV) */
	_ENTRY_MAX,
};

const char *entry_protocol_name(enum entry_protocol e);

/* /sys/kernel/boot_params/data, struct boot_params (arch/x86/include/uapi/
 * asm/bootparam.h): hdr.header at 0x202, hdr.version at 0x206,
 * hdr.type_of_loader at 0x210, hdr.hardware_subarch at 0x23c. */
struct boot_evidence {
	int err;                 /* reading boot_params: 0 or -errno */
	size_t size;             /* bytes read */
	bool complete;           /* size covers every field we read */
	uint32_t header;
	uint16_t version;
	uint8_t loader;
	uint32_t subarch;
	int bootloader_type;     /* /proc/sys/kernel/bootloader_type, -1 unread */
	enum entry_protocol entry;
	const char *loader_name; /* Documentation/arch/x86/boot.rst, or NULL */
	char why[TEXT_MAX];
};

struct xen_evidence {
	struct sbuf type, guest_type, major, minor, extra, features, uuid;
	bool sys_hypervisor;     /* /sys/hypervisor/type readable */
	int proc_xen, xenbus;    /* sysroot_exists(): 1, 0 or -errno */
	bool xenstore_built;     /* built with libxenstore */
	int xs_err;              /* xenstore read: 0 or -errno; -ENOSYS: not built */
	struct sbuf xs_domid, xs_name, xs_vm;
};

struct acpi_table {
	char sig[5];
	int err;                 /* -EACCES: needs root; -ENOENT: absent */
	uint8_t oem_id[6], oem_table_id[8], creator_id[4];
	uint8_t hv_vendor[8];    /* FACP "hypervisor vendor identity", byte 268 */
	bool have_hv_vendor;
};

#define ACPI_TABLES 3

struct vmm_evidence {
	struct sbuf sys_vendor, product_name, bios_vendor, bios_version, board_vendor;
	bool dmi;                /* /sys/class/dmi/id exists */
	struct acpi_table acpi[ACPI_TABLES]; /* FACP, DSDT, APIC */
	bool acpi_needs_root;
	const struct vmm_row *vmm; /* the VMM named, or NULL */
	char how[TEXT_MAX];      /* the strings that named it */
	/* Under Xen the VMM is Xen, whatever DMI and ACPI say: they describe
	 * what lies underneath, the machine a dom0 runs on (physical, or a
	 * VMM's emulated PC), Xen's own device model in an HVM domU
	 * (hvmloader's SMBIOS), the tables libxl builds for a PVH domU. NULL
	 * when not under Xen or when the firmware names nothing we know. */
	const struct vmm_row *hardware;
	char hardware_how[TEXT_MAX];
};

struct vmm_row {
	const char *id;          /* "firecracker", ... */
	const char *name;
	const char *source;      /* where the string was read */
};

struct evidence {
	bool collected;
	struct boot_evidence boot;
	struct xen_evidence xen;
	struct vmm_evidence vmm;
	enum entry_protocol entry;  /* all evidence combined */
	char entry_why[TEXT_MAX];
	enum pvh_path observed_path; /* _PATH_INVALID when not a PVH entry or unknown */
	bool contradiction;         /* boot_params and /sys/hypervisor disagree */
	char contradiction_text[TEXT_MAX];
};

void evidence_collect(struct sysroot *s, struct evidence *ev);

/* The parts, each in its own file. */
void evidence_boot(struct sysroot *s, struct boot_evidence *b);
void boot_decide(struct boot_evidence *b); /* from the raw fields (tests) */
void evidence_xen(struct sysroot *s, struct xen_evidence *x);
void evidence_xenstore(struct xen_evidence *x, bool live);
void evidence_vmm(struct sysroot *s, struct vmm_evidence *v);
/* Names the VMM from the strings read and, when x says Xen, Xen with
 * what the firmware names as the hardware underneath (x may be NULL). */
void vmm_identify(struct vmm_evidence *v, const struct xen_evidence *x);
/* Whether the Xen evidence says this kernel runs on Xen: /sys/hypervisor
 * type "xen", /proc/xen or /dev/xen/xenbus. */
bool xen_evidence_present(const struct xen_evidence *x);

#endif
