/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lock debugging beyond CONFIG_DEBUG_SPINLOCK:
 *
 *  - the lock-order validator (CONFIG_LOCKDEP, kernel/locking/lockdep.c):
 *    spinlocks are grouped in classes (one per DEFINE_SPINLOCK() lock, one
 *    per spin_lock_init() call site); taking class B while holding class A
 *    records "A before B"; the first acquisition that closes a cycle
 *    (B held, then A; or any longer chain) is reported once, with the call
 *    sites and a backtrace of both orders.  The hooks are in <exo/spinlock.h>;
 *  - might_sleep() (CONFIG_DEBUG_ATOMIC_SLEEP, kernel/locking/might_sleep.c):
 *    a function that may sleep says so; called with a spinlock held,
 *    preemption disabled or interrupts off, it reports once per call site.
 */
#ifndef _EXO_LOCKDEP_H
#define _EXO_LOCKDEP_H

#include <exo/spinlock.h>
#include <exo/types.h>

/* Counters and the last report, for tests and the `lockdep` shell command. */
struct lockdep_stats {
	unsigned int nr_classes;
	unsigned int nr_edges;		/* recorded "A before B" pairs */
	unsigned int max_depth;		/* most locks held at once by one CPU */
	unsigned long nr_reports;	/* inversions reported */
	unsigned long nr_untracked;	/* acquisitions of locks without a class */
	const char *last_held;		/* class held in the last inversion */
	const char *last_acquired;	/* class being acquired then */
};

#ifdef CONFIG_LOCKDEP
/**
 * lockdep_get_stats() - snapshot of the validator's counters
 * @st: filled in
 */
void lockdep_get_stats(struct lockdep_stats *st);

/**
 * lockdep_depth() - number of locks this CPU holds, as lockdep sees them
 *
 * Return: the depth of this CPU's held-lock stack.
 */
unsigned int lockdep_depth(void);
#endif

#ifdef CONFIG_DEBUG_ATOMIC_SLEEP
/**
 * __might_sleep() - report a sleeping call from atomic context
 * @file: call site
 * @line: call site
 * @reported: the call site's "already reported" flag
 *
 * Use might_sleep().  Reports (with a backtrace) if a spinlock is held,
 * preemption is disabled or interrupts are off, once per call site.
 */
void __might_sleep(const char *file, int line, bool *reported);

/**
 * might_sleep_reports() - number of might_sleep() violations seen
 *
 * Return: the count, including those not printed again.
 */
unsigned long might_sleep_reports(void);

#define might_sleep() do {						\
	static bool __ms_reported;					\
	__might_sleep(__FILE__, __LINE__, &__ms_reported);		\
} while (0)
#else
#define might_sleep() do { } while (0)
#endif

/* An allocation that may wait (no __GFP_ATOMIC) is a sleeping call. */
#define might_alloc(gfp) do {						\
	if (!((__force unsigned int)(gfp) & 0x400u /* ___GFP_ATOMIC */)) \
		might_sleep();						\
} while (0)

#endif /* _EXO_LOCKDEP_H */
