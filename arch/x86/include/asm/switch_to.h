/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The frame a descheduled thread leaves on its stack: what __switch_to()
 * (arch/x86/kernel/switch.S) pushes before saving the stack pointer, and
 * pops, in reverse, after loading the next one.  copy_thread() builds one
 * by hand for a thread that has never run.
 */
#ifndef _ASM_X86_SWITCH_TO_H
#define _ASM_X86_SWITCH_TO_H

/* Lowest address first: the order of switch.S's pops. */
struct inactive_task_frame {
	unsigned long r15;
	unsigned long r14;
	unsigned long r13;
	unsigned long r12;
	unsigned long bx;
	unsigned long bp;
	unsigned long ret_addr;
};

/*
 * First instruction of a new thread (switch.S): __switch_to() "returns"
 * here with the previous thread in %rax and the new one in %r12.
 */
void ret_from_kthread(void);

#endif /* _ASM_X86_SWITCH_TO_H */
