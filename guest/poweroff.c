/* poweroff.c - the methods of poweroff.h, tried in order. */
#include "poweroff.h"

#include "console.h"
#include "guest.h"
#include "io.h"

#define DEBUG_EXIT_PORT 0x501

void debug_exit(uint8_t status)
{
	outw(DEBUG_EXIT_PORT, status);
}

/* One 4 KiB page for Xen's hypercall stubs (32 bytes each). */
static uint8_t hypercall_page[4096] __attribute__((aligned(4096)));
static struct { uint32_t reason; } sched_shutdown_arg;

static bool vendor_is(const struct pvh_acpi *a, const char *hv, const char *oem)
{
	if (!a || !a->fadt_found)
		return false;
	if (a->has_hv_vendor && memcmp(a->hv_vendor, hv, 8) == 0)
		return true;
	return memcmp(a->fadt.oem_id, oem, 6) == 0;
}

bool debug_exit_worth_trying(const struct poweroff_ctx *c)
{
	return !c->xen_base && !vendor_is(c->acpi, "CLOUDHYP", "CLOUDH") &&
	       !vendor_is(c->acpi, "FIRECKVM", "FIRECK") && !vendor_is(c->acpi, "Xen\0\0\0\0\0", "Xen\0\0\0");
}

static bool acpi_usable(const struct pvh_acpi *a)
{
	return a && a->fadt_found && a->s5_found;
}

static void gas_write(const struct pvh_acpi_gas *g, uint32_t v, unsigned bytes)
{
	if (g->space == 1 && g->address <= 0xffff) {
		if (bytes == 1)
			outb((uint16_t)g->address, (uint8_t)v);
		else
			outw((uint16_t)g->address, (uint16_t)v);
	} else if (g->space == 0 && g->address < 0x100000000ull) {
		if (bytes == 1)
			*(volatile uint8_t *)(uintptr_t)g->address = (uint8_t)v;
		else
			*(volatile uint16_t *)(uintptr_t)g->address = (uint16_t)v;
	}
}

static void acpi_s5(const struct pvh_acpi *a)
{
	if (a->hw_reduced && a->has_sleep_control) {
		con_raw_line("pvhprobe: poweroff: ACPI sleep control register, SLP_TYP %u", a->s5_typ_a);
		gas_write(&a->sleep_control, (uint32_t)((a->s5_typ_a & 7u) << 2 | 1u << 5), 1);
		return;
	}
	uint16_t va = (uint16_t)((a->s5_typ_a & 7u) << 10 | 1u << 13);
	uint16_t vb = (uint16_t)((a->s5_typ_b & 7u) << 10 | 1u << 13);
	if (a->has_x_pm1) {
		con_raw_line("pvhprobe: poweroff: ACPI X_PM1a_CNT, SLP_TYP %u", a->s5_typ_a);
		gas_write(&a->x_pm1a_cnt, va, 2);
		if (a->x_pm1b_cnt.address)
			gas_write(&a->x_pm1b_cnt, vb, 2);
	} else if (a->pm1a_cnt && a->pm1a_cnt <= 0xffff) {
		con_raw_line("pvhprobe: poweroff: ACPI PM1a_CNT 0x%x, SLP_TYP %u", (unsigned)a->pm1a_cnt, a->s5_typ_a);
		outw((uint16_t)a->pm1a_cnt, va);
		if (a->pm1b_cnt && a->pm1b_cnt <= 0xffff)
			outw((uint16_t)a->pm1b_cnt, vb);
	}
}

static void xen_shutdown(uint32_t base)
{
	uint32_t r[4];
	cpuid_insn(base + 2, 0, r);
	if (r[0] < 1) {
		con_raw_line("pvhprobe: poweroff: Xen base+2 EAX %u: no hypercall page", (unsigned)r[0]);
		return;
	}
	con_raw_line("pvhprobe: poweroff: Xen SCHEDOP_shutdown, hypercall page via MSR 0x%08x", (unsigned)r[1]);
	wrmsr(r[1], (uint32_t)(uintptr_t)hypercall_page);
	sched_shutdown_arg.reason = 0; /* SHUTDOWN_poweroff */
	uint32_t fn = (uint32_t)(uintptr_t)hypercall_page + 29 * 32, ret, cmd = 2;
	uint32_t arg = (uint32_t)(uintptr_t)&sched_shutdown_arg;
	__asm__ volatile("call *%%eax"
			 : "=a"(ret), "+b"(cmd), "+c"(arg)
			 : "a"(fn)
			 : "memory", "edx", "esi", "edi");
	con_raw_line("pvhprobe: poweroff: SCHEDOP_shutdown returned %d", (int)ret);
}

static void settle(void)
{
	for (volatile int i = 0; i < 1000000; i++)
		;
}

void poweroff_plan(const struct poweroff_ctx *c)
{
	const struct pvh_acpi *a = c->acpi;
	con_line("poweroff.plan=isa_debug_exit=%s xen=%s acpi_s5=%s cloud_hypervisor=%s firecracker=%s",
		 debug_exit_worth_trying(c) ? "try" : "no", c->xen_base ? "yes" : "no",
		 acpi_usable(a) ? (a->hw_reduced && a->has_sleep_control ? "sleep_control" : "pm1_cnt") : "no",
		 vendor_is(a, "CLOUDHYP", "CLOUDH") ? "yes" : "no",
		 vendor_is(a, "FIRECKVM", "FIRECK") ? "yes" : "no");
}

void poweroff(const struct poweroff_ctx *c, uint8_t status)
{
	in_poweroff = 1;
	if (debug_exit_worth_trying(c)) {
		con_raw_line("pvhprobe: poweroff: isa-debug-exit 0x501 <- %u", status);
		debug_exit(status);
		settle();
	}
	if (c->xen_base) {
		xen_shutdown(c->xen_base);
		settle();
	}
	if (acpi_usable(c->acpi)) {
		acpi_s5(c->acpi);
		settle();
	}
	if (vendor_is(c->acpi, "CLOUDHYP", "CLOUDH")) {
		con_raw_line("pvhprobe: poweroff: Cloud Hypervisor 0x600 <- 0x34");
		outb(0x600, 0x34);
		settle();
	}
	if (vendor_is(c->acpi, "FIRECKVM", "FIRECK")) {
		con_raw_line("pvhprobe: poweroff: Firecracker i8042 0x64 <- 0xfe");
		outb(0x64, 0xfe);
		settle();
	}
	con_raw_line("pvhprobe: no power-off method worked; halting (cli; hlt)");
	halt_forever();
}
