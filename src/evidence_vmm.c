/* evidence_vmm.c - which VMM is behind the CPUID signature.
 *
 * "KVM" is a hypervisor, not a VMM: Firecracker, QEMU, Cloud Hypervisor and
 * crosvm all show "KVMKVMKVM". Their firmware tables tell them apart: DMI
 * strings (/sys/class/dmi/id, world-readable) and ACPI table headers
 * (/sys/firmware/acpi/tables, root only). We trust FACP, DSDT and APIC,
 * which the VMM writes itself; firmware may add tables under its own OEM.
 * Each string and where it was read: docs/vmm-fingerprints.md. */
#include "evidence.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/unaligned.h"

enum vmm_id {
	VMM_FIRECRACKER,
	VMM_CLOUD_HYPERVISOR,
	VMM_QEMU,
	VMM_CROSVM,
	VMM_XEN,
	VMM_HYPERV,
	VMM_OPENVMM,
	VMM_VMWARE,
	VMM_VIRTUALBOX,
	VMM_BHYVE,
	VMM_AMAZON_EC2,
	VMM_GCE,
	_VMM_MAX,
};

static const struct vmm_row vmms[_VMM_MAX] = {
	[VMM_FIRECRACKER] = { "firecracker", "Firecracker",
			      "firecracker-microvm/firecracker src/vmm/src/acpi/mod.rs, src/acpi-tables/src/fadt.rs (ACPI since 1.8)" },
	[VMM_CLOUD_HYPERVISOR] = { "cloud-hypervisor", "Cloud Hypervisor",
				   "cloud-hypervisor/cloud-hypervisor vmm/src/acpi.rs, arch/src/x86_64/smbios.rs" },
	[VMM_QEMU] = { "qemu", "QEMU", "qemu/qemu include/hw/acpi/aml-build.h ACPI_BUILD_APPNAME6, hw/smbios/smbios.c" },
	[VMM_CROSVM] = { "crosvm", "crosvm", "google/crosvm" },
	[VMM_XEN] = { "xen", "Xen", "xen-project/xen tools/libacpi, tools/firmware/hvmloader/smbios.c" },
	[VMM_HYPERV] = { "hyperv", "Microsoft Hyper-V", "captured output (Azure, Hyper-V)" },
	[VMM_OPENVMM] = { "openvmm", "OpenVMM", "microsoft/openvmm" },
	[VMM_VMWARE] = { "vmware", "VMware", "captured output" },
	[VMM_VIRTUALBOX] = { "virtualbox", "VirtualBox", "VirtualBox DevFwCommon.cpp, DevACPI.cpp" },
	[VMM_BHYVE] = { "bhyve", "FreeBSD bhyve", "freebsd-src usr.sbin/bhyve/smbiostbl.c, acpi.c" },
	[VMM_AMAZON_EC2] = { "amazon-ec2", "Amazon EC2", "captured output (DMI sys_vendor)" },
	[VMM_GCE] = { "gce", "Google Compute Engine", "captured output (DMI)" },
};

enum vmm_field {
	VF_DMI_SYS_VENDOR,
	VF_DMI_PRODUCT,
	VF_DMI_BIOS_VENDOR,
	VF_FACP_HV_VENDOR,
	VF_ACPI_OEM,
};

static const char *const field_names[] = {
	[VF_DMI_SYS_VENDOR] = "DMI sys_vendor",
	[VF_DMI_PRODUCT] = "DMI product_name",
	[VF_DMI_BIOS_VENDOR] = "DMI bios_vendor",
	[VF_FACP_HV_VENDOR] = "hypervisor vendor identity",
	[VF_ACPI_OEM] = "OEM ID",
};

/* In priority order: a cloud's own DMI names the service (its VMM is
 * Xen or KVM underneath), then what the VMM writes into its tables. */
