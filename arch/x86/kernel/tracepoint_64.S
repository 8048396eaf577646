/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The thunks an enabled tracepoint calls (arch_tracepoint_call(),
 * <asm/tracepoint.h>), one per argument count n = 1..4.  The call site
 * pushed the arguments, last first, then the recorder's address, and
 * called __tracepoint_thunk<n> with the stack as the function it is in
 * had it (no frame and 8 bytes off the ABI's alignment, if that is how
 * the compiler left it there).  On entry:
 *
 *	0(%rsp)		return address, just after the site's call
 *	8(%rsp)		the recorder, __trace_<event>()
 *	16(%rsp)	argument 1, then 2.. n at 24, 32, 40
 *
 * The thunk makes a frame (so a backtrace taken in the recorder shows
 * the site's function), saves the argument registers it loads, aligns
 * the stack to 16 bytes, calls the recorder, which saves every other
 * register it uses (no_caller_saved_registers), restores and returns
 * with "ret $8 * (n + 1)", popping what the site pushed: the site's
 * registers and stack pointer are as they were, only the flags differ.
 */
	.macro	TRACEPOINT_THUNK n
	.text
	.balign	16
	.globl	__tracepoint_thunk\n
	.type	__tracepoint_thunk\n, @function
__tracepoint_thunk\n:
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	%rdi
	movq	24(%rbp), %rdi
	.if	\n >= 2
	pushq	%rsi
	movq	32(%rbp), %rsi
	.endif
	.if	\n >= 3
	pushq	%rdx
	movq	40(%rbp), %rdx
	.endif
	.if	\n >= 4
	pushq	%rcx
	movq	48(%rbp), %rcx
	.endif
	andq	$-16, %rsp
	call	*16(%rbp)
	leaq	-8 * \n(%rbp), %rsp
	.if	\n >= 4
	popq	%rcx
	.endif
	.if	\n >= 3
	popq	%rdx
	.endif
	.if	\n >= 2
	popq	%rsi
	.endif
	popq	%rdi
	popq	%rbp
	ret	$8 * (\n + 1)
	.size	__tracepoint_thunk\n, . - __tracepoint_thunk\n
	.endm

	TRACEPOINT_THUNK 1
	TRACEPOINT_THUNK 2
	TRACEPOINT_THUNK 3
	TRACEPOINT_THUNK 4

	.section .note.GNU-stack, "", @progbits
