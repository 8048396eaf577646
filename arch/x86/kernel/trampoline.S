/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AP start-up trampoline.  smpboot.c copies this blob to a page below
 * 1 MiB and fills in the parameter block at its end; a STARTUP IPI starts
 * the AP in real mode at CS = page >> 4, IP = 0.  The blob is position
 * independent: every absolute address it needs is in the parameter block.
 *
 *   real mode -> protected mode (flat GDT) -> claim the parameters by
 *   APIC ID (or stand down: a late CPU) -> PAE + trampoline CR3 + EFER
 *   -> paging -> long mode (still on the identity-mapped low page)
 *   -> jump to secondary_startup_64(cpu) in the higher half on its own stack.
 *
 * The trampoline page table identity-maps the first 2 MiB and shares the
 * kernel half of the kernel's PML4, so the jump lands in mapped code.
 */
#include <asm/msr-index.h>
#include <asm/page.h>
#include <asm/trampoline.h>

#define TR(x)	((x) - trampoline_start)

	.section .rodata, "a"
	.balign	16
	.globl	trampoline_start, trampoline_end, trampoline_params
	.globl	tr_gdt, tr_pm32, tr_lm64, tr_apicid, tr_stood_down, tr_seen
	.globl	tr_idt, tr_parked, tr_parked_wakeups, tr_parked_sp
	.code16
trampoline_start:
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	xorl	%ebx, %ebx			/* ebx = linear base of this page */
	movw	%ax, %bx
	shll	$4, %ebx
	lgdtl	TR(tr_gdt_ptr)
	movl	%cr0, %eax
	orl	$1, %eax			/* PE */
	movl	%eax, %cr0
	ljmpl	*TR(tr_pm_jump)

	.code32
tr_pm32:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	/*
	 * Claim the parameters, before any page table or stack: they are this
	 * CPU's only if tr_apicid holds its own APIC ID, which its local APIC
	 * tells (the x2APIC ID MSR, else the xAPIC ID register, paging off).
	 * A CPU that starts late, after the boot CPU gave up on it and wrote
	 * another CPU's parameters or freed the page table, stands down.
	 */
	movl	$MSR_IA32_APICBASE, %ecx
	rdmsr
	testl	$MSR_IA32_APICBASE_X2APIC, %eax
	jz	1f
	movl	$(MSR_X2APIC_BASE + 2), %ecx	/* the ID register, 0x20 >> 4 */
	rdmsr
	movl	%eax, %edi
	jmp	3f
1:	testl	%edx, %edx
	jnz	2f
	andl	$0xfffff000, %eax
	movl	0x20(%eax), %edi		/* the ID register: ID in 31:24 */
	shrl	$24, %edi
	jmp	3f
2:	movl	%ebx, %esi			/* xAPIC page above 4 GiB: CPUID's ID */
	movl	$1, %eax
	cpuid
	shrl	$24, %ebx
	movl	%ebx, %edi
	movl	%esi, %ebx
3:	movl	%edi, %eax
	movl	$TRAMPOLINE_CLAIMED, %ecx
	lock cmpxchgl %ecx, TR(tr_apicid)(%ebx)
	jne	tr_stand_down
	movl	$0x20, %eax			/* PAE */
	movl	%eax, %cr4
	movl	TR(tr_cr3)(%ebx), %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx			/* LME, NXE as on the BSP */
	movl	TR(tr_efer)(%ebx), %eax
	xorl	%edx, %edx
	wrmsr
	movl	TR(tr_cr0)(%ebx), %eax		/* PG, WP, PE, ... as on the BSP */
	movl	%eax, %cr0
	ljmpl	*TR(tr_lm_jump)(%ebx)

	/*
	 * Tell the boot CPU which APIC ID came (a mismatch with the MADT is
	 * reported at once) and park.  Interrupts are off (cli above) and the
	 * local APIC's LVT entries masked since INIT, so only an NMI (an NMI
	 * IPI to this APIC ID, an NMI message from the I/O APIC) or an SMI
	 * ends the hlt.  smpboot.c sends no NMI to a CPU that is not online,
	 * but an NMI taken with the IDTR still real mode's (base 0, limit
	 * 0x3ff) would read interrupt-vector bytes as a gate: #GP, #DF,
	 * triple fault, which resets the whole machine.  So the CPU loads the
	 * trampoline's own IDT first: every vector 0-31 goes to tr_parked,
	 * which counts the wake-up and halts for good without an IRET, so
	 * NMIs stay blocked on it from then on.  An SMI returns to the loop.
	 * smpboot.c then sends every CPU that is not online INIT, back to
	 * waiting for STARTUP.  The gate pushes its frame (EFLAGS, CS, EIP,
	 * an error code) on the park stack in this page, not below ESP 0
	 * (INIT's) at the top of the address space, boot flash on real
	 * hardware.
	 */