static const struct {
	enum vmm_field field;
	const char *value;
	enum vmm_id vmm;
} rules[] = {
	{ VF_DMI_SYS_VENDOR, "Amazon EC2", VMM_AMAZON_EC2 },
	{ VF_DMI_PRODUCT, "Google Compute Engine", VMM_GCE },
	{ VF_FACP_HV_VENDOR, "FIRECKVM", VMM_FIRECRACKER },
	{ VF_FACP_HV_VENDOR, "CLOUDHYP", VMM_CLOUD_HYPERVISOR },
	{ VF_FACP_HV_VENDOR, "CROSVM", VMM_CROSVM },
	{ VF_ACPI_OEM, "FIRECK", VMM_FIRECRACKER },
	{ VF_ACPI_OEM, "CLOUDH", VMM_CLOUD_HYPERVISOR },
	{ VF_ACPI_OEM, "CROSVM", VMM_CROSVM },
	{ VF_ACPI_OEM, "BOCHS", VMM_QEMU },
	{ VF_ACPI_OEM, "Xen", VMM_XEN },
	{ VF_ACPI_OEM, "XenIn", VMM_XEN },   /* tables Xen builds for a PVH dom0 */
	{ VF_ACPI_OEM, "VRTUAL", VMM_HYPERV },
	{ VF_ACPI_OEM, "HVLITE", VMM_OPENVMM },
	{ VF_ACPI_OEM, "VBOX", VMM_VIRTUALBOX },
	{ VF_ACPI_OEM, "BHYVE", VMM_BHYVE },
	{ VF_ACPI_OEM, "AMAZON", VMM_AMAZON_EC2 },
	{ VF_ACPI_OEM, "Google", VMM_GCE },
	{ VF_DMI_SYS_VENDOR, "Cloud Hypervisor", VMM_CLOUD_HYPERVISOR },
	{ VF_DMI_PRODUCT, "crosvm", VMM_CROSVM },
	{ VF_DMI_SYS_VENDOR, "QEMU", VMM_QEMU },
	{ VF_DMI_SYS_VENDOR, "Xen", VMM_XEN },
	{ VF_DMI_PRODUCT, "Virtual Machine", VMM_HYPERV }, /* with sys_vendor Microsoft, below */
	{ VF_DMI_SYS_VENDOR, "OpenVMM", VMM_OPENVMM },
	{ VF_DMI_SYS_VENDOR, "VMware, Inc.", VMM_VMWARE },
	{ VF_DMI_SYS_VENDOR, "innotek GmbH", VMM_VIRTUALBOX },
	{ VF_DMI_PRODUCT, "VirtualBox", VMM_VIRTUALBOX },
	{ VF_DMI_BIOS_VENDOR, "BHYVE", VMM_BHYVE },
};

static const char *const acpi_sigs[ACPI_TABLES] = { "FACP", "DSDT", "APIC" };

/* The value of a field without trailing spaces and NULs (QEMU and Cloud
 * Hypervisor pad with spaces, Xen with NULs). */
static size_t trimmed(const uint8_t *b, size_t n)
{
	while (n && (b[n - 1] == ' ' || b[n - 1] == '\0'))
		n--;
	return n;
}

static bool bytes_eq(const uint8_t *b, size_t n, const char *s)
{
	size_t sl = strlen(s);
	n = trimmed(b, n);
	return n == sl && memcmp(b, s, n) == 0;
}

static bool field_match(const struct vmm_evidence *v, enum vmm_field f, const char *value, const char **table)
{
	*table = NULL;
	switch (f) {
	case VF_DMI_SYS_VENDOR:
		return sbuf_eq(&v->sys_vendor, value);
	case VF_DMI_PRODUCT:
		if (strcmp(value, "Virtual Machine") == 0 && !sbuf_eq(&v->sys_vendor, "Microsoft Corporation"))
			return false;
		return sbuf_eq(&v->product_name, value);
	case VF_DMI_BIOS_VENDOR:
		return sbuf_eq(&v->bios_vendor, value);
	case VF_FACP_HV_VENDOR:
		*table = "FACP";
		return !v->acpi[0].err && v->acpi[0].have_hv_vendor && bytes_eq(v->acpi[0].hv_vendor, 8, value);
	case VF_ACPI_OEM:
		for (unsigned i = 0; i < ACPI_TABLES; i++) {
			if (!v->acpi[i].err && bytes_eq(v->acpi[i].oem_id, 6, value)) {
				*table = v->acpi[i].sig;
				return true;
			}
		}
		return false;
	}
	return false;
}

/* The firmware's answer: the first rule that matches, in priority order. */
static const struct vmm_row *firmware_vmm(const struct vmm_evidence *v, char *how, size_t howlen)
{
	how[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++) {
		const char *table;
		if (!field_match(v, rules[i].field, rules[i].value, &table))
			continue;
		if (table)
			snprintf(how, howlen, "ACPI %s %s \"%s\"", table, field_names[rules[i].field], rules[i].value);
		else
			snprintf(how, howlen, "%s \"%s\"", field_names[rules[i].field], rules[i].value);
		return &vmms[rules[i].vmm];
	}
	return NULL;
}

bool xen_evidence_present(const struct xen_evidence *x)
{
	return x && (sbuf_eq(&x->type, "xen") || x->proc_xen == 1 || x->xenbus == 1);
}

