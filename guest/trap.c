/* trap.c - the probe's IDT: vectors 0-31 print what happened and end the
 * VM (guest/entry.S has the stubs). A fault in the probe is a finding
 * about the probe, never a silent triple fault. */
#include "guest.h"

#include "console.h"
#include "io.h"
#include "poweroff.h"

extern const uint32_t isr_table[32];

struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t zero, type;
	uint16_t off_hi;
};

static struct idt_gate idt[32] __attribute__((aligned(8)));
static struct __attribute__((packed)) {
	uint16_t limit;
	uint32_t base;
} idtr;

void idt_init(void)
{
	for (int i = 0; i < 32; i++) {
		idt[i] = (struct idt_gate){ .off_lo = (uint16_t)isr_table[i], .sel = 0x08,
					    .type = 0x8e, .off_hi = (uint16_t)(isr_table[i] >> 16) };
	}
	idtr.limit = sizeof(idt) - 1;
	idtr.base = (uint32_t)(uintptr_t)idt;
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

static const char *const names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO", "#TS", "#NP", "#SS",
	"#GP", "#PF", "reserved", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
};

static volatile int trapped;

void trap_entry(struct trap_frame *f)
{
	if (trapped++) {
		con_raw_line("PVHPROBE TRAP nested vector=%u eip=0x%08x: halting", (unsigned)f->vector,
			     (unsigned)f->eip);
		halt_forever();
	}
	con_init();
	con_raw_line("PVHPROBE TRAP vector=%u (%s) error=0x%08x eip=0x%08x cs=0x%04x eflags=0x%08x cr2=0x%08x",
		     (unsigned)f->vector, f->vector < 32 && names[f->vector] ? names[f->vector] : "?",
		     (unsigned)f->error, (unsigned)f->eip, (unsigned)(f->cs & 0xffff), (unsigned)f->eflags,
		     (unsigned)read_cr2());
	con_raw_line("PVHPROBE TRAP regs eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x esi=0x%08x edi=0x%08x ebp=0x%08x",
		     (unsigned)f->eax, (unsigned)f->ebx, (unsigned)f->ecx, (unsigned)f->edx, (unsigned)f->esi,
		     (unsigned)f->edi, (unsigned)f->ebp);
	if (in_poweroff) {
		con_raw_line("pvhprobe: the trap came from a power-off method; halting (cli; hlt)");
		halt_forever();
	}
	poweroff(&poweroff_state, 1);
}
