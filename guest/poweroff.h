/* poweroff.h - ending the VM from the probe, in order of preference.
 *
 * 1. QEMU isa-debug-exit (hw/misc/debugexit.c: default iobase 0x501, size
 *    2; writing v makes QEMU exit with status (v << 1) | 1). It cannot be
 *    detected: QEMU 7.2 reads 0 at port 0x501 with and without the device.
 *    So it is written unless the VMM is known to be something else (a Xen
 *    signature: a PVH dom0 reaches real hardware ports; Firecracker or
 *    Cloud Hypervisor by their FADT): VMMs drop writes to ports nothing
 *    decodes.
 * 2. Xen: SCHEDOP_shutdown (hypercall 29, cmd 2, struct sched_shutdown
 *    { reason 0 = SHUTDOWN_poweroff }; xen/include/public/sched.h) through
 *    a hypercall page installed as kernels did before XSA-466: CPUID
 *    base+2 EAX = pages, EBX = the MSR to write the page's address to.
 * 3. ACPI S5: on hardware-reduced ACPI the FADT SLEEP_CONTROL_REG gets
 *    SLP_TYP << 2 | SLP_EN (bit 5); otherwise PM1a_CNT (and PM1b_CNT) get
 *    SLP_TYP << 10 | SLP_EN (bit 13), SLP_TYP from the DSDT's \_S5_.
 * 4. Cloud Hypervisor (FADT vendor "CLOUDHYP" or OEM "CLOUDH"): its
 *    shutdown port, 0x600 <- 0x34 (S5 << 2 | SLP_EN).
 * 5. Firecracker (FADT vendor "FIRECKVM" or OEM "FIRECK"): the i8042
 *    reset, 0x64 <- 0xFE (which Firecracker turns into an exit; other VMMs
 *    reboot on it, hence only there).
 * Then "cli; hlt" forever, said on the console first. */
#ifndef PVHPROBE_GUEST_POWEROFF_H
#define PVHPROBE_GUEST_POWEROFF_H

#include <stdbool.h>
#include <stdint.h>

#include "core/pvh_acpi.h"

struct poweroff_ctx {
	const struct pvh_acpi *acpi;  /* may be NULL */
	uint32_t xen_base;            /* Xen base with EAX - base >= 2, or 0 */
};

/* Whether the probe writes to QEMU's isa-debug-exit port (see above). */
bool debug_exit_worth_trying(const struct poweroff_ctx *c);
/* status: 0 after a complete report, 1 after a trap (QEMU exits 1 or 3). */
void debug_exit(uint8_t status);
/* Writes "poweroff.plan=..." (inside the frame). */
void poweroff_plan(const struct poweroff_ctx *c);
/* Tries each method in turn (lines outside the frame); never returns. */
__attribute__((noreturn)) void poweroff(const struct poweroff_ctx *c, uint8_t status);

#endif
