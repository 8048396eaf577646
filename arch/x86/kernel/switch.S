/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Context switch between kernel threads.  Only the callee-saved registers
 * need saving: the switch happens inside a C call, so the compiler already
 * assumes every other register is clobbered.  The kernel uses no FPU/SSE
 * state (-mno-sse), so there is nothing else to swap.
 */

/*
 * struct task_struct *__switch_to(struct task_struct *prev,
 *				   struct task_struct *next);
 * Saves prev's stack pointer in prev->sp (offset 0), resumes next.
 * Returns, in next's context, the thread that was switched away from.
 */
	.text
	.globl	__switch_to
	.type	__switch_to, @function
__switch_to:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, 0(%rdi)
	movq	0(%rsi), %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	movq	%rdi, %rax
	ret
	.size	__switch_to, . - __switch_to

/*
 * First instruction of a new thread: __switch_to "returns" here with the
 * previous thread in %rax and the new thread in %r12 (copy_thread() in
 * process.c builds the initial frame).  %rbp is 0, which ends backtraces.
 */
	.globl	ret_from_kthread
	.type	ret_from_kthread, @function
ret_from_kthread:
	movq	%rax, %rdi
	call	schedule_tail
	movq	%r12, %rdi
	call	kthread_main
	ud2
	.size	ret_from_kthread, . - ret_from_kthread

	.section .note.GNU-stack, "", @progbits
