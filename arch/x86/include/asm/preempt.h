/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU preempt count, Linux style: bits 0-7 preempt depth, bits 8-15
 * softirq depth (bit 8 while serving softirqs, +2 per local_bh_disable()), bits 16-19
 * hardirq depth, bits 20-23 exception/NMI depth (vectors 0-31, where Linux
 * counts NMIs), bit 31 set while NO reschedule is needed (inverted so that
 * "count == 0" means "preemptible and a reschedule is pending" in a single
 * compare after the decrement).
 */
#ifndef _ASM_X86_PREEMPT_H
#define _ASM_X86_PREEMPT_H

#include <exo/types.h>
#include <asm/percpu.h>

#define PREEMPT_MASK		0x000000ffU
#define SOFTIRQ_OFFSET		0x00000100U
#define SOFTIRQ_MASK		0x0000ff00U
#define SOFTIRQ_DISABLE_OFFSET	(2 * SOFTIRQ_OFFSET)
#define HARDIRQ_OFFSET		0x00010000U
#define HARDIRQ_MASK		0x000f0000U
#define TRAP_OFFSET		0x00100000U
#define TRAP_MASK		0x00f00000U
#define PREEMPT_NEED_RESCHED	0x80000000U

extern unsigned int __percpu __preempt_count;

static __always_inline unsigned int __preempt_count_read(void)
{
	return this_cpu_read(__preempt_count) & ~PREEMPT_NEED_RESCHED;
}

/*
 * Any of @mask's bits set in this CPU's count?  One test of memory.  Not
 * volatile: the bits it is used for (interrupt and trap depth) are the
 * same before and after any handler that interrupts the caller.
 */
static __always_inline bool __preempt_count_test(unsigned int mask)
{
	bool set;

	__asm__("testl %1, %%gs:%c2" : "=@ccnz"(set) : "i"(mask), "i"(&__preempt_count));
	return set;
}

static __always_inline void __preempt_count_add(int v)
{
	this_cpu_add(__preempt_count, v);
}

static __always_inline bool __preempt_count_dec_and_test(void)
{
	bool zero;

	__asm__ __volatile__("decl %%gs:%c1; sete %0"
			     : "=qm"(zero) : "i"(&__preempt_count) : "memory");
	return zero;
}

/* Mark/clear "reschedule needed" on this CPU. */
static __always_inline void set_preempt_need_resched(void)
{
	__asm__ __volatile__("andl %1, %%gs:%c0"
			     : : "i"(&__preempt_count), "i"(~PREEMPT_NEED_RESCHED)
			     : "memory");
}

static __always_inline void clear_preempt_need_resched(void)
{
	__asm__ __volatile__("orl %1, %%gs:%c0"
			     : : "i"(&__preempt_count), "i"(PREEMPT_NEED_RESCHED)
			     : "memory");
}

static __always_inline bool test_preempt_need_resched(void)
{
	return !(this_cpu_read(__preempt_count) & PREEMPT_NEED_RESCHED);
}

#endif /* _ASM_X86_PREEMPT_H */
