/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Preemption control.  The count lives per CPU; while it is non-zero the
 * scheduler will not switch away from the current thread on this CPU (and so
 * this_cpu_ptr() results stay valid).  Interrupt handlers raise it too.
 */
#ifndef _EXO_PREEMPT_H
#define _EXO_PREEMPT_H

#include <exo/compiler.h>
#include <asm/preempt.h>

/* Called by preempt_enable() when the count drops to 0 with a switch pending. */
void preempt_schedule(void);

#define preempt_disable() do {						\
	__preempt_count_add(1);						\
	barrier();							\
} while (0)

#define preempt_enable_no_resched() do {				\
	barrier();							\
	__preempt_count_add(-1);					\
} while (0)

#define preempt_enable() do {						\
	barrier();							\
	if (unlikely(__preempt_count_dec_and_test()))			\
		preempt_schedule();					\
} while (0)

#define preempt_count()		__preempt_count_read()
#define preemptible()		(preempt_count() == 0 && !irqs_disabled())
/*
 * In an interrupt, exception or NMI handler, serving softirqs, or with
 * bottom halves disabled (Linux's meaning).
 */
#define in_interrupt()		(preempt_count() & (HARDIRQ_MASK | SOFTIRQ_MASK | TRAP_MASK))
/* In a hard interrupt handler. */
#define in_hardirq()		(preempt_count() & HARDIRQ_MASK)
#define in_irq()		in_hardirq()
/* Serving softirqs, or bottom halves disabled. */
#define in_softirq()		(preempt_count() & SOFTIRQ_MASK)
/* Serving softirqs (running a softirq action). */
#define in_serving_softirq()	(preempt_count() & SOFTIRQ_OFFSET)
/*
 * In an exception or NMI handler (vectors 0-31): the interrupted code may
 * be anywhere, interrupts off or a lock held on this CPU included.
 */
#define in_trap()		__preempt_count_test(TRAP_MASK)

#endif /* _EXO_PREEMPT_H */
