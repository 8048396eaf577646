/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt entry: 256 stubs that push a uniform frame (error code or 0,
 * vector number), save the general registers into struct pt_regs and call
 * do_interrupt(regs).  Kernel-only (no ring 3 yet), so no swapgs.
 */
#include <asm/page.h>

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.balign	16
	.globl	interrupt_stubs
interrupt_stubs:
	vec = 0
	.rept	256
	.balign	16
	.if	HAS_ERR(vec)
	pushq	$vec
	.else
	pushq	$0
	pushq	$vec
	.endif
	jmp	common_interrupt
	vec = vec + 1
	.endr

common_interrupt:
	cld
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, %rdi
	/* Frame pointer chain through the interrupted context for backtraces. */
	movq	15*8+16(%rsp), %rax		/* interrupted rip */
	pushq	%rax
	pushq	%rbp
	movq	%rsp, %rbp
	call	do_interrupt
	addq	$16, %rsp
	.globl	ret_from_interrupt
ret_from_interrupt:
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp			/* vector, error code */
	iretq

	.section .note.GNU-stack, "", @progbits
