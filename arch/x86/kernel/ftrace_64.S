/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The function tracer's trampoline (kernel/trace/ftrace.c).  A traced
 * function's first instruction is "call ftrace_caller", executed before
 * the function has done anything: on entry here
 *
 *	0(%rsp)	the traced function's address + 5 (our return address)
 *	8(%rsp)	the traced function's return address, in its caller
 *
 * and the argument registers hold the traced function's arguments.  The
 * trampoline saves every register the C calling convention lets
 * ftrace_handler() clobber, calls ftrace_handler(ip, parent_ip) on an
 * aligned stack and restores them, so the traced function runs as if
 * the call had been the NOP.  The flags are the caller-clobbered kind
 * too: nothing expects them preserved across a function's entry.
 * One frame (%rbp) is made, whose return address is the traced
 * function's: a backtrace from the handler shows ftrace_caller, the
 * traced function and then its caller's caller (the caller has no frame
 * of its own here; parent_ip is in the record instead).
 */
	.text
	.balign	16
	.globl	ftrace_caller
	.type	ftrace_caller, @function
ftrace_caller:
	/* %rsp % 16 == 0 here: the function's entry had 8, our call pushed 8. */
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	/* 10 pushes: %rsp % 16 == 0 again for the call. */
	movq	8(%rbp), %rdi
	subq	$5, %rdi
	movq	16(%rbp), %rsi
	call	ftrace_handler
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rax
	popq	%rbp
	ret
	.size	ftrace_caller, . - ftrace_caller

	.section .note.GNU-stack, "", @progbits
