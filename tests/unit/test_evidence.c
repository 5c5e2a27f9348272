/* test_evidence.c - deciding the entry protocol and the VMM from what a
 * guest shows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evidence.h"

#define HDRS 0x53726448u

static const struct {
	const char *name;
	uint32_t header;
	uint16_t version;
	uint8_t loader;
	enum entry_protocol want;
} boots[] = {
	{ "PVH, Xen path", 0, 0x020c, 0x90, ENTRY_PVH_XEN },
	{ "PVH, non-Xen path", 0, 0x020c, 0xb0, ENTRY_PVH },
	/* QEMU's bzImage loader writes 0xB0 too: the header decides. */
	{ "QEMU bzImage", HDRS, 0x020f, 0xb0, ENTRY_LINUX_BOOT },
	{ "Firecracker Linux boot", HDRS, 0x020f, 0xff, ENTRY_LINUX_BOOT },
	{ "GRUB", HDRS, 0x020f, 0x72, ENTRY_LINUX_BOOT },
	{ "PVH version with another loader", 0, 0x020c, 0x72, ENTRY_UNKNOWN },
	{ "loader 0xb0 but another version", 0, 0x020f, 0xb0, ENTRY_UNKNOWN },
	{ "all zero", 0, 0, 0, ENTRY_UNKNOWN },
	/* PVH's version and loader under a header that is neither 0 nor
	 * "HdrS": not PVH (a check of version and loader alone passed). */
	{ "PVH values under another header", 0x12345678, 0x020c, 0xb0, ENTRY_UNKNOWN },
	{ "PVH Xen values under another header", 0x00000001, 0x020c, 0x90, ENTRY_UNKNOWN },
};

/* type_of_loader's high nibble names the loader (boot.rst); the low nibble
 * is its version. */
static const struct {
	uint8_t loader;
	const char *name; /* NULL: unassigned */
} loaders[] = {
	{ 0x72, "GRUB" }, { 0xb0, "QEMU" }, { 0xb3, "QEMU" }, { 0x90, "Xen" }, { 0x00, "LILO" },
	{ 0x11, "Loadlin" }, { 0x21, "bootsect-loader" }, { 0xd1, "kexec-tools" }, { 0x60, NULL }, { 0xff, "undefined (0xff)" },
	{ 0xf0, "special" },
};

static void test_boot_decide(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(boots); i++) {
		struct boot_evidence b = { .complete = true, .size = 4096 };
		b.header = boots[i].header;
		b.version = boots[i].version;
		b.loader = boots[i].loader;
		boot_decide(&b);
		if (b.entry != boots[i].want)
			fail_msg("%s: got %s, want %s (%s)", boots[i].name, entry_protocol_name(b.entry),
				 entry_protocol_name(boots[i].want), b.why);
		assert_true(strlen(b.why) > 0);
	}
	for (size_t i = 0; i < sizeof(loaders) / sizeof(loaders[0]); i++) {
		struct boot_evidence b = { .complete = true, .size = 4096, .header = HDRS, .version = 0x020f };
		b.loader = loaders[i].loader;
		boot_decide(&b);
		const char *got = b.loader_name, *want = loaders[i].name;
		if ((got == NULL) != (want == NULL) || (got && strcmp(got, want) != 0))
			fail_msg("loader %#x: named %s, want %s", loaders[i].loader, got ? got : "(none)",
				 want ? want : "(none)");
	}
	struct boot_evidence t = { .complete = false, .size = 100, .header = 0, .version = 0x020c, .loader = 0xb0 };
	boot_decide(&t);
	assert_int_equal(t.entry, ENTRY_UNKNOWN);
	assert_non_null(strstr(t.why, "truncated"));
	struct boot_evidence e = { .err = -ENOENT };
	boot_decide(&e);
	assert_int_equal(e.entry, ENTRY_UNKNOWN);
}

static void set_sbuf(struct sbuf *s, const char *v)
{
	memset(s, 0, sizeof(*s));
	if (!v) {
		s->err = -ENOENT;
		return;
	}
	s->n = (unsigned)strlen(v);
	memcpy(s->b, v, s->n);
}

static void set_acpi(struct acpi_table *t, const char *sig, const char *oem, const char *hv)
{
	memset(t, 0, sizeof(*t));
	strcpy(t->sig, sig);
	if (!oem) {
		t->err = -ENOENT;
		return;
	}
	memset(t->oem_id, ' ', 6);
	memcpy(t->oem_id, oem, strlen(oem));
	if (hv) {
		memset(t->hv_vendor, 0, 8);
		memcpy(t->hv_vendor, hv, strlen(hv));
		t->have_hv_vendor = true;
	}
}

