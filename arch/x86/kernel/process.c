// SPDX-License-Identifier: GPL-2.0
/*
 * x86 side of thread creation: the first frame of a new kernel thread.
 */
#include <exo/compiler.h>
#include <exo/sched.h>
#include <exo/string.h>
#include <asm/switch_to.h>

/*
 * The frame sits 16 bytes below the top of the stack, with those 16 bytes
 * zeroed: after __switch_to()'s ret the stack pointer is the top minus 16,
 * 16-byte aligned as the ABI wants before ret_from_kthread's calls.  %r12
 * carries the thread to kthread_main(); %rbp 0 ends backtraces.
 */
int copy_thread(struct task_struct *p)
{
	unsigned long top = (unsigned long)p->stack + p->stack_size - 16;
	struct inactive_task_frame *frame = (void *)(top - sizeof(*frame));

	BUILD_BUG_ON(sizeof(*frame) != 7 * sizeof(unsigned long));
	memset(frame, 0, sizeof(*frame) + 16);
	frame->r12 = (unsigned long)p;
	frame->ret_addr = (unsigned long)ret_from_kthread;
	p->sp = (unsigned long)frame;
	return 0;
}