tr_stand_down:
	leal	TR(tr_park_stack_end)(%ebx), %esp
	lidtl	TR(tr_idt_ptr)(%ebx)
	movl	%edi, TR(tr_seen)(%ebx)
	lock incl TR(tr_stood_down)(%ebx)
4:	hlt
	jmp	4b

	/*
	 * Every gate of the stand-down IDT (an interrupt gate: IF stays 0).
	 * Only reached from the loop above, so %ebx is still the page base.
	 * The frame on the park stack is never popped (no IRET), so every
	 * CPU that stands down shares the one stack: frames overwrite each
	 * other, and nobody reads them back.  The stack pointer is kept for
	 * smpboot.c to check it is in this page.
	 */
tr_parked:
	movl	%esp, TR(tr_parked_sp)(%ebx)
	lock incl TR(tr_parked_wakeups)(%ebx)
5:	hlt
	jmp	5b

	.code64
tr_lm64:
	movl	%ebx, %ebx			/* upper half undefined after the mode switch */
	movq	TR(tr_stack)(%rbx), %rsp
	movl	TR(tr_cpu)(%rbx), %edi
	movq	TR(tr_entry)(%rbx), %rax
	xorl	%ebp, %ebp
	pushq	$0				/* end of the frame-pointer chain */
	jmpq	*%rax

	.balign	8
tr_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff		/* 0x08: 32-bit code */
	.quad	0x00cf92000000ffff		/* 0x10: data */
	.quad	0x00af9a000000ffff		/* 0x18: 64-bit code */
tr_gdt_end:

/* The park stack: one exception frame (with error code), shared. */
	.balign	16
tr_park_stack:
	.fill	TRAMPOLINE_PARK_STACK, 1, 0
tr_park_stack_end:

/* The stand-down IDT: 32-bit interrupt gates to tr_parked, by smpboot.c. */
	.balign	8
tr_idt:
	.fill	TRAMPOLINE_IDT_GATES, 8, 0

/* Parameter block, filled in by smpboot.c (struct trampoline_params). */
	.balign	8
trampoline_params:
tr_gdt_ptr:
	.short	tr_gdt_end - tr_gdt - 1
	.long	0				/* base: page + TR(tr_gdt) */
	.short	0
tr_pm_jump:
	.long	0				/* page + TR(tr_pm32) */
	.short	0x08
	.short	0
tr_lm_jump:
	.long	0				/* page + TR(tr_lm64) */
	.short	0x18
	.short	0
tr_cr3:
	.long	0
tr_efer:
	.long	0
tr_cr0:
	.long	0
tr_cpu:
	.long	0
tr_stack:
	.quad	0
tr_entry:
	.quad	0
tr_idt_ptr:
	.short	TRAMPOLINE_IDT_GATES * 8 - 1
	.long	0				/* base: page + TR(tr_idt) */
	.short	0
tr_apicid:
	.long	TRAMPOLINE_NOBODY		/* whose parameters; TRAMPOLINE_CLAIMED once taken */
tr_stood_down:
	.long	0				/* CPUs that stood down */
tr_seen:
	.long	0				/* the APIC ID the last of them read */
tr_parked_wakeups:
	.long	0				/* NMIs (or exceptions) taken parked */
tr_parked_sp:
	.long	0				/* ESP after the last of them */
trampoline_end:

	.section .note.GNU-stack, "", @progbits