static const struct {
	const char *name;
	const char *sys_vendor, *product, *bios_vendor;
	const char *oem, *hv_vendor;
	const char *want; /* vmm id or NULL */
} vmms[] = {
	{ "firecracker", NULL, NULL, NULL, "FIRECK", "FIRECKVM", "firecracker" },
	{ "firecracker, FACP vendor only", NULL, NULL, NULL, "OTHER", "FIRECKVM", "firecracker" },
	{ "cloud hypervisor dmi", "Cloud Hypervisor", "cloud-hypervisor", "cloud-hypervisor", NULL, NULL, "cloud-hypervisor" },
	{ "cloud hypervisor acpi", NULL, NULL, NULL, "CLOUDH", "CLOUDHYP", "cloud-hypervisor" },
	{ "qemu", "QEMU", "Standard PC (Q35 + ICH9, 2009)", "EDK II", "BOCHS", NULL, "qemu" },
	{ "xen hvm", "Xen", "HVM domU", "Xen", "Xen", NULL, "xen" },
	{ "ec2 on xen names the cloud", "Amazon EC2", "t3.micro", "Amazon EC2", "AMAZON", NULL, "amazon-ec2" },
	{ "gce", "Google", "Google Compute Engine", "Google", "Google", NULL, "gce" },
	{ "hyper-v", "Microsoft Corporation", "Virtual Machine", "Microsoft Corporation", "VRTUAL", NULL, "hyperv" },
	{ "surface is not a vm", "Microsoft Corporation", "Surface Pro", "Microsoft Corporation", NULL, NULL, NULL },
	{ "virtualbox", "innotek GmbH", "VirtualBox", "innotek GmbH", "VBOX", NULL, "virtualbox" },
	{ "vmware", "VMware, Inc.", "VMware Virtual Platform", "Phoenix Technologies LTD", "PTLTD", NULL, "vmware" },
	{ "bhyve", "FreeBSD", "BHYVE", "BHYVE", "BHYVE", NULL, "bhyve" },
	{ "crosvm", "ChromiumOS", "crosvm", "crosvm", "CROSVM", "CROSVM", "crosvm" },
	{ "bare metal", "Dell Inc.", "PowerEdge R650", "Dell Inc.", "DELL", NULL, NULL },
	{ "a prefix is not a match", "QEMUX", NULL, NULL, "BOCHSX", NULL, NULL },
};

static void test_vmm_identify(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(vmms); i++) {
		struct vmm_evidence v;
		memset(&v, 0, sizeof(v));
		v.dmi = vmms[i].sys_vendor != NULL;
		set_sbuf(&v.sys_vendor, vmms[i].sys_vendor);
		set_sbuf(&v.product_name, vmms[i].product);
		set_sbuf(&v.bios_vendor, vmms[i].bios_vendor);
		set_sbuf(&v.bios_version, NULL);
		set_sbuf(&v.board_vendor, NULL);
		set_acpi(&v.acpi[0], "FACP", vmms[i].oem, vmms[i].hv_vendor);
		set_acpi(&v.acpi[1], "DSDT", vmms[i].oem, NULL);
		set_acpi(&v.acpi[2], "APIC", vmms[i].oem, NULL);
		vmm_identify(&v, NULL);
		const char *got = v.vmm ? v.vmm->id : NULL;
		if ((got == NULL) != (vmms[i].want == NULL) || (got && strcmp(got, vmms[i].want) != 0))
			fail_msg("%s: got %s, want %s", vmms[i].name, got ? got : "none", vmms[i].want ? vmms[i].want : "none");
		if (got)
			assert_true(strlen(v.how) > 0);
	}
}

/* Under Xen the VMM is Xen; DMI and ACPI name what is underneath. */
static const struct {
	const char *name;
	const char *xen_type;   /* /sys/hypervisor/type, NULL: absent */
	int proc_xen;           /* sysroot_exists() of /proc/xen */
	const char *sys_vendor, *product, *oem;
	const char *want_vmm, *want_hardware;
	const char *want_how;   /* a part of the VMM's "how" */
} xen_cases[] = {
	{ "PVH dom0 under QEMU", "xen", 0, "QEMU", "Standard PC (i440FX + PIIX, 1996)", NULL, "xen", "qemu",
	  "version 4.17.7" },
	{ "HVM domU (hvmloader)", "xen", 0, "Xen", "HVM domU", "Xen", "xen", "xen", "/sys/hypervisor/type" },
	{ "EC2 Xen domU", "xen", 0, "Xen", "HVM domU", "Xen", "xen", "xen", "version 4.17.7" },
	{ "PVH domU, libxl ACPI only", "xen", 0, NULL, NULL, "Xen", "xen", "xen", "version" },
	{ "Xen, no firmware strings", "xen", 0, NULL, NULL, NULL, "xen", NULL, "version" },
	{ "only /proc/xen", NULL, 1, "Dell Inc.", "PowerEdge R650", "DELL", "xen", NULL, "/proc/xen" },
	{ "not Xen: the firmware's answer", NULL, 0, "QEMU", "Standard PC (Q35 + ICH9, 2009)", "BOCHS", "qemu", NULL,
	  "OEM ID" },
	{ "type is not xen", "kvm", 0, "QEMU", NULL, NULL, "qemu", NULL, "sys_vendor" },
};

