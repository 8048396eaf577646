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
 *    sleeping locks (<exo/mutex.h>) carry a struct lockdep_map and are
 *    tracked per thread, as they are held across sleeps.  Two locks of one
 *    class taken together are not ordered, unless the inner one is taken
 *    with a subclass (mutex_lock_nested()): each (class, subclass) pair is
 *    a class of its own, so "subclass 0 before subclass 1" is validated;
 *  - might_sleep() (CONFIG_DEBUG_ATOMIC_SLEEP, kernel/locking/might_sleep.c):
 *    a function that may sleep says so; called with a spinlock held,
 *    preemption disabled or interrupts off, it reports once per call site.
 */
#ifndef _EXO_LOCKDEP_H
#define _EXO_LOCKDEP_H

#include <exo/gfp.h>
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
	unsigned int last_held_subclass;
	unsigned int last_acquired_subclass;
	bool off;			/* a table filled up: validator off */
};

/*
 * The validator's view of a sleeping lock: its class key (NULL for a
 * statically defined lock, whose address is the key), its name, and the
 * class number of subclass 0, cached on first use.
 */
struct lockdep_map {
	struct lock_class_key *key;
	const char *name;
	unsigned int class_idx;		/* class number + 1; 0 = unknown */
};

/* A lock on a held-lock stack (per CPU for spinlocks, per thread for mutexes). */
struct held_lock {
	const void *lock;
	unsigned long ip;
	u16 class_idx;
	u8 irq_context;
	u8 trylock;
};

/* Sleeping locks one thread may hold at once, as the validator sees them. */
#define LOCKDEP_TASK_HELD	32

/* The per-thread held-lock stack (struct task_struct's lockdep member). */
struct lockdep_task {
	unsigned int depth;
	struct held_lock held[LOCKDEP_TASK_HELD];
};

#ifdef CONFIG_LOCKDEP
/**
 * lock_map_acquire() - a sleeping lock is about to be taken by current
 * @map: the lock's map
 * @subclass: nesting level within the lock's class, below
 *	MAX_LOCKDEP_SUBCLASSES (0 for a plain lock)
 * @trylock: taken by a trylock (cannot deadlock: no order recorded to it)
 * @ip: call site
 *
 * Called before blocking, so that an inversion is reported even if it
 * deadlocks.  Records "held -> @map's class/@subclass" for every sleeping
 * lock current holds.  An out-of-range @subclass is logged once and the
 * acquisition is not tracked.
 */
void lock_map_acquire(struct lockdep_map *map, unsigned int subclass, bool trylock,
		      unsigned long ip);

/**
 * lockdep_init_map() - give a sleeping lock the class @key
 * @map: the lock's map, not held and not used since its init
 * @name: class name for reports
 * @key: class key (static storage)
 *
 * Use lockdep_set_class().
 */
static inline void lockdep_init_map(struct lockdep_map *map, const char *name,
				    struct lock_class_key *key)
{
	*map = (struct lockdep_map){ .key = key, .name = name };
}

/*
 * Put a lock initialised elsewhere (one class per init call site, as for
 * every device's lock) in a class of its own, before its first use.
 */
#define lockdep_set_class(lock, key)	lockdep_init_map(&(lock)->dep_map, #key, key)
/* The same, with a class name chosen at run time (static storage). */
#define lockdep_set_class_and_name(lock, key, name)			\
	lockdep_init_map(&(lock)->dep_map, name, key)

/**
 * lock_map_release() - current released the sleeping lock of @map
 * @map: the lock's map
 */
void lock_map_release(struct lockdep_map *map);

/**
 * lockdep_task_depth() - number of sleeping locks current holds
 *
 * Return: the depth of current's held-lock stack.
 */
unsigned int lockdep_task_depth(void);

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

/**
 * lockdep_nr_reports() - reports the validator printed since boot
 *
 * Return: the count; tests compare it before and after what they check.
 */
static inline unsigned long lockdep_nr_reports(void)
{
	struct lockdep_stats st;

	lockdep_get_stats(&st);
	return st.nr_reports;
}
#else
#define lockdep_set_class(lock, key)	do { (void)(lock); (void)(key); } while (0)
#define lockdep_set_class_and_name(lock, key, name)			\
	do { (void)(lock); (void)(key); (void)(name); } while (0)
static inline unsigned long lockdep_nr_reports(void)
{
	return 0;
}
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
	if (gfpflags_allow_blocking(gfp))				\
		might_sleep();						\
} while (0)

#endif /* _EXO_LOCKDEP_H */
