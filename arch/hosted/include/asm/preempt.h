/* SPDX-License-Identifier: GPL-2.0 */
/* Hosted build: preemption depth per thread; nothing ever preempts. */
#ifndef _ASM_HOSTED_PREEMPT_H
#define _ASM_HOSTED_PREEMPT_H

#include <exo/types.h>

#define PREEMPT_MASK	0x000000ffU
#define SOFTIRQ_OFFSET	0x00000100U
#define SOFTIRQ_MASK	0x0000ff00U
#define SOFTIRQ_DISABLE_OFFSET	(2 * SOFTIRQ_OFFSET)
#define HARDIRQ_OFFSET	0x00010000U
#define HARDIRQ_MASK	0x000f0000U
#define TRAP_OFFSET	0x00100000U
#define TRAP_MASK	0x00f00000U

/*
 * A thread's preempt count when it starts.  CONFIG_HOSTED_GLUE
 * (tests/hosted/kmalloc_glue.c): one trap level until the glue sets the
 * thread up, so that the slab hit paths' in_trap() test also finds a
 * thread to set up (mm/slab.h, slab_trap_entry_tail()).  might_alloc()
 * would take that level for atomic context: HOSTED_GLUE depends on
 * !DEBUG_ATOMIC_SLEEP (arch/hosted/Kconfig).
 */
#ifdef CONFIG_HOSTED_GLUE
#define HOSTED_PREEMPT_INIT	TRAP_OFFSET
#else
#define HOSTED_PREEMPT_INIT	0U
#endif

extern __thread unsigned int hosted_preempt_count;

static inline unsigned int __preempt_count_read(void) { return hosted_preempt_count; }
static inline void __preempt_count_add(int v) { hosted_preempt_count += v; }
static inline bool __preempt_count_test(unsigned int mask) { return hosted_preempt_count & mask; }
static inline bool __preempt_count_dec_and_test(void)
{
	--hosted_preempt_count;
	return false;
}
static inline void set_preempt_need_resched(void) { }
static inline void clear_preempt_need_resched(void) { }
static inline bool test_preempt_need_resched(void) { return false; }

#endif
