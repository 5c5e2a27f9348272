/* guest.h - what the probe guest's files share. */
#ifndef PVHPROBE_GUEST_H
#define PVHPROBE_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "poweroff.h"

/* As isr_common in entry.S leaves the stack: PUSHAL, vector, error code,
 * then what the CPU pushed. */
struct trap_frame {
	uint32_t edi, esi, ebp, esp_pushal, ebx, edx, ecx, eax;
	uint32_t vector, error;
	uint32_t eip, cs, eflags;
};

struct pvh_entry_raw;
struct pvh_start_info;

void idt_init(void);
/* LAR/LSL of the saved selectors when the VMM's GDT is in RAM (see
 * segments.c); returns whether they ran. */
bool entry_lar_lsl(struct pvh_entry_raw *r, const struct pvh_start_info *si);
void trap_entry(struct trap_frame *f);
void guest_main(void);

/* What poweroff() needs, filled in as the probe learns it; a trap uses it. */
extern struct poweroff_ctx poweroff_state;
extern volatile int in_poweroff;

#endif
