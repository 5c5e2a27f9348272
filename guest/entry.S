/* entry.S - the PVH entry of pvhprobe.elf.
 *
 * The VMM jumps to pvh_start32 in 32-bit protected mode, paging off, with
 * EBX = the physical address of hvm_start_info (xen-project/xen
 * docs/misc/pvh.pandoc). Before anything changes it, the state is copied to
 * entry_raw (struct pvh_entry_raw in src/core/pvh_entry_state.h: keep the
 * offsets below in step; main.c asserts them): EBX, ESP, CR0, CR3, CR4,
 * GDTR (also kept raw in vmm_gdtr), IDTR, the selectors, then EFLAGS (the
 * first push, on the probe's own stack). Then the probe loads its own GDT,
 * segments and stack, reads EFER when CPUID says it exists, clears .bss
 * and calls guest_main, which installs the IDT and runs LAR/LSL against
 * the VMM's GDT when that is safe (guest/segments.c).
 *
 * The ELF note XEN_ELFNOTE_PHYS32_ENTRY (name "Xen", type 18, a 32-bit
 * physical address; xen/include/public/elfnote.h) is what makes a VMM
 * boot this image through PVH. */

#define OFF_EBX        0
#define OFF_ESP        4
#define OFF_EFLAGS     8
#define OFF_CR0        12
#define OFF_CR3        16
#define OFF_CR4        20
#define OFF_EFER_VALID 24
#define OFF_EFER_LO    28
#define OFF_EFER_HI    32
#define OFF_GDTR_LIMIT 36
#define OFF_GDTR_BASE  40
#define OFF_IDTR_LIMIT 44
#define OFF_IDTR_BASE  48
#define OFF_SEG        52
#define SEG_SIZE       20
#define SEG_SEL        0
#define SEG_LAR_OK     4
#define SEG_LAR        8
#define SEG_LSL_OK     12
#define SEG_LIMIT      16
/* seg[] order: CS DS ES SS FS GS TR (enum pvh_seg_reg) */

#define SEGF(i, f) (entry_raw + OFF_SEG + (i) * SEG_SIZE + (f))

#define GUEST_CS 0x08
#define GUEST_DS 0x10

	.section .note.xen, "a"
	.balign 4
	.long 4                 /* namesz: "Xen\0" */
	.long 4                 /* descsz */
	.long 18                /* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.balign 4
	.long pvh_start32

	.section .text.entry, "ax"
	.code32
	.globl pvh_start32
pvh_start32:
	movl %ebx, entry_raw + OFF_EBX
	movl %esp, entry_raw + OFF_ESP
	movl %cr0, %eax
	movl %eax, entry_raw + OFF_CR0
	movl %cr3, %eax
	movl %eax, entry_raw + OFF_CR3
	movl %cr4, %eax
	movl %eax, entry_raw + OFF_CR4
	sgdt vmm_gdtr
	sgdt desc_scratch
	movzwl desc_scratch, %eax
	movl %eax, entry_raw + OFF_GDTR_LIMIT
	movl desc_scratch + 2, %eax
	movl %eax, entry_raw + OFF_GDTR_BASE
	sidt desc_scratch
	movzwl desc_scratch, %eax
	movl %eax, entry_raw + OFF_IDTR_LIMIT
	movl desc_scratch + 2, %eax
	movl %eax, entry_raw + OFF_IDTR_BASE
	xorl %eax, %eax
	movw %cs, %ax
	movl %eax, SEGF(0, SEG_SEL)
	movw %ds, %ax
	movl %eax, SEGF(1, SEG_SEL)
	movw %es, %ax
	movl %eax, SEGF(2, SEG_SEL)
	movw %ss, %ax
	movl %eax, SEGF(3, SEG_SEL)
	movw %fs, %ax
	movl %eax, SEGF(4, SEG_SEL)
	movw %gs, %ax
	movl %eax, SEGF(5, SEG_SEL)
	str %ax
	movl %eax, SEGF(6, SEG_SEL)

	/* ESP is unspecified at the entry: the probe's stack from here on
	 * (SS is flat by the ABI; checked, not trusted, later). */
	movl $stack_top, %esp
	pushfl
	popl entry_raw + OFF_EFLAGS
	cli
	cld

	/* The probe's own GDT and flat segments. */
	lgdt gdt_desc
	ljmp $GUEST_CS, $4f
4:	movw $GUEST_DS, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	movl $stack_top, %esp

	/* EFER (MSR 0xC0000080) exists when CPUID 0x80000001 EDX reports
	 * long mode (29), NX (20) or SYSCALL (11); without it RDMSR faults.
	 * A maximum extended leaf outside 0x80000001..0x8000ffff is garbage
	 * (Intel answers out-of-range leaves with the top basic leaf). */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb 3f
	cmpl $0x8000ffff, %eax
	ja 3f
	movl $0x80000001, %eax
	cpuid
	testl $((1 << 29) | (1 << 20) | (1 << 11)), %edx
	jz 3f
	movl $0xc0000080, %ecx
	rdmsr
	movl %eax, entry_raw + OFF_EFER_LO
	movl %edx, entry_raw + OFF_EFER_HI
	movl $1, entry_raw + OFF_EFER_VALID
3:
	/* .bss is not trusted to be zero (a loader may leave memsz - filesz
	 * as it found it). */
	movl $__bss_start, %edi
	movl $__bss_end, %ecx
	subl %edi, %ecx
	xorl %eax, %eax
	rep stosb

	call guest_main
5:	cli
	hlt
	jmp 5b

/* Exception stubs, vectors 0-31: the same frame for all (a 0 error code
 * pushed where the CPU pushes none), then trap_entry(struct trap_frame *). */
	.macro isr vec
isr\vec:
	.if (\vec == 8) || (\vec == 10) || (\vec == 11) || (\vec == 12) || (\vec == 13) || (\vec == 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	pushl $0
	.endif
	pushl $\vec
	jmp isr_common
	.endm

	.text
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	isr \n
	.endr

isr_common:
	pushal
	movl %esp, %eax
	pushl %eax
	call trap_entry
6:	cli
	hlt
	jmp 6b

	.section .rodata
	.balign 4
	.globl isr_table
isr_table:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.long isr\n
	.endr

	.balign 8
gdt:
	.quad 0
	.quad 0x00cf9b000000ffff    /* 0x08: flat 32-bit code, execute/read */
	.quad 0x00cf93000000ffff    /* 0x10: flat data, read/write */
gdt_end:
	.globl gdt_desc
gdt_desc:
	.word gdt_end - gdt - 1
	.long gdt

	.data
	.balign 4
	.globl entry_raw
entry_raw:
	.fill OFF_SEG + 7 * SEG_SIZE, 1, 0
desc_scratch:
	.fill 8, 1, 0
	.globl vmm_gdtr
vmm_gdtr:
	.fill 8, 1, 0

	/* 32 KiB: the deepest frame is the core's lt_read_bases (8 KiB,
	 * gcc -fstack-usage), the rest of any call chain under 2 KiB. */
	.section .bss.stack, "aw", @nobits
	.balign 16
	.fill 32768, 1, 0
stack_top:
