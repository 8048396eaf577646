/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bottom halves (softirqs) off and on, as Linux's <linux/bottom_half.h>,
 * and the _bh spinlocks for data shared with a softirq (kernel/softirq.c).
 *
 * local_bh_disable() keeps softirqs from running on this CPU (they stay
 * pending) and disables preemption; local_bh_enable() runs the pending
 * ones once the outermost section ends.  Sections nest.
 */
#ifndef _EXO_BOTTOM_HALF_H
#define _EXO_BOTTOM_HALF_H

#include <exo/preempt.h>
#include <exo/spinlock.h>

/** local_bh_disable() - start a section without softirqs on this CPU */
static __always_inline void local_bh_disable(void)
{
	__preempt_count_add(SOFTIRQ_DISABLE_OFFSET);
	barrier();
}

/**
 * local_bh_enable() - end a local_bh_disable() section
 *
 * The outermost one runs the softirqs raised meanwhile (with interrupts
 * on), then allows preemption again.
 * Context: thread or softirq, interrupts on; not from a hard interrupt
 * handler (logged).
 */
void local_bh_enable(void);

static __always_inline void spin_lock_bh(spinlock_t *l) __acquires(l)
{
	local_bh_disable();
	spin_lock(l);
}

static __always_inline void spin_unlock_bh(spinlock_t *l) __releases(l)
{
	spin_unlock(l);
	local_bh_enable();
}

static __always_inline bool spin_trylock_bh(spinlock_t *l)
{
	local_bh_disable();
	if (spin_trylock(l))
		return true;
	local_bh_enable();
	return false;
}

#endif /* _EXO_BOTTOM_HALF_H */