static void test_vmm_under_xen(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(xen_cases); i++) {
		struct vmm_evidence v;
		struct xen_evidence x;
		memset(&v, 0, sizeof(v));
		memset(&x, 0, sizeof(x));
		set_sbuf(&x.type, xen_cases[i].xen_type);
		set_sbuf(&x.major, xen_cases[i].xen_type ? "4" : NULL);
		set_sbuf(&x.minor, xen_cases[i].xen_type ? "17" : NULL);
		set_sbuf(&x.extra, xen_cases[i].xen_type ? ".7" : NULL);
		x.proc_xen = xen_cases[i].proc_xen;
		v.dmi = xen_cases[i].sys_vendor != NULL;
		set_sbuf(&v.sys_vendor, xen_cases[i].sys_vendor);
		set_sbuf(&v.product_name, xen_cases[i].product);
		set_sbuf(&v.bios_vendor, NULL);
		set_sbuf(&v.bios_version, NULL);
		set_sbuf(&v.board_vendor, NULL);
		set_acpi(&v.acpi[0], "FACP", xen_cases[i].oem, NULL);
		set_acpi(&v.acpi[1], "DSDT", xen_cases[i].oem, NULL);
		set_acpi(&v.acpi[2], "APIC", xen_cases[i].oem, NULL);
		vmm_identify(&v, &x);
		const char *vmm = v.vmm ? v.vmm->id : "none";
		const char *hw = v.hardware ? v.hardware->id : "none";
		const char *want_hw = xen_cases[i].want_hardware ? xen_cases[i].want_hardware : "none";
		if (strcmp(vmm, xen_cases[i].want_vmm) != 0 || strcmp(hw, want_hw) != 0)
			fail_msg("%s: got VMM %s, hardware %s; want %s, %s", xen_cases[i].name, vmm, hw,
				 xen_cases[i].want_vmm, want_hw);
		if (!strstr(v.how, xen_cases[i].want_how))
			fail_msg("%s: how \"%s\" lacks \"%s\"", xen_cases[i].name, v.how, xen_cases[i].want_how);
		if (v.hardware)
			assert_true(strlen(v.hardware_how) > 0);
	}
}

/* Reading under a root that has nothing: every part says so, nothing breaks. */
static void test_empty_root(void **state)
{
	(void)state;
	struct sysroot s;
	sysroot_init(&s, "/nonexistent-sysroot");
	struct evidence ev;
	evidence_collect(&s, &ev);
	assert_int_equal(ev.entry, ENTRY_UNKNOWN);
	assert_int_equal(ev.boot.err, -ENOENT);
	assert_false(ev.xen.sys_hypervisor);
	assert_null(ev.vmm.vmm);
	assert_int_equal(ev.observed_path, _PATH_INVALID);
	assert_int_equal(s.nlog, 0);
	sysroot_free(&s);
}

/* A FIFO in a recorded tree must not hang the reader. */
static void test_fifo_not_read(void **state)
{
	(void)state;
	char dir[] = "/tmp/pvhprobe-sysroot-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	struct sysroot s;
	sysroot_init(&s, dir);
	uint8_t buf[16];
	size_t len;
	assert_int_equal(sysroot_read(&s, "/fifo", buf, sizeof(buf), &len), -EINVAL);
	sysroot_free(&s);
	unlink(path);
	rmdir(dir);
}

/* A directory of attributes: absent, every one is -ENOENT; present, each
 * file is read or absent on its own. */
static void test_attrs(void **state)
{
	(void)state;
	char dir[] = "/tmp/pvhprobe-sysroot-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct sysroot s;
	sysroot_init(&s, dir);
	static const char *const names[] = { "type", "version/major" };
	struct sbuf a, b;
	struct sbuf *const out[] = { &a, &b };
	sysroot_attrs(&s, "/sys/hypervisor", sysroot_exists(&s, "/sys/hypervisor"), names, out, 2);
	assert_int_equal(a.err, -ENOENT);
	assert_int_equal(b.err, -ENOENT);

	char path[256];
	snprintf(path, sizeof(path), "%s/sys", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/sys/hypervisor", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/sys/hypervisor/type", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("xen\n", f);
	fclose(f);
	sysroot_attrs(&s, "/sys/hypervisor", sysroot_exists(&s, "/sys/hypervisor"), names, out, 2);
	assert_int_equal(a.err, 0);
	assert_true(sbuf_eq(&a, "xen"));
	assert_int_equal(b.err, -ENOENT);
	sysroot_free(&s);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sys/hypervisor", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/sys", dir);
	rmdir(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_decide),
		cmocka_unit_test(test_vmm_identify),
		cmocka_unit_test(test_vmm_under_xen),
		cmocka_unit_test(test_empty_root),
		cmocka_unit_test(test_fifo_not_read),
		cmocka_unit_test(test_attrs),
	};
	return cmocka_run_group_tests_name("evidence", tests, NULL, NULL);
}