/* Printable text of a sysfs value, for the "how" lines (NULs and control
 * bytes as '?': these strings come from the VMM). */
static void sbuf_text(const struct sbuf *b, char *out, size_t outlen)
{
	size_t n = b->n < outlen - 1 ? b->n : outlen - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = b->b[i] >= 0x20 && b->b[i] < 0x7f ? (char)b->b[i] : '?';
	out[n] = '\0';
}

void vmm_identify(struct vmm_evidence *v, const struct xen_evidence *x)
{
	v->hardware = NULL;
	v->hardware_how[0] = '\0';
	if (!xen_evidence_present(x)) {
		v->vmm = firmware_vmm(v, v->how, sizeof(v->how));
		return;
	}
	/* Xen started this kernel (dom0 or domU): the firmware tables are
	 * the hardware's or Xen's device model's, not the VMM's. */
	v->vmm = &vmms[VMM_XEN];
	char maj[16] = "", min[16] = "", extra[24] = "";
	if (!x->major.err && !x->minor.err) {
		sbuf_text(&x->major, maj, sizeof(maj));
		sbuf_text(&x->minor, min, sizeof(min));
		if (!x->extra.err)
			sbuf_text(&x->extra, extra, sizeof(extra));
	}
	const char *what = sbuf_eq(&x->type, "xen") ? "/sys/hypervisor/type \"xen\""
			   : x->proc_xen == 1		 ? "/proc/xen"
							 : "/dev/xen/xenbus";
	if (maj[0])
		snprintf(v->how, sizeof(v->how), "%s, version %s.%s%s", what, maj, min, extra);
	else
		snprintf(v->how, sizeof(v->how), "%s", what);
	char fw[TEXT_MAX];
	v->hardware = firmware_vmm(v, fw, sizeof(fw));
	if (!v->hardware)
		return;
	char vendor[64] = "", product[64] = "";
	if (!v->sys_vendor.err)
		sbuf_text(&v->sys_vendor, vendor, sizeof(vendor));
	if (!v->product_name.err)
		sbuf_text(&v->product_name, product, sizeof(product));
	if (vendor[0] || product[0])
		snprintf(v->hardware_how, sizeof(v->hardware_how), "%.100s; DMI \"%s\" \"%s\"", fw, vendor, product);
	else
		snprintf(v->hardware_how, sizeof(v->hardware_how), "%s", fw);
}

static void read_acpi(struct sysroot *s, struct acpi_table *t, const char *sig)
{
	/* Header (ACPI 6.5 table 5.4): OEM ID at 10 (6 bytes), OEM table id
	 * at 16 (8), creator id at 28 (4); FACP hypervisor vendor identity at
	 * 268 (8) when the table is at least 276 bytes. */
	uint8_t buf[276];
	size_t len;
	char path[64];
	memset(t, 0, sizeof(*t));
	snprintf(t->sig, sizeof(t->sig), "%s", sig);
	snprintf(path, sizeof(path), "/sys/firmware/acpi/tables/%s", sig);
	t->err = sysroot_read(s, path, buf, strcmp(sig, "FACP") == 0 ? 276 : 36, &len);
	if (t->err)
		return;
	if (len < 36) {
		t->err = -EIO;
		return;
	}
	memcpy(t->oem_id, buf + 10, 6);
	memcpy(t->oem_table_id, buf + 16, 8);
	memcpy(t->creator_id, buf + 28, 4);
	uint32_t tlen = get_le32(buf + 4);
	if (strcmp(sig, "FACP") == 0 && len >= 276 && tlen >= 276) {
		memcpy(t->hv_vendor, buf + 268, 8);
		t->have_hv_vendor = true;
	}
}

void evidence_vmm(struct sysroot *s, struct vmm_evidence *v)
{
	memset(v, 0, sizeof(*v));
	int dmi = sysroot_exists(s, "/sys/class/dmi/id");
	v->dmi = dmi == 1;
	static const char *const names[] = { "sys_vendor", "product_name", "bios_vendor", "bios_version", "board_vendor" };
	struct sbuf *const out[] = { &v->sys_vendor, &v->product_name, &v->bios_vendor, &v->bios_version, &v->board_vendor };
	sysroot_attrs(s, "/sys/class/dmi/id", dmi, names, out, ARRAY_SIZE(out));
	for (unsigned i = 0; i < ACPI_TABLES; i++) {
		read_acpi(s, &v->acpi[i], acpi_sigs[i]);
		if (v->acpi[i].err == -EACCES || v->acpi[i].err == -EPERM)
			v->acpi_needs_root = true;
	}
}
